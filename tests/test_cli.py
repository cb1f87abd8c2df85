"""The command line through CliRunner: exit codes, formats, errors as one line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from governance_lint.cli import main

PERSON = """\
apiVersion: govlint/v1
kind: Person
metadata: {id: mrs-davis, name: Mrs. Davis}
spec: {email: davis@example.org}
"""

TWO_OWNERS = """\
apiVersion: govlint/v1
kind: Process
metadata: {id: incident-management, lastReviewed: 2026-10-01}
spec:
  purpose: Restore normal service operation as quickly as possible.
  owner: [person:mrs-davis, person:windy]
"""


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".govlint.yaml").write_text("include: ['**/*.yaml']\n")
    (tmp_path / "people.yaml").write_text(PERSON)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_clean_repository_exits_0(repo: Path) -> None:
    code, out, _ = invoke("check", "--select", "GOV001,GOV002,GOV003,GOV004,GOV005")
    assert code == 0
    assert out.strip().splitlines()[-1].startswith("no problems in 1 file")


def test_findings_exit_1_with_position_and_name(repo: Path) -> None:
    (repo / "incident.yaml").write_text(TWO_OWNERS)
    code, out, _ = invoke("check", "--select", "single-owner")
    assert code == 1
    first = out.splitlines()[0]
    assert first.startswith("incident.yaml:6:3: error GOV101 ")
    assert first.endswith("[single-owner]")
    assert "2 owners (person:mrs-davis, person:windy)" in first


def test_json_format(repo: Path) -> None:
    (repo / "incident.yaml").write_text(TWO_OWNERS)
    code, out, _ = invoke("check", "--format", "json", "--select", "GOV101")
    assert code == 1
    report = json.loads(out)
    assert report["version"] == 1
    assert report["summary"]["files"] == 2 and report["summary"]["errors"] == 1
    (diag,) = report["diagnostics"]
    assert (diag["code"], diag["path"], diag["line"], diag["column"]) == ("GOV101", "incident.yaml", 6, 3)
    assert diag["entity"] == "process:incident-management" and diag["node"] == "spec/owner"


def test_named_file_is_reported_with_repository_as_context(repo: Path) -> None:
    (repo / "team.yaml").write_text(
        "apiVersion: govlint/v1\nkind: Team\nmetadata: {id: desk}\n"
        "spec: {lead: person:mrs-davis, members: [person:mrs-davis, person:ghost]}\n"
    )
    code, out, _ = invoke("check", "team.yaml", "--select", "GOV005")
    assert code == 1
    assert out.splitlines()[0].startswith("team.yaml:4:60: error GOV005 person:ghost")
    assert "in 1 of 1 file" in out.splitlines()[-1]


def test_fail_on_warning(repo: Path) -> None:
    (repo / "incident.yaml").write_text(
        TWO_OWNERS.replace("owner: [person:mrs-davis, person:windy]", "owner: person:mrs-davis")
    )
    assert invoke("check", "--select", "GOV101")[0] == 0


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["check", "--select", "single-ownr"], "did you mean 'single-owner'"),
        (["check", "--ignore", "NOPE999"], "unknown rule 'NOPE999'"),
        (["check", "does-not-exist.yaml"], "does-not-exist.yaml: no such file"),
        (["explain", "taxonomy-consistant"], "did you mean 'taxonomy-consistent'"),
        (["schema", "Procss"], "unknown kind 'Procss'"),
    ],
)
def test_usage_errors_exit_2_with_one_line(repo: Path, args: list[str], needle: str) -> None:
    code, out, err = invoke(*args)
    assert code == 2
    assert needle in err
    assert "Traceback" not in err + out
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("config", "needle"),
    [
        ("inclde: ['**/*.yaml']\n", "unknown key 'inclde'; did you mean 'include'?"),
        ("fail-on: sometimes\n", "'fail-on'"),
        ("rules: {GOV999: off}\n", "unknown rule 'GOV999'"),
        ("rules: {single-owner: {options: {x: 1}}}\n", "unknown option 'x'"),
        ("include: [unterminated\n", ".govlint.yaml:"),
        ("- just\n- a list\n", "a config is a mapping"),
    ],
)
def test_bad_config_exits_2_naming_the_key(repo: Path, config: str, needle: str) -> None:
    (repo / ".govlint.yaml").write_text(config)
    code, _, err = invoke("check")
    assert code == 2
    assert ".govlint.yaml" in err and needle in err


def test_rules_and_explain(repo: Path) -> None:
    code, out, _ = invoke("rules")
    assert code == 0
    assert any(line.split()[:3] == ["GOV101", "single-owner", "error"] for line in out.splitlines())
    code, out, _ = invoke("rules", "--format", "json")
    assert any(r["code"] == "GOV401" and r["name"] == "taxonomy-consistent" for r in json.loads(out))
    code, out, _ = invoke("explain", "GOV101")
    assert code == 0
    assert "## Example (fails)" in out and "## Use instead (passes)" in out


def test_schema_prints_a_kind(repo: Path) -> None:
    code, out, _ = invoke("schema", "process")
    assert code == 0
    assert json.loads(out)["properties"]["kind"]


def test_installed_executable_as_subprocess(repo: Path) -> None:
    """The way CI and pre-commit run it: the console script, a real process."""
    (repo / "incident.yaml").write_text(TWO_OWNERS)
    exe = Path(sys.executable).with_name("govlint")
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "governance_lint.cli"]
    done = subprocess.run(
        [*command, "check", "--select", "GOV101", "--format", "json"],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1, done.stderr
    assert [d["code"] for d in json.loads(done.stdout)["diagnostics"]] == ["GOV101"]
    version = subprocess.run([*command, "--version"], capture_output=True, text=True, timeout=60)
    assert version.returncode == 0 and "govlint" in version.stdout


def test_config_is_found_from_the_named_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`govlint check sub` uses sub's config (root = sub), not the current folder's context."""
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / ".govlint.yaml").write_text("include: ['**/*.yaml']\n")
    (sub / "people.yaml").write_text(PERSON)
    # Outside sub, a second person with the same id would be GOV004 if it were context.
    (tmp_path / "other.yaml").write_text(PERSON)
    monkeypatch.chdir(tmp_path)
    code, out, _ = invoke("check", "sub", "--select", "GOV004", "--format", "json")
    assert code == 0
    assert json.loads(out)["summary"]["files"] == 1
