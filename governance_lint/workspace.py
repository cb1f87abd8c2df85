"""The one set-up of every command that reads the repository, with every guard applied once.

``Workspace.open(settings)`` turns the options every such command shares
(``--config``, ``--isolated``, ``--today``, ``--limit``, ``--no-cache``,
``--jobs``, the named paths) into a run: the config in use and the repository
root, the rules (built-in, installed, the config's plugins), the plan, the
files, the baseline, and then, when first asked for, the repository model
over its store.  ``check``, ``report``, ``site``, ``refs``, ``rename`` and the
language server open it; none keeps a set-up of its own, so a guard added
here holds for every face (SPEC §9):

- the store is never inside the checked repository (refused, exit 2);
- nothing is written through a link the repository planted, nor over a file
  being checked (``guard_output``);
- a repository's config may lower the input limits, never raise them.

Faces read the repository only through it: ``result`` (the findings, filtered
as ``check`` reports them), ``model`` (files, facts, the index) and
``documents`` (a file's documents as the model reads them: the work tree, or
an editor's buffer laid over it).  ``close`` writes what the run found to the
store, in one go::

    with Workspace.open(Settings(paths=(Path("governance"),))) as workspace:
        result = workspace.result()
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .config import BUILTIN_LIMITS, Config, find_config, git_root, limits_with, load_config
from .discovery import FileSet, discover, matches, relative
from .engine import Filter, Plan, RunResult, Selection, UsageError, make_plan
from .index import RepositoryIndex
from .model import Diagnostic, Document, Limits, Position, Problem, Severity, printable
from .registry import Registry, builtin_registry, load_entry_points
from .repository import Repository, WorkTree
from .suppress import BaselineEntry, baseline_path, check_per_file, make_filters, read_baseline


@dataclass(frozen=True)
class Settings:
    """The options of every command that reads the repository (SPEC §4), frozen."""

    paths: tuple[Path, ...] = ()  # the named files and folders (findings are shown in these)
    config: Path | None = None  # --config
    isolated: bool = False  # --isolated: the repository's own config and plugins are ignored
    today: dt.date | None = None  # --today
    limits: tuple[tuple[str, int], ...] = ()  # --limit NAME=VALUE: limits in force; a config may lower them
    use_cache: bool = True  # not --no-cache
    jobs: int | None = None  # --jobs
    cwd: Path | None = None  # the current folder (None: the process's)
    select: tuple[str, ...] | None = None  # --select
    ignore: tuple[str, ...] = ()  # --ignore
    baseline: Path | None = None  # --baseline (relative to cwd); else the config's
    use_baseline: bool = True  # False while a new baseline is written


class Workspace:
    """One run over one repository: settings, config, rules, plan, files, and the model."""

    def __init__(
        self,
        settings: Settings,
        cwd: Path,
        config: Config,
        registry: Registry,
        plan: Plan,
        files: FileSet,
        baseline: list[BaselineEntry],
    ) -> None:
        self.settings, self.cwd, self.config, self.registry = settings, cwd, config, registry
        self.plan, self.files, self.baseline = plan, files, baseline
        self._documents: dict[str, tuple[Document, ...]] = {}

    @classmethod
    def open(cls, settings: Settings) -> Workspace:
        """Resolve the settings into a run; raises the user's errors (exit 2) before any file is read."""
        cwd = settings.cwd or Path.cwd()
        ceiling = limits_with(BUILTIN_LIMITS, settings.limits)
        config = resolve_config(settings.config, cwd, settings.paths, settings.isolated, ceiling)
        return cls.assemble(settings, config, build_registry(config))

    @classmethod
    def assemble(cls, settings: Settings, config: Config, registry: Registry) -> Workspace:
        """The run of a config and rules already at hand (``open`` finds them; tests make them)."""
        cwd = settings.cwd or Path.cwd()
        today = settings.today or config.today or dt.date.today()
        plan = make_plan(registry, config, Selection(settings.select, settings.ignore), today)
        files = discover(config, settings.paths, cwd)
        for name in files.missing:
            raise FileNotFoundError(f"{name}: no such file or directory")
        if settings.use_cache:
            from .cache import refuse_inside

            refuse_inside({files.root, git_root(files.root) or files.root})
        baseline_file = baseline_path(settings.baseline, cwd, config) if settings.use_baseline else None
        # the per-file selectors and the baseline are checked before the first file is read
        check_per_file(config, registry)
        baseline = read_baseline(baseline_file, config.limits.max_baseline_bytes) if baseline_file else []
        return cls(settings, cwd, config, registry, plan, files, baseline)

    # -- what the run is ---------------------------------------------------------------------

    @property
    def root(self) -> Path:
        return self.config.root

    @property
    def today(self) -> dt.date:
        return self.plan.today

    @property
    def limits(self) -> Limits:
        return self.plan.limits

    @cached_property
    def shared_plan(self) -> Plan:
        """What per-file results are computed and stored with: every rule the config enables plus the
        selected ones, so runs that select different rules (one pre-commit hook per rule) share one store."""
        return shared_plan(self.registry, self.config, self.plan) if self.settings.use_cache else self.plan

    @cached_property
    def model(self) -> Repository:
        """The repository model of the work tree, its stored state reused (built when first asked for)."""
        return Repository.build_from_worktree(
            self.config,
            self.shared_plan,
            self.files,
            use_cache=self.settings.use_cache,
            jobs=self.settings.jobs or os.cpu_count() or 1,
        )

    # -- reading ---------------------------------------------------------------------------

    def filters(self, reported: Iterable[str] | None = None, model: Repository | None = None) -> list[Filter]:
        """Inline suppressions, then the baseline: how ``check`` filters what it reports."""
        shown = frozenset(self.files.reported if reported is None else reported)
        state = model or self.model
        # another state of the repository (an editor's overlay, a commit) has an index of its own
        index = self.index if state is self.model else RepositoryIndex(state.facts, loader=state.documents)
        # only the shown files' entries can hide a finding or be stale here (an entry names its file as
        # the baseline writes it): an editor showing one file does not judge a large baseline per keystroke
        by_path = self._baseline_by_path
        baseline = [entry for rel in shown for entry in by_path.get(printable(rel), ())] if by_path else []
        return make_filters(
            self.config, self.registry, self.plan, shown, baseline, state.documents, _approver(index)
        )

    @cached_property
    def _baseline_by_path(self) -> dict[str, list[BaselineEntry]]:
        by_path: dict[str, list[BaselineEntry]] = {}
        for entry in self.baseline:
            by_path.setdefault(entry.path, []).append(entry)
        return by_path

    def result(self, reported: Iterable[str] | None = None) -> RunResult:
        """What ``check`` reports in ``reported`` (default: the named paths, or every file)."""
        shown = self.files.reported if reported is None else frozenset(reported)
        return self.model.result(shown, self.filters(shown), self.plan)

    @cached_property
    def index(self) -> RepositoryIndex:
        """The repository index over every file's facts (``refs``, ``rename``)."""
        return RepositoryIndex(self.model.facts, loader=self.documents)

    def text(self, rel: str) -> str | None:
        """A file's text as the model reads it (None: unreadable, or not UTF-8)."""
        content = self.model.source.read(rel)
        if isinstance(content, Problem):
            return None
        try:
            return content.decode("utf-8")
        except UnicodeDecodeError:
            return None

    def documents(self, rel: str) -> tuple[Document, ...]:
        """A file's documents, read through the model (parsed once per run)."""
        found = self._documents.get(rel)
        if found is None:
            found = self._documents[rel] = self.model.documents(rel)
        return found

    # -- writing ---------------------------------------------------------------------------

    def guard_output(self, target: Path) -> None:
        """Refuse to write ``target`` through a link the repository planted, or over a checked file."""
        from .safe_write import check_target

        check_target(target if target.is_absolute() else self.cwd / target, self.root, self.files.context)

    def guard_folder(self, folder: Path) -> None:
        """Refuse an output folder that is, or lies under, a link planted inside the repository."""
        from .safe_write import check_folder

        check_folder(folder if folder.is_absolute() else self.cwd / folder, self.root)

    # -- ending ----------------------------------------------------------------------------

    def close(self) -> None:
        """Write what the run found to the store, in one go (a run that built no model writes nothing)."""
        model = self.__dict__.get("model")
        if isinstance(model, Repository):
            model.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _approver(index: RepositoryIndex) -> Callable[[str], bool | None]:
    """Whether a ``person:ID`` a waiver names is an active Person (True), an inactive one, or none (None)."""

    def approver(reference: str) -> bool | None:
        entity = index.resolve(reference)
        return None if entity is None or entity.kind != "Person" else entity.active

    return approver


