"""``report raci --layout grid`` and ``--format xlsx``, work carried through teams, several owners,
sparse matrices and the summary's ``--max-chars``: compared with what the YAML says (report_oracle)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest
import report_oracle as oracle
from helpers import make_repo, run_govlint
from test_report import CLEAN, report


def sheet_rows(sheet: openpyxl.worksheet.worksheet.Worksheet) -> list[list[str]]:
    """A sheet's cells as CSV would read them: text, an empty cell ``""``."""
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


# -- the grid -------------------------------------------------------------------------------------------


def test_raci_grid_is_the_yaml_cell_for_cell(repo: Path) -> None:
    rows = list(csv.reader(io.StringIO(report(repo, "raci", "--format", "csv", "--layout", "grid"))))
    assert rows == oracle.raci_grid(oracle.documents(repo))
    assert rows[0][:4] == ["process", "process_name", "activity", "activity_name"]


def test_raci_xlsx_is_the_grid_an_all_sheet_and_one_per_process(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "raci.xlsx"
    report(repo, "raci", "--format", "xlsx", "--output", str(out))
    book = openpyxl.load_workbook(out)
    docs = oracle.documents(repo)
    processes = oracle.processes(docs)
    assert book.sheetnames == ["All", *(d.data["metadata"]["id"][:31] for d in processes)]
    grid = list(csv.reader(io.StringIO(report(repo, "raci", "--format", "csv", "--layout", "grid"))))
    assert sheet_rows(book["All"]) == grid
    others = [d for d in docs if d.kind not in ("Process", "Practice")]
    for process, sheet in zip(processes, book.worksheets[1:], strict=True):
        assert sheet_rows(sheet) == oracle.raci_grid([*others, process])
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"


@pytest.mark.parametrize("kind", ["roles", "load", "reviews"])
def test_xlsx_of_roles_load_and_reviews_is_the_csv(repo: Path, tmp_path: Path, kind: str) -> None:
    out = tmp_path / f"{kind}.xlsx"
    report(repo, kind, "--format", "xlsx", "--output", str(out))
    book = openpyxl.load_workbook(out)
    assert len(book.worksheets) == 1 and book.worksheets[0].freeze_panes == "A2"
    expected = list(csv.reader(io.StringIO(report(repo, kind, "--format", "csv"))))
    assert sheet_rows(book.worksheets[0]) == expected


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("raci", "--format", "md", "--layout", "grid"), "--layout is an option of report raci --format csv"),
        (("raci", "--format", "csv", "--layout", "gird"), "did you mean grid?"),
        (("load", "--max-chars", "10"), "--max-chars is an option of report summary"),
        (("map", "--format", "xlsx"), "one of mermaid, dot, json, md"),
    ],
)
def test_bad_grid_and_spreadsheet_arguments_exit_2(args: tuple[str, ...], message: str) -> None:
    done = run_govlint("report", *args, cwd=CLEAN)
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr


# -- load: what a person carries through her teams -----------------------------------------------------

TEAMS = {
    ".govlint.yaml": "include: ['governance/**/*.yaml']\nrules:\n  GOV205: {options: {max-activities: 2}}\n",
    "governance/people.yaml": "".join(
        f"---\napiVersion: govlint/v1\nkind: Person\nmetadata: {{id: {who}, name: {who.title()}}}\n"
        f"spec: {{email: {who}@example.org}}\n"
        for who in ("ann", "bob", "cat", "dan")
    )
    + """\
---
apiVersion: govlint/v1
kind: Team
metadata: {id: desk, name: Desk}
spec: {members: [person:ann, person:bob]}
---
apiVersion: govlint/v1
kind: Team
metadata: {id: field, name: Field}
spec: {members: [person:bob]}
""",
    "governance/process.yaml": """\
apiVersion: govlint/v1
kind: Process
metadata: {id: work, name: Work}
spec:
  purpose: Work.
  owner: [person:cat, person:dan]
  managers: [{person: person:cat, scope: North}, {person: person:dan, scope: South}]
  administrator: person:dan
  activities:
    - {id: a, raci: {responsible: [team:desk], accountable: person:cat}}
    - {id: b, raci: {responsible: [team:desk, team:field], accountable: person:cat}}
    - {id: c, raci: {responsible: [team:desk, person:ann], accountable: person:cat}}
""",
}


