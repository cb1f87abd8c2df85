"""JSON Schema validation of governance documents, mapped to node paths.

Messages come from **jsonschema-rs** alone.  It is about 100x faster than
python ``jsonschema`` (the README's dependency table), it imports in a fraction
of the time, and its errors carry structured kinds (``Required.property``,
``AdditionalProperties.unexpected``, ``OneOfNotValid.context`` with every
branch's errors) plus an absolute ``schema_path``, which is all we need to
word messages ourselves.  Valid documents, the common case, cost one
``is_valid`` call; errors are only iterated for invalid ones.

A violation is ``(path, message, key)``: ``path`` is the node in the
document's data, and ``key=True`` asks for the position of the mapping key
(used for unknown fields), as ``Document.position`` understands it.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Iterable
from importlib import resources
from typing import Any

import jsonschema_rs

from .model import KINDS, Document, NodePath, closest, did_you_mean, reference_form

Violation = tuple[NodePath, str, bool]

SCHEMA_PACKAGE = "governance_lint.schemas"

# A reference pattern of our schemas: ^person:<slug>$ or ^(person|team):<slug>$.
_REF_PATTERN_RE = re.compile(r"^\^\(?([a-z|]+)\)?:")
_SLUG_PATTERN = "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$"

_TYPE_NAMES = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "null": "nothing (null)",
}


#: Kinds shipped as a merge patch on another kind's schema: kind -> base kind (file names, lower case).
PATCHED_KINDS = {"practice": "process"}


def merge_patch(target: Any, patch: Any) -> Any:
    """``target`` with the JSON Merge Patch ``patch`` applied (RFC 7386); neither is modified."""
    if not isinstance(patch, dict):
        return patch
    merged = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = merge_patch(merged.get(key), value)
    return merged


class SchemaSet:
    """The shipped schemas of every kind, each compiled once."""

    def __init__(self, sources: dict[str, str]) -> None:
        self._sources = sources
        self._schemas: dict[str, dict[str, Any]] = {kind: json.loads(text) for kind, text in sources.items()}
        self._validators = {kind: _compile(schema) for kind, schema in self._schemas.items()}

    @classmethod
    def load(cls) -> SchemaSet:
        """Read ``schemas/<kind>.json`` for every kind from the installed package.

        A kind whose schema is another's with a few changes ships as
        ``schemas/<kind>.patch.json``, a JSON Merge Patch (RFC 7386) on its base
        (``practice.patch.json`` on ``process.json``), so shared definitions are
        written once.
        """
        folder = resources.files(SCHEMA_PACKAGE)
        sources: dict[str, str] = {}
        for kind in KINDS:
            name = kind.lower()
            if name in PATCHED_KINDS:
                base = json.loads(folder.joinpath(f"{PATCHED_KINDS[name]}.json").read_text(encoding="utf-8"))
                patch = json.loads(folder.joinpath(f"{name}.patch.json").read_text(encoding="utf-8"))
                patch.pop("$comment", None)
                sources[kind] = json.dumps(merge_patch(base, patch), indent=2, ensure_ascii=False)
            else:
                sources[kind] = folder.joinpath(f"{name}.json").read_text(encoding="utf-8")
        return cls(sources)

    def kinds(self) -> tuple[str, ...]:
        return tuple(self._sources)

    def schema(self, kind: str) -> dict[str, Any]:
        """The parsed schema of one kind; KeyError for an unknown kind."""
        return self._schemas[kind]

    def text(self, kind: str) -> str:
        """Pretty JSON of one kind's schema (``govlint schema KIND``); KeyError for an unknown kind."""
        return json.dumps(self._schemas[kind], indent=2, ensure_ascii=False) + "\n"

    def digest(self) -> str:
        """sha256 over every schema file: part of the cache key, so a schema change invalidates results."""
        h = hashlib.sha256()
        for kind in sorted(self._sources):
            h.update(kind.encode())
            h.update(b"\0")
            h.update(self._sources[kind].encode("utf-8"))
            h.update(b"\0")
        return h.hexdigest()

    def check(self, doc: Document) -> list[Violation]:
        """Every schema violation of ``doc``; [] when valid or of no known kind (the unknown-document rule's business)."""
        validator = self._validators.get(doc.kind or "")
        if validator is None or validator.is_valid(doc.data):
            return []
        return _violations(validator, self._schemas[doc.kind or ""], doc.data)