# -- the set-up, step by step --------------------------------------------------------------------


def resolve_config(
    settings_config: Path | None,
    cwd: Path,
    paths: tuple[Path, ...] = (),
    isolated: bool = False,
    ceiling: Limits = BUILTIN_LIMITS,
) -> Config:
    """The config in use: ``--config``, else the nearest one to the named paths, else to ``cwd``.

    Searching from the named paths (their common folder) makes
    ``govlint check examples/failing`` use the config that governs those files,
    as ruff and eslint do; with no paths named it is the current folder.

    The repository root is the config's folder when the config lies inside the
    git work tree that holds the current folder (or the named paths); a config
    outside it (a trusted one: ``--config /etc/govlint.yaml``) checks that work
    tree, its relative ``plugins`` and ``baseline`` staying relative to its own
    folder.  ``isolated`` (``--isolated``, for pull requests from anyone) never
    reads the repository's config: the built-in defaults, or a ``--config``
    outside the checkout.
    """
    start = _start_folder(cwd, paths)
    if isolated:
        return _isolated_config(settings_config, cwd, start, ceiling)
    if settings_config is not None:
        config = load_config(settings_config, cwd, ceiling)
        top = git_root(start)
        if top is not None and config.path is not None and not _inside(config.path, top):
            return _rooted(config, top.resolve())
        return config
    return load_config(find_config(start) or find_config(cwd), cwd, ceiling)


