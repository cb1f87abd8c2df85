"""The repository as the reports and the site see it: documents as plain data, and the findings.

This is the one place the views touch the checking pipeline.  ``load_repository``
reads the workspace's model (the cached per-file analysis, the repository rules,
suppressions and baseline, exactly as ``check`` reports them) and keeps, for
every governance document, its plain data and a way to find the line of each of
its nodes.  The views read only ``RepositoryView`` and ``Doc``.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeGuard

from ..config import Config
from ..envelope import envelope_problem
from ..index import RepositoryIndex, extract_entity
from ..model import REFERENCE_RE, Diagnostic, Document, Summary
from ..suppress import Waiver, waivers
from ..workspace import Workspace

PROCESS_KINDS = ("Process", "Practice")
PARTY_KINDS = ("person", "team")
OVERLOAD_RULE, REVIEW_RULE = "GOV205", "GOV502"


@dataclass(frozen=True)
class Doc:
    """One governance document: its kind, id, plain data, and the line of its id and of each reference."""

    kind: str
    id: str
    data: dict[str, Any]
    path: str
    #: node path (``spec/managers/0/person``) -> line, for ``metadata/id`` and every ``KIND:ID`` string
    lines: dict[str, int] = field(repr=False, compare=False)

    @property
    def key(self) -> str:
        """The document's reference, e.g. ``process:incident-management``."""
        return f"{self.kind.lower()}:{self.id}"

    @property
    def name(self) -> str:
        """The display name, else the id."""
        metadata = self.data.get("metadata")
        name = metadata.get("name") if isinstance(metadata, dict) else None
        return name if isinstance(name, str) and name else self.id

    @property
    def metadata(self) -> dict[str, Any]:
        metadata = self.data.get("metadata")
        return metadata if isinstance(metadata, dict) else {}

    @property
    def spec(self) -> dict[str, Any]:
        spec = self.data.get("spec")
        return spec if isinstance(spec, dict) else {}

    @property
    def line(self) -> int:
        """The line of ``metadata.id``."""
        return self.line_of("metadata", "id")

    def line_of(self, *node: str | int) -> int:
        """The line of a reference at ``node`` (``"spec", "managers", 0, "person"``), else of the id."""
        return self.lines.get("/".join(map(str, node))) or self.lines.get("metadata/id", 1)

    def to_json(self) -> list[Any]:
        return [self.kind, self.id, self.data, self.lines]

    @classmethod
    def from_json(cls, path: str, raw: list[Any]) -> Doc:
        kind, ident, data, lines = raw
        return cls(kind, ident, data, path, lines)

    @classmethod
    def of(cls, document: Document) -> Doc:
        """The view of one loaded document."""
        lines = {"metadata/id": document.position(("metadata", "id")).line}
        for node, _, _, position in document.strings(("spec",), REFERENCE_RE):
            lines["/".join(map(str, node))] = position.line
        return cls(document.kind or "", document.id or "", document.data, document.path, lines)

    def items(self, *node: str) -> list[Any]:
        """The list at ``spec.<node>`` (empty when absent or not a list)."""
        value: Any = self.spec
        for step in node:
            value = value.get(step) if isinstance(value, dict) else None
        return value if isinstance(value, list) else []

    def text(self, *node: str) -> str | None:
        """The string at ``spec.<node>``, else None."""
        value: Any = self.spec
        for step in node:
            value = value.get(step) if isinstance(value, dict) else None
        return value if isinstance(value, str) else None


