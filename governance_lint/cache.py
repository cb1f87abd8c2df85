"""The repository's stored state, outside the checked repository: one SQLite database per run.

A file's result (findings, counts, suppression comments, facts) depends only
on its bytes and on the run: the govlint version and code, the schemas, the
rule set with its severities, options and declared facts (plugins included),
the limits, today and the Python version.  The run is hashed into one digest
that names the database; inside it:

- ``files``: one row per file: the sha256 of its bytes, its signature (size,
  times, inode) with the time it was read, its counts, and its findings and
  suppression comments (NULL when it has none, as most files do);
- ``facts``: the entities of each file, as JSON, read only for the files a
  change can affect;
- ``keys``: which file's entity defines or mentions which key (``person:windy``):
  how a change finds the entities it affects without reading every file;
- ``findings``: the repository rules' findings, by rule, file and entity.

A warm run reads the ``files`` rows (no facts) and the findings; a run after
one edit reads, besides, the facts of the few files the edit can affect.  Why
SQLite: it is in the standard library, reads rows by key without loading the
rest, and writes a change as a transaction (a crash leaves the last good state).

Where: ``$GOVLINT_CACHE_DIR``, else ``$XDG_CACHE_HOME/govlint``, else
``~/.cache/govlint``, one folder per repository root.  Never inside the
repository: a checked repository must not be written to, and a cache
committed by a pull request must never be trusted.  Nothing in it is ever
executed (JSON text and numbers only); a damaged or foreign database is
deleted and the run is simply cold.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import sys
import time
from collections.abc import Collection, Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

from .config import Config
from .engine import FileResult, Plan, UsageError
from .index import Entity, Row, entity_from_json, entity_keys, entity_to_json
from .model import Diagnostic

STORE_FORMAT = "govlint-store/4"
KEEP_RUNS = 4  # databases kept per repository (other configs, rule sets, days)
DamagedStore = (sqlite3.Error, ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError)


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
        "format": STORE_FORMAT,
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


class StoredFile(NamedTuple):
    """A file as the store last saw it; ``result`` holds everything but its facts.

    As git's index does, the signature trusted to skip reading the file is taken
    before it was read, and recorded only when it can vouch for the bytes read
    (``trusted_signature``): a file saved in the tick it was read is hashed again.
    """

    sha: str
    signature: str | None  # size, times and inode when it was read, as text
    read_ns: int
    result: FileResult


_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files(path TEXT PRIMARY KEY, sha TEXT NOT NULL, signature TEXT, read_ns INTEGER,
                                 documents INTEGER, skipped INTEGER, extra TEXT);
CREATE TABLE IF NOT EXISTS facts(path TEXT NOT NULL, entity TEXT NOT NULL, position INTEGER NOT NULL,
                                 facts TEXT NOT NULL, PRIMARY KEY (path, position));
CREATE TABLE IF NOT EXISTS keys(key TEXT NOT NULL, path TEXT NOT NULL, entity TEXT NOT NULL, role INTEGER);
CREATE INDEX IF NOT EXISTS keys_by_key ON keys(key, role);
CREATE INDEX IF NOT EXISTS keys_by_path ON keys(path);
CREATE TABLE IF NOT EXISTS findings(rule TEXT NOT NULL, path TEXT NOT NULL, entity TEXT, finding TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS findings_by_rule ON findings(rule);
"""


