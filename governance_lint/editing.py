"""Where an entity is named, and renaming it: the engine of ``govlint refs``, ``govlint rename``
and the language server's references and rename.

Sites come from the repository index (the definition at ``metadata.id``, every
``KIND:ID`` scalar of every spec).  A rename edits exactly the characters of
the id inside those scalars: comments, quoting, key order and every other byte
stay as they were.  Files are written atomically and never through a link.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .index import RepositoryIndex, Site
from .model import (
    DEFINED_BY,
    REFERENCE_KINDS,
    REFERENCE_RE,
    SLUG_RE,
    Document,
    Vocabulary,
    kind_label,
    term_slug,
)
from .safe_write import UnsafeTarget, write_bytes_atomically

#: Kinds whose ids a rename may change (a term's id is the slug of its text, not an id of its own).
RENAMEABLE = ("person", "team", "process", "practice", "service", "policy")
KIND_NAMES = {kind: kind_label(kind) for kind in REFERENCE_KINDS}

_LINE_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")  # YAML's, so lines agree with the loader's

ReadText = Callable[[str], "str | None"]


class EditError(Exception):
    """A reference or rename that cannot be done, worded for the user (exit 2)."""


@dataclass(frozen=True, order=True)
class Occurrence:
    """One place that names an entity: ``text`` at ``path:line:column`` (1-based, in characters)."""

    path: str
    line: int
    column: int
    text: str
    definition: bool = False
    entity: str | None = None
    node: str | None = None


@dataclass(frozen=True, order=True)
class Edit:
    """Replace ``length`` characters at ``offset`` of a file's text with ``new``."""

    offset: int
    length: int
    new: str


def parse_reference(text: str) -> tuple[str, str]:
    """``person:windy`` -> (``person``, ``windy``); EditError when it is not a reference."""
    match = REFERENCE_RE.match(text.strip())
    if match is None:
        kinds = ", ".join(REFERENCE_KINDS)
        raise EditError(f"{text!r} is not a reference: write KIND:ID with KIND one of {kinds}")
    return match.group(1), match.group(2)


def occurrences(index: RepositoryIndex, reference: str) -> list[Occurrence]:
    """Every site that names ``reference``: its definitions first, then the references in path order.

    Only the entities that mention it are read (the index's key rows say which), so a lookup costs
    the number of sites, not the size of the repository.
    """
    kind, ident = parse_reference(reference)
    target = f"{kind}:{ident}"
    found: list[Occurrence] = []
    if kind == "term":
        found.extend(_occurrence(t.site, t.term, True) for t in index.terms(slug=ident) if t.glossary)
    else:
        found.extend(_occurrence(e.site, e.id, True) for e in index.definitions(target))
    uses = [r for entity in index.referrers(target) for r in entity.references if r.target == target]
    uses.sort(key=lambda r: (r.path, r.line, r.column))  # one key each, not a compare of all fields
    found.extend(_occurrence(r.site, r.target, False) for r in uses)
    return found


def _occurrence(site: Site, text: str, definition: bool) -> Occurrence:
    return Occurrence(site.path, site.line, site.column, text, definition, site.entity, site.node)


class Suggestions:
    """Did-you-mean for references that name nothing, by ``model.Vocabulary``: each kind's ids are
    gathered once, on first use, so one request's many look-ups cost one pass over the ids."""

    def __init__(self, index: RepositoryIndex) -> None:
        self._index = index
        self._words: dict[str, Vocabulary] = {}

    def closest(self, reference: str) -> str | None:
        """The ``KIND:ID`` most like an unresolved ``reference`` (None: nothing close, or malformed)."""
        try:
            kind, ident = parse_reference(reference)
        except EditError:
            return None
        words = self._words.get(kind)
        if words is None:
            if kind == "term":
                words = Vocabulary({t.slug for t in self._index.glossary()}, cutoff=0.75)
            else:
                words = Vocabulary(self._index.ids(DEFINED_BY[kind]))
            self._words[kind] = words
        close = words.closest(term_slug(ident) if kind == "term" else ident)
        return f"{kind}:{close}" if close is not None else None


# -- positions in text ---------------------------------------------------------


def line_starts(text: str) -> list[int]:
    """Offset of the first character of each line (line breaks as YAML counts them)."""
    starts = [1 if text.startswith("\ufeff") else 0]  # line 1 column 1 is the character after a BOM
    starts.extend(m.end() for m in _LINE_BREAK.finditer(text))
    return starts


