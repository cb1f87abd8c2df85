"""Output formats: each turns a Report (plain values) into text on a stream.

``render(fmt, report, stream)`` is the one entry point; the CLI decides the
format, the stream and whether to colour.
"""

from __future__ import annotations

from typing import TextIO

from . import github, json_format, sarif, text
from .base import Report

__all__ = ["FORMATS", "Report", "render"]

FORMATS = ("text", "json", "sarif", "github")


def render(fmt: str, report: Report, stream: TextIO, *, color: bool = False) -> None:
    """Write ``report`` to ``stream`` in format ``fmt``; ``color`` affects text only."""
    if fmt == "text":
        text.render(report, stream, color=color)
    elif fmt == "json":
        json_format.render(report, stream)
    elif fmt == "sarif":
        sarif.render(report, stream)
    elif fmt == "github":
        github.render(report, stream)
    else:
        raise ValueError(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")
