"""Runs the rules: per file (load, envelope, schema, document rules, facts), then
over the repository index, then filters what is reported.

Per-file work is a pure function of the file's bytes and the plan, returning
a JSON-able ``FileResult``; that is what makes it cacheable and able to run in
worker processes.  A rule that raises is recorded as a crash (rule and file)
and the other rules still run.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
import traceback
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from .api import DocumentContext, RepositoryContext, Rule
from .config import Config, RuleSetting
from .discovery import FileSet, matches, mentions_governance, read_file
from .index import (
    ENTITY_FIELDS,
    DamagedFacts,
    Entity,
    RepositoryIndex,
    entity_from_json,
    entity_to_json,
    extract_entity,
)
from .model import API_PREFIX, KINDS, Diagnostic, Document, Limits, Problem, Severity, Summary, term_slug
from .registry import Registry
from .suppress import BaselineFilter, collect_suppressions

LOADER_RULE = "GOV001"
SCHEMA_RULE = "GOV002"
UNKNOWN_DOCUMENT_RULE = "GOV003"


@dataclass(frozen=True)
class ActiveRule:
    rule: Rule
    severity: Severity
    options: dict[str, Any]


@dataclass(frozen=True)
class Plan:
    """Everything per-file work depends on (and so everything a cache key must cover)."""

    rules: tuple[ActiveRule, ...]
    limits: Limits
    today: dt.date

    def active(self, code: str) -> ActiveRule | None:
        return next((a for a in self.rules if a.rule.code == code), None)

    def fingerprint(self) -> dict[str, Any]:
        return {
            "rules": [[a.rule.code, a.rule.source, a.severity.label, a.options] for a in self.rules],
            "limits": [self.limits.max_file_bytes, self.limits.max_depth, self.limits.max_alias_nodes],
            "today": self.today.isoformat(),
        }


@dataclass
class FileResult:
    """What one file contributes: its findings, counts and repository facts."""

    path: str
    documents: int = 0
    skipped: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)
    crashes: list[str] = field(default_factory=list)
    suppressions: list[Any] = field(default_factory=list)
    #: the file could not be read or parsed at all (a whole-file GOV001, whichever rules run)
    unloadable: bool = False
    # The facts, or (read back from JSON) their JSON form, decoded when first asked for: a run
    # whose repository findings are remembered never needs them.
    _entities: list[Entity] | list[list[Any]] = field(default_factory=list, repr=False)
    _decoded: bool = field(default=True, repr=False)

    @property
    def entities(self) -> list[Entity]:
        if not self._decoded:
            try:
                self._entities = [entity_from_json(e) for e in self._entities]  # type: ignore[arg-type]
            except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
                raise DamagedFacts(f"{self.path}: {type(exc).__name__}: {exc}") from exc
            self._decoded = True
        return self._entities  # type: ignore[return-value]

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "documents": self.documents,
            "skipped": self.skipped,
            "diagnostics": [d.to_dict() for d in self.diagnostics],
            "entities": self._entities if not self._decoded else [entity_to_json(e) for e in self.entities],
            "crashes": self.crashes,
            "suppressions": self.suppressions,
            "unloadable": self.unloadable,
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> FileResult:
        entities = raw["entities"]
        # The shape is checked now (a damaged entry must fail here, where the caller re-checks the file).
        if type(entities) is not list or not all(
            type(e) is list and len(e) == ENTITY_FIELDS for e in entities
        ):
            raise ValueError("malformed entities")
        return cls(
            path=raw["path"],
            documents=raw["documents"],
            skipped=raw["skipped"],
            diagnostics=[Diagnostic.from_dict(d) for d in raw["diagnostics"]],
            crashes=list(raw["crashes"]),
            suppressions=list(raw["suppressions"]),
            unloadable=bool(raw["unloadable"]),
            _entities=entities,
            _decoded=not entities,
        )


def problem_diagnostic(
    path: str, problem: Problem, plan: Plan, doc: Document | None = None
) -> Diagnostic | None:
    active = plan.active(problem.code)
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
    wrong (GOV003).  ``skipped`` is 1 for a skipped file.
    """
    from .loader import load
    from .rules.unknown_document import might_be_governance

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
    result.suppressions = collect_suppressions(content)  # empty at once unless it says "govlint:"
    docs = [d for d in loaded.documents if d.data is not None]
    by_index = {d.index: d for d in docs}
    governance_file = any(d.is_governance for d in docs)
    for problem in loaded.problems:
        # A file that mentions govlint/ and cannot be loaded is GOV001 (SPEC §4); other YAML's
        # troubles are not govlint's business.
        if governance_file or (mentions and problem.code == LOADER_RULE):
            doc = by_index.get(problem.document) if problem.document is not None else None
            diag = problem_diagnostic(path, problem, plan, doc)
            result.diagnostics.extend([diag] if diag else [])
    if mentions and any(p.code == LOADER_RULE for p in loaded.problems if p.document is None):
        result.unloadable = True
        return result  # a governance file that is not YAML as a whole: nothing more to say
    if not governance_file:
        return _near_misses(result, docs, plan)
    result.documents = len(docs)
    for doc in docs:
        envelope_ok = doc.is_governance and _supported(doc)
        for active in plan.rules:
            rule = active.rule
            if rule.check is None:
                continue
            if rule.kinds is not None and not (envelope_ok and rule.applies_to(doc.kind)):
                continue
            ctx = DocumentContext(rule, active.severity, active.options, plan.today, document=doc)
            try:
                rule.check(doc, ctx)
            except Exception as exc:  # a rule bug must not stop the others
                result.crashes.append(_crash(rule, path, exc))
            result.diagnostics.extend(ctx.findings)
        if envelope_ok:
            entity = extract_entity(doc)
            if entity is not None:
                result.entities.append(entity)
    return result


