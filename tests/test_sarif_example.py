"""SARIF of the failing example: valid SARIF 2.1.0, documented rules, fingerprints that survive edits."""

from __future__ import annotations

import json
import shlex
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from governance_lint.cli import main
from governance_lint.registry import builtin_registry
from governance_lint.reporters.sarif import FINGERPRINT_KEY

ROOT = Path(__file__).resolve().parent.parent
SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
EDITED = "governance/processes/problem-management.yaml"


@pytest.fixture
def failing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of examples/failing, as the current folder (its own config makes it the root)."""
    copy = tmp_path / "failing"
    shutil.copytree(ROOT / "examples" / "failing", copy)
    monkeypatch.chdir(copy)
    return copy


def sarif(*args: str) -> dict[str, Any]:
    result = CliRunner().invoke(main, ["check", *args, "--format", "sarif"], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    return json.loads(result.stdout)


def fingerprints(log: dict[str, Any]) -> dict[tuple[str, str, str], str]:
    """(rule, file, message) -> fingerprint: what a finding is about, leaving its line out."""
    table = {}
    for found in log["runs"][0]["results"]:
        uri = found["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        table[found["ruleId"], uri, found["message"]["text"]] = found["partialFingerprints"][FINGERPRINT_KEY]
    return table


def test_sarif_of_the_failing_example_is_valid_sarif_2_1_0(failing: Path) -> None:
    log = sarif(".")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(log), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])
    results = log["runs"][0]["results"]
    assert {r["ruleId"] for r in results} >= {"GOV001", "GOV003", "GOV101", "GOV201"}
    for found in results:
        region = found["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1


def test_one_descriptor_per_rule_that_ran_with_help_from_its_documentation(failing: Path) -> None:
    driver = sarif(".")["runs"][0]["tool"]["driver"]
    registry = builtin_registry()
    codes = [descriptor["id"] for descriptor in driver["rules"]]
    assert sorted(codes) == sorted(rule.code for rule in registry)
    assert len(codes) == len(set(codes))
    single = next(d for d in driver["rules"] if d["id"] == "GOV101")
    assert single["name"] == "single-owner"
    assert "## Example (fails)" in single["help"]["markdown"]
    assert "owner: [person:mrs-davis, person:windy]" in single["help"]["text"]
    assert single["helpUri"].endswith("GOV101")


def test_selected_rules_are_the_only_descriptors(failing: Path) -> None:
    driver = sarif(".", "--select", "GOV101,GOV201")["runs"][0]["tool"]["driver"]
    assert [d["id"] for d in driver["rules"]] == ["GOV101", "GOV201"]


def test_fingerprints_are_stable_across_runs_and_edits_elsewhere_in_the_file(failing: Path) -> None:
    first = sarif(".")
    assert fingerprints(sarif(".")) == fingerprints(first)

    path = failing / EDITED
    path.write_text(
        "# Problem Management\n# reviewed twice a year\n\n" + path.read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    edited = sarif(".")

    before = {r["partialFingerprints"][FINGERPRINT_KEY]: r for r in first["runs"][0]["results"]}
    after = {r["partialFingerprints"][FINGERPRINT_KEY]: r for r in edited["runs"][0]["results"]}
    assert before.keys() == after.keys()
    moved = [
        fp
        for fp, r in before.items()
        if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == EDITED
    ]
    assert moved, "the edited file has findings"
    for fp in moved:
        line = before[fp]["locations"][0]["physicalLocation"]["region"]["startLine"]
        assert after[fp]["locations"][0]["physicalLocation"]["region"]["startLine"] == line + 3


def test_the_example_workflow_runs_valid_govlint_commands_and_uploads_the_sarif_it_writes() -> None:
    workflow = yaml.safe_load((ROOT / "examples" / "github-workflow.yml").read_text(encoding="utf-8"))
    for job in workflow["jobs"].values():
        steps = job["steps"]
        commands = [
            shlex.split(step["run"].split("||")[0])
            for step in steps
            if step.get("run", "").startswith("govlint ")
        ]
        assert len([c for c in commands if c[1] == "check"]) == 2  # SARIF, then annotations
        for program, name, *args in commands:  # every option still exists: click parses them, runs nothing
            assert program == "govlint"
            main.commands[name].make_context(name, args)
        sarif_step = next(command for command in commands if "sarif" in command)
        written = sarif_step[sarif_step.index("--output") + 1]
        upload = next(
            step for step in steps if step.get("uses", "").startswith("github/codeql-action/upload-sarif")
        )
        assert upload["with"]["sarif_file"] == written


def test_the_example_pull_request_job_checks_only_what_the_pull_request_adds() -> None:
    workflow = yaml.safe_load((ROOT / "examples" / "github-workflow.yml").read_text(encoding="utf-8"))
    job = workflow["jobs"]["new-findings"]
    assert job["if"] == "github.event_name == 'pull_request'"
    assert job["env"]["BASE"] == "origin/${{ github.base_ref }}"
    checkout = next(step for step in job["steps"] if step.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0
    commands = [step["run"] for step in job["steps"] if step.get("run", "").startswith("govlint ")]
    assert commands and all('--new-since "$BASE"' in command for command in commands)
