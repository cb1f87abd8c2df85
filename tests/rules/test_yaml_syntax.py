import re

import pytest

from governance_lint.testing import lint, positions

# Broken YAML is a finding only in a governance file: one that mentions govlint/.
MARK = "# apiVersion: govlint/v1\n"
PERSON = "apiVersion: govlint/v1\nkind: Person\nmetadata: {id: windy}\nspec: {email: windy@example.org}\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(PERSON, [], id="valid"),
        pytest.param("", [], id="empty-file"),
        pytest.param("# only a comment\n", [], id="comment-only"),
        pytest.param(
            PERSON.replace("{id: windy}", "{id: windy"), [("GOV001", 4, 5)], id="unclosed-flow-mapping"
        ),
        pytest.param(MARK + "a: [1, 2\n", [("GOV001", 3, 1)], id="unclosed-flow-sequence-at-end"),
        pytest.param(MARK + "\tkey: value\n", [("GOV001", 2, 1)], id="tab-indent"),
        pytest.param(MARK + "x: &a [1]\ny: *b\n", [("GOV001", 3, 4)], id="undefined-alias"),
        pytest.param(
            PERSON.replace("metadata: {id: windy}", "metadata:\n  id: windy\n  id: ann"),
            [("GOV001", 5, 3)],
            id="duplicate-key-at-the-second",
        ),
        pytest.param(
            PERSON.replace("spec: {", "spec: !!python/object:os.system {"),
            [("GOV001", 4, 7)],
            id="unsafe-tag-at-the-node",
        ),
    ],
)
def test_yaml_syntax(text: str, expected: list[tuple[str, int, int]]) -> None:
    assert positions(lint(text, select=["GOV001"])) == expected


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(
            MARK.encode() + b"kind: \xc3\x28\n", [("GOV001", 2, 7)], id="invalid-utf8-at-the-bad-byte"
        ),
        pytest.param(b"\xff\xfe" + PERSON.encode("utf-16-le"), [("GOV001", 1, 1)], id="utf16-at-the-start"),
    ],
)
def test_undecodable_bytes(content: bytes, expected: list[tuple[str, int, int]]) -> None:
    assert positions(lint({"bad.yaml": content}, select=["GOV001"])) == expected


def test_other_files_are_still_checked() -> None:
    found = lint(
        {"a.yaml": MARK + "key: [\n", "b.yaml": PERSON, "c.yaml": MARK + "a: b: c\n"}, select=["GOV001"]
    )
    assert [(d.path, d.code) for d in found] == [("a.yaml", "GOV001"), ("c.yaml", "GOV001")]


def test_a_broken_file_does_not_hide_findings_of_the_next() -> None:
    process = (
        "apiVersion: govlint/v1\nkind: Process\nmetadata: {id: im}\nspec:\n  purpose: R.\n"
        "  owner: [person:a, person:b]\n"
    )
    found = lint({"a.yaml": MARK + "key: [\n", "b.yaml": process}, select=["GOV001", "GOV101"])
    assert [(d.path, d.code, d.line) for d in found] == [("a.yaml", "GOV001", 3), ("b.yaml", "GOV101", 6)]


def test_duplicate_key_names_the_first() -> None:
    (found,) = lint(
        PERSON.replace("metadata: {id: windy}", "metadata:\n  id: windy\n  id: ann"), select=["GOV001"]
    )
    assert "'id'" in found.message and "line 4" in found.message


# The usual indentation and quoting mistakes, in plain words at libyaml's position.
@pytest.mark.parametrize(
    ("text", "position", "words"),
    [
        pytest.param(
            PERSON.replace("spec: {email: windy@example.org}", "spec:\n\temail: windy@example.org"),
            (5, 1),
            "a tab in the indentation: YAML indents with spaces only; use spaces",
            id="tab",
        ),
        pytest.param(
            "spec:\n  members:\n    - person:a\n\t- person:b\n", (4, 1), "use spaces", id="tab-in-a-list"
        ),
        pytest.param(
            "spec:\n  statement: Incidents are logged: always\n",
            (2, 34),
            "a value that contains ': ' must be quoted: statement: 'Incidents are logged: always'",
            id="second-colon",
        ),
        pytest.param(
            "spec:\n  owner: person:a\n    purpose: x\n",
            (3, 12),
            "indented deeper than the entry above it",
            id="key-indented-too-deep",
        ),
        pytest.param(
            "spec:\n  owner: person:a\n purpose: x\n",
            (3, 2),
            "this line's indentation (1 space) lines up with no key above it",
            id="key-indented-too-little",
        ),
        pytest.param(
            "spec:\n  purpose: 'Restore'\n  'service'\n",
            (4, 1),
            "line 3 has no ':' after its key",
            id="text-below-a-value",
        ),
        pytest.param(
            "spec: {purpose: a: b}\n", (1, 18), "a ':' inside a value in brackets", id="colon-in-brackets"
        ),
        pytest.param(
            "spec: [person:a,\n", (2, 1), "the file ends inside '[' or '{'", id="file-ends-in-brackets"
        ),
        pytest.param(
            "spec:\n  owner\n  purpose: x\n", (3, 10), "line 2 has no ':' before this key", id="missing-colon"
        ),
        pytest.param(
            "spec:\n  members:\n    - person:a\n   - person:b\n",
            (4, 4),
            "a list item where a key was expected",
            id="list-item-misaligned",
        ),
        pytest.param(
            "- person:a\nmembers: x\n", (2, 1), "this line is not a list item", id="not-a-list-item"
        ),
        pytest.param(
            "spec:\n  members: - person:a\n", (2, 12), "cannot start on its key's line", id="item-on-key-line"
        ),
        pytest.param(
            "spec: {members: [person:a}\n",
            (1, 26),
            "the list opened with '[' is not closed here",
            id="unclosed-bracket",
        ),
        pytest.param(
            "spec:\n  purpose: 'Restore service\n",
            (3, 1),
            "the quoted value opened on line 2 is never closed",
            id="unclosed-quote",
        ),
        pytest.param(
            "spec:\n  purpose: 'Restore' service\n",
            (2, 22),
            "unexpected text after a value",
            id="text-after-quote",
        ),
        pytest.param(
            "spec:\n  purpose: @restore\n",
            (2, 12),
            "a plain value cannot start with '@'",
            id="reserved-character",
        ),
    ],
)
def test_yaml_mistakes_in_plain_words(text: str, position: tuple[int, int], words: str) -> None:
    if "govlint/" not in text:
        # Only a file that mentions govlint/ is a governance file (others are skipped): one line above.
        text, position = "# apiVersion: govlint/v1\n" + text, (position[0] + 1, position[1])
        words = re.sub(r"line (\d+)", lambda m: f"line {int(m.group(1)) + 1}", words)
    (found,) = lint(text, select=["GOV001"])
    assert (found.code, found.line, found.column) == ("GOV001", *position)
    assert words in found.message
    assert "while scanning" not in found.message and "while parsing" not in found.message
