"""``govlint report history``: who held which role when, from the git history of the governance files."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import git, make_repo, run_govlint, write_files

PEOPLE = "---\n".join(
    f"apiVersion: govlint/v1\nkind: Person\nmetadata: {{id: {p}}}\nspec: {{email: {p}@example.org}}\n"
    for p in ("alice", "bob", "carol", "dave")
)


def process(owner: str, revision: int) -> str:
    return (
        "apiVersion: govlint/v1\nkind: Process\nmetadata: {id: im, lastReviewed: 2026-06-30}\n"
        f"spec:\n  purpose: Restore service (revision {revision}).\n  owner: {owner}\n"
    )


def test_every_owner_a_process_had_with_the_commits_that_started_and_ended_it(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"people.yaml": PEOPLE, "im.yaml": process("person:alice", 0)})
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "start")
    periods = [["person:alice", git(root, "rev-parse", "HEAD").strip(), ""]]
    owners = ["person:alice", "person:bob", "person:carol", "person:dave"]
    for i in range(1, 50):
        owner = owners[(i // 5) % 4]
        write_files(root, {"im.yaml": process(owner, i)})
        git(root, "commit", "-q", "-am", f"revision {i}")
        if owner != periods[-1][0]:
            head = git(root, "rev-parse", "HEAD").strip()
            periods[-1][2] = head
            periods.append([owner, head, ""])
    done = run_govlint("report", "history", "--for", "process:im", "--format", "json", cwd=root)
    assert done.returncode == 0, done.stderr
    found = [
        [h["party"], h["started"], h["ended"]]
        for h in sorted(json.loads(done.stdout), key=lambda h: h["started_on"] + h["started"])
        if h["role"] == "owner"
    ]
    assert sorted(map(tuple, found)) == sorted(map(tuple, periods))
    assert len(periods) == 10
    since = periods[5][1]
    later = run_govlint(
        "report", "history", "--for", "process:im", "--since", since, "--format", "csv", cwd=root
    )
    owners_since = [line.split(",")[0] for line in later.stdout.splitlines()[1:] if ",owner," in line]
    assert sorted(owners_since) == sorted(p[0] for p in periods[5:])


def test_a_bad_revision_is_one_line_and_exit_2(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"people.yaml": PEOPLE}, commit=True)
    done = run_govlint("report", "history", "--since", "no-such-rev", cwd=root)
    assert (
        done.returncode == 2 and done.stderr.startswith("govlint: error:") and "Traceback" not in done.stderr
    )
    roles = run_govlint("report", "roles", "--since", "HEAD", cwd=root)
    assert roles.returncode == 2 and "--since is an option of report history" in roles.stderr
