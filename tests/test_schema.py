"""The shipped JSON Schemas and their mapping of violations to node paths."""

from __future__ import annotations

import copy
import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from governance_lint.model import KINDS, Document, NodePath, Position
from governance_lint.schema import PATCHED_KINDS, SchemaSet, merge_patch, validate_instance

ROOT = Path(__file__).resolve().parent.parent
CLEAN = ROOT / "examples" / "clean"


@pytest.fixture(scope="module")
def schemas() -> SchemaSet:
    return SchemaSet.load()


class _NoLocator:
    def locate(self, path: NodePath, key: bool) -> Position:
        return Position(1, 1)


def _doc(data: Any, path: str = "test.yaml", index: int = 0) -> Document:
    return Document(path=path, index=index, data=data, start=Position(1, 1), locator=_NoLocator())


class _CoreLoader(yaml.SafeLoader):
    """PyYAML without YAML 1.1 timestamps: dates stay strings, as the govlint loader gives them."""


_CoreLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _load_documents(path: Path) -> list[Document]:
    rel = path.relative_to(CLEAN).as_posix()
    try:  # the real loader, once it exists
        from governance_lint.loader import load  # type: ignore[attr-defined]
    except ImportError:
        return [
            _doc(data, rel, i) for i, data in enumerate(yaml.load_all(path.read_text(), Loader=_CoreLoader))
        ]
    return list(load(rel, path.read_bytes()).documents)


# -- the schema files themselves ---------------------------------------------

SCHEMA_FILES = sorted(resources.files("governance_lint.schemas").iterdir(), key=lambda p: p.name)
# Every kind's schema as govlint uses it: shipped files, and kinds shipped as a merge patch composed.
SCHEMA_JSON = {f"{kind.lower()}.json": SchemaSet.load().schema(kind) for kind in KINDS}
SHIPPED = {p.name for p in SCHEMA_FILES if p.name.endswith(".json")}


def test_every_kind_has_a_schema_file_or_a_patch_on_another() -> None:
    for kind in KINDS:
        name = kind.lower()
        assert f"{name}.json" in SHIPPED or (name in PATCHED_KINDS and f"{name}.patch.json" in SHIPPED)
    assert {f"{k.lower()}.json" for k in KINDS if k.lower() not in PATCHED_KINDS} | {
        f"{k}.patch.json" for k in PATCHED_KINDS
    } == SHIPPED


def test_practice_shares_the_process_definitions() -> None:
    process, practice = SCHEMA_JSON["process.json"], SCHEMA_JSON["practice.json"]
    assert practice["$defs"]["activity"] == process["$defs"]["activity"]
    assert practice["properties"]["kind"]["const"] == "Practice"
    assert set(practice["$defs"]["spec"]["properties"]) - set(process["$defs"]["spec"]["properties"]) == {
        "processes"
    }
    assert merge_patch({"a": {"b": 1, "c": 2}}, {"a": {"b": None, "d": 3}}) == {"a": {"c": 2, "d": 3}}


@pytest.mark.parametrize("name", sorted(SCHEMA_JSON))
def test_schema_is_valid_draft_2020_12(name: str) -> None:
    schema = SCHEMA_JSON[name]
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"https://govlint.dev/schemas/v1/{name}"
    assert schema["title"] and schema["description"]


@pytest.mark.parametrize("name", sorted(SCHEMA_JSON))
def test_every_object_is_closed(name: str) -> None:
    """Unknown fields are errors (SPEC §2): every object schema says additionalProperties."""

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            if node.get("type") == "object" and "properties" in node:
                assert node.get("additionalProperties") is False, where
            for k, v in node.items():
                walk(v, f"{where}/{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{where}/{i}")

    walk(SCHEMA_JSON[name], name)


def test_shared_defs_do_not_drift() -> None:
    """Each file is standalone, so shared $defs are copies: they must stay identical."""
    seen: dict[str, tuple[str, Any]] = {}
    for name, schema in sorted(SCHEMA_JSON.items()):
        for key, value in schema["$defs"].items():
            if key in ("metadata", "spec"):
                continue
            first = seen.setdefault(key, (name, value))
            assert first[1] == value, f"$defs/{key} differs between {first[0]} and {name}"


def test_schema_set_api(schemas: SchemaSet) -> None:
    assert schemas.kinds() == KINDS
    assert json.loads(schemas.text("Process"))["title"] == "govlint Process"
    with pytest.raises(KeyError):
        schemas.text("Nope")
    assert len(schemas.digest()) == 64
    assert schemas.digest() == SchemaSet.load().digest()


# -- valid documents ----------------------------------------------------------

