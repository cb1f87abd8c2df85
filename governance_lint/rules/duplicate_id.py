"""
## What it checks
Two documents of one kind share an id, anywhere in the repository; or two
activities, KPIs or CSFs of one process share an id. The later definition
(path order, then position) is reported and names the first.

## Why it matters
References name things by id: with two `person:windy`, a reference means
whichever one a reader happens to find. Ids must be unique per kind.

## Example (fails)
```yaml
apiVersion: govlint/v1
kind: Person
metadata: {id: windy, name: Windy}
spec: {email: windy@example.org}
---
apiVersion: govlint/v1
kind: Person
metadata: {id: windy, name: Windy Smith}
spec: {email: wsmith@example.org}
```

## Use instead (passes)
```yaml
apiVersion: govlint/v1
kind: Person
metadata: {id: windy, name: Windy}
spec: {email: windy@example.org}
---
apiVersion: govlint/v1
kind: Person
metadata: {id: windy-smith, name: Windy Smith}
spec: {email: wsmith@example.org}
```

## Options
None.
"""

from governance_lint.api import (
    Document,
    DocumentContext,
    RepositoryContext,
    RepositoryIndex,
    Rule,
    Severity,
)

_ITEM_LISTS = {"activities": "activity", "kpis": "KPI", "csfs": "CSF"}


def _check_items(doc: Document, ctx: DocumentContext) -> None:
    for field, noun in _ITEM_LISTS.items():
        seen: dict[str, int] = {}
        for i, item in enumerate(ctx.items(doc.spec, field)):
            ident = item.get("id") if isinstance(item, dict) else None
            if not isinstance(ident, str):
                continue
            if ident in seen:
                first = doc.position(("spec", field, seen[ident], "id"))
                ctx.report(
                    ("spec", field, i, "id"),
                    f"{noun} id {ident!r} is used twice in {doc.entity} (first at line {first.line}); "
                    "ids are unique within a process",
                )
            else:
                seen[ident] = i


def _check_ids(index: RepositoryIndex, ctx: RepositoryContext) -> None:
    # Over the whole repository every entity is read by ``subjects()``, and ``resolve`` then answers from
    # them (each key's first, in path order) without a lookup per entity.
    for entity in index.subjects():
        first = (index.resolve(entity.key) or entity).site
        if first[:2] != entity.site[:2]:  # another file and line than this definition's (``str(site)``)
            ctx.report(
                entity.site,
                f"{entity.kind} id {entity.id!r} is already defined at {first}; ids are unique per kind",
            )


duplicate_id = Rule(
    code="GOV004",
    name="duplicate-id",
    severity=Severity.ERROR,
    summary="two documents of one kind share an id (or two activities, KPIs or CSFs of one process)",
    doc=__doc__ or "",
    repo=True,
    check=_check_items,
    check_repository=_check_ids,
    reads=frozenset(),
)
