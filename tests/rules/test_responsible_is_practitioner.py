import pytest

from governance_lint.testing import lint, positions

ORGANISATION = """\
apiVersion: govlint/v1
kind: Team
metadata: {id: service-desk}
spec: {lead: person:lead, members: [person:windy, person:ann]}
---
apiVersion: govlint/v1
kind: Team
metadata: {id: engineering}
spec: {members: [person:guy]}
""" + "".join(
    f"---\napiVersion: govlint/v1\nkind: Person\nmetadata: {{id: {who}}}\nspec: {{email: {who}@example.org}}\n"
    for who in ("windy", "ann", "guy", "lead", "outsider")
)
HEAD = """\
apiVersion: govlint/v1
kind: Process
metadata: {id: incident-management}
spec:
  purpose: Restore normal service operation.
"""
# line 6: practitioners; lines 7-10: one activity whose Responsible list is at line 10, column 22
ACTIVITY = "  activities:\n    - id: log\n      raci:\n        responsible: [{who}]\n"


def process(practitioners: str | None, who: str) -> str:
    declared = f"  practitioners: {practitioners}\n" if practitioners is not None else ""
    return HEAD + declared + ACTIVITY.format(who=who)


@pytest.mark.parametrize(
    ("practitioners", "who", "expected"),
    [
        pytest.param("[team:service-desk]", "team:service-desk", [], id="a-practitioner-team"),
        pytest.param("[person:guy]", "person:guy", [], id="a-practitioner-person"),
        pytest.param("[team:service-desk]", "person:windy", [], id="a-member-of-a-practitioner-team"),
        pytest.param("[team:service-desk]", "person:lead", [], id="the-lead-of-a-practitioner-team"),
        pytest.param("[team:service-desk]", "team:engineering", [("GOV206", 10, 23)], id="another-team"),
        pytest.param(
            "[team:service-desk]", "person:guy", [("GOV206", 10, 23)], id="a-member-of-another-team"
        ),
        pytest.param("[team:service-desk]", "person:outsider", [("GOV206", 10, 23)], id="nobody-s-member"),
        pytest.param(
            "[team:service-desk]",
            "person:windy, person:guy",
            [("GOV206", 10, 37)],
            id="only-the-one-outside",
        ),
        pytest.param("[]", "person:windy", [("GOV206", 10, 23)], id="no-practitioners-declared-empty"),
        pytest.param(None, "person:outsider", [], id="no-practitioners-field-is-not-checked"),
        pytest.param("[team:service-desk]", "person:nobody", [], id="unresolved-responsible-left-to-gov005"),
        pytest.param(
            "[team:nowhere]", "person:windy", [], id="unresolved-practitioner-team-membership-unknown"
        ),
        pytest.param("[team:nowhere]", "team:engineering", [("GOV206", 10, 23)], id="a-team-must-be-listed"),
    ],
)
def test_responsible_is_practitioner(
    practitioners: str | None, who: str, expected: list[tuple[str, int, int]]
) -> None:
    found = lint({"org.yaml": ORGANISATION, "process.yaml": process(practitioners, who)}, select=["GOV206"])
    assert all(d.path == "process.yaml" for d in found)
    assert positions(found) == expected


def test_a_responsible_written_alone_and_a_practice() -> None:
    text = (
        process("[team:service-desk]", "x")
        .replace("[x]", "person:guy")
        .replace("kind: Process", "kind: Practice")
    )
    found = lint({"org.yaml": ORGANISATION, "practice.yaml": text}, select=["GOV206"])
    assert positions(found) == [("GOV206", 10, 22)]


def test_message_names_the_practitioners() -> None:
    (found,) = lint(
        {"org.yaml": ORGANISATION, "process.yaml": process("[team:service-desk]", "person:guy")},
        select=["responsible-is-practitioner"],
    )
    assert (
        "Responsible person:guy of activity 'log' is not a practitioner of process 'incident-management'"
        in (found.message)
    )
    assert "(practitioners: team:service-desk) nor a member of a practitioner team" in found.message


def test_joining_the_team_clears_the_finding() -> None:
    """The rule follows the team's membership, in another file."""
    text = process("[team:service-desk]", "person:guy")
    assert len(lint({"org.yaml": ORGANISATION, "process.yaml": text}, select=["GOV206"])) == 1
    joined = ORGANISATION.replace(
        "members: [person:windy, person:ann]", "members: [person:windy, person:guy]"
    )
    assert lint({"org.yaml": joined, "process.yaml": text}, select=["GOV206"]) == []
