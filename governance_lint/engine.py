"""Runs the rules: per file (load, envelope, schema, document rules, facts), and the
repository rules over an index; then puts the findings in report order.

Per-file work is a pure function of the file's bytes and the plan, returning
a JSON-able ``FileResult``; that is what makes it storable and able to run in
worker processes.  A rule that raises is recorded as a crash (rule and file)
and the other rules still run.  Nothing here names a rule: the loader's
problems go to the rule that declares their ``Role``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import traceback
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .api import DocumentContext, RepositoryContext, Rule
from .comments import collect_suppressions
from .config import Config, RuleSetting
from .directory import Directory, directory_of
from .discovery import matches, mentions_governance
from .envelope import envelope_problem, might_be_governance, near_miss
from .index import Entity, RepositoryIndex, StoredFacts, extract_entity
from .loader import load
from .model import (
    API_PREFIX,
    DEFINED_BY,
    KINDS,
    Diagnostic,
    Document,
    Limits,
    Problem,
    Role,
    Severity,
    Summary,
    closest,
    term_slug,
)

if TYPE_CHECKING:
    from .registry import Registry

Reader = Callable[[str], "bytes | Problem"]  # a file's bytes by root-relative path, or why not


@dataclass(frozen=True)
class ActiveRule:
    rule: Rule
    severity: Severity
    options: dict[str, Any]
    #: the config's directory snapshot (SPEC §13), given to every repository rule when configured
    directory: Directory | None = None


@dataclass(frozen=True)
class Plan:
    """Everything per-file work depends on (and so everything a stored result's key must cover)."""

    rules: tuple[ActiveRule, ...]
    limits: Limits
    today: dt.date

    def active(self, code: str) -> ActiveRule | None:
        return next((a for a in self.rules if a.rule.code == code), None)

    def role(self, role: str) -> ActiveRule | None:
        """The active rule standing for ``role`` (``Role.SYNTAX``, ...), if it is selected."""
        return self._roles.get(role)

    @functools.cached_property
    def _roles(self) -> dict[str, ActiveRule]:
        found: dict[str, ActiveRule] = {}
        for active in self.rules:
            if active.rule.role is not None:
                found.setdefault(active.rule.role, active)
        return found

    def document_checks(self, kind: str | None, envelope_ok: bool) -> tuple[ActiveRule, ...]:
        """The per-document rules that check a document of ``kind`` (one whose envelope is not right:
        only those for every kind), worked out once per kind."""
        key = (kind, envelope_ok)
        found = self._document_checks.get(key)
        if found is None:
            found = self._document_checks[key] = tuple(
                a
                for a in self.rules
                if a.rule.check is not None
                and (a.rule.kinds is None or (envelope_ok and a.rule.applies_to(kind)))
            )
        return found

    @functools.cached_property
    def _document_checks(self) -> dict[tuple[str | None, bool], tuple[ActiveRule, ...]]:
        return {}

    def codes_of(self, role: str) -> frozenset[str]:
        """The codes of every active rule that declares ``role`` (several rules may share one)."""
        return frozenset(a.rule.code for a in self.rules if a.rule.role == role)

    @functools.cached_property
    def repository_rules(self) -> tuple[ActiveRule, ...]:
        return tuple(a for a in self.rules if a.rule.check_repository is not None)

    @functools.cached_property
    def fields(self) -> tuple[str, ...]:
        """The ``spec`` fields repository rules declared they read: extracted with each file's facts."""
        return tuple(sorted({f for a in self.repository_rules for f in a.rule.fields}))

    def fingerprint(self) -> dict[str, Any]:
        return {
            "rules": [
                [
                    a.rule.code,
                    a.rule.source,
                    a.severity.label,
                    a.options,
                    a.rule.role,
                    a.rule.scope,
                    sorted(a.rule.reads) if a.rule.reads is not None else None,
                    a.directory.fingerprint() if a.directory is not None else None,
                ]
                for a in self.rules
            ],
            # today is not here: a result that depends on the date says for which days it holds
            "limits": [self.limits.max_file_bytes, self.limits.max_depth, self.limits.max_alias_nodes],
        }


@dataclass(slots=True)
class FileResult:
    """What one file contributes: its findings, counts, suppression comments and facts."""

    path: str
    documents: int = 0
    skipped: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)
    crashes: list[str] = field(default_factory=list)
    suppressions: list[Any] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    #: the file could not be read or parsed at all (a whole-file syntax finding, whichever rules run)
    unloadable: bool = False
    #: the days (ordinals, end excluded) over which the findings hold; None: whatever the date
    valid: tuple[int, int] | None = None

    def holds_on(self, day: dt.date) -> bool:
        """Whether the result, found on another day, is still what a check on ``day`` finds."""
        return self.valid is None or self.valid[0] <= day.toordinal() < self.valid[1]

    def to_json(self) -> dict[str, Any]:
        """Everything but the entities, which travel as ``index.StoredFacts``."""
        return {
            "path": self.path,
            "documents": self.documents,
            "skipped": self.skipped,
            "diagnostics": [d.to_dict() for d in self.diagnostics],
            "crashes": self.crashes,
            "suppressions": self.suppressions,
            "unloadable": self.unloadable,
            "valid": self.valid,
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any], entities: list[Entity] | None = None) -> FileResult:
        """The result ``to_json`` wrote, with its ``entities``; raises (ValueError, KeyError, ...) on damage."""
        return cls(
            path=raw["path"],
            documents=raw["documents"],
            skipped=raw["skipped"],
            diagnostics=[Diagnostic.from_dict(d) for d in raw["diagnostics"]],
            crashes=list(raw["crashes"]),
            suppressions=list(raw["suppressions"]),
            entities=entities or [],
            unloadable=bool(raw["unloadable"]),
            valid=(int(raw["valid"][0]), int(raw["valid"][1])) if raw.get("valid") else None,
        )


