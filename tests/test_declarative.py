"""Declarative rules (kind: Rule): select paths, assert schemas, messages, docs, and the rules/ pack."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from governance_lint.api import Rule
from governance_lint.cli import main
from governance_lint.config import Config, load_config
from governance_lint.declarative import format_message, parse_select
from governance_lint.docs import HEADINGS, examples, missing_headings
from governance_lint.loader import load
from governance_lint.plugins import load_local_plugins
from governance_lint.registry import Registry, builtin_registry
from governance_lint.testing import lint, positions

PROJECT = Path(__file__).resolve().parents[1]
STRICT_PACK = PROJECT / "rules" / "strict.yaml"

PROCESS = """\
apiVersion: govlint/v1
kind: Process
metadata:
  id: incident-management
  name: Incident Management
spec:
  purpose: Restore normal service operation as quickly as possible.
  owner: person:mrs-davis
  managers:
    - person: person:windy
      scope: Service Desk
    - person: person:tamika
  activities:
    - id: identify
      inputs: [user-report]
      outputs: [incident-report]
    - id: log
      outputs: [incident-record]
    - id: close
      inputs: []
  kpis:
    - {id: mttr, target: "<= 4h"}
"""


def rule_text(
    select: str,
    assert_: str,
    message: str = "'{id}' fails",
    *,
    code: str = "ACME001",
    applies: str = "[Process, Practice]",
    extra: str = "",
) -> str:
    return (
        f"apiVersion: govlint/v1\nkind: Rule\nmetadata: {{id: rule-{code.lower()}}}\nspec:\n"
        f"  code: {code}\n  severity: warning\n  description: A test rule.\n"
        f"  appliesTo: {applies}\n  select: {select}\n  assert: {assert_}\n"
        f'  message: "{message}"\n{extra}'
    )


def registry_with(tmp_path: Path, *rule_files: str) -> Registry:
    """The built-in rules plus the kind: Rule files, loaded as a config's plugins: would."""
    names = []
    for i, text in enumerate(rule_files):
        name = f"rules-{i}.yaml"
        (tmp_path / name).write_text(text)
        names.append(name)
    registry = builtin_registry()
    load_local_plugins(registry, Config(root=tmp_path, plugins=tuple(names)))
    return registry


@pytest.mark.parametrize(
    ("select", "assert_", "expected"),
    [
        # each list item that fails is one finding, at the item's first line
        (
            "spec.activities[*]",
            "{required: [inputs], properties: {inputs: {minItems: 1}}}",
            [("ACME001", 17, 7), ("ACME001", 19, 7)],
        ),
        # [N] picks one item; an index past the end selects nothing
        ("spec.activities[1]", "{required: [inputs]}", [("ACME001", 17, 7)]),
        ("spec.activities[7]", "{required: [inputs]}", []),
        # a mapping value is found at its key
        ("metadata", "{required: [version]}", [("ACME001", 3, 1)]),
        # a scalar at the scalar
        ("spec.owner", "{pattern: '^team:'}", [("ACME001", 8, 10)]),
        # a path through list items
        ("spec.managers[*].scope", "{const: Service Desk}", []),
        ("spec.managers[*]", "{required: [scope]}", [("ACME001", 12, 7)]),
        ("spec.activities[*].inputs[0]", "{pattern: '^user-'}", []),
        ("spec.activities[*].outputs[0]", "{pattern: '^incident-'}", []),
        # a path that leads nowhere selects nothing: select the parent to require a field
        ("spec.csfs[*]", "{required: [id]}", []),
        ("spec.owner.name", "{type: string}", []),
        ("spec", "{required: [csfs]}", [("ACME001", 6, 1)]),
        ("spec.kpis[*]", "{required: [csf]}", [("ACME001", 22, 7)]),
    ],
)
def test_select_and_assert_report_at_the_selected_node(
    tmp_path: Path, select: str, assert_: str, expected: list[tuple[str, int, int]]
) -> None:
    registry = registry_with(tmp_path, rule_text(select, assert_))
    assert positions(lint(PROCESS, select=["ACME001"], registry=registry)) == expected


