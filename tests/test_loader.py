"""The loader: YAML 1.2 values, positions, encodings, limits and hostile input.

Tables of (input, expected); assertions are on data, codes and positions,
not on wording (except that limit messages name their limit).
"""

from __future__ import annotations

from typing import Any

import pytest

from governance_lint.loader import DEFAULT_LIMITS, load
from governance_lint.model import Limits, Position

GOV = b"apiVersion: govlint/v1\n"


def short_id(value: object) -> str | None:
    """Test ids for byte inputs: the first characters, so megabyte inputs stay readable."""
    return repr(value[:30]) if isinstance(value, bytes) else None


# The loader reports under a role; these rules stand for them.
CODE_OF_ROLE = {"syntax": "GOV001", "schema": "GOV002"}


def findings(content: bytes, limits: Limits = DEFAULT_LIMITS) -> list[tuple[str, int, int]]:
    return [
        (CODE_OF_ROLE[p.role], p.position.line, p.position.column)
        for p in load("f.yaml", content, limits).problems
    ]


def only_data(content: bytes) -> Any:
    result = load("f.yaml", content)
    assert result.problems == ()
    assert len(result.documents) == 1
    return result.documents[0].data


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yes", "yes"),
        ("on", "on"),
        ("No", "No"),
        ("true", True),
        ("FALSE", False),
        ("~", None),
        ("null", None),
        ("", None),
        ("012", 12),
        ("-7", -7),
        ("+3", 3),
        ("0o12", 10),
        ("0x1F", 31),
        ("0b11", "0b11"),
        ("1_000", "1_000"),
        ("1.5", 1.5),
        ("1e3", 1000.0),
        (".5", 0.5),
        ("2026-06-30", "2026-06-30"),
        ("12:30", "12:30"),
        ("'012'", "012"),
        ('"true"', "true"),
        ("!!str 12", "12"),
        ("!!int '12'", 12),
        ("!!float 1", 1.0),
        ("!!bool true", True),
        ("!!null ''", None),
        ("! 12", "12"),
        ("|\n  text\n", "text\n"),
        ("<< ", "<<"),
    ],
)
def test_yaml_12_core_schema_values(text: str, expected: Any) -> None:
    value = only_data(b"v: " + text.encode())["v"]
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"v: .inf\n", [("GOV002", 2, 4)]),
        (b"v: -.Inf\n", [("GOV002", 2, 4)]),
        (b"v: .nan\n", [("GOV002", 2, 4)]),
        (b"v: 1e999\n", [("GOV002", 2, 4)]),
        (b"v: 18446744073709551616\n", [("GOV002", 2, 4)]),
        (b"v: 18446744073709551615\n", []),
        (b"v: -9223372036854775809\n", [("GOV002", 2, 4)]),
        (b"v: " + b"9" * 50_000 + b"\n", [("GOV002", 2, 4)]),
        (b"v: 0x" + b"f" * 17 + b"\n", [("GOV002", 2, 4)]),
        (b"v: " + b"0" * 5000 + b"1\n", []),
        (b"v: !!int abc\n", [("GOV002", 2, 4)]),
        (b"v: !!bool yes\n", [("GOV002", 2, 4)]),
    ],
    ids=short_id,
)
def test_values_no_schema_can_hold(content: bytes, expected: list[tuple[str, int, int]]) -> None:
    assert findings(GOV + content) == expected
    # Outside governance documents the same values are not findings.
    assert findings(b"other: 1\n" + content) == []


def test_unholdable_values_keep_their_source_text() -> None:
    data = load("f.yaml", GOV + b"a: .nan\nb: 99999999999999999999999\n").documents[0].data
    assert data["a"] == ".nan" and data["b"] == "99999999999999999999999"


PROCESS = b"""\
apiVersion: govlint/v1
kind: Process
metadata:
  id: incident-management
spec:
  owner: person:mrs-davis
  managers:
    - person: person:windy
      scope: Service Desk
    -   person: person:tamika
  policies: [policy:a, policy:b]
  purpose: >
    Restore service.
"""


