"""The output formats, fed hand-made diagnostics, rules and summaries."""

from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from governance_lint.api import Rule, Severity, document_rule
from governance_lint.model import Diagnostic, Summary
from governance_lint.reporters import FORMATS, Report, render
from governance_lint.reporters.base import MAX_MESSAGE, safe_text, summary_line
from governance_lint.reporters.github import escape_property
from governance_lint.reporters.sarif import FINGERPRINT_KEY, doc_markdown, split_doc

SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"

SINGLE_OWNER_DOC = """\
What it checks
--------------
A Process, Practice or Service names exactly one owner,
and that owner is a Person.

Why it matters
--------------
Accountability that is shared is accountability that nobody holds.

Example (fails)
---------------
    apiVersion: govlint/v1
    kind: Process
    spec:
      owner: [person:a, person:b]

Use instead (passes)
--------------------
    apiVersion: govlint/v1
    kind: Process
    spec:
      owner: person:a

Options
-------
None.
"""


def _noop(doc: Any, ctx: Any) -> None:
    pass


SINGLE_OWNER = document_rule(
    code="GOV101",
    name="single-owner",
    severity=Severity.ERROR,
    summary="one accountable owner per process",
    doc=SINGLE_OWNER_DOC,
)(_noop)
# Undocumented (the decorator would fall back to this module's docstring).
HAS_MANAGER = dataclasses.replace(
    document_rule(code="GOV103", name="has-manager", severity="warning", summary="a process names a manager")(
        _noop
    ),
    doc="",
)
REVIEW_OVERDUE = document_rule(
    code="GOV502",
    name="review-overdue",
    severity=Severity.INFO,
    summary="documents are reviewed on time",
    doc="## What it checks\n`lastReviewed` is recent.\n\n## Example (fails)\n```yaml\nmetadata: {}\n```",
)(_noop)
RULES = (SINGLE_OWNER, HAS_MANAGER, REVIEW_OVERDUE)


def diag(
    path: str = "processes/incident.yaml",
    line: int = 7,
    column: int = 3,
    rule: Rule = SINGLE_OWNER,
    message: str = "process 'incident-management' has no owner",
    *,
    severity: Severity | None = None,
    entity: str | None = "process:incident-management",
    node: str | None = "spec/owner",
) -> Diagnostic:
    return Diagnostic(
        path=path,
        line=line,
        column=column,
        code=rule.code,
        name=rule.name,
        severity=severity or rule.severity,
        message=message,
        entity=entity,
        node=node,
    )


DIAGNOSTICS = (
    diag(),
    diag(
        line=12,
        column=5,
        rule=HAS_MANAGER,
        message="process 'incident-management' names no manager",
        node="spec",
    ),
    diag(
        path="processes/problem.yaml",
        line=3,
        column=1,
        rule=REVIEW_OVERDUE,
        message="never reviewed",
        entity="process:problem-management",
        node="metadata",
    ),
)
SUMMARY = Summary(files=14, documents=41, skipped=2, errors=1, warnings=1, infos=1, files_with_findings=2)


def make_report(
    diagnostics: tuple[Diagnostic, ...] = DIAGNOSTICS,
    summary: Summary = SUMMARY,
    rules: tuple[Rule, ...] = RULES,
) -> Report:
    return Report(
        diagnostics=diagnostics,
        summary=summary,
        rules=rules,
        tool_version="0.1.0",
        root="/home/ci/governance repo",
    )


def rendered(fmt: str, report: Report | None = None, *, color: bool = False) -> str:
    stream = io.StringIO()
    render(fmt, report or make_report(), stream, color=color)
    return stream.getvalue()


# --- text ---------------------------------------------------------------------------------------


def test_text_lines_and_summary() -> None:
    assert rendered("text").splitlines() == [
        "processes/incident.yaml:7:3: error GOV101 process 'incident-management' has no owner [single-owner]",
        "processes/incident.yaml:12:5: warning GOV103 process 'incident-management' names no manager "
        "[has-manager]",
        "processes/problem.yaml:3:1: info GOV502 never reviewed [review-overdue]",
        "1 error, 1 warning, 1 info in 2 of 14 files (41 documents, 2 skipped)",
    ]


