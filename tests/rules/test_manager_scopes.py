import pytest

from governance_lint.testing import lint, positions

HEAD = """\
apiVersion: govlint/v1
kind: Process
metadata: {id: incident-management}
spec:
  purpose: Restore normal service operation.
  owner: person:mrs-davis
  managers:
"""


@pytest.mark.parametrize(
    ("managers", "expected"),
    [
        pytest.param("    - person: person:windy\n", [], id="one-without-scope"),
        pytest.param(
            "    - person: person:windy\n      scope: Service Desk\n"
            "    - person: person:tamika\n      scope: Messaging\n",
            [],
            id="distinct",
        ),
        pytest.param(
            "    - person: person:windy\n      scope: Service Desk\n    - person: person:tamika\n",
            [("GOV104", 10, 7)],
            id="second-unscoped",
        ),
        pytest.param(
            "    - person: person:windy\n    - person: person:tamika\n",
            [("GOV104", 8, 7), ("GOV104", 9, 7)],
            id="both-unscoped",
        ),
        pytest.param(
            "    - person: person:windy\n      scope: '  '\n"
            "    - person: person:tamika\n      scope: Messaging\n",
            [("GOV104", 8, 7)],
            id="blank-scope",
        ),
        pytest.param(
            "    - person: person:windy\n      scope: Service Desk\n"
            "    - person: person:tamika\n      scope: Messaging\n"
            "    - person: person:guy\n      scope: service  desk\n",
            [("GOV104", 12, 7)],
            id="shared-scope-later-reported",
        ),
        pytest.param(
            "    - {person: person:windy, scope: [1]}\n    - {person: person:tamika, scope: A}\n",
            [("GOV104", 8, 7)],
            id="scope-not-text",
        ),
        pytest.param(
            "    - person:windy\n    - person: person:tamika\n", [], id="string-item-left-to-schema"
        ),
    ],
)
def test_manager_scopes(managers: str, expected: list[tuple[str, int, int]]) -> None:
    assert positions(lint(HEAD + managers, select=["GOV104"])) == expected


def test_shared_scope_names_the_first_manager() -> None:
    found = lint(
        HEAD + "    - {person: person:windy, scope: Service Desk}\n"
        "    - {person: person:tamika, scope: SERVICE DESK}\n",
        select=["GOV104"],
    )
    assert len(found) == 1
    assert "person:windy" in found[0].message and "line 8" in found[0].message


@pytest.mark.parametrize(
    "managers", ["  managers: person:windy\n", "  managers: {person: x}\n", "  managers: [1, null, []]\n"]
)
def test_invalid_shapes_do_not_crash(managers: str) -> None:
    text = HEAD.replace("  managers:\n", managers)
    assert lint(text, select=["GOV104"]) == []
