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

from governance_lint.api import RepositoryContext, RepositoryIndex, Severity, repository_rule


# The rule reads the category and owner of each Policy from the index (declared in `reads`, so no
# document is parsed again), and a team's members from its references. Its findings depend on the
# legal team, which a policy does not name: scope="repository" checks every Policy again when a
# Policy or a Team changes.
@repository_rule(
    code="ACME101",
    name="legal-policy-owned-by-legal",
    severity=Severity.ERROR,
    kinds=["Policy", "Team"],
    options={"team": {"type": "string", "default": "legal"}},
    summary="a legal Policy is owned by a member of the legal team",
    reads=["references", "spec.category", "spec.owner"],
    scope="repository",
)
def legal_policy_owned_by_legal(index: RepositoryIndex, ctx: RepositoryContext) -> None:
    team_ref = f"team:{ctx.options['team']}"
    team = index.resolve(team_ref)
    members = (
        {r.target for r in team.references if (r.site.node or "").startswith("spec/members/")}
        if team
        else set()
    )
    for policy in index.subjects("Policy"):
        if policy.value("spec.category") != "legal":
            continue
        owner = policy.value("spec.owner")
        site = policy.value_site("spec.owner" if owner else "spec.category")
        assert site is not None  # declared in reads: the index holds it
        if not owner:
            ctx.report(site, f"legal policy '{policy.id}' has no owner; a member of {team_ref} must own it")
        elif owner not in members:
            ctx.report(
                site,
                f"legal policy '{policy.id}' is owned by {owner}, who is not a member of "
                f"{team_ref}" + ("" if team else f" ({team_ref} is not defined)"),
            )