@pytest.mark.parametrize(
    ("path", "key", "expected"),
    [
        ((), False, (1, 1)),
        (("kind",), False, (2, 7)),
        (("kind",), True, (2, 1)),
        (("metadata",), False, (3, 1)),
        (("metadata", "id"), False, (4, 7)),
        (("spec", "managers"), False, (7, 3)),
        (("spec", "managers", 0), False, (8, 7)),
        (("spec", "managers", 0, "scope"), False, (9, 14)),
        (("spec", "managers", 0, "scope"), True, (9, 7)),
        (("spec", "managers", 1), False, (10, 9)),
        (("spec", "policies", 1), False, (11, 24)),
        (("spec", "purpose"), False, (12, 12)),
        # Missing paths: the nearest existing ancestor (a key, an item, the root).
        (("spec", "missing"), False, (5, 1)),
        (("spec", "managers", 1, "scope"), False, (10, 9)),
        (("spec", "managers", 7), False, (7, 3)),
        (("spec", "owner", "deeper"), False, (6, 3)),
        (("nothing", "at", "all"), False, (1, 1)),
        (("spec", "managers", "name"), False, (7, 3)),
    ],
)
def test_positions(path: tuple[Any, ...], key: bool, expected: tuple[int, int]) -> None:
    document = load("f.yaml", PROCESS).documents[0]
    assert document.position(path, key=key) == Position(*expected)


def test_document_start_is_its_first_line() -> None:
    result = load("f.yaml", b"# comment\na: 1\n---\n\nb: 2\n")
    assert [d.start for d in result.documents] == [Position(2, 1), Position(5, 1)]
    assert [d.index for d in result.documents] == [0, 1]


def test_crlf_positions() -> None:
    document = load("f.yaml", PROCESS.replace(b"\n", b"\r\n")).documents[0]
    assert document.data == load("f.yaml", PROCESS).documents[0].data
    assert document.position(("spec", "managers", 0, "scope")) == Position(9, 14)
    assert findings(b"a: 1\r\nb: \x00\r\n") == [("GOV001", 2, 4)]


def test_bom_is_stripped_and_positions_unaffected() -> None:
    document = load("f.yaml", b"\xef\xbb\xbfa: 1\nb: x\n").documents[0]
    assert document.data == {"a": 1, "b": "x"}
    assert document.position(("a",)) == Position(1, 4)
    assert findings(b"\xef\xbb\xbfa: [\n") == [("GOV001", 2, 1)]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("a: 1\n".encode("utf-16"), [("GOV001", 1, 1)]),
        ("a: 1\n".encode("utf-16-le"), [("GOV001", 1, 1)]),
        ("a: 1\n".encode("utf-16-be"), [("GOV001", 1, 1)]),
        ("a: 1\n".encode("utf-32"), [("GOV001", 1, 1)]),
        (b"a: 1\nb: caf\xe9 ok\n", [("GOV001", 2, 7)]),
        ("a: 1\nb: \u00e9\u00e9".encode() + b"\xff\n", [("GOV001", 2, 6)]),
        (b"a: 1\nbb: x\x00\n", [("GOV001", 2, 6)]),
        (b"a: \x1b[31m\n", [("GOV001", 1, 4)]),
        (b"a: x\x7f\n", [("GOV001", 1, 5)]),
        (b"a: 1\r\n\tb: \x07\n", [("GOV001", 2, 5)]),
        (b"", []),
        (b"\n\n", []),
        (b"# only\n  # comments\n", []),
        (b"\xef\xbb\xbf", []),
    ],
    ids=short_id,
)
def test_bytes(content: bytes, expected: list[tuple[str, int, int]]) -> None:
    result = load("f.yaml", content)
    assert findings(content) == expected
    if not expected:
        assert result.documents == ()


def test_multiple_documents() -> None:
    result = load("f.yaml", b"a: 1\n---\n---\nb: 2\n...\n---\nc\n")
    assert [d.data for d in result.documents] == [{"a": 1}, None, {"b": 2}, "c"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"owner: a\nspec: 1\nowner: b\n", [("GOV001", 3, 1)]),
        (b"m: {a: 1, a: 2}\n", [("GOV001", 1, 11)]),
        (b"m:\n  'a': 1\n  a: 2\n", [("GOV001", 3, 3)]),
    ],
    ids=short_id,
)
def test_duplicate_keys(content: bytes, expected: list[tuple[str, int, int]]) -> None:
    assert findings(content) == expected
    assert findings(GOV + content) == [(c, line + 1, col) for c, line, col in expected]


