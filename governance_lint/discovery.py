"""Which files a run checks, and reading them safely.

The repository (every included file under the root) is the context; the
files the user named, passed through the same include and exclude globs, are
the ones reported on.  Inside a git work tree git says which files exist,
and a git that is missing or refuses the checkout stops the run; outside git
the folder is walked.  Reading never follows a link out of the repository,
never opens a FIFO or device, and never reads more than the size limit.
"""

from __future__ import annotations

import errno
import functools
import os
import re
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .config import DEFAULT_INCLUDE, Config, ConfigError, file_kind, git_root, glob_regex, read_at_most
from .gitindex import GitIndex, listing
from .model import API_PREFIX, Position, Problem, Role, closest

#: A governance file mentions this (the apiVersion prefix); other YAML is not govlint's business.
GOVERNANCE_MARK = API_PREFIX.encode()
# The same in UTF-16 (either byte order contains it), so a file saved as UTF-16 is not passed over.
_WIDE_MARK = API_PREFIX.encode("utf-16-le")


def mentions_governance(content: bytes) -> bool:
    """Whether the file mentions ``govlint/``, the mark of a governance file (SPEC §4)."""
    return GOVERNANCE_MARK in content or _WIDE_MARK in content


def matches(path: str, patterns: Iterable[str]) -> bool:
    return any(glob_regex(p).match(path) for p in patterns)


@dataclass(frozen=True)
class FileSet:
    """Root-relative, ``/``-separated paths: everything loaded and what is reported."""

    root: Path
    context: tuple[str, ...]  # every file loaded (sorted), the reported ones included
    reported: frozenset[str]  # files whose findings are shown
    missing: tuple[str, ...] = ()  # named paths that do not exist
    passed_over: tuple[str, ...] = ()  # named files outside the root or the include/exclude globs
    index: GitIndex | None = None  # what git's index says of the files (None: outside git)
    every: tuple[str, ...] | None = None  # every file under the root, included or not (None: not listed)


def relative(root: Path, path: Path) -> str | None:
    """``path`` relative to ``root`` with ``/``, or None when it is outside."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        return None


def _walk(root: Path) -> list[str]:
    """Every file under ``root`` outside git, iteratively: a tree 1,000 folders deep is no deeper a stack."""
    found: list[str] = []
    # Plain string work: pathlib costs more than the walk itself in a large repository.
    folders = [("", os.path.abspath(root))]
    while folders:
        prefix, folder = folders.pop()
        try:
            with os.scandir(folder) as entries:
                listed = [(entry.name, entry.path, _is_folder(entry)) for entry in entries]
        except OSError:
            continue  # unreadable or vanished, as os.walk skips it
        for name, path, is_folder in listed:
            if not is_folder:
                # A link to a folder is kept as a file, as git lists it, so read_file reports it.
                found.append(prefix + name)
            elif name not in (".git", ".hg", ".svn"):
                folders.append((prefix + name + "/", path))
    return sorted(found)


def git_files(root: Path) -> list[str]:
    """The files under ``root`` as git sees them, relative to ``root`` (see ``gitindex.listing``)."""
    return listing(root).files


def repository_files(root: Path) -> list[str]:
    """Every file of the repository under ``root``, root-relative: git's list inside a work tree, else a walk."""
    return git_files(root) if git_root(root) is not None else _walk(root)


def selected(config: Config, rel: str) -> bool:
    """Whether the include and exclude globs take this root-relative path."""
    return selector(config)(rel)


def selector(config: Config) -> Callable[[str], bool]:
    """``selected`` for many paths: the include globs joined into one pattern, and the exclude globs."""
    include, exclude = _joined(tuple(config.include)), _joined(tuple(config.exclude))
    if exclude is None:
        return lambda rel: include is not None and include.match(rel) is not None
    return lambda rel: include is not None and include.match(rel) is not None and exclude.match(rel) is None


