"""The repository index: every entity by kind and id, with the facts repository rules read.

Each file is reduced to compact, JSON-able facts (entities, references, terms,
interfaces, responsibilities and the ``spec`` fields rules declare, each with its
site) right after it is loaded, so the index never holds parse trees.

Facts are reached by *key* (``person:windy``, ``term:incident``): each entity
defines keys and mentions keys (``entity_keys``).  A ``Facts`` source answers
which files define or mention a key and what a file's entities are; it may hold
everything in memory (``MemoryFacts``) or load files on demand from a store, so
a rule that looks up a few keys reads a few files.  ``RepositoryIndex`` is the
view rules receive: the *subjects* they check (every entity, or those a change
can affect) and the lookups they may make around them.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import json
import posixpath
import re
from array import array
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from sys import intern
from typing import Any, NamedTuple, Protocol, TypeVar, overload

from .model import REFERENCE_KINDS, REFERENCE_RE, Document, NodePath, Vocabulary, item_name, term_slug

_REFERENCE_KINDS = {kind: kind for kind in REFERENCE_KINDS}  # each kind's one string
# A Responsible as node names give it: the activity (by id) and, for a list, the item.
_RESPONSIBLE_NODE = re.compile(r"^spec/activities/(.+)/raci/responsible(?:/\d+)?$")
_WORD_RE = re.compile(r"[a-z0-9]+")
# A procedure written as a repository path: one word, no URL scheme, a file with an extension or a folder.
_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_FILE_RE = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,7}$")
_SPACE_RE = re.compile(r"\s")

# How a file stands to a key (the ``role`` of a key row).
DEFINES, MENTIONS, DEFINES_LOCALLY = 0, 1, 2  # DEFINES_LOCALLY: a term defined outside a Glossary


_Item = TypeVar("_Item")
_TARGETS_AT_MOST = 1 << 16  # distinct targets (and tuples of texts) kept to be shared
_new_tuple = tuple.__new__  # a Site's (or Reference's) fields, in order, without the argument handling


# Site, Reference and InterfaceItem are named tuples, not dataclasses: a large
# repository holds about a hundred of each per process file; a tuple is built
# three times faster.
class Site(NamedTuple):
    """Where a fact was stated: file, position, entity and node name."""

    path: str
    line: int
    column: int
    entity: str | None = None
    node: str | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


class Reference(NamedTuple):
    """A ``KIND:ID`` string found in a document, e.g. ``person:windy`` at spec/owner.

    Its ``site`` is flat, in the fields after ``id``.  An entity holds its
    references in columns (``References``), which make each one as it is asked for.
    """

    target: str
    kind: str
    id: str
    path: str
    line: int
    column: int
    entity: str | None = None
    node: str | None = None

    @property
    def site(self) -> Site:
        """Where the reference was stated."""
        return _new_tuple(Site, self[3:])


class _Columns(Sequence[_Item]):
    """Items of one entity, all in the file and the document of the entity, held in columns: each item
    is made as it is asked for.  Equal to the tuple of the same items, and hashed as it is."""

    __slots__ = ("entity", "path")

    def __init__(self, path: str, entity: str | None) -> None:
        self.path, self.entity = path, entity

    def _make(self, at: int) -> _Item:
        raise NotImplementedError

    def _held(self) -> tuple[Any, ...]:
        """The columns, compared by ``==``."""
        raise NotImplementedError

    def _site(self, spots: array[int], nodes: tuple[str | None, ...], at: int) -> Site:
        """The site of item ``at`` whose line and column are ``spots[2 * at]`` and the one after."""
        return _new_tuple(Site, (self.path, spots[2 * at], spots[2 * at + 1], self.entity, nodes[at]))

    def __iter__(self) -> Iterator[_Item]:
        return iter([self._make(at) for at in range(len(self))])

    @overload
    def __getitem__(self, at: int) -> _Item: ...

    @overload
    def __getitem__(self, at: slice) -> tuple[_Item, ...]: ...

    def __getitem__(self, at: int | slice) -> _Item | tuple[_Item, ...]:
        if isinstance(at, slice):
            return tuple(self)[at]
        return self._make(range(len(self))[at])  # IndexError, negative indexes as a tuple's

    def __eq__(self, other: object) -> bool:
        if type(other) is type(self):
            assert isinstance(other, _Columns)
            return self._held() == other._held() and (
                not len(self) or (self.path, self.entity) == (other.path, other.entity)
            )
        if isinstance(other, tuple):
            return tuple(self) == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))  # as the tuple of the same items hashes

    def __repr__(self) -> str:
        return f"{type(self).__name__}({list(self)!r})"


def _spots(lines: Iterable[int], columns: Iterable[int]) -> array[int]:
    """Lines and columns, one after the other, of a file of at most max-file-bytes (1 GiB): four bytes
    each.  ValueError for one no file has."""
    try:
        first, second = array("I", lines), array("I", columns)
    except OverflowError as exc:
        raise ValueError(str(exc)) from None
    spots = first * 2
    spots[0::2], spots[1::2] = first, second  # ValueError when the two differ in length
    return spots


class References(_Columns[Reference]):
    """The references of one entity, held in columns: each ``Reference`` is made as it is asked for.

    A large repository holds millions of references, all in the file and the
    document of their entity.  As columns (one target head, one line, one
    column and one node name each) they take a third of the memory of one
    tuple each, and a rule that scans them for a kind or a node name reads
    ``heads`` or ``nodes`` without making a tuple.
    """

    __slots__ = ("heads", "nodes", "spots")

    def __init__(
        self,
        path: str,
        entity: str | None,
        heads: tuple[tuple[str, str, str], ...] = (),
        lines: Iterable[int] = (),
        columns: Iterable[int] = (),
        nodes: tuple[str | None, ...] = (),
    ) -> None:
        super().__init__(path, entity)
        #: each reference's (target, kind, id), shared by every reference to the same target
        self.heads = heads
        self.spots = _spots(lines, columns)
        self.nodes = nodes  #: each reference's node name
        if not len(heads) == len(nodes) == len(self.spots) // 2:
            raise ValueError("references: columns of different lengths")

    def _make(self, at: int) -> Reference:
        head = self.heads[at]
        spots = self.spots
        return _new_tuple(
            Reference, (*head, self.path, spots[2 * at], spots[2 * at + 1], self.entity, self.nodes[at])
        )

    def _held(self) -> tuple[Any, ...]:
        return self.heads, self.spots, self.nodes

    def __len__(self) -> int:
        return len(self.heads)

    def __iter__(self) -> Iterator[Reference]:
        path, entity, spots = self.path, self.entity, self.spots
        return iter(  # the columns zipped flat, not through ``_spotted``: rules iterate millions
            [
                _new_tuple(Reference, (*head, path, line, column, entity, node))
                for head, line, column, node in zip(
                    self.heads, spots[0::2], spots[1::2], self.nodes, strict=True
                )
            ]
        )


NO_REFERENCES = References("", None)


@dataclass(frozen=True, slots=True)
class Term:
    """A term defined (``term`` + ``definition``) in a Glossary or a process."""

    term: str
    slug: str
    definition: str | None
    glossary: bool
    site: Site

    @property
    def family(self) -> str:
        return term_family(self.term)


class InterfaceItem(NamedTuple):
    item: str
    site: Site


class Procedure(NamedTuple):
    """An activity's procedure written as a repository path, and the files it may name.

    ``paths``: the path relative to the repository root, then relative to the folder of the file
    that names it (``./x.md`` and ``../x.md`` only the latter); none when it leads out of the repository.
    """

    text: str
    activity: str
    paths: tuple[str, ...]
    site: Site


Value = tuple[str, Any, Site]  # a declared field's name (``"spec.category"``), value and site


class Values(_Columns[Value]):
    """The ``spec`` fields some rule declared it reads, of one entity, held in columns.

    Every entity holds the same few names (one tuple for all of them) and most
    the same node names; a site is made when a rule asks for one (most ask of a
    few entities, where they report).
    """

    __slots__ = ("data", "names", "nodes", "spots")

    def __init__(
        self,
        path: str,
        entity: str | None,
        names: Iterable[str] = (),
        data: Iterable[Any] = (),
        lines: Iterable[int] = (),
        columns: Iterable[int] = (),
        nodes: Iterable[str | None] = (),
    ) -> None:
        super().__init__(path, entity)
        self.names: tuple[str, ...] = _shared(tuple(names))
        self.data = tuple(data)
        self.spots = _spots(lines, columns)
        self.nodes: tuple[str | None, ...] = _shared(tuple(nodes))
        if not len(self.names) == len(self.data) == len(self.nodes) == len(self.spots) // 2:
            raise ValueError("values: columns of different lengths")

    def _make(self, at: int) -> Value:
        return self.names[at], self.data[at], self._site(self.spots, self.nodes, at)

    def _held(self) -> tuple[Any, ...]:
        return self.names, self.data, self.spots, self.nodes

    def __len__(self) -> int:
        return len(self.names)

    def value(self, name: str) -> Any:
        """The value of field ``name`` (None when it is absent or not declared)."""
        return self.data[self.names.index(name)] if name in self.names else None

    def site(self, name: str) -> Site | None:
        """Where field ``name`` is (None when it is not declared)."""
        return self._site(self.spots, self.nodes, self.names.index(name)) if name in self.names else None


class Procedures(_Columns[Procedure]):
    """The procedures of one entity's activities, held in columns (a large repository holds millions)."""

    __slots__ = ("activities", "named", "nodes", "spots", "texts")

    def __init__(
        self,
        path: str,
        entity: str | None,
        texts: Iterable[str] = (),
        activities: Iterable[str] = (),
        named: Iterable[tuple[str, ...]] = (),
        lines: Iterable[int] = (),
        columns: Iterable[int] = (),
        nodes: Iterable[str | None] = (),
    ) -> None:
        super().__init__(path, entity)
        self.texts, self.activities = tuple(texts), tuple(activities)
        #: each procedure's ``paths``: the same few (one runbook, from a few folders) over and over
        self.named = tuple(map(_shared, named))
        self.spots = _spots(lines, columns)
        self.nodes = tuple(nodes)
        if (
            not len(self.texts)
            == len(self.activities)
            == len(self.named)
            == len(self.nodes)
            == len(self.spots) // 2
        ):
            raise ValueError("procedures: columns of different lengths")

    def _make(self, at: int) -> Procedure:
        site = self._site(self.spots, self.nodes, at)
        return _new_tuple(Procedure, (self.texts[at], self.activities[at], self.named[at], site))

    def _held(self) -> tuple[Any, ...]:
        return self.texts, self.activities, self.named, self.spots, self.nodes

    def __len__(self) -> int:
        return len(self.texts)


