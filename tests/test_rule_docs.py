"""Every rule's documentation has the fixed headings, and its two examples do what they say."""

import pytest

from governance_lint.api import Rule, Severity
from governance_lint.docs import HEADINGS, DocError, directory_example, examples, missing_headings, sections
from governance_lint.registry import builtin_registry
from governance_lint.testing import lint

RULES = list(builtin_registry())


@pytest.mark.parametrize("rule", RULES, ids=lambda r: f"{r.code}-{r.name}")
def test_doc_has_the_fixed_headings(rule: Rule) -> None:
    assert missing_headings(rule) == []
    assert all(sections(rule)[h] for h in HEADINGS), "every section has text"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: f"{r.code}-{r.name}")
def test_failing_example_fails(rule: Rule) -> None:
    failing, _ = examples(rule)
    found = lint(failing, select=[rule.code], directory=directory_example(rule))
    assert [d for d in found if d.code == rule.code], f"{rule.code}'s failing example produces no {rule.code}"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: f"{r.code}-{r.name}")
def test_passing_example_passes(rule: Rule) -> None:
    _, passing = examples(rule)
    found = lint(passing, select=[rule.code], directory=directory_example(rule))
    assert [(d.code, d.line, d.column, d.message) for d in found if d.code == rule.code] == []


def test_the_registry_has_rules() -> None:
    assert len(RULES) >= 20


DOC = """
## What it checks
Something.

## Why it matters
A reason.

## Example (fails)
Text before.
```yaml
kind: Bad
```

## Use instead (passes)
```yml
kind: Good
```

## Options
None.
"""


def _rule(doc: str) -> Rule:
    return Rule(code="ACME001", name="acme", severity=Severity.INFO, summary="s", doc=doc)


def test_examples_are_the_yaml_blocks_under_their_headings() -> None:
    assert examples(_rule(DOC)) == ("kind: Bad\n", "kind: Good\n")
    assert missing_headings(_rule(DOC)) == []


def test_missing_example_is_named() -> None:
    with pytest.raises(DocError, match=r"ACME001 acme: '## Use instead \(passes\)' holds no ```yaml block"):
        examples(_rule(DOC.replace("```yml", "```text")))
    with pytest.raises(DocError, match="no '## Example \\(fails\\)' section"):
        examples(_rule(DOC.replace("## Example (fails)", "## Example")))


def test_missing_and_misordered_headings_are_named() -> None:
    assert missing_headings(_rule(DOC.replace("## Why it matters", "## Why"))) == ["Why it matters"]
    what, why = "## What it checks", "## Why it matters"
    swapped = DOC.replace(what, "## TMP").replace(why, what).replace("## TMP", why)
    assert missing_headings(_rule(swapped))[0].startswith("headings out of order")
