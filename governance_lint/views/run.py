"""``govlint report`` and ``govlint site``: from parsed options to an exit code."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from ..engine import UsageError
from ..model import Vocabulary, did_you_mean, plural_label
from ..parallel import bulk_phase
from ..reporters.base import shown
from ..safe_write import write_bytes_atomically, write_text_atomically
from ..workspace import Settings, Workspace
from . import BINARY, REPORTS
from .repository import RepositoryView, load_repository


@dataclass(frozen=True)
class ReportSettings:
    kind: str
    common: Settings = field(
        default_factory=Settings
    )  # the options every command reading the repository takes
    format: str | None = None
    output: Path | None = None
    party: str | None = None
    within: int | None = None
    layout: str | None = None  # raci csv: rows (default) or grid
    max_chars: int | None = None  # summary: the page's limit
    since: str | None = None  # history: only the commits after this revision


def _choose(word: str, choices: tuple[str, ...], what: str) -> str:
    if word in choices:
        return word
    hint = did_you_mean(Vocabulary(choices).closest(word))
    raise UsageError(f"unknown {what} {word!r}{hint}; one of {', '.join(choices)}")


def tell_findings(repo: RepositoryView, stderr: TextIO) -> None:
    """One line when the repository has findings: the views show what the files say, as far as they load."""
    s = repo.summary
    if s.errors or s.warnings or s.infos:
        found = ", ".join(
            plural_label(n, w)
            for n, w in ((s.errors, "error"), (s.warnings, "warning"), (s.infos, "info"))
            if n
        )
        print(
            f"govlint: note: the repository has findings ({found}); this shows what its files say "
            "(`govlint check` lists the findings)",
            file=stderr,
        )


def report(settings: ReportSettings, stdout: TextIO, stderr: TextIO) -> int:
    kind = _choose(settings.kind, tuple(REPORTS), "report")
    formats = REPORTS[kind]
    fmt = _choose(settings.format, formats, f"format for report {kind}") if settings.format else formats[0]
    if settings.party is not None and kind not in ("roles", "history"):
        raise UsageError("--for narrows report roles and history only")
    if settings.since is not None and kind != "history":
        raise UsageError("--since is an option of report history")
    if settings.layout is not None:
        from .raci import LAYOUTS

        if (kind, fmt) != ("raci", "csv"):
            raise UsageError("--layout is an option of report raci --format csv")
        _choose(settings.layout, LAYOUTS, "layout")
    if settings.max_chars is not None and kind != "summary":
        raise UsageError("--max-chars is an option of report summary")
    if fmt in BINARY and settings.output is None and stdout.isatty():
        raise UsageError(f"--format {fmt} writes a binary file: name it with --output FILE")
    if kind == "history":
        return _history(settings, fmt, stdout)
    # the workspace stays open while the report renders: names are read from the run's snapshot
    with Workspace.open(settings.common) as workspace:
        if settings.output is not None:
            workspace.guard_output(settings.output)
        repo = load_repository(workspace)
        if settings.party is not None:
            from .roles import parties

            known = parties(repo)
            if settings.party not in known:
                hint = did_you_mean(Vocabulary(known).closest(settings.party))
                raise UsageError(f"--for {settings.party}: no person or team of that reference{hint}")
        module = importlib.import_module(f"{__package__}.{kind}")
        options = {
            "for": settings.party,
            "within": settings.within,
            "layout": settings.layout,
            "max_chars": settings.max_chars,
        }
        with bulk_phase():  # a report's rows pile up until it is written: no cyclic GC meanwhile
            text = module.render(repo, fmt, options)
    tell_findings(repo, stderr)
    return _emit(text, settings.output, stdout, workspace)


def _history(settings: ReportSettings, fmt: str, stdout: TextIO) -> int:
    """``report history``: read from git's history, not from the model of the work tree."""
    from ..history import history
    from . import history as view

    with Workspace.open(settings.common) as workspace:
        if settings.output is not None:
            workspace.guard_output(settings.output)
        found = view.narrowed(history(workspace.config, settings.since), settings.party)
    return _emit(view.render(found, fmt), settings.output, stdout, workspace)


def _emit(text: str | bytes, output: Path | None, stdout: TextIO, workspace: Workspace) -> int:
    """A report to standard output or to ``output`` (never through a planted link nor over a checked
    file). Text carries nothing a terminal or a CI runner would act on, its line ends (CRLF, as
    iCalendar and CSV write them) kept; a spreadsheet's cells were neutralised as they were written."""
    root, checked = workspace.root, workspace.files.context
    if isinstance(text, bytes):
        if output is None:
            stdout.flush()
            stdout.buffer.write(text)
        else:
            write_bytes_atomically(output, text, root=root, checked=checked)
        return 0
    text = shown(text, keep_newlines=True, keep_crlf=True)
    if output is None:
        stdout.write(text)
    else:
        write_text_atomically(output, text, root=root, checked=checked)
    return 0


def site(out_dir: Path, settings: Settings, stderr: TextIO) -> int:
    from .site import build_site

    with Workspace.open(settings) as workspace:
        workspace.guard_folder(out_dir)
        repo = load_repository(workspace)
        tell_findings(repo, stderr)
        built = build_site(repo, out_dir, frozenset(workspace.files.context))
    if not built.drawn:
        print(
            "govlint: note: Graphviz `dot` is not installed: the site shows the process map as text "
            "(install graphviz to draw it)",
            file=stderr,
        )
    removed = f", removed {plural_label(built.removed, 'file')} of the earlier site" if built.removed else ""
    print(
        f"govlint: wrote {plural_label(built.written, 'page')} to {out_dir} "
        f"({built.unchanged} unchanged{removed})",
        file=stderr,
    )
    return 0
