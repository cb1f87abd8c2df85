"""``govlint handover OLD NEW``: every role of a person who leaves moves to another, and OLD becomes inactive."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from helpers import make_repo, run_govlint

CLEAN = Path(__file__).resolve().parent.parent / "examples" / "clean"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "clean"
    shutil.copytree(CLEAN, root)
    return make_repo(root, commit=True)


def sites(root: Path, reference: str) -> list[tuple[str, str, str]]:
    """``govlint refs``: (path, line, what) of every site, the definition first."""
    done = run_govlint("refs", reference, cwd=root)
    assert done.returncode == 0, done.stderr
    return [tuple(re.match(r"(.+?):(\d+):\d+: (.*)", line).groups()) for line in done.stdout.splitlines()]  # type: ignore[union-attr, misc]


def test_every_role_refs_lists_moves_and_the_leaver_becomes_inactive(repo: Path) -> None:
    before = [s for s in sites(repo, "person:carlos") if s[2] != "definition"]
    assert len(before) >= 5
    had = sites(repo, "person:lena")
    done = run_govlint("handover", "person:carlos", "person:lena", cwd=repo)
    assert done.returncode == 0, done.stderr
    assert "person:carlos is marked inactive" in done.stdout
    assert [s[2] for s in sites(repo, "person:carlos")] == ["definition"]
    assert set(before) <= {(p, line, what) for p, line, what in sites(repo, "person:lena")}
    assert len(sites(repo, "person:lena")) == len(had) + len(before)
    leadership = (repo / "governance/people/leadership.yaml").read_text()
    assert re.search(r"id: carlos\n(?:.*\n)*?spec:\n  active: false\n", leadership)
    check = run_govlint("check", cwd=repo)
    assert check.returncode == 0 and check.stdout.startswith("no problems"), check.stdout


def test_diff_previews_and_writes_nothing(repo: Path) -> None:
    files = {p: p.read_bytes() for p in repo.rglob("*.yaml")}
    done = run_govlint("handover", "person:carlos", "person:lena", "--diff", cwd=repo)
    assert done.returncode == 0
    assert "-  owner: person:carlos" in done.stdout and "+  owner: person:lena" in done.stdout
    assert "+  active: false" in done.stdout
    assert {p: p.read_bytes() for p in repo.rglob("*.yaml")} == files


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("person:carlos", "person:sam", "inactive"),
        ("person:carlos", "person:nobody", "names no Person"),
        ("person:nobody", "person:lena", "names no Person"),
        ("person:carlos", "carlos", "to itself"),
        ("team:messaging", "person:lena", "person:OLD person:NEW"),
    ],
)
def test_refuses_what_cannot_be_handed_over(repo: Path, old: str, new: str, message: str) -> None:
    done = run_govlint("handover", old, new, cwd=repo)
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr


def test_a_person_written_as_a_flow_mapping_is_marked_inactive_in_it(tmp_path: Path) -> None:
    person = (
        "apiVersion: govlint/v1\nkind: Person\nmetadata: {{id: {id}}}\nspec: {{email: {id}@example.org}}\n"
    )
    root = make_repo(
        tmp_path / "repo",
        {"people.yaml": person.format(id="pat") + "---\n" + person.format(id="sam")},
        commit=True,
    )
    done = run_govlint("handover", "person:pat", "person:sam", cwd=root)
    assert done.returncode == 0, done.stderr
    assert "spec: {active: false, email: pat@example.org}" in (root / "people.yaml").read_text()
    assert run_govlint("check", cwd=root).returncode == 0
