#!/usr/bin/env python3
"""Regenerate .pre-commit-hooks.yaml from the rule registry (``--check``: only compare)."""

import sys

from governance_lint.hooks import main

if __name__ == "__main__":
    sys.exit(main())
