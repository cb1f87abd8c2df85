"""``report raci``: per Process and Practice, who owns and runs it, and its RACI matrix.

Every format is linear in the assignments: a matrix with more cells than
``DENSE_CELLS`` is written sparse in md and html (one line per activity, its
parties and their letters).  The full grid is ``--format csv --layout grid``
and ``--format xlsx``, for a spreadsheet.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from ..engine import UsageError
from ._text import csv_text, json_text, md_code, md_table, md_text, named
from ._xlsx import Sheet, sheet_titles, workbook
from .repository import PROCESS_KINDS, Doc, RepositoryView, is_party

FORMATS = ("md", "csv", "json", "html", "xlsx")
LAYOUTS = ("rows", "grid")
#: RACI field -> its letter, in the order letters are written
LETTERS = (("responsible", "R"), ("accountable", "A"), ("consulted", "C"), ("informed", "I"))
#: past this many cells (parties by activities) md and html write one line per activity instead
DENSE_CELLS = 2_000
#: the most cells a grid holds (csv --layout grid refuses more; an xlsx sheet writes rows instead)
GRID_CELLS = 250_000
CSV_COLUMNS = ("process", "activity", "party", "letters", "process_name", "activity_name", "party_name")


@dataclass(frozen=True)
class Activity:
    id: str
    name: str
    #: party reference -> its letters, a subset of RACI in that order
    letters: dict[str, str]


@dataclass(frozen=True)
class Matrix:
    process: Doc
    #: every owner the document names (one, unless GOV101 reports it)
    owners: list[str]
    managers: list[tuple[str, str | None]]
    administrator: str | None
    #: the matrix's columns: every party with a letter, in first-seen order
    parties: list[str]
    activities: list[Activity]

    @property
    def owner(self) -> str | None:
        """The owner, when there is exactly one (else see ``owners``)."""
        return self.owners[0] if len(self.owners) == 1 else None

    @property
    def dense(self) -> bool:
        """Whether the matrix is small enough to write every cell."""
        return len(self.parties) * len(self.activities) <= DENSE_CELLS

    @cached_property
    def columns(self) -> dict[str, int]:
        return {party: i for i, party in enumerate(self.parties)}

    def assignments(self, activity: Activity) -> list[tuple[str, str]]:
        """An activity's (party, letters), in the matrix's column order."""
        return sorted(activity.letters.items(), key=lambda pair: self.columns[pair[0]])


def activity_id(activity: dict[str, Any], position: int) -> str:
    """An activity's id, else its name, else its position."""
    for key in ("id", "name"):
        if isinstance(activity.get(key), str) and activity[key]:
            return str(activity[key])
    return str(position)


def assigned(raci: dict[str, Any], field: str) -> list[str]:
    """The parties one RACI field names (a list, or a single reference)."""
    value = raci.get(field)
    if isinstance(value, list):
        return [v for v in value if is_party(v)]
    return [value] if is_party(value) else []


def owners(doc: Doc) -> list[str]:
    """Every owner a document names: ``owner: person:x``, or a list of several (which GOV101 reports)."""
    value = doc.spec.get("owner")
    values = value if isinstance(value, list) else [value]
    return list(dict.fromkeys(v for v in values if isinstance(v, str) and v))


def matrix(doc: Doc) -> Matrix:
    activities = []
    parties: dict[str, None] = {}
    for position, raw in enumerate(doc.items("activities")):
        if not isinstance(raw, dict):
            continue
        letters: dict[str, str] = {}
        raci = raw.get("raci")
        if not isinstance(raci, dict):
            raci = {}
        for field_name, letter in LETTERS:
            for party in assigned(raci, field_name):
                held = letters.get(party, "")
                if letter not in held:
                    letters[party] = held + letter
                parties.setdefault(party, None)
        ident = activity_id(raw, position)
        name = str(raw["name"]) if isinstance(raw.get("name"), str) else ident
        activities.append(Activity(ident, name, letters))
    managers = [
        (m["person"], m.get("scope") if isinstance(m.get("scope"), str) else None)
        for m in doc.items("managers")
        if isinstance(m, dict) and is_party(m.get("person"))
    ]
    return Matrix(doc, owners(doc), managers, doc.text("administrator"), list(parties), activities)


