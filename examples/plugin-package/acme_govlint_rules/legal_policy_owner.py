"""
## What it checks
A Policy of category `legal` is owned by a member of the legal team
(`team:legal`, or the team named by the `team` option).

## Why it matters
A legal policy states what the law or a contract requires. When its owner
is not in Legal, nobody who can judge the wording answers for it, and a
change in the law goes unnoticed.

## Example (fails)
```yaml
apiVersion: govlint/v1
kind: Team
metadata: {id: legal, name: Legal}
spec: {members: [person:lee]}
---
apiVersion: govlint/v1
kind: Policy
metadata: {id: personal-data-protection}
spec:
  statement: Personal data is deleted 24 months after the ticket is closed.
  category: legal
  owner: person:windy
```

## Use instead (passes)
```yaml
apiVersion: govlint/v1
kind: Team
metadata: {id: legal, name: Legal}
spec: {members: [person:lee]}
---
apiVersion: govlint/v1
kind: Policy
metadata: {id: personal-data-protection}
spec:
  statement: Personal data is deleted 24 months after the ticket is closed.
  category: legal
  owner: person:lee
```

## Options
`team` (string, default `legal`): the id of the team whose members may own
legal policies.
"""

from governance_lint.api import RepositoryContext, RepositoryIndex, Severity, Site, repository_rule


@repository_rule(
    code="ACME101",
    name="legal-policy-owned-by-legal",
    severity=Severity.ERROR,
    kinds=["Policy", "Team"],
    options={"team": {"type": "string", "default": "legal"}},
    summary="a legal Policy is owned by a member of the legal team",
)
def legal_policy_owned_by_legal(index: RepositoryIndex, ctx: RepositoryContext) -> None:
    team_ref = f"team:{ctx.options['team']}"
    team = index.resolve(team_ref)
    members = (
        {r.target for r in team.references if (r.site.node or "").startswith("spec/members/")}
        if team
        else set()
    )
    for policy in index.of_kind("Policy"):
        doc = index.document(policy)  # the category is not among the index's facts: read the document
        if doc is None or doc.spec.get("category") != "legal":
            continue
        owner = doc.spec.get("owner")
        where = ("spec", "owner") if owner else ("spec", "category")
        pos = doc.position(where)
        site = Site(doc.path, pos.line, pos.column, doc.entity, doc.node_name(where))
        if not owner:
            ctx.report(site, f"legal policy '{policy.id}' has no owner; a member of {team_ref} must own it")
        elif owner not in members:
            ctx.report(
                site,
                f"legal policy '{policy.id}' is owned by {owner}, who is not a member of "
                f"{team_ref}" + ("" if team else f" ({team_ref} is not defined)"),
            )
