"""The repository held in memory, with editor buffers laid over the files on disk.

This is the one place the language server, ``govlint refs`` and ``govlint
rename`` meet the engine: per-file results are kept (from the cache and the
worker pool on the first load), a changed buffer or file is checked again on
its own with ``engine.check_file``, and the repository phase and the filters
(suppressions, baseline, ``per-file``) run through ``engine.run`` for the
files being shown, exactly as ``govlint check`` would report them.

Two things keep an edit cheap in a large repository.  The index is built in
path order from the held results, without sorting.  And the repository
rules' findings are remembered until some file's facts (its entities,
references, terms and interfaces, with their positions) change: typing inside
a description changes no fact, so only the edited file's own checks run.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import gc
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .api import RepositoryContext
from .config import Config
from .discovery import FileSet, discover, matches, read_file, relative
from .engine import FileResult, Plan, Selection, check_file, make_plan, run
from .index import DamagedFacts, Entity, RepositoryIndex, entity_to_json
from .model import Diagnostic, Document, Position, Problem
from .registry import Registry
from .runner import CheckSettings, build_registry, resolve_config
from .suppress import (
    BaselineEntry,
    BaselineFilter,
    Filter,
    InlineFilter,
    baseline_path,
    make_filters,
    read_baseline,
)


class LiveRepository:
    """A governance repository: its config, rules, every file's results, and unsaved buffers over them."""

    def __init__(
        self,
        start: Path,
        config_path: Path | None = None,
        *,
        jobs: int | None = None,
        use_cache: bool = True,
        today: dt.date | None = None,
    ) -> None:
        self.start = start
        self.config_path = config_path
        self.jobs = jobs
        self.use_cache = use_cache
        self.today = today
        self.buffers: dict[str, str] = {}
        self.results: dict[str, FileResult] = {}
        self._paths: list[str] = []
        self._index: RepositoryIndex | None = None
        self._remembered: tuple[frozenset[str], list[Diagnostic], list[str]] | None = None
        self.load()

    # -- loading ------------------------------------------------------------------

    def load(self) -> None:
        """Read the config, rules and every file (again): after a config, plugin or baseline change.

        Raises the config's own errors (ConfigError, UsageError, RuleError) worded for the user.
        """
        from .parallel import make_analyser

        config = resolve_config(self.config_path, self.start)
        registry = build_registry(config)
        plan = make_plan(registry, config, Selection(), self.today or config.today or dt.date.today())
        settings = CheckSettings(cwd=config.root)
        make_filters(settings, config, registry, plan)  # validates per-file selectors and the baseline
        baseline = baseline_path(settings, config)
        files = discover(config, (), config.root)
        analyse = make_analyser(jobs=self.jobs, use_cache=self.use_cache, config=config)
        results = analyse(files, plan)
        try:
            for result in results:
                result.entities  # noqa: B018 - decoded now, so damaged cached facts show here
        except DamagedFacts:
            results = make_analyser(jobs=self.jobs, use_cache=self.use_cache, config=config, reuse=False)(
                files, plan
            )
        self.config: Config = config
        self.registry: Registry = registry
        self.plan: Plan = plan
        self.baseline: list[BaselineEntry] = read_baseline(baseline) if baseline is not None else []
        self._paths = list(files.context)
        self.results = {r.path: r for r in results}
        for path in self.buffers:
            self._check(path)
        self._changed()

    @property
    def root(self) -> Path:
        return self.config.root

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(self._paths)

    def relative(self, path: Path) -> str | None:
        """``path`` relative to the root, or None when it is outside."""
        return relative(self.root, path)

    def governs(self, rel: str) -> bool:
        """Whether a file at ``rel`` is one the repository checks (its include and exclude globs)."""
        own = relative(self.root, self.config.path) if self.config.path else None
        return (
            rel == own
            or rel in self.results
            or (matches(rel, self.config.include) and not matches(rel, self.config.exclude))
        )

    def is_setting(self, rel: str) -> bool:
        """Whether a change to ``rel`` changes the rules themselves: config, plugins, baseline."""
        own = relative(self.root, self.config.path) if self.config.path else None
        if rel in (own, ".govlint.yaml", "pyproject.toml") or rel == self.config.baseline:
            return True
        return any(rel == p.strip("/") or rel.startswith(p.strip("/") + "/") for p in self.config.plugins)

    # -- buffers and files ----------------------------------------------------------

    def text(self, rel: str) -> str | None:
        """A file's text as the editor sees it: its buffer, else the file on disk (None: unreadable)."""
        if rel in self.buffers:
            return self.buffers[rel]
        content = read_file(self.root, rel, self.plan.limits.max_file_bytes)
        if isinstance(content, Problem):
            return None
        try:
            return content.decode("utf-8")
        except UnicodeDecodeError:
            return None

    def set_buffer(self, rel: str, text: str | None) -> None:
        """Lay an unsaved buffer over a file (None: the buffer is closed, the disk counts again)."""
        if text is None:
            self.buffers.pop(rel, None)
        else:
            self.buffers[rel] = text
        self._check(rel)

    def file_changed(self, rel: str) -> None:
        """A file changed, appeared or went away on disk."""
        self._check(rel)

    def _check(self, rel: str) -> None:
        if not self.governs(rel) or (self.config.path and rel == relative(self.root, self.config.path)):
            return
        exists = rel in self.buffers or os.path.lexists(self.root / rel)
        before = self.results.get(rel)
        if not exists:
            if before is not None:
                del self.results[rel]
                self._paths.remove(rel)
                self._changed()
            return
        after = self.results[rel] = check_file(rel, self._content(rel), self.plan)
        if before is None:
            bisect.insort(self._paths, rel)
            self._changed()
        elif _facts(before) != _facts(after):
            self._changed()

    def up_to_date(self, shown: Iterable[str]) -> bool:
        """Whether the repository rules' findings for these files are known (``diagnostics`` is cheap)."""
        reported = frozenset(p for p in shown if p in self.results)
        return self._remembered is not None and self._remembered[0] == reported

    def _changed(self) -> None:
        """Some file's facts changed: the index and the repository rules' findings are out of date."""
        self._index = None
        self._remembered = None

    def _content(self, rel: str) -> bytes | Problem:
        if rel in self.buffers:
            return self.buffers[rel].encode("utf-8", "surrogatepass")
        return read_file(self.root, rel, self.plan.limits.max_file_bytes)

    def documents(self, rel: str) -> tuple[Document, ...]:
        """The documents of a file as the editor sees it (parsed on demand)."""
        from .loader import load

        content = self._content(rel)
        return () if isinstance(content, Problem) else load(rel, content, self.plan.limits).documents

    # -- what the engine says ---------------------------------------------------------

    @property
    def index(self) -> RepositoryIndex:
        """The repository index of every file's facts as they are now (rebuilt after a change)."""
        if self._index is None:
            self._index = _PathOrderIndex.of(
                [e for p in self._paths for e in self.results[p].entities], self.documents
            )
        return self._index

    def diagnostics(self, shown: Iterable[str]) -> dict[str, list[Diagnostic]]:
        """What ``govlint check`` would report in the ``shown`` files now, by file."""
        reported = frozenset(p for p in shown if p in self.results)
        found: dict[str, list[Diagnostic]] = {p: [] for p in reported}
        if not reported:
            return found
        files = FileSet(self.root, tuple(self._paths), reported)
        with _no_cyclic_gc():
            memo = self._repository_findings(reported)
            result = run(files, self.plan, self.config, self._held, self._filters(reported), memo=memo)
        for d in result.diagnostics:
            found.setdefault(d.path, []).append(d)
        for crash in [*result.crashes, *memo.crashes]:  # a crashing rule is shown where the editor looks
            for path in reported:
                found[path].append(_crash_diagnostic(path, crash))
        return found

    def _repository_findings(self, reported: frozenset[str]) -> _Remembered:
        """The repository rules' findings for the ``reported`` files: remembered, or found now."""
        if self._remembered is None or self._remembered[0] != reported:
            index = replace(self.index, reported=reported)
            findings: list[Diagnostic] = []
            crashes: list[str] = []
            for active in self.plan.rules:
                rule = active.rule
                if rule.check_repository is None:
                    continue
                ctx = RepositoryContext(rule, active.severity, active.options, self.plan.today, index=index)
                try:
                    rule.check_repository(index, ctx)
                except Exception as exc:
                    crashes.append(
                        f"rule {rule.code} {rule.name} ({rule.source}) crashed on the repository: "
                        f"{type(exc).__name__}: {exc}"
                    )
                findings.extend(ctx.findings)
            self._remembered = (reported, findings, crashes)
        return _Remembered(self._remembered[1], self._remembered[2])

    def _held(self, files: FileSet, plan: Plan) -> list[FileResult]:
        return [self.results[p] for p in files.context]

    def _filters(self, reported: frozenset[str]) -> list[Filter]:
        filters: list[Filter] = [InlineFilter(self.config, self.registry, self.plan, reported)]
        if self.baseline:
            filters.append(BaselineFilter(self.baseline, self.config, self.plan, reported))
        return filters


