"""Which files a run checks (SPEC §4): governance files only, through include/exclude, as git lists them.

Every test builds a real git repository and runs the installed ``govlint``.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from helpers import git, git_env, make_repo, run_govlint

PERSON = """\
apiVersion: govlint/v1
kind: Person
metadata: {id: windy, name: Windy}
spec: {email: windy@example.org}
"""

# Other people's YAML: a Helm template (not YAML until rendered), a Kubernetes manifest with a
# duplicate key, an Ansible playbook and a GitHub workflow.
HELM = """\
apiVersion: v1
kind: Service
metadata:
  name: {{ include "app.fullname" . }}
  labels:
    {{- include "app.labels" . | nindent 4 }}
spec:
  ports:
    {{- range .Values.ports }}
    - port: {{ .port }}
    {{- end }}
"""
MANIFEST = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  name: web-2
spec:
  replicas: 2
"""
ANSIBLE = """\
- hosts: all
  tasks:
    - name: install
      apt: name=nginx state=present
      when: ansible_os_family == "Debian"
	- name: tab-indented, not YAML
"""
WORKFLOW = "on: [push]\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n"
OTHER_YAML = {
    "chart/templates/service.yaml": HELM,
    "k8s/deploy.yaml": MANIFEST,
    "ansible/site.yml": ANSIBLE,
    ".github/workflows/ci.yml": WORKFLOW,
}
# Mentions govlint/, so it is a governance file: one that does not load is GOV001.
BROKEN = "apiVersion: govlint/v1\nkind: Policy\nmetadata: {id: broken}\nspec:\n  statement: logged: always\n"


def report(done: Any) -> dict[str, Any]:
    assert "Traceback" not in done.stderr, done.stderr
    parsed: dict[str, Any] = json.loads(done.stdout)
    return parsed


def where(done: Any) -> list[tuple[str, str, int, int]]:
    return [(d["path"], d["code"], d["line"], d["column"]) for d in report(done)["diagnostics"]]


# -- governance files and other YAML ---------------------------------------------------------------


def test_other_yaml_is_skipped_without_a_finding_even_when_it_is_not_yaml(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {"governance/people.yaml": PERSON, **OTHER_YAML})

    done = run_govlint("check", "--format", "json", cwd=repo)

    assert (done.returncode, where(done)) == (0, [])
    assert report(done)["summary"] | {} == {
        "files": 5,
        "documents": 1,
        "skipped": 4,
        "errors": 0,
        "warnings": 0,
        "infos": 0,
        "held_back": 0,
        "fix_first": None,
        "baseline_hidden": 0,
    }
    text = run_govlint("check", cwd=repo)
    assert text.stdout == "no problems in 5 files (1 document, 4 skipped)\n"


def test_verbose_names_the_skipped_files(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {"governance/people.yaml": PERSON, **OTHER_YAML})

    done = run_govlint("check", "--verbose", cwd=repo / "governance")

    assert done.returncode == 0
    skipped = sorted(line for line in done.stderr.splitlines() if line.startswith("govlint: skipped "))
    assert skipped == [
        f"govlint: skipped {name}: not a governance file (never mentions govlint/)"
        for name in (
            "../.github/workflows/ci.yml",
            "../ansible/site.yml",
            "../chart/templates/service.yaml",
            "../k8s/deploy.yaml",
        )
    ]


def test_a_file_that_mentions_govlint_and_does_not_load_is_gov001(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {"governance/broken.yaml": BROKEN, **OTHER_YAML})

    done = run_govlint("check", "--format", "json", cwd=repo)

    assert (done.returncode, where(done)) == (1, [("governance/broken.yaml", "GOV001", 5, 20)])


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        pytest.param(PERSON.replace("govlint/v1", "govlnt/v1"), "did you mean 'govlint/v1'?", id="govlnt/v1"),
        pytest.param(
            PERSON.replace("govlint/v1", "Govlint/v1"), "did you mean 'govlint/v1'?", id="Govlint/v1"
        ),
        pytest.param(
            PERSON.replace("apiVersion:", "apiversion:"),
            "did you mean 'apiVersion: govlint/v1'?",
            id="apiversion-key",
        ),
        pytest.param(
            PERSON.replace("apiVersion: govlint/v1", "api_version: govlint/v1"),
            "did you mean 'apiVersion: govlint/v1'?",
            id="api_version-key",
        ),
        pytest.param(
            PERSON.replace("apiVersion: govlint/v1\n", ""),
            "did you mean to add 'apiVersion: govlint/v1'?",
            id="no-apiVersion",
        ),
    ],
)
def test_a_near_miss_governance_document_is_gov003_with_a_did_you_mean(
    tmp_path: Path, text: str, hint: str
) -> None:
    repo = make_repo(tmp_path / "repo", {"people.yaml": text, "k8s/service.yaml": HELM.split("{{")[0]})

    done = run_govlint("check", "--format", "json", cwd=repo)

    assert (done.returncode, where(done)) == (1, [("people.yaml", "GOV003", 1, 1)])
    assert hint in report(done)["diagnostics"][0]["message"]