PROCESS_SPEC = {"purpose": "Restore service.", "owner": "person:mrs-davis"}
MINIMAL: dict[str, dict[str, Any]] = {
    "Process": PROCESS_SPEC,
    "Practice": {**PROCESS_SPEC, "processes": ["process:incident-management"]},
    "Service": {"owner": "person:tamika", "description": "Corporate e-mail"},
    "Person": {"email": "windy@example.org", "active": True},
    "Team": {"lead": "person:windy", "members": ["person:windy", "person:ann"], "external": False},
    "Policy": {"statement": "All incidents must be logged.", "category": "process"},
    "Glossary": {"terms": [{"term": "Incident", "definition": "An unplanned interruption."}]},
    "Rule": {
        "code": "ACME001",
        "severity": "warning",
        "description": "Every activity names its inputs.",
        "appliesTo": ["Process", "Practice"],
        "select": "spec.activities[*]",
        "assert": {"required": ["inputs"]},
        "message": "activity '{id}' names no inputs",
    },
}


def envelope(kind: str, spec: Any = None, **metadata: Any) -> dict[str, Any]:
    return {
        "apiVersion": "govlint/v1",
        "kind": kind,
        "metadata": {"id": "x", **metadata},
        "spec": copy.deepcopy(MINIMAL[kind]) if spec is None else spec,
    }


@pytest.mark.parametrize("kind", KINDS)
def test_minimal_document_is_valid(schemas: SchemaSet, kind: str) -> None:
    assert schemas.check(_doc(envelope(kind))) == []


def test_unknown_kind_is_left_to_gov003(schemas: SchemaSet) -> None:
    assert schemas.check(_doc({"apiVersion": "govlint/v1", "kind": "Gizmo"})) == []


def test_spec_example_process_is_valid(schemas: SchemaSet) -> None:
    spec = {
        **PROCESS_SPEC,
        "managers": [{"person": "person:windy", "scope": "Service Desk"}],
        "administrator": "person:dave",
        "practitioners": ["team:service-desk"],
        "escalation": ["person:windy", "person:mrs-davis"],
        "policies": ["policy:all-incidents-logged"],
        "terms": [
            {"term": "Incident", "definition": "An interruption.", "synonyms": ["outage"]},
            {"ref": "term:major-incident"},
        ],
        "activities": [
            {
                "id": "identify",
                "name": "Identify",
                "procedures": ["docs/identify.md"],
                "inputs": ["user-report"],
                "outputs": ["incident-record"],
                "policies": ["policy:all-incidents-logged"],
                "raci": {
                    "responsible": ["team:service-desk"],
                    "accountable": "person:windy",
                    "consulted": [],
                    "informed": ["person:mrs-davis"],
                },
            }
        ],
        "csfs": [{"id": "fast-restore", "description": "Restored within targets"}],
        "kpis": [
            {"id": "mttr", "description": "Mean time to restore", "target": "<= 4h", "csf": "fast-restore"}
        ],
        "interfaces": [
            {
                "process": "process:problem-management",
                "sends": ["incident-record"],
                "receives": ["known-error"],
            }
        ],
    }
    doc = envelope(
        "Process",
        spec,
        name="Incident Management",
        version="2.1.0",
        lastReviewed="2026-06-30",
        labels={"domain": "itsm"},
    )
    assert schemas.check(_doc(doc)) == []


def test_rules_report_missing_roles_not_the_schema(schemas: SchemaSet) -> None:
    """owner, managers, RACI roles and policies are left to GOV101/103/201/202/302."""
    spec = {"purpose": "p", "activities": [{"id": "a", "raci": {}}]}
    assert schemas.check(_doc(envelope("Process", spec))) == []


CLEAN_FILES = sorted((CLEAN / "governance").rglob("*.yaml"))


@pytest.mark.parametrize("path", CLEAN_FILES, ids=lambda p: p.relative_to(CLEAN).as_posix())
def test_clean_example_passes_its_schemas(schemas: SchemaSet, path: Path) -> None:
    documents = _load_documents(path)
    assert documents
    for doc in documents:
        assert doc.kind in KINDS
        assert schemas.check(doc) == [], f"{doc.path} document {doc.index}"


# -- invalid documents: where each violation points ---------------------------


def _set(kind: str, path: NodePath, value: Any, **metadata: Any) -> dict[str, Any]:
    doc = envelope(kind, **metadata)
    node: Any = doc
    for step in path[:-1]:
        node = node[step]
    if value is _DELETE:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return doc


_DELETE = object()
ACTIVITY = {"id": "log", "raci": {"responsible": ["team:service-desk"], "accountable": "person:windy"}}

