"""The one way govlint runs git: no prompt, no pager, bounded in time, and one error when it cannot.

Inside a git work tree git is the source of truth (which files there are,
what a commit or the index holds); every module asks it through ``run``.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

TIMEOUT_SECONDS = 600


class RepositoryError(Exception):
    """git cannot answer for the repository (not installed, refused, too slow): exit 2 with this message."""


def run(root: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """``git ARGS`` in ``root``: its exit status and output; raises ``RepositoryError`` when git cannot run."""
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat", "GIT_OPTIONAL_LOCKS": "0"}
    try:
        return subprocess.run(
            ["git", *args],
            cwd=root,
            input=stdin,
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
            env=env,
        )
    except FileNotFoundError:
        raise RepositoryError(
            f"{root} is inside a git work tree, but git is not installed (not on PATH); "
            "govlint asks git which files the repository holds"
        ) from None
    except subprocess.TimeoutExpired:
        raise RepositoryError(f"git {args[0]} did not answer within {TIMEOUT_SECONDS} s in {root}") from None
    except OSError as exc:
        raise RepositoryError(f"cannot run git in {root}: {exc.strerror or exc}") from None


def text(out: bytes) -> str:
    """git's output as text; names that are not UTF-8 survive (surrogate escapes)."""
    return out.decode("utf-8", "surrogateescape")
