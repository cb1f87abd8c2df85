import pytest

from governance_lint.testing import lint, positions

# `spec:` is line 4; the owner line (when given) is line 6, its value at column 10.
HEAD = "apiVersion: govlint/v1\nkind: Process\nmetadata: {id: incident-management}\nspec:\n  purpose: R.\n"


@pytest.mark.parametrize(
    ("owner", "expected"),
    [
        pytest.param("  owner: person:mrs-davis\n", [], id="one-person"),
        pytest.param("", [("GOV101", 4, 1)], id="missing-at-spec"),
        pytest.param("  owner:\n", [("GOV101", 6, 3)], id="null-at-the-key"),
        pytest.param("  owner: ''\n", [("GOV101", 6, 3)], id="empty-text-at-the-key"),
        pytest.param("  owner: [person:a, person:b]\n", [("GOV101", 6, 3)], id="two"),
        pytest.param(
            "  owner:\n    - person:a\n    - person:b\n    - person:c\n", [("GOV101", 6, 3)], id="three"
        ),
        pytest.param("  owner: [person:a, person:a]\n", [("GOV101", 6, 3)], id="same-twice"),
        pytest.param("  owner: [person:a]\n", [], id="list-of-one-left-to-schema"),
        pytest.param("  owner: [person:a, null, '']\n", [], id="blanks-do-not-count"),
        pytest.param("  owner: []\n", [("GOV101", 6, 3)], id="empty-list"),
        pytest.param("  owner: [null, '']\n", [("GOV101", 6, 3)], id="only-blanks"),
        pytest.param("  owner: [team:a]\n", [("GOV101", 6, 3)], id="list-of-one-team"),
        pytest.param("  owner: team:service-desk\n", [("GOV101", 6, 10)], id="team"),
        pytest.param("  owner: mrs-davis\n", [("GOV101", 6, 10)], id="no-kind"),
        pytest.param("  owner: 42\n", [("GOV101", 6, 10)], id="number"),
        pytest.param("  owner: true\n", [("GOV101", 6, 10)], id="boolean"),
        pytest.param("  owner: {person: mrs-davis}\n", [("GOV101", 6, 3)], id="mapping-at-the-key"),
    ],
)
def test_single_owner(owner: str, expected: list[tuple[str, int, int]]) -> None:
    assert positions(lint(HEAD + owner, select=["GOV101"])) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "apiVersion: govlint/v1\nkind: Practice\nmetadata: {id: sd}\nspec: {purpose: x, owner: team:x}\n",
            [("GOV101", 4, 27)],
            id="practice",
        ),
        pytest.param(
            "apiVersion: govlint/v1\nkind: Service\nmetadata: {id: email}\nspec: {description: Mail}\n",
            [("GOV101", 4, 1)],
            id="service-without-owner",
        ),
        pytest.param(
            "apiVersion: govlint/v1\nkind: Service\nmetadata: {id: email}\nspec: {owner: person:tamika}\n",
            [],
            id="service",
        ),
        pytest.param(
            "apiVersion: govlint/v1\nkind: Team\nmetadata: {id: sd}\nspec: {members: []}\n",
            [],
            id="team-has-no-owner",
        ),
        pytest.param(
            "apiVersion: govlint/v1\nkind: Policy\nmetadata: {id: p}\nspec: {statement: S., owner: team:x}\n",
            [],
            id="policy-not-checked",
        ),
        pytest.param(
            "apiVersion: govlint/v1\nkind: Process\nmetadata: {id: im}\nspec: [owner]\n",
            [("GOV101", 4, 1)],
            id="spec-a-list",
        ),
        pytest.param(
            "apiVersion: govlint/v1\nkind: Process\nmetadata: {id: im}\n",
            [("GOV101", 1, 1)],
            id="no-spec-at-the-document",
        ),
    ],
)
def test_kinds(text: str, expected: list[tuple[str, int, int]]) -> None:
    assert positions(lint(text, select=["GOV101"])) == expected


@pytest.mark.parametrize(
    ("owner", "words"),
    [
        pytest.param(
            "[person:a, person:b]",
            [
                "process 'incident-management' has 2 owners (person:a, person:b)",
                "exactly one accountable owner",
            ],
            id="several",
        ),
        pytest.param("team:service-desk", ["'team:service-desk', not a person"], id="team"),
        pytest.param("''", ["has no owner"], id="none"),
        pytest.param(
            "Mrs. Davis",
            ["'Mrs. Davis', a name, not a reference to a person; write person:mrs-davis"],
            id="a-name-gets-its-reference-form",
        ),
        pytest.param("mrs-davis", ["write person:mrs-davis"], id="an-id-without-its-kind"),
    ],
)
def test_message_gives_the_governance_reason(owner: str, words: list[str]) -> None:
    (found,) = lint(HEAD + f"  owner: {owner}\n", select=["single-owner"])
    assert all(w in found.message for w in words), found.message


PEOPLE = """\
apiVersion: govlint/v1
kind: Person
metadata: {id: davis, name: Mrs. Davis}
spec: {email: davis@example.org}
---
apiVersion: govlint/v1
kind: Person
metadata: {id: windy}
spec: {email: windy@example.org}
"""


@pytest.mark.parametrize(
    ("owner", "words", "hint"),
    [
        pytest.param(
            "Mrs. Davis", "write person:mrs-davis", "(did you mean person:davis?)", id="by-the-person-s-name"
        ),
        pytest.param("Windi", "write person:windi", "(did you mean person:windy?)", id="by-the-closest-id"),
        pytest.param("windy", "write person:windy", None, id="the-reference-form-exists"),
        pytest.param("Zebedee", "write person:zebedee", None, id="nobody-close"),
    ],
)
def test_an_owner_written_as_a_name_gets_the_person_it_means(
    owner: str, words: str, hint: str | None
) -> None:
    (found,) = lint({"people.yaml": PEOPLE, "p.yaml": HEAD + f"  owner: {owner}\n"}, select=["GOV101"])
    assert (found.code, found.path, found.line, found.column) == ("GOV101", "p.yaml", 6, 10)
    assert words in found.message
    assert (hint in found.message) if hint else ("did you mean" not in found.message)
