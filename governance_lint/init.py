"""``govlint init [DIR]``: start a governance repository that passes ``govlint check``.

Writes a ``.govlint.yaml``, a ``.pre-commit-config.yaml`` whose hook runs
``govlint check --staged`` before each commit, and a starter governance set: one process (Incident Management) with
its owner, scoped managers, practitioners, activities with RACI and
procedures, policies, a glossary, CSFs and KPIs, and the people and teams it
names.  Nothing is ever overwritten: an existing pre-commit config is kept
(the user is told what to add to it); if any other file exists, nothing is
written and the error names every one of them.  Each file appears whole or
not at all (written beside its target, then linked into place).
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from string import Template

from . import __version__

#: Where the published pre-commit hooks are fetched from (the config shows it pinned to this release).
PROJECT_URL = "https://github.com/govlint/govlint"


class InitError(Exception):
    """The repository cannot be started as asked (worded for the user)."""


GOVLINT_CONFIG = """\
# govlint configuration (https://govlint.dev): which files are governance
# files, and how strict the checks are.
include: ["governance/**/*.yaml", "governance/**/*.yml"]
fail-on: error
# rules:
#   review-overdue: {options: {cycle-days: 180}}
#   practitioner-overload: {options: {max-activities: 8}}
"""

# The hook as `repo: local` runs the govlint installed beside git: it works as written, with no
# release to pin. `language: system` (pre-commit 4.4 calls it `unsupported`) is read by every version.
LOCAL_HOOK = """\
  - repo: local
    hooks:
      - id: govlint
        name: govlint
        entry: govlint check --staged
        language: system
        pass_filenames: false
        always_run: true
"""

PRE_COMMIT_CONFIG = (
    """\
# Before each commit, govlint checks the governance files (`include` in
# .govlint.yaml) as the commit records them: what the commit breaks anywhere —
# a person removed while still named, a renamed team, a deleted policy — and
# every other finding stop it (a baseline hides legacy findings; untracked
# drafts are left out). With govlint and pre-commit installed: pre-commit install
repos:
"""
    + LOCAL_HOOK
    + """\
# With a published release of govlint, pre-commit can install it for you instead:
#  - repo: $url
#    rev: v$version
#    hooks:
#      - id: govlint
"""
)

PEOPLE = """\
# The people who hold roles in the processes. Set `active: false` when someone
# leaves: every role they still hold is then reported (GOV102).
apiVersion: govlint/v1
kind: Person
metadata: {id: alex, name: Alex Morgan}
spec: {email: alex@example.org}
---
apiVersion: govlint/v1
kind: Person
metadata: {id: sam, name: Sam Patel}
spec: {email: sam@example.org}
---
apiVersion: govlint/v1
kind: Person
metadata: {id: jordan, name: Jordan Lee}
spec: {email: jordan@example.org}
---
apiVersion: govlint/v1
kind: Person
metadata: {id: riley, name: Riley Chen}
spec: {email: riley@example.org}
---
apiVersion: govlint/v1
kind: Person
metadata: {id: taylor, name: Taylor Brooks}
spec: {email: taylor@example.org}
"""

TEAMS = """\
# Teams carry out activities (RACI "responsible").
apiVersion: govlint/v1
kind: Team
metadata: {id: service-desk, name: Service Desk}
spec:
  lead: person:sam
  members: [person:sam, person:riley]
---
apiVersion: govlint/v1
kind: Team
metadata: {id: engineering, name: Engineering}
spec:
  lead: person:jordan
  members: [person:jordan, person:taylor]
"""

POLICIES = """\
# Policies govern processes; a process names the ones it follows (GOV301, GOV302).
apiVersion: govlint/v1
kind: Policy
metadata:
  id: all-incidents-logged
  name: All incidents are logged
  lastReviewed: $today
spec:
  statement: All incidents must be logged, whoever reports them and however they are resolved.
  category: process
  owner: person:alex
---
apiVersion: govlint/v1
kind: Policy
metadata:
  id: incident-priority-matrix
  name: Incidents are prioritised by impact and urgency
  lastReviewed: $today
spec:
  statement: Every incident is given a priority from the impact and urgency matrix.
  category: process
  owner: person:alex
"""

GLOSSARY = """\
# The canonical meaning of every term: a process refers to a term here with
# `ref: term:<slug>`, so that a word means the same in every process (GOV401).
apiVersion: govlint/v1
kind: Glossary
metadata: {id: itsm-terms, name: IT service management terms}
spec:
  terms:
    - term: Incident
      definition: An unplanned interruption to an IT service or reduction in the quality of an IT service.
    - term: Major Incident
      definition: An incident with significant business impact, requiring an immediate coordinated response.
"""

PROCESS = """\
# Incident Management: restore normal service as quickly as possible.
# One owner is accountable; two managers run it day to day, each in a scope.
apiVersion: govlint/v1
kind: Process
metadata:
  id: incident-management
  name: Incident Management
  version: "1.0.0"
  lastReviewed: $today
