"""What each editor request answers, computed from the live repository (no protocol plumbing here)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from lsprotocol import types as lsp

from ..editing import KIND_NAMES, Occurrence, occurrences, plan_rename, suggestions
from ..index import Entity, RepositoryIndex, Term
from ..model import Diagnostic, Document, Severity
from ..workspace import LiveRepository
from .text import Text

SOURCE = "govlint"
MAX_COMPLETIONS = 200
UNRESOLVED = ("GOV005", "GOV301", "GOV402")
_SEVERITY = {
    Severity.ERROR: lsp.DiagnosticSeverity.Error,
    Severity.WARNING: lsp.DiagnosticSeverity.Warning,
    Severity.INFO: lsp.DiagnosticSeverity.Information,
}
_KIND_OF = {
    "Person": "person",
    "Team": "team",
    "Process": "process",
    "Practice": "practice",
    "Service": "service",
    "Policy": "policy",
}
# A value that holds a person: `owner: wi|`, `accountable: |`, a manager's `- person: |`.
_PERSON_VALUE = re.compile(
    r"^\s*(?:-\s+)?(?:owner|accountable|administrator|lead|person)\s*:\s*"
    r"(?P<partial>[a-z0-9-]*)$"
)
_IN_REFERENCE = re.compile(
    r"(?:^|[\s\[,{'\"])(?P<kind>person|team|process|practice|service|policy|term):"
    r"(?P<partial>[a-z0-9-]*)$"
)
_IGNORE_LINE = "{indent}# govlint: ignore[{code}] -- reason{newline}"

Locate = Callable[[str], str]  # a root-relative path -> its URI


def to_lsp_diagnostic(d: Diagnostic, text: Text) -> lsp.Diagnostic:
    return lsp.Diagnostic(
        range=text.token_range(d.line, d.column),
        message=d.message,
        severity=_SEVERITY[d.severity],
        code=d.code,
        source=SOURCE,
        data={"name": d.name},
    )


# -- what is under the cursor ------------------------------------------------------


def target_at(repository: LiveRepository, rel: str, text: Text, line: int, column: int) -> str | None:
    """The ``KIND:ID`` of what the cursor is on: a reference, an entity's id, a Glossary term."""
    found = text.reference_at(line, column)
    if found is not None:
        return found[0]
    for entity in repository.index.entities:
        if (
            entity.path == rel
            and entity.site.line == line
            and _within(text, entity.site.line, entity.site.column, entity.id, column)
        ):
            return entity.key
        for term in entity.terms if entity.path == rel and entity.kind == "Glossary" else ():
            if term.site.line == line and _within(text, line, term.site.column, term.term, column):
                return f"term:{term.slug}"
    return None


def _within(text: Text, line: int, start: int, literal: str, column: int) -> bool:
    at = start + 1 if text.line(line)[start - 1 : start] in ("'", '"') else start
    return at <= column <= at + len(literal)


# -- navigation -----------------------------------------------------------------------


def _location(repository: LiveRepository, locate: Locate, site: Occurrence, encoding: str) -> lsp.Location:
    text = Text(repository.text(site.path) or "", encoding)
    start = (
        site.column + 1 if text.line(site.line)[site.column - 1 : site.column] in ("'", '"') else site.column
    )
    return lsp.Location(uri=locate(site.path), range=text.range(site.line, start, start + len(site.text)))


def definition(repository: LiveRepository, locate: Locate, target: str, encoding: str) -> list[lsp.Location]:
    return [
        _location(repository, locate, s, encoding)
        for s in occurrences(repository.index, target)
        if s.definition
    ]


def references(
    repository: LiveRepository, locate: Locate, target: str, include_declaration: bool, encoding: str
) -> list[lsp.Location]:
    return [
        _location(repository, locate, s, encoding)
        for s in occurrences(repository.index, target)
        if include_declaration or not s.definition
    ]


def hover(repository: LiveRepository, target: str) -> str:
    """Markdown about an entity: kind, name, where it is, and its key facts."""
    index = repository.index
    kind, _, ident = target.partition(":")
    if kind == "term":
        term = _glossary_term(index, ident)
        if term is None:
            return f"`{target}` names no Glossary term{_did_you_mean(index, target)}"
        return (
            f"**Glossary term** {term.term} (`{target}`)\n\n{term.definition or '(no definition)'}"
            f"\n\n*{term.site.path}:{term.site.line}*"
        )
    entity = index.resolve(target)
    if entity is None:
        return f"`{target}` names no {KIND_NAMES.get(kind, kind)}{_did_you_mean(index, target)}"
    lines = [f"**{entity.kind}** {entity.name or entity.id} (`{entity.key}`)", ""]
    lines.extend(f"- {label}: {value}" for label, value in _facts(index, entity))
    lines.append(f"\n*{entity.path}:{entity.site.line}*")
    return "\n".join(lines)