#: tuples of texts many entities hold alike (field names, node names, procedure paths), each held once
#: (bounded: past ``_TARGETS_AT_MOST``, new ones are not kept)
_SHARED: dict[tuple[Any, ...], tuple[Any, ...]] = {}


def _shared(items: tuple[_Item, ...]) -> tuple[_Item, ...]:
    found = _SHARED.get(items)
    if found is not None:
        return found
    if len(_SHARED) < _TARGETS_AT_MOST:
        _SHARED[items] = items
    return items


class Responsible(_Columns[tuple[str, str]]):
    """(activity id, practitioner reference) for each Responsible of each activity, once per activity,
    held as two columns (a large repository holds millions of pairs)."""

    __slots__ = ("activities", "targets")

    def __init__(
        self, path: str, entity: str | None, activities: Iterable[str] = (), targets: Iterable[str] = ()
    ) -> None:
        super().__init__(path, entity)
        self.activities, self.targets = tuple(activities), tuple(targets)
        if len(self.activities) != len(self.targets):
            raise ValueError("responsible: columns of different lengths")

    def _make(self, at: int) -> tuple[str, str]:
        return self.activities[at], self.targets[at]

    def _held(self) -> tuple[Any, ...]:
        return self.activities, self.targets

    def __len__(self) -> int:
        return len(self.activities)

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return zip(self.activities, self.targets, strict=True)


NO_RESPONSIBLE = Responsible("", None)
NO_VALUES = Values("", None)
NO_PROCEDURES = Procedures("", None)


@dataclass(frozen=True, slots=True)
class Interface:
    """``interfaces[]`` of a process: what it sends to and receives from ``process``."""

    process: str
    sends: tuple[InterfaceItem, ...]
    receives: tuple[InterfaceItem, ...]
    site: Site


@dataclass(frozen=True, slots=True)
class Entity:
    """One governance document, reduced to the facts repository rules read."""

    kind: str
    id: str
    key: str
    name: str | None
    site: Site  # at metadata.id
    document: int  # index of the document in its file
    active: bool = True
    terms: tuple[Term, ...] = ()
    #: (activity id, practitioner reference) for each Responsible of each activity, once per activity
    responsible: Responsible = NO_RESPONSIBLE
    #: every ``KIND:ID`` string of the document's spec, in document order
    references: References = NO_REFERENCES
    #: ``spec.interfaces``: what this process sends to and receives from others
    interfaces: tuple[Interface, ...] = ()
    #: the ``spec`` fields some rule declared it reads (``"spec.category"``): value and site
    values: Values = NO_VALUES
    #: the activities' procedures written as repository paths (``docs/incident/identify.md``)
    procedures: Procedures = NO_PROCEDURES

    @property
    def path(self) -> str:
        return self.site.path

    def value(self, name: str) -> Any:
        """The value of a declared field such as ``"spec.category"`` (None when absent)."""
        return self.values.value(name)

    def value_site(self, name: str) -> Site | None:
        """Where a declared field is (for a missing one: the key holding the mapping it is missing from)."""
        return self.values.site(name)


