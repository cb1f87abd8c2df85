"""``govlint lsp``: the protocol plumbing (pygls) around the live repository and the features.

Every buffer the editor opens or changes is laid over the repository and
checked again on its own; then every open file's diagnostics are computed
with the whole repository as context and published (the edited file always,
the others when what they show changed).  Nothing a buffer holds can stop
the server: a request that fails is answered with an error or a diagnostic,
and the next one is served.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import sys
import time
import traceback
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any, TypeVar

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from .. import __version__
from ..editing import EditError
from ..workspace import LiveRepository
from . import features
from .text import Text

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])
WATCHED = "**/{*.yaml,*.yml,*.toml,*.py,*.json}"
# While edits that rerun the repository rules follow each other within BUSY_SECONDS, the next one waits
# DEBOUNCE_SECONDS for those queued behind it, so typing a reference does not build a backlog.
BUSY_SECONDS = 0.3
DEBOUNCE_SECONDS = 0.015


class GovlintServer(LanguageServer):
    """The language server: one live repository (the workspace root's) and what was last published."""

    def __init__(self) -> None:
        super().__init__("govlint", __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental)
        self.repository: LiveRepository | None = None
        self.published: dict[str, list[lsp.Diagnostic]] = {}
        self.failed: str | None = None  # why the repository could not be loaded, if it could not
        self.dirty: set[str] = set()  # buffers changed since their diagnostics were last published
        self.pending: asyncio.TimerHandle | None = None
        self.last_flush = 0.0

    @property
    def live(self) -> LiveRepository:
        """The repository, once loaded (request handlers run only then: see ``_answer``)."""
        assert self.repository is not None
        return self.repository

    # -- paths ----------------------------------------------------------------------------

    def rel(self, uri: str) -> str | None:
        """The repository-relative path of a ``file:`` URI (None: not in the repository)."""
        path = to_fs_path(uri) if uri.startswith("file:") else None
        if path is None or self.repository is None:
            return None
        return self.repository.relative(Path(path))

    def uri(self, rel: str) -> str:
        assert self.repository is not None
        return from_fs_path(str(self.repository.root / rel)) or rel

    @property
    def encoding(self) -> str:
        """The position encoding agreed with the client (UTF-16 unless it offered another)."""
        return str(self.workspace.position_encoding or "utf-16")

    def text(self, rel: str) -> Text:
        assert self.repository is not None
        return Text(self.repository.text(rel) or "", self.encoding)

    # -- loading and publishing ------------------------------------------------------------

    def load(self, start: Path | None = None) -> None:
        """(Re)load config, plugins, baseline and every file; a broken config is said, not fatal.

        The repository is found from the workspace folder as ``check`` finds it from a folder; an
        editor that names no folder gets the repository of the first file it opens (``start``).
        """
        folders = [f.uri for f in self.workspace.folders.values()] if self.workspace.folders else []
        root = self.workspace.root_path or next((to_fs_path(uri) for uri in folders), None)
        origin = Path(root) if root else start
        if self.repository is None and origin is None:
            return  # no folder yet: wait for the first file
        try:
            if self.repository is None:
                assert origin is not None
                self.repository = LiveRepository(origin)
            else:
                self.repository.load()
        except Exception as exc:
            # Said once; tried again when the config, a plugin or the baseline is saved or changes.
            self.failed = f"govlint: {exc}; fix it and save"
            self.window_show_message(lsp.ShowMessageParams(type=lsp.MessageType.Error, message=self.failed))
            return
        self.failed = None
        for uri, document in self.workspace.text_documents.items():
            rel = self.rel(uri)
            if rel is not None:
                self.repository.set_buffer(rel, document.source)

    def open_files(self) -> dict[str, str]:
        """Repository-relative path -> URI of every open buffer in the repository."""
        return {rel: uri for uri in self.workspace.text_documents if (rel := self.rel(uri)) is not None}

    def changed(self, uri: str) -> None:
        """A buffer changed: publish now, or, while edits that rerun the repository rules come in
        quick succession, once they pause (edits queued behind a slow one are then taken together)."""
        assert self.repository is not None
        self.dirty.add(uri)
        if self.pending is not None:
            return  # the scheduled flush takes this edit too
        busy = time.monotonic() - self.last_flush < BUSY_SECONDS
        if self.repository.up_to_date(self.open_files()) or not busy:
            self.flush()
            return
        try:
            self.pending = asyncio.get_running_loop().call_later(DEBOUNCE_SECONDS, self.flush)
        except RuntimeError:  # no event loop (never under start_io): publish at once
            self.flush()

    def flush(self) -> None:
        """Publish for every changed buffer (and any other open file whose diagnostics changed)."""
        if self.pending is not None:
            self.pending.cancel()
            self.pending = None
        dirty, self.dirty = self.dirty, set()
        try:
            self.publish(always=dirty)
        except Exception as exc:
            for uri in dirty:
                self.buffer_failed(uri, exc)
        self.last_flush = time.monotonic()

    def publish(self, always: Collection[str] = ()) -> None:
        """Diagnostics of every open file in the repository: ``always`` these, the rest when changed."""
        if self.repository is None:
            return
        open_files = self.open_files()
        found = self.repository.diagnostics(open_files)
        order = sorted(open_files.items(), key=lambda item: item[1] not in always)
        for rel, uri in order:
            text = Text(self.repository.buffers.get(rel, ""), self.encoding)
            diagnostics = [features.to_lsp_diagnostic(d, text) for d in found.get(rel, [])]
            if uri not in always and self.published.get(uri) == diagnostics:
                continue
            self.published[uri] = diagnostics
            version = self.workspace.get_text_document(uri).version
            self.text_document_publish_diagnostics(
                lsp.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version)
            )

    def clear(self, uri: str) -> None:
        self.published.pop(uri, None)
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def buffer_failed(self, uri: str, exc: BaseException) -> None:
        """Say on the buffer itself that it could not be checked, and keep serving."""
        log.error("govlint could not check %s: %s", uri, "".join(traceback.format_exception(exc)))
        at = lsp.Range(lsp.Position(0, 0), lsp.Position(0, 1))
        message = f"govlint could not check this file: {type(exc).__name__}: {exc}"[:500]
        self.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(
                uri=uri,
                diagnostics=[
                    lsp.Diagnostic(
                        range=at,
                        message=message,
                        severity=lsp.DiagnosticSeverity.Error,
                        code="GOV001",
                        source=features.SOURCE,
                    )
                ],
            )
        )


