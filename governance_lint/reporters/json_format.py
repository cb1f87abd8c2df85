"""The JSON format of SPEC §5: ``{"version": 1, "summary": {...}, "diagnostics": [...]}``."""

from __future__ import annotations

from typing import Any, TextIO

from ..model import Summary
from .base import Report, write_json

VERSION = 1


def summary_dict(summary: Summary) -> dict[str, int | str | None]:
    # The keys SPEC §5 promises, then what §4 adds (held-back references, findings the baseline
    # hid); files_with_findings is for the text line only.  With --new-since, the counts are of
    # new findings and "existing" counts those not shown.
    counts: dict[str, int | str | None] = {
        "files": summary.files,
        "documents": summary.documents,
        "skipped": summary.skipped,
        "errors": summary.errors,
        "warnings": summary.warnings,
        "infos": summary.infos,
        "held_back": summary.held_back,
        "fix_first": summary.fix_first,
        "baseline_hidden": summary.baseline_hidden,
    }
    if summary.existing is not None:
        counts["existing"] = summary.existing
    return counts


def render(report: Report, stream: TextIO) -> None:
    document: dict[str, Any] = {
        "version": VERSION,
        "summary": summary_dict(report.summary),
        "diagnostics": [diagnostic.to_dict() for diagnostic in report.diagnostics],
    }
    write_json(document, stream)
