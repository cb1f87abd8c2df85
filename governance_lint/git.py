"""The one way govlint runs git: no prompt, no pager, bounded in time, and one error when it cannot.

Inside a git work tree git is the source of truth (which files there are,
what a commit or the index holds); every module asks it through ``run``, or
``start`` for a command that may run while govlint does something else.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

TIMEOUT_SECONDS = 600
#: index and tree modes of a file (a symbolic link's blob is its target, not the bytes it leads to)
REGULAR_MODES = ("100644", "100755")
LINK_MODE = "120000"


class RepositoryError(Exception):
    """git cannot answer for the repository (not installed, refused, too slow): exit 2 with this message."""


class Running:
    """A git command started by ``start``; ``wait`` gives what ``run`` gives."""

    def __init__(
        self, root: Path, args: tuple[str, ...], process: subprocess.Popen[bytes], stdin: bytes | None
    ) -> None:
        self.root, self.args, self.process, self.stdin = root, args, process, stdin

    def wait(self) -> subprocess.CompletedProcess[bytes]:
        """Its exit status and output; raises ``RepositoryError`` when git does not answer in time."""
        try:
            out, err = self.process.communicate(self.stdin, timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.communicate()
            raise RepositoryError(
                f"git {self.args[0]} did not answer within {TIMEOUT_SECONDS} s in {self.root}"
            ) from None
        except BaseException:  # Ctrl-C while waiting: git does not outlive the run
            self.stop()
            raise
        return subprocess.CompletedProcess(["git", *self.args], self.process.returncode, out, err)

    def stop(self) -> None:
        """End it if it still runs (its answer is no longer wanted)."""
        if self.process.returncode is None:
            self.process.kill()
            self.process.communicate()


def start(root: Path, *args: str, stdin: bytes | None = None) -> Running:
    """``git ARGS`` started in ``root``, running while the caller goes on; raises ``RepositoryError`` when
    git cannot run."""
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat", "GIT_OPTIONAL_LOCKS": "0"}
    try:
        process = subprocess.Popen(
            ["git", *args],
            cwd=root,
            stdin=subprocess.DEVNULL if stdin is None else subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
    except FileNotFoundError:
        raise RepositoryError(
            f"{root} is inside a git work tree, but git is not installed (not on PATH); "
            "govlint asks git which files the repository holds"
        ) from None
    except OSError as exc:
        raise RepositoryError(f"cannot run git in {root}: {exc.strerror or exc}") from None
    return Running(root, args, process, stdin)


def run(root: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """``git ARGS`` in ``root``: its exit status and output; raises ``RepositoryError`` when git cannot run."""
    return start(root, *args, stdin=stdin).wait()


def text(out: bytes) -> str:
    """git's output as text; names that are not UTF-8 survive (surrogate escapes)."""
    return out.decode("utf-8", "surrogateescape")
