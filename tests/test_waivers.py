"""Waivers: a suppression or baseline entry with an expiry (``until=``) and an approver (``by=``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import make_repo, run_govlint

PEOPLE = """\
apiVersion: govlint/v1
kind: Person
metadata: {id: alice}
spec: {email: alice@example.org}
---
apiVersion: govlint/v1
kind: Person
metadata: {id: bob}
spec: {email: bob@example.org, active: false}
"""
PROCESS = """\
apiVersion: govlint/v1
kind: Process
metadata: {{id: im, lastReviewed: 2026-06-30}}
spec:
  purpose: Restore.
  {comment}
  owner: [person:alice, person:bob]
  escalation: [person:alice]
"""
CONFIG = (
    "rules:\n  has-manager: off\n  process-has-policy: off\n  kpi-defined: off\n  inactive-assignee: off\n"
)


def repo_with(tmp_path: Path, comment: str, config: str = CONFIG) -> Path:
    files = {".govlint.yaml": config, "people.yaml": PEOPLE, "p.yaml": PROCESS.format(comment=comment)}
    return make_repo(tmp_path / "repo", files, commit=True)


def found(root: Path, *args: str) -> tuple[int, list[tuple[str, int, int]]]:
    done = run_govlint("check", "--format", "json", *args, cwd=root)
    assert "Traceback" not in done.stderr
    return done.returncode, [
        (d["code"], d["line"], d["column"]) for d in json.loads(done.stdout)["diagnostics"]
    ]


WAIVER = "# govlint: ignore[single-owner] until=2027-03-31 by=person:alice -- co-chairs until the vote"


def test_a_waiver_suppresses_until_its_day_then_the_finding_comes_back(tmp_path: Path) -> None:
    root = repo_with(tmp_path, WAIVER)
    assert found(root, "--today", "2027-03-31") == (0, [])
    assert found(root, "--today", "2027-04-01") == (1, [("GOV007", 6, 3), ("GOV101", 7, 3)])


@pytest.mark.parametrize(
    ("comment", "message"),
    [
        (WAIVER.replace("person:alice", "person:bob"), "is marked inactive"),
        (WAIVER.replace("person:alice", "person:carol"), "names no Person"),
        (WAIVER.replace("2027-03-31", "2027-02-30"), "is not a date"),
    ],
)
def test_an_approver_must_be_an_active_person(tmp_path: Path, comment: str, message: str) -> None:
    root = repo_with(tmp_path, comment)
    done = run_govlint("check", "--today", "2027-01-01", "--format", "json", cwd=root)
    [finding] = json.loads(done.stdout)["diagnostics"]
    assert finding["code"] == "GOV007" and message in finding["message"]


def test_waivers_require_until_and_by_and_cap_how_far_ahead(tmp_path: Path) -> None:
    config = CONFIG + "waivers: {require: [GOV1], max-days: 60}\n"
    plain = repo_with(tmp_path / "a", "# govlint: ignore[single-owner] -- co-chairs", config)
    assert found(plain, "--today", "2027-01-01") == (0, [("GOV007", 6, 3)])
    far = repo_with(tmp_path / "b", WAIVER, config)
    assert found(far, "--today", "2027-01-01") == (0, [("GOV007", 6, 3)])
    assert found(far, "--today", "2027-03-01") == (0, [])


def test_baseline_entries_are_waivers_with_until_and_by(tmp_path: Path) -> None:
    root = repo_with(tmp_path, "# reviewed")
    written = run_govlint(
        "check", "--write-baseline", "b.json", "--until", "2027-03-31", "--by", "person:alice", cwd=root
    )
    assert "wrote 1 findings" in written.stderr
    entries = json.loads((root / "b.json").read_text())["entries"]
    assert [(e["code"], e["until"], e["by"]) for e in entries] == [("GOV101", "2027-03-31", "person:alice")]
    assert found(root, "--baseline", "b.json", "--today", "2027-03-31") == (0, [])
    assert found(root, "--baseline", "b.json", "--today", "2027-04-01") == (
        1,
        [("GOV007", 7, 3), ("GOV101", 7, 3)],
    )
    lone = run_govlint("check", "--until", "2027-03-31", cwd=root)
    assert lone.returncode == 2 and "--write-baseline" in lone.stderr


def test_report_waivers_lists_every_waiver_with_its_status(tmp_path: Path) -> None:
    root = repo_with(tmp_path, WAIVER)
    rows = {
        day: run_govlint("report", "waivers", "--format", "json", "--today", day, cwd=root) for day in DAYS
    }
    status = {day: [w["status"] for w in json.loads(done.stdout)] for day, done in rows.items()}
    assert status == {"2027-01-01": ["active"], "2027-03-20": ["expires-soon"], "2027-04-01": ["expired"]}
    [waiver] = json.loads(rows["2027-01-01"].stdout)
    assert (waiver["path"], waiver["where"], waiver["by"], waiver["until"]) == (
        "p.yaml",
        "line 6",
        "person:alice",
        "2027-03-31",
    )
    unapproved = repo_with(tmp_path / "plain", "# govlint: ignore[single-owner] -- co-chairs")
    done = run_govlint("report", "waivers", "--format", "csv", cwd=unapproved)
    assert done.stdout.splitlines()[1].split(",")[7] == "unapproved"


DAYS = ("2027-01-01", "2027-03-20", "2027-04-01")
