"""
## What it checks
Every procedure written as a repository path names a file (or a folder)
the repository holds. A procedure is a path when it is one word without a
URL scheme that names a file with an extension (`docs/incident/identify.md`,
`runbook.pdf`) or a folder with a trailing `/` (`docs/incident/`); a
`#section` after it is left out. Short texts ("Log every call in the
tool.") and web addresses (`https://wiki.example.org/x`) are not paths.
A path is looked for relative to the repository root (where `.govlint.yaml`
is), then relative to the folder of the file that names it; one starting
with `./` or `../` only relative to that folder, one starting with `/`
only from the root. A file counts when git lists it (tracked, or untracked
and not ignored), or, outside git, when it is under the root.

## Why it matters
Procedures say how an activity is done. A path that leads nowhere (a
document renamed, moved or never written) leaves practitioners with a
broken link in the one place they are sent to learn the agreed way, and an
auditor with a process that claims documentation it does not have.

## Example (fails)
```yaml
apiVersion: govlint/v1
kind: Process
metadata: {id: incident-management}
spec:
  purpose: Restore normal service operation as quickly as possible.
  owner: person:mrs-davis
  activities:
    - id: identify
      procedures: [docs/incident/identify.md]
      raci: {responsible: [team:service-desk], accountable: person:windy}
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
    - id: identify
      procedures:
        - governance.yaml#identify   # a file the repository holds (here, this one)
        - Record the caller, the symptom and the service affected.
      raci: {responsible: [team:service-desk], accountable: person:windy}
```

## Options
None.
"""

from governance_lint.api import RepositoryContext, RepositoryIndex, Severity, repository_rule
from governance_lint.model import did_you_mean

REASON = "a procedure that leads nowhere tells nobody how the activity is done"


@repository_rule(
    code="GOV208",
    name="procedure-exists",
    severity=Severity.ERROR,
    kinds=["Process", "Practice"],
    summary="a procedure written as a repository path names no file in the repository",
    reads=["procedures"],
)
def procedure_exists(index: RepositoryIndex, ctx: RepositoryContext) -> None:
    files = index.files
    if files is None:
        return  # the run does not know the repository's files: nothing to compare with
    found: dict[tuple[str, ...], bool] = {}  # one runbook is named by many activities
    for entity in index.subjects("Process", "Practice"):
        procedures = entity.procedures
        for at, paths in enumerate(procedures.named):  # a procedure is made only to be reported
            exists = found.get(paths)
            if exists is None:
                exists = found[paths] = any(path in files for path in paths)
            if exists:
                continue
            procedure = procedures[at]
            if not procedure.paths:
                where = "leads out of the repository"
            else:
                looked = " or ".join(procedure.paths)
                close = files.closest(procedure.paths[0])
                where = f"names no file in the repository (looked for {looked}){did_you_mean(close)}"
            ctx.report(
                procedure.site,
                f"procedure {procedure.text!r} of activity '{procedure.activity}' {where}; {REASON}",
            )
