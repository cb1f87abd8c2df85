"""Real git repositories for the tests: a clean environment, commands that explain their failures."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest


def git_env(tmp: Path) -> dict[str, str]:
    """An environment with no user or system git config (hooksPath, signing) and plain text output."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.pop("GITHUB_ACTIONS", None)
    env.update(
        GIT_AUTHOR_NAME="Test",
        GIT_AUTHOR_EMAIL="test@example.org",
        GIT_COMMITTER_NAME="Test",
        GIT_COMMITTER_EMAIL="test@example.org",
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=str(tmp / "gitconfig"),
        PRE_COMMIT_COLOR="never",
        NO_COLOR="1",
    )
    # The govlint of this checkout first on PATH, as for a user who installed it.
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    (tmp / "gitconfig").write_text("[init]\n\tdefaultBranch = main\n", encoding="utf-8")
    return env


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
