"""Shared test helpers: real git repositories, and the installed ``govlint`` run as a user runs it.

Every test that needs a repository builds a real one here (``git init`` in a
temporary folder) instead of a copy of its own fixture, and every test of
the command line as a user meets it runs the installed executable.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

#: The ``govlint`` console script installed beside the Python running the tests.
GOVLINT = str(Path(sys.executable).parent / "govlint")


def git_env(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment with git made predictable: no user or system config, a fixed identity."""
    env = {k: v for k, v in (os.environ if base is None else base).items() if not k.startswith("GIT_")}
    env.pop("GITHUB_ACTIONS", None)  # plain text output whatever CI runs the tests
    env.update(
        GIT_AUTHOR_NAME="Test",
        GIT_AUTHOR_EMAIL="test@example.org",
        GIT_COMMITTER_NAME="Test",
        GIT_COMMITTER_EMAIL="test@example.org",
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        NO_COLOR="1",
    )
    return env


def git(repo: Path, *args: str, env: Mapping[str, str] | None = None) -> str:
    """Run ``git ARGS`` in ``repo``; its standard output, or an AssertionError with what git said."""
    done = subprocess.run(
        ["git", *args],
        cwd=repo,
        env=dict(env) if env is not None else git_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} exited {done.returncode}: {done.stderr}")
    return done.stdout


def write_files(root: Path, files: Mapping[str, str | bytes]) -> None:
    for name, content in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")


def make_repo(root: Path, files: Mapping[str, str | bytes] | None = None, *, commit: bool = False) -> Path:
    """A real git work tree at ``root`` holding ``files`` (untracked, or committed with ``commit``)."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q")
    write_files(root, files or {})
    if commit:
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "files")
    return root


def run_govlint(
    *args: str, cwd: Path, env: Mapping[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """The installed ``govlint ARGS`` in ``cwd``: exit code, standard output and error as text."""
    return subprocess.run(
        [GOVLINT, *args],
        cwd=cwd,
        env=dict(env) if env is not None else git_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