def validate_instance(schema: dict[str, Any], instance: Any) -> list[Violation]:
    """Validate any data against any schema (declarative rules' ``assert``, config).

    The compiled validator is cached by the schema's JSON text.  Raises
    ValueError when ``schema`` is not a valid JSON Schema.
    """
    text = json.dumps(schema, sort_keys=True)
    validator = _cached_validator(text)
    if validator.is_valid(instance):
        return []
    return _violations(validator, schema, instance)


@functools.lru_cache(maxsize=256)
def _cached_validator(text: str) -> Any:
    return _compile(json.loads(text))


def _compile(schema: dict[str, Any]) -> Any:
    try:
        # validate_formats: "2023-02-30" must fail `format: date` (formats are annotations by default).
        return jsonschema_rs.validator_for(schema, validate_formats=True)
    except (jsonschema_rs.ValidationError, ValueError) as exc:
        raise ValueError(f"invalid JSON Schema: {exc}") from None


# -- errors -> violations ----------------------------------------------------


def _violations(validator: Any, schema: dict[str, Any], instance: Any) -> list[Violation]:
    found: set[Violation] = set()
    for error in validator.iter_errors(instance):
        found.update(_explain(error, schema))
    return sorted(found, key=_order)


def _order(violation: Violation) -> tuple[Any, ...]:
    # Paths mix str and int steps: make them comparable, list items in index order.
    path, message, key = violation
    return tuple((0, s, "") if isinstance(s, int) else (1, 0, s) for s in path), message, key


def _explain(error: Any, schema: dict[str, Any]) -> Iterable[Violation]:
    kind = error.kind
    name = kind.name
    path: NodePath = tuple(error.instance_path)
    value = error.instance
    where = _describe(path)

    if name == "additionalProperties":
        properties = list(_node(schema, error.schema_path[:-1]).get("properties", {}))
        suffix = f" (allowed: {', '.join(properties)})" if properties else ""
        for field in kind.unexpected:
            close = closest(field, properties)
            hint = did_you_mean(f"'{close}'" if close else None)
            yield path + (field,), f"unknown field '{field}' in {where}{hint}{suffix}", True
    elif name == "required":
        subject = f"'{where}'" if path else where
        yield path, f"{subject} is missing required field '{kind.property}'", False
    elif name in ("oneOf", "anyOf"):
        branches = [list(b) for b in kind.context]
        best = min(branches, key=lambda errors: _branch_score(errors, path)) if branches else []
        if not best:
            yield path, f"{_show(value)} does not match any allowed form", False
        for inner in best:
            yield from _explain(inner, schema)
    elif name == "oneOfMultipleValid":
        yield path, f"{where} matches more than one allowed form; keep the fields of one", False
    elif name == "type":
        yield path, _type_message(value, kind.types), False
    elif name == "pattern":
        # A schema may word what its pattern means (``patternErrorMessage``, as editors read it).
        meaning = _node(schema, error.schema_path[:-1]).get("patternErrorMessage")
        message = f"{_show(value)} is not {meaning}" if meaning else _pattern_message(value, kind.pattern)
        yield path, message, False
    elif name == "format":
        yield path, _format_message(value, kind.format), False
    elif name == "enum":
        options = [_plain(o) for o in kind.options]
        close = closest(value, options) if isinstance(value, str) else None
        hint = did_you_mean(_show(close) if close else None)
        yield path, f"{_show(value)} is not one of {', '.join(options)}{hint}", False
    elif name == "const":
        yield path, f"{_show(value)} is not {_show(kind.expected_value)}", False
    elif name == "minItems":
        yield path, f"'{where}' needs at least {kind.limit} item{'s' if kind.limit != 1 else ''}", False
    elif name == "minLength":
        yield path, f"'{where}' must not be empty", False
    elif name == "uniqueItems":
        yield path, f"'{where}' lists {_first_duplicate(value)} more than once", False
    else:
        # Keywords our schemas do not use (declarative rules may): the library's own wording.
        yield path, error.message, False


def _branch_score(errors: list[Any], path: NodePath) -> tuple[int, int, int]:
    """Lower is better: the branch the author most likely meant.

    A type mismatch at the node itself says the branch is the wrong shape;
    unknown or missing fields at the node say the wrong variant; errors
    deeper down say the right variant with a bad value.
    """
    here = [e for e in errors if tuple(e.instance_path) == path]
    wrong_shape = sum(1 for e in here if e.kind.name == "type")
    wrong_variant = sum(
        len(getattr(e.kind, "unexpected", ())) or 1
        for e in here
        if e.kind.name in ("additionalProperties", "required", "const")
    )
    return wrong_shape, wrong_variant, len(errors)