def term_family(term: str) -> str:
    """What spellings of one term share: lower case, no separators, no plural ``s`` per word.

    "Service-Requests", "service request" and "ServiceRequest" are all ``servicerequest``;
    two terms with one slug are always of one family.
    """
    words = _WORD_RE.findall(term.lower())
    return "".join(w[:-1] if len(w) > 1 and w.endswith("s") else w for w in words)


def procedure_paths(text: str, file_path: str) -> tuple[str, ...] | None:
    """The repository paths a procedure may name (see ``Procedure``); None when it is not written as a path.

    A path is one word without a URL scheme that names a file with an extension (``docs/x.md``,
    ``runbook.pdf``) or a folder with a trailing ``/`` (``docs/incident/``); a ``#section`` is left out.
    """
    path = text.split("#", 1)[0]
    if not path or _SPACE_RE.search(text) or _SCHEME_RE.match(path):
        return None
    if not (path.endswith("/") or _FILE_RE.search(path)):
        return None
    return _candidates(path.rstrip("/"), posixpath.dirname(file_path))


@functools.lru_cache(maxsize=4096)
def _candidates(path: str, folder: str) -> tuple[str, ...]:
    """``procedure_paths`` of a path (without its ``#section``) named from ``folder``: the same runbook
    is named by every step of a process, and by many processes of one folder."""
    if path.startswith("/"):
        candidates = [path.lstrip("/")]
    elif path.startswith(("./", "../")):
        candidates = [posixpath.join(folder, path)]
    else:
        candidates = [path, posixpath.join(folder, path)]
    found: dict[str, None] = {}
    for candidate in candidates:
        normal = posixpath.normpath(candidate) if candidate else "."
        if normal not in (".", "..") and not normal.startswith("../"):
            found[normal] = None
    return tuple(found)


def _site(doc: Document, entity: str | None, path: NodePath, key: bool = False) -> Site:
    pos = doc.position(path, key=key)
    return Site(doc.path, pos.line, pos.column, entity, doc.node_name(path))


def extract_entity(doc: Document, fields: Collection[str] = ()) -> Entity | None:
    """The facts of one governance document (None if it has no kind and id).

    ``fields`` are dotted paths (``"spec.category"``) that some rule declared it reads.
    """
    kind, ident = doc.kind, doc.id
    if not kind or not ident or not doc.is_governance:
        return None
    spec = doc.spec
    metadata = doc.data.get("metadata")
    name = metadata.get("name") if isinstance(metadata, dict) else None

    heads: list[tuple[str, str, str]] = []
    lines: list[int] = []
    columns: list[int] = []
    nodes: list[str] = []
    responsible: dict[tuple[str, str], None] = {}  # ordered set
    entity, file_path = doc.entity, doc.path
    targets = _TARGETS
    for text, line, column, node in _named_references(doc):
        target = targets.get(text) or _target(text)
        if target is not None:
            heads.append(target)
            lines.append(line)
            columns.append(column)
            nodes.append(node)
            held = (
                _RESPONSIBLE_NODE.match(node)
                if target[1] in ("person", "team") and "/raci/responsible" in node
                else None
            )
            if held:
                responsible[(held.group(1), target[0])] = None

    terms: list[Term] = []
    term_list = spec.get("terms")
    if isinstance(term_list, list):
        for i, entry in enumerate(term_list):
            if isinstance(entry, dict) and isinstance(entry.get("term"), str):
                definition = entry.get("definition")
                terms.append(
                    Term(
                        term=entry["term"],
                        slug=term_slug(entry["term"]),
                        definition=definition if isinstance(definition, str) else None,
                        glossary=kind == "Glossary",
                        site=_site(doc, entity, ("spec", "terms", i, "term")),
                    )
                )

    interfaces: list[Interface] = []
    iface_list = spec.get("interfaces")
    if isinstance(iface_list, list):
        for i, entry in enumerate(iface_list):
            if not isinstance(entry, dict) or not isinstance(entry.get("process"), str):
                continue
            items = {}
            for direction in ("sends", "receives"):
                values = entry.get(direction)
                items[direction] = tuple(
                    InterfaceItem(v, _site(doc, entity, ("spec", "interfaces", i, direction, j)))
                    for j, v in enumerate(values if isinstance(values, list) else [])
                    if isinstance(v, str)
                )
            interfaces.append(
                Interface(
                    entry["process"],
                    items["sends"],
                    items["receives"],
                    _site(doc, entity, ("spec", "interfaces", i)),
                )
            )

    return Entity(
        kind=kind,
        id=ident,
        key=f"{kind.lower()}:{ident}",
        name=name if isinstance(name, str) else None,
        site=_site(doc, entity, ("metadata", "id")),
        document=doc.index,
        active=spec.get("active") is not False,
        terms=tuple(terms),
        responsible=Responsible(file_path, entity, *zip(*responsible, strict=True))
        if responsible
        else NO_RESPONSIBLE,
        references=References(file_path, entity, tuple(heads), lines, columns, tuple(nodes)),
        interfaces=tuple(interfaces),
        values=_values(doc, entity, fields),
        procedures=_procedures(doc, entity),
    )


def _named_references(doc: Document) -> list[tuple[str, int, int, str]]:
    """The ``KIND:ID`` strings under ``spec``: text, line, column and node name, in document order."""
    collected = doc.references
    if collected is None or type(doc.data.get("spec")) is not dict:  # aliases, or a spec that is one string
        return [
            (text, pos.line, pos.column, name) for _, name, text, pos in doc.strings(("spec",), REFERENCE_RE)
        ]
    # A string is named by its parent (its own step is a key, or an index: a string has no id); the
    # strings of one collection share their parent's path, one tuple, whose name is found once.
    kept = [site for site in collected if site[0][:1] == ("spec",)]
    parents = {id(site[0]): site[0] for site in kept}
    names = dict(zip(parents, doc.node_names(parents.values()), strict=True))
    return [(text, line, column, f"{names[id(parent)]}/{step}") for parent, step, text, line, column in kept]


