"""Per-file work for many files at once: all cores, results in file order.

``check_files`` checks files in this process or, when there are enough of
them to pay for the start-up (``pool_threshold``), in a fork pool whose
workers read the files themselves and send back small JSON-able results.
Results come back in file order, so the output is byte-identical to a serial
run.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import hashlib
import os
import signal
import stat
import threading
from collections.abc import Callable, Generator, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cache import read_clock, trusted_signature
from .discovery import read_file
from .engine import Checked, FileResult, Plan, check_file, crash_rule
from .index import StoredFacts, entities_from_text, stored_facts
from .model import Problem

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

POOL_THRESHOLD = 200  # below this many files to check, a pool's start-up costs more than it saves
CHUNK_RANGE = (8, 128)  # files per task: few enough messages, small enough to balance the workers


Reader = Callable[[str], bytes | Problem]


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived while the worker pool ran: handled like Ctrl-C (the workers end, the run stops)."""


class WorkerCrash(RuntimeError):
    """A worker process died (a signal, the OOM killer) while checking some files."""

    def __init__(self, paths: Sequence[str]) -> None:
        first, last = paths[0], paths[-1]
        where = first if first == last else f"{first} … {last}"
        super().__init__(f"a worker process died while checking {where}; run with --jobs 1 to find the file")
        self.govlint_path = first


def content_key(content: bytes) -> str:
    """The id git gives these bytes as a blob: inside git, the index knows a file's key without reading it."""
    return hashlib.sha1(b"blob %d\0" % len(content) + content, usedforsecurity=False).hexdigest()


def file_signature(root: Path, rel: str) -> list[int] | None:
    """Size, times and inode of a regular file (not a link): what git's index trusts to skip reading."""
    try:
        info = os.lstat(os.path.join(root, rel))
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]


def check_files(
    rels: Sequence[str],
    plan: Plan,
    read: Reader,
    *,
    root: Path | None = None,
    jobs: int = 1,
    pool_threshold: int | None = None,
) -> Iterator[Checked]:
    """Check ``rels`` (read by ``read``; from disk under ``root`` when given); results in the order of ``rels``.

    The pool is used only for files on disk (``root``): its workers read them themselves.
    """
    threshold = POOL_THRESHOLD if pool_threshold is None else pool_threshold
    if root is not None and len(rels) >= max(threshold, 2) and jobs > 1 and _can_fork():
        # Closing the pool's generator: an exception in the caller (Ctrl-C, SIGTERM) stops the workers at once.
        with contextlib.closing(_in_pool(root, list(rels), plan, jobs)) as pooled:
            for key, signature, read_ns, raw, facts in pooled:
                entities = entities_from_text(facts.text) if facts is not None else []
                yield Checked(key, signature, read_ns, FileResult.from_json(raw, entities), facts)
        return
    for rel in rels:
        yield _read_and_check(rel, plan, read, root)


@contextlib.contextmanager
def bulk_phase() -> Iterator[None]:
    """No cyclic GC while results pile up: they are long-lived and acyclic (it doubled load time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()  # later collections in this run need not scan the results again
        if enabled:
            gc.enable()


def _read_and_check(rel: str, plan: Plan, read: Reader, root: Path | None) -> Checked:
    read_ns = read_clock()
    # the signature before reading: a change while reading makes it stale, not wrong
    signature = file_signature(root, rel) if root is not None else None
    content = read(rel)
    key = content_key(content) if isinstance(content, bytes) else None
    return Checked(key, trusted_signature(signature, read_ns), read_ns, check_file(rel, content, plan))


def narrow(result: FileResult, plan: Plan) -> FileResult:
    """A file's result as ``plan`` (a selection of the rules it was computed with) would have found it."""
    codes = {active.rule.code for active in plan.rules}
    return dataclasses.replace(
        result,
        diagnostics=[d for d in result.diagnostics if d.code in codes],
        crashes=[c for c in result.crashes if crash_rule(c) in codes],
    )


# -- the pool -------------------------------------------------------------------------

_WORK: tuple[Path, Plan] | None = None  # set before forking: workers inherit it, nothing is pickled
_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _can_fork() -> bool:
    import multiprocessing  # here, not at the top: a run that starts no pool never pays for the import

    return "fork" in multiprocessing.get_all_start_methods()


def _worker_start(parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler: terminate() ends a worker
    # Results go back through the pool's pipes: a worker never holds the caller's output open.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)
    _die_with(parent)


def _libc(function: str, *arguments: int) -> bool:
    """Call a C library function by name (False where there is none, as on macOS for Linux's ones)."""
    try:
        import ctypes

        getattr(ctypes.CDLL(None, use_errno=True), function)(*arguments)
    except (OSError, AttributeError):
        return False
    return True


def _die_with(parent: int) -> None:
    """Have the kernel kill this worker when the parent dies, even of SIGKILL (Linux; elsewhere a no-op)."""
    if not _libc("prctl", _PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0):
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


_M_MMAP_THRESHOLD, _MMAP_FROM = -3, 128 * 1024  # glibc's malloc.h; its initial threshold


def _steady_malloc() -> None:
    """Keep glibc's malloc giving large blocks their own mappings, returned to the system once freed.

    By default it raises that threshold to the largest block freed, so that
    the pool's results (a message of up to a megabyte per chunk, each file's
    facts as text) then come from the heap, between the entities kept for the
    run, and leave holes the system never gets back: at 10,000 files, 10 MB
    of the peak.  Elsewhere than glibc, nothing is done.
    """
    _libc("mallopt", _M_MMAP_THRESHOLD, _MMAP_FROM)


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


Sent = tuple[str | None, list[int] | None, int, dict[str, Any], StoredFacts | None]


def _check_chunk(rels: list[str]) -> list[Sent]:
    """Check some files in a worker: results as plain data, entities already encoded for the store."""
    assert _WORK is not None, "worker started without a plan"
    root, plan = _WORK
    out: list[Sent] = []
    for rel in rels:
        key, signature, read_ns, result, _ = _read_and_check(
            rel, plan, lambda r: read_file(root, r, plan.limits.max_file_bytes), root
        )
        out.append((key, signature, read_ns, result.to_json(), stored_facts(result.entities)))
    return out


def _chunks(rels: list[str], jobs: int) -> list[list[str]]:
    low, high = CHUNK_RANGE
    size = max(low, min(high, len(rels) // (jobs * 4) or 1))
    return [rels[i : i + size] for i in range(0, len(rels), size)]


def _in_pool(root: Path, rels: list[str], plan: Plan, jobs: int) -> Generator[Sent, None, None]:
    """Check ``rels`` in worker processes; results in the order of ``rels``."""
    global _WORK
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    chunks = _chunks(rels, jobs)
    _WORK = (root, plan)
    _steady_malloc()
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
