"""The text format: ``path:line:column: severity CODE message [name]``, then a summary line."""

from __future__ import annotations

from typing import TextIO

from ..model import Diagnostic, Severity
from .base import Report, safe_text, summary_line

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_DIM = "\x1b[2m"
_SEVERITY_COLOR = {Severity.ERROR: "\x1b[1;31m", Severity.WARNING: "\x1b[33m", Severity.INFO: "\x1b[36m"}
_GREEN = "\x1b[32m"


def display_path(path: str) -> str:
    """The path, escaped, and never starting with ``::``.

    A line starting with ``::`` is a workflow command to a GitHub Actions
    runner, so a file named ``::error::x.yaml`` must not start a line as itself.
    """
    shown = safe_text(path, limit=None)
    return f"./{shown}" if shown.startswith("::") else shown


def format_diagnostic(diagnostic: Diagnostic, *, color: bool = False) -> str:
    """One finding as one line (no line end)."""
    path = display_path(diagnostic.path)
    severity = diagnostic.severity.label
    message = safe_text(diagnostic.message)
    code, name = diagnostic.code, safe_text(diagnostic.name, limit=None)
    if color:
        path = f"{_BOLD}{path}{_RESET}"
        severity = f"{_SEVERITY_COLOR[diagnostic.severity]}{severity}{_RESET}"
        code = f"{_BOLD}{code}{_RESET}"
        name = f"{_DIM}[{name}]{_RESET}"
    else:
        name = f"[{name}]"
    return f"{path}:{diagnostic.line}:{diagnostic.column}: {severity} {code} {message} {name}"


def render(report: Report, stream: TextIO, *, color: bool = False) -> None:
    for diagnostic in report.diagnostics:
        stream.write(format_diagnostic(diagnostic, color=color) + "\n")
    line = summary_line(report.summary)
    if color:
        summary = report.summary
        tint = (
            _SEVERITY_COLOR[Severity.ERROR]
            if summary.errors
            else _SEVERITY_COLOR[Severity.WARNING]
            if summary.warnings
            else _SEVERITY_COLOR[Severity.INFO]
            if summary.infos
            else _GREEN
        )
        line = f"{tint}{line}{_RESET}"
    stream.write(line + "\n")