class Checked(NamedTuple):
    """One file checked: what was read, when, and what was found."""

    sha: str | None  #: the content key of the bytes read (git's blob id); None: unreadable
    #: size, times and inode taken before reading, when they can vouch for the bytes read
    signature: list[int] | None
    read_ns: int
    result: FileResult
    #: its entities as the store keeps them, when a worker made them (the writer makes them otherwise)
    facts: StoredFacts | None = None


def problem_diagnostic(
    path: str, problem: Problem, plan: Plan, doc: Document | None = None
) -> Diagnostic | None:
    active = plan.role(problem.role)
    if active is None:
        return None
    return Diagnostic(
        path=path,
        line=problem.position.line,
        column=problem.position.column,
        code=active.rule.code,
        name=active.rule.name,
        severity=active.severity,
        message=problem.message,
        entity=doc.entity if doc else None,
        node=doc.node_name(problem.node) if doc and problem.node else None,
    )


def check_file(path: str, content: bytes | Problem, plan: Plan) -> FileResult:
    """Load one file and run every per-document check on it.

    Only governance files are govlint's business: a file that never mentions
    ``govlint/`` is skipped unparsed, whatever it holds (a Helm template, a
    manifest with a duplicate key), unless a document in it is governance gone
    wrong (the envelope role's finding).  ``skipped`` is 1 for a skipped file.
    """
    result = FileResult(path)
    if isinstance(content, Problem):
        result.unloadable = True
        diag = problem_diagnostic(path, content, plan)
        result.diagnostics.extend([diag] if diag else [])
        return result
    mentions = mentions_governance(content)
    if not mentions and not might_be_governance(content):
        return _skip(result)
    loaded = load(path, content, plan.limits)
    if loaded.crash is not None:
        result.unloadable = True  # what it defines is unknown: references to it are held back
        syntax = plan.role(Role.SYNTAX)
        code, name = (syntax.rule.code, syntax.rule.name) if syntax else ("loader", "yaml-loader")
        result.crashes.append(f"rule {code} {name} (builtin) crashed on {path}: {loaded.crash}")
        return result
    result.suppressions = collect_suppressions(content)  # empty at once unless it says "govlint:"
    docs = [d for d in loaded.documents if d.data is not None]
    by_index = {d.index: d for d in docs}
    governance_file = any(d.is_governance for d in docs)
    for problem in loaded.problems:
        # A file that mentions govlint/ and cannot be loaded is a syntax finding (SPEC §4); other YAML's
        # troubles are not govlint's business.
        if governance_file or (mentions and problem.role == Role.SYNTAX):
            doc = by_index.get(problem.document) if problem.document is not None else None
            diag = problem_diagnostic(path, problem, plan, doc)
            result.diagnostics.extend([diag] if diag else [])
    if mentions and any(p.role == Role.SYNTAX for p in loaded.problems if p.document is None):
        result.unloadable = True
        return result  # a governance file that is not YAML as a whole: nothing more to say
    if not governance_file:
        return _near_misses(result, docs, plan)
    result.documents = len(docs)
    fields = plan.fields
    schema = plan.role(Role.SCHEMA)
    schema_code = schema.rule.code if schema is not None else None
    for doc in docs:
        found: list[Diagnostic] = []
        envelope_ok = doc.is_governance and envelope_problem(doc) is None
        for active in plan.document_checks(doc.kind, envelope_ok):
            rule = active.rule
            ctx = DocumentContext(rule, active.severity, active.options, plan.today, document=doc)
            try:
                rule.check(doc, ctx)  # type: ignore[misc]  # document_checks has only rules with a check
            except Exception as exc:  # a rule bug must not stop the others
                result.crashes.append(_crash(rule, path, exc))
            found.extend(ctx.findings)
            if ctx.valid is not None:
                result.valid = within(result.valid, ctx.valid)
        result.diagnostics.extend(_quiet_misspelled(doc, found, schema_code))
        if envelope_ok:
            entity = extract_entity(doc, fields)
            if entity is not None:
                result.entities.append(entity)
    return result


