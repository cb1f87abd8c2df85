from governance_lint.testing import lint, positions

MEMBERS = '[{"login": "windy-chen"}, {"login": "ann-lee"}, {"login": "dave-o"}]'
PEOPLE = """\
apiVersion: govlint/v1
kind: Person
metadata: {id: windy}
spec: {accounts: {github: windy-chen}}
---
apiVersion: govlint/v1
kind: Person
metadata: {id: ann}
spec: {accounts: {github: Ann-Lee}}
---
apiVersion: govlint/v1
kind: Person
metadata: {id: dave}
spec: {accounts: {github: dave-o}}
---
apiVersion: govlint/v1
kind: Person
metadata: {id: guy}
spec: {email: guy@example.org}
"""


def team(spec: str) -> str:
    return f"apiVersion: govlint/v1\nkind: Team\nmetadata: {{id: service-desk}}\nspec:\n{spec}"


def check(spec: str, team_members: str | None = '[{"login": "windy-chen"}, {"login": "ann-lee"}]') -> list:
    directory = {"dir/members.json": MEMBERS}
    if team_members is not None:
        directory["dir/teams/service-desk.json"] = team_members
    return lint({"people.yaml": PEOPLE, "team.yaml": team(spec)}, select=["GOV802"], directory=directory)


ACCOUNT = "  accounts: {github: acme/service-desk}\n"


def test_same_members_pass() -> None:
    assert check("  lead: person:windy\n  members: [person:ann]\n" + ACCOUNT) == []


def test_differing_members_name_both_sides() -> None:
    [finding] = check("  members: [person:windy, person:dave, person:guy]\n" + ACCOUNT)
    assert positions([finding]) == [("GOV802", 6, 22)]
    assert "missing from the YAML: @ann-lee" in finding.message
    assert "missing from the directory: @dave-o (person:dave)" in finding.message
    assert "without a GitHub account: person:guy" in finding.message


def test_a_team_the_snapshot_does_not_hold() -> None:
    [finding] = check("  members: [person:windy]\n  accounts: {github: acme/gone}\n")
    assert "no teams/gone.json" in finding.message


def test_silent_without_teams_or_account_or_directory() -> None:
    assert check("  members: [person:dave]\n" + ACCOUNT, team_members=None) == []  # no teams/ folder
    assert check("  members: [person:dave]\n") == []  # the team has no GitHub account
    assert lint({"people.yaml": PEOPLE, "team.yaml": team("  members: [person:dave]\n" + ACCOUNT)}) == []


def test_a_team_with_an_unresolved_member_is_left_to_unresolved_reference() -> None:
    # the comparison would claim everyone the file that failed to load defines is missing
    assert check("  members: [person:windy, person:nobody]\n" + ACCOUNT) == []
