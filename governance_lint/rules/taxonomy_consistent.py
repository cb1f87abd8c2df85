"""
## What it checks
One term (compared by its slug: "Service Request" is `service-request`)
has one definition across the repository. A Glossary definition is the
canonical one; without a Glossary entry, the first definition in path
order is. Every other, different definition is reported and names the
canonical one.

## Why it matters
A process owner keeps the process's taxonomy consistent with the other
processes: what "Incident" means in Incident Management must be what it
means in Problem Management, or hand-overs and reports stop adding up.

## Example (fails)
```yaml
apiVersion: govlint/v1
kind: Glossary
metadata: {id: itsm-terms}
spec:
  terms:
    - term: Incident
      definition: An unplanned interruption to an IT service or reduction in its quality.
---
apiVersion: govlint/v1
kind: Process
metadata: {id: incident-management}
spec:
  purpose: Restore normal service operation as quickly as possible.
  owner: person:mrs-davis
  terms:
    - term: Incident
      definition: Anything a user calls the service desk about.
```

## Use instead (passes)
```yaml
apiVersion: govlint/v1
kind: Glossary
metadata: {id: itsm-terms}
spec:
  terms:
    - term: Incident
      definition: An unplanned interruption to an IT service or reduction in its quality.
---
apiVersion: govlint/v1
kind: Process
metadata: {id: incident-management}
spec:
  purpose: Restore normal service operation as quickly as possible.
  owner: person:mrs-davis
  terms:
    - ref: term:incident
```

## Options
None.
"""

from governance_lint.api import RepositoryContext, RepositoryIndex, Severity, repository_rule
from governance_lint.index import Term


def _normal(definition: str) -> str:
    return " ".join(definition.split())


@repository_rule(
    code="GOV401",
    name="taxonomy-consistent",
    severity=Severity.ERROR,
    summary="one term is defined with different definitions",
    reads=["terms"],
)
def taxonomy_consistent(index: RepositoryIndex, ctx: RepositoryContext) -> None:
    for term in (t for e in index.subjects() for t in e.terms):
        if term.definition is None:
            continue
        # the canonical definition: the first of the slug, Glossary first, then path order
        first: Term = next(t for t in index.terms(slug=term.slug) if t.definition is not None)
        if first.site != term.site and _normal(first.definition or "") != _normal(term.definition):
            ctx.report(
                term.site,
                f"term {term.term!r} is defined differently in {first.site}; "
                "one term has one meaning across all processes",
            )
