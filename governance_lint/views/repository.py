"""The repository as the reports and the site see it: documents as plain data, and the findings.

This is the one place the views touch the checking pipeline.  ``load_repository``
runs ``check``'s pipeline (config, discovery, the cached per-file analysis, the
repository rules, suppressions and baseline) and keeps, for every governance
document, its plain data and a way to find the line of each of its nodes.  The
views read only ``Repository`` and ``Doc``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeGuard

from ..config import Config
from ..discovery import discover, read_file
from ..model import REFERENCE_RE, Diagnostic, Document, Limits, Problem, Summary

VIEW_FORMAT = 1
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
class Repository:
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
        doc = self.resolve(reference)
        if doc is not None:
            return doc.name
        if self.name_of is None:
            return reference
        if reference not in self._names:
            self._names[reference] = self.name_of(reference) or reference
        return self._names[reference]

    def findings_of(self, doc: Doc) -> list[Diagnostic]:
        return [d for d in self.findings if d.path == doc.path and d.entity == doc.key]


def is_party(value: Any) -> TypeGuard[str]:
    """Whether ``value`` is a ``person:ID`` or ``team:ID`` reference."""
    if not isinstance(value, str):
        return False
    match = REFERENCE_RE.match(value)
    return match is not None and match.group(1) in PARTY_KINDS


@dataclass(frozen=True)
class LoadSettings:
    paths: tuple[Path, ...] = ()
    config: Path | None = None
    today: dt.date | None = None
    cwd: Path | None = None
    isolated: bool = False  # --isolated: the repository's own config and plugins are ignored


def load_repository(settings: LoadSettings) -> Repository:
    """Run ``check``'s pipeline over the paths and keep the documents and the findings."""
    from ..engine import Selection, make_plan
    from ..repository import Repository as Model
    from ..runner import build_registry, resolve_config
    from ..suppress import baseline_path, make_filters

    cwd = settings.cwd or Path.cwd()
    config = resolve_config(settings.config, cwd, settings.paths, settings.isolated)
    registry = build_registry(config)
    today = settings.today or config.today or dt.date.today()
    plan = make_plan(registry, config, Selection(), today)
    files = discover(config, settings.paths, cwd)
    for name in files.missing:
        raise FileNotFoundError(f"{name}: no such file or directory")
    filters = make_filters(config, registry, plan, files.reported, baseline_path(None, cwd, config))
    # check's repository model, its stored state reused: a report after a check parses nothing again
    model = Model.build_from_worktree(config, plan, files, use_cache=True, jobs=os.cpu_count() or 1)
    result = model.result(files.reported, filters)

    documents: list[Doc] = []
    store = DocumentCache(files.root, plan.limits)
    for file_result in result.files:
        entities = model.facts.entities(file_result.path) if file_result.path in files.reported else []
        if entities:
            wanted = {e.document for e in entities}
            documents += store.documents(file_result.path, wanted)
    store.save()
    return Repository(
        root=files.root,
        today=today,
        documents=documents,
        findings=result.diagnostics,
        summary=result.summary,
        max_activities=int(_option(registry, config, OVERLOAD_RULE, "max-activities")),
        cycle_days=int(_option(registry, config, REVIEW_RULE, "cycle-days")),
        name_of=_name_lookup(model.facts),
    )


def _name_lookup(facts: Any) -> Callable[[str], str | None]:
    """The display name of any entity of the repository, by reference, from check's facts."""
    from ..index import RepositoryIndex

    index = RepositoryIndex(facts)

    def name_of(reference: str) -> str | None:
        entity = index.resolve(reference)
        return None if entity is None else entity.name or entity.key.partition(":")[2]

    return name_of


class DocumentCache:
    """The views of each file's documents, kept beside check's cache and keyed by the file's bytes.

    ``check``'s cache keeps facts, not documents; without this a report would parse every file again.
    """

    def __init__(self, root: Path, limits: Limits) -> None:
        import governance_lint

        from ..cache import repository_folder

        self._root, self._limits = root, limits
        self._path = repository_folder(root) / "views.json"
        self._stamp = [
            governance_lint.__version__,
            VIEW_FORMAT,
            limits.max_file_bytes,
            limits.max_depth,
            limits.max_alias_nodes,
        ]
        self._entries: dict[str, Any] = {}
        self._kept: dict[str, Any] = {}
        self._changed = False
        try:
            with open(self._path, encoding="utf-8") as stream:
                raw = json.load(stream)
            if (
                isinstance(raw, dict)
                and raw.get("stamp") == self._stamp
                and isinstance(raw.get("files"), dict)
            ):
                self._entries = raw["files"]
        except (OSError, ValueError):
            pass

    def documents(self, path: str, wanted: set[int]) -> list[Doc]:
        from ..loader import load

        content = read_file(self._root, path, self._limits.max_file_bytes)
        if isinstance(content, Problem):
            return []
        key = hashlib.sha256(content).hexdigest()
        entry = self._entries.get(path)
        if not (isinstance(entry, list) and len(entry) == 2 and entry[0] == key):
            docs = [
                [d.index, Doc.of(d).to_json()]
                for d in load(path, content, self._limits).documents
                if d.is_governance and isinstance(d.data, dict)
            ]
            entry = [key, docs]
            self._changed = True
        self._kept[path] = entry
        return [Doc.from_json(path, raw) for index, raw in entry[1] if index in wanted]

    def save(self) -> None:
        """Write the cache when a file was parsed (best effort: a read-only cache folder is fine)."""
        if not self._changed and len(self._kept) == len(self._entries):
            return
        from ..safe_write import write_text_atomically

        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            text = json.dumps({"stamp": self._stamp, "files": self._kept}, separators=(",", ":"))
            write_text_atomically(self._path, text)
        except (OSError, ValueError):
            pass


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
