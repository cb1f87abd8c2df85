"""Value types shared by every stage: positions, documents, diagnostics, limits.

Nothing here knows about YAML libraries, schemas or rules; the loader builds
these values and every later stage only reads them.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol, cast

API_PREFIX = "govlint/"
API_VERSION = "govlint/v1"
KINDS = ("Process", "Practice", "Service", "Person", "Team", "Policy", "Glossary", "Rule")
#: The one table of reference kinds: each ``KIND:`` of a reference, and the kind of document that defines
#: what it names (a term is defined by a Glossary, or locally by a process).
DEFINED_BY = {
    "person": "Person",
    "team": "Team",
    "process": "Process",
    "practice": "Practice",
    "service": "Service",
    "policy": "Policy",
    "term": "Glossary",
}
REFERENCE_KINDS = tuple(DEFINED_BY)
REFERENCE_RE = re.compile(rf"^({'|'.join(REFERENCE_KINDS)}):(.+)$")


def kind_label(reference_kind: str) -> str:
    """What a reference of this kind names, in words: ``Person``, ``Glossary term``."""
    kind = DEFINED_BY.get(reference_kind, reference_kind)
    return "Glossary term" if reference_kind == "term" else kind


SLUG_RE = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")

#: A path into a document's data: mapping keys and list indexes.
NodePath = tuple[str | int, ...]


class Severity(enum.IntEnum):
    """How serious a finding is; ordered so that ``>=`` means "at least as bad"."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r} (expected error, warning or info)") from None


@dataclass(frozen=True, slots=True, order=True)
class Position:
    """A 1-based line and column in a file (columns count characters)."""

    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds the loader enforces; every breach is a finding naming the limit."""

    max_file_bytes: int = 1_048_576
    max_depth: int = 64
    max_alias_nodes: int = 100_000  # per file, however many documents it holds
    max_baseline_bytes: int = 67_108_864  # a baseline lists a whole repository's findings
    max_directory_bytes: int = 67_108_864  # a directory snapshot lists a whole organisation (all its files)


class Locator(Protocol):
    """Finds where a node of one document sits in its file."""

    def locate(self, path: NodePath, key: bool) -> Position: ...


@dataclass(frozen=True, slots=True)
class Document:
    """One YAML document of a file: plain data plus a way to find positions.

    ``data`` holds only dict (str keys), list, str, int, float, bool and None,
    resolved with the YAML 1.2 core schema.
    """

    path: str
    index: int
    data: Any
    start: Position
    locator: Locator = field(repr=False, compare=False)
    #: Every ``KIND:ID`` string (the path of its parent, its own step, text, 1-based line and column)
    #: in document order, when the loader collected them; None: ask ``strings(path, REFERENCE_RE)``.
    #: Strings of one collection share their parent's path (one tuple): its name is found once.
    references: tuple[tuple[NodePath, str | int, str, int, int], ...] | None = field(
        default=None, repr=False, compare=False
    )
    #: ``node_name``'s names (and data) by path, filled as it is asked
    names: dict[NodePath, tuple[str, Any]] = field(default_factory=dict, repr=False, compare=False)

    @property
    def is_governance(self) -> bool:
        api = self.data.get("apiVersion") if isinstance(self.data, dict) else None
        return isinstance(api, str) and api.startswith(API_PREFIX)

    @property
    def kind(self) -> str | None:
        kind = self.data.get("kind") if isinstance(self.data, dict) else None
        return kind if isinstance(kind, str) else None

    @property
    def id(self) -> str | None:
        metadata = self.data.get("metadata") if isinstance(self.data, dict) else None
        ident = metadata.get("id") if isinstance(metadata, dict) else None
        return ident if isinstance(ident, str) else None

    @property
    def entity(self) -> str | None:
        """The document's reference, e.g. ``process:incident-management``."""
        kind, ident = self.kind, self.id
        return f"{kind.lower()}:{ident}" if kind and ident else None

    @property
    def spec(self) -> dict[str, Any]:
        spec = self.data.get("spec") if isinstance(self.data, dict) else None
        return spec if isinstance(spec, dict) else {}

    def position(self, path: NodePath, *, key: bool = False) -> Position:
        """Where the node at ``path`` is.

        A scalar mapping value is found at the scalar; a collection value at
        the key that holds it; a list item at its first line.  With
        ``key=True`` a mapping entry is always found at its key.  A path that
        does not exist is found at the nearest existing ancestor, at the key
        holding it ("the key that holds the mapping it is missing from").
        """
        return self.locator.locate(tuple(path), key)

    def strings(
        self, path: NodePath, pattern: re.Pattern[str] | None = None
    ) -> Iterator[tuple[NodePath, str, str, Position]]:
        """Every string under ``path`` (that ``pattern`` matches, if given): its path, node name (see
        ``node_name``) and position, in one walk."""
        data: Any = self.data
        for step in path:
            data = (
                data.get(step)
                if isinstance(data, dict) and isinstance(step, str)
                else (
                    data[step]
                    if isinstance(data, list) and isinstance(step, int) and 0 <= step < len(data)
                    else None
                )
            )
        walk = getattr(self.locator, "strings", None)
        if walk is not None:
            yield from walk(data, tuple(path), self.node_name(path), pattern)
            return
        for here, text in _strings_of(data, tuple(path)):  # a locator without its own walk
            if pattern is None or pattern.match(text):
                yield here, self.node_name(here), text, self.position(here)

    def node_name(self, path: NodePath) -> str:
        """A stable name for a node: list items that carry an ``id`` are named by it.

        ``("spec", "activities", 0, "raci")`` becomes ``spec/activities/identify/raci``,
        so the name survives reordering and edits elsewhere in the file.
        """
        path = tuple(path)
        kept = self.names.get(path)  # asked before, or an ancestor of a path asked before
        if kept is not None:
            return kept[0]
        if all(type(step) is str for step in path):  # keys alone (``metadata/id``): no item to name by id
            return "/".join(cast("tuple[str, ...]", path))
        return self.node_names((path,))[0]

    def node_names(self, paths: Iterable[NodePath]) -> list[str]:
        """``node_name`` of each path, in one go; names are kept per path (in ``names``), so the
        hundred references of one activity share its walk."""
        names = self.names
        found = []
        for path in paths:
            kept = names.get(path)
            if kept is not None:  # the parent of the reference before (most share it)
                found.append(kept[0])
                continue
            end = len(path)
            while end and path[:end] not in names:
                end -= 1
            name, node = names[path[:end]] if end else ("", self.data)
            for index in range(end, len(path)):
                step = path[index]
                if type(step) is int and type(node) is list and 0 <= step < len(node):
                    node = node[step]
                    part = item_name(step, node)
                else:
                    part = str(step)
                    node = node.get(step) if type(node) is dict and type(step) is str else None
                name = f"{name}/{part}" if index else part
                names[path[: index + 1]] = (name, node)
            found.append(name)
        return found


