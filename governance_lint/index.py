"""The repository: every entity by kind and id, with the facts repo rules need.

Each file is reduced to compact, JSON-able facts (entities, references, terms,
interfaces, each with its site) right after it is loaded, so the index of a
large repository stays small, can be cached per file, and never holds parse
trees.  Rules that need a whole document can ask ``RepositoryIndex.document``,
which loads it on demand.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .model import REFERENCE_KINDS, REFERENCE_RE, Document, NodePath, term_slug

_REFERENCE_KINDS = frozenset(REFERENCE_KINDS)
# A Responsible as node names give it: the activity (by id) and, for a list, the item.
_RESPONSIBLE_NODE = re.compile(r"^spec/activities/(.+)/raci/responsible(?:/\d+)?$")


# Site, Reference and InterfaceItem are named tuples, not dataclasses: a large
# repository holds about a hundred of each per process file, and a cached run
# rebuilds them all; a tuple is built three times faster.
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
    """A ``KIND:ID`` string found in a document, e.g. ``person:windy`` at spec/owner."""

    target: str
    kind: str
    id: str
    site: Site


@dataclass(frozen=True, slots=True)
class Term:
    """A term defined (``term`` + ``definition``) in a Glossary or a process."""

    term: str
    slug: str
    definition: str | None
    glossary: bool
    site: Site


class InterfaceItem(NamedTuple):
    item: str
    site: Site


@dataclass(frozen=True, slots=True)
class Interface:
    """``interfaces[]`` of a process: what it sends to and receives from ``process``."""

    process: str
    sends: tuple[InterfaceItem, ...]
    receives: tuple[InterfaceItem, ...]
    site: Site


@dataclass(frozen=True, slots=True)
class Entity:
    """One governance document, reduced to what repository rules need."""

    kind: str
    id: str
    key: str
    name: str | None
    site: Site  # at metadata.id
    document: int  # index of the document in its file
    active: bool = True
    terms: tuple[Term, ...] = ()
    #: (activity name, practitioner reference) for each Responsible of each activity, once per activity
    responsible: tuple[tuple[str, str], ...] = ()
    # References and interfaces, or (read from the cache) their packed JSON text, unpacked when first
    # asked for: a pre-commit run reads every file's facts but needs those of a few files only.
    _references: tuple[Reference, ...] | str = field(default=(), repr=False, compare=False)
    _interfaces: tuple[Interface, ...] | str = field(default=(), repr=False, compare=False)

    @property
    def path(self) -> str:
        return self.site.path

    @property
    def references(self) -> tuple[Reference, ...]:
        """Every ``KIND:ID`` string of the document's spec, in document order."""
        return _unpacked(self, "_references", _unpack_references)  # type: ignore[no-any-return]

    @property
    def interfaces(self) -> tuple[Interface, ...]:
        """``spec.interfaces``: what this process sends to and receives from others."""
        return _unpacked(self, "_interfaces", _unpack_interfaces)  # type: ignore[no-any-return]


class DamagedFacts(Exception):
    """Facts read back from the result cache do not decode: the cache is damaged."""


def _unpacked(entity: Entity, field_name: str, unpack: Callable[[str, str, str], Any]) -> Any:
    """A lazily unpacked field of ``entity``: unpacked once, then kept."""
    value = getattr(entity, field_name)
    if isinstance(value, str):
        try:
            value = unpack(value, entity.site.path, entity.key)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
            raise DamagedFacts(f"{entity.site.path}: {type(exc).__name__}: {exc}") from exc
        object.__setattr__(entity, field_name, value)
    return value


def _site(doc: Document, path: NodePath, key: bool = False) -> Site:
    pos = doc.position(path, key=key)
    return Site(doc.path, pos.line, pos.column, doc.entity, doc.node_name(path))


