"""
## What it checks
Every Process, Practice and Policy records when it was last reviewed
(`metadata.lastReviewed`, an ISO date), and that date is no more than
`cycle-days` days before today. A missing date is reported at `metadata`;
an overdue one at the date. Today is the run's date, or `--today` /
config `today` when set. A date that is not a valid ISO date is left to
the schema.

## Why it matters
A process owner reviews and improves the process, and keeps its policies
current with IT, HR and legal requirements. A process nobody has reviewed
for longer than the review cycle describes how work used to be done.

## Example (fails)
```yaml
apiVersion: govlint/v1
kind: Policy
metadata:
  id: all-incidents-logged
  lastReviewed: 2021-03-01
spec: {statement: All incidents must be logged., category: process}
```

## Use instead (passes)
```yaml
apiVersion: govlint/v1
kind: Policy
metadata:
  id: all-incidents-logged
  lastReviewed: 2026-06-30
spec: {statement: All incidents must be logged., category: process}
```

## Options
`cycle-days` (integer, at least 1, default 365): how many days may pass
since the last review before it is overdue.

```yaml
# .govlint.yaml
rules:
  review-overdue: {options: {cycle-days: 180}}
```
"""

import datetime as dt
import re
from typing import Any

from governance_lint.api import Document, DocumentContext, Severity, document_rule
from governance_lint.rules._subject import subject

REASON = "a process owner reviews the process and its policies every cycle to keep them current"
_ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def review_date(value: Any) -> dt.date | None:
    """``lastReviewed`` as a date; None when it is not a valid ``YYYY-MM-DD`` date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DATE_RE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:  # 2026-02-30: the schema reports it
            return None
    return None


@document_rule(
    code="GOV502",
    name="review-overdue",
    severity=Severity.WARNING,
    kinds=["Process", "Practice", "Policy"],
    options={
        "cycle-days": {
            "type": "integer",
            "minimum": 1,
            "default": 365,
            "description": "Days a review stays current.",
        }
    },
    summary="a Process, Practice or Policy was never reviewed, or not within cycle-days",
)
def review_overdue(doc: Document, ctx: DocumentContext) -> None:
    what = subject(doc)
    cycle = int(ctx.options.get("cycle-days", 365))
    metadata = doc.data.get("metadata") if isinstance(doc.data, dict) else None
    value = metadata.get("lastReviewed") if isinstance(metadata, dict) else None
    if value is None:
        ctx.report(
            ("metadata", "lastReviewed"),
            f"{what} records no review date (metadata.lastReviewed); {REASON}",
            key=True,
        )
        return
    reviewed = review_date(value)
    if reviewed is None:
        return
    try:
        due = reviewed + dt.timedelta(days=cycle)
        overdue = ctx.reached(due + dt.timedelta(days=1))
    except OverflowError:  # due after the last date there is: never overdue
        return
    if overdue:
        ctx.report(
            ("metadata", "lastReviewed"),
            f"{what} was last reviewed on {reviewed.isoformat()} and was due for review on "
            f"{due.isoformat()} (review cycle {cycle} days); {REASON}",
        )
