import pytest

from governance_lint.testing import lint, positions

# Line 5 holds lastReviewed (value at column 17), line 6 `spec:`, line 8 the owner (value at column 10).
PROCESS = """\
apiVersion: govlint/v1
kind: Process
metadata:
  id: incident-management
  lastReviewed: 2026-01-01
spec:
  purpose: Restore normal service operation.
  owner: person:mrs-davis
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(PROCESS, [], id="valid"),
        pytest.param(PROCESS + "  onwer: person:windy\n", [("GOV002", 9, 3)], id="unknown-field-at-the-key"),
        pytest.param(
            PROCESS + "  onwer: [person:windy]\n",
            [("GOV002", 9, 3)],
            id="unknown-collection-field-at-the-key",
        ),
        pytest.param(
            PROCESS.replace("  purpose: Restore normal service operation.\n", ""),
            [("GOV002", 6, 1)],
            id="missing-required-at-the-key-holding-the-mapping",
        ),
        pytest.param(
            PROCESS + "  activities:\n    - name: Identify\n",
            [("GOV002", 10, 7)],
            id="missing-required-in-a-list-item-at-the-item",
        ),
        pytest.param(
            PROCESS.replace(
                "spec:\n  purpose: Restore normal service operation.\n  owner: person:mrs-davis\n", ""
            ),
            [("GOV002", 1, 1)],
            id="missing-spec-at-the-document",
        ),
        pytest.param(
            PROCESS + "  administrator: persn:dave\n", [("GOV002", 9, 18)], id="bad-reference-at-the-value"
        ),
        pytest.param(
            PROCESS + "  activities:\n    - id: log\n"
            "      raci: {responsible: [policy:x], accountable: person:windy}\n",
            [("GOV002", 11, 28)],
            id="bad-reference-in-a-flow-list",
        ),
        pytest.param(PROCESS.replace("2026-01-01", "2023-02-30"), [("GOV002", 5, 17)], id="invalid-date"),
        pytest.param(PROCESS.replace("2026-01-01", "'2026-1-1'"), [("GOV002", 5, 17)], id="date-not-iso"),
        pytest.param(
            PROCESS.replace("id: incident-management", "id: Incident_Management"),
            [("GOV002", 4, 7)],
            id="bad-id",
        ),
        pytest.param(
            PROCESS + "  managers: person:windy\n", [("GOV002", 9, 13)], id="string-where-a-list-is-expected"
        ),
        pytest.param(
            PROCESS + "  managers: [1, null]\n", [("GOV002", 9, 14), ("GOV002", 9, 17)], id="one-per-bad-item"
        ),
        pytest.param(
            PROCESS + "  onwer: x\n  policies: policy:a\n  administrator: 42\n",
            [("GOV002", 9, 3), ("GOV002", 10, 13), ("GOV002", 11, 18)],
            id="one-per-violation",
        ),
        pytest.param(
            "apiVersion: govlint/v1\nkind: Person\nmetadata: {id: windy}\nspec: {email: 12, active: yes}\n",
            [("GOV002", 4, 15), ("GOV002", 4, 27)],
            id="numbers-and-yaml12-yes-is-a-string",
        ),
        pytest.param(
            "apiVersion: govlint/v1\nkind: Person\nmetadata: {id: windy}\nspec: [1]\n",
            [("GOV002", 4, 1)],
            id="spec-a-list",
        ),
        pytest.param(
            "apiVersion: govlint/v1\nkind: Person\nmetadata: {id: windy}\nspec:\n",
            [("GOV002", 4, 6)],
            id="spec-null",
        ),
        pytest.param(
            "apiVersion: govlint/v1\nkind: Persn\nmetadata: {id: windy}\nspec: {x: 1}\n",
            [],
            id="unknown-kind-left-to-gov003",
        ),
        pytest.param("name: ci\non: push\njobs: {}\n", [], id="not-governance"),
    ],
)
def test_schema(text: str, expected: list[tuple[str, int, int]]) -> None:
    assert positions(lint(text, select=["GOV002"])) == expected


@pytest.mark.parametrize(
    ("owner", "expected"),
    [
        pytest.param("[person:a, team:b]", [("GOV101", 8, 3)], id="several-owners-one-a-team"),
        pytest.param("team:service-desk", [("GOV101", 8, 10)], id="team-owner"),
        pytest.param("42", [("GOV101", 8, 10)], id="number-owner"),
        pytest.param("[]", [("GOV101", 8, 3)], id="empty-list"),
    ],
)
def test_no_schema_finding_where_single_owner_reports(
    owner: str, expected: list[tuple[str, int, int]]
) -> None:
    text = PROCESS.replace("owner: person:mrs-davis", f"owner: {owner}")
    assert positions(lint(text, select=["GOV002"])) != []  # the schema alone does see it
    assert positions(lint(text, select=["GOV002", "GOV101"])) == expected


@pytest.mark.parametrize(
    ("owner", "options", "expected"),
    [
        pytest.param("[person:a]", {}, [], id="a-list-of-one"),
        pytest.param("[person:a, person:b]", {"max-owners": 2}, [], id="as-many-as-allowed"),
        pytest.param("[person:a, person:b]", {}, [("GOV101", 8, 3)], id="more-than-allowed-is-gov101-only"),
        pytest.param("[person:a, person:a]", {"max-owners": 2}, [("GOV002", 8, 3)], id="one-owner-twice"),
    ],
)
def test_a_list_of_owners_is_valid_data(
    owner: str, options: dict[str, int], expected: list[tuple[str, int, int]]
) -> None:
    """Several owners are how a shared accountability is written (single-owner's max-owners): no type error."""
    text = PROCESS.replace("owner: person:mrs-davis", f"owner: {owner}")
    found = lint(text, select=["GOV002", "GOV101"], options={"GOV101": options})
    assert positions(found) == expected


def test_other_schema_findings_stay_beside_single_owner() -> None:
    text = PROCESS.replace("owner: person:mrs-davis", "owner: [person:a, person:b]") + "  onwer: x\n"
    assert positions(lint(text, select=["GOV002", "GOV101"])) == [("GOV101", 8, 3), ("GOV002", 9, 3)]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        pytest.param(
            PROCESS + "  onwer: x\n", ["unknown field 'onwer'", "owner"], id="unknown-lists-allowed"
        ),
        pytest.param(
            PROCESS.replace("  purpose: Restore normal service operation.\n", ""),
            ["missing required field 'purpose'"],
            id="missing",
        ),
        pytest.param(
            PROCESS + "  administrator: persn:dave\n", ["'persn:dave'", "person:<id>"], id="reference"
        ),
        pytest.param(PROCESS.replace("2026-01-01", "2023-02-30"), ["'2023-02-30'", "YYYY-MM-DD"], id="date"),
    ],
)
def test_messages_are_worded_for_a_person(text: str, words: list[str]) -> None:
    (found,) = lint(text, select=["GOV002"])
    assert all(w in found.message for w in words), found.message


