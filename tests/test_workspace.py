"""One workspace for every command: the guards, the store and a finding's identity hold on every face.

Each test runs the installed ``govlint`` on a real git repository, as a user
or a CI job does.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

import pytest
from helpers import GOVLINT, git, git_env, make_repo, run_govlint, write_files
from lsp_client import LspClient

HEADER = "apiVersion: govlint/v1\n"


def person(ident: str, name: str | None = None) -> str:
    return f"{HEADER}kind: Person\nmetadata: {{id: {ident}, name: {name or ident.title()}}}\nspec: {{email: {ident}@example.org}}\n"


def process(
    ident: str, owner: str, accountable: str = "person:alice", responsible: str = "person:alice"
) -> str:
    return (
        f"{HEADER}kind: Process\nmetadata: {{id: {ident}, lastReviewed: 2026-06-30}}\n"
        f"spec:\n  purpose: Restore service.\n  owner: {owner}\n  escalation: [{owner}]\n"
        "  activities:\n"
        "    - id: log\n"
        "      raci: {responsible: [" + responsible + "], accountable: " + accountable + "}\n"
    )


CONFIG = "rules:\n  has-manager: off\n  process-has-policy: off\n  kpi-defined: off\n  activity-has-procedure: off\n"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    files = {
        ".govlint.yaml": CONFIG,
        "people.yaml": person("alice") + "---\n" + person("bob"),
        "processes/incident.yaml": process("incident", "person:alice", "person:bob"),
    }
    return make_repo(tmp_path / "repo", files, commit=True)


def env_with_cache(folder: Path) -> dict[str, str]:
    return {**git_env(), "GOVLINT_CACHE_DIR": str(folder)}


def codes(run: subprocess.CompletedProcess[str]) -> list[tuple[str, str, int]]:
    found = json.loads(run.stdout)["diagnostics"]
    return [(d["code"], d["path"], d["line"]) for d in found]


# -- every face applies the guards ---------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("check",),
        ("report", "raci"),
        ("report", "summary"),
        ("refs", "person:alice"),
        ("rename", "person:bob", "person:robert", "--diff"),
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_every_face_refuses_a_store_inside_the_checkout(repo: Path, args: tuple[str, ...]) -> None:
    inside = repo / ".cache" / "govlint"
    done = run_govlint(*args, cwd=repo, env=env_with_cache(inside))
    assert done.returncode == 2, done.stderr
    assert "inside the checked repository" in done.stderr and "Traceback" not in done.stderr
    assert not inside.exists()


def test_site_refuses_a_store_inside_the_checkout(repo: Path, tmp_path: Path) -> None:
    inside = repo / "cache"
    done = run_govlint("site", str(tmp_path / "site"), cwd=repo, env=env_with_cache(inside))
    assert done.returncode == 2 and "inside the checked repository" in done.stderr
    assert not inside.exists() and not (tmp_path / "site").exists()


def test_a_planted_view_cache_never_changes_a_report(repo: Path, tmp_path: Path) -> None:
    """Reports read the store outside the checkout, never a file a pull request can write."""
    cache = tmp_path / "cache"
    env = env_with_cache(cache)
    first = run_govlint("report", "raci", "--format", "json", cwd=repo, env=env)
    assert first.returncode == 0, first.stderr
    for folder in [cache, *cache.iterdir(), repo, repo / ".cache"]:
        folder.mkdir(exist_ok=True)
        planted = {"stamp": [], "files": {"processes/incident.yaml": ["x", []]}}
        (folder / "views.json").write_text(json.dumps(planted).replace("alice", "mallory"))
    again = run_govlint("report", "raci", "--format", "json", cwd=repo, env=env)
    assert again.stdout == first.stdout
    assert "person:alice" in again.stdout and "mallory" not in again.stdout


def test_report_output_through_a_planted_folder_link_is_refused(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "summary.md").write_text("keep")
    (repo / "reports").symlink_to(outside)
    git(repo, "add", "reports")
    git(repo, "commit", "-q", "-m", "a link")
    for args in (("report", "summary"), ("check",)):
        done = run_govlint(*args, "--output", "reports/summary.md", cwd=repo)
        assert done.returncode == 2 and "symbolic link" in done.stderr, done.stderr
    done = run_govlint("site", "reports/site", cwd=repo)
    assert done.returncode == 2 and "symbolic link" in done.stderr
    assert sorted(p.name for p in outside.iterdir()) == ["summary.md"]
    assert (outside / "summary.md").read_text() == "keep"


def test_report_and_refs_take_the_shared_options(repo: Path, tmp_path: Path) -> None:
    trusted = tmp_path / "trusted.yaml"
    trusted.write_text(CONFIG)
    for args in (
        ("report", "raci", "--no-cache", "--limit", "max-depth=40", "--jobs", "1", "--today", "2026-12-01"),
        ("refs", "person:alice", "--isolated", "--config", str(trusted), "--today", "2026-12-01"),
        ("rename", "person:bob", "person:robert", "--diff", "--isolated", "--no-cache"),
    ):
        done = run_govlint(*args, cwd=repo)
        assert done.returncode == 0, (args, done.stderr)


# -- one identity for a finding ------------------------------------------------------------------


def test_a_new_near_name_leaves_an_old_finding_old(repo: Path) -> None:
    """The did-you-mean hint is not part of a finding's identity: a Person added elsewhere changes the hint
    of an untouched file's old finding, and ``--new-since`` still calls that finding old."""
    write_files(repo, {"processes/incident.yaml": process("incident", "person:windi", "person:bob")})
    write_files(repo, {"people.yaml": person("alice") + "---\n" + person("bob") + "---\n" + person("windy")})
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "an unresolved owner")
    write_files(repo, {"more-people.yaml": person("windi2")})
    current = run_govlint("check", "--format", "json", cwd=repo)
    assert ("GOV005", "processes/incident.yaml", 6) in codes(current)
    assert "windi2" in current.stdout  # the hint changed with the new Person
    new = run_govlint("check", "--new-since", "HEAD", "--format", "json", cwd=repo)
    assert new.returncode == 0, new.stdout
    assert codes(new) == []
    baseline = run_govlint("check", "--write-baseline", "baseline.json", "--new-since", "HEAD", cwd=repo)
    assert baseline.returncode == 2  # a baseline records every finding