def _skip(result: FileResult) -> FileResult:
    result.skipped, result.suppressions = 1, []
    return result


def _near_misses(result: FileResult, docs: list[Document], plan: Plan) -> FileResult:
    """A file with no governance document: an envelope finding on each document that looks like one gone wrong.

    It is skipped when there is none and nothing else was found in it.
    """
    found = [(doc, message) for doc in docs if (message := near_miss(doc))]
    if not found and not result.diagnostics:
        return _skip(result)
    result.documents = len(docs)
    # Governance gone wrong defines nothing until it is fixed: what it might define is held back.
    result.unloadable = bool(found)
    for doc, message in found:
        diag = problem_diagnostic(
            result.path, Problem(Role.ENVELOPE, message, doc.start, doc.index), plan, doc
        )
        result.diagnostics.extend([diag] if diag else [])
    return result


def crash_rule(crash: str) -> str:
    """The code of the rule a crash report (``_crash``) is about."""
    return crash.split(" ", 2)[1]


def _crash(rule: Rule, path: str, exc: BaseException) -> str:
    where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    at = f" ({Path(where.filename).name}:{where.lineno})" if where else ""
    return f"rule {rule.code} {rule.name} ({rule.source}) crashed on {path}: {type(exc).__name__}: {exc}{at}"


def within(held: tuple[int, int] | None, also: tuple[int, int]) -> tuple[int, int]:
    """The days both spans hold (``held`` None: every day)."""
    return also if held is None else (max(held[0], also[0]), min(held[1], also[1]))


def check_repository(
    active: ActiveRule, index: RepositoryIndex, today: dt.date
) -> tuple[list[Diagnostic], list[str], tuple[int, int] | None]:
    """One repository rule over ``index``: its findings, its crash if it raised, and the days they hold."""
    rule = active.rule
    assert rule.check_repository is not None
    ctx = RepositoryContext(
        rule, active.severity, active.options, today, index=index, directory=active.directory
    )
    try:
        rule.check_repository(index, ctx)
    except Exception as exc:  # a rule bug must not stop the others
        return ctx.findings, [_crash(rule, "the repository", exc)], ctx.valid
    return ctx.findings, [], ctx.valid


# -- the plan ---------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    """Which rules run, with what severity and options (resolved against the registry)."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()


class UsageError(Exception):
    """Bad rule names or options: exit 2 with this message."""