@dataclass
class RepositoryView:
    """Every governance document of the named paths, in path order, and the run's findings."""

    root: Path
    today: dt.date
    documents: list[Doc]
    findings: list[Diagnostic]
    summary: Summary
    #: GOV205's ``max-activities`` and GOV502's ``cycle-days`` as configured
    max_activities: int = 12
    cycle_days: int = 365
    #: the display name of an entity defined outside the named paths (a narrowed report still names people)
    name_of: Callable[[str], str | None] | None = field(default=None, repr=False)
    #: every suppression comment of the named files and every baseline entry
    waivers: list[Waiver] = field(default_factory=list)
    _by_key: dict[str, Doc] = field(default_factory=dict, repr=False)
    _names: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for doc in self.documents:
            self._by_key.setdefault(doc.key, doc)

    def of_kind(self, *kinds: str) -> Iterator[Doc]:
        return (d for d in self.documents if d.kind in kinds)

    def resolve(self, reference: str) -> Doc | None:
        """The document a ``KIND:ID`` reference names (the first when ids clash)."""
        return self._by_key.get(reference)

    def label(self, reference: str) -> str:
        """A reference's display name: its document's name (looked up in check's facts when the document
        lies outside the named paths), else the reference itself."""
        name = self._names.get(reference)
        if name is None:  # kept: a report names the same few thousand parties over and over
            doc = self.resolve(reference)
            if doc is not None:
                name = doc.name
            else:
                name = (self.name_of(reference) if self.name_of is not None else None) or reference
            self._names[reference] = name
        return name

    def findings_of(self, doc: Doc) -> list[Diagnostic]:
        return [d for d in self.findings if d.path == doc.path and d.entity == doc.key]


def is_party(value: Any) -> TypeGuard[str]:
    """Whether ``value`` is a ``person:ID`` or ``team:ID`` reference."""
    return isinstance(value, str) and _party(value)


@functools.lru_cache(maxsize=1 << 16)
def _party(text: str) -> bool:
    """``is_party`` of a string, kept: a report meets the same few thousand people and teams over and over."""
    match = REFERENCE_RE.match(text)
    return match is not None and match.group(1) in PARTY_KINDS


def load_repository(workspace: Workspace) -> RepositoryView:
    """The documents of the workspace's named paths and what ``check`` reports in them.

    The documents come from the model: each file's view data is kept in the
    run's store by content, so after one edit only that file is parsed again.
    """
    files = workspace.files
    model = workspace.model
    result = workspace.result(files.reported)
    # a file's row says whether it holds documents: no entity is decoded from the store for this
    shown = [r.path for r in result.files if r.path in files.reported and r.documents and not r.unloadable]
    views = model.views(shown, _encode)
    documents = [Doc.from_json(path, raw) for path in shown for _, raw in views[path]]
    registry, config = workspace.registry, workspace.config
    return RepositoryView(
        root=files.root,
        today=workspace.today,
        documents=documents,
        findings=result.diagnostics,
        summary=result.summary,
        max_activities=int(_option(registry, config, OVERLOAD_RULE, "max-activities")),
        cycle_days=int(_option(registry, config, REVIEW_RULE, "cycle-days")),
        name_of=_name_lookup(workspace.index),
        waivers=waivers([r for r in result.files if r.path in files.reported], workspace.baseline),
    )


def _encode(path: str, documents: tuple[Document, ...]) -> list[Any]:
    """A file's governance documents as the views keep them: ``[[index, Doc JSON], ...]``; only those
    ``check`` takes as entities (a whole envelope: kind and id)."""
    return [
        [d.index, Doc.of(d).to_json()]
        for d in documents
        if isinstance(d.data, dict) and envelope_problem(d) is None and extract_entity(d) is not None
    ]


def _name_lookup(index: RepositoryIndex) -> Callable[[str], str | None]:
    """The display name of any entity of the repository, by reference, from check's facts."""

    def name_of(reference: str) -> str | None:
        entity = index.resolve(reference)
        return None if entity is None else entity.name or entity.key.partition(":")[2]

    return name_of


def _option(registry: Any, config: Config, code: str, name: str) -> Any:
    """A rule's option as the config sets it, else its default (also when the rule is turned off)."""
    rule = registry.lookup(code)
    options = dict(rule.defaults()) if rule is not None else {}
    for selector, setting in config.rules.items():
        found = registry.lookup(selector)
        if found is not None and found.code == code:
            options.update(setting.options)
    return options.get(name)


def party_order(references: Sequence[str]) -> list[str]:
    """References in first-seen order, without repeats."""
    return list(dict.fromkeys(references))
