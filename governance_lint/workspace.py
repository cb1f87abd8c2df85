"""The repository held in memory, with editor buffers laid over the files on disk.

This is the one place the language server, ``govlint refs`` and ``govlint
rename`` meet the engine.  The repository model of ``govlint check``
(``repository.Repository``) is built once from the work tree (its stored state
reused), and an overlay of it (``with_overlay``) carries the editor's buffers:
a changed buffer or file is checked again on its own and the model follows
what the change affects (only the repository rules that read a changed fact,
over the entities it touches).  Findings are read with ``result`` for the files
being shown, filtered (suppressions, baseline, ``per-file``) exactly as
``govlint check`` would report them.

Changes are applied when something is read (``diagnostics``, ``index``), so
several keystrokes between two reads cost one update.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from pathlib import Path

from .config import Config
from .discovery import discover, matches, read_file, relative
from .engine import Plan, Selection, make_plan
from .index import RepositoryIndex
from .model import Diagnostic, Document, Position, Problem, Severity
from .registry import Registry
from .repository import Buffers, Repository, WorkTree
from .runner import build_registry, resolve_config
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
        self._pending: set[str] = set()  # buffers or files changed since the model last followed them
        self._index: RepositoryIndex | None = None
        self.load()

    # -- loading ------------------------------------------------------------------

    def load(self) -> None:
        """Read the config, rules and every file (again): after a config, plugin or baseline change.

        Raises the config's own errors (ConfigError, UsageError, RuleError) worded for the user.
        """
        config = resolve_config(self.config_path, self.start)
        registry = build_registry(config)
        plan = make_plan(registry, config, Selection(), self.today or config.today or dt.date.today())
        baseline = baseline_path(None, config.root, config)
        make_filters(
            config, registry, plan, baseline=baseline
        )  # validates per-file selectors and the baseline
        files = discover(config, (), config.root)
        jobs = self.jobs or os.cpu_count() or 1
        disk = Repository.build_from_worktree(config, plan, files, use_cache=self.use_cache, jobs=jobs)
        disk.close()  # the stored state was read; edits laid over it are never stored
        assert isinstance(disk.source, WorkTree)
        self.config: Config = config
        self.registry: Registry = registry
        self.plan: Plan = plan
        self.baseline: list[BaselineEntry] = (
            read_baseline(baseline, config.limits.max_baseline_bytes) if baseline is not None else []
        )
        self._worktree: WorkTree = disk.source
        self._model = disk.with_overlay({})
        self._pending = set(self.buffers)
        self._index = None

    @property
    def root(self) -> Path:
        return self.config.root

    @property
    def paths(self) -> tuple[str, ...]:
        self._follow()
        return tuple(self._model.source.paths())

    def relative(self, path: Path) -> str | None:
        """``path`` relative to the root, or None when it is outside."""
        return relative(self.root, path)

    def governs(self, rel: str) -> bool:
        """Whether a file at ``rel`` is one the repository checks (its include and exclude globs)."""
        own = relative(self.root, self.config.path) if self.config.path else None
        return (
            rel == own
            or rel in self._model.files
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
        self._changed(rel)

    def file_changed(self, rel: str) -> None:
        """A file changed, appeared or went away on disk."""
        if not os.path.lexists(self.root / rel):
            self._worktree.forget(rel)
        self._changed(rel)

    def _changed(self, rel: str) -> None:
        own = relative(self.root, self.config.path) if self.config.path else None
        if self.governs(rel) and rel != own:
            self._pending.add(rel)
            self._index = None

    def up_to_date(self, shown: Iterable[str]) -> bool:
        """Whether the findings are known without following a change first (``diagnostics`` is cheap)."""
        return not self._pending

    def _follow(self) -> None:
        """Lay the changed buffers over the model (closed ones taken off) and follow the change."""
        if not self._pending:
            return
        pending, self._pending = sorted(self._pending), set()
        overlay = self._model.source
        assert isinstance(overlay, Buffers)
        for rel in pending:
            if rel in self.buffers:
                overlay.buffers[rel] = self.buffers[rel].encode("utf-8", "surrogatepass")
            else:
                overlay.buffers.pop(rel, None)
        self._model.update(pending)

    def documents(self, rel: str) -> tuple[Document, ...]:
        """The documents of a file as the editor sees it (parsed on demand)."""
        from .loader import load

        content = self._content(rel)
        return () if isinstance(content, Problem) else load(rel, content, self.plan.limits).documents

    def _content(self, rel: str) -> bytes | Problem:
        if rel in self.buffers:
            return self.buffers[rel].encode("utf-8", "surrogatepass")
        return read_file(self.root, rel, self.plan.limits.max_file_bytes)

    # -- what the engine says ---------------------------------------------------------

    @property
    def index(self) -> RepositoryIndex:
        """The repository index of every file's facts as they are now."""
        self._follow()
        if self._index is None:
            self._index = RepositoryIndex(self._model.facts, loader=self.documents)
        return self._index

    def diagnostics(self, shown: Iterable[str]) -> dict[str, list[Diagnostic]]:
        """What ``govlint check`` would report in the ``shown`` files now, by file."""
        self._follow()
        reported = frozenset(p for p in shown if p in self._model.files)
        found: dict[str, list[Diagnostic]] = {p: [] for p in reported}
        if not reported:
            return found
        result = self._model.result(reported, self._filters(reported))
        for d in result.diagnostics:
            found.setdefault(d.path, []).append(d)
        for crash in result.crashes:  # a crashing rule is shown where the editor looks
            for path in reported:
                found[path].append(_crash_diagnostic(path, crash))
        return found

    def _filters(self, reported: frozenset[str]) -> list[Filter]:
        filters: list[Filter] = [InlineFilter(self.config, self.registry, self.plan, reported)]
        if self.baseline:
            filters.append(BaselineFilter(self.baseline, self.config, self.plan, reported))
        return filters


def _crash_diagnostic(path: str, crash: str) -> Diagnostic:
    at = Position(1, 1)
    return Diagnostic(path, at.line, at.column, "GOV000", "internal-error", Severity.ERROR, crash)
