"""The codebase is held to its own style: ruff's lint selection, ruff format, mypy --strict.

These run the real tools that ``pip install -e '.[test]'`` installs, over the
same paths the project's own pre-commit configuration checks.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PATHS = ["governance_lint", "tests", "scripts", "benchmarks", "examples"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=False, timeout=600)


def test_ruff_lint_is_clean() -> None:
    done = run(sys.executable, "-m", "ruff", "check", "--no-cache", *PATHS)
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_format_is_clean() -> None:
    done = run(sys.executable, "-m", "ruff", "format", "--check", "--no-cache", *PATHS)
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_strict_is_clean() -> None:
    # The settings (strict, the package) are in pyproject.toml; the stubs come with the test extra.
    done = run(sys.executable, "-m", "mypy", "--no-incremental")
    assert done.returncode == 0, done.stdout + done.stderr
