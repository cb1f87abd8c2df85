import pytest

from governance_lint.testing import lint, positions

HEAD = """\
apiVersion: govlint/v1
kind: Process
metadata: {id: incident-management}
spec:
  purpose: Restore normal service operation.
  owner: person:mrs-davis
  activities:
"""


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            "    - id: log\n      outputs: [incident-record]\n"
            "    - id: close\n      inputs: [incident-record]\n",
            [],
            id="output-of-another-activity",
        ),
        pytest.param(
            "    - id: close\n      inputs: [incident-record]\n      outputs: [incident-record]\n",
            [],
            id="own-output",
        ),
        pytest.param(
            "    - id: investigate\n      inputs: [known-error]\n"
            "  interfaces:\n    - process: process:problem-management\n      receives: [known-error]\n",
            [],
            id="received-through-interface",
        ),
        pytest.param(
            "    - id: investigate\n      inputs: [Known  Error]\n"
            "  interfaces:\n    - {process: process:problem-management, receives: [known error]}\n",
            [],
            id="case-and-spacing-ignored",
        ),
        pytest.param(
            "    - id: investigate\n      inputs:\n        - incident-record\n        - known-error\n"
            "      outputs: [diagnosis]\n    - id: log\n      outputs: [incident-record]\n",
            [("GOV204", 11, 11)],
            id="unsourced-item",
        ),
        pytest.param(
            "    - id: investigate\n      inputs: [known-error]\n"
            "  interfaces:\n    - process: process:problem-management\n      sends: [known-error]\n",
            [("GOV204", 9, 16)],
            id="sent-is-not-received",
        ),
        pytest.param(
            "    - id: investigate\n      inputs: known-error\n", [("GOV204", 9, 15)], id="lone-string"
        ),
        pytest.param(
            "    - id: investigate\n      inputs: [1, '', null, {a: b}]\n", [], id="non-text-inputs"
        ),
        pytest.param(
            "    - id: investigate\n      inputs: [x]\n      outputs: x\n", [], id="lone-string-output"
        ),
        pytest.param(
            "    - id: investigate\n      inputs: [x]\n  interfaces: [1, {receives: y}, {receives: [x]}]\n",
            [],
            id="odd-interfaces",
        ),
    ],
)
def test_unsourced_input(body: str, expected: list[tuple[str, int, int]]) -> None:
    assert positions(lint(HEAD + body, select=["GOV204"])) == expected


def test_message_names_input_and_activity() -> None:
    found = lint(HEAD + "    - id: investigate\n      inputs: [known-error]\n", select=["GOV204"])
    assert "'known-error'" in found[0].message and "'investigate'" in found[0].message


def test_practice_is_checked() -> None:
    text = HEAD.replace("kind: Process", "kind: Practice") + "    - id: a\n      inputs: [x]\n"
    assert positions(lint(text, select=["GOV204"])) == [("GOV204", 9, 16)]


@pytest.mark.parametrize("activities", ["  activities: identify\n", "  activities: [1, null, [x]]\n"])
def test_invalid_shapes_do_not_crash(activities: str) -> None:
    assert lint(HEAD.replace("  activities:\n", activities), select=["GOV204"]) == []