server = GovlintServer()


def _answer(default: Any = None) -> Callable[[F], F]:
    """A request handler that answers ``default`` (and logs) instead of failing on a surprise."""

    def wrap(fn: F) -> F:
        @functools.wraps(fn)
        def guarded(ls: GovlintServer, params: Any) -> Any:
            if ls.repository is None:
                return default
            try:
                return fn(ls, params)
            except JsonRpcException:
                raise
            except Exception:
                log.exception("govlint: %s failed", fn.__name__)
                return default

        return guarded  # type: ignore[return-value]

    return wrap


def _where(ls: GovlintServer, params: Any) -> tuple[str, Text, int, int] | None:
    """The file, its text and the 1-based line and column of a positional request."""
    rel = ls.rel(params.text_document.uri)
    if rel is None:
        return None
    text = ls.text(rel)
    line, column = text.column(params.position)
    return rel, text, line, column


def _target(ls: GovlintServer, params: Any) -> str | None:
    """The ``KIND:ID`` under the cursor of a positional request."""
    where = _where(ls, params)
    return features.target_at(ls.live, *where) if where else None


# -- document synchronisation ------------------------------------------------------------


@server.feature(lsp.INITIALIZED)
def initialized(ls: GovlintServer, params: lsp.InitializedParams) -> None:
    ls.load()
    watched = ls.client_capabilities.workspace and ls.client_capabilities.workspace.did_change_watched_files
    if watched and watched.dynamic_registration:
        ls.client_register_capability(
            lsp.RegistrationParams(
                registrations=[
                    lsp.Registration(
                        id="govlint-watched-files",
                        method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                        register_options=lsp.DidChangeWatchedFilesRegistrationOptions(
                            watchers=[lsp.FileSystemWatcher(glob_pattern=WATCHED)]
                        ),
                    )
                ]
            )
        )
    ls.publish()


def _buffer_changed(ls: GovlintServer, uri: str) -> None:
    if ls.repository is None and ls.failed is None and (path := to_fs_path(uri)) is not None:
        ls.load(start=Path(path).parent)
    rel = ls.rel(uri)
    if rel is None or ls.repository is None:
        return
    try:
        ls.repository.set_buffer(rel, ls.workspace.get_text_document(uri).source)
    except Exception as exc:
        ls.buffer_failed(uri, exc)
        return
    ls.changed(uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: GovlintServer, params: lsp.DidOpenTextDocumentParams) -> None:
    _buffer_changed(ls, params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: GovlintServer, params: lsp.DidChangeTextDocumentParams) -> None:
    _buffer_changed(ls, params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: GovlintServer, params: lsp.DidCloseTextDocumentParams) -> None:
    rel = ls.rel(params.text_document.uri)
    ls.clear(params.text_document.uri)
    if rel is None or ls.repository is None:
        return
    try:
        ls.repository.set_buffer(rel, None)
        ls.publish()
    except Exception:
        log.exception("govlint: closing %s failed", rel)


