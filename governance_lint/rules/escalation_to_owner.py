"""
## What it checks
A Process or Practice has an escalation path (`escalation`, an ordered
list of persons or teams), and its last step is the owner. A missing or
empty path is reported at `spec.escalation` (or at `spec` when it is
missing); a path ending elsewhere at its last step. Only documents whose
owner single-owner accepts (exactly one, a `person:` reference) are
checked: single-owner reports the others.

## Why it matters
Process managers follow the escalation path when they cannot resolve
something within their scope. The owner is accountable for the process,
so the path ends there: a path that stops short leaves the hardest cases
with someone who cannot decide them.

## Example (fails)
```yaml
apiVersion: govlint/v1
kind: Process
metadata: {id: incident-management}
spec:
  purpose: Restore normal service operation as quickly as possible.
  owner: person:mrs-davis
  escalation: [person:windy, person:guy]
```

## Use instead (passes)
```yaml
apiVersion: govlint/v1
kind: Process
metadata: {id: incident-management}
spec:
  purpose: Restore normal service operation as quickly as possible.
  owner: person:mrs-davis
  escalation: [person:windy, person:guy, person:mrs-davis]
```

## Options
None.
"""

from governance_lint.api import Document, DocumentContext, Severity, document_rule
from governance_lint.model import NodePath
from governance_lint.rules._subject import accountable_owner, subject

REASON = "escalations end with the process's accountable owner"


@document_rule(
    code="GOV701",
    name="escalation-to-owner",
    severity=Severity.WARNING,
    kinds=["Process", "Practice"],
    summary="the escalation path is missing, or does not end at the owner",
)
def escalation_to_owner(doc: Document, ctx: DocumentContext) -> None:
    owner = accountable_owner(doc)
    if owner is None:
        return  # single-owner reports the owner; the path is judged once there is one
    what = subject(doc)
    escalation = doc.spec.get("escalation")
    if escalation is not None and not isinstance(escalation, (str, list)):
        return  # not a path at all: the schema says so
    # One step written without brackets is still a path; the schema reports its shape.
    steps = [escalation] if isinstance(escalation, str) else escalation or []
    if not steps:
        ctx.report(("spec", "escalation"), f"{what} has no escalation path; {REASON} ({owner})", key=True)
        return
    last = steps[-1]
    if last != owner:
        here: NodePath = ("spec", "escalation")
        if isinstance(escalation, list):
            here += (len(steps) - 1,)
        ctx.report(here, f"the escalation path of {what} ends at {last}, not at its owner {owner}; {REASON}")
