"""The pre-commit hook manifest (``.pre-commit-hooks.yaml``), generated from the rule registry.

One hook ``govlint`` runs every rule; one hook per built-in rule
(``govlint-single-owner``, ...) runs that rule alone.  A hook checks the
repository as the commit will record it (SPEC §7): ``govlint check --staged``
over the whole repository, so a finding the commit causes in a file it never
touched (a removed person, a renamed team, a deleted policy) fails it, an
untracked draft blocks nothing, and every finding the baseline does not hide
fails it, at ``git commit`` and under ``pre-commit run --all-files`` in CI
alike (``--new-since`` belongs in the pull-request job, never in a hook: there
the commit is already made and nothing would be new).  pre-commit passes no
file names (``pass_filenames: false``) and runs it for every commit
(``always_run: true``), a deletion included; a hook's ``args`` are options
added to the command (``args: [--fail-on, warning]``).

``python scripts/generate_hooks.py`` rewrites the file; ``--check`` (and a
test) fails when it no longer matches the registry.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .api import Rule
from .registry import builtin_registry

MANIFEST_NAME = ".pre-commit-hooks.yaml"
#: The command every hook runs: the repository as the commit records it (the git index).
HOOK_COMMAND = "govlint check --staged"
HEADER = (
    "# pre-commit hooks of govlint: `govlint` runs every rule, `govlint-<rule name>` one rule.\n"
    "# Generated from the rule registry by scripts/generate_hooks.py; do not edit by hand.\n"
    "# Each checks the whole repository as the commit records it (`--staged`: the git index), so\n"
    "# it runs for every commit with no file names; hook `args` are added options (e.g. --fail-on).\n"
)


@dataclass(frozen=True)
class Hook:
    id: str
    name: str
    description: str
    entry: str


def hooks(rules: Iterable[Rule]) -> list[Hook]:
    """The hook for all rules, then one per rule in code order."""
    result = [
        Hook(
            id="govlint",
            name="govlint",
            entry=HOOK_COMMAND,
            description="Lint process-governance files with every govlint rule",
        )
    ]
    for rule in sorted(rules, key=lambda r: r.code):
        result.append(
            Hook(
                id=f"govlint-{rule.name}",
                name=f"govlint {rule.code} {rule.name}",
                entry=f"{HOOK_COMMAND} --select {rule.code}",
                description=f"{rule.code}: {rule.summary}",
            )
        )
    return result


def _quoted(text: str) -> str:
    # Double-quoted YAML scalar: only the backslash and the quote need escaping.
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(hook_list: Sequence[Hook]) -> str:
    """The manifest as YAML text, in a fixed layout so that regenerating it is a no-op."""
    blocks = [HEADER]
    for hook in hook_list:
        blocks.append(
            f"- id: {hook.id}\n"
            f"  name: {_quoted(hook.name)}\n"
            f"  description: {_quoted(hook.description)}\n"
            f"  entry: {hook.entry}\n"
            "  language: python\n"
            # The whole change is seen, a deleted or renamed file too: never only the staged names.
            "  pass_filenames: false\n"
            "  always_run: true\n"
            "  require_serial: true\n"
        )
    return "\n".join(blocks)


def manifest_text() -> str:
    """The manifest of the built-in rules (plugins add no hooks: they are not installed with govlint)."""
    return render(hooks(builtin_registry()))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=f"Write {MANIFEST_NAME} from the rule registry.")
    parser.add_argument("--check", action="store_true", help="fail if the file is out of date; write nothing")
    parser.add_argument("--output", type=Path, default=Path(__file__).resolve().parent.parent / MANIFEST_NAME)
    args = parser.parse_args(argv)
    text = manifest_text()
    current = args.output.read_text(encoding="utf-8") if args.output.exists() else None
    if current == text:
        return 0
    if args.check:
        print(f"{args.output} is out of date; run: python scripts/generate_hooks.py", file=sys.stderr)
        return 1
    tmp = args.output.with_name(args.output.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(args.output)
    print(f"wrote {args.output}")
    return 0