def test_a_kubernetes_service_is_not_a_near_miss(tmp_path: Path) -> None:
    service = "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}]}\n"
    policy = (
        "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web}\nspec: {minAvailable: 1}\n"
    )
    repo = make_repo(tmp_path / "repo", {"people.yaml": PERSON, "service.yaml": service, "pdb.yaml": policy})

    done = run_govlint("check", "--format", "json", cwd=repo)

    assert (done.returncode, where(done), report(done)["summary"]["skipped"]) == (0, [], 2)


# -- named files pass through include and exclude -----------------------------------------------------


def test_named_files_outside_include_are_skipped_silently(tmp_path: Path) -> None:
    config = 'include: ["governance/**"]\nexclude: ["governance/drafts/**"]\n'
    repo = make_repo(
        tmp_path / "repo",
        {
            ".govlint.yaml": config,
            "governance/people.yaml": PERSON,
            "governance/drafts/broken.yaml": BROKEN,
            **OTHER_YAML,
        },
    )
    named = [*OTHER_YAML, "governance/drafts/broken.yaml"]

    done = run_govlint("check", *named, cwd=repo)

    assert done.returncode == 0, done.stdout
    assert done.stdout == "no problems in 0 files (0 documents)\n"
    assert done.stderr == (
        "govlint: note: the named paths hold no governance file (5 skipped; --verbose names them)\n"
    )
    verbose = run_govlint("check", "--verbose", *named, cwd=repo)
    told = [line for line in verbose.stderr.splitlines()[:-1] if not line.startswith("govlint: store:")]
    assert sorted(told) == sorted(
        f"govlint: skipped {name}: not among the files the config includes" for name in named
    )


def test_named_governance_file_beside_other_yaml_is_checked(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {
            ".govlint.yaml": 'include: ["governance/**"]\n',
            "governance/people.yaml": PERSON,
            "governance/broken.yaml": BROKEN,
            **OTHER_YAML,
        },
    )

    done = run_govlint("check", "--format", "json", *OTHER_YAML, "governance/broken.yaml", cwd=repo)

    assert (done.returncode, where(done)) == (1, [("governance/broken.yaml", "GOV001", 5, 20)])
    assert done.stderr == ""


def test_a_named_folder_with_only_other_yaml_gives_one_note(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {"governance/people.yaml": PERSON, **OTHER_YAML})

    done = run_govlint("check", "chart", "k8s", cwd=repo)

    assert (done.returncode, done.stdout) == (0, "no problems in 2 files (0 documents, 2 skipped)\n")
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("govlint: note: ")


# -- include globs that match nothing --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("include", "hint"),
    [
        pytest.param('["govrnance/**"]', "; did you mean 'governance'?", id="misspelled-folder"),
        pytest.param(
            '["governance/**/*.yaml", "governance/proceses/*.yaml"]',
            "; did you mean 'governance/processes'?",
            id="one-of-two",
        ),
        pytest.param('["governance/**/*.yml"]', "", id="nothing-matches-at-all"),
        pytest.param('["governance/people"]', "; did you mean 'governance/people.yaml'?", id="no-wildcard"),
    ],
)
def test_an_include_that_matches_no_file_exits_2_naming_it(tmp_path: Path, include: str, hint: str) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {
            ".govlint.yaml": f"include: {include}\n",
            "governance/people.yaml": PERSON,
            "governance/processes/.keep.yaml": "# none yet\n",
        },
    )
    glob = json.loads(include)[-1]

    done = run_govlint("check", cwd=repo)

    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        f"govlint: error: {repo / '.govlint.yaml'}: include: {glob!r} matches no file in the "
        f"repository ({repo}){hint}\n"
    )


