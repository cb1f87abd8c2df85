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
from typing import TYPE_CHECKING, TextIO

from . import __version__
from .config import Config, git_root
from .discovery import FileSet
from .engine import RunResult, UsageError
from .model import Diagnostic, Severity
from .repository import Repository
from .suppress import write_baseline
from .workspace import Settings, Workspace

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
    staged: bool = False  # check the repository as the git index holds it (what a commit records)
    until: dt.date | None = None  # --write-baseline: every entry a waiver until this day ...
    approver: str | None = None  # ... approved by this person
    isolated: bool = False


def check(settings: CheckSettings, stdout: TextIO, stderr: TextIO) -> int:
    from .reporters.commands import CommandSafeStream

    errors = CommandSafeStream(stderr)  # repository text in a message must not become a CI command
    try:
        return _check(settings, stdout, errors)  # type: ignore[arg-type]  # a stream that writes lines
    finally:
        errors.finish()


def _check(settings: CheckSettings, stdout: TextIO, stderr: TextIO) -> int:
    from .reporters.base import safe_text

    if settings.new_since is not None and settings.write_baseline is not None:
        raise UsageError("--write-baseline records every finding: use it without --new-since")
    if (settings.until or settings.approver) and settings.write_baseline is None:
        raise UsageError(
            "--until and --by make the entries of a new baseline waivers: use them with --write-baseline"
        )
    with Workspace.open(workspace_settings(settings)) as workspace:
        for target in (settings.output, settings.write_baseline):
            if target is not None:
                workspace.guard_output(target)
        change = staged = None
        if settings.new_since is not None:
            from .change import prepare

            change = prepare(settings.new_since, workspace.config)
        if settings.staged:
            from .change import prepare_staged

            staged = prepare_staged(workspace.config, workspace.files)
        result = _run(workspace, change, staged)
        model = workspace.model
    if settings.verbose:
        _tell_store(settings, model, stderr)
    for crash in result.crashes:
        print(f"govlint: error: {safe_text(crash, limit=None)}", file=stderr)
    cwd, config, files = workspace.cwd, workspace.config, workspace.files
    if settings.write_baseline is not None:
        count = write_baseline(cwd / settings.write_baseline, result, settings.until, settings.approver)
        if not settings.quiet:
            print(f"govlint: wrote {count} findings to baseline {settings.write_baseline}", file=stderr)
    _report(settings, config, files, result, stdout, cwd)
    _tell_skipped(settings, config, files, result, cwd, stderr)
    if result.crashes:
        return EXIT_ERROR
    fail_on = settings.fail_on or config.fail_on
    return EXIT_FINDINGS if any(d.severity >= fail_on for d in result.diagnostics) else EXIT_CLEAN


def workspace_settings(settings: CheckSettings) -> Settings:
    """The options ``check`` shares with every command that reads the repository."""
    return Settings(
        paths=settings.paths,
        config=settings.config,
        isolated=settings.isolated,
        today=settings.today,
        limits=settings.limits,
        use_cache=settings.use_cache,
        jobs=settings.jobs,
        cwd=settings.cwd,
        select=settings.select,
        ignore=settings.ignore,
        baseline=settings.baseline,
        use_baseline=settings.write_baseline is None,
    )


def _run(workspace: Workspace, change: Change | None, staged: Change | None) -> RunResult:
    """The findings of the work tree (or of the index, ``staged``), only the new ones with ``change``."""
    from .change import check_base, only_new

    model, plan = workspace.model, workspace.plan
    if staged is None:
        result = workspace.result()
    else:  # the index's files in the named paths (untracked files are no part of the commit)
        named = workspace.files.reported if workspace.settings.paths else None
        shown = staged.files.reported if named is None else staged.files.reported & named
        result = check_base(staged, plan, model, lambda state: workspace.filters(shown, state), shown)
    if change is None:
        return result
    base = check_base(change, plan, model, lambda state: workspace.filters(change.files.reported, state))
    return only_new(result, base, change.renames)


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
    settings: CheckSettings, config: Config, files: FileSet, result: RunResult, cwd: Path, stderr: TextIO
) -> None:
    """``--verbose`` names every skipped file; named paths holding no governance file get one note."""
    # with no path named every file is reported
    shown = [r for r in result.files if r.path in files.reported] if settings.paths else result.files
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
    elif not settings.paths and not settings.quiet and all(r.skipped for r in shown):
        # a root nobody named (found from the config or git) that holds nothing to check is worth a word
        print(
            f"govlint: note: no governance file under the repository root {files.root} "
            f"(include: {', '.join(config.include)})",
            file=stderr,
        )


def _tell_store(settings: CheckSettings, model: Repository, stderr: TextIO) -> None:
    """``--verbose``: what the store saved this run, and why it was not written when it was not."""
    if not settings.use_cache:
        print("govlint: store: not used (--no-cache)", file=stderr)
        return
    stats = model.stats
    line = f"govlint: store: {stats.hits} files reused, {stats.misses} checked"
    if stats.vouched:
        line += f" ({stats.vouched} known unchanged from git's index)"
    if stats.ignored:
        line += f" (the stored state was not used: {stats.ignored})"
    if stats.unsaved:
        line += f"; not written: {stats.unsaved}"
    print(line, file=stderr)


def use_color(stream: TextIO) -> bool:
    return "NO_COLOR" not in os.environ and hasattr(stream, "isatty") and stream.isatty()


def default_format() -> str:
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
