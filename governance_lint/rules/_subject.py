"""How messages name the document a finding is about ("process 'incident-management'"), and who owns it."""

from __future__ import annotations

from typing import Any

from governance_lint.api import Document


def subject(doc: Document) -> str:
    """The document's kind in lower case and its id, e.g. ``practice 'service-desk'``."""
    kind = (doc.kind or "document").lower()
    return f"{kind} {doc.id!r}" if doc.id else kind


def owners(doc: Document) -> list[Any]:
    """``spec.owner`` as a list of what it names: one item for a single owner, none when it is missing."""
    owner = doc.spec.get("owner")
    listed = owner if isinstance(owner, list) else [owner]
    return [o for o in listed if o not in (None, "")]


def accountable_owner(doc: Document) -> str | None:
    """The owner when single-owner accepts it (exactly one, a ``person:`` reference); else None.

    Rules whose check starts from the owner stay quiet otherwise: single-owner says what is wrong.
    """
    found = owners(doc)
    owner = found[0] if len(found) == 1 else None
    return owner if isinstance(owner, str) and owner.startswith("person:") else None
