"""``govlint lsp``: the protocol wiring (pygls) from each request to the module that answers it.

Notifications hand what changed to the session (``session.py``), which keeps
the repository on its worker thread; requests are answered there
(``navigation``, ``hover``, ``completion``, ``rename``, ``actions``,
``symbols``), or with nothing while it loads.  Nothing a buffer holds can stop
the server: a request that fails is answered with nothing and logged, and the
next one is served.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer

from .. import __version__
from ..editing import EditError
from ..workspace import Settings
from . import actions, completion, hover, navigation, rename, symbols
from .session import Session, Snapshot
from .text import Text

log = logging.getLogger(__name__)

WATCHED = "**/{*.yaml,*.yml,*.toml,*.py,*.json}"


class GovlintServer(LanguageServer):
    """The language server: one session over the workspace root's repository."""

    def __init__(self) -> None:
        super().__init__("govlint", __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental)
        self.session = Session(self)


server = GovlintServer()


def _where(snapshot: Snapshot, params: Any) -> tuple[str, Text, int, int] | None:
    """The file, its text and the 1-based line and column of a positional request."""
    rel = snapshot.rel(params.text_document.uri)
    if rel is None:
        return None
    text = snapshot.text(rel)
    line, column = text.column(params.position)
    return rel, text, line, column


def _target(snapshot: Snapshot, params: Any) -> str | None:
    """The ``KIND:ID`` under the cursor of a positional request."""
    where = _where(snapshot, params)
    return navigation.target_at(snapshot, *where) if where else None


# -- document synchronisation ------------------------------------------------------------


@server.feature(lsp.INITIALIZED)
def initialized(ls: GovlintServer, params: lsp.InitializedParams) -> None:
    ls.session.load()
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


@server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: GovlintServer, params: lsp.DidOpenTextDocumentParams) -> None:
    ls.session.edited(params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: GovlintServer, params: lsp.DidChangeTextDocumentParams) -> None:
    ls.session.edited(params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: GovlintServer, params: lsp.DidCloseTextDocumentParams) -> None:
    ls.session.closed(params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: GovlintServer, params: lsp.DidSaveTextDocumentParams) -> None:
    ls.session.saved(params.text_document.uri)


@server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def did_change_watched_files(ls: GovlintServer, params: lsp.DidChangeWatchedFilesParams) -> None:
    ls.session.files_changed(change.uri for change in params.changes)


# -- requests: each answered on the session's worker, by its own module -------------------------


def _definition(snapshot: Snapshot, params: lsp.DefinitionParams) -> list[lsp.Location] | None:
    target = _target(snapshot, params)
    return navigation.definition(snapshot, target) or None if target else None


@server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
async def definition(ls: GovlintServer, params: lsp.DefinitionParams) -> list[lsp.Location] | None:
    return await ls.session.ask(None, _definition, params)  # type: ignore[no-any-return]


def _references(snapshot: Snapshot, params: lsp.ReferenceParams) -> list[lsp.Location] | None:
    target = _target(snapshot, params)
    if target is None:
        return None
    return navigation.references(snapshot, target, params.context.include_declaration)


@server.feature(lsp.TEXT_DOCUMENT_REFERENCES)
async def references(ls: GovlintServer, params: lsp.ReferenceParams) -> list[lsp.Location] | None:
    return await ls.session.ask(None, _references, params)  # type: ignore[no-any-return]


def _hover(snapshot: Snapshot, params: lsp.HoverParams) -> lsp.Hover | None:
    target = _target(snapshot, params)
    if target is None:
        return None
    value = hover.hover(snapshot, target)
    return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=value))


@server.feature(lsp.TEXT_DOCUMENT_HOVER)
async def on_hover(ls: GovlintServer, params: lsp.HoverParams) -> lsp.Hover | None:
    return await ls.session.ask(None, _hover, params)  # type: ignore[no-any-return]


def _completion(snapshot: Snapshot, params: lsp.CompletionParams) -> lsp.CompletionList | None:
    where = _where(snapshot, params)
    if where is None:
        return None
    _, text, line, column = where
    return completion.completion(snapshot, text, line, column)


