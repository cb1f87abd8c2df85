"""Per-file work at repository scale: cached results for unchanged files, all cores for the rest.

``make_analyser`` returns the ``analyse(files, plan)`` step ``engine.run``
calls.  Files whose bytes hash to a cached entry reuse their result; the
others are checked in this process or, when there are enough of them to pay
for the start-up (``pool_threshold``), by a fork pool whose workers read the
files themselves and send back small JSON-able results.  Results come back in
file order, so the output is byte-identical to a serial run.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import hashlib
import json
import multiprocessing
import os
import signal
import threading
from collections.abc import Generator, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .cache import (
    CacheStats,
    ResultCache,
    content_key,
    file_signature,
    read_clock,
    run_digest,
    trusted_signature,
)
from .config import Config
from .discovery import FileSet, read_file
from .engine import FileResult, Plan, check_file, crash_rule
from .model import Diagnostic

POOL_THRESHOLD = 200  # below this many files to check, a pool's start-up costs more than it saves
CHUNK_RANGE = (8, 128)  # files per task: few enough messages, small enough to balance the workers

# sha256 of the bytes read (None: unreadable), the file's signature taken before reading, result JSON
Checked = tuple[str | None, list[int] | None, dict[str, Any]]


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived while the worker pool ran: handled like Ctrl-C (the workers end, the run stops)."""


class WorkerCrash(RuntimeError):
    """A worker process died (a signal, the OOM killer) while checking some files."""

    def __init__(self, paths: Sequence[str]) -> None:
        first, last = paths[0], paths[-1]
        where = first if first == last else f"{first} … {last}"
        super().__init__(f"a worker process died while checking {where}; run with --jobs 1 to find the file")
        self.govlint_path = first


@dataclass
class Analyser:
    """``analyse(files, plan)`` with a content cache and a process pool."""

    config: Config
    jobs: int = 1
    use_cache: bool = True
    pool_threshold: int = POOL_THRESHOLD
    reuse: bool = True  # False: check every file again and replace the cache (found damaged)
    # The plan per-file results are computed and cached with: every rule the config enables, so
    # that runs selecting different rules (per-rule pre-commit hooks) share one cache.
    shared: Plan | None = None
    stats: CacheStats = field(default_factory=CacheStats)
    _cache: ResultCache | None = field(default=None, repr=False)
    _repository_key: str | None = field(default=None, repr=False)
    _rules: str = field(default="", repr=False)  # the selected rules, part of every repository key
    #: sha256 of each file's bytes, by path, after a call (None: unreadable, or the cache is off)
    content_keys: dict[str, str | None] = field(default_factory=dict, repr=False)

    def __call__(self, files: FileSet, plan: Plan) -> list[FileResult]:
        with _bulk_phase():
            return self._analyse(files, plan)

    def checking_plan(self, selected: Plan) -> Plan:
        """The plan per-file results are computed with for a run that selects ``selected``."""
        return self.shared if self.use_cache and self.shared is not None else selected

    def _analyse(self, files: FileSet, selected: Plan) -> list[FileResult]:
        plan = self.checking_plan(selected)
        cache = ResultCache(files.root, run_digest(plan, self.config)) if self.use_cache else None
        if cache is not None and self.reuse:
            cache.load()
            self.stats = cache.stats
        results: list[FileResult | None] = [None] * len(files.context)
        keys: list[str | None] = [None] * len(files.context)
        todo: list[int] = []
        for i, rel in enumerate(files.context):
            cached = (
                self._cached(cache, files.root, rel, plan) if cache is not None and cache.entries else None
            )
            if cached is None:
                todo.append(i)
            else:
                keys[i], results[i] = cached
        self.stats.misses = len(todo)
        rels = [files.context[i] for i in todo]
        pooled: Generator[Checked, None, None] | None = None
        if len(rels) >= max(self.pool_threshold, 2) and self.jobs > 1 and _can_fork():
            pooled = _in_pool(files.root, rels, plan, self.jobs)
            fresh = ((key, signature, FileResult.from_json(raw), raw) for key, signature, raw in pooled)
        else:
            fresh = (_check_here(files.root, rel, plan, cache is not None) for rel in rels)
        # Closing the pool's generator: an exception here (Ctrl-C, SIGTERM) stops the workers at once.
        with contextlib.closing(pooled) if pooled is not None else contextlib.nullcontext():
            for i, (key, signature, result, raw) in zip(todo, fresh, strict=True):
                keys[i], results[i] = key, result
                if cache is not None and key is not None:
                    cache.store(result.path, key, raw, signature)
        if cache is not None:
            cache.keep_only(set(files.context))
            cache.save()
            self._cache = cache
            self._rules = json.dumps(selected.fingerprint(), sort_keys=True, default=repr)
            self._repository_key = _repository_key(f"{cache.digest}\n{self._rules}", files.context, keys)
        self.content_keys = dict(zip(files.context, keys, strict=True))
        if plan is not selected:
            return [narrow(result, selected) for result in results]  # type: ignore[arg-type]
        return results  # type: ignore[return-value]  # every slot is filled above

    # The repository rules' findings, remembered for a repository whose every file is unchanged.
    def recall(self) -> list[Diagnostic] | None:
        memo = self._memo(self._repository_key)
        return memo.recall() if memo is not None else None

    def remember(self, findings: list[Diagnostic]) -> None:
        memo = self._memo(self._repository_key)
        if memo is not None:
            memo.remember(findings)

    def state_memo(self, paths: Sequence[str], keys: Sequence[str | None]) -> StateMemo | None:
        """The same memory for another state of this repository: its paths and their content keys."""
        if self._cache is None:
            return None
        return self._memo(_repository_key(f"{self._cache.digest}\n{self._rules}", paths, keys))

    def side_cache(self, name: str) -> ResultCache | None:
        """A cache of this run's results for files that are not the work tree's (None: the cache is off)."""
        if self._cache is None:
            return None
        cache = self._cache.sibling(name)
        if self.reuse:
            cache.load()
        return cache

    def _memo(self, key: str | None) -> StateMemo | None:
        return StateMemo(self._cache, key) if self._cache is not None and key is not None else None

    def _cached(self, cache: ResultCache, root: Path, rel: str, plan: Plan) -> tuple[str, FileResult] | None:
        read_ns = read_clock()
        signature = file_signature(root, rel)
        found = cache.unchanged(rel, signature)
        if found is not None:
            self.stats.unread += 1
        else:  # not known unchanged by its signature: hash its bytes
            content = read_file(root, rel, plan.limits.max_file_bytes)
            if not isinstance(content, bytes):
                return None
            found = cache.lookup(rel, content_key(content), trusted_signature(signature, read_ns))
        if found is None:
            return None
        key, raw = found
        try:
            result = FileResult.from_json(raw)
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
            return None  # a damaged entry: check the file again
        self.stats.hits += 1
        return key, result