def span_of(text: str, starts: list[int], line: int, column: int, literal: str) -> int | None:
    """Offset of ``literal`` in the scalar that starts at ``line:column``, or None when the source does
    not spell it literally there (an escape sequence, a folded scalar)."""
    if not 1 <= line <= len(starts):
        return None
    offset = starts[line - 1] + column - 1
    if text[offset : offset + 1] in ("'", '"'):
        offset += 1  # a quoted scalar: its text starts after the quote
    return offset if text.startswith(literal, offset) else None


def _rename_edits(text: str, sites: Iterable[Occurrence], new_id: str, path: str) -> list[Edit]:
    starts = line_starts(text)
    edits = []
    for site in sites:
        offset = span_of(text, starts, site.line, site.column, site.text)
        if offset is None:
            raise EditError(
                f"{path}:{site.line}:{site.column}: {site.text!r} is not written literally there "
                "(an escape or a folded scalar); edit that site by hand first"
            )
        # The definition holds the bare id; a reference holds KIND:ID, whose id ends the scalar.
        start = offset if site.definition else offset + len(site.text) - len(site.text.split(":", 1)[1])
        edits.append(Edit(start, offset + len(site.text) - start, new_id))
    return sorted(edits)


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """``text`` with the (non-overlapping) edits made."""
    out, at = [], 0
    for edit in sorted(edits):
        out.append(text[at : edit.offset])
        out.append(edit.new)
        at = edit.offset + edit.length
    out.append(text[at:])
    return "".join(out)


@dataclass(frozen=True)
class Rename:
    """A planned rename: per file, its text now and the edits to make in it."""

    old: str
    new: str
    texts: dict[str, str]
    edits: dict[str, list[Edit]]

    def renamed(self, path: str) -> str:
        return apply_edits(self.texts[path], self.edits[path])

    def diff(self) -> str:
        """The change as a unified diff, ``a/``/``b/`` paths as git shows them."""
        chunks: list[str] = []
        for path in sorted(self.edits):
            chunks.extend(
                difflib.unified_diff(
                    self.texts[path].splitlines(keepends=True),
                    self.renamed(path).splitlines(keepends=True),
                    f"a/{path}",
                    f"b/{path}",
                )
            )
        return "".join(
            line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in chunks
        )

    @property
    def count(self) -> int:
        return sum(len(e) for e in self.edits.values())


def plan_rename(index: RepositoryIndex, old: str, new: str, read: ReadText) -> Rename:
    """The edits that rename entity ``old`` to ``new`` (``new`` may be a bare id): every site, nothing else.

    EditError when ``old`` names nothing, ``new`` is taken or malformed, or a site is not literal.
    """
    kind, old_id = parse_reference(old)
    if kind not in RENAMEABLE:
        raise EditError(
            f"{kind}: ids cannot be renamed (a term's id is the slug of its text: edit the "
            "Glossary term and its references)"
        )
    new_kind, new_id = parse_reference(new) if ":" in new else (kind, new.strip())
    if new_kind != kind:
        raise EditError(f"cannot rename a {kind} to a {new_kind}: both sides name the same kind")
    if not SLUG_RE.match(new_id):
        raise EditError(f"{new_id!r} is not a valid id (lower-case letters, digits and '-', 1-63 characters)")
    old_key, new_key = f"{kind}:{old_id}", f"{kind}:{new_id}"
    if not index.definitions(old_key):
        raise EditError(f"{old_key} names no {KIND_NAMES[kind]} in the repository; nothing to rename")
    taken = index.definitions(new_key)
    if taken:
        raise EditError(f"{new_key} already exists at {taken[0].site}; choose another id")
    by_path: dict[str, list[Occurrence]] = {}
    for site in occurrences(index, old_key):
        by_path.setdefault(site.path, []).append(site)
    texts: dict[str, str] = {}
    edits: dict[str, list[Edit]] = {}
    for path, sites in by_path.items():
        text = read(path)
        if text is None:
            raise EditError(f"{path}: cannot be read as UTF-8 text; nothing was renamed")
        texts[path] = text
        edits[path] = _rename_edits(text, sites, new_id, path)
    return Rename(old_key, new_key, texts, edits)