@server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: GovlintServer, params: lsp.DidSaveTextDocumentParams) -> None:
    if ls.repository is None and (path := to_fs_path(params.text_document.uri)) is not None:
        ls.load(start=Path(path).parent)  # the config may have been fixed
        ls.publish()
        return
    rel = ls.rel(params.text_document.uri)
    if rel is not None and ls.repository is not None and ls.repository.is_setting(rel):
        ls.load()
        ls.publish()


@server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def did_change_watched_files(ls: GovlintServer, params: lsp.DidChangeWatchedFilesParams) -> None:
    if ls.repository is None:
        ls.load()
        ls.publish()
        return
    changed = [rel for change in params.changes if (rel := ls.rel(change.uri)) is not None]
    try:
        if any(ls.repository.is_setting(rel) for rel in changed):
            ls.load()
        else:
            for rel in changed:
                if rel not in ls.repository.buffers:
                    ls.repository.file_changed(rel)
        ls.publish()
    except Exception:
        log.exception("govlint: a watched-file change failed")


# -- navigation --------------------------------------------------------------------------


@server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
@_answer(default=None)
def definition(ls: GovlintServer, params: lsp.DefinitionParams) -> list[lsp.Location] | None:
    target = _target(ls, params)
    return features.definition(ls.live, ls.uri, target, ls.encoding) or None if target else None


@server.feature(lsp.TEXT_DOCUMENT_REFERENCES)
@_answer(default=None)
def references(ls: GovlintServer, params: lsp.ReferenceParams) -> list[lsp.Location] | None:
    target = _target(ls, params)
    if target is None:
        return None
    return features.references(ls.live, ls.uri, target, params.context.include_declaration, ls.encoding)


@server.feature(lsp.TEXT_DOCUMENT_HOVER)
@_answer(default=None)
def hover(ls: GovlintServer, params: lsp.HoverParams) -> lsp.Hover | None:
    target = _target(ls, params)
    if target is None:
        return None
    content = lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=features.hover(ls.live, target))
    return lsp.Hover(contents=content)


@server.feature(lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(trigger_characters=[":"]))
@_answer(default=None)
def completion(ls: GovlintServer, params: lsp.CompletionParams) -> lsp.CompletionList | None:
    where = _where(ls, params)
    if where is None:
        return None
    _, text, line, column = where
    return features.completion(ls.live, text, line, column)


@server.feature(lsp.TEXT_DOCUMENT_PREPARE_RENAME)
@_answer(default=None)
def prepare_rename(ls: GovlintServer, params: lsp.PrepareRenameParams) -> lsp.PrepareRenamePlaceholder | None:
    where = _where(ls, params)
    return features.prepare_rename(ls.live, *where) if where else None


@server.feature(lsp.TEXT_DOCUMENT_RENAME, lsp.RenameOptions(prepare_provider=True))
@_answer(default=None)
def rename(ls: GovlintServer, params: lsp.RenameParams) -> lsp.WorkspaceEdit | None:
    target = _target(ls, params)
    if target is None:
        raise JsonRpcInvalidParams(
            message="govlint: put the cursor on an entity id or a reference to rename it"
        )
    try:
        return features.rename(ls.live, ls.uri, target, params.new_name, ls.encoding)
    except EditError as exc:
        raise JsonRpcInvalidParams(message=f"govlint: {exc}") from None


@server.feature(
    lsp.TEXT_DOCUMENT_CODE_ACTION, lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix])
)
@_answer(default=None)
def code_action(ls: GovlintServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction] | None:
    rel = ls.rel(params.text_document.uri)
    if rel is None:
        return None
    return (
        features.code_actions(ls.live, params.text_document.uri, ls.text(rel), params.context.diagnostics)
        or None
    )


@server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
@_answer(default=None)
def document_symbol(ls: GovlintServer, params: lsp.DocumentSymbolParams) -> list[lsp.DocumentSymbol] | None:
    rel = ls.rel(params.text_document.uri)
    if rel is None:
        return None
    return features.document_symbols(ls.live.documents(rel), ls.text(rel))


def serve() -> None:
    """Serve one editor on standard input and output until it says exit."""
    logging.basicConfig(level=logging.WARNING, format="govlint-lsp: %(levelname)s: %(message)s")
    try:
        server.start_io()
    finally:
        # The protocol owned standard output and closed it on exit: nothing else may write there.
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
