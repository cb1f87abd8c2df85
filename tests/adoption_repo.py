"""A small governance repository and a CLI helper for the config, suppression and baseline tests."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from helpers import make_repo

from governance_lint.cli import main

PEOPLE = """\
apiVersion: govlint/v1
kind: Person
metadata: {id: mrs-davis, name: Mrs Davis}
spec: {email: davis@example.org}
---
apiVersion: govlint/v1
kind: Person
metadata: {id: windy, name: Windy}
spec: {email: windy@example.org}
---
apiVersion: govlint/v1
kind: Team
metadata: {id: service-desk, name: Service Desk}
spec: {lead: person:windy, members: [person:windy]}
---
apiVersion: govlint/v1
kind: Policy
metadata: {id: all-incidents-logged, lastReviewed: 2026-09-01}
spec: {statement: All incidents must be logged., category: process, owner: person:mrs-davis}
"""

# The procedure of activity 'close': a short text (a path would have to name a file: procedure-exists).
CLOSE_PROCEDURE = "      procedures: [Close the record once the caller confirms.]\n"
# Clean except for one finding: GOV203 at 14:7, activity 'identify' documents no procedure.
PROCESS = """\
apiVersion: govlint/v1
kind: Process
metadata:
  id: incident-management
  lastReviewed: 2026-09-30
spec:
  purpose: Restore normal service operation as quickly as possible.
  owner: person:mrs-davis
  managers:
    - person: person:windy
  escalation: [person:windy, person:mrs-davis]
  policies: [policy:all-incidents-logged]
  activities:
    - id: identify
      name: Identify
      outputs: [incident-record]
      raci:
        responsible: [team:service-desk]
        accountable: person:windy
    - id: close
      name: Close
      procedures: [Close the record once the caller confirms.]
      inputs: [incident-record]
      raci:
        responsible: [team:service-desk]
        accountable: person:windy
  kpis:
    - {id: mttr, description: Mean time to restore, target: "<= 4h"}
"""

IDENTIFY_LINE = 14  # "    - id: identify"
CLOSE_LINE = 20  # "    - id: close"


def write_repo(root: Path, files: Mapping[str, str]) -> Path:
    """A real git work tree at ``root`` holding ``files`` (untracked: git lists them all the same)."""
    return make_repo(root, files)


def govlint(*args: str) -> tuple[int, dict[str, Any] | None, str]:
    """Run ``govlint check ARGS --format json`` in the current folder: exit code, report, stderr."""
    result = CliRunner().invoke(
        main, ["check", "--no-cache", "--format", "json", *args], catch_exceptions=False
    )
    report = json.loads(result.stdout) if result.stdout.strip() else None
    return result.exit_code, report, result.stderr


def found(report: dict[str, Any] | None) -> list[tuple[str, str, int, int]]:
    """``[(code, path, line, column)]`` of a JSON report."""
    assert report is not None
    return [(d["code"], d["path"], d["line"], d["column"]) for d in report["diagnostics"]]
