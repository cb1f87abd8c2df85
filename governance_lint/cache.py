"""Per-file results cached by content, outside the checked repository.

A file's result (findings, counts, repository facts: ``FileResult.to_json()``)
depends only on its bytes and on the run: the govlint version and code, the
schemas, the rule set with its severities and options (plugins included),
the limits, today and the Python version.  The run is hashed into one digest
that names the cache file; inside it, each file's entry is keyed by path and
the sha256 of its bytes.  An unchanged file is neither parsed nor validated
again; repository rules still run over every file's facts.

Where: ``$GOVLINT_CACHE_DIR``, else ``$XDG_CACHE_HOME/govlint``, else
``~/.cache/govlint``, one folder per repository root.  Never inside the
repository: a checked repository must not be written to, and a cache
committed by a pull request must never be trusted.  The cache is JSON only
(nothing in it is ever executed), written atomically, and a corrupt,
truncated or foreign file is ignored: the run is then simply cold.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from .config import Config
from .engine import Plan, UsageError

CACHE_FORMAT = "govlint-cache/5"
KEEP_RUNS = 4  # cache files kept per repository (other configs, days); every rule selection shares one
KEEP_SELECTIONS = 64  # repository findings remembered per cache file, one per rule selection (per-rule hooks)

Entry = tuple[str, dict[str, Any], list[int] | None]  # sha256 of the bytes, FileResult.to_json(), signature
# A change to at most this many entries, or this share of them, is saved as a delta file.
DELTA_MIN, DELTA_SHARE = 64, 20
TEMP_PREFIX = ".tmp-"  # a cache file being written; os.replace gives it its name
# A save takes seconds at most: a temporary file older than this was left by a killed run.
STALE_TEMP_SECONDS = 600
# How far the kernel's file-time clock (a coarse clock, updated once a tick) may lag the wall clock.
CLOCK_LAG_NS = 20_000_000


class CacheLocationError(UsageError):
    """The cache folder is inside the checked repository (exit 2)."""


def refuse_inside(roots: Iterable[Path]) -> None:
    """Stop the run when the cache folder is inside one of ``roots`` (the checked repository).

    Whoever writes to the repository — the author of a pull request — could
    otherwise commit cache entries that report a broken file clean.  Both the
    folder as named and the folder its links lead to are checked.
    """
    home = cache_home()
    named, real = Path(os.path.abspath(home)), Path(os.path.realpath(home))
    for root in roots:
        for folder in {Path(os.path.abspath(root)), Path(os.path.realpath(root))}:
            if named.is_relative_to(folder) or real.is_relative_to(folder):
                source = "GOVLINT_CACHE_DIR" if os.environ.get("GOVLINT_CACHE_DIR") else "the default cache"
                raise CacheLocationError(
                    f"{source} {home} is inside the checked repository {root}, where a pull request could "
                    "plant cache entries; set GOVLINT_CACHE_DIR to a folder outside it, or pass --no-cache"
                )


@dataclass
class CacheStats:
    """What a run did with the cache (for ``--verbose`` and the tests)."""

    hits: int = 0
    misses: int = 0
    unread: int = 0  # hits known unchanged by their signature, without reading the file
    written: bool = False
    ignored: str | None = None  # why an existing cache file was not used


def cache_home() -> Path:
    configured = os.environ.get("GOVLINT_CACHE_DIR")
    if configured:
        return Path(configured)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "govlint"


def repository_folder(root: Path) -> Path:
    """The cache folder of one repository root (named by a hash of its absolute path)."""
    name = hashlib.sha256(os.fsencode(os.path.abspath(root))).hexdigest()[:20]
    return cache_home() / name


def content_key(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def file_signature(root: Path, rel: str) -> list[int] | None:
    """Size, times and inode of a regular file (not a link): what git's index trusts to skip reading."""
    try:
        info = os.lstat(os.path.join(root, rel))
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]


def read_clock() -> int:
    """The time a file is read, taken before its signature: what racy-clean is measured against."""
    return time.time_ns()


