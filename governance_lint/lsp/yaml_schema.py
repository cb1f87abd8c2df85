"""``govlint schema --all``: one JSON Schema for every governance file, for yaml-language-server.

Each document's schema is picked by its ``kind`` (``if``/``then`` on a
``kind`` const).  The kinds' own ``$defs`` are hoisted to the top as
``Kind_name`` and their ``$ref``s rewritten, so the result holds no embedded
resources and any draft 2020-12 consumer resolves it.
"""

from __future__ import annotations

from typing import Any

from ..schema import SchemaSet

SCHEMA_ID = "https://govlint.dev/schemas/v1/all.json"


def combined_schema(schemas: SchemaSet) -> dict[str, Any]:
    kinds = schemas.kinds()
    hoisted: dict[str, Any] = {}
    branches = []
    for kind in kinds:
        own = dict(schemas.schema(kind))
        for key in ("$schema", "$id"):
            own.pop(key, None)
        for name, definition in own.pop("$defs", {}).items():
            hoisted[f"{kind}_{name}"] = _rewrite(definition, kind)
        hoisted[kind] = _rewrite(own, kind)
        branches.append({"if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]},
                         "then": {"$ref": f"#/$defs/{kind}"}})
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "govlint governance document",
        "description": "Any govlint/v1 document; its schema is chosen by its kind.",
        "type": "object",
        "required": ["apiVersion", "kind"],
        "properties": {
            "apiVersion": {"const": "govlint/v1", "description": "The file format version: govlint/v1."},
            "kind": {"enum": list(kinds), "description": "The document kind."},
        },
        "allOf": branches,
        "$defs": hoisted,
    }


def _rewrite(node: Any, kind: str) -> Any:
    """``node`` with every local ``#/$defs/x`` reference renamed to ``#/$defs/Kind_x``."""
    if isinstance(node, dict):
        out = {k: _rewrite(v, kind) for k, v in node.items()}
        ref = out.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            out["$ref"] = f"#/$defs/{kind}_{ref[len('#/$defs/'):]}"
        return out
    if isinstance(node, list):
        return [_rewrite(v, kind) for v in node]
    return node
