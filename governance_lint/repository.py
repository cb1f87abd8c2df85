"""The repository model: its state at one moment, and updated by what changed.

A ``Repository`` holds every file's result (findings, counts, suppression
comments), the facts the index is made of, and each repository rule's
findings.  It is built from the work tree, from a git commit's tree, or from
the work tree with editor buffers laid over it, and ``update(paths)`` reloads
only those files; the repository rules then check again only the entities the
change can affect (see ``FactsChange.subjects``), and their other findings are kept.
``check``, ``check --new-since``, reports and the language server read it::

    repo = Repository.build_from_worktree(config, plan)          # stored state reused
    live = repo.with_overlay({"governance/a.yaml": b"..."})       # unsaved buffers, a commit's files
    live.update(["governance/a.yaml"])                            # after the next edit
    found = live.findings()                                      # unfiltered, in report order

The state persists in a ``Store`` (``cache.py``) when one is given: a warm run
reads each file's row but no facts; a run after one edit reads the facts of
the few files the edit can affect.
"""

from __future__ import annotations

import json
import os
import stat
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from .cache import NamedFiles, Store, StoredFile, read_clock, run_digest, trusted_signature
from .config import Config
from .discovery import FileSet, discover, read_file, relative, repository_files, selected
from .engine import (
    ActiveRule,
    Checked,
    FileResult,
    Filter,
    Plan,
    RunResult,
    check_repository,
    crash_rule,
    finish,
    held_back,
    within,
)
from .index import (
    DEFINES,
    DEFINES_LOCALLY,
    FAMILY_KEY,
    FILE_KEY,
    MENTIONS,
    Entity,
    Facts,
    MemoryFacts,
    Overlay,
    RepositoryFiles,
    RepositoryIndex,
    Subject,
    entity_keys,
)
from .loader import load
from .model import Diagnostic, Document, Problem
from .parallel import bulk_phase, check_files, content_key, narrow

# Past this many changed files (or this share of all), every repository rule runs over everything:
# loading every file's facts at once is then cheaper than following each change.
FULL_UPDATE_MIN, FULL_UPDATE_SHARE = 2000, 5
STORE_BATCH = 256  # files a cold build writes into the store at once


class Source(Protocol):
    """Where a repository's files come from."""

    root: Path
    on_disk: bool  # files are read from disk under ``root`` (worker processes may read them themselves)

    def paths(self) -> list[str]: ...

    def exists(self, rel: str) -> bool: ...

    def read(self, rel: str) -> bytes | Problem: ...

    def regular(self, rel: str) -> bool:
        """Whether ``rel`` is a regular file (not a link, a folder or a device)."""
        ...


class WorkTree:
    """The files on disk that the config includes."""

    on_disk = True

    def __init__(self, config: Config, paths: Iterable[str], max_bytes: int) -> None:
        self.root, self.config, self.max_bytes = config.root, config, max_bytes
        listed = list(paths)
        self._paths = set(listed)
        self._sorted: list[str] | None = sorted(listed)  # ``paths()``, until a path comes or goes
        self._own_config = relative(config.root, config.path) if config.path else None

    def paths(self) -> list[str]:
        if self._sorted is None:
            self._sorted = sorted(self._paths)
        return list(self._sorted)

    def exists(self, rel: str) -> bool:
        """Whether ``rel`` is a file of the repository: discovered (git may list a file deleted since, which
        is then reported unreadable), or on disk now and included by the config."""
        if rel in self._paths:
            return True
        present = (
            os.path.lexists(os.path.join(self.root, rel))
            and rel != self._own_config
            and selected(self.config, rel)
        )
        if present:
            self._paths.add(rel)
            self._sorted = None
        return present

    def forget(self, rel: str) -> None:
        """``rel`` left the repository (a long-lived model learns it from its caller)."""
        self._paths.discard(rel)
        self._sorted = None

    def read(self, rel: str) -> bytes | Problem:
        return read_file(self.root, rel, self.max_bytes)

    def regular(self, rel: str) -> bool:
        try:
            return stat.S_ISREG(os.lstat(os.path.join(self.root, rel)).st_mode)
        except OSError:
            return False