def test_applies_to_limits_the_kinds(tmp_path: Path) -> None:
    registry = registry_with(tmp_path, rule_text("metadata", "{required: [version]}", applies="[Policy]"))
    assert lint(PROCESS, select=["ACME001"], registry=registry) == []


def test_message_is_filled_from_the_selected_node(tmp_path: Path) -> None:
    registry = registry_with(
        tmp_path,
        rule_text(
            "spec.activities[*]", "{required: [inputs]}", "activity '{id}' of {@kind} '{@id}' names no inputs"
        ),
    )
    found = lint(PROCESS, select=["ACME001"], registry=registry)
    assert [d.message for d in found] == ["activity 'log' of Process 'incident-management' names no inputs"]
    assert [(d.name, d.severity.label, d.entity, d.node) for d in found] == [
        ("rule-acme001", "warning", "process:incident-management", "spec/activities/log")
    ]


@pytest.mark.parametrize(
    ("template", "node", "expected"),
    [
        ("activity '{id}'", {"id": "log"}, "activity 'log'"),
        ("missing '{name}'", {"id": "log"}, "missing ''"),
        ("nested {raci.accountable}", {"raci": {"accountable": "person:windy"}}, "nested person:windy"),
        ("list {inputs}", {"inputs": ["a", "b"]}, "list a, b"),
        ("number {target} {ok}", {"target": 95, "ok": True}, "number 95 true"),
        ("itself {.}", "person:windy", "itself person:windy"),
        ("document {@id} {@kind}", {}, "document incident-management Process"),
        # braces that form no placeholder are kept as written; {{ }} are literal braces
        ("odd { and } and {1} and {a b} {", {"a": 1}, "odd { and } and {1} and {a b} {"),
        ("{{id}} is {id}", {"id": "x"}, "{id} is x"),
        ("{__class__} {id.__len__}", {"id": "x"}, " "),
        ("a field of a scalar {id}", "text", "a field of a scalar "),
        ("long {d}", {"d": "x" * 200}, "long " + "x" * 79 + "…"),
    ],
)
def test_format_message_never_raises(template: str, node: object, expected: str) -> None:
    doc = load("p.yaml", PROCESS.encode()).documents[0]
    assert format_message(template, node, doc) == expected


@pytest.mark.parametrize(
    ("text", "steps"),
    [
        ("metadata", ("metadata",)),
        ("spec.activities[*]", ("spec", "activities", None)),
        ("spec.managers[0].scope", ("spec", "managers", 0, "scope")),
        ("spec.matrix[*][2]", ("spec", "matrix", None, 2)),
        ("spec.sub_field-x", ("spec", "sub_field-x")),
    ],
)
def test_parse_select(text: str, steps: tuple[object, ...]) -> None:
    assert parse_select(text) == steps


@pytest.mark.parametrize(
    "text",
    [
        "",
        ".",
        "spec.",
        "spec..x",
        "spec.activities[]",
        "spec.a[-1]",
        "spec.a[x]",
        "spec a",
        "[*]",
        "spec.a[*",
        "1abc",
    ],
)
def test_parse_select_refuses_bad_paths(text: str) -> None:
    with pytest.raises(ValueError, match="bad select path"):
        parse_select(text)


def test_name_defaults_to_the_metadata_id_and_can_be_set(tmp_path: Path) -> None:
    named = rule_text("metadata", "{required: [version]}", code="ACME002", extra="  name: versioned\n")
    registry = registry_with(tmp_path, rule_text("metadata", "{required: [version]}"), named)
    assert registry.lookup("rule-acme001").code == "ACME001"  # type: ignore[union-attr]
    assert registry.lookup("versioned").code == "ACME002"  # type: ignore[union-attr]
    assert registry.get("ACME001").source == "rules-0.yaml:5"


