import pytest

from governance_lint.testing import lint, positions

PEOPLE = "".join(
    f"---\napiVersion: govlint/v1\nkind: Person\nmetadata: {{id: {who}}}\nspec: {{email: {who}@example.org}}\n"
    for who in ("windy", "guy")
)


def team(spec: str) -> str:
    return f"apiVersion: govlint/v1\nkind: Team\nmetadata: {{id: service-desk}}\nspec:{spec}\n"


def process(body: str) -> str:
    return (
        "apiVersion: govlint/v1\nkind: Process\nmetadata: {id: incident-management}\n"
        f"spec:\n  purpose: Restore normal service operation.\n  owner: person:windy\n{body}"
    )


PRACTITIONER = "  practitioners: [team:service-desk]\n"


@pytest.mark.parametrize(
    ("spec", "body", "expected"),
    [
        pytest.param(" {members: [person:windy]}", PRACTITIONER, [], id="members"),
        pytest.param(" {members: []}", PRACTITIONER, [("GOV207", 4, 8)], id="empty-members"),
        pytest.param("\n  members:", PRACTITIONER, [("GOV207", 5, 3)], id="null-members"),
        pytest.param("\n  lead: person:windy", PRACTITIONER, [("GOV207", 4, 1)], id="no-members-field"),
        pytest.param(" {members: []}", "", [], id="holds-no-role"),
        pytest.param(
            " {members: []}",
            "  escalation: [team:service-desk, person:windy]\n",
            [("GOV207", 4, 8)],
            id="escalation",
        ),
        pytest.param(
            " {members: []}",
            "  activities:\n    - id: log\n      raci: {responsible: [person:guy], informed: [team:service-desk]}\n",
            [("GOV207", 4, 8)],
            id="informed",
        ),
        pytest.param(" {members: []}", "  owner2: team:service-desk\n", [], id="not-a-role"),
    ],
)
def test_team_has_members(spec: str, body: str, expected: list[tuple[str, int, int]]) -> None:
    found = lint(
        {"people.yaml": PEOPLE, "team.yaml": team(spec), "process.yaml": process(body)}, select=["GOV207"]
    )
    assert all(d.path == "team.yaml" for d in found)
    assert positions(found) == expected


def test_message_names_the_roles() -> None:
    body = PRACTITIONER + "  escalation: [team:service-desk, person:windy]\n"
    (found,) = lint(
        {"people.yaml": PEOPLE, "team.yaml": team(" {members: []}"), "process.yaml": process(body)},
        select=["team-has-members"],
    )
    assert found.message.startswith(
        "team 'service-desk' names no members, yet holds 2 roles: a practitioner of"
    )
    assert "step 1 of the escalation path of process:incident-management (process.yaml:8)" in found.message


def test_many_roles_are_counted() -> None:
    body = "  activities:\n" + "".join(
        f"    - {{id: a{i}, raci: {{responsible: [team:service-desk]}}}}\n" for i in range(6)
    )
    (found,) = lint(
        {"people.yaml": PEOPLE, "team.yaml": team(" {members: []}"), "process.yaml": process(body)},
        select=["GOV207"],
    )
    assert "holds 6 roles" in found.message
    assert "and 3 more" in found.message
