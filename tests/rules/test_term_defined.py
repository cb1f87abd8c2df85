import pytest

from governance_lint.testing import lint, positions

GLOSSARY = """\
apiVersion: govlint/v1
kind: Glossary
metadata: {id: itsm-terms}
spec:
  terms:
    - term: Incident
      definition: An unplanned interruption to an IT service.
    - term: Service Request
      definition: A request from a user for information, advice or access.
      synonyms: [ticket]
"""
PROCESS = """\
apiVersion: govlint/v1
kind: Process
metadata: {id: incident-management}
spec:
  purpose: Restore normal service operation as quickly as possible.
  owner: person:mrs-davis
  terms:
"""


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param(
            {
                "glossary.yaml": GLOSSARY,
                "p.yaml": PROCESS + "    - ref: term:incident\n    - ref: term:service-request\n",
            },
            [],
            id="defined",
        ),
        pytest.param(
            {"glossary.yaml": GLOSSARY, "p.yaml": PROCESS + "    - ref: term:incidents\n"},
            [("p.yaml", "GOV402", 8, 12)],
            id="undefined",
        ),
        pytest.param(
            {"p.yaml": PROCESS + "    - ref: term:incident\n"},
            [("p.yaml", "GOV402", 8, 12)],
            id="no-glossary-at-all",
        ),
        pytest.param(
            {"glossary.yaml": GLOSSARY, "p.yaml": PROCESS + "    - ref: term:ticket\n"},
            [("p.yaml", "GOV402", 8, 12)],
            id="synonym-is-not-a-term-id",
        ),
        pytest.param(
            {
                "glossary.yaml": GLOSSARY,
                "p.yaml": PROCESS + "    - term: Root Cause\n      definition: Why it broke.\n"
                "    - ref: term:root-cause\n",
            },
            [("p.yaml", "GOV402", 10, 12)],
            id="local-definition-does-not-count",
        ),
        pytest.param(
            {"glossary.yaml": GLOSSARY, "p.yaml": PROCESS + "    - ref: term:Incident\n"},
            [("p.yaml", "GOV402", 8, 12)],
            id="not-a-slug",
        ),
        pytest.param(
            {"glossary.yaml": GLOSSARY, "p.yaml": PROCESS + "    - ref: term:\n    - ref: 7\n    - x\n"},
            [],
            id="invalid-shapes-left-to-schema",
        ),
        pytest.param(
            {
                "glossary.yaml": GLOSSARY,
                "glossary2.yaml": GLOSSARY.replace("itsm-terms", "more").replace("Incident", "Change"),
                "p.yaml": PROCESS + "    - ref: term:change\n",
            },
            [],
            id="any-glossary",
        ),
    ],
)
def test_term_defined(files: dict[str, str], expected: list[tuple[str, str, int, int]]) -> None:
    found = lint(files, select=["GOV402"])
    assert [(d.path, d.code, d.line, d.column) for d in found] == expected


def test_message_points_to_the_likely_term() -> None:
    (found,) = lint(
        {"glossary.yaml": GLOSSARY, "p.yaml": PROCESS + "    - ref: term:incidents\n"},
        select=["term-defined"],
    )
    assert "term:incidents names no Glossary term" in found.message
    assert "did you mean term:incident, 'Incident' at glossary.yaml:6?" in found.message


def test_message_names_a_local_definition() -> None:
    files = {
        "p.yaml": PROCESS + "    - term: Root Cause\n      definition: Why it broke.\n"
        "    - ref: term:root-cause\n"
    }
    (found,) = lint(files, select=["GOV402"])
    assert "defined locally at p.yaml:8, not in a Glossary" in found.message


def test_single_document_positions() -> None:
    yaml = GLOSSARY + "---\n" + PROCESS + "    - ref: term:major-incident\n"
    assert positions(lint(yaml, select=["GOV402"])) == [("GOV402", 19, 12)]
