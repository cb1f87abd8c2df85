"""
## What it checks
Every activity of a Process or Practice has exactly one Accountable in its
RACI line (`raci.accountable`), and that Accountable is a person
(`person:<id>`): not missing, not a list of several, not a team.

## Why it matters
RACI gives each activity exactly one Accountable: the person who answers
for the activity being done, and done right. Two Accountables, or a team,
means each can point at the others and nobody answers.

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
        responsible: [team:service-desk]
        accountable: [person:windy, person:guy]
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
        responsible: [team:service-desk, person:guy]
        accountable: person:windy
```

## Options
None.
"""

from governance_lint.api import Document, DocumentContext, Severity, document_rule
from governance_lint.rules._activities import activities, holders

REASON = "each activity has exactly one person accountable for it"


@document_rule(
    code="GOV202",
    name="single-accountable",
    severity=Severity.ERROR,
    kinds=["Process", "Practice"],
    summary="an activity has no Accountable, more than one, or one that is not a person",
)
def single_accountable(doc: Document, ctx: DocumentContext) -> None:
    for where, name, activity in activities(doc, ctx):
        raci = ctx.mapping(activity, "raci")
        here = where + ("raci", "accountable")
        named = holders(raci, "accountable")
        if not named:
            ctx.report(here, f"activity '{name}' has no Accountable; {REASON}", key=True)
        elif len(named) > 1:
            names = ", ".join(str(who) for _, who in named)
            ctx.report(here, f"activity '{name}' has {len(named)} Accountables ({names}); {REASON}")
        else:
            path, who = named[0]
            if not (isinstance(who, str) and who.startswith("person:")):
                ctx.report(
                    where + ("raci",) + path,
                    f"the Accountable of activity '{name}' is {who!r}, not a person; {REASON}",
                )
