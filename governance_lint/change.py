"""What a change adds (SPEC §10): the findings of the work tree that its base state did not have.

The base state is the merge-base of a ref and HEAD, read from git objects
(``gitstate``).  It is checked with the same config and plan as the work tree,
through the same ``engine.run``: only the per-file step differs, and for every
file git says is unchanged it reuses the work tree's result (the per-file
check is a pure function of the bytes and the plan).  A finding is new when no
finding at the base has the same rule, file (through git's renames), node (a
list item without an id by its list, not its place in it) and subject (its
message without positions); each base finding accounts for one.
"""

from __future__ import annotations

import dataclasses
import posixpath
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from .cache import ResultCache, content_key
from .config import Config
from .discovery import FileSet, _too_large, matches, relative
from .engine import FileResult, Plan, RunResult, check_file, run
from .gitstate import LINK_MODE, ChangeBase, open_base
from .model import Diagnostic, Position, Problem, Severity
from .parallel import Analyser, StateMemo, narrow
from .suppress import Filter

READ_CHUNK = 256  # base files read from git and checked at a time

# Where a message names a position: "governance/people.yaml:12:3", "(first at line 7)", "column 5".
_POSITION = re.compile(r"(\.ya?ml):\d+(?::\d+)?\b|\b(line|column) \d+\b")
# An item without an id is named by its place in its list, which an edit above it shifts:
# "spec/escalation/3" is compared as "spec/escalation/*", and the subject tells the items apart.
_LIST_POSITION = re.compile(r"/\d+(?=/|$)")


def subject(message: str) -> str:
    """The message without positions: what the finding says, wherever the file moved it."""
    return _POSITION.sub(lambda m: m.group(1) or m.group(2), message)


@dataclass(frozen=True)
class Change:
    """The base state of a ``--new-since`` run, in the config root's terms (root-relative paths)."""

    base: ChangeBase
    files: FileSet  # the base's files that the config includes
    changed: frozenset[str]  # root-relative base paths whose content the work tree does not have
    renames: Mapping[str, str]  # root-relative: base path -> work tree path
    _prefix: str  # the config root relative to the git work tree's root ("" or "sub/")

    def content(self, rel: str, max_bytes: int) -> bytes | Problem:
        """A base file's bytes as ``discovery.read_file`` would give them, read from git."""
        return self.contents([rel], max_bytes)[rel]

    def contents(self, rels: Sequence[str], max_bytes: int) -> dict[str, bytes | Problem]:
        """Base files' bytes, or the problem that stops them being read, by path."""
        at = Position(1, 1)
        found: dict[str, bytes | Problem] = {}
        wanted: dict[str, str] = {}  # root-relative path -> the top-relative path whose blob it reads
        for rel in rels:
            top_rel = self._prefix + rel
            blob = self.base.blobs[top_rel]
            if blob.mode == LINK_MODE:  # a link inside the base tree reads its target there
                target = self.base.read([top_rel]).get(top_rel, b"").decode("utf-8", "surrogateescape")
                resolved = posixpath.normpath(posixpath.join(posixpath.dirname(top_rel), target))
                inside = resolved in self.base.blobs and self.base.blobs[resolved].mode != LINK_MODE
                if not inside or not resolved.startswith(self._prefix) or target.startswith("/"):
                    found[rel] = Problem(
                        "GOV001", "symbolic link points outside the repository; not followed", at
                    )
                    continue
                top_rel, blob = resolved, self.base.blobs[resolved]
            if blob.size > max_bytes:
                found[rel] = Problem("GOV001", _too_large(blob.size, max_bytes), at)
            else:
                wanted[rel] = top_rel
        contents = self.base.read(set(wanted.values()))
        for rel, top_rel in wanted.items():
            found[rel] = contents.get(top_rel, Problem("GOV001", "cannot read file from git", at))
        return found


