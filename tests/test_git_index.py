"""Inside git, git says what changed (SPEC §8): blob ids from the index are content keys.

Every case builds a real git repository, runs the installed ``govlint`` with
its store and compares what it prints, byte for byte, with a cold
``--no-cache`` run.  ``--verbose`` says how many files git's index vouched
for, so a run that silently went back to govlint's own ``lstat`` pass, or
trusted git where git does not look, fails here.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import GOVLINT, git, git_env, make_repo
from test_cache import generate

from governance_lint import gitstate
from governance_lint.cli import main
from governance_lint.gitindex import listing
from governance_lint.parallel import content_key

FILES = 6  # process files; the generated repository holds a few more (people, teams, policies, ...)
VOUCHED = re.compile(r"\((\d+) known unchanged from git's index\)")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A generated repository, committed; the store in a folder of the test's own."""
    root = tmp_path / "repo"
    generate.generate(root, FILES)
    return make_repo(root, commit=True)


def env(root: Path) -> dict[str, str]:
    """git predictable, and the store beside the test's repositories (a folder per root)."""
    cache = root.parent / f"cache-{root.name}"
    while any((folder / ".git").exists() for folder in (cache.parent, *cache.parent.parents)):
        cache = cache.parent.parent / cache.name  # never inside a checked work tree
    return git_env() | {"GOVLINT_CACHE_DIR": str(cache)}


