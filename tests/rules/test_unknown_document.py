import pytest

from governance_lint.testing import lint, positions

# A valid governance document: the file below it is a governance file.
PERSON = (
    "apiVersion: govlint/v1\nkind: Person\nmetadata: {id: windy}\nspec: {email: windy@example.org}\n---\n"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            PERSON + "apiVersion: govlint/v1\nkind: Team\nmetadata: {id: sd}\nspec: {members: []}\n",
            [],
            id="all-governance",
        ),
        pytest.param(
            PERSON + "kind: Person\nmetadata: {id: ann}\nspec: {}\n",
            [("GOV003", 6, 1)],
            id="missing-apiversion",
        ),
        pytest.param(
            "kind: Person\nmetadata: {id: ann}\n---\n" + PERSON,
            [("GOV003", 1, 1)],
            id="missing-apiversion-before-a-governance-document",
        ),
        pytest.param(
            PERSON + "# a comment\n\napiVersion: govlint/v2\nkind: Person\n",
            [("GOV003", 8, 1)],
            id="unsupported-version-at-the-first-line",
        ),
        pytest.param(
            "apiVersion: govlint/v2\nkind: Person\n", [("GOV003", 1, 1)], id="unsupported-version-alone"
        ),
        pytest.param(
            PERSON + "apiVersion: other/v1\nkind: Person\n", [("GOV003", 6, 1)], id="foreign-version"
        ),
        pytest.param(PERSON + "apiVersion: 1\nkind: Person\n", [("GOV003", 6, 1)], id="number-version"),
        pytest.param(
            PERSON + "apiVersion: govlint/v1\nmetadata: {id: ann}\n", [("GOV003", 6, 1)], id="missing-kind"
        ),
        pytest.param(PERSON + "apiVersion: govlint/v1\nkind: null\n", [("GOV003", 6, 1)], id="null-kind"),
        pytest.param(
            PERSON + "apiVersion: govlint/v1\nkind: Proces\n", [("GOV003", 6, 1)], id="misspelt-kind"
        ),
        pytest.param(PERSON + "apiVersion: govlint/v1\nkind: [Person]\n", [("GOV003", 6, 1)], id="list-kind"),
        pytest.param(PERSON + "apiVersion: govlint/v1\nkind: 42\n", [("GOV003", 6, 1)], id="number-kind"),
        pytest.param(PERSON + "- a\n- b\n", [("GOV003", 6, 1)], id="list-document"),
        pytest.param(PERSON + "just text\n", [("GOV003", 6, 1)], id="scalar-document"),
        pytest.param(PERSON, [], id="trailing-empty-document"),
        pytest.param("name: ci\non: push\njobs: {}\n", [], id="non-governance-yaml-skipped"),
        pytest.param("apiVersion: apps/v1\nkind: Deployment\n", [], id="kubernetes-skipped"),
        pytest.param("- 1\n- 2\n---\n42\n", [], id="non-governance-documents-skipped"),
        # Near misses: governance gone wrong in a file that would otherwise be skipped.
        pytest.param(
            "# people\napiVersion: govlnt/v1\nkind: Person\nmetadata: {id: ann}\n",
            [("GOV003", 2, 1)],
            id="near-miss-version",
        ),
        pytest.param("apiversion: govlint/v1\nkind: Process\n", [("GOV003", 1, 1)], id="near-miss-key"),
        pytest.param(
            "kind: Process\nmetadata: {id: im}\nspec: {}\n", [("GOV003", 1, 1)], id="near-miss-no-apiversion"
        ),
        pytest.param("kind: team\nspec: {members: []}\n", [("GOV003", 1, 1)], id="near-miss-lower-case-kind"),
        pytest.param(
            "apiVersion: v1\nkind: Service\nmetadata: {name: web}\n", [], id="kubernetes-service-skipped"
        ),
        pytest.param("kind: Service\nname: web\n", [], id="kind-alone-is-not-governance"),
        pytest.param("version: 2\nkind: Rule\nname: x\n", [], id="version-is-not-apiversion"),
    ],
)
def test_unknown_document(text: str, expected: list[tuple[str, int, int]]) -> None:
    assert positions(lint(text, select=["GOV003"])) == expected


@pytest.mark.parametrize(
    ("document", "words", "absent"),
    [
        pytest.param("kind: Person\n", ["no apiVersion"], [], id="missing-apiversion"),
        pytest.param(
            "apiVersion: govlint/v2\nkind: Person\n", ["'govlint/v2'", "govlint/v1"], [], id="version"
        ),
        pytest.param("apiVersion: govlint/v1\n", ["no kind", "Process"], [], id="missing-kind"),
        pytest.param(
            "apiVersion: govlint/v1\nkind: Proces\n", ["did you mean 'Process'?"], [], id="did-you-mean"
        ),
        pytest.param(
            "apiVersion: govlint/v1\nkind: Zebra\n",
            ["'Zebra'", "Glossary"],
            ["did you mean"],
            id="no-close-kind-lists-kinds",
        ),
        pytest.param(
            "apiVersion: govlint/v1\nkind: [Person]\n",
            ["not supported"],
            ["did you mean"],
            id="no-suggestion-for-a-list",
        ),
        pytest.param("- a\n", ["a list"], ["list'>"], id="list-document"),
        pytest.param("text\n", ["a single value"], ["str"], id="scalar-document"),
        pytest.param(
            "apiversion: govlint/v1\nkind: Person\n",
            ["'apiversion'", "did you mean 'apiVersion: govlint/v1'?"],
            [],
            id="misspelled-key",
        ),
        pytest.param(
            "apiVersion: govlnt/v1\nkind: Person\n",
            ["'govlnt/v1'", "did you mean 'govlint/v1'?"],
            [],
            id="misspelled-version",
        ),
        pytest.param(
            "kind: Person\nmetadata: {id: ann}\n",
            ["did you mean to add 'apiVersion: govlint/v1'?"],
            [],
            id="missing-apiversion-did-you-mean",
        ),
    ],
)
def test_message(document: str, words: list[str], absent: list[str]) -> None:
    (found,) = lint(PERSON + document, select=["GOV003"])
    assert all(w in found.message for w in words), found.message
    assert not any(a in found.message for a in absent), found.message


def test_non_governance_file_counts_nothing_beside_a_governance_file() -> None:
    found = lint({"people.yaml": PERSON, "ci.yaml": "name: ci\non: push\n"}, select=["GOV003"])
    assert found == []
