"""
## What it checks
No person or team is Responsible (`raci.responsible`) for more than
`max-activities` activities across all the Processes and Practices of the
repository. Each overloaded person or team is reported once, at its own
Person or Team document, with the count and the processes involved. A
Responsible with no Person or Team document is left to unresolved-reference.

## Why it matters
Practitioner load across activities shows bottlenecks: when one team carries
out most of the work of several processes, every one of those processes
slows down, or stops, when that team is busy or away.

## Example (fails)
```yaml
apiVersion: govlint/v1
kind: Team
metadata: {id: service-desk, name: Service Desk}
spec: {members: [person:windy]}
---
apiVersion: govlint/v1
kind: Process
metadata: {id: incident-management}
spec:
  purpose: Restore normal service operation as quickly as possible.
  owner: person:mrs-davis
  activities:
    - {id: identify, raci: {responsible: [team:service-desk], accountable: person:windy}}
    - {id: log, raci: {responsible: [team:service-desk], accountable: person:windy}}
    - {id: categorize, raci: {responsible: [team:service-desk], accountable: person:windy}}
    - {id: prioritize, raci: {responsible: [team:service-desk], accountable: person:windy}}
    - {id: investigate, raci: {responsible: [team:service-desk], accountable: person:windy}}
    - {id: resolve, raci: {responsible: [team:service-desk], accountable: person:windy}}
    - {id: close, raci: {responsible: [team:service-desk], accountable: person:windy}}
---
apiVersion: govlint/v1
kind: Process
metadata: {id: service-request-management}
spec:
  purpose: Fulfil service requests from users.
  owner: person:mrs-davis
  activities:
    - {id: receive, raci: {responsible: [team:service-desk], accountable: person:windy}}
    - {id: approve, raci: {responsible: [team:service-desk], accountable: person:windy}}
    - {id: fulfil, raci: {responsible: [team:service-desk], accountable: person:windy}}
    - {id: verify, raci: {responsible: [team:service-desk], accountable: person:windy}}
    - {id: notify, raci: {responsible: [team:service-desk], accountable: person:windy}}
    - {id: close, raci: {responsible: [team:service-desk], accountable: person:windy}}
```

## Use instead (passes)
```yaml
apiVersion: govlint/v1
kind: Team
metadata: {id: service-desk, name: Service Desk}
spec: {members: [person:windy]}
---
apiVersion: govlint/v1
kind: Team
metadata: {id: fulfilment, name: Fulfilment}
spec: {members: [person:ann]}
---
apiVersion: govlint/v1
kind: Process
metadata: {id: incident-management}
spec:
  purpose: Restore normal service operation as quickly as possible.
  owner: person:mrs-davis
  activities:
    - {id: identify, raci: {responsible: [team:service-desk], accountable: person:windy}}
    - {id: log, raci: {responsible: [team:service-desk], accountable: person:windy}}
    - {id: categorize, raci: {responsible: [team:service-desk], accountable: person:windy}}
    - {id: prioritize, raci: {responsible: [team:service-desk], accountable: person:windy}}
    - {id: investigate, raci: {responsible: [team:service-desk], accountable: person:windy}}
    - {id: resolve, raci: {responsible: [team:service-desk], accountable: person:windy}}
    - {id: close, raci: {responsible: [team:service-desk], accountable: person:windy}}
---
apiVersion: govlint/v1
kind: Process
metadata: {id: service-request-management}
spec:
  purpose: Fulfil service requests from users.
  owner: person:mrs-davis
  activities:
    - {id: receive, raci: {responsible: [team:service-desk], accountable: person:windy}}
    - {id: approve, raci: {responsible: [team:fulfilment], accountable: person:windy}}
    - {id: fulfil, raci: {responsible: [team:fulfilment], accountable: person:windy}}
    - {id: verify, raci: {responsible: [team:fulfilment], accountable: person:windy}}
    - {id: notify, raci: {responsible: [team:service-desk], accountable: person:windy}}
    - {id: close, raci: {responsible: [team:service-desk], accountable: person:windy}}
```

## Options
- `max-activities` (integer, at least 1, default 12): the most activities one
  person or team may be Responsible for before it is reported.

```yaml
rules:
  practitioner-overload: {options: {max-activities: 8}}
```
"""

from governance_lint.api import Entity, RepositoryContext, RepositoryIndex, Severity, repository_rule


@repository_rule(
    code="GOV205",
    name="practitioner-overload",
    severity=Severity.WARNING,
    kinds=["Process", "Practice", "Person", "Team"],
    options={"max-activities": {"type": "integer", "minimum": 1, "default": 12}},
    summary="a person or team is Responsible for more than max-activities activities",
    reads=["responsible"],
)
def practitioner_overload(index: RepositoryIndex, ctx: RepositoryContext) -> None:
    limit = ctx.options["max-activities"]
    # Each process's Responsible pairs by practitioner, grouped once: a team named by a thousand
    # processes would otherwise have every pair of each scanned for it.
    grouped: dict[int, dict[str, set[str]]] = {}

    def held(entity: Entity) -> dict[str, set[str]]:
        found = grouped.get(id(entity))
        if found is None:
            found = grouped[id(entity)] = {}
            for activity, held_by in entity.responsible:
                found.setdefault(held_by, set()).add(activity)
        return found

    # Over the whole repository, every process is walked once; an update looks up who names each subject.
    walked: dict[str, dict[str, set[str]]] | None = None
    if index.whole:
        walked = {}
        for entity in index.of_kind("Process", "Practice"):
            for activity, held_by in entity.responsible:
                walked.setdefault(held_by, {}).setdefault(entity.key, set()).add(activity)

    # Findings are at the practitioner's own document (the first, if its id is defined twice): over the
    # whole repository, the first met in path order, instead of a lookup per practitioner (which, from a
    # store, the index would also keep for the rest of the run).
    seen: set[str] | None = set() if index.whole else None
    for document in index.subjects("Person", "Team"):
        practitioner = document.key
        if seen is not None:
            if practitioner in seen:
                continue
            seen.add(practitioner)
        elif index.resolve(practitioner) is not document:
            continue
        # process -> its activities (a set: one activity naming a team twice counts once)
        if walked is not None:
            processes = walked.get(practitioner, {})
        else:
            processes = {}
            for entity in index.referrers(practitioner):
                activities = (
                    held(entity).get(practitioner) if entity.kind in ("Process", "Practice") else None
                )
                if activities:
                    processes.setdefault(entity.key, set()).update(activities)
        count = sum(len(acts) for acts in processes.values())
        if count <= limit:
            continue
        where = ", ".join(f"{key} ({len(acts)})" for key, acts in processes.items())
        ctx.report(
            document.site,
            f"{practitioner} is Responsible for {count} activities, more than "
            f"max-activities {limit}, across {len(processes)} processes: {where}; "
            "one overloaded practitioner is a bottleneck for every process it works in",
        )
