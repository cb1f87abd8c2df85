"""``report map``: how processes hand off to each other, one edge per artifact a process sends."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ._text import json_text, md_table
from .repository import PROCESS_KINDS, Doc, Repository

FORMATS = ("mermaid", "dot", "json", "md")


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    artifact: str
    #: the target's interface with the source receives the artifact (GOV601 holds)
    symmetric: bool


def _strings(value: Any) -> list[str]:
    return [x for x in value if isinstance(x, str)] if isinstance(value, list) else []


def _interfaces(doc: Doc) -> list[tuple[str, list[str], list[str]]]:
    """(partner, sends, receives) of each interface of a process."""
    return [
        (entry["process"], _strings(entry.get("sends")), _strings(entry.get("receives")))
        for entry in doc.items("interfaces")
        if isinstance(entry, dict) and isinstance(entry.get("process"), str)
    ]


def edges(repo: Repository) -> list[Edge]:
    processes = list(repo.of_kind(*PROCESS_KINDS))
    received: dict[tuple[str, str], set[str]] = {}
    for doc in processes:
        for partner, _, receives in _interfaces(doc):
            received.setdefault((doc.key, partner), set()).update(receives)
    found: dict[tuple[str, str, str], Edge] = {}
    for doc in processes:
        for partner, sends, _ in _interfaces(doc):
            for artifact in sends:
                symmetric = artifact in received.get((partner, doc.key), set())
                found.setdefault((doc.key, partner, artifact), Edge(doc.key, partner, artifact, symmetric))
    return list(found.values())


def groups(repo: Repository) -> dict[str, list[str]]:
    """Practice -> the processes it groups (each process in its first practice only)."""
    placed: set[str] = set()
    found: dict[str, list[str]] = {}
    for practice in repo.of_kind("Practice"):
        members = [
            p
            for p in dict.fromkeys(p for p in practice.items("processes") if isinstance(p, str))
            if p not in placed and p != practice.key
        ]
        placed.update(members)
        found[practice.key] = members
    return found


def to_json(repo: Repository) -> dict[str, Any]:
    return {
        "nodes": [{"id": d.key, "name": d.name, "kind": d.kind} for d in repo.of_kind(*PROCESS_KINDS)],
        "edges": [
            {"from": e.source, "to": e.target, "artifact": e.artifact, "symmetric": e.symmetric}
            for e in edges(repo)
        ],
    }


def mermaid_id(reference: str) -> str:
    """A mermaid node id for a reference: ids are slugs, so ``-`` → ``_`` and ``:`` → ``__`` stay unique."""
    return "n_" + re.sub(r"[^A-Za-z0-9_]", lambda m: "__" if m.group() == ":" else "_", reference)


def _mermaid_label(text: str) -> str:
    return '"' + text.replace('"', "#quot;").replace("\n", " ") + '"'


@dataclass(frozen=True)
class Layout:
    """What a drawing shows: practices with the processes they group, the other nodes, the edges."""

    #: reference -> label, for every node (a process an interface names but nobody defines: its reference)
    labels: dict[str, str]
    #: (practice, its members, the practice first)
    clusters: list[tuple[str, list[str]]]
    loose: list[str]
    edges: list[Edge]
    defined: frozenset[str]


def layout(repo: Repository) -> Layout:
    labels = {d.key: d.name for d in repo.of_kind(*PROCESS_KINDS)}
    defined = frozenset(labels)
    found = edges(repo)
    for e in found:
        labels.setdefault(e.target, e.target)
    clusters = [(practice, [practice, *members]) for practice, members in groups(repo).items()]
    inside = {key for _, members in clusters for key in members}
    for _, members in clusters:
        for key in members:
            labels.setdefault(key, key)
    return Layout(labels, clusters, [k for k in labels if k not in inside], found, defined)


def edge_label(edge: Edge) -> str:
    return edge.artifact if edge.symmetric else f"{edge.artifact} (one-sided)"


def mermaid(repo: Repository) -> str:
    drawing = layout(repo)

    def node(key: str, indent: str) -> str:
        return f"{indent}{mermaid_id(key)}[{_mermaid_label(drawing.labels[key])}]"

    lines = ["flowchart LR"]
    for practice, members in drawing.clusters:
        title = _mermaid_label(drawing.labels[practice])
        lines.append(f"  subgraph {mermaid_id('group:' + practice)}[{title}]")
        lines += [node(key, "    ") for key in members]
        lines.append("  end")
    lines += [node(key, "  ") for key in drawing.loose]
    for e in drawing.edges:
        arrow = "-->" if e.symmetric else "-.->"
        label = _mermaid_label(edge_label(e))
        lines.append(f"  {mermaid_id(e.source)} {arrow}|{label}| {mermaid_id(e.target)}")
    return "\n".join(lines) + "\n"


def dot_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def dot(repo: Repository) -> str:
    """The map in Graphviz's language; each defined node links to its site page."""
    drawing = layout(repo)

    def node(key: str, indent: str) -> str:
        link = f", URL={dot_string(page_of(key))}" if key in drawing.defined else ""
        return f"{indent}{dot_string(key)} [label={dot_string(drawing.labels[key])}{link}];"

    lines = [
        "digraph processes {",
        "  rankdir=LR;",
        '  node [shape=box, style="rounded,filled", fillcolor="#eef3fb", fontname="Helvetica"];',
        '  graph [fontname="Helvetica"];',
        '  edge [fontname="Helvetica", fontsize=10];',
    ]
    for n, (practice, members) in enumerate(drawing.clusters):
        lines.append(f"  subgraph cluster_{n} {{")
        lines.append(f"    label={dot_string(drawing.labels[practice])}; style=dashed;")
        lines += [node(key, "    ") for key in members]
        lines.append("  }")
    lines += [node(key, "  ") for key in drawing.loose]
    for e in drawing.edges:
        style = "" if e.symmetric else ', style=dashed, color="#b00020", fontcolor="#b00020"'
        label = dot_string(edge_label(e))
        lines.append(f"  {dot_string(e.source)} -> {dot_string(e.target)} [label={label}{style}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def page_of(reference: str) -> str:
    """The site page of a reference, relative to the site's top (``process/incident-management.html``)."""
    kind, _, ident = reference.partition(":")
    return f"{kind}/{ident}.html"


def markdown(repo: Repository) -> str:
    rows = [(e.source, e.target, e.artifact, "yes" if e.symmetric else "no (GOV601)") for e in edges(repo)]
    table = md_table(("From", "To", "Artifact", "Both sides agree"), rows) if rows else "No interfaces.\n"
    return "```mermaid\n" + mermaid(repo) + "```\n\n" + table


def render(repo: Repository, fmt: str, options: dict[str, Any]) -> str:
    if fmt == "dot":
        return dot(repo)
    if fmt == "json":
        return json_text(to_json(repo))
    if fmt == "md":
        return markdown(repo)
    return mermaid(repo)