def timestamp_granularity(ns: int) -> int:
    """The resolution a file system stored a timestamp with, as far as the value shows.

    The largest power of ten that divides it: 1 s on ext3/ext4 with small
    inodes, HFS+ and many NFS and SMB servers (taken as 2 s, FAT's); 10 ms on
    exFAT; a nanosecond on ext4, XFS or btrfs, but for one value in a thousand.
    """
    step = 1
    while step < 1_000_000_000 and ns % (step * 10) == 0:
        step *= 10
    return 2_000_000_000 if step == 1_000_000_000 else step


def trusted_signature(signature: list[int] | None, read_ns: int) -> list[int] | None:
    """``signature`` if it can vouch for the bytes read at ``read_ns``; None if the file is racily clean.

    A write in the same clock tick as the read (or just after it, as the kernel's
    file-time clock lags the wall clock by up to a tick) can leave size, times and
    inode as they were: a file whose modification or change time is within its
    timestamp granularity (plus that lag) of the read is hashed again next time.
    """
    if signature is None:
        return None
    for stamp in signature[1:3]:
        if stamp >= read_ns - timestamp_granularity(stamp) - CLOCK_LAG_NS:
            return None
    return signature


def schema_digest() -> str:
    """sha256 over the shipped schema files, read directly (compiling them is not needed here)."""
    digest = hashlib.sha256()
    folder = resources.files("governance_lint.schemas")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json"):
            digest.update(entry.name.encode() + b"\0" + entry.read_bytes() + b"\0")
    return digest.hexdigest()


def code_digest(plan: Plan) -> str:
    """sha256 over govlint's own modules and the module of every active rule's checks.

    The version alone would miss an edited rule in a development install or a
    plugin upgraded in place; reading some fifty small files costs a millisecond.
    """
    package = Path(__file__).parent
    files = set(package.rglob("*.py"))
    for active in plan.rules:
        for check in (active.rule.check, active.rule.check_repository):
            module = sys.modules.get(getattr(check, "__module__", None) or type(check).__module__)
            origin = getattr(module, "__file__", None)
            if origin:
                files.add(Path(origin))
    digest = hashlib.sha256()
    for path in sorted(files):
        try:
            digest.update(os.fsencode(path) + b"\0" + path.read_bytes() + b"\0")
        except OSError:
            digest.update(os.fsencode(path) + b"\0?\0")
    return digest.hexdigest()


def library_versions() -> dict[str, str]:
    """The parser and validator a result came from: PyYAML, the libyaml it wraps, jsonschema-rs.

    Each by its version and by its native module's size and modification time,
    so that a library rebuilt or upgraded in place still invalidates the cache.
    """
    from importlib import metadata

    import jsonschema_rs
    import yaml
    import yaml._yaml as libyaml

    def stamp(module: Any) -> str:
        native = Path(module.__file__)
        if native.name == "__init__.py":  # jsonschema-rs: the extension sits beside its package init
            found = sorted(native.parent.glob("*.so")) + sorted(native.parent.glob("*.pyd"))
            native = found[0] if found else native
        try:
            info = native.stat()
        except OSError:
            return str(native)
        return f"{native}:{info.st_size}:{info.st_mtime_ns}"

    return {
        "pyyaml": f"{yaml.__version__} {stamp(libyaml)}",
        "libyaml": libyaml.get_version_string(),
        "jsonschema-rs": f"{metadata.version('jsonschema-rs')} {stamp(jsonschema_rs)}",
    }


def run_digest(plan: Plan, config: Config) -> str:
    """What every cached result depends on besides the file's bytes."""
    import governance_lint

    parts: dict[str, Any] = {
        "format": CACHE_FORMAT,
        "govlint": governance_lint.__version__,
        "python": sys.version,
        "schemas": schema_digest(),
        "libraries": library_versions(),
        "code": code_digest(plan),
        "plan": plan.fingerprint(),
        "declarative": [_declared(a.rule.check) for a in plan.rules],
    }
    if config.plugins:
        from .plugins import fingerprint

        parts["plugins"] = fingerprint(config)
    text = json.dumps(parts, sort_keys=True, default=repr)
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


