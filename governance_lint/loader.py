"""Bytes -> YAML node trees with line/column -> :class:`Document` values.

libyaml (PyYAML's C binding) does the parsing because it is the fastest
parser that keeps positions.  Everything around it exists because libyaml is
a YAML 1.1 parser that trusts its input:

* values are resolved here with the YAML 1.2 core schema (``yes`` and
  ``012`` stay what 1.2 says), never by PyYAML's 1.1 resolver;
* tags are never constructed; duplicate keys, non-string keys and values no
  schema can hold become problems;
* bytes are checked before libyaml sees them (UTF-8 only, no control
  characters), nesting depth is bounded before libyaml's recursive C
  composer can overflow the stack, and alias expansion is counted, never
  performed;
* a few invalid inputs libyaml accepts are closed by cheap post-checks that
  run only when a cheap trigger fires.

:func:`load` never raises: whatever goes wrong becomes a :class:`Problem`.
"""

from __future__ import annotations

import bisect
import contextlib
import math
import re
from collections.abc import Iterator
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .model import (
    REFERENCE_RE,
    Document,
    Limits,
    LoadResult,
    NodePath,
    Position,
    Problem,
    Role,
    item_name,
    plural_label,
)

__all__ = ["DEFAULT_LIMITS", "load"]

SYNTAX = Role.SYNTAX
VALUE = Role.SCHEMA

# Above this upper bound on nesting, libyaml's own event stream is used to
# measure depth before its recursive composer runs (it segfaults at ~40k
# levels and its scanner is quadratic in flow depth).
_SAFE_DEPTH_BOUND = 2000

# --- scalar resolution: the YAML 1.2 core schema ---------------------------------

_STD = "tag:yaml.org,2002:"
_TAG_STR, _TAG_INT, _TAG_FLOAT = _STD + "str", _STD + "int", _STD + "float"
_TAG_BOOL, _TAG_NULL, _TAG_MAP, _TAG_SEQ = _STD + "bool", _STD + "null", _STD + "map", _STD + "seq"
_SCALAR_TAGS = frozenset((_TAG_STR, _TAG_INT, _TAG_FLOAT, _TAG_BOOL, _TAG_NULL))
_PYTHON_TAG_PREFIX = _STD + "python/"

# Plain scalars whose value is fixed by a lookup (empty is null).
_WORDS: dict[str, Any] = {
    "": None,
    "~": None,
    "null": None,
    "Null": None,
    "NULL": None,
    "true": True,
    "True": True,
    "TRUE": True,
    "false": False,
    "False": False,
    "FALSE": False,
}
_NULL_WORDS = frozenset(("", "~", "null", "Null", "NULL"))
_NUMBER_START = "0123456789+-."
_DECIMAL_RE = re.compile(r"[-+]?[0-9]+")
_OCTAL_RE = re.compile(r"0o[0-7]+")
_HEX_RE = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT_RE = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_NONFINITE_RE = re.compile(r"[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)")
_INT_MIN, _INT_END = -(2**63), 2**64
_MAX_INT_DIGITS = {10: 20, 8: 22, 16: 16}  # more significant digits than this is out of range


class _Unresolved:
    """Marker: a text the core schema reads as a number it cannot hold."""


def _core_number(text: str) -> Any:
    """A plain scalar starting like a number: its int/float value, the text, or a problem message.

    Returns the value, or ``(text, message)`` when the text is a number no
    schema can hold (it is then kept as its source string).
    """
    if _DECIMAL_RE.fullmatch(text):
        return _bounded_int(text, text.lstrip("+-"), 10)
    if _OCTAL_RE.fullmatch(text):
        return _bounded_int(text, text[2:], 8)
    if _HEX_RE.fullmatch(text):
        return _bounded_int(text, text[2:], 16)
    if _FLOAT_RE.fullmatch(text):
        number = float(text)
        return number if math.isfinite(number) else (text, "not a finite number")
    if _NONFINITE_RE.fullmatch(text):
        return (text, "not a finite number")
    return text


def _bounded_int(text: str, digits: str, base: int) -> Any:
    # Never hand int() thousands of digits: it is quadratic and Python refuses > 4300.
    significant = digits.lstrip("0") or "0"
    if len(significant) > _MAX_INT_DIGITS[base]:
        return (text, "integer too large")
    value = -int(significant, base) if text[0] == "-" else int(significant, base)
    return value if _INT_MIN <= value < _INT_END else (text, "integer too large")


def _tag_name(tag: str) -> str:
    return "!!" + tag[len(_STD) :] if tag.startswith(_STD) else tag


# --- bytes checks ----------------------------------------------------------------

_BREAK_RE = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
# What libyaml's reader refuses, found here so the finding has a line and column:
# C0 controls but TAB/LF/CR, DEL, C1 controls but NEL, U+FFFE and U+FFFF.
_FORBIDDEN_RE = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x84\x86-\x9f]|\xef\xbf[\xbe\xbf]")
# Bytes that can never start a forbidden sequence; deleting them leaves nothing
# in a clean file, which is much faster than running the regex everywhere.
_HARMLESS_BYTES = bytes(
    b
    for b in range(256)
    if b not in b"\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c"
    b"\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x7f\xc2\xef"
)
_UTF8_BOM = b"\xef\xbb\xbf"


