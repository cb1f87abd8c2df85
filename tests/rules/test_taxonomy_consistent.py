import pytest

from governance_lint.testing import lint


def glossary(ident: str, *terms: tuple[str, str]) -> str:
    """The Nth term (from 0) sits on line 6 + 2N, column 13."""
    entries = "".join(f"    - term: {t}\n      definition: {d}\n" for t, d in terms)
    return f"apiVersion: govlint/v1\nkind: Glossary\nmetadata: {{id: {ident}}}\nspec:\n  terms:\n{entries}"


def process(ident: str, *terms: tuple[str, str]) -> str:
    """The Nth term (from 0) sits on line 8 + 2N, column 13."""
    entries = "".join(f"    - term: {t}\n      definition: {d}\n" for t, d in terms)
    return (
        f"apiVersion: govlint/v1\nkind: Process\nmetadata: {{id: {ident}}}\nspec:\n"
        f"  purpose: R.\n  owner: person:a\n  terms:\n{entries}"
    )


ONE = ("Incident", "An unplanned interruption.")
TWO = ("Incident", "Anything a user calls about.")


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param({"g.yaml": glossary("g", ONE), "a.yaml": process("a", ONE)}, [], id="same-definition"),
        pytest.param(
            {"g.yaml": glossary("g", ONE), "a.yaml": process("a", TWO)},
            [("a.yaml", 8, 13)],
            id="differs-from-glossary",
        ),
        pytest.param(
            {"z.yaml": glossary("g", ONE), "a.yaml": process("a", TWO)},
            [("a.yaml", 8, 13)],
            id="glossary-first-whatever-the-path-order",
        ),
        pytest.param(
            {"a.yaml": process("a", ONE), "b.yaml": process("b", TWO)},
            [("b.yaml", 8, 13)],
            id="path-order-without-glossary",
        ),
        pytest.param(
            {"b.yaml": process("b", ONE), "a.yaml": process("a", TWO)},
            [("b.yaml", 8, 13)],
            id="path-order-not-write-order",
        ),
        pytest.param({"a.yaml": process("a", ONE, TWO)}, [("a.yaml", 10, 13)], id="within-one-process"),
        pytest.param({"g.yaml": glossary("g", ONE, TWO)}, [("g.yaml", 8, 13)], id="within-one-glossary"),
        pytest.param(
            {"g.yaml": glossary("g", ONE), "h.yaml": glossary("h", TWO)},
            [("h.yaml", 6, 13)],
            id="second-glossary",
        ),
        pytest.param(
            {
                "g.yaml": glossary("g", ONE),
                "a.yaml": process("a", TWO),
                "b.yaml": process("b", ("Incident", "Three.")),
            },
            [("a.yaml", 8, 13), ("b.yaml", 8, 13)],
            id="each-against-the-canonical",
        ),
        pytest.param(
            {
                "a.yaml": process("a", ("Service Request", "One.")),
                "b.yaml": process("b", ("service-request", "Two.")),
            },
            [("b.yaml", 8, 13)],
            id="by-slug",
        ),
        pytest.param(
            {
                "a.yaml": process("a", ("Incident", "An   unplanned\n        interruption.")),
                "b.yaml": process("b", ONE),
            },
            [],
            id="spacing-does-not-differ",
        ),
        pytest.param(
            {"a.yaml": process("a", ("Incident", "Problem"), ("Problem", "Other."))}, [], id="different-terms"
        ),
        pytest.param(
            {
                "a.yaml": process("a", ("Incident", "null"), ("Incident", "42"), ONE),
                "b.yaml": process("b", TWO),
            },
            [("b.yaml", 8, 13)],
            id="no-text-definition-is-skipped",
        ),
    ],
)
def test_taxonomy_consistent(files: dict[str, str], expected: list[tuple[str, int, int]]) -> None:
    found = lint(files, select=["GOV401"])
    assert {d.code for d in found} <= {"GOV401"}
    assert [(d.path, d.line, d.column) for d in found] == expected


def test_invalid_shapes_do_not_crash() -> None:
    a = "apiVersion: govlint/v1\nkind: Process\nmetadata: {id: a}\nspec:\n  terms: Incident\n"
    b = (
        "apiVersion: govlint/v1\nkind: Process\nmetadata: {id: b}\nspec:\n  terms: [1, null, Incident, "
        "{term: 4, definition: x}, {term: [I], definition: y}, {ref: term:incident}]\n"
    )
    assert lint({"g.yaml": glossary("g", ONE), "a.yaml": a, "b.yaml": b}, select=["GOV401"]) == []


def test_message_names_the_canonical_location() -> None:
    (found,) = lint(
        {"processes/a.yaml": process("a", TWO), "terms/g.yaml": glossary("g", ONE)},
        select=["taxonomy-consistent"],
    )
    assert found.path == "processes/a.yaml"
    assert "'Incident'" in found.message and "terms/g.yaml:6" in found.message
