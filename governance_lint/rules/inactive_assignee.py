"""
## What it checks
No role is held by a Person marked `active: false`: the owner of a Process,
Practice, Service or Policy; a process's managers (`managers[].person`),
administrator, practitioners and every step of its escalation path;
everyone in an activity's RACI line (Responsible, Accountable, Consulted,
Informed); a Team's lead and members. Each finding is at the reference and
names the role and where the person is marked inactive.

## Why it matters
People leave, change jobs or go on long leave; their Person document stays,
marked inactive, so that history still resolves. A role still assigned to
them is a role nobody holds: the process has no accountable owner, the
activity has nobody doing it, the escalation reaches an empty desk.

## Example (fails)
```yaml
apiVersion: govlint/v1
kind: Person
metadata: {id: windy, name: Windy}
spec: {email: windy@example.org, active: false}
---
apiVersion: govlint/v1
kind: Process
metadata: {id: incident-management}
spec:
  purpose: Restore normal service operation as quickly as possible.
  owner: person:windy
```

## Use instead (passes)
```yaml
apiVersion: govlint/v1
kind: Person
metadata: {id: windy, name: Windy}
spec: {email: windy@example.org, active: false}
---
apiVersion: govlint/v1
kind: Person
metadata: {id: mrs-davis, name: Mrs. Davis}
spec: {email: k.davis@example.org}
---
apiVersion: govlint/v1
kind: Process
metadata: {id: incident-management}
spec:
  purpose: Restore normal service operation as quickly as possible.
  owner: person:mrs-davis
```

## Options
None.
"""

import functools

from governance_lint.api import Entity, RepositoryContext, RepositoryIndex, Severity, repository_rule
from governance_lint.rules._roles import ROLE_KINDS, inactive, inactive_message, role_of


@repository_rule(
    code="GOV102",
    name="inactive-assignee",
    severity=Severity.WARNING,
    kinds=ROLE_KINDS,
    summary="a role (owner, manager, administrator, practitioner, RACI, escalation, team lead or member) "
    "is held by an inactive Person",
    reads=["references"],
)
def inactive_assignee(index: RepositoryIndex, ctx: RepositoryContext) -> None:
    person_of = functools.cache(functools.partial(inactive, index))  # each target looked up once
    for entity in _naming_inactive(index) if index.whole else index.subjects(*ROLE_KINDS):
        references = entity.references
        for at, head in enumerate(references.heads):  # a Reference made only for an inactive person
            person = person_of(head[0])
            role = role_of(references.nodes[at]) if person is not None else None
            if person is not None and role is not None:
                ctx.report(references[at].site, inactive_message(role, entity.key, head[0], person))


def _naming_inactive(index: RepositoryIndex) -> list[Entity]:
    """Over the whole repository, the entities that name a Person marked inactive, in path order: the
    inactive people are found first (most are active), then what names them by its key rows, so that
    an entity naming none of them is not read at all."""
    gone = [person.key for person in index.of_kind("Person") if not person.active]
    return [entity for entity in index.referrers(*gone) if entity.kind in ROLE_KINDS] if gone else []