def _position_after(prefix: str) -> Position:
    """The position of the character following ``prefix`` (libyaml's notion of lines)."""
    line, start = 1, 0
    for match in _BREAK_RE.finditer(prefix):
        line, start = line + 1, match.end()
    return Position(line, len(prefix) - start + 1)


def _wide_encoding(content: bytes) -> str | None:
    """UTF-16/32 by byte-order mark or by the NUL pattern YAML's encoding detection uses."""
    head = content[:4]
    if head in (b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00"):
        return "UTF-32"
    if head[:2] in (b"\xfe\xff", b"\xff\xfe"):
        return "UTF-16"
    if (len(head) >= 4 and head[:3] == b"\x00\x00\x00") or (len(head) == 4 and head[1:] == b"\x00\x00\x00"):
        return "UTF-32"
    if len(head) >= 2 and (head[0] == 0) != (head[1] == 0):
        return "UTF-16"
    return None


# --- the libyaml binding ------------------------------------------------------------

_PLAIN = "?"  # sentinel tag: a plain scalar without a tag, resolved here (core schema)
_OTHER = "!"  # sentinel tag: quoted/block scalars and untagged collections


class _NodeLoader(yaml.CSafeLoader):
    """libyaml composing nodes only; tags are left as sentinels, never resolved by regex."""

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        return _PLAIN if kind is ScalarNode and implicit[0] else _OTHER

    # The composer tells the resolver of every node it enters and leaves, for path-based resolvers,
    # which this loader has none of: two calls of a Python method per node, a fifth of composing.
    # Built-in callables that take the same arguments and do nothing of consequence stand in.
    descend_resolver = slice  # type: ignore[assignment]  # called with (parent, index)
    ascend_resolver = tuple  # type: ignore[assignment]  # called with ()


class _Refusal(Exception):
    """The whole file is refused with one syntax problem."""

    def __init__(self, message: str, line0: int, column0: int) -> None:
        super().__init__(message)
        self.problem = Problem(SYNTAX, message, Position(line0 + 1, column0 + 1))


def _depth_message(limits: Limits) -> str:
    return f"nesting is deeper than {limits.max_depth} levels (limit max-depth)"


def _syntax_error(exc: yaml.YAMLError, text: str) -> Problem:
    problem = getattr(exc, "problem", None)
    context = getattr(exc, "context", None)
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if problem:
        message = f"{problem} ({context})" if context else str(problem)
    else:
        message = str(exc).splitlines()[0] if str(exc) else "invalid YAML"
    position = Position(mark.line + 1, mark.column + 1) if mark is not None else Position(1, 1)
    if problem and mark is not None:
        opened = getattr(exc, "context_mark", None)
        message = (
            _plain_words(
                str(problem),
                text.splitlines(),
                mark.line,
                mark.column,
                opened.line if opened is not None else None,
            )
            or message
        )
    return Problem(SYNTAX, message, position)


# libyaml's wording, and what it means in the file, in plain words (the position stays libyaml's).
_TAB = "a tab in the indentation: YAML indents with spaces only; use spaces"
_QUOTE_IT = "quote the whole value"
# A line that starts a mapping entry (``key:``, ``- key:``): its indentation is that of its key.
_KEY_LINE = re.compile(r"(?P<indent> *)(?:- +)*[^\s#'\"\[{-][^:#]*:(?:\s|$)")


def _plain_words(problem: str, lines: list[str], line0: int, column0: int, opened0: int | None) -> str | None:
    """A message a person can act on for the usual YAML mistakes; None keeps libyaml's own."""
    line = lines[line0] if line0 < len(lines) else ""
    indent = len(line) - len(line.lstrip(" "))
    char = line[column0] if column0 < len(line) else ""
    above = next(
        (
            n
            for n in range(min(line0, len(lines)) - 1, -1, -1)
            if lines[n].strip() and not lines[n].lstrip().startswith("#")
        ),
        None,
    )
    if problem == "found a tab character that violates indentation" or (
        problem == "found character that cannot start any token" and char == "\t"
    ):
        return _TAB
    if problem == "found character that cannot start any token" and char in "@`%|>":
        return f"a plain value cannot start with '{char}'; {_QUOTE_IT}"
    if problem == "mapping values are not allowed in this context":
        entry = line[indent:].removeprefix("- ")
        if ": " in line[indent:column0] or line[indent:column0].rstrip().endswith(":"):
            key, _, value = entry.partition(": ")
            quoted = value.strip().replace("'", "''")
            example = f": {key}: '{quoted}'" if len(key) + len(quoted) <= 60 else ""
            return f"a second ': ' on one line: a value that contains ': ' must be quoted{example}"
        if above is not None and ":" not in lines[above]:
            return f"line {above + 1} has no ':' before this key; every entry of a mapping is 'key: value'"
        return (
            "this key is indented deeper than the entry above it, which already has a value; "
            "indent it exactly like the keys it belongs with"
        )
    if problem == "did not find expected key":
        if column0 > indent:
            return f"unexpected text after a value; {_QUOTE_IT}"
        if char == "-":
            return (
                "a list item where a key was expected: line it up with the items above it, "
                "or put the list under a key"
            )
        keys = {len(m["indent"]) for m in map(_KEY_LINE.match, lines[:line0]) if m}
        if indent not in keys:
            spaces = plural_label(indent, "space")
            return (
                f"this line's indentation ({spaces}) lines up with no key above it; "
                "indent it exactly like the keys it belongs with"
            )
        return (
            "this line is not 'key: value' like the other keys at its indentation; "
            f"add the ':' or {_QUOTE_IT}"
        )
    if problem == "did not find expected '-' indicator":
        return (
            "this line is not a list item, but the lines above it at this indentation are; "
            "start it with '- ' or indent it under an item"
        )
    if problem == "block sequence entries are not allowed in this context":
        return "a list item ('- ') cannot start on its key's line; put it on the next line, indented"
    if problem in ("did not find expected ',' or ']'", "did not find expected ',' or '}'") and char == ":":
        return f"a ':' inside a value in brackets; {_QUOTE_IT}"
    if problem in ("did not find expected ',' or ']'", "did not find expected ',' or '}'"):
        opening, close, what = ("[", "]", "list") if problem.endswith("']'") else ("{", "}", "mapping")
        return f"the {what} opened with '{opening}' is not closed here: a '{close}' or a ',' is missing"
    if problem == "found unexpected end of stream" and opened0 is not None:
        return f"the quoted value opened on line {opened0 + 1} is never closed; add the closing quote"
    if problem == "did not find expected node content" and line0 >= len(lines):
        return "the file ends inside '[' or '{': a value and the closing bracket are missing"
    if problem == "could not find expected ':'" and opened0 is not None:
        return f"line {opened0 + 1} has no ':' after its key; every entry of a mapping is 'key: value'"
    if problem == "found undefined alias":
        return "this alias names no anchor defined above it (write &name before *name)"
    return None


def _depth_bound(content: bytes) -> int:
    """A cheap upper bound on nesting: flow brackets (2 levels each, for implicit
    single-pair mappings) plus block levels (at most 2 per column of indentation)."""
    longest = max(map(len, content.split(b"\n")))
    return 2 * (content.count(b"[") + content.count(b"{")) + 2 * longest + 2


def _audit_events(content: bytes, limits: Limits) -> None:
    """Measure depth and alias expansion on libyaml's event stream, raising :class:`_Refusal`.

    The event parser keeps its stack on the heap and its look-ahead is capped
    at 1024 characters, so stopping at the first breach keeps this linear even
    for a megabyte of ``[``.  Aliases are counted by the size of what they
    name, never expanded, against one budget for the whole file.

    Newer libyaml releases (0.2.6, bundled with PyYAML 6.0.3+) refuse nesting
    beyond their own cap while scanning ahead, before the events that would
    cross govlint's limit are seen.  Such a refusal is re-measured on the text
    before the point libyaml stopped at, so the finding names ``max-depth`` at
    the same place whichever libyaml is bundled.
    """
    try:
        _audit_event_stream(content, limits)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        if mark is None or "nesting depth" not in str(getattr(exc, "problem", "")):
            raise
        prefix = content.decode("utf-8")[: mark.index].encode("utf-8")
        with contextlib.suppress(yaml.YAMLError):
            _audit_event_stream(prefix, limits)
        raise _Refusal(_depth_message(limits), mark.line, mark.column) from None


def _audit_event_stream(content: bytes, limits: Limits) -> None:
    loader = _NodeLoader(content)
    try:
        # Per open collection: [anchor, expanded node count, height below].
        frames: list[list[Any]] = []
        anchors: dict[str, tuple[int, int]] = {}
        open_anchors: set[str] = set()
        expanded = 0
        while loader.check_event():
            event: Any = loader.get_event()  # a typed union the stubs cannot narrow by class
            cls = type(event)
            if cls is yaml.ScalarEvent:
                if frames:
                    frames[-1][1] += 1
                if event.anchor:
                    anchors[event.anchor] = (1, 0)
            elif cls is yaml.SequenceStartEvent or cls is yaml.MappingStartEvent:
                if len(frames) >= limits.max_depth:
                    mark = event.start_mark
                    raise _Refusal(_depth_message(limits), mark.line, mark.column)
                frames.append([event.anchor, 0, 0])
                if event.anchor:
                    open_anchors.add(event.anchor)
            elif cls is yaml.SequenceEndEvent or cls is yaml.MappingEndEvent:
                anchor, count, height = frames.pop()
                size, height = count + 1, height + 1
                if anchor:
                    anchors[anchor] = (size, height)
                    open_anchors.discard(anchor)
                if frames:
                    frames[-1][1] += size
                    frames[-1][2] = max(frames[-1][2], height)
            elif cls is yaml.AliasEvent:
                mark = event.start_mark
                if event.anchor in open_anchors:
                    raise _Refusal(
                        f"alias '*{event.anchor}' refers to a node that contains it", mark.line, mark.column
                    )
                size, height = anchors.get(event.anchor, (1, 0))
                expanded += size
                if expanded > limits.max_alias_nodes:
                    raise _Refusal(
                        f"aliases in this file expand to more than {limits.max_alias_nodes} nodes"
                        " (limit max-alias-nodes)",
                        mark.line,
                        mark.column,
                    )
                if len(frames) + height > limits.max_depth:
                    raise _Refusal(_depth_message(limits), mark.line, mark.column)
                if frames:
                    frames[-1][1] += size
                    frames[-1][2] = max(frames[-1][2], height)
            elif cls is yaml.DocumentStartEvent:
                # Anchors are per document; the expansion budget is per file, or a file of
                # thousands of documents could each expand to the limit.
                anchors.clear()
                open_anchors.clear()
    finally:
        loader.dispose()


# --- positions ------------------------------------------------------------------------


def _start(node: Node) -> Position:
    mark = node.start_mark
    return Position(mark.line + 1, mark.column + 1)


# Mappings with more keys than this get a key index on their first lookup, so
# thousands of findings in one mapping do not each scan all of its keys.
_INDEXED_MAPPING = 32


def _first_keys(mapping: Node) -> dict[str, tuple[Node, Node]]:
    """A mapping's scalar keys, each to its first (key, value) pair."""
    index: dict[str, tuple[Node, Node]] = {}
    for key_node, value_node in mapping.value:
        if type(key_node) is ScalarNode:
            index.setdefault(key_node.value, (key_node, value_node))
    return index


class _NodeLocator:
    """Finds positions by walking one document's node tree (kept alive for that)."""

    __slots__ = ("_indexes", "_root", "_walks")

    def __init__(self, root: Node) -> None:
        self._root = root
        self._indexes: dict[int, dict[str, tuple[Node, Node]]] = {}
        self._walks: dict[NodePath, tuple[Node, Node]] = {}  # a collection's node and holder, by path

    def _pair(self, mapping: Node, key: str) -> tuple[Node, Node] | None:
        if len(mapping.value) <= _INDEXED_MAPPING:
            for key_node, value_node in mapping.value:
                if type(key_node) is ScalarNode and key_node.value == key:
                    return key_node, value_node
            return None
        index = self._indexes.get(id(mapping))
        if index is None:
            index = self._indexes[id(mapping)] = _first_keys(mapping)
        return index.get(key)

    def strings(
        self, data: Any, path: NodePath, name: str, pattern: re.Pattern[str] | None = None
    ) -> Iterator[tuple[NodePath, str, str, Position]]:
        """Every string under ``path`` (whose data is ``data``) that ``pattern`` matches, if one is
        given: its path, node name and position.

        Data and nodes are walked in step, once (finding each string's position
        from the root costs a walk per string), and a string's path and name
        are only built when it is yielded.
        """
        node = self._node(path)
        if node is None:
            return
        # (parent entry, step, name of the step, data, node): paths are rebuilt from the parents
        stack: list[tuple[Any, Any, str, Any, Node]] = [(None, None, "", data, node)]
        while stack:
            entry = stack.pop()
            _, _, _, value, node = entry
            kind = type(value)
            if kind is str:
                if pattern is None or pattern.match(value):
                    steps, names = [], []
                    link = entry
                    while link[0] is not None:
                        steps.append(link[1])
                        names.append(link[2])
                        link = link[0]
                    here = path + tuple(reversed(steps))
                    named = "/".join([name, *reversed(names)]) if names else name
                    yield here, named, value, _start(node)
            elif kind is dict and type(node) is MappingNode:
                if len(node.value) == len(value):  # no duplicate or dropped keys: data follows the nodes
                    for (_, child), (k, v) in zip(reversed(node.value), reversed(value.items()), strict=True):
                        stack.append((entry, k, k, v, child))
                    continue
                pairs = _first_keys(node)
                for k in reversed(list(value)):
                    pair = pairs.get(k)
                    if pair is not None:
                        stack.append((entry, k, k, value[k], pair[1]))
            elif kind is list and type(node) is SequenceNode and len(node.value) == len(value):
                items = node.value
                for i in range(len(value) - 1, -1, -1):
                    item = value[i]
                    stack.append((entry, i, item_name(i, item), item, items[i]))

    def _node(self, path: NodePath) -> Node | None:
        node: Node = self._root
        for step in path:
            if type(node) is MappingNode and isinstance(step, str):
                pair = self._pair(node, step)
                if pair is None:
                    return None
                node = pair[1]
            elif type(node) is SequenceNode and type(step) is int and 0 <= step < len(node.value):
                node = node.value[step]
            else:
                return None
        return node

    def locate(self, path: NodePath, key: bool) -> Position:
        # The walk to the parent is kept: the sites of one list (its items, their keys) share it.
        # ``holder`` and ``found`` are the nodes whose start is reported: one Position is made, at the end.
        parent = self._walks.get(path[:-1]) if path else None
        if parent is not None:
            node, holder = parent
            path = path[-1:]
        else:
            node = holder = self._root  # where the nearest existing ancestor is reported
        found = holder
        for index, step in enumerate(path):
            child: Node | None = None
            if type(node) is MappingNode and isinstance(step, str):
                pair = self._pair(node, step)
                if pair is None:
                    return _start(holder)
                holder, child = pair
                found = holder if key or type(child) is not ScalarNode else child
            elif type(node) is SequenceNode and type(step) is int and 0 <= step < len(node.value):
                child = holder = found = node.value[step]
            else:
                return _start(holder)
            node = child
            if parent is None and type(node) is not ScalarNode and index < len(path) - 1:
                self._walks[path[: index + 1]] = (node, holder)
        return _start(found)


# --- the loader ------------------------------------------------------------------------

_PendingProblem = tuple[str, str, Node, NodePath, bool]  # code, message, node, path, governance-only

_HASH_AFTER_TEXT_RE = re.compile(r"[^ \t\r\n\x85\u2028\u2029]#")
_BLANK_WITH_SPACE_RE = re.compile(rb"(?:^|[\r\n]) +(?:[\r\n]|$)")
_BLOCK_HEADER_RE = re.compile(r"(?:[!&][^ \t]*[ \t]+)*[|>]([0-9+-]*)")
_QUOTED = ("'", '"')
# A standalone "!" (the non-specific tag) somewhere: libyaml reports "! 12" as an
# untagged plain scalar, so such files check the source before resolving.
_NONSPECIFIC_RE = re.compile(r"(?:^|[ \t\[{,])!(?=[ \t\r\n,\]}]|$)", re.MULTILINE)
_PROPERTIES_RE = re.compile(r"(?:[!&][^ \t\r\n]*[ \t]+)*")


# What libyaml may take a ``#`` right after for the start of a comment: a closing quote, a flow
# indicator, a block scalar header (``|-#``), an indicator.  After a letter, ``/`` or ``.`` a ``#``
# is inside a plain scalar (``docs/runbook.md#triage``), a tag or a comment, or libyaml refuses it.
_BEFORE_GLUED_COMMENT = frozenset("\"'[]{},|>+-0123456789:?!&*")


def _hash_after_text(text: str) -> bool:
    """Whether some ``#`` may be a comment glued to what precedes it (few ``#`` per file: a find loop)."""
    index = text.find("#", 1)
    while index > 0:
        if text[index - 1] in _BEFORE_GLUED_COMMENT:
            return True
        index = text.find("#", index + 1)
    return False


# the parent's path, the string's step, its text, 1-based line and column
ReferenceSites = tuple[tuple[NodePath, str | int, str, int, int], ...]


def _reference_sites(found: list[tuple[NodePath, str | int, str, Node]]) -> ReferenceSites:
    """In document order: the walk meets nested collections after their parents' scalars."""
    found.sort(key=lambda site: site[3].start_mark.index)
    return tuple(
        [
            (parent, step, text, node.start_mark.line + 1, node.start_mark.column + 1)
            for parent, step, text, node in found
        ]
    )


class _FileLoader:
    """State for loading one file; lives for one :func:`load` call."""

    def __init__(self, path: str, content: bytes, text: str, limits: Limits) -> None:
        self.path = path
        self.content = content
        self.text = text
        self.limits = limits
        self._lines: list[str] | None = None
        self.shared = False  # some collection node is reached twice: aliases
        # Strings of the form KIND:ID met by the walk of the current document (parent's path, step,
        # text, node): the repository index needs their positions, and the walk is already there.
        self.references: list[tuple[NodePath, str | int, str, Node]] = []
        self.syntax: list[tuple[int, int, str]] = []  # (line0, column0, message) libyaml let through
        self.pending: list[_PendingProblem] = []
        self.first_keys: dict[int, dict[str, tuple[Node, Node]]] = {}  # per mapping with duplicates
        # Multi-line flow collections / quoted scalars under a block parent, and
        # block scalars, checked after the walk (see _check_continuations).
        self.continuations: list[tuple[Any, Node]] = []  # scalar nodes (their style is read)
        self.block_scalars: list[tuple[Any, Node | None, Any]] = []
        self.check_block_scalars = (b" \n" in content or b" \r" in content or content.endswith(b" ")) and (
            _BLANK_WITH_SPACE_RE.search(content) is not None
        )
        self.nonspecific = "!" in text and _NONSPECIFIC_RE.search(text) is not None

    def line(self, number: int) -> str:
        """Line ``number`` (0-based); empty past the end, where libyaml puts end-of-stream nodes."""
        lines = self.lines
        return lines[number] if number < len(lines) else ""

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            # Control characters are refused earlier, so splitlines() breaks exactly
            # where libyaml counts lines (LF, CR, CRLF, NEL, LS, PS).
            self._lines = self.text.splitlines()
        return self._lines

    # -- the walk -------------------------------------------------------------------

    def build(self, root: Node) -> Any:
        """Plain data for a document's node tree, iteratively (no recursion on depth)."""
        if type(root) is ScalarNode:
            return self._scalar(root, (), None)
        limit = self.limits.max_depth
        self.references = []
        memo: dict[int, Any] = {}
        data: Any = {} if type(root) is MappingNode else []
        memo[id(root)] = data
        stack: list[tuple[Any, Any, NodePath, int]] = [(root, data, (), 1)]  # nodes: style, flow_style
        words = _WORDS
        nonspecific = self.nonspecific
        while stack:
            node, out, path, depth = stack.pop()
            if node.tag != _OTHER:
                self._collection_tag(node, path)
            block = not node.flow_style
            is_map = type(node) is MappingNode
            items: Any = node.value if is_map else enumerate(node.value)
            key: str | int | None
            key_node: Any
            for key_node, value_node in items:
                if is_map:
                    key = self._key(key_node, path)
                    if key is None:
                        continue
                    if key in out:
                        self._duplicate(node, key_node, key, path)
                        continue
                else:
                    key = key_node  # the index
                cls = type(value_node)
                if cls is ScalarNode:
                    tag = value_node.tag
                    if tag == _PLAIN:
                        text = value_node.value
                        value = words.get(text, _Unresolved)
                        if nonspecific and self._tagged_nonspecific(value_node):
                            value = text
                        elif value is _Unresolved:
                            value = text
                            if text[0] in _NUMBER_START:
                                value = self._plain_number(value_node, path + (key,))
                    elif tag == _OTHER:
                        value = value_node.value
                        style = value_node.style
                        if style in _QUOTED:
                            if block and value_node.start_mark.line != value_node.end_mark.line:
                                self.continuations.append((value_node, node))
                        elif self.check_block_scalars:
                            self.block_scalars.append((value_node, node, key_node if is_map else None))
                    else:
                        value = self._scalar(value_node, path + (key,), node)
                    if type(value) is str and ":" in value and REFERENCE_RE.match(value):
                        self.references.append((path, key, value, value_node))
                else:
                    value = memo.get(id(value_node))
                    if value is None:
                        value = {} if cls is MappingNode else []
                        memo[id(value_node)] = value
                        if depth >= limit:
                            mark = value_node.start_mark
                            raise _Refusal(_depth_message(self.limits), mark.line, mark.column)
                        if (
                            block
                            and value_node.flow_style
                            and (value_node.start_mark.line != value_node.end_mark.line)
                        ):
                            self.continuations.append((value_node, node))
                        stack.append((value_node, value, path + (key,), depth + 1))
                    else:
                        self.shared = True
                if is_map:
                    out[key] = value
                else:
                    out.append(value)
        return data

    def _key(self, key_node: Node, path: NodePath) -> str | None:
        """A mapping key as a string (its source text when the core schema says otherwise)."""
        if type(key_node) is not ScalarNode:
            self.pending.append((VALUE, "mapping keys must be strings", key_node, path, True))
            return None
        text: str = key_node.value
        if key_node.tag == _PLAIN and not (self.nonspecific and self._tagged_nonspecific(key_node)):
            value = _WORDS.get(text, _Unresolved)
            if value is _Unresolved and text[0] in _NUMBER_START:
                value = self._plain_number(key_node, path + (text,))
        elif key_node.tag == _OTHER:
            return text
        else:
            value = self._scalar(key_node, path + (text,), None)
        if not isinstance(value, str) and value is not _Unresolved:
            self.pending.append((VALUE, "mapping keys must be strings", key_node, path + (text,), True))
        return text

    def _tagged_nonspecific(self, node: Node) -> bool:
        """Whether a plain scalar carries the "!" tag (it is then a string)."""
        mark = node.start_mark
        line = self.line(mark.line)
        properties = _PROPERTIES_RE.match(line, mark.column)
        return properties is not None and "!" in properties.group().split()

    def _duplicate(self, mapping: Node, key_node: Node, key: str, path: NodePath) -> None:
        # One index per mapping with duplicates: a scan per duplicate is quadratic.
        index = self.first_keys.get(id(mapping))
        if index is None:
            index = self.first_keys[id(mapping)] = _first_keys(mapping)
        first = index[key][0]
        self.pending.append(
            (
                SYNTAX,
                f"duplicate key '{key}' (first at line {first.start_mark.line + 1})",
                key_node,
                path + (key,),
                False,
            )
        )

    def _plain_number(self, node: Node, path: NodePath) -> Any:
        text: str = node.value
        value = _core_number(text)
        if type(value) is tuple:
            self.pending.append((VALUE, value[1], node, path, True))
            return text
        if value is text and text[0] == "-" and (len(text) == 1 or text[1] in " \t"):
            # libyaml lets "-" through as a plain scalar in flow context ([-]).
            mark = node.start_mark
            self.syntax.append(
                (
                    mark.line,
                    mark.column,
                    "a plain scalar cannot start with '-' followed by a space or its end",
                )
            )
        return value

    def _scalar(self, node: Any, path: NodePath, parent: Node | None) -> Any:
        """A scalar outside the walk's fast path: the root, keys, explicit tags."""
        tag, text = node.tag, node.value
        if tag == _PLAIN:
            if self.nonspecific and self._tagged_nonspecific(node):
                return text
            value = _WORDS.get(text, _Unresolved)
            if value is _Unresolved:
                return self._plain_number(node, path) if text[:1] and text[0] in _NUMBER_START else text
            return value
        if tag == _OTHER:
            if node.style in ("|", ">") and self.check_block_scalars:
                self.block_scalars.append((node, parent, None))
            return text
        if tag == _TAG_STR:
            return text
        if tag == _TAG_NULL:
            if text in _NULL_WORDS:
                return None
        elif tag == _TAG_BOOL:
            value = _WORDS.get(text)
            if isinstance(value, bool):
                return value
        elif tag == _TAG_INT:
            value = _core_number(text) if text[:1] and text[0] in _NUMBER_START else text
            if type(value) is tuple:
                self.pending.append((VALUE, value[1], node, path, True))
                return text
            if type(value) is int:
                return value
        elif tag == _TAG_FLOAT:
            value = _core_number(text) if text[:1] and text[0] in _NUMBER_START else text
            if type(value) is tuple:
                self.pending.append((VALUE, value[1], node, path, True))
                return text
            if type(value) in (int, float):
                return float(value)
        else:
            self._unsupported_tag(node, path)
            return text
        self.pending.append((VALUE, f"'{text}' is not a valid {_tag_name(tag)} value", node, path, True))
        return text

    def _collection_tag(self, node: Node, path: NodePath) -> None:
        tag = node.tag
        expected = _TAG_MAP if type(node) is MappingNode else _TAG_SEQ
        if tag == expected:
            return
        if tag in (_TAG_MAP, _TAG_SEQ) or tag in _SCALAR_TAGS:
            self.pending.append((VALUE, f"tag '{_tag_name(tag)}' does not fit this node", node, path, True))
        else:
            self._unsupported_tag(node, path)

    def _unsupported_tag(self, node: Node, path: NodePath) -> None:
        message = f"unsupported tag '{_tag_name(node.tag)}'; govlint never constructs tagged values"
        # Python tags are refused everywhere: they are the classic code-execution vector.
        self.pending.append((SYNTAX, message, node, path, not node.tag.startswith(_PYTHON_TAG_PREFIX)))

    # -- post-checks for invalid YAML that libyaml accepts ----------------------------

    def check_syntax(self, roots: list[Node]) -> None:
        """Run the cheap post-checks whose trigger fires; findings go to ``self.syntax``."""
        text = self.text
        hashes = _hash_after_text(text)
        directives = text.startswith("%") or "\n%" in text or "\r%" in text
        if hashes or directives:
            spans = self._scalar_spans(roots)
            if hashes:
                self._check_comments(spans)
            if directives:
                self._check_directives(spans)
        if self.continuations:
            self._check_continuations()
        if self.block_scalars:
            self._check_block_scalars()

    def _scalar_spans(self, roots: list[Node]) -> list[tuple[int, int, int, int]]:
        """Every scalar's extent (0-based, end exclusive); a block scalar's header line is left out."""
        spans = []
        seen: set[int] = set()
        stack: list[Any] = list(roots)
        while stack:
            node = stack.pop()
            cls = type(node)
            if cls is ScalarNode:
                start, end = node.start_mark, node.end_mark
                if node.style in ("|", ">"):
                    spans.append((start.line + 1, 0, end.line, end.column))
                else:
                    spans.append((start.line, start.column, end.line, end.column))
            elif id(node) not in seen:
                seen.add(id(node))
                if cls is MappingNode:
                    for key_node, value_node in node.value:
                        stack.append(key_node)
                        stack.append(value_node)
                else:
                    stack.extend(node.value)
        spans.sort()
        return spans

    @staticmethod
    def _covering(
        spans: list[tuple[int, int, int, int]], starts: list[tuple[int, int]], line: int, column: int
    ) -> tuple[int, int, int, int] | None:
        """The scalar span holding a point, if any."""
        # Spans never overlap, so only the last span starting at or before the point can hold it.
        index = bisect.bisect_right(starts, (line, column)) - 1
        if index < 0:
            return None
        span = spans[index]
        return span if (line, column) < (span[2], span[3]) else None

    def _check_comments(self, spans: list[tuple[int, int, int, int]]) -> None:
        """A comment must follow whitespace: libyaml accepts ``"value"# comment``."""
        starts = [(s[0], s[1]) for s in spans]
        for number, line in enumerate(self.lines):
            if "#" not in line or not _HASH_AFTER_TEXT_RE.search(line):
                continue
            column = line.find("#")
            while column >= 0:
                if self._covering(spans, starts, number, column) is None:
                    if column == 0 or line[column - 1] in " \t":
                        break  # a real comment: the rest of the line is its text
                    self.syntax.append(
                        (number, column, "comment must be separated from content by whitespace")
                    )
                    break
                column = line.find("#", column + 1)

    def _check_directives(self, spans: list[tuple[int, int, int, int]]) -> None:
        """A directive may only come before a document: at the start or after ``...``."""
        starts = [(s[0], s[1]) for s in spans]
        document_open = False
        for number, line in enumerate(self.lines):
            span = self._covering(spans, starts, number, 0)
            if span is not None and span[0] < number:
                continue  # inside a multi-line scalar
            content = line.lstrip(" \t")
            if not content or content.startswith("#"):
                continue
            if line.startswith("%"):
                if document_open:
                    self.syntax.append(
                        (number, 0, "directive inside a document; end the document with '...' first")
                    )
                    return
            elif line.startswith("...") and line[3:4] in ("", " ", "\t"):
                document_open = False
            else:
                document_open = True

    def _block_indent_below(self, parent: Node) -> int:
        """A lower bound on a block collection's indentation (never more than the truth)."""
        first = parent.value[0][0] if type(parent) is MappingNode else parent.value[0]
        line = self.line(first.start_mark.line)
        column: int = parent.start_mark.column
        return min(column, len(line) - len(line.lstrip(" ")))

    def _check_continuations(self) -> None:
        """Continuation lines of a flow collection or quoted scalar inside a block
        collection must be indented more than that collection (libyaml does not check)."""
        lines = self.lines
        for node, parent in self.continuations:
            indent = self._block_indent_below(parent)
            is_flow = type(node) is not ScalarNode
            for number in range(node.start_mark.line + 1, min(node.end_mark.line + 1, len(lines))):
                line = lines[number]
                content = line.lstrip(" ")
                if not content.strip() or len(line) - len(content) > indent:
                    continue
                # A closing bracket at the parent's indentation is accepted by every
                # common parser and used in real files; comments may sit anywhere.
                if is_flow and content[0] in "]}#":
                    continue
                self.syntax.append(
                    (number, len(line) - len(content), "continuation line is not indented enough")
                )
                break

    def _check_block_scalars(self) -> None:
        """Leading empty lines of a block scalar may not hold more spaces than its first content line."""
        lines = self.lines
        for node, parent, key_node in self.block_scalars:
            if node.style not in ("|", ">"):
                continue
            start = node.start_mark
            header = _BLOCK_HEADER_RE.match(self.line(start.line), start.column)
            if header is None or any(ch.isdigit() for ch in header.group(1)):
                continue  # explicit indentation: nothing is auto-detected
            # An upper bound on the parent's indentation: a content line must be deeper.
            if parent is None:
                parent_indent = -1
            elif key_node is not None:
                parent_indent = key_node.start_mark.column
            else:
                before = self.line(start.line)[: start.column].rstrip(" \t")
                if not before.endswith("-"):
                    continue
                parent_indent = len(before) - 1
            widest, widest_line = -1, -1
            for number in range(start.line + 1, len(lines)):
                line = lines[number]
                if line.strip(" ") == "":
                    if len(line) > widest:
                        widest, widest_line = len(line), number
                    continue
                indent = len(line) - len(line.lstrip(" "))
                if indent > parent_indent and widest > indent:
                    self.syntax.append(
                        (
                            widest_line,
                            indent,
                            "leading empty line of a block scalar is indented more than its content",
                        )
                    )
                break

    # -- results -------------------------------------------------------------------------

    def document_problems(self, index: int, governance: bool, start: int, end: int) -> list[Problem]:
        """The problems found while building document ``index``: ``pending[start:end]``."""
        problems = []
        for code, message, node, path, governance_only in self.pending[start:end]:
            if governance_only and not governance:
                continue
            problems.append(Problem(code, message, _start(node), index, path))
        return problems


DEFAULT_LIMITS = Limits()


def load(path: str, content: bytes, limits: Limits = DEFAULT_LIMITS) -> LoadResult:
    """Load one file's documents; never raises (an internal failure is said in ``crash``)."""
    try:
        return _load(path, content, limits)
    except _Refusal as refusal:
        return LoadResult((), (refusal.problem,))
    except Exception as exc:  # a loader bug: the run says so and exits 2, the other files are still checked
        return LoadResult((), (), crash=f"internal loader error: {type(exc).__name__}: {exc}"[:500])


def _refuse(message: str, position: Position) -> LoadResult:
    return LoadResult((), (Problem(SYNTAX, message, position),))


def _load(path: str, content: bytes, limits: Limits) -> LoadResult:
    if len(content) > limits.max_file_bytes:
        return _refuse(
            f"file is larger than {limits.max_file_bytes} bytes (limit max-file-bytes)", Position(1, 1)
        )
    if content.startswith(_UTF8_BOM):
        content = content[len(_UTF8_BOM) :]  # line 1 column 1 is the character after it
    else:
        wide = _wide_encoding(content)
        if wide is not None:
            return _refuse(f"file is {wide} encoded; govlint reads UTF-8 only", Position(1, 1))
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = content[exc.start]
        position = _position_after(content[: exc.start].decode("utf-8"))
        return _refuse(f"invalid UTF-8 (byte 0x{bad:02x}); govlint reads UTF-8 only", position)
    forbidden = _FORBIDDEN_RE.search(content) if content.translate(None, _HARMLESS_BYTES) else None
    if forbidden is not None:
        char = forbidden.group().decode("utf-8")
        position = _position_after(content[: forbidden.start()].decode("utf-8"))
        return _refuse(f"control character U+{ord(char):04X} is not allowed in YAML", position)

    audited = False
    if _depth_bound(content) > _SAFE_DEPTH_BOUND:
        # Possibly deep: let libyaml's non-recursive event parser measure it first.
        try:
            _audit_events(content, limits)
        except yaml.YAMLError as exc:
            return LoadResult((), (_syntax_error(exc, text),))
        audited = True

    roots: list[Node] = []
    loader = _NodeLoader(content)
    try:
        while loader.check_node():
            roots.append(loader.get_node())  # type: ignore[arg-type]  # never None after check_node()
    except yaml.YAMLError as exc:
        return LoadResult((), (_syntax_error(exc, text),))
    finally:
        loader.dispose()

    state = _FileLoader(path, content, text, limits)
    # data, the slice of pending problems it added, and its references (None: aliases share nodes,
    # so one node stands at several paths and the index walks the data instead)
    built: list[tuple[Any, int, int, ReferenceSites | None]] = []
    for root in roots:
        mark = len(state.pending)
        shared_before, state.shared = state.shared, False
        data = state.build(root)
        references = None if state.shared else _reference_sites(state.references)
        state.shared = state.shared or shared_before
        built.append((data, mark, len(state.pending), references))
    if state.shared and not audited:
        # Aliases to collections: count what they would expand to (and find cycles).
        _audit_events(content, limits)
    state.check_syntax(roots)
    if state.syntax:
        line0, column0, message = min(state.syntax)
        return _refuse(message, Position(line0 + 1, column0 + 1))

    documents = []
    problems: list[Problem] = []
    for index, (root, (data, start, end, references)) in enumerate(zip(roots, built)):  # noqa: B905
        document = Document(path, index, data, _start(root), _NodeLocator(root), references)
        problems.extend(state.document_problems(index, document.is_governance, start, end))
        documents.append(document)
    problems.sort(key=lambda problem: (problem.position, problem.role))
    return LoadResult(tuple(documents), tuple(problems))