def test_duplicate_key_keeps_the_first_and_names_it() -> None:
    result = load("f.yaml", b"owner: a\nowner: b\n")
    assert result.documents[0].data == {"owner": "a"}
    assert "line 1" in result.problems[0].message


@pytest.mark.parametrize(
    ("content", "expected_data", "expected"),
    [
        (b"1: a\n", {"1": "a"}, [("GOV002", 2, 1)]),
        (b"true: a\n", {"true": "a"}, [("GOV002", 2, 1)]),
        (b"~: a\n", {"~": "a"}, [("GOV002", 2, 1)]),
        (b"1.5: a\n", {"1.5": "a"}, [("GOV002", 2, 1)]),
        (b"[x]: a\nb: c\n", {"b": "c"}, [("GOV002", 2, 1)]),
        (b"? {x: 1}\n: a\n", {}, [("GOV002", 2, 3)]),
        (b"'1': a\nyes: b\n", {"1": "a", "yes": "b"}, []),
    ],
    ids=short_id,
)
def test_non_string_keys(
    content: bytes, expected_data: dict[str, Any], expected: list[tuple[str, int, int]]
) -> None:
    result = load("f.yaml", GOV + content)
    assert {k: v for k, v in result.documents[0].data.items() if k != "apiVersion"} == expected_data
    assert findings(GOV + content) == expected
    assert findings(content) == []


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"x: !!python/object/apply:os.system ['echo hi']\n", [("GOV001", 1, 4)]),
        (GOV + b"x: !!python/name:os.system\n", [("GOV001", 2, 4)]),
        (b"- !!python/object:__main__.X {a: 1}\n", [("GOV001", 1, 3)]),
        (GOV + b"x: !Ref Bucket\n", [("GOV001", 2, 4)]),
        (GOV + b"x: !!binary aGk=\n", [("GOV001", 2, 4)]),
        (GOV + b"x: !custom {a: 1}\n", [("GOV001", 2, 4)]),
        (b"Resources:\n  x: !Ref Bucket\n  y: !GetAtt [a, b]\n", []),
        (GOV + b"x: !!map {a: 1}\ny: !!seq [1]\n", []),
        (GOV + b"x: !!seq {a: 1}\n", [("GOV002", 2, 4)]),
    ],
    ids=short_id,
)
def test_tags_are_never_constructed(content: bytes, expected: list[tuple[str, int, int]]) -> None:
    result = load("f.yaml", content)
    assert findings(content) == expected
    assert result.documents  # a tag is a finding, not a lost document


def test_tagged_value_is_its_plain_value() -> None:
    data = load("f.yaml", b"x: !!python/object/apply:os.system ['echo hi']\ny: !Ref B\n").documents[0].data
    assert data == {"x": ["echo hi"], "y": "B"}


def billion_laughs(levels: int = 9, width: int = 10) -> bytes:
    lines = [b"a0: &a0 [lol]"]
    for level in range(1, levels + 1):
        aliases = b", ".join([b"*a%d" % (level - 1)] * width)
        lines.append(b"a%d: &a%d [%s]" % (level, level, aliases))
    return b"\n".join(lines) + b"\n"


def test_alias_bomb_is_refused_quickly() -> None:
    result = load("f.yaml", billion_laughs())
    assert result.documents == ()
    [problem] = result.problems
    assert CODE_OF_ROLE[problem.role] == "GOV001" and "max-alias-nodes" in problem.message
    assert problem.position == Position(6, 25)  # the 4th *a4: where 100,000 expanded nodes are crossed


