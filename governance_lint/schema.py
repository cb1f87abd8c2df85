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
        # per long list's items schema (by identity: the schemas are held here for the set's life)
        self._item_validators: dict[int, tuple[Any, dict[str, Any], Any]] = {}

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
        kind = doc.kind or ""
        validator = self._validators.get(kind)
        if validator is None or validator.is_valid(doc.data):
            return []
        return sorted(self._bounded(validator, self._schemas[kind], doc.data, ()), key=_order)

    def _bounded(
        self, validator: Any, schema: dict[str, Any], instance: Any, prefix: NodePath
    ) -> set[Violation]:
        """The violations of an instance known to be invalid, its long lists' items validated one by one.

        jsonschema-rs makes every error of an instance before it yields the
        first: a 1 MB file of 40,000 bad list items took 740 MB.  With long
        lists (``_long_lists``), the instance is validated with them emptied
        (for everything else), each list's own keywords are checked on the
        whole list, and each item against the items' schema (the same way,
        for a long list inside an item): the same violations, a few at a time.
        """
        long_lists = _long_lists(schema, instance)
        if not long_lists:
            return _violation_set(validator, schema, instance, prefix)
        found: set[Violation] = set()
        at_lists = {path for path, _, _ in long_lists}
        emptied = _emptied(instance, at_lists)
        if not validator.is_valid(emptied):
            # an emptied list may break its own keywords (minItems): those are checked on the whole list
            at = {prefix + path for path in at_lists}
            found.update(v for v in _violation_set(validator, schema, emptied, prefix) if v[0] not in at)
        for path, node, items in long_lists:
            found.update(_list_keywords(prefix + path, node, items))
            try:
                item_schema, item_validator = self._items(schema, node["items"])
            except ValueError:  # the items' schema does not stand alone: the instance is validated whole
                return _violation_set(validator, schema, instance, prefix)
            for index, item in enumerate(items):
                if not item_validator.is_valid(item):
                    found.update(self._bounded(item_validator, item_schema, item, (*prefix, *path, index)))
        return found

    def _items(self, schema: dict[str, Any], items: Any) -> tuple[dict[str, Any], Any]:
        """A schema and validator of a long list's items: ``items`` among the definitions of ``schema``."""
        held = self._item_validators.get(id(items))
        if held is None:
            wrapper = {"$defs": {**schema.get("$defs", {}), _ITEMS: items}, "$ref": f"#/$defs/{_ITEMS}"}
            if "$schema" in schema:
                wrapper["$schema"] = schema["$schema"]
            held = self._item_validators[id(items)] = (items, wrapper, _compile(wrapper))
        return held[1], held[2]


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
    return sorted(_violation_set(validator, schema, instance, ()), key=_order)


def _violation_set(validator: Any, schema: dict[str, Any], instance: Any, prefix: NodePath) -> set[Violation]:
    """Every violation of ``instance``, found at ``prefix`` in its document."""
    found: set[Violation] = set()
    for error in validator.iter_errors(instance):
        found.update(_explain(error, schema, prefix))
    return found


def _order(violation: Violation) -> tuple[Any, ...]:
    # Paths mix str and int steps: make them comparable, list items in index order.
    path, message, key = violation
    return tuple((0, s, "") if isinstance(s, int) else (1, 0, s) for s in path), message, key


def _explain(error: Any, schema: dict[str, Any], prefix: NodePath = ()) -> Iterable[Violation]:
    """The violations one error says; ``prefix``: where the instance validated lies in its document."""
    kind = error.kind
    name = kind.name
    relative: NodePath = tuple(error.instance_path)
    path = prefix + relative
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
        best = min(branches, key=lambda errors: _branch_score(errors, relative)) if branches else []
        if not best:
            yield path, f"{_show(value)} does not match any allowed form", False
        for inner in best:
            yield from _explain(inner, schema, prefix)
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
        yield path, _min_items_message(where, kind.limit), False
    elif name == "minLength":
        yield path, f"'{where}' must not be empty", False
    elif name == "uniqueItems":
        repeated = _repeated(value)
        yield path, _unique_items_message(where, _show(repeated[0]) if repeated else "an item"), False
    else:
        # Keywords our schemas do not use (declarative rules may): the library's own wording.
        yield path, error.message, False


def _min_items_message(where: str, limit: int) -> str:
    return f"'{where}' needs at least {limit} item{'s' if limit != 1 else ''}"


def _unique_items_message(where: str, repeated: str) -> str:
    return f"'{where}' lists {repeated} more than once"


# -- long lists, validated item by item ----------------------------------------

