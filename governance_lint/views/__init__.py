"""Views of a governance repository: the reports of ``govlint report`` and the site of ``govlint site``.

One module per report kind; each has ``FORMATS`` (the first is the default)
and ``render(repository, fmt, options) -> str | bytes`` (bytes for the binary
formats of ``BINARY``).  They read the repository only through ``views.repository``.
"""

from __future__ import annotations

#: report kind -> its formats, the default first (SPEC §11)
REPORTS: dict[str, tuple[str, ...]] = {
    "raci": ("md", "csv", "json", "html", "xlsx"),
    "roles": ("md", "csv", "json", "xlsx"),
    "load": ("md", "csv", "json", "xlsx"),
    "map": ("mermaid", "dot", "json", "md"),
    "reviews": ("md", "csv", "json", "ics", "xlsx"),
    "waivers": ("md", "csv", "json"),
    "history": ("md", "csv", "json"),
    "summary": ("md",),
}
#: formats written as bytes, never to a terminal
BINARY = frozenset({"xlsx"})
