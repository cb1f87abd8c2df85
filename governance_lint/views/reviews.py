"""``report reviews``: the review calendar of Processes, Practices and Policies."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..rules.review_overdue import review_date
from ._text import csv_text, json_text, md_table
from .repository import Doc, Repository

FORMATS = ("md", "csv", "json", "ics")
COLUMNS = ("entity", "owner", "last_reviewed", "due", "status")
REVIEWED_KINDS = ("Process", "Practice", "Policy")
DUE_SOON_DAYS = 30


@dataclass(frozen=True)
class Review:
    doc: Doc
    owner: str
    last_reviewed: dt.date | None
    due: dt.date | None
    status: str  # overdue | due-soon | ok | never

    def row(self) -> tuple[str, str, str, str, str]:
        return (
            self.doc.key,
            self.owner,
            self.last_reviewed.isoformat() if self.last_reviewed else "",
            self.due.isoformat() if self.due else "",
            self.status,
        )


def status(due: dt.date | None, today: dt.date, within: int) -> str:
    if due is None:
        return "never"
    if today > due:
        return "overdue"
    return "due-soon" if (due - today).days <= within else "ok"


def reviews(repo: Repository, within: int = DUE_SOON_DAYS) -> list[Review]:
    """Never-reviewed first, then by due date, then by reference."""
    found = []
    for doc in repo.of_kind(*REVIEWED_KINDS):
        last = review_date(doc.metadata.get("lastReviewed"))
        due = last + dt.timedelta(days=repo.cycle_days) if last else None
        found.append(Review(doc, doc.text("owner") or "", last, due, status(due, repo.today, within)))
    return sorted(found, key=lambda r: (r.due is not None, r.due or dt.date.min, r.doc.key))


def markdown(repo: Repository, within: int = DUE_SOON_DAYS) -> str:
    found = reviews(repo, within)
    head = (
        f"Today {repo.today.isoformat()}; review cycle {repo.cycle_days} days (GOV502 cycle-days); "
        f"due-soon within {within} days.\n\n"
    )
    return head + md_table(("Entity", "Owner", "Last reviewed", "Due", "Status"), [r.row() for r in found])


def _ics_text(text: str) -> str:
    """An RFC 5545 TEXT value: backslash, semicolon, comma and newline escaped."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """An RFC 5545 content line folded at 75 octets (never inside a UTF-8 character)."""
    out: list[str] = []
    current = ""
    for char in line:
        limit = 75 if not out else 74
        if len((current + char).encode("utf-8")) > limit:
            out.append(current)
            current = char
        else:
            current += char
    out.append(current)
    return "\r\n ".join(out)


def ics(repo: Repository, within: int = DUE_SOON_DAYS) -> str:
    """One all-day event per due review; DTSTAMP is ``--today``: the same repository, the same bytes."""
    stamp = repo.today.strftime("%Y%m%dT000000Z")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//govlint//reviews//EN", "CALSCALE:GREGORIAN"]
    for r in reviews(repo, within):
        if r.due is None:
            continue
        owner = f" (owner {r.owner})" if r.owner else ""
        summary = f"Review {r.doc.name} ({r.doc.key})"
        description = (
            f"{r.doc.key} was last reviewed on {r.last_reviewed}{owner}; status {r.status}. "
            f"File {r.doc.path}."
        )
        lines += [
            "BEGIN:VEVENT",
            f"UID:{_ics_text(r.doc.key)}-review@govlint",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{r.due.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(r.due + dt.timedelta(days=1)).strftime('%Y%m%d')}",
            f"SUMMARY:{_ics_text(summary)}",
            f"DESCRIPTION:{_ics_text(description)}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


def render(repo: Repository, fmt: str, options: dict[str, Any]) -> str:
    within = options.get("within")
    within = DUE_SOON_DAYS if within is None else within
    if fmt == "csv":
        return csv_text(COLUMNS, [r.row() for r in reviews(repo, within)])
    if fmt == "json":
        return json_text([dict(zip(COLUMNS, r.row(), strict=True)) for r in reviews(repo, within)])
    if fmt == "ics":
        return ics(repo, within)
    return markdown(repo, within)
