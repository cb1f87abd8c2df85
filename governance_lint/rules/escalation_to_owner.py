"""
## What it checks
A Process or Practice has an escalation path (`escalation`, an ordered
list of persons or teams), and the path reaches the owner (with several
owners, any one of them). A missing or empty path is reported at
`spec.escalation` (or at `spec` when it is missing); a path that never
reaches the owner at its last step. Steps after the owner are allowed only
for the persons named in the option `beyond-owner` (and for other owners):
each other step past the owner is reported. A document whose owner
single-owner reports (none, too many, not a person), or whose owner names
nobody (unresolved-reference), is left to that rule.

## Why it matters
Process managers follow the escalation path when they cannot resolve
something within their scope. The owner is accountable for the process,
so the path ends there: a path that stops short leaves the hardest cases
with someone who cannot decide them, and a step past the owner hands the
decision away from the person accountable for it, unless the organisation
says whom an owner escalates to (a board, a steering committee's chair).

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
- `beyond-owner` (list of `person:` references, default none): persons a
  path may reach after the owner, e.g. `[person:cio]` for an organisation
  whose process owners escalate to the CIO.
"""

from governance_lint.api import Document, DocumentContext, Severity, document_rule
from governance_lint.model import NodePath
from governance_lint.rules._subject import owners, subject

REASON = "escalations end with the process's accountable owner"
PERSON_REF = "^person:[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$"


@document_rule(
    code="GOV701",
    name="escalation-to-owner",
    severity=Severity.WARNING,
    kinds=["Process", "Practice"],
    summary="the escalation path is missing, does not reach the owner, or goes past it",
    options={
        "beyond-owner": {
            "type": "array",
            "items": {"type": "string", "pattern": PERSON_REF},
            "uniqueItems": True,
            "default": [],
        }
    },
    # single-owner and unresolved-reference report the owner itself: the path is judged once it is right
    defers_to=[("GOV101", "spec/owner"), ("GOV005", "spec/owner")],
)
def escalation_to_owner(doc: Document, ctx: DocumentContext) -> None:
    found = [o for o in owners(doc) if isinstance(o, str) and o.startswith("person:")]
    if not found:
        return  # single-owner reports the owner; the path is judged once there is one
    what = subject(doc)
    named = found[0] if len(found) == 1 else f"one of its owners ({', '.join(found)})"
    escalation = doc.spec.get("escalation")
    if escalation is not None and not isinstance(escalation, (str, list)):
        return  # not a path at all: the schema says so
    # One step written without brackets is still a path; the schema reports its shape.
    steps = [escalation] if isinstance(escalation, str) else escalation or []
    if not steps:
        ctx.report(("spec", "escalation"), f"{what} has no escalation path; {REASON} ({named})", key=True)
        return

    def at(i: int) -> NodePath:
        return ("spec", "escalation", i) if isinstance(escalation, list) else ("spec", "escalation")

    reached = next((i for i, step in enumerate(steps) if step in found), None)
    if reached is None:
        last = steps[-1]
        owner = f"its owner {named}" if len(found) == 1 else named
        ctx.report(
            at(len(steps) - 1), f"the escalation path of {what} ends at {last}, not at {owner}; {REASON}"
        )
        return
    allowed = set(found) | set(ctx.options.get("beyond-owner", ()))
    for i in range(reached + 1, len(steps)):
        step = steps[i]
        if step not in allowed:
            ctx.report(
                at(i),
                f"the escalation path of {what} goes past its owner {steps[reached]} to {step}; {REASON}, "
                "and only the persons in option beyond-owner may follow the owner",
            )
