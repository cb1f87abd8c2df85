import pytest

from governance_lint.testing import lint, positions

PROCESS = """\
apiVersion: govlint/v1
kind: Process
metadata: {id: incident-management}
spec:
  purpose: Restore normal service operation as quickly as possible.
  owner: person:mrs-davis
"""
PRACTICE = PROCESS.replace("kind: Process", "kind: Practice").replace("incident-management", "service-desk")


@pytest.mark.parametrize(
    ("yaml", "expected"),
    [
        pytest.param(PROCESS + "  policies: [policy:all-incidents-logged]\n", [], id="process-policy"),
        pytest.param(PROCESS + "  policies:\n    - policy:a\n    - policy:b\n", [], id="block-list"),
        pytest.param(PROCESS + "  policies: []\n", [("GOV302", 7, 3)], id="empty-list"),
        pytest.param(PROCESS + "  policies:\n", [("GOV302", 7, 3)], id="null-at-key"),
        pytest.param(PROCESS, [("GOV302", 4, 1)], id="missing-at-spec"),
        pytest.param(PRACTICE + "  policies: []\n", [("GOV302", 7, 3)], id="practice"),
        pytest.param(
            PROCESS + "  activities:\n    - id: identify\n      policies: [policy:logged]\n",
            [],
            id="activity-policy-governs",
        ),
        pytest.param(
            PROCESS + "  policies: []\n  activities:\n    - id: identify\n      policies: []\n",
            [("GOV302", 7, 3)],
            id="activity-policies-empty",
        ),
        pytest.param(PROCESS + "  policies: policy:all-incidents-logged\n", [], id="string-names-a-policy"),
        pytest.param(PROCESS + "  policies: 42\n", [("GOV302", 7, 3)], id="number-is-no-policy"),
        pytest.param(
            PROCESS + "  policies: [42, null]\n  activities: oops\n", [("GOV302", 7, 3)], id="invalid-items"
        ),
        pytest.param(
            "apiVersion: govlint/v1\nkind: Process\nmetadata: {id: x}\nspec: [a, b]\n",
            [("GOV302", 4, 1)],
            id="spec-not-a-mapping",
        ),
        pytest.param(
            "apiVersion: govlint/v1\nkind: Policy\nmetadata: {id: p}\n"
            "spec: {statement: All incidents must be logged., category: process}\n",
            [],
            id="policy-kind-not-checked",
        ),
    ],
)
def test_process_has_policy(yaml: str, expected: list[tuple[str, int, int]]) -> None:
    assert positions(lint(yaml, select=["GOV302"])) == expected


def test_message_gives_the_governance_reason() -> None:
    (found,) = lint(PROCESS + "  policies: []\n", select=["process-has-policy"])
    assert "process 'incident-management' is governed by no policy" in found.message
    assert "policies that govern it" in found.message
