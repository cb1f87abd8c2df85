"""Writing reports and the site without following links planted in the repository.

Every file is written to a new temporary file in its folder, opened with
``O_CREAT | O_EXCL | O_NOFOLLOW`` relative to a folder descriptor that was
itself opened with ``O_NOFOLLOW``, then renamed over the target: a symbolic
link where the file or a folder should be is replaced or refused, never followed.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
_FILE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


class OutputError(Exception):
    """The output cannot be written safely: exit 2 with this message."""


def write_at(folder_fd: int, name: str, data: bytes) -> None:
    """Write ``name`` in the open folder: a temporary file, then an atomic rename over the target."""
    tmp = f".{name}.{os.getpid()}.tmp"
    try:
        fd = os.open(tmp, _FILE_FLAGS, 0o644, dir_fd=folder_fd)
    except FileExistsError:
        os.unlink(tmp, dir_fd=folder_fd)
        fd = os.open(tmp, _FILE_FLAGS, 0o644, dir_fd=folder_fd)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
        os.replace(tmp, name, src_dir_fd=folder_fd, dst_dir_fd=folder_fd)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp, dir_fd=folder_fd)
        raise


def write_file(path: Path, text: str | bytes) -> None:
    """Write one file (``--output``, text as UTF-8); a symbolic link at ``path`` is replaced, not followed."""
    folder = path.parent if str(path.parent) else Path(".")
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0))
    try:
        write_at(fd, path.name, text if isinstance(text, bytes) else text.encode("utf-8"))
    finally:
        os.close(fd)


class SiteFolder:
    """The site's output folder; subfolders are created and entered without following links."""

    def __init__(self, path: Path) -> None:
        if path.is_symlink():
            raise OutputError(f"{path}: is a symbolic link; name the real folder")
        path.mkdir(parents=True, exist_ok=True)
        try:
            self._fd = os.open(path, _DIR_FLAGS)
        except NotADirectoryError:
            raise OutputError(f"{path}: not a folder") from None
        self._folders: dict[str, int] = {"": self._fd}

    def _folder(self, name: str) -> int:
        if name not in self._folders:
            parent, _, base = name.rpartition("/")
            parent_fd = self._folder(parent)
            with contextlib.suppress(FileExistsError):
                os.mkdir(base, 0o755, dir_fd=parent_fd)
            try:
                self._folders[name] = os.open(base, _DIR_FLAGS, dir_fd=parent_fd)
            except OSError:
                raise OutputError(
                    f"{name}: is a symbolic link or not a folder; the site will not write through it"
                ) from None
        return self._folders[name]

    def write(self, relative: str, data: bytes) -> None:
        folder, _, name = relative.rpartition("/")
        write_at(self._folder(folder), name, data)

    def close(self) -> None:
        for fd in self._folders.values():
            os.close(fd)
        self._folders.clear()

    def __enter__(self) -> SiteFolder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
