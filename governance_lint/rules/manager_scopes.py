"""
## What it checks
When a Process or Practice has several managers, each one has a `scope`
and no two share a scope (compared ignoring case and spacing). A manager
without a scope is reported at its entry; of two managers with one scope,
the later is reported and the message names the first.

## Why it matters
A process may have several managers, each running it for one team, region,
service or product line (one for the Service Desk, one for Engineering).
Without distinct scopes nobody can tell which manager answers for a given
incident, and two managers with one scope is the same as none.

## Example (fails)
```yaml
apiVersion: govlint/v1
kind: Process
metadata: {id: incident-management}
spec:
  purpose: Restore normal service operation as quickly as possible.
  owner: person:mrs-davis
  managers:
    - person: person:windy
      scope: Service Desk
    - person: person:tamika
```

## Use instead (passes)
```yaml
apiVersion: govlint/v1
kind: Process
metadata: {id: incident-management}
spec:
  purpose: Restore normal service operation as quickly as possible.
  owner: person:mrs-davis
  managers:
    - person: person:windy
      scope: Service Desk
    - person: person:tamika
      scope: Messaging and Collaboration
```

## Options
None.
"""

from typing import Any

from governance_lint.api import Document, DocumentContext, Severity, document_rule
from governance_lint.rules._activities import same_text

REASON = "with several managers, each runs the process within a scope of its own (a team, region or service)"


def _who(manager: dict[str, Any], i: int) -> str:
    person = manager.get("person")
    return person if isinstance(person, str) and person else f"manager #{i + 1}"


@document_rule(
    code="GOV104",
    name="manager-scopes",
    severity=Severity.ERROR,
    kinds=["Process", "Practice"],
    summary="several managers, and one has no scope or two share a scope",
)
def manager_scopes(doc: Document, ctx: DocumentContext) -> None:
    managers = [(i, m) for i, m in enumerate(ctx.items(doc.spec, "managers")) if isinstance(m, dict)]
    if len(managers) < 2:
        return
    first_with: dict[str, tuple[int, dict[str, Any]]] = {}
    for i, manager in managers:
        here = ("spec", "managers", i)
        scope = manager.get("scope")
        if not isinstance(scope, str) or not scope.strip():
            ctx.report(
                here,
                f"{_who(manager, i)} is one of {len(managers)} managers of {doc.entity or 'this process'} "
                f"but has no scope; {REASON}",
            )
            continue
        first = first_with.setdefault(same_text(scope), (i, manager))
        if first[0] != i:
            line = doc.position(("spec", "managers", first[0])).line
            ctx.report(
                here,
                f"{_who(manager, i)} has the scope {scope.strip()!r} that {_who(first[1], first[0])} "
                f"already has (line {line}); {REASON}",
            )