def _declared(check: Any) -> Any:
    """A declarative rule's select/assert/message (its code is shared by every such rule)."""
    fields = ("select", "schema", "message")
    return [getattr(check, f, None) for f in fields] if all(hasattr(check, f) for f in fields) else None


class ResultCache:
    """One repository's cached results for one run digest: load, look up, store, save."""

    def __init__(self, root: Path, digest: str) -> None:
        self.root = root
        self.folder = repository_folder(root)
        self.path = self.folder / f"{digest[:40]}.json"
        self.digest = digest
        self.entries: dict[str, Any] = {}  # path -> Entry, as read: untrusted until looked up
        self.stats = CacheStats()
        self._changed = False
        self._base: list[int] | None = None  # size and mtime of the cache file read, which a delta extends
        # Entries changed since the cache file was written (None: a file gone). A small change is
        # saved as a small delta file beside the cache, not by rewriting all of it.
        self._delta: dict[str, Any] = {}

    def sibling(self, name: str) -> ResultCache:
        """Another cache of the same run beside this one (``--new-since`` keeps its base's files there)."""
        return ResultCache(self.root, hashlib.sha256(f"{self.digest}\n{name}".encode()).hexdigest())

    @property
    def _delta_path(self) -> Path:
        return self.folder / f"{self.digest[:40]}.delta.json"

    def load(self) -> None:
        """Read the cache file and its delta; anything unexpected leaves the cache empty (a cold run)."""
        try:
            with open(self.path, "rb") as stream:
                info = os.fstat(stream.fileno())
                raw = json.loads(stream.read())
        except FileNotFoundError:
            return
        except (OSError, ValueError, RecursionError) as exc:
            self.stats.ignored = f"unreadable: {type(exc).__name__}"
            return
        if not (
            isinstance(raw, dict)
            and raw.get("format") == CACHE_FORMAT
            and raw.get("run") == self.digest
            and isinstance(raw.get("files"), dict)
        ):
            self.stats.ignored = "not a cache of this run"
            return
        self.entries = raw["files"]
        self._base = [info.st_size, info.st_mtime_ns]
        self._load_delta()

    def _load_delta(self) -> None:
        try:
            with open(self._delta_path, "rb") as stream:
                raw = json.loads(stream.read())
        except (OSError, ValueError, RecursionError):
            return
        if not (
            isinstance(raw, dict)
            and raw.get("format") == CACHE_FORMAT
            and raw.get("base") == self._base
            and isinstance(raw.get("files"), dict)
        ):
            return  # a delta of another cache file: the entries it changed are simply checked again
        for rel, entry in raw["files"].items():
            if entry is None:
                self.entries.pop(rel, None)
            else:
                self.entries[rel] = entry
        self._delta = dict(raw["files"])

    def _entry(self, rel: str) -> Entry | None:
        entry: Any = self.entries.get(rel)
        if type(entry) not in (list, tuple) or len(entry) != 3:
            return None
        sha, result, signature = entry
        if type(result) is not dict or result.get("path") != rel:
            return None
        return sha, result, signature

    def unchanged(self, rel: str, signature: list[int] | None) -> tuple[str, dict[str, Any]] | None:
        """The cached result of ``rel`` when its signature is the one recorded with it.

        As git's index does: a file whose size, times and inode are those seen
        when its bytes were hashed still has those bytes.  Only signatures that
        were not racily clean when the file was read are recorded
        (``trusted_signature``), so a file saved again in the tick it was read
        is hashed again, however long ago the cache was written.
        """
        entry = self._entry(rel)
        if entry is None or signature is None or entry[2] != signature:
            return None
        return entry[0], entry[1]

    def lookup(
        self, rel: str, key: str, signature: list[int] | None = None
    ) -> tuple[str, dict[str, Any]] | None:
        """The cached result of ``rel`` if its bytes still hash to ``key`` (a well-formed entry only)."""
        entry = self._entry(rel)
        if entry is None or entry[0] != key:
            return None
        if signature != entry[2]:
            self.store(rel, key, entry[1], signature)  # same bytes, touched: remember the new signature
        return key, entry[1]

    def store(self, rel: str, key: str, result: dict[str, Any], signature: list[int] | None = None) -> None:
        self.entries[rel] = self._delta[rel] = (key, result, signature)
        self._changed = True

    def keep_only(self, paths: set[str]) -> None:
        """Forget files that left the repository."""
        gone = [rel for rel in self.entries if rel not in paths]
        for rel in gone:
            del self.entries[rel]
            self._delta[rel] = None
            self._changed = True

    def save(self) -> None:
        """Write atomically when something changed; a failure to write only costs the next run time."""
        if not self._changed:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            if self._base is not None and len(self._delta) <= max(
                DELTA_MIN, len(self.entries) // DELTA_SHARE
            ):
                _write_atomically(
                    self._delta_path, {"format": CACHE_FORMAT, "base": self._base, "files": self._delta}
                )
            else:
                _write_atomically(
                    self.path, {"format": CACHE_FORMAT, "run": self.digest, "files": self.entries}
                )
                _unlink(self._delta_path)
            self.stats.written = True
            self._prune()
        except (OSError, ValueError):
            pass

    # -- the repository rules' findings of an unchanged repository ---------------------------

    def _memo_path(self, key: str) -> Path:
        # One small file per rule selection: per-rule hooks never overwrite each other's findings.
        return self.folder / f"{self.digest[:40]}.repository.{key[:16]}.json"

    def recall(self, key: str) -> list[dict[str, Any]] | None:
        """The repository findings remembered for ``key`` (the rules, every file's path and bytes), if any."""
        try:
            with open(self._memo_path(key), "rb") as stream:
                raw = json.loads(stream.read())
        except (OSError, ValueError, RecursionError):
            return None
        if not (
            isinstance(raw, dict)
            and raw.get("format") == CACHE_FORMAT
            and raw.get("key") == key
            and isinstance(raw.get("findings"), list)
        ):
            return None
        findings: list[dict[str, Any]] = raw["findings"]
        return findings

    def remember(self, key: str, findings: list[dict[str, Any]]) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            memo = {"format": CACHE_FORMAT, "key": key, "findings": findings}
            _write_atomically(self._memo_path(key), memo)
            memos = sorted(
                self.folder.glob(f"{self.digest[:40]}.repository.*.json"), key=_mtime, reverse=True
            )
            for old in memos[KEEP_SELECTIONS:]:
                _unlink(old)
        except (OSError, ValueError):
            pass

    def _prune(self) -> None:
        # A run killed while saving leaves its temporary file; one this old is no live run's.
        stale = time.time() - STALE_TEMP_SECONDS
        for leftover in self.folder.glob(f"{TEMP_PREFIX}*"):
            if _mtime(leftover) < stale:
                _unlink(leftover)
        runs = sorted(self.folder.glob("*.json"), key=_mtime, reverse=True)
        runs = [r for r in runs if r.name.count(".") == 1]  # not the .repository and .delta files
        for old in runs[KEEP_RUNS:]:
            _unlink(old)
            _unlink(old.with_name(old.stem + ".delta.json"))
            for memo in self.folder.glob(f"{old.stem}.repository.*.json"):
                _unlink(memo)


def _write_atomically(path: Path, data: Any) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=TEMP_PREFIX, suffix=".json")
    try:
        # dumps, not dump: only the one-shot encoder is the C one
        text = json.dumps(data, separators=(",", ":"))
        with os.fdopen(fd, "w", encoding="ascii") as stream:
            stream.write(text)
        os.replace(tmp, path)
    except BaseException:
        _unlink(Path(tmp))
        raise


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _unlink(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()