def _procedures(doc: Document, entity: str | None) -> Procedures:
    """The activities' procedures written as repository paths, each with its site."""
    texts: list[str] = []
    activities_of: list[str] = []
    named: list[tuple[str, ...]] = []
    lines: list[int] = []
    columns: list[int] = []
    nodes: list[str] = []
    activities = doc.spec.get("activities")
    for i, activity in enumerate(activities if isinstance(activities, list) else ()):
        listed = activity.get("procedures") if isinstance(activity, dict) else None
        listed_texts = listed if isinstance(listed, list) else [listed]
        where: NodePath = ("spec", "activities", i, "procedures")
        held = item_name(i, activity)  # the activity, as the list's node name names it
        name = f"spec/activities/{held}/procedures"  # ``node_name``, worked out without a walk
        for j, text in enumerate(listed_texts):
            paths = procedure_paths(text, doc.path) if isinstance(text, str) else None
            if paths is None:
                continue
            item: NodePath = (j,) if isinstance(listed, list) else ()
            position = doc.position(where + item)
            texts.append(text)
            activities_of.append(held)
            named.append(paths)
            lines.append(position.line)
            columns.append(position.column)
            nodes.append(f"{name}/{j}" if item else name)
    if not texts:
        return NO_PROCEDURES
    return Procedures(doc.path, entity, texts, activities_of, named, lines, columns, nodes)


def _values(doc: Document, entity: str | None, fields: Collection[str]) -> Values:
    """The declared fields' values (None unless plain JSON data) and sites: a scalar's own position, the
    key of a list, a mapping or a null (a finding about them points at the key)."""
    if not fields:
        return NO_VALUES
    names, paths, nodes = _fields(tuple(fields))
    data: list[Any] = []
    lines: list[int] = []
    columns: list[int] = []
    for path in paths:
        value: Any = doc.data
        for step in path:
            value = value.get(step) if isinstance(value, dict) else None
        position = doc.position(path, key=value is None or isinstance(value, (list, dict)))
        data.append(value)
        lines.append(position.line)
        columns.append(position.column)
    return Values(doc.path, entity, names, data, lines, columns, nodes)


@functools.lru_cache(maxsize=64)
def _fields(fields: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[NodePath, ...], tuple[str, ...]]:
    """Declared fields in order, with their paths and node names (of keys alone: ``spec/owner``),
    worked out once for every document of a run."""
    names = tuple(sorted(fields))
    return names, tuple(tuple(name.split(".")) for name in names), tuple(n.replace(".", "/") for n in names)


# -- JSON round trip (for the store and worker processes) --------------------
#
# A site in the entity's own file and document is written as [line, column,
# node]; only a site elsewhere carries its path and entity.


def _site_json(site: Site, path: str, entity: str) -> list[Any]:
    if site.path == path and site.entity == entity:
        return [site.line, site.column, site.node]
    return list(site)


def _site_from(raw: list[Any], path: str, entity: str) -> Site:
    if len(raw) == 3:
        node = raw[2]
        return _new_tuple(Site, (path, raw[0], raw[1], entity, intern(node) if node is not None else None))
    return Site(*raw)


def _interned(value: Any) -> Any:
    """A field's value with its texts (its own, or its list's) interned."""
    if type(value) is str:
        return intern(value)
    if type(value) is list:
        return [intern(v) if type(v) is str else v for v in value]
    return value


def _split_reference(target: str) -> tuple[str, str] | None:
    """``REFERENCE_RE``'s two groups, by ``partition`` when the target is one line (the usual case).

    Both are interned, as targets and node names are: a large repository names the same few
    thousand people and teams a million times, each then held once.
    """
    if "\n" not in target:
        kind, _, ident = target.partition(":")
        known = _REFERENCE_KINDS.get(kind)
        return (known, intern(ident)) if known is not None and ident else None
    match = REFERENCE_RE.match(target)
    return (_REFERENCE_KINDS.get(match.group(1), match.group(1)), intern(match.group(2))) if match else None


#: each reference target read back, interned and split (``_target``): a repository names the same
#: people and teams over and over (bounded: past ``_TARGETS_AT_MOST``, new ones are not kept)
_TARGETS: dict[str, tuple[str, str, str]] = {}


def _target(text: str) -> tuple[str, str, str] | None:
    """A reference target as a Reference starts (target, kind, id), interned; None if it is none."""
    target = intern(text)
    split = _split_reference(target)
    if split is None:
        return None
    found = (target, *split)
    if len(_TARGETS) < _TARGETS_AT_MOST:
        _TARGETS[target] = found
    return found


def _spotted(held: References | Values | Procedures) -> Iterator[tuple[int, int, str | None]]:
    """Each item's line, column and node name, out of its columns."""
    spots = held.spots
    return zip(spots[0::2], spots[1::2], held.nodes, strict=True)


def _references_from(raw: list[Any], path: str, key: str) -> References:
    """The references ``entity_to_json`` wrote, each ``[target, line, column, node]`` (the targets
    and node names interned: a repository names the same people and teams a million times)."""
    heads, lines, columns, nodes = [], [], [], []
    targets = _TARGETS
    for target, line, column, node in raw:  # ValueError when one is not four items
        head = targets.get(target) or _target(target)
        if head is not None:
            heads.append(head)
            lines.append(line)
            columns.append(column)
            nodes.append(intern(node) if node is not None else None)
    return References(path, key, tuple(heads), lines, columns, tuple(nodes))


def entity_to_json(entity: Entity) -> list[Any]:
    path, key = entity.site.path, entity.key
    references, values, procedures = entity.references, entity.values, entity.procedures

    def site(s: Site) -> list[Any]:
        return _site_json(s, path, key)

    return [
        entity.kind,
        entity.id,
        entity.name,
        list(entity.site),
        entity.document,
        entity.active,
        [
            [head[0], line, column, node]
            for head, (line, column, node) in zip(references.heads, _spotted(references), strict=True)
        ],
        [[t.term, t.definition, t.glossary, site(t.site)] for t in entity.terms],
        [
            [
                i.process,
                [[x.item, site(x.site)] for x in i.sends],
                [[x.item, site(x.site)] for x in i.receives],
                site(i.site),
            ]
            for i in entity.interfaces
        ],
        [list(pair) for pair in entity.responsible],
        [
            [name, value, [line, column, node]]
            for name, value, (line, column, node) in zip(
                values.names, values.data, _spotted(values), strict=True
            )
        ],
        [
            [text, activity, list(paths), [line, column, node]]
            for text, activity, paths, (line, column, node) in zip(
                procedures.texts, procedures.activities, procedures.named, _spotted(procedures), strict=True
            )
        ],
    ]


def stored_key(raw: list[Any]) -> str:
    """The key of the entity ``entity_to_json`` wrote, without decoding it; raises on damage."""
    return f"{raw[0].lower()}:{raw[1]}"