def _did_you_mean(index: RepositoryIndex, target: str) -> str:
    close = suggestions(index, target, 1)
    return f" (did you mean `{close[0]}`?)" if close else ""


def _glossary_term(index: RepositoryIndex, slug: str) -> Term | None:
    return next((t for t in index.terms() if t.glossary and t.slug == slug), None)


def _facts(index: RepositoryIndex, entity: Entity) -> list[tuple[str, Any]]:
    doc = index.document(entity)
    spec = doc.spec if doc is not None else {}
    facts: list[tuple[str, Any]] = []
    if entity.kind == "Person":
        facts += [("email", spec.get("email", "—")), ("active", "yes" if entity.active else "**no**")]
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
                facts.append((key, " ".join(spec[key].split())))
        if isinstance(spec.get("activities"), list):
            facts.append(("activities", len(spec["activities"])))
    if doc is not None and isinstance(doc.data.get("metadata"), dict):
        reviewed = doc.data["metadata"].get("lastReviewed")
        if reviewed is not None:
            facts.append(("last reviewed", reviewed))
    return facts


# -- completion ------------------------------------------------------------------------


def completion(repository: LiveRepository, text: Text, line: int, column: int) -> lsp.CompletionList:
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
    index = repository.index
    candidates: dict[str, tuple[str | None, str | None]] = {}
    if kind == "term":
        for term in index.terms():
            if term.glossary:
                candidates.setdefault(f"term:{term.slug}", (term.term, term.definition))
    else:
        for entity in index.of_kind(*[k for k, v in _KIND_OF.items() if v == kind]):
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
        documentation=documentation,
        filter_text=label,
        text_edit=lsp.TextEdit(range=edit_range, new_text=label),
    )


# -- rename -----------------------------------------------------------------------------


def rename(
    repository: LiveRepository, locate: Locate, target: str, new_name: str, encoding: str
) -> lsp.WorkspaceEdit:
    """One workspace edit: the id and every reference to it, nothing else (EditError when refused)."""
    change = plan_rename(repository.index, target, new_name, repository.text)
    changes: dict[str, list[lsp.TextEdit]] = {}
    for path, edits in change.edits.items():
        text = Text(change.texts[path], encoding)
        changes[locate(path)] = [
            lsp.TextEdit(
                range=lsp.Range(text.at_offset(e.offset), text.at_offset(e.offset + e.length)), new_text=e.new
            )
            for e in edits
        ]
    return lsp.WorkspaceEdit(changes=changes)


def prepare_rename(
    repository: LiveRepository, rel: str, text: Text, line: int, column: int
) -> lsp.PrepareRenamePlaceholder | None:
    target = target_at(repository, rel, text, line, column)
    if target is None or target.partition(":")[0] == "term" or not repository.index.definitions(target):
        return None
    found = text.reference_at(line, column)
    if found is not None:
        _, start, end = found
        start = end - len(target.partition(":")[2])
    else:
        entity = repository.index.definitions(target)[0]
        quoted = text.line(line)[entity.site.column - 1 : entity.site.column] in ("'", '"')
        start = entity.site.column + quoted
        end = start + len(entity.id)
    return lsp.PrepareRenamePlaceholder(
        range=text.range(line, start, end), placeholder=target.partition(":")[2]
    )


# -- code actions -------------------------------------------------------------------------


def code_actions(
    repository: LiveRepository, uri: str, text: Text, diagnostics: Sequence[lsp.Diagnostic]
) -> list[lsp.CodeAction]:
    actions: list[lsp.CodeAction] = []
    newline = "\r\n" if "\r\n" in text.source else "\n"
    for diagnostic in diagnostics:
        if diagnostic.source != SOURCE or not isinstance(diagnostic.code, str):
            continue
        line, column = text.column(diagnostic.range.start)
        if diagnostic.code in UNRESOLVED:
            found = text.reference_at(line, column)
            if found is not None:
                wrong, start, end = found
                for preferred, right in enumerate(suggestions(repository.index, wrong)):
                    edit = lsp.TextEdit(range=text.range(line, start, end), new_text=right)
                    actions.append(
                        lsp.CodeAction(
                            title=f"Replace {wrong} with {right}",
                            kind=lsp.CodeActionKind.QuickFix,
                            diagnostics=[diagnostic],
                            is_preferred=preferred == 0,
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


# -- document symbols ------------------------------------------------------------------------

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
