"""
## What it checks
A Process, Practice or Service has exactly one owner, and that owner is a
person (`owner: person:<id>`): not missing, not a list of several, not a team.

## Why it matters
The owner is *accountable* for the process: defines it, improves it, answers
for it. Accountability shared between two people, or given to a team, is
accountability nobody holds. However many managers a process has, it has
exactly one owner.

## Example (fails)
```yaml
apiVersion: govlint/v1
kind: Process
metadata: {id: incident-management}
spec:
  purpose: Restore normal service operation as quickly as possible.
  owner: [person:mrs-davis, person:windy]
```

## Use instead (passes)
```yaml
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

from governance_lint.api import Document, DocumentContext, Severity, document_rule
from governance_lint.model import REFERENCE_RE, reference_form
from governance_lint.rules._subject import owners, subject

REASON = "a {kind} has exactly one accountable owner"


@document_rule(code="GOV101", name="single-owner", severity=Severity.ERROR,
               kinds=["Process", "Practice", "Service"],
               summary="a Process, Practice or Service has no owner, several owners, or a non-person owner")
def single_owner(doc: Document, ctx: DocumentContext) -> None:
    kind = (doc.kind or "process").lower()
    what = subject(doc)
    reason = REASON.format(kind=kind)
    found = owners(doc)
    if len(found) > 1:
        names = ", ".join(str(o) for o in found)
        ctx.report(("spec", "owner"), f"{what} has {len(found)} owners ({names}); {reason}")
        return
    if not found:
        ctx.report(("spec", "owner"), f"{what} has no owner; {reason}", key=True)
        return
    owner = found[0]
    if isinstance(owner, str) and owner.startswith("person:"):
        return
    named = isinstance(owner, str) and not REFERENCE_RE.match(owner)
    reference = reference_form("person", owner) if named else None
    if reference:  # a name, not a reference: say how to write it
        message = f"the owner of {what} is {owner!r}, a name, not a reference to a person; write {reference}"
        ctx.report(("spec", "owner"), message)
    else:
        ctx.report(("spec", "owner"), f"the owner of {what} is {owner!r}, not a person; {reason}, a person")