def _node(schema: dict[str, Any], schema_path: Iterable[Any]) -> dict[str, Any]:
    # jsonschema-rs gives the absolute keyword location ($refs already followed).
    node: Any = schema
    for step in schema_path:
        if isinstance(node, dict):
            node = node.get(step)
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
        else:
            return {}
    return node if isinstance(node, dict) else {}


def _describe(path: NodePath) -> str:
    """``("spec", "activities", 0, "raci")`` -> ``spec.activities[0].raci``."""
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text or "the document"


def _pattern_message(value: Any, pattern: str) -> str:
    match = _REF_PATTERN_RE.match(pattern)
    if match and pattern.endswith(_SLUG_PATTERN[1:]):
        kinds = match.group(1).split("|")
        noun = " or ".join(kinds)
        expected = " or ".join(f"{k}:<id>" for k in kinds)
        hint = _reference_hint(value, kinds)
        return f"{_show(value)} is not a valid {noun} reference (expected {expected}){hint}"
    if pattern == _SLUG_PATTERN:
        return (
            f"{_show(value)} is not a valid id (expected lower-case letters, digits and '-', "
            "e.g. incident-management)"
        )
    return f"{_show(value)} does not match the pattern {pattern}"


def _reference_hint(value: Any, kinds: list[str]) -> str:
    """``; write person:mrs-davis`` for ``Mrs. Davis`` or ``person:Mrs Davis``: a name's reference form."""
    if not isinstance(value, str):
        return ""
    prefix = value.partition(":")[0].lower()
    reference = reference_form(prefix if prefix in kinds else kinds[0], value)
    return f"; write {reference}" if reference else ""


def _format_message(value: Any, fmt: str) -> str:
    hint = {"date": " (expected YYYY-MM-DD)", "email": " (expected name@domain)"}.get(fmt, "")
    return f"{_show(value)} is not a valid {fmt}{hint}"


# Words YAML 1.1 read as booleans and YAML 1.2 (what govlint reads) keeps as text.
_YAML11_TRUE = frozenset(("yes", "y", "on"))
_YAML11_FALSE = frozenset(("no", "n", "off"))


def _type_message(value: Any, types: Any) -> str:
    """``expected …, got …``, and for the YAML 1.2 pitfalls what to write instead."""
    expected = [types] if isinstance(types, str) else list(types)
    wanted = _expected_types(expected)
    if "boolean" in expected and isinstance(value, str) and value.lower() in _YAML11_TRUE | _YAML11_FALSE:
        word = "true" if value.lower() in _YAML11_TRUE else "false"
        return (
            f"expected {wanted}, got {_show(value)}, which YAML 1.2 reads as text (not {word}); write {word}"
        )
    if "string" in expected and isinstance(value, (bool, int, float)):
        return (
            f"expected {wanted}, got {_show(value)}, which YAML reads as {_type_of(value)}; "
            f"quote it: '{_plain(value)}'"
        )
    return f"expected {wanted}, got {_type_of(value)}"


def _expected_types(types: Any) -> str:
    names = [types] if isinstance(types, str) else list(types)
    return " or ".join(_TYPE_NAMES.get(t, t) for t in names)


# bool before int: bool is a subclass of int.
_VALUE_TYPES: tuple[tuple[type, str], ...] = (
    (type(None), "nothing (null)"),
    (bool, "a boolean"),
    (int, "an integer"),
    (float, "a number"),
    (str, "a string"),
    (list, "a list"),
    (dict, "a mapping"),
)


def _type_of(value: Any) -> str:
    return next((name for cls, name in _VALUE_TYPES if isinstance(value, cls)), type(value).__name__)


def _show(value: Any) -> str:
    """A short quoted rendering of a value for messages."""
    if isinstance(value, str):
        text = value if len(value) <= 60 else value[:57] + "..."
        return f"'{text}'"
    if isinstance(value, (dict, list)):
        return _type_of(value)
    return json.dumps(value)


def _plain(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _first_duplicate(items: Any) -> str:
    seen: list[Any] = []
    for item in items if isinstance(items, list) else []:
        if item in seen:
            return _show(item)
        seen.append(item)
    return "an item"