def make_plan(registry: Registry, config: Config, selection: Selection, today: dt.date) -> Plan:
    def codes_of(selectors: Iterable[str], what: str) -> set[str]:
        found: set[str] = set()
        for selector in selectors:
            expanded = registry.expand(selector)
            if not expanded:
                raise UsageError(f"{what}: {registry.unknown_message(selector)}")
            found.update(expanded)
        return found

    selected = codes_of(selection.select, "--select") if selection.select is not None else None
    chosen = (selected if selected is not None else {r.code for r in registry}) - codes_of(
        selection.ignore, "--ignore"
    )
    settings: dict[str, RuleSetting] = {}
    for selector, configured in config.rules.items():
        rule = registry.lookup(selector)
        if rule is None:
            raise UsageError(f"{config.label}: rules: {registry.unknown_message(selector)}")
        settings[rule.code] = configured
    active = []
    directory: Directory | None = None
    for rule in registry:
        setting = settings.get(rule.code)
        # A rule turned off in the config runs only when --select names it.
        if setting is not None and not setting.enabled and (selected is None or rule.code not in selected):
            continue
        if rule.code not in chosen:
            continue
        options = {**rule.defaults(), **(setting.options if setting else {})}
        _validate_options(rule, options, config)
        severity = setting.severity if setting and setting.severity else rule.severity
        if config.directory is not None and rule.check_repository is not None and directory is None:
            directory = directory_of(config.directory, config.root, config.limits)
        given = directory if rule.check_repository is not None else None
        active.append(ActiveRule(rule, severity, options, given))
    return Plan(tuple(active), config.limits, today)


def _validate_options(rule: Rule, options: dict[str, Any], config: Config) -> None:
    import jsonschema_rs

    errors = list(jsonschema_rs.validator_for(rule.options_schema()).iter_errors(options))
    if errors:
        error = errors[0]
        option = ".".join(str(p) for p in error.instance_path) or "options"
        unexpected = getattr(error.kind, "unexpected", None)
        if unexpected:
            known = ", ".join(sorted(rule.options)) or "none"
            raise UsageError(
                f"{config.label}: rules: {rule.code} ({rule.name}): unknown option "
                f"{next(iter(unexpected))!r} (options: {known})"
            )
        raise UsageError(
            f"{config.label}: rules: {rule.code} ({rule.name}): option {option!r}: {error.message}"
        )


@dataclass
class RunResult:
    diagnostics: list[Diagnostic]
    summary: Summary
    crashes: list[str]
    rules: list[Rule]
    files: list[FileResult]


Filter = Callable[[list[Diagnostic], list[FileResult]], list[Diagnostic]]


def _report_order(d: Diagnostic) -> tuple[Any, ...]:
    # entity and node may be None: two findings equal up to them must still sort, not raise.
    return (d.path, d.line, d.column, d.code, d.name, d.severity, d.message, d.entity or "", d.node or "")


def finish(
    diagnostics: Iterable[Diagnostic],
    files: Sequence[FileResult],
    crashes: list[str],
    plan: Plan,
    config: Config,
    filters: Sequence[Filter] = (),
    held: Mapping[Diagnostic, list[str]] | None = None,
) -> RunResult:
    """The findings of the reported ``files``, filtered and in report order, with the summary.

    ``held`` (see ``held_back``) still meet the suppressions and the baseline (which then count as
    used), and are taken out after them.
    """
    found = _drop_consequences(_drop_schema_duplicates(list(diagnostics), plan), plan)
    found = _apply_per_file(found, config)
    results = list(files)
    for keep in filters:
        found = keep(found, results)
    held = held or {}
    still_held = [d for d in found if d in held]
    found = sorted(set(found) - set(still_held), key=_report_order)
    summary = Summary(
        files=len(results),
        documents=sum(r.documents for r in results),
        skipped=sum(r.skipped for r in results),
        errors=sum(d.severity is Severity.ERROR for d in found),
        warnings=sum(d.severity is Severity.WARNING for d in found),
        infos=sum(d.severity is Severity.INFO for d in found),
        files_with_findings=len({d.path for d in found}),
        held_back=len(still_held),
        fix_first=_fix_first(still_held, held),
        baseline_hidden=sum(getattr(keep, "hidden", 0) for keep in filters),
    )
    return RunResult(found, summary, crashes, [a.rule for a in plan.rules], results)


# -- references held back while a governance file does not load ---------------------------

_KIND_BY_NAME = {kind.lower(): kind for kind in KINDS}
_KIND_RE = re.compile(r"""["']?\bkind["']?[ \t]*:[ \t]*["']?([A-Za-z]+)""")