def _skip(result: FileResult) -> FileResult:
    result.skipped, result.suppressions = 1, []
    return result


def _near_misses(result: FileResult, docs: list[Document], plan: Plan) -> FileResult:
    """A file with no governance document: GOV003 on each document that looks like one gone wrong.

    It is skipped when there is none and nothing else was found in it.
    """
    from .rules.unknown_document import near_miss

    found = [(doc, message) for doc in docs if (message := near_miss(doc))]
    if not found and not result.diagnostics:
        return _skip(result)
    result.documents = len(docs)
    # Governance gone wrong defines nothing until it is fixed: what it might define is held back.
    result.unloadable = bool(found)
    for doc, message in found:
        diag = problem_diagnostic(
            result.path, Problem(UNKNOWN_DOCUMENT_RULE, message, doc.start, doc.index), plan, doc
        )
        result.diagnostics.extend([diag] if diag else [])
    return result


def _supported(doc: Document) -> bool:
    from .rules.unknown_document import envelope_problem

    return envelope_problem(doc) is None


def _crash(rule: Rule, path: str, exc: BaseException) -> str:
    where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    at = f" ({Path(where.filename).name}:{where.lineno})" if where else ""
    return f"rule {rule.code} {rule.name} ({rule.source}) crashed on {path}: {type(exc).__name__}: {exc}{at}"


def crash_rule(crash: str) -> str:
    """The code of the rule a crash report (``_crash``) is about."""
    return crash.split(" ", 2)[1]


# -- the whole run ----------------------------------------------------------


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
        active.append(ActiveRule(rule, severity, options))
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


FileAnalyser = Callable[[FileSet, Plan], list[FileResult]]
FileReader = Callable[[str], bytes | Problem]


def _report_order(d: Diagnostic) -> tuple[Any, ...]:
    # entity and node may be None: two findings equal up to them must still sort, not raise.
    return (d.path, d.line, d.column, d.code, d.name, d.severity, d.message, d.entity or "", d.node or "")


