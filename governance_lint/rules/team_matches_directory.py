"""
## What it checks
With a directory snapshot in the config (`directory:`) that holds teams
(GitHub's JSON with a `teams/TEAM-SLUG.json` per team beside it), every Team
with a GitHub team (`spec.accounts.github: ORG/TEAM-SLUG`) has the members
the directory gives that team: its `members` and its `lead`, by their
`spec.accounts.github`. The finding is at the team's account and names both
sides: who is in the directory but not in the YAML, and who is in the YAML
but not in the directory (and, beside them, the members that have no GitHub
account: alone they are no difference the directory can show). A team
the snapshot does not hold is a finding too; a team with a member that names
nobody is left to unresolved-reference. Without a `directory:` in the
config, or with a snapshot that holds no teams (a CSV), the rule is silent.

The examples are checked against the snapshot `directory/members.json`:

```json
[{"login": "windy-chen"}, {"login": "ann-lee"}, {"login": "dave-o"}]
```

and its team `directory/teams/service-desk.json`:

```json
[{"login": "windy-chen"}, {"login": "ann-lee"}]
```

## Why it matters
The YAML says who is in a team; GitHub decides who can approve a change
the team owns. When they drift apart, a person who left the team still
approves, or a new member's reviews are not requested: the governance
files and the access they describe no longer say the same thing.

## Example (fails)
```yaml
apiVersion: govlint/v1
kind: Team
metadata: {id: service-desk, name: Service Desk}
spec:
  lead: person:windy
  members: [person:windy, person:dave]
  accounts: {github: acme/service-desk}
---
apiVersion: govlint/v1
kind: Person
metadata: {id: windy}
spec: {accounts: {github: windy-chen}}
---
apiVersion: govlint/v1
kind: Person
metadata: {id: dave}
spec: {accounts: {github: dave-o}}
```

## Use instead (passes)
```yaml
apiVersion: govlint/v1
kind: Team
metadata: {id: service-desk, name: Service Desk}
spec:
  lead: person:windy
  members: [person:windy, person:ann]
  accounts: {github: acme/service-desk}
---
apiVersion: govlint/v1
kind: Person
metadata: {id: windy}
spec: {accounts: {github: windy-chen}}
---
apiVersion: govlint/v1
kind: Person
metadata: {id: ann}
spec: {accounts: {github: ann-lee}}
```

## Options
None. The snapshot is the config's `directory:` key (see person-in-directory).
"""

import re

from governance_lint.api import Entity, RepositoryContext, RepositoryIndex, Severity, repository_rule
from governance_lint.directory import LOGIN_RE, TEAMS_FOLDER

ACCOUNT = "spec.accounts.github"
_MEMBER_NODE = re.compile(r"^spec/(members/\d+|lead)$")


@repository_rule(
    code="GOV802",
    name="team-matches-directory",
    severity=Severity.WARNING,
    kinds=["Team"],
    summary="a Team's members differ from its GitHub team's members in the directory snapshot",
    reads=[ACCOUNT, "references"],
)
def team_matches_directory(index: RepositoryIndex, ctx: RepositoryContext) -> None:
    directory = ctx.directory
    if directory is None or directory.teams is None:
        return
    for team in index.subjects("Team"):
        handle = team.value(ACCOUNT)
        site = team.value_site(ACCOUNT)
        if not isinstance(handle, str) or handle.count("/") != 1 or site is None:
            continue
        slug = handle.partition("/")[2]
        listed = directory.team(slug)
        if listed is None:
            ctx.report(
                site,
                f"{team.key} is the GitHub team @{handle}, which the directory snapshot "
                f"{directory.source} does not hold (no {TEAMS_FOLDER}/{slug}.json): "
                "take the snapshot again, or correct the team's account",
            )
            continue
        members = _members(index, team)
        if members is None:
            continue  # a member names nobody (unresolved-reference): who the team is, is not known here
        in_yaml, no_account = members
        in_directory = {login.lower(): login for login in listed}
        only_directory = [f"@{in_directory[k]}" for k in sorted(in_directory) if k not in in_yaml]
        only_yaml = [in_yaml[k] for k in sorted(in_yaml) if k not in in_directory]
        if not only_directory and not only_yaml:
            continue
        sides = []
        if only_directory:
            sides.append(f"missing from the YAML: {', '.join(only_directory)}")
        if only_yaml:
            sides.append(f"missing from the directory: {', '.join(only_yaml)}")
        if no_account:
            sides.append(f"without a GitHub account: {', '.join(no_account)}")
        ctx.report(
            site,
            f"{team.key} differs from the GitHub team @{handle} in the directory snapshot "
            f"{directory.source}: {'; '.join(sides)}",
        )


def _members(index: RepositoryIndex, team: Entity) -> tuple[dict[str, str], list[str]] | None:
    """The team's lead and members by lower-case login (``@login (person:id)``), and those without
    an account; None when one of them names nobody."""
    in_yaml: dict[str, str] = {}
    no_account: list[str] = []
    for ref in team.references:
        if ref.kind != "person" or not _MEMBER_NODE.match(ref.node or ""):
            continue
        person = index.resolve(ref.target)
        if person is None:
            return None
        login = person.value(ACCOUNT)
        if isinstance(login, str) and LOGIN_RE.match(login):
            in_yaml.setdefault(login.lower(), f"@{login} ({ref.target})")
        elif ref.target not in no_account:
            no_account.append(ref.target)
    return in_yaml, no_account
