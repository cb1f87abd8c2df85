import pytest

from governance_lint.testing import lint, positions

PEOPLE = """\
apiVersion: govlint/v1
kind: Person
metadata: {id: windy}
spec: {email: windy@example.org, active: false}
---
apiVersion: govlint/v1
kind: Person
metadata: {id: guy}
spec: {email: guy@example.org}
"""

HEAD = """\
apiVersion: govlint/v1
kind: Process
metadata: {id: incident-management}
spec:
  purpose: Restore normal service operation.
"""


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param("  owner: person:windy\n", [("GOV102", 6, 10)], id="owner"),
        pytest.param("  owner: person:guy\n", [], id="active-owner"),
        pytest.param("  owner: [person:guy, person:windy]\n", [("GOV102", 6, 23)], id="owner-in-a-list"),
        pytest.param(
            "  managers:\n    - person: person:guy\n      scope: A\n    - person: person:windy\n      scope: B\n",
            [("GOV102", 9, 15)],
            id="manager",
        ),
        pytest.param("  administrator: person:windy\n", [("GOV102", 6, 18)], id="administrator"),
        pytest.param(
            "  activities:\n    - id: identify\n      raci:\n"
            "        responsible: [person:windy]\n        accountable: person:windy\n"
            "        consulted: [person:guy, person:windy]\n        informed:\n          - person:windy\n",
            [("GOV102", 9, 23), ("GOV102", 10, 22), ("GOV102", 11, 33), ("GOV102", 13, 13)],
            id="every-raci-role",
        ),
        pytest.param(
            "  escalation: [person:windy]\n  practitioners: [person:windy]\n",
            [("GOV102", 6, 16), ("GOV102", 7, 19)],
            id="escalation-step-and-practitioner",
        ),
        pytest.param("  escalation: person:windy\n", [("GOV102", 6, 15)], id="a-one-step-escalation"),
        pytest.param(
            "  escalation: [person:guy, team:windy]\n  practitioners: [person:guy]\n",
            [],
            id="active-or-teams",
        ),
        pytest.param(
            "  purpose2: person:windy\n  interfaces: [{process: process:x, sends: [person:windy]}]\n",
            [],
            id="not-roles",
        ),
        pytest.param("  owner: person:nobody\n", [], id="unresolved-left-to-gov005"),
        pytest.param("  owner: team:windy\n", [], id="a-team-is-never-inactive"),
        pytest.param(
            "  owner: {person: person:windy}\n  managers: person:windy\n  activities: [person:windy]\n",
            [],
            id="invalid-shapes",
        ),
    ],
)
def test_inactive_assignee(body: str, expected: list[tuple[str, int, int]]) -> None:
    found = lint({"people.yaml": PEOPLE, "process.yaml": HEAD + body}, select=["GOV102"])
    assert all(d.path == "process.yaml" for d in found)
    assert positions(found) == expected


@pytest.mark.parametrize(("first", "expected"), [("false", [("GOV102", 6, 10)]), ("true", [])])
def test_a_person_defined_twice_is_as_active_as_the_first_definition(
    first: str, expected: list[tuple[str, int, int]]
) -> None:
    twice = (
        f"apiVersion: govlint/v1\nkind: Person\nmetadata: {{id: kim}}\nspec: {{active: {first}}}\n---\n"
        "apiVersion: govlint/v1\nkind: Person\nmetadata: {id: kim}\nspec: {active: false}\n"
    )
    files = {"a-people.yaml": twice, "process.yaml": HEAD + "  owner: person:kim\n"}
    assert positions([d for d in lint(files, select=["GOV102"]) if d.path == "process.yaml"]) == expected


@pytest.mark.parametrize("kind", ["Service", "Policy"])
def test_service_and_policy_owners(kind: str) -> None:
    text = f"apiVersion: govlint/v1\nkind: {kind}\nmetadata: {{id: x}}\nspec:\n  owner: person:windy\n"
    assert positions(lint({"people.yaml": PEOPLE, "x.yaml": text}, select=["GOV102"])) == [("GOV102", 5, 10)]


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        pytest.param("{lead: person:windy, members: [person:guy]}", [("GOV102", 4, 14)], id="lead"),
        pytest.param(
            "{lead: person:guy, members: [person:guy, person:windy]}", [("GOV102", 4, 48)], id="member"
        ),
        pytest.param("{lead: person:guy, members: [person:guy]}", [], id="active"),
    ],
)
def test_team_lead_and_members(spec: str, expected: list[tuple[str, int, int]]) -> None:
    team = f"apiVersion: govlint/v1\nkind: Team\nmetadata: {{id: t}}\nspec: {spec}\n"
    assert positions(lint({"people.yaml": PEOPLE, "team.yaml": team}, select=["GOV102"])) == expected


@pytest.mark.parametrize(
    ("body", "words"),
    [
        pytest.param(
            "  escalation: [person:guy, person:windy]\n",
            "step 2 of the escalation path of process:incident-management",
            id="step",
        ),
        pytest.param(
            "  practitioners: [person:windy]\n",
            "a practitioner of process:incident-management",
            id="practitioner",
        ),
    ],
)
def test_message_names_the_role(body: str, words: str) -> None:
    [finding] = lint({"people.yaml": PEOPLE, "process.yaml": HEAD + body}, select=["GOV102"])
    assert words in finding.message


def test_message_names_a_team_role() -> None:
    team = "apiVersion: govlint/v1\nkind: Team\nmetadata: {id: t}\nspec: {members: [person:windy]}\n"
    [finding] = lint({"people.yaml": PEOPLE, "team.yaml": team}, select=["GOV102"])
    assert finding.message.startswith("a member of team:t is person:windy, marked inactive at people.yaml:3")


def test_message_names_role_and_where_the_person_is_inactive() -> None:
    body = "  activities:\n    - id: identify\n      raci: {accountable: person:windy}\n"
    [finding] = lint({"people.yaml": PEOPLE, "process.yaml": HEAD + body}, select=["GOV102"])
    assert "Accountable of activity 'identify'" in finding.message
    assert "people.yaml:3" in finding.message
    assert finding.node == "spec/activities/identify/raci/accountable"
