"""The example repositories: the clean one has no finding, the failing one exactly those in expected.txt."""

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from governance_lint.cli import main
from governance_lint.registry import builtin_registry

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TODAY = "2026-11-22"

Finding = tuple[str, int, int, str]
FINDING_RE = re.compile(r"^(.+?):(\d+):(\d+): (?:error|warning|info) (\S+) ", re.MULTILINE)


def check(example: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, list[Finding]]:
    """Run ``govlint check`` from inside the example, as a user would; exit code and findings."""
    monkeypatch.chdir(example)
    result = CliRunner().invoke(main, ["check", "--today", TODAY, "--no-cache"], catch_exceptions=False)
    # Text output: paths relative to the current folder, as expected.txt lists them.
    found = [
        (path, int(line), int(column), code) for path, line, column, code in FINDING_RE.findall(result.stdout)
    ]
    return result.exit_code, found


def expected(path: Path) -> list[Finding]:
    """``path:line:column CODE`` lines; ``#`` starts a comment line."""
    findings = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        where, code = line.split()
        file, row, column = where.rsplit(":", 2)
        assert code.startswith("GOV"), f"{path.name}:{number}: {line!r} is not 'path:line:column CODE'"
        findings.append((file, int(row), int(column), code))
    return findings


def test_clean_example_has_no_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    exit_code, found = check(EXAMPLES / "clean", monkeypatch)
    assert found == []
    assert exit_code == 0


def test_failing_example_has_exactly_the_expected_findings(monkeypatch: pytest.MonkeyPatch) -> None:
    want = expected(EXAMPLES / "failing" / "expected.txt")
    exit_code, found = check(EXAMPLES / "failing", monkeypatch)
    assert len(want) == len(set(want)), "expected.txt lists a finding twice"
    missing = sorted(set(want) - set(found))
    extra = sorted(set(found) - set(want))
    assert (missing, extra) == ([], [])
    assert sorted(found) == sorted(want), "a finding is reported twice"
    assert exit_code == 1


@pytest.mark.parametrize("code", [rule.code for rule in builtin_registry()])
def test_failing_example_shows_every_rule(code: str) -> None:
    shown = {shown_code for *_, shown_code in expected(EXAMPLES / "failing" / "expected.txt")}
    assert code in shown