def matrices(repo: RepositoryView) -> list[Matrix]:
    return [matrix(doc) for doc in repo.of_kind(*PROCESS_KINDS)]


def csv_rows(repo: RepositoryView) -> list[tuple[str, ...]]:
    """One row per activity and party with a letter: the ``rows`` layout."""
    return [
        (m.process.key, a.id, party, letters, m.process.name, a.name, repo.label(party))
        for m in matrices(repo)
        for a in m.activities
        for party, letters in m.assignments(a)
    ]


def grid_cells(found: list[Matrix]) -> int:
    """How many cells the grid of these matrices holds."""
    parties = {p for m in found for p in m.parties}
    return len(parties) * sum(len(m.activities) for m in found)


def grid(repo: RepositoryView, found: list[Matrix]) -> tuple[list[str], list[list[str]]]:
    """The ``grid`` layout: a row per process and activity, a column per party (by name), cells the letters."""
    parties = list(dict.fromkeys(p for m in found for p in m.parties))
    column = {party: i for i, party in enumerate(parties)}
    header = ["process", "process_name", "activity", "activity_name", *(named(repo, p) for p in parties)]
    rows = []
    for m in found:
        for a in m.activities:
            cells = [""] * len(parties)
            for party, letters in a.letters.items():
                cells[column[party]] = letters
            rows.append([m.process.key, m.process.name, a.id, a.name, *cells])
    return header, rows


def to_json(repo: RepositoryView) -> list[dict[str, Any]]:
    return [
        {
            "process": m.process.key,
            "name": m.process.name,
            "path": m.process.path,
            "owners": m.owners,
            "owner_names": [repo.label(o) for o in m.owners],
            "managers": [{"person": p, "person_name": repo.label(p), "scope": s} for p, s in m.managers],
            "administrator": m.administrator,
            "administrator_name": repo.label(m.administrator) if m.administrator else None,
            "parties": m.parties,
            "party_names": [repo.label(p) for p in m.parties],
            "activities": [{"id": a.id, "name": a.name, "letters": a.letters} for a in m.activities],
        }
        for m in matrices(repo)
    ]


def _facts(repo: RepositoryView, m: Matrix) -> list[str]:
    """Owners, managers (with scopes) and administrator, each a reference with its name."""
    owner = "; ".join(named(repo, o) for o in m.owners)
    facts = [f"- Owner{'s' if len(m.owners) > 1 else ''}: {md_text(owner) or '—'}"]
    facts += [
        "- Manager" + (f" ({md_text(s)})" if s else "") + f": {md_text(named(repo, p))}"
        for p, s in m.managers
    ]
    admin = md_text(named(repo, m.administrator)) if m.administrator else "—"
    facts.append(f"- Administrator: {admin}")
    return facts


def sparse_line(repo: RepositoryView, m: Matrix, activity: Activity) -> str:
    """An activity's parties and letters on one line: ``Windy (person:windy): RA; …``."""
    return "; ".join(f"{named(repo, party)}: {letters}" for party, letters in m.assignments(activity))


def _sparse_note(m: Matrix, code: str = "`") -> str:
    return (
        f"{len(m.activities)} activities × {len(m.parties)} parties: one line per activity "
        f"({code}--format csv --layout grid{code} and {code}--format xlsx{code} write the full matrix)."
    )


