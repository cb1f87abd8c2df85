"""Inline suppression comments and the baseline: the last filters before reporting.

A file's ``# govlint:`` comments are collected per file (``collect_suppressions``,
a pure function of its bytes, cached with the rest of its ``FileResult``); the
filters built by ``make_filters`` then hide the findings they cover and report
what suppressed nothing as GOV006.

Which suppressions are judged "unused": only those of rules that ran on that
file in this run.  ``--select GOV101`` (a per-rule pre-commit hook) never calls
a suppression of GOV203 unused, and neither does a rule turned off in config.
"""

from __future__ import annotations

import heapq
import json
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import BUILTIN_LIMITS, Config, ConfigError, read_limited
from .discovery import read_file
from .model import Diagnostic, Document, NodePath, printable
from .safe_write import write_text_atomically

if TYPE_CHECKING:
    from .engine import FileResult, Plan, RunResult
    from .registry import Registry
    from .runner import CheckSettings

UNUSED = "GOV006"
BASELINE_VERSION = 1

Filter = Callable[[list[Diagnostic], list["FileResult"]], list[Diagnostic]]

# YAML line breaks as libyaml counts them, so line numbers agree with the loader's.
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_DIRECTIVE = re.compile(r"#\s*govlint:\s*(?P<body>.*?)\s*$")
_IGNORE = re.compile(r"(?P<verb>ignore-file|ignore)\b\s*(?:\[(?P<rules>[^\]]*)\])?\s*(?P<rest>.*)$")
_TOGGLE = re.compile(r"(?P<rule>[A-Za-z0-9-]+)\s*[:=]\s*(?:off|false)\s*(?:,\s*|$)", re.IGNORECASE)
_TOGGLES = re.compile(rf"(?:{_TOGGLE.pattern})+", re.IGNORECASE)
_REASON = re.compile(r"--\s*(?P<reason>.*)$")


class BaselineError(ConfigError):
    """A baseline file that cannot be read or written (exit 2, the file named)."""


# -- inline comments --------------------------------------------------------


@dataclass(frozen=True)
class Suppression:
    """One ``# govlint:`` comment: which rules it names and which lines it covers.

    ``first``/``last`` are the 1-based lines of the node it covers (0 for a
    whole-file suppression); ``problem`` says what is wrong with its wording.
    """

    line: int
    column: int
    rules: tuple[str, ...]
    reason: str | None
    first: int
    last: int
    problem: str | None = None

    @property
    def whole_file(self) -> bool:
        return self.first == 0

    def covers(self, line: int) -> bool:
        return self.whole_file or self.first <= line <= self.last

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "rules": list(self.rules)}

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Suppression:
        return cls(**{**raw, "rules": tuple(raw["rules"])})


def collect_suppressions(content: bytes) -> list[dict[str, Any]]:
    """The ``# govlint:`` comments of a file, JSON-able; empty (and cheap) when there are none."""
    if b"govlint:" not in content:
        return []
    text = content.decode("utf-8", "replace").lstrip("\ufeff")
    lines = _LINE_BREAK.split(text)
    candidates = [i for i, line in enumerate(lines) if "govlint:" in line]
    strings = _string_spans(text)
    found = []
    for index in candidates:
        column = _comment_column(lines[index], index, strings)
        match = _DIRECTIVE.match(lines[index], column) if column is not None else None
        if column is None or match is None:
            continue
        alone = not lines[index][:column].strip()
        target = _next_content_line(lines, index + 1) if alone else index
        found.append(_parse(match["body"], index, column, lines, target).to_json())
    return found