def _inside(path: Path, folder: Path) -> bool:
    return Path(os.path.realpath(path)).is_relative_to(Path(os.path.realpath(folder)))


def _start_folder(cwd: Path, paths: tuple[Path, ...]) -> Path:
    if not paths:
        return cwd
    common = Path(os.path.commonpath([os.path.abspath(cwd / p) for p in paths]))
    return common if common.is_dir() else common.parent


def _isolated_config(trusted: Path | None, cwd: Path, start: Path, ceiling: Limits) -> Config:
    root = (git_root(start) or git_root(cwd) or cwd).resolve()
    if trusted is None:
        return load_config(None, root, ceiling)
    config = load_config(trusted, cwd, ceiling)
    assert config.path is not None
    if _inside(config.path, root):
        raise UsageError(
            f"--isolated ignores the repository's config, but --config {trusted} is inside the "
            f"checkout {root}; name a config file kept outside it"
        )
    return _rooted(config, root)


def _rooted(config: Config, root: Path) -> Config:
    """A config kept outside the repository, checking the repository at ``root``."""
    assert config.path is not None
    folder = config.path.parent
    return dataclasses.replace(
        config,
        root=root,
        plugins=tuple(str(folder / entry) for entry in config.plugins),  # absolute entries stay as they are
        baseline=str(folder / config.baseline) if config.baseline else None,
    )


def build_registry(config: Config) -> Registry:
    """Built-in rules, installed plugin packages, then the config's local plugins."""
    registry = builtin_registry()
    load_entry_points(registry)
    if config.plugins:
        from .plugins import load_local_plugins

        load_local_plugins(registry, config)
    return registry


def shared_plan(registry: Registry, config: Config, plan: Plan) -> Plan:
    """Every rule the config enables plus those ``plan`` selects: what per-file results are cached with.

    Runs that select different rules (``--select``, ``--ignore``: one pre-commit
    hook per rule) then share one cache instead of evicting each other's.
    """
    every = make_plan(registry, config, Selection(), plan.today)
    enabled = {active.rule.code for active in every.rules}
    # Selected with --select although the config turns them off:
    extra = tuple(active for active in plan.rules if active.rule.code not in enabled)
    return dataclasses.replace(every, rules=tuple(sorted(every.rules + extra, key=lambda a: a.rule.code)))


# -- the editor's view: buffers laid over the workspace -------------------------------------------


