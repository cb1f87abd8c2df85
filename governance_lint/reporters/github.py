"""GitHub Actions workflow commands: one annotation per finding, then a plain summary line.

``::error file=path,line=7,col=3,title=GOV101 single-owner::message``; see
"Workflow commands for GitHub Actions" for the escaping the runner undoes.
"""

from __future__ import annotations

from typing import TextIO

from ..model import Diagnostic, Severity
from .base import Report, safe_text, summary_line

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """Escape a command's message the way the runner unescapes it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value: as data, plus the ``:`` and ``,`` that delimit properties."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_diagnostic(diagnostic: Diagnostic) -> str:
    # Line ends in a message become real line breaks in the annotation
    # (%0A); every other control character is shown escaped, as in text output.
    message = escape_data(safe_text(diagnostic.message, keep_newlines=True))
    title = escape_property(safe_text(f"{diagnostic.code} {diagnostic.name}", limit=None))
    path = escape_property(safe_text(diagnostic.path, limit=None))
    return (
        f"::{_COMMAND[diagnostic.severity]} file={path},line={diagnostic.line},"
        f"col={diagnostic.column},title={title}::{message}"
    )


def render(report: Report, stream: TextIO) -> None:
    for diagnostic in report.diagnostics:
        stream.write(format_diagnostic(diagnostic) + "\n")
    stream.write(summary_line(report.summary) + "\n")
