"""
## What it checks
The file is valid YAML that govlint can read safely: it parses, is UTF-8,
has no duplicate keys, no unsupported tags, stays within the size, nesting
and alias limits, and is a readable regular file inside the repository.

## Why it matters
A governance file that cannot be read cannot be governed: every other rule
is blind to it. The finding points at the parser's error position.

## Example (fails)
```yaml
apiVersion: govlint/v1
kind: Person
metadata: {id: windy
spec: {email: windy@example.org}
```

## Use instead (passes)
```yaml
apiVersion: govlint/v1
kind: Person
metadata: {id: windy}
spec: {email: windy@example.org}
```

## Options
None. The limits are set in the config under `limits:`
(`max-file-bytes`, `max-depth`, `max-alias-nodes`).
"""

from governance_lint.api import Role, Rule, Severity

# The loader itself finds these problems; this module gives them their identity.
yaml_syntax = Rule(
    code="GOV001",
    name="yaml-syntax",
    severity=Severity.ERROR,
    summary="the file is not valid YAML (or cannot be read safely)",
    doc=__doc__ or "",
    role=Role.SYNTAX,
)
