"""Repository text is hostile: every report format shows it as text, and values at the edge of their
type or malformed items never crash a view (SPEC §9, "Every face, the same guarantees")."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import icalendar
import openpyxl
import pytest
from helpers import make_repo, run_govlint
from markdown_it import MarkdownIt

TODAY = "2026-11-28"
FORMULA = ("=", "+", "-", "@", "\t", "\r")
# Names a pull request could write: formulas, raw HTML, images, links, comments, line breaks that
# start new blocks, table pipes, terminal escapes, and a mermaid label that tries to close its fence.
EVE = '=HYPERLINK("http://evil.example/x","click")'
MALLORY = "<img src=x onerror=alert(1)> ![i](http://evil.example/i.png) [l](http://evil.example) <!-- c"
TRUDY = "Trudy\rIntruder\n# Heading\n| x | y |\n<script>alert(1)</script>"
OPS = "+cmd|' /C calc'!A0"
INCIDENT = "-2+3 \x1b[31mred\x07 `tick` <b>bold</b> **strong** _em_ $x$"
OTHER = 'Other`\r```\r<img src=y>"quoted"'
ARTIFACT = "rec\r```\r<img src=z>"
COMMANDS = "::error::zed\n  ::add-mask::x ##[warning]y"


def _yaml(text: str) -> str:
    """A YAML double-quoted scalar of ``text`` (JSON is a subset of YAML 1.2 here)."""
    return json.dumps(text)


def _person(ident: str, name: str) -> str:
    return (
        f"---\napiVersion: govlint/v1\nkind: Person\nmetadata: {{id: {ident}, name: {_yaml(name)}}}\n"
        f"spec: {{email: {ident}@example.org}}\n"
    )


HOSTILE = {
    ".govlint.yaml": "include: ['governance/**/*.yaml']\n",
    "governance/people.yaml": _person("eve", EVE)
    + _person("mallory", MALLORY)
    + _person("trudy", TRUDY)
    + _person("zed", COMMANDS)
    + f"""\
---
apiVersion: govlint/v1
kind: Team
metadata: {{id: ops, name: {_yaml(OPS)}}}
spec: {{members: [person:eve, person:mallory, person:zed]}}
""",
    "governance/processes.yaml": f"""\
apiVersion: govlint/v1
kind: Process
metadata: {{id: incident, name: {_yaml(INCIDENT)}, lastReviewed: 2020-01-01}}
spec:
  purpose: Restore service.
  owner: person:eve
  managers: [{{person: person:mallory, scope: "@SUM(1+1)"}}]
  activities:
    - id: log
      name: {_yaml(chr(9) + "=1+1")}
      raci: {{responsible: [team:ops], accountable: person:trudy, informed: [person:zed]}}
  interfaces:
    - {{process: process:other, sends: [{_yaml(ARTIFACT)}], receives: [known]}}
---
apiVersion: govlint/v1
kind: Process
metadata: {{id: other, name: {_yaml(OTHER)}, lastReviewed: 9999-12-31}}
spec:
  purpose: Other.
  owner: person:trudy
  managers: [{{person: person:trudy}}]
  activities:
    - {{id: fix, raci: {{responsible: [person:trudy], accountable: person:trudy}}}}
  interfaces:
    - {{process: process:incident, sends: [known], receives: [{_yaml(ARTIFACT)}]}}
