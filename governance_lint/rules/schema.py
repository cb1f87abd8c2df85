"""
## What it checks
Each governance document matches the JSON Schema of its kind (print one
with `govlint schema KIND`): required fields, field types, reference
formats such as `person:<id>`, dates, and no unknown fields. One finding per
violation, at the offending node.

## Why it matters
A misspelt field (`onwer:`) is not an owner: without the schema the other
rules would quietly see nothing. Where a governance rule explains a problem
better (several owners, say) the schema stays silent on that node.

## Example (fails)
```yaml
apiVersion: govlint/v1
kind: Person
metadata: {id: windy}
spec: {email: windy@example.org, actve: true}
```

## Use instead (passes)
```yaml
apiVersion: govlint/v1
kind: Person
metadata: {id: windy}
spec: {email: windy@example.org, active: true}
```

## Options
None.
"""

import dataclasses
import functools

from governance_lint.api import Document, DocumentContext, Role, Severity, document_rule
from governance_lint.model import KINDS


@functools.cache
def _schemas():  # type: ignore[no-untyped-def]
    from governance_lint.schema import SchemaSet

    return SchemaSet.load()


@document_rule(
    code="GOV002",
    name="schema",
    severity=Severity.ERROR,
    kinds=KINDS,
    summary="a document violates its kind's JSON Schema",
)
def schema(doc: Document, ctx: DocumentContext) -> None:
    for path, message, key in _schemas().check(doc):
        ctx.report(path, message, key=key)


# Values no schema can hold, found by the loader, are reported under this rule too.
schema = dataclasses.replace(schema, role=Role.SCHEMA)
