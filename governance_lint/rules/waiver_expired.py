"""
## What it checks
A waiver is a suppression comment or a baseline entry with an expiry
(`until=YYYY-MM-DD`) and an approver (`by=person:ID`). Past its `until` (as
of `--today`) it hides nothing: the finding it hid is reported again, and
this rule reports the waiver. It also reports a waiver whose approver is no
active Person, a waiver that config `waivers: {require: [...]}` makes
mandatory and that gives no `until` or no `by`, and an `until` further ahead
than `waivers: {max-days: N}`.

## Why it matters
An exception to a governance rule is a decision someone took for a while:
"co-chairs until the charter vote". Without an end date and a name it
becomes permanent and nobody's; with them it comes back on its own.

## Example (fails)
```yaml
apiVersion: govlint/v1
kind: Process
metadata: {id: incident-management}
spec:
  purpose: Restore normal service operation as quickly as possible.
  # govlint: ignore[single-owner] until=2020-01-31 -- co-chairs until the charter vote
  owner: [person:mrs-davis, person:windy]
```

## Use instead (passes)
```yaml
apiVersion: govlint/v1
kind: Process
metadata: {id: incident-management}
spec:
  purpose: Restore normal service operation as quickly as possible.
  # govlint: ignore[single-owner] until=2099-01-31 -- co-chairs until the charter vote
  owner: [person:mrs-davis, person:windy]
```

## Options
None. Config `waivers: {require: [GOV1, GOV3], max-days: 180}` makes
`until` and `by` mandatory on the suppressions and baseline entries of those
rules, and caps how far ahead `until` may be.
"""

from governance_lint.api import Role, Rule, Severity

# The suppression and baseline filters find waivers; this module gives their findings an identity.
waiver_expired = Rule(
    code="GOV007",
    name="waiver-expired",
    severity=Severity.WARNING,
    summary="a suppression or baseline entry past its until date, or missing what a waiver needs",
    doc=__doc__ or "",
    role=Role.WAIVER,
)
