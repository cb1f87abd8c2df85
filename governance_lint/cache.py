"""The repository's stored state, outside the checked repository: one SQLite database per run.

A file's result (findings, counts, suppression comments, facts) depends only
on its bytes and on the run: the govlint version and code, the schemas, the
rule set with its severities, options and declared facts (plugins included),
the limits, today and the Python version.  The run is hashed into one digest
that names the database; inside it:

- ``files``: one row per file: a number for it, its content key (git's blob
  id of its bytes), its signature (size, times, inode) with the time it was
  read, its counts, and its findings and suppression comments (NULL when it
  has none, as most files do);
- ``facts``: the entities of each file, as one JSON text, read only for the
  files a change can affect;
- ``keys``: which file's entity defines or mentions which key (``person:windy``):
  how a change finds the entities it affects without reading every file.  One
  B-tree ordered by key, the file by its number: a path is written once, in ``files``;
- ``findings``: the repository rules' findings, by rule, file and entity;
- ``meta``: besides the format and the run, which rules' findings are complete,
  the days date-reading rules' findings hold, and the files that procedures
  name and that existed with a digest of the repository's files (a run after
  a file came or went checks again the entities that name one that is gone,
  and those a rule reported, though no governance file changed).

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
import functools
import hashlib
import json
import os
import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Collection, Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from .config import Config
from .engine import Checked, FileResult, Plan, UsageError
from .index import (
    FILE_KEY,
    Entity,
    KeyRow,
    Row,
    entities_from_json,
    entity_from_json,
    key_rows,
    stored_facts,
    stored_key,
)
from .model import Diagnostic

# 6: content keys are git blob ids; 7: compact keys, facts per file; 9: the files procedures name;
# 10: the days a file's result holds in columns of their own
STORE_FORMAT = "govlint-store/10"
T = TypeVar("T")
KEEP_RUNS = 4  # databases kept per repository (other configs, rule sets)


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


class StoredFiles(NamedTuple):
    """The store's files as a run takes them up (``Store.files``)."""

    #: git's index holds the bytes they were checked in and their findings hold today: nothing to look at
    vouched: dict[str, FileResult]
    #: the vouched files' content keys (typed as the model's, where None means unreadable)
    shas: dict[str, str | None]
    others: dict[str, StoredFile]  # the rest, looked at by their signatures (or read again)

    @property
    def total(self) -> int:
        return len(self.vouched) + len(self.others)


class StoreDamage(Exception):
    """A stored row that does not decode: the store is not to be trusted."""


def decode(convert: Callable[[Any], T], text: str) -> T:
    """``convert`` of the JSON ``text`` of a stored row; raises ``StoreDamage`` when it does not decode."""
    return converted(lambda: convert(json.loads(text)))


def converted(make: Callable[[], T]) -> T:
    """What ``make`` builds of a stored row; raises ``StoreDamage`` when the row does not decode.

    The one place where a stored row's damage is told apart: nothing else a run
    does (a bug, a lock) is ever taken for damage.
    """
    try:
        return make()
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError) as exc:
        raise StoreDamage(f"{type(exc).__name__}: {exc}") from None


_SCHEMA = """
BEGIN IMMEDIATE;
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files(id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, sha TEXT NOT NULL,
                                 signature TEXT, read_ns INTEGER, documents INTEGER, skipped INTEGER,
                                 valid_from INTEGER, valid_to INTEGER, extra TEXT);
CREATE TABLE IF NOT EXISTS facts(file INTEGER PRIMARY KEY, facts TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS keys(key TEXT NOT NULL, role INTEGER NOT NULL, file INTEGER NOT NULL, entity TEXT NOT NULL,
                                PRIMARY KEY (key, role, file, entity)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS findings(rule TEXT NOT NULL, path TEXT NOT NULL, entity TEXT, finding TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS findings_by_rule ON findings(rule);
CREATE TABLE IF NOT EXISTS views(path TEXT PRIMARY KEY, sha TEXT NOT NULL, data TEXT NOT NULL);
INSERT OR IGNORE INTO meta VALUES ('format', '{format}'), ('run', '{run}');
COMMIT;
"""

