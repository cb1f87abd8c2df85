import pytest

from governance_lint.rules.term_variant import spelling_key
from governance_lint.testing import lint


def glossary(*terms: str) -> str:
    entries = "".join(f"    - term: {t}\n      definition: The meaning of {t}.\n" for t in terms)
    return f"apiVersion: govlint/v1\nkind: Glossary\nmetadata: {{id: g}}\nspec:\n  terms:\n{entries}"


def process(ident: str, *terms: str) -> str:
    entries = "".join(f"    - term: {t}\n      definition: The meaning of {t}.\n" for t in terms)
    return (
        f"apiVersion: govlint/v1\nkind: Process\nmetadata: {{id: {ident}}}\nspec:\n"
        f"  purpose: Do the work.\n  owner: person:a\n  terms:\n{entries}"
    )


# In glossary(): the Nth term sits on line 4 + 2N, column 13; in process(): on line 6 + 2N, column 13.
@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param(
            {"g.yaml": glossary("Incident"), "a.yaml": process("a", "Incident")}, [], id="identical"
        ),
        pytest.param(
            {"g.yaml": glossary("Incident"), "a.yaml": process("a", "Incidents")},
            [("a.yaml", 8, 13)],
            id="plural",
        ),
        pytest.param(
            {"g.yaml": glossary("Incidents"), "a.yaml": process("a", "Incident")},
            [("a.yaml", 8, 13)],
            id="glossary-plural-is-canonical",
        ),
        pytest.param(
            {"g.yaml": glossary("Service Request"), "a.yaml": process("a", "Service-Request")},
            [("a.yaml", 8, 13)],
            id="separator",
        ),
        pytest.param(
            {"g.yaml": glossary("Service Request"), "a.yaml": process("a", "service requests")},
            [("a.yaml", 8, 13)],
            id="case-and-plural",
        ),
        pytest.param(
            {"g.yaml": glossary("Service Request"), "a.yaml": process("a", "ServiceRequest")},
            [("a.yaml", 8, 13)],
            id="no-separator",
        ),
        # the Glossary comes first whatever the path order
        pytest.param(
            {"a.yaml": process("a", "incident"), "z.yaml": glossary("Incident")},
            [("a.yaml", 8, 13)],
            id="glossary-before-path-order",
        ),
        pytest.param(
            {"a.yaml": process("a", "Known Error"), "b.yaml": process("b", "Known Errors", "known error")},
            [("b.yaml", 8, 13), ("b.yaml", 10, 13)],
            id="path-order-without-glossary",
        ),
        pytest.param(
            {"g.yaml": glossary("Incident", "Incidents")}, [("g.yaml", 8, 13)], id="within-glossary"
        ),
        pytest.param(
            {"g.yaml": glossary("Incident", "Major Incident", "Problem", "Process")}, [], id="different-terms"
        ),
        pytest.param(
            {"g.yaml": glossary("Incident"), "a.yaml": process("a", "Incident Record")},
            [],
            id="longer-term-is-another-term",
        ),
        pytest.param({"a.yaml": process("a", "'---'", "'***'")}, [], id="only-separators"),
    ],
)
def test_term_variant(files: dict[str, str], expected: list[tuple[str, int, int]]) -> None:
    found = lint(files, select=["GOV403"])
    assert [(d.path, d.line, d.column) for d in found] == expected
    assert {d.code for d in found} <= {"GOV403"}


def test_invalid_shapes_do_not_crash() -> None:
    text = (
        "apiVersion: govlint/v1\nkind: Process\nmetadata: {id: a}\nspec:\n  terms:\n"
        "    - term: 42\n    - term: [Incident]\n    - Incident\n    - {ref: term:incident}\n"
    )
    assert lint({"g.yaml": glossary("Incident"), "a.yaml": text}, select=["GOV403"]) == []


def test_message_names_the_canonical_spelling_and_site() -> None:
    (found,) = lint(
        {"g.yaml": glossary("Service Request"), "a.yaml": process("a", "Service-Requests")},
        select=["term-variant"],
    )
    assert "'Service-Requests' is a variant of 'Service Request' (the Glossary, at g.yaml:6)" in found.message


@pytest.mark.parametrize(
    ("one", "other"),
    [("Incident", "incidents"), ("Service-Request", "Service Request"), ("Known Errors", "known_error")],
)
def test_spelling_key_joins_variants(one: str, other: str) -> None:
    assert spelling_key(one) == spelling_key(other)


@pytest.mark.parametrize(("one", "other"), [("Incident", "Major Incident"), ("Change", "Changer")])
def test_spelling_key_keeps_terms_apart(one: str, other: str) -> None:
    assert spelling_key(one) != spelling_key(other)
