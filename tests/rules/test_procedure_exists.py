import json
from pathlib import Path

import pytest
from helpers import make_repo, run_govlint

from governance_lint.index import procedure_paths
from governance_lint.testing import lint, positions

PROCESS = """\
apiVersion: govlint/v1
kind: Process
metadata: {id: incident-management}
spec:
  purpose: Restore normal service operation.
  activities:
    - id: identify
      procedures: [PROCEDURE]
"""
# The procedure is on line 8, from column 20.
FILES = {
    "docs/incident/identify.md": "# Identify\n",
    "docs/folder/a.md": "# A\n",
    "governance/processes/local.md": "# Local\n",
}


@pytest.mark.parametrize(
    ("procedure", "expected"),
    [
        pytest.param("docs/incident/identify.md", [], id="from-the-root"),
        pytest.param("docs/incident/missing.md", [("GOV208", 8, 20)], id="missing"),
        pytest.param("docs/Incident/identify.md", [("GOV208", 8, 20)], id="case-matters"),
        pytest.param("local.md", [], id="beside-the-process-file"),
        pytest.param("./local.md", [], id="dot-slash-beside-the-process-file"),
        pytest.param("./docs/incident/identify.md", [("GOV208", 8, 20)], id="dot-slash-is-not-the-root"),
        pytest.param("../processes/local.md", [], id="up-and-down"),
        pytest.param("/docs/incident/identify.md", [], id="slash-is-the-root"),
        pytest.param("/local.md", [("GOV208", 8, 20)], id="slash-is-only-the-root"),
        pytest.param("docs/folder/", [], id="a-folder"),
        pytest.param("docs/nothing/", [("GOV208", 8, 20)], id="a-missing-folder"),
        pytest.param("docs/incident/identify.md#step-2", [], id="a-section"),
        pytest.param("docs/incident/missing.md#step-2", [("GOV208", 8, 20)], id="a-section-of-nothing"),
        pytest.param("../../../outside.md", [("GOV208", 8, 20)], id="out-of-the-repository"),
        pytest.param("runbook.pdf", [("GOV208", 8, 20)], id="a-bare-file-name"),
        pytest.param("Log the call in the tool.", [], id="a-short-text"),
        pytest.param("https://wiki.example.org/incident/identify.md", [], id="a-web-address"),
        pytest.param("docs/incident", [], id="no-extension-is-not-a-path"),
        pytest.param("N/A", [], id="not-applicable"),
        pytest.param("24/7", [], id="a-schedule"),
        pytest.param("v2.0", [], id="a-version"),
    ],
)
def test_procedure_exists(procedure: str, expected: list[tuple[str, int, int]]) -> None:
    files = {**FILES, "governance/processes/process.yaml": PROCESS.replace("PROCEDURE", procedure)}
    assert positions(lint(files, select=["GOV208"])) == expected


def test_a_single_procedure_without_brackets_and_a_practice() -> None:
    text = PROCESS.replace("kind: Process", "kind: Practice").replace("[PROCEDURE]", "docs/x.md")
    assert positions(lint({**FILES, "practice.yaml": text}, select=["GOV208"])) == [("GOV208", 8, 19)]


def test_each_missing_procedure_is_reported() -> None:
    text = PROCESS.replace("PROCEDURE", "docs/a.md, Ask the caller., docs/incident/identify.md, docs/b.md")
    assert positions(lint({**FILES, "process.yaml": text}, select=["GOV208"])) == [
        ("GOV208", 8, 20),
        ("GOV208", 8, 75),
    ]


def test_message_says_where_it_looked_and_what_was_meant() -> None:
    text = PROCESS.replace("PROCEDURE", "docs/incident/identfy.md")
    (found,) = lint({**FILES, "governance/processes/process.yaml": text}, select=["procedure-exists"])
    assert (
        "procedure 'docs/incident/identfy.md' of activity 'identify' names no file in the repository "
        "(looked for docs/incident/identfy.md or governance/processes/docs/incident/identfy.md) "
        "(did you mean docs/incident/identify.md?)"
    ) in found.message