_INSERT_FACTS = "INSERT INTO facts VALUES (?, ?)"
_INSERT_KEYS = "INSERT INTO keys VALUES (?, ?, ?, ?)"
#: where a cold build's key rows wait (unordered, unindexed) until they go into ``keys`` in order
_STAGE_KEYS = "CREATE TEMP TABLE IF NOT EXISTS staged_keys(key TEXT, role INTEGER, file INTEGER, entity TEXT)"

_PATHS_PER_QUERY = 500  # paths asked for in one ``IN (...)``: far below SQLite's limit on parameters
#: how many files' entities a store keeps decoded, and parsed (its snapshot does not change while read)
_DECODED_AT_MOST = 64


class _Parsed(NamedTuple):
    """A file's stored facts parsed but not decoded: each entity's JSON, in order and by key."""

    entities: list[Any]
    by_key: dict[str, list[Any]]


def _parsed(raw: Any) -> _Parsed:
    by_key: dict[str, list[Any]] = {}
    for entity in raw:
        by_key.setdefault(stored_key(entity), []).append(entity)
    return _Parsed(list(raw), by_key)


def _kept(cache: dict[str, T], path: str, value: T | None = None) -> T | None:
    """An LRU of ``_DECODED_AT_MOST`` files: ``path``'s value, made the most recent (``value``: kept)."""
    if value is None:
        value = cache.pop(path, None)
    elif len(cache) >= _DECODED_AT_MOST:
        del cache[next(iter(cache))]
    if value is not None:
        cache[path] = value
    return value


#: How long a run waits for another one's write to finish before it goes on without the store.
BUSY_MILLISECONDS = 2000


class NamedFiles(NamedTuple):
    """What a run found of the files procedures name (see ``Store.named``)."""

    #: a digest of every path of the repository (a file added or removed changes it); "": none is named
    listing: str
    existed: set[str]  # the named files that existed


