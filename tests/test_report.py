"""``govlint report``: each report of examples/clean and of a generated repository, compared row for row
with what the YAML says (computed by tests/report_oracle.py, independently of govlint)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import icalendar
import pytest
import report_oracle as oracle
from helpers import run_govlint, write_files

ROOT = Path(__file__).resolve().parent.parent
CLEAN = ROOT / "examples" / "clean"
TODAY = "2026-11-28"


def report(root: Path, *args: str) -> str:
    done = run_govlint("report", *args, "--today", TODAY, cwd=root)
    assert done.returncode == 0, done.stderr
    assert done.stderr == "", done.stderr  # a clean repository: no note
    return done.stdout


def csv_rows(text: str) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(text)))
    return rows[0], rows[1:]


# -- raci ---------------------------------------------------------------------------------------------


def test_raci_csv_is_the_yaml_row_for_row(repo: Path) -> None:
    header, rows = csv_rows(report(repo, "raci", "--format", "csv"))
    assert header == [
        "process",
        "activity",
        "party",
        "letters",
        "process_name",
        "activity_name",
        "party_name",
    ]
    assert rows == oracle.raci_named_rows(oracle.documents(repo))
    assert all(re.fullmatch("R?A?C?I?", row[3]) and row[3] for row in rows)


def test_raci_json_names_owner_managers_administrator_and_letters(repo: Path) -> None:
    found = json.loads(report(repo, "raci", "--format", "json"))
    docs = oracle.processes(oracle.documents(repo))
    assert [m["process"] for m in found] == [d.key for d in docs]
    names = oracle.names(oracle.documents(repo))
    for matrix, doc in zip(found, docs, strict=True):
        assert matrix["owners"] == [doc.spec["owner"]]
        assert matrix["owner_names"] == [names[doc.spec["owner"]]]
        assert matrix["administrator"] == doc.spec.get("administrator")
        assert matrix["managers"] == [
            {"person": m["person"], "person_name": names[m["person"]], "scope": m.get("scope")}
            for m in doc.spec.get("managers", [])
        ]
        assert matrix["party_names"] == [names.get(p, p) for p in matrix["parties"]]
        flat = [
            [matrix["process"], a["id"], party, letters]
            for a in matrix["activities"]
            for party in matrix["parties"]
            if (letters := a["letters"].get(party))
        ]
        assert flat == list(oracle.raci_rows([doc]))


def test_raci_markdown_has_a_table_per_process_with_a_row_per_activity() -> None:
    text = report(CLEAN, "raci")
    docs = oracle.processes(oracle.documents(CLEAN))
    names = oracle.names(oracle.documents(CLEAN))
    sections = re.split(r"^## ", text, flags=re.M)[1:]
    assert len(sections) == len(docs)
    for section, doc in zip(sections, docs, strict=True):
        assert f"(`{doc.key}`)" in section.splitlines()[0]
        owner = doc.spec["owner"]
        assert f"- Owner: {names[owner]} ({owner})" in section
        rows = [line for line in section.splitlines() if line.startswith("| ")]
        assert len(rows) == 1 + len(doc.spec.get("activities", []))  # header + one per activity


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables = 0
        self.scopes: list[str] = []
        self.external: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tables += tag == "table"
        if tag == "th":
            self.scopes.append(found.get("scope") or "")
        for name in ("src", "href"):
            if found.get(name):
                self.external.append(found[name] or "")


def test_raci_html_is_one_page_with_a_matrix_per_process() -> None:
    text = report(CLEAN, "raci", "--format", "html")
    parser = _Tables()
    parser.feed(text)
    assert parser.tables == len(oracle.processes(oracle.documents(CLEAN)))
    assert parser.scopes and all(scope in ("col", "row") for scope in parser.scopes)
    assert parser.external == []  # standalone: no stylesheet or link to fetch


# -- roles ----------------------------------------------------------------------------------------------


def test_roles_csv_is_the_yaml_row_for_row(repo: Path) -> None:
    header, rows = csv_rows(report(repo, "roles", "--format", "csv"))
    assert header == ["party", "role", "subject", "scope", "path", "line", "party_name", "subject_name"]
    assert rows == oracle.role_rows(oracle.documents(repo))


def test_roles_for_one_party_narrows_and_json_agrees() -> None:
    rows = json.loads(report(CLEAN, "roles", "--format", "json", "--for", "person:windy"))
    expected = [r for r in oracle.role_rows(oracle.documents(CLEAN)) if r[0] == "person:windy"]
    assert [[*(str(v) for v in r.values())] for r in rows] == expected
    assert {"manager", "accountable", "team-lead", "service-owner"} <= {r["role"] for r in rows}
    text = report(CLEAN, "roles", "--for", "person:windy")
    assert "## Windy (`person:windy`)" in text and "person:ann" not in text


def test_roles_for_nobody_exits_2_with_did_you_mean() -> None:
    done = run_govlint("report", "roles", "--for", "person:windi", cwd=CLEAN)
    assert done.returncode == 2
    assert "did you mean person:windy?" in done.stderr
    assert done.stdout == ""


# -- load -----------------------------------------------------------------------------------------------


def test_load_csv_is_the_yaml_row_for_row(repo: Path) -> None:
    header, rows = csv_rows(report(repo, "load", "--format", "csv"))
    assert header == [
        "party",
        "responsible",
        "accountable",
        "consulted",
        "informed",
        "processes",
        "via_teams",
        "roles",
        "party_name",
    ]
    assert rows == oracle.load_rows(oracle.documents(repo))
    carried = [int(row[1]) + int(row[6]) for row in rows]
    assert carried == sorted(carried, reverse=True)
    assert any(int(row[6]) for row in rows)  # someone carries work through a team


def test_load_marks_parties_over_max_activities(tmp_path: Path) -> None:
    repo = tmp_path / "clean"
    shutil.copytree(CLEAN, repo)
    config = repo / ".govlint.yaml"
    config.write_text(
        config.read_text() + "rules:\n  practitioner-overload: {options: {max-activities: 8}}\n"
    )
    done = run_govlint("report", "load", "--format", "json", cwd=repo)
    rows = {row["party"]: row for row in json.loads(done.stdout)}
    over = {party for party, row in rows.items() if row["overloaded"]}
    assert over == {party for party, row in rows.items() if row["responsible"] + row["via_teams"] > 8}
    # the team itself, and members who carry its work: through the team only, or also directly
    assert {"team:service-desk", "person:ann"} <= over
    assert rows["person:ann"]["responsible"] <= 8 < rows["person:ann"]["via_teams"] + 1
    # The repository now has a GOV205 finding: the report still works and says so in one line.
    assert done.returncode == 0
    assert len(done.stderr.splitlines()) == 1 and "findings (1 warning)" in done.stderr
    text = run_govlint("report", "load", cwd=repo).stdout
    assert "| Service Desk (team:service-desk) ⚠ over 8 |" in text


# -- map: tests/test_map.py ------------------------------------------------------------------------


def asymmetric_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "clean"
    shutil.copytree(CLEAN, repo)
    path = repo / "governance" / "processes" / "problem-management.yaml"
    text = path.read_text()
    assert "receives: [incident-record" in text
    path.write_text(text.replace("receives: [incident-record", "receives: [incident-report"))
    return repo


def test_an_asymmetric_edge_is_marked_in_every_format(tmp_path: Path) -> None:
    repo = asymmetric_repo(tmp_path)
    done = run_govlint("report", "map", "--format", "json", cwd=repo)
    assert done.returncode == 0 and "findings" in done.stderr
    edges = json.loads(done.stdout)["edges"]
    assert json.loads(done.stdout) == oracle.map_json(oracle.documents(repo))
    one_sided = [e for e in edges if not e["symmetric"]]
    assert one_sided
    first = one_sided[0]
    mermaid = run_govlint("report", "map", cwd=repo).stdout
    assert f'-.->|"{first["artifact"]} (one-sided)"|' in mermaid
    dot = run_govlint("report", "map", "--format", "dot", cwd=repo).stdout
    assert f'label="{first["artifact"]} (one-sided)", style=dashed' in dot
    assert "no (GOV601)" in run_govlint("report", "map", "--format", "md", cwd=repo).stdout


# -- reviews -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("today", "within"), [("2026-11-28", 30), ("2027-07-10", 60), ("2027-12-01", 0)])
def test_reviews_csv_is_the_yaml_row_for_row(today: str, within: int) -> None:
    done = run_govlint(
        "report", "reviews", "--format", "csv", "--today", today, "--within", str(within), cwd=CLEAN
    )
    header, rows = csv_rows(done.stdout)
    assert header == ["entity", "owner", "last_reviewed", "due", "status", "entity_name", "owner_name"]
    assert rows == oracle.review_rows(oracle.documents(CLEAN), dt.date.fromisoformat(today), within=within)


def test_reviews_of_generated_repository_and_never_reviewed(generated: Path, tmp_path: Path) -> None:
    rows = json.loads(report(generated, "reviews", "--format", "json"))
    expected = oracle.review_rows(oracle.documents(generated), dt.date.fromisoformat(TODAY))
    assert [
        [
            r["entity"],
            "; ".join(r["owners"]),
            r["last_reviewed"],
            r["due"],
            r["status"],
            r["entity_name"],
            "; ".join(r["owner_names"]),
        ]
        for r in rows
    ] == expected
    repo = tmp_path / "clean"
    shutil.copytree(CLEAN, repo)
    path = repo / "governance" / "policies" / "incident.yaml"
    path.write_text(re.sub(r"\n  lastReviewed: [0-9-]+", "", path.read_text(), count=1))
    rows = json.loads(run_govlint("report", "reviews", "--format", "json", cwd=repo).stdout)
    assert rows[0]["status"] == "never" and rows[0]["due"] == ""


def test_reviews_ics_is_valid_icalendar_with_an_event_per_review(repo: Path) -> None:
    text = report(repo, "reviews", "--format", "ics")
    assert all(len(line.encode()) <= 75 for line in text.splitlines())
    calendar = icalendar.Calendar.from_ical(text)
    events = list(calendar.walk("VEVENT"))
    today = dt.date.fromisoformat(TODAY)
    expected = oracle.review_rows(oracle.documents(repo), today)
    assert len(events) == len(expected)
    by_uid = {str(e["UID"]): e for e in events}
    for entity, _, _, due, *_ in expected:
        event = by_uid[f"{entity}-review@govlint"]
        assert event.decoded("DTSTART") == max(dt.date.fromisoformat(due), today) if due else today
        assert entity in str(event["SUMMARY"])
    assert len(by_uid) == len(events)


# -- summary and the command line ----------------------------------------------------------------------


def test_summary_is_every_report_and_the_findings(tmp_path: Path) -> None:
    text = report(CLEAN, "summary")
    for heading in (
        "# Governance summary",
        "## Findings",
        "## Process map",
        "## Reviews",
        "## Load",
        "## RACI",
        "## Roles",
    ):
        assert f"\n{heading}\n" in f"\n{text}"
    assert "```mermaid\nflowchart LR\n" in text and "No findings." in text
    repo = asymmetric_repo(tmp_path)
    done = run_govlint("report", "summary", cwd=repo)
    assert done.returncode == 0 and "GOV601 interface-symmetric" in done.stdout
    assert done.stderr.count("\n") == 1


def test_report_is_deterministic(repo: Path) -> None:
    assert report(repo, "summary") == report(repo, "summary")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nosuch",), "unknown report 'nosuch'"),
        (("rols",), "did you mean roles?"),
        (("raci", "--format", "jsn"), "did you mean json?"),
        (("map", "--format", "csv"), "one of mermaid, dot, json, md"),
        (("load", "--for", "person:windy"), "--for narrows report roles and history only"),
    ],
)
def test_bad_arguments_exit_2(args: tuple[str, ...], message: str) -> None:
    done = run_govlint("report", *args, cwd=CLEAN)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_output_through_a_planted_link_is_refused_as_check_refuses_it(tmp_path: Path) -> None:
    target = tmp_path / "victim.txt"
    target.write_text("keep")
    out = tmp_path / "raci.csv"
    os.symlink(target, out)
    done = run_govlint("report", "raci", "--format", "csv", "--output", str(out), cwd=CLEAN)
    checked = run_govlint("check", "--output", str(out), cwd=CLEAN)
    assert done.returncode == checked.returncode == 2
    assert "symbolic link" in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.splitlines()) == 1
    assert target.read_text() == "keep" and out.is_symlink()


def test_output_never_writes_into_a_checked_file(tmp_path: Path) -> None:
    repo = tmp_path / "clean"
    shutil.copytree(CLEAN, repo)
    victim = repo / "governance" / "teams.yaml"
    before = victim.read_bytes()
    done = run_govlint("report", "roles", "--output", "governance/teams.yaml", cwd=repo)
    assert done.returncode == 2 and "files being checked" in done.stderr
    assert victim.read_bytes() == before


def test_named_paths_narrow_the_report(tmp_path: Path) -> None:
    rows = json.loads(
        report(CLEAN, "raci", "--format", "json", "governance/processes/change-enablement.yaml")
    )
    assert [m["process"] for m in rows] == ["process:change-enablement"]


def test_report_on_a_file_that_does_not_load_reports_the_rest(tmp_path: Path) -> None:
    repo = tmp_path / "clean"
    shutil.copytree(CLEAN, repo)
    write_files(
        repo, {"governance/processes/broken.yaml": "apiVersion: govlint/v1\nkind: Process\n  bad: [\n"}
    )
    done = run_govlint("report", "raci", "--format", "csv", cwd=repo)
    assert done.returncode == 0
    assert "error" in done.stderr and len(done.stderr.splitlines()) == 1
    assert csv_rows(done.stdout)[1] == oracle.raci_named_rows(oracle.documents(CLEAN))


def test_the_readme_shows_the_real_output_of_each_report() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Reports and the governance site\n")[1].split("\n## Plugins")[0]
    blocks = re.findall(r"```console\n\$ (govlint report [^\n]+)\n(.*?)```", section, flags=re.S)
    assert {command.split()[2] for command, _ in blocks} == {"raci", "roles", "load", "map", "reviews"}
    for command, shown in blocks:
        done = run_govlint(*command.split()[1:], cwd=CLEAN)
        assert done.returncode == 0, done.stderr
        assert done.stdout == shown, f"README output of `{command}` is stale"


def test_a_file_edited_after_a_report_is_read_again(tmp_path: Path) -> None:
    repo = tmp_path / "clean"
    shutil.copytree(CLEAN, repo)
    first = csv_rows(run_govlint("report", "raci", "--format", "csv", cwd=repo).stdout)[1]
    path = repo / "governance" / "processes" / "change-enablement.yaml"
    path.write_text(path.read_text().replace("accountable: person:julia", "accountable: person:guy", 1))
    second = csv_rows(run_govlint("report", "raci", "--format", "csv", cwd=repo).stdout)[1]
    assert second != first
    assert second == oracle.raci_named_rows(oracle.documents(repo))


def test_a_summary_too_large_for_a_job_summary_leaves_sections_out_with_a_note(generated: Path) -> None:
    full = report(generated, "summary")
    limit = len(full) // 2
    cut = report(generated, "summary", "--max-chars", str(limit))
    assert len(cut) <= len(cut.encode()) <= limit
    assert "## Roles" in cut and "Run `govlint report roles`, or publish `govlint site`." in cut
    assert "## Process map" in cut and "```mermaid" in cut
