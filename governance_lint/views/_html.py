"""The Jinja2 environment of every HTML view (the site's pages and ``report raci --format html``)."""

from __future__ import annotations

import jinja2


def environment() -> jinja2.Environment:
    """Templates shipped in the package, autoescaped."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("governance_lint.views", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
