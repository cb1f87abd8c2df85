"""
## What it checks
Every `person:`, `team:`, `process:`, `practice:` and `service:` reference
names a document of that kind somewhere in the repository. (Policies and
terms have rules of their own: policy-defined and term-defined.) The
message suggests the closest id of that kind, or the person or team with
that id. An owner that is no person (`owner: team:x`) is left to
single-owner.

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

from governance_lint.api import RepositoryContext, RepositoryIndex, Role, Severity, repository_rule
from governance_lint.index import Reference
from governance_lint.model import DEFINED_BY, SLUG_RE
from governance_lint.rules._suggest import Suggestions

KINDS = ("person", "team", "process", "practice", "service")
# An owner that is no person is single-owner's finding; whether it exists does not matter then.
_OWNED = ("process:", "practice:", "service:")


def _owner_left_to_single_owner(ref: Reference) -> bool:
    node, entity = ref.node or "", ref.entity or ""
    return (
        ref.kind != "person"
        and entity.startswith(_OWNED)
        and (node == "spec/owner" or node.startswith("spec/owner/"))
    )


@repository_rule(
    code="GOV005",
    name="unresolved-reference",
    severity=Severity.ERROR,
    summary="a person:/team:/process:/practice:/service: reference names nothing",
    reads=["references", "ids"],
    role=Role.UNRESOLVED,
)
def unresolved_reference(index: RepositoryIndex, ctx: RepositoryContext) -> None:
    suggestions = Suggestions(index)
    for ref in index.references(kinds=KINDS, unless=index.defines):
        # "person:Mrs Davis" is not a reference but text (or a malformed one: the schema's finding).
        if SLUG_RE.match(ref.id) and not _owner_left_to_single_owner(ref):
            ctx.report(
                ref.site,
                f"{ref.target} names no {DEFINED_BY[ref.kind]} in the repository{suggestions.hint(ref)}",
            )