@pytest.mark.parametrize(
    ("summary", "line"),
    [
        (
            Summary(files=14, documents=41, skipped=2, errors=3, warnings=1, files_with_findings=2),
            "3 errors, 1 warning in 2 of 14 files (41 documents, 2 skipped)",
        ),
        (Summary(files=14, documents=41, skipped=2), "no problems in 14 files (41 documents, 2 skipped)"),
        (Summary(files=1, documents=1), "no problems in 1 file (1 document)"),
        (Summary(files=0, documents=0), "no problems in 0 files (0 documents)"),
        (
            Summary(files=3, documents=5, warnings=2, infos=4, files_with_findings=1),
            "2 warnings, 4 infos in 1 of 3 files (5 documents)",
        ),
        (
            Summary(
                files=30, documents=40, errors=1, files_with_findings=1, held_back=28, fix_first="people.yaml"
            ),
            (
                "1 error in 1 of 30 files (40 documents); 28 unresolved references held back until people.yaml loads: "
                "fix it first"
            ),
        ),
        (
            Summary(files=2, documents=2, baseline_hidden=1),
            "no problems in 2 files (2 documents); 1 finding hidden by the baseline",
        ),
        (
            Summary(
                files=2,
                documents=2,
                errors=1,
                files_with_findings=1,
                held_back=1,
                fix_first="a.yaml",
                baseline_hidden=3,
            ),
            (
                "1 error in 1 of 2 files (2 documents); 1 unresolved reference held back until a.yaml loads: "
                "fix it first; 3 findings hidden by the baseline"
            ),
        ),
    ],
)
def test_summary_line_wording(summary: Summary, line: str) -> None:
    assert summary_line(summary) == line


def test_text_without_color_has_no_escapes() -> None:
    assert "\x1b" not in rendered("text")


def test_text_with_color() -> None:
    out = rendered("text", color=True)
    first, *_, last = out.splitlines()
    assert "\x1b[1;31merror\x1b[0m" in first
    assert last.startswith("\x1b[1;31m") and last.endswith("\x1b[0m")
    # Stripped of its colours, the line is the plain one.
    plain = rendered("text").splitlines()
    import re

    assert [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in out.splitlines()] == plain


def test_clean_run_summary_is_green_in_color() -> None:
    report = make_report((), Summary(files=2, documents=2))
    assert rendered("text", report, color=True) == "\x1b[32mno problems in 2 files (2 documents)\x1b[0m\n"


HOSTILE = "value '\x1b[31mred\x1b[0m' and \u202eevil\u202c, line\nbreak\r\x00\x7f\x9b\u2066\u200f"


def test_text_escapes_terminal_and_bidi_controls() -> None:
    out = rendered("text", make_report((diag(message=HOSTILE, path="a\x1b]0;title\x07.yaml"),)))
    lines = out.splitlines()
    assert len(lines) == 2  # the newline in the message did not start a line
    assert lines[0] == (
        "a\\x1b]0;title\\x07.yaml:7:3: error GOV101 value '\\x1b[31mred\\x1b[0m' and \\u202eevil\\u202c, "
        "line\\nbreak\\r\\x00\\x7f\\x9b\\u2066\\u200f [single-owner]"
    )
    for char in "\x1b\u202e\u202c\r\x00\x7f\x9b\u2066\u200f":
        assert char not in out


def test_text_keeps_ordinary_unicode() -> None:
    out = rendered("text", make_report((diag(message="Störung – “incident” 事件"),)))
    assert "Störung – “incident” 事件 [single-owner]" in out


def test_text_never_starts_a_line_with_a_workflow_command() -> None:
    out = rendered("text", make_report((diag(path="::error::x.yaml"),)))
    assert out.startswith("./::error::x.yaml:7:3: ")


def test_long_message_is_cut_with_ellipsis() -> None:
    out = rendered("text", make_report((diag(message="x" * 5000),))).splitlines()[0]
    message = out.split(" GOV101 ", 1)[1].rsplit(" [", 1)[0]
    assert len(message) == MAX_MESSAGE and message.endswith("…")


def test_cut_never_splits_an_escape() -> None:
    text = "a" * (MAX_MESSAGE - 4) + "\x1b" * 10
    cut = safe_text(text)
    assert len(cut) <= MAX_MESSAGE and cut.endswith("a…")


@pytest.mark.parametrize("length", [MAX_MESSAGE - 1, MAX_MESSAGE])
def test_message_at_the_limit_is_kept(length: int) -> None:
    assert safe_text("y" * length) == "y" * length
    assert safe_text("y" * (length - 1) + "\n", keep_newlines=True) == "y" * (length - 1) + "\n"


# --- github -------------------------------------------------------------------------------------


def test_github_commands() -> None:
    assert rendered("github").splitlines() == [
        "::error file=processes/incident.yaml,line=7,col=3,title=GOV101 single-owner::"
        "process 'incident-management' has no owner",
        "::warning file=processes/incident.yaml,line=12,col=5,title=GOV103 has-manager::"
        "process 'incident-management' names no manager",
        "::notice file=processes/problem.yaml,line=3,col=1,title=GOV502 review-overdue::never reviewed",
        "1 error, 1 warning, 1 info in 2 of 14 files (41 documents, 2 skipped)",
    ]


