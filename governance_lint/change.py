"""What a change adds (SPEC §10): the findings of the work tree that its base state did not have.

The base state is the merge-base of a ref and HEAD, read from git objects
(``gitstate``).  It is the work tree's repository model with the files that
differ at the base laid over it (``Repository.with_overlay``): every file git
says is unchanged keeps the work tree's result and facts, and the repository
rules follow the difference as after an edit.  A finding is new when no
finding at the base has the same identity (``findings.identity``: rule, file
through git's renames, node and subject); each base finding accounts for one.
"""

from __future__ import annotations

import dataclasses
import posixpath
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass

from .config import Config
from .discovery import FileSet, _too_large, relative, selector
from .engine import Filter, Plan, RunResult
from .findings import Identity, identity
from .git import LINK_MODE, REGULAR_MODES
from .gitstate import Blob, ChangeBase, open_base, open_index
from .model import Diagnostic, Position, Problem, Role, Severity
from .repository import Repository

READ_CHUNK = 256  # base files read from git and checked at a time


@dataclass(frozen=True)
class Change:
    """Another state of the repository — the base of a ``--new-since`` run, or the git index of a
    ``--staged`` one — in the config root's terms (root-relative paths)."""

    base: ChangeBase
    files: FileSet  # the base's files that the config includes
    changed: frozenset[str]  # root-relative base paths whose content the work tree does not have
    renames: Mapping[str, str]  # root-relative: base path -> work tree path
    _prefix: str  # the config root relative to the git work tree's root ("" or "sub/")

    def content(self, rel: str, max_bytes: int) -> bytes | Problem:
        """A base file's bytes as ``discovery.read_file`` would give them, read from git."""
        return self.contents([rel], max_bytes)[rel]

    def blob_ids(self) -> Iterator[tuple[str, str]]:
        """Each base file under the root (root-relative) with its blob id."""
        prefix, start = self._prefix, len(self._prefix)
        return ((path[start:], blob.sha) for path, blob in self.base.blobs.items() if path.startswith(prefix))

    def contents(self, rels: Sequence[str], max_bytes: int) -> dict[str, bytes | Problem]:
        """Base files' bytes, or the problem that stops them being read, by path."""
        at = Position(1, 1)
        found: dict[str, bytes | Problem] = {}
        wanted: dict[str, str] = {}  # root-relative path -> the top-relative path whose blob it reads
        for rel in rels:
            top_rel = self._prefix + rel
            # a link inside the base tree reads its target there
            if self.base.blobs[top_rel].mode == LINK_MODE:
                target = self.base.read([top_rel]).get(top_rel, b"").decode("utf-8", "surrogateescape")
                resolved = posixpath.normpath(posixpath.join(posixpath.dirname(top_rel), target))
                inside = resolved in self.base.blobs and self.base.blobs[resolved].mode != LINK_MODE
                if not inside or not resolved.startswith(self._prefix) or target.startswith("/"):
                    found[rel] = Problem(
                        Role.SYNTAX, "symbolic link points outside the repository; not followed", at
                    )
                    continue
                top_rel = resolved
            wanted[rel] = top_rel
        sizes = self.base.sizes(wanted.values())
        for rel, top_rel in list(wanted.items()):
            if sizes[top_rel] > max_bytes:
                found[rel] = Problem(Role.SYNTAX, _too_large(sizes[top_rel], max_bytes), at)
                del wanted[rel]
        contents = self.base.read(set(wanted.values()))
        for rel, top_rel in wanted.items():
            found[rel] = contents.get(top_rel, Problem(Role.SYNTAX, "cannot read file from git", at))
        return found


def prepare(ref: str, config: Config) -> Change:
    """The base state of ``ref`` for this config's repository (raises GitStateError, exit 2)."""
    return _rooted(open_base(config.root, ref), config)


def prepare_staged(config: Config, files: FileSet | None = None) -> Change:
    """The repository as the git index holds it, for this config's repository (``--staged``).

    The index as discovery read it (``files.index``) when it has it: git is not asked again.
    """
    index = files.index if files is not None else None
    if index is None or not index.keyed:
        return _rooted(open_index(config.root), config)
    modes = dict.fromkeys(index.links, LINK_MODE)
    blobs = {rel: Blob(modes.get(rel, REGULAR_MODES[0]), sha, None) for rel, sha in index.blobs.items()}
    return _rooted(ChangeBase(config.root, "the index", None, blobs, keyed=True), config)


