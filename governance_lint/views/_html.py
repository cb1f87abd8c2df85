"""What every HTML view shares: the Jinja2 environment, and the site's page names.

A page's file name is built from the id only when the id is a slug
(``[a-z0-9-]``); any other id gets a digest instead.  So a page name, and
every link, map URL or anchor made from it, never carries raw repository
text into an attribute.
"""

from __future__ import annotations

import hashlib
import re

import jinja2

from ..model import SLUG_RE

#: what a page name may hold: the characters of a slug, ``/`` between folder and file, and the suffix
PAGE_NAME = re.compile(r"^(?:\.\./)?[a-z0-9-]+(?:/[a-z0-9-]+)?\.(?:html|svg|css|json)$")


def environment() -> jinja2.Environment:
    """Templates shipped in the package, autoescaped."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("governance_lint.views", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def file_name(ident: str) -> str:
    """A page's file name for an id: the id when it is a slug, else a digest of it (ids with findings)."""
    if SLUG_RE.match(ident):
        return ident
    return "id-" + hashlib.sha256(ident.encode("utf-8")).hexdigest()[:16]


def page_of_reference(reference: str) -> str:
    """The site page of a ``KIND:ID`` reference, relative to the site's top (``process/incident-management.html``)."""
    kind, _, ident = reference.partition(":")
    folder = kind if SLUG_RE.match(kind) else file_name(kind)
    return f"{folder}/{file_name(ident)}.html"