@server.feature(lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(trigger_characters=[":"]))
async def on_completion(ls: GovlintServer, params: lsp.CompletionParams) -> lsp.CompletionList | None:
    return await ls.session.ask(None, _completion, params)  # type: ignore[no-any-return]


def _prepare_rename(
    snapshot: Snapshot, params: lsp.PrepareRenameParams
) -> lsp.PrepareRenamePlaceholder | None:
    where = _where(snapshot, params)
    return rename.prepare_rename(snapshot, *where) if where else None


@server.feature(lsp.TEXT_DOCUMENT_PREPARE_RENAME)
async def prepare_rename(
    ls: GovlintServer, params: lsp.PrepareRenameParams
) -> lsp.PrepareRenamePlaceholder | None:
    return await ls.session.ask(None, _prepare_rename, params)  # type: ignore[no-any-return]


def _rename(snapshot: Snapshot, params: lsp.RenameParams) -> lsp.WorkspaceEdit | None:
    target = _target(snapshot, params)
    if target is None:
        raise JsonRpcInvalidParams(
            message="govlint: put the cursor on an entity id or a reference to rename it"
        )
    try:
        return rename.rename(snapshot, target, params.new_name)
    except EditError as exc:
        raise JsonRpcInvalidParams(message=f"govlint: {exc}") from None


@server.feature(lsp.TEXT_DOCUMENT_RENAME, lsp.RenameOptions(prepare_provider=True))
async def on_rename(ls: GovlintServer, params: lsp.RenameParams) -> lsp.WorkspaceEdit | None:
    return await ls.session.ask(None, _rename, params)  # type: ignore[no-any-return]


def _code_action(snapshot: Snapshot, params: lsp.CodeActionParams) -> list[lsp.CodeAction] | None:
    rel = snapshot.rel(params.text_document.uri)
    if rel is None:
        return None
    found = actions.code_actions(
        snapshot, params.text_document.uri, snapshot.text(rel), params.context.diagnostics
    )
    return found or None


@server.feature(
    lsp.TEXT_DOCUMENT_CODE_ACTION, lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix])
)
async def code_action(ls: GovlintServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction] | None:
    return await ls.session.ask(None, _code_action, params)  # type: ignore[no-any-return]


def _document_symbol(snapshot: Snapshot, params: lsp.DocumentSymbolParams) -> list[lsp.DocumentSymbol] | None:
    rel = snapshot.rel(params.text_document.uri)
    return symbols.symbols(snapshot, rel) or None if rel is not None else None


@server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
async def document_symbol(
    ls: GovlintServer, params: lsp.DocumentSymbolParams
) -> list[lsp.DocumentSymbol] | None:
    return await ls.session.ask(None, _document_symbol, params)  # type: ignore[no-any-return]


def serve(settings: Settings | None = None) -> None:
    """Serve one editor on standard input and output until it says exit, with the command line's shared
    options (``--config``, ``--isolated``, ``--today``, ``--limit``, ``--jobs``, ``--no-cache``)."""
    if settings is not None:
        server.session.settings = settings
    logging.basicConfig(level=logging.WARNING, format="govlint-lsp: %(levelname)s: %(message)s")
    # The protocol reads and writes its own file objects over the standard streams; sys.stdin and
    # sys.stdout lead nowhere.  The repository loads on a worker thread and may fork checking processes
    # while the protocol's reader is blocked on its stream's lock: a forked process closes sys.stdin
    # and flushes sys.stdout as it starts and ends, and must not find that lock taken.
    stdin = open(sys.stdin.fileno(), "rb", closefd=False)  # noqa: SIM115 - lives as long as the process
    stdout = open(sys.stdout.fileno(), "wb", closefd=False)  # noqa: SIM115 - lives as long as the process
    sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115 - lives as long as the process
    sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
    try:
        server.start_io(stdin, stdout)
    finally:
        # The protocol owned standard output and closed it on exit: nothing else may write there.
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