def test_github_escaping() -> None:
    report = make_report((diag(path="odd dir/a,b:c%.yaml", message="100% sure\r\nsee: a, b " + HOSTILE),))
    line = rendered("github", report).splitlines()[0]
    assert line.startswith("::error file=odd dir/a%2Cb%3Ac%25.yaml,line=7,col=3,title=GOV101 single-owner::")
    message = line.split("::", 2)[2]
    assert message.startswith("100%25 sure%0D%0Asee: a, b value '\\x1b[31mred")
    assert "line%0Abreak%0D\\x00\\x7f\\x9b\\u2066\\u200f" in message
    for char in "\x1b\u202e\r\x00\x7f\x9b":
        assert char not in line
    assert escape_property("a:b,c%d\ne") == "a%3Ab%2Cc%25d%0Ae"


def test_github_cuts_long_messages() -> None:
    line = rendered("github", make_report((diag(message="z" * 2000),))).splitlines()[0]
    assert line.endswith("z…") and len(line.split("::", 2)[2]) == MAX_MESSAGE


# --- json ---------------------------------------------------------------------------------------


def test_json_structure() -> None:
    data = json.loads(rendered("json"))
    assert list(data) == ["version", "summary", "diagnostics"]
    assert data["version"] == 1
    assert data["summary"] == {
        "files": 14,
        "documents": 41,
        "skipped": 2,
        "errors": 1,
        "warnings": 1,
        "infos": 1,
        "held_back": 0,
        "fix_first": None,
        "baseline_hidden": 0,
    }
    assert data["diagnostics"][0] == {
        "code": "GOV101",
        "name": "single-owner",
        "severity": "error",
        "message": "process 'incident-management' has no owner",
        "path": "processes/incident.yaml",
        "line": 7,
        "column": 3,
        "entity": "process:incident-management",
        "node": "spec/owner",
    }
    assert [Diagnostic.from_dict(raw) for raw in data["diagnostics"]] == list(DIAGNOSTICS)


def test_json_keeps_full_message_but_no_raw_controls() -> None:
    long = HOSTILE + "q" * 3000
    out = rendered("json", make_report((diag(message=long),)))
    assert json.loads(out)["diagnostics"][0]["message"] == long
    for char in "\x1b\u202e\u202c\r\x00\x7f\x9b\u2066\u200f":
        assert char not in out
    assert "\\u202e" in out and "Störung" in rendered("json", make_report((diag(message="Störung"),)))


def test_json_empty_run() -> None:
    data = json.loads(rendered("json", make_report((), Summary())))
    assert data == {
        "version": 1,
        "diagnostics": [],
        "summary": {
            **dict.fromkeys(
                (
                    "files",
                    "documents",
                    "skipped",
                    "errors",
                    "warnings",
                    "infos",
                    "held_back",
                    "baseline_hidden",
                ),
                0,
            ),
            "fix_first": None,
        },
    }


