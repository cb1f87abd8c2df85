"""
## What it checks
Every input of an activity (`activities[].inputs`) comes from somewhere:
an activity of the same Process or Practice lists it among its `outputs`,
or an interface lists it among what the process `receives` from another
process. Names are compared ignoring case and spacing. Each unsourced
input is reported at its item.

## Why it matters
Practitioners make sure the inputs and outputs of their activities are
correct. An input nothing produces is either a gap in the process (the
activity waits for something that never comes) or a hand-over from another
process that nobody agreed on in an interface.

## Example (fails)
```yaml
apiVersion: govlint/v1
kind: Process
metadata: {id: incident-management}
spec:
  purpose: Restore normal service operation as quickly as possible.
  owner: person:mrs-davis
  activities:
    - id: investigate
      inputs: [incident-record, known-error]
      outputs: [diagnosis]
    - id: log
      outputs: [incident-record]
```

## Use instead (passes)
```yaml
apiVersion: govlint/v1
kind: Process
metadata: {id: incident-management}
spec:
  purpose: Restore normal service operation as quickly as possible.
  owner: person:mrs-davis
  activities:
    - id: investigate
      inputs: [incident-record, known-error]
      outputs: [diagnosis]
    - id: log
      outputs: [incident-record]
  interfaces:
    - process: process:problem-management
      receives: [known-error]
```

## Options
None.
"""

from governance_lint.api import Document, DocumentContext, Severity, document_rule
from governance_lint.rules._activities import activities, entries, same_text


def _sources(doc: Document, ctx: DocumentContext) -> set[str]:
    """What the process has to work with: its activities' outputs and what its interfaces receive."""
    found = {
        same_text(out)
        for _, _, activity in activities(doc, ctx)
        for _, out in entries(activity, "outputs")
        if isinstance(out, str)
    }
    for interface in ctx.items(doc.spec, "interfaces"):
        if isinstance(interface, dict):
            found.update(same_text(x) for _, x in entries(interface, "receives") if isinstance(x, str))
    return found


@document_rule(
    code="GOV204",
    name="unsourced-input",
    severity=Severity.WARNING,
    kinds=["Process", "Practice"],
    summary="an activity input that no activity outputs and no interface receives",
)
def unsourced_input(doc: Document, ctx: DocumentContext) -> None:
    sources: set[str] | None = None  # built only when some activity has inputs
    for where, name, activity in activities(doc, ctx):
        for path, item in entries(activity, "inputs"):
            if not isinstance(item, str) or not item.strip():
                continue
            if sources is None:
                sources = _sources(doc, ctx)
            if same_text(item) not in sources:
                ctx.report(
                    where + path,
                    f"input {item!r} of activity '{name}' is output by no activity of {doc.entity or 'this process'} "
                    "and received through no interface; every input must come from somewhere",
                )
