"""Naming files reports exactly the whole run's findings in those files.

Repository rules skip work for files whose findings would not be shown; this
holds them to giving, for every file named alone, the same findings as a run
over the whole repository.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from governance_lint.cli import main
from governance_lint.config import git_root

FAILING = Path(__file__).resolve().parent.parent / "examples" / "failing"
BASE = git_root(FAILING) or FAILING


def findings(*paths: str) -> set[tuple[str, int, int, str]]:
    result = CliRunner().invoke(
        main,
        ["check", "--no-cache", "--format", "json", "--config", str(FAILING / ".govlint.yaml"), *paths],
        catch_exceptions=False,
    )
    assert result.exit_code in (0, 1), result.stderr
    # JSON paths are relative to the git work tree's root: made relative to the example again here.
    return {
        (Path(os.path.relpath(BASE / d["path"], FAILING)).as_posix(), d["line"], d["column"], d["code"])
        for d in json.loads(result.stdout)["diagnostics"]
    }


WHOLE = findings()
FILES = sorted(
    p.relative_to(FAILING).as_posix() for p in FAILING.rglob("*.yaml") if p.name != ".govlint.yaml"
)


def test_the_whole_run_has_repository_findings() -> None:
    codes = {code for *_, code in WHOLE}
    assert {"GOV004", "GOV005", "GOV102", "GOV205", "GOV301", "GOV401", "GOV402", "GOV403", "GOV601"} <= codes


@pytest.mark.parametrize("name", FILES)
def test_a_named_file_gets_exactly_its_share(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FAILING)
    assert findings(name) == {f for f in WHOLE if f[0] == name}