def entity_from_json(raw: list[Any]) -> Entity:
    """The entity ``entity_to_json`` wrote; raises ValueError (or TypeError, KeyError) on damage."""
    kind, ident, name, own_site, document, active, refs, terms, ifaces, responsible, values, procs = raw
    kind, key = intern(kind), intern(stored_key(raw))
    path = intern(own_site[0])  # shared by every site of the file
    _, line, column, entity, node = own_site
    own = Site(
        path, line, column, key if entity == key else entity, intern(node) if node is not None else None
    )
    return Entity(
        kind=kind,
        id=ident,
        key=key,
        name=name,
        site=own,
        document=document,
        active=active,
        terms=tuple([Term(t, term_slug(t), d, g, _site_from(s, path, key)) for t, d, g, s in terms]),
        responsible=Responsible(
            path,
            key,
            [intern(activity) for activity, _ in responsible],
            [intern(target) for _, target in responsible],
        )
        if responsible
        else NO_RESPONSIBLE,
        references=_references_from(refs, path, key),
        interfaces=tuple(
            Interface(
                p,
                tuple(InterfaceItem(x, _site_from(s, path, key)) for x, s in sends),
                tuple(InterfaceItem(x, _site_from(s, path, key)) for x, s in recv),
                _site_from(s0, path, key),
            )
            for p, sends, recv, s0 in ifaces
        ),
        values=_values_from(values, path, key),
        procedures=_procedures_from(procs, path, key),
    )


def _values_from(raw: list[Any], path: str, key: str) -> Values:
    """The values ``entity_to_json`` wrote, each ``[name, value, [line, column, node]]``; a field's text
    most often names what a reference names: interned, each is held once."""
    if not raw:
        return NO_VALUES
    names, data, lines, columns, nodes = [], [], [], [], []
    for name, value, (line, column, node) in raw:
        names.append(intern(name))
        data.append(_interned(value))
        lines.append(line)
        columns.append(column)
        nodes.append(intern(node) if node is not None else None)
    return Values(path, key, names, data, lines, columns, nodes)


def _procedures_from(raw: list[Any], path: str, key: str) -> Procedures:
    """The procedures ``entity_to_json`` wrote, each ``[text, activity, paths, [line, column, node]]``."""
    if not raw:
        return NO_PROCEDURES
    texts, activities, named, lines, columns, nodes = [], [], [], [], [], []
    for text, activity, paths, (line, column, node) in raw:
        # The paths are held once (``Procedures.named``) and a text that is its own first path is held as
        # that path; another is most often a procedure's own, so not interned (at 50,000 files, half a
        # million entries of the table of interned texts).  Node names repeat from process to process.
        paths = tuple(map(intern, paths))
        texts.append(paths[0] if paths and paths[0] == text else text)
        activities.append(intern(activity))
        named.append(paths)
        lines.append(line)
        columns.append(column)
        nodes.append(intern(node) if node is not None else None)
    return Procedures(path, key, texts, activities, named, lines, columns, nodes)


# -- keys: what an entity defines and mentions ---------------------------------

KIND_KEY = "~kind:"  # every entity defines ~kind:<Kind>: how "every Policy" is found
FAMILY_KEY = "~term:"  # a term defines ~term:<family>: how spelling variants are found
FILE_KEY = "~file:"  # a procedure mentions ~file:<path> for each path it may name: who names a file


def entity_keys(entity: Entity) -> set[tuple[str, int]]:
    """The (key, role) rows of one entity: its own key, its kind, its terms, what it references."""
    rows = {(entity.key, DEFINES), (KIND_KEY + entity.kind, DEFINES)}
    for term in entity.terms:
        role = DEFINES if term.glossary else DEFINES_LOCALLY
        rows.add(("term:" + term.slug, role))
        rows.add((FAMILY_KEY + term.family, role))
    rows.update((head[0], MENTIONS) for head in entity.references.heads)
    rows.update((FILE_KEY + path, MENTIONS) for paths in entity.procedures.named for path in paths)
    return rows


Row = tuple[str, str, int]  # path, entity key, role
KeyRow = tuple[str, int, str]  # key, role, entity key: a file's rows without its path


class StoredFacts(NamedTuple):
    """A file's entities as the store keeps them: JSON text, and the key rows they define and mention.

    Made where the file is checked (a worker process, in parallel), so the
    process that writes the store only passes them on.
    """

    text: str
    keys: list[KeyRow]


def stored_facts(entities: Iterable[Entity]) -> StoredFacts | None:
    """Some entities (of one file) as the store keeps them; None when there are none."""
    entities = list(entities)
    if not entities:
        return None
    # plain lists made here, never cyclic: the encoder's check of every list costs a quarter of its time
    text = json.dumps([entity_to_json(e) for e in entities], separators=(",", ":"), check_circular=False)
    return StoredFacts(text, key_rows(entities))


def key_rows(entities: Iterable[Entity]) -> list[KeyRow]:
    """The (key, role, entity key) rows of some entities (of one file), each once."""
    return sorted({(key, role, e.key) for e in entities for key, role in entity_keys(e)})


def entities_from_text(text: str) -> list[Entity]:
    """The entities ``stored_facts`` wrote; raises ValueError (or TypeError, KeyError) on damage."""
    return entities_from_json(json.loads(text))


def entities_from_json(raw: list[Any]) -> list[Entity]:
    """``entities_from_text`` of text already parsed."""
    return [entity_from_json(entity) for entity in raw]


_SCAN_AT_MOST = 8  # a key with more rows, or a file with more entities, than this is indexed further
_PICKS_AT_MOST = 8  # entities an index picks out of one file before it reads the file whole


class Facts(Protocol):
    """Where an index finds its facts: key rows, and the entities of one file."""

    def rows(self, key: str, roles: Collection[int] | None = None) -> list[Row]:
        """Every (path, entity, role) that defines or mentions ``key`` (in one of ``roles``), in any order."""
        ...

    def entities(self, path: str) -> list[Entity]:
        """The entities of one file, in document order ([] for a file without any)."""
        ...

    def entity(self, path: str, key: str) -> list[Entity]:
        """The entities of one file with this key (one, unless the file defines it twice): what it costs
        does not grow with the file's other entities (an index picks entities out one by one)."""
        ...

    def paths(self) -> list[str]:
        """Every file that holds entities."""
        ...

    @property
    def holds_entities(self) -> bool:
        """Whether ``entities`` and ``entity`` give the same objects on every read (else an index keeps
        what it read, so that ``is`` holds between its answers)."""
        ...


