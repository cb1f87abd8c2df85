"""``# govlint:`` comments of one file: a pure function of its bytes, cached with its result.

``collect_suppressions`` finds each comment, what it names and which lines it
covers; the suppression filters (``suppress``) decide later what they hide.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

# YAML line breaks as libyaml counts them, so line numbers agree with the loader's.
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_DIRECTIVE = re.compile(r"#\s*govlint:\s*(?P<body>.*?)\s*$")
_IGNORE = re.compile(r"(?P<verb>ignore-file|ignore)\b\s*(?:\[(?P<rules>[^\]]*)\])?\s*(?P<rest>.*)$")
_TOGGLE = re.compile(r"(?P<rule>[A-Za-z0-9-]+)\s*[:=]\s*(?:off|false)\s*(?:,\s*|$)", re.IGNORECASE)
_TOGGLES = re.compile(rf"(?:{_TOGGLE.pattern})+", re.IGNORECASE)
_REASON = re.compile(r"--\s*(?P<reason>.*)$")
_WAIVER_TERM = re.compile(r"(?P<key>until|by)=(?P<value>[^\s,]+),?")


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
    until: str | None = None  # a waiver: the last day it suppresses (ISO date, as written)
    by: str | None = None  # a waiver: who approved it (``person:ID``)

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
        pass  # the rest of a broken file is read as if it held no strings (the syntax rule says why)
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
        terms, rest = _waiver_terms(ignore["rest"])
        reason, problem = _reason(rest)
        if not rules:
            problem = f"'{ignore['verb']}' names no rules; write {ignore['verb']}[CODE or name, …]"
        waiver = {"until": terms.get("until"), "by": terms.get("by")}
        if ignore["verb"] == "ignore-file":
            return Suppression(line, col, rules, reason, 0, 0, problem, **waiver)
        if target is None:
            problem = problem or "there is no node below it"
            return Suppression(line, col, rules, reason, -1, -1, problem, **waiver)
        end = _node_end(lines, target) + 1
        return Suppression(line, col, rules, reason, target + 1, end, problem, **waiver)
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


def _waiver_terms(rest: str) -> tuple[dict[str, str], str]:
    """The ``until=DATE`` and ``by=person:ID`` terms before the reason, and what follows them."""
    terms: dict[str, str] = {}
    rest = rest.strip()
    while True:
        match = _WAIVER_TERM.match(rest)
        if match is None:
            return terms, rest
        terms[match["key"]] = match["value"]
        rest = rest[match.end() :].lstrip()


def _reason(rest: str) -> tuple[str | None, str | None]:
    rest = rest.strip()
    if not rest:
        return None, None
    match = _REASON.match(rest)
    if match is None:
        return None, f"unexpected text {rest!r} after the rules; a reason follows '--'"
    return (match["reason"].strip() or None), None
