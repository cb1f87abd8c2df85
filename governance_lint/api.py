"""The rule API: the one import path for built-in and plugin rules alike.

A rule is a value: its identity (code, name, default severity, the kinds it
applies to, whether it needs the whole repository), its options with a JSON
Schema, its documentation, and one or two check functions::

    from governance_lint.api import Severity, document_rule

    @document_rule(code="ACME001", name="activity-has-inputs",
                   severity=Severity.WARNING, kinds=["Process", "Practice"],
                   summary="every activity names its inputs")
    def activity_has_inputs(doc, ctx):
        '''...documentation with an "Example (fails)" and "Use instead (passes)"...'''
        for i, activity in enumerate(ctx.items(doc.spec, "activities")):
            if not activity.get("inputs"):
                ctx.report(("spec", "activities", i), f"activity '{activity.get('id')}' names no inputs")

``document_rule`` checks one document at a time; ``repository_rule`` checks
the repository index (``ctx.index``) and reports at the sites it holds.

A repository rule declares the facts it ``reads`` (``FACTS``, or ``spec.<field>``
paths whose values the index then holds for it, so it never parses a
document). With ``reads`` declared it checks ``index.subjects()`` and reaches
other entities only through keys (``resolve``, ``definitions``, ``referrers``,
``terms``): after a change only the subjects the change can affect are
checked again.  ``scope="repository"`` says its findings may depend on any
entity of its ``kinds`` (it then runs over every subject when one of those
changes).  A rule that declares nothing runs over the whole repository on
every change and may call ``index.document``.
"""

from __future__ import annotations

import datetime as _dt
import inspect
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .directory import Directory
from .index import Entity, RepositoryIndex, Site
from .model import Diagnostic, Document, NodePath, Role, Severity

__all__ = [
    "FACTS",
    "Context",
    "Diagnostic",
    "Document",
    "DocumentContext",
    "Entity",
    "RepositoryContext",
    "RepositoryIndex",
    "Role",
    "Rule",
    "RuleError",
    "Severity",
    "Site",
    "document_rule",
    "repository_rule",
]

CODE_RE = re.compile(r"^[A-Z]{2,6}[0-9]{3}$")
NAME_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
#: Facts a repository rule may declare it reads, besides ``spec.<field>`` values. Every rule sees the
#: entities' identity (kind, id, name, site, active); "glossary" is every Glossary term at once.
#: "ids" is every id of every kind (for did-you-mean): when ids come or go, a rule reading it checks again
#: the entities it has findings at, besides those the change affects.
#: "procedures" are the activities' procedures written as repository paths; a rule reading them asks
#: ``index.files`` which paths exist, so its findings also follow the repository's file listing.
FACTS = frozenset({"references", "terms", "interfaces", "responsible", "glossary", "ids", "procedures"})
FIELD_RE = re.compile(r"^spec(\.[A-Za-z0-9_-]+)+$")
SCOPES = ("subjects", "repository")
ROLES = (Role.SYNTAX, Role.SCHEMA, Role.UNUSED_SUPPRESSION, Role.WAIVER, Role.ENVELOPE, Role.UNRESOLVED)

DocumentCheck = Callable[[Document, "DocumentContext"], None]
RepositoryCheck = Callable[[RepositoryIndex, "RepositoryContext"], None]


class RuleError(Exception):
    """A rule definition is malformed (raised at load time, never while checking)."""


