"""``report load``: per person and team, the activities they are R, A, C or I for, and in how many processes.

A team's assignments count for the team, not for its members.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._text import csv_text, json_text, md_table
from .raci import matrices
from .repository import Repository

FORMATS = ("md", "csv", "json")
COLUMNS = ("party", "responsible", "accountable", "consulted", "informed", "processes")


@dataclass(frozen=True)
class Load:
    party: str
    responsible: int
    accountable: int
    consulted: int
    informed: int
    processes: int
    #: Responsible for more activities than GOV205's max-activities
    overloaded: bool

    def row(self) -> tuple[Any, ...]:
        return (self.party, self.responsible, self.accountable, self.consulted, self.informed, self.processes)


def loads(repo: Repository) -> list[Load]:
    """Every person and team (with a document or an assignment), sorted by reference."""
    counts: dict[str, dict[str, int]] = {d.key: {} for d in repo.of_kind("Person", "Team")}
    processes: dict[str, set[str]] = {}
    for m in matrices(repo):
        for activity in m.activities:
            for party, letters in activity.letters.items():
                tally = counts.setdefault(party, {})
                for letter in letters:
                    tally[letter] = tally.get(letter, 0) + 1
                processes.setdefault(party, set()).add(m.process.key)
    return [
        Load(
            party,
            tally.get("R", 0),
            tally.get("A", 0),
            tally.get("C", 0),
            tally.get("I", 0),
            len(processes.get(party, ())),
            tally.get("R", 0) > repo.max_activities,
        )
        for party, tally in sorted(counts.items())
    ]


def markdown(repo: Repository) -> str:
    found = loads(repo)
    rows = [
        (f"{x.party} ⚠ over {repo.max_activities}" if x.overloaded else x.party, *x.row()[1:]) for x in found
    ]
    note = f"Responsible for more than {repo.max_activities} activities (GOV205 max-activities): ⚠.\n\n"
    header = ("Party", "Responsible", "Accountable", "Consulted", "Informed", "Processes")
    return note + md_table(header, rows)


def render(repo: Repository, fmt: str, options: dict[str, Any]) -> str:
    if fmt == "csv":
        return csv_text(COLUMNS, [x.row() for x in loads(repo)])
    if fmt == "json":
        return json_text(
            [{**dict(zip(COLUMNS, x.row(), strict=True)), "overloaded": x.overloaded} for x in loads(repo)]
        )
    return markdown(repo)
