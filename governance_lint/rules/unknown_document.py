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

import difflib

from governance_lint.api import Document, DocumentContext, Severity, document_rule
from governance_lint.model import API_PREFIX, API_VERSION, KINDS


def envelope_problem(doc: Document) -> str | None:
    """Why a document of a governance file is not a supported governance document."""
    data = doc.data
    if not isinstance(data, dict):
        shape = "a list" if isinstance(data, list) else "a single value"
        return (f"document is {shape}, not a mapping; "
                "a file holding governance documents holds only those")
    api = data.get("apiVersion")
    if api is None:
        return "document has no apiVersion; a file holding governance documents holds only those"
    if not isinstance(api, str) or not api.startswith(API_PREFIX):
        return f"apiVersion {api!r} is not a govlint version; a file holding governance documents holds only those"
    if api != API_VERSION:
        return f"apiVersion {api!r} is not supported (this govlint reads {API_VERSION})"
    kind = data.get("kind")
    if kind is None:
        return "document has no kind (one of " + ", ".join(KINDS) + ")"
    if kind not in KINDS:
        hint = difflib.get_close_matches(kind, KINDS, n=1) if isinstance(kind, str) else []
        return f"kind {kind!r} is not supported" + (f"; did you mean {hint[0]!r}?" if hint else
                                                       " (one of " + ", ".join(KINDS) + ")")
    return None


@document_rule(code="GOV003", name="unknown-document", severity=Severity.ERROR,
               summary="apiVersion/kind missing in a governance file, or not supported")
def unknown_document(doc: Document, ctx: DocumentContext) -> None:
    problem = envelope_problem(doc)
    if problem:
        ctx.report((), problem)
