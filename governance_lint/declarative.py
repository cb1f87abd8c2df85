"""Declarative rules: ``kind: Rule`` documents turned into rules, no Python needed.

A Rule document names the nodes it checks with ``select`` (a dotted path,
``[*]`` over list items, ``[N]`` one item) and a JSON Schema ``assert`` that
each selected node must satisfy; a node that fails it is one finding, at the
node, with ``message`` filled from the node's fields::

    spec:
      code: ACME001
      severity: warning
      description: Every activity names its inputs.
      appliesTo: [Process, Practice]
      select: spec.activities[*]
      assert: {required: [inputs], properties: {inputs: {minItems: 1}}}
      message: "activity '{id}' names no inputs"

A path that leads nowhere selects nothing: to require a field, select its
parent and assert ``required``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .api import Document, DocumentContext, Rule, RuleError
from .model import NodePath, Severity

# One step of a select path: a field name followed by any number of [*] / [N].
_NAME = r"[A-Za-z_][A-Za-z0-9_-]*"
_SEGMENT_RE = re.compile(rf"({_NAME})((?:\[(?:\*|[0-9]+)\])*)")
_INDEX_RE = re.compile(r"\[(\*|[0-9]+)\]")
# {field}, {field.sub}, {.} (the node itself), {@id} / {@kind} (the document); {{ and }} are braces.
_PLACEHOLDER_RE = re.compile(rf"\{{\{{|\}}\}}|\{{(\.|@{_NAME}|{_NAME}(?:\.{_NAME})*)\}}")
_MAX_VALUE_CHARS = 80

#: A compiled select path: field names and list steps (an int, or None for every item).
Step = str | int | None


def parse_select(text: str) -> tuple[Step, ...]:
    """``spec.activities[*].raci`` -> ``("spec", "activities", None, "raci")``.

    Raises ValueError naming what is wrong.
    """
    steps: list[Step] = []
    for segment in text.split("."):
        match = _SEGMENT_RE.fullmatch(segment)
        if match is None:
            raise ValueError(
                f"bad select path {text!r}: {segment!r} is not a field name "
                "optionally followed by [*] or [N] (e.g. spec.activities[*])"
            )
        steps.append(match.group(1))
        steps.extend(None if i == "*" else int(i) for i in _INDEX_RE.findall(match.group(2)))
    return tuple(steps)


def select(data: Any, steps: tuple[Step, ...]) -> Iterator[tuple[NodePath, Any]]:
    """Every node the path reaches, with its node path; steps that lead nowhere select nothing."""
    frontier: list[tuple[NodePath, Any]] = [((), data)]
    for step in steps:
        after: list[tuple[NodePath, Any]] = []
        for path, node in frontier:
            if isinstance(step, str):
                if isinstance(node, dict) and step in node:
                    after.append((path + (step,), node[step]))
            elif isinstance(node, list):
                if step is None:
                    after.extend((path + (i,), item) for i, item in enumerate(node))
                elif step < len(node):
                    after.append((path + (step,), node[step]))
        frontier = after
    return iter(frontier)


def format_message(template: str, node: Any, doc: Document) -> str:
    """Fill ``{field}`` placeholders from ``node``; never raises.

    A field the node lacks fills as empty; ``{.}`` is the node itself, ``{@id}``
    and ``{@kind}`` the document's id and kind; braces that form no
    placeholder stay as written.
    """

    def fill(match: re.Match[str]) -> str:
        text = match.group(0)
        if text in ("{{", "}}"):
            return text[0]
        name = match.group(1)
        if name == ".":
            return _show(node)
        if name.startswith("@"):
            return _show({"id": doc.id, "kind": doc.kind}.get(name[1:]))
        value: Any = node
        for part in name.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        return _show(value)

    return _PLACEHOLDER_RE.sub(fill, template)


def _show(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        text = value
    elif isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value):
        text = ", ".join(_show(v) for v in value)
    else:
        text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= _MAX_VALUE_CHARS else text[: _MAX_VALUE_CHARS - 1] + "…"


@dataclass
class SelectAssert:
    """The check of a declarative rule: select nodes, assert a schema on each.

    A plain class (not a closure) so rules can be pickled to worker processes;
    the validator is compiled once, on first use in each process.
    """

    select: str
    steps: tuple[Step, ...]
    schema: dict[str, Any]
    message: str
    _validator: Any = field(default=None, repr=False, compare=False)

    def __call__(self, doc: Document, ctx: DocumentContext) -> None:
        validator = self._validator or self._compile()
        for path, node in select(doc.data, self.steps):
            if not validator.is_valid(node):
                ctx.report(path, format_message(self.message, node, doc))

    def _compile(self) -> Any:
        self._validator = compile_assert(self.schema)
        return self._validator

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_validator": None}


def compile_assert(schema: Any) -> Any:
    """A jsonschema-rs validator for an ``assert`` schema.

    Raises ValueError when it is not a valid schema, TypeError when it is not a mapping.
    """
    import jsonschema_rs

    if not isinstance(schema, (dict, bool)):  # a string would be parsed as JSON text
        raise TypeError("assert must be a JSON Schema (a mapping)")
    try:
        return jsonschema_rs.validator_for(schema, validate_formats=True)
    except (jsonschema_rs.ValidationError, ValueError) as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ValueError(f"assert is not a valid JSON Schema: {first_line}") from None


def rule_from_document(doc: Document, source: str) -> Rule:
    """The rule a schema-valid ``kind: Rule`` document declares.

    ``source`` names the file and line in errors.  Raises RuleError for a bad
    ``select`` path or ``assert`` schema (the document's schema is checked by
    the caller).
    """
    spec = doc.spec

    def fail(key: str, message: str) -> RuleError:
        pos = doc.position(("spec", key))
        return RuleError(f"{doc.path}:{pos.line}:{pos.column}: rule {spec.get('code')!r}: {message}")

    try:
        steps = parse_select(spec["select"])
    except ValueError as exc:
        raise fail("select", str(exc)) from None
    try:
        validator = compile_assert(spec["assert"])
    except (ValueError, TypeError) as exc:
        raise fail("assert", str(exc)) from None
    check = SelectAssert(spec["select"], steps, spec["assert"], spec["message"], validator)
    name = spec.get("name") or doc.id or ""
    return Rule(
        code=spec["code"],
        name=name,
        severity=Severity.parse(spec["severity"]),
        summary=_summary(spec["description"]),
        doc=documentation(spec, source),
        kinds=frozenset(spec["appliesTo"]),
        check=check,
        source=source,
    )


def _summary(description: str) -> str:
    # `govlint rules` prints summaries as lower-case clauses, like the built-in ones.
    text = " ".join(description.split()).rstrip(".")
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def documentation(spec: dict[str, Any], source: str) -> str:
    """The rule's documentation, with the same headings as a built-in rule's."""
    examples = spec.get("documentation") or {}
    kinds = ", ".join(spec["appliesTo"])

    def example(key: str) -> str:
        text = examples.get(key)
        return f"```yaml\n{text.rstrip()}\n```" if text else "No example given."

    return "\n".join(
        [
            "## What it checks",
            " ".join(spec["description"].split()),
            "",
            f"In {kinds} documents, each node at `{spec['select']}` must satisfy this JSON Schema:",
            "```json",
            json.dumps(spec["assert"], indent=2, ensure_ascii=False),
            "```",
            "",
            "## Why it matters",
            f"It is a rule of your organisation, declared as a `kind: Rule` document in {source}.",
            "",
            "## Example (fails)",
            example("fails"),
            "",
            "## Use instead (passes)",
            example("passes"),
            "",
            "## Options",
            "None.",
        ]
    )