# -- the store -----------------------------------------------------------------------------------


def store_files(cache: Path) -> list[Path]:
    return sorted(cache.rglob("*.sqlite"))


def test_two_runs_at_once_both_see_the_new_finding_and_keep_the_store(tmp_path: Path) -> None:
    people = "---\n".join(person(f"p{i}") for i in range(40))
    files = {".govlint.yaml": CONFIG, "people.yaml": people}
    for i in range(600):
        owner = f"person:p{i % 40}"
        files[f"processes/p{i}.yaml"] = process(f"p{i}", owner, f"person:p{(i + 1) % 40}", owner)
    repo = make_repo(tmp_path / "repo", files, commit=True)
    cache = tmp_path / "cache"
    env = env_with_cache(cache)
    assert run_govlint("check", cwd=repo, env=env).returncode == 0
    [database] = store_files(cache)
    for round_ in range(6):
        gone = f"person:gone-{round_}"
        write_files(repo, {f"processes/p{round_}.yaml": process(f"p{round_}", gone, gone, gone)})
        runs = [
            subprocess.Popen(
                [GOVLINT, "check", "--format", "json"],
                cwd=repo,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        for run in runs:
            out, err = run.communicate(timeout=300)
            assert run.returncode == 1, err
            found = [(d["code"], d["path"]) for d in json.loads(out)["diagnostics"] if d["code"] == "GOV005"]
            assert found == [("GOV005", f"processes/p{i}.yaml") for i in range(round_ + 1) for _ in range(4)]
        assert database.exists()
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT count(*) FROM files").fetchone()[0] == 601
    db.close()


def test_a_locked_store_means_a_run_without_it_never_a_deleted_one(repo: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    env = env_with_cache(cache)
    assert run_govlint("check", cwd=repo, env=env).returncode == 0
    [database] = store_files(cache)
    write_files(repo, {"processes/incident.yaml": process("incident", "person:nobody")})
    holder = sqlite3.connect(database, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another run holding the store while it writes
    try:
        done = run_govlint("check", "--verbose", "--format", "json", cwd=repo, env=env)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert done.returncode == 1 and [c for c, *_ in codes(done)] == ["GOV005", "GOV005"]
    assert "not written: another run holds or changed the store" in done.stderr
    assert "Traceback" not in done.stderr
    assert database.exists()
    again = run_govlint("check", "--verbose", "--format", "json", cwd=repo, env=env)
    assert codes(again) == codes(done)
    assert "store: 1 files reused, 1 checked" in again.stderr  # the store was kept, and is used again
    third = run_govlint("check", "--verbose", cwd=repo, env=env)
    assert "store: 2 files reused, 0 checked" in third.stderr


def test_a_cold_build_finding_the_store_held_runs_without_it_and_says_so(repo: Path, tmp_path: Path) -> None:
    """A cold build takes the store for writing from its start; held by another run, it is not written."""
    cache = tmp_path / "cache"
    env = env_with_cache(cache)
    assert run_govlint("check", cwd=repo, env=env).returncode == 0
    [database] = store_files(cache)
    with sqlite3.connect(database) as db:
        db.execute("DELETE FROM files")  # nothing to reuse: the next run builds cold
    db.close()
    holder = sqlite3.connect(database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another run writing
    try:
        done = run_govlint("check", "--verbose", cwd=repo, env=env)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert done.returncode == 0, done.stderr
    assert (
        "store: 0 files reused, 2 checked; not written: another run holds or changed the store" in done.stderr
    )
    again = run_govlint("check", "--verbose", cwd=repo, env=env)
    assert "store: 0 files reused, 2 checked" in again.stderr and "not written" not in again.stderr
    third = run_govlint("check", "--verbose", cwd=repo, env=env)
    assert "store: 2 files reused, 0 checked" in third.stderr


def test_another_today_costs_a_warm_run(repo: Path, tmp_path: Path) -> None:
    env = env_with_cache(tmp_path / "cache")
    first = run_govlint("check", "--verbose", "--today", "2026-12-01", cwd=repo, env=env)
    assert first.returncode == 0 and "store: 0 files reused, 2 checked" in first.stderr, first.stdout
    for day in ("2026-12-02", "2027-01-15"):
        warm = run_govlint("check", "--verbose", "--today", day, cwd=repo, env=env)
        assert warm.returncode == 0 and "store: 2 files reused, 0 checked" in warm.stderr, warm.stderr
    # the day the review falls due, what the date rule found no longer holds: that file alone is checked
    due = run_govlint("check", "--verbose", "--today", "2027-07-01", "--format", "json", cwd=repo, env=env)
    assert "store: 1 files reused, 1 checked" in due.stderr
    assert codes(due) == [("GOV502", "processes/incident.yaml", 3)]
    cold = run_govlint("check", "--no-cache", "--today", "2027-07-01", "--format", "json", cwd=repo)
    assert due.stdout == cold.stdout


# -- the editor ----------------------------------------------------------------------------------


def test_an_unsaved_broken_buffer_holds_back_what_it_still_defines(tmp_path: Path) -> None:
    """The editor's held-back findings read the buffer, not the disk: on disk people.yaml defines alice
    alone; the unsaved buffer adds bob but is broken YAML, so the reference to bob is held back, as
    ``check`` holds it back once the buffer is saved."""
    files = {
        ".govlint.yaml": CONFIG,
        "people.yaml": person("alice"),
        "processes/incident.yaml": process("incident", "person:alice", "person:bob"),
    }
    repo = make_repo(tmp_path / "repo", files, commit=True)
    on_disk = run_govlint("check", "--format", "json", cwd=repo)
    assert codes(on_disk) == [("GOV005", "processes/incident.yaml", 10)]
    broken = person("alice") + "---\n" + person("bob") + "spec: [\n"
    lsp = LspClient(repo)
    lsp.initialize(repo)
    try:
        people = lsp.open(repo / "people.yaml", broken)
        assert "GOV001" in [d["code"] for d in lsp.diagnostics(people)]
        uri = lsp.open(repo / "processes/incident.yaml")
        assert lsp.diagnostics(uri) == []
    finally:
        assert lsp.close() == 0
    (repo / "people.yaml").write_text(broken)
    saved = run_govlint("check", "--format", "json", cwd=repo)
    assert [c for c, *_ in codes(saved)] == ["GOV001"]
    assert json.loads(saved.stdout)["summary"]["held_back"] == 4  # alice's three references and bob


def test_a_loader_bug_is_an_internal_error_not_a_finding(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from governance_lint import loader
    from governance_lint.cli import main

    def broken(path: str, content: bytes, limits: object) -> object:
        raise KeyError("a loader bug")

    monkeypatch.chdir(repo)
    monkeypatch.setattr(loader, "_load", broken)
    result = CliRunner().invoke(main, ["check", "--no-cache", "--jobs", "1"])
    assert result.exit_code == 2
    assert "internal loader error: KeyError" in result.stderr and "GOV001" not in result.stdout


def test_a_trusted_config_outside_the_checkout_checks_the_checkout(repo: Path, tmp_path: Path) -> None:
    write_files(repo, {"processes/incident.yaml": process("incident", "person:nobody")})
    trusted = tmp_path / "etc" / "govlint.yaml"
    trusted.parent.mkdir()
    trusted.write_text(CONFIG)
    done = run_govlint("check", "--config", str(trusted), "--format", "json", cwd=repo)
    assert done.returncode == 1, done.stdout + done.stderr
    assert ("GOV005", "processes/incident.yaml", 6) in codes(done)


def test_a_root_holding_no_governance_file_says_so(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {"chart/values.yaml": "replicas: 2\n"})
    done = run_govlint("check", cwd=repo)
    assert done.returncode == 0
    assert "no governance file under the repository root" in done.stderr
    named = run_govlint("check", "chart", cwd=repo)
    assert "no governance file under the repository root" not in named.stderr
