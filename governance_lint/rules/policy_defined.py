"""
## What it checks
Every `policy:` reference — a process's `policies`, an activity's
`policies` — names a Policy document in the repository.

## Why it matters
A process owner makes sure the process has policies that govern it. A
reference to a policy nobody wrote governs nothing: the rule the process
claims to follow does not exist.

## Example (fails)
```yaml
apiVersion: govlint/v1
kind: Process
metadata: {id: incident-management}
spec:
  purpose: Restore normal service operation as quickly as possible.
  owner: person:mrs-davis
  policies: [policy:all-incidents-logged]
```

## Use instead (passes)
```yaml
apiVersion: govlint/v1
kind: Policy
metadata: {id: all-incidents-logged}
spec: {statement: All incidents must be logged., category: process}
---
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

from governance_lint.api import RepositoryContext, RepositoryIndex, Role, Severity, repository_rule
from governance_lint.model import SLUG_RE
from governance_lint.rules._suggest import Suggestions


@repository_rule(
    code="GOV301",
    name="policy-defined",
    severity=Severity.ERROR,
    summary="a policy: reference names no Policy",
    reads=["references", "ids"],
    role=Role.UNRESOLVED,
)
def policy_defined(index: RepositoryIndex, ctx: RepositoryContext) -> None:
    suggestions = Suggestions(index)
    for ref in index.references(kinds=("policy",), unless=index.defines):
        # "policy: all incidents are logged" is a statement, not a reference.
        if SLUG_RE.match(ref.id):
            hint = suggestions.hint(ref)
            ctx.report(
                ref.site,
                f"{ref.target} is referenced but no Policy defines it{hint}; "
                "a process is governed only by policies that exist",
            )
