"""What git says of the work tree: which files there are, and which hold the bytes of their index entry.

Inside a git work tree discovery asks git, its commands started at once:

- ``git ls-files --stage -v``: every index entry under the root, with its mode,
  blob id, stage and tag (lower case: assume-unchanged; ``S``: skip-worktree);
- ``git status --porcelain=v2``: the entries whose work tree file differs from
  the index, found with git's own stat cache (racily clean entries compared by
  content, ``core.fsmonitor`` where the user has it), and the untracked files
  (through the untracked cache where the user has it; a folder status names
  as wholly untracked is listed with ``git ls-files --others``);
- ``git rev-parse`` and ``git config``: where the root sits in the work tree,
  and whether ``core.autocrlf`` or an attributes file may make the index hold
  other bytes than the work tree (``git check-attr`` then says for which files).

A tracked file is *vouched for* when git says its bytes on disk are those of
its blob: a regular file at stage 0, neither assume-unchanged nor
skip-worktree (git does not look at those), not named by status, converted by
nothing, in a repository whose blob ids are SHA-1.  Its content key is then
its blob id (``parallel.content_key`` is git's blob id of the bytes read),
known without reading the file.  Every other file is for govlint to look at
itself; when status fails, every file is.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import git
from .git import LINK_MODE, REGULAR_MODES, RepositoryError

GITLINK_MODE = "160000"  # a submodule
SHA1_HEX = 40  # the length of a SHA-1 blob id (a SHA-256 repository's are 64 long: never content keys)
STATUS = ("--porcelain=v2", "-z", "--untracked-files=normal", "--ignore-submodules=all", "--no-renames")
SETTINGS = r"^(core\.(autocrlf|attributesfile)|attr\.tree)$"
#: attributes under which the index may hold other bytes than the work tree: line ends, filters
#: (Git LFS), ``$Id$``, encodings; "unset" and "unspecified" convert nothing
CONVERTING = ("text", "eol", "crlf", "filter", "ident", "working-tree-encoding")
_NOT_CONVERTING = ("unspecified", "unset")
_FALSE = ("", "false", "no", "off", "0")  # git's spellings of false
ARGUMENT_BYTES = 100_000  # pathspecs given to one git command: far below any system's limit
ATTRIBUTES = ".gitattributes"


@dataclass(frozen=True)
class GitIndex:
    """What the git index says of the files under the root (root-relative paths, with ``/``)."""

    prefix: str  # the root inside the git work tree: "" (its top) or "sub/dir/"
    blobs: Mapping[str, str]  # every stage-0 file and symbolic link: path -> blob id
    links: frozenset[str]  # of those, the symbolic links (their blob is the link's target)
    unchanged: Mapping[str, str]  # path -> blob id, for the files git vouches hold that blob's bytes

    @property
    def keyed(self) -> bool:
        """Whether blob ids are content keys (SHA-1); a SHA-256 repository's are not."""
        return all(len(sha) == SHA1_HEX for sha in self.blobs.values())


@dataclass(frozen=True)
class Listing:
    """The files under the root as git sees them (root-relative, sorted), and what its index says of them."""

    files: list[str]
    index: GitIndex | None  # None: git's stat cache could not be asked; no file is vouched for