@dataclass
class BaseRun:
    """``engine.run``'s per-file step and memo for the base state.

    A file git reports unchanged has the work tree's result (same bytes, same
    plan); the others are checked from their blobs, their results cached by
    content beside the work tree's.  The repository rules' findings of the base
    are remembered by content like the work tree's, so the base of the next
    commit (this commit's work tree) costs no repository rules.
    """

    change: Change
    current: Mapping[str, FileResult]
    work_tree: Analyser | None = None  # the work tree's analyser: content keys and the cache's memory
    _memo: StateMemo | None = None

    def __call__(self, files: FileSet, plan: Plan) -> list[FileResult]:
        todo = [rel for rel in files.context if rel in self.change.changed or rel not in self.current]
        cache = self.work_tree.side_cache("base") if self.work_tree is not None else None
        # Computed (and cached) with the same rules as the work tree's results, then narrowed alike.
        full = self.work_tree.checking_plan(plan) if self.work_tree is not None else plan
        checked: dict[str, FileResult] = {}
        keys: dict[str, str | None] = {}
        for start in range(0, len(todo), READ_CHUNK):  # a long branch's files are not all held at once
            for rel, content in self.change.contents(
                todo[start : start + READ_CHUNK], plan.limits.max_file_bytes
            ).items():
                keys[rel] = content_key(content) if isinstance(content, bytes) else None
                checked[rel] = _check(rel, content, keys[rel], full, cache)
        if cache is not None:
            cache.keep_only(set(todo))
            cache.save()
        if self.work_tree is not None:
            known = self.work_tree.content_keys
            self._memo = self.work_tree.state_memo(
                files.context, [keys[rel] if rel in keys else known.get(rel) for rel in files.context]
            )
        if full is not plan:
            checked = {rel: narrow(result, plan) for rel, result in checked.items()}
        return [checked[rel] if rel in checked else self.current[rel] for rel in files.context]

    def recall(self) -> list[Diagnostic] | None:
        return self._memo.recall() if self._memo is not None else None

    def remember(self, findings: list[Diagnostic]) -> None:
        if self._memo is not None:
            self._memo.remember(findings)


def _check(
    rel: str, content: bytes | Problem, key: str | None, plan: Plan, cache: ResultCache | None
) -> FileResult:
    """``check_file``, or its result cached for these bytes at this path."""
    found = cache.lookup(rel, key) if cache is not None and key is not None else None
    if found is not None:
        try:
            return FileResult.from_json(found[1])
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
            pass  # a damaged entry: check the file again
    result = check_file(rel, content, plan)
    if cache is not None and key is not None:
        cache.store(rel, key, result.to_json())
    return result


def prepare(ref: str, config: Config) -> Change:
    """The base state of ``ref`` for this config's repository (raises GitStateError, exit 2)."""
    base = open_base(config.root, ref)
    inside = relative(base.top.resolve(), config.root.resolve())
    prefix = "" if inside in (None, ".") else inside + "/"

    def rooted(top_rel: str) -> str | None:
        return top_rel[len(prefix) :] if top_rel.startswith(prefix) else None

    own_config = relative(config.root, config.path) if config.path else None
    context = sorted(
        rel
        for rel in (rooted(p) for p in base.blobs)
        if rel is not None
        and rel != own_config
        and matches(rel, config.include)
        and not matches(rel, config.exclude)
    )
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
    config: Config,
    current: RunResult,
    filters: Sequence[Filter],
    work_tree: Analyser | None = None,
) -> RunResult:
    """The base state's findings, through the same run as the work tree's."""
    base = BaseRun(change, {result.path: result for result in current.files}, work_tree)
    return run(
        change.files,
        plan,
        config,
        base,
        filters,
        memo=base,
        read=lambda rel: change.content(rel, plan.limits.max_file_bytes),
    )


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


Key = tuple[str, str, str | None, str | None, str]


def _key(d: Diagnostic, path: str, moved: Callable[[str], str] | None = None) -> Key:
    message = subject(d.message)
    node = _LIST_POSITION.sub("/*", d.node) if d.node else d.node
    return d.code, path, d.entity, node, moved(message) if moved else message


def _renamer(renames: Mapping[str, str]) -> Callable[[str], str] | None:
    """Rewrites the base paths a message names to where the change moved them."""
    if not renames:
        return None
    pattern = re.compile("|".join(re.escape(old) for old in sorted(renames, key=len, reverse=True)))
    return lambda message: pattern.sub(lambda m: renames[m.group()], message)
