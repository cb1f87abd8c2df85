"""
## What it checks
Every Responsible of an activity (`raci.responsible`) is one of the
process's practitioners (`practitioners`), or a person who is a member (or
the lead) of a practitioner team. A process that has no `practitioners`
field is not checked: this rule holds an activity to the practitioners the
process declares. A Responsible or a practitioner team that names nothing
is left to unresolved-reference.

## Why it matters
The practitioners of a process are the people and teams who carry out its
work; its owner and managers plan, staff and measure the process around
them. An activity given to someone outside that list is work nobody
planned for: the practitioner load, the training and the on-call rota of
the process do not include them.

## Example (fails)
```yaml
apiVersion: govlint/v1
kind: Team
metadata: {id: service-desk, name: Service Desk}
spec: {members: [person:windy]}
---
apiVersion: govlint/v1
kind: Person
metadata: {id: guy, name: Guy}
spec: {email: guy@example.org}
---
apiVersion: govlint/v1
kind: Process
metadata: {id: incident-management}
spec:
  purpose: Restore normal service operation as quickly as possible.
  owner: person:mrs-davis
  practitioners: [team:service-desk]
  activities:
    - id: investigate
      raci: {responsible: [person:guy], accountable: person:windy}
```

## Use instead (passes)
```yaml
apiVersion: govlint/v1
kind: Team
metadata: {id: service-desk, name: Service Desk}
spec: {members: [person:windy]}
---
apiVersion: govlint/v1
kind: Person
metadata: {id: guy, name: Guy}
spec: {email: guy@example.org}
---
apiVersion: govlint/v1
kind: Process
metadata: {id: incident-management}
spec:
  purpose: Restore normal service operation as quickly as possible.
  owner: person:mrs-davis
  practitioners: [team:service-desk, person:guy]
  activities:
    - id: investigate
      raci: {responsible: [person:guy], accountable: person:windy}
```

## Options
None.
"""

import re

from governance_lint.api import Entity, RepositoryContext, RepositoryIndex, Severity, repository_rule

REASON = "the practitioners of a process are those who carry out its activities"
_PRACTITIONER = re.compile(r"^spec/practitioners(/\d+)?$")
_TEAM_MEMBER = re.compile(r"^spec/(lead|members(/\d+)?)$")


def _targets_at(entity: Entity, node: re.Pattern[str], start: str | tuple[str, ...]) -> list[str]:
    """The targets of an entity's references whose node name ``node`` matches (read from its columns);
    only names that begin with ``start`` are matched (of a process's dozens, most are its activities')."""
    references = entity.references
    return [
        head[0]
        for head, name in zip(references.heads, references.nodes, strict=True)
        if name is not None and name.startswith(start) and node.match(name)
    ]


def _members(
    index: RepositoryIndex, practitioners: list[str], teams: dict[str, list[str] | None]
) -> set[str] | None:
    """Every person in a practitioner team (members and leads); None when a team names nothing.

    ``teams`` keeps each team's people for the run: one team serves many processes."""
    members: set[str] = set()
    for target in practitioners:
        if target.startswith("team:"):
            if target not in teams:
                team = index.resolve(target)
                teams[target] = (
                    _targets_at(team, _TEAM_MEMBER, ("spec/lead", "spec/members"))
                    if team is not None
                    else None
                )
            people = teams[target]
            if people is None:
                return None  # membership unknown: unresolved-reference reports the team
            members.update(people)
    return members


@repository_rule(
    code="GOV206",
    name="responsible-is-practitioner",
    severity=Severity.WARNING,
    kinds=["Process", "Practice"],
    summary="an activity's Responsible is neither a practitioner of the process nor a member of a practitioner team",
    reads=["references", "responsible", "spec.practitioners"],
)
def responsible_is_practitioner(index: RepositoryIndex, ctx: RepositoryContext) -> None:
    people_of: dict[str, list[str] | None] = {}  # each practitioner team's people
    for entity in index.subjects("Process", "Practice"):
        if not entity.responsible or entity.value("spec.practitioners") is None:
            continue  # no practitioners declared: nothing to hold the activities to
        practitioners = _targets_at(entity, _PRACTITIONER, "spec/practitioners")
        members = _members(index, practitioners, people_of)
        what = f"{entity.kind.lower()} {entity.id!r}"
        for activity, target in entity.responsible:
            if target in practitioners or not index.defines(target):
                continue  # a Responsible that names nothing is unresolved-reference's
            if target.startswith("person:") and (members is None or target in members):
                continue
            listed = ", ".join(practitioners) or "none"
            teams = " nor a member of a practitioner team" if target.startswith("person:") else ""
            for ref in entity.references:
                node = ref.node or ""
                held = f"spec/activities/{activity}/raci/responsible"
                if ref.target == target and (node == held or node.startswith(held + "/")):
                    ctx.report(
                        ref.site,
                        f"Responsible {target} of activity '{activity}' is not a practitioner of {what} "
                        f"(practitioners: {listed}){teams}; {REASON}: add it to practitioners, or give the "
                        "activity to a practitioner",
                    )