class Buffers:
    """Another source with some files replaced by in-memory text (None: the file is absent)."""

    on_disk = False

    def __init__(self, base: Source, buffers: Mapping[str, bytes | Problem | None]) -> None:
        self.root, self.base, self.buffers = base.root, base, dict(buffers)

    def paths(self) -> list[str]:
        present = {p for p in self.base.paths() if p not in self.buffers}
        return sorted(present | {p for p, text in self.buffers.items() if text is not None})

    def exists(self, rel: str) -> bool:
        if rel in self.buffers:
            return self.buffers[rel] is not None
        return self.base.exists(rel)

    def read(self, rel: str) -> bytes | Problem:
        text = self.buffers.get(rel)
        return text if text is not None else self.base.read(rel)

    def regular(self, rel: str) -> bool:
        if rel in self.buffers:
            return isinstance(self.buffers[rel], bytes)
        return self.base.regular(rel)


@dataclass
class Stats:
    """What building or updating the model did (for the tests and the benchmark)."""

    hits: int = 0  # files whose stored result was reused
    misses: int = 0  # files checked
    unread: int = 0  # reused without reading the file: git vouched for it, or its signature is the one stored
    vouched: int = 0  # of those, the files git's index vouched for (no lstat, no read)
    written: bool = False  # the store was written
    ignored: str | None = None  # why an existing store was not used
    unsaved: str | None = None  # why the store was not written, when there was something to write
    subjects: int = 0  # entities the last update checked again
    #: where the time went: "state" (reading the store), "lstat" (finding what changed), "update"
    #: (reloading changed files, comparing facts, writing the store) and "rules" (repository rules)
    seconds: dict[str, float] = field(default_factory=dict)

    def add(self, phase: str, since: float) -> float:
        now = time.perf_counter()
        self.seconds[phase] = self.seconds.get(phase, 0.0) + now - since
        return now