INVALID = [
    # (case id, document, expected [(path, key)])
    ("unknown-spec-field", _set("Process", ("spec", "onwer"), "person:a"), [(("spec", "onwer"), True)]),
    (
        "unknown-fields-at-two-levels",
        _set("Person", ("spec", "phone"), "1") | {"extra": 1},
        [(("extra",), True), (("spec", "phone"), True)],
    ),
    ("missing-purpose", _set("Process", ("spec", "purpose"), _DELETE), [(("spec",), False)]),
    ("missing-metadata-id", _set("Team", ("metadata", "id"), _DELETE), [(("metadata",), False)]),
    ("bad-id", _set("Team", ("metadata", "id"), "Service Desk"), [(("metadata", "id"), False)]),
    (
        "bad-person-ref",
        _set("Process", ("spec", "managers"), [{"person": "person:Windy"}]),
        [(("spec", "managers", 0, "person"), False)],
    ),
    (
        "team-where-person",
        _set("Process", ("spec", "administrator"), "team:ops"),
        [(("spec", "administrator"), False)],
    ),
    (
        "list-expected",
        _set("Process", ("spec", "escalation"), "person:windy"),
        [(("spec", "escalation"), False)],
    ),
    (
        "impossible-date",
        _set("Policy", ("metadata", "lastReviewed"), "2023-02-30"),
        [(("metadata", "lastReviewed"), False)],
    ),
    (
        "no-review-date-on-person",
        _set("Person", ("metadata", "lastReviewed"), "2026-01-01"),
        [(("metadata", "lastReviewed"), True)],
    ),
    ("bad-enum", _set("Rule", ("spec", "severity"), "sometimes"), [(("spec", "severity"), False)]),
    ("bad-category", _set("Policy", ("spec", "category"), "finance"), [(("spec", "category"), False)]),
    (
        "label-not-string",
        _set("Service", ("metadata", "labels"), {"tier": 1}),
        [(("metadata", "labels", "tier"), False)],
    ),
    ("wrong-api-version", _set("Person", ("apiVersion",), "govlint/v2"), [(("apiVersion",), False)]),
    (
        "activity-missing-id",
        _set("Process", ("spec", "activities"), [{"name": "Log"}]),
        [(("spec", "activities", 0), False)],
    ),
    (
        "raci-unknown-role",
        _set("Process", ("spec", "activities"), [{**ACTIVITY, "raci": {**ACTIVITY["raci"], "supports": []}}]),
        [(("spec", "activities", 0, "raci", "supports"), True)],
    ),
    (
        "responsible-policy",
        _set("Process", ("spec", "activities"), [{**ACTIVITY, "raci": {"responsible": ["policy:x"]}}]),
        [(("spec", "activities", 0, "raci", "responsible", 0), False)],
    ),
    (
        "local-term-without-definition",
        _set("Process", ("spec", "terms"), [{"term": "Incident"}]),
        [(("spec", "terms", 0), False)],
    ),
    (
        "term-ref-bad-slug",
        _set("Process", ("spec", "terms"), [{"ref": "term:Major Incident"}]),
        [(("spec", "terms", 0, "ref"), False)],
    ),
    ("term-not-a-mapping", _set("Process", ("spec", "terms"), ["Incident"]), [(("spec", "terms", 0), False)]),
    (
        "duplicate-policy",
        _set("Process", ("spec", "policies"), ["policy:a", "policy:a"]),
        [(("spec", "policies"), False)],
    ),
    (
        "kpi-target-list",
        _set("Process", ("spec", "kpis"), [{"id": "k", "description": "d", "target": [1]}]),
        [(("spec", "kpis", 0, "target"), False)],
    ),
    (
        "practice-processes-ref",
        _set("Practice", ("spec", "processes"), ["incident-management"]),
        [(("spec", "processes", 0), False)],
    ),
    ("process-has-no-processes", _set("Process", ("spec", "processes"), []), [(("spec", "processes"), True)]),
    ("empty-glossary", _set("Glossary", ("spec", "terms"), []), [(("spec", "terms"), False)]),
    ("rule-missing-assert", _set("Rule", ("spec", "assert"), _DELETE), [(("spec",), False)]),
    ("rule-bad-code", _set("Rule", ("spec", "code"), "acme-1"), [(("spec", "code"), False)]),
    ("person-active-string", _set("Person", ("spec", "active"), "yes"), [(("spec", "active"), False)]),
    ("bad-email", _set("Person", ("spec", "email"), "windy"), [(("spec", "email"), False)]),
    ("spec-not-mapping", _set("Service", ("spec",), None), [(("spec",), False)]),
]


