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
        pytest.param(
            "      raci:\n        responsible: [team:service-desk]\n        accountable: person:windy\n",
            [],
            id="one-person",
        ),
        pytest.param(
            "      raci:\n        responsible: [team:service-desk]\n", [("GOV202", 9, 7)], id="missing"
        ),
        pytest.param("      raci:\n        accountable:\n", [("GOV202", 10, 9)], id="null"),
        pytest.param("      raci:\n        accountable: ''\n", [("GOV202", 10, 9)], id="empty-text"),
        pytest.param("      name: Identify\n", [("GOV202", 8, 7)], id="no-raci-at-item"),
        pytest.param(
            "      raci:\n        accountable: [person:windy, person:guy]\n", [("GOV202", 10, 9)], id="two"
        ),
        pytest.param(
            "      raci:\n        accountable: [person:windy]\n", [], id="list-of-one-left-to-schema"
        ),
        pytest.param(
            "      raci:\n        accountable: team:service-desk\n", [("GOV202", 10, 22)], id="team"
        ),
        pytest.param(
            "      raci:\n        accountable:\n          - team:service-desk\n",
            [("GOV202", 11, 13)],
            id="team-in-list",
        ),
        pytest.param("      raci:\n        accountable: 42\n", [("GOV202", 10, 22)], id="not-text"),
        pytest.param("      raci: person:windy\n", [("GOV202", 9, 7)], id="raci-not-a-mapping"),
    ],
)
def test_single_accountable(activity: str, expected: list[tuple[str, int, int]]) -> None:
    assert positions(lint(HEAD + activity, select=["GOV202"])) == expected


@pytest.mark.parametrize(
    "activities", ["  activities: identify\n", "  activities: [1, null, [x]]\n", "  activities: {id: x}\n"]
)
def test_invalid_shapes_do_not_crash(activities: str) -> None:
    text = HEAD.replace("  activities:\n    - id: identify\n", activities)
    assert lint(text, select=["GOV202"]) == []


def test_each_activity_is_checked() -> None:
    text = HEAD + (
        "      raci: {accountable: person:windy}\n"
        "    - id: log\n"
        "      raci: {accountable: [person:windy, person:guy]}\n"
    )
    found = lint(text, select=["GOV202"])
    assert positions(found) == [("GOV202", 11, 14)]
    assert "'log' has 2 Accountables" in found[0].message
