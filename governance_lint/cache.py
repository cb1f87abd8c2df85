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

import hashlib
import json
import os
import sys
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from .config import Config
from .engine import Plan

CACHE_FORMAT = "govlint-cache/1"
KEEP_RUNS = 4  # cache files kept per repository (other configs, rule sets, days)

Entry = tuple[str, dict[str, Any]]  # sha256 of the bytes, FileResult.to_json()


@dataclass
class CacheStats:
    """What a run did with the cache (for ``--verbose`` and the tests)."""

    hits: int = 0
    misses: int = 0
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
    files = {p for p in package.rglob("*.py")}
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


def run_digest(plan: Plan, config: Config) -> str:
    """What every cached result depends on besides the file's bytes."""
    import governance_lint

    parts: dict[str, Any] = {
        "format": CACHE_FORMAT,
        "govlint": governance_lint.__version__,
        "python": sys.version,
        "schemas": schema_digest(),
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
        self.folder = repository_folder(root)
        self.path = self.folder / f"{digest[:40]}.json"
        self.digest = digest
        self.entries: dict[str, Any] = {}  # path -> Entry, as read: untrusted until looked up
        self.stats = CacheStats()
        self._changed = False

    def load(self) -> None:
        """Read the cache file; anything unexpected leaves the cache empty (a cold run)."""
        try:
            with open(self.path, "rb") as stream:
                raw = json.loads(stream.read())
        except FileNotFoundError:
            return
        except (OSError, ValueError, RecursionError) as exc:
            self.stats.ignored = f"unreadable: {type(exc).__name__}"
            return
        if not (isinstance(raw, dict) and raw.get("format") == CACHE_FORMAT and raw.get("run") == self.digest
                and isinstance(raw.get("files"), dict)):
            self.stats.ignored = "not a cache of this run"
            return
        self.entries = raw["files"]

    def lookup(self, rel: str, key: str) -> dict[str, Any] | None:
        """The cached result of ``rel`` if its bytes still hash to ``key`` (a well-formed entry only)."""
        entry: Any = self.entries.get(rel)
        if type(entry) not in (list, tuple) or len(entry) != 2:
            return None
        sha, result = entry
        return result if sha == key and type(result) is dict and result.get("path") == rel else None

    def store(self, rel: str, key: str, result: dict[str, Any]) -> None:
        self.entries[rel] = (key, result)
        self._changed = True

    def keep_only(self, paths: set[str]) -> None:
        """Forget files that left the repository."""
        gone = [rel for rel in self.entries if rel not in paths]
        for rel in gone:
            del self.entries[rel]
        self._changed = self._changed or bool(gone)

    def save(self) -> None:
        """Write atomically when something changed; a failure to write only costs the next run time."""
        if not self._changed:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-", suffix=".json")
            try:
                # dumps, not dump: only the one-shot encoder is the C one
                text = json.dumps({"format": CACHE_FORMAT, "run": self.digest, "files": self.entries},
                                  separators=(",", ":"))
                with os.fdopen(fd, "w", encoding="ascii") as stream:
                    stream.write(text)
                os.replace(tmp, self.path)
            except BaseException:
                _unlink(Path(tmp))
                raise
            self.stats.written = True
            self._prune()
        except (OSError, ValueError):
            pass

    def _prune(self) -> None:
        runs = sorted(self.folder.glob("*.json"), key=_mtime, reverse=True)
        for old in runs[KEEP_RUNS:]:
            _unlink(old)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass
