"""
## What it checks
In a file that holds governance documents, every document has
`apiVersion: govlint/v1` and a supported `kind` (Process, Practice, Service,
Person, Team, Policy, Glossary, Rule). In any YAML file, a document that
looks like governance gone wrong is reported with a did-you-mean: a govlint
kind with metadata or spec but no `apiVersion`, an `apiVersion` close to
`govlint/v1` (`govlnt/v1`), or a misspelled `apiVersion` key (`apiversion`).

## Why it matters
A document govlint does not recognise is silently ungoverned: other YAML is
skipped, so a governance document with a typo in its envelope would never be
checked. A file that mixes governance documents with other YAML is almost
always a mistake: a forgotten `apiVersion`, a typo in `kind`, or a version
govlint does not read.

## Example (fails)
```yaml
apiVersion: govlint/v1
kind: Person
metadata: {id: windy}
spec: {email: windy@example.org}
---
kind: Person
metadata: {id: ann}
spec: {email: ann@example.org}
```

## Use instead (passes)
```yaml
apiVersion: govlint/v1
kind: Person
metadata: {id: windy}
spec: {email: windy@example.org}
---
apiVersion: govlint/v1
kind: Person
metadata: {id: ann}
spec: {email: ann@example.org}
```

## Options
None.
"""

from governance_lint.api import Document, DocumentContext, Role, Severity, document_rule
from governance_lint.envelope import envelope_problem, might_be_governance, near_miss

__all__ = ["envelope_problem", "might_be_governance", "near_miss", "unknown_document"]


@document_rule(
    code="GOV003",
    name="unknown-document",
    severity=Severity.ERROR,
    role=Role.ENVELOPE,
    summary="apiVersion/kind missing in a governance file, or not supported",
)
def unknown_document(doc: Document, ctx: DocumentContext) -> None:
    problem = envelope_problem(doc)
    if problem:
        ctx.report((), problem)