def test_explain_shows_declarative_docs_in_the_built_in_format(tmp_path: Path) -> None:
    documentation = "  documentation:\n    fails: |\n      kind: Bad\n    passes: |\n      kind: Good\n"
    (tmp_path / "rules.yaml").write_text(rule_text("metadata", "{required: [version]}", extra=documentation))
    (tmp_path / ".govlint.yaml").write_text("plugins: [rules.yaml]\n")
    result = CliRunner().invoke(
        main, ["explain", "ACME001", "--config", str(tmp_path / ".govlint.yaml")], catch_exceptions=False
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("ACME001 rule-acme001 — default severity warning\n")
    headings = [line[3:] for line in result.stdout.splitlines() if line.startswith("## ")]
    assert tuple(headings) == HEADINGS
    assert "```yaml\nkind: Bad\n```" in result.stdout and "```yaml\nkind: Good\n```" in result.stdout
    assert '"version"' in result.stdout  # the assert schema is shown


# -- the strict pack in rules/ ------------------------------------------------


def strict_registry() -> Registry:
    registry = builtin_registry()
    load_local_plugins(registry, Config(root=PROJECT, plugins=(str(STRICT_PACK),)))
    return registry


STRICT = [r for r in strict_registry() if r.code.startswith("STRICT")]


def test_the_strict_pack_has_rules() -> None:
    assert [r.code for r in STRICT] == ["STRICT001", "STRICT002", "STRICT003", "STRICT004", "STRICT005"]


@pytest.mark.parametrize("rule", STRICT, ids=lambda r: r.code)
def test_strict_pack_examples_do_what_they_say(rule: Rule) -> None:
    assert missing_headings(rule) == []
    failing, passing = examples(rule)
    registry = strict_registry()
    assert [d.code for d in lint(failing, select=[rule.code], registry=registry)] == [rule.code]
    assert lint(passing, select=[rule.code], registry=registry) == []


def test_strict_pack_over_the_clean_example(tmp_path: Path) -> None:
    clean = tmp_path / "clean"
    shutil.copytree(PROJECT / "examples" / "clean", clean)
    config = clean / "strict.govlint.yaml"
    config.write_text(f"plugins: [{STRICT_PACK}]\n")
    result = CliRunner().invoke(
        main,
        ["check", str(clean), "--config", str(config), "--select", "STRICT", "--format", "json"],
        catch_exceptions=False,
    )
    found = [(d["path"], d["line"], d["column"], d["code"]) for d in json.loads(result.stdout)["diagnostics"]]
    assert found == [
        ("governance/policies/corporate.yaml", 8, 1, "STRICT003"),
        ("governance/policies/corporate.yaml", 20, 1, "STRICT003"),
        ("governance/practices/service-desk.yaml", 37, 7, "STRICT001"),
    ]
    assert result.exit_code == 0  # warnings only


def test_the_pack_is_itself_clean_governance_data() -> None:
    """rules/ is checked by govlint like any governance file (GOV002 checks the Rule schema)."""
    assert lint({"rules/strict.yaml": STRICT_PACK.read_text()}) == []


def test_declarative_example_fires_at_the_selected_lines() -> None:
    example = PROJECT / "examples" / "declarative"
    config = load_config(example / ".govlint.yaml", example)
    registry = builtin_registry()
    load_local_plugins(registry, config)
    text = (example / "governance" / "incident-management.yaml").read_text()
    found = lint(text, select=["ACME"], registry=registry)
    assert [(d.code, d.line, d.column, d.message) for d in found] == [
        (
            "ACME002",
            10,
            7,
            (
                "the first manager (person:tamika) of 'incident-management' is scoped to "
                "'Messaging and Collaboration', not the Service Desk"
            ),
        ),
        ("ACME001", 19, 7, "activity 'log' names no inputs"),
    ]
