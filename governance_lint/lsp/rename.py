"""Rename: one workspace edit of an entity's id and every reference to it (``editing.plan_rename``)."""

from __future__ import annotations

from lsprotocol import types as lsp

from ..editing import plan_rename
from .navigation import target_at
from .session import Snapshot
from .text import Text


def rename(snapshot: Snapshot, target: str, new_name: str) -> lsp.WorkspaceEdit:
    """One workspace edit: the id and every reference to it, nothing else (EditError when refused)."""
    change = plan_rename(snapshot.repository.index, target, new_name, snapshot.source)
    changes: dict[str, list[lsp.TextEdit]] = {}
    for path, edits in change.edits.items():
        text = Text(change.texts[path], snapshot.encoding)
        changes[snapshot.uri(path)] = [
            lsp.TextEdit(
                range=lsp.Range(text.at_offset(e.offset), text.at_offset(e.offset + e.length)), new_text=e.new
            )
            for e in edits
        ]
    return lsp.WorkspaceEdit(changes=changes)


def prepare_rename(
    snapshot: Snapshot, rel: str, text: Text, line: int, column: int
) -> lsp.PrepareRenamePlaceholder | None:
    index = snapshot.repository.index
    target = target_at(snapshot, rel, text, line, column)
    if target is None or target.partition(":")[0] == "term" or not index.definitions(target):
        return None
    found = text.reference_at(line, column)
    if found is not None:
        _, start, end = found
        start = end - len(target.partition(":")[2])
    else:
        entity = index.definitions(target)[0]
        quoted = text.line(line)[entity.site.column - 1 : entity.site.column] in ("'", '"')
        start = entity.site.column + quoted
        end = start + len(entity.id)
    return lsp.PrepareRenamePlaceholder(
        range=text.range(line, start, end), placeholder=target.partition(":")[2]
    )