class Store:
    """One repository's stored state for one run digest, read as one snapshot and written in one go.

    A run reads inside one read transaction (SQLite's write-ahead log keeps it a
    consistent snapshot while other runs save), and what it would store is
    queued and written by ``commit`` in one transaction at the end, which fails
    cleanly when another run saved since the snapshot was taken.  A store that
    is locked or busy is never deleted: the run goes on without it.  Only rows
    that do not decode (``StoreDamage``) or a file that is not a store of this
    run make it start again from an empty store.
    """

    holds_entities = False  # facts are decoded anew as they are asked for

    def __init__(self, root: Path, digest: str) -> None:
        self.folder = repository_folder(root)
        self.path = self.folder / f"{digest[:40]}.sqlite"
        self.digest = digest
        self.ignored: str | None = None  # why an existing database was not used
        self.damaged = False  # a row did not decode: the next build must not trust this store
        self.unavailable: str | None = None  # why reading or writing failed (a lock): the run goes without
        self.unsaved: str | None = None  # why ``commit`` wrote nothing although there was something to write
        self._db: sqlite3.Connection | None = None
        self._pending: list[Callable[[], None]] = []
        self._next = 1  # the number ``add`` gives the next file
        self._decoded: dict[str, list[Entity]] = {}  # the entities of the files read last, by path
        self._parsed: dict[str, _Parsed] = {}  # the facts of the files some entities were picked from
        self._sorting: tuple[threading.Thread, list[BaseException]] | None = None  # see ``added``

    # -- opening ---------------------------------------------------------------------------

    def open(self) -> bool:
        """Open (or create) the database and take the run's snapshot; False when it cannot be used.

        Opening an existing store of this run writes nothing: a run with nothing to
        save leaves the folder as it found it.
        """
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._db = self._connect()
            meta = self._meta()
            if meta is None:
                self._create()
                meta = self._meta()
            if meta is not None and meta.get("format") == STORE_FORMAT and meta.get("run") == self.digest:
                return True
            self.ignored = "not a store of this run"
            self.close()
            self.discard()
            self._db = self._connect()
            self._create()
            return self._meta() is not None
        except sqlite3.DatabaseError as exc:
            if _busy(exc):  # locked, busy, read-only: never a reason to delete it
                self.ignored = self.unavailable = f"unavailable: {exc}"
                self.close()
                return False
            # not a database at all, or not ours: a damaged file, replaced by a new store
            self.ignored = "damaged"
            self.close()
            self.discard()
            with contextlib.suppress(sqlite3.Error, OSError):
                self._db = self._connect()
                self._create()
                if self._meta() is not None:
                    return True
        except OSError as exc:
            self.ignored = self.unavailable = f"unusable: {exc.strerror or type(exc).__name__}"
        self.close()
        return False

    def _meta(self) -> dict[str, str] | None:
        """Begin the run's read transaction and read ``meta`` in it (None: there is no store yet)."""
        db = self.db
        if db.in_transaction:
            db.execute("ROLLBACK")
        db.execute("BEGIN")
        try:
            return dict(db.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.OperationalError as exc:
            if "no such table" not in str(exc):
                raise
            db.execute("ROLLBACK")
            return None

    def _create(self) -> None:
        self.db.executescript(_SCHEMA.format(format=STORE_FORMAT, run=self.digest))

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(
            self.path, timeout=BUSY_MILLISECONDS / 1000, isolation_level=None, check_same_thread=False
        )
        try:
            db.execute("PRAGMA journal_mode=WAL")  # readers keep their snapshot while another run writes
            db.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.OperationalError:
            pass  # another run holds it right now: the mode is the database's, set by whoever came first
        return db

    def close(self) -> None:
        """End the snapshot without writing (``commit`` writes) and let go of the database."""
        if self._sorting is not None:
            self._sorting[0].join()
            self._sorting = None
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None
        self._pending = []

    def discard(self) -> None:
        """Delete the database (damaged, foreign): the next run starts cold."""
        for suffix in ("", "-journal", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                os.unlink(str(self.path) + suffix)

    @property
    def db(self) -> sqlite3.Connection:
        assert self._db is not None, "the store is not open"
        return self._db

    def _unavailable(self, exc: sqlite3.Error) -> None:
        """A read failed: a lock (another run) means going without the store; anything else, damage."""
        if _busy(exc):
            self.unavailable = self.unavailable or f"unavailable: {exc}"
        else:
            self.damaged = True

    # -- reading ---------------------------------------------------------------------------

    def files(self, unchanged: Mapping[str, str] | None = None, today: int = 0) -> StoredFiles:
        """Every stored file, without its facts; a row that does not decode is left out (checked again).

        ``unchanged``: the files git's index vouches for, with their blob ids.  A
        file whose stored key is its blob id is not looked at, and its recorded
        signature is not read (left None): at 50,000 files, a third of the rows' fetch.
        Those whose findings also hold on ``today`` (a day's ordinal; left out, no
        file a date-reading rule found something in is taken) are taken as they
        are (``vouched``), sorted from the others in this one pass over the rows.
        """
        stored = StoredFiles({}, {}, {})
        vouched, shas, others = stored
        signed = not unchanged
        columns = "path, sha, documents, skipped, valid_from, valid_to, extra" + (
            ", signature, read_ns" * signed
        )
        try:
            rows = self.db.execute(f"SELECT {columns} FROM files").fetchall()
        except sqlite3.Error as exc:
            self._unavailable(exc)
            return stored
        blob_of = (unchanged or {}).get
        unsigned: list[str] = []  # not vouched for: their signatures are read after
        for row in rows:
            path, sha, documents, skipped, valid_from, valid_to, extra = row[:7]
            try:
                result = FileResult(path, int(documents), int(skipped))
                valid = result.valid = (int(valid_from), int(valid_to)) if valid_from is not None else None
                if extra is not None:  # findings, crashes or suppressions: most files have none
                    decode(functools.partial(_extra, result), extra)
                if signed:
                    others[path] = StoredFile(sha, row[7], int(row[8] or 0), result)
                elif blob_of(path) != sha:
                    others[path] = StoredFile(sha, None, 0, result)
                    unsigned.append(path)
                elif valid is None or valid[0] <= today < valid[1]:
                    vouched[path] = result
                    shas[path] = sha
                else:  # the bytes read, but what a date-reading rule found holds on other days only
                    others[path] = StoredFile(sha, None, 0, result)
            except (StoreDamage, ValueError, TypeError):
                continue
        if unsigned:
            self._sign(others, unsigned, many=len(unsigned) * 4 > len(rows))
        return stored

    def _sign(self, found: dict[str, StoredFile], paths: list[str], many: bool) -> None:
        """Fill in the signatures recorded for these paths of ``found`` (``many``: in one pass over every row)."""
        query = "SELECT path, signature, read_ns FROM files"
        try:
            if many:
                wanted = set(paths)
                rows = [row for row in self.db.execute(query) if row[0] in wanted]
            else:
                rows = []
                for at in range(0, len(paths), _PATHS_PER_QUERY):
                    chunk = paths[at : at + _PATHS_PER_QUERY]
                    marks = ", ".join("?" * len(chunk))
                    rows += self.db.execute(f"{query} WHERE path IN ({marks})", chunk).fetchall()
        except sqlite3.Error as exc:
            self._unavailable(exc)
            return
        for path, signature, read_ns in rows:
            try:
                found[path] = found[path]._replace(signature=signature, read_ns=int(read_ns or 0))
            except (ValueError, TypeError):
                del found[path]  # a row that does not decode: checked again

    def findings(self) -> dict[str, list[Diagnostic]] | None:
        """The repository rules' findings by rule (None: unreadable, they must be found again)."""
        by_rule: dict[str, list[Diagnostic]] = {}
        try:
            rows = self.db.execute("SELECT rule, finding FROM findings ORDER BY rowid").fetchall()
            ran = self.db.execute("SELECT value FROM meta WHERE key = 'rules'").fetchone()
        except sqlite3.Error as exc:
            self._unavailable(exc)
            return None
        try:
            for rule, finding in rows:
                by_rule.setdefault(rule, []).append(decode(Diagnostic.from_dict, finding))
            if ran is None:
                return None  # the repository rules never finished over this store
            for code in decode(list, ran[0]):
                by_rule.setdefault(str(code), [])
        except StoreDamage:
            self.damaged = True
            return None
        return by_rule

    def dated(self) -> dict[str, tuple[int, int]]:
        """The days over which each date-reading repository rule's stored findings hold."""
        try:
            row = self.db.execute("SELECT value FROM meta WHERE key = 'dated'").fetchone()
        except sqlite3.Error as exc:
            self._unavailable(exc)
            return {}
        try:
            raw = decode(dict, row[0]) if row is not None else {}
            return {str(code): (int(span[0]), int(span[1])) for code, span in raw.items()}
        except (StoreDamage, ValueError, TypeError, IndexError):
            self.damaged = True
            return {}

    def named(self) -> NamedFiles | None:
        """The files procedures named that existed when the rules last ran, and which files the repository
        held then (None: not known)."""
        try:
            row = self.db.execute("SELECT value FROM meta WHERE key = 'named'").fetchone()
        except sqlite3.Error as exc:
            self._unavailable(exc)
            return None
        try:
            raw = decode(dict, row[0]) if row is not None else None
            return NamedFiles(str(raw["listing"]), {str(path) for path in raw["existed"]}) if raw else None
        except (StoreDamage, KeyError, TypeError):
            self.damaged = True
            return None

    def named_paths(self) -> list[str]:
        """Every path some stored procedure may name (its ``~file:`` keys, one range of the key order)."""
        start = len(FILE_KEY)
        end = FILE_KEY[:-1] + chr(ord(FILE_KEY[-1]) + 1)
        try:
            rows = self.db.execute(
                "SELECT DISTINCT key FROM keys WHERE key >= ? AND key < ?", (FILE_KEY, end)
            )
            return [key[start:] for (key,) in rows]
        except sqlite3.Error as exc:
            self._unavailable(exc)
            return []

    def save_named(self, named: NamedFiles) -> None:
        """Queue what ``named`` reads for ``commit``."""
        value = json.dumps({"listing": named.listing, "existed": sorted(named.existed)})

        def write() -> None:
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('named', ?)", (value,))

        self._pending.append(write)

    def rows(self, key: str, roles: Collection[int] | None = None) -> list[Row]:
        query = "SELECT files.path, keys.entity, keys.role FROM keys JOIN files ON files.id = keys.file WHERE key = ?"
        try:
            if roles is None:
                return self.db.execute(query, (key,)).fetchall()
            marks = ", ".join("?" * len(roles))
            return self.db.execute(f"{query} AND role IN ({marks})", (key, *roles)).fetchall()
        except sqlite3.Error as exc:
            self._unavailable(exc)
            return []

    def entities(self, path: str) -> list[Entity]:
        kept = _kept(self._decoded, path)
        if kept is None:
            parsed = self._parse(path)
            try:
                kept = converted(lambda: entities_from_json(parsed.entities)) if parsed is not None else []
            except StoreDamage:
                self.damaged = True
                return []
            # a few files kept decoded: the ones a rule reads one after another
            _kept(self._decoded, path, kept)
        return list(kept)

    def entity(self, path: str, key: str) -> list[Entity]:
        parsed = self._parse(path)
        if parsed is None:
            return []
        try:  # only these decoded: one person of a file of thousands is resolved after another
            return converted(lambda: [entity_from_json(raw) for raw in parsed.by_key.get(key, ())])
        except StoreDamage:
            self.damaged = True
            return []

    def _parse(self, path: str) -> _Parsed | None:
        """A file's stored facts, parsed (None: it has none, or they cannot be read)."""
        parsed = _kept(self._parsed, path)
        if parsed is not None:
            return parsed
        try:
            row = self.db.execute(
                "SELECT facts FROM facts WHERE file = (SELECT id FROM files WHERE path = ?)", (path,)
            ).fetchone()
        except sqlite3.Error as exc:
            self._unavailable(exc)
            return None
        if row is None:
            return None
        try:
            return _kept(self._parsed, path, decode(_parsed, row[0]))
        except StoreDamage:
            self.damaged = True
            return None

    def views(self) -> dict[str, tuple[str, str]]:
        """Each file's stored view data (what the reports read of its documents): sha and JSON text."""
        try:
            rows = self.db.execute("SELECT path, sha, data FROM views").fetchall()
        except sqlite3.Error as exc:
            self._unavailable(exc)
            return {}
        return {path: (sha, data) for path, sha, data in rows}

    def save_views(self, rows: Mapping[str, tuple[str, str]]) -> None:
        """Queue files' view data (sha, JSON text) for ``commit``."""
        if not rows:
            return
        values = [(path, sha, data) for path, (sha, data) in rows.items()]

        def write() -> None:
            self.db.executemany("INSERT OR REPLACE INTO views VALUES (?, ?, ?)", values)

        self._pending.append(write)

    def paths(self) -> list[str]:
        try:
            return [
                p for (p,) in self.db.execute("SELECT path FROM files JOIN facts ON facts.file = files.id")
            ]
        except sqlite3.Error as exc:
            self._unavailable(exc)
            return []

    # -- writing ---------------------------------------------------------------------------

    def save(
        self,
        files: Mapping[str, Checked | None],
        findings: Mapping[str, list[Diagnostic]],
        replace_findings: Iterable[str],
        spliced: Mapping[str, set[tuple[str, str | None]]],
        ran: Iterable[str],
        dated: Mapping[str, tuple[int, int]] | None = None,
    ) -> None:
        """Queue the files that changed (None: gone) and the repository findings for ``commit``.

        Rules in ``replace_findings`` have every finding replaced; for the others,
        the findings at the ``spliced`` (path, entity) pairs are replaced.
        """
        files = dict(files)
        findings = {code: list(found) for code, found in findings.items()}
        replace_findings, ran = list(replace_findings), sorted(ran)
        days = {code: list(span) for code, span in (dated or {}).items()}

        def write() -> None:
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
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('rules', ?)", (json.dumps(ran),))
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('dated', ?)", (json.dumps(days),))

        self._pending.append(write)

    def restart(self) -> bool:
        """Empty the store and hold it for writing until ``commit``: a cold build streams its files in
        (``add``) instead of holding them all until the end.  False when another run holds the store."""
        db = self.db
        try:
            if db.in_transaction:
                db.execute("ROLLBACK")  # the snapshot: a cold build reads nothing from the store
            db.execute("BEGIN IMMEDIATE")
            for table in ("files", "facts", "keys", "findings"):
                db.execute(f"DELETE FROM {table}")
            db.execute(_STAGE_KEYS)
            db.execute("DELETE FROM staged_keys")
        except sqlite3.Error as exc:
            self._failed(exc)
            return False
        self._next = 1
        self._pending.append(self._unstage)  # ``commit`` ends the transaction even if nothing else is queued
        return True

    def added(self) -> None:
        """Every file is added (``add``): the staged key rows go into ``keys`` now, in a thread that SQLite
        runs without the interpreter's lock, beside the repository rules; ``commit`` waits for it."""
        if self._db is None or not self._pending or self._sorting is not None or sqlite3.threadsafety != 3:
            return  # not serialized (one connection, two threads): ``commit`` does it
        failed: list[BaseException] = []

        def sort() -> None:
            try:
                self._sort_staged()
            except (sqlite3.Error, OSError, ValueError) as exc:
                failed.append(exc)

        thread = threading.Thread(target=sort, name="govlint-store-keys", daemon=True)
        self._sorting = (thread, failed)
        thread.start()

    def _unstage(self) -> None:
        if self._sorting is None:
            self._sort_staged()
            return
        thread, failed = self._sorting
        thread.join()
        self._sorting = None
        if failed:
            raise failed[0]

    def _sort_staged(self) -> None:
        """Move the key rows ``add`` staged into ``keys`` in key order: a B-tree filled in order is
        written once, where rows in file order land all over it (three times the cost)."""
        self.db.execute("INSERT INTO keys SELECT * FROM staged_keys ORDER BY key, role, file, entity")
        self.db.execute("DELETE FROM staged_keys")

    def add(self, files: Iterable[tuple[str, Checked]]) -> None:
        """Write files into the store that ``restart`` emptied (in its transaction, committed by ``commit``)."""
        if self._db is None or not self._pending:
            return  # writing failed before: the store is left as it was
        rows: list[tuple[Any, ...]] = []
        facts: list[tuple[int, str]] = []
        keys: list[tuple[str, int, int, str]] = []
        for path, entry in files:
            if entry.sha is None:
                continue  # unreadable: read again next time
            number, self._next = self._next, self._next + 1
            rows.append((number, path, *_file_row(entry)))
            fact_rows, keyed = _facts_rows(number, entry)
            facts.extend(fact_rows)
            keys.extend(keyed)
        try:
            self.db.executemany("INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
            self.db.executemany(_INSERT_FACTS, facts)
            self.db.executemany("INSERT INTO staged_keys VALUES (?, ?, ?, ?)", keys)
        except (sqlite3.Error, OSError, ValueError) as exc:
            self._failed(exc)

    def _failed(self, exc: BaseException) -> None:
        """Writing failed (another run holds the store, a full disk): nothing of this run is written."""
        with contextlib.suppress(sqlite3.Error):
            self.db.execute("ROLLBACK")
        self._pending = []
        if isinstance(exc, sqlite3.Error):
            self.unsaved = f"another run holds or changed the store ({exc})" if _busy(exc) else str(exc)
        else:
            self.unsaved = getattr(exc, "strerror", None) or f"{type(exc).__name__}: {exc}"

    def touch(self, signatures: Mapping[str, tuple[list[int] | None, int]]) -> None:
        """Remember new signatures of files whose bytes did not change (written by ``commit``)."""
        if not signatures:
            return
        rows = [(_signature(s), ns, p) for p, (s, ns) in signatures.items()]

        def write() -> None:
            self.db.executemany("UPDATE files SET signature = ?, read_ns = ? WHERE path = ?", rows)

        self._pending.append(write)

    @property
    def pending(self) -> bool:
        return bool(self._pending)

    def commit(self) -> bool:
        """Write what the run queued, in one transaction over its snapshot; True when it was written.

        When another run saved since this one took its snapshot, or holds the
        database, nothing is written (``unsaved`` says why): the other run's state
        stands, and the next run follows what changed from it.
        """
        if self._db is None or not self._pending:
            return False
        pending, self._pending = self._pending, []
        self._decoded, self._parsed = {}, {}
        db = self.db
        try:
            if not db.in_transaction:
                db.execute("BEGIN IMMEDIATE")
            for write in pending:
                write()
            db.execute("COMMIT")
        except (sqlite3.Error, OSError, ValueError) as exc:  # a lock, a full disk, a name SQLite cannot take
            self._failed(exc)
            return False
        self._prune()
        return True

    def _write_file(self, path: str, entry: Checked | None) -> None:
        db = self.db
        found = db.execute("SELECT id FROM files WHERE path = ?", (path,)).fetchone()
        if found is not None:
            self._forget_facts(found[0])
        if entry is None or entry.sha is None:  # gone, or unreadable (read again next time)
            db.execute("DELETE FROM files WHERE path = ?", (path,))
            db.execute("DELETE FROM views WHERE path = ?", (path,))
            return
        row = _file_row(entry)
        if found is not None:
            number = found[0]
            db.execute(
                "UPDATE files SET sha = ?, signature = ?, read_ns = ?, documents = ?, skipped = ?,"
                " valid_from = ?, valid_to = ?, extra = ? WHERE id = ?",
                (*row, number),
            )
        else:
            number = db.execute(
                "INSERT INTO files(path, sha, signature, read_ns, documents, skipped, valid_from, valid_to, extra)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (path, *row),
            ).lastrowid
        fact_rows, keyed = _facts_rows(number, entry)
        db.executemany(_INSERT_FACTS, fact_rows)
        db.executemany(_INSERT_KEYS, keyed)

    def _forget_facts(self, number: int) -> None:
        """Delete a file's facts and key rows (found from its facts: the keys are ordered by key, not file)."""
        db = self.db
        row = db.execute("SELECT facts FROM facts WHERE file = ?", (number,)).fetchone()
        if row is None:
            return
        try:
            rows: list[KeyRow] = key_rows(decode(entities_from_json, row[0]))
        except StoreDamage:
            db.execute("DELETE FROM keys WHERE file = ?", (number,))  # a scan, for a damaged row only
        else:
            db.executemany(
                "DELETE FROM keys WHERE key = ? AND role = ? AND file = ? AND entity = ?",
                [(key, role, number, entity) for key, role, entity in rows],
            )
        db.execute("DELETE FROM facts WHERE file = ?", (number,))

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


#: SQLite's primary result codes for "not now" (another connection) and "not here" (the file system)
_BUSY_CODES = frozenset(
    {
        sqlite3.SQLITE_BUSY,
        sqlite3.SQLITE_LOCKED,
        sqlite3.SQLITE_READONLY,
        sqlite3.SQLITE_IOERR,
        sqlite3.SQLITE_CANTOPEN,
    }
)


def _busy(exc: sqlite3.Error) -> bool:
    """Whether SQLite said no because of another connection (a lock), or of the file system."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in _BUSY_CODES


def _file_row(entry: Checked) -> tuple[Any, ...]:
    """A checked file's ``files`` columns after its path: sha, signature, read time, counts, the days
    its result holds (None: every day), extra."""
    result, extra = entry.result, None
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
    valid = result.valid or (None, None)
    return (
        entry.sha,
        _signature(entry.signature),
        entry.read_ns,
        result.documents,
        result.skipped,
        *valid,
        extra,
    )


def _facts_rows(number: int, entry: Checked) -> tuple[list[tuple[int, str]], list[tuple[str, int, int, str]]]:
    """A checked file's ``facts`` row and ``keys`` rows, under its number (encoded here when no worker
    encoded them); none for a file without entities."""
    encoded = entry.facts if entry.facts is not None else stored_facts(entry.result.entities)
    if encoded is None:
        return [], []
    return [(number, encoded.text)], [(key, role, number, entity) for key, role, entity in encoded.keys]


def _extra(result: FileResult, raw: Any) -> None:
    """Fill ``result`` from a stored row's ``extra`` JSON (findings, crashes, suppressions)."""
    result.diagnostics = [Diagnostic.from_dict(d) for d in raw["diagnostics"]]
    result.crashes = list(raw["crashes"])
    result.suppressions = list(raw["suppressions"])
    result.unloadable = bool(raw["unloadable"])


def _signature(signature: list[int] | None) -> str | None:
    return ",".join(str(x) for x in signature) if signature else None


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def now_ns() -> int:
    return time.time_ns()