@dataclass(frozen=True)
class UnloadedFile:
    """A file that failed to load, and what it might define once it loads.

    ``kinds``: the governance kinds its text names (``kind: Person``), None when
    it names none (any kind); ``words``: its text as one slug (``-id-person-windy-…-``),
    None when it cannot be read (any id).  An id or term it does not spell cannot be
    defined in it.
    """

    path: str
    kinds: frozenset[str] | None
    words: str | None

    def might_define(self, kind: str, ident: str) -> bool:
        return (self.kinds is None or DEFINED_BY.get(kind) in self.kinds) and (
            self.words is None or f"-{term_slug(ident)}-" in self.words
        )


def unloaded_file(read: Reader, regular: Callable[[str], bool], path: str) -> UnloadedFile | None:
    """What an unloadable file might define; None when it holds no governance document at all.

    ``read`` gives the file's bytes as the run sees them (the work tree, the git
    index, an editor's buffer); ``regular`` whether it is a regular file.
    """
    content = read(path)
    if isinstance(content, Problem):
        # A regular file too large to read might define anything; a symbolic link govlint does not
        # follow, a folder or a device defines nothing.
        return UnloadedFile(path, None, None) if regular(path) else None
    text = content.decode("utf-8", "replace")
    if API_PREFIX not in text and not might_be_governance(content):
        return None  # every governance document says apiVersion: govlint/..., or nearly (an envelope finding)
    kinds = frozenset(k for k in (_KIND_BY_NAME.get(name.lower()) for name in _KIND_RE.findall(text)) if k)
    return UnloadedFile(path, kinds or None, f"-{term_slug(text)}-")


def held_back(
    diagnostics: Iterable[Diagnostic],
    results: Iterable[FileResult],
    read: Reader,
    regular: Callable[[str], bool],
    plan: Plan,
    entities: Callable[[str], list[Entity]],
) -> dict[Diagnostic, list[str]]:
    """The unresolved-reference findings some unloadable file might resolve, each with those files.

    ``read`` and ``regular`` see the files as the model does (``unloaded_file``);
    ``entities`` gives a file's facts (the references the findings sit at).
    """
    unresolved = plan.codes_of(Role.UNRESOLVED)
    candidates = {(d.path, d.line, d.column): d for d in diagnostics if d.code in unresolved}
    if not candidates:
        return {}
    unloaded = [
        u for r in results if r.unloadable and (u := unloaded_file(read, regular, r.path)) is not None
    ]
    if not unloaded:
        return {}
    held: dict[Diagnostic, list[str]] = {}
    for path in sorted({path for path, _, _ in candidates}):
        for entity in entities(path):
            for ref in entity.references:
                found = candidates.get((ref.path, ref.line, ref.column))
                definers = [u.path for u in unloaded if u.might_define(ref.kind, ref.id)] if found else []
                if found and definers:
                    held[found] = definers
    return held


def _fix_first(still_held: list[Diagnostic], held: Mapping[Diagnostic, list[str]]) -> str | None:
    """The unloadable file that might resolve the most held-back findings (on a tie, the first by path)."""
    tally = Counter(path for d in still_held for path in held[d])
    return min(tally, key=lambda path: (-tally[path], path)) if tally else None


def _drop_schema_duplicates(diagnostics: list[Diagnostic], plan: Plan) -> list[Diagnostic]:
    """A rule that reports a node explains it better than the schema: drop the schema's finding there."""
    schema = plan.role(Role.SCHEMA)
    if schema is None:
        return diagnostics
    code = schema.rule.code
    # A schema finding is dropped when another rule reports its node or one of its ancestors. The
    # claimed nodes of each (file, entity) form a tree of their ``/`` segments, so each finding costs
    # the length of its node name, however many nodes are claimed.
    claimed: dict[tuple[str, str | None], dict[str, Any]] = {}
    for d in diagnostics:
        if d.code != code and d.node is not None:
            branch = claimed.setdefault((d.path, d.entity), {})
            for segment in d.node.split("/"):
                branch = branch.setdefault(segment, {})
            branch[_CLAIMED] = True
    if not claimed:
        return diagnostics
    return [
        d
        for d in diagnostics
        if not (d.code == code and d.node and _is_claimed(claimed.get((d.path, d.entity)), d.node))
    ]


