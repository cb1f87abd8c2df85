"""Inline suppression comments and the baseline: the last filters before reporting.

A file's ``# govlint:`` comments are collected per file (``collect_suppressions``,
a pure function of its bytes, cached with the rest of its ``FileResult``); the
filters built by ``make_filters`` then hide the findings they cover and report
what suppressed nothing under the unused-suppression rule.

Which suppressions are judged "unused": only those of rules that ran on that
file in this run.  ``--select single-owner`` (a per-rule pre-commit hook) never calls
a suppression of another rule unused, and neither does a rule turned off in config.
"""

from __future__ import annotations

import datetime as dt
import heapq
import json
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .comments import Suppression, collect_suppressions
from .config import BUILTIN_LIMITS, Config, ConfigError, read_limited
from .engine import FileResult, Plan, RunResult, UsageError, rule_applies
from .findings import general_node, identity, node_key, subject
from .model import Diagnostic, Document, NodePath, Role, printable
from .safe_write import write_text_atomically

if TYPE_CHECKING:
    from .registry import Registry

__all__ = ["Suppression", "collect_suppressions", "make_filters", "read_baseline", "write_baseline"]

BASELINE_VERSION = 1

Filter = Callable[[list[Diagnostic], list[FileResult]], list[Diagnostic]]


class BaselineError(ConfigError):
    """A baseline file that cannot be read or written (exit 2, the file named)."""


# -- filters ------------------------------------------------------------------


Documents = Callable[[str], "tuple[Document, ...]"]
#: Whether ``person:ID`` names an active Person (True), an inactive one (False), or no Person (None).
Approver = Callable[[str], "bool | None"]


def make_filters(
    config: Config,
    registry: Registry,
    plan: Plan,
    reported: Iterable[str] | None = None,
    baseline: Sequence[BaselineEntry] = (),
    documents: Documents | None = None,
    approver: Approver | None = None,
) -> list[Filter]:
    """Inline suppressions, then the ``baseline``'s entries (when it has any).

    ``documents`` reads a file's documents as the model holds them (a stale
    baseline entry is reported at its node, as far as it still exists);
    ``approver`` says whether a waiver's ``by=`` is an active Person.
    """
    shown = frozenset(reported) if reported is not None else None
    filters: list[Filter] = [InlineFilter(config, registry, plan, shown, approver)]
    if baseline:
        filters.append(BaselineFilter(list(baseline), config, plan, shown, documents, registry, approver))
    return filters


def baseline_path(baseline: Path | None, cwd: Path, config: Config) -> Path | None:
    """``--baseline`` (relative to the current folder), else config ``baseline:`` (relative to the config)."""
    if baseline is not None:
        return cwd / baseline
    return config.root / config.baseline if config.baseline else None


def check_per_file(config: Config, registry: Registry) -> None:
    """Every rule a ``per-file`` entry names exists (UsageError, exit 2, naming it, otherwise)."""
    for pattern, entry in config.per_file.items():
        for key, selectors in entry.items():
            for selector in selectors:
                if not registry.expand(selector):
                    raise UsageError(
                        f"{config.label}: per-file: {pattern!r}: {key}: {registry.unknown_message(selector)}"
                    )


#: Days before ``until`` when a waiver is said to expire soon (``report waivers``).
EXPIRES_SOON_DAYS = 30


class _Judge:
    """What both filters share: which rules ran on a file, how an unused suppression is worded, and
    what a waiver (``until=`` and ``by=``) says."""

    def __init__(
        self,
        config: Config,
        plan: Plan,
        reported: frozenset[str] | None,
        registry: Registry | None = None,
        approver: Approver | None = None,
    ) -> None:
        self.config, self.plan, self.reported = config, plan, reported
        self.unused = plan.role(Role.UNUSED_SUPPRESSION)
        self.waiver = plan.role(Role.WAIVER)
        self.approver = approver
        self.required = (
            set().union(*(registry.expand(s) for s in config.waivers_require))
            if registry is not None and config.waivers_require
            else set()
        )

    def judge_waiver(self, codes: set[str], until: str | None, by: str | None) -> tuple[bool, list[str]]:
        """Whether a waiver has expired as of today (it then suppresses nothing), and what is wrong with it."""
        return judge_waiver(self.config, self.plan.today, self.required, self.approver, codes, until, by)

    def waiver_finding(
        self,
        path: str,
        line: int,
        column: int,
        message: str,
        entity: str | None = None,
        node: str | None = None,
    ) -> Diagnostic:
        assert self.waiver is not None
        rule = self.waiver
        return Diagnostic(
            path, line, column, rule.rule.code, rule.rule.name, rule.severity, message, entity, node
        )

    def shown(self, path: str) -> bool:
        return self.reported is None or path in self.reported

    def ran(self, path: str, code: str) -> bool:
        """The rule ran on this file: selected, and not turned off for it by ``per-file``."""
        active = self.plan.active(code)
        return active is not None and rule_applies(self.config, path, code, active.rule.name)

    def finding(
        self,
        path: str,
        line: int,
        column: int,
        message: str,
        entity: str | None = None,
        node: str | None = None,
    ) -> Diagnostic:
        assert self.unused is not None
        return Diagnostic(
            path,
            line,
            column,
            self.unused.rule.code,
            self.unused.rule.name,
            self.unused.severity,
            message,
            entity,
            node,
        )