def test_load_counts_work_through_teams_once_and_orders_and_marks_by_it(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", TEAMS)
    done = run_govlint("report", "load", "--format", "json", cwd=repo)
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    by_party = {row["party"]: row for row in rows}
    # bob: a, b, c through desk (b through field too, counted once); ann: a and b, c herself
    assert (by_party["person:bob"]["responsible"], by_party["person:bob"]["via_teams"]) == (0, 3)
    assert (by_party["person:ann"]["responsible"], by_party["person:ann"]["via_teams"]) == (1, 2)
    assert by_party["person:dan"]["roles"] == 3 and by_party["person:cat"]["roles"] == 2
    assert by_party["person:bob"]["party_name"] == "Bob"
    assert [row["party"] for row in rows[:3]] == ["person:ann", "person:bob", "team:desk"]
    assert {row["party"] for row in rows if row["overloaded"]} == {"person:ann", "person:bob", "team:desk"}
    expected = oracle.load_rows(oracle.documents(repo))
    assert [[str(v) for v in list(row.values())[:-1]] for row in rows] == expected


def test_every_owner_is_shown_never_none(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", TEAMS)
    matrix = json.loads(run_govlint("report", "raci", "--format", "json", cwd=repo).stdout)[0]
    assert matrix["owners"] == ["person:cat", "person:dan"] and matrix["owner_names"] == ["Cat", "Dan"]
    text = run_govlint("report", "raci", cwd=repo).stdout
    assert "- Owners: Cat (person:cat); Dan (person:dan)\n" in text
    html = run_govlint("report", "raci", "--format", "html", cwd=repo).stdout
    assert "<dt>Owner</dt><dd>Cat (person:cat); Dan (person:dan)</dd>" in html
    reviews = run_govlint("report", "reviews", "--format", "csv", cwd=repo).stdout
    assert "process:work,person:cat; person:dan,,,never,Work,Cat; Dan\n" in reviews
    rows = json.loads(run_govlint("report", "reviews", "--format", "json", cwd=repo).stdout)
    assert rows[0]["owners"] == ["person:cat", "person:dan"]


# -- a matrix too large to draw --------------------------------------------------------------------------


def big_process(activities: int) -> dict[str, str]:
    people = "".join(
        f"---\napiVersion: govlint/v1\nkind: Person\nmetadata: {{id: p{i}, name: Person {i}}}\n"
        f"spec: {{email: p{i}@example.org}}\n"
        for i in range(activities + 1)
    )
    lines = "".join(
        f"    - {{id: a{i}, raci: {{responsible: [person:p{i}], accountable: person:p{i + 1}}}}}\n"
        for i in range(activities)
    )
    process = (
        "apiVersion: govlint/v1\nkind: Process\nmetadata: {id: big, name: Big}\n"
        f"spec:\n  purpose: Big.\n  owner: person:p0\n  activities:\n{lines}"
    )
    return {".govlint.yaml": "include: ['governance/**/*.yaml']\n", "governance/people.yaml": people,
            "governance/big.yaml": process}  # fmt: skip


def test_a_large_matrix_is_one_line_per_activity_in_md_and_html(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", big_process(60))  # 61 parties x 60 activities
    text = run_govlint("report", "raci", cwd=repo).stdout
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    assert rows[0] == "| Activity | Parties and letters |"
    assert len(rows) == 61
    assert "| a7 | Person 7 (person:p7): R; Person 8 (person:p8): A |" in rows
    assert "60 activities × 61 parties: one line per activity" in text
    html = run_govlint("report", "raci", "--format", "html", cwd=repo).stdout
    assert html.count("<tr>") == 61 and "Person 7 (person:p7): R; Person 8 (person:p8): A" in html
    grid = list(csv.reader(io.StringIO(run_govlint("report", "raci", "--format", "csv", "--layout", "grid", cwd=repo).stdout)))  # fmt: skip
    assert len(grid) == 61 and len(grid[0]) == 4 + 61


# -- the summary's limit ------------------------------------------------------------------------------


@pytest.mark.parametrize("limit", [65_000, 4_000, 300, 40])
def test_summary_is_at_most_max_chars_with_a_note_naming_what_was_cut(generated: Path, limit: int) -> None:
    full = report(generated, "summary")
    assert len(full) > 65_000
    cut = report(generated, "summary", "--max-chars", str(limit))
    assert len(cut) <= len(cut.encode()) <= limit
    if limit >= 4_000:
        assert cut.startswith("# Governance summary\n")
        assert "## RACI\n\nLeft out: this section" in cut and "Run `govlint report raci`" in cut