def test_aliases_within_the_limit_load_as_shared_data() -> None:
    data = only_data(b"base: &b {x: 1}\nuse: *b\nlist: [*b, *b]\n")
    assert data["use"] == {"x": 1} and data["list"] == [{"x": 1}, {"x": 1}]
    assert findings(billion_laughs(levels=2), Limits(max_alias_nodes=1000)) == []


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"a: &a [1, *a]\n", [("GOV001", 1, 11)]),
        (b"&a {x: {y: *a}}\n", [("GOV001", 1, 12)]),
    ],
    ids=short_id,
)
def test_alias_cycle(content: bytes, expected: list[tuple[str, int, int]]) -> None:
    result = load("f.yaml", content)
    assert findings(content) == expected and result.documents == ()
    assert "'*a'" in result.problems[0].message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"[" * 64 + b"]" * 64, []),
        (b"[" * 65 + b"]" * 65, [("GOV001", 1, 65)]),
        (b"".join(b"  " * i + b"k:\n" for i in range(63)) + b"  " * 63 + b"k: v\n", []),
        (b"".join(b"  " * i + b"k:\n" for i in range(64)) + b"  " * 64 + b"k: v\n", [("GOV001", 65, 129)]),
        (b"- " * 65 + b"x\n", [("GOV001", 1, 129)]),
        # Deep through an alias: 40 + 30 levels.
        (
            b"a: &a " + b"[" * 30 + b"]" * 30 + b"\nb: " + b"[" * 39 + b"*a" + b"]" * 39 + b"\n",
            [("GOV001", 2, 43)],
        ),
    ],
    ids=short_id,
)
def test_depth_limit(content: bytes, expected: list[tuple[str, int, int]]) -> None:
    result = load("f.yaml", content)
    assert findings(content) == expected
    if expected:
        assert "max-depth" in result.problems[0].message and result.documents == ()


@pytest.mark.parametrize(
    "content",
    [b"[" * 100_000, b"{" * 1_000_000, b"- " * 500_000, b"{a: " * 200_000, b"[\n" * 100_000],
    ids=short_id,
)
def test_very_deep_nesting_is_refused_fast(content: bytes) -> None:
    result = load("f.yaml", content, Limits(max_file_bytes=2_000_000))
    assert [CODE_OF_ROLE[p.role] for p in result.problems] == ["GOV001"]
    assert "max-depth" in result.problems[0].message


def test_file_size_limit() -> None:
    result = load("f.yaml", b"a: 1\n" * 10, Limits(max_file_bytes=20))
    assert [CODE_OF_ROLE[p.role] for p in result.problems] == [
        "GOV001"
    ] and "max-file-bytes" in result.problems[0].message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"a: 1\nb: [\nc: d: e\n", [("GOV001", 3, 5)]),
        (b"a: b: c\n", [("GOV001", 1, 5)]),
        (b"key: 'unterminated\n", [("GOV001", 2, 1)]),
        (b"a: 1\n  b: 2\n", [("GOV001", 2, 4)]),
        (b"- a\nb: c\n", [("GOV001", 2, 1)]),
        (b"a: *nowhere\n", [("GOV001", 1, 4)]),
        (b"\tkey: 1\n", [("GOV001", 1, 1)]),
        # Invalid YAML that libyaml accepts, closed by the loader's post-checks.
        (b'key: "value"# comment\n', [("GOV001", 1, 13)]),
        (b"x: [a, b]#c\n", [("GOV001", 1, 10)]),
        (b"block: >#c\n  text\n", [("GOV001", 1, 9)]),
        (b"a: 1\n%YAML 1.2\n---\nb: 2\n", [("GOV001", 2, 1)]),
        (b"flow: [a,\nb]\n", [("GOV001", 2, 1)]),
        (b'quoted: "a\nb"\n', [("GOV001", 2, 1)]),
        (b"- [-]\n", [("GOV001", 1, 4)]),
        (b"a: >\n \n   \n # comment\n", [("GOV001", 3, 2)]),
    ],
    ids=short_id,
)
def test_syntax_errors(content: bytes, expected: list[tuple[str, int, int]]) -> None:
    result = load("f.yaml", content)
    assert findings(content) == expected
    assert result.documents == ()


@pytest.mark.parametrize(
    "content",
    [
        b"url: http://example.org/#anchor\ntext: C# and F#\n# a comment with a#hash\nx: 'q'  # c#d\n",
        b"flow: [a,\n  b]\nmap: {a: 1,\n  b: 2\n}\nlist: [\n  a,\n]\n",
        b'q: "a\n  b"\n',
        b"%YAML 1.2\n---\na: 1\n...\n%YAML 1.2\n---\nb: |\n  %not a directive\n",
        b"a: |\n\n  text\nb: >\n  \n  text\n",
        b"- -a\n- a-\n- '-'\n- [-a, b]\n",
    ],
    ids=short_id,
)
def test_valid_yaml_near_the_post_checks(content: bytes) -> None:
    assert findings(content) == []


