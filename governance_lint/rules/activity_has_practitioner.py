"""
## What it checks
Every activity of a Process or Practice has at least one Responsible in its
RACI line (`raci.responsible`), and each Responsible is a person or a team
(`person:<id>` or `team:<id>`). A Responsible that names nobody is reported
by unresolved-reference instead.

## Why it matters
An activity is work; the Responsible are the practitioners who do it. An
activity with no practitioner is work nobody carries out.

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
      raci:
        accountable: person:windy
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
      raci:
        responsible: [team:service-desk]
        accountable: person:windy
```

## Options
None.
"""

from governance_lint.api import Document, DocumentContext, Severity, document_rule
from governance_lint.rules._activities import activities, holders

REASON = "every activity is carried out by at least one practitioner (a person or a team)"


@document_rule(
    code="GOV201",
    name="activity-has-practitioner",
    severity=Severity.ERROR,
    kinds=["Process", "Practice"],
    summary="an activity has no Responsible, or a Responsible that is not a person or team",
)
def activity_has_practitioner(doc: Document, ctx: DocumentContext) -> None:
    for where, name, activity in activities(doc, ctx):
        here = where + ("raci",)
        raci = ctx.mapping(activity, "raci")
        named = holders(raci, "responsible")
        if not named:
            ctx.report(here + ("responsible",), f"activity '{name}' has no Responsible; {REASON}", key=True)
        for path, who in named:
            if not (isinstance(who, str) and who.startswith(("person:", "team:"))):
                ctx.report(
                    here + path,
                    f"Responsible {who!r} of activity '{name}' is not a person or a team; {REASON}",
                )