def _drop_consequences(diagnostics: list[Diagnostic], plan: Plan) -> list[Diagnostic]:
    """A finding of a rule that ``defers_to`` another rule at a node stays quiet when that rule reports the
    same entity there: ``escalation-to-owner`` says nothing while the owner itself is reported."""
    deferring = {a.rule.code: a.rule.defers_to for a in plan.rules if a.rule.defers_to}
    if not deferring:
        return diagnostics
    by_entity: dict[tuple[str, str | None], list[Diagnostic]] = {}
    for d in diagnostics:
        if d.node is not None:
            by_entity.setdefault((d.path, d.entity), []).append(d)

    def consequence(d: Diagnostic) -> bool:
        return any(
            other.code == code and other.node is not None and (other.node + "/").startswith(node + "/")
            for code, node in deferring.get(d.code, ())
            for other in by_entity.get((d.path, d.entity), ())
        )

    return [d for d in diagnostics if not consequence(d)]


def _quiet_misspelled(doc: Document, found: list[Diagnostic], schema_code: str | None) -> list[Diagnostic]:
    """Findings about a missing field stay quiet when the schema reports an unknown key beside it that
    means that field (``Managers:`` for ``managers``, ``R:`` for ``responsible``): the field is misspelled,
    not missing, and the schema's finding says so with a did-you-mean."""
    unknown: dict[str, list[str]] = {}  # parent node -> unknown keys the schema reports there
    for d in found:
        if d.code == schema_code and d.node is not None:
            parent, _, key = d.node.rpartition("/")
            if d.message.startswith(f"unknown field '{key}'"):
                unknown.setdefault(parent, []).append(key)
    if not unknown:
        return found

    def consequence(d: Diagnostic) -> bool:
        if d.code == schema_code or d.node is None:
            return False
        segments = d.node.split("/")
        for depth in range(1, len(segments)):
            parent, field = "/".join(segments[:depth]), segments[depth]
            keys = unknown.get(parent, ())
            if any(_means(key, field) for key in keys):
                mapping = _node(doc.data, segments[:depth])
                return isinstance(mapping, dict) and field not in mapping
        return False

    return [d for d in found if not consequence(d)]


def _means(key: str, field: str) -> bool:
    """Whether an unknown ``key`` is probably ``field`` misspelled or abbreviated (``R`` for ``responsible``)."""
    if key == field or not key:
        return False
    return field.startswith(key.lower()) or closest(key, [field]) is not None


def _node(data: Any, segments: Sequence[str]) -> Any:
    """The value at a node name's segments (list items by ``id`` or by position, as ``node_name`` names them)."""
    for segment in segments:
        if isinstance(data, dict):
            data = data.get(segment)
        elif isinstance(data, list):
            named = [i for i in data if isinstance(i, dict) and i.get("id") == segment]
            if named:
                data = named[0]
            elif segment.isdigit() and int(segment) < len(data):
                data = data[int(segment)]
            else:
                return None
        else:
            return None
    return data


_CLAIMED = "/"  # never a segment of a node name split at "/": marks a claimed node in the tree


def _is_claimed(tree: dict[str, Any] | None, node: str) -> bool:
    """Whether ``node`` or one of its ancestors is in the claimed-node tree."""
    branch = tree
    for segment in node.split("/"):
        if branch is None:
            return False
        if _CLAIMED in branch:
            return True
        branch = branch.get(segment)
    return branch is not None and _CLAIMED in branch


def _apply_per_file(diagnostics: list[Diagnostic], config: Config) -> list[Diagnostic]:
    if not config.per_file:
        return diagnostics
    return [d for d in diagnostics if rule_applies(config, d.path, d.code, d.name)]


def rule_applies(config: Config, path: str, code: str, name: str) -> bool:
    """Whether the config's ``per-file`` entries let this rule report in this file."""
    for pattern, entry in config.per_file.items():
        if not matches(path, [pattern]):
            continue
        if any(_selects(s, code, name) for s in entry.get("ignore", ())):
            return False
        if entry.get("select") and not any(_selects(s, code, name) for s in entry["select"]):
            return False
    return True


def _selects(selector: str, code: str, name: str) -> bool:
    return selector.lower() == name or code.startswith(selector.upper())