def markdown(repo: RepositoryView, level: int = 2) -> str:
    hashes = "#" * level
    parts = []
    for m in matrices(repo):
        parts.append(f"{hashes} {md_text(m.process.name)} ({md_code(m.process.key)})\n")
        parts.append("\n".join(_facts(repo, m)) + "\n")
        if not m.activities:
            parts.append("No activities.\n")
        elif m.dense:
            rows = [[a.name] + [a.letters.get(p, "") for p in m.parties] for a in m.activities]
            parts.append(md_table(["Activity", *(named(repo, p) for p in m.parties)], rows))
        else:
            rows = [[a.name, sparse_line(repo, m, a)] for a in m.activities]
            parts.append(_sparse_note(m) + "\n\n" + md_table(["Activity", "Parties and letters"], rows))
    return "\n".join(parts) if parts else "No processes or practices.\n"


def _sheet(repo: RepositoryView, title: str, found: list[Matrix]) -> Sheet:
    """The grid of these matrices; past ``GRID_CELLS``, a row per activity and party instead."""
    if grid_cells(found) <= GRID_CELLS:
        return Sheet(title, *grid(repo, found))
    rows = (
        (m.process.key, m.process.name, a.id, a.name, party, repo.label(party), letters)
        for m in found
        for a in m.activities
        for party, letters in m.assignments(a)
    )
    header = ("process", "process_name", "activity", "activity_name", "party", "party_name", "letters")
    return Sheet(title, header, rows)


def xlsx(repo: RepositoryView) -> bytes:
    """The grid: an "All" sheet, then one sheet per process (titled by its id)."""
    found = matrices(repo)
    titles = sheet_titles(["All", *(m.process.id for m in found)])
    sheets = [_sheet(repo, titles[0], found)]
    sheets += [_sheet(repo, title, [m]) for title, m in zip(titles[1:], found, strict=True)]
    return workbook(sheets)


def render(repo: RepositoryView, fmt: str, options: dict[str, Any]) -> str | bytes:
    if fmt == "csv":
        if options.get("layout") == "grid":
            found = matrices(repo)
            if (cells := grid_cells(found)) > GRID_CELLS:
                raise UsageError(
                    f"--layout grid: the grid would hold {cells:,} cells, more than {GRID_CELLS:,}; "
                    "name fewer paths, or use --layout rows (a row per activity and party)"
                )
            return csv_text(*grid(repo, found))
        return csv_text(CSV_COLUMNS, csv_rows(repo))
    if fmt == "json":
        return json_text(to_json(repo))
    if fmt == "html":
        return raci_page(repo)
    if fmt == "xlsx":
        return xlsx(repo)
    return markdown(repo)


SPARSE_COLUMN = "Parties and letters"


@dataclass(frozen=True)
class _Page:
    """A matrix as the page's template shows it: all its owners; past ``DENSE_CELLS``, a single column
    holding each activity's line."""

    process: Doc
    owner: list[str]
    managers: list[tuple[str, str | None]]
    administrator: str | None
    parties: list[str]
    activities: list[Activity]


def _page(repo: RepositoryView, m: Matrix) -> _Page:
    if m.dense:
        return _Page(m.process, m.owners, m.managers, m.administrator, m.parties, m.activities)
    lines = [Activity(a.id, a.name, {SPARSE_COLUMN: sparse_line(repo, m, a)}) for a in m.activities]
    return _Page(m.process, m.owners, m.managers, m.administrator, [SPARSE_COLUMN], lines)


def raci_page(repo: RepositoryView) -> str:
    """``report raci --format html``: every matrix on one standalone page (styles inline, no links out),
    names beside references."""
    from markupsafe import Markup

    from ._html import environment

    def ref(value: str | list[str]) -> str:
        return (
            "; ".join(named(repo, str(r)) for r in value) if isinstance(value, list) else named(repo, value)
        )

    env = environment()
    env.filters["ref"] = ref
    css = env.loader.get_source(env, "style.css")[0]  # type: ignore[union-attr]
    pages = [_page(repo, m) for m in matrices(repo)]
    return env.get_template("raci.html").render(matrices=pages, css=Markup(css))
