"""Output formats: each turns a Report (plain values) into text on a stream.

``render(fmt, report, stream)`` is the one entry point; the CLI decides the
format, the stream and whether to colour.  Whatever the format, the stream is
wrapped so that no CI workflow command taken from repository text reaches it
(``commands.CommandSafeStream``).
"""

from __future__ import annotations

from typing import TextIO

from . import github, json_format, sarif, text
from .base import Report
from .commands import CommandSafeStream

__all__ = ["FORMATS", "Report", "render"]

FORMATS = ("text", "json", "sarif", "github")


def render(fmt: str, report: Report, stream: TextIO, *, color: bool = False) -> None:
    """Write ``report`` to ``stream`` in format ``fmt``; ``color`` affects text only."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")
    safe = CommandSafeStream(stream, own_commands=fmt == "github")
    _render(fmt, report, safe, color)  # type: ignore[arg-type]  # writes and flushes are all it needs
    safe.finish()


def _render(fmt: str, report: Report, stream: TextIO, color: bool) -> None:
    if fmt == "text":
        text.render(report, stream, color=color)
    elif fmt == "json":
        json_format.render(report, stream)
    elif fmt == "sarif":
        sarif.render(report, stream)
    else:
        github.render(report, stream)