@pytest.mark.parametrize("document, expected", [c[1:] for c in INVALID], ids=[c[0] for c in INVALID])
def test_invalid_document(
    schemas: SchemaSet, document: dict[str, Any], expected: list[tuple[NodePath, bool]]
) -> None:
    found = schemas.check(_doc(document))
    assert [(path, key) for path, _message, key in found] == expected
    assert all(message for _path, message, _key in found)


def test_each_unknown_key_is_its_own_violation(schemas: SchemaSet) -> None:
    doc = envelope("Process", {**PROCESS_SPEC, "onwer": 1, "purpse": 2})
    assert [(p, k) for p, _m, k in schemas.check(_doc(doc))] == [
        (("spec", "onwer"), True),
        (("spec", "purpse"), True),
    ]


def test_violations_are_sorted_by_path(schemas: SchemaSet) -> None:
    spec = {
        **PROCESS_SPEC,
        "activities": [{"id": "B"}, {"id": "a", "raci": {"accountable": "team:x"}}],
        "zz": 1,
    }
    paths = [p for p, _m, _k in schemas.check(_doc(envelope("Process", spec, lastReviewed="2026-13-01")))]
    assert paths == [
        ("metadata", "lastReviewed"),
        ("spec", "activities", 0, "id"),
        ("spec", "activities", 1, "raci", "accountable"),
        ("spec", "zz"),
    ]


@pytest.mark.parametrize(
    "data, message",
    [
        (
            _set("Process", ("spec", "onwer"), "person:a"),
            (
                "unknown field 'onwer' in spec (did you mean 'owner'?) (allowed: purpose, owner, managers, "
                "administrator, practitioners, escalation, policies, terms, activities, csfs, kpis, interfaces)"
            ),
        ),
        (_set("Process", ("spec", "purpose"), _DELETE), "'spec' is missing required field 'purpose'"),
        (
            _set("Process", ("spec", "managers"), [{"person": "person:Windy"}]),
            "'person:Windy' is not a valid person reference (expected person:<id>); write person:windy",
        ),
        (
            _set("Process", ("spec", "owner"), "Mrs. Davis"),
            "'Mrs. Davis' is not a valid person reference (expected person:<id>); write person:mrs-davis",
        ),
        (
            _set("Process", ("spec", "Owner"), "person:a"),
            (
                "unknown field 'Owner' in spec (did you mean 'owner'?) (allowed: purpose, owner, managers, "
                "administrator, practitioners, escalation, policies, terms, activities, csfs, kpis, interfaces)"
            ),
        ),
        (
            _set("Person", ("spec", "active"), "no"),
            "expected true or false, got 'no', which YAML 1.2 reads as text (not false); write false",
        ),
        (
            _set("Person", ("spec", "active"), "Yes"),
            "expected true or false, got 'Yes', which YAML 1.2 reads as text (not true); write true",
        ),
        (
            _set("Process", ("metadata", "version"), 1.0),
            "expected a string, got 1.0, which YAML reads as a number; quote it: '1.0'",
        ),
        (
            _set("Policy", ("spec", "category"), "proces"),
            "'proces' is not one of process, it, hr, legal, security, other (did you mean 'process'?)",
        ),
        (_set("Process", ("spec", "escalation"), "person:windy"), "expected a list, got a string"),
        (
            _set("Policy", ("metadata", "lastReviewed"), "2023-02-30"),
            "'2023-02-30' is not a valid date (expected YYYY-MM-DD)",
        ),
        (_set("Rule", ("spec", "severity"), "sometimes"), "'sometimes' is not one of error, warning, info"),
        (
            _set("Rule", ("spec", "severity"), "eror"),
            "'eror' is not one of error, warning, info (did you mean 'error'?)",
        ),
    ],
)
def test_messages_are_worded_for_people(schemas: SchemaSet, data: dict[str, Any], message: str) -> None:
    assert [m for _p, m, _k in schemas.check(_doc(data))] == [message]


def test_impossible_date_is_reported(schemas: SchemaSet) -> None:
    for kind in ("Process", "Practice", "Policy"):
        found = schemas.check(_doc(envelope(kind, lastReviewed="2023-02-30")))
        assert [(p, k) for p, _m, k in found] == [(("metadata", "lastReviewed"), False)]
        assert "2023-02-30" in found[0][1]


# -- arbitrary schemas (declarative rules' assert, config) ---------------------


