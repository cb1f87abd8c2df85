"""``report waivers``: every suppression and baseline entry: rule, where, reason, approver, until, status."""

from __future__ import annotations

from typing import Any

from ._text import csv_text, json_text, md_table, md_text, named
from .repository import RepositoryView

FORMATS = ("md", "csv", "json")
COLUMNS = ("rules", "path", "where", "source", "reason", "by", "until", "status", "by_name")


def rows(repo: RepositoryView) -> list[tuple[str, ...]]:
    return [
        (
            ",".join(w.rules),
            w.path,
            w.where,
            w.source,
            w.reason or "",
            w.by or "",
            w.until or "",
            w.status(repo.today),
            repo.label(w.by) if w.by else "",
        )
        for w in repo.waivers
    ]


def render(repo: RepositoryView, fmt: str, options: dict[str, Any]) -> str:
    found = rows(repo)
    if fmt == "csv":
        return csv_text(COLUMNS, found)
    if fmt == "json":
        return json_text([dict(zip(COLUMNS, row, strict=True)) for row in found])
    table = [
        (rules, f"{path} {where}", source, reason, named(repo, by) if by else "—", until or "—", status)
        for rules, path, where, source, reason, by, until, status, _ in found
    ]
    header = ("Rules", "Where", "Source", "Reason", "Approver", "Until", "Status")
    count = {s: sum(r[7] == s for r in found) for s in ("expired", "expires-soon", "unapproved", "active")}
    summary = ", ".join(f"{n} {s}" for s, n in count.items() if n) or "none"
    return f"# Waivers\n\n{md_text(summary)}\n\n" + md_table(header, table)
