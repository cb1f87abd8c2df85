"""This project's hooks under the real pre-commit, in throw-away governance repositories.

pre-commit installs the hook repository into a virtualenv (pip-installs this
project), so the hook repository is a committed snapshot of this working
tree, made once per session and installed once into a session-wide
PRE_COMMIT_HOME.  ``try-repo`` always installs afresh, so it runs once.
The `repo: local` config that ``govlint init`` writes runs the govlint of this
checkout (first on PATH).

A hook answers "what does this commit break?": each scenario below is a
commit whose damage shows in files it did not touch.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import GOVLINT, sh, tool_env

ROOT = Path(__file__).resolve().parent.parent
CLEAN = ROOT / "examples" / "clean"

pytestmark = pytest.mark.skipif(
    shutil.which("git") is None or not (ROOT / ".git").exists(),
    reason="needs git and a git checkout of govlint",
)

NEW_PROCESS = """\
apiVersion: govlint/v1
kind: Process
metadata: {{id: {id}, name: Access Management, lastReviewed: 2026-06-30}}
spec:
  purpose: Grant authorised users the right to use a service.
  owner: {owner}
"""


@pytest.fixture(scope="session")
def session_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit")


@pytest.fixture(scope="session")
def env(session_dir: Path) -> dict[str, str]:
    return tool_env(session_dir) | {"PRE_COMMIT_HOME": str(session_dir / "pre-commit-home")}


@pytest.fixture(scope="session")
def hook_repo(session_dir: Path, env: dict[str, str]) -> tuple[Path, str]:
    """A committed copy of this working tree (tracked and untracked, not ignored), and its commit."""
    snapshot = session_dir / "govlint"
    listed = (
        subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            check=True,
            stdout=subprocess.PIPE,
        )
        .stdout.decode()
        .split("\0")
    )
    for rel in listed:
        source = ROOT / rel
        if rel and not rel.startswith("tests/") and source.is_file() and not source.is_symlink():
            (snapshot / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, snapshot / rel)
    sh("git", "init", "-q", cwd=snapshot, env=env)
    sh("git", "add", "-A", cwd=snapshot, env=env)
    sh("git", "commit", "-q", "-m", "snapshot", cwd=snapshot, env=env)
    rev = sh("git", "rev-parse", "HEAD", cwd=snapshot, env=env).stdout.strip()
    return snapshot, rev


@pytest.fixture
def governance(tmp_path: Path, env: dict[str, str]) -> Iterator[Path]:
    """A git repository holding the clean example, committed."""
    repo = tmp_path / "governance-repo"
    shutil.copytree(CLEAN, repo)
    sh("git", "init", "-q", cwd=repo, env=env)
    sh("git", "add", "-A", cwd=repo, env=env)
    sh("git", "commit", "-q", "-m", "governance", cwd=repo, env=env)
    yield repo


@pytest.fixture
def with_hooks(governance: Path, hook_repo: tuple[Path, str], env: dict[str, str]) -> Path:
    """The governance repository with this project's `govlint` hook installed as a git pre-commit hook."""
    url, rev = hook_repo
    (governance / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {url}\n    rev: {rev}\n    hooks:\n      - id: govlint\n", encoding="utf-8"
    )
    sh(sys.executable, "-m", "pre_commit", "install", cwd=governance, env=env)
    sh("git", "add", ".pre-commit-config.yaml", cwd=governance, env=env)
    sh("git", "commit", "-q", "-m", "pre-commit", "--no-verify", cwd=governance, env=env)
    return governance


def give_two_owners(repo: Path, rel: str) -> int:
    """Make the process in ``rel`` name two owners; the 1-based line of its `owner:` key."""
    path = repo / rel
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if re.match(r"  owner: person:", line))
    lines[index] = lines[index].rstrip("\n") + ", person:windy]\n"
    lines[index] = lines[index].replace("owner: ", "owner: [", 1)
    path.write_text("".join(lines), encoding="utf-8")
    return index + 1


def commit(repo: Path, env: dict[str, str], *paths: str) -> subprocess.CompletedProcess[str]:
    sh("git", "add", "--", *paths, cwd=repo, env=env)
    return sh("git", "commit", "-m", "change", cwd=repo, env=env, check=False)


