"""
## What it checks
With a directory snapshot in the config (`directory:`), every active Person
with a GitHub account (`spec.accounts.github`) is listed in it, and not
marked inactive there. The finding is at the account, with the closest login
the snapshot lists when the handle looks misspelled. A snapshot older than
its `max-age-days` is one warning, at the first such account. Without a
`directory:` in the config the rule is silent; people without a GitHub
account, and people already `active: false`, are not checked.

The examples are checked against the snapshot `directory/members.json`:

```json
[{"login": "windy-chen", "id": 1, "type": "User"}, {"login": "mrs-davis", "id": 2, "type": "User"}]
```

## Why it matters
People leave; the governance files are the last place to hear of it. An
owner or manager who is no longer in the organisation still "holds" the
role in YAML, still receives the review requests CODEOWNERS sends, and
nobody notices until an incident needs them.

## Example (fails)
```yaml
apiVersion: govlint/v1
kind: Person
metadata: {id: pat, name: Pat Lee}
spec:
  email: pat@example.org
  accounts: {github: pat-lee}
```

## Use instead (passes)
```yaml
apiVersion: govlint/v1
kind: Person
metadata: {id: pat, name: Pat Lee}
spec:
  email: pat@example.org
  active: false
  accounts: {github: pat-lee}
---
apiVersion: govlint/v1
kind: Person
metadata: {id: windy, name: Windy Chen}
spec:
  email: windy@example.org
  accounts: {github: windy-chen}
```

## Options
None. The snapshot is the config's `directory:` key:

```yaml
directory: {file: directory/members.json, max-age-days: 30, taken: 2026-11-20}
```
"""

from governance_lint.api import Diagnostic, RepositoryContext, RepositoryIndex, Severity, repository_rule
from governance_lint.directory import LOGIN_RE
from governance_lint.model import did_you_mean

ACCOUNT = "spec.accounts.github"


@repository_rule(
    code="GOV801",
    name="person-in-directory",
    severity=Severity.ERROR,
    kinds=["Person"],
    summary="an active Person's GitHub account is not in the directory snapshot, or is inactive there",
    reads=[ACCOUNT],
    # the one stale-snapshot warning sits at the first account: it moves when any Person changes
    scope="repository",
)
def person_in_directory(index: RepositoryIndex, ctx: RepositoryContext) -> None:
    directory = ctx.directory
    if directory is None:
        return
    # compared, not read: the findings hold until the day the snapshot turns stale (or stay stale)
    stale = ctx.reached(directory.stale_from)
    for person in index.subjects("Person"):
        login = person.value(ACCOUNT)
        site = person.value_site(ACCOUNT)
        if not person.active or not isinstance(login, str) or not LOGIN_RE.match(login) or site is None:
            continue
        if stale:
            stale = False
            ctx.findings.append(
                Diagnostic(
                    path=site.path,
                    line=site.line,
                    column=site.column,
                    code=ctx.rule.code,
                    name=ctx.rule.name,
                    # one warning, whatever the rule's severity (info stays info)
                    severity=Severity.INFO if ctx.severity is Severity.INFO else Severity.WARNING,
                    message=f"the directory snapshot {directory.source} was taken on "
                    f"{directory.taken.isoformat()}, more than max-age-days {directory.max_age_days} "
                    "ago: take it again before trusting who it lists",
                    entity=site.entity,
                    node=site.node,
                )
            )
        account = directory.account(login)
        if account is None:
            close = directory.closest(login)
            hint = did_you_mean(f"@{close}" if close and close.lower() != login.lower() else None)
            ctx.report(
                site,
                f"{person.key} is active, but the directory snapshot {directory.source} does not list "
                f"@{login}{hint}; if they left, mark them active: false and hand their roles over",
            )
        elif not account.active:
            ctx.report(
                site,
                f"{person.key} is active, but the directory snapshot {directory.source} marks @{login} "
                "inactive; mark them active: false and hand their roles over",
            )
