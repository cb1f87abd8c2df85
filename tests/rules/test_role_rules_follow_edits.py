"""The new repository rules follow edits the way check does cold: a run reusing the stored state
reports what a run without it reports, after each edit (the installed govlint, a real git work tree)."""

import json
from pathlib import Path

from helpers import make_repo, run_govlint

ORGANISATION = """\
apiVersion: govlint/v1
kind: Team
metadata: {id: service-desk}
spec: {members: [person:windy]}
---
apiVersion: govlint/v1
kind: Team
metadata: {id: board}
spec: {members: []}
""" + "".join(
    f"---\napiVersion: govlint/v1\nkind: Person\nmetadata: {{id: {who}}}\nspec: {{email: {who}@example.org}}\n"
    for who in ("windy", "guy")
)
PROCESS = """\
apiVersion: govlint/v1
kind: Process
metadata: {id: incident-management}
spec:
  purpose: Restore normal service operation.
  owner: person:windy
  practitioners: [team:service-desk]
  activities:
    - id: log
      procedures: [docs/log.md]
      raci: {responsible: [person:guy], accountable: person:windy, consulted: [team:board]}
"""
RULES = "GOV206,GOV207,GOV208"


def check(repo: Path, *args: str) -> list[tuple[str, str, int, int]]:
    done = run_govlint("check", "--select", RULES, "--format", "json", *args, ".", cwd=repo)
    assert done.returncode in (0, 1), done.stderr
    return sorted(
        (d["code"], d["path"], d["line"], d["column"]) for d in json.loads(done.stdout)["diagnostics"]
    )


def test_each_edit_is_followed(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {"org.yaml": ORGANISATION, "process.yaml": PROCESS})
    org = repo / "org.yaml"
    assert [code for code, *_ in check(repo)] == ["GOV206", "GOV207", "GOV208"]
    edits = [
        (
            "guy joins the practitioner team",
            lambda: org.write_text(org.read_text().replace("[person:windy]", "[person:windy, person:guy]")),
        ),
        (
            "the board gets a member",
            lambda: org.write_text(org.read_text().replace("members: []", "members: [person:guy]")),
        ),
        (
            "the procedure is written",
            lambda: (repo / "docs").mkdir() or (repo / "docs" / "log.md").write_text("# Log\n"),
        ),
    ]
    remaining = ["GOV206", "GOV207", "GOV208"]
    for what, edit in edits:
        edit()
        remaining.pop(0)
        warm = check(repo)
        assert warm == check(repo, "--no-cache"), what
        assert [code for code, *_ in warm] == remaining, what