def test_documents_before_a_syntax_error_are_not_returned() -> None:
    result = load("f.yaml", b"a: 1\n---\nb: [\n")
    assert result.documents == () and [CODE_OF_ROLE[p.role] for p in result.problems] == ["GOV001"]


@pytest.mark.parametrize(
    "content",
    [
        b"\xff\xfe\x00",
        b"\x00",
        b"---\n" * 1000,
        b"&a [*a]",
        b"? " * 3000,
        b"!!python/object/new:os.system [ls]",
        b"'" * 10_000,
        b"a: " + b"x" * 500_000,
        b"*a",
        b"%TAG ! tag:x,2000:\n--- !y 1\n",
        b"- !<tag:yaml.org,2002:python/none> x\n",
        b"!\n? a\n?",  # nodes at the very end of the stream (found by fuzzing)
        b"---\n! a:%TAG !m! !my-\n--- # x\n",
    ],
    ids=short_id,
)
def test_hostile_inputs_never_raise(content: bytes) -> None:
    result = load("f.yaml", content)
    assert all(CODE_OF_ROLE[p.role] in ("GOV001", "GOV002") for p in result.problems)


def _strings_the_slow_way(doc, path):  # type: ignore[no-untyped-def]
    from governance_lint.model import _strings_of

    data = doc.data
    for step in path:
        data = data[step]
    return [(here, doc.node_name(here), text, doc.position(here)) for here, text in _strings_of(data, path)]


def test_strings_walk_matches_position_lookups_on_every_example_document() -> None:
    from pathlib import Path

    examples = Path(__file__).resolve().parent.parent / "examples"
    checked = 0
    for path in sorted(examples.rglob("*.yaml")):
        for doc in load(path.name, path.read_bytes()).documents:
            if isinstance(doc.data, dict) and isinstance(doc.data.get("spec"), dict):
                assert list(doc.strings(("spec",))) == _strings_the_slow_way(doc, ("spec",))
                checked += 1
    assert checked > 40


def test_strings_walk_follows_the_first_of_duplicate_keys_and_aliases() -> None:
    text = "spec:\n  a: &x [person:one]\n  b: *x\n  a: person:two\n"
    (doc,) = load("t.yaml", text.encode()).documents
    found = [(name, value, (pos.line, pos.column)) for _, name, value, pos in doc.strings(("spec",))]
    assert found == [("spec/a/0", "person:one", (2, 10)), ("spec/b/0", "person:one", (2, 10))]


def test_strings_walk_with_a_pattern_yields_only_matches() -> None:
    import re

    text = "spec:\n  owner: person:a\n  purpose: text\n  steps:\n    - id: one\n      who: [team:b, plain]\n"
    (doc,) = load("t.yaml", text.encode()).documents
    found = [
        (path, name, value, (pos.line, pos.column))
        for path, name, value, pos in doc.strings(("spec",), re.compile(r"(person|team):"))
    ]
    assert found == [
        (("spec", "owner"), "spec/owner", "person:a", (2, 10)),
        (("spec", "steps", 0, "who", 0), "spec/steps/one/who/0", "team:b", (6, 13)),
    ]


def test_references_collected_by_the_loader_are_those_of_the_strings_walk() -> None:
    from pathlib import Path

    from governance_lint.model import REFERENCE_RE

    examples = Path(__file__).resolve().parent.parent / "examples"
    checked = 0
    for path in sorted(examples.rglob("*.yaml")):
        for doc in load(path.name, path.read_bytes()).documents:
            if doc.references is None:
                continue
            walked = [(p, t, pos.line, pos.column) for p, _, t, pos in doc.strings((), REFERENCE_RE)]
            assert [
                (parent + (step,), t, line, column) for parent, step, t, line, column in doc.references
            ] == walked
            # the strings of one collection share one tuple of their parent's path
            parents = {parent for parent, *_ in doc.references}
            assert len({id(parent) for parent, *_ in doc.references}) == len(parents)
            checked += bool(walked)
    assert checked > 30


def test_references_are_left_to_the_walk_when_aliases_share_nodes() -> None:
    text = "spec:\n  a: &x [person:one]\n  b: *x\n"
    (doc,) = load("t.yaml", text.encode()).documents
    assert doc.references is None