@dataclass(frozen=True)
class Rule:
    """A governance rule: identity, options, documentation and checks."""

    code: str
    name: str
    severity: Severity
    summary: str
    doc: str = ""
    kinds: frozenset[str] | None = None  # None: every governance kind
    repo: bool = False
    options: Mapping[str, Any] = field(default_factory=dict)  # JSON Schema of each option
    check: DocumentCheck | None = None
    check_repository: RepositoryCheck | None = None
    source: str = "builtin"
    #: the facts ``check_repository`` reads (None: undeclared, it sees everything on every run)
    reads: frozenset[str] | None = None
    #: "subjects": a finding depends on its subject and what it reaches by key; "repository": on any entity
    scope: str = "subjects"
    #: what this rule stands for in the core (``Role``): the loader's and the filters' findings take its code
    role: str | None = None
    #: (rule code, node) pairs: a finding of this rule on an entity stays quiet when that rule reports the
    #: same entity at that node or below it (the finding would only be a consequence of that one)
    defers_to: frozenset[tuple[str, str]] = frozenset()

    @property
    def fields(self) -> frozenset[str]:
        """The ``spec.<field>`` values the rule declared it reads."""
        return frozenset(r for r in self.reads or () if r.startswith("spec."))

    def __post_init__(self) -> None:
        object.__setattr__(self, "doc", _dedent(self.doc))

    def applies_to(self, kind: str | None) -> bool:
        return self.kinds is None or kind in self.kinds

    def defaults(self) -> dict[str, Any]:
        return {name: schema["default"] for name, schema in self.options.items() if "default" in schema}

    def options_schema(self) -> dict[str, Any]:
        return {"type": "object", "properties": dict(self.options), "additionalProperties": False}

    def validate(self) -> None:
        """Raise RuleError when the identity is malformed."""
        where = f"rule {self.code!r} from {self.source}"
        if not CODE_RE.match(self.code):
            raise RuleError(f"{where}: code must match {CODE_RE.pattern}")
        if self.code.startswith("GOV") and self.source != "builtin":
            raise RuleError(f"{where}: the GOV prefix is reserved for built-in rules")
        if not NAME_RE.match(self.name):
            raise RuleError(f"{where}: name {self.name!r} must be lower-case words joined by '-'")
        if not isinstance(self.severity, Severity):
            raise RuleError(f"{where}: severity must be error, warning or info")
        if self.check is None and self.check_repository is None and self.role is None:
            raise RuleError(f"{where}: it has no check")  # only a rule standing for a role may have none
        if self.role is not None and (self.role not in ROLES or self.source != "builtin"):
            raise RuleError(f"{where}: role {self.role!r} is not one a rule can take")
        unknown = sorted(r for r in self.reads or () if r not in FACTS and not FIELD_RE.match(r))
        if unknown:
            raise RuleError(
                f"{where}: reads {unknown[0]!r}, which is not a fact (one of "
                f"{', '.join(sorted(FACTS))}, or spec.<field>)"
            )
        if self.scope not in SCOPES:
            raise RuleError(f"{where}: scope must be one of {', '.join(SCOPES)}")
        if not self.summary:
            raise RuleError(f"{where}: it has no summary")
        for code, node in sorted(self.defers_to):
            if not CODE_RE.match(code) or not node or node.startswith("/") or node.endswith("/"):
                raise RuleError(f"{where}: defers_to ({code!r}, {node!r}) is not (a rule code, a node name)")


def _rule_decorator(repo: bool, **identity: Any) -> Callable[[Callable[..., None]], Rule]:
    def wrap(fn: Callable[..., None]) -> Rule:
        role = identity.pop("role", None)
        doc = (
            identity.pop("doc", None) or fn.__doc__ or getattr(sys.modules.get(fn.__module__), "__doc__", "")
        )
        severity = identity.pop("severity")
        kinds = identity.pop("kinds", None)
        reads = identity.pop("reads", None)
        defers_to = frozenset((code, node) for code, node in identity.pop("defers_to", ()))
        return Rule(
            defers_to=defers_to,
            role=role,
            reads=frozenset(reads) if reads is not None else None,
            severity=Severity.parse(severity) if isinstance(severity, str) else severity,
            kinds=frozenset(kinds) if kinds is not None else None,
            doc=doc or "",
            repo=repo,
            check=None if repo else fn,
            check_repository=fn if repo else None,
            **identity,
        )

    return wrap


def document_rule(
    *,
    code: str,
    name: str,
    severity: Severity | str,
    summary: str,
    kinds: Iterable[str] | None = None,
    options: Mapping[str, Any] | None = None,
    doc: str | None = None,
    source: str = "builtin",
    role: str | None = None,
    defers_to: Iterable[tuple[str, str]] = (),
) -> Callable[[DocumentCheck], Rule]:
    """Define a rule that checks one document at a time."""
    return _rule_decorator(
        False,
        code=code,
        name=name,
        severity=severity,
        summary=summary,
        kinds=kinds,
        options=dict(options or {}),
        doc=doc,
        source=source,
        role=role,
        defers_to=defers_to,
    )