---
apiVersion: govlint/v1
kind: Policy
metadata: {{id: never-reviewed, name: {_yaml(MALLORY)}}}
spec: {{statement: Never reviewed., category: process, owner: person:mallory}}
""",
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_repo(tmp_path_factory.mktemp("hostile") / "repo", HOSTILE)


def report(root: Path, *args: str) -> str:
    done = run_govlint("report", *args, "--today", TODAY, cwd=root)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done.stdout


# -- spreadsheets: CSV and xlsx never hold a formula --------------------------------------------------


@pytest.mark.parametrize("kind", ["raci", "roles", "load", "reviews"])
def test_no_csv_cell_is_read_as_a_formula(hostile: Path, kind: str) -> None:
    rows = list(csv.reader(io.StringIO(report(hostile, kind, "--format", "csv"))))
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell.startswith(FORMULA)]
    # The text is kept, behind the apostrophe spreadsheets take for "this is text".
    quoted = {cell[1:] for cell in cells if cell.startswith("'")}
    expected = {"raci": OPS, "roles": "@SUM(1+1)", "load": OPS, "reviews": EVE}[kind]
    assert expected in quoted


def test_the_raci_grid_neutralises_names_in_its_header(hostile: Path) -> None:
    rows = list(csv.reader(io.StringIO(report(hostile, "raci", "--format", "csv", "--layout", "grid"))))
    assert not [cell for row in rows for cell in row if cell.startswith(FORMULA)]
    assert f"'{OPS} (team:ops)" in rows[0]


@pytest.mark.parametrize("kind", ["raci", "roles", "load", "reviews"])
def test_no_xlsx_cell_is_a_formula(hostile: Path, tmp_path: Path, kind: str) -> None:
    out = tmp_path / f"{kind}.xlsx"
    report(hostile, kind, "--format", "xlsx", "--output", str(out))
    book = openpyxl.load_workbook(out)
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]
    assert cells
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = {c.value for c in cells if isinstance(c.value, str)}
    assert any(t.startswith(FORMULA) for t in texts)  # kept as the very text, as a string
    assert not [t for t in texts if re.search(r"[\x00-\x08\x0b-\x1f\x7f]", t)]


# -- Markdown renders repository text as text ----------------------------------------------------------


class _Elements(HTMLParser):
    """The tags, comments and text of rendered HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.comments: list[str] = []
        self.rows: list[int] = []  # cells per table row
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "tr":
            self.rows.append(0)
        elif tag in ("td", "th"):
            self.rows[-1] += 1

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)

    def handle_data(self, data: str) -> None:
        self.text += data


def rendered(markdown: str) -> _Elements:
    """Markdown rendered as GitHub does it: CommonMark with tables and strikethrough, raw HTML allowed."""
    html = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(markdown)
    parsed = _Elements()
    parsed.feed(html)
    return parsed


# What govlint's own Markdown is made of: anything else came from repository text.
OWN_TAGS = {"h1", "h2", "h3", "p", "ul", "li", "table", "thead", "tbody", "tr", "th", "td", "code", "pre"}
OWN_TAGS |= {"details", "summary"}


@pytest.mark.parametrize(
    "args", [("summary",), ("raci",), ("roles",), ("load",), ("reviews",), ("roles", "--for", "person:trudy")]
)
def test_markdown_renders_repository_text_as_text(hostile: Path, args: tuple[str, ...]) -> None:
    text = report(hostile, *args)
    page = rendered(text)
    assert set(page.tags) <= OWN_TAGS, set(page.tags) - OWN_TAGS
    assert page.comments == []
    assert len(set(page.rows)) <= 2 or args == ("summary",)  # no row gains or loses a cell
    assert page.tags.count("h1") == (1 if args == ("summary",) else 0)
    # Each name is there, as text, on one line, beside its reference.
    for reference, name in (("person:eve", EVE), ("team:ops", OPS), ("person:mallory", MALLORY)):
        if reference in page.text:
            assert f"{' '.join(name.split())} ({reference})" in page.text
    assert "Trudy Intruder # Heading \\| x \\| y \\|" not in page.text  # escapes do not show
    assert "Trudy Intruder # Heading | x | y | <script>alert(1)</script>" in page.text


def test_every_table_row_of_the_summary_has_its_header_s_cells(hostile: Path) -> None:
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(report(hostile, "summary"))
    for table in re.findall(r"<table>.*?</table>", html, flags=re.S):
        widths = {row.count("<td") + row.count("<th") for row in re.findall(r"<tr>.*?</tr>", table, re.S)}
        assert len(widths) == 1, table


