"""What each report must say, computed straight from the YAML with PyYAML, independently of govlint.

Used by the report and site tests: they compare govlint's output with these
row for row.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

PARTY = re.compile(r"^(person|team):.+$")
LETTERS = (("responsible", "R"), ("accountable", "A"), ("consulted", "C"), ("informed", "I"))


@dataclass
class Source:
    """One governance document: data, file and its node tree (for line numbers)."""

    data: dict[str, Any]
    path: str
    node: yaml.Node

    @property
    def kind(self) -> str:
        return str(self.data["kind"])

    @property
    def key(self) -> str:
        return f"{self.kind.lower()}:{self.data['metadata']['id']}"

    @property
    def spec(self) -> dict[str, Any]:
        return self.data.get("spec") or {}

    def line(self, *path: str | int) -> int:
        """1-based line of the node at ``path`` (a scalar at itself, a list item at its start)."""
        node = self.node
        for step in path:
            if isinstance(step, int):
                node = node.value[step]
            else:
                node = next(v for k, v in node.value if k.value == step)
        return int(node.start_mark.line) + 1


def documents(root: Path) -> list[Source]:
    """Every governance document under ``root/governance``, in path order."""
    found = []
    for file in sorted((root / "governance").rglob("*.yaml"), key=lambda p: p.relative_to(root).as_posix()):
        text = file.read_text(encoding="utf-8")
        for data, node in zip(yaml.safe_load_all(text), yaml.compose_all(text), strict=True):
            if isinstance(data, dict) and str(data.get("apiVersion", "")).startswith("govlint/"):
                found.append(Source(data, file.relative_to(root).as_posix(), node))
    return found


def processes(docs: list[Source]) -> list[Source]:
    return [d for d in docs if d.kind in ("Process", "Practice")]


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def names(docs: list[Source]) -> dict[str, str]:
    """Reference -> display name (``metadata.name``, else the id), the first document of a reference."""
    found: dict[str, str] = {}
    for doc in docs:
        found.setdefault(doc.key, doc.data["metadata"].get("name") or doc.data["metadata"]["id"])
    return found


def name(docs: list[Source], reference: str) -> str:
    return names(docs).get(reference, reference)


def matrices(docs: list[Source]) -> list[tuple[Source, list[str], list[tuple[str, str, dict[str, str]]]]]:
    """Per process: its parties in first-seen order, and (id, name, party -> letters) per activity."""
    found = []
    for doc in processes(docs):
        columns: list[str] = []
        table = []
        for activity in doc.spec.get("activities", []):
            letters: dict[str, str] = {}
            for field, letter in LETTERS:
                for party in as_list(activity.get("raci", {}).get(field)):
                    if isinstance(party, str) and PARTY.match(party):
                        if letter not in letters.get(party, ""):
                            letters[party] = letters.get(party, "") + letter
                        if party not in columns:
                            columns.append(party)
            table.append((activity["id"], activity.get("name", activity["id"]), letters))
        found.append((doc, columns, table))
    return found


def raci_named_rows(docs: list[Source]) -> list[list[str]]:
    """``report raci --format csv``: the rows with the process's, activity's and party's names."""
    known = names(docs)
    return [
        [doc.key, ident, party, letters[party], known[doc.key], activity, known.get(party, party)]
        for doc, columns, table in matrices(docs)
        for ident, activity, letters in table
        for party in columns
        if party in letters
    ]


def raci_grid(docs: list[Source]) -> list[list[str]]:
    """``report raci --format csv --layout grid``: header, then a row per process and activity."""
    known = names(docs)
    found = matrices(docs)
    parties = list(dict.fromkeys(p for _, columns, _ in found for p in columns))

    def label(party: str) -> str:
        shown = known.get(party, party)
        return party if shown in (party, party.split(":", 1)[1]) else f"{shown} ({party})"

    rows = [["process", "process_name", "activity", "activity_name", *map(label, parties)]]
    for doc, _, table in found:
        for ident, activity, letters in table:
            rows.append([doc.key, known[doc.key], ident, activity, *(letters.get(p, "") for p in parties)])
    return rows


def raci_rows(docs: list[Source]) -> list[list[str]]:
    return [row[:4] for row in raci_named_rows(docs)]


def role_rows(docs: list[Source]) -> list[list[str]]:
    """``report roles --format csv``: with the party's and the subject's (document's) names last."""
    rows: list[list[str]] = []
    known = names(docs)

    def add(doc: Source, role: str, subject: str, *path: str | int, scope: str = "") -> None:
        value: Any = doc.spec
        for step in path:
            value = value[step]
        line = str(doc.line("spec", *path))
        rows.append([value, role, subject, scope, doc.path, line, known.get(value, value), known[doc.key]])

    for doc in docs:
        spec = doc.spec
        if doc.kind in ("Process", "Practice"):
            add(doc, "owner", doc.key, "owner")
            for i, manager in enumerate(spec.get("managers", [])):
                add(doc, "manager", doc.key, "managers", i, "person", scope=manager.get("scope", ""))
            if "administrator" in spec:
                add(doc, "administrator", doc.key, "administrator")
            for field in ("practitioners", "escalation"):
                for i, _ in enumerate(spec.get(field, [])):
                    add(doc, "practitioner" if field == "practitioners" else "escalation", doc.key, field, i)
            for i, activity in enumerate(spec.get("activities", [])):
                subject = f"{doc.key}/{activity['id']}"
                for field, _ in LETTERS:
                    value = activity.get("raci", {}).get(field)
                    if isinstance(value, list):
                        for j, _ in enumerate(value):
                            add(doc, field, subject, "activities", i, "raci", field, j)
                    elif value is not None:
                        add(doc, field, subject, "activities", i, "raci", field)
        elif doc.kind in ("Service", "Policy") and "owner" in spec:
            add(doc, "service-owner" if doc.kind == "Service" else "policy-owner", doc.key, "owner")
        elif doc.kind == "Team":
            if "lead" in spec:
                add(doc, "team-lead", doc.key, "lead")
            for i, _ in enumerate(spec.get("members", [])):
                add(doc, "team-member", doc.key, "members", i)
    return sorted(rows, key=lambda row: row[0])  # stable: each party's roles in document order