def _string_spans(text: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """(start, end) marks of quoted and block scalars, where a ``#`` is text, not a comment."""
    import yaml

    spans = []
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        for token in yaml.scan(text, Loader=loader):
            if isinstance(token, yaml.ScalarToken) and token.style:
                start, end = token.start_mark, token.end_mark
                # A block scalar's header line may carry a real comment; its text starts below.
                begin = (start.line + 1, 0) if token.style in "|>" else (start.line, start.column)
                spans.append((begin, (end.line, end.column)))
    except yaml.YAMLError:
        pass  # the rest of a broken file is read as if it held no strings (GOV001 says why)
    return spans


def _comment_column(
    line: str, index: int, strings: list[tuple[tuple[int, int], tuple[int, int]]]
) -> int | None:
    """0-based column where the line's YAML comment starts, if it has one."""
    for column, char in enumerate(line):
        if char != "#" or (column and not line[column - 1].isspace()):
            continue
        if not any(start <= (index, column) < end for start, end in strings):
            return column
    return None


def _next_content_line(lines: list[str], index: int) -> int | None:
    while index < len(lines):
        stripped = lines[index].strip()
        if stripped and not stripped.startswith("#"):
            return index
        index += 1
    return None


def _node_end(lines: list[str], start: int) -> int:
    """Last line (0-based) of the node that begins on ``start``: the lines indented deeper.

    A key's value may be a sequence written at the key's own indentation
    (``activities:`` followed by ``- id: …``), so those items belong to it too.
    """
    first = lines[start]
    column = len(first) - len(first.lstrip())
    item = first.lstrip().startswith("-")
    end = start
    for index in range(start + 1, len(lines)):
        line = lines[index]
        stripped = line.lstrip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(stripped)
        if indent > column or (
            indent == column and not item and stripped[:2] in ("- ", "-") and not stripped.startswith("---")
        ):
            end = index
            continue
        break
    return end


def _parse(body: str, index: int, column: int, lines: list[str], target: int | None) -> Suppression:
    line, col = index + 1, column + 1
    ignore = _IGNORE.match(body)
    if ignore:
        rules = tuple(r.strip() for r in (ignore["rules"] or "").split(",") if r.strip())
        reason, problem = _reason(ignore["rest"])
        if not rules:
            problem = f"'{ignore['verb']}' names no rules; write {ignore['verb']}[CODE or name, …]"
        if ignore["verb"] == "ignore-file":
            return Suppression(line, col, rules, reason, 0, 0, problem)
        if target is None:
            return Suppression(line, col, rules, reason, -1, -1, problem or "there is no node below it")
        return Suppression(line, col, rules, reason, target + 1, _node_end(lines, target) + 1, problem)
    # ``RULE: off`` (or ``false``), as in config: the rule is off for the whole file.
    head, dashes, rest = body.partition("--")
    if _TOGGLES.fullmatch(head.strip()):
        reason, problem = _reason(dashes + rest)
        rules = tuple(t["rule"] for t in _TOGGLE.finditer(head.strip()))
        return Suppression(line, col, rules, reason, 0, 0, problem)
    return Suppression(
        line,
        col,
        (),
        None,
        -1,
        -1,
        f"not a govlint directive: {body!r}; write ignore[RULES], ignore-file[RULES] or RULE: off",
    )


def _reason(rest: str) -> tuple[str | None, str | None]:
    rest = rest.strip()
    if not rest:
        return None, None
    match = _REASON.match(rest)
    if match is None:
        return None, f"unexpected text {rest!r} after the rules; a reason follows '--'"
    return (match["reason"].strip() or None), None


# -- filters ------------------------------------------------------------------


def make_filters(
    settings: CheckSettings,
    config: Config,
    registry: Registry,
    plan: Plan,
    reported: Iterable[str] | None = None,
) -> list[Filter]:
    """Inline suppressions, then the baseline (unless this run writes a new one)."""
    _check_per_file(config, registry)
    shown = frozenset(reported) if reported is not None else None
    filters: list[Filter] = [InlineFilter(config, registry, plan, shown)]
    path = baseline_path(settings, config)
    if path is not None and settings.write_baseline is None:
        entries = read_baseline(path, config.limits.max_baseline_bytes)
        filters.append(BaselineFilter(entries, config, plan, shown))
    return filters


def baseline_path(settings: CheckSettings, config: Config) -> Path | None:
    """``--baseline`` (relative to the current folder), else config ``baseline:`` (relative to the config)."""
    if settings.baseline is not None:
        return (settings.cwd or Path.cwd()) / settings.baseline
    return config.root / config.baseline if config.baseline else None


def _check_per_file(config: Config, registry: Registry) -> None:
    from .engine import UsageError

    for pattern, entry in config.per_file.items():
        for key, selectors in entry.items():
            for selector in selectors:
                if not registry.expand(selector):
                    raise UsageError(
                        f"{config.label}: per-file: {pattern!r}: {key}: {registry.unknown_message(selector)}"
                    )


class _Judge:
    """What both filters share: which rules ran on a file, and how GOV006 is worded."""

    def __init__(self, config: Config, plan: Plan, reported: frozenset[str] | None) -> None:
        self.config, self.plan, self.reported = config, plan, reported
        self.unused = plan.active(UNUSED)

    def shown(self, path: str) -> bool:
        return self.reported is None or path in self.reported

    def ran(self, path: str, code: str) -> bool:
        """The rule ran on this file: selected, and not turned off for it by ``per-file``."""
        from .engine import rule_applies

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
            path, line, column, UNUSED, self.unused.rule.name, self.unused.severity, message, entity, node
        )


