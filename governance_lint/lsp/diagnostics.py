"""Findings as the editor shows them: LSP diagnostics at the token a finding names."""

from __future__ import annotations

from lsprotocol import types as lsp

from ..model import Diagnostic, Severity
from .text import Text

SOURCE = "govlint"
_SEVERITY = {
    Severity.ERROR: lsp.DiagnosticSeverity.Error,
    Severity.WARNING: lsp.DiagnosticSeverity.Warning,
    Severity.INFO: lsp.DiagnosticSeverity.Information,
}


def to_lsp(d: Diagnostic, text: Text) -> lsp.Diagnostic:
    return lsp.Diagnostic(
        range=text.token_range(d.line, d.column),
        message=d.message,
        severity=_SEVERITY[d.severity],
        code=d.code,
        source=SOURCE,
        data={"name": d.name},
    )


def could_not_check(exc: BaseException) -> lsp.Diagnostic:
    """Said on the buffer itself when checking it failed (the server keeps serving)."""
    message = f"govlint could not check this file: {type(exc).__name__}: {exc}"[:500]
    return lsp.Diagnostic(
        range=lsp.Range(lsp.Position(0, 0), lsp.Position(0, 1)),
        message=message,
        severity=lsp.DiagnosticSeverity.Error,
        code="GOV001",
        source=SOURCE,
    )