def analyse_serially(files: FileSet, plan: Plan) -> list[FileResult]:
    return [
        check_file(rel, read_file(files.root, rel, plan.limits.max_file_bytes), plan) for rel in files.context
    ]


@runtime_checkable
class RepositoryMemo(Protocol):
    """Remembers the repository rules' findings of a whole repository whose files did not change."""

    def recall(self) -> list[Diagnostic] | None: ...

    def remember(self, findings: list[Diagnostic]) -> None: ...


def run(
    files: FileSet,
    plan: Plan,
    config: Config,
    analyse: FileAnalyser = analyse_serially,
    filters: Sequence[Callable[[list[Diagnostic], list[FileResult]], list[Diagnostic]]] = (),
    memo: RepositoryMemo | None = None,
    read: FileReader | None = None,
) -> RunResult:
    """Per-file work, the repository rules, then the filters.  ``read`` gives a file's bytes to a rule
    that asks for whole documents (default: from disk under ``files.root``)."""
    results = analyse(files, plan)
    crashes = [c for r in results for c in r.crashes]
    diagnostics = [d for r in results if r.path in files.reported for d in r.diagnostics]
    remembered = memo.recall() if memo is not None else None
    if remembered is not None:
        diagnostics.extend(d for d in remembered if d.path in files.reported)
    else:
        found, repo_crashes = _check_repository(files, plan, results, read)
        crashes.extend(repo_crashes)
        diagnostics.extend(d for d in found if d.path in files.reported)
        # Only a run over the whole repository found everything; one that skipped work did not.
        if memo is not None and not repo_crashes and files.reported.issuperset(files.context):
            memo.remember(found)
    diagnostics = _drop_schema_duplicates(diagnostics)
    diagnostics = _apply_per_file(diagnostics, config)
    # Held-back findings still meet the suppressions and the baseline (which then count as used),
    # and are taken out after them.
    held = _held_back(diagnostics, results, files, plan)
    for keep in filters:
        diagnostics = keep(diagnostics, results)
    still_held = [d for d in diagnostics if d in held]
    diagnostics = sorted(set(diagnostics) - set(still_held), key=_report_order)
    reported = [r for r in results if r.path in files.reported]
    summary = Summary(
        files=len(reported),
        documents=sum(r.documents for r in reported),
        skipped=sum(r.skipped for r in reported),
        errors=sum(d.severity is Severity.ERROR for d in diagnostics),
        warnings=sum(d.severity is Severity.WARNING for d in diagnostics),
        infos=sum(d.severity is Severity.INFO for d in diagnostics),
        files_with_findings=len({d.path for d in diagnostics}),
        held_back=len(still_held),
        fix_first=_fix_first(still_held, held),
        baseline_hidden=sum(keep.hidden for keep in filters if isinstance(keep, BaselineFilter)),
    )
    return RunResult(diagnostics, summary, crashes, [a.rule for a in plan.rules], results)


def _check_repository(
    files: FileSet, plan: Plan, results: list[FileResult], read: FileReader | None = None
) -> tuple[list[Diagnostic], list[str]]:
    """The repository rules over the index of every file's facts: their findings and crashes."""

    def load_documents(rel: str) -> tuple[Document, ...]:
        from .loader import load

        content = read(rel) if read is not None else read_file(files.root, rel, plan.limits.max_file_bytes)
        return () if isinstance(content, Problem) else load(rel, content, plan.limits).documents

    index = RepositoryIndex.build((e for r in results for e in r.entities), load_documents, files.reported)
    found: list[Diagnostic] = []
    crashes: list[str] = []
    for active in plan.rules:
        rule = active.rule
        if rule.check_repository is None:
            continue
        ctx = RepositoryContext(rule, active.severity, active.options, plan.today, index=index)
        try:
            rule.check_repository(index, ctx)
        except DamagedFacts:
            raise  # not the rule's fault: the run starts again without the cache
        except Exception as exc:
            crashes.append(_crash(rule, "the repository", exc))
        found.extend(ctx.findings)
    return found, crashes


