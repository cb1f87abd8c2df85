"""The baseline: record today's findings, hide them later, and report entries that went stale."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from adoption_repo import CLOSE_PROCEDURE, IDENTIFY_LINE, PEOPLE, PROCESS, found, govlint, write_repo

IDENTIFY_NODE = "process:incident-management/spec/activities/identify/procedures"
SECOND_FINDING = PROCESS.replace(CLOSE_PROCEDURE, "")  # GOV203 at close too
FIXED = PROCESS.replace(
    "      outputs: [incident-record]\n",
    "      procedures: [Identify it from the report.]\n      outputs: [incident-record]\n",
)


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_repo(tmp_path, {"people.yaml": PEOPLE, "process.yaml": PROCESS})
    monkeypatch.chdir(tmp_path)
    return tmp_path


def baseline_of(path: Path) -> list[dict[str, object]]:
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert raw["version"] == 1
    return list(raw["entries"])


def test_write_baseline_records_each_finding_by_node(repo: Path) -> None:
    (repo / "process.yaml").write_text(SECOND_FINDING)
    code, report, err = govlint("--write-baseline", "baseline.json")
    assert code == 0 and len(found(report)) == 2  # warnings only: fail-on error
    assert "wrote 2 findings to baseline baseline.json" in err
    entries = baseline_of(repo / "baseline.json")
    assert [(e["code"], e["path"], e["node"]) for e in entries] == [
        ("GOV203", "process.yaml", "process:incident-management/spec/activities/close/procedures"),
        ("GOV203", "process.yaml", IDENTIFY_NODE),
    ]
    assert all(e["name"] == "activity-has-procedure" and e["message"] for e in entries)
    assert "line" not in entries[0]
    assert [p.name for p in repo.iterdir() if p.name.endswith(".tmp")] == []  # written atomically


def test_baseline_hides_recorded_findings(repo: Path) -> None:
    govlint("--write-baseline", "baseline.json")
    code, report, _ = govlint("--baseline", "baseline.json")
    assert (code, found(report)) == (0, [])


@pytest.mark.parametrize(
    "edited",
    [
        # lines added above the finding: it moves down, still matches
        PROCESS.replace(
            "  lastReviewed: 2026-09-30\n",
            "  name: Incident Management\n  labels: {domain: itsm}\n  lastReviewed: 2026-09-30\n",
        ),
        # the activity moved below the other one
        PROCESS.replace(
            "    - id: identify\n      name: Identify\n      outputs: [incident-record]\n"
            "      raci:\n        responsible: [team:service-desk]\n        accountable: person:windy\n",
            "",
        ).replace(
            "  kpis:\n",
            "    - id: identify\n      name: Identify\n      outputs: [incident-record]\n"
            "      raci:\n        responsible: [team:service-desk]\n        accountable: person:windy\n  kpis:\n",
        ),
    ],
    ids=["lines-shift", "node-moved"],
)
def test_edits_elsewhere_keep_the_entry_matching(repo: Path, edited: str) -> None:
    govlint("--write-baseline", "baseline.json")
    (repo / "process.yaml").write_text(edited)
    code, report, _ = govlint("--select", "GOV203")
    assert [f[0] for f in found(report)] == ["GOV203"] and found(report)[0][2] != IDENTIFY_LINE
    code, report, _ = govlint("--baseline", "baseline.json")
    assert (code, found(report)) == (0, [])


def test_new_finding_is_reported_over_a_baseline(repo: Path) -> None:
    govlint("--write-baseline", "baseline.json")
    (repo / "process.yaml").write_text(SECOND_FINDING)
    _, report, _ = govlint("--baseline", "baseline.json")
    assert found(report) == [("GOV203", "process.yaml", 20, 7)]


def test_fixed_finding_makes_its_entry_stale(repo: Path) -> None:
    govlint("--write-baseline", "baseline.json")
    (repo / "process.yaml").write_text(FIXED)
    code, report, _ = govlint("--baseline", "baseline.json")
    assert report is not None
    (stale,) = report["diagnostics"]
    # at the node, which still exists (the procedures the fix added)
    assert (stale["code"], stale["path"], stale["line"], stale["column"]) == ("GOV006", "process.yaml", 16, 7)
    assert "stale baseline entry" in stale["message"] and IDENTIFY_NODE in stale["message"]
    assert stale["severity"] == "warning" and code == 0
    code, _, _ = govlint("--baseline", "baseline.json", "--fail-on", "warning")
    assert code == 1


def test_stale_entry_of_a_vanished_node_is_at_the_nearest_ancestor_or_the_file(repo: Path) -> None:
    entries = [
        {
            "code": "GOV203",
            "path": "process.yaml",
            "node": "process:incident-management/spec/activities/gone",
        },
        {"code": "GOV203", "path": "process.yaml", "node": "process:retired/spec/activities/x"},
    ]
    (repo / "baseline.json").write_text(json.dumps({"version": 1, "entries": entries}))
    _, report, _ = govlint("--baseline", "baseline.json")
    assert found(report) == [
        ("GOV006", "process.yaml", 1, 1),
        ("GOV006", "process.yaml", 13, 3),
        ("GOV203", "process.yaml", IDENTIFY_LINE, 7),
    ]


def test_duplicate_entries_are_counted(repo: Path) -> None:
    entry = {
        "code": "GOV203",
        "name": "activity-has-procedure",
        "path": "process.yaml",
        "node": IDENTIFY_NODE,
    }
    (repo / "baseline.json").write_text(json.dumps({"version": 1, "entries": [entry, entry]}))
    _, report, _ = govlint("--baseline", "baseline.json")
    assert [f[0] for f in found(report)] == ["GOV006"]  # one finding, two entries: one is stale


@pytest.mark.parametrize(
    "args", [("people.yaml",), ("--select", "GOV101")], ids=["file-not-reported", "rule-not-run"]
)
def test_stale_entry_reported_only_where_its_rule_ran_on_a_reported_file(
    repo: Path, args: tuple[str, ...]
) -> None:
    govlint("--write-baseline", "baseline.json")
    (repo / "process.yaml").write_text(FIXED)
    code, report, _ = govlint("--baseline", "baseline.json", *args)
    assert (code, found(report)) == (0, [])


def test_config_baseline_is_relative_to_the_config(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (repo / ".govlint.yaml").write_text("baseline: ci/baseline.json\n")
    (repo / "ci").mkdir()
    govlint("--write-baseline", "ci/baseline.json")
    (repo / "sub").mkdir()
    monkeypatch.chdir(repo / "sub")
    code, report, _ = govlint()
    assert (code, found(report)) == (0, [])


def test_rewriting_the_baseline_records_every_finding_not_only_new_ones(repo: Path) -> None:
    (repo / ".govlint.yaml").write_text("baseline: baseline.json\n")
    govlint("--write-baseline", "baseline.json")
    (repo / "process.yaml").write_text(SECOND_FINDING)
    govlint("--write-baseline", "baseline.json")
    assert len(baseline_of(repo / "baseline.json")) == 2
    code, report, _ = govlint()
    assert (code, found(report)) == (0, [])


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "baseline file not found"),
        ("{not json", "cannot read baseline"),
        ('{"entries": []}', "not a govlint baseline"),
        ('{"version": 1, "entries": [{"code": "GOV203"}]}', "entry 1 needs"),
    ],
)
def test_missing_or_corrupt_baseline_exits_2_naming_the_file(
    repo: Path, content: str | None, expected: str
) -> None:
    if content is not None:
        (repo / "baseline.json").write_text(content)
    code, report, err = govlint("--baseline", "baseline.json")
    assert code == 2 and report is None
    assert "baseline.json" in err and expected in err
    assert "Traceback" not in err


def test_unwritable_baseline_exits_2(repo: Path) -> None:
    code, _, err = govlint("--write-baseline", "no-such-folder/baseline.json")
    assert code == 2 and "no-such-folder/baseline.json" in err and "cannot write baseline" in err


# -- subjects: a finding that changes in substance at the same node is reported again -----------


def test_entries_record_the_subject_without_positions(repo: Path) -> None:
    inactive = PEOPLE.replace(
        "metadata: {id: windy, name: Windy}\nspec: {email: windy@example.org}",
        "metadata: {id: windy, name: Windy}\nspec: {email: windy@example.org, active: false}",
    )
    (repo / "people.yaml").write_text(inactive)
    govlint("--select", "GOV102", "--write-baseline", "baseline.json")
    entries = baseline_of(repo / "baseline.json")
    assert entries and all(e["subject"] for e in entries)
    first = entries[0]
    assert "people.yaml:" in str(first["message"]) and "people.yaml:" not in str(first["subject"])
    assert str(first["subject"]) in str(first["message"]).replace("people.yaml:8", "people.yaml")
    # windy's document moves down in people.yaml: the messages' positions change, the subjects do not
    (repo / "people.yaml").write_text("# the people\n\n" + inactive)
    code, report, _ = govlint("--select", "GOV102", "--baseline", "baseline.json")
    assert (code, found(report)) == (0, [])
    assert report is not None and report["summary"]["baseline_hidden"] == len(entries)


@pytest.mark.parametrize(
    ("before", "after", "code"),
    [
        ("  owner: person:nobody\n", "  owner: person:ghost\n", "GOV005"),
        (
            "  owner: [person:mrs-davis, person:windy]\n",
            "  owner: [person:mrs-davis, person:windy, person:guy]\n",
            "GOV101",
        ),
    ],
    ids=["another-unresolved-name", "a-third-owner"],
)
def test_a_finding_that_changes_in_substance_is_reported_again(
    repo: Path, before: str, after: str, code: str
) -> None:
    start = PROCESS.replace("  owner: person:mrs-davis\n", before)
    (repo / "process.yaml").write_text(start)
    govlint("--select", code, "--write-baseline", "baseline.json")
    assert [e["code"] for e in baseline_of(repo / "baseline.json")] == [code]
    (repo / "process.yaml").write_text(PROCESS.replace("  owner: person:mrs-davis\n", after))
    _, report, _ = govlint("--select", f"{code},GOV006", "--baseline", "baseline.json")
    assert {f[:2] for f in found(report)} == {(code, "process.yaml"), ("GOV006", "process.yaml")}
    assert report is not None and report["summary"]["baseline_hidden"] == 0


def test_old_baseline_without_subjects_still_matches_by_rule_file_and_node(repo: Path) -> None:
    govlint("--write-baseline", "baseline.json")
    old = [
        {k: v for k, v in e.items() if k != "subject"} | {"message": "worded differently once"}
        for e in baseline_of(repo / "baseline.json")
    ]
    (repo / "baseline.json").write_text(json.dumps({"version": 1, "entries": old}))
    code, report, _ = govlint("--baseline", "baseline.json")
    assert (code, found(report)) == (0, [])
    assert report is not None and report["summary"]["baseline_hidden"] == 1


def test_summary_line_says_how_many_findings_the_baseline_hid(repo: Path) -> None:
    import subprocess
    import sys

    (repo / "process.yaml").write_text(SECOND_FINDING)
    govlint("--write-baseline", "baseline.json")
    exe = Path(sys.executable).with_name("govlint")
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "governance_lint.cli"]
    done = subprocess.run(
        [*command, "check", "--no-cache", "--baseline", "baseline.json"],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "no problems in 2 files (5 documents); 2 findings hidden by the baseline"
    ]