@contextlib.contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """The repository rules make many short-lived, acyclic objects; a full collection scanning every
    held result on the way costs a third of an edit's time at 10,000 files.  Cycles wait until after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _PathOrderIndex(RepositoryIndex):
    """An index of entities already in path order (as the held results are): built without sorting."""

    @classmethod
    def of(cls, entities: list[Entity], loader: Callable[[str], tuple[Document, ...]]) -> RepositoryIndex:
        index = cls(entities, loader)
        for entity in entities:
            index._by_key.setdefault(entity.key, []).append(entity)
        return index


@dataclass
class _Remembered:
    """The repository rules' findings handed to ``engine.run`` (its ``RepositoryMemo``)."""

    findings: list[Diagnostic]
    crashes: list[str]

    def recall(self) -> list[Diagnostic] | None:
        return self.findings

    def remember(self, findings: list[Diagnostic]) -> None:
        pass  # never asked: ``recall`` always answers


def _facts(result: FileResult) -> list[list[Any]]:
    """A file's facts, comparable (positions included): equal facts give equal repository findings."""
    return [entity_to_json(e) for e in result.entities]


def _crash_diagnostic(path: str, crash: str) -> Diagnostic:
    from .model import Severity

    at = Position(1, 1)
    return Diagnostic(path, at.line, at.column, "GOV000", "internal-error", Severity.ERROR, crash)
