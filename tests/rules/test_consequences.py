"""A finding that is only the consequence of another stays quiet (SPEC §3): one mistake, one finding."""

import pytest

from governance_lint.testing import lint, positions

PEOPLE = "".join(
    f"---\napiVersion: govlint/v1\nkind: Person\nmetadata: {{id: {who}}}\nspec: {{email: {who}@example.org}}\n"
    for who in ("mrs-davis", "windy")
)
HEAD = """\
apiVersion: govlint/v1
kind: Process
metadata: {id: incident-management}
spec:
  purpose: Restore normal service operation as quickly as possible.
"""
OWNER = "  owner: person:mrs-davis\n"
MANAGERS = "  managers:\n    - person: person:windy\n"
ESCALATION = "  escalation: [person:windy, person:mrs-davis]\n"
POLICIES = "  policies: [policy:all-incidents-logged]\n"
ACTIVITY = "  activities:\n    - id: log\n      procedures: [Log it.]\n      raci:\n"
RACI = "        responsible: [person:windy]\n        accountable: person:windy\n"
# Every rule that reports a missing field, and the schema
RULES = ["GOV002", "GOV005", "GOV101", "GOV103", "GOV201", "GOV202", "GOV203", "GOV302", "GOV701"]
POLICY = """\
---
apiVersion: govlint/v1
kind: Policy
metadata: {id: all-incidents-logged}
spec: {statement: All incidents are logged., category: process}
"""


def check(process: str) -> list[tuple[str, int, int]]:
    return positions(lint({"people.yaml": PEOPLE + POLICY, "governance.yaml": process}, select=RULES))


def test_the_whole_process_is_clean() -> None:
    assert check(HEAD + OWNER + MANAGERS + ESCALATION + POLICIES + ACTIVITY + RACI) == []


@pytest.mark.parametrize(
    ("process", "expected"),
    [
        pytest.param(
            HEAD + OWNER + MANAGERS.replace("managers", "Managers") + ESCALATION + POLICIES,
            [("GOV002", 7, 3)],
            id="Managers-is-not-also-no-manager",
        ),
        pytest.param(
            HEAD + OWNER + MANAGERS.replace("managers", "mangers") + ESCALATION + POLICIES,
            [("GOV002", 7, 3)],
            id="mangers-is-not-also-no-manager",
        ),
        pytest.param(
            HEAD
            + OWNER
            + "  managers: []\n"
            + MANAGERS.replace("managers", "Managers")
            + ESCALATION
            + POLICIES,
            [("GOV103", 7, 3), ("GOV002", 8, 3)],
            id="an-empty-field-beside-its-misspelling-is-still-reported",
        ),
        pytest.param(
            HEAD + OWNER + MANAGERS + ESCALATION + POLICIES + ACTIVITY + RACI.replace("responsible", "R"),
            [("GOV002", 15, 9)],
            id="R-is-not-also-no-responsible",
        ),
        pytest.param(
            HEAD
            + OWNER
            + MANAGERS
            + ESCALATION
            + POLICIES
            + ACTIVITY
            + RACI.replace("responsible", "R").replace("accountable", "A"),
            [("GOV002", 15, 9), ("GOV002", 16, 9)],
            id="R-and-A-are-not-also-no-responsible-and-no-accountable",
        ),
        pytest.param(
            HEAD + OWNER + MANAGERS + ESCALATION + POLICIES + ACTIVITY.replace("raci", "RACI") + RACI,
            [("GOV002", 14, 7)],
            id="RACI-is-not-also-no-responsible-and-no-accountable",
        ),
        pytest.param(
            HEAD + OWNER.replace("owner", "Owner") + MANAGERS + ESCALATION + POLICIES,
            [("GOV002", 6, 3)],
            id="Owner-is-not-also-no-owner",
        ),
        pytest.param(
            HEAD + OWNER + MANAGERS + ESCALATION.replace("escalation", "escalaton") + POLICIES,
            [("GOV002", 9, 3)],
            id="escalaton-is-not-also-no-escalation-path",
        ),
        pytest.param(
            HEAD + OWNER + MANAGERS + ESCALATION + POLICIES.replace("policies", "polices"),
            [("GOV002", 10, 3)],
            id="polices-is-not-also-no-policy",
        ),
        pytest.param(
            HEAD
            + OWNER
            + MANAGERS
            + ESCALATION
            + POLICIES
            + ACTIVITY.replace("procedures", "procedure")
            + RACI,
            [("GOV002", 13, 7)],
            id="procedure-is-not-also-no-procedure",
        ),
        pytest.param(
            HEAD + OWNER.replace("mrs-davis", "mrs-davs") + MANAGERS + ESCALATION + POLICIES,
            [("GOV005", 6, 10)],
            id="a-misspelled-owner-is-not-also-an-escalation-elsewhere",
        ),
        pytest.param(
            HEAD + OWNER + MANAGERS + "  Managers: x\n" + ESCALATION + POLICIES,
            [("GOV002", 9, 3)],
            id="a-present-field-is-not-silenced-by-a-stray-key",
        ),
        pytest.param(
            HEAD
            + "  owner: [person:mrs-davis, person:windy]\n  onwer: x\n"
            + MANAGERS
            + ESCALATION
            + POLICIES,
            [("GOV101", 6, 3), ("GOV002", 7, 3)],
            id="a-stray-key-beside-a-wrong-owner-keeps-both",
        ),
        pytest.param(
            HEAD + OWNER + MANAGERS + "  notes: x\n" + ESCALATION,
            [("GOV302", 4, 1), ("GOV002", 9, 3)],
            id="an-unrelated-unknown-key-does-not-silence-a-missing-field",
        ),
    ],
)
def test_one_mistake_one_finding(process: str, expected: list[tuple[str, int, int]]) -> None:
    assert check(process) == expected


def test_the_schema_finding_says_what_was_meant() -> None:
    (found,) = lint(HEAD + OWNER + MANAGERS.replace("managers", "Managers"), select=["GOV002", "GOV103"])
    assert "did you mean 'managers'?" in found.message


def test_without_the_schema_rule_the_missing_field_is_reported() -> None:
    """Only the schema's finding stands for the misspelling: with the schema rule off, the rule speaks."""
    process = HEAD + OWNER + MANAGERS.replace("managers", "Managers")
    assert positions(lint(process, select=["GOV103"])) == [("GOV103", 4, 1)]
