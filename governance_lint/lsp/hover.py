"""Hover: an entity's kind, name, where it is defined and its key facts, as Markdown.

Every value taken from the repository (a name, an email, a definition, a path)
is written with ``md_text`` after text of the server's own, so it renders as
the text it is: no HTML, link, image, heading or code fence can come from a
governance file.
"""

from __future__ import annotations

from typing import Any

from ..editing import Suggestions
from ..index import Entity, RepositoryIndex
from ..model import kind_label
from ..views._text import md_text
from .session import Snapshot


def hover(snapshot: Snapshot, target: str) -> str:
    """Markdown about ``target`` (``KIND:ID``): kind, name, where it is, and its key facts."""
    index = snapshot.repository.index
    kind, _, ident = target.partition(":")
    if kind == "term":
        term = next((t for t in index.terms(slug=ident) if t.glossary), None)
        if term is None:
            return f"{md_text(target)} names no Glossary term{_did_you_mean(index, target)}"
        return (
            f"**Glossary term** {md_text(term.term)} ({md_text(target)})\n\n"
            f"Definition: {md_text(term.definition or '(none)')}\n\n"  # never a block of its own
            f"*{md_text(f'{term.site.path}:{term.site.line}')}*"
        )
    entity = index.resolve(target)
    if entity is None:
        return f"{md_text(target)} names no {kind_label(kind)}{_did_you_mean(index, target)}"
    lines = [f"**{entity.kind}** {md_text(entity.name or entity.id)} ({md_text(entity.key)})", ""]
    lines.extend(f"- {label}: {md_text(value)}" for label, value in _facts(index, entity))
    lines.append(f"\n*{md_text(f'{entity.path}:{entity.site.line}')}*")
    return "\n".join(lines)


def _did_you_mean(index: RepositoryIndex, target: str) -> str:
    close = Suggestions(index).closest(target)
    return f" (did you mean {md_text(close)}?)" if close else ""


def _facts(index: RepositoryIndex, entity: Entity) -> list[tuple[str, Any]]:
    doc = index.document(entity)
    spec = doc.spec if doc is not None else {}
    facts: list[tuple[str, Any]] = []
    if entity.kind == "Person":
        facts += [("email", spec.get("email", "—")), ("active", "yes" if entity.active else "no")]
    elif entity.kind == "Team":
        members = spec.get("members")
        facts += [
            ("lead", spec.get("lead", "—")),
            ("members", len(members) if isinstance(members, list) else 0),
            ("external", "yes" if spec.get("external") is True else "no"),
        ]
    elif entity.kind == "Policy":
        facts += [("statement", spec.get("statement", "—")), ("owner", spec.get("owner", "—"))]
    elif entity.kind in ("Process", "Practice", "Service"):
        facts.append(("owner", spec.get("owner", "—")))
        for key in ("purpose", "description"):
            if isinstance(spec.get(key), str):
                facts.append((key, spec[key]))
        if isinstance(spec.get("activities"), list):
            facts.append(("activities", len(spec["activities"])))
    if doc is not None and isinstance(doc.data.get("metadata"), dict):
        reviewed = doc.data["metadata"].get("lastReviewed")
        if reviewed is not None:
            facts.append(("last reviewed", reviewed))
    return facts
