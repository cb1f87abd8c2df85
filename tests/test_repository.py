"""The repository model: incremental runs give exactly what a cold run gives, step after step.

A generated repository in a real git work tree goes through edits, renames and
deletions; after each step the installed ``govlint`` runs with its store
(following the change) and must print byte for byte what a cold ``--no-cache``
run prints, serially and with a worker pool.  The model's API is checked the
same way: buffers laid over the work tree, and a git commit read from objects.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import git
from test_cache import generate

from governance_lint.discovery import discover
from governance_lint.engine import Selection, make_plan
from governance_lint.model import Diagnostic
from governance_lint.repository import Repository
from governance_lint.workspace import LiveRepository, build_registry, resolve_config

FILES = 30
GOVLINT = shutil.which("govlint") or "govlint"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GOVLINT_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "repo"
    generate.generate(root, FILES)
    config = root / ".govlint.yaml"
    # a low overload limit, so that practitioner-overload has findings to follow
    config.write_text(
        config.read_text() + "rules:\n  practitioner-overload: {options: {max-activities: 3}}\n"
    )
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "generated")
    return root


def govlint(root: Path, *args: str) -> tuple[int, str]:
    done = check(root, *args)
    return done.returncode, done.stdout


def check(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``govlint check --format json`` run in ``root``, which must not crash."""
    done = subprocess.run(
        [GOVLINT, "check", "--format", "json", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        env=os.environ,
    )
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr, done.stderr
    return done


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text()
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1))


def process(i: int) -> str:
    return generate.process_path(i)


PEOPLE = "governance/people/people-000.yaml"
GLOSSARY = "governance/glossary.yaml"


def _glossary_path(root: Path) -> str:
    (found,) = [p for p in root.rglob("*.yaml") if "kind: Glossary" in p.read_text()]
    return found.relative_to(root).as_posix()


def _teams_path(root: Path) -> str:
    return sorted(p.relative_to(root).as_posix() for p in (root / "governance" / "teams").glob("*.yaml"))[0]


def steps(root: Path) -> list[tuple[str, Callable[[], None]]]:
    glossary = _glossary_path(root)
    teams = _teams_path(root)
    kept_glossary = (root / glossary).read_text()

    def rename() -> None:
        git(root, "mv", process(4), process(4).replace(".yaml", "-renamed.yaml"))

    def delete_glossary() -> None:
        (root / glossary).unlink()

    def restore_glossary_redefined() -> None:
        (root / glossary).write_text(
            kept_glossary.replace("definition: An unplanned", "definition: A planned", 1)
        )

    def duplicate() -> None:
        shutil.copy(root / process(6), root / process(6).replace(".yaml", "-copy.yaml"))

    def delete_copy_and_a_process() -> None:
        (root / process(6).replace(".yaml", "-copy.yaml")).unlink()
        (root / process(8)).unlink()  # its interface partners lose their counterpart

    def person_close_to_the_unresolved_owner() -> None:
        owner = next(
            line for line in (root / process(1)).read_text().splitlines() if line.startswith("  owner:")
        )
        ident = owner.split("person:", 1)[1].strip()
        (root / "governance" / "people" / "late.yaml").write_text(
            f"apiVersion: govlint/v1\nkind: Person\nmetadata: {{id: {ident[:-1]}x}}\n"
            "spec: {email: late@example.org}\n"
        )

    return [
        (
            "an unresolved owner",
            lambda: edit(root, process(1), "  owner: person:", "  owner: person:nobody-"),
        ),
        (
            "an inactive person",
            lambda: edit(
                root,
                PEOPLE,
                "  email: person-00000@example.org",
                "  email: person-00000@example.org\n  active: false",
            ),
        ),
        ("lines shift in a people file", lambda: edit(root, PEOPLE, "apiVersion", "# a comment\napiVersion")),
        ("a person whose id is close to the unresolved owner's", person_close_to_the_unresolved_owner),
        ("a renamed process file", rename),
        ("a deleted glossary", delete_glossary),
        ("a glossary back, one term redefined", restore_glossary_redefined),
        ("a duplicated process", duplicate),
        ("a deleted process and its copy", delete_copy_and_a_process),
        (
            "a term variant",
            lambda: edit(
                root,
                process(2),
                "    - ref: term:",
                "    - term: Incidents\n      definition: x\n    - ref: term:",
            ),
        ),
        (
            "a team taken off an activity",
            lambda: edit(
                root,
                process(3),
                "        responsible: [team:",
                "        responsible: [person:person-00001, team:",
            ),
        ),
        ("a team renamed", lambda: edit(root, teams, "  id: process-00000-core", "  id: process-00000-kore")),
        (
            "a local definition that differs",
            lambda: edit(root, process(7), "      definition: ", "      definition: Not quite, "),
        ),
        ("a syntax error", lambda: edit(root, process(5), "spec:", "spec: [unclosed")),
        ("the syntax error fixed", lambda: edit(root, process(5), "spec: [unclosed", "spec:")),
        ("an interface dropped", lambda: edit(root, process(10), "  interfaces:", "  interfacez:")),
    ]


@pytest.mark.parametrize("staged", [False, True], ids=["edits-unstaged", "edits-staged"])
def test_incremental_runs_print_what_a_cold_run_prints(repo: Path, staged: bool) -> None:
    """Unstaged, git names the edited files and govlint reads them; staged, git's index vouches for
    every file whose bytes govlint stored (``--verbose`` says how many) and the rest are read."""
    assert govlint(repo) == govlint(repo, "--no-cache")
    for name, step in steps(repo):
        step()
        if staged:
            git(repo, "add", "-A")
        cold = govlint(repo, "--no-cache")
        assert cold[0] in (0, 1)
        assert govlint(repo, "--jobs", "1") == cold, name
        warm, unread = warm_run(repo)  # nothing changed since the run before
        assert warm == cold, name
        assert unread == (len(tracked(repo)) if staged else len(tracked(repo) - edited(repo))), name
    assert '"GOV' in cold[1]