def judge_waiver(
    config: Config,
    today: dt.date,
    required: set[str],
    approver: Approver | None,
    codes: set[str],
    until: str | None,
    by: str | None,
) -> tuple[bool, list[str]]:
    """Whether a waiver has expired as of ``today``, and what is wrong with it (the waiver rule's messages)."""
    messages: list[str] = []
    day = None
    if until is not None:
        try:
            day = dt.date.fromisoformat(until)
        except ValueError:
            messages.append(f"waiver until={until} is not a date (write YYYY-MM-DD)")
    expired = day is not None and day < today
    if expired:
        messages.append(f"waiver expired on {until}; the findings it hid are reported again")
    if codes & required and (until is None or by is None):
        missing = " and ".join(w for w, v in (("until=DATE", until), ("by=person:ID", by)) if v is None)
        messages.append(
            f"waiver of {', '.join(sorted(codes & required))} needs {missing} (config waivers: require)"
        )
    if day is not None and not expired and config.waivers_max_days is not None:
        ahead = (day - today).days
        if ahead > config.waivers_max_days:
            messages.append(
                f"waiver until={until} is {ahead} days ahead, more than max-days {config.waivers_max_days} "
                "(config waivers)"
            )
    if by is not None and approver is not None:
        active = approver(by) if by.startswith("person:") else None
        if active is None:
            messages.append(f"waiver approver {by} names no Person; by= names the person who approved it")
        elif not active:
            messages.append(f"waiver approver {by} is marked inactive; a waiver needs an active approver")
    return expired, messages


class InlineFilter(_Judge):
    """Hides findings covered by ``# govlint:`` comments; reports comments that hid nothing.

    A waiver (a comment with ``until=``) past its day hides nothing: its findings are
    reported again, with a waiver finding at the comment.
    """

    def __init__(
        self,
        config: Config,
        registry: Registry,
        plan: Plan,
        reported: frozenset[str] | None,
        approver: Approver | None = None,
    ) -> None:
        super().__init__(config, plan, reported, registry, approver)
        self.registry = registry

    def __call__(self, diagnostics: list[Diagnostic], results: list[FileResult]) -> list[Diagnostic]:
        comments = {
            r.path: [Suppression.from_json(s) for s in r.suppressions]
            for r in results
            if r.suppressions and self.shown(r.path)
        }
        if not comments:
            return diagnostics
        kept: list[Diagnostic] = []
        by_path: dict[str, list[Diagnostic]] = {path: [] for path in comments}
        for d in diagnostics:
            by_path.get(d.path, kept).append(d)
        for path, suppressions in comments.items():
            kept.extend(self._file(path, suppressions, by_path[path]))
        return kept

    def _file(self, path: str, suppressions: list[Suppression], found: list[Diagnostic]) -> list[Diagnostic]:
        # per suppression, what each rule it names (a code, a name or a prefix) stands for
        named = [{r: set(self.registry.expand(r)) for r in s.rules} for s in suppressions]
        codes = [set().union(*n.values()) for n in named]
        waivers = [self.judge_waiver(c, s.until, s.by) for s, c in zip(suppressions, codes, strict=True)]
        live = [set() if expired else c for c, (expired, _) in zip(codes, waivers, strict=True)]
        coverage = _Coverage(suppressions, live)
        kept = coverage.hide(found)
        if self.waiver is not None:
            notes = [
                self.waiver_finding(path, s.line, s.column, m)
                for s, (_, messages) in zip(suppressions, waivers, strict=True)
                for m in messages
            ]
            kept.extend(coverage.hide(notes))
        named = [{} if expired else n for n, (expired, _) in zip(named, waivers, strict=True)]
        codes = live
        if self.unused is None:
            return kept
        # an unused-suppression finding about a comment may itself be suppressed by one naming that rule ...
        used = coverage.used()
        notes = [d for s, n, u in zip(suppressions, named, used) for d in self._notes(path, s, n, u)]  # noqa: B905
        kept.extend(coverage.hide(notes))
        # ... but such a suppression that hid nothing is reported, final.
        unused = self.unused.rule.code
        for s, c, u in zip(suppressions, codes, coverage.used()):  # noqa: B905
            if unused in c and unused not in u:
                kept.append(self.finding(path, s.line, s.column, _unused_message([unused])))
        return kept

    def _notes(
        self, path: str, s: Suppression, named: dict[str, set[str]], used: set[str]
    ) -> list[Diagnostic]:
        messages = [s.problem] if s.problem else []
        messages += [
            f"suppression names {self.registry.unknown_message(r)}" for r, codes in named.items() if not codes
        ]
        if self.config.require_reason and s.rules and not s.reason:
            messages.append(
                "suppression gives no reason (require-reason is on); add '-- why' after the rules"
            )
        # a rule named is unused when it ran here and hid nothing (the unused-suppression rule itself is judged last)
        unused = self.unused.rule.code if self.unused else None
        idle = [
            r
            for r, codes in named.items()
            if codes and unused not in codes and not codes & used and any(self.ran(path, c) for c in codes)
        ]
        if idle:
            messages.append(_unused_message(idle))
        return [self.finding(path, s.line, s.column, m) for m in messages]


