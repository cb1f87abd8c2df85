"""Inline ``# govlint:`` suppressions and GOV006 for those that suppress nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from adoption_repo import (
    CLOSE_LINE,
    CLOSE_PROCEDURE,
    IDENTIFY_LINE,
    PEOPLE,
    PROCESS,
    found,
    govlint,
    write_repo,
)

from governance_lint.suppress import collect_suppressions
from governance_lint.testing import lint, positions

IDENTIFY = "    - id: identify\n"
CLOSE = "    - id: close\n"
NO_CLOSE_PROCEDURE = PROCESS.replace(CLOSE_PROCEDURE, "")  # GOV203 at identify and close


def above(text: str, line: str, comment: str) -> str:
    """``text`` with ``comment`` alone on the line above ``line``, at its indentation."""
    indent = line[: len(line) - len(line.lstrip())]
    return text.replace(line, f"{indent}{comment}\n{line}", 1)


def trailing(text: str, line: str, comment: str) -> str:
    return text.replace(line, f"{line.rstrip()}  {comment}\n", 1)


def check(process: str, select: list[str] | None = None) -> list[tuple[str, int, int]]:
    """Findings in process.yaml, the people and policy around it."""
    diagnostics = lint({"people.yaml": PEOPLE, "process.yaml": process}, select=select)
    return positions(d for d in diagnostics if d.path == "process.yaml")


def test_the_repository_has_one_finding_at_identify() -> None:
    assert check(PROCESS) == [("GOV203", IDENTIFY_LINE, 7)]
    assert check(NO_CLOSE_PROCEDURE) == [("GOV203", IDENTIFY_LINE, 7), ("GOV203", CLOSE_LINE, 7)]


@pytest.mark.parametrize(
    ("process", "expected"),
    [
        # alone on the line above the activity: that activity only, the other one still reported
        (
            above(NO_CLOSE_PROCEDURE, IDENTIFY, "# govlint: ignore[GOV203] -- legacy"),
            [("GOV203", CLOSE_LINE + 1, 7)],
        ),
        # on the activity's own line, by name
        (
            trailing(NO_CLOSE_PROCEDURE, IDENTIFY, "# govlint: ignore[activity-has-procedure]"),
            [("GOV203", CLOSE_LINE, 7)],
        ),
        # above the second activity
        (above(NO_CLOSE_PROCEDURE, CLOSE, "# govlint: ignore[GOV203]"), [("GOV203", IDENTIFY_LINE, 7)]),
        # on the key holding the activities: every activity inside
        (trailing(NO_CLOSE_PROCEDURE, "  activities:\n", "# govlint: ignore[GOV2]"), []),
        # a stack of comments above the node: the suppression still reaches it
        (
            above(
                above(NO_CLOSE_PROCEDURE, IDENTIFY, "# govlint: ignore[GOV203]"),
                "    # govlint: ignore[GOV203]\n",
                "# the identify activity is documented in the wiki",
            ),
            [("GOV203", CLOSE_LINE + 2, 7)],
        ),
        # a whole file, from anywhere in it
        (NO_CLOSE_PROCEDURE + "# govlint: ignore-file[GOV203] -- the wiki has the procedures\n", []),
        # "off" and "false", as in config, for the whole file
        (NO_CLOSE_PROCEDURE + "# govlint: activity-has-procedure: off\n", []),
        (NO_CLOSE_PROCEDURE + "# govlint: GOV203: false, GOV2: off -- wiki\n", []),
        # ... and GOV101 finds nothing in the file: that part of the comment is unused
        (NO_CLOSE_PROCEDURE + "# govlint: GOV203: false, GOV101: off -- wiki\n", [("GOV006", 28, 1)]),
        # another rule named: nothing hidden (and, GOV101 finding nothing, GOV006 at the comment)
        (
            above(NO_CLOSE_PROCEDURE, IDENTIFY, "# govlint: ignore[single-owner]"),
            [("GOV006", IDENTIFY_LINE, 5), ("GOV203", IDENTIFY_LINE + 1, 7), ("GOV203", CLOSE_LINE + 1, 7)],
        ),
        # "#" inside a quoted string is text, not a comment
        (
            PROCESS.replace(
                "    - id: identify\n", "    - id: identify\n      note: 'x  # govlint: ignore[GOV203]'\n"
            ),
            [("GOV203", IDENTIFY_LINE, 7)],
        ),
        # a "govlint:" later in an ordinary comment is not a directive
        (
            trailing(PROCESS, IDENTIFY, "# see the wiki # govlint: ignore[GOV203]"),
            [("GOV203", IDENTIFY_LINE, 7)],
        ),
    ],
    ids=[
        "above-item",
        "on-item-by-name",
        "above-second-item",
        "on-parent-key-prefix",
        "stacked-comments",
        "ignore-file",
        "off",
        "false-and-prefix",
        "unused-part",
        "other-rule",
        "inside-quotes",
        "not-comment-start",
    ],
)
def test_suppression_covers_its_node(process: str, expected: list[tuple[str, int, int]]) -> None:
    found = check(process)
    assert [f for f in found if f[0] != "GOV002"] == expected


NO_ACCOUNTABLE = PROCESS.replace("        accountable: person:windy\n", "", 1)  # GOV202 at raci, 17:7


@pytest.mark.parametrize(
    ("comment", "expected"),
    [
        ("# govlint: ignore[GOV203] -- legacy", [("GOV202", IDENTIFY_LINE + 4, 7)]),
        ("# govlint: ignore[single-accountable] -- legacy", [("GOV203", IDENTIFY_LINE + 1, 7)]),
        ("# govlint: ignore[GOV202, GOV203] -- legacy", []),
    ],
)
def test_suppression_hides_only_the_named_rules_anywhere_inside_the_node(
    comment: str, expected: list[tuple[str, int, int]]
) -> None:
    assert check(above(NO_ACCOUNTABLE, IDENTIFY, comment)) == expected


def test_crlf_line_ends() -> None:
    process = above(NO_CLOSE_PROCEDURE, IDENTIFY, "# govlint: ignore[GOV203]").replace("\n", "\r\n")
    assert check(process) == [("GOV203", CLOSE_LINE + 1, 7)]


@pytest.mark.parametrize(
    ("process", "select", "expected"),
    [
        # the activity has its procedure: the suppression hides nothing
        (
            above(PROCESS, CLOSE, "# govlint: ignore[GOV203] -- legacy"),
            None,
            [("GOV203", IDENTIFY_LINE, 7), ("GOV006", CLOSE_LINE, 5)],
        ),
        # at the comment's column when it trails a line
        (
            trailing(PROCESS, CLOSE, "# govlint: ignore[GOV203]"),
            None,
            [("GOV203", IDENTIFY_LINE, 7), ("GOV006", CLOSE_LINE, 18)],
        ),
        (
            PROCESS + "# govlint: ignore-file[GOV101]\n",
            None,
            [("GOV203", IDENTIFY_LINE, 7), ("GOV006", 29, 1)],
        ),
        # a rule that did not run is not judged (a per-rule pre-commit hook)
        (above(PROCESS, CLOSE, "# govlint: ignore[GOV203]"), ["GOV006"], []),
        (above(PROCESS, CLOSE, "# govlint: ignore[GOV203]"), ["GOV203"], [("GOV203", IDENTIFY_LINE, 7)]),
        # misspelt, malformed, empty
        (
            above(PROCESS, IDENTIFY, "# govlint: ignore[activity-has-procedures]"),
            ["GOV006"],
            [("GOV006", IDENTIFY_LINE, 5)],
        ),
        (
            above(PROCESS, IDENTIFY, "# govlint: please ignore GOV203"),
            ["GOV006"],
            [("GOV006", IDENTIFY_LINE, 5)],
        ),
        (above(PROCESS, IDENTIFY, "# govlint: ignore[]"), ["GOV006"], [("GOV006", IDENTIFY_LINE, 5)]),
        (
            above(PROCESS, IDENTIFY, "# govlint: ignore[GOV203] because"),
            ["GOV006"],
            [("GOV006", IDENTIFY_LINE, 5)],
        ),
        # GOV006 can itself be suppressed; a GOV006 suppression that hides nothing is reported
        (
            above(PROCESS, CLOSE, "# govlint: ignore[GOV203]")
            + "# govlint: ignore-file[unused-suppression]\n",
            None,
            [("GOV203", IDENTIFY_LINE, 7)],
        ),
        (
            PROCESS + "# govlint: ignore-file[GOV006]\n",
            None,
            [("GOV203", IDENTIFY_LINE, 7), ("GOV006", 29, 1)],
        ),
    ],
    ids=[
        "nothing-hidden",
        "trailing-column",
        "file-level",
        "rule-not-run",
        "gov006-not-run",
        "misspelt",
        "not-a-directive",
        "no-rules",
        "text-not-reason",
        "gov006-suppressed",
        "gov006-suppression-unused",
    ],
)
def test_unused_suppression(
    process: str, select: list[str] | None, expected: list[tuple[str, int, int]]
) -> None:
    assert sorted(check(process, select), key=lambda f: f[1]) == sorted(expected, key=lambda f: f[1])


def test_unknown_rule_suggests_the_name() -> None:
    process = above(PROCESS, IDENTIFY, "# govlint: ignore[activity-has-procedures]")
    (finding,) = [d for d in lint({"people.yaml": PEOPLE, "process.yaml": process}) if d.code == "GOV006"]
    assert "did you mean 'activity-has-procedure'?" in finding.message
    assert finding.severity.label == "warning"


def test_only_files_with_the_directive_are_scanned() -> None:
    assert collect_suppressions(PROCESS.encode()) == []
    assert collect_suppressions(b"a: [unclosed\n# govlint: ignore-file[GOV001]\n")[0]["rules"] == ["GOV001"]


def test_broken_file_can_be_waived_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_repo(tmp_path, {"broken.yaml": "a: [unclosed\n# govlint: ignore-file[yaml-syntax] -- vendored\n"})
    monkeypatch.chdir(tmp_path)
    code, report, _ = govlint()
    assert (code, found(report)) == (0, [])


@pytest.mark.parametrize(
    ("comment", "expected"),
    [
        ("# govlint: ignore[GOV203]", [("GOV006", "process.yaml", IDENTIFY_LINE, 5)]),
        ("# govlint: ignore[GOV203] --", [("GOV006", "process.yaml", IDENTIFY_LINE, 5)]),
        ("# govlint: ignore[GOV203] -- the procedures are in the wiki", []),
        ("# govlint: GOV203: off -- the procedures are in the wiki", []),
    ],
)
def test_require_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, comment: str, expected: list[tuple[str, str, int, int]]
) -> None:
    write_repo(
        tmp_path,
        {
            ".govlint.yaml": "require-reason: true\n",
            "people.yaml": PEOPLE,
            "process.yaml": above(PROCESS, IDENTIFY, comment),
        },
    )
    monkeypatch.chdir(tmp_path)
    code, report, _ = govlint()
    assert (code, found(report)) == (0, expected)
    if expected:
        assert "no reason" in report["diagnostics"][0]["message"]  # type: ignore[index]


def test_rule_turned_off_per_file_does_not_make_its_suppression_unused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_repo(
        tmp_path,
        {
            ".govlint.yaml": "per-file: {'legacy/**': {ignore: [GOV2]}}\n",
            "people.yaml": PEOPLE,
            "legacy/process.yaml": above(PROCESS, IDENTIFY, "# govlint: ignore[GOV203]"),
        },
    )
    monkeypatch.chdir(tmp_path)
    code, report, _ = govlint()
    assert (code, found(report)) == (0, [])


def test_suppressions_in_files_not_reported_are_not_judged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_repo(
        tmp_path, {"people.yaml": PEOPLE, "process.yaml": above(PROCESS, CLOSE, "# govlint: ignore[GOV203]")}
    )
    monkeypatch.chdir(tmp_path)
    code, report, _ = govlint("people.yaml")
    assert (code, found(report)) == (0, [])
    code, report, _ = govlint("process.yaml")
    assert found(report) == [
        ("GOV203", "process.yaml", IDENTIFY_LINE, 7),
        ("GOV006", "process.yaml", CLOSE_LINE, 5),
    ]
