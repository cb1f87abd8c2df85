import pytest

from governance_lint.testing import lint


def person(ident: str) -> str:
    """A Person whose metadata.id sits on line 3, column 16."""
    return (
        f"apiVersion: govlint/v1\nkind: Person\nmetadata: {{id: {ident}}}\nspec: {{email: a@example.org}}\n"
    )


def team(ident: str) -> str:
    return f"apiVersion: govlint/v1\nkind: Team\nmetadata: {{id: {ident}}}\nspec: {{members: []}}\n"


PROCESS = (
    "apiVersion: govlint/v1\nkind: Process\nmetadata: {id: im}\nspec:\n  purpose: R.\n  owner: person:a\n"
)


# Expected (path, line, column): the later definition only.
@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param({"a.yaml": person("windy") + "---\n" + person("ann")}, [], id="distinct"),
        pytest.param({"a.yaml": person("windy") + "---\n" + team("windy")}, [], id="same-id-other-kind"),
        pytest.param(
            {"a.yaml": person("windy") + "---\n" + person("windy")},
            [("a.yaml", 8, 16)],
            id="one-file-later-document",
        ),
        pytest.param(
            {"a.yaml": person("windy"), "b.yaml": person("windy")}, [("b.yaml", 3, 16)], id="across-files"
        ),
        pytest.param(
            {"b.yaml": person("windy"), "a.yaml": person("windy")},
            [("b.yaml", 3, 16)],
            id="path-order-not-write-order",
        ),
        pytest.param(
            {"b.yaml": person("windy"), "a/z.yaml": person("windy")},
            [("b.yaml", 3, 16)],
            id="folder-path-order",
        ),
        pytest.param(
            {"a.yaml": person("windy"), "b.yaml": person("windy"), "c.yaml": person("windy")},
            [("b.yaml", 3, 16), ("c.yaml", 3, 16)],
            id="three-each-later-reported",
        ),
        pytest.param({"a.yaml": PROCESS, "b.yaml": PROCESS}, [("b.yaml", 3, 16)], id="processes"),
        pytest.param(
            {"a.yaml": PROCESS + "  activities:\n    - id: identify\n    - id: log\n    - id: identify\n"},
            [("a.yaml", 10, 11)],
            id="activities-within-a-process",
        ),
        pytest.param(
            {
                "a.yaml": PROCESS
                + "  kpis:\n    - {id: mttr, description: x}\n    - {id: mttr, description: y}\n"
                "  csfs:\n    - id: fast\n    - id: fast\n"
            },
            [("a.yaml", 9, 12), ("a.yaml", 12, 11)],
            id="kpis-and-csfs",
        ),
        pytest.param(
            {
                "a.yaml": PROCESS
                + "  activities:\n    - id: mttr\n  kpis:\n    - {id: mttr, description: x}\n"
            },
            [],
            id="activity-and-kpi-may-share",
        ),
        pytest.param(
            {
                "a.yaml": PROCESS + "  activities:\n    - id: identify\n",
                "b.yaml": PROCESS.replace("id: im", "id: pm") + "  activities:\n    - id: identify\n",
            },
            [],
            id="activities-of-two-processes",
        ),
        pytest.param(
            {
                "a.yaml": PROCESS + "  activities: identify\n  kpis: [1, null, x, {id: 3}, {id: 3}]\n"
                "  csfs: {id: a}\n"
            },
            [],
            id="invalid-shapes",
        ),
        pytest.param({"a.yaml": person("1") + "---\n" + person("1")}, [], id="number-ids-left-to-schema"),
        pytest.param({"a.yaml": person("[a]") + "---\n" + person("[a]")}, [], id="list-ids"),
        pytest.param({"a.yaml": person("''") + "---\n" + person("null")}, [], id="empty-ids"),
    ],
)
def test_duplicate_id(files: dict[str, str], expected: list[tuple[str, int, int]]) -> None:
    found = lint(files, select=["GOV004"])
    assert {d.code for d in found} <= {"GOV004"}
    assert [(d.path, d.line, d.column) for d in found] == expected


def test_later_document_names_the_first_location() -> None:
    (found,) = lint(
        {"people/b.yaml": person("windy"), "people/a.yaml": person("windy")}, select=["duplicate-id"]
    )
    assert found.path == "people/b.yaml"
    assert "people/a.yaml:3" in found.message and "'windy'" in found.message


def test_duplicate_item_names_the_first_line() -> None:
    (found,) = lint(PROCESS + "  activities:\n    - id: identify\n    - id: identify\n", select=["GOV004"])
    assert "activity id 'identify'" in found.message and "line 8" in found.message