class MemoryFacts:
    """Every file's facts held in memory, with the key rows built from them.

    A key with many rows holds them by role, so that a lookup costs what it
    finds: a key that 10,000 files mention and nobody defines answers
    ``rows(key, (DEFINES,))`` at once, each file with the entity it holds the
    key for (a tuple of them when several do): at 10,000 files such rows took
    46 MB as tuples in sets, and take 13 MB so.  A key with a few rows (most
    have two or three) holds them one after the other in one flat tuple, which
    a lookup splits into rows and filters.
    """

    holds_entities = True

    def __init__(self, by_path: Mapping[str, list[Entity]] | None = None) -> None:
        self._by_path: dict[str, list[Entity]] = {}
        # a key's rows while it has a few (most have two or three), one after the other in one tuple
        self._rows: dict[str, tuple[str | int, ...]] = {}
        # a key's rows by role, once it has many: each file to its entity key (or keys)
        self._by_role: dict[str, dict[int, dict[str, str | tuple[str, ...]]]] = {}
        # the rows of a key and role held by role, made once asked for (until the key's rows change):
        # an editor asks the same few keys of an unchanging base at every keystroke
        self._made: dict[tuple[str, int], list[Row]] = {}
        # the entities of a file that holds many (people, policies), by key: one lookup is not a scan
        self._by_key: dict[str, dict[str, list[Entity]]] = {}
        self.replace(by_path or {})

    def replace(
        self, changed: Mapping[str, list[Entity]], keys: Mapping[str, Iterable[KeyRow]] | None = None
    ) -> None:
        """Take the new facts of some files ([] for a file removed or without entities), with the key rows
        of some of them when they are known already (``key_rows`` of their entities)."""
        add = self._add
        for path, entities in changed.items():
            self._by_key.pop(path, None)
            for entity in self._by_path.pop(path, ()):
                for key, role in entity_keys(entity):
                    self._discard(key, (path, entity.key, role))
            if entities:
                self._by_path[path] = list(entities)
            if len(entities) > _SCAN_AT_MOST:
                by_key = self._by_key[path] = {}
                for entity in entities:
                    by_key.setdefault(entity.key, []).append(entity)
            known = keys.get(path) if keys is not None else None
            if known is not None:  # made elsewhere (another process): its texts held once, as the entities'
                for key, role, entity_key in known:
                    add(intern(key), (path, intern(entity_key), role))
                continue
            for entity in entities:
                for key, role in entity_keys(entity):
                    add(key, (path, entity.key, role))

    def _add(self, key: str, row: Row) -> None:
        by_role = self._by_role.get(key)
        if by_role is not None:
            path, entity, role = row
            self._made.pop((key, role), None)
            of_role = by_role.get(role)
            if of_role is None:
                by_role[role] = {path: entity}
                return
            held = of_role.get(path)
            if held is None:
                of_role[path] = entity
            elif type(held) is str:
                if held != entity:
                    of_role[path] = (held, entity)
            elif entity not in held:
                of_role[path] = (*held, entity)
            return
        rows = self._rows.get(key)
        if rows is None:
            self._rows[key] = row
        elif row not in _few(rows):
            if len(rows) < 3 * _SCAN_AT_MOST:
                self._rows[key] = rows + row
            else:  # many now: held by role from here on
                self._by_role[key] = {}
                for kept in (*_few(self._rows.pop(key)), row):
                    self._add(key, kept)

    def _discard(self, key: str, row: Row) -> None:
        by_role = self._by_role.get(key)
        if by_role is None:
            rows = self._rows.get(key)
            if rows is None or row not in _few(rows):
                return
            left = tuple(field for kept in _few(rows) if kept != row for field in kept)
            if left:
                self._rows[key] = left
            else:
                del self._rows[key]
            return
        path, entity, role = row
        self._made.pop((key, role), None)
        of_role = by_role.get(role)
        held = of_role.get(path) if of_role is not None else None
        if of_role is None or held is None:
            return
        if type(held) is str:
            if held != entity:
                return
            del of_role[path]
        else:
            rest = tuple(e for e in held if e != entity)
            of_role[path] = rest[0] if len(rest) == 1 else rest
        if not of_role:
            del by_role[role]
            if not by_role:
                del self._by_role[key]

    def rows(self, key: str, roles: Collection[int] | None = None) -> list[Row]:
        by_role = self._by_role.get(key)
        if by_role is not None:
            found: list[Row] = []
            for role in by_role if roles is None else roles:
                made = self._made.get((key, role))
                if made is None:
                    of_role = by_role.get(role)
                    if of_role is None:
                        continue
                    made = [(path, held, role) for path, held in of_role.items() if type(held) is str]
                    if len(made) < len(of_role):  # files with several entities holding the key
                        made += [
                            (p, e, role) for p, held in of_role.items() if type(held) is not str for e in held
                        ]
                    if len(made) > _SCAN_AT_MOST:  # a few are made again at once
                        self._made[(key, role)] = made
                found += made
            return found
        few = _few(self._rows.get(key, ()))
        return few if roles is None else [r for r in few if r[2] in roles]

    def entities(self, path: str) -> list[Entity]:
        return self._by_path.get(path, [])

    def entity(self, path: str, key: str) -> list[Entity]:
        by_key = self._by_key.get(path)
        if by_key is not None:
            return list(by_key.get(key, ()))
        return [e for e in self._by_path.get(path, ()) if e.key == key]

    def paths(self) -> list[str]:
        return list(self._by_path)


def _few(rows: tuple[str | int, ...]) -> list[Row]:
    """The rows ``MemoryFacts`` holds one after the other (see ``_rows``), each as a tuple."""
    return [rows[at : at + 3] for at in range(0, len(rows), 3)]  # type: ignore[misc]


class Overlay:
    """``base`` with some files' facts replaced: the repository after a change, before it is kept."""

    def __init__(self, base: Facts, changed: Mapping[str, list[Entity]]) -> None:
        self.base, self.changed = base, dict(changed)
        self._new = MemoryFacts({p: e for p, e in self.changed.items() if e})

    @property
    def holds_entities(self) -> bool:
        return self.base.holds_entities  # the changed files' entities are held as they were laid

    def replace(self, changed: Mapping[str, list[Entity]]) -> None:
        """Lay more files' facts over the base (the base itself is never changed)."""
        self.changed.update(changed)
        self._new.replace(changed)

    def rows(self, key: str, roles: Collection[int] | None = None) -> list[Row]:
        kept = [r for r in self.base.rows(key, roles) if r[0] not in self.changed]
        return kept + self._new.rows(key, roles)

    def entities(self, path: str) -> list[Entity]:
        return self.changed[path] if path in self.changed else self.base.entities(path)

    def entity(self, path: str, key: str) -> list[Entity]:
        return self._new.entity(path, key) if path in self.changed else self.base.entity(path, key)

    def paths(self) -> list[str]:
        return [p for p in self.base.paths() if p not in self.changed] + self._new.paths()