@functools.lru_cache(maxsize=64)
def _joined(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern matching what any of these globs matches (None: there is none)."""
    return re.compile("|".join(f"(?:{glob_regex(p).pattern})" for p in patterns)) if patterns else None


def _is_folder(entry: os.DirEntry[str]) -> bool:
    """A real folder, never a link to one (links are not followed)."""
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def discover(config: Config, named: Sequence[Path], cwd: Path) -> FileSet:
    """The repository's files (the context) and the ones reported on: the named ones, or all.

    Named files pass through the include and exclude globs like any other
    (a file outside them is passed over silently, as ruff's force-exclude
    does), so a hook handed every staged YAML file checks only governance files.
    """
    root = config.root
    found = listing(root) if git_root(root) is not None else None
    candidates = found.files if found is not None else _walk(root)
    index = found.index if found is not None else None
    _check_include(config, candidates)
    own_config = relative(root, config.path) if config.path else None
    take = selector(config)
    included = [p for p in candidates if take(p) and p != own_config]  # sorted, as the candidates are
    if not named:
        return FileSet(root, tuple(included), frozenset(included), index=index, every=tuple(candidates))
    reported: set[str] = set()
    missing: list[str] = []
    passed_over: list[str] = []
    for raw in named:
        path = raw if raw.is_absolute() else cwd / raw
        rel = relative(root, path)
        if not os.path.lexists(path):
            missing.append(str(raw))
        elif os.path.isdir(path) and not os.path.islink(path):
            if rel is not None:
                prefix = "" if rel == "." else rel + "/"
                reported.update(p for p in included if p.startswith(prefix))
        elif rel is not None and rel != own_config and selected(config, rel):
            reported.add(rel)
        else:
            passed_over.append(str(raw))
    return FileSet(
        root,
        tuple(sorted(reported.union(included))),
        frozenset(reported),
        tuple(missing),
        tuple(passed_over),
        index,
        tuple(candidates),
    )


def _check_include(config: Config, candidates: Sequence[str]) -> None:
    """A configured ``include`` glob that names what the repository does not hold is a mistake: say which.

    A glob matching no file is an error when the folder it names (or, without
    wildcards, the file or folder itself) does not exist, or when no glob
    matches anything at all: a typo such as ``govrnance/**``.  A glob whose
    folder exists but holds no match yet (``governance/**/*.yml`` beside
    ``.yaml`` files) is kept for files to come.
    """
    if config.include == DEFAULT_INCLUDE:
        return
    unmatched = [p for p in config.include if not any(glob_regex(p).match(c) for c in candidates)]
    if not unmatched:
        return
    folders = {c[:i] for c in candidates for i in range(len(c)) if c[i] == "/"}
    nothing = len(unmatched) == len(config.include)
    for pattern in unmatched:
        folder = _literal_folder(pattern)
        if nothing or folder is None or (folder and folder not in folders):
            missing = pattern.strip("/") if folder is None else folder
            known = folders.union(candidates)
            hint = None if missing in known else closest(missing, sorted(known), 0.6)
            raise ConfigError(
                f"{config.label}: include: {pattern!r} matches no file in the repository "
                f"({config.root})" + (f"; did you mean {hint!r}?" if hint else "")
            )


def _literal_folder(pattern: str) -> str | None:
    """The folder a glob names before its first wildcard ('' for the root); None for a glob with none."""
    parts = pattern.strip("/").split("/")
    if not any(char in pattern for char in "*?["):
        return None
    literal: list[str] = []
    for part in parts[:-1]:
        if any(char in part for char in "*?["):
            break
        literal.append(part)
    return "/".join(literal)


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
            return Problem(Role.SYNTAX, f"is not a regular file ({file_kind(info.st_mode)}); not read", at)
        # O_NONBLOCK: a file swapped for a FIFO after the check still cannot hang us.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        try:
            opened = os.fstat(fd)
            if not stat.S_ISREG(opened.st_mode):
                return Problem(Role.SYNTAX, "is not a regular file; not read", at)
            content = read_at_most(fd, max_bytes + 1, opened.st_size)
        finally:
            os.close(fd)
    except OSError as exc:
        return Problem(Role.SYNTAX, f"cannot read file: {exc.strerror or exc}", at)
    if len(content) > max_bytes:
        # Too large to check; but one whose first max_bytes never mention govlint/ is not a
        # governance file at all, and is skipped like any other YAML (empty content says so).
        if not mentions_governance(content):
            return b""
        return Problem(Role.SYNTAX, _too_large(max(info.st_size, len(content)), max_bytes), at)
    return content


def _too_large(size: int, limit: int) -> str:
    return f"file is {size:,} bytes, more than the {limit:,}-byte limit (limit max-file-bytes); not read"
