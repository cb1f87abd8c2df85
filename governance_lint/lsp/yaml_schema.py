"""``govlint schema --all``: one JSON Schema for every governance file, for yaml-language-server.

Each document's schema is picked by its ``kind`` (``if``/``then`` on a
``kind`` const).  The kinds' own ``$defs`` are hoisted to the top as
``definitions/Kind_name`` and their ``$ref``s rewritten, so the result holds
no embedded resources.  It is written as draft-07, the newest draft
yaml-language-server supports; the kinds' schemas use no keyword newer than
that besides ``$defs``.
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
        branches.append(
            {
                "if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]},
                "then": {"$ref": f"#/definitions/{kind}"},
            }
        )
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
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
        "definitions": hoisted,
    }


def _rewrite(node: Any, kind: str) -> Any:
    """``node`` with every local ``#/$defs/x`` reference renamed to ``#/definitions/Kind_x``."""
    if isinstance(node, dict):
        out = {k: _rewrite(v, kind) for k, v in node.items()}
        ref = out.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            out["$ref"] = f"#/definitions/{kind}_{ref[len('#/$defs/') :]}"
        return out
    if isinstance(node, list):
        return [_rewrite(v, kind) for v in node]
    return node
