"""``govlint report`` and ``govlint site``: from parsed options to an exit code."""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from ..engine import UsageError
from ..model import Vocabulary, did_you_mean, plural_label
from ..reporters.base import shown
from ..workspace import Settings, Workspace
from . import REPORTS
from .files import write_file
from .repository import Repository, load_repository


@dataclass(frozen=True)
class ReportSettings:
    kind: str
    paths: tuple[Path, ...] = ()
    format: str | None = None
    output: Path | None = None
    config: Path | None = None
    today: dt.date | None = None
    party: str | None = None
    within: int | None = None
    cwd: Path | None = None
    isolated: bool = False
    limits: tuple[tuple[str, int], ...] = ()
    use_cache: bool = True
    jobs: int | None = None

    def workspace(self) -> Settings:
        """The options the report shares with every command that reads the repository."""
        return Settings(
            paths=self.paths,
            config=self.config,
            isolated=self.isolated,
            today=self.today,
            limits=self.limits,
            use_cache=self.use_cache,
            jobs=self.jobs,
            cwd=self.cwd,
        )


def _choose(word: str, choices: tuple[str, ...], what: str) -> str:
    if word in choices:
        return word
    hint = did_you_mean(Vocabulary(choices).closest(word))
    raise UsageError(f"unknown {what} {word!r}{hint}; one of {', '.join(choices)}")


def tell_findings(repo: Repository, stderr: TextIO) -> None:
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
    if settings.party is not None and kind != "roles":
        raise UsageError("--for narrows report roles only")
    with Workspace.open(settings.workspace()) as workspace:
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
    text = module.render(repo, fmt, {"for": settings.party, "within": settings.within})
    tell_findings(repo, stderr)
    # repository text never reaches a terminal or a CI runner as an escape or a workflow command
    text = shown(text, keep_newlines=True)
    if settings.output is None:
        stdout.write(text)
    else:
        write_file(settings.output, text)
    return 0


def site(out_dir: Path, settings: Settings, stderr: TextIO) -> int:
    from .site import build_site

    with Workspace.open(settings) as workspace:
        workspace.guard_folder(out_dir)
        repo = load_repository(workspace)
    tell_findings(repo, stderr)
    written, drawn = build_site(repo, out_dir)
    if not drawn:
        print(
            "govlint: note: Graphviz `dot` is not installed: the site shows the process map as dot text "
            "(install graphviz to draw it)",
            file=stderr,
        )
    print(f"govlint: wrote {plural_label(written, 'page')} to {out_dir}", file=stderr)
    return 0
