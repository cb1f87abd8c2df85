"""Completion: inside a reference, the ids of its kind with their names; at a person-valued key, persons."""

from __future__ import annotations

import re

from lsprotocol import types as lsp

from ..model import DEFINED_BY
from .session import Snapshot
from .text import Text

MAX_COMPLETIONS = 200
# A value that holds a person: `owner: wi|`, `accountable: |`, a manager's `- person: |`.
_PERSON_VALUE = re.compile(
    r"^\s*(?:-\s+)?(?:owner|accountable|administrator|lead|person)\s*:\s*"
    r"(?P<partial>[a-z0-9-]*)$"
)
_IN_REFERENCE = re.compile(
    r"(?:^|[\s\[,{'\"])(?P<kind>person|team|process|practice|service|policy|term):"
    r"(?P<partial>[a-z0-9-]*)$"
)


def completion(snapshot: Snapshot, text: Text, line: int, column: int) -> lsp.CompletionList:
    """Ids of the kind being typed (with names); at a person-valued key, ``person:`` ids.

    In a large repository only the first MAX_COMPLETIONS that contain what was typed are sent, and
    the list says it is incomplete, so the editor asks again as the user types on.
    """
    source = text.line(line)
    prefix = source[: column - 1]
    rest = re.match(r"[A-Za-z0-9._-]*", source[column - 1 :])
    end = column + (len(rest.group()) if rest else 0)
    reference = _IN_REFERENCE.search(prefix)
    found = reference or _PERSON_VALUE.match(prefix)
    if found is None:
        return lsp.CompletionList(is_incomplete=False, items=[])
    kind = reference.group("kind") if reference else "person"
    start = (reference.start("kind") if reference else found.start("partial")) + 1
    typed = found.group("partial")
    edit_range = text.range(line, start, end)
    index = snapshot.repository.index
    candidates: dict[str, tuple[str | None, str | None]] = {}
    if kind == "term":
        for term in index.glossary():
            candidates.setdefault(f"term:{term.slug}", (term.term, term.definition))
    else:
        for entity in index.of_kind(DEFINED_BY[kind]):
            candidates.setdefault(entity.key, (entity.name, None))
    matching = [
        (label, name, doc)
        for label, (name, doc) in candidates.items()
        if typed in label.partition(":")[2] or typed in (name or "").lower()
    ]
    items = [_item(label, name, doc, edit_range) for label, name, doc in matching[:MAX_COMPLETIONS]]
    return lsp.CompletionList(is_incomplete=len(matching) > MAX_COMPLETIONS, items=items)


def _item(
    label: str, name: str | None, documentation: str | None, edit_range: lsp.Range
) -> lsp.CompletionItem:
    return lsp.CompletionItem(
        label=label,
        kind=lsp.CompletionItemKind.Reference,
        detail=name,
        documentation=documentation,  # plain text: the editor shows it as it is
        filter_text=label,
        text_edit=lsp.TextEdit(range=edit_range, new_text=label),
    )
