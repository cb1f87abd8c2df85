"""
## What it checks
A Process or Practice is governed by at least one policy: its `policies`
list, or the `policies` of one of its activities, names a policy. A
`policies` list that is missing or empty everywhere is reported at
`spec.policies` (or at `spec` when the list is missing).

## Why it matters
A process owner makes sure the process has policies: the rules that govern
it, such as "All incidents must be logged". A process governed by no policy
leaves every decision in it to whoever happens to do the work.

## Example (fails)
```yaml
apiVersion: govlint/v1
kind: Process
metadata: {id: incident-management}
spec:
  purpose: Restore normal service operation as quickly as possible.
  owner: person:mrs-davis
  policies: []
```

## Use instead (passes)
```yaml
apiVersion: govlint/v1
kind: Process
metadata: {id: incident-management}
spec:
  purpose: Restore normal service operation as quickly as possible.
  owner: person:mrs-davis
  policies: [policy:all-incidents-logged]
```

## Options
None.
"""

from typing import Any

from governance_lint.api import Document, DocumentContext, Severity, document_rule
from governance_lint.rules._subject import subject

REASON = "a process owner makes sure the process has policies that govern it"


def _names_a_policy(policies: Any) -> bool:
    # Whether each entry is a well-formed, existing policy is for the schema and policy-defined.
    entries = [policies] if isinstance(policies, str) else policies if isinstance(policies, list) else []
    return any(isinstance(p, str) and p.strip() for p in entries)


@document_rule(
    code="GOV302",
    name="process-has-policy",
    severity=Severity.WARNING,
    kinds=["Process", "Practice"],
    summary="a Process/Practice is governed by no policy",
)
def process_has_policy(doc: Document, ctx: DocumentContext) -> None:
    if _names_a_policy(doc.spec.get("policies")):
        return
    activities = ctx.items(doc.spec, "activities")
    if any(isinstance(a, dict) and _names_a_policy(a.get("policies")) for a in activities):
        return
    what = subject(doc)
    ctx.report(("spec", "policies"), f"{what} is governed by no policy; {REASON}", key=True)
