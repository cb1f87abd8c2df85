"""``govlint report`` and ``govlint site``: from parsed options to an exit code."""

from __future__ import annotations

import datetime as dt
import importlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from ..engine import UsageError
from ..model import Vocabulary, did_you_mean, plural_label
from . import BINARY, REPORTS
from .files import write_file
from .repository import LoadSettings, Repository, load_repository


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
    layout: str | None = None  # raci csv: rows (default) or grid
    max_chars: int | None = None  # summary: the page's limit


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


def _refuse_checked_file(repo: Repository, output: Path) -> None:
    """Reports never write into a checked file."""
    target = os.path.realpath(output)
    for doc in repo.documents:
        if os.path.realpath(repo.root / doc.path) == target:
            raise UsageError(f"--output {output}: is a governance file of the repository; name another file")


def report(settings: ReportSettings, stdout: TextIO, stderr: TextIO) -> int:
    kind = _choose(settings.kind, tuple(REPORTS), "report")
    formats = REPORTS[kind]
    fmt = _choose(settings.format, formats, f"format for report {kind}") if settings.format else formats[0]
    if settings.party is not None and kind != "roles":
        raise UsageError("--for narrows report roles only")
    if settings.layout is not None:
        from .raci import LAYOUTS

        if (kind, fmt) != ("raci", "csv"):
            raise UsageError("--layout is an option of report raci --format csv")
        _choose(settings.layout, LAYOUTS, "layout")
    if settings.max_chars is not None and kind != "summary":
        raise UsageError("--max-chars is an option of report summary")
    if fmt in BINARY and settings.output is None and stdout.isatty():
        raise UsageError(f"--format {fmt} writes a binary file: name it with --output FILE")
    repo = load_repository(
        LoadSettings(settings.paths, settings.config, settings.today, settings.cwd, settings.isolated)
    )
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
    text = module.render(repo, fmt, options)
    tell_findings(repo, stderr)
    if settings.output is None and isinstance(text, bytes):
        stdout.flush()
        stdout.buffer.write(text)
    elif settings.output is None:
        from ..reporters.commands import neutralise

        stdout.write(neutralise(text))  # a CI runner reads this stream: no workflow command from a name
    else:
        _refuse_checked_file(repo, settings.output)
        write_file(settings.output, text)
    return 0


def site(out_dir: Path, settings: LoadSettings, stderr: TextIO) -> int:
    from .site import build_site

    repo = load_repository(settings)
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