@dataclass(frozen=True)
class StateMemo:
    """Remembers the repository rules' findings of one state of the repository (``engine.RepositoryMemo``)."""

    cache: ResultCache
    key: str

    def recall(self) -> list[Diagnostic] | None:
        raw = self.cache.recall(self.key)
        try:
            return None if raw is None else [Diagnostic.from_dict(d) for d in raw]
        except (KeyError, TypeError, ValueError, AttributeError):
            return None

    def remember(self, findings: list[Diagnostic]) -> None:
        self.cache.remember(self.key, [d.to_dict() for d in findings])


def narrow(result: FileResult, plan: Plan) -> FileResult:
    """A file's result as ``plan`` (a selection of the rules it was computed with) would have found it."""
    codes = {active.rule.code for active in plan.rules}
    return dataclasses.replace(
        result,
        diagnostics=[d for d in result.diagnostics if d.code in codes],
        crashes=[c for c in result.crashes if crash_rule(c) in codes],
    )


def _repository_key(digest: str, paths: Sequence[str], keys: Sequence[str | None]) -> str | None:
    """Names the whole repository's content: every file's path and bytes (None if one was unreadable)."""
    if any(key is None for key in keys):
        return None
    text = "\n".join(f"{path}\0{key}" for path, key in zip(paths, keys, strict=True))
    return hashlib.sha256(f"{digest}\n{text}".encode("utf-8", "surrogateescape")).hexdigest()


def make_analyser(
    jobs: int | None = None,
    use_cache: bool = True,
    config: Config | None = None,
    pool_threshold: int = POOL_THRESHOLD,
    reuse: bool = True,
    shared: Plan | None = None,
) -> Analyser:
    """The analyser ``runner.check`` uses: ``jobs`` defaults to every core.

    ``shared``, a plan holding every rule of the run's plan and more, is what
    per-file work is computed and cached with when the cache is on.
    """
    if config is None:
        raise ValueError("make_analyser needs the run's config (its root names the cache folder)")
    return Analyser(config, jobs or os.cpu_count() or 1, use_cache, pool_threshold, reuse, shared)


