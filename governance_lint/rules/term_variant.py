"""
## What it checks
One term is spelled one way across the repository. Two defined terms
(`term:` entries of a Glossary or of a process's `terms`) are spellings of
one term when their names differ only by case, a plural `s` or separators:
"Incident" and "Incidents", "Service-Request" and "Service Request". The
canonical spelling is the Glossary's; without a Glossary entry, the first
in path order. Every other spelling is reported and names the canonical one.
Identical spellings are not variants (different definitions of one term are
taxonomy-consistent's business), and Glossary `synonyms` are other words on
purpose, not variants.

## Why it matters
A process owner keeps the taxonomy consistent with the other processes.
"Incidents" in one process and "Incident" in another read as two terms to
a search, a report or a new colleague, and soon get two meanings.

## Example (fails)
```yaml
apiVersion: govlint/v1
kind: Glossary
metadata: {id: itsm-terms}
spec:
  terms:
    - term: Service Request
      definition: A request from a user for information, advice, a standard change or access to a service.
---
apiVersion: govlint/v1
kind: Process
metadata: {id: service-request-management}
spec:
  purpose: Handle the pre-defined, user-initiated requests of the service catalogue.
  owner: person:carlos
  terms:
    - term: Service-Requests
      definition: A request from a user for information, advice, a standard change or access to a service.
```

## Use instead (passes)
```yaml
apiVersion: govlint/v1
kind: Glossary
metadata: {id: itsm-terms}
spec:
  terms:
    - term: Service Request
      definition: A request from a user for information, advice, a standard change or access to a service.
---
apiVersion: govlint/v1
kind: Process
metadata: {id: service-request-management}
spec:
  purpose: Handle the pre-defined, user-initiated requests of the service catalogue.
  owner: person:carlos
  terms:
    - ref: term:service-request
```

## Options
None.
"""

from governance_lint.api import RepositoryContext, RepositoryIndex, Severity, repository_rule
from governance_lint.index import term_family

REASON = "one term is spelled one way across all processes"
spelling_key = term_family  # "Service-Requests", "service request" and "ServiceRequest" are one term


@repository_rule(
    code="GOV403",
    name="term-variant",
    severity=Severity.WARNING,
    summary="one term is spelled two ways (case, a plural s, or separators)",
    reads=["terms"],
)
def term_variant(index: RepositoryIndex, ctx: RepositoryContext) -> None:
    for term in (t for e in index.subjects() for t in e.terms):
        key = spelling_key(term.term)
        if not key:
            continue  # a name of only separators is the schema's business
        first = next(index.terms(family=key))  # Glossary first, then path order
        if term.term != first.term:
            where = "the Glossary" if first.glossary else "the first definition"
            ctx.report(
                term.site,
                f"term {term.term!r} is a variant of {first.term!r} ({where}, at {first.site}); {REASON}",
            )
