"""``govlint site``: a static HTML site of the repository, from Jinja2 templates.

Every page links to the pages of what it references, relative to itself, so
the site opens from the file system and can be published as it is.  The
process map is drawn with Graphviz ``dot`` at build time (when it is
installed); nothing is fetched from the network.  Pages, their order and
their bytes depend only on the repository and ``--today``.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from ..model import SLUG_RE, term_slug
from . import load, map, raci, reviews, roles
from ._html import environment
from .files import SiteFolder
from .repository import PROCESS_KINDS, Doc, Repository

PAGE_KINDS = ("Process", "Practice", "Service", "Policy", "Person", "Team")
_MISSING = '<span class="ref missing" title="not defined in the repository">%s</span>'
_XML_PROLOGUE = re.compile(r"\A.*?(?=<svg)", re.DOTALL)


def file_name(ident: str) -> str:
    """A page's file name for an id: the id when it is a slug, else a digest of it (ids with findings)."""
    if SLUG_RE.match(ident):
        return ident
    return "id-" + hashlib.sha256(ident.encode("utf-8")).hexdigest()[:16]


def page_of(doc: Doc) -> str:
    return f"{doc.kind.lower()}/{file_name(doc.id)}.html"


@dataclass
class Pages:
    """The pages of the site and the links between them."""

    repo: Repository

    def __post_init__(self) -> None:
        # The first document of each key has the page (a clashing id is reported by check).
        self.documents = [
            d for d in self.repo.documents if d.kind in PAGE_KINDS and self.repo.resolve(d.key) is d
        ]
        self.glossary_terms = sorted(
            (
                (term_slug(t["term"]), t)
                for g in self.repo.of_kind("Glossary")
                for t in g.items("terms")
                if isinstance(t, dict) and isinstance(t.get("term"), str)
            ),
            key=lambda pair: pair[0],
        )
        self.term_slugs = {slug for slug, _ in self.glossary_terms}

    def href(self, reference: str) -> str | None:
        """The page of a reference, relative to the site's top; None when nothing defines it."""
        if reference.startswith("term:"):
            slug = reference[len("term:") :]
            return f"glossary.html#term-{slug}" if slug in self.term_slugs else None
        doc = self.repo.resolve(reference)
        return page_of(doc) if doc is not None and doc.kind in PAGE_KINDS else None

    def linker(self) -> Callable[[jinja2.runtime.Context, Any], Markup]:
        """The ``ref`` filter: a reference as a link relative to the page (its ``root``), or text if it
        names nothing."""

        @jinja2.pass_context
        def ref(context: jinja2.runtime.Context, reference: Any) -> Markup:
            root = str(context.get("root", ""))
            text = str(reference)
            href = self.href(text) if isinstance(reference, str) else None
            if href is None:
                return Markup(_MISSING % escape(text))
            label = self.repo.label(text) if not text.startswith("term:") else text[len("term:") :]
            # Plain formatting of escaped parts: Markup.format costs more than the rest of a page.
            return Markup(f'<a href="{escape(root + href)}" title="{escape(text)}">{escape(label)}</a>')

        return ref