class _Coverage:
    """Which suppressions hide which findings of one file, in time linear in both.

    Suppressions covering the same lines share one span (their codes united);
    a finding is tested against the spans open at its line only, found by a
    sweep in line order, so thousands of comments and findings in one file
    never meet pairwise.
    """

    def __init__(self, suppressions: list[Suppression], codes: list[set[str]]) -> None:
        spans: dict[tuple[int, int], list[int]] = {}
        for i, s in enumerate(suppressions):
            spans.setdefault((0, 0) if s.whole_file else (s.first, s.last), []).append(i)
        self._bounds = list(spans)
        self._members = list(spans.values())
        self._codes = codes
        self._union = [set().union(*(codes[i] for i in members)) for members in self._members]
        self._hid: list[set[str]] = [set() for _ in self._members]  # per span: the codes it hid
        self._by_first = sorted(range(len(self._bounds)), key=lambda g: self._bounds[g][0])

    def hide(self, found: list[Diagnostic]) -> list[Diagnostic]:
        """The findings no suppression covers, in their order; records what each span hid."""
        hidden = [False] * len(found)
        ending: list[tuple[float, int]] = []  # heap of (last line, span) of the open spans
        open_spans: set[int] = set()
        following = 0
        for k in sorted(range(len(found)), key=lambda k: found[k].line):
            line, code = found[k].line, found[k].code
            while following < len(self._by_first) and self._bounds[self._by_first[following]][0] <= line:
                span = self._by_first[following]
                first, last = self._bounds[span]
                heapq.heappush(ending, (math.inf if first == 0 else last, span))  # 0: the whole file
                open_spans.add(span)
                following += 1
            while ending and ending[0][0] < line:
                open_spans.discard(heapq.heappop(ending)[1])
            for span in open_spans:
                if code in self._union[span]:
                    self._hid[span].add(code)
                    hidden[k] = True
        return [d for d, h in zip(found, hidden, strict=True) if not h]

    def used(self) -> list[set[str]]:
        """Per suppression, the codes it named that it hid."""
        used: list[set[str]] = [set() for _ in self._codes]
        for members, hid in zip(self._members, self._hid, strict=True):
            for i in members:
                used[i] = hid & self._codes[i]
        return used


def _unused_message(rules: list[str]) -> str:
    return f"unused suppression: {', '.join(rules)} found nothing here to suppress; remove it"


# -- baseline -----------------------------------------------------------------


@dataclass(frozen=True, order=True)
class BaselineEntry:
    path: str
    node: str | None
    code: str
    name: str = ""
    message: str = ""
    #: the finding's subject (``findings.subject``); None in baselines written before subjects were
    #: recorded: such an entry matches any finding of its rule at its node
    subject: str | None = None
    #: a waiver: the last day the entry hides its finding, who approved it, and why
    until: str | None = None
    by: str | None = None
    reason: str | None = None

    @property
    def key(self) -> tuple[str, str, str | None]:
        """A finding's identity but its subject (``findings.identity``)."""
        return self.code, self.path, general_node(self.node)

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "path": self.path,
            "node": self.node,
            "message": self.message,
            "subject": self.subject,
            **{k: v for k, v in (("until", self.until), ("by", self.by), ("reason", self.reason)) if v},
        }


