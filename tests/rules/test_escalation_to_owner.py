import pytest

from governance_lint.testing import lint, positions

HEAD = """\
apiVersion: govlint/v1
kind: Process
metadata: {id: incident-management}
spec:
  purpose: Restore normal service operation as quickly as possible.
"""
PROCESS = HEAD + "  owner: person:mrs-davis\n"


@pytest.mark.parametrize(
    ("yaml", "expected"),
    [
        pytest.param(PROCESS + "  escalation: [person:windy, person:mrs-davis]\n", [], id="ends-at-owner"),
        pytest.param(PROCESS + "  escalation: [person:mrs-davis]\n", [], id="owner-only"),
        pytest.param(
            PROCESS + "  escalation: [person:windy, person:guy]\n",
            [("GOV701", 7, 30)],
            id="flow-ends-elsewhere",
        ),
        pytest.param(
            PROCESS + "  escalation:\n    - person:windy\n    - team:engineering\n",
            [("GOV701", 9, 7)],
            id="block-ends-at-team",
        ),
        pytest.param(
            PROCESS + "  escalation: [person:mrs-davis, person:windy]\n",
            [("GOV701", 7, 34)],
            id="owner-not-last",
        ),
        pytest.param(PROCESS, [("GOV701", 4, 1)], id="missing-at-spec"),
        pytest.param(PROCESS + "  escalation: []\n", [("GOV701", 7, 3)], id="empty"),
        pytest.param(PROCESS + "  escalation:\n", [("GOV701", 7, 3)], id="null-at-key"),
        pytest.param(PROCESS + "  escalation: person:mrs-davis\n", [], id="string-owner"),
        pytest.param(PROCESS + "  escalation: person:windy\n", [("GOV701", 7, 15)], id="string-elsewhere"),
        pytest.param(PROCESS + "  escalation: {to: person:mrs-davis}\n", [], id="mapping-to-schema"),
        pytest.param(
            PROCESS + "  escalation: [person:windy, {x: 1}]\n", [("GOV701", 7, 30)], id="invalid-last-step"
        ),
        pytest.param(
            HEAD + "  owner: [person:mrs-davis]\n  escalation: [person:windy]\n",
            [("GOV701", 7, 16)],
            id="one-owner-in-a-list",
        ),
        pytest.param(
            HEAD + "  owner: [person:a, person:b]\n  escalation: [person:windy]\n",
            [],
            id="several-owners-left-to-gov101",
        ),
        pytest.param(HEAD + "  escalation: [person:windy]\n", [], id="no-owner-left-to-gov101"),
        pytest.param(HEAD + "  owner: 42\n", [], id="non-string-owner"),
        pytest.param(
            HEAD + "  owner: Mrs. Davis\n  escalation: [person:windy]\n", [], id="name-owner-left-to-gov101"
        ),
        pytest.param(
            HEAD + "  owner: team:service-desk\n  escalation: [person:windy]\n",
            [],
            id="team-owner-left-to-gov101",
        ),
        pytest.param(PROCESS.replace("kind: Process", "kind: Practice"), [("GOV701", 4, 1)], id="practice"),
        pytest.param(
            "apiVersion: govlint/v1\nkind: Service\nmetadata: {id: email}\n"
            "spec: {owner: person:tamika, description: Mail}\n",
            [],
            id="service-not-checked",
        ),
    ],
)
def test_escalation_to_owner(yaml: str, expected: list[tuple[str, int, int]]) -> None:
    assert positions(lint(yaml, select=["GOV701"])) == expected


def test_message_names_last_step_and_owner() -> None:
    (found,) = lint(PROCESS + "  escalation: [person:windy]\n", select=["escalation-to-owner"])
    assert "ends at person:windy, not at its owner person:mrs-davis" in found.message


@pytest.mark.parametrize("owner", ["Mrs. Davis", "team:service-desk", "[person:a, person:b]"])
def test_one_finding_when_the_owner_is_wrong(owner: str) -> None:
    """The escalation rule needs an owner to compare with: single-owner's finding is the only one."""
    found = lint(HEAD + f"  owner: {owner}\n  escalation: [person:windy]\n", select=["GOV101", "GOV701"])
    assert [d.code for d in found] == ["GOV101"]
