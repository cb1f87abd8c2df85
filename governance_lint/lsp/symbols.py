"""Document symbols: a file's documents, and a process's activities, KPIs, CSFs and terms."""

from __future__ import annotations

from typing import Any

from lsprotocol import types as lsp

from ..model import Document
from .session import Snapshot
from .text import Text


def symbols(snapshot: Snapshot, rel: str) -> list[lsp.DocumentSymbol]:
    """The symbols of a file as the model holds it (its buffer, parsed by the model)."""
    repository = snapshot.repository
    return document_symbols(repository.documents(rel), Text(repository.text(rel) or "", snapshot.encoding))


_ITEMS = (
    ("activities", "activity", lsp.SymbolKind.Method),
    ("kpis", "KPI", lsp.SymbolKind.Property),
    ("csfs", "CSF", lsp.SymbolKind.Constant),
    ("terms", "term", lsp.SymbolKind.String),
)


def document_symbols(documents: tuple[Document, ...], text: Text) -> list[lsp.DocumentSymbol]:
    symbols = []
    last_line = max(len(text.starts), 1)
    starts = [d.start.line for d in documents] + [last_line + 1]
    for number, doc in enumerate(documents):
        if doc.data is None or not isinstance(doc.data, dict) or doc.kind is None:
            continue
        end_line = max(starts[number + 1] - 1, doc.start.line)
        whole = lsp.Range(
            text.position(doc.start.line, 1), text.position(end_line, len(text.line(end_line)) + 1)
        )
        children = []
        for key, label, symbol_kind in _ITEMS:
            items = doc.spec.get(key)
            for i, item in enumerate(items if isinstance(items, list) else []):
                name = _item_name(item)
                if name is None:
                    continue
                pos = doc.position(("spec", key, i))
                here = text.range(pos.line, pos.column, len(text.line(pos.line)) + 1)
                children.append(
                    lsp.DocumentSymbol(
                        name=name, kind=symbol_kind, range=here, selection_range=here, detail=label
                    )
                )
        ident = doc.id or "(no id)"
        pos = doc.position(("metadata", "id")) if doc.id else doc.start
        selection = text.range(pos.line, pos.column, pos.column + len(ident))
        if not (whole.start.line <= selection.start.line <= whole.end.line):
            selection = lsp.Range(whole.start, whole.start)
        metadata = doc.data.get("metadata")
        name = metadata.get("name") if isinstance(metadata, dict) else None
        symbols.append(
            lsp.DocumentSymbol(
                name=f"{doc.kind} {ident}",
                kind=lsp.SymbolKind.Class,
                range=whole,
                selection_range=selection,
                children=children,
                detail=name if isinstance(name, str) else None,
            )
        )
    return symbols


def _item_name(item: Any) -> str | None:
    if not isinstance(item, dict):
        return None
    for key in ("id", "term", "ref"):
        value = item.get(key)
        if isinstance(value, str):
            return value
    return None
