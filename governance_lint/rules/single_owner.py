"""
## What it checks
A Process, Practice or Service has an owner, and every owner is a person
(`owner: person:<id>`): not missing, not a team, not more owners than the
option `max-owners` allows (one, unless configured). Several owners are
written as a list (`owner: [person:a, person:b]`). An owner written as a
name (`owner: Mrs. Davis`) is told its reference form (`person:mrs-davis`)
and the Person it probably means: one whose name is that name, else the
closest id.

## Why it matters
The owner is *accountable* for the process: defines it, improves it, answers
for it. Accountability shared between two people, or given to a team, is
accountability nobody holds. However many managers a process has, it has
exactly one owner. An organisation whose charter deliberately shares
accountability (co-chairs of a working group, a "distributed" project) says
so with `max-owners`: the rule then fires only above that number.

## Example (fails)
```yaml
apiVersion: govlint/v1
kind: Process
metadata: {id: incident-management}
spec:
  purpose: Restore normal service operation as quickly as possible.
  owner: [person:mrs-davis, person:windy]
```

## Use instead (passes)
```yaml
apiVersion: govlint/v1
kind: Process
metadata: {id: incident-management}
spec:
  purpose: Restore normal service operation as quickly as possible.
  owner: person:mrs-davis
```

## Options
- `max-owners` (integer, at least 1, default 1): how many owners a document
  may name. With `max-owners: 3`, `owner: [person:a, person:b, person:c]`
  passes and a fourth owner is reported.
"""

from typing import Any

from governance_lint.api import (
    Document,
    DocumentContext,
    Entity,
    RepositoryContext,
    RepositoryIndex,
    Rule,
    Severity,
)
from governance_lint.model import REFERENCE_RE, NodePath, Vocabulary, did_you_mean, reference_form, term_slug
from governance_lint.rules._subject import owners, subject

REASON = "a {kind} has exactly one accountable owner"
KINDS = ("Process", "Practice", "Service")


def _check_document(doc: Document, ctx: DocumentContext) -> None:
    kind = (doc.kind or "process").lower()
    what = subject(doc)
    reason = REASON.format(kind=kind)
    found = owners(doc)
    allowed = int(ctx.options.get("max-owners", 1))
    if len(found) > allowed:
        names = ", ".join(str(o) for o in found)
        limit = reason if allowed == 1 else f"at most {allowed} allowed by max-owners"
        ctx.report(("spec", "owner"), f"{what} has {len(found)} owners ({names}); {limit}")
        return
    if not found:
        ctx.report(("spec", "owner"), f"{what} has no owner; {reason}", key=True)
        return
    if allowed > 1:
        reason = f"every owner of a {kind} is a person accountable for it"
    listed = isinstance(doc.spec.get("owner"), list)
    for i, owner in enumerate(doc.spec["owner"] if listed else [found[0]]):
        if owner in (None, "") or (isinstance(owner, str) and owner.startswith("person:")):
            continue  # a blank list item is the schema's to report
        here: NodePath = ("spec", "owner", i) if listed and len(found) > 1 else ("spec", "owner")
        reference = _name_reference(owner)
        if reference is None:
            ctx.report(
                here,
                f"the owner of {what} is {owner!r}, not a person; {reason}"
                + (", a person" if allowed == 1 else ""),
            )
        elif doc.id is None or len(found) > 1:  # not looked up in the repository: the reference form alone
            ctx.report(here, _name_message(what, owner, reference, ""))
        # else: the repository check words it, with the Person the name probably means


def _name_reference(owner: Any) -> str | None:
    """``person:mrs-davis`` when the owner is a name (``Mrs. Davis``), not a reference; else None."""
    if not isinstance(owner, str) or REFERENCE_RE.match(owner):
        return None
    return reference_form("person", owner)


def _name_message(what: str, owner: str, reference: str, hint: str) -> str:
    return f"the owner of {what} is {owner!r}, a name, not a reference to a person; write {reference}{hint}"


def _check_names(index: RepositoryIndex, ctx: RepositoryContext) -> None:
    """Owners written as names: the reference form, and the Person it probably means."""
    people: list[Entity] = []
    vocabulary: Vocabulary | None = None
    for entity in index.subjects(*KINDS):
        if any(_is_owner(node) for node in entity.references.nodes):
            continue  # the owner is a reference: the document check said all there is to say
        owner = entity.value("spec.owner")
        found = [o for o in (owner if isinstance(owner, list) else [owner]) if o not in (None, "")]
        reference = _name_reference(found[0]) if len(found) == 1 else None
        site = entity.value_site("spec.owner")
        if reference is None or site is None:
            continue
        if vocabulary is None:
            people = list(index.of_kind("Person"))
            vocabulary = Vocabulary(e.id for e in people)
        slug = reference.removeprefix("person:")
        by_name = next((p.id for p in people if p.name and term_slug(p.name) == slug), None)
        close = by_name or vocabulary.closest(slug)
        hint = did_you_mean(f"person:{close}" if close and f"person:{close}" != reference else None)
        ctx.report(site, _name_message(f"{entity.kind.lower()} {entity.id!r}", found[0], reference, hint))


def _is_owner(node: str | None) -> bool:
    return node is not None and (node == "spec/owner" or node.startswith("spec/owner/"))


single_owner = Rule(
    code="GOV101",
    name="single-owner",
    severity=Severity.ERROR,
    summary="a Process, Practice or Service has no owner, more owners than max-owners, or a non-person owner",
    doc=__doc__ or "",
    kinds=frozenset(KINDS),
    repo=True,
    check=_check_document,
    check_repository=_check_names,
    options={"max-owners": {"type": "integer", "minimum": 1, "default": 1}},
    # the owner's value from the index (no document parsed again); the hint reads every Person's id and name
    reads=frozenset({"references", "spec.owner", "ids"}),
)
