"""Code actions: the did-you-mean replacement of an unresolved reference, and a suppression comment.

One request may carry every diagnostic of a large file: the ids of each kind are gathered once for
the request (``editing.Suggestions``, on ``model.Vocabulary``) and the file's lines counted once.
"""

from __future__ import annotations

from collections.abc import Sequence

from lsprotocol import types as lsp

from ..editing import Suggestions
from .diagnostics import SOURCE
from .session import Snapshot
from .text import Text

UNRESOLVED = ("GOV005", "GOV301", "GOV402")
_IGNORE_LINE = "{indent}# govlint: ignore[{code}] -- reason{newline}"


def code_actions(
    snapshot: Snapshot, uri: str, text: Text, diagnostics: Sequence[lsp.Diagnostic]
) -> list[lsp.CodeAction]:
    actions: list[lsp.CodeAction] = []
    suggestions = Suggestions(snapshot.repository.index)
    newline = "\r\n" if "\r\n" in text.source else "\n"
    for diagnostic in diagnostics:
        if diagnostic.source != SOURCE or not isinstance(diagnostic.code, str):
            continue
        line, column = text.column(diagnostic.range.start)
        found = text.reference_at(line, column) if diagnostic.code in UNRESOLVED else None
        right = suggestions.closest(found[0]) if found is not None else None
        if found is not None and right is not None:
            wrong, start, end = found
            edit = lsp.TextEdit(range=text.range(line, start, end), new_text=right)
            actions.append(
                lsp.CodeAction(
                    title=f"Replace {wrong} with {right}",
                    kind=lsp.CodeActionKind.QuickFix,
                    diagnostics=[diagnostic],
                    is_preferred=True,
                    edit=lsp.WorkspaceEdit(changes={uri: [edit]}),
                )
            )
        source = text.line(line)
        indent = source[: len(source) - len(source.lstrip())]
        comment = _IGNORE_LINE.format(indent=indent, code=diagnostic.code, newline=newline)
        at = lsp.Position(line=line - 1, character=0)
        actions.append(
            lsp.CodeAction(
                title=f"Suppress {diagnostic.code} here (# govlint: ignore, with a reason)",
                kind=lsp.CodeActionKind.QuickFix,
                diagnostics=[diagnostic],
                edit=lsp.WorkspaceEdit(
                    changes={uri: [lsp.TextEdit(range=lsp.Range(at, at), new_text=comment)]}
                ),
            )
        )
    return actions
