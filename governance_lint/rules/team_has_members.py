"""
## What it checks
A Team that holds a role anywhere in the repository (a practitioner of a
process, a Responsible, Consulted or Informed of an activity, a step of an
escalation path, or, mistakenly, an owner or a manager) names at least
one member (`members`). The finding is at the Team document (its
`members` key, or `spec` when there is none) and names the roles it holds.
A Team that holds no role may be empty: it is being set up.

## Why it matters
A team holds a role through its people: an activity given to a team with
no members is carried out by nobody, and an escalation that reaches it
reaches an empty desk. Nobody can be asked, trained or paged through a team
whose membership is unknown.

## Example (fails)
```yaml
apiVersion: govlint/v1
kind: Team
metadata: {id: service-desk, name: Service Desk}
spec: {members: []}
---
apiVersion: govlint/v1
kind: Process
metadata: {id: incident-management}
spec:
  purpose: Restore normal service operation as quickly as possible.
  owner: person:mrs-davis
  practitioners: [team:service-desk]
```

## Use instead (passes)
```yaml
apiVersion: govlint/v1
kind: Team
metadata: {id: service-desk, name: Service Desk}
spec: {members: [person:windy, person:ann]}
---
apiVersion: govlint/v1
kind: Process
metadata: {id: incident-management}
spec:
  purpose: Restore normal service operation as quickly as possible.
  owner: person:mrs-davis
  practitioners: [team:service-desk]
```

## Options
None.
"""

from governance_lint.api import RepositoryContext, RepositoryIndex, Severity, repository_rule
from governance_lint.rules._roles import ROLE_KINDS, roles_held

SHOWN = 3  # roles named in a message; the rest are counted


@repository_rule(
    code="GOV207",
    name="team-has-members",
    severity=Severity.WARNING,
    kinds=ROLE_KINDS,
    summary="a Team that holds a role names no members",
    reads=["references", "spec.members"],
)
def team_has_members(index: RepositoryIndex, ctx: RepositoryContext) -> None:
    for team in index.subjects("Team"):
        members = team.value("spec.members")
        listed = members if isinstance(members, list) else [members]
        if any(m not in (None, "") for m in listed):
            continue  # a member that is not a reference is the schema's to report
        held = [
            (entity, ref, role) for entity, ref, role in roles_held(index, team.key) if entity is not team
        ]
        if not held:
            continue
        site = team.value_site("spec.members")
        if site is None:
            continue
        roles = [f"{role} of {entity.key} ({ref.site})" for entity, ref, role in held[:SHOWN]]
        more = f" and {len(held) - SHOWN} more" if len(held) > SHOWN else ""
        ctx.report(
            site,
            f"team {team.id!r} names no members, yet holds {len(held)} role{'s' if len(held) != 1 else ''}: "
            f"{'; '.join(roles)}{more}; a team holds a role through its people, and this one has none",
        )
