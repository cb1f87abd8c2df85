"""Shared test helpers: real git repositories, and the installed ``govlint`` run as a user runs it.

Every test that needs a repository builds a real one here (``git init`` in a
temporary folder) instead of a copy of its own fixture, and every test of
the command line as a user meets it runs the installed executable.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

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


def tool_env(tmp: Path) -> dict[str, str]:
    """``git_env`` for tools that run git hooks (pre-commit): no ``PRE_COMMIT`` variables from outside, a
    git config of the test's own (branch ``main``), and this checkout's govlint first on ``PATH``."""
    env = {k: v for k, v in git_env().items() if not k.startswith("PRE_COMMIT")}
    (tmp / "gitconfig").write_text("[init]\n\tdefaultBranch = main\n", encoding="utf-8")
    env.update(GIT_CONFIG_GLOBAL=str(tmp / "gitconfig"), PRE_COMMIT_COLOR="never")
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
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


def sh(*args: str, cwd: Path, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run a command; stdout and stderr together in ``stdout``; a failure shows what it printed."""
    done = subprocess.run(
        args,
        check=False,
        cwd=cwd,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        timeout=300,
    )
    if check and done.returncode != 0:
        raise AssertionError(f"{' '.join(args)} exited {done.returncode}:\n{done.stdout}")
    return done


def govlint_executable() -> str:
    beside = Path(sys.executable).parent / "govlint"
    found = str(beside) if beside.exists() else shutil.which("govlint")
    if found is None:
        pytest.skip("the govlint executable is not installed")
    return found


@dataclass
class Repo:
    """A git work tree in a temporary folder."""

    path: Path
    env: dict[str, str]

    @classmethod
    def create(cls, path: Path, env: dict[str, str], files: dict[str, str] | None = None) -> Repo:
        path.mkdir(parents=True, exist_ok=True)
        repo = cls(path, env)
        repo.git("init", "-q")
        for rel, text in (files or {}).items():
            repo.write(rel, text)
        return repo

    def write(self, rel: str, text: str) -> Path:
        target = self.path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        return target

    def read(self, rel: str) -> str:
        return (self.path / rel).read_text(encoding="utf-8")

    def edit(self, rel: str, old: str, new: str) -> None:
        text = self.read(rel)
        assert old in text, f"{old!r} not in {rel}"
        self.write(rel, text.replace(old, new))

    def git(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return sh("git", *args, cwd=self.path, env=self.env, check=check)

    def commit_all(self, message: str = "change") -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "--no-verify", "-m", message)

    def govlint(self, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        """The installed govlint, as CI and pre-commit run it (stdout and stderr apart)."""
        return subprocess.run(
            [govlint_executable(), *args],
            check=False,
            cwd=cwd or self.path,
            env=self.env,
            text=True,
            capture_output=True,
            timeout=300,
        )