# --- sarif --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sarif_validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)  # draft-04, as the schema declares
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def sarif(report: Report | None = None) -> dict[str, Any]:
    return json.loads(rendered("sarif", report))  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    "report",
    [
        make_report(),
        make_report((), Summary(), ()),
        make_report(
            (diag(path="dir with space/ü#1.yaml", message=HOSTILE, line=0, column=0, entity=None, node=None),)
        ),
        # A finding whose rule is not among those that ran still gets a descriptor.
        make_report(
            (
                Diagnostic(
                    path="bad.yaml",
                    line=1,
                    column=1,
                    code="GOV001",
                    name="yaml-syntax",
                    severity=Severity.ERROR,
                    message="mapping values are not allowed here",
                ),
            )
        ),
    ],
    ids=["findings", "empty", "hostile", "unknown-rule"],
)
def test_sarif_is_valid(sarif_validator: jsonschema.protocols.Validator, report: Report) -> None:
    log = sarif(report)
    errors = sorted(sarif_validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    for result in log["runs"][0]["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_sarif_content() -> None:
    log = sarif()
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-schema-2.1.0.json")
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("govlint", "0.1.0")
    assert driver["informationUri"].startswith("https://")
    assert [r["id"] for r in driver["rules"]] == ["GOV101", "GOV103", "GOV502"]
    rule = driver["rules"][0]
    assert rule["name"] == "single-owner"
    assert rule["shortDescription"] == {"text": "one accountable owner per process"}
    assert rule["fullDescription"]["text"] == (
        "A Process, Practice or Service names exactly one owner, and that owner is a Person."
    )
    assert rule["helpUri"] == "https://govlint.dev/rules/GOV101"
    assert rule["help"]["text"].startswith("What it checks\nA Process, Practice or Service names")
    assert "Example (fails)\n    apiVersion: govlint/v1\n    kind: Process\n" in rule["help"]["text"]
    assert "## Why it matters" in rule["help"]["markdown"]
    assert (
        "```yaml\napiVersion: govlint/v1\nkind: Process\nspec:\n  owner: [person:a, person:b]\n```"
        in (rule["help"]["markdown"])
    )
    assert [r["defaultConfiguration"]["level"] for r in driver["rules"]] == ["error", "warning", "note"]
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": "file:///home/ci/governance%20repo/"}}
    first = run["results"][0]
    assert first["ruleId"] == "GOV101" and first["ruleIndex"] == 0 and first["level"] == "error"
    assert first["message"] == {"text": "process 'incident-management' has no owner"}
    assert first["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "processes/incident.yaml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 7, "startColumn": 3},
    }
    assert [r["level"] for r in run["results"]] == ["error", "warning", "note"]


def test_sarif_percent_encodes_paths() -> None:
    log = sarif(make_report((diag(path="dir with space/ü#1:x.yaml"),)))
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location["uri"] == "dir%20with%20space/%C3%BC%231%3Ax.yaml"


def _fingerprints(report: Report) -> list[str]:
    return [r["partialFingerprints"][FINGERPRINT_KEY] for r in sarif(report)["runs"][0]["results"]]


def test_fingerprints_are_stable() -> None:
    first = _fingerprints(make_report())
    assert first == _fingerprints(make_report())
    assert len(set(first)) == len(first)
    moved = tuple(dataclasses.replace(d, line=d.line + 40, column=d.column + 2) for d in DIAGNOSTICS)
    assert _fingerprints(make_report(moved)) == first
    reworded = tuple(dataclasses.replace(d, message=d.message + " (reworded)") for d in DIAGNOSTICS)
    assert _fingerprints(make_report(reworded)) == first


def test_fingerprints_change_with_what_the_finding_is_about() -> None:
    base = _fingerprints(make_report((diag(),)))
    for changed in (
        diag(node="spec/managers"),
        diag(entity="process:other"),
        diag(path="other.yaml"),
        diag(rule=HAS_MANAGER),
    ):
        assert _fingerprints(make_report((changed,))) != base


def test_repeated_findings_on_one_node_get_distinct_fingerprints() -> None:
    prints = _fingerprints(make_report((diag(message="first"), diag(line=9, message="second"))))
    assert prints[0] != prints[1]
    assert prints[0].split(":")[0] == prints[1].split(":")[0]


def test_split_doc_reads_markdown_and_underlined_headings() -> None:
    sections = split_doc(REVIEW_OVERDUE.doc)
    assert [heading for heading, _ in sections] == ["What it checks", "Example (fails)"]
    assert doc_markdown(sections).count("```") == 2  # an existing fence is not fenced again
    sections = split_doc(SINGLE_OWNER_DOC)
    assert [heading for heading, _ in sections] == [
        "What it checks",
        "Why it matters",
        "Example (fails)",
        "Use instead (passes)",
        "Options",
    ]


def test_markdown_doc_becomes_plain_help_text() -> None:
    help_text = sarif()["runs"][0]["tool"]["driver"]["rules"][2]["help"]
    assert (
        help_text["text"] == "What it checks\n`lastReviewed` is recent.\n\nExample (fails)\n    metadata: {}"
    )
    assert help_text["markdown"] == REVIEW_OVERDUE.doc.replace("checks\n", "checks\n\n").replace(
        "(fails)\n", "(fails)\n\n"
    )


def test_rule_without_doc_gets_its_summary_as_help() -> None:
    rule = sarif()["runs"][0]["tool"]["driver"]["rules"][1]
    assert rule["help"] == {"text": "a process names a manager"}
    assert rule["fullDescription"] == {"text": "a process names a manager"}


def test_yaml_key_in_an_example_is_not_a_heading() -> None:
    sections = split_doc("Example (fails)\n    options:\n      x: 1\nOptions\nNone.")
    assert [heading for heading, _ in sections] == ["Example (fails)", "Options"]


# --- all formats --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_ends_with_a_newline(fmt: str) -> None:
    assert rendered(fmt).endswith("\n")


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        rendered("xml")


def test_the_cli_offers_every_format_the_reporters_have() -> None:
    from governance_lint import cli, reporters

    assert cli.FORMATS == reporters.FORMATS