spec:
  purpose: Restore normal service operation as quickly as possible and minimise the impact on the business.
  owner: person:alex
  managers:
    - person: person:sam
      scope: Service Desk
    - person: person:jordan
      scope: Engineering
  practitioners: [team:service-desk, team:engineering]
  # Functional escalation first, then up to the owner.
  escalation: [person:sam, person:jordan, person:alex]
  policies: [policy:all-incidents-logged, policy:incident-priority-matrix]
  terms:
    - ref: term:incident
    - ref: term:major-incident

  activities:
    - id: log
      name: Log
      procedures: [Record every reported incident with its reporter, time and symptoms.]
      outputs: [incident-record]
      policies: [policy:all-incidents-logged]
      raci:
        responsible: [team:service-desk]
        accountable: person:sam
        informed: [person:alex]
    - id: prioritize
      name: Categorize and Prioritize
      procedures: [Set the category and the priority from the impact and urgency matrix.]
      inputs: [incident-record]
      outputs: [prioritized-incident]
      policies: [policy:incident-priority-matrix]
      raci:
        responsible: [team:service-desk]
        accountable: person:sam
        consulted: [team:engineering]
    - id: investigate
      name: Investigate and Diagnose
      procedures: [Search known errors first, then diagnose the cause.]
      inputs: [prioritized-incident]
      outputs: [diagnosis]
      raci:
        responsible: [team:engineering]
        accountable: person:jordan
        informed: [team:service-desk]
    - id: resolve
      name: Resolve and Close
      procedures: [Apply the fix or a workaround, confirm with the user, then close the incident.]
      inputs: [diagnosis]
      outputs: [closed-incident]
      policies: [policy:all-incidents-logged]
      raci:
        responsible: [team:engineering, team:service-desk]
        accountable: person:sam
        informed: [person:alex]

  csfs:
    - {id: fast-restore, description: Services are restored within the agreed targets.}
  kpis:
    - {id: mttr, description: Mean time to restore service, target: "<= 4h", csf: fast-restore}
    - {id: first-contact-resolution, description: Incidents resolved at first contact in percent,
       target: ">= 70", csf: fast-restore}
"""

STARTER: Mapping[str, str] = {
    ".govlint.yaml": GOVLINT_CONFIG,
    ".pre-commit-config.yaml": PRE_COMMIT_CONFIG,  # PRE_COMMIT_NAME
    "governance/people.yaml": PEOPLE,
    "governance/teams.yaml": TEAMS,
    "governance/policies.yaml": POLICIES,
    "governance/glossary.yaml": GLOSSARY,
    "governance/processes/incident-management.yaml": PROCESS,
}


def starter_files(today: dt.date) -> dict[str, str]:
    """Relative path -> content of every file ``init`` writes."""
    values = {"today": today.isoformat(), "url": PROJECT_URL, "version": __version__}
    return {path: Template(text).substitute(values) for path, text in STARTER.items()}


PRE_COMMIT_NAME = ".pre-commit-config.yaml"


def pre_commit_advice(directory: Path) -> str | None:
    """What to add to a pre-commit config that ``directory`` already has (None: it has none)."""
    if not os.path.lexists(directory / PRE_COMMIT_NAME):
        return None
    return (
        f"{directory / PRE_COMMIT_NAME} already exists and is left as it is; "
        f"to run govlint before each commit, add under its `repos:`\n\n{LOCAL_HOOK}"
    )


def init_repository(directory: Path, today: dt.date) -> list[Path]:
    """Write the starter repository into ``directory``; the paths written, in order.

    An existing ``.pre-commit-config.yaml`` is kept (``pre_commit_advice`` says
    what to add to it).  Raises InitError, writing nothing, when any other
    target already exists or a folder on the way is a file.
    """
    files = starter_files(today)
    if os.path.lexists(directory / PRE_COMMIT_NAME):
        del files[PRE_COMMIT_NAME]
    existing = [rel for rel in files if os.path.lexists(directory / rel)]
    if existing:
        raise InitError(f"{directory}: would overwrite {', '.join(existing)}; nothing written")
    blocked = sorted(
        {
            str(parent)
            for rel in files
            for parent in (directory / rel).parents
            if parent.exists() and not parent.is_dir()
        }
    )
    if blocked:
        raise InitError(f"{', '.join(blocked)}: is not a folder; nothing written")
    written: list[Path] = []
    try:
        for rel, text in files.items():
            target = directory / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            _create(target, text)
            written.append(target)
    except OSError as exc:  # a file created by someone else meanwhile, a full disk: undo ours
        for path in written:
            path.unlink(missing_ok=True)
        what = "appeared while writing" if isinstance(exc, FileExistsError) else (exc.strerror or str(exc))
        raise InitError(f"{exc.filename or directory}: {what}; nothing written") from None
    return written


def _create(target: Path, text: str) -> None:
    """Write ``target`` whole, failing with FileExistsError rather than replacing a file."""
    tmp = str(target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp"))
    # os.open with 0o666 rather than mkstemp's 0o600: the umask decides, as for any new file.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        try:
            os.link(tmp, target)  # atomic, and refuses an existing target
        except FileExistsError:
            raise FileExistsError(errno.EEXIST, "File exists", str(target)) from None
        except (NotImplementedError, PermissionError):
            # A file system without hard links: the existence check above must do.
            if os.path.lexists(target):
                raise FileExistsError(errno.EEXIST, "File exists", str(target)) from None
            os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
