"""The one way govlint writes a file: atomically, never through a link, never over a checked file.

The repository being checked may come from anyone, and it may hold symbolic
links planted where govlint will write: ``govlint.sarif -> ~/.bashrc``, or a
folder ``reports -> /etc``.  So every file govlint writes (a report, a
baseline, a site page, a renamed file) is written like this:

- its folder is opened one component at a time, each with ``O_NOFOLLOW``
  relative to the folder before it; a link met inside the checked repository
  (``root``) is refused, a link outside it (the user's own) is followed;
- a new file with a random name is created in that folder with ``O_CREAT |
  O_EXCL | O_NOFOLLOW`` (it cannot be a file or a link that was already
  there), written, then renamed over the target with ``os.replace``, which
  replaces a name and never writes to what it points at.  A reader sees the
  old file or the new one, never half of one;
- a target that is a link or not a regular file is refused, and so is a
  target that is one of the files being checked (``checked``: paths
  relative to ``root``).

A refusal is an ``UnsafeTarget`` error: the command line prints it as one
line and exits 2.

    write_text_atomically(path, text, root=..., checked=...)
    write_bytes_atomically(path, data, root=..., checked=...)
    with open_atomically(path, root=...) as stream: ...   # a text stream, for large output
    with Folder(path, root=...) as folder: folder.write("process/x.html", data)   # the site
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import TextIO

from .config import read_at_most

__all__ = [
    "Folder",
    "UnsafeTarget",
    "check_target",
    "open_atomically",
    "write_bytes_atomically",
    "write_text_atomically",
]

TEMP_SUFFIX = ".tmp"
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_FILE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _CLOEXEC
_READ_FLAGS = os.O_RDONLY | _NOFOLLOW | _CLOEXEC | getattr(os, "O_NONBLOCK", 0)


class UnsafeTarget(Exception):
    """govlint refuses to write this file: ``path: why``."""


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


class _OpenFolder:
    """A folder opened without following a link the repository planted, and its real path."""

    def __init__(self, fd: int, real: str, real_root: str | None) -> None:
        self.fd, self.real, self.real_root = fd, real, real_root

    @classmethod
    def open(cls, path: Path, root: Path | None, *, create: bool, link_ok: bool = True) -> _OpenFolder:
        """Open ``path`` from the top, component by component; ``link_ok=False``: ``path`` itself no link."""
        parts = Path(os.path.abspath(path)).parts
        real_root = os.path.realpath(root) if root is not None else None
        folder = cls(os.open(parts[0], _DIR_FLAGS), parts[0], real_root)
        for n, part in enumerate(parts[1:], start=2):
            try:
                child = folder.enter(
                    part, create=create, link_ok=link_ok or n < len(parts), shown=Path(*parts[:n])
                )
            finally:
                folder.close()
            folder = child
        return folder

    def enter(self, part: str, *, create: bool, link_ok: bool, shown: Path) -> _OpenFolder:
        """The folder ``part`` inside this one (made when ``create``); a link is followed only outside
        the repository, and only when ``link_ok``."""
        try:
            child = os.open(part, _DIR_FLAGS | _NOFOLLOW, dir_fd=self.fd)
            real = os.path.join(self.real, part)
        except FileNotFoundError:
            if not create:
                raise FileNotFoundError(errno.ENOENT, "no such folder", str(shown)) from None
            with contextlib.suppress(FileExistsError):
                os.mkdir(part, 0o777, dir_fd=self.fd)
            try:
                child = os.open(part, _DIR_FLAGS | _NOFOLLOW, dir_fd=self.fd)
            except OSError:
                raise UnsafeTarget(
                    f"{shown}: is a symbolic link or not a folder; govlint will not write through it"
                ) from None
            real = os.path.join(self.real, part)
        except OSError as exc:
            info = _lstat(part, self.fd)
            if info is None or not stat.S_ISLNK(info.st_mode):
                raise UnsafeTarget(f"{shown}: is not a folder ({exc.strerror or exc})") from None
            if self.real_root is not None and _within(self.real, self.real_root):
                raise UnsafeTarget(
                    f"{shown}: is a symbolic link inside the repository; govlint never writes through a link"
                ) from None
            if not link_ok:
                raise UnsafeTarget(f"{shown}: is a symbolic link; name the real folder") from None
            child = os.open(part, _DIR_FLAGS, dir_fd=self.fd)  # the user's own link, outside the repository
            real = os.path.realpath(os.path.join(self.real, part))
        return _OpenFolder(child, real, self.real_root)

    def relative(self, name: str) -> str | None:
        """``name`` in this folder as a path relative to the repository root, or None outside it."""
        if self.real_root is None:
            return None
        full = os.path.join(self.real, name)
        if not _within(full, self.real_root):
            return None
        return Path(os.path.relpath(full, self.real_root)).as_posix()

    def close(self) -> None:
        os.close(self.fd)


def _lstat(name: str, fd: int) -> os.stat_result | None:
    try:
        return os.stat(name, dir_fd=fd, follow_symlinks=False)
    except OSError:
        return None


def _refuse(folder: _OpenFolder, name: str, shown: Path, checked: Collection[str], *, links: bool) -> None:
    """Raise ``UnsafeTarget`` unless ``name`` in ``folder`` may be replaced by a file govlint writes."""
    info = _lstat(name, folder.fd)
    if info is not None:
        if stat.S_ISLNK(info.st_mode):
            if not links:
                raise UnsafeTarget(
                    f"{shown}: is a symbolic link; govlint never writes through a link "
                    "(remove it, or name another file)"
                )
        elif not stat.S_ISREG(info.st_mode):
            raise UnsafeTarget(f"{shown}: is not a regular file; govlint writes only regular files")
    if checked and folder.relative(name) in checked:
        raise UnsafeTarget(f"{shown}: is one of the files being checked; govlint never writes to them")


def check_target(path: Path, root: Path | None = None, checked: Collection[str] = ()) -> None:
    """Raise ``UnsafeTarget`` unless ``path`` may be replaced by a file govlint writes.

    ``path`` must not be a symbolic link, nor anything but a regular file if it
    exists.  With ``root`` (the checked repository), no folder between ``root``
    and ``path`` may be a link either (a pull request could have planted it),
    nor may ``path`` be one of ``checked`` (paths relative to ``root``).  A
    folder that does not exist yet is no refusal: the write says so.
    """
    path = Path(os.path.abspath(path))
    try:
        folder = _OpenFolder.open(path.parent, root, create=False)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise UnsafeTarget(f"{path}: cannot write: {exc.strerror or exc}") from None
    try:
        _refuse(folder, path.name, path, checked, links=False)
    finally:
        folder.close()


def check_folder(path: Path, root: Path | None) -> None:
    """Raise ``UnsafeTarget`` when ``path``, or a folder on the way to it, is a link planted in ``root``.

    A folder that does not exist yet is no refusal: writing into it creates it.
    """
    try:
        folder = _OpenFolder.open(path, root, create=False)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise UnsafeTarget(f"{path}: cannot write: {exc.strerror or exc}") from None
    folder.close()


def _write_at(folder: int, name: str, data: bytes, mode: int, sync: bool) -> None:
    """``data`` replaces ``name`` in the open folder: a new temporary file, then a rename."""
    temp = f".{name[:100]}.{secrets.token_hex(8)}{TEMP_SUFFIX}"
    fd = os.open(temp, _FILE_FLAGS, mode, dir_fd=folder)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            if sync:
                stream.flush()
                os.fsync(stream.fileno())
        os.replace(temp, name, src_dir_fd=folder, dst_dir_fd=folder)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp, dir_fd=folder)
        raise


def write_bytes_atomically(
    path: Path,
    data: bytes,
    *,
    root: Path | None = None,
    checked: Collection[str] = (),
    mode: int = 0o666,
    sync: bool = False,
) -> None:
    """Replace ``path`` with ``data``: all of it or, on any failure, nothing.

    ``mode`` is the new file's permissions (less the umask); ``sync`` flushes it to disk before the
    rename (for a file of the repository itself, as ``rename`` writes).
    """
    with _opened_target(path, root, checked) as (folder, name):
        _write_at(folder.fd, name, data, mode, sync)


def write_text_atomically(
    path: Path, text: str, *, root: Path | None = None, checked: Collection[str] = (), encoding: str = "utf-8"
) -> None:
    """Replace ``path`` with ``text``: all of it or, on any failure, nothing."""
    write_bytes_atomically(path, text.encode(encoding), root=root, checked=checked)


@contextlib.contextmanager
def open_atomically(
    path: Path, *, root: Path | None = None, checked: Collection[str] = (), encoding: str = "utf-8"
) -> Iterator[TextIO]:
    """A text stream whose content replaces ``path`` when the block ends without an exception."""
    with _opened_target(path, root, checked) as (folder, name):
        temp = f".{name[:100]}.{secrets.token_hex(8)}{TEMP_SUFFIX}"
        fd = os.open(temp, _FILE_FLAGS, 0o666, dir_fd=folder.fd)
        try:
            with os.fdopen(fd, "w", encoding=encoding, newline="") as stream:
                yield stream
            os.replace(temp, name, src_dir_fd=folder.fd, dst_dir_fd=folder.fd)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp, dir_fd=folder.fd)
            raise


@contextlib.contextmanager
def _opened_target(
    path: Path, root: Path | None, checked: Collection[str]
) -> Iterator[tuple[_OpenFolder, str]]:
    path = Path(os.path.abspath(path))
    folder = _OpenFolder.open(path.parent, root, create=False)
    try:
        _refuse(folder, path.name, path, checked, links=False)
        try:
            yield folder, path.name
        except OSError as exc:  # name the file the user asked for, not the temporary one
            if exc.filename is None or str(exc.filename).endswith(TEMP_SUFFIX):
                raise OSError(exc.errno, exc.strerror, str(path)) from None
            raise
    finally:
        folder.close()


class Folder:
    """A folder govlint fills (the site): files written atomically, subfolders entered without following links.

    The folder itself must not be a link, nor any folder below it; a link where a file will be written
    is replaced, never followed.  ``read`` returns what a file holds now, so that a caller can leave an
    unchanged file alone; ``remove`` deletes a file govlint wrote before.
    """

    def __init__(self, path: Path, *, root: Path | None = None, checked: Collection[str] = ()) -> None:
        self.path = Path(path)
        self._checked = checked
        top = _OpenFolder.open(self.path, root, create=True, link_ok=False)
        self._folders: dict[str, _OpenFolder] = {"": top}

    def _folder(self, name: str, *, create: bool = True) -> _OpenFolder:
        if name not in self._folders:
            parent_name, _, base = name.rpartition("/")
            parent = self._folder(parent_name, create=create)
            try:
                self._folders[name] = parent.enter(base, create=create, link_ok=False, shown=self.path / name)
            except UnsafeTarget:
                raise UnsafeTarget(
                    f"{self.path / name}: is a symbolic link or not a folder; govlint will not write through it"
                ) from None
        return self._folders[name]

    def read(self, relative: str, limit: int) -> bytes | None:
        """The bytes of a regular file in the folder (None when absent, a link, or over ``limit`` bytes)."""
        folder_name, _, name = relative.rpartition("/")
        try:
            folder = self._folder(folder_name, create=False)
            fd = os.open(name, _READ_FLAGS, dir_fd=folder.fd)
        except (OSError, UnsafeTarget):
            return None
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                return None
            data = read_at_most(fd, limit + 1, info.st_size)
        finally:
            os.close(fd)
        return data if len(data) <= limit else None

    def write(self, relative: str, data: bytes) -> None:
        """Replace ``relative`` (``process/x.html``) with ``data``."""
        folder_name, _, name = relative.rpartition("/")
        folder = self._folder(folder_name)
        _refuse(folder, name, self.path / relative, self._checked, links=True)
        try:
            _write_at(folder.fd, name, data, 0o666, False)
        except OSError as exc:
            raise OSError(exc.errno, exc.strerror, str(self.path / relative)) from None

    def remove(self, relative: str) -> bool:
        """Delete a file (or a link) the folder holds; whether there was one.  Never a folder."""
        folder_name, _, name = relative.rpartition("/")
        try:
            folder = self._folder(folder_name, create=False)
        except (OSError, UnsafeTarget):
            return False
        info = _lstat(name, folder.fd)
        if info is None or not (stat.S_ISREG(info.st_mode) or stat.S_ISLNK(info.st_mode)):
            return False
        if self._checked and folder.relative(name) in self._checked:
            return False
        os.unlink(name, dir_fd=folder.fd)
        return True

    def close(self) -> None:
        for folder in self._folders.values():
            folder.close()
        self._folders.clear()

    def __enter__(self) -> Folder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
