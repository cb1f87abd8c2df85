"""``report summary``: one Markdown page of every report and the findings, for a CI job summary."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..model import plural_label
from . import load, map, raci, reviews, roles
from ._text import md_table
from .repository import RepositoryView

FORMATS = ("md",)
#: GitHub refuses a job summary over 1 MiB; a pull-request comment holds 65,536 characters (``--max-chars``).
PAGE_LIMIT = 1_000_000


def _section(title: str, body: str, folded: bool) -> str:
    """A section; a long one folded into ``<details>`` so the page stays readable."""
    if not folded:
        return f"## {title}\n\n{body}\n"
    return f"## {title}\n\n<details><summary>Show</summary>\n\n{body}\n</details>\n"


def _size(text: str) -> int:
    """A page's size as GitHub counts it: UTF-8 bytes, which is never fewer than its characters."""
    return len(text.encode("utf-8"))


def findings_table(repo: RepositoryView) -> str:
    if not repo.findings:
        return "No findings.\n"
    return md_table(
        ("Where", "Rule", "Severity", "Message"),
        [(f"{d.path}:{d.line}", f"{d.code} {d.name}", d.severity.label, d.message) for d in repo.findings],
    )


def process_map(repo: RepositoryView) -> str:
    """The map section: a line end in a name or artifact must not end the mermaid fence."""
    return map.markdown(repo).replace("\r", " ")


def _left_out(title: str, size: int, limit: int) -> str:
    kind = "summary" if title == "Findings" else title.lower().replace("process ", "")
    command = "govlint check" if title == "Findings" else f"govlint report {kind}"
    return _section(
        title,
        f"Left out: this section ({size:,} characters) would pass the page's limit of {limit:,} "
        f"characters (`--max-chars`). Run `{command}`, or publish `govlint site`.\n",
        False,
    )


def markdown(repo: RepositoryView, within: int | None = None, max_chars: int = PAGE_LIMIT) -> str:
    """The page, at most ``max_chars`` characters: a section that would pass it is left out with a note."""
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
        ("Process map", lambda: process_map(repo), many),
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
    # Room is kept for the notes of the sections still to come, so each one fits whatever comes before.
    notes = [_size(_left_out(title, 10**12, max_chars)) + 1 for title, _, _ in sections]
    size = _size(parts[0])
    for n, (title, body, folded) in enumerate(sections):
        section = _section(title, body(), folded)
        if size + 1 + _size(section) + sum(notes[n + 1 :]) > max_chars:
            section = _left_out(title, _size(section), max_chars)
        parts.append(section)
        size += 1 + _size(section)
    page = "\n".join(parts)
    if _size(page) > max_chars:  # a limit smaller than the notes themselves: cut at a character
        page = page.encode("utf-8")[:max_chars].decode("utf-8", "ignore")
    return page


def render(repo: RepositoryView, fmt: str, options: dict[str, Any]) -> str:
    limit = options.get("max_chars")
    return markdown(repo, options.get("within"), PAGE_LIMIT if limit is None else limit)
