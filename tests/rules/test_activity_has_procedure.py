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
    - id: identify
"""


@pytest.mark.parametrize(
    ("activity", "expected"),
    [
        pytest.param("      procedures: [docs/incident/identify.md]\n", [], id="a-path"),
        pytest.param(
            "      procedures:\n        - Search the known error database first.\n", [], id="a-text"
        ),
        pytest.param("      procedures: docs/identify.md\n", [], id="lone-string-left-to-schema"),
        pytest.param("      name: Identify\n", [("GOV203", 8, 7)], id="missing-at-item"),
        pytest.param("      procedures: []\n", [("GOV203", 9, 7)], id="empty-list"),
        pytest.param("      procedures:\n", [("GOV203", 9, 7)], id="null"),
        pytest.param("      procedures: ['', '  ']\n", [("GOV203", 9, 7)], id="only-blank-texts"),
        pytest.param("      procedures: ''\n", [("GOV203", 9, 19)], id="blank-string"),
    ],
)
def test_activity_has_procedure(activity: str, expected: list[tuple[str, int, int]]) -> None:
    assert positions(lint(HEAD + activity, select=["GOV203"])) == expected


def test_every_activity_is_checked_and_named() -> None:
    text = HEAD + "      procedures: [docs/identify.md]\n    - id: log\n    - name: Close\n"
    found = lint(text, select=["GOV203"])
    assert positions(found) == [("GOV203", 10, 7), ("GOV203", 11, 7)]
    assert "'log'" in found[0].message and "'#3'" in found[1].message


@pytest.mark.parametrize("activities", ["  activities: identify\n", "  activities: [1, null, [x]]\n"])
def test_invalid_shapes_do_not_crash(activities: str) -> None:
    text = HEAD.replace("  activities:\n    - id: identify\n", activities)
    assert lint(text, select=["GOV203"]) == []