def read_baseline(path: Path, max_bytes: int = BUILTIN_LIMITS.max_baseline_bytes) -> list[BaselineEntry]:
    """The entries of a baseline file, read within ``max_bytes`` (``baseline: /dev/zero`` is refused)."""
    try:
        raw = json.loads(read_limited(path, max_bytes, "max-baseline-bytes").decode("utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"{path}: baseline file not found (create it with --write-baseline)") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise BaselineError(f"{path}: cannot read baseline: {reason}") from None
    if (
        not isinstance(raw, dict)
        or raw.get("version") != BASELINE_VERSION
        or not isinstance(raw.get("entries"), list)
    ):
        raise BaselineError(f'{path}: not a govlint baseline (expected {{"version": 1, "entries": [...]}})')
    entries = []
    for number, entry in enumerate(raw["entries"], 1):
        ok = (
            isinstance(entry, dict)
            and isinstance(entry.get("code"), str)
            and isinstance(entry.get("path"), str)
            and isinstance(entry.get("node"), (str, type(None)))
            and isinstance(entry.get("subject"), (str, type(None)))
            and all(isinstance(entry.get(k), (str, type(None))) for k in ("until", "by", "reason"))
        )
        if not ok:
            raise BaselineError(
                f"{path}: entry {number} needs string 'code' and 'path', a 'node' (string or null) "
                "and, if it has one, a string 'subject'"
            )
        entries.append(
            BaselineEntry(
                entry["path"],
                entry["node"],
                entry["code"],
                str(entry.get("name", "")),
                str(entry.get("message", "")),
                entry.get("subject"),
                entry.get("until"),
                entry.get("by"),
                entry.get("reason"),
            )
        )
    return entries


def write_baseline(path: Path, result: RunResult, until: dt.date | None = None, by: str | None = None) -> int:
    """Record the run's findings, one entry each, atomically; returns how many.

    ``until`` and ``by`` make every entry a waiver (``--until``, ``--by``).
    """
    entries = [
        BaselineEntry(
            printable(d.path),
            node_key(d.entity, d.node),
            d.code,
            d.name,
            printable(d.message),
            subject(d.message),
            until.isoformat() if until else None,
            by,
        )
        for d in result.diagnostics
    ]
    entries.sort(
        key=lambda e: (e.path, e.node or "", e.code, e.message)
    )  # a file's findings with and without a node
    text = (
        json.dumps(
            {"version": BASELINE_VERSION, "entries": [e.to_json() for e in entries]},
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )
    try:
        write_text_atomically(path, text)  # never through a link the repository planted
    except OSError as exc:
        raise BaselineError(f"{path}: cannot write baseline: {exc.strerror or exc}") from None
    return len(entries)


class BaselineFilter(_Judge):
    """Hides findings recorded in the baseline; entries that match nothing are stale (unused-suppression).

    A finding matches an entry of its rule, file and node whose subject is its
    own; an entry without a subject (an older baseline) matches whatever the
    subject.  ``hidden`` counts the findings the last call hid.
    """

    def __init__(
        self,
        entries: list[BaselineEntry],
        config: Config,
        plan: Plan,
        reported: frozenset[str] | None,
        documents: Documents | None = None,
        registry: Registry | None = None,
        approver: Approver | None = None,
    ) -> None:
        super().__init__(config, plan, reported, registry, approver)
        self.entries = entries
        self.documents = documents
        self.hidden = 0
        # Stale entries of one file load it once, and find list items by id in one index per list:
        # thousands of stale entries must not each parse a 1 MB file or scan a long list.
        self._loaded: dict[str, tuple[Document, ...]] = {}
        self._ids: dict[int, dict[str, int]] = {}

    def __call__(self, diagnostics: list[Diagnostic], results: list[FileResult]) -> list[Diagnostic]:
        remaining: dict[tuple[str, str, str | None], list[BaselineEntry]] = {}
        waivers: list[Diagnostic] = []
        for entry in self.entries:
            expired, messages = self.judge_waiver({entry.code}, entry.until, entry.by)
            if messages and self.waiver is not None and self.shown(entry.path):
                line, column, entity, node = self._locate(entry)
                waivers += [self.waiver_finding(entry.path, line, column, m, entity, node) for m in messages]
            if not expired:  # past its day, an entry hides nothing
                remaining.setdefault(entry.key, []).append(entry)
        kept = []
        for d in diagnostics:
            found = identity(d, printable(d.path))  # the path as the baseline writes it
            candidates = remaining.get(found[:3])
            match = _matching(candidates, found.subject) if candidates else None
            if match is None:
                kept.append(d)
            else:
                candidates.remove(match)  # type: ignore[union-attr]
        self.hidden = len(diagnostics) - len(kept)
        kept += waivers
        if self.unused is None:
            return kept
        stale = [
            e for left in remaining.values() for e in left if self.shown(e.path) and self.ran(e.path, e.code)
        ]
        return kept + [self._stale(e) for e in sorted(stale)]

    def _stale(self, entry: BaselineEntry) -> Diagnostic:
        line, column, entity, node = self._locate(entry)
        where = f" at {entry.node}" if entry.node else ""
        return self.finding(
            entry.path,
            line,
            column,
            f"stale baseline entry: {entry.code} ({entry.name or '?'}){where} no longer occurs; "
            "write the baseline again to drop it",
            entity,
            node,
        )

    def _locate(self, entry: BaselineEntry) -> tuple[int, int, str | None, str | None]:
        """The entry's node if it still exists (else its nearest ancestor); else the file's start."""
        entity, _, node = (entry.node or "").partition("/")
        if not entity or self.documents is None:
            return 1, 1, None, None
        documents = self._loaded.get(entry.path)
        if documents is None:
            documents = self._loaded[entry.path] = self.documents(entry.path)
        for doc in documents:
            if doc.data is not None and doc.entity == entity:
                path = _node_path(doc, node, self._ids)
                position = doc.position(path)
                return position.line, position.column, entity, doc.node_name(path) or None
        return 1, 1, None, None


def _matching(entries: list[BaselineEntry], said: str) -> BaselineEntry | None:
    """The entry a finding with this subject matches: one with its subject, else one with none."""
    return next((e for e in entries if e.subject == said), None) or next(
        (e for e in entries if e.subject is None), None
    )


def _node_path(doc: Document, node: str, ids: dict[int, dict[str, int]]) -> NodePath:
    """The data path a node name stands for (list items by ``id`` or index), as far as it exists.

    ``ids`` keeps, per list met, the index of the first item with each id.
    """
    path: list[str | int] = []
    data: Any = doc.data
    for part in node.split("/") if node else ():
        if isinstance(data, dict) and part in data:
            path.append(part)
            data = data[part]
        elif isinstance(data, list):
            by_id = ids.get(id(data))
            if by_id is None:
                by_id = ids[id(data)] = {}
                for i, item in enumerate(data):
                    if isinstance(item, dict) and isinstance(item.get("id"), str):
                        by_id.setdefault(item["id"], i)
            index = by_id.get(part, int(part) if part.isdigit() and int(part) < len(data) else None)
            if index is None:
                break
            path.append(index)
            data = data[index]
        else:
            break
    return tuple(path)


@dataclass(frozen=True)
class Waiver:
    """One suppression comment or baseline entry, as ``report waivers`` lists it."""

    rules: tuple[str, ...]
    path: str
    where: str  # ``line 12`` for a comment, the node for a baseline entry
    reason: str | None
    by: str | None
    until: str | None
    source: str  # "comment" or "baseline"

    def status(self, today: dt.date) -> str:
        """``expired``, ``expires-soon`` (within EXPIRES_SOON_DAYS), ``unapproved`` (no ``by``) or ``active``."""
        try:
            day = dt.date.fromisoformat(self.until) if self.until else None
        except ValueError:
            day = None
        if day is not None and day < today:
            return "expired"
        if self.by is None:
            return "unapproved"
        if day is not None and (day - today).days <= EXPIRES_SOON_DAYS:
            return "expires-soon"
        return "active"


def waivers(results: Iterable[FileResult], entries: Iterable[BaselineEntry]) -> list[Waiver]:
    """Every suppression comment of ``results`` and every baseline entry, in path order."""
    found = [
        Waiver(s.rules, r.path, f"line {s.line}", s.reason, s.by, s.until, "comment")
        for r in results
        for s in (Suppression.from_json(raw) for raw in r.suppressions)
        if s.rules
    ]
    found += [Waiver((e.code,), e.path, e.node or "", e.reason, e.by, e.until, "baseline") for e in entries]
    return sorted(found, key=lambda w: (w.path, w.source, w.where))