def listing(root: Path) -> Listing:
    """The files under ``root`` as git sees them, relative to ``root``, and what the index says of them.

    Tracked files (those of checked-out submodules included) and untracked
    files git does not ignore.  Left out: skip-worktree entries (a sparse
    checkout), files deleted from the work tree but not yet staged, and the
    folders of submodules that are not checked out.  (Untracked files inside
    a submodule are not listed: git lists them only from inside it.)
    """
    # At the work tree's top, status runs without a pathspec: the only way it uses the untracked cache.
    pathspec = () if os.path.lexists(os.path.join(root, ".git")) else ("--", ".")
    status = git.start(root, "status", *STATUS, *pathspec)
    where = git.start(root, "rev-parse", "--show-prefix", "--git-path", "info/attributes")
    settings = git.start(root, "config", "-z", "--get-regexp", SETTINGS)
    try:
        out = listed(root, git.run(root, "ls-files", "-z", "-v", "--stage", "--", "."))
        tracked = _tracked(out)
        located = _located(where.wait())
        changes = _status(status.wait(), located[0]) if located is not None else None
        config = _config(settings.wait())
    finally:  # git refused (raised above) or Ctrl-C: no git is left running
        for running in (status, where, settings):
            running.stop()
    names = tracked.names
    if tracked.gitlinks:
        known = set(names)
        names = names + [name for name in _submodule_files(root) if name not in known]
    if located is None or changes is None:  # list the files without git's stat cache
        others = listed(root, git.run(root, "ls-files", "-z", "--others", "--exclude-standard", "--", "."))
        deleted = _names(listed(root, git.run(root, "ls-files", "-z", "--deleted", "--", ".")))
        return Listing(sorted({*(name for name in names if name not in deleted), *_names(others)}), None)
    prefix, info_attributes = located
    untracked = changes.untracked | _untracked_in(root, changes.folders)
    gone = _gone(root, [*tracked.unlooked, *changes.deleted])
    # names come in the index's order, sorted already: sorting them again with the few others is cheap
    files = sorted(
        [*(name for name in names if name not in gone), *untracked] if gone else [*names, *untracked]
    )
    unchanged = tracked.candidates
    if changes.differ:
        unchanged = dict(unchanged)
        for name in changes.differ:
            unchanged.pop(name, None)
    if config is None or config.get("core.autocrlf", "") not in _FALSE:
        unchanged = {}  # autocrlf converts any file it takes for text
    elif unchanged and len(next(iter(unchanged.values()))) != SHA1_HEX:
        unchanged = {}  # a SHA-256 repository: its blob ids are no content keys
    elif unchanged and (
        ATTRIBUTES + "\0" in out  # a tracked .gitattributes (or a name ending so: asked all the same)
        or any(name.rpartition("/")[2] == ATTRIBUTES for name in untracked)
        or _attributes_elsewhere(root, prefix, info_attributes, config)
    ):
        for name in _converted(root, unchanged):
            del unchanged[name]
    return Listing(files, GitIndex(prefix, tracked.blobs, frozenset(tracked.links), unchanged))


def listed(root: Path, done: subprocess.CompletedProcess[bytes]) -> str:
    """git's output as text, or a RepositoryError saying why it refused to list the files of ``root``."""
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").splitlines()
        reason = next(
            (
                line.removeprefix("fatal: ").removeprefix("error: ").strip()
                for line in lines
                if line.startswith(("fatal:", "error:"))
            ),
            "",
        )
        hint = next((line.strip() for line in lines if line.strip().startswith("git config")), "")
        raise RepositoryError(
            f"git refused to list the files of {root}: "
            f"{reason or f'exit status {done.returncode}'}" + (f" (to trust it: {hint})" if hint else "")
        )
    return git.text(done.stdout)


def _names(out: str) -> set[str]:
    return {name for name in out.split("\0") if name}


@dataclass
class _Tracked:
    """The index entries under the root, as ``git ls-files -z -v --stage`` lists them."""

    names: list[str]  # listed (neither skip-worktree nor a submodule), in the index's order
    blobs: dict[str, str]  # stage-0 files and links: blob id
    candidates: dict[str, str]  # regular files git may vouch for: blob id
    links: list[str] = field(default_factory=list)
    unlooked: list[str] = field(default_factory=list)  # assume-unchanged, unmerged: git says nothing of them
    gitlinks: bool = False  # submodules are there: their files are listed by another command


#: how a plain entry, a regular file without flags, begins; at stage 0 it reads "<this><sha1> 0\t<name>"
_PLAIN = ("H 100644 ", "H 100755 ")
_PLAIN_META = len("H 100644 ") + SHA1_HEX + len(" 0")


