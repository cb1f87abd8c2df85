"""
## What it checks
Every activity of a Process or Practice documents at least one procedure
(`procedures:` with a path to a document or a short text).

## Why it matters
An activity says *what* is done; its procedures say *how*. Without them
each practitioner does the activity their own way, and the process owner
cannot show that the process is defined, documented and improvable.

## Example (fails)
```yaml
apiVersion: govlint/v1
kind: Process
metadata: {id: incident-management}
spec:
  purpose: Restore normal service operation as quickly as possible.
  owner: person:mrs-davis
  activities:
    - id: identify
      raci: {responsible: [team:service-desk], accountable: person:windy}
```

## Use instead (passes)
```yaml
apiVersion: govlint/v1
kind: Process
metadata: {id: incident-management}
spec:
  purpose: Restore normal service operation as quickly as possible.
  owner: person:mrs-davis
  activities:
    - id: identify
      procedures: [docs/incident/identify.md]
      raci: {responsible: [team:service-desk], accountable: person:windy}
```

## Options
None.
"""

from governance_lint.api import Document, DocumentContext, Severity, document_rule
from governance_lint.rules._activities import activities, entries


def _is_procedure(text: object) -> bool:
    return text.strip() != "" if isinstance(text, str) else text is not None


@document_rule(
    code="GOV203",
    name="activity-has-procedure",
    severity=Severity.WARNING,
    kinds=["Process", "Practice"],
    summary="an activity documents no procedure",
)
def activity_has_procedure(doc: Document, ctx: DocumentContext) -> None:
    for where, name, activity in activities(doc, ctx):
        if not any(_is_procedure(text) for _, text in entries(activity, "procedures")):
            ctx.report(
                where + ("procedures",),
                f"activity '{name}' documents no procedure; procedures say how the activity is done, "
                "so every practitioner does it the same, agreed way",
                key=activity.get("procedures") is None,
            )