def test_validate_instance_maps_like_check() -> None:
    schema = {"required": ["inputs"], "properties": {"inputs": {"type": "array", "minItems": 1}}}
    assert validate_instance(schema, {"inputs": ["x"]}) == []
    assert [(p, k) for p, _m, k in validate_instance(schema, {})] == [((), False)]
    assert [(p, k) for p, _m, k in validate_instance(schema, {"inputs": []})] == [(("inputs",), False)]
    closed = {"type": "object", "properties": {"a": {}}, "additionalProperties": False}
    assert validate_instance(closed, {"b": 1}) == [
        (("b",), "unknown field 'b' in the document (allowed: a)", True)
    ]


def test_validate_instance_rejects_a_broken_schema() -> None:
    with pytest.raises(ValueError):
        validate_instance({"type": "no-such-type"}, 1)


def _process(spec: dict[str, Any]) -> Document:
    return _doc({"apiVersion": "govlint/v1", "kind": "Process", "metadata": {"id": "p"}, "spec": spec})


def _long_list_cases() -> list[tuple[str, dict[str, Any]]]:
    n = 60
    return [
        (
            "bad references among good",
            {"purpose": "x", "terms": [{"ref": f"term:{'X_' if i % 3 else 'ok-'}{i}"} for i in range(n)]},
        ),
        (
            "duplicates, a wrong type, an unknown field",
            {
                "purpose": "x",
                "bogus": 1,
                "policies": [f"policy:p-{i % 40}" if i % 7 else 12 for i in range(n)],
            },
        ),
        (
            "activities with bad RACI lines",
            {
                "owner": "person:X",
                "activities": [
                    {
                        "id": f"a{i}",
                        "name": "A",
                        "raci": {"responsible": "person:ok" if i % 5 else "Bob"},
                        f"extra{i % 2}": 1,
                    }
                    for i in range(n)
                ],
            },
        ),
        (
            "valid items, one duplicate at the end",
            {"purpose": "x", "practitioners": [*(f"person:p{i}" for i in range(n)), "person:p3"]},
        ),
        (
            "1 and 1.0 are one JSON value, true and 1 are not",
            {"purpose": "x", "escalation": [*(f"person:p{i}" for i in range(n)), 1, 1.0, True]},
        ),
        (
            "one activity's many bad procedures",
            {
                "purpose": "x",
                "activities": [
                    {"id": "a", "procedures": [f"p{i}" if i % 2 else 7 for i in range(n)]},
                    {"id": "b", "bogus": 1},
                ],
            },
        ),
        (
            "many activities, one with many bad procedures",
            {
                "purpose": "x",
                "activities": [
                    *({"id": f"a{i}"} for i in range(n)),
                    {"id": "z", "procedures": [7] * n, "extra": 1},
                    {"name": "no id"},
                ],
            },
        ),
        (
            "two long lists and a missing purpose",
            {
                "escalation": [f"person:p{i}" for i in range(n)],
                "kpis": [
                    {"id": f"k{i}"} if i % 2 else {"id": f"k{i}", "name": "K", "target": i} for i in range(n)
                ],
            },
        ),
    ]


@pytest.mark.parametrize(("name", "spec"), _long_list_cases(), ids=[name for name, _ in _long_list_cases()])
def test_long_lists_validated_item_by_item_find_what_the_whole_document_finds(
    schemas: SchemaSet, monkeypatch: pytest.MonkeyPatch, name: str, spec: dict[str, Any]
) -> None:
    """A long list's items are validated one by one (all of a document's errors at once took 740 MB for
    40,000 bad items): the violations are those of the whole document, every one of them."""
    from governance_lint import schema as module

    doc = _process(spec)
    whole = schemas.check(doc)
    assert whole  # every case is invalid
    monkeypatch.setattr(module, "SLICE_AT", 10)
    assert module._long_lists(schemas.schema("Process"), doc.data)  # the case takes the sliced path
    assert schemas.check(doc) == whole


def test_a_long_list_whose_items_schema_does_not_stand_alone_is_validated_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Items whose schema points outside the definitions cannot be validated alone: the document then
    is, as a whole, with the same violations."""
    from governance_lint import schema as module

    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {
            "kind": {"type": "string"},
            "one": {"type": "integer"},
            "list": {"type": "array", "items": {"$ref": "#/properties/one"}},
        },
    }
    schemas = SchemaSet({"Process": json.dumps(schema)})
    doc = _doc({"kind": "Process", "list": [1, "a", 2, "b"] * 5})
    whole = schemas.check(doc)
    assert [path for path, _, _ in whole] == [("list", i) for i in range(1, 20, 2)]
    monkeypatch.setattr(module, "SLICE_AT", 10)
    assert schemas.check(doc) == whole
