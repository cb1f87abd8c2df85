"""The README's rule table comes from the registry and cannot drift from it."""

from __future__ import annotations

from pathlib import Path

from governance_lint.docs import RULES_END, RULES_START, with_rules_table
from governance_lint.registry import builtin_registry

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_rule_table_matches_the_registry() -> None:
    current = README.read_text(encoding="utf-8")
    assert current.count(RULES_START) == 1 and current.count(RULES_END) == 1
    assert with_rules_table(current, list(builtin_registry())) == current, (
        "run: python scripts/generate_docs.py"
    )


def test_every_rule_has_a_row() -> None:
    table = README.read_text(encoding="utf-8").split(RULES_START)[1].split(RULES_END)[0]
    for rule in builtin_registry():
        assert f"| {rule.code} | `{rule.name}` |" in table
