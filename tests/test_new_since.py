"""`govlint check --new-since REF` in real git repositories, run as the installed executable.

The repository is the `govlint init` starter set plus one legacy process with
20 findings (17 unresolved references, 3 warnings), committed on `main`.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from helpers import Repo, tool_env

from governance_lint.init import starter_files

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

LEGACY = "governance/processes/legacy.yaml"
PROCESS = "governance/processes/incident-management.yaml"
GHOSTS = ", ".join(f"person:ghost-{i}" for i in range(1, 18))
LEGACY_TEXT = f"""\
apiVersion: govlint/v1
kind: Process
metadata: {{id: legacy-process, name: Legacy Process, lastReviewed: 2026-01-01}}
spec:
  purpose: A process written before govlint checked anything.
  owner: person:alex
  escalation: [{GHOSTS}, person:alex]
"""
LEGACY_FINDINGS = 20


def starter(today: dt.date = dt.date(2026, 1, 1)) -> dict[str, str]:
    files = starter_files(today)
    files[".govlint.yaml"] += "today: 2026-06-01\n"
    return files


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    """The starter set with 20 legacy findings, committed on main; a branch `change` checked out."""
    created = Repo.create(tmp_path / "repo", tool_env(tmp_path), starter() | {LEGACY: LEGACY_TEXT})
    created.commit_all("governance with legacy findings")
    created.git("checkout", "-q", "-b", "change")
    return created


def report(done: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def found(done: subprocess.CompletedProcess[str]) -> list[tuple[str, str, int, int]]:
    return [(d["code"], d["path"], d["line"], d["column"]) for d in report(done)["diagnostics"]]


def line_of(repo: Repo, rel: str, text: str) -> int:
    return 1 + next(i for i, line in enumerate(repo.read(rel).splitlines()) if text in line)


def test_the_legacy_repository_has_twenty_findings(repo: Repo) -> None:
    done = repo.govlint("check", "--format", "json")
    assert done.returncode == 1, done.stderr
    assert len(found(done)) == LEGACY_FINDINGS
    assert {path for _, path, _, _ in found(done)} == {LEGACY}


def test_a_branch_adding_one_finding_reports_exactly_that_one(repo: Repo) -> None:
    repo.edit(PROCESS, "owner: person:alex", "owner: [person:alex, person:sam]")
    repo.commit_all("two owners")
    owner = line_of(repo, PROCESS, "owner: [person:alex")

    text = repo.govlint("check", "--new-since", "main")
    as_json = repo.govlint("check", "--new-since", "main", "--format", "json")

    assert text.returncode == 1, text.stderr
    lines = text.stdout.splitlines()
    assert len(lines) == 2, text.stdout
    assert lines[0].startswith(f"{PROCESS}:{owner}:3: error GOV101 ")
    assert lines[1] == f"1 new error in 1 of 6 files (12 documents, {LEGACY_FINDINGS} existing not shown)"
    assert found(as_json) == [("GOV101", PROCESS, owner, 3)]
    assert report(as_json)["summary"] == {
        "files": 6,
        "documents": 12,
        "skipped": 0,
        "errors": 1,
        "warnings": 0,
        "infos": 0,
        "held_back": 0,
        "fix_first": None,
        "baseline_hidden": 0,
        "existing": LEGACY_FINDINGS,
    }


def test_a_branch_adding_none_exits_0_and_counts_what_it_did_not_show(repo: Repo) -> None:
    repo.edit(PROCESS, "# Incident Management:", "# Incident Management (reviewed):")
    repo.edit(LEGACY, "purpose: A process", "purpose: An old process")  # a file with legacy findings
    repo.commit_all("comments")

    done = repo.govlint("check", "--new-since", "main")

    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == f"no new problems in 6 files (12 documents, {LEGACY_FINDINGS} existing not shown)\n"


def test_new_findings_in_files_the_change_never_touched(repo: Repo) -> None:
    repo.edit("governance/teams.yaml", "id: engineering", "id: platform-engineering")
    repo.commit_all("rename a team")

    done = repo.govlint("check", "--new-since", "main", "--format", "json")

    assert done.returncode == 1
    assert {path for _, path, _, _ in found(done)} == {PROCESS}  # teams.yaml itself is fine
    assert {code for code, _, _, _ in found(done)} == {"GOV005"}
    assert len(found(done)) == repo.read(PROCESS).count("team:engineering")


def test_the_work_tree_counts_not_the_last_commit(repo: Repo) -> None:
    # Uncommitted and unstaged: what pre-commit leaves in the work tree is what is compared.
    repo.git("rm", "-q", "governance/policies.yaml")

    done = repo.govlint("check", "--new-since", "HEAD", "--format", "json")

    assert done.returncode == 1
    assert {(code, path) for code, path, _, _ in found(done)} == {("GOV301", PROCESS)}
    assert len(found(done)) == repo.read(PROCESS).count("policy:")


def test_fixing_legacy_findings_is_not_new(repo: Repo) -> None:
    repo.edit(LEGACY, "person:ghost-1, ", "")
    repo.edit(LEGACY, "person:ghost-2, ", "")

    done = repo.govlint("check", "--new-since", "HEAD")

    assert done.returncode == 0, done.stdout
    assert done.stdout.endswith(f"({12} documents, {LEGACY_FINDINGS - 2} existing not shown)\n")


def test_a_renamed_file_keeps_its_old_findings_old(repo: Repo) -> None:
    moved = "governance/legacy/old-process.yaml"
    (repo.path / moved).parent.mkdir()
    repo.git("mv", LEGACY, moved)
    repo.edit(moved, "purpose: A process", "purpose: An old process")  # renamed with an edit
    repo.commit_all("move the legacy process")

    done = repo.govlint("check", "--new-since", "main", "--format", "json")
    everything = repo.govlint("check", "--format", "json")

    assert done.returncode == 0, done.stdout
    assert report(done)["summary"]["existing"] == LEGACY_FINDINGS
    assert {path for _, path, _, _ in found(everything)} == {moved}


def test_a_finding_that_moves_within_its_node_is_not_new(repo: Repo) -> None:
    # Lines above it change: positions differ, rule, file, node and subject do not.
    repo.edit(LEGACY, "spec:\n", "# A comment\n# and another\nspec:\n")

    done = repo.govlint("check", "--new-since", "HEAD")

    assert done.returncode == 0, done.stdout


def test_a_second_identical_finding_at_the_same_node_is_new(repo: Repo) -> None:
    # The same unresolved name once more in the same list: one more finding, the same key.
    repo.edit(LEGACY, "person:ghost-17, ", "person:ghost-17, person:ghost-17, ")

    done = repo.govlint("check", "--new-since", "HEAD", "--format", "json")

    codes = [code for code, *_ in found(done)]
    assert done.returncode == 1
    assert codes.count("GOV005") == 1


@pytest.mark.parametrize("fmt", ["sarif", "github"])
def test_every_format_carries_only_the_new_findings(repo: Repo, fmt: str) -> None:
    repo.edit(PROCESS, "owner: person:alex", "owner: person:nobody")
    owner = line_of(repo, PROCESS, "owner: person:nobody")

    done = repo.govlint("check", "--new-since", "HEAD", "--format", fmt)

    assert done.returncode == 1
    if fmt == "sarif":
        results = json.loads(done.stdout)["runs"][0]["results"]
        places = [
            (
                r["ruleId"],
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                r["locations"][0]["physicalLocation"]["region"]["startLine"],
            )
            for r in results
        ]
        assert ("GOV005", PROCESS, owner) in places
        assert all(path == PROCESS for _, path, _ in places)
    else:
        annotations = [line for line in done.stdout.splitlines() if line.startswith("::")]
        assert annotations and all(f"file={PROCESS}," in line for line in annotations)
        assert any(f"line={owner}," in line and "GOV005" in line for line in annotations)
        assert done.stdout.splitlines()[-1].endswith(f"{LEGACY_FINDINGS} existing not shown)")


def test_unknown_ref_exits_2_and_says_so(repo: Repo) -> None:
    done = repo.govlint("check", "--new-since", "no-such-branch")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("govlint: error: --new-since no-such-branch: no such commit")
    assert "Traceback" not in done.stderr


def test_outside_git_exits_2(tmp_path: Path) -> None:
    plain = Repo(tmp_path / "plain", tool_env(tmp_path))
    for rel, text in starter().items():
        plain.write(rel, text)
    done = plain.govlint("check", "--new-since", "HEAD")
    assert done.returncode == 2
    assert "needs a git repository" in done.stderr


def test_a_shallow_clone_without_the_merge_base_exits_2_with_the_advice(repo: Repo, tmp_path: Path) -> None:
    repo.edit(PROCESS, "# Incident Management:", "# Incident Management (reviewed):")
    repo.commit_all("on the branch")
    repo.git("checkout", "-q", "main")
    repo.edit(LEGACY, "purpose: A process", "purpose: An old process")
    repo.commit_all("on main meanwhile")
    clone = tmp_path / "clone"
    Repo(tmp_path, repo.env).git(
        "clone", "-q", "--depth", "1", "--no-single-branch", f"file://{repo.path}", str(clone)
    )
    shallow = Repo(clone, repo.env)
    shallow.git("checkout", "-q", "change")

    done = shallow.govlint("check", "--new-since", "origin/main")
    single = Repo(tmp_path, repo.env)
    single.git(
        "clone", "-q", "--depth", "1", "--branch", "change", f"file://{repo.path}", str(tmp_path / "one")
    )
    missing = Repo(tmp_path / "one", repo.env).govlint("check", "--new-since", "origin/main")

    assert done.returncode == 2, done.stdout
    assert "shallow" in done.stderr and "fetch-depth: 0" in done.stderr
    assert missing.returncode == 2, missing.stdout
    assert "no such commit" in missing.stderr and "fetch-depth: 0" in missing.stderr


def test_the_first_commit_of_a_repository_compares_with_nothing(tmp_path: Path) -> None:
    fresh = Repo.create(tmp_path / "fresh", tool_env(tmp_path), starter() | {LEGACY: LEGACY_TEXT})
    fresh.git("add", "-A")

    done = fresh.govlint("check", "--new-since", "HEAD", "--format", "json")

    assert done.returncode == 1
    assert len(found(done)) == LEGACY_FINDINGS
    assert report(done)["summary"]["existing"] == 0


def test_a_config_in_a_subfolder_compares_its_own_files(tmp_path: Path) -> None:
    nested = Repo.create(
        tmp_path / "mono",
        tool_env(tmp_path),
        {f"ops/{rel}": text for rel, text in (starter() | {LEGACY: LEGACY_TEXT}).items()}
        | {"app/values.yaml": "replicas: 2\n"},
    )
    nested.commit_all("a monorepo")
    nested.git("mv", "ops/governance/teams.yaml", "ops/governance/groups.yaml")
    nested.edit("ops/governance/groups.yaml", "id: engineering", "id: platform")

    done = nested.govlint("check", "--new-since", "HEAD", "--format", "json", cwd=nested.path / "ops")

    assert done.returncode == 1
    # (paths in JSON may be relative to the config's folder or to the work tree's root)
    assert {(code, path.removeprefix("ops/")) for code, path, _, _ in found(done)} == {("GOV005", PROCESS)}
    assert report(done)["summary"]["existing"] == LEGACY_FINDINGS


def test_write_baseline_and_new_since_do_not_go_together(repo: Repo) -> None:
    done = repo.govlint("check", "--new-since", "HEAD", "--write-baseline", "baseline.json")
    assert done.returncode == 2
    assert "--write-baseline" in done.stderr
    assert not (repo.path / "baseline.json").exists()


PADDING = """\
apiVersion: govlint/v1
kind: Process
metadata: {{id: filler-{n}, name: Filler {n}, lastReviewed: 2026-01-01}}
spec:
  purpose: One of many small processes, so that the work is shared among workers.
  owner: person:{owner}