def test_try_repo_runs_one_rule_hook_on_the_named_files(
    governance: Path, hook_repo: tuple[Path, str], env: dict[str, str]
) -> None:
    url, rev = hook_repo
    rel = "governance/processes/problem-management.yaml"

    passing = sh(
        sys.executable,
        "-m",
        "pre_commit",
        "try-repo",
        str(url),
        "govlint-single-owner",
        "--ref",
        rev,
        "--files",
        rel,
        cwd=governance,
        env=env,
        check=False,
    )
    assert passing.returncode == 0, passing.stdout
    assert re.search(r"govlint GOV101 single-owner\.+Passed", passing.stdout), passing.stdout

    line = give_two_owners(governance, rel)
    sh("git", "add", rel, cwd=governance, env=env)  # the hook checks what a commit would record
    failing = sh(
        sys.executable,
        "-m",
        "pre_commit",
        "try-repo",
        str(url),
        "govlint-single-owner",
        "--ref",
        rev,
        "--files",
        rel,
        cwd=governance,
        env=env,
        check=False,
    )
    assert failing.returncode == 1, failing.stdout
    assert re.search(r"govlint GOV101 single-owner\.+Failed", failing.stdout)
    found = re.findall(r"^(\S+):(\d+):(\d+): error (GOV\d+) ", failing.stdout, re.MULTILINE)
    assert found == [(rel, str(line), "3", "GOV101")]  # only the selected rule runs


def test_a_clean_commit_passes(with_hooks: Path, env: dict[str, str]) -> None:
    rel = "governance/processes/incident-management.yaml"
    path = with_hooks / rel
    path.write_text(path.read_text(encoding="utf-8") + "# reviewed with the service desk\n", encoding="utf-8")

    done = commit(with_hooks, env, rel)

    assert done.returncode == 0, done.stdout
    assert re.search(r"^govlint\.+Passed$", done.stdout, re.MULTILINE), done.stdout


def test_a_process_with_two_owners_fails_the_commit_at_its_owner(
    with_hooks: Path, env: dict[str, str]
) -> None:
    rel = "governance/processes/problem-management.yaml"
    line = give_two_owners(with_hooks, rel)
    head = sh("git", "rev-parse", "HEAD", cwd=with_hooks, env=env).stdout

    done = commit(with_hooks, env, rel)

    assert done.returncode == 1, done.stdout
    assert re.search(r"^govlint\.+Failed$", done.stdout, re.MULTILINE)
    assert f"{rel}:{line}:3: error GOV101 " in done.stdout
    assert sh("git", "rev-parse", "HEAD", cwd=with_hooks, env=env).stdout == head  # nothing committed


def test_repository_rules_see_committed_files_that_are_not_staged(
    with_hooks: Path, env: dict[str, str]
) -> None:
    # The new process names people defined only in people/*.yaml, which this commit does not touch.
    rel = "governance/processes/access-management.yaml"
    (with_hooks / rel).write_text(
        NEW_PROCESS.format(id="access-management", owner="person:mrs-davis"), encoding="utf-8"
    )
    assert "mrs-davis" not in sh("git", "diff", "--cached", cwd=with_hooks, env=env).stdout

    done = commit(with_hooks, env, rel)

    assert done.returncode == 0, done.stdout
    assert "GOV005" not in done.stdout
    assert "GOV101" not in done.stdout
    # And a name defined nowhere is found, so the repository rules did run on the staged file.
    path = with_hooks / rel
    path.write_text(
        path.read_text(encoding="utf-8").replace("person:mrs-davis", "person:nobody"), encoding="utf-8"
    )
    unresolved = commit(with_hooks, env, rel)
    assert unresolved.returncode == 1, unresolved.stdout
    assert f"{rel}:6:10: error GOV005 " in unresolved.stdout