def _tracked(out: str) -> _Tracked:
    entries = out.split("\0")
    # Nearly every entry is a plain one: read by position, the rest one by one.
    plain = {e[_PLAIN_META + 1 :]: e[9 : 9 + SHA1_HEX] for e in entries if e[:9] in _PLAIN and _plain(e)}
    found = _Tracked(list(plain), dict(plain), plain)
    if len(plain) == len(entries) - 1:  # the output ends with a NUL
        return found
    unmerged: set[str] = set()
    for entry in entries:
        # "<tag> <mode> <object> <stage>\t<name>": tag S is skip-worktree, a lower-case one assume-unchanged
        meta, _, name = entry.partition("\t")
        if not name or (meta[:9] in _PLAIN and _plain(entry)):
            continue
        tag, mode, sha, stage = meta[0], meta[2:8], meta[9:-2], meta[-1]
        if mode == GITLINK_MODE:
            found.gitlinks = True
            continue
        if stage == "0" and (mode in REGULAR_MODES or mode == LINK_MODE):
            found.blobs[name] = sha
            if mode == LINK_MODE:
                found.links.append(name)
        if tag in "Ss" or name in unmerged:
            continue
        found.names.append(name)
        if stage != "0":
            unmerged.add(name)
            found.unlooked.append(name)
        elif tag.islower():
            found.unlooked.append(name)
        elif mode in REGULAR_MODES:
            found.candidates[name] = sha
    return found


def _plain(entry: str) -> bool:
    """Whether an entry that begins as a plain one has a SHA-1 blob id at stage 0."""
    return entry[_PLAIN_META - 2 : _PLAIN_META + 1] == " 0\t"


def _submodule_files(root: Path) -> set[str]:
    """The files of checked-out submodules (``--recurse-submodules`` lists the superproject's as well)."""
    out = listed(root, git.run(root, "ls-files", "-z", "-t", "--stage", "--recurse-submodules", "--", "."))
    return set(_tracked(out).names)


def _located(done: subprocess.CompletedProcess[bytes]) -> tuple[str, str] | None:
    """The root inside the work tree ("" or "sub/") and the path of ``info/attributes``; None: unknown."""
    lines = git.text(done.stdout).split("\n")
    if done.returncode != 0 or len(lines) != 3 or lines[2]:
        return None
    return lines[0], lines[1]


def _config(done: subprocess.CompletedProcess[bytes]) -> dict[str, str] | None:
    """The settings ``git config -z --get-regexp`` found (of a repeated one, the last, as git reads it);
    None: git could not read its configuration."""
    if done.returncode not in (0, 1):  # 1: none of them is set
        return None
    found = {}
    for record in git.text(done.stdout).split("\0"):
        name, _, value = record.partition("\n")
        if name:
            found[name.lower()] = value
    if "core.autocrlf" in found:
        found["core.autocrlf"] = found["core.autocrlf"].strip().lower()
    return found


@dataclass
class _Changes:
    """What ``git status`` says of the work tree under the root, in root-relative paths."""

    differ: set[str] = field(default_factory=set)  # tracked files whose bytes on disk are not the index's
    deleted: list[str] = field(default_factory=list)  # of those, the ones status calls deleted
    untracked: set[str] = field(default_factory=set)
    folders: list[str] = field(default_factory=list)  # folders of untracked files, named by status alone