class RepositoryFiles:
    """Every path the repository holds (all files, not only governance files), listed on first use.

    What a rule asks when a document names a file (``procedure-exists``): ``path in files`` is true
    for a file and for a folder holding one.
    """

    def __init__(self, listing: Iterable[str] | Callable[[], Iterable[str]]) -> None:
        self._listing = listing
        self._sorted: list[str] | None = None
        self._vocabulary: Vocabulary | None = None

    @property
    def sorted(self) -> list[str]:
        """Every file, in order (listed on first use)."""
        if self._sorted is None:
            listing = self._listing() if callable(self._listing) else self._listing
            self._sorted = sorted(listing)  # git and the walk list in order already: one pass
        return self._sorted

    @functools.cached_property
    def digest(self) -> str:
        """A digest of every path: another when a file comes or goes."""
        return hashlib.sha1(
            "\0".join(self.sorted).encode(errors="surrogateescape"), usedforsecurity=False
        ).hexdigest()

    def __contains__(self, path: object) -> bool:
        """A file, or a folder that holds one: found in the ordered listing (a few paths asked of a large
        repository cost a search each, not a set of every file and folder)."""
        if not isinstance(path, str):
            return False
        listing = self.sorted
        at = bisect.bisect_left(listing, path)
        if at < len(listing) and listing[at] == path:
            return True
        inside = path + "/"
        at = bisect.bisect_left(listing, inside, at)
        return at < len(listing) and listing[at].startswith(inside)

    def closest(self, path: str) -> str | None:
        """The file most like ``path`` (for a did-you-mean), if one is close enough."""
        if self._vocabulary is None:
            self._vocabulary = Vocabulary(self.sorted)
        return self._vocabulary.closest(path)


def _order(entity: Entity) -> tuple[str, int, int, int]:
    return entity.site.path, entity.document, entity.site.line, entity.site.column


def _term_order(term: Term) -> tuple[bool, str, int, int]:
    return not term.glossary, term.site.path, term.site.line, term.site.column


Subject = tuple[str, str]  # path, entity key