def extract_entity(doc: Document) -> Entity | None:
    """The facts of one governance document (None if it has no kind and id)."""
    kind, ident = doc.kind, doc.id
    if not kind or not ident or not doc.is_governance:
        return None
    spec = doc.spec
    metadata = doc.data.get("metadata")
    name = metadata.get("name") if isinstance(metadata, dict) else None

    references = []
    responsible: dict[tuple[str, str], None] = {}  # ordered set
    entity, file_path = doc.entity, doc.path
    found = doc.references
    if found is None:
        found = tuple((path, text, pos) for path, _, text, pos in doc.strings(("spec",), REFERENCE_RE))
    for path, text, pos in found:
        match = REFERENCE_RE.match(text)
        if match and path[:1] == ("spec",):
            node = doc.node_name(path)
            site = Site(file_path, pos.line, pos.column, entity, node)
            references.append(Reference(text, match.group(1), match.group(2), site))
            held = _RESPONSIBLE_NODE.match(node)
            if held and match.group(1) in ("person", "team"):
                responsible[(held.group(1), text)] = None

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
                        site=_site(doc, ("spec", "terms", i, "term")),
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
                    InterfaceItem(v, _site(doc, ("spec", "interfaces", i, direction, j)))
                    for j, v in enumerate(values if isinstance(values, list) else [])
                    if isinstance(v, str)
                )
            interfaces.append(
                Interface(
                    entry["process"], items["sends"], items["receives"], _site(doc, ("spec", "interfaces", i))
                )
            )

    return Entity(
        kind=kind,
        id=ident,
        key=f"{kind.lower()}:{ident}",
        name=name if isinstance(name, str) else None,
        site=_site(doc, ("metadata", "id")),
        document=doc.index,
        active=spec.get("active") is not False,
        terms=tuple(terms),
        responsible=tuple(responsible),
        _references=tuple(references),
        _interfaces=tuple(interfaces),
    )


# -- JSON round trip (for the cache and worker processes) -------------------
#
# A site in the entity's own file and document is written as [line, column,
# node]; only a site elsewhere carries its path and entity.  That keeps the
# cache of a large repository small and quick to read back.


def _site_json(site: Site, path: str, entity: str) -> list[Any]:
    if site.path == path and site.entity == entity:
        return [site.line, site.column, site.node]
    return list(site)


_new_site = tuple.__new__  # Site's fields, in order, without the argument handling


def _site_from(raw: list[Any], path: str, entity: str) -> Site:
    if len(raw) == 3:
        return _new_site(Site, (path, raw[0], raw[1], entity, raw[2]))
    return Site(*raw)


def _split_reference(target: str) -> tuple[str, str] | None:
    """``REFERENCE_RE``'s two groups, by ``partition`` when the target is one line (the usual case)."""
    if "\n" not in target:
        kind, _, ident = target.partition(":")
        return (kind, ident) if kind in _REFERENCE_KINDS and ident else None
    match = REFERENCE_RE.match(target)
    return (match.group(1), match.group(2)) if match else None


