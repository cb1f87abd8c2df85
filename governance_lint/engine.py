"""Runs the rules: per file (load, envelope, schema, document rules, facts), then
over the repository index, then filters what is reported.

Per-file work is a pure function of the file's bytes and the plan, returning
a JSON-able ``FileResult``; that is what makes it cacheable and able to run in
worker processes.  A rule that raises is recorded as a crash (rule and file)
and the other rules still run.
"""

from __future__ import annotations

import datetime as dt
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from .api import DocumentContext, RepositoryContext, Rule
from .config import Config, RuleSetting
from .discovery import FileSet, matches, read_file
from .index import (
    ENTITY_FIELDS,
    DamagedFacts,
    Entity,
    RepositoryIndex,
    entity_from_json,
    entity_to_json,
    extract_entity,
)
from .model import Diagnostic, Document, Limits, Problem, Severity, Summary
from .registry import Registry
from .suppress import collect_suppressions

LOADER_RULE = "GOV001"
SCHEMA_RULE = "GOV002"


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
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> FileResult:
        entities = raw["entities"]
        # The shape is checked now (a damaged entry must fail here, where the caller re-checks the file).
        if type(entities) is not list or not all(type(e) is list and len(e) == ENTITY_FIELDS for e in entities):
            raise ValueError("malformed entities")
        return cls(
            path=raw["path"],
            documents=raw["documents"],
            skipped=raw["skipped"],
            diagnostics=[Diagnostic.from_dict(d) for d in raw["diagnostics"]],
            crashes=list(raw["crashes"]),
            suppressions=list(raw["suppressions"]),
            _entities=entities,
            _decoded=not entities,
        )


def problem_diagnostic(path: str, problem: Problem, plan: Plan,
                       doc: Document | None = None) -> Diagnostic | None:
    active = plan.active(problem.code)
    if active is None:
        return None
    return Diagnostic(
        path=path, line=problem.position.line, column=problem.position.column,
        code=active.rule.code, name=active.rule.name, severity=active.severity,
        message=problem.message, entity=doc.entity if doc else None,
        node=doc.node_name(problem.node) if doc and problem.node else None,
    )


def check_file(path: str, content: bytes | Problem, plan: Plan) -> FileResult:
    """Load one file and run every per-document check on it."""
    from .loader import load

    result = FileResult(path)
    if isinstance(content, Problem):
        diag = problem_diagnostic(path, content, plan)
        result.diagnostics.extend([diag] if diag else [])
        return result
    loaded = load(path, content, plan.limits)
    result.suppressions = collect_suppressions(content)  # empty at once unless it says "govlint:"
    docs = [d for d in loaded.documents if d.data is not None]
    by_index = {d.index: d for d in docs}
    for problem in loaded.problems:
        doc = by_index.get(problem.document) if problem.document is not None else None
        diag = problem_diagnostic(path, problem, plan, doc)
        if diag:
            result.diagnostics.append(diag)
    if any(p.code == LOADER_RULE for p in loaded.problems if p.document is None):
        return result  # the file as a whole is not YAML: nothing more to say
    governance_file = any(d.is_governance for d in docs)
    result.documents = len(docs)
    if not governance_file:
        result.skipped = len(docs)
        return result
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


def _supported(doc: Document) -> bool:
    from .rules.unknown_document import envelope_problem

    return envelope_problem(doc) is None


def _crash(rule: Rule, path: str, exc: BaseException) -> str:
    where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    at = f" ({Path(where.filename).name}:{where.lineno})" if where else ""
    return f"rule {rule.code} {rule.name} ({rule.source}) crashed on {path}: {type(exc).__name__}: {exc}{at}"


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
    chosen = (selected if selected is not None else {r.code for r in registry}) - codes_of(selection.ignore,
                                                                                          "--ignore")
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
            raise UsageError(f"{config.label}: rules: {rule.code} ({rule.name}): unknown option "
                             f"{list(unexpected)[0]!r} (options: {known})")
        raise UsageError(f"{config.label}: rules: {rule.code} ({rule.name}): option {option!r}: {error.message}")


@dataclass
class RunResult:
    diagnostics: list[Diagnostic]
    summary: Summary
    crashes: list[str]
    rules: list[Rule]
    files: list[FileResult]


FileAnalyser = Callable[[FileSet, Plan], list[FileResult]]


def _report_order(d: Diagnostic) -> tuple[Any, ...]:
    # entity and node may be None: two findings equal up to them must still sort, not raise.
    return (d.path, d.line, d.column, d.code, d.name, d.severity, d.message, d.entity or "", d.node or "")


def analyse_serially(files: FileSet, plan: Plan) -> list[FileResult]:
    return [check_file(rel, read_file(files.root, rel, plan.limits.max_file_bytes), plan)
            for rel in files.context]


@runtime_checkable
class RepositoryMemo(Protocol):
    """Remembers the repository rules' findings of a whole repository whose files did not change."""

    def recall(self) -> list[Diagnostic] | None: ...

    def remember(self, findings: list[Diagnostic]) -> None: ...


def run(files: FileSet, plan: Plan, config: Config, analyse: FileAnalyser = analyse_serially,
        filters: Sequence[Callable[[list[Diagnostic], list[FileResult]], list[Diagnostic]]] = (),
        memo: RepositoryMemo | None = None) -> RunResult:
    results = analyse(files, plan)
    crashes = [c for r in results for c in r.crashes]
    diagnostics = [d for r in results if r.path in files.reported for d in r.diagnostics]
    remembered = memo.recall() if memo is not None else None
    if remembered is not None:
        diagnostics.extend(d for d in remembered if d.path in files.reported)
    else:
        found, repo_crashes = _check_repository(files, plan, results)
        crashes.extend(repo_crashes)
        diagnostics.extend(d for d in found if d.path in files.reported)
        # Only a run over the whole repository found everything; one that skipped work did not.
        if memo is not None and not repo_crashes and files.reported.issuperset(files.context):
            memo.remember(found)
    diagnostics = _drop_schema_duplicates(diagnostics)
    diagnostics = _apply_per_file(diagnostics, config)
    for keep in filters:
        diagnostics = keep(diagnostics, results)
    diagnostics = sorted(set(diagnostics), key=_report_order)
    reported = [r for r in results if r.path in files.reported]
    summary = Summary(
        files=len(reported),
        documents=sum(r.documents for r in reported),
        skipped=sum(r.skipped for r in reported),
        errors=sum(d.severity is Severity.ERROR for d in diagnostics),
        warnings=sum(d.severity is Severity.WARNING for d in diagnostics),
        infos=sum(d.severity is Severity.INFO for d in diagnostics),
        files_with_findings=len({d.path for d in diagnostics}),
    )
    return RunResult(diagnostics, summary, crashes, [a.rule for a in plan.rules], results)


def _check_repository(files: FileSet, plan: Plan,
                      results: list[FileResult]) -> tuple[list[Diagnostic], list[str]]:
    """The repository rules over the index of every file's facts: their findings and crashes."""

    def load_documents(rel: str) -> tuple[Document, ...]:
        from .loader import load

        content = read_file(files.root, rel, plan.limits.max_file_bytes)
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
    return [d for d in diagnostics if not (
        d.code == SCHEMA_RULE and d.node and _is_claimed(claimed.get((d.path, d.entity)), d.node))]


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