def test_mermaid_labels_stay_inside_their_fence(hostile: Path) -> None:
    text = report(hostile, "summary")
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(text)
    blocks = re.findall(r'<pre><code class="language-mermaid">(.*?)</code></pre>', html, flags=re.S)
    assert len(blocks) == 1
    # the label's < and > are text: HTML-escaped, or mermaid's own entity codes (#lt; #gt;)
    assert "flowchart LR" in blocks[0] and (
        "&lt;img src=z&gt;" in blocks[0] or "#lt;img src=z#gt;" in blocks[0]
    )
    assert "<pre>" not in html.replace('<pre><code class="language-mermaid">', "", 1)
    assert not {"img", "script"} & set(rendered(text).tags)


# -- iCalendar --------------------------------------------------------------------------------------------


def test_ics_has_no_control_character_and_no_review_due_in_the_past(hostile: Path, tmp_path: Path) -> None:
    out = tmp_path / "reviews.ics"
    report(hostile, "reviews", "--format", "ics", "--output", str(out))
    text = out.read_bytes().decode("utf-8")
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\r(?!\n)|(?<!\r)\n", text)
    calendar = icalendar.Calendar.from_ical(text)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    today = dt.date.fromisoformat(TODAY)
    assert set(events) == {
        "process:incident-review@govlint",
        "process:other-review@govlint",
        "policy:never-reviewed-review@govlint",
    }
    for event in events.values():
        assert event.decoded("DTSTART") >= today
        for field in ("SUMMARY", "DESCRIPTION"):
            assert not re.search(r"[\x00-\x1f\x7f-\x9f]", str(event[field]))
    overdue = events["process:incident-review@govlint"]
    assert overdue.decoded("DTSTART") == today
    assert "overdue since 2020-12-31" in str(overdue["DESCRIPTION"])
    never = events["policy:never-reviewed-review@govlint"]
    assert never.decoded("DTSTART") == today and "never reviewed" in str(never["DESCRIPTION"])
    assert events["process:other-review@govlint"].decoded("DTSTART") == dt.date.max


# -- edges of types and malformed items ----------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "csv", "json", "ics", "xlsx"])
def test_a_review_dated_9999_12_31_does_not_crash(hostile: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"reviews.{fmt}"
    report(hostile, "reviews", "--format", fmt, "--output", str(out))
    if fmt == "json":
        row = next(r for r in json.loads(out.read_text()) if r["entity"] == "process:other")
        assert row["last_reviewed"] == "9999-12-31" and row["due"] == "9999-12-31" and row["status"] == "ok"
    assert "## Reviews" in report(hostile, "summary")


def test_a_malformed_practice_process_list_does_not_crash_the_summary(tmp_path: Path) -> None:
    files = dict(HOSTILE)
    files["governance/practice.yaml"] = """\
apiVersion: govlint/v1
kind: Practice
metadata: {id: desk, name: Desk}
spec:
  purpose: Desk.
  owner: person:eve
  processes: [process:incident, [process:other], {id: x}]
"""
    repo = make_repo(tmp_path / "repo", files)
    check = run_govlint("check", "--format", "json", "--today", TODAY, cwd=repo)
    assert "GOV002" in {d["code"] for d in json.loads(check.stdout)["diagnostics"]}
    done = run_govlint("report", "summary", "--today", TODAY, cwd=repo)
    assert done.returncode == 0, done.stderr
    assert "## Process map" in done.stdout and "n_practice__desk" in done.stdout
    assert run_govlint("report", "map", cwd=repo).returncode == 0


@pytest.mark.parametrize(
    ("kind", "formats"),
    [
        ("raci", ("md", "csv", "json", "html")),
        ("roles", ("md", "csv", "json")),
        ("load", ("md", "csv", "json")),
    ],
)
def test_no_report_on_standard_output_carries_a_workflow_command(
    hostile: Path, kind: str, formats: tuple[str, ...]
) -> None:
    for fmt in formats:
        args = (kind, "--format", fmt, *(("--layout", "grid") if fmt == "csv" and kind == "raci" else ()))
        text = report(hostile, *args)
        assert "zed" in text
        assert "##[" not in text
        assert not [line for line in re.split(r"[\r\n]", text) if line.lstrip().startswith("::")]