class RepositoryIndex:
    """What a repository rule sees: the entities it checks (its subjects) and lookups around them.

    Rules check ``subjects()`` and report only at their sites; everything else
    they reach by key (``resolve``, ``definitions``, ``referrers``, ``terms``).
    A run over the whole repository has every entity as a subject; an update
    has only those a change can affect, and the lookups then read only the
    files they need.
    """

    def __init__(
        self,
        facts: Facts | Iterable[Entity] = (),
        *,
        subjects: Collection[Subject] | None = None,
        loader: Callable[[str], tuple[Document, ...]] | None = None,
        files: RepositoryFiles | None = None,
    ) -> None:
        if not hasattr(facts, "rows"):
            by_path: dict[str, list[Entity]] = {}
            for entity in facts:
                by_path.setdefault(entity.site.path, []).append(entity)
            facts = MemoryFacts(by_path)
        self.facts: Facts = facts  # type: ignore[assignment]
        self.loader = loader
        #: every path of the repository, when the run knows them (None: a rule asking stays quiet)
        self.files = files
        self._subjects = frozenset(subjects) if subjects is not None else None
        self._loaded: dict[Subject, list[Entity]] = {}
        self._picked: dict[str, int] = {}  # how many entities were picked out of each file (``_pick``)
        self._definitions: dict[str, list[Entity]] = {}
        # per entity looked up: its terms by slug and by family (a 10,000-term Glossary is scanned once)
        self._term_keys: dict[int, tuple[Entity, dict[str, list[Term]], dict[str, list[Term]]]] = {}
        self._rows: dict[tuple[str, tuple[int, ...]], list[Subject]] = {}
        self._defined: dict[str, bool] = {}  # ``defines``' answers
        self._all: list[Entity] | None = None
        self._first: dict[str, Entity] | None = None  # of ``_all``: each key's first entity
        # facts that hold their entities give the same objects on every read: none are kept here (at
        # 50,000 files, 30 MB for a run over the whole repository)
        self._held = self.facts.holds_entities
        self._heads: dict[bool, set[tuple[str, str, str]]] = {}  # every distinct target ``references`` met

    def about(self, subjects: Collection[Subject]) -> RepositoryIndex:
        """This index with only ``subjects`` to check; the two share what they looked up (one update runs
        every rule over one state of the facts: a key one rule resolved is not looked up again)."""
        other = RepositoryIndex(self.facts, subjects=subjects, loader=self.loader, files=self.files)
        other._loaded, other._picked, other._definitions, other._term_keys, other._rows, other._defined = (
            self._loaded,
            self._picked,
            self._definitions,
            self._term_keys,
            self._rows,
            self._defined,
        )
        return other

    # -- what a rule checks --------------------------------------------------

    def _load(self, pairs: Collection[Subject]) -> list[Entity]:
        """The entities of these (path, key) pairs, in path order (each read once, then kept)."""
        loaded = self._loaded
        if len(pairs) == 1:  # one key of one file (a definition): in document order already
            (pair,) = pairs
            entities = loaded.get(pair)
            return list(entities if entities is not None else self._pick(pair))
        found: list[Entity] = []
        for pair in set(pairs):
            entities = loaded.get(pair)
            found.extend(entities if entities is not None else self._pick(pair))
        found.sort(key=_order)
        return found

    def _pick(self, pair: Subject) -> list[Entity]:
        """A pair not looked up yet: picked out of its file (``Facts.entity``), so that a change naming
        ten of a file's thousands of people reads those ten; a file asked of again and again (a report
        over the whole repository) is read whole, once."""
        if self._held:
            return self.facts.entity(*pair)
        path = pair[0]
        picked = self._picked.get(path, 0)
        if picked < _PICKS_AT_MOST:
            self._picked[path] = picked + 1
            entities = self._loaded[pair] = self.facts.entity(*pair)
            return entities
        self._load_file(path)
        return self._loaded.setdefault(pair, [])

    def _load_file(self, path: str) -> list[Entity]:
        """Every entity of one file, kept by key: the objects lookups return, so that ``is`` holds."""
        if self._held:
            return self.facts.entities(path)
        groups: dict[str, list[Entity]] = {}
        for entity in self.facts.entities(path):
            groups.setdefault(entity.key, []).append(entity)
        return [e for key, group in groups.items() for e in self._loaded.setdefault((path, key), group)]

    @property
    def entities(self) -> list[Entity]:
        """Every entity of the repository, in path order (reads every file's facts)."""
        if self._all is None:
            found = [entity for path in sorted(self.facts.paths()) for entity in self._load_file(path)]
            found.sort(key=_order)
            self._all = found
        return self._all

    def subjects(self, *kinds: str) -> list[Entity]:
        """The entities to check (of ``kinds``, if given), in path order."""
        if self._subjects is None:  # every entity: of some kinds, found by their key rows alone
            return list(self.of_kind(*kinds)) if kinds else self.entities
        found = self._load(self._subjects)
        return [e for e in found if e.kind in kinds] if kinds else found

    @property
    def whole(self) -> bool:
        """Whether every entity is checked (a run over the whole repository, not an update): a rule may
        then walk the repository once instead of looking each subject's neighbours up."""
        return self._subjects is None

    def is_subject(self, entity: Entity) -> bool:
        """Whether this entity is checked (and so may be reported at) in this run."""
        return self._subjects is None or (entity.path, entity.key) in self._subjects

    is_reported = is_subject  # the name of version 1

    # -- lookups by key ------------------------------------------------------

    def _with_role(self, key: str, *roles: int) -> list[Subject]:
        found = self._rows.get((key, roles))
        if found is None:
            found = sorted({(p, e) for p, e, _ in self.facts.rows(key, roles)})
            if self._keeps(found):
                self._rows[(key, roles)] = found
        return found

    def _keeps(self, found: Collection[object]) -> bool:
        """Whether to keep an answer for the rest of the run: facts in memory answer a key of a few rows
        at once, so only an answer that costs more to make again is kept (at 50,000 files, a run over
        the whole repository kept 100 MB of answers of one row each)."""
        return not self._held or len(found) > _SCAN_AT_MOST

    def definitions(self, key: str) -> list[Entity]:
        """Every entity with this ``KIND:ID`` key, in path order (several only when ids clash)."""
        found = self._definitions.get(key)
        if found is None:
            pairs = self._with_role(key, DEFINES)
            found = [e for e in self._load(pairs) if e.key == key]
            if self._keeps(pairs):
                self._definitions[key] = found
        return found

    def resolve(self, reference: str) -> Entity | None:
        """The entity a ``KIND:ID`` reference names (the first if several share it)."""
        first = self._first_of_key()
        if first is not None:
            return first.get(reference)
        found = self.definitions(reference)
        return found[0] if found else None

    def _first_of_key(self) -> dict[str, Entity] | None:
        """Once every entity is read (``entities``): each key's first entity, made once, for lookups
        that a run over the whole repository makes of every target (no key rows are read for them)."""
        if self._first is None and self._all is not None:
            # in path order from the end: a key's first entity is written last, and stays
            self._first = {entity.key: entity for entity in reversed(self._all)}
        return self._first

    def defines(self, reference: str) -> bool:
        """Whether some entity has this ``KIND:ID`` key: its key rows say, no facts are read (a file of
        thousands of people is not decoded to learn that one of them is there), unless every entity
        is read already."""
        first = self._first_of_key()
        if first is not None:
            return reference in first
        known = self._defined.get(reference)
        if known is None:
            found = self._definitions.get(reference)
            if found is None:
                rows = self._rows.get((reference, (DEFINES,)))  # asked before by ``definitions``
                pairs = rows if rows is not None else self.facts.rows(reference, (DEFINES,))
                known = any(pair[1] == reference for pair in pairs)
            else:
                known = bool(found)
            # the answer alone is kept: a run over the whole repository asks it of every target
            if not self._held:
                self._defined[reference] = known
        return known

    def referrers(self, *keys: str) -> list[Entity]:
        """Every entity whose spec names ``key`` (one of ``keys``), in path order, each once."""
        return self._load([pair for key in keys for pair in self._with_role(key, MENTIONS)])

    def ids(self, kind: str) -> list[str]:
        """The id of every entity of ``kind``, in path order, read from the key rows alone (no facts)."""
        return [key.partition(":")[2] for _, key in self._with_role(KIND_KEY + kind, DEFINES)]

    def of_kind(self, *kinds: str) -> Iterator[Entity]:
        """Every entity of these kinds, in path order."""
        if self._all is not None:  # every entity is read already (and in order): a pass picks them
            return (e for e in self._all if e.kind in kinds)
        pairs = [pair for kind in kinds for pair in self._with_role(KIND_KEY + kind, DEFINES)]
        return (e for e in self._load(pairs) if e.kind in kinds)

    def terms(self, *, slug: str | None = None, family: str | None = None) -> Iterator[Term]:
        """Defined terms: Glossary terms first, then by path order; only one slug's or one family's
        when asked (read lazily: taking the first reads only the files it needs)."""
        if slug is None and family is None:
            yield from sorted((t for e in self.entities for t in e.terms), key=_term_order)
            return
        key = "term:" + slug if slug is not None else FAMILY_KEY + (family or "")
        for role in (DEFINES, DEFINES_LOCALLY):
            by_path: dict[str, list[Subject]] = {}
            for pair in self._with_role(key, role):
                by_path.setdefault(pair[0], []).append(pair)
            for pairs in by_path.values():  # in path order: the lazy walk stops at the first it needs
                wanted = slug if slug is not None else family or ""
                found = [
                    t
                    for e in self._load(pairs)
                    for t in self._terms_by(e)[0 if slug is not None else 1].get(wanted, ())
                    if t.glossary == (role == DEFINES)
                ]
                yield from sorted(found, key=_term_order)

    def _terms_by(self, entity: Entity) -> tuple[dict[str, list[Term]], dict[str, list[Term]]]:
        """An entity's terms by slug and by family, grouped once per entity."""
        kept = self._term_keys.get(id(entity))
        if kept is None or kept[0] is not entity:
            by_slug: dict[str, list[Term]] = {}
            by_family: dict[str, list[Term]] = {}
            for t in entity.terms:
                by_slug.setdefault(t.slug, []).append(t)
                by_family.setdefault(t.family, []).append(t)
            kept = self._term_keys[id(entity)] = (entity, by_slug, by_family)
        return kept[1], kept[2]

    def glossary(self) -> list[Term]:
        """Every Glossary term, in path order."""
        return sorted((t for e in self.of_kind("Glossary") for t in e.terms if t.glossary), key=_term_order)

    def references(
        self,
        *,
        reported_only: bool = True,
        kinds: Collection[str] | None = None,
        unless: Callable[[str], bool] | None = None,
    ) -> Iterator[Reference]:
        """The references of the subjects (of some kinds, or whose target ``unless`` does not accept).

        Each target is asked of once, before the first is yielded: the targets
        wanted are picked out of every distinct one, and then only entities that
        name one of them are read reference by reference (in a clean repository,
        none is).
        """
        entities = self.subjects() if reported_only else self.entities
        heads = self._heads.get(reported_only)
        if heads is None:  # the same for every rule that asks (in a run over the whole repository, a few)
            heads = self._heads[reported_only] = set()
            for entity in entities:
                heads.update(entity.references.heads)
        wanted = {
            head
            for head in heads
            if (kinds is None or head[1] in kinds) and (unless is None or not unless(head[0]))
        }
        if not wanted:
            return
        for entity in entities:
            references = entity.references
            if not wanted.isdisjoint(references.heads):
                yield from (references[at] for at, head in enumerate(references.heads) if head in wanted)

    def document(self, entity: Entity) -> Document | None:
        """Load the whole document of an entity (parses its file: only for rules that declare no ``reads``)."""
        if self.loader is None:
            return None
        for doc in self.loader(entity.path):
            if doc.index == entity.document:
                return doc
        return None
