"""Helpers for testing rules, built-in or plugin: lint YAML text in a scratch repository.

from governance_lint.testing import lint
found = lint(PROCESS_YAML, select=["GOV101"])
assert [(d.code, d.line, d.column) for d in found] == [("GOV101", 7, 3)]
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .config import Config, DirectorySetting, RuleSetting
from .model import Diagnostic, Limits
from .registry import Registry, builtin_registry
from .workspace import Settings, Workspace

DEFAULT_TODAY = dt.date(2026, 11, 22)


def lint(
    files: str | Mapping[str, str | bytes],
    *,
    select: Iterable[str] | None = None,
    options: Mapping[str, Mapping[str, Any]] | None = None,
    today: dt.date = DEFAULT_TODAY,
    registry: Registry | None = None,
    limits: Limits | None = None,
    directory: Mapping[str, str] | None = None,
) -> list[Diagnostic]:
    """Findings for one YAML text (as ``governance.yaml``) or several files ``{path: text}``.

    ``options`` maps a rule code or name to its options.  ``directory`` is a directory snapshot's
    files ``{path: text}``, the first its ``file`` (taken ``today``).
    """
    contents = {"governance.yaml": files} if isinstance(files, str) else dict(files)
    registry = registry or builtin_registry()
    with tempfile.TemporaryDirectory(prefix="govlint-test-") as tmp:
        root = Path(tmp)
        for name, text in {**contents, **(directory or {})}.items():
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
        config = Config(
            root=root,
            rules={sel: RuleSetting(options=dict(opts)) for sel, opts in (options or {}).items()},
            limits=limits or Limits(),
            directory=DirectorySetting(root / next(iter(directory)), taken=today) if directory else None,
        )
        settings = Settings(cwd=root, today=today, select=tuple(select) if select else None, use_cache=False)
        with Workspace.assemble(settings, config, registry) as workspace:
            result = workspace.result()
        if result.crashes:
            raise AssertionError("rule crashed: " + "; ".join(result.crashes))
        return result.diagnostics


def positions(found: Iterable[Diagnostic]) -> list[tuple[str, int, int]]:
    """``[(code, line, column)]`` — what rule tests assert on."""
    return [(d.code, d.line, d.column) for d in found]
