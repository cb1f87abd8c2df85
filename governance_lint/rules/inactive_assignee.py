"""
## What it checks
No role is held by a Person marked `active: false`: the owner of a Process,
Practice, Service or Policy, a process manager (`managers[].person`), the
process administrator, and everyone in an activity's RACI line
(Responsible, Accountable, Consulted, Informed). Each finding is at the
reference and names where the person is marked inactive.

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

import re

from governance_lint.api import RepositoryContext, RepositoryIndex, Severity, repository_rule

# Node names of role assignments, as the index records them (activities are named by id).
_ROLE_NODES = (
    (re.compile(r"^spec/owner(/\d+)?$"), "the owner"),
    (re.compile(r"^spec/administrator(/\d+)?$"), "the administrator"),
    (re.compile(r"^spec/managers/[^/]+/person$"), "a manager"),
)
_RACI_NODE = re.compile(
    r"^spec/activities/(?P<activity>.+)/raci/(?P<role>responsible|accountable|consulted|informed)"
    r"(/\d+)?$"
)


def role_of(node: str | None) -> str | None:
    """The role a reference at ``node`` assigns, e.g. ``the Accountable of activity 'log'``; None if no role."""
    if node is None:
        return None
    for pattern, role in _ROLE_NODES:
        if pattern.match(node):
            return role
    raci = _RACI_NODE.match(node)
    if raci:
        return f"the {raci['role'].capitalize()} of activity '{raci['activity']}'"
    return None


@repository_rule(
    code="GOV102",
    name="inactive-assignee",
    severity=Severity.WARNING,
    kinds=["Process", "Practice", "Service", "Policy"],
    summary="a role (owner, manager, administrator, RACI) is held by an inactive Person",
    reads=["references"],
)
def inactive_assignee(index: RepositoryIndex, ctx: RepositoryContext) -> None:
    for entity in index.subjects("Process", "Practice", "Service", "Policy"):
        for ref in entity.references:
            if ref.kind != "person":
                continue
            person = index.resolve(ref.target)
            if person is None or person.active:
                continue
            role = role_of(ref.site.node)
            if role is not None:
                ctx.report(
                    ref.site,
                    f"{role} of {entity.key} is {ref.target}, marked inactive at {person.site}; "
                    "a role held by someone no longer active is a role nobody holds",
                )