def _status(done: subprocess.CompletedProcess[bytes], prefix: str) -> _Changes | None:
    """``git status --porcelain=v2 -z`` read (None: it failed); its paths are the work tree's, not the root's."""
    if done.returncode != 0:
        return None
    changes = _Changes()
    records = git.text(done.stdout).split("\0")
    at = 0
    while at < len(records):
        record = records[at]
        at += 1
        kind = record[:1]
        if kind == "?":
            path = record[2:]
        elif kind in ("1", "2", "u"):
            # "1 XY sub mH mI mW hH hI path"; "2 ... Xscore path", then the path it came from; "u ... h3 path"
            path = record.split(" ", {"1": 8, "2": 9, "u": 10}[kind])[-1]
            if kind == "2" and at < len(records):
                if records[at].startswith(prefix):
                    changes.differ.add(records[at][len(prefix) :])
                at += 1
        else:
            continue  # "! ignored", "# header", the end
        if kind == "?" and path.endswith("/") and prefix.startswith(path):
            changes.folders.append(".")  # the root is in a folder of untracked files (or is one)
            continue
        if not path.startswith(prefix):
            continue
        rel = path[len(prefix) :]
        if kind == "?":
            if rel.endswith("/"):
                changes.folders.append(rel)
            else:
                changes.untracked.add(rel)
        elif kind != "1" or record[3] != ".":  # Y: the work tree against the index
            changes.differ.add(rel)
            if record[3] == "D":
                changes.deleted.append(rel)
    return changes


def _gone(root: Path, paths: Iterable[str]) -> set[str]:
    """Of these index entries, the ones with nothing on disk (what ``git ls-files --deleted`` lists)."""
    gone = set()
    for rel in paths:
        try:
            os.lstat(os.path.join(root, rel))
        except OSError:
            gone.add(rel)
    return gone


def _untracked_in(root: Path, folders: list[str]) -> set[str]:
    """The untracked files git does not ignore in these folders (status names the folders only)."""
    found: set[str] = set()
    for chunk in _chunks(folders):
        args = ("--literal-pathspecs", "ls-files", "-z", "--others", "--exclude-standard", "--", *chunk)
        found |= _names(listed(root, git.run(root, *args)))
    return found


def _chunks(paths: list[str]) -> Iterator[list[str]]:
    chunk: list[str] = []
    size = 0
    for path in paths:
        if chunk and size + len(path) > ARGUMENT_BYTES:
            yield chunk
            chunk, size = [], 0
        chunk.append(path)
        size += len(path) + 1
    if chunk:
        yield chunk


def _attributes_elsewhere(root: Path, prefix: str, info: str, config: Mapping[str, str]) -> bool:
    """Whether attributes may come from outside the listed files: the folders above the root, the
    repository's ``info/attributes``, the user's and the system's attributes files, or a tree."""
    if "attr.tree" in config or os.environ.get("GIT_ATTR_SOURCE"):
        return True
    folder = Path(os.path.abspath(root))
    candidates = [folder / ATTRIBUTES]
    for _ in range(prefix.count("/")):
        folder = folder.parent
        candidates.append(folder / ATTRIBUTES)
    xdg = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    user = config.get("core.attributesfile") or os.path.join(xdg, "git", "attributes")
    candidates += [Path(root, info), Path(os.path.expanduser(user))]
    if not os.environ.get("GIT_ATTR_NOSYSTEM"):
        candidates.append(Path("/etc/gitattributes"))
        installed = shutil.which("git")
        if installed:  # <prefix>/bin/git reads <prefix>/etc/gitattributes
            candidates.append(Path(os.path.realpath(installed)).parent.parent / "etc" / "gitattributes")
    return any(os.path.lexists(path) for path in candidates)


def _converted(root: Path, paths: Collection[str]) -> set[str]:
    """Of these files, the ones an attribute may convert between the work tree and the index (all of
    them when ``git check-attr`` cannot say)."""
    wanted = "".join(f"{path}\0" for path in paths).encode("utf-8", "surrogateescape")
    done = git.run(root, "check-attr", "-z", "--stdin", *CONVERTING, stdin=wanted)
    if done.returncode != 0:
        return set(paths)
    fields = git.text(done.stdout).split("\0")  # "<path>\0<attribute>\0<value>\0" for each
    return {fields[i] for i in range(0, len(fields) - 2, 3) if fields[i + 2] not in _NOT_CONVERTING}