class LiveRepository:
    """The workspace with an editor's unsaved buffers laid over its files, followed as they change.

    The model of the work tree is built once (its stored state reused) and an
    overlay of it (``Repository.with_overlay``) carries the buffers: the overlay
    holds the only copy of each buffer's bytes.  A changed buffer or file is
    checked again on its own and the model follows what the change affects.
    Findings are read with ``diagnostics`` for the files being shown, filtered
    exactly as ``govlint check`` would report them.

    Changes are applied when something is read (``diagnostics``, ``index``), so
    several keystrokes between two reads cost one update.
    """

    def __init__(
        self,
        start: Path,
        config_path: Path | None = None,
        *,
        jobs: int | None = None,
        use_cache: bool = True,
        today: dt.date | None = None,
        isolated: bool = False,
        limits: tuple[tuple[str, int], ...] = (),
    ) -> None:
        self.settings = Settings(
            config=config_path,
            isolated=isolated,
            today=today,
            limits=limits,
            use_cache=use_cache,
            jobs=jobs,
            cwd=start,
        )
        self._pending: set[str] = set()  # buffers or files changed since the model last followed them
        self._index: RepositoryIndex | None = None
        self._buffers: dict[str, bytes] = {}
        self.load()

    # -- loading ------------------------------------------------------------------------------

    def load(self) -> None:
        """Read the config, rules and every file (again): after a config, plugin or baseline change.

        Raises the config's own errors (ConfigError, UsageError, RuleError) worded for the user.
        """
        workspace = Workspace.open(self.settings)
        disk = workspace.model
        disk.close(keep_facts=True)  # the stored state was read; edits laid over it are never stored
        assert isinstance(disk.source, WorkTree)
        self.workspace = workspace
        self._worktree: WorkTree = disk.source
        self._model = disk.with_overlay({})
        self._pending = set(self._buffers)
        self._index = None

    @property
    def config(self) -> Config:
        return self.workspace.config

    @property
    def plan(self) -> Plan:
        return self.workspace.plan

    @property
    def root(self) -> Path:
        return self.workspace.root

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

    # -- buffers and files --------------------------------------------------------------------

    @property
    def buffers(self) -> dict[str, str]:
        """The open buffers' texts, by path (decoded from the overlay's one copy)."""
        return {rel: data.decode("utf-8", "surrogatepass") for rel, data in self._buffers.items()}

    def text(self, rel: str) -> str | None:
        """A file's text as the editor sees it: its buffer, else the file on disk (None: unreadable)."""
        content = self._content(rel)
        if isinstance(content, Problem):
            return None
        try:
            return content.decode("utf-8", "surrogatepass" if rel in self._buffers else "strict")
        except UnicodeDecodeError:
            return None

    def set_buffer(self, rel: str, text: str | None) -> None:
        """Lay an unsaved buffer over a file (None: the buffer is closed, the disk counts again)."""
        if text is None:
            self._buffers.pop(rel, None)
        else:
            self._buffers[rel] = text.encode("utf-8", "surrogatepass")
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

    def _follow(self, shown: Collection[str] | None = None) -> None:
        """Lay the changed buffers over the model (closed ones taken off) and follow the change; with
        ``shown``, the findings of those files first (the rest when read, or on ``settle``)."""
        if not self._pending:
            return
        pending, self._pending = sorted(self._pending), set()
        self._model.lay({rel: self._buffers.get(rel) for rel in pending}, first=shown)

    def settle(self) -> None:
        """Follow the changes to the end: the findings of every file, not only the files shown first."""
        self._follow()
        self._model.settle()

    def documents(self, rel: str) -> tuple[Document, ...]:
        """The documents of a file as the editor sees it: its buffer, else the disk (parsed on demand)."""
        self._follow()
        return self._model.documents(rel)

    def _content(self, rel: str) -> bytes | Problem:
        if rel in self._buffers:
            return self._buffers[rel]
        return self._worktree.read(rel)

    # -- what the engine says -----------------------------------------------------------------

    @property
    def index(self) -> RepositoryIndex:
        """The repository index of every file's facts as they are now."""
        self._follow()
        if self._index is None:
            self._index = RepositoryIndex(self._model.facts, loader=self.documents)
        return self._index

    def diagnostics(self, shown: Iterable[str]) -> dict[str, list[Diagnostic]]:
        """What ``govlint check`` would report in the ``shown`` files now, by file.

        Only what these files' findings need is followed of a change: the other files the
        change affects are checked when they are shown, or on ``settle``.
        """
        shown = frozenset(shown)
        self._follow(shown)
        reported = frozenset(p for p in shown if p in self._model.files)
        found: dict[str, list[Diagnostic]] = {p: [] for p in reported}
        if not reported:
            return found
        result = self._model.result(reported, self.workspace.filters(reported, self._model))
        for d in result.diagnostics:
            found.setdefault(d.path, []).append(d)
        for crash in result.crashes:  # a crashing rule is shown where the editor looks
            for path in reported:
                found[path].append(_crash_diagnostic(path, crash))
        return found


def _crash_diagnostic(path: str, crash: str) -> Diagnostic:
    at = Position(1, 1)
    return Diagnostic(path, at.line, at.column, "GOV000", "internal-error", Severity.ERROR, crash)