def test_out_of_the_repository_is_said() -> None:
    (found,) = lint({"p.yaml": PROCESS.replace("PROCEDURE", "../x.md")}, select=["GOV208"])
    assert "'../x.md' of activity 'identify' leads out of the repository" in found.message


@pytest.mark.parametrize(
    ("text", "file", "paths"),
    [
        ("docs/x.md", "gov/p.yaml", ("docs/x.md", "gov/docs/x.md")),
        ("x.md", "p.yaml", ("x.md",)),
        ("./x.md", "gov/p.yaml", ("gov/x.md",)),
        ("/docs/x.md", "gov/p.yaml", ("docs/x.md",)),
        ("docs//a/../x.md#top", "p.yaml", ("docs/x.md",)),
        ("../x.md", "p.yaml", ()),
        ("Call the desk.", "p.yaml", None),
        ("mailto:desk@example.org", "p.yaml", None),
        ("term:incident.md", "p.yaml", None),
    ],
)
def test_procedure_paths(text: str, file: str, paths: tuple[str, ...] | None) -> None:
    assert procedure_paths(text, file) == paths


def check(repo: Path) -> list[tuple[str, str, int]]:
    done = run_govlint("check", "--select", "GOV208", "--format", "json", ".", cwd=repo)
    assert done.returncode in (0, 1), done.stderr
    return [(d["code"], d["path"], d["line"]) for d in json.loads(done.stdout)["diagnostics"]]


def test_a_file_is_in_the_repository_when_git_lists_it(tmp_path: Path) -> None:
    """Tracked or untracked files count; a file git ignores does not (it is nowhere but on this disk)."""
    process = PROCESS.replace("PROCEDURE", "docs/tracked.md, docs/untracked.md, docs/ignored.md")
    repo = make_repo(
        tmp_path / "repo",
        {"process.yaml": process, "docs/tracked.md": "#\n", ".gitignore": "docs/ignored.md\n"},
        commit=True,
    )
    (repo / "docs" / "untracked.md").write_text("#\n")
    (repo / "docs" / "ignored.md").write_text("#\n")
    assert check(repo) == [("GOV208", "process.yaml", 8)]


def test_writing_the_file_clears_the_finding_on_the_next_run(tmp_path: Path) -> None:
    """The next run (which reuses what the first stored) sees the file that was added."""
    repo = make_repo(tmp_path / "repo", {"process.yaml": PROCESS.replace("PROCEDURE", "docs/x.md")})
    assert check(repo) == [("GOV208", "process.yaml", 8)]
    assert check(repo) == [("GOV208", "process.yaml", 8)]
    (repo / "docs").mkdir()
    (repo / "docs" / "x.md").write_text("# How\n")
    assert check(repo) == []


@pytest.mark.parametrize("commit", [False, True])
def test_deleting_the_file_brings_the_finding_back_on_the_next_run(tmp_path: Path, commit: bool) -> None:
    """No governance file changed, yet the run that reuses what the first stored sees the file gone,
    whether git's index still lists it (deleted from the work tree) or not (``git rm``)."""
    files = {"process.yaml": PROCESS.replace("PROCEDURE", "docs/x.md"), "docs/x.md": "# How\n"}
    repo = make_repo(tmp_path / "repo", files, commit=commit)
    assert check(repo) == []
    assert check(repo) == []
    (repo / "docs" / "x.md").unlink()
    assert check(repo) == [("GOV208", "process.yaml", 8)]
    assert check(repo) == [("GOV208", "process.yaml", 8)]
    (repo / "docs" / "x.md").write_text("# How, again\n")
    assert check(repo) == []
    assert check(repo) == []
    (repo / "docs" / "x.md").unlink()  # gone a second time: the file found again was remembered
    assert check(repo) == [("GOV208", "process.yaml", 8)]