"""


def test_byte_identical_with_and_without_the_cache_serial_and_parallel(repo: Repo) -> None:
    # Enough files for the worker pool; the change both adds and removes findings across many files.
    for n in range(240):
        repo.write(
            f"governance/filler/filler-{n:03}.yaml", PADDING.format(n=n, owner="alex" if n % 7 else "gone")
        )
    repo.commit_all("many processes")
    for n in range(0, 240, 5):
        repo.edit(f"governance/filler/filler-{n:03}.yaml", "owner: person:", "owner: person:x")
    repo.git("mv", "governance/filler/filler-007.yaml", "governance/filler/moved.yaml")
    runs = {}
    for name, options in (
        ("cold, serial, no cache", ["--no-cache", "--jobs", "1"]),
        ("cold, 2 jobs, cache", ["--jobs", "2"]),
        ("warm, 2 jobs, cache", ["--jobs", "2"]),
        ("warm, serial, cache", ["--jobs", "1"]),
        ("no cache, 2 jobs", ["--no-cache", "--jobs", "2"]),
    ):
        for fmt in ("text", "json", "sarif"):
            done = repo.govlint("check", "--new-since", "HEAD", "--format", fmt, *options)
            assert done.returncode == 1, done.stderr
            runs[name, fmt] = done.stdout
    for fmt in ("text", "json", "sarif"):
        assert len({out for (_, f), out in runs.items() if f == fmt}) == 1, fmt
    new = found(repo.govlint("check", "--new-since", "HEAD", "--format", "json"))
    # Every fifth file now names person:x... (new), filler-007's old finding moved with it (old).
    assert {path for _, path, _, _ in new} == {
        f"governance/filler/filler-{n:03}.yaml" for n in range(0, 240, 5)
    }
    assert [code for code, *_ in new].count("GOV005") == 48


def test_the_base_state_is_the_work_trees_model_with_the_differing_files_laid_over(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from governance_lint import parallel
    from governance_lint.cli import main

    checked: list[str] = []
    check_file = parallel.check_file

    def counted(rel: str, *args: object) -> object:
        checked.append(rel)
        return check_file(rel, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(parallel, "check_file", counted)
    monkeypatch.chdir(repo.path)

    def new_since() -> str:
        checked.clear()
        result = CliRunner().invoke(
            main, ["check", "--new-since", "HEAD", "--format", "json", "--jobs", "1"], catch_exceptions=False
        )
        return result.stdout

    new_since()  # builds the stored state of the work tree
    repo.edit(PROCESS, "owner: person:alex", "owner: person:nobody")
    first = new_since()
    assert checked == [PROCESS, PROCESS]  # the edited file in the work tree, then its content at the base
    assert new_since() == first
    assert checked == [PROCESS]  # the work tree is stored; only the base's differing file is read from git
    repo.edit(LEGACY, "purpose: A process", "purpose: An old process")
    third = new_since()
    assert sorted(checked) == sorted([LEGACY, LEGACY, PROCESS])
    assert json.loads(third)["diagnostics"] == json.loads(first)["diagnostics"]


def test_hostile_base_files_are_findings_there_not_crashes(repo: Repo) -> None:
    # At the base: a link out of the repository and a file over the size limit; the change removes both.
    repo.write(".govlint.yaml", repo.read(".govlint.yaml") + "limits: {max-file-bytes: 4000}\n")
    (repo.path / "governance/outside.yaml").symlink_to("/etc/passwd")
    repo.write("governance/huge.yaml", "# govlint/v1\n" + "x: 1\n" * 2000)
    repo.commit_all("hostile files")
    before = repo.govlint("check", "--format", "json")
    assert {(code, path) for code, path, _, _ in found(before)} >= {
        ("GOV001", "governance/outside.yaml"),
        ("GOV001", "governance/huge.yaml"),
    }
    repo.git("rm", "-q", "governance/outside.yaml", "governance/huge.yaml")

    done = repo.govlint("check", "--new-since", "HEAD")

    assert (done.returncode, done.stderr) == (0, ""), done.stdout
    assert done.stdout.endswith(f"{LEGACY_FINDINGS} existing not shown)\n")


def test_turning_a_rule_on_does_not_make_its_old_findings_new(repo: Repo) -> None:
    repo.write(".govlint.yaml", repo.read(".govlint.yaml") + "rules: {single-owner: off}\n")
    repo.edit(PROCESS, "owner: person:alex", "owner: [person:alex, person:sam]")
    repo.commit_all("two owners while the rule was off")
    repo.write(".govlint.yaml", repo.read(".govlint.yaml").replace("rules: {single-owner: off}\n", ""))

    done = repo.govlint("check", "--new-since", "HEAD")
    everything = repo.govlint("check", "--select", "GOV101")

    assert done.returncode == 0, done.stdout
    assert done.stdout.endswith(f"{LEGACY_FINDINGS + 1} existing not shown)\n")
    assert everything.returncode == 1 and " GOV101 " in everything.stdout


@pytest.mark.parametrize("ref", ["--all", "-h", ""])
def test_a_ref_that_looks_like_an_option_is_an_unknown_ref(repo: Repo, ref: str) -> None:
    done = repo.govlint("check", f"--new-since={ref}")
    assert done.returncode == 2
    assert "no such commit" in done.stderr