def test_an_include_whose_folder_exists_waits_for_files_to_come(tmp_path: Path) -> None:
    config = 'include: ["governance/**/*.yaml", "governance/**/*.yml"]\n'
    repo = make_repo(tmp_path / "repo", {".govlint.yaml": config, "governance/people.yaml": PERSON})

    done = run_govlint("check", cwd=repo)

    assert (done.returncode, done.stdout, done.stderr) == (0, "no problems in 1 file (1 document)\n", "")


# -- git is the source of truth ------------------------------------------------------------------------------


def test_without_git_on_path_a_git_work_tree_is_an_error_not_a_folder_walk(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {"people.yaml": PERSON})
    # "git is missing", simulated: PATH holds only a folder with the Python that runs govlint.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    env = git_env() | {"PATH": str(bin_dir)}
    assert shutil.which("git", path=env["PATH"]) is None

    done = run_govlint("check", cwd=repo, env=env)

    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        f"govlint: error: {repo} is inside a git work tree, but git is not installed "
        "(not on PATH); govlint asks git which files the repository holds\n"
    )


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give the repo away"
)
def test_a_repository_git_refuses_for_dubious_ownership_is_an_error(tmp_path: Path) -> None:
    # "Dubious ownership", for real: a repository owned by another user (nobody), run as root with no
    # safe.directory in any git config (helpers.git_env uses an empty global config).
    repo = make_repo(tmp_path / "repo", {"people.yaml": PERSON})
    for folder, dirs, files in os.walk(repo):
        for name in (folder, *(os.path.join(folder, n) for n in (*dirs, *files))):
            os.lchown(name, 65534, 65534)

    done = run_govlint("check", cwd=repo)

    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith(
        f"govlint: error: git refused to list the files of {repo}: "
        f"detected dubious ownership in repository at '{repo}'"
    )
    assert f"(to trust it: git config --global --add safe.directory {repo})" in done.stderr


def test_a_git_link_to_a_missing_repository_is_an_error(tmp_path: Path) -> None:
    # Another refusal anyone can build: a .git file (as in a linked work tree) naming a git dir that is gone.
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / ".git").write_text(f"gitdir: {tmp_path / 'gone'}\n")
    (repo / "people.yaml").write_text(PERSON)

    done = run_govlint("check", cwd=repo)

    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith(
        f"govlint: error: git refused to list the files of {repo}: not a git repository"
    )
    assert done.stderr.count("\n") == 1


def test_deleted_and_sparse_entries_are_skipped_not_unreadable(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {"people.yaml": PERSON, "deleted.yaml": BROKEN, "sparse.yaml": BROKEN, "skip.yaml": BROKEN},
        commit=True,
    )
    (repo / "deleted.yaml").unlink()  # deleted, not staged
    git(repo, "update-index", "--skip-worktree", "skip.yaml", "sparse.yaml")
    (repo / "sparse.yaml").unlink()  # as a sparse checkout leaves it

    done = run_govlint("check", "--format", "json", cwd=repo)

    assert (done.returncode, where(done), report(done)["summary"]["files"]) == (0, [], 1)


def test_files_inside_a_submodule_are_included(tmp_path: Path) -> None:
    inner = make_repo(tmp_path / "shared-policies", {"policies/broken.yaml": BROKEN}, commit=True)
    repo = make_repo(tmp_path / "repo", {"people.yaml": PERSON}, commit=True)
    git(repo, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(inner), "shared")
    git(repo, "commit", "-q", "-m", "submodule")

    done = run_govlint("check", "--format", "json", cwd=repo)

    assert (done.returncode, where(done)) == (1, [("shared/policies/broken.yaml", "GOV001", 5, 20)])


def test_a_submodule_not_checked_out_is_neither_a_file_nor_a_finding(tmp_path: Path) -> None:
    inner = make_repo(tmp_path / "shared-policies", {"policies/broken.yaml": BROKEN}, commit=True)
    repo = make_repo(
        tmp_path / "repo", {".govlint.yaml": 'include: ["**"]\n', "people.yaml": PERSON}, commit=True
    )
    git(repo, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(inner), "shared.yaml")
    git(repo, "commit", "-q", "-m", "submodule")
    git(repo, "submodule", "deinit", "-q", "-f", "shared.yaml")  # its folder stays, empty
    assert (repo / "shared.yaml").is_dir()

    done = run_govlint("check", "--format", "json", cwd=repo)

    assert (done.returncode, where(done), report(done)["summary"]["files"]) == (0, [], 2)