def _pack_references(entity: Entity) -> str:
    refs = entity._references
    if isinstance(refs, str):
        return refs
    return json.dumps(
        [[r.target, r.site.line, r.site.column, r.site.node] for r in refs],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _unpack_references(packed: str, path: str, entity: str) -> tuple[Reference, ...]:
    references = []
    for target, line, column, node in json.loads(packed):
        split = _split_reference(target)
        if split is not None:
            references.append(
                Reference(target, split[0], split[1], _new_site(Site, (path, line, column, entity, node)))
            )
    return tuple(references)


ENTITY_FIELDS = 10  # items in an entity's JSON form


def _pack_interfaces(entity: Entity) -> str:
    if isinstance(entity._interfaces, str):
        return entity._interfaces
    path, key = entity.site.path, entity.key
    return json.dumps(
        [
            [
                i.process,
                [[x.item, _site_json(x.site, path, key)] for x in i.sends],
                [[x.item, _site_json(x.site, path, key)] for x in i.receives],
                _site_json(i.site, path, key),
            ]
            for i in entity.interfaces
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _unpack_interfaces(packed: str, path: str, key: str) -> tuple[Interface, ...]:
    return tuple(
        Interface(
            p,
            tuple(InterfaceItem(x, _site_from(s, path, key)) for x, s in sends),
            tuple(InterfaceItem(x, _site_from(s, path, key)) for x, s in recv),
            _site_from(s0, path, key),
        )
        for p, sends, recv, s0 in json.loads(packed)
    )


def _filtered(
    packed: str, entity: Entity, kinds: Collection[str] | None, unless: Callable[[str], bool] | None
) -> Iterator[Reference]:
    path, key = entity.site.path, entity.key
    try:
        found = [(target, line, column, node) for target, line, column, node in json.loads(packed)]
    except (ValueError, TypeError) as exc:
        raise DamagedFacts(f"{path}: {type(exc).__name__}: {exc}") from exc
    for target, line, column, node in found:
        split = _split_reference(target)
        if split is None or (kinds is not None and split[0] not in kinds):
            continue
        if unless is None or not unless(target):
            yield Reference(target, split[0], split[1], _new_site(Site, (path, line, column, key, node)))


def entity_to_json(entity: Entity) -> list[Any]:
    path, key = entity.site.path, entity.key
    return [
        entity.kind,
        entity.id,
        entity.name,
        list(entity.site),
        entity.document,
        entity.active,
        _pack_references(entity),
        [[t.term, t.definition, t.glossary, _site_json(t.site, path, key)] for t in entity.terms],
        _pack_interfaces(entity),
        [list(pair) for pair in entity.responsible],
    ]


def entity_from_json(raw: list[Any]) -> Entity:
    kind, ident, name, site, document, active, refs, terms, ifaces, responsible = raw
    if not isinstance(refs, str) or not isinstance(ifaces, str):
        raise ValueError("references and interfaces are packed as JSON text")
    own = Site(*site)
    path, key = own.path, f"{kind.lower()}:{ident}"
    return Entity(
        kind=kind,
        id=ident,
        key=key,
        name=name,
        site=own,
        document=document,
        active=active,
        terms=tuple([Term(t, term_slug(t), d, g, _site_from(s, path, key)) for t, d, g, s in terms]),
        responsible=tuple([(activity, target) for activity, target in responsible]),
        _references=refs,
        _interfaces=ifaces,
    )


@dataclass
class RepositoryIndex:
    """Every entity of the repository, in path order, looked up by reference."""

    entities: list[Entity] = field(default_factory=list)
    loader: Callable[[str], tuple[Document, ...]] | None = field(default=None, repr=False)
    #: files whose findings are shown (None: every file); findings elsewhere are dropped
    reported: frozenset[str] | None = None
    _by_key: dict[str, list[Entity]] = field(default_factory=dict, repr=False)

    @classmethod
    def build(
        cls,
        entities: Iterable[Entity],
        loader: Callable[[str], tuple[Document, ...]] | None = None,
        reported: frozenset[str] | None = None,
    ) -> RepositoryIndex:
        ordered = sorted(entities, key=lambda e: (e.site.path, e.document, e.site.line, e.site.column))
        index = cls(ordered, loader, reported)
        for entity in ordered:
            index._by_key.setdefault(entity.key, []).append(entity)
        return index

    def resolve(self, reference: str) -> Entity | None:
        """The entity a ``KIND:ID`` reference names (the first if several share it)."""
        found = self._by_key.get(reference)
        return found[0] if found else None

    def definitions(self, key: str) -> list[Entity]:
        """Every entity with this key, in path order (several only when ids clash)."""
        return self._by_key.get(key, [])

    def of_kind(self, *kinds: str) -> Iterator[Entity]:
        return (e for e in self.entities if e.kind in kinds)

    def is_reported(self, entity: Entity) -> bool:
        """Whether findings in this entity's file are shown: a rule may skip the others' work."""
        return self.reported is None or entity.site.path in self.reported

    def defines(self, reference: str) -> bool:
        """Whether some entity has this ``KIND:ID`` key."""
        return reference in self._by_key

    def references(
        self,
        *,
        reported_only: bool = False,
        kinds: Collection[str] | None = None,
        unless: Callable[[str], bool] | None = None,
    ) -> Iterator[Reference]:
        """The references of the repository: only those in reported files (where findings can go),
        of some kinds, or whose target ``unless`` does not accept, when asked.

        Filtering here is what keeps a large repository fast: references still
        packed (read from the cache) are only unpacked when they pass.
        """
        for entity in self.entities:
            if reported_only and not self.is_reported(entity):
                continue
            packed = entity._references
            if isinstance(packed, str) and (kinds is not None or unless is not None):
                yield from _filtered(packed, entity, kinds, unless)
                continue
            for ref in entity.references:
                if (kinds is None or ref.kind in kinds) and (unless is None or not unless(ref.target)):
                    yield ref

    def terms(self) -> list[Term]:
        """Every defined term: Glossary terms first, then by path order."""
        found = [t for e in self.entities for t in e.terms]
        return sorted(found, key=lambda t: (not t.glossary, t.site.path, t.site.line, t.site.column))

    def document(self, entity: Entity) -> Document | None:
        """Load the whole document of an entity (parses its file on demand)."""
        if self.loader is None:
            return None
        for doc in self.loader(entity.path):
            if doc.index == entity.document:
                return doc
        return None