def item_name(index: int, item: Any) -> str:
    """A list item's step in a node name (``node_name``): its ``id`` when it has one, else its index."""
    ident = item.get("id") if type(item) is dict else None
    return ident if type(ident) is str and ident else str(index)


def _strings_of(data: Any, path: NodePath) -> Iterator[tuple[NodePath, str]]:
    stack: list[tuple[NodePath, Any]] = [(path, data)]
    while stack:
        here, node = stack.pop()
        if isinstance(node, str):
            yield here, node
        elif isinstance(node, dict):
            stack.extend((here + (k,), v) for k, v in reversed(node.items()))
        elif isinstance(node, list):
            stack.extend((here + (i,), v) for i, v in reversed(list(enumerate(node))))


class Role:
    """What a rule stands for in the core, so that no stage names a rule by its code.

    The loader and discovery report problems under a role; the rule that declares
    that role (``Rule.role``) gives them their code, name and severity.
    """

    SYNTAX = "syntax"  # the file cannot be read or is not loadable YAML
    SCHEMA = "schema"  # a value no schema can hold, and schema violations
    UNUSED_SUPPRESSION = "unused-suppression"  # a suppression or baseline entry that hid nothing
    WAIVER = "waiver"  # a suppression or baseline entry past its ``until``, or missing what a waiver needs
    ENVELOPE = "envelope"  # a document that looks like governance but is not a supported one
    UNRESOLVED = "unresolved"  # a reference that names nothing (several rules: held back together)


@dataclass(frozen=True, slots=True)
class Problem:
    """Something the loader found wrong with a file or one of its documents."""

    role: str  # Role.SYNTAX (not loadable YAML) or Role.SCHEMA (a value no schema can hold)
    message: str
    position: Position
    document: int | None = None  # index of the document, when one is known
    node: NodePath = ()


@dataclass(frozen=True, slots=True)
class LoadResult:
    documents: tuple[Document, ...]
    problems: tuple[Problem, ...]
    #: the loader itself failed (a bug, not the file's fault): reported as an internal error, exit 2
    crash: str | None = None


@dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    """One finding, complete when built: nothing stamps fields onto it later."""

    path: str
    line: int
    column: int
    code: str
    name: str
    severity: Severity
    message: str
    entity: str | None = None
    node: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.label,
            "message": self.message,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "entity": self.entity,
            "node": self.node,
        }

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Diagnostic:
        return cls(
            path=raw["path"],
            line=raw["line"],
            column=raw["column"],
            code=raw["code"],
            name=raw["name"],
            severity=Severity.parse(raw["severity"]),
            message=raw["message"],
            entity=raw.get("entity"),
            node=raw.get("node"),
        )


def printable(text: str) -> str:
    """``text`` as valid Unicode: the bytes of a file name that is not UTF-8 (which Python reads as
    lone surrogates) are spelled ``\\xNN``, so every output format and file can carry it."""
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return text


def term_slug(term: str) -> str:
    """ "Service Request" -> "service-request" (lower case, other runs become ``-``)."""
    return re.sub(r"[^a-z0-9]+", "-", term.lower()).strip("-")


def reference_form(kind: str, text: str) -> str | None:
    """``person:mrs-davis`` for ``Mrs. Davis`` (or ``person:Mrs Davis``): a name written as a reference."""
    prefix, colon, rest = text.partition(":")
    slug = term_slug(rest if colon and prefix.lower() == kind else text)
    return f"{kind}:{slug}" if SLUG_RE.match(slug) else None


#: How many comparisons one vocabulary makes for its look-ups, in word pairs (a word counts once per
#: 64 characters, as rapidfuzz compares 64 at a time): about a second.  Past it, a word not looked up
#: before gets no suggestion, so a pull request of a million distinct unknown references against a
#: million ids cannot keep a run comparing them for hours (ordinary runs stay far below it).
COMPARISONS = 25_000_000


class Vocabulary:
    """The words a did-you-mean may suggest, prepared once for many look-ups.

    Similarity is rapidfuzz's normalised Indel ratio (difflib's ratio, computed in
    C++): a repository with thousands of ids and thousands of unresolved references
    gets its suggestions in about a second, where difflib took minutes.  The
    comparisons are bounded (``COMPARISONS``).
    """

    def __init__(self, words: Iterable[str], cutoff: float = 0.7, comparisons: int = COMPARISONS) -> None:
        self._by_lower: dict[str, str] = {}
        for word in words:
            self._by_lower.setdefault(word.lower(), word)
        self._choices = list(self._by_lower)
        self._cutoff = cutoff * 100
        self._left = comparisons
        # a renamed id leaves every reference to it asking for the same word: each is looked up once
        self._found: dict[str, str | None] = {}

    def closest(self, word: str) -> str | None:
        """The word most like ``word``, ignoring case (``Owner`` -> ``owner``), if one is close enough."""
        lower = word.lower()
        if lower in self._by_lower:
            return self._by_lower[lower]
        if not self._choices:
            return None
        if lower not in self._found:
            cost = len(self._choices) * (1 + len(lower) // 64)
            if cost > self._left:
                return None
            self._left -= cost
            from rapidfuzz import fuzz, process

            match = process.extractOne(lower, self._choices, scorer=fuzz.ratio, score_cutoff=self._cutoff)
            self._found[lower] = self._by_lower[match[0]] if match else None
        return self._found[lower]


def closest(word: str, candidates: Iterable[str], cutoff: float = 0.7) -> str | None:
    """The candidate most like ``word``, ignoring case, if one is close enough (see ``Vocabulary``)."""
    return Vocabulary(candidates, cutoff).closest(word)


def did_you_mean(suggestion: str | None) -> str:
    """`` (did you mean X?)``, or nothing: one wording everywhere, which a baseline's subject leaves out."""
    return f" (did you mean {suggestion}?)" if suggestion else ""


def plural_label(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


@dataclass(frozen=True, slots=True)
class Summary:
    """Counts for the summary line and the JSON ``summary`` object."""

    files: int = 0
    documents: int = 0
    skipped: int = 0
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    files_with_findings: int = 0
    #: unresolved-reference findings not reported while a governance file fails to load
    held_back: int = 0
    #: the file to fix first when findings are held back (the one that could define most of them)
    fix_first: str | None = None
    #: findings the baseline hid
    baseline_hidden: int = 0
    existing: int | None = None  # with --new-since: findings the base already had, not shown
