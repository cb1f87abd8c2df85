import pytest

from governance_lint.testing import lint

POLICY = """\
apiVersion: govlint/v1
kind: Policy
metadata: {id: all-incidents-logged}
spec: {statement: All incidents must be logged., category: process}
"""

# Extra spec lines start at line 7.
PROCESS = (
    "apiVersion: govlint/v1\nkind: Process\nmetadata: {id: im}\nspec:\n  purpose: R.\n  owner: person:windy\n"
)


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        pytest.param("  policies: [policy:all-incidents-logged]\n", [], id="defined"),
        pytest.param(
            "  policies: [policy:all-incidents-logged, policy:missing]\n",
            [("p.yaml", 7, 43)],
            id="second-in-flow-list",
        ),
        pytest.param("  policies:\n    - policy:missing\n", [("p.yaml", 8, 7)], id="block-item"),
        pytest.param(
            "  activities:\n    - id: a\n      policies:\n        - policy:missing\n",
            [("p.yaml", 10, 11)],
            id="activity-policy",
        ),
        pytest.param("  policies: policy:missing\n", [("p.yaml", 7, 13)], id="lone-string"),
        pytest.param(
            "  policies: [policy:a, policy:a]\n", [("p.yaml", 7, 14), ("p.yaml", 7, 24)], id="each-reference"
        ),
        pytest.param("  policies: [person:windy, team:x, term:y]\n", [], id="other-kinds-are-not-policies"),
        pytest.param("  policies: [1, null, {}, []]\n", [], id="invalid-shapes"),
        pytest.param("  policies: ['policy: all incidents are logged']\n", [], id="text-is-no-reference"),
    ],
)
def test_policy_defined(spec: str, expected: list[tuple[str, int, int]]) -> None:
    found = lint({"policies.yaml": POLICY, "p.yaml": PROCESS + spec}, select=["GOV301"])
    assert {d.code for d in found} <= {"GOV301"}
    assert [(d.path, d.line, d.column) for d in found] == expected


@pytest.mark.parametrize(
    "files",
    [
        pytest.param(
            {"z/policy.yaml": POLICY, "a.yaml": PROCESS + "  policies: [policy:all-incidents-logged]\n"},
            id="defined-later-in-path-order",
        ),
        pytest.param(
            {"p.yaml": POLICY + "---\n" + PROCESS + "  policies: [policy:all-incidents-logged]\n"},
            id="same-file",
        ),
        pytest.param(
            {"p.yaml": POLICY.replace("All incidents", "'policy: all incidents'")}, id="statement-text"
        ),
    ],
)
def test_defined_anywhere(files: dict[str, str]) -> None:
    assert lint(files, select=["GOV301"]) == []


def test_another_kind_with_the_id_is_no_policy() -> None:
    team = POLICY.replace("kind: Policy", "kind: Team").replace(
        "{statement: All incidents must be logged., category: process}", "{members: []}"
    )
    found = lint(
        {"t.yaml": team, "p.yaml": PROCESS + "  policies: [policy:all-incidents-logged]\n"},
        select=["policy-defined"],
    )
    assert [(d.path, d.line, d.column) for d in found] == [("p.yaml", 7, 14)]
    assert "policy:all-incidents-logged" in found[0].message and "no Policy" in found[0].message


@pytest.mark.parametrize(
    ("spec", "position", "hint"),
    [
        pytest.param(
            "  policies: [policy:all-incident-logged]\n",
            (7, 14),
            "(did you mean policy:all-incidents-logged?)",
            id="near-miss",
        ),
        pytest.param("  policies: [policy:no-pets-at-work]\n", (7, 14), None, id="nothing-close"),
    ],
)
def test_did_you_mean(spec: str, position: tuple[int, int], hint: str | None) -> None:
    (found,) = lint({"policies.yaml": POLICY, "p.yaml": PROCESS + spec}, select=["GOV301"])
    assert (found.code, found.line, found.column) == ("GOV301", *position)
    assert (hint in found.message) if hint else ("did you mean" not in found.message)
