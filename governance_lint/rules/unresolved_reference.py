"""
## What it checks
Every `person:`, `team:`, `process:`, `practice:` and `service:` reference
names a document of that kind somewhere in the repository. (Policies and
terms have rules of their own: policy-defined and term-defined.)

## Why it matters
A manager, practitioner or interface that names nobody is a gap in the
process: the work is assigned to no one, the hand-over goes nowhere.

## Example (fails)
```yaml
apiVersion: govlint/v1
kind: Team
metadata: {id: service-desk}
spec:
  lead: person:nobody
  members: []
```

## Use instead (passes)
```yaml
apiVersion: govlint/v1
kind: Person
metadata: {id: windy}
spec: {email: windy@example.org}
---
apiVersion: govlint/v1
kind: Team
metadata: {id: service-desk}
spec:
  lead: person:windy
  members: [person:windy]
```

## Options
None.
"""

from governance_lint.api import RepositoryContext, RepositoryIndex, Severity, repository_rule
from governance_lint.model import SLUG_RE

KIND_NAMES = {"person": "Person", "team": "Team", "process": "Process",
              "practice": "Practice", "service": "Service"}


@repository_rule(code="GOV005", name="unresolved-reference", severity=Severity.ERROR,
                 summary="a person:/team:/process:/practice:/service: reference names nothing",
                 reads=["references"])
def unresolved_reference(index: RepositoryIndex, ctx: RepositoryContext) -> None:
    for ref in index.references(kinds=KIND_NAMES, unless=index.defines):
        # "person:Mrs Davis" is not a reference but text (or a malformed one: the schema's finding).
        if SLUG_RE.match(ref.id):
            ctx.report(ref.site, f"{ref.target} names no {KIND_NAMES[ref.kind]} in the repository")