PERSON = "apiVersion: govlint/v1\nkind: Person\nmetadata:\n  id: windy\nspec:\n  email: windy@example.org\n"


# Each message helps fix the file: a did-you-mean for unknown fields and values, plain words for the
# YAML 1.2 pitfalls.
@pytest.mark.parametrize(
    ("text", "position", "words"),
    [
        pytest.param(
            PROCESS.replace("  owner:", "  Owner:"),
            (8, 3),
            "unknown field 'Owner' in spec (did you mean 'owner'?)",
            id="unknown-field-did-you-mean",
        ),
        pytest.param(PROCESS + "  purpse: x\n", (9, 3), "(did you mean 'purpose'?)", id="misspelt-field"),
        pytest.param(
            PERSON + "  active: no\n",
            (7, 11),
            "'no', which YAML 1.2 reads as text (not false); write false",
            id="active-no",
        ),
        pytest.param(PERSON + "  active: on\n", (7, 11), "write true", id="active-on"),
        pytest.param(
            PERSON.replace("  id: windy\n", "  id: windy\n  version: 1.0\n"),
            (5, 12),
            "1.0, which YAML reads as a number; quote it: '1.0'",
            id="version-number",
        ),
        pytest.param(
            "apiVersion: govlint/v1\nkind: Policy\nmetadata: {id: p}\nspec:\n  statement: x\n"
            "  category: proces\n",
            (6, 13),
            "(did you mean 'process'?)",
            id="enum-did-you-mean",
        ),
        pytest.param(
            PROCESS.replace(
                "owner: person:mrs-davis", "administrator: Mrs. Davis\n  owner: person:mrs-davis"
            ),
            (8, 18),
            "write person:mrs-davis",
            id="name-written-for-a-reference",
        ),
    ],
)
def test_messages_help_fix_the_file(text: str, position: tuple[int, int], words: str) -> None:
    (found,) = lint(text, select=["GOV002"])
    assert (found.code, found.line, found.column) == ("GOV002", *position)
    assert words in found.message
