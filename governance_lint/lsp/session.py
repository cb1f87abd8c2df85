"""The repository behind the editor, loaded, updated and read on one worker thread.

The request loop never waits for the model.  Loading the repository, following
an edit and computing diagnostics run on one worker thread, one job after
another; the loop only takes notifications, hands the worker what changed, and
answers requests:

- the first load (and a reload after a config, plugin or baseline change) runs
  on the worker; a request that arrives meanwhile is answered at once with
  nothing (no face reads a file behind the model, and the model is not there
  yet), and every open file's diagnostics are published when the load ends;
- edits are handed over in batches: while the worker follows one, the next
  ones wait and are taken together, so typing never builds a backlog;
- the edited files' diagnostics are published first: the repository rules
  check again only the entities in them before that, and the other entities
  the edit affects after it (``LiveRepository.diagnostics``); the other open
  files' diagnostics follow, published only when what they show changed;
- requests that read the model run on the worker too, after the edits
  handed over before them.

Buffers: the editor's documents (pygls' workspace) are the one copy the
server holds.  A job reads them through a ``Snapshot`` (the same string
objects, never copied) and hands them to the repository as its overlay.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from ..model import Diagnostic
from ..workspace import LiveRepository, Settings
from .diagnostics import could_not_check, to_lsp
from .text import Text

log = logging.getLogger(__name__)

T = TypeVar("T")


class Buffer(NamedTuple):
    """An open document as the editor last sent it (``source`` is the editor's own string)."""

    uri: str
    version: int | None
    source: str


@dataclass(frozen=True)
class Snapshot:
    """What one job reads: the repository and the open buffers at the moment it was handed over."""

    repository: LiveRepository
    encoding: str
    buffers: dict[str, Buffer] = field(default_factory=dict)  # repository-relative path -> buffer

    def rel(self, uri: str) -> str | None:
        """The repository-relative path of a ``file:`` URI (None: not in the repository)."""
        return _relative(self.repository, uri)

    def source(self, rel: str) -> str | None:
        """A file's text as the editor sees it: its buffer, else the file (None: unreadable)."""
        buffer = self.buffers.get(rel)
        return buffer.source if buffer is not None else self.repository.text(rel)

    def text(self, rel: str) -> Text:
        return Text(self.source(rel) or "", self.encoding)

    def uri(self, rel: str) -> str:
        buffer = self.buffers.get(rel)
        return buffer.uri if buffer is not None else from_fs_path(str(self.repository.root / rel)) or rel


@dataclass
class _Changes:
    """What the editor changed since the last job: handed over to the worker in one batch."""

    edited: set[str] = field(default_factory=set)  # URIs of buffers opened or changed
    closed: dict[str, str] = field(default_factory=dict)  # path -> URI of buffers closed
    on_disk: set[str] = field(default_factory=set)  # paths changed on disk
    everything: bool = False  # after a load: every open file is laid over and published

    def __bool__(self) -> bool:
        return bool(self.edited or self.closed or self.on_disk or self.everything)


class Session:
    """One repository (the workspace root's), its worker, and what was last published."""

    def __init__(self, server: LanguageServer, settings: Settings | None = None) -> None:
        self.server = server
        self.settings = settings or Settings()  # the command line's shared options (``govlint lsp --config``)
        self.repository: LiveRepository | None = None
        self.failed: str | None = None  # why the repository could not be loaded, if it could not
        self.loading = False
        self._reload = False  # a settings change arrived during a load: load again after it
        self._worker = _Worker()
        self._changes = _Changes()
        self._busy = False  # an update job is on the worker
        self._published: dict[str, tuple[Diagnostic, ...]] = {}  # read and written on the worker only
        self._loop: asyncio.AbstractEventLoop | None = None

    # -- on the request loop ----------------------------------------------------------------

    @property
    def encoding(self) -> str:
        """The position encoding agreed with the client (UTF-16 unless it offered another)."""
        return str(self.server.workspace.position_encoding or "utf-16")

    @property
    def ready(self) -> bool:
        """Whether requests can read the model now (loaded, and not loading again)."""
        return self.repository is not None and not self.loading

    def rel(self, uri: str) -> str | None:
        """The repository-relative path of a ``file:`` URI (None: not in the repository, or not loaded)."""
        return _relative(self.repository, uri) if self.repository is not None else None

    def snapshot(self) -> Snapshot:
        assert self.repository is not None
        buffers = {}
        for uri, document in self.server.workspace.text_documents.items():
            rel = self.rel(uri)
            if rel is not None:
                buffers[rel] = Buffer(uri, document.version, document.source)
        return Snapshot(self.repository, self.encoding, buffers)

    def load(self, start: Path | None = None) -> None:
        """(Re)load config, plugins, baseline and every file, on the worker; a broken config is said.

        The repository is found from the workspace folder as ``check`` finds it from a folder; an
        editor that names no folder gets the repository of the first file it opens (``start``).
        """
        if self.loading:
            self._reload = True
            return
        workspace = self.server.workspace
        folders = [f.uri for f in workspace.folders.values()] if workspace.folders else []
        root = workspace.root_path or next((to_fs_path(uri) for uri in folders), None)
        origin = Path(root) if root else start
        if self.repository is None and origin is None:
            return  # no folder yet: wait for the first file
        self.loading = True
        self._submit(_load, self.repository, origin, self.settings, then=self._loaded)

    def _loaded(self, future: Future[LiveRepository]) -> None:
        self.loading = False
        exc = future.exception()
        if exc is not None:
            # Said once; tried again when the config, a plugin or the baseline is saved or changes.
            log.info("govlint: loading failed", exc_info=exc)
            self.failed = f"govlint: {exc}; fix it and save"
            self.server.window_show_message(
                lsp.ShowMessageParams(type=lsp.MessageType.Error, message=self.failed)
            )
        else:
            self.repository = future.result()
            self.failed = None
            self._changes.everything = True
        if self._reload:
            self._reload = False
            self.load()
            return
        self.flush()

    def edited(self, uri: str) -> None:
        """A buffer was opened or changed."""
        if self.repository is None and not self.loading and self.failed is None:
            path = to_fs_path(uri)
            if path is not None:
                self.load(start=Path(path).parent)
        self._changes.edited.add(uri)
        self.flush()

    def closed(self, uri: str) -> None:
        """A buffer was closed: its diagnostics go; the file on disk counts again."""
        self.server.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
        self._changes.edited.discard(uri)
        rel = self.rel(uri)
        if rel is not None:
            self._changes.closed[rel] = uri
        self.flush()

    def files_changed(self, uris: Iterable[str]) -> None:
        """Files changed on disk: a setting reloads everything, another file is read again."""
        if self.repository is None:
            self.load()
            return
        changed = [rel for uri in uris if (rel := self.rel(uri)) is not None]
        if any(self.repository.is_setting(rel) for rel in changed):
            self.load()
            return
        self._changes.on_disk.update(changed)
        self.flush()

    def saved(self, uri: str) -> None:
        if self.repository is None:
            path = to_fs_path(uri)
            self.load(start=Path(path).parent if path else None)  # the config may have been fixed
            return
        rel = self.rel(uri)
        if rel is not None and self.repository.is_setting(rel):
            self.load()

    def flush(self) -> None:
        """Hand what changed to the worker, unless a job is already on it (then after that job)."""
        if self._busy or not self.ready or not self._changes:
            return
        changes, self._changes = self._changes, _Changes()
        snapshot = self.snapshot()
        self._busy = True
        self._submit(self._update, snapshot, changes, then=self._updated)

    def _updated(self, future: Future[None]) -> None:
        self._busy = False
        if future.exception() is not None:
            log.error("govlint: an update failed", exc_info=future.exception())
        self.flush()

    async def ask(self, default: Any, job: Callable[..., Any], *args: Any) -> Any:
        """Run a request's ``job(snapshot, *args)`` on the worker; ``default`` while loading or on a surprise."""
        if not self.ready:
            return default
        future = self._worker.submit(job, self.snapshot(), *args)
        try:
            return await asyncio.wrap_future(future)
        except JsonRpcException:
            raise
        except Exception:
            log.exception("govlint: %s failed", getattr(job, "__name__", job))
            return default

    def _submit(self, job: Callable[..., T], *args: Any, then: Callable[[Future[T]], None]) -> None:
        """Run ``job`` on the worker, then ``then(future)`` back on the loop."""
        loop = self._loop = self._loop or asyncio.get_running_loop()
        future = self._worker.submit(job, *args)
        future.add_done_callback(lambda done: loop.call_soon_threadsafe(then, done))

    def _post(self, params: lsp.PublishDiagnosticsParams) -> None:
        """Publish from the worker: the message is written by the loop, as every other one is."""
        assert self._loop is not None
        self._loop.call_soon_threadsafe(self._send, params)

    def _send(self, params: lsp.PublishDiagnosticsParams) -> None:
        """On the loop: findings for a buffer closed since the job began are not shown again."""
        if params.diagnostics and params.uri not in self.server.workspace.text_documents:
            return
        self.server.text_document_publish_diagnostics(params)

    # -- on the worker -------------------------------------------------------------------------

    def _update(self, snapshot: Snapshot, changes: _Changes) -> None:
        """Lay the changes over the repository, then publish: the edited files first, the others after."""
        repository, buffers = snapshot.repository, snapshot.buffers
        for rel, uri in changes.closed.items():
            self._published.pop(uri, None)
            if rel not in buffers:
                repository.set_buffer(rel, None)
        for rel in changes.on_disk:
            if rel not in buffers:
                repository.file_changed(rel)
        by_uri = {buffer.uri: rel for rel, buffer in buffers.items()}
        first = (
            sorted(buffers)
            if changes.everything
            else sorted(by_uri[u] for u in changes.edited if u in by_uri)
        )
        failed: dict[str, BaseException] = {}
        for rel in first:
            try:
                repository.set_buffer(rel, buffers[rel].source)
            except Exception as exc:
                failed[rel] = exc
        for rel, error in failed.items():
            self._failed(buffers[rel].uri, error)
        self._publish(snapshot, [rel for rel in first if rel not in failed], always=True)
        self._publish(snapshot, [rel for rel in buffers if rel not in first], always=False)
        try:
            repository.settle()  # the files no editor shows: checked now, not when the next edit comes
        except Exception:
            log.exception("govlint: following an edit failed")

    def _publish(self, snapshot: Snapshot, rels: list[str], *, always: bool) -> None:
        """The diagnostics of these open files: ``always``, or only those whose findings changed."""
        if not rels:
            return
        try:
            found = snapshot.repository.diagnostics(rels)
        except Exception as exc:
            for rel in rels if always else ():
                self._failed(snapshot.buffers[rel].uri, exc)
            if not always:
                log.exception("govlint: diagnostics failed")
            return
        for rel in rels:
            buffer = snapshot.buffers[rel]
            now = tuple(found.get(rel, ()))
            if not always and self._published.get(buffer.uri) == now:
                continue
            self._published[buffer.uri] = now
            text = Text(buffer.source, snapshot.encoding)
            self._post(
                lsp.PublishDiagnosticsParams(
                    uri=buffer.uri, diagnostics=[to_lsp(d, text) for d in now], version=buffer.version
                )
            )

    def _failed(self, uri: str, exc: BaseException) -> None:
        """Say on the buffer itself that it could not be checked, and keep serving."""
        log.error("govlint could not check %s", uri, exc_info=exc)
        self._published.pop(uri, None)
        self._post(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[could_not_check(exc)]))


def _relative(repository: LiveRepository, uri: str) -> str | None:
    path = to_fs_path(uri) if uri.startswith("file:") else None
    return repository.relative(Path(path)) if path is not None else None


class _Worker:
    """One daemon thread running jobs in order (a job still running never holds up the exit)."""

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[tuple[Future[Any], Callable[..., Any], tuple[Any, ...]]] = (
            queue.SimpleQueue()
        )
        threading.Thread(target=self._run, name="govlint-model", daemon=True).start()

    def submit(self, job: Callable[..., T], *args: Any) -> Future[T]:
        future: Future[T] = Future()
        self._jobs.put((future, job, args))
        return future

    def _run(self) -> None:
        while True:
            future, job, args = self._jobs.get()
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(job(*args))
            except BaseException as exc:
                future.set_exception(exc)


def _load(repository: LiveRepository | None, origin: Path | None, settings: Settings) -> LiveRepository:
    """Load the repository (the first time) or load it again (after a settings change)."""
    if repository is None:
        assert origin is not None
        return LiveRepository(
            origin,
            settings.config,
            jobs=settings.jobs,
            use_cache=settings.use_cache,
            today=settings.today,
            isolated=settings.isolated,
            limits=settings.limits,
        )
    repository.load()
    return repository
