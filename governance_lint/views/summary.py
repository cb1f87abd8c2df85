"""``report summary``: one Markdown page of every report and the findings, for a CI job summary."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..model import plural_label
from . import load, map, raci, reviews, roles
from ._text import md_table
from .repository import Repository

FORMATS = ("md",)
#: GitHub refuses a job summary over 1 MiB: a section that would pass this is left out, with a note.
PAGE_LIMIT = 1_000_000


def _section(title: str, body: str, folded: bool) -> str:
    """A section; a long one folded into ``<details>`` so the page stays readable."""
    if not folded:
        return f"## {title}\n\n{body}\n"
    return f"## {title}\n\n<details><summary>Show</summary>\n\n{body}\n</details>\n"


def findings_table(repo: Repository) -> str:
    if not repo.findings:
        return "No findings.\n"
    return md_table(
        ("Where", "Rule", "Severity", "Message"),
        [(f"{d.path}:{d.line}", f"{d.code} {d.name}", d.severity.label, d.message) for d in repo.findings],
    )


def markdown(repo: Repository, within: int | None = None) -> str:
    s = repo.summary
    counts = (
        f"{plural_label(len(repo.documents), 'governance document')}, "
        f"{plural_label(s.errors, 'error')}, {plural_label(s.warnings, 'warning')}, "
        f"{plural_label(s.infos, 'info')}"
    )
    processes = sum(1 for _ in repo.of_kind("Process", "Practice"))
    many = processes > 10
    sections: list[tuple[str, Callable[[], str], bool]] = [
        ("Findings", lambda: findings_table(repo), len(repo.findings) > 50),
        ("Process map", lambda: map.markdown(repo), many),
        (
            "Reviews",
            lambda: reviews.markdown(repo, reviews.DUE_SOON_DAYS if within is None else within),
            many,
        ),
        ("Load", lambda: load.markdown(repo), many),
        ("RACI", lambda: raci.markdown(repo, level=3), True),
        ("Roles", lambda: roles.markdown(repo, level=3), True),
    ]
    parts = [f"# Governance summary\n\n{counts}; today {repo.today.isoformat()}.\n"]
    size = len(parts[0])
    for title, body, folded in sections:
        text = body()
        if size + len(text.encode("utf-8")) > PAGE_LIMIT:
            kind = "summary" if title == "Findings" else title.lower().replace("process ", "")
            command = "govlint check" if title == "Findings" else f"govlint report {kind}"
            text = (
                f"Left out: {len(text.encode('utf-8')):,} bytes would pass the {PAGE_LIMIT:,}-byte limit of "
                f"a job summary. Run `{command}`, or publish `govlint site`.\n"
            )
        parts.append(_section(title, text, folded))
        size += len(parts[-1].encode("utf-8"))
    return "\n".join(parts)


def render(repo: Repository, fmt: str, options: dict[str, Any]) -> str:
    return markdown(repo, options.get("within"))