def draw_map(dot_text: str) -> str | None:
    """The map as inline SVG drawn by Graphviz ``dot``; None when ``dot`` is not installed or fails."""
    program = shutil.which("dot")
    if program is None:
        return None
    try:
        done = subprocess.run(
            [program, "-Tsvg"], input=dot_text.encode("utf-8"), capture_output=True, timeout=300, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    svg = _XML_PROLOGUE.sub("", done.stdout.decode("utf-8"), count=1)
    return re.sub(r"<!--.*?-->\n?", "", svg, flags=re.DOTALL)


def _findings(repo: Repository) -> list[dict[str, Any]]:
    return [
        {
            "where": f"{d.path}:{d.line}",
            "code": d.code,
            "name": d.name,
            "severity": d.severity.label,
            "message": d.message,
            "entity": d.entity,
        }
        for d in repo.findings
    ]


def build_site(repo: Repository, out_dir: Path) -> tuple[int, bool]:
    """Write the site; the number of pages written, and whether the map was drawn as a picture."""
    env = environment()
    pages = Pages(repo)
    loads = {x.party: x for x in load.loads(repo)}
    held: dict[str, list[roles.Role]] = {}
    for role in roles.roles(repo):
        held.setdefault(role.party, []).append(role)
    teams_of: dict[str, list[Doc]] = {}
    for team in repo.of_kind("Team"):
        for member in dict.fromkeys(m for m in team.items("members") if isinstance(m, str)):
            teams_of.setdefault(member, []).append(team)
    review_of = {r.doc.key: r for r in reviews.reviews(repo)}
    matrices = {m.process.key: m for m in raci.matrices(repo)}
    practice_of: dict[str, list[Doc]] = {}
    for practice in repo.of_kind("Practice"):
        for member in practice.items("processes"):
            if isinstance(member, str):
                practice_of.setdefault(member, []).append(practice)
    governed: dict[str, list[Doc]] = {}
    for process in repo.of_kind(*PROCESS_KINDS):
        named = list(process.items("policies"))
        for activity in process.items("activities"):
            listed = activity.get("policies") if isinstance(activity, dict) else None
            named += listed if isinstance(listed, list) else []
        for policy in dict.fromkeys(p for p in named if isinstance(p, str)):
            governed.setdefault(policy, []).append(process)
    by_kind = {kind: [d for d in pages.documents if d.kind == kind] for kind in PAGE_KINDS}
    for kind in by_kind:
        by_kind[kind].sort(key=lambda d: (d.name.lower(), d.id))
    findings = _findings(repo)
    findings_of: dict[tuple[str, str | None], list[dict[str, Any]]] = {}
    for finding, diagnostic in zip(findings, repo.findings, strict=True):
        findings_of.setdefault((diagnostic.path, diagnostic.entity), []).append(finding)
    all_edges = map.edges(repo)
    edges_of: dict[str, list[map.Edge]] = {}
    for edge in all_edges:
        edges_of.setdefault(edge.source, []).append(edge)
        if edge.target != edge.source:
            edges_of.setdefault(edge.target, []).append(edge)
    dot_text = map.dot(repo)
    svg = draw_map(dot_text)
    common = {"today": repo.today.isoformat(), "page_of": page_of}

    env.filters["ref"] = pages.linker()

    def render(template: str, root: str, **values: Any) -> bytes:
        return env.get_template(template).render(root=root, **common, **values).encode("utf-8")

    written = 0
    with SiteFolder(out_dir) as folder:

        def write(relative: str, data: bytes) -> None:
            nonlocal written
            folder.write(relative, data)
            written += relative.endswith(".html")

        write("style.css", env.loader.get_source(env, "style.css")[0].encode("utf-8"))  # type: ignore[union-attr]
        write(
            "index.html",
            render(
                "index.html",
                "",
                title="Governance",
                by_kind=by_kind,
                terms=pages.glossary_terms,
                findings=findings,
                summary=repo.summary,
                documents=len(repo.documents),
            ),
        )
        write(
            "glossary.html",
            render(
                "glossary.html",
                "",
                title="Glossary",
                terms=pages.glossary_terms,
                glossaries=list(repo.of_kind("Glossary")),
            ),
        )
        write(
            "map.html",
            render(
                "map.html",
                "",
                title="Process map",
                svg=Markup(svg) if svg else None,
                dot_text=dot_text,
                edges=all_edges,
            ),
        )
        if svg is not None:
            write("map.svg", svg.encode("utf-8"))
        for doc in pages.documents:
            root = "../"
            values: dict[str, Any] = {
                "doc": doc,
                "title": doc.name,
                "findings": findings_of.get((doc.path, doc.key), []),
            }
            if doc.kind in PROCESS_KINDS:
                template = "process.html"
                values.update(
                    matrix=matrices[doc.key],
                    review=review_of.get(doc.key),
                    practices=practice_of.get(doc.key, []),
                    edges=edges_of.get(doc.key, []),
                )
            elif doc.kind in ("Person", "Team"):
                template = "party.html"
                values.update(
                    roles=held.get(doc.key, []),
                    load=loads.get(doc.key),
                    max_activities=repo.max_activities,
                    teams=teams_of.get(doc.key, []),
                )
            elif doc.kind == "Policy":
                template = "policy.html"
                values.update(review=review_of.get(doc.key), governs=governed.get(doc.key, []))
            else:
                template = "service.html"
            write(page_of(doc), render(template, root, **values))
    return written, svg is not None
