"""Walking the activities of a Process or Practice, shared by the activity rules.

Rules run on schema-invalid data too, so these helpers skip what does not
have the expected shape instead of failing on it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from governance_lint.api import Document, DocumentContext
from governance_lint.model import NodePath


def activities(doc: Document, ctx: DocumentContext) -> Iterator[tuple[NodePath, str, dict[str, Any]]]:
    """Each activity that is a mapping: its node path, a name for messages, its data."""
    for i, activity in enumerate(ctx.items(doc.spec, "activities")):
        if isinstance(activity, dict):
            ident = activity.get("id")
            name = ident if isinstance(ident, str) and ident else f"#{i + 1}"
            yield ("spec", "activities", i), name, activity


def entries(mapping: dict[str, Any], key: str) -> Iterator[tuple[NodePath, Any]]:
    """The items of ``mapping[key]`` with their relative paths; a lone scalar counts as one item."""
    value = mapping.get(key)
    if isinstance(value, list):
        for j, item in enumerate(value):
            yield (key, j), item
    elif value is not None:
        yield (key,), value


def holders(raci: dict[str, Any], role: str) -> list[tuple[NodePath, Any]]:
    """Who a RACI ``role`` names, with their paths within ``raci``: empty and null entries name nobody."""
    return [(path, who) for path, who in entries(raci, role) if who not in (None, "")]


def same_text(text: str) -> str:
    """Case and spacing do not make two names different ("Service  desk" is "Service Desk")."""
    return " ".join(text.split()).casefold()
