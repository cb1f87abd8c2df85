import pytest

from governance_lint.testing import lint, positions

# The activity item is line 8 (column 7); `raci:` line 9; `responsible:` line 10 (column 9).
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
        pytest.param("      raci:\n        responsible: [team:service-desk]\n", [], id="team"),
        pytest.param(
            "      raci:\n        responsible: [person:windy, team:service-desk]\n", [], id="person-and-team"
        ),
        pytest.param("      name: Identify\n", [("GOV201", 8, 7)], id="no-raci-at-the-item"),
        pytest.param(
            "      raci:\n        accountable: person:windy\n",
            [("GOV201", 9, 7)],
            id="no-responsible-at-raci",
        ),
        pytest.param("      raci:\n        responsible: []\n", [("GOV201", 10, 9)], id="empty"),
        pytest.param("      raci:\n        responsible:\n", [("GOV201", 10, 9)], id="null-at-the-key"),
        pytest.param("      raci:\n        responsible: [null, '']\n", [("GOV201", 10, 9)], id="only-blanks"),
        pytest.param(
            "      raci:\n        responsible: [policy:x]\n", [("GOV201", 10, 23)], id="policy-at-the-item"
        ),
        pytest.param(
            "      raci:\n        responsible:\n          - team:service-desk\n          - policy:x\n",
            [("GOV201", 12, 13)],
            id="second-block-item",
        ),
        pytest.param(
            "      raci:\n        responsible: [Person:windy]\n",
            [("GOV201", 10, 23)],
            id="kind-is-lower-case",
        ),
        pytest.param(
            "      raci:\n        responsible: [person:nobody]\n", [], id="names-nobody-is-gov005-only"
        ),
        pytest.param("      raci:\n        responsible: person:windy\n", [], id="lone-string-left-to-schema"),
        pytest.param("      raci:\n        responsible: policy:x\n", [("GOV201", 10, 22)], id="lone-policy"),
        pytest.param("      raci:\n        responsible: [42]\n", [("GOV201", 10, 23)], id="number"),
        pytest.param(
            "      raci:\n        responsible: [[team:service-desk]]\n",
            [("GOV201", 10, 23)],
            id="nested-list",
        ),
        pytest.param(
            "      raci:\n        responsible: {team: service-desk}\n",
            [("GOV201", 10, 9)],
            id="mapping-at-the-key",
        ),
        pytest.param("      raci: team:service-desk\n", [("GOV201", 9, 7)], id="raci-a-string"),
        pytest.param("      raci: [team:service-desk]\n", [("GOV201", 9, 7)], id="raci-a-list"),
    ],
)
def test_activity_has_practitioner(activity: str, expected: list[tuple[str, int, int]]) -> None:
    assert positions(lint(HEAD + activity, select=["GOV201"])) == expected


@pytest.mark.parametrize(
    "activities",
    [
        "  activities: identify\n",
        "  activities: [1, null, [x]]\n",
        "  activities: {id: x}\n",
        "  activities:\n",
    ],
)
def test_invalid_shapes_do_not_crash(activities: str) -> None:
    text = HEAD.replace("  activities:\n    - id: identify\n", activities)
    assert lint(text, select=["GOV201"]) == []


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("Practice", [("GOV201", 8, 7)]),
        ("Service", []),
    ],
)
def test_kinds(kind: str, expected: list[tuple[str, int, int]]) -> None:
    assert positions(lint(HEAD.replace("kind: Process", f"kind: {kind}"), select=["GOV201"])) == expected


def test_nobody_is_unresolved_not_unpractised() -> None:
    people = "apiVersion: govlint/v1\nkind: Person\nmetadata: {id: windy}\nspec: {email: w@example.org}\n"
    found = lint(
        {
            "people.yaml": people,
            "p.yaml": HEAD.replace("person:mrs-davis", "person:windy")
            + "      raci:\n        responsible: [person:nobody]\n",
        },
        select=["GOV005", "GOV201"],
    )
    assert [(d.code, d.path, d.line, d.column) for d in found] == [("GOV005", "p.yaml", 10, 23)]


def test_each_activity_is_checked_and_named() -> None:
    text = HEAD + (
        "      raci: {responsible: [team:service-desk]}\n"
        "    - id: log\n"
        "    - name: Close\n"
        "      raci: {responsible: [policy:x]}\n"
    )
    found = lint(text, select=["GOV201"])
    assert positions(found) == [("GOV201", 10, 7), ("GOV201", 12, 28)]
    assert "activity 'log' has no Responsible" in found[0].message
    assert "'policy:x' of activity '#3' is not a person or a team" in found[1].message
