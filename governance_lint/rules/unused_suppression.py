"""
## What it checks
Every `# govlint:` suppression comment, and every baseline entry, still earns
its place:
- a suppression that hid no finding of the rules it names (reported at the
  comment);
- a suppression naming a rule that does not exist (with a did-you-mean);
- a comment that starts with `govlint:` but is not a suppression
  (`ignore[RULES]`, `ignore-file[RULES]` or `RULE: off`);
- with `require-reason: true` in the config, a suppression without a
  `-- reason`;
- a baseline entry that matches no finding any more (a *stale* entry),
  reported at its node if the node still exists, else at the file's first
  line, and only when that file is among the files checked.

Only rules that ran on the file are judged: with `--select GOV101`, or with a
rule turned off in the config or for the file under `per-file`, a suppression
of another rule is not "unused". A suppression naming this rule
(`ignore-file[unused-suppression]`) hides these findings; it is reported
itself when it hides nothing.

## Why it matters
A waiver outlives its reason: the activity gets its procedure, the second
owner leaves, and the comment stays, silently ready to hide the next real
problem at that place. A misspelt rule name suppresses nothing at all while
looking as if it did. Reporting both keeps waivers few and honest, and lets a
baseline shrink as findings are fixed.

## Example (fails)
```yaml
apiVersion: govlint/v1
kind: Process
metadata: {id: incident-management}
spec:
  purpose: Restore normal service operation as quickly as possible.
  # govlint: ignore[single-ownr] -- co-owned until the merger closes
  owner: [person:mrs-davis, person:windy]
```

## Use instead (passes)
```yaml
apiVersion: govlint/v1
kind: Process
metadata: {id: incident-management}
spec:
  purpose: Restore normal service operation as quickly as possible.
  # govlint: ignore[single-owner] -- co-owned until the merger closes
  owner: [person:mrs-davis, person:windy]
```

## Options
None. Set `require-reason: true` in the config to make every suppression
give a reason after `--`.
"""

from governance_lint.api import Role, Rule, Severity

# The suppression and baseline filters find these; this module gives them their identity.
unused_suppression = Rule(
    code="GOV006",
    name="unused-suppression",
    severity=Severity.WARNING,
    summary="a suppression comment or baseline entry that suppressed nothing",
    doc=__doc__ or "",
    role=Role.UNUSED_SUPPRESSION,
)