@contextlib.contextmanager
def _bulk_phase() -> Iterator[None]:
    """No cyclic GC while results pile up: they are long-lived and acyclic (it doubled load time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()  # later collections in this run need not scan the results again
        if enabled:
            gc.enable()


def _read_and_check(root: Path, rel: str, plan: Plan) -> tuple[str | None, list[int] | None, FileResult]:
    read_ns = read_clock()
    signature = file_signature(root, rel)  # before reading: a change while reading makes it stale, not wrong
    content = read_file(root, rel, plan.limits.max_file_bytes)
    key = content_key(content) if isinstance(content, bytes) else None
    return key, trusted_signature(signature, read_ns), check_file(rel, content, plan)


def _check_here(
    root: Path, rel: str, plan: Plan, for_cache: bool
) -> tuple[str | None, list[int] | None, FileResult, Any]:
    key, signature, result = _read_and_check(root, rel, plan)
    return key, signature, result, result.to_json() if for_cache and key is not None else None


# -- the pool -------------------------------------------------------------------------

_WORK: tuple[Path, Plan] | None = None  # set before forking: workers inherit it, nothing is pickled
_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _worker_start(parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler: terminate() ends a worker
    # Results go back through the pool's pipes: a worker never holds the caller's output open.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)
    _die_with(parent)


def _die_with(parent: int) -> None:
    """Have the kernel kill this worker when the parent dies, even of SIGKILL (Linux; elsewhere a no-op)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


@contextlib.contextmanager
def _terminate_like_interrupt() -> Iterator[None]:
    """While workers run, SIGTERM raises :class:`Terminated` in the parent: they are stopped, not orphaned."""

    def stop(signum: int, frame: Any) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second one must not cut the cleanup short
        raise Terminated

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread: signals cannot be handled here
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _check_chunk(rels: list[str]) -> list[Checked]:
    assert _WORK is not None, "worker started without a plan"
    root, plan = _WORK
    out = []
    for rel in rels:
        key, signature, result = _read_and_check(root, rel, plan)
        out.append((key, signature, result.to_json()))
    return out


def _chunks(rels: list[str], jobs: int) -> list[list[str]]:
    low, high = CHUNK_RANGE
    size = max(low, min(high, len(rels) // (jobs * 4) or 1))
    return [rels[i : i + size] for i in range(0, len(rels), size)]


def _in_pool(root: Path, rels: list[str], plan: Plan, jobs: int) -> Generator[Checked, None, None]:
    """Check ``rels`` in worker processes; results in the order of ``rels``."""
    global _WORK
    chunks = _chunks(rels, jobs)
    _WORK = (root, plan)
    with _terminate_like_interrupt():
        pool = ProcessPoolExecutor(
            max_workers=min(jobs, len(chunks)),
            mp_context=multiprocessing.get_context("fork"),
            initializer=_worker_start,
            initargs=(os.getpid(),),
        )
        done = 0
        try:
            for checked in pool.map(_check_chunk, chunks):
                yield from checked
                done += 1
        except BrokenProcessPool:
            raise WorkerCrash(chunks[min(done, len(chunks) - 1)]) from None
        except BaseException:  # an error, Ctrl-C, SIGTERM, or the consumer closing this generator early
            _stop(pool)
            raise
        finally:
            _WORK = None
            pool.shutdown(wait=True, cancel_futures=True)


def _quiet(thread: threading.Thread) -> None:
    """Drop what ``thread`` raises: the pool's thread, once its workers are stopped on purpose, fails on
    the futures ``map`` cancelled (Python 3.11: InvalidStateError), which is no news to the user."""
    previous = threading.excepthook

    def hook(args: Any) -> None:
        if args.thread is not thread:
            previous(args)

    threading.excepthook = hook


def _stop(pool: ProcessPoolExecutor) -> None:
    """End the workers at once (Ctrl-C, SIGTERM, or an error in one chunk); no chunk is waited for."""
    # Taken before shutdown(), which forgets them.
    processes = list((getattr(pool, "_processes", None) or {}).values())
    manager = getattr(pool, "_executor_manager_thread", None)
    results = getattr(pool, "_result_queue", None)
    if manager is not None:
        _quiet(manager)
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    # A worker ended halfway through sending its results leaves the pool's thread reading the rest,
    # and interpreter exit waits for that thread: with this process's copy of the write end closed,
    # the read meets the end of the pipe once the workers are gone, instead of waiting forever.
    writer = getattr(results, "_writer", None)
    if writer is not None:
        writer.close()
    if manager is not None:
        manager.join(timeout=10)  # done before interpreter exit wakes it (a race on 3.11: EBADF)