def govlint(root: Path, *args: str) -> tuple[int, str, int]:
    """``govlint check --format json ARGS`` with the store: exit code, output, files git vouched for."""
    done = subprocess.run(
        [GOVLINT, "check", "--format", "json", "--verbose", *args],
        cwd=root,
        env=env(root),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr, done.stderr
    assert done.returncode in (0, 1), done.stderr
    found = VOUCHED.search(done.stderr)
    return done.returncode, done.stdout, int(found.group(1)) if found else 0


def cold(root: Path, *args: str) -> tuple[int, str]:
    code, out, vouched = govlint(root, "--no-cache", *args)
    assert vouched == 0
    return code, out


def same_as_cold(root: Path, *args: str) -> int:
    """Runs with the store, checks the output is a cold run's, and gives how many files git vouched for."""
    code, out, vouched = govlint(root, *args)
    assert (code, out) == cold(root, *args)
    return vouched


def governance(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in (root / "governance").rglob("*.yaml"))


def process(i: int) -> str:
    return generate.process_path(i)


def unresolve_owner(root: Path, rel: str) -> None:
    """An edit with a finding: the process's owner names nobody."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert "  owner: person:" in text
    path.write_text(text.replace("  owner: person:", "  owner: person:nobody-", 1), encoding="utf-8")


def test_a_warm_run_takes_every_unchanged_file_from_the_index(repo: Path) -> None:
    total = len(governance(repo))
    same_as_cold(repo)  # builds the store
    assert same_as_cold(repo) == total
    unresolve_owner(repo, process(1))  # not staged: git says it differs, govlint reads it
    assert same_as_cold(repo) == total - 1
    git(repo, "add", process(1))  # staged: the index holds the bytes govlint stored
    assert same_as_cold(repo) == total
    git(repo, "mv", process(2), process(2).replace(".yaml", "-moved.yaml"))
    (repo / process(3)).unlink()
    assert same_as_cold(repo) == total - 2  # the moved file is read at its new path
    assert same_as_cold(repo) == total - 1


def test_a_racily_clean_entry_is_compared_by_content(repo: Path) -> None:
    """An edit git's stat data cannot see (same size, same times, same inode) in a racily clean entry."""
    git(repo, "config", "core.trustctime", "false")  # the rewrite's new change time does not count
    total = len(governance(repo))
    same_as_cold(repo)
    path = repo / process(1)
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  owner: person:", "  owner: persom:", 1), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_ino) == (before.st_size, before.st_ino)
    # The index written in the same instant as the file: git cannot trust the entry's stat data.
    os.utime(repo / ".git" / "index", ns=(before.st_mtime_ns, before.st_mtime_ns))
    assert same_as_cold(repo) == total - 1


def test_a_file_edited_right_after_it_was_staged_is_read(repo: Path) -> None:
    total = len(governance(repo))
    same_as_cold(repo)
    unresolve_owner(repo, process(1))
    git(repo, "add", process(1))
    path = repo / process(1)
    path.write_text(path.read_text(encoding="utf-8").replace("person:nobody-", "persom:nobody-"), "utf-8")
    assert same_as_cold(repo) == total - 1


def test_assume_unchanged_and_skip_worktree_entries_are_looked_at_by_govlint(repo: Path) -> None:
    total = len(governance(repo))
    same_as_cold(repo)
    git(repo, "update-index", "--assume-unchanged", process(1))
    git(repo, "update-index", "--skip-worktree", process(2))
    unresolve_owner(repo, process(1))  # git does not look: govlint does
    unresolve_owner(repo, process(2))  # a sparse checkout's entry: not a file of the work tree
    assert git(repo, "status", "--porcelain") == ""
    assert same_as_cold(repo) == total - 2
    out = cold(repo)[1]
    assert process(1) in out and process(2) not in out
    (repo / process(1)).unlink()  # gone, though git was told to assume it unchanged
    assert same_as_cold(repo) == total - 2


def test_a_work_tree_without_a_commit(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    generate.generate(root, FILES)
    git(root, "init", "-q")
    total = len(governance(root))
    same_as_cold(root)
    assert same_as_cold(root) == 0  # nothing staged: every file is untracked
    git(root, "add", "-A")
    assert same_as_cold(root) == total  # staged, never committed
    unresolve_owner(root, process(1))
    assert same_as_cold(root) == total - 1


def test_untracked_files_and_folders_are_checked_and_followed(repo: Path) -> None:
    total = len(governance(repo))
    same_as_cold(repo)
    text = (repo / process(1)).read_text(encoding="utf-8")
    (repo / "governance" / "new-folder" / "deeper").mkdir(parents=True)
    for rel in ("governance/untracked.yaml", "governance/new-folder/deeper/copy.yaml"):
        (repo / rel).write_text(text.replace("  id: ", "  id: copy-", 1), encoding="utf-8")
    assert same_as_cold(repo) == total
    unresolve_owner(repo, "governance/new-folder/deeper/copy.yaml")
    assert same_as_cold(repo) == total
    code, out = cold(repo)
    assert "governance/new-folder/deeper/copy.yaml" in out and code == 1


def test_a_file_deleted_from_disk_but_still_in_the_index_is_no_file(repo: Path) -> None:
    total = len(governance(repo))
    same_as_cold(repo)
    (repo / process(1)).unlink()
    assert same_as_cold(repo) == total - 1
    assert process(1) not in cold(repo)[1]


def test_outside_git_every_file_is_looked_at_by_govlint(tmp_path: Path) -> None:
    root = tmp_path / "folder"
    generate.generate(root, FILES)
    same_as_cold(root)
    assert same_as_cold(root) == 0
    unresolve_owner(root, process(1))
    assert same_as_cold(root) == 0


def test_a_root_below_the_top_of_the_work_tree(tmp_path: Path) -> None:
    top = tmp_path / "mono"
    root = top / "org" / "gov"
    generate.generate(root, FILES)
    make_repo(top, {"README.md": "elsewhere\n"}, commit=True)
    total = len(governance(root))
    same_as_cold(root)
    assert same_as_cold(root) == total
    unresolve_owner(root, process(1))
    (root / "governance" / "untracked.yaml").write_text(
        (root / process(2)).read_text(encoding="utf-8").replace("  id: ", "  id: copy-", 1), "utf-8"
    )
    assert same_as_cold(root) == total - 1
    index = listing(root).index
    assert index is not None and index.prefix == "org/gov/" and "governance/untracked.yaml" not in index.blobs


def test_a_root_inside_a_folder_git_has_never_seen(tmp_path: Path) -> None:
    """Status names the untracked folder holding the root (or the root itself): its files are listed."""
    top = make_repo(tmp_path / "mono", {"README.md": "elsewhere\n"}, commit=True)
    root = top / "org" / "gov"
    generate.generate(root, FILES)
    listed = listing(root).files
    assert [rel for rel in listed if rel.startswith("governance/")] == governance(root)
    same_as_cold(root)
    assert same_as_cold(root) == 0


# -- what the index cannot vouch for ---------------------------------------------------------------


def test_the_content_key_is_gits_blob_id(repo: Path) -> None:
    index = listing(repo).index
    assert index is not None
    rel = process(1)
    assert index.unchanged[rel] == content_key((repo / rel).read_bytes())
    assert content_key(b"") == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"  # git's empty blob


def test_files_an_attribute_may_convert_are_not_vouched_for(repo: Path) -> None:
    (repo / ".gitattributes").write_text("*.yaml text=auto\n*.md filter=lfs\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "attributes")
    index = listing(repo).index
    assert index is not None
    assert ".gitattributes" in index.unchanged
    assert not [rel for rel in index.unchanged if rel.endswith((".yaml", ".md"))]
    # LF committed and stored; the same text with CRLF staged: the index blob is the LF one.
    same_as_cold(repo)
    path = repo / process(1)
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    git(repo, "add", process(1))
    assert git(repo, "ls-files", "-s", process(1)).split()[1] == content_key(
        path.read_bytes().replace(b"\r\n", b"\n")
    )
    same_as_cold(repo)


def test_autocrlf_and_a_sha256_repository_leave_every_file_to_govlint(repo: Path, tmp_path: Path) -> None:
    git(repo, "config", "core.autocrlf", "input")
    index = listing(repo).index
    assert index is not None and not index.unchanged
    same_as_cold(repo)
    assert same_as_cold(repo) == 0
    other = tmp_path / "sha256"
    generate.generate(other, FILES)
    git(other, "init", "-q", "--object-format=sha256")
    git(other, "add", "-A")
    index = listing(other).index
    assert index is not None and not index.unchanged and not index.keyed
    same_as_cold(other)
    assert same_as_cold(other) == 0
    unresolve_owner(other, process(1))
    git(other, "add", "-A")
    assert same_as_cold(other, "--staged") == 0


def test_files_inside_a_submodule_are_not_vouched_for(repo: Path, tmp_path: Path) -> None:
    inner = tmp_path / "shared"
    generate.generate(inner, 2)
    make_repo(inner, commit=True)
    git(repo, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(inner), "shared")
    git(repo, "commit", "-qm", "submodule")
    found = listing(repo)
    assert found.index is not None
    inside = [rel for rel in found.files if rel.startswith("shared/")]
    assert inside and not [rel for rel in inside if rel in found.index.unchanged]


# -- --staged ----------------------------------------------------------------------------------------


def test_staged_reads_only_the_blobs_that_differ_from_the_work_tree(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    for name, value in env(repo).items():
        if name.startswith(("GIT_", "GOVLINT_")):
            monkeypatch.setenv(name, value)
    asked: list[set[str]] = []
    read_blobs = gitstate.read_blobs

    def recorded(top: Path, shas: object) -> dict[str, bytes]:
        asked.append(set(shas))  # type: ignore[call-overload]
        return read_blobs(top, shas)  # type: ignore[arg-type]

    monkeypatch.setattr(gitstate, "read_blobs", recorded)
    runner = CliRunner()
    runner.invoke(main, ["check"], catch_exceptions=False)  # the store
    unresolve_owner(repo, process(1))
    git(repo, "add", process(1))  # staged: the work tree holds what the index holds
    unresolve_owner(repo, process(2))  # not staged: the index holds the committed bytes
    staged_blob = git(repo, "ls-files", "-s", process(2)).split()[1]
    asked.clear()
    done = runner.invoke(main, ["check", "--staged", "--format", "json"], catch_exceptions=False)
    assert asked == [{staged_blob}]
    assert (done.exit_code, done.stdout) == cold(repo, "--staged")
    assert process(1) in done.stdout and process(2) not in done.stdout
