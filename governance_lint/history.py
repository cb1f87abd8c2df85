"""Who held which role when: role assignments followed through the git history of the governance files.

One ``git log --raw`` lists, commit by commit, which governance files changed
and their new blob ids; each blob is read (one ``git cat-file --batch``) and
parsed once, however many commits keep it, and a commit's assignments are
those of the files it holds.  An assignment starts at the commit where it
first appears and ends where it disappears: (party, role, subject, scope),
with each commit's id, date and author.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from . import git
from .config import Config
from .discovery import relative, selected
from .git import LINK_MODE
from .gitstate import GitStateError, read_blobs, tree_files, work_tree_root
from .loader import load
from .model import Limits

Assignment = tuple[str, str, str, str]  # party, role, subject, scope
READ_CHUNK = 512  # blobs read from git at a time


@dataclass(frozen=True)
class Commit:
    sha: str
    date: dt.date
    author: str


@dataclass(frozen=True)
class Held:
    """One role assignment and the commits that started and (unless it still holds) ended it."""

    party: str
    role: str
    subject: str
    scope: str
    started: Commit
    ended: Commit | None


def history(config: Config, since: str | None = None) -> list[Held]:
    """Every role assignment of the governance files' history (since commit ``since``), in start order."""
    top = work_tree_root(config.root, "report history")
    prefix = relative(top.resolve(), config.root.resolve()) or "."
    prefix = "" if prefix == "." else prefix + "/"
    commits = list(_log(top, prefix, since))
    if since is not None:  # the roles held at ``since`` start there: its files are the first "changes"
        base = _commit(top, since)
        at_base: list[tuple[str, str | None]] = [
            (path, blob.sha) for path, blob in tree_files(top, base.sha).items() if blob.mode != LINK_MODE
        ]
        commits.insert(0, (base, at_base))
    wanted = {
        sha for _, changes in commits for path, sha in changes if sha and _governed(config, prefix, path)
    }
    by_blob: dict[str, frozenset[Assignment]] = {}
    ordered = sorted(wanted)
    for start in range(0, len(ordered), READ_CHUNK):
        chunk = read_blobs(top, ordered[start : start + READ_CHUNK])
        for sha, content in chunk.items():
            by_blob[sha] = _assignments(sha, content, config.limits)
    files: dict[str, str] = {}  # path -> blob id, as of the commit being followed
    held: Counter[Assignment] = Counter()  # how many files hold each assignment now
    open_: dict[Assignment, Commit] = {}
    found: list[Held] = []
    for commit, changes in commits:
        touched: set[Assignment] = set()
        for path, blob in changes:
            if not _governed(config, prefix, path):
                continue
            was = by_blob.get(files.get(path, ""), frozenset())
            if blob:
                files[path] = blob
            else:
                files.pop(path, None)
            now = by_blob.get(blob or "", frozenset())
            held.subtract(was)
            held.update(now)
            touched |= was ^ now
        for assignment in sorted(touched):
            holds = held[assignment] > 0
            if not holds and assignment in open_:
                found.append(Held(*assignment, open_.pop(assignment), commit))
            elif holds and assignment not in open_:
                open_[assignment] = commit
    found += [Held(*held, started, None) for held, started in open_.items()]
    return sorted(found, key=lambda h: (h.subject, h.role, h.started.date, h.party))


def _commit(top: Path, rev: str) -> Commit:
    """The commit ``rev`` names, with its date and author (GitStateError when it names none)."""
    if rev.startswith("-"):
        raise GitStateError(f"--since {rev}: not a revision")
    done = git.run(top, "log", "-1", "--format=%H%x00%at%x00%an", f"{rev}^{{commit}}", "--")
    if done.returncode != 0 or not done.stdout.strip():
        raise GitStateError(f"--since {rev}: no such commit in this repository")
    sha, stamp, author = (git.text(done.stdout).strip().split("\x00") + ["", ""])[:3]
    return Commit(sha, dt.datetime.fromtimestamp(int(stamp or 0), dt.UTC).date(), author)


def _governed(config: Config, prefix: str, path: str) -> bool:
    return path.startswith(prefix) and selected(config, path[len(prefix) :])


def _log(top: Path, prefix: str, since: str | None) -> Iterator[tuple[Commit, list[tuple[str, str | None]]]]:
    """Each commit, oldest first, with the files it changed: (top-relative path, new blob id or None)."""
    span = [f"{since}..HEAD"] if since else ["HEAD"]
    done = git.run(
        top,
        "log",
        "--reverse",
        "--no-renames",
        "--raw",
        "--no-abbrev",
        "-z",
        "--format=%x01%H%x00%at%x00%an",
        *span,
        "--",
        prefix or ".",
    )
    if done.returncode != 0:
        reason = git.text(done.stderr).strip().splitlines()
        raise GitStateError(f"report history: git log: {reason[-1] if reason else 'failed'}")
    for record in git.text(done.stdout).split("\x01")[1:]:
        head, _, raw = record.partition("\n")
        sha, stamp, author = (head.split("\x00") + ["", ""])[:3]
        date = dt.datetime.fromtimestamp(int(stamp or 0), dt.UTC).date()
        fields = raw.lstrip("\x00\n").split("\x00")
        changes: list[tuple[str, str | None]] = []
        for i in range(0, len(fields) - 1, 2):
            meta, path = fields[i], fields[i + 1]
            parts = meta.split()
            if len(parts) < 5 or not path:
                continue
            new_mode, new_sha, status = parts[1], parts[3], parts[4]
            gone = status.startswith("D") or set(new_sha) == {"0"} or new_mode not in ("100644", "100755")
            changes.append((path, None if gone else new_sha))
        yield Commit(sha, date, author), changes


def _assignments(sha: str, content: bytes, limits: Limits) -> frozenset[Assignment]:
    """The role assignments one blob holds (its governance documents; none if it does not load)."""
    from .views.repository import Doc
    from .views.roles import roles_of

    found: set[Assignment] = set()
    for document in load(sha, content, limits).documents:
        if document.is_governance and isinstance(document.data, dict) and document.kind and document.id:
            found.update((r.party, r.role, r.subject, r.scope) for r in roles_of(Doc.of(document)))
    return frozenset(found)