class Repository:
    """The repository's files, facts and findings; see the module documentation."""

    def __init__(
        self, source: Source, plan: Plan, config: Config, *, store: Store | None = None, jobs: int = 1
    ) -> None:
        self.source, self.plan, self.config, self.store, self.jobs = source, plan, config, store, jobs
        self.files: dict[str, FileResult] = {}  # per-file results; their facts live in ``facts``
        self.facts: Facts = MemoryFacts()
        self.results: dict[str, list[Diagnostic]] = {}  # each repository rule's findings, by code
        self.rule_crashes: dict[str, list[str]] = {}
        self.rule_valid: dict[str, tuple[int, int]] = {}  # the days a date-reading rule's findings hold
        self.stats = Stats()
        self._shas: dict[str, str | None] = {}
        # the files where a per-file rule raised or that did not load (of the ``files`` dict named
        # beside them), so that reading the findings costs what is broken, not the repository
        self._broken: tuple[dict[str, FileResult], set[str]] | None = None
        # what an update left to check later (``update``'s ``first``): each rule, its index and subjects
        self._later: list[tuple[ActiveRule, RepositoryIndex, set[Subject]]] = []
        self._later_paths: set[str] = set()
        # the files that the facts this run read from its files name (a procedure's path)
        self._named_now: set[str] = set()
        root = source.root
        # every file of the repository (procedure-exists asks), listed only when a rule first asks
        self._files = RepositoryFiles(lambda: repository_files(root))

    # -- building ---------------------------------------------------------------------------

    @classmethod
    def build_from_worktree(
        cls,
        config: Config,
        plan: Plan,
        files: FileSet | None = None,
        *,
        use_cache: bool = True,
        jobs: int = 1,
    ) -> Repository:
        """The work tree as it is, reusing the stored state of unchanged files when ``use_cache``."""
        files = files if files is not None else discover(config, (), config.root)
        source = WorkTree(config, files.context, plan.limits.max_file_bytes)
        store = Store(config.root, run_digest(plan, config)) if use_cache else None
        if store is not None and not store.open():
            store = None
        repo = cls(source, plan, config, store=store, jobs=jobs)
        if files.every is not None:  # discovery listed the repository's files: not asked of git again
            repo._files = RepositoryFiles(files.every)
        if store is not None:
            repo.stats.ignored = store.ignored
            if repo._resume(files.index.unchanged if files.index is not None else {}):
                return repo
            repo._restart()
        repo._build()
        return repo

    def with_overlay(self, buffers: Mapping[str, bytes | Problem | None]) -> Repository:
        """A copy of this model with ``buffers`` laid over its files (None: absent); never stored."""
        self.settle()
        other = Repository(Buffers(self.source, buffers), self.plan, self.config, jobs=self.jobs)
        other.files = dict(self.files)
        other._shas = dict(self._shas)
        other.facts = Overlay(self.facts, {})
        other.results = {code: list(found) for code, found in self.results.items()}
        other.rule_crashes = {code: list(c) for code, c in self.rule_crashes.items()}
        other.rule_valid = dict(self.rule_valid)
        other._files = self._files  # the repository's files under the same root: listed once
        if buffers:
            other.update(buffers)
        return other

    def lay(self, buffers: Mapping[str, bytes | None], first: Collection[str] | None = None) -> None:
        """Lay these buffers over an overlay model (None: the buffer is taken off, the file counts again),
        then follow what they change (``first``: see ``update``)."""
        if not isinstance(self.source, Buffers):
            raise TypeError("lay needs a model made by with_overlay")
        for rel, text in buffers.items():
            if text is None:
                self.source.buffers.pop(rel, None)
            else:
                self.source.buffers[rel] = text
        self.update(buffers, first)

    def _build(self) -> None:
        """Check every file and run every repository rule (nothing reused).

        With a store, each file is written into it as its result arrives (the
        store is emptied and held for this run until it closes), so no file's
        stored form is held until the end.
        """
        paths = self.source.paths()
        facts = MemoryFacts()
        store = self.store if self.store is not None and self.store.restart() else None
        batch: list[tuple[str, Checked]] = []
        with bulk_phase():
            for rel, checked in zip(paths, self._check(paths), strict=True):
                # with the key rows a worker worked out beside the facts, when it did
                facts.replace(
                    {rel: checked.result.entities}, {rel: checked.facts.keys} if checked.facts else None
                )
                self._keep(rel, checked.sha, checked.result)
                if store is not None:
                    batch.append((rel, checked))
                    if len(batch) >= STORE_BATCH:
                        store.add(batch)
                        batch = []
            if store is not None:
                store.add(batch)
                store.added()
            self.facts = facts
        self.stats.misses = len(paths)
        self._run_everything()
        if store is not None:
            store.save({}, self.results, list(self.results), {}, self._ran(), self.rule_valid)
            # the repository's files are listed only when some procedure names one
            named = _named_paths(map(facts.entities, facts.paths()))
            listing = self._files.digest if named else ""
            store.save_named(NamedFiles(listing, {path for path in named if path in self._files}))

    def _resume(self, unchanged: Mapping[str, str]) -> bool:
        """Take the stored state and follow what changed since; False when there is none to take.

        ``unchanged``: the files git's index vouches for, with their blob ids (their content keys).
        """
        assert self.store is not None
        started = time.perf_counter()
        today = self.plan.today.toordinal()
        with bulk_phase():  # a row's objects for every file, kept for the run: no cyclic GC meanwhile
            # git's index holds the stored bytes and the findings hold today: taken without a look
            stored = self.store.files(unchanged, today)
            results = self.store.findings() if stored.total else None
        started = self.stats.add("state", started)
        if not stored.total or results is None or self.store.damaged or self.store.unavailable:
            return False
        self.facts = self.store
        self.rule_valid = self.store.dated()
        for code, (start, end) in list(self.rule_valid.items()):
            if not start <= today < end:  # found on a day its findings no longer hold: found again
                results.pop(code, None)
                del self.rule_valid[code]
        self.results = results
        changed: list[str] = []
        touched: dict[str, tuple[list[int] | None, int]] = {}
        paths = self.source.paths()
        files, shas = self.files, self._shas = stored.vouched, stored.shas
        known = stored.total  # every stored file, before those no longer among the paths are let go
        rest = [rel for rel in paths if rel not in files] if files else paths
        dropped: set[str] = set()
        if len(paths) - len(rest) != len(files):  # some vouched file is no longer among the paths: gone
            dropped = files.keys() - set(paths)
            for rel in dropped:
                del files[rel], shas[rel]
        self.stats.unread = self.stats.vouched = len(files)
        for rel, entry, signature in _signatures(self.source.root, rest, stored.others):
            if signature is None and entry is not None and entry.result.holds_on(self.plan.today):
                self.stats.unread += 1  # its signature is the one recorded when it was read
            elif entry is not None and not entry.result.holds_on(self.plan.today):
                changed.append(rel)  # what a date-reading rule found in it holds on other days only
                continue
            elif entry is not None:
                read_ns = read_clock()
                content = self.source.read(rel)
                if not isinstance(content, bytes) or content_key(content) != entry.sha:
                    changed.append(rel)
                    continue
                touched[rel] = (trusted_signature(None if signature == [-1] else signature, read_ns), read_ns)
            else:
                changed.append(rel)
                continue
            files[rel] = entry.result
            shas[rel] = entry.sha
        self.stats.hits = len(self.files)
        # every stored file reused (they are all among the paths): none is gone
        gone = [] if len(files) == known else sorted((stored.others.keys() | dropped) - set(paths))
        self.store.touch(touched)
        missing = [a for a in self.plan.repository_rules if a.rule.code not in self.results]
        self.stats.add("lstat", started)
        if changed or gone or missing:
            self.update([*changed, *gone], gone=set(gone))  # a skip-worktree or ignored file may be on disk
        self._recheck_named_files()
        # a row that did not decode, or a store that stopped answering, while following the change: cold
        return not (self.store.damaged or self.store.unavailable)

    def _recheck_named_files(self) -> None:
        """Rules that ask which files exist (they read ``procedures``) follow the files that came or went
        since the last run, though no governance file changed: when the repository's files are others,
        they check again the entities they reported (a file they missed may have been added) and those
        that name a file that is gone."""
        assert self.store is not None
        naming = [a.rule.code for a in self.plan.repository_rules if "procedures" in (a.rule.reads or ())]
        if not naming:
            return  # the files named are left as the last run that asked found them
        before = self.store.named()
        if before is not None and not before.listing and not self._named_now:
            return  # no procedure named a file, and none of this run's changes does
        listing = self._files.digest
        if before is not None and before.listing == listing:
            # the files of the last run: what this run's changes name was checked with them
            added = {path for path in self._named_now - before.existed if path in self._files}
            if added:
                self.store.save_named(NamedFiles(listing, before.existed | added))
            return
        named = {*self.store.named_paths(), *self._named_now}
        existing = {path for path in named if path in self._files}
        existed = before.existed if before is not None else set()
        gone: set[Subject] = {
            (path, entity)
            for name in existed - existing
            for path, entity, _ in self.facts.rows(FILE_KEY + name, (MENTIONS,))
        }
        self.store.save_named(NamedFiles(listing, existing))
        spliced: dict[str, set[tuple[str, str | None]]] = {}
        for active in self.plan.repository_rules:
            code = active.rule.code
            if code not in naming or not (self.results.get(code) or gone):
                continue
            subjects = gone | {(d.path, d.entity) for d in self.results.get(code, ()) if d.entity is not None}
            self.results[code] = [d for d in self.results.get(code, ()) if (d.path, d.entity) not in subjects]
            index = RepositoryIndex(self.facts, subjects=subjects, loader=self.documents, files=self._files)
            self._run(active, index, keep=True)
            spliced[code] = set(subjects)
        if spliced and self.store is not None:
            self.store.save({}, self.results, [], spliced, self._ran(), self.rule_valid)

    def _restart(self) -> None:
        """Forget what was taken from the store: the build starts cold.

        Only a store with rows that do not decode is emptied; one that is locked or
        busy (another run saving) is left as it is and this run goes without it.
        """
        assert self.store is not None
        if self.store.damaged:
            self.stats.ignored = self.stats.ignored or "damaged"
            self.store.close()
            self.store.discard()
            self.store.damaged = False
            if not self.store.open():
                self.store = None
        elif self.store.unavailable:
            self.stats.ignored = self.stats.ignored or self.store.unavailable
            self.store.close()
            self.store = None
        self.files, self._shas, self.results, self.rule_crashes, self.rule_valid = {}, {}, {}, {}, {}
        self.facts = MemoryFacts()
        self.stats = Stats(ignored=self.stats.ignored)

    # -- updating ---------------------------------------------------------------------------

    def update(
        self, paths: Iterable[str], first: Collection[str] | None = None, gone: Collection[str] = ()
    ) -> None:
        """Reload ``paths`` (changed, added or removed) and follow what the change affects.

        ``first``: the files whose findings are wanted first (the buffers an editor shows). A model
        that is not stored then checks again only the entities in them; the other entities the change
        affects are checked by ``settle``, which reading their files' findings calls.
        ``gone``: those known to have left the repository (git no longer lists them), whatever is on disk.
        """
        self.settle()
        started = time.perf_counter()
        rules_before = self.stats.seconds.get("rules", 0.0)
        paths = sorted(set(paths))
        present = [p for p in paths if p not in gone and self.source.exists(p)]
        old = {p: self.facts.entities(p) for p in paths}
        new: dict[str, list[Entity]] = {p: [] for p in paths}
        checked: dict[str, Checked | None] = dict.fromkeys(paths)
        for rel, entry in zip(present, self._check(present), strict=True):
            checked[rel] = entry
            new[rel] = entry.result.entities
        self.stats.misses += len(present)
        self._named_now.update(_named_paths(new.values()))
        overlay = Overlay(self.facts, new)
        full = len(paths) > max(FULL_UPDATE_MIN, len(self.files) // FULL_UPDATE_SHARE)
        change = None if full else compare(old, new, self._fact_names())
        replaced: list[str] = []
        spliced: dict[str, set[tuple[str, str | None]]] = {}
        subjects_checked = 0
        index = RepositoryIndex(overlay, loader=self.documents, files=self._files)  # one for every rule
        for active in self.plan.repository_rules:
            code = active.rule.code
            rule = active.rule
            if change is None or rule.reads is None or code not in self.results:
                self._run(active, index)
                replaced.append(code)
                continue
            if rule.scope == "repository":
                if change.touches([IDENTITY, *rule.reads]) and (
                    rule.kinds is None or change.kinds & rule.kinds
                ):
                    self._run(active, index)
                    replaced.append(code)
                continue
            subjects = change.subjects(rule.reads, self.facts, overlay)
            if change.touches(HINTS & rule.reads):
                subjects |= {(d.path, d.entity) for d in self.results[code] if d.entity is not None}
            if not subjects:
                continue  # nothing this rule reads changed: its findings stand
            subjects_checked += len(subjects)
            if first is not None and self.store is None:
                later = {s for s in subjects if s[0] not in first}
                if later:
                    self._later.append((active, index, later))
                    self._later_paths.update(path for path, _ in later)
                    subjects -= later
            self.results[code] = [d for d in self.results[code] if (d.path, d.entity) not in subjects]
            self._run(active, index.about(subjects), keep=True)
            spliced[code] = {*subjects, *((p, None) for p in paths)}
        self.stats.subjects = subjects_checked
        for rel in paths:
            done = checked[rel]
            if done is None:
                self.files.pop(rel, None)
                self._shas.pop(rel, None)
                self._seen(rel, None)
            else:
                self._keep(rel, done.sha, done.result)
        self._commit(new)
        if self.store is not None:
            self.store.save(checked, self.results, replaced, spliced, self._ran(), self.rule_valid)
        self.stats.add("update", started)
        self.stats.seconds["update"] -= self.stats.seconds.get("rules", 0.0) - rules_before

    def settle(self) -> None:
        """Check the entities the last update left for later (see ``update``)."""
        later, self._later, self._later_paths = self._later, [], set()
        for active, index, subjects in later:
            code = active.rule.code
            crashes = self.rule_crashes.get(code, [])
            self.results[code] = [d for d in self.results[code] if (d.path, d.entity) not in subjects]
            self._run(active, index.about(subjects), keep=True)
            self.rule_crashes[code] = [*crashes, *self.rule_crashes[code]]

    def _fact_names(self) -> set[str]:
        """Every fact some repository rule reads (identity included)."""
        names = {IDENTITY}
        for active in self.plan.repository_rules:
            names.update(active.rule.reads or ())
        return names

    def _commit(self, new: Mapping[str, list[Entity]]) -> None:
        if isinstance(self.facts, (MemoryFacts, Overlay)):
            self.facts.replace(new)
        else:  # the store's snapshot, which this run never writes into while it reads it
            self.facts = Overlay(self.facts, new)

    # -- rules ------------------------------------------------------------------------------

    def _run_everything(self) -> None:
        index = RepositoryIndex(self.facts, loader=self.documents, files=self._files)
        self.results = {}
        for active in self.plan.repository_rules:
            self._run(active, index)

    def _run(self, active: ActiveRule, index: RepositoryIndex, keep: bool = False) -> None:
        started = time.perf_counter()
        found, crashes, valid = check_repository(active, index, self.plan.today)
        self.stats.add("rules", started)
        code = active.rule.code
        self.results[code] = [*self.results.get(code, []), *found] if keep else found
        self.rule_crashes[code] = crashes
        held = self.rule_valid.get(code) if keep else None
        if valid is not None:
            self.rule_valid[code] = within(held, valid)
        elif not keep:
            self.rule_valid.pop(code, None)

    def _ran(self) -> list[str]:
        """Rules whose stored findings are complete (one that crashed must run again next time)."""
        return [code for code in self.results if not self.rule_crashes.get(code)]

    def views(
        self, paths: Iterable[str], encode: Callable[[str, tuple[Document, ...]], Any]
    ) -> dict[str, Any]:
        """Per file, what ``encode`` makes of its documents (plain JSON data), kept in the store by content.

        A face that reads documents (a report, the site) reads them once per
        content: after one edit only the edited file is parsed again.  A
        model without a store (an editor's overlay, ``--no-cache``) parses.
        """
        stored = self.store.views() if self.store is not None else {}
        found: dict[str, Any] = {}
        new: dict[str, tuple[str, str]] = {}
        with bulk_phase():  # every file's documents decoded and kept for the face: no cyclic GC meanwhile
            for rel in paths:
                sha = self._shas.get(rel)
                kept = stored.get(rel)
                if sha is not None and kept is not None and kept[0] == sha:
                    try:
                        found[rel] = json.loads(kept[1])
                        continue
                    except ValueError:
                        pass  # damaged: made again below
                value = encode(rel, self.documents(rel))
                found[rel] = value
                if sha is not None:
                    new[rel] = (sha, json.dumps(value, separators=(",", ":")))
        if self.store is not None:
            self.store.save_views(new)
        return found

    @property
    def content_keys(self) -> Mapping[str, str | None]:
        """Each file's content key, of its bytes as the model holds them (None: unreadable)."""
        return self._shas

    def documents(self, rel: str) -> tuple[Document, ...]:
        """A file's documents as the model's source holds it (the work tree, a commit, a buffer)."""
        content = self.source.read(rel)
        return () if isinstance(content, Problem) else load(rel, content, self.plan.limits).documents

    # -- per file ---------------------------------------------------------------------------

    def _check(self, paths: Sequence[str]) -> Iterable[Checked]:
        root = self.source.root if self.source.on_disk else None
        return check_files(paths, self.plan, self.source.read, root=root, jobs=self.jobs)

    def _keep(self, rel: str, sha: str | None, result: FileResult) -> None:
        # the facts live in ``facts``; the per-file result keeps the rest
        self.files[rel] = FileResult(
            rel,
            result.documents,
            result.skipped,
            result.diagnostics,
            result.crashes,
            result.suppressions,
            unloadable=result.unloadable,
            valid=result.valid,
        )
        self._shas[rel] = sha
        self._seen(rel, result)

    def close(self, *, keep_facts: bool = False) -> None:
        """Write what this run found to the store, in one go, and let go of it.

        ``keep_facts``: the model stays readable (its facts move into memory) and
        later updates are no longer stored; otherwise the model is done with.
        ``stats.written`` says whether the store was written, ``stats.unsaved``
        why not when there was something to write.
        """
        if self.store is None:
            return
        store, self.store = self.store, None
        if keep_facts and not isinstance(self.facts, MemoryFacts):
            with bulk_phase():  # every entity decoded, kept for the model's life: no cyclic GC meanwhile
                self.facts = MemoryFacts({p: self.facts.entities(p) for p in self.facts.paths()})
        if store.pending:
            self.stats.written = store.commit()
        self.stats.unsaved = store.unsaved  # also a cold build that found the store held by another run
        store.close()

    def __enter__(self) -> Repository:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading ----------------------------------------------------------------------------

    @property
    def crashes(self) -> list[str]:
        """Rules that raised: on each file, then over the repository."""
        per_file = [c for rel in sorted(self._broken_files()) for c in self.files[rel].crashes]
        return per_file + [c for code in sorted(self.rule_crashes) for c in self.rule_crashes[code]]

    def _broken_files(self) -> set[str]:
        """The files where a per-file rule raised or that did not load (looked for once per ``files``
        dict, then kept up to date by ``_seen``)."""
        if self._broken is None or self._broken[0] is not self.files:
            self._broken = (self.files, {rel for rel, result in self.files.items() if _broken(result)})
        return self._broken[1]

    def _seen(self, rel: str, result: FileResult | None) -> None:
        """``rel``'s result changed (None: the file is gone): keep the broken files up to date."""
        if self._broken is not None and self._broken[0] is self.files:
            if result is not None and _broken(result):
                self._broken[1].add(rel)
            else:
                self._broken[1].discard(rel)

    def findings(self, reported: Collection[str] | None = None) -> list[Diagnostic]:
        """Every finding (of the ``reported`` files, if given), before suppressions, in no set order."""
        if self._later and (reported is None or not self._later_paths.isdisjoint(reported)):
            self.settle()
        shown = self.files.keys() if reported is None else [p for p in reported if p in self.files]
        found = [d for rel in shown for d in self.files[rel].diagnostics]
        wanted = None if reported is None else set(reported)
        for code in sorted(self.results):
            found.extend(d for d in self.results[code] if wanted is None or d.path in wanted)
        return found

    def result(
        self,
        reported: Collection[str] | None = None,
        filters: Sequence[Filter] = (),
        selected: Plan | None = None,
    ) -> RunResult:
        """What a ``check`` reports: the findings of ``reported``, filtered and in report order.

        ``selected``: the rules the run selected, when the model was built with more (per-rule hooks
        share one store built with every enabled rule); findings of the others are left out.
        """
        plan = selected or self.plan
        shown = sorted(self.files if reported is None else _among(reported, self.files))
        found, crashes, files = self.findings(shown), self.crashes, [self.files[p] for p in shown]
        if plan is not self.plan:
            codes = {active.rule.code for active in plan.rules}
            found = [d for d in found if d.code in codes]
            crashes = [c for c in crashes if crash_rule(c) in codes]
            # most files found nothing: only those with findings or crashes are narrowed (a copy each)
            files = [
                narrow(f, plan)
                if f.crashes or (f.diagnostics and any(d.code not in codes for d in f.diagnostics))
                else f
                for f in files
            ]
        unloadable = [r for rel in sorted(self._broken_files()) if (r := self.files[rel]).unloadable]
        held = held_back(found, unloadable, self.source.read, self.source.regular, plan, self.facts.entities)
        return finish(found, files, crashes, plan, self.config, filters, held)


def _broken(result: FileResult) -> bool:
    return bool(result.crashes) or result.unloadable


def _among(wanted: Collection[str], files: Mapping[str, object]) -> list[str]:
    """The ``wanted`` paths that are files of the model; most of them in the model's order (path order
    but for files added since), which costs little to sort again."""
    if len(wanted) * 4 < len(files):
        return [p for p in wanted if p in files]
    wanted = wanted if isinstance(wanted, (set, frozenset)) else set(wanted)
    return [p for p in files if p in wanted]


def _signatures(
    root: Path, paths: Iterable[str], stored: Mapping[str, StoredFile]
) -> Iterator[tuple[str, StoredFile | None, list[int] | None]]:
    """Each path with its stored entry and its signature now; the signature is None when the entry is
    known unchanged (the signature recorded when it was read).  The loop a run makes over every file git
    does not vouch for (all of them outside git): kept to one ``lstat`` and one string comparison per file."""
    prefix = os.path.join(root, "")
    lstat, regular = os.lstat, stat.S_ISREG
    for rel in paths:
        entry = stored.get(rel)
        try:
            info = lstat(prefix + rel)
        except OSError:
            yield rel, entry, [-1]  # gone or unreadable: read it (and report it) again
            continue
        if not regular(info.st_mode):
            yield rel, entry, [-1]
            continue
        # only a signature that could vouch for the bytes read was recorded (``trusted_signature``)
        if (
            entry is not None
            and entry.signature == f"{info.st_size},{info.st_mtime_ns},{info.st_ctime_ns},{info.st_ino}"
        ):
            yield rel, entry, None
            continue
        yield rel, entry, [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]


# -- what a change affects ----------------------------------------------------------------------

IDENTITY = "entities"  # the fact every rule reads: kind, id, name, site, document, active
#: Facts taken as a whole for did-you-mean hints: when they change, a rule also checks again the
#: entities it has findings at (a hint is only ever part of a finding).
HINTS = frozenset({"ids", "glossary"})


def fact(entity: Entity, name: str) -> object:
    """One fact of an entity, as rules read it (``IDENTITY``, a name of ``api.FACTS``, or ``spec.<field>``)."""
    if name == IDENTITY:
        return entity.kind, entity.id, entity.name, entity.site, entity.document, entity.active
    if name.startswith("spec."):
        return entity.value(name), entity.value_site(name)
    if name == "glossary":
        return entity.terms if entity.kind == "Glossary" else ()
    if name == "ids":
        return entity.key, entity.name
    return getattr(entity, name)


@dataclass
class EntityChange:
    """One key of one changed file: its entities before and after, and which facts differ."""

    path: str
    key: str
    was: list[Entity]
    now: list[Entity]
    facts: set[str]

    def mentioned(self, name: str) -> set[str]:
        """The keys named by what changed in fact ``name`` (those an aggregate over mentions may count)."""

        def items(entities: list[Entity]) -> set[Any]:
            return {item for e in entities for item in fact(e, name)}  # type: ignore[attr-defined]

        if name == "references":
            return {r.target for r in items(self.was) ^ items(self.now)}
        if name == "responsible":
            return {held_by for _, held_by in items(self.was) ^ items(self.now)}
        if name == "interfaces":
            return {i.process for i in items(self.was) ^ items(self.now)}
        if name in HINTS or name == "terms":
            return set()
        return {k for e in (*self.was, *self.now) for k, role in entity_keys(e) if role == MENTIONS}


@dataclass
class FactsChange:
    """What changed in some files, entity by entity; ``subjects`` says what it affects for one rule."""

    paths: set[str]
    entities: list[EntityChange]
    new: Mapping[str, list[Entity]]

    @property
    def kinds(self) -> set[str]:
        return {e.kind for c in self.entities for e in (*c.was, *c.now)}

    def touches(self, names: Collection[str]) -> bool:
        return any(c.facts & set(names) for c in self.entities)

    def subjects(self, reads: Collection[str], before: Facts, after: Facts) -> set[Subject]:
        """The entities whose findings, by a rule reading ``reads``, this change can alter.

        A finding sits at its subject's own document and depends on the facts the
        rule reads of the subject and of what it reaches by key.  So a change affects
        the entities of the changed files whose facts it changed (came, went, or
        differ in one the rule reads; the others' findings stand), and:
        - the entities defining a key that changed facts name (before or after):
          an aggregate over mentions counts them (a practitioner's load, an
          interface partner);
        - every entity defining or mentioning a key whose first definition changed
          (before or after): that is what lookups return (a removed Person, a
          redefined term, a renamed team).
        """
        names = {IDENTITY, *reads}
        relevant = [c for c in self.entities if c.facts & names]
        if not relevant:
            return set()
        subjects: set[Subject] = {(c.path, c.key) for c in relevant}
        mentioned: set[str] = set()
        touched: set[tuple[str, str]] = set()
        for change in relevant:
            for name in change.facts & names:
                mentioned |= change.mentioned(name)
            touched.add((change.key, change.path))
            if {"terms", "glossary"} & change.facts & names:
                touched.update((key, change.path) for key in _changed_terms(change.was, change.now))
        for key in mentioned:
            subjects.update((p, e) for p, e, _ in after.rows(key, (DEFINES,)))
        for key, path in touched:
            if _first_definer(before, key) == path or _first_definer(after, key) == path:
                subjects.update((p, e) for p, e, _ in after.rows(key))
        return subjects


def compare(
    old: Mapping[str, list[Entity]], new: Mapping[str, list[Entity]], names: Collection[str]
) -> FactsChange:
    """What changed between the ``old`` and ``new`` facts of some files, compared on the facts ``names``."""
    entities = []
    for path, now in new.items():
        for key, (was, is_now) in _by_key(old.get(path, []), now).items():
            differ = {
                n
                for n in names
                if len(was) != len(is_now)
                or any(fact(a, n) != fact(b, n) for a, b in zip(was, is_now, strict=True))
            }
            if differ:
                entities.append(EntityChange(path, key, was, is_now, differ))
    return FactsChange(set(new), entities, new)


def _by_key(was: list[Entity], now: list[Entity]) -> dict[str, tuple[list[Entity], list[Entity]]]:
    pairs: dict[str, tuple[list[Entity], list[Entity]]] = {}
    for entity in was:
        pairs.setdefault(entity.key, ([], []))[0].append(entity)
    for entity in now:
        pairs.setdefault(entity.key, ([], []))[1].append(entity)
    return pairs


def _changed_terms(was: list[Entity], now: list[Entity]) -> set[str]:
    """The term keys (slug and family) whose definitions differ between ``was`` and ``now``."""

    def by_key(entities: list[Entity]) -> dict[str, list[tuple[object, ...]]]:
        found: dict[str, list[tuple[object, ...]]] = {}
        for entity in entities:
            for term in entity.terms:
                value = (term.term, term.definition, term.glossary, term.site.line, term.site.column)
                found.setdefault("term:" + term.slug, []).append(value)
                found.setdefault(FAMILY_KEY + term.family, []).append(value)
        return found

    before, after = by_key(was), by_key(now)
    return {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}


def _first_definer(facts: Facts, key: str) -> str | None:
    """The file of the definition lookups return: a Glossary's before a local one, then path order."""
    for role in (DEFINES, DEFINES_LOCALLY):  # a term defined in a few Glossaries and thousands of processes
        paths = [path for path, _, _ in facts.rows(key, (role,))]
        if paths:
            return min(paths)
    return None


def _named_paths(files: Iterable[list[Entity]]) -> set[str]:
    """Every path that the procedures of these files' entities may name."""
    return {path for entities in files for e in entities for paths in e.procedures.named for path in paths}
