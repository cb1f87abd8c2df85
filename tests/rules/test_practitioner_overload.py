from pathlib import Path

import pytest

from governance_lint.config import Config, RuleSetting
from governance_lint.engine import Selection, UsageError, make_plan
from governance_lint.registry import builtin_registry
from governance_lint.testing import DEFAULT_TODAY, lint, positions

TEAMS = """\
apiVersion: govlint/v1
kind: Team
metadata: {id: service-desk}
spec: {members: [person:windy]}
---
apiVersion: govlint/v1
kind: Person
metadata: {id: windy}
spec: {email: windy@example.org}
"""


def process(ident: str, responsible: list[str]) -> str:
    """A process with one activity per entry of ``responsible`` (the entry's raci.responsible, as YAML)."""
    head = (
        f"apiVersion: govlint/v1\nkind: Process\nmetadata: {{id: {ident}}}\nspec:\n"
        "  purpose: P.\n  owner: person:windy\n  activities:\n"
    )
    return head + "".join(
        f"    - {{id: a{i}, raci: {{responsible: {who}, accountable: person:windy}}}}\n"
        for i, who in enumerate(responsible)
    )


@pytest.mark.parametrize(
    ("files", "options", "expected"),
    [
        pytest.param({"a.yaml": process("a", ["[team:service-desk]"] * 12)}, {}, [], id="at-the-limit"),
        pytest.param(
            {"a.yaml": process("a", ["[team:service-desk]"] * 13)},
            {},
            [("GOV205", 3, 16)],
            id="over-the-limit",
        ),
        pytest.param(
            {
                "a.yaml": process("a", ["[team:service-desk]"] * 7),
                "b.yaml": process("b", ["[team:service-desk]"] * 6),
            },
            {},
            [("GOV205", 3, 16)],
            id="across-processes",
        ),
        pytest.param(
            {"a.yaml": process("a", ["[team:service-desk]"] * 3)},
            {"max-activities": 2},
            [("GOV205", 3, 16)],
            id="option-lowers-the-limit",
        ),
        pytest.param(
            {"a.yaml": process("a", ["[team:service-desk]"] * 13)},
            {"max-activities": 20},
            [],
            id="option-raises-the-limit",
        ),
        pytest.param(
            {"a.yaml": process("a", ["[person:windy]"] * 3)},
            {"max-activities": 2},
            [("GOV205", 8, 16)],
            id="a-person",
        ),
        pytest.param(
            {"a.yaml": process("a", ["[team:service-desk, team:service-desk]"] * 2)},
            {"max-activities": 2},
            [],
            id="named-twice-in-one-activity-counts-once",
        ),
        pytest.param(
            {"a.yaml": process("a", ["team:service-desk"] * 3)},
            {"max-activities": 2},
            [("GOV205", 3, 16)],
            id="lone-string",
        ),
        pytest.param(
            {"a.yaml": process("a", ["[team:nobody]"] * 3)},
            {"max-activities": 2},
            [],
            id="no-document-left-to-gov005",
        ),
        pytest.param(
            {"a.yaml": process("a", ["[policy:x]", "[1]", "{a: b}", "null"])},
            {"max-activities": 1},
            [],
            id="not-practitioners",
        ),
    ],
)
def test_practitioner_overload(
    files: dict[str, str], options: dict[str, int], expected: list[tuple[str, int, int]]
) -> None:
    found = lint({"people.yaml": TEAMS, **files}, select=["GOV205"], options={"GOV205": options})
    assert all(d.path == "people.yaml" for d in found)
    assert positions(found) == expected


def test_reported_once_naming_count_and_processes() -> None:
    files = {
        "people.yaml": TEAMS,
        "a.yaml": process("a", ["[team:service-desk]"] * 2),
        "b.yaml": process("b", ["[team:service-desk]"]),
    }
    [finding] = lint(files, select=["GOV205"], options={"practitioner-overload": {"max-activities": 2}})
    assert "3 activities" in finding.message
    assert "process:a (2)" in finding.message and "process:b (1)" in finding.message


def test_a_practitioner_defined_twice_is_reported_once_at_the_first() -> None:
    twice = "apiVersion: govlint/v1\nkind: Person\nmetadata: {id: kim}\nspec: {email: kim@example.org}\n"
    files = {
        "people.yaml": TEAMS,
        "a-kim.yaml": twice,
        "b-kim.yaml": twice,
        "a.yaml": process("a", ["[person:kim]"] * 13),
    }
    found = lint(files, select=["GOV205"])
    assert [(d.path, d.line) for d in found] == [("a-kim.yaml", 3)]


@pytest.mark.parametrize("value", [0, -3, "x", 1.5, None])
def test_bad_option_is_a_usage_error(value: object, tmp_path: Path) -> None:
    config = Config(root=tmp_path, rules={"GOV205": RuleSetting(options={"max-activities": value})})
    with pytest.raises(UsageError, match=r"GOV205.*practitioner-overload.*max-activities"):
        make_plan(builtin_registry(), config, Selection(), DEFAULT_TODAY)


def test_unknown_option_is_a_usage_error(tmp_path: Path) -> None:
    config = Config(root=tmp_path, rules={"practitioner-overload": RuleSetting(options={"max": 3})})
    with pytest.raises(UsageError, match=r"GOV205.*max-activities"):
        make_plan(builtin_registry(), config, Selection(), DEFAULT_TODAY)
