"""``govlint report`` and ``govlint site``: from parsed options to an exit code."""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from ..engine import UsageError
from ..model import Vocabulary, did_you_mean, plural_label
from ..safe_write import write_text_atomically
from . import REPORTS
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


def checked_files(repo: Repository) -> frozenset[str]:
    """The repository's files that govlint read (root-relative): reports and the site never write to them."""
    return frozenset(d.path for d in repo.documents) | frozenset(f.path for f in repo.findings)


def report(settings: ReportSettings, stdout: TextIO, stderr: TextIO) -> int:
    kind = _choose(settings.kind, tuple(REPORTS), "report")
    formats = REPORTS[kind]
    fmt = _choose(settings.format, formats, f"format for report {kind}") if settings.format else formats[0]
    if settings.party is not None and kind != "roles":
        raise UsageError("--for narrows report roles only")
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
    text = module.render(repo, fmt, {"for": settings.party, "within": settings.within})
    tell_findings(repo, stderr)
    if settings.output is None:
        stdout.write(text)
    else:
        write_text_atomically(settings.output, text, root=repo.root, checked=checked_files(repo))
    return 0


def site(out_dir: Path, settings: LoadSettings, stderr: TextIO) -> int:
    from .site import build_site

    repo = load_repository(settings)
    tell_findings(repo, stderr)
    built = build_site(repo, out_dir, checked_files(repo))
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
