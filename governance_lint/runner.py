"""One ``govlint check`` run, from frozen settings to an exit code.

The CLI builds ``CheckSettings`` and calls ``check``, which builds the
repository model (``repository.Repository``) from the work tree and reads its
findings; everything testable lives here and below.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TextIO

from . import __version__
from .config import Config, find_config, git_root, load_config
from .discovery import FileSet, discover
from .engine import Filter, Plan, RunResult, Selection, make_plan
from .model import Diagnostic, Severity
from .registry import Registry, builtin_registry, load_entry_points
from .repository import Repository
from .suppress import baseline_path, make_filters, write_baseline

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
    jobs: int | None = None
    use_cache: bool = True
    quiet: bool = False
    verbose: bool = False
    color: bool = False
    cwd: Path | None = None


def resolve_config(settings_config: Path | None, cwd: Path, paths: tuple[Path, ...] = ()) -> Config:
    """The config in use: ``--config``, else the nearest one to the named paths, else to ``cwd``.

    Searching from the named paths (their common folder) makes
    ``govlint check examples/failing`` use the config that governs those files,
    as ruff and eslint do; with no paths named it is the current folder.
    """
    if settings_config is not None:
        return load_config(settings_config, cwd)
    found = None
    if paths:
        absolute = [os.path.abspath(cwd / p) for p in paths]
        common = Path(os.path.commonpath(absolute))
        found = find_config(common if common.is_dir() else common.parent)
    return load_config(found or find_config(cwd), cwd)


def build_registry(config: Config) -> Registry:
    """Built-in rules, installed plugin packages, then the config's local plugins."""
    registry = builtin_registry()
    load_entry_points(registry)
    if config.plugins:
        from .plugins import load_local_plugins

        load_local_plugins(registry, config)
    return registry


def check(settings: CheckSettings, stdout: TextIO, stderr: TextIO) -> int:
    cwd = settings.cwd or Path.cwd()
    config = resolve_config(settings.config, cwd, settings.paths)
    registry = build_registry(config)
    today = settings.today or config.today or dt.date.today()
    plan = make_plan(registry, config, Selection(settings.select, settings.ignore), today)
    files = discover(config, settings.paths, cwd)
    for name in files.missing:
        raise FileNotFoundError(f"{name}: no such file or directory")
    baseline = baseline_path(settings.baseline, cwd, config) if settings.write_baseline is None else None
    filters = make_filters(config, registry, plan, files.reported, baseline)
    result = run(files, plan, config, filters, jobs=settings.jobs, use_cache=settings.use_cache)
    for crash in result.crashes:
        print(f"govlint: error: {crash}", file=stderr)
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


def run(files: FileSet, plan: Plan, config: Config, filters: Sequence[Filter] = (), *, jobs: int | None = 1,
        use_cache: bool = False) -> RunResult:
    """The findings of ``files.reported``, with the whole repository (``files.context``) as context."""
    repo = Repository.build_from_worktree(config, plan, files, use_cache=use_cache,
                                          jobs=jobs or os.cpu_count() or 1)
    return repo.result(files.reported, filters)


def _report(settings: CheckSettings, config: Config, files: FileSet, result: RunResult, stdout: TextIO,
            cwd: Path) -> None:
    from .reporters import Report, render

    diagnostics = result.diagnostics
    if settings.quiet:
        fail_on = settings.fail_on or config.fail_on
        diagnostics = [d for d in diagnostics if d.severity >= fail_on]
    base = output_base(settings.format, config, cwd)
    report = Report(diagnostics=rebase(diagnostics, files.root, base), summary=result.summary,
                    rules=result.rules, tool_version=__version__, root=str(base))
    if settings.output is None:
        render(settings.format, report, stdout, color=settings.color and settings.format == "text")
        return
    tmp = settings.output.with_name(settings.output.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as stream:
        render(settings.format, report, stream, color=False)
    os.replace(tmp, settings.output)


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


def _tell_skipped(settings: CheckSettings, files: FileSet, result: RunResult, cwd: Path,
                  stderr: TextIO) -> None:
    """``--verbose`` names every skipped file; named paths holding no governance file get one note."""
    shown = [r for r in result.files if r.path in files.reported]
    if settings.verbose:
        for name in files.passed_over:
            print(f"govlint: skipped {name}: not among the files the config includes", file=stderr)
        for r in shown:
            if r.skipped:
                print(f"govlint: skipped {shown_path(r.path, files.root, cwd)}: not a governance file "
                      "(never mentions govlint/)", file=stderr)
    if settings.paths and not settings.quiet and all(r.skipped for r in shown):
        passed = len(files.passed_over) + sum(r.skipped for r in shown)
        print(f"govlint: note: the named paths hold no governance file ({passed} skipped"
              f"{'' if settings.verbose else '; --verbose names them'})", file=stderr)


def use_color(stream: TextIO) -> bool:
    return "NO_COLOR" not in os.environ and hasattr(stream, "isatty") and stream.isatty()


def default_format() -> str:
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
