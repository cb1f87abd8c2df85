"""``report roles``: every role each person or team holds, and where it is assigned."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any, NamedTuple

from ._text import csv_text, json_text, md_code, md_table, md_text, named
from ._xlsx import Sheet, workbook
from .raci import LETTERS, activity_id
from .repository import PROCESS_KINDS, Doc, RepositoryView, is_party

FORMATS = ("md", "csv", "json", "xlsx")
COLUMNS = ("party", "role", "subject", "scope", "path", "line", "party_name", "subject_name")


class Role(NamedTuple):
    party: str
    role: str
    subject: str
    scope: str
    path: str
    line: int


def _listed(doc: Doc, role: str, subject: str, *node: str | int) -> Iterator[Role]:
    """The roles of a node holding one party or a list of parties."""
    value: Any = doc.spec
    for step in node:
        value = (
            value.get(step)
            if isinstance(value, dict) and isinstance(step, str)
            else (value[step] if isinstance(value, list) and isinstance(step, int) else None)
        )
    if isinstance(value, list):
        for i, item in enumerate(value):
            if is_party(item):
                yield Role(item, role, subject, "", doc.path, doc.line_of("spec", *node, i))
    elif is_party(value):
        yield Role(value, role, subject, "", doc.path, doc.line_of("spec", *node))


def _process_roles(doc: Doc) -> Iterator[Role]:
    key = doc.key
    yield from _listed(doc, "owner", key, "owner")
    for i, manager in enumerate(doc.items("managers")):
        if isinstance(manager, dict) and is_party(manager.get("person")):
            scope = str(manager["scope"]) if isinstance(manager.get("scope"), str) else ""
            yield Role(
                manager["person"],
                "manager",
                key,
                scope,
                doc.path,
                doc.line_of("spec", "managers", i, "person"),
            )
    yield from _listed(doc, "administrator", key, "administrator")
    yield from _listed(doc, "practitioner", key, "practitioners")
    yield from _listed(doc, "escalation", key, "escalation")
    for i, activity in enumerate(doc.items("activities")):
        if not isinstance(activity, dict):
            continue
        subject = f"{key}/{activity_id(activity, i)}"
        for field, _ in LETTERS:
            yield from _listed(doc, field, subject, "activities", i, "raci", field)


def roles_of(doc: Doc) -> Iterator[Role]:
    if doc.kind in PROCESS_KINDS:
        yield from _process_roles(doc)
    elif doc.kind == "Service":
        yield from _listed(doc, "service-owner", doc.key, "owner")
    elif doc.kind == "Policy":
        yield from _listed(doc, "policy-owner", doc.key, "owner")
    elif doc.kind == "Team":
        yield from _listed(doc, "team-lead", doc.key, "lead")
        yield from _listed(doc, "team-member", doc.key, "members")


def roles(repo: RepositoryView, party: str | None = None) -> list[Role]:
    """Every role, grouped by party (sorted), each party's in document order."""
    found = [r for doc in repo.documents for r in roles_of(doc)]
    if party is not None:
        found = [r for r in found if r.party == party]
    return sorted(found, key=lambda r: r.party)


def parties(repo: RepositoryView) -> list[str]:
    """Every person and team: those with a document and those holding a role."""
    defined = [d.key for d in repo.of_kind("Person", "Team")]
    return sorted(set(defined) | {r.party for r in roles(repo)})


def subject_name(repo: RepositoryView, subject: str) -> str:
    """The display name of a role's subject (``process:x/identify``: the process's name)."""
    return repo.label(subject.partition("/")[0])


def subject_named(repo: RepositoryView, subject: str) -> str:
    """``Incident Management (process:incident-management/identify)``."""
    label = subject_name(repo, subject)
    return subject if label == subject.partition("/")[0] else f"{label} ({subject})"


def rows(repo: RepositoryView, party: str | None = None) -> list[tuple[Any, ...]]:
    """The CSV, json and xlsx rows: each role with the party's and the subject's names."""
    return [(*r, repo.label(r.party), subject_name(repo, r.subject)) for r in roles(repo, party)]


def markdown(repo: RepositoryView, party: str | None = None, level: int = 2) -> str:
    found = roles(repo, party)
    if not found:
        return f"{md_text(named(repo, party)) if party else 'Nobody'} holds no role.\n"
    parts = []
    for who, group in itertools.groupby(found, key=lambda r: r.party):  # found is sorted by party
        held = list(group)
        label = repo.label(who)
        title = f"{md_text(label)} ({md_code(who)})" if label != who else md_code(who)
        parts.append(f"{'#' * level} {title}\n")
        parts.append(
            md_table(
                ("Role", "Subject", "Scope", "Where"),
                [(r.role, subject_named(repo, r.subject), r.scope, f"{r.path}:{r.line}") for r in held],
            )
        )
    return "\n".join(parts)


def render(repo: RepositoryView, fmt: str, options: dict[str, Any]) -> str | bytes:
    party = options.get("for")
    if fmt == "csv":
        return csv_text(COLUMNS, rows(repo, party))
    if fmt == "json":
        return json_text([dict(zip(COLUMNS, row, strict=True)) for row in rows(repo, party)])
    if fmt == "xlsx":
        return workbook([Sheet("Roles", COLUMNS, rows(repo, party))])
    return markdown(repo, party)
