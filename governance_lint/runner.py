"""One ``govlint check`` run, from frozen settings to an exit code.

The CLI builds ``CheckSettings`` and calls ``check``, which builds the
repository model (``repository.Repository``) from the work tree and reads its
findings; everything testable lives here and below.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from . import __version__
from .config import BUILTIN_LIMITS, Config, find_config, git_root, limits_with, load_config
from .discovery import FileSet, discover
from .engine import Filter, Plan, RunResult, Selection, UsageError, make_plan
from .model import Diagnostic, Limits, Severity
from .registry import Registry, builtin_registry, load_entry_points
from .repository import Repository
from .suppress import baseline_path, make_filters, write_baseline

if TYPE_CHECKING:
    from .change import Change

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


@dataclass(frozen=True)
class CheckSettings:
    paths: tuple[Path, ...] = ()
    format: str = "text"
    output: Path | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    fail_on: Severity | None = None
    config: Path | None = None
    today: dt.date | None = None
    baseline: Path | None = None
    write_baseline: Path | None = None
    limits: tuple[tuple[str, int], ...] = ()  # --limit NAME=VALUE: limits in force; a config may lower them
    jobs: int | None = None
    use_cache: bool = True
    quiet: bool = False
    verbose: bool = False
    color: bool = False
    cwd: Path | None = None
    new_since: str | None = None  # report only what is new since the merge-base of this ref and HEAD
    isolated: bool = False


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

    ``isolated`` (``--isolated``, for pull requests from anyone) never reads
    the repository's config: the built-in defaults, or a ``--config`` outside
    the checkout, whose relative ``plugins`` and ``baseline`` stay relative to
    its own folder while the repository root is the checkout's git work tree.
    """
    start = _start_folder(cwd, paths)
    if isolated:
        return _isolated_config(settings_config, cwd, start, ceiling)
    if settings_config is not None:
        return load_config(settings_config, cwd, ceiling)
    return load_config(find_config(start) or find_config(cwd), cwd, ceiling)


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
    if config.path.resolve().is_relative_to(root):
        raise UsageError(
            f"--isolated ignores the repository's config, but --config {trusted} is inside the "
            f"checkout {root}; name a config file kept outside it"
        )
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


def check(settings: CheckSettings, stdout: TextIO, stderr: TextIO) -> int:
    from .reporters.commands import CommandSafeStream

    errors = CommandSafeStream(stderr)  # repository text in a message must not become a CI command
    try:
        return _check(settings, stdout, errors)  # type: ignore[arg-type]  # a stream that writes lines
    finally:
        errors.finish()


def _check(settings: CheckSettings, stdout: TextIO, stderr: TextIO) -> int:
    from .reporters.base import safe_text

    cwd = settings.cwd or Path.cwd()
    ceiling = limits_with(BUILTIN_LIMITS, settings.limits)
    config = resolve_config(settings.config, cwd, settings.paths, settings.isolated, ceiling)
    registry = build_registry(config)
    today = settings.today or config.today or dt.date.today()
    plan = make_plan(registry, config, Selection(settings.select, settings.ignore), today)
    files = discover(config, settings.paths, cwd)
    for name in files.missing:
        raise FileNotFoundError(f"{name}: no such file or directory")
    for target in (settings.output, settings.write_baseline):
        if target is not None:
            _refuse_unsafe_target(cwd / target, files)
    if settings.use_cache:
        from .cache import refuse_inside

        refuse_inside({files.root, git_root(files.root) or files.root})
    filters = _filters(settings, cwd, config, registry, plan, files.reported)
    change = _change(settings, cwd, config, registry, plan)
    # Per-file results are computed and stored for every rule the config enables, so runs that
    # select different rules (per-rule hooks) share one store.
    shared = shared_plan(registry, config, plan) if settings.use_cache else None
    result = _run(settings, config, files, plan, filters, change, shared)
    for crash in result.crashes:
        print(f"govlint: error: {safe_text(crash, limit=None)}", file=stderr)
    if settings.write_baseline is not None:
        count = write_baseline(cwd / settings.write_baseline, result)
        if not settings.quiet:
            print(f"govlint: wrote {count} findings to baseline {settings.write_baseline}", file=stderr)
    _report(settings, config, files, result, stdout, cwd)
    _tell_skipped(settings, files, result, cwd, stderr)
    if result.crashes:
        return EXIT_ERROR
    fail_on = settings.fail_on or config.fail_on
    return EXIT_FINDINGS if any(d.severity >= fail_on for d in result.diagnostics) else EXIT_CLEAN


def _filters(
    settings: CheckSettings,
    cwd: Path,
    config: Config,
    registry: Registry,
    plan: Plan,
    reported: Iterable[str],
) -> list[Filter]:
    """Inline suppressions, then the baseline (unless this run writes a new one)."""
    baseline = baseline_path(settings.baseline, cwd, config) if settings.write_baseline is None else None
    return make_filters(config, registry, plan, reported, baseline)


def run(
    files: FileSet,
    plan: Plan,
    config: Config,
    filters: Sequence[Filter] = (),
    *,
    jobs: int | None = 1,
    use_cache: bool = False,
    shared: Plan | None = None,
) -> RunResult:
    """The findings of ``files.reported``, with the whole repository (``files.context``) as context."""
    return _model(files, plan, config, jobs, use_cache, shared).result(files.reported, filters, plan)


