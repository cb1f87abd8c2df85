"""Regenerate the rule table of README.md from the rule registry (``--check``: only compare)."""

from __future__ import annotations

import sys
from pathlib import Path

from governance_lint.docs import with_rules_table
from governance_lint.registry import builtin_registry

README = Path(__file__).resolve().parent.parent / "README.md"


def main(argv: list[str]) -> int:
    current = README.read_text(encoding="utf-8")
    wanted = with_rules_table(current, list(builtin_registry()))
    if "--check" in argv:
        if wanted != current:
            print("README.md rule table is out of date: run python scripts/generate_docs.py", file=sys.stderr)
            return 1
        return 0
    README.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