def repository_rule(
    *,
    code: str,
    name: str,
    severity: Severity | str,
    summary: str,
    kinds: Iterable[str] | None = None,
    options: Mapping[str, Any] | None = None,
    doc: str | None = None,
    source: str = "builtin",
    reads: Iterable[str] | None = None,
    scope: str = "subjects",
    role: str | None = None,
    defers_to: Iterable[tuple[str, str]] = (),
) -> Callable[[RepositoryCheck], Rule]:
    """Define a rule that checks the repository index: the facts it ``reads``, over its subjects."""
    return _rule_decorator(
        True,
        code=code,
        name=name,
        severity=severity,
        summary=summary,
        kinds=kinds,
        options=dict(options or {}),
        doc=doc,
        source=source,
        reads=reads,
        scope=scope,
        role=role,
        defers_to=defers_to,
    )


def _dedent(text: str) -> str:
    return inspect.cleandoc(text)


@dataclass
class Context:
    """What every check receives besides its subject."""

    rule: Rule
    severity: Severity
    options: Mapping[str, Any]
    run_date: _dt.date
    findings: list[Diagnostic] = field(default_factory=list)
    #: the days (ordinals, end excluded) over which what the check found holds; None: whatever the date
    valid: tuple[int, int] | None = None

    @property
    def today(self) -> _dt.date:
        """Today's date (``--today``, config ``today``, else the clock).

        A check that reads it has its findings found again on any other day;
        one that only compares against a date asks ``reached`` instead and keeps
        its findings until the answer changes.
        """
        day = self.run_date.toordinal()
        self._hold(day, day + 1)
        return self.run_date

    def reached(self, day: _dt.date) -> bool:
        """Whether ``day`` has come: today is ``day`` or later."""
        today, boundary = self.run_date.toordinal(), day.toordinal()
        if today >= boundary:
            self._hold(boundary, _dt.date.max.toordinal() + 1)
            return True
        self._hold(_dt.date.min.toordinal(), boundary)
        return False

    def _hold(self, start: int, end: int) -> None:
        if self.valid is not None:
            start, end = max(start, self.valid[0]), min(end, self.valid[1])
        self.valid = (start, end)

    @staticmethod
    def items(mapping: Any, key: str) -> list[Any]:
        """``mapping[key]`` when it is a list, else an empty list (data may be invalid)."""
        value = mapping.get(key) if isinstance(mapping, dict) else None
        return value if isinstance(value, list) else []

    @staticmethod
    def mapping(mapping: Any, key: str) -> dict[str, Any]:
        """``mapping[key]`` when it is a mapping, else an empty one."""
        value = mapping.get(key) if isinstance(mapping, dict) else None
        return value if isinstance(value, dict) else {}

    def _add(
        self, path: str, line: int, column: int, message: str, entity: str | None, node: str | None
    ) -> None:
        self.findings.append(
            Diagnostic(
                path=path,
                line=line,
                column=column,
                code=self.rule.code,
                name=self.rule.name,
                severity=self.severity,
                message=message,
                entity=entity,
                node=node,
            )
        )

    def report_at(self, doc: Document, path: NodePath, message: str, *, key: bool = False) -> None:
        """Report a finding at a node of ``doc``; its position is found for you."""
        pos = doc.position(path, key=key)
        self._add(doc.path, pos.line, pos.column, message, doc.entity, doc.node_name(path))


@dataclass
class DocumentContext(Context):
    document: Document | None = None

    def report(self, path: NodePath, message: str, *, key: bool = False) -> None:
        """Report a finding at ``path`` of the document being checked."""
        assert self.document is not None
        self.report_at(self.document, path, message, key=key)


@dataclass
class RepositoryContext(Context):
    index: RepositoryIndex = field(default_factory=RepositoryIndex)
    #: the config's directory snapshot (SPEC §13); None without a ``directory:`` in the config
    directory: Directory | None = None

    def report(self, site: Site, message: str) -> None:
        """Report a finding at a site taken from the index."""
        self._add(site.path, site.line, site.column, message, site.entity, site.node)
