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
            PROCESS + "  escalation: [person:windy, person:mrs-davis, person:cio, person:board]\n",
            [("GOV701", 7, 48), ("GOV701", 7, 60)],
            id="each-step-past-the-owner",
        ),
        pytest.param(
            HEAD + "  owner: [person:mrs-davis]\n  escalation: [person:windy]\n",
            [("GOV701", 7, 16)],
            id="one-owner-in-a-list",
        ),
        pytest.param(
            HEAD + "  owner: [person:a, person:b]\n  escalation: [person:windy]\n",
            [("GOV701", 7, 16)],
            id="several-owners-none-reached",
        ),
        pytest.param(
            HEAD + "  owner: [person:a, person:b]\n  escalation: [person:windy, person:b]\n",
            [],
            id="several-owners-one-reached",
        ),
        pytest.param(
            HEAD + "  owner: [person:a, person:b]\n  escalation: [person:a, person:b]\n",
            [],
            id="one-owner-after-another",
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


@pytest.mark.parametrize(
    ("escalation", "beyond", "expected"),
    [
        pytest.param("[person:windy, person:mrs-davis, person:cio]", ["person:cio"], [], id="allowed"),
        pytest.param(
            "[person:windy, person:mrs-davis, person:cio, person:guy]",
            ["person:cio"],
            [("GOV701", 7, 60)],
            id="one-allowed-one-not",
        ),
        pytest.param(
            "[person:windy, person:mrs-davis, person:cio]", [], [("GOV701", 7, 48)], id="default-allows-none"
        ),
        pytest.param(
            "[person:windy, person:cio]", ["person:cio"], [("GOV701", 7, 30)], id="never-reaches-the-owner"
        ),
    ],
)
def test_beyond_owner(escalation: str, beyond: list[str], expected: list[tuple[str, int, int]]) -> None:
    found = lint(
        PROCESS + f"  escalation: {escalation}\n",
        select=["GOV701"],
        options={"escalation-to-owner": {"beyond-owner": beyond}},
    )
    assert positions(found) == expected


def test_a_step_past_the_owner_is_named() -> None:
    (found,) = lint(PROCESS + "  escalation: [person:mrs-davis, person:cio]\n", select=["GOV701"])
    assert "goes past its owner person:mrs-davis to person:cio" in found.message
    assert "beyond-owner" in found.message


PEOPLE = "".join(
    f"---\napiVersion: govlint/v1\nkind: Person\nmetadata: {{id: {who}}}\nspec: {{email: {who}@example.org}}\n"
    for who in ("mrs-davis", "windy")
)


@pytest.mark.parametrize(
    ("owner", "expected"),
    [
        pytest.param("person:mrs-davis", [], id="resolved-owner-reached"),
        pytest.param("person:mrs-davs", [("GOV005", 6, 10)], id="misspelled-owner-is-gov005-only"),
        pytest.param(
            "[person:mrs-davis, person:nobody]", [("GOV005", 6, 29)], id="one-of-several-owners-misspelled"
        ),
    ],
)
def test_a_misspelled_owner_is_one_finding(owner: str, expected: list[tuple[str, int, int]]) -> None:
    process = HEAD + f"  owner: {owner}\n  escalation: [person:windy, person:mrs-davis]\n"
    found = lint(
        {"people.yaml": PEOPLE, "governance.yaml": process},
        select=["GOV005", "GOV101", "GOV701"],
        options={"single-owner": {"max-owners": 2}},
    )
    assert positions(found) == expected