# -- references held back while a governance file does not load ---------------------------

#: The rules that report a reference naming nothing.
UNRESOLVED_RULES = frozenset({"GOV005", "GOV301", "GOV402"})
#: The kind of document that defines what a reference of each kind names.
_DEFINED_BY = {
    "person": "Person",
    "team": "Team",
    "process": "Process",
    "practice": "Practice",
    "service": "Service",
    "policy": "Policy",
    "term": "Glossary",
}
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
        return (self.kinds is None or _DEFINED_BY.get(kind) in self.kinds) and (
            self.words is None or f"-{term_slug(ident)}-" in self.words
        )


def unloaded_file(root: Path, path: str, max_bytes: int) -> UnloadedFile | None:
    """What an unloadable file might define; None when it holds no governance document at all."""
    from .rules.unknown_document import might_be_governance

    content = read_file(root, path, max_bytes)
    if isinstance(content, Problem):
        # A regular file too large to read might define anything; a symbolic link govlint does not
        # follow, a folder or a device defines nothing.
        try:
            regular = stat.S_ISREG(os.lstat(root / path).st_mode)
        except OSError:
            regular = False
        return UnloadedFile(path, None, None) if regular else None
    text = content.decode("utf-8", "replace")
    if API_PREFIX not in text and not might_be_governance(content):
        return None  # every governance document says apiVersion: govlint/..., or nearly (GOV003)
    kinds = frozenset(k for k in (_KIND_BY_NAME.get(name.lower()) for name in _KIND_RE.findall(text)) if k)
    return UnloadedFile(path, kinds or None, f"-{term_slug(text)}-")


def _held_back(
    diagnostics: list[Diagnostic], results: list[FileResult], files: FileSet, plan: Plan
) -> dict[Diagnostic, list[str]]:
    """The unresolved-reference findings some unloadable file might resolve, each with those files."""
    candidates = {(d.path, d.line, d.column): d for d in diagnostics if d.code in UNRESOLVED_RULES}
    if not candidates:
        return {}
    unloaded = [
        u
        for r in results
        if r.unloadable and (u := unloaded_file(files.root, r.path, plan.limits.max_file_bytes)) is not None
    ]
    if not unloaded:
        return {}
    paths = {path for path, _, _ in candidates}
    held: dict[Diagnostic, list[str]] = {}
    for result in results:
        if result.path not in paths:
            continue
        for entity in result.entities:
            for ref in entity.references:
                found = candidates.get((ref.site.path, ref.site.line, ref.site.column))
                definers = [u.path for u in unloaded if u.might_define(ref.kind, ref.id)] if found else []
                if found and definers:
                    held[found] = definers
    return held


def _fix_first(still_held: list[Diagnostic], held: dict[Diagnostic, list[str]]) -> str | None:
    """The unloadable file that might resolve the most held-back findings (on a tie, the first by path)."""
    tally = Counter(path for d in still_held for path in held[d])
    return min(tally, key=lambda path: (-tally[path], path)) if tally else None


def _drop_schema_duplicates(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """A rule that reports a node explains it better than the schema: drop GOV002 there.

    A GOV002 finding is dropped when another rule reports its node or one of
    its ancestors.  The claimed nodes of each (file, entity) form a tree of
    their ``/`` segments, so each finding costs the length of its node name,
    however many nodes are claimed.
    """
    claimed: dict[tuple[str, str | None], dict[str, Any]] = {}
    for d in diagnostics:
        if d.code != SCHEMA_RULE and d.node is not None:
            branch = claimed.setdefault((d.path, d.entity), {})
            for segment in d.node.split("/"):
                branch = branch.setdefault(segment, {})
            branch[_CLAIMED] = True
    if not claimed:
        return diagnostics
    return [
        d
        for d in diagnostics
        if not (d.code == SCHEMA_RULE and d.node and _is_claimed(claimed.get((d.path, d.entity)), d.node))
    ]


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
