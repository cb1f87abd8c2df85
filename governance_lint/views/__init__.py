"""Views of a governance repository: the reports of ``govlint report`` and the site of ``govlint site``.

One module per report kind; each has ``FORMATS`` (the first is the default)
and ``render(repository, fmt, options) -> str``.  They read the repository
only through ``views.repository``.
"""

from __future__ import annotations

#: report kind -> its formats, the default first (SPEC §11)
REPORTS: dict[str, tuple[str, ...]] = {
    "raci": ("md", "csv", "json", "html"),
    "roles": ("md", "csv", "json"),
    "load": ("md", "csv", "json"),
    "map": ("mermaid", "dot", "json", "md"),
    "reviews": ("md", "csv", "json", "ics"),
    "summary": ("md",),
}