class InlineFilter(_Judge):
    """Hides findings covered by ``# govlint:`` comments; reports comments that hid nothing."""

    def __init__(
        self, config: Config, registry: Registry, plan: Plan, reported: frozenset[str] | None
    ) -> None:
        super().__init__(config, plan, reported)
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
        coverage = _Coverage(suppressions, codes)
        kept = coverage.hide(found)
        if self.unused is None:
            return kept
        # GOV006 about a comment may itself be suppressed by one naming GOV006 ...
        used = coverage.used()
        notes = [d for s, n, u in zip(suppressions, named, used) for d in self._notes(path, s, n, u)]  # noqa: B905
        kept.extend(coverage.hide(notes))
        # ... but a GOV006 suppression that hid nothing is reported, final.
        for s, c, u in zip(suppressions, codes, coverage.used()):  # noqa: B905
            if UNUSED in c and UNUSED not in u:
                kept.append(self.finding(path, s.line, s.column, _unused_message([UNUSED])))
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
        # a rule named is unused when it ran here and hid nothing (GOV006 itself is judged last)
        idle = [
            r
            for r, codes in named.items()
            if codes and UNUSED not in codes and not codes & used and any(self.ran(path, c) for c in codes)
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


def node_key(entity: str | None, node: str | None) -> str | None:
    """``process:incident-management/spec/activities/identify``: what a baseline entry is matched on."""
    if entity and node:
        return f"{entity}/{node}"
    return entity or node


# A position inside a message: ``people.yaml:12`` (a path, then ``:line`` and maybe ``:column``) or
# ``line 12``; and the did-you-mean hint, which changes when other files do.
_POSITION = re.compile(r"(?P<path>[^\s:]*[./][^\s:]*)(?::\d+)+(?=[\s;,)?]|$)|(?P<line>\bline) \d+")
_DID_YOU_MEAN = re.compile(r" ?\(did you mean [^()]*\?\)")


def finding_subject(message: str) -> str:
    """What a finding is about: its message without positions and without a did-you-mean hint.

    ``person:windi names no Person (did you mean person:windy?)`` and the same
    finding after lines moved or another person was added have one subject;
    ``person:wendy names no Person`` has another.
    """
    return _DID_YOU_MEAN.sub("", _POSITION.sub(lambda m: m["path"] or m["line"], message))


@dataclass(frozen=True, order=True)
class BaselineEntry:
    path: str
    node: str | None
    code: str
    name: str = ""
    message: str = ""
    #: the finding's subject (``finding_subject``); None in baselines written before subjects were
    #: recorded: such an entry matches any finding of its rule at its node
    subject: str | None = None

    @property
    def key(self) -> tuple[str, str, str | None]:
        return self.code, self.path, self.node

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "path": self.path,
            "node": self.node,
            "message": self.message,
            "subject": self.subject,
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
            )
        )
    return entries


def write_baseline(path: Path, result: RunResult) -> int:
    """Record the run's findings, one entry each, atomically; returns how many."""
    entries = sorted(
        BaselineEntry(
            printable(d.path),
            node_key(d.entity, d.node),
            d.code,
            d.name,
            printable(d.message),
            finding_subject(d.message),
        )
        for d in result.diagnostics
    )
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
    """Hides findings recorded in the baseline; entries that match nothing are stale (GOV006).

    A finding matches an entry of its rule, file and node whose subject is its
    own; an entry without a subject (an older baseline) matches whatever the
    subject.  ``hidden`` counts the findings the last call hid.
    """

    def __init__(
        self, entries: list[BaselineEntry], config: Config, plan: Plan, reported: frozenset[str] | None
    ) -> None:
        super().__init__(config, plan, reported)
        self.entries = entries
        self.hidden = 0
        # Stale entries of one file load it once, and find list items by id in one index per list:
        # thousands of stale entries must not each parse a 1 MB file or scan a long list.
        self._loaded: dict[str, tuple[Document, ...]] = {}
        self._ids: dict[int, dict[str, int]] = {}

    def __call__(self, diagnostics: list[Diagnostic], results: list[FileResult]) -> list[Diagnostic]:
        remaining: dict[tuple[str, str, str | None], list[BaselineEntry]] = {}
        for entry in self.entries:
            remaining.setdefault(entry.key, []).append(entry)
        kept = []
        for d in diagnostics:
            candidates = remaining.get((d.code, printable(d.path), node_key(d.entity, d.node)))  # as written
            match = _matching(candidates, d.message) if candidates else None
            if match is None:
                kept.append(d)
            else:
                candidates.remove(match)  # type: ignore[union-attr]
        self.hidden = len(diagnostics) - len(kept)
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
        from .loader import load

        entity, _, node = (entry.node or "").partition("/")
        if not entity:
            return 1, 1, None, None
        documents = self._loaded.get(entry.path)
        if documents is None:
            content = read_file(self.config.root, entry.path, self.plan.limits.max_file_bytes)
            documents = (
                load(entry.path, content, self.plan.limits).documents if isinstance(content, bytes) else ()
            )
            self._loaded[entry.path] = documents
        for doc in documents:
            if doc.data is not None and doc.entity == entity:
                path = _node_path(doc, node, self._ids)
                position = doc.position(path)
                return position.line, position.column, entity, doc.node_name(path) or None
        return 1, 1, None, None


def _matching(entries: list[BaselineEntry], message: str) -> BaselineEntry | None:
    """The entry a finding with this message matches: one with its subject, else one with none."""
    subject = finding_subject(message)
    return next((e for e in entries if e.subject == subject), None) or next(
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
