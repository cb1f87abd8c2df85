"""
## What it checks
A Process or Practice is measured: its `kpis` list names at least one KPI,
and every KPI has a `target`. A missing or empty `kpis` list is reported at
`spec.kpis` (or at `spec` when the list is missing); a KPI without a target
at the KPI.

## Why it matters
A process owner makes sure the process is measured: key performance
indicators, tied to critical success factors, that the managers report to
the owner. A process with no KPI cannot show it works, and a KPI with no
target measures without saying what good looks like.

## Example (fails)
```yaml
apiVersion: govlint/v1
kind: Process
metadata: {id: incident-management}
spec:
  purpose: Restore normal service operation as quickly as possible.
  owner: person:mrs-davis
  kpis:
    - {id: mttr, description: Mean time to restore}
```

## Use instead (passes)
```yaml
apiVersion: govlint/v1
kind: Process
metadata: {id: incident-management}
spec:
  purpose: Restore normal service operation as quickly as possible.
  owner: person:mrs-davis
  kpis:
    - {id: mttr, description: Mean time to restore, target: "<= 4h"}
```

## Options
None.
"""

from governance_lint.api import Document, DocumentContext, Severity, document_rule
from governance_lint.rules._subject import subject

REASON = "a process owner makes sure the process is measured, against targets"


@document_rule(
    code="GOV501",
    name="kpi-defined",
    severity=Severity.WARNING,
    kinds=["Process", "Practice"],
    summary="a Process/Practice has no KPI, or a KPI has no target",
)
def kpi_defined(doc: Document, ctx: DocumentContext) -> None:
    what = subject(doc)
    kpis = doc.spec.get("kpis")
    if kpis is not None and not isinstance(kpis, list):
        return  # a KPI list of the wrong shape: the schema says so, better than "no KPI"
    if not kpis:
        ctx.report(("spec", "kpis"), f"{what} has no KPI; {REASON}", key=True)
        return
    for i, kpi in enumerate(kpis):
        if not isinstance(kpi, dict):
            continue  # not a KPI at all: the schema says so
        target = kpi.get("target")
        if target is None or (isinstance(target, str) and not target.strip()):
            name = kpi.get("id") if isinstance(kpi.get("id"), str) else f"#{i + 1}"
            ctx.report(("spec", "kpis", i), f"KPI '{name}' of {what} has no target; {REASON}")
