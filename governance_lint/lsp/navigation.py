"""Go to definition and find references: what the cursor is on, and every site that names it."""

from __future__ import annotations

from lsprotocol import types as lsp

from ..editing import Occurrence, occurrences
from .session import Snapshot
from .text import Text


def target_at(snapshot: Snapshot, rel: str, text: Text, line: int, column: int) -> str | None:
    """The ``KIND:ID`` of what the cursor is on: a reference, an entity's id, a Glossary term."""
    found = text.reference_at(line, column)
    if found is not None:
        return found[0]
    for entity in snapshot.repository.index.facts.entities(rel):  # this file's entities only
        if entity.site.line == line and _within(text, line, entity.site.column, entity.id, column):
            return entity.key
        for term in entity.terms if entity.kind == "Glossary" else ():
            if term.site.line == line and _within(text, line, term.site.column, term.term, column):
                return f"term:{term.slug}"
    return None


def _within(text: Text, line: int, start: int, literal: str, column: int) -> bool:
    at = start + 1 if text.line(line)[start - 1 : start] in ("'", '"') else start
    return at <= column <= at + len(literal)


def locations(snapshot: Snapshot, sites: list[Occurrence]) -> list[lsp.Location]:
    """The sites as editor locations, in their order; each file is read and its lines counted once."""
    files: dict[str, tuple[str, Text]] = {}
    lines: dict[tuple[str, int], str] = {}
    found = []
    for site in sites:
        file = files.get(site.path)
        if file is None:
            file = files[site.path] = (snapshot.uri(site.path), snapshot.text(site.path))
        uri, text = file
        source = lines.get((site.path, site.line))
        if source is None:
            source = lines[(site.path, site.line)] = text.line(site.line)
        start = site.column + 1 if source[site.column - 1 : site.column] in ("'", '"') else site.column
        end = start + len(site.text)
        if source.isascii():  # every character one code unit in any encoding: no counting
            at = lsp.Range(lsp.Position(site.line - 1, start - 1), lsp.Position(site.line - 1, end - 1))
        else:
            at = text.range(site.line, start, end)
        found.append(lsp.Location(uri=uri, range=at))
    return found


def definition(snapshot: Snapshot, target: str) -> list[lsp.Location]:
    return locations(snapshot, [s for s in occurrences(snapshot.repository.index, target) if s.definition])


def references(snapshot: Snapshot, target: str, include_declaration: bool) -> list[lsp.Location]:
    sites = occurrences(snapshot.repository.index, target)
    return locations(snapshot, [s for s in sites if include_declaration or not s.definition])
