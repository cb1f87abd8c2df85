import pytest

from governance_lint.testing import lint, positions

MEMBERS = '[{"login": "windy-chen"}, {"login": "Mrs-Davis"}]\n[{"login": "ann"}]\n'
CSV = "account,email,active\nwindy-chen,windy@example.org,true\nmrs-davis,k@example.org,false\n"


def person(ident: str, spec: str) -> str:
    return f"---\napiVersion: govlint/v1\nkind: Person\nmetadata: {{id: {ident}}}\nspec:\n{spec}"


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        pytest.param("  accounts: {github: windy-chen}\n", [], id="listed"),
        pytest.param("  accounts: {github: MRS-DAVIS}\n", [], id="case-insensitive"),
        pytest.param("  accounts: {github: pat}\n", [("GOV801", 6, 22)], id="not-listed"),
        pytest.param("  accounts:\n    github: pat\n", [("GOV801", 7, 13)], id="at-the-account"),
        pytest.param("  active: false\n  accounts: {github: pat}\n", [], id="already-inactive"),
        pytest.param("  email: pat@example.org\n", [], id="no-account"),
        pytest.param("  accounts: {gitlab: pat}\n", [], id="only-other-systems"),
        pytest.param("  accounts: {github: '@pat'}\n", [], id="invalid-handle-left-to-schema"),
    ],
)
def test_person_in_directory(spec: str, expected: list[tuple[str, int, int]]) -> None:
    found = lint(person("pat", spec), select=["GOV801"], directory={"dir/members.json": MEMBERS})
    assert positions(found) == expected


def test_silent_without_a_directory() -> None:
    assert lint(person("pat", "  accounts: {github: pat}\n"), select=["GOV801"]) == []


def test_misspelled_handle_gets_a_did_you_mean() -> None:
    [finding] = lint(person("windy", "  accounts: {github: windy-chn}\n"), directory={"m.json": MEMBERS})
    assert finding.code == "GOV801"
    assert "does not list @windy-chn (did you mean @windy-chen?)" in finding.message
    assert finding.node == "spec/accounts/github"
    assert finding.entity == "person:windy"


def test_csv_marks_inactive() -> None:
    people = person("windy", "  accounts: {github: windy-chen}\n") + person(
        "davis", "  accounts: {github: mrs-davis}\n"
    )
    [finding] = lint(people, select=["GOV801"], directory={"directory.csv": CSV})
    assert (finding.line, finding.entity) == (12, "person:davis")
    assert "marks @mrs-davis inactive" in finding.message
