"""``report raci``: per Process and Practice, who owns and runs it, and its RACI matrix."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._text import csv_text, json_text, md_table
from .repository import PROCESS_KINDS, Doc, Repository, is_party

FORMATS = ("md", "csv", "json", "html")
#: RACI field -> its letter, in the order letters are written
LETTERS = (("responsible", "R"), ("accountable", "A"), ("consulted", "C"), ("informed", "I"))


@dataclass(frozen=True)
class Activity:
    id: str
    name: str
    #: party reference -> its letters, a subset of RACI in that order
    letters: dict[str, str]


@dataclass(frozen=True)
class Matrix:
    process: Doc
    owner: str | None
    managers: list[tuple[str, str | None]]
    administrator: str | None
    #: the matrix's columns: every party with a letter, in first-seen order
    parties: list[str]
    activities: list[Activity]


def activity_id(activity: dict[str, Any], position: int) -> str:
    """An activity's id, else its name, else its position."""
    for key in ("id", "name"):
        if isinstance(activity.get(key), str) and activity[key]:
            return str(activity[key])
    return str(position)


def assigned(raci: Any, field: str) -> list[str]:
    """The parties one RACI field names (a list, or a single reference)."""
    value = raci.get(field) if isinstance(raci, dict) else None
    values = value if isinstance(value, list) else [value]
    return [v for v in values if is_party(v)]


def matrix(doc: Doc) -> Matrix:
    activities = []
    parties: dict[str, None] = {}
    for position, raw in enumerate(doc.items("activities")):
        if not isinstance(raw, dict):
            continue
        letters: dict[str, str] = {}
        for field, letter in LETTERS:
            for party in assigned(raw.get("raci"), field):
                if letter not in letters.get(party, ""):
                    letters[party] = letters.get(party, "") + letter
                parties.setdefault(party, None)
        ident = activity_id(raw, position)
        name = str(raw["name"]) if isinstance(raw.get("name"), str) else ident
        activities.append(Activity(ident, name, letters))
    managers = [
        (m["person"], m.get("scope") if isinstance(m.get("scope"), str) else None)
        for m in doc.items("managers")
        if isinstance(m, dict) and is_party(m.get("person"))
    ]
    return Matrix(doc, doc.text("owner"), managers, doc.text("administrator"), list(parties), activities)


def matrices(repo: Repository) -> list[Matrix]:
    return [matrix(doc) for doc in repo.of_kind(*PROCESS_KINDS)]


def csv_rows(repo: Repository) -> list[tuple[str, str, str, str]]:
    return [
        (m.process.key, a.id, party, a.letters[party])
        for m in matrices(repo)
        for a in m.activities
        for party in m.parties
        if party in a.letters
    ]


def to_json(repo: Repository) -> list[dict[str, Any]]:
    return [
        {
            "process": m.process.key,
            "name": m.process.name,
            "path": m.process.path,
            "owner": m.owner,
            "managers": [{"person": p, "scope": s} for p, s in m.managers],
            "administrator": m.administrator,
            "parties": m.parties,
            "activities": [{"id": a.id, "name": a.name, "letters": a.letters} for a in m.activities],
        }
        for m in matrices(repo)
    ]


def markdown(repo: Repository, level: int = 2) -> str:
    hashes = "#" * level
    parts = []
    for m in matrices(repo):
        parts.append(f"{hashes} {m.process.name} (`{m.process.key}`)\n")
        facts = [f"- Owner: {m.owner or '—'}"]
        facts += [f"- Manager: {p}" + (f" ({s})" if s else "") for p, s in m.managers]
        facts.append(f"- Administrator: {m.administrator or '—'}")
        parts.append("\n".join(facts) + "\n")
        if m.activities:
            rows = [[a.name] + [a.letters.get(p, "") for p in m.parties] for a in m.activities]
            parts.append(md_table(["Activity", *m.parties], rows))
        else:
            parts.append("No activities.\n")
    return "\n".join(parts) if parts else "No processes or practices.\n"


def render(repo: Repository, fmt: str, options: dict[str, Any]) -> str:
    if fmt == "csv":
        return csv_text(("process", "activity", "party", "letters"), csv_rows(repo))
    if fmt == "json":
        return json_text(to_json(repo))
    if fmt == "html":
        return raci_page(repo)
    return markdown(repo)


def raci_page(repo: Repository) -> str:
    """``report raci --format html``: every matrix on one standalone page (styles inline, no links out)."""
    from markupsafe import Markup

    from ._html import environment

    env = environment()
    env.filters["ref"] = lambda reference: Markup("{}").format(repo.label(str(reference)))
    css = env.loader.get_source(env, "style.css")[0]  # type: ignore[union-attr]
    return env.get_template("raci.html").render(matrices=matrices(repo), css=Markup(css))
