"""
## What it checks
Every `term:` reference (usually `- ref: term:<slug>` in a process's
`terms`) names a term of a Glossary in the repository. Term ids are slugs
of the term: "Service Request" is `term:service-request`. A term defined
only locally in some process does not count, and neither does a Glossary
synonym: a reference names the canonical term.

## Why it matters
A process owner keeps the process's taxonomy consistent with the other
processes by referring to the shared Glossary. A reference to a term the
Glossary does not define gives the term no meaning at all.

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
    - ref: term:incidents
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

from collections.abc import Callable

from governance_lint.api import RepositoryContext, RepositoryIndex, Role, Severity, repository_rule
from governance_lint.index import Term
from governance_lint.model import Vocabulary, term_slug

REASON = "a process's taxonomy refers to terms the Glossary defines"


def _hint(
    ident: str, glossary: dict[str, Term], local: Callable[[str], Term | None], slugs: Vocabulary
) -> str:
    """Where the reader should look instead: the slug, a close Glossary term, a local definition."""
    slug = term_slug(ident)
    if slug in glossary and slug != ident:
        return f" (term ids are slugs: term:{slug})"
    close = slugs.closest(slug)
    if close:
        term = glossary[close]
        return f" (did you mean term:{term.slug}, {term.term!r} at {term.site}?)"
    defined = local(slug)  # asked last, for a slug no Glossary defines: it reads no Glossary again
    if defined is not None:
        return f" (it is defined locally at {defined.site}, not in a Glossary)"
    return ""


@repository_rule(
    code="GOV402",
    name="term-defined",
    severity=Severity.ERROR,
    summary="a term: reference names no Glossary term",
    reads=["references", "terms", "glossary"],
    role=Role.UNRESOLVED,
)
def term_defined(index: RepositoryIndex, ctx: RepositoryContext) -> None:
    glossary: dict[str, Term] = {}
    for term in index.glossary():  # path order: the first of a slug wins
        glossary.setdefault(term.slug, term)
    slugs = Vocabulary(glossary, cutoff=0.75)

    defined_locally: dict[str, Term] | None = None

    def local(slug: str) -> Term | None:
        """The first local definition of a slug; every one read once, when first asked for."""
        nonlocal defined_locally
        if defined_locally is None:
            defined_locally = {}
            for term in index.terms():  # Glossary first, then path order: the first of a slug wins
                if not term.glossary:
                    defined_locally.setdefault(term.slug, term)
        return defined_locally.get(slug)

    for ref in index.references(kinds=("term",), unless=lambda target: target.partition(":")[2] in glossary):
        if ref.id not in glossary:
            hint = _hint(ref.id, glossary, local, slugs)
            ctx.report(ref.site, f"{ref.target} names no Glossary term{hint}; {REASON}")
