"""``report history``: who held which role when, from the git history of the governance files."""

from __future__ import annotations

from collections.abc import Sequence

from ..history import Held
from ._text import csv_text, json_text, md_table

FORMATS = ("md", "csv", "json")
COLUMNS = (
    "party",
    "role",
    "subject",
    "scope",
    "started",
    "started_on",
    "started_by",
    "ended",
    "ended_on",
    "ended_by",
)


def narrowed(found: Sequence[Held], reference: str | None) -> list[Held]:
    """The assignments of one party, or of one subject (a process and its activities), when named."""
    if reference is None:
        return list(found)
    return [h for h in found if reference in (h.party, h.subject) or h.subject.startswith(reference + "/")]


def row(held: Held) -> tuple[str, ...]:
    end = held.ended
    return (
        held.party,
        held.role,
        held.subject,
        held.scope,
        held.started.sha,
        held.started.date.isoformat(),
        held.started.author,
        end.sha if end else "",
        end.date.isoformat() if end else "",
        end.author if end else "",
    )


def render(found: Sequence[Held], fmt: str) -> str:
    rows = [row(h) for h in found]
    if fmt == "csv":
        return csv_text(COLUMNS, rows)
    if fmt == "json":
        return json_text([dict(zip(COLUMNS, r, strict=True)) for r in rows])
    table = [  # md_table escapes every cell
        (
            party,
            role,
            subject,
            scope,
            f"{on} {by} ({sha[:10]})",
            f"{end_on} {end_by} ({end[:10]})" if end else "still",
        )
        for party, role, subject, scope, sha, on, by, end, end_on, end_by in rows
    ]
    header = ("Party", "Role", "Subject", "Scope", "From", "Until")
    return "# Who held which role when\n\n" + md_table(header, table)
