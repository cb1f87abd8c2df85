import pytest

from governance_lint.testing import lint

PEOPLE = """\
apiVersion: govlint/v1
kind: Person
metadata: {id: windy}
spec: {email: windy@example.org}
---
apiVersion: govlint/v1
kind: Team
metadata: {id: service-desk}
spec: {members: [person:windy]}
"""

# The owner's value sits on line 6, column 10; extra spec lines start at line 7.
PROCESS = (
    "apiVersion: govlint/v1\nkind: Process\nmetadata: {id: im}\nspec:\n  purpose: R.\n  owner: person:windy\n"
)


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        pytest.param("", [], id="resolved"),
        pytest.param(
            "  practitioners: [team:service-desk]\n  escalation: [person:windy]\n", [], id="all-resolved"
        ),
        pytest.param("  administrator: person:nobody\n", [("p.yaml", 7, 18)], id="person"),
        pytest.param(
            "  practitioners: [team:service-desk, team:ghost]\n", [("p.yaml", 7, 38)], id="team-in-flow-list"
        ),
        pytest.param(
            "  escalation:\n    - person:windy\n    - person:ghost\n",
            [("p.yaml", 9, 7)],
            id="block-list-item",
        ),
        pytest.param("  managers:\n    - person: team:windy\n", [("p.yaml", 8, 15)], id="kind-decides"),
        pytest.param(
            "  interfaces:\n    - process: process:problem-management\n", [("p.yaml", 8, 16)], id="process"
        ),
        pytest.param(
            "  interfaces:\n    - process: practice:service-desk\n", [("p.yaml", 8, 16)], id="practice"
        ),
        pytest.param(
            "  activities:\n    - id: a\n      raci: {responsible: [person:nobody]}\n",
            [("p.yaml", 9, 28)],
            id="responsible",
        ),
        pytest.param(
            "  policies: [policy:none]\n  terms:\n    - ref: term:none\n",
            [],
            id="policies-and-terms-have-their-own-rules",
        ),
        pytest.param("  purpose2: 'person:ghost is mentioned'\n", [], id="free-text-is-no-reference"),
        pytest.param("  administrator: person:Mrs Davis\n", [], id="malformed-left-to-schema"),
        pytest.param("  escalation: [1, null, [person:windy], {a: b}]\n", [], id="invalid-shapes"),
    ],
)
def test_unresolved_reference(spec: str, expected: list[tuple[str, int, int]]) -> None:
    found = lint({"people.yaml": PEOPLE, "p.yaml": PROCESS + spec}, select=["GOV005"])
    assert {d.code for d in found} <= {"GOV005"}
    assert [(d.path, d.line, d.column) for d in found] == expected


def test_definitions_count_whatever_the_path_order() -> None:
    assert lint({"a.yaml": PROCESS, "z/people.yaml": PEOPLE}, select=["GOV005"]) == []


def test_a_person_named_team_is_no_person() -> None:
    found = lint(
        {"people.yaml": PEOPLE.replace("kind: Person", "kind: Team"), "p.yaml": PROCESS}, select=["GOV005"]
    )
    assert [(d.path, d.line, d.column) for d in found] == [("p.yaml", 6, 10), ("people.yaml", 9, 18)]
    assert "person:windy names no Person" in found[0].message


def test_message_names_the_reference_and_kind() -> None:
    (found,) = lint(
        {
            "p.yaml": PROCESS + "  interfaces:\n    - process: process:problem-management\n",
            "people.yaml": PEOPLE,
        },
        select=["unresolved-reference"],
    )
    assert "process:problem-management names no Process" in found.message


@pytest.mark.parametrize(
    ("spec", "position", "hint"),
    [
        pytest.param("  administrator: person:windi\n", (7, 18), "(did you mean person:windy?)", id="person"),
        pytest.param(
            "  practitioners: [team:servce-desk]\n", (7, 19), "(did you mean team:service-desk?)", id="team"
        ),
        pytest.param(
            "  practitioners: [team:windy]\n", (7, 19), "(did you mean person:windy?)", id="team-for-a-person"
        ),
        pytest.param(
            "  administrator: person:service-desk\n",
            (7, 18),
            "(did you mean team:service-desk?)",
            id="person-for-a-team",
        ),
        pytest.param("  administrator: person:zebedee\n", (7, 18), None, id="nothing-close"),
    ],
)
def test_did_you_mean(spec: str, position: tuple[int, int], hint: str | None) -> None:
    (found,) = lint({"people.yaml": PEOPLE, "p.yaml": PROCESS + spec}, select=["GOV005"])
    assert (found.code, found.line, found.column) == ("GOV005", *position)
    assert (hint in found.message) if hint else ("did you mean" not in found.message)


@pytest.mark.parametrize(
    ("owner", "codes"),
    [
        pytest.param("team:ghost", ["GOV101"], id="team-owner-is-single-owner-s-finding"),
        pytest.param("[person:windy, team:ghost]", ["GOV101"], id="several-owners"),
        pytest.param("person:ghost", ["GOV005"], id="person-owner-that-does-not-exist"),
    ],
)
def test_an_owner_that_is_no_person_is_one_finding(owner: str, codes: list[str]) -> None:
    process = PROCESS.replace("  owner: person:windy\n", f"  owner: {owner}\n")
    found = lint({"people.yaml": PEOPLE, "p.yaml": process}, select=["GOV005", "GOV101"])
    assert [d.code for d in found] == codes
