import pytest

from governance_lint.testing import lint, positions

# Broken YAML is a finding only in a governance file: one that mentions govlint/.
MARK = "# apiVersion: govlint/v1\n"
PERSON = "apiVersion: govlint/v1\nkind: Person\nmetadata: {id: windy}\nspec: {email: windy@example.org}\n"


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param(PERSON, [], id="valid"),
    pytest.param("", [], id="empty-file"),
    pytest.param("# only a comment\n", [], id="comment-only"),
    pytest.param(PERSON.replace("{id: windy}", "{id: windy"), [("GOV001", 4, 5)], id="unclosed-flow-mapping"),
    pytest.param(MARK + "a: [1, 2\n", [("GOV001", 3, 1)], id="unclosed-flow-sequence-at-end"),
    pytest.param(MARK + "\tkey: value\n", [("GOV001", 2, 1)], id="tab-indent"),
    pytest.param(MARK + "x: &a [1]\ny: *b\n", [("GOV001", 3, 4)], id="undefined-alias"),
    pytest.param(PERSON.replace("metadata: {id: windy}", "metadata:\n  id: windy\n  id: ann"),
                 [("GOV001", 5, 3)], id="duplicate-key-at-the-second"),
    pytest.param(PERSON.replace("spec: {", "spec: !!python/object:os.system {"), [("GOV001", 4, 7)],
                 id="unsafe-tag-at-the-node"),
])
def test_yaml_syntax(text: str, expected: list[tuple[str, int, int]]) -> None:
    assert positions(lint(text, select=["GOV001"])) == expected


@pytest.mark.parametrize(("content", "expected"), [
    pytest.param(MARK.encode() + b"kind: \xc3\x28\n", [("GOV001", 2, 7)], id="invalid-utf8-at-the-bad-byte"),
    pytest.param(b"\xff\xfe" + PERSON.encode("utf-16-le"), [("GOV001", 1, 1)], id="utf16-at-the-start"),
])
def test_undecodable_bytes(content: bytes, expected: list[tuple[str, int, int]]) -> None:
    assert positions(lint({"bad.yaml": content}, select=["GOV001"])) == expected


def test_other_files_are_still_checked() -> None:
    found = lint({"a.yaml": MARK + "key: [\n", "b.yaml": PERSON, "c.yaml": MARK + "a: b: c\n"},
                 select=["GOV001"])
    assert [(d.path, d.code) for d in found] == [("a.yaml", "GOV001"), ("c.yaml", "GOV001")]


def test_a_broken_file_does_not_hide_findings_of_the_next() -> None:
    process = ("apiVersion: govlint/v1\nkind: Process\nmetadata: {id: im}\nspec:\n  purpose: R.\n"
               "  owner: [person:a, person:b]\n")
    found = lint({"a.yaml": MARK + "key: [\n", "b.yaml": process}, select=["GOV001", "GOV101"])
    assert [(d.path, d.code, d.line) for d in found] == [("a.yaml", "GOV001", 3), ("b.yaml", "GOV101", 6)]


def test_duplicate_key_names_the_first() -> None:
    (found,) = lint(PERSON.replace("metadata: {id: windy}", "metadata:\n  id: windy\n  id: ann"), select=["GOV001"])
    assert "'id'" in found.message and "line 4" in found.message
