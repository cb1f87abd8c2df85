"""Write a file govlint produces (a report, a baseline, a site page) atomically, never through a link.

The repository being checked may come from anyone, and it may hold symbolic
links planted where govlint will write: ``govlint.sarif -> ~/.bashrc``, or a
folder ``reports -> /etc``.  So every file govlint writes is first written to
a new file with a random name in the target's folder, created with
``O_CREAT | O_EXCL | O_NOFOLLOW`` (it cannot be a file or a link that was
already there), then renamed over the target with ``os.replace``, which
replaces a name and never writes to what it points at.  A reader sees the
old file or the new one, never half of one.

``check_target`` refuses, before any work is done, a target that is a link or
not a regular file, and (given the repository root) a target reached through
a link inside the repository.  A refusal is an ``UnsafeTarget`` error: the
command line prints it as one line and exits 2.

    write_text_atomically(path, text)
    write_bytes_atomically(path, data)
    with open_atomically(path) as stream: ...   # a text stream, for large output
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

__all__ = [
    "UnsafeTarget",
    "check_target",
    "open_atomically",
    "write_bytes_atomically",
    "write_text_atomically",
]

TEMP_SUFFIX = ".tmp"
_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


class UnsafeTarget(Exception):
    """govlint refuses to write this file: ``path: why``."""


def check_target(path: Path, root: Path | None = None) -> None:
    """Raise ``UnsafeTarget`` unless ``path`` may be replaced by a file govlint writes.

    ``path`` must not be a symbolic link, nor anything but a regular file if it
    exists.  With ``root`` (the checked repository), no folder between ``root``
    and ``path`` may be a link either: a pull request could have planted it.
    """
    path = Path(os.path.abspath(path))
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise UnsafeTarget(f"{path}: cannot write: {exc.strerror or exc}") from None
    else:
        if stat.S_ISLNK(info.st_mode):
            raise UnsafeTarget(
                f"{path}: is a symbolic link; govlint never writes through a link "
                "(remove it, or name another file)"
            )
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeTarget(f"{path}: is not a regular file; govlint writes only regular files")
    if root is None:
        return
    root = Path(os.path.abspath(root))
    if not path.is_relative_to(root):
        return
    folder = path.parent
    while folder != root and folder.is_relative_to(root):
        if folder.is_symlink():
            raise UnsafeTarget(
                f"{path}: its folder {folder} is a symbolic link inside the repository; "
                "govlint never writes through a link"
            )
        folder = folder.parent


@contextlib.contextmanager
def open_atomically(path: Path, *, encoding: str = "utf-8") -> Iterator[TextIO]:
    """A text stream whose content replaces ``path`` when the block ends without an exception."""
    with _temporary(path) as (fd, temp):
        with os.fdopen(fd, "w", encoding=encoding, newline="") as stream:
            yield stream
        os.replace(temp, path)


def write_text_atomically(path: Path, text: str, *, encoding: str = "utf-8") -> None:
    """Replace ``path`` with ``text``: all of it or, on any failure, nothing."""
    with open_atomically(path, encoding=encoding) as stream:
        stream.write(text)


def write_bytes_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data``: all of it or, on any failure, nothing."""
    with _temporary(path) as (fd, temp):
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
        os.replace(temp, path)


@contextlib.contextmanager
def _temporary(path: Path) -> Iterator[tuple[int, Path]]:
    """A new file beside ``path`` (random name, never an existing file or link), removed on failure."""
    check_target(path)
    folder = Path(os.path.dirname(os.path.abspath(path)))
    temp = folder / f".{Path(path).name[:100]}.{secrets.token_hex(8)}{TEMP_SUFFIX}"
    try:
        fd = os.open(temp, _FLAGS, 0o666)
    except OSError as exc:  # name the file the user asked for, not the temporary one
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    try:
        yield fd, temp
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
