"""How messages name the document a finding is about: "process 'incident-management'"."""

from __future__ import annotations

from governance_lint.api import Document


def subject(doc: Document) -> str:
    """The document's kind in lower case and its id, e.g. ``practice 'service-desk'``."""
    kind = (doc.kind or "document").lower()
    return f"{kind} {doc.id!r}" if doc.id else kind
