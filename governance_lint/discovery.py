"""Which files a run checks, and reading them safely.

The repository (every included file under the root) is the context; the
files the user named are the ones reported on.  Reading never follows a link
out of the repository, never opens a FIFO or device, and never reads more
than the size limit.
"""

from __future__ import annotations

import errno
import functools
import os
import re
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .config import Config, git_ls_files
from .model import Position, Problem, Role


@functools.lru_cache(maxsize=256)
def glob_regex(pattern: str) -> re.Pattern[str]:
    """Translate a ``/``-separated glob with ``**`` into a regex matched on root-relative paths."""
    out, i = [], 0
    pattern = pattern.lstrip("/")
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[" and "]" in pattern[i + 1:]:
            end = pattern.index("]", i + 1)
            body = pattern[i + 1:end].replace("\\", "\\\\")
            out.append("[" + ("^" + body[1:] if body.startswith("!") else body) + "]")
            i = end + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    # A pattern naming a folder also covers everything below it.
    return re.compile("".join(out) + "(?:/.*)?\\Z" if not pattern.endswith("**") else "".join(out) + "\\Z")


def matches(path: str, patterns: Iterable[str]) -> bool:
    return any(glob_regex(p).match(path) for p in patterns)


@dataclass(frozen=True)
class FileSet:
    """Root-relative, ``/``-separated paths: everything loaded and what is reported."""

    root: Path
    context: tuple[str, ...]   # every file loaded (sorted), the reported ones included
    reported: frozenset[str]   # files whose findings are shown
    outside: tuple[str, ...] = ()  # named paths outside the root (reported as problems)
    missing: tuple[str, ...] = ()  # named paths that do not exist


def relative(root: Path, path: Path) -> str | None:
    """``path`` relative to ``root`` with ``/``, or None when it is outside."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        return None


def _walk(root: Path) -> list[str]:
    found: list[str] = []
    top = os.path.abspath(root)
    for folder, dirs, files in os.walk(top):  # never follows symlinked folders
        # A link to a folder is kept as a file, as git lists it, so read_file reports it.
        links = [d for d in dirs if os.path.islink(os.path.join(folder, d))]
        dirs[:] = sorted(d for d in dirs if d not in (".git", ".hg", ".svn") and d not in links)
        # Plain string work: pathlib costs more than the walk itself in a large repository.
        prefix = os.path.relpath(folder, top).replace(os.sep, "/") + "/" if folder != top else ""
        found.extend(prefix + name for name in (*files, *links))
    return sorted(found)


def discover(config: Config, named: Sequence[Path], cwd: Path) -> FileSet:
    root = config.root
    listed = git_ls_files(root) if (root / ".git").exists() or _inside_git(root) else None
    candidates = listed if listed is not None else _walk(root)
    own_config = relative(root, config.path) if config.path else None
    included = {
        p for p in candidates
        if p != own_config and matches(p, config.include) and not matches(p, config.exclude)
    }
    if not named:
        return FileSet(root, tuple(sorted(included)), frozenset(included))
    reported: set[str] = set()
    outside, missing = [], []
    for raw in named:
        path = raw if raw.is_absolute() else cwd / raw
        rel = relative(root, path)
        if rel is None:
            outside.append(str(raw))
            continue
        if os.path.isdir(path) and not os.path.islink(path):
            prefix = "" if rel == "." else rel + "/"
            reported.update(p for p in included if p.startswith(prefix))
        elif os.path.lexists(path):
            reported.add(rel)  # named files are checked even if no glob matches
        else:
            missing.append(str(raw))
    return FileSet(root, tuple(sorted(included | reported)), frozenset(reported), tuple(outside), tuple(missing))


def _inside_git(root: Path) -> bool:
    from .config import git_root

    return git_root(root) is not None


def read_file(root: Path, rel: str, max_bytes: int) -> bytes | Problem:
    """The bytes of a repository file, or a problem saying why it cannot be checked."""
    path = os.path.join(root, rel)
    at = Position(1, 1)
    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            target = os.path.realpath(path)
            if relative(Path(os.path.realpath(root)), Path(target)) is None:
                return Problem(Role.SYNTAX, "symbolic link points outside the repository; not followed", at)
            try:
                info = os.stat(path)
            except OSError as exc:
                reason = "a loop" if exc.errno == errno.ELOOP else "nothing"
                return Problem(Role.SYNTAX, f"symbolic link leads to {reason}; not followed", at)
        if stat.S_ISDIR(info.st_mode):
            return Problem(Role.SYNTAX, "is a directory, not a file", at)
        if not stat.S_ISREG(info.st_mode):
            return Problem(Role.SYNTAX, f"is not a regular file ({_file_type(info.st_mode)}); not read", at)
        if info.st_size > max_bytes:
            return Problem(Role.SYNTAX, _too_large(info.st_size, max_bytes), at)
        # O_NONBLOCK: a file swapped for a FIFO after the check still cannot hang us.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return Problem(Role.SYNTAX, "is not a regular file; not read", at)
            with os.fdopen(fd, "rb", closefd=False) as stream:
                content = stream.read(max_bytes + 1)
        finally:
            os.close(fd)
    except OSError as exc:
        return Problem(Role.SYNTAX, f"cannot read file: {exc.strerror or exc}", at)
    if len(content) > max_bytes:
        return Problem(Role.SYNTAX, _too_large(len(content), max_bytes), at)
    return content


def _too_large(size: int, limit: int) -> str:
    return f"file is {size:,} bytes, more than the {limit:,}-byte limit (limit max-file-bytes); not read"


def _file_type(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"