def test_a_file_git_stops_listing_is_gone_though_still_on_disk(repo: Path) -> None:
    """A skip-worktree entry and a newly ignored file are no files of the repository, as a cold run says."""
    assert govlint(repo) == govlint(repo, "--no-cache")
    git(repo, "update-index", "--skip-worktree", process(1))
    assert govlint(repo) == govlint(repo, "--no-cache")
    duplicate = process(6).replace(".yaml", "-copy.yaml")
    shutil.copy(repo / process(6), repo / duplicate)
    cold = govlint(repo, "--no-cache")
    assert govlint(repo) == cold and duplicate in cold[1]
    (repo / ".git" / "info" / "exclude").write_text("*-copy.yaml\n")
    cold = govlint(repo, "--no-cache")
    assert govlint(repo) == cold and duplicate not in cold[1]


def warm_run(root: Path) -> tuple[tuple[int, str], int]:
    """A run with a worker pool: what it prints (as ``govlint`` returns it) and how many files it took
    from git's index, unread (``--verbose``)."""
    done = check(root, "--jobs", "2", "--verbose")
    found = re.search(r"\((\d+) known unchanged from git's index\)", done.stderr)
    return (done.returncode, done.stdout), int(found.group(1)) if found else 0


def tracked(root: Path) -> set[str]:
    """The checked files the index holds (the config is no checked file)."""
    return {
        p for p in git(root, "ls-files").splitlines() if p.startswith("governance/") and (root / p).exists()
    }


def edited(root: Path) -> set[str]:
    """Tracked files whose work tree bytes are not the index's (edited since the last commit)."""
    return set(git(root, "diff", "--name-only").splitlines())


def test_examples_failing_serial_parallel_and_warm_are_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOVLINT_CACHE_DIR", str(tmp_path / "cache"))
    root = Path(__file__).resolve().parent.parent / "examples" / "failing"
    cold = govlint(root, "--no-cache", "--jobs", "1")
    assert cold[0] == 1
    assert govlint(root, "--no-cache", "--jobs", "2") == cold
    assert govlint(root) == cold  # builds the store
    assert govlint(root) == cold  # reads it


def _model(root: Path) -> tuple[object, object]:
    config = resolve_config(None, root)
    plan = make_plan(build_registry(config), config, Selection(), config.today or generate.TODAY)
    return config, plan


def _cold(root: Path) -> list[tuple[str, int, int, str, str]]:
    config, plan = _model(root)
    repo = Repository.build_from_worktree(config, plan, discover(config, (), root), use_cache=False)  # type: ignore
    return [(d.path, d.line, d.column, d.code, d.message) for d in repo.result().diagnostics]


def _found(repo: Repository) -> list[tuple[str, int, int, str, str]]:
    return [(d.path, d.line, d.column, d.code, d.message) for d in repo.result().diagnostics]


def test_buffers_laid_over_the_work_tree_are_what_saving_them_gives(repo: Path) -> None:
    config, plan = _model(repo)
    model = Repository.build_from_worktree(config, plan)  # type: ignore[arg-type]
    assert _found(model) == _cold(repo)
    before = (repo / PEOPLE).read_bytes()
    edited = before.replace(
        b"  email: person-00003@example.org", b"  email: person-00003@example.org\n  active: false"
    )
    live = model.with_overlay({PEOPLE: edited, process(1): None})
    assert _found(model) == _cold(repo)  # the model it was made from is untouched
    (repo / PEOPLE).write_bytes(edited)
    git(repo, "rm", "-q", process(1))  # gone from git's index too: a cold run no longer lists it
    assert _found(live) == _cold(repo)
    assert any(code == "GOV102" for *_, code, _ in _found(live))
    # one more edit to the buffer, as an editor sends on each keystroke
    live.lay({PEOPLE: before})
    (repo / PEOPLE).write_bytes(before)
    assert _found(live) == _cold(repo)
    assert live.stats.subjects > 0


def test_an_editor_overlay_shows_the_edited_files_first_and_the_rest_as_a_cold_run(repo: Path) -> None:
    """Each step laid over the live model as buffers, the edited files' findings read first (only the
    entities in them are checked again by then), then every file's: both are what a cold run gives."""
    config, _ = _model(repo)
    live = LiveRepository(repo, today=config.today or generate.TODAY)  # type: ignore[attr-defined]

    def files() -> dict[str, bytes]:
        return {p.relative_to(repo).as_posix(): p.read_bytes() for p in (repo / "governance").rglob("*.yaml")}

    def found(by_file: dict[str, list[Diagnostic]]) -> list[tuple[str, int, int, str, str]]:
        return sorted(
            (d.path, d.line, d.column, d.code, d.message) for found in by_file.values() for d in found
        )

    for name, step in steps(repo):
        before = files()
        step()
        after = files()
        changed = sorted(rel for rel in before.keys() | after.keys() if before.get(rel) != after.get(rel))
        for rel in changed:
            if rel in after:
                live.set_buffer(rel, after[rel].decode())
            else:  # deleted: its buffer is closed, and the file is gone from disk
                live.set_buffer(rel, None)
                live.file_changed(rel)
        cold = sorted(_cold(repo))
        assert found(live.diagnostics(changed)) == [d for d in cold if d[0] in changed], name
        assert found(live.diagnostics(live.paths)) == cold, name