def plan_handover(index: RepositoryIndex, old: str, new: str, read: ReadText) -> Rename:
    """The edits that hand every role of person ``old`` to person ``new`` and mark ``old`` inactive.

    Every reference to ``old`` (owner, manager, administrator, RACI letters, escalation
    steps, team lead and membership, policy and service ownership) names ``new``
    instead; ``old``'s own document gets ``active: false``; nothing else changes.
    EditError when either is no Person, ``new`` is inactive, or they are the same.
    """
    kind, old_id = parse_reference(old)
    new_kind, new_id = parse_reference(new) if ":" in new else ("person", new.strip())
    if kind != "person" or new_kind != "person":
        raise EditError("a handover moves a person's roles to another person: write person:OLD person:NEW")
    old_key, new_key = f"person:{old_id}", f"person:{new_id}"
    if old_key == new_key:
        raise EditError(f"{old_key} cannot hand over to itself")
    leaving = index.definitions(old_key)
    if not leaving:
        raise EditError(f"{old_key} names no Person in the repository; nothing to hand over")
    taking = index.definitions(new_key)
    if not taking:
        raise EditError(f"{new_key} names no Person in the repository; add them first")
    if not taking[0].active:
        raise EditError(f"{new_key} is marked inactive; hand over to someone active")
    by_path: dict[str, list[Occurrence]] = {}
    for site in occurrences(index, old_key):
        if not site.definition:
            by_path.setdefault(site.path, []).append(site)
    texts: dict[str, str] = {}
    edits: dict[str, list[Edit]] = {}
    person = leaving[0]
    for path in sorted({*by_path, person.path}):
        text = read(path)
        if text is None:
            raise EditError(f"{path}: cannot be read as UTF-8 text; nothing was handed over")
        texts[path] = text
        edits[path] = _rename_edits(text, by_path.get(path, ()), new_id, path)
    document = index.document(person)
    deactivate = _deactivation(texts[person.path], document) if document is not None else None
    if deactivate is not None:
        edits[person.path] = sorted([*edits[person.path], deactivate])
    return Rename(old_key, new_key, texts, {path: found for path, found in edits.items() if found})


def _deactivation(text: str, document: Document) -> Edit | None:
    """The edit that makes a Person ``active: false`` (None when it already is, or has no spec to hold it)."""
    spec = document.data.get("spec") if isinstance(document.data, dict) else None
    if not isinstance(spec, dict) or not spec:
        return None
    starts = line_starts(text)
    if "active" in spec:
        if spec["active"] is False:
            return None
        at = document.position(("spec", "active"))
        literal = "true" if spec["active"] is True else str(spec["active"])
        offset = span_of(text, starts, at.line, at.column, literal)
        return None if offset is None else Edit(offset, len(literal), "false")
    first = next(iter(spec))
    at = document.position(("spec", first), key=True)
    offset = starts[at.line - 1] + at.column - 1
    before = text[starts[at.line - 1] : offset].rstrip()
    if before.endswith(("{", ",")):  # a flow mapping: spec: {email: x}
        return Edit(offset, 0, "active: false, ")
    return Edit(offset, 0, "active: false\n" + " " * (at.column - 1))


# -- writing --------------------------------------------------------------------


def writable(path: Path) -> os.stat_result:
    """``path``'s status when it is a regular file, not a link; else EditError."""
    try:
        info = os.lstat(path)
    except OSError as exc:
        raise EditError(f"{path}: {exc.strerror or exc}; not written") from None
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISREG(info.st_mode):
        raise EditError(f"{path}: is a symbolic link or not a regular file; not written (rename it by hand)")
    return info


def write_atomically(path: Path, data: bytes, root: Path | None = None) -> None:
    """Replace ``path``'s content with ``data`` all at once, keeping its mode, never following a link
    (at ``path``, or a folder inside ``root``); flushed to disk before it replaces the file."""
    info = writable(path)
    try:
        write_bytes_atomically(path, data, root=root, mode=stat.S_IMODE(info.st_mode), sync=True)
    except UnsafeTarget as exc:
        raise EditError(f"{exc}; not written") from None


def read_text(root: Path, max_bytes: int) -> ReadText:
    """A reader of repository files as text (None when unreadable or not UTF-8)."""
    from .discovery import read_file

    def read(rel: str) -> str | None:
        content = read_file(root, rel, max_bytes)
        if isinstance(content, bytes):
            try:
                return content.decode("utf-8")
            except UnicodeDecodeError:
                return None
        return None

    return read