def _rooted(base: ChangeBase, config: Config) -> Change:
    """Another state of the repository in the config root's terms (root-relative paths)."""
    inside = relative(base.top.resolve(), config.root.resolve())
    prefix = "" if inside in (None, ".") else inside + "/"

    def rooted(top_rel: str) -> str | None:
        return top_rel[len(prefix) :] if top_rel.startswith(prefix) else None

    own_config = relative(config.root, config.path) if config.path else None
    take = selector(config)
    under = (p[len(prefix) :] for p in base.blobs if p.startswith(prefix))
    context = sorted(rel for rel in under if take(rel) and rel != own_config)  # in the index's order: cheap
    files = FileSet(config.root, tuple(context), frozenset(context))
    changed = frozenset(rel for rel in (rooted(p) for p in base.changed) if rel is not None)
    renames = {
        old: new
        for old, new in ((rooted(o), rooted(n)) for o, n in base.renames.items())
        if old is not None and new is not None
    }
    return Change(base, files, changed, renames, prefix)


def check_base(
    change: Change,
    plan: Plan,
    current: Repository,
    filters: Callable[[Repository], Sequence[Filter]],
    reported: Collection[str] | None = None,
) -> RunResult:
    """The base state's findings: the work tree's model with the files that differ at the base laid over it.

    Files git reports unchanged keep the work tree's results and facts; the repository
    rules follow the difference (``Repository.update``), as after an edit.
    """
    now = set(current.files)
    at_base = set(change.files.context)
    if change.base.keyed:  # a file is the work tree's when its blob id is the key of the work tree's bytes
        keys = current.content_keys
        differing = {rel for rel, sha in change.blob_ids() if rel in at_base and keys.get(rel) != sha}
        differing |= now - at_base
    else:
        differing = {rel for rel in at_base if rel in change.changed or rel not in now} | (now - at_base)
    buffers: dict[str, bytes | Problem | None] = dict.fromkeys(differing - at_base)
    wanted = sorted(differing & at_base)
    for start in range(0, len(wanted), READ_CHUNK):  # a long branch's files are not all held at once
        buffers.update(change.contents(wanted[start : start + READ_CHUNK], plan.limits.max_file_bytes))
    base = current.with_overlay(buffers)
    return base.result(change.files.reported if reported is None else reported, filters(base), plan)


def only_new(current: RunResult, base: RunResult, renames: Mapping[str, str]) -> RunResult:
    """``current`` with only the findings that ``base`` did not have; the summary counts the others."""
    moved = _renamer(renames)
    remaining = Counter(_key(d, renames.get(d.path, d.path), moved) for d in base.diagnostics)
    new: list[Diagnostic] = []
    for d in reversed(current.diagnostics):  # of equal findings, the first ones are the old ones
        key = _key(d, d.path)
        if remaining[key] > 0:
            remaining[key] -= 1
        else:
            new.append(d)
    new.reverse()
    summary = dataclasses.replace(
        current.summary,
        errors=sum(d.severity is Severity.ERROR for d in new),
        warnings=sum(d.severity is Severity.WARNING for d in new),
        infos=sum(d.severity is Severity.INFO for d in new),
        files_with_findings=len({d.path for d in new}),
        existing=len(current.diagnostics) - len(new),
    )
    # A rule that crashed on the base state made it look cleaner than it was: say so too.
    crashes = current.crashes + [f"at the base: {c}" for c in base.crashes if c not in current.crashes]
    return dataclasses.replace(current, diagnostics=new, summary=summary, crashes=crashes)


def _key(d: Diagnostic, path: str, moved: Callable[[str], str] | None = None) -> Identity:
    return identity(d, path, moved)


def _renamer(renames: Mapping[str, str]) -> Callable[[str], str] | None:
    """Rewrites the base paths a message names to where the change moved them."""
    if not renames:
        return None
    pattern = re.compile("|".join(re.escape(old) for old in sorted(renames, key=len, reverse=True)))
    return lambda message: pattern.sub(lambda m: renames[m.group()], message)
