"""``report map``: how processes hand off to each other, one edge per artifact a process sends.

An interface that names no artifact is a "works with" edge (dashed, no
artifact).  A practice that groups processes is drawn once, as a group
around them (a dot cluster, a mermaid subgraph); an edge to the practice
itself meets the group.  Past ``MAX_NODES`` nodes a whole map is not drawn:
the site draws one map per practice and one neighbourhood per process
instead (``practice_map``, ``neighbourhood``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from ._html import page_of_reference
from ._text import json_text, md_table
from .repository import PROCESS_KINDS, Doc, RepositoryView

FORMATS = ("mermaid", "dot", "json", "md")
#: the most nodes one drawing holds (SPEC §9: a map past 300 nodes is split)
MAX_NODES = 300
WORKS_WITH = "works with"


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    #: the artifact sent; None for "works with": an interface that names no artifact
    artifact: str | None
    #: the target's interface with the source receives the artifact (GOV601 holds); for "works with",
    #: the target lists an interface with the source
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


def edges(repo: RepositoryView) -> list[Edge]:
    processes = list(repo.of_kind(*PROCESS_KINDS))
    received: dict[tuple[str, str], set[str]] = {}
    for doc in processes:
        for partner, _, receives in _interfaces(doc):
            received.setdefault((doc.key, partner), set()).update(receives)
    found: dict[tuple[str, str, str | None], Edge] = {}
    for doc in processes:
        for partner, sends, receives in _interfaces(doc):
            for artifact in sends:
                symmetric = artifact in received.get((partner, doc.key), set())
                found.setdefault((doc.key, partner, artifact), Edge(doc.key, partner, artifact, symmetric))
            if not sends and not receives and (partner, doc.key, None) not in found:
                symmetric = (partner, doc.key) in received
                found.setdefault((doc.key, partner, None), Edge(doc.key, partner, None, symmetric))
    return list(found.values())


def groups(repo: RepositoryView) -> dict[str, list[str]]:
    """Practice -> the processes it groups (each process in its first practice only; items that are not
    references, which check reports, are skipped)."""
    placed: set[str] = set()
    found: dict[str, list[str]] = {}
    for practice in repo.of_kind("Practice"):
        listed = [p for p in practice.items("processes") if isinstance(p, str)]
        members = [p for p in dict.fromkeys(listed) if p not in placed and p != practice.key]
        placed.update(members)
        found[practice.key] = members
    return found


def to_json(repo: RepositoryView) -> dict[str, Any]:
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
    """A quoted mermaid label: quotes and angle brackets as mermaid's entity codes, on one line."""
    escaped = text.replace("#", "#35;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
    return '"' + " ".join(escaped.split()) + '"'


@dataclass(frozen=True)
class Layout:
    """What a drawing shows: practices around the processes they group, the other nodes, the edges."""

    #: reference -> label, for every node (a process an interface names but nobody defines: its reference)
    labels: dict[str, str]
    #: (practice, the processes it groups): the practice is the group, never a node of its own
    clusters: list[tuple[str, list[str]]]
    loose: list[str]
    edges: list[Edge]
    defined: frozenset[str]

    @property
    def size(self) -> int:
        return len(self.labels)

    @cached_property
    def _order(self) -> dict[str, int]:
        return {key: n for n, key in enumerate(self.labels)}

    @cached_property
    def _group_of(self) -> dict[str, tuple[int, str]]:
        """A grouped process -> (its practice's position, the practice)."""
        return {m: (n, practice) for n, (practice, members) in enumerate(self.clusters) for m in members}

    @cached_property
    def _edges_of(self) -> dict[str, list[int]]:
        """A node -> the positions of the edges that meet it."""
        found: dict[str, list[int]] = {}
        for n, e in enumerate(self.edges):
            found.setdefault(e.source, []).append(n)
            if e.target != e.source:
                found.setdefault(e.target, []).append(n)
        return found

    def partners(self, key: str) -> set[str]:
        """``key`` and every node an edge joins it to."""
        found = {key}
        for n in self._edges_of.get(key, ()):
            found.update((self.edges[n].source, self.edges[n].target))
        return found

    def members(self, practice: str) -> list[str]:
        return next((m for p, m in self.clusters if p == practice), [])

    def subset(self, keep: Iterable[str]) -> Layout:
        """The part of this layout with the nodes ``keep``, the practices around them, and the edges between
        them; in this layout's order, so the same part is always drawn the same way."""
        wanted = set(keep) & self.labels.keys()
        grouped: dict[int, list[str]] = {}
        for key in wanted:
            if key in self._group_of:
                grouped.setdefault(self._group_of[key][0], []).append(key)
        clusters = [
            (self.clusters[n][0], sorted(members, key=self._order.__getitem__))
            for n, members in sorted(grouped.items())
        ]
        groups = {practice for practice, _ in clusters}
        shown = wanted | groups
        found = {n for key in shown for n in self._edges_of.get(key, ())}
        return Layout(
            {key: self.labels[key] for key in sorted(shown, key=self._order.__getitem__)},
            clusters,
            sorted(
                (k for k in wanted if k not in groups and k not in self._group_of),
                key=self._order.__getitem__,
            ),
            [
                self.edges[n]
                for n in sorted(found)
                if self.edges[n].source in shown and self.edges[n].target in shown
            ],
            self.defined,
        )


def layout(repo: RepositoryView) -> Layout:
    labels = {d.key: d.name for d in repo.of_kind(*PROCESS_KINDS)}
    defined = frozenset(labels)
    found = edges(repo)
    for e in found:
        labels.setdefault(e.source, e.source)
        labels.setdefault(e.target, e.target)
    clusters = [(practice, members) for practice, members in groups(repo).items() if members]
    for _, members in clusters:
        for key in members:
            labels.setdefault(key, key)
    inside = {key for _, members in clusters for key in members} | {practice for practice, _ in clusters}
    return Layout(labels, clusters, [k for k in labels if k not in inside], found, defined)


def neighbourhood(drawing: Layout, key: str) -> Layout:
    """One process, its interface partners and the practices they belong to."""
    return drawing.subset(drawing.partners(key))


def practice_map(drawing: Layout, practice: str) -> Layout:
    """A practice with the processes it groups and every partner of those."""
    partners: set[str] = set()
    for key in (practice, *drawing.members(practice)):
        partners |= drawing.partners(key)
    return drawing.subset(partners)


def edge_label(edge: Edge) -> str:
    if edge.artifact is None:
        return WORKS_WITH
    return edge.artifact if edge.symmetric else f"{edge.artifact} (one-sided)"


def mermaid(repo: RepositoryView) -> str:
    drawing = layout(repo)

    def node(key: str, indent: str) -> str:
        return f"{indent}{mermaid_id(key)}[{_mermaid_label(drawing.labels[key])}]"

    lines = ["flowchart LR"]
    for practice, members in drawing.clusters:
        lines.append(f"  subgraph {mermaid_id(practice)}[{_mermaid_label(drawing.labels[practice])}]")
        lines += [node(key, "    ") for key in members]
        lines.append("  end")
    lines += [node(key, "  ") for key in drawing.loose]
    for e in drawing.edges:
        arrow = "-->" if e.symmetric and e.artifact is not None else "-.->"
        label = _mermaid_label(edge_label(e))
        lines.append(f"  {mermaid_id(e.source)} {arrow}|{label}| {mermaid_id(e.target)}")
    return "\n".join(lines) + "\n"


def dot_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def dot(repo: RepositoryView) -> str:
    """The map in Graphviz's language; each defined node links to its site page."""
    return dot_text(layout(repo), page_of_reference)


def dot_text(drawing: Layout, url: Callable[[str], str], name: str = "processes") -> str:
    """A layout in Graphviz's language.  ``url`` gives a defined node's link (the site's own page name,
    never repository text: Graphviz writes a URL into the SVG as it is)."""

    def node(key: str, indent: str) -> str:
        link = f", URL={dot_string(url(key))}" if key in drawing.defined else ""
        return f"{indent}{dot_string(key)} [label={dot_string(drawing.labels[key])}{link}];"

    lines = [
        f"digraph {name} {{",
        "  rankdir=LR; compound=true;",
        '  node [shape=box, style="rounded,filled", fillcolor="#eef3fb", fontname="Helvetica"];',
        '  graph [fontname="Helvetica"];',
        '  edge [fontname="Helvetica", fontsize=10];',
    ]
    #: a practice drawn as a group: its cluster's name and the node an edge to it attaches to
    anchor: dict[str, tuple[str, str]] = {}
    for n, (practice, members) in enumerate(drawing.clusters):
        cluster = f"cluster_{n}"
        anchor[practice] = (cluster, members[0])
        link = f" URL={dot_string(url(practice))};" if practice in drawing.defined else ""
        lines.append(f"  subgraph {cluster} {{")
        lines.append(f"    label={dot_string(drawing.labels[practice])}; style=dashed;{link}")
        lines += [node(key, "    ") for key in members]
        lines.append("  }")
    lines += [node(key, "  ") for key in drawing.loose]
    for e in drawing.edges:
        if e.artifact is None:
            style = ', style=dashed, dir=none, color="#5b6475", fontcolor="#5b6475"'
        elif not e.symmetric:
            style = ', style=dashed, color="#b00020", fontcolor="#b00020"'
        else:
            style = ""
        source, target = e.source, e.target
        if source in anchor:
            style += f", ltail={anchor[source][0]}"
            source = anchor[source][1]
        if target in anchor:
            style += f", lhead={anchor[target][0]}"
            target = anchor[target][1]
        label = dot_string(edge_label(e))
        lines.append(f"  {dot_string(source)} -> {dot_string(target)} [label={label}{style}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def markdown(repo: RepositoryView) -> str:
    rows = [
        (e.source, e.target, e.artifact or f"— ({WORKS_WITH})", "yes" if e.symmetric else "no (GOV601)")
        for e in edges(repo)
    ]
    table = md_table(("From", "To", "Artifact", "Both sides agree"), rows) if rows else "No interfaces.\n"
    return "```mermaid\n" + mermaid(repo) + "```\n\n" + table


def render(repo: RepositoryView, fmt: str, options: dict[str, Any]) -> str:
    if fmt == "dot":
        return dot(repo)
    if fmt == "json":
        return json_text(to_json(repo))
    if fmt == "md":
        return markdown(repo)
    return mermaid(repo)
