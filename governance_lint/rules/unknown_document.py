"""
## What it checks
In a file that holds governance documents, every document has
`apiVersion: govlint/v1` and a supported `kind` (Process, Practice, Service,
Person, Team, Policy, Glossary, Rule).

## Why it matters
A document govlint does not recognise is silently ungoverned. A file that
mixes governance documents with other YAML is almost always a mistake: a
forgotten `apiVersion`, a typo in `kind`, or a version govlint does not read.

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

from governance_lint.api import Document, DocumentContext, Severity, document_rule
from governance_lint.model import envelope_problem


@document_rule(code="GOV003", name="unknown-document", severity=Severity.ERROR,
               summary="apiVersion/kind missing in a governance file, or not supported")
def unknown_document(doc: Document, ctx: DocumentContext) -> None:
    problem = envelope_problem(doc)
    if problem:
        ctx.report((), problem)
