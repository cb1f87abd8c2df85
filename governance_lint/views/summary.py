"""``report summary``: one Markdown page of every report and the findings, for a CI job summary."""

from __future__ import annotations

from typing import Any

from ..model import plural_label
from . import load, map, raci, reviews, roles
from ._text import md_table
from .repository import Repository

FORMATS = ("md",)


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
    parts = [
        f"# Governance summary\n\n{counts}; today {repo.today.isoformat()}.\n",
        _section("Findings", findings_table(repo), len(repo.findings) > 50),
        _section("Process map", map.markdown(repo), many),
        _section(
            "Reviews", reviews.markdown(repo, reviews.DUE_SOON_DAYS if within is None else within), many
        ),
        _section("Load", load.markdown(repo), many),
        _section("RACI", raci.markdown(repo, level=3), True),
        _section("Roles", roles.markdown(repo, level=3), True),
    ]
    return "\n".join(parts)


def render(repo: Repository, fmt: str, options: dict[str, Any]) -> str:
    return markdown(repo, options.get("within"))