# Other people's YAML beside the governance folder: a Helm template (not YAML until rendered), a
# Kubernetes manifest with a duplicate key, and an Ansible playbook with a tab in its indentation.
OTHER_YAML = {
    "chart/templates/service.yaml": (
        "apiVersion: v1\nkind: Service\nmetadata:\n"
        '  name: {{ include "app.fullname" . }}\n'
        '  labels:\n    {{- include "app.labels" . | nindent 4 }}\n'
    ),
    "k8s/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  name: web-2\n",
    "ansible/site.yml": "- hosts: all\n  tasks:\n    - name: install\n\t  apt: name=nginx\n",
}
BROKEN_POLICY = (
    "apiVersion: govlint/v1\nkind: Policy\nmetadata: {id: broken}\n"
    "spec:\n  statement: incidents are logged: always\n"
)


def test_a_mixed_repository_fails_only_on_its_broken_governance_file(
    with_hooks: Path, env: dict[str, str]
) -> None:
    config = with_hooks / ".govlint.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            'include: ["governance/**/*.yaml"]', 'include: ["governance/**"]'
        )
    )
    broken = "governance/policies/broken.yaml"
    for rel, text in {**OTHER_YAML, broken: BROKEN_POLICY}.items():
        (with_hooks / rel).parent.mkdir(parents=True, exist_ok=True)
        (with_hooks / rel).write_text(text, encoding="utf-8")
    staged = [".govlint.yaml", *OTHER_YAML, broken]

    done = commit(with_hooks, env, *staged)

    assert done.returncode == 1, done.stdout
    found = re.findall(r"^(\S+):(\d+):(\d+): error (GOV\d+) ", done.stdout, re.MULTILINE)
    assert found == [(broken, "5", "34", "GOV001")]
    # The same answer from `govlint check` handed the files by name.
    named = sh(GOVLINT, "check", *OTHER_YAML, broken, cwd=with_hooks, env=env, check=False)
    assert named.returncode == 1 and re.findall(r"^(\S+):\d+:\d+: ", named.stdout, re.MULTILINE) == [broken]

    sh("git", "rm", "-q", "--cached", broken, cwd=with_hooks, env=env)
    (with_hooks / broken).unlink()
    passing = commit(with_hooks, env, *staged[:-1])

    assert passing.returncode == 0, passing.stdout
    assert re.search(r"^govlint\.+Passed$", passing.stdout, re.MULTILINE), passing.stdout


# -- what a commit breaks elsewhere --------------------------------------------------------------

FINDING = re.compile(r"^(\S+):(\d+):(\d+): error (GOV\d+) ", re.MULTILINE)


def sites(repo: Path, text: str, *, besides: str = "") -> set[tuple[str, str]]:
    """``(path, line)`` of every line of the governance files naming ``text`` (not in ``besides``)."""
    found = set()
    for path in sorted((repo / "governance").rglob("*.yaml")):
        rel = path.relative_to(repo).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(rf"{re.escape(text)}\b", line) and rel != besides:
                found.add((rel, str(number)))
    return found


def reported(output: str, code: str) -> set[tuple[str, str]]:
    return {(path, line) for path, line, _, found in FINDING.findall(output) if found == code}


def failed(done: subprocess.CompletedProcess[str]) -> bool:
    return done.returncode == 1 and re.search(r"^govlint\.+Failed$", done.stdout, re.MULTILINE) is not None


def passed(done: subprocess.CompletedProcess[str]) -> bool:
    return done.returncode == 0 and re.search(r"^govlint\.+Passed$", done.stdout, re.MULTILINE) is not None


def drop_document(repo: Path, rel: str, ident: str) -> None:
    path = repo / rel
    docs = path.read_text(encoding="utf-8").split("---\n")
    kept = [doc for doc in docs if not re.search(rf"\bid: {re.escape(ident)}\b", doc)]
    assert len(kept) == len(docs) - 1
    path.write_text("---\n".join(kept), encoding="utf-8")


def test_removing_a_person_still_named_fails_at_every_site_naming_her(
    with_hooks: Path, env: dict[str, str]
) -> None:
    rel = "governance/people/managers.yaml"
    drop_document(with_hooks, rel, "windy")

    done = commit(with_hooks, env, rel)

    assert failed(done), done.stdout
    assert reported(done.stdout, "GOV005") == sites(with_hooks, "person:windy")
    assert {path for path, _ in reported(done.stdout, "GOV005")} - {rel}  # files the commit never staged


def test_renaming_a_team_still_named_fails_at_every_site_naming_it(
    with_hooks: Path, env: dict[str, str]
) -> None:
    rel = "governance/teams.yaml"
    path = with_hooks / rel
    path.write_text(
        path.read_text(encoding="utf-8").replace("id: engineering\n", "id: platform\n"), encoding="utf-8"
    )

    done = commit(with_hooks, env, rel)

    assert failed(done), done.stdout
    assert reported(done.stdout, "GOV005") == sites(with_hooks, "team:engineering")


def test_a_conflicting_term_in_a_new_file_fails_at_the_glossary_it_contradicts(
    with_hooks: Path, env: dict[str, str]
) -> None:
    rel = "governance/a-terms.yaml"
    (with_hooks / rel).write_text(
        "apiVersion: govlint/v1\nkind: Glossary\nmetadata: {id: ops-terms, name: Operations terms}\n"
        "spec:\n  terms:\n    - term: Incident\n      definition: Anything that goes wrong.\n",
        encoding="utf-8",
    )

    done = commit(with_hooks, env, rel)

    assert failed(done), done.stdout
    # The finding sits in the glossary, which this commit does not touch.
    assert reported(done.stdout, "GOV401") == {("governance/glossary.yaml", "11")}


def test_deleting_a_policy_still_named_fails_at_every_site_naming_it(
    with_hooks: Path, env: dict[str, str]
) -> None:
    rel = "governance/policies/problem.yaml"
    ids = re.findall(r"^  id: (\S+)$", (with_hooks / rel).read_text(encoding="utf-8"), re.MULTILINE)
    sh("git", "rm", "-q", rel, cwd=with_hooks, env=env)

    done = sh("git", "commit", "-m", "drop a policy file", cwd=with_hooks, env=env, check=False)

    assert failed(done), done.stdout
    expected = set().union(*(sites(with_hooks, f"policy:{ident}") for ident in ids))
    assert expected and reported(done.stdout, "GOV301") == expected


LEGACY = """\
apiVersion: govlint/v1
kind: Process
metadata: {id: legacy-process, name: Legacy Process, lastReviewed: 2026-06-30}
spec:
  purpose: A process written before govlint checked anything.
  owner: person:mrs-davis
  escalation: [person:ghost-1, person:ghost-2, person:ghost-3, person:mrs-davis]
"""


@pytest.fixture
def with_legacy(with_hooks: Path, env: dict[str, str]) -> Path:
    """A repository adopting govlint with three legacy findings: recorded in a baseline, as the README
    says, and committed past the hook."""
    (with_hooks / "governance/processes/legacy.yaml").write_text(LEGACY, encoding="utf-8")
    config = with_hooks / ".govlint.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "baseline: .govlint-baseline.json\n")
    written = sh(
        "govlint", "check", "--write-baseline", ".govlint-baseline.json", cwd=with_hooks, env=env, check=False
    )
    assert "wrote 6 findings" in written.stdout, written.stdout  # three GOV005, three warnings
    sh("git", "add", "-A", cwd=with_hooks, env=env)
    sh("git", "commit", "-q", "--no-verify", "-m", "legacy", cwd=with_hooks, env=env)
    return with_hooks


def test_a_commit_that_only_fixes_findings_passes(with_legacy: Path, env: dict[str, str]) -> None:
    rel = "governance/processes/legacy.yaml"
    path = with_legacy / rel
    path.write_text(path.read_text(encoding="utf-8").replace("person:ghost-1, ", ""), encoding="utf-8")

    done = commit(with_legacy, env, rel)

    assert passed(done), done.stdout


def test_a_commit_changing_files_with_legacy_findings_without_adding_any_passes(
    with_legacy: Path, env: dict[str, str]
) -> None:
    rel = "governance/processes/legacy.yaml"
    path = with_legacy / rel
    text = path.read_text(encoding="utf-8")
    path.write_text(
        "# Kept for the audit trail.\n" + text.replace("A process written", "An old process"),
        encoding="utf-8",
    )

    done = commit(with_legacy, env, rel)

    assert passed(done), done.stdout


def test_a_commit_of_other_yaml_only_passes(with_legacy: Path, env: dict[str, str]) -> None:
    rel = ".github/workflows/deploy.yml"
    (with_legacy / rel).parent.mkdir(parents=True)
    (with_legacy / rel).write_text(
        "on: [push]\njobs: {deploy: {runs-on: ubuntu-latest, steps: [\n", encoding="utf-8"
    )

    done = commit(with_legacy, env, rel)

    assert passed(done), done.stdout


def test_only_the_staged_content_counts(with_hooks: Path, env: dict[str, str]) -> None:
    # An unstaged break elsewhere does not stop a clean commit: pre-commit sets it aside while the hook runs.
    staged = "governance/processes/incident-management.yaml"
    path = with_hooks / staged
    path.write_text(path.read_text(encoding="utf-8") + "# reviewed\n", encoding="utf-8")
    drop_document(with_hooks, "governance/people/managers.yaml", "windy")

    done = commit(with_hooks, env, staged)

    assert passed(done), done.stdout
    assert "id: windy" not in (with_hooks / "governance/people/managers.yaml").read_text(encoding="utf-8")


def test_the_config_govlint_init_writes_works_as_written(tmp_path: Path, env: dict[str, str]) -> None:
    repo = tmp_path / "started"
    sh(sys.executable, "-m", "governance_lint", "init", str(repo), cwd=tmp_path, env=env)
    sh("git", "init", "-q", cwd=repo, env=env)
    sh(sys.executable, "-m", "pre_commit", "install", cwd=repo, env=env)
    sh("git", "add", "-A", cwd=repo, env=env)

    first = sh("git", "commit", "-m", "start", cwd=repo, env=env, check=False)
    drop_document(repo, "governance/people.yaml", "jordan")
    removed = commit(repo, env, "governance/people.yaml")

    assert passed(first), first.stdout  # the first commit: everything is new, and all of it is clean
    assert failed(removed), removed.stdout
    assert reported(removed.stdout, "GOV005") == sites(repo, "person:jordan")


def test_all_files_in_ci_fails_on_what_the_last_commit_broke(with_hooks: Path, env: dict[str, str]) -> None:
    """`pre-commit run --all-files`, as CI and pre-commit.ci run it on a pull request whose commit is already
    made: the hook checks the repository as committed, so what that commit broke fails it."""
    line = give_two_owners(with_hooks, "governance/processes/problem-management.yaml")
    drop_document(with_hooks, "governance/people/managers.yaml", "windy")
    sh("git", "add", "-A", cwd=with_hooks, env=env)
    sh("git", "commit", "-q", "--no-verify", "-m", "a second owner; windy leaves", cwd=with_hooks, env=env)

    done = sh(sys.executable, "-m", "pre_commit", "run", "--all-files", cwd=with_hooks, env=env, check=False)

    assert failed(done), done.stdout
    assert ("governance/processes/problem-management.yaml", str(line)) in reported(done.stdout, "GOV101")
    assert reported(done.stdout, "GOV005")


def test_an_untracked_broken_draft_blocks_no_commit(with_hooks: Path, env: dict[str, str]) -> None:
    draft = with_hooks / "governance/processes/draft.yaml"
    draft.write_text(NEW_PROCESS.format(id="draft", owner="person:nobody") + "  bad: [\n", encoding="utf-8")
    (with_hooks / "README.md").write_text("# Governance\n", encoding="utf-8")

    done = commit(with_hooks, env, "README.md")

    assert passed(done), done.stdout
    assert draft.exists()  # still there, untracked


def test_a_staged_deletion_of_a_named_person_fails(with_hooks: Path, env: dict[str, str]) -> None:
    rel = "governance/people/managers.yaml"
    sh("git", "rm", "-q", rel, cwd=with_hooks, env=env)

    done = sh("git", "commit", "-m", "drop the managers", cwd=with_hooks, env=env, check=False)

    assert failed(done), done.stdout
    assert reported(done.stdout, "GOV005")