#: A list of more items than this, in a document that is not valid, is validated item by item.
SLICE_AT = 1_000
_ITEMS = "govlint-items"  # the name a long list's items schema takes among the definitions
#: What a schema node may say and still be followed (an object's) or sliced (an array's): nothing that
#: makes the validity of the node depend on the list's contents otherwise than item by item.
_NOTES = frozenset(
    {"description", "title", "$comment", "default", "examples", "deprecated", "$schema", "$id"}
)
_PLAIN_OBJECT = _NOTES | {"type", "required", "additionalProperties", "properties", "$defs"}
_PLAIN_ARRAY = _NOTES | {"type", "items", "uniqueItems", "minItems"}
_LongList = tuple[NodePath, dict[str, Any], list[Any]]  # its path, its schema node, its items


def _long_lists(schema: dict[str, Any], instance: Any) -> list[_LongList]:
    """The lists of more than ``SLICE_AT`` items that the schema checks item by item, reached from the
    document's root through plain object schemas (properties and ``$ref`` to a definition only)."""
    found: list[_LongList] = []
    # the root, or the node a wrapper's ``$ref`` names (a long list's items validated alone: ``_items``)
    root = _followed(schema, {"$ref": schema["$ref"]}) if "$ref" in schema else schema
    stack: list[tuple[NodePath, dict[str, Any] | None, Any]] = [((), root, instance)]
    while stack:
        path, node, data = stack.pop()
        if node is None or not isinstance(data, dict) or not node.keys() <= _PLAIN_OBJECT:
            continue
        properties = node.get("properties")
        if not isinstance(properties, dict):
            continue
        for key, value in data.items():
            child = _followed(schema, properties.get(key))
            if child is None:
                continue
            if isinstance(value, list) and child.get("type") == "array" and child.keys() <= _PLAIN_ARRAY:
                if len(value) > SLICE_AT and "items" in child:
                    found.append(((*path, key), child, value))
                elif "uniqueItems" not in child:  # an item's contents matter to it alone: into each
                    items = _followed(schema, child.get("items"))
                    stack.extend(((*path, key, i), items, item) for i, item in enumerate(value))
            elif isinstance(value, dict):
                stack.append(((*path, key), child, value))
    return found


def _followed(schema: dict[str, Any], node: Any) -> dict[str, Any] | None:
    """A schema node, a ``{"$ref": "#/$defs/NAME"}`` followed (a few times at most); None otherwise."""
    for _ in range(8):
        if not isinstance(node, dict):
            return None
        ref = node.get("$ref")
        if ref is None:
            return node
        if node.keys() - _NOTES != {"$ref"} or not isinstance(ref, str) or not ref.startswith("#/$defs/"):
            return None
        node = schema.get("$defs", {}).get(ref[len("#/$defs/") :])
    return None


def _emptied(instance: Any, paths: set[NodePath]) -> Any:
    """The instance with the lists at ``paths`` empty (what lies on the way copied, nothing else)."""
    on_the_way = {path[:end] for path in paths for end in range(len(path))}

    def walk(data: Any, here: NodePath) -> Any:
        if here in paths:
            return []
        if here not in on_the_way:
            return data
        if isinstance(data, dict):
            return {key: walk(value, (*here, key)) for key, value in data.items()}
        if isinstance(data, list):
            return [walk(value, (*here, index)) for index, value in enumerate(data)]
        return data

    return walk(instance, ())


def _list_keywords(path: NodePath, node: dict[str, Any], items: list[Any]) -> Iterable[Violation]:
    """A long list's own keywords (``minItems``, ``uniqueItems``), checked on the whole list."""
    where = _describe(path)
    limit = node.get("minItems")
    if isinstance(limit, int) and len(items) < limit:
        yield path, _min_items_message(where, limit), False
    if node.get("uniqueItems") is True:
        repeated = _repeated(items)
        if repeated:
            yield path, _unique_items_message(where, _show(repeated[0])), False


def _json_key(value: Any) -> Any:
    """A hashable key equal for two values exactly when JSON Schema holds them equal (1 and 1.0 are,
    true and 1 are not; mappings whatever their order)."""
    if isinstance(value, bool) or value is None:
        return ("literal", value)
    if isinstance(value, (int, float)):
        return ("number", int(value) if isinstance(value, float) and value.is_integer() else value)
    if isinstance(value, str):
        return ("string", value)
    if isinstance(value, list):
        return ("array", tuple(_json_key(v) for v in value))
    if isinstance(value, dict):
        return ("object", frozenset((k, _json_key(v)) for k, v in value.items()))
    return ("other", repr(value))


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


def _repeated(items: Any) -> list[Any]:
    """The first item equal to one before it, in a list of one ([] when there is none); one pass: a list
    of 40,000 items is not compared pairwise."""
    seen: set[Any] = set()
    for item in items if isinstance(items, list) else []:
        key = _json_key(item)
        if key in seen:
            return [item]
        seen.add(key)
    return []