def _model(
    files: FileSet, plan: Plan, config: Config, jobs: int | None, use_cache: bool, shared: Plan | None
) -> Repository:
    return Repository.build_from_worktree(
        config, shared or plan, files, use_cache=use_cache, jobs=jobs or os.cpu_count() or 1
    )


def _change(
    settings: CheckSettings, cwd: Path, config: Config, registry: Registry, plan: Plan
) -> tuple[Change, list[Filter]] | None:
    """With ``--new-since``: the base state, and its own suppression and baseline filters."""
    if settings.new_since is None:
        return None
    from .change import prepare

    if settings.write_baseline is not None:
        raise UsageError("--write-baseline records every finding: use it without --new-since")
    change = prepare(settings.new_since, config)
    return change, _filters(settings, cwd, config, registry, plan, change.files.reported)


def _run(
    settings: CheckSettings,
    config: Config,
    files: FileSet,
    plan: Plan,
    filters: list[Filter],
    change: tuple[Change, list[Filter]] | None,
    shared: Plan | None,
) -> RunResult:
    repo = _model(files, plan, config, settings.jobs, settings.use_cache, shared)
    result = repo.result(files.reported, filters, plan)
    if change is None:
        return result
    from .change import check_base, only_new

    base, base_filters = change
    return only_new(result, check_base(base, plan, config, repo, base_filters), base.renames)


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


def _refuse_unsafe_target(target: Path, files: FileSet) -> None:
    """A report or baseline is never written through a link, nor over a file being checked."""
    from .safe_write import UnsafeTarget, check_target

    check_target(target, files.root)
    rel = os.path.relpath(os.path.abspath(target), files.root)
    if rel in set(files.context):
        raise UnsafeTarget(f"{target}: is one of the files being checked; govlint never writes to them")


def _report(
    settings: CheckSettings, config: Config, files: FileSet, result: RunResult, stdout: TextIO, cwd: Path
) -> None:
    from .reporters import Report, render
    from .safe_write import open_atomically

    diagnostics = result.diagnostics
    if settings.quiet:
        fail_on = settings.fail_on or config.fail_on
        diagnostics = [d for d in diagnostics if d.severity >= fail_on]
    base = output_base(settings.format, config, cwd)
    summary = result.summary
    if summary.fix_first is not None:
        summary = replace(summary, fix_first=shown_path(summary.fix_first, files.root, base))
    report = Report(
        diagnostics=rebase(diagnostics, files.root, base),
        summary=summary,
        rules=result.rules,
        tool_version=__version__,
        root=str(base),
    )
    if settings.output is None:
        render(settings.format, report, stdout, color=settings.color and settings.format == "text")
        return
    with open_atomically(settings.output, root=files.root, checked=files.context) as stream:
        render(settings.format, report, stream, color=False)


def output_base(fmt: str, config: Config, cwd: Path) -> Path:
    """The folder printed paths are relative to (SPEC §4, Paths in output).

    ``text`` is read by people in a terminal or an editor: relative to the
    current folder.  ``json``, ``sarif`` and ``github`` are read by CI
    platforms, which resolve paths from the repository's top: relative to the
    git work tree's root, or to the config's folder outside git.
    """
    if fmt == "text":
        return cwd
    return git_root(config.root) or config.root


def rebase(diagnostics: Sequence[Diagnostic], root: Path, base: Path) -> list[Diagnostic]:
    """The diagnostics with their root-relative paths made relative to ``base`` (``/`` separated)."""
    if os.path.abspath(root) == os.path.abspath(base):
        return list(diagnostics)
    moved = {path: shown_path(path, root, base) for path in {d.path for d in diagnostics}}
    return [replace(d, path=moved[d.path]) for d in diagnostics]


def shown_path(path: str, root: Path, base: Path) -> str:
    """A root-relative path as seen from ``base`` (``../`` when it lies outside)."""
    return os.path.relpath(os.path.join(root, path), base).replace(os.sep, "/")


def _tell_skipped(
    settings: CheckSettings, files: FileSet, result: RunResult, cwd: Path, stderr: TextIO
) -> None:
    """``--verbose`` names every skipped file; named paths holding no governance file get one note."""
    shown = [r for r in result.files if r.path in files.reported]
    if settings.verbose:
        for name in files.passed_over:
            print(f"govlint: skipped {name}: not among the files the config includes", file=stderr)
        for r in shown:
            if r.skipped:
                print(
                    f"govlint: skipped {shown_path(r.path, files.root, cwd)}: not a governance file "
                    "(never mentions govlint/)",
                    file=stderr,
                )
    if settings.paths and not settings.quiet and all(r.skipped for r in shown):
        passed = len(files.passed_over) + sum(r.skipped for r in shown)
        print(
            f"govlint: note: the named paths hold no governance file ({passed} skipped"
            f"{'' if settings.verbose else '; --verbose names them'})",
            file=stderr,
        )


def use_color(stream: TextIO) -> bool:
    return "NO_COLOR" not in os.environ and hasattr(stream, "isatty") and stream.isatty()


def default_format() -> str:
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
