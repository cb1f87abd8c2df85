"""``report reviews``: the review calendar of Processes, Practices and Policies."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..rules.review_overdue import review_date
from ._text import csv_text, json_text, md_table, named, one_line
from ._xlsx import Sheet, workbook
from .raci import owners
from .repository import Doc, RepositoryView

FORMATS = ("md", "csv", "json", "ics", "xlsx")
COLUMNS = ("entity", "owner", "last_reviewed", "due", "status", "entity_name", "owner_name")
REVIEWED_KINDS = ("Process", "Practice", "Policy")
DUE_SOON_DAYS = 30


@dataclass(frozen=True)
class Review:
    doc: Doc
    #: every owner the document names
    owners: list[str]
    last_reviewed: dt.date | None
    #: ``last_reviewed`` + the cycle; the last day a date can hold when that passes it (9999-12-31)
    due: dt.date | None
    status: str  # overdue | due-soon | ok | never

    @property
    def owner(self) -> str:
        return "; ".join(self.owners)

    def row(self, repo: RepositoryView) -> tuple[str, ...]:
        """The CSV and xlsx row: several owners joined with ``; ``, names in the last columns."""
        return (
            self.doc.key,
            self.owner,
            self.last_reviewed.isoformat() if self.last_reviewed else "",
            self.due.isoformat() if self.due else "",
            self.status,
            self.doc.name,
            "; ".join(repo.label(o) for o in self.owners),
        )

    def to_json(self, repo: RepositoryView) -> dict[str, Any]:
        return {
            "entity": self.doc.key,
            "entity_name": self.doc.name,
            "owners": self.owners,
            "owner_names": [repo.label(o) for o in self.owners],
            "last_reviewed": self.last_reviewed.isoformat() if self.last_reviewed else "",
            "due": self.due.isoformat() if self.due else "",
            "status": self.status,
        }


def due_date(last: dt.date, cycle_days: int) -> dt.date:
    """When a review made on ``last`` is due: never past the last day a date can hold."""
    try:
        return last + dt.timedelta(days=cycle_days)
    except OverflowError:
        return dt.date.max


def status(due: dt.date | None, today: dt.date, within: int) -> str:
    if due is None:
        return "never"
    if today > due:
        return "overdue"
    return "due-soon" if (due - today).days <= within else "ok"


def reviews(repo: RepositoryView, within: int = DUE_SOON_DAYS) -> list[Review]:
    """Never-reviewed first, then by due date, then by reference."""
    found = []
    for doc in repo.of_kind(*REVIEWED_KINDS):
        last = review_date(doc.metadata.get("lastReviewed"))
        due = due_date(last, repo.cycle_days) if last else None
        found.append(Review(doc, owners(doc), last, due, status(due, repo.today, within)))
    return sorted(found, key=lambda r: (r.due is not None, r.due or dt.date.min, r.doc.key))


def markdown(repo: RepositoryView, within: int = DUE_SOON_DAYS) -> str:
    found = reviews(repo, within)
    head = (
        f"Today {repo.today.isoformat()}; review cycle {repo.cycle_days} days (GOV502 cycle-days); "
        f"due-soon within {within} days.\n\n"
    )
    rows = [
        (
            named(repo, r.doc.key),
            "; ".join(named(repo, o) for o in r.owners),
            *r.row(repo)[2:5],
        )
        for r in found
    ]
    return head + md_table(("Entity", "Owner", "Last reviewed", "Due", "Status"), rows)


def _ics_text(text: str) -> str:
    """An RFC 5545 TEXT value on one line, with no control character: backslash, semicolon and comma
    escaped."""
    return one_line(text).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")


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


def _ics_date(day: dt.date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def event_date(review: Review, today: dt.date) -> dt.date:
    """The day a review's event falls on: its due date, or today when it is overdue or was never made."""
    return review.due if review.due is not None and review.due >= today else today


def ics(repo: RepositoryView, within: int = DUE_SOON_DAYS) -> str:
    """One all-day event per review; DTSTAMP is ``--today``: the same repository, the same bytes.

    A review never made, or overdue, is due today (its description says since when), never on a day
    already past.
    """
    stamp = repo.today.strftime("%Y%m%dT000000Z")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//govlint//reviews//EN", "CALSCALE:GREGORIAN"]
    for r in reviews(repo, within):
        owner = f" (owner {'; '.join(named(repo, o) for o in r.owners)})" if r.owners else ""
        summary = f"Review {r.doc.name} ({r.doc.key})"
        if r.last_reviewed is None:
            state = "was never reviewed: due today"
        elif r.status == "overdue":
            state = f"was last reviewed on {r.last_reviewed}; overdue since {r.due}: due today"
        else:
            state = f"was last reviewed on {r.last_reviewed}; status {r.status}"
        description = f"{r.doc.key}{owner} {state}. File {r.doc.path}."
        day = event_date(r, repo.today)
        lines += [
            "BEGIN:VEVENT",
            f"UID:{_ics_text(r.doc.key)}-review@govlint",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{_ics_date(day)}",
        ]
        if day < dt.date.max:  # without DTEND an all-day event lasts the day (RFC 5545 3.6.1)
            lines.append(f"DTEND;VALUE=DATE:{_ics_date(day + dt.timedelta(days=1))}")
        lines += [
            f"SUMMARY:{_ics_text(summary)}",
            f"DESCRIPTION:{_ics_text(description)}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


def render(repo: RepositoryView, fmt: str, options: dict[str, Any]) -> str | bytes:
    within = options.get("within")
    within = DUE_SOON_DAYS if within is None else within
    if fmt == "csv":
        return csv_text(COLUMNS, [r.row(repo) for r in reviews(repo, within)])
    if fmt == "json":
        return json_text([r.to_json(repo) for r in reviews(repo, within)])
    if fmt == "xlsx":
        return workbook([Sheet("Reviews", COLUMNS, [r.row(repo) for r in reviews(repo, within)])])
    if fmt == "ics":
        return ics(repo, within)
    return markdown(repo, within)