class Store:
    """One repository's stored state for one run digest."""

    def __init__(self, root: Path, digest: str) -> None:
        self.folder = repository_folder(root)
        self.path = self.folder / f"{digest[:40]}.sqlite"
        self.digest = digest
        self.ignored: str | None = None  # why an existing database was not used
        self.damaged = False  # a row read later did not decode: the next run must not trust this store
        self._db: sqlite3.Connection | None = None

    # -- opening ---------------------------------------------------------------------------

    def open(self) -> bool:
        """Open (or create) the database; False when it cannot be used (the run then keeps nothing).

        Opening an existing store of this run writes nothing: a run with nothing to
        save leaves the folder as it found it.
        """
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            if self.path.exists():
                self._db = self._connect()
                if self._valid():
                    return True
                self.close()
                self.ignored = "not a store of this run"
                self.discard()
            self._create()
            return True
        except (sqlite3.Error, OSError) as exc:
            self.ignored = f"unusable: {type(exc).__name__}"
            self.close()
            with contextlib.suppress(sqlite3.Error, OSError):
                self.discard()
                self._create()
                return True
            self._db = None
            return False

    def _create(self) -> None:
        self._db = self._connect()
        self._db.executescript(_SCHEMA)
        self._db.execute("INSERT INTO meta VALUES ('format', ?), ('run', ?)", (STORE_FORMAT, self.digest))
        self._db.commit()

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path)

    def _valid(self) -> bool:
        assert self._db is not None
        try:
            meta = dict(self._db.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.Error:
            return False
        return meta.get("format") == STORE_FORMAT and meta.get("run") == self.digest

    def close(self) -> None:
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None

    def discard(self) -> None:
        """Delete the database (damaged, foreign): the next run starts cold."""
        for suffix in ("", "-journal", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                os.unlink(str(self.path) + suffix)

    @property
    def db(self) -> sqlite3.Connection:
        assert self._db is not None, "the store is not open"
        return self._db

    # -- reading ---------------------------------------------------------------------------

    def files(self) -> dict[str, StoredFile]:
        """Every stored file, without its facts; a row that does not decode is left out (checked again)."""
        found: dict[str, StoredFile] = {}
        try:
            rows = self.db.execute(
                "SELECT path, sha, signature, read_ns, documents, skipped, extra FROM files"
            )
            for path, sha, signature, read_ns, documents, skipped, extra in rows:
                try:
                    result = FileResult(path, int(documents), int(skipped))
                    if extra is not None:
                        raw = json.loads(extra)
                        result.diagnostics = [Diagnostic.from_dict(d) for d in raw["diagnostics"]]
                        result.crashes = list(raw["crashes"])
                        result.suppressions = list(raw["suppressions"])
                        result.unloadable = bool(raw["unloadable"])
                    found[path] = StoredFile(sha, signature, int(read_ns or 0), result)
                except DamagedStore:
                    continue
        except sqlite3.Error:
            self.damaged = True
            return {}
        return found

    def findings(self) -> dict[str, list[Diagnostic]] | None:
        """The repository rules' findings by rule (None: unreadable, they must be found again)."""
        by_rule: dict[str, list[Diagnostic]] = {}
        try:
            for rule, finding in self.db.execute("SELECT rule, finding FROM findings ORDER BY rowid"):
                by_rule.setdefault(rule, []).append(Diagnostic.from_dict(json.loads(finding)))
            ran = self.db.execute("SELECT value FROM meta WHERE key = 'rules'").fetchone()
        except DamagedStore:
            return None
        if ran is None:
            return None  # the repository rules never finished over this store
        for code in json.loads(ran[0]):
            by_rule.setdefault(code, [])
        return by_rule

    def rows(self, key: str, roles: Collection[int] | None = None) -> list[Row]:
        try:
            if roles is None:
                return self.db.execute("SELECT path, entity, role FROM keys WHERE key = ?", (key,)).fetchall()
            marks = ", ".join("?" * len(roles))
            return self.db.execute(
                f"SELECT path, entity, role FROM keys WHERE key = ? AND role IN ({marks})", (key, *roles)
            ).fetchall()
        except sqlite3.Error:
            self.damaged = True
            return []

    def entities(self, path: str) -> list[Entity]:
        return self._entities("SELECT facts FROM facts WHERE path = ? ORDER BY position", (path,))

    def entity(self, path: str, key: str) -> list[Entity]:
        return self._entities(
            "SELECT facts FROM facts WHERE path = ? AND entity = ? ORDER BY position", (path, key)
        )

    def _entities(self, query: str, args: tuple[str, ...]) -> list[Entity]:
        try:
            return [entity_from_json(json.loads(raw)) for (raw,) in self.db.execute(query, args)]
        except DamagedStore:
            self.damaged = True
            return []

    def paths(self) -> list[str]:
        try:
            return [p for (p,) in self.db.execute("SELECT DISTINCT path FROM facts")]
        except sqlite3.Error:
            self.damaged = True
            return []

    # -- writing ---------------------------------------------------------------------------

    def save(
        self,
        files: Mapping[str, tuple[str | None, list[int] | None, int, FileResult] | None],
        findings: Mapping[str, list[Diagnostic]],
        replace_findings: Iterable[str],
        spliced: Mapping[str, set[tuple[str, str | None]]],
        ran: Iterable[str],
    ) -> None:
        """Write the files that changed (None: gone) and the repository findings, in one transaction.

        Rules in ``replace_findings`` have every finding replaced; for the others,
        the findings at the ``spliced`` (path, entity) pairs are replaced.
        """
        try:
            with self.db:
                for path, entry in files.items():
                    self._write_file(path, entry)
                for code in replace_findings:
                    self.db.execute("DELETE FROM findings WHERE rule = ?", (code,))
                    self._insert_findings(code, findings.get(code, []))
                for code, subjects in spliced.items():
                    paths = sorted({p for p, _ in subjects})
                    for path in paths:
                        self.db.execute("DELETE FROM findings WHERE rule = ? AND path = ?", (code, path))
                    self._insert_findings(code, [d for d in findings.get(code, []) if d.path in set(paths)])
                self.db.execute("INSERT OR REPLACE INTO meta VALUES ('rules', ?)", (json.dumps(sorted(ran)),))
            self._prune()
        except (sqlite3.Error, OSError, ValueError):
            self.damaged = True

    def touch(self, signatures: Mapping[str, tuple[list[int] | None, int]]) -> None:
        """Remember new signatures of files whose bytes did not change."""
        if not signatures:
            return
        try:
            with self.db:
                self.db.executemany(
                    "UPDATE files SET signature = ?, read_ns = ? WHERE path = ?",
                    [(_signature(s), ns, p) for p, (s, ns) in signatures.items()],
                )
        except sqlite3.Error:
            self.damaged = True

    def _write_file(
        self, path: str, entry: tuple[str | None, list[int] | None, int, FileResult] | None
    ) -> None:
        db = self.db
        db.execute("DELETE FROM keys WHERE path = ?", (path,))
        db.execute("DELETE FROM facts WHERE path = ?", (path,))
        if entry is None or entry[0] is None:  # gone, or unreadable (read again next time)
            db.execute("DELETE FROM files WHERE path = ?", (path,))
            return
        sha, signature, read_ns, result = entry
        extra = None
        if result.diagnostics or result.crashes or result.suppressions or result.unloadable:
            extra = json.dumps(
                {
                    "diagnostics": [d.to_dict() for d in result.diagnostics],
                    "crashes": result.crashes,
                    "suppressions": result.suppressions,
                    "unloadable": result.unloadable,
                },
                separators=(",", ":"),
            )
        db.execute(
            "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?)",
            (path, sha, _signature(signature), read_ns, result.documents, result.skipped, extra),
        )
        if result.entities:
            db.executemany(
                "INSERT INTO facts VALUES (?, ?, ?, ?)",
                [
                    (path, e.key, i, json.dumps(entity_to_json(e), separators=(",", ":")))
                    for i, e in enumerate(result.entities)
                ],
            )
            rows = {
                (key, path, entity.key, role)
                for entity in result.entities
                for key, role in entity_keys(entity)
            }
            db.executemany("INSERT INTO keys VALUES (?, ?, ?, ?)", sorted(rows))

    def _insert_findings(self, code: str, findings: list[Diagnostic]) -> None:
        self.db.executemany(
            "INSERT INTO findings VALUES (?, ?, ?, ?)",
            [(code, d.path, d.entity, json.dumps(d.to_dict(), separators=(",", ":"))) for d in findings],
        )

    def _prune(self) -> None:
        runs = sorted(self.folder.glob("*.sqlite"), key=_mtime, reverse=True)
        for old in runs[KEEP_RUNS:]:
            for suffix in ("", "-journal", "-wal", "-shm"):
                with contextlib.suppress(OSError):
                    os.unlink(str(old) + suffix)


def _signature(signature: list[int] | None) -> str | None:
    return ",".join(str(x) for x in signature) if signature else None


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def now_ns() -> int:
    return time.time_ns()
