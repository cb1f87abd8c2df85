"""``report load``: per person and team, the activities they are R, A, C or I for, and in how many processes.

A team's assignments count for the team; what a person carries as
Responsible through the teams she belongs to is counted beside (``via_teams``),
and the heaviest (``responsible + via_teams``) come first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._text import csv_text, json_text, md_table, named
from ._xlsx import Sheet, workbook
from .raci import matrices
from .repository import RepositoryView, is_party

FORMATS = ("md", "csv", "json", "xlsx")
COLUMNS = (
    "party",
    "responsible",
    "accountable",
    "consulted",
    "informed",
    "processes",
    "via_teams",
    "roles",
    "party_name",
)
HEADER = ("Party", "Responsible", "Accountable", "Consulted", "Informed", "Processes", "Via teams", "Roles")


@dataclass(frozen=True)
class Load:
    party: str
    responsible: int
    accountable: int
    consulted: int
    informed: int
    processes: int
    #: activities a person is Responsible for through a team she belongs to (not directly)
    via_teams: int
    #: owner, manager and administrator roles held
    roles: int
    #: Responsible, directly or through teams, for more activities than GOV205's max-activities
    overloaded: bool

    @property
    def carried(self) -> int:
        return self.responsible + self.via_teams

    def row(self) -> tuple[Any, ...]:
        return (
            self.party,
            self.responsible,
            self.accountable,
            self.consulted,
            self.informed,
            self.processes,
            self.via_teams,
            self.roles,
        )


def members(repo: RepositoryView) -> dict[str, list[str]]:
    """Team -> the persons it names as members (the first Team document of an id)."""
    found: dict[str, list[str]] = {}
    for team in repo.of_kind("Team"):
        people = (m for m in team.items("members") if is_party(m) and m.startswith("person:"))
        found.setdefault(team.key, list(dict.fromkeys(people)))
    return found


def loads(repo: RepositoryView) -> list[Load]:
    """Every person and team (with a document or an assignment), heaviest first, then by reference."""
    counts: dict[str, dict[str, int]] = {d.key: {} for d in repo.of_kind("Person", "Team")}
    processes: dict[str, set[str]] = {}
    via: dict[str, set[tuple[int, int]]] = {}
    held: dict[str, int] = {}
    teams = members(repo)
    for m_index, m in enumerate(matrices(repo)):
        for holder in [
            *m.owners,
            *(p for p, _ in m.managers),
            *([m.administrator] if m.administrator else []),
        ]:
            if is_party(holder):
                held[holder] = held.get(holder, 0) + 1
                counts.setdefault(holder, {})
        for a_index, activity in enumerate(m.activities):
            for party, letters in activity.letters.items():
                tally = counts.setdefault(party, {})
                for letter in letters:
                    tally[letter] = tally.get(letter, 0) + 1
                processes.setdefault(party, set()).add(m.process.key)
                if "R" in letters:
                    for person in teams.get(party, ()):
                        if "R" not in activity.letters.get(person, ""):
                            via.setdefault(person, set()).add((m_index, a_index))
                            counts.setdefault(person, {})
    found = []
    for party, tally in counts.items():
        responsible, through = tally.get("R", 0), len(via.get(party, ()))
        found.append(
            Load(
                party,
                responsible,
                tally.get("A", 0),
                tally.get("C", 0),
                tally.get("I", 0),
                len(processes.get(party, ())),
                through,
                held.get(party, 0),
                responsible + through > repo.max_activities,
            )
        )
    return sorted(found, key=lambda x: (-x.carried, x.party))


def row(repo: RepositoryView, load: Load) -> tuple[Any, ...]:
    """A CSV, json and xlsx row: the counts and the party's name."""
    return (*load.row(), repo.label(load.party))


def markdown(repo: RepositoryView) -> str:
    found = loads(repo)
    over = f" ⚠ over {repo.max_activities}"
    table = [(named(repo, x.party) + (over if x.overloaded else ""), *x.row()[1:]) for x in found]
    note = (
        f"Responsible, directly or through their teams, for more than {repo.max_activities} activities "
        "(GOV205 max-activities): ⚠. Heaviest first.\n\n"
    )
    return note + md_table(HEADER, table)


def render(repo: RepositoryView, fmt: str, options: dict[str, Any]) -> str | bytes:
    found = loads(repo)
    if fmt == "csv":
        return csv_text(COLUMNS, [row(repo, x) for x in found])
    if fmt == "json":
        return json_text(
            [{**dict(zip(COLUMNS, row(repo, x), strict=True)), "overloaded": x.overloaded} for x in found]
        )
    if fmt == "xlsx":
        return workbook([Sheet("Load", COLUMNS, [row(repo, x) for x in found])])
    return markdown(repo)