def load_rows(docs: list[Source]) -> list[list[str]]:
    """``report load --format csv``: the counts, ``via_teams``, ``roles`` and the name, heaviest first.

    ``via_teams`` counts, per person, the activities a team she is a member of is Responsible for
    while she is not herself; ``roles`` her owner, manager and administrator assignments.
    """
    tally: dict[str, dict[str, int]] = {d.key: {} for d in docs if d.kind in ("Person", "Team")}
    seen: dict[str, set[str]] = {}
    for process, _, party, letters in raci_rows(docs):
        for letter in letters:
            tally.setdefault(party, {})[letter] = tally.setdefault(party, {}).get(letter, 0) + 1
        seen.setdefault(party, set()).add(process)
    members: dict[str, list[str]] = {}
    for doc in docs:
        if doc.kind == "Team":
            members.setdefault(doc.key, [m for m in doc.spec.get("members", []) if m.startswith("person:")])
    via: dict[str, set[tuple[str, int]]] = {}
    held: dict[str, int] = {}
    for doc in processes(docs):
        spec = doc.spec
        holders = as_list(spec.get("owner")) + [m["person"] for m in spec.get("managers", [])]
        for holder in holders + ([spec["administrator"]] if "administrator" in spec else []):
            held[holder] = held.get(holder, 0) + 1
            tally.setdefault(holder, {})
        for i, activity in enumerate(spec.get("activities", [])):
            responsible = as_list(activity.get("raci", {}).get("responsible"))
            for team in responsible:
                for person in members.get(team, []):
                    if person not in responsible:
                        via.setdefault(person, set()).add((doc.key, i))
                        tally.setdefault(person, {})
    known = names(docs)
    rows = [
        [
            party,
            *(str(counts.get(letter, 0)) for _, letter in LETTERS),
            str(len(seen.get(party, ()))),
            str(len(via.get(party, ()))),
            str(held.get(party, 0)),
            known.get(party, party),
        ]
        for party, counts in tally.items()
    ]
    return sorted(rows, key=lambda row: (-(int(row[1]) + int(row[6])), row[0]))


def map_json(docs: list[Source]) -> dict[str, Any]:
    nodes = [
        {"id": d.key, "name": d.data["metadata"].get("name", d.data["metadata"]["id"]), "kind": d.kind}
        for d in processes(docs)
    ]
    receives = {
        (d.key, i["process"]): set(i.get("receives", []))
        for d in processes(docs)
        for i in d.spec.get("interfaces", [])
    }
    edges = []
    for doc in processes(docs):
        for interface in doc.spec.get("interfaces", []):
            for artifact in interface.get("sends", []):
                edge = {
                    "from": doc.key,
                    "to": interface["process"],
                    "artifact": artifact,
                    "symmetric": artifact in receives.get((interface["process"], doc.key), set()),
                }
                if edge not in edges:
                    edges.append(edge)
            if not interface.get("sends") and not interface.get("receives"):  # "works with": no artifact
                pair = {doc.key, interface["process"]}
                if not any(e["artifact"] is None and {e["from"], e["to"]} == pair for e in edges):
                    edges.append(
                        {
                            "from": doc.key,
                            "to": interface["process"],
                            "artifact": None,
                            "symmetric": (interface["process"], doc.key) in receives,
                        }
                    )
    return {"nodes": nodes, "edges": edges}


def review_rows(docs: list[Source], today: dt.date, cycle: int = 365, within: int = 30) -> list[list[str]]:
    """``report reviews --format csv``: several owners joined with ``; ``, the names last."""
    known = names(docs)
    rows = []
    for doc in docs:
        if doc.kind not in ("Process", "Practice", "Policy"):
            continue
        owners = [o for o in as_list(doc.spec.get("owner")) if o]
        named = [doc.key, "; ".join(owners)]
        tail = [known[doc.key], "; ".join(known.get(o, o) for o in owners)]
        last = doc.data["metadata"].get("lastReviewed")
        if last is None:
            rows.append((dt.date.min, [*named, "", "", "never", *tail]))
            continue
        due = (
            last + dt.timedelta(days=cycle) if last < dt.date.max - dt.timedelta(days=cycle) else dt.date.max
        )
        status = "overdue" if today > due else "due-soon" if (due - today).days <= within else "ok"
        rows.append((due, [*named, last.isoformat(), due.isoformat(), status, *tail]))
    rows.sort(key=lambda pair: (pair[0] != dt.date.min, pair[0], pair[1][0]))
    return [row for _, row in rows]
