"""
## What it checks
A Process or Practice names at least one manager (`managers:` with at least
one entry).

## Why it matters
The owner is accountable for a process; a manager runs it day to day:
reports its metrics to the owner, follows its escalation path, makes sure
the practitioners carry out its activities. The owner may be the manager as
well, but a process nobody manages is a process nobody runs.

## Example (fails)
```yaml
apiVersion: govlint/v1
kind: Process
metadata: {id: incident-management}
spec:
  purpose: Restore normal service operation as quickly as possible.
  owner: person:mrs-davis
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
    - person: person:mrs-davis
```

## Options
None.
"""

from governance_lint.api import Document, DocumentContext, Severity, document_rule
from governance_lint.rules._subject import subject


@document_rule(
    code="GOV103",
    name="has-manager",
    severity=Severity.WARNING,
    kinds=["Process", "Practice"],
    summary="a Process or Practice names no manager",
)
def has_manager(doc: Document, ctx: DocumentContext) -> None:
    managers = doc.spec.get("managers")
    # Any other shape (a lone string, a mapping) names someone: the schema reports the shape.
    if managers is None or managers == [] or managers == "":
        kind = (doc.kind or "process").lower()
        ctx.report(
            ("spec", "managers"),
            f"{subject(doc)} names no manager; a manager runs the {kind} day to day and reports to its owner "
            "(the owner may be the manager too)",
            key=managers is None,
        )
