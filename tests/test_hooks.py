"""The pre-commit hook manifest: generated from the registry, in sync, and checking the whole change."""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import Repo, tool_env
from pre_commit.clientlib import load_config, load_manifest

from governance_lint import hooks
from governance_lint.registry import builtin_registry

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / hooks.MANIFEST_NAME

TWO_OWNERS = """\
apiVersion: govlint/v1
kind: Process
metadata: {id: incident-management}
spec:
  purpose: Restore normal service operation as quickly as possible.
  owner: [person:mrs-davis, person:windy]
"""
PEOPLE = """\
apiVersion: govlint/v1
kind: Person
metadata: {id: mrs-davis}
---
apiVersion: govlint/v1
kind: Person
metadata: {id: windy}
"""


def committed_hooks() -> list[dict[str, Any]]:
    return yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))


def test_committed_manifest_matches_the_registry() -> None:
    assert MANIFEST.read_text(encoding="utf-8") == hooks.manifest_text(), (
        "the rule registry changed: run `python scripts/generate_hooks.py` and commit .pre-commit-hooks.yaml"
    )


def test_pre_commit_accepts_the_manifest() -> None:
    loaded = load_manifest(str(MANIFEST))
    assert [hook["id"] for hook in loaded] == [hook["id"] for hook in committed_hooks()]


def test_one_hook_for_all_rules_and_one_per_builtin_rule() -> None:
    by_id = {hook["id"]: hook for hook in committed_hooks()}
    expected = {"govlint": "govlint check --staged"} | {
        f"govlint-{rule.name}": f"govlint check --staged --select {rule.code}" for rule in builtin_registry()
    }
    assert {hook_id: hook["entry"] for hook_id, hook in by_id.items()} == expected
    single = by_id["govlint-single-owner"]
    assert single["name"] == "govlint GOV101 single-owner"
    assert single["language"] == "python"
    # The whole change, deletions included: no file names, and run for every commit.
    for hook in by_id.values():
        assert (hook["pass_filenames"], hook["always_run"], hook["require_serial"]) == (False, True, True)
        assert "files" not in hook and "types" not in hook


@pytest.mark.parametrize("hook_id", ["govlint", "govlint-single-owner"])
def test_a_hook_entry_with_args_checks_what_the_commit_records(hook_id: str, tmp_path: Path) -> None:
    # pre-commit runs `entry args...`: with no file names, the args are options.
    repo = Repo.create(
        tmp_path / "repo",
        tool_env(tmp_path),
        {".govlint.yaml": "include: ['**/*.yaml']\n", "people.yaml": PEOPLE, "process.yaml": TWO_OWNERS},
    )
    repo.commit_all("legacy: a process with two owners")
    repo.write("other.yaml", TWO_OWNERS.replace("incident-management", "problem-management"))
    repo.write("draft.yaml", TWO_OWNERS.replace("incident-management", "draft"))  # never staged
    repo.git("add", "other.yaml")
    entry = next(hook["entry"] for hook in committed_hooks() if hook["id"] == hook_id)
    program, *args = shlex.split(entry)
    assert program == "govlint"

    done = repo.govlint(*args, "--format", "json")
    quiet = repo.govlint(*args, "--fail-on", "info", "--quiet")

    assert done.returncode == 1, done.stderr
    found = [(d["code"], d["path"], d["line"]) for d in json.loads(done.stdout)["diagnostics"]]
    # every finding of the commit fails it, the old one too; the untracked draft is no part of it
    assert {("GOV101", "other.yaml", 6), ("GOV101", "process.yaml", 6)} <= set(found)
    assert all(path != "draft.yaml" for _, path, _ in found)
    assert quiet.returncode == 1


def test_generate_check_fails_on_a_stale_manifest_and_writes_nothing(tmp_path: Path) -> None:
    stale = tmp_path / hooks.MANIFEST_NAME
    stale.write_text("- id: govlint\n", encoding="utf-8")
    assert hooks.main(["--check", "--output", str(stale)]) == 1
    assert stale.read_text(encoding="utf-8") == "- id: govlint\n"


def test_generate_writes_the_manifest_and_is_then_up_to_date(tmp_path: Path) -> None:
    target = tmp_path / hooks.MANIFEST_NAME
    assert hooks.main(["--output", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == hooks.manifest_text()
    assert hooks.main(["--check", "--output", str(target)]) == 0
    assert list(tmp_path.iterdir()) == [target]


def test_the_projects_own_dev_hooks_need_no_network() -> None:
    config = load_config(str(ROOT / ".pre-commit-config.yaml"))
    assert {repo["repo"] for repo in config["repos"]} <= {"local", "meta"}
    local = [hook for repo in config["repos"] if repo["repo"] == "local" for hook in repo["hooks"]]
    # pre-commit 4.4 reads `system` as its new name, `unsupported`: the hook runs what is installed.
    assert local and all(hook["language"] in ("system", "unsupported") for hook in local)
