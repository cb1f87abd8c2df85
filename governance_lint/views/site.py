"""``govlint site``: a static HTML site of the repository, from Jinja2 templates.

Every page links to the pages of what it references, relative to itself, so
the site opens from the file system and can be published as it is.  The
process map is drawn with Graphviz ``dot`` at build time (when it is
installed); nothing is fetched from the network.  Pages, their order and
their bytes depend only on the repository and ``--today``.

The site's folder holds a manifest (``.govlint-site.json``) of the files
the build wrote.  A rebuild writes only the files whose bytes changed, and
removes the files the earlier manifest lists that this build no longer
writes (the page of a removed person) — never any other file.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Collection, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from ..model import term_slug
from ..safe_write import Folder
from . import load, map, raci, reviews, roles
from ._html import PAGE_NAME, environment, file_name
from .repository import PROCESS_KINDS, Doc, RepositoryView

PAGE_KINDS = ("Process", "Practice", "Service", "Policy", "Person", "Team")
MANIFEST = ".govlint-site.json"
MANIFEST_FORMAT = 1
#: what a manifest entry may name: a file the site writes, nothing else (a manifest may be forged)
SITE_FILE = re.compile(r"^(?:[a-z0-9-]+/)?[a-z0-9-]+\.(?:html|svg|css)$")
_MANIFEST_LIMIT = 16 * 1024 * 1024
_MISSING = '<span class="ref missing" title="not defined in the repository">%s</span>'
_XML_PROLOGUE = re.compile(r"\A.*?(?=<svg)", re.DOTALL)
_SVG_START = re.compile(r"(?=<\?xml )")
#: SVG elements Graphviz draws with; anything else in a drawing means it is not ours to show
_SVG_TAGS = frozenset(
    (
        "svg",
        "g",
        "title",
        "polygon",
        "polyline",
        "ellipse",
        "path",
        "text",
        "a",
        "defs",
        "desc",
        "circle",
        "rect",
    )
)


def page_of(doc: Doc) -> str:
    return f"{doc.kind.lower()}/{file_name(doc.id)}.html"


def owners_of(doc: Doc) -> list[str]:
    """Every owner a document names (``owner`` is one reference or a list of them)."""
    value = doc.spec.get("owner")
    values = value if isinstance(value, list) else [value]
    return list(dict.fromkeys(v for v in values if isinstance(v, str)))


def texts(value: Any) -> list[str]:
    """A list of strings at a node (a single string counts as one); other items are skipped."""
    values = value if isinstance(value, list) else [value]
    return [v for v in values if isinstance(v, str)]


@dataclass
class Pages:
    """The pages of the site and the links between them."""

    repo: RepositoryView

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

        made: dict[tuple[str, str, bool], Markup] = {}  # a site names the same parties thousands of times

        @jinja2.pass_context
        def ref(context: jinja2.runtime.Context, reference: Any) -> Markup:
            root = str(context.get("root", ""))
            text = str(reference)
            key = (root, text, isinstance(reference, str))
            found = made.get(key)
            if found is None:
                found = made[key] = self._link(root, text, isinstance(reference, str))
            return found

        return ref

    def _link(self, root: str, text: str, is_text: bool) -> Markup:
        href = self.href(text) if is_text else None
        if href is None:
            return Markup(_MISSING % escape(text))
        label = self.repo.label(text) if not text.startswith("term:") else text[len("term:") :]
        # Plain formatting of escaped parts: Markup.format costs more than the rest of a page.
        return Markup(f'<a href="{escape(root + href)}" title="{escape(text)}">{escape(label)}</a>')

    def url(self, prefix: str) -> Callable[[str], str]:
        """A map node's link: the site's own page name of a reference, relative to a page in ``prefix``."""

        def url(reference: str) -> str:
            doc = self.repo.resolve(reference)
            return prefix + (page_of(doc) if doc is not None else "index.html")

        return url


# -- the map ---------------------------------------------------------------------------------------


def draw_maps(dot_texts: list[str]) -> list[str | None]:
    """Each map as inline SVG drawn by Graphviz ``dot`` (several processes at once, each drawing many
    maps); None for a map when ``dot`` is not installed, fails, or draws something unexpected."""
    program = shutil.which("dot")
    if program is None or not dot_texts:
        return [None] * len(dot_texts)
    jobs = max(1, min(os.cpu_count() or 1, len(dot_texts) // 50 + 1))
    size = -(-len(dot_texts) // jobs)
    chunks = [dot_texts[n : n + size] for n in range(0, len(dot_texts), size)]
    with ThreadPoolExecutor(max_workers=len(chunks)) as pool:
        drawn = list(pool.map(lambda chunk: _draw(program, chunk), chunks))
    return [svg for chunk in drawn for svg in chunk]


def _draw(program: str, dot_texts: list[str]) -> list[str | None]:
    nothing: list[str | None] = [None] * len(dot_texts)
    try:
        done = subprocess.run(
            [program, "-Tsvg"],
            input="".join(dot_texts).encode("utf-8"),
            capture_output=True,
            timeout=300,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return nothing
    if done.returncode != 0:
        return nothing
    pieces = [p for p in _SVG_START.split(done.stdout.decode("utf-8", "replace")) if p.strip()]
    if len(pieces) != len(dot_texts):
        return nothing
    return [_clean_svg(piece) for piece in pieces]


def _clean_svg(text: str) -> str | None:
    """The SVG without its prologue and comments, if it holds only what Graphviz draws and links only to
    the site's own pages; else None."""
    svg = re.sub(r"<!--.*?-->\n?", "", _XML_PROLOGUE.sub("", text, count=1), flags=re.DOTALL)
    try:
        tree = ElementTree.fromstring(svg)
    except ElementTree.ParseError:
        return None
    for element in tree.iter():
        if element.tag.rpartition("}")[2] not in _SVG_TAGS:
            return None
        for name, value in element.attrib.items():
            local = name.rpartition("}")[2].lower()
            if local.startswith("on") or (local == "href" and not PAGE_NAME.match(value)):
                return None
    return svg


@dataclass(frozen=True)
class Maps:
    """The site's drawings: the whole map when it is small enough, else one map per practice and a
    neighbourhood per process (inline on their pages)."""

    split: bool
    dot_text: str
    svg: str | None
    #: reference -> its map (None: not drawn; absent: too many nodes to draw)
    parts: dict[str, str | None]
    drawn: bool


def make_maps(whole: map.Layout, pages: Pages) -> Maps:
    """Draw the maps (``dot`` runs outside Python's lock, so the pages render meanwhile)."""
    if whole.size <= map.MAX_NODES:
        dot_text = map.dot_text(whole, pages.url(""))
        (svg,) = draw_maps([dot_text])
        return Maps(False, dot_text, svg, {}, svg is not None or whole.size == 0)
    parts: dict[str, map.Layout] = {}
    for doc in pages.documents:
        if doc.kind in PROCESS_KINDS:
            part = (
                map.practice_map(whole, doc.key)
                if doc.kind == "Practice"
                else map.neighbourhood(whole, doc.key)
            )
            if part.size <= map.MAX_NODES:
                parts[doc.key] = part
    texts = [map.dot_text(part, pages.url("../"), f"map{n}") for n, part in enumerate(parts.values())]
    drawn = draw_maps(texts)
    return Maps(True, "", None, dict(zip(parts, drawn, strict=True)), all(d is not None for d in drawn))


# -- the data of the pages ---------------------------------------------------------------------------


def _findings(repo: RepositoryView) -> list[dict[str, Any]]:
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


def _reviews(repo: RepositoryView) -> list[reviews.Review]:
    """The review calendar (a date so late its due date passes the calendar's end is clamped there)."""
    return reviews.reviews(repo)


def activities(doc: Doc) -> list[dict[str, Any]]:
    """Each activity's name, procedures, inputs and outputs, for the process page."""
    found = []
    for position, raw in enumerate(doc.items("activities")):
        if not isinstance(raw, dict):
            continue
        ident = raci.activity_id(raw, position)
        found.append(
            {
                "id": ident,
                "name": raw["name"] if isinstance(raw.get("name"), str) else ident,
                "procedures": texts(raw.get("procedures")),
                "inputs": texts(raw.get("inputs")),
                "outputs": texts(raw.get("outputs")),
                "policies": texts(raw.get("policies")),
            }
        )
    return found


@dataclass(frozen=True)
class Built:
    """What a build did: files written and left as they were (pages only), files removed, the map drawn."""

    written: int
    unchanged: int
    removed: int
    drawn: bool


class _Writer:
    """Writes the site's files into its folder, leaving alone those whose bytes are already there."""

    def __init__(self, folder: Folder) -> None:
        self.folder = folder
        self.files: list[str] = []
        self.written = self.unchanged = 0

    def __call__(self, relative: str, data: bytes) -> None:
        self.files.append(relative)
        if self.folder.read(relative, len(data)) == data:
            self.unchanged += relative.endswith(".html")
            return
        self.folder.write(relative, data)
        self.written += relative.endswith(".html")

    def finish(self) -> int:
        """Write the manifest; remove what the earlier one lists that this build did not write."""
        earlier = _manifest(self.folder.read(MANIFEST, _MANIFEST_LIMIT))
        now = set(self.files)
        removed = sum(self.folder.remove(name) for name in sorted(earlier - now))
        text = json.dumps({"govlint-site": MANIFEST_FORMAT, "files": sorted(now)}, indent=1) + "\n"
        self.folder.write(MANIFEST, text.encode("utf-8"))
        return removed


def _manifest(data: bytes | None) -> set[str]:
    """The files an earlier build wrote, as its manifest lists them (only names the site writes)."""
    try:
        raw = json.loads(data or b"null")
    except ValueError:
        return set()
    files = raw.get("files") if isinstance(raw, dict) else None
    if not isinstance(files, list):
        return set()
    return {f for f in files if isinstance(f, str) and SITE_FILE.match(f) and ".." not in f}


def _by(items: Iterable[tuple[str, Doc]]) -> dict[str, list[Doc]]:
    found: dict[str, list[Doc]] = {}
    for key, doc in items:
        found.setdefault(key, []).append(doc)
    return found


def build_site(repo: RepositoryView, out_dir: Path, checked: Collection[str] = ()) -> Built:
    """Write the site into ``out_dir`` (never over one of ``checked``, root-relative paths)."""
    env = environment()
    pages = Pages(repo)
    loads = {x.party: x for x in load.loads(repo)}
    held: dict[str, list[roles.Role]] = {}
    for role in roles.roles(repo):
        held.setdefault(role.party, []).append(role)
    teams_of = _by(
        (member, team)
        for team in repo.of_kind("Team")
        for member in dict.fromkeys(m for m in team.items("members") if isinstance(m, str))
    )
    review_of = {r.doc.key: r for r in _reviews(repo)}
    matrices = {m.process.key: m for m in raci.matrices(repo)}
    practice_of = _by(
        (member, practice)
        for practice in repo.of_kind("Practice")
        for member in dict.fromkeys(m for m in practice.items("processes") if isinstance(m, str))
    )
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
    whole = map.layout(repo)
    edges_of: dict[str, list[map.Edge]] = {}
    for edge in whole.edges:
        edges_of.setdefault(edge.source, []).append(edge)
        if edge.target != edge.source:
            edges_of.setdefault(edge.target, []).append(edge)
    common = {
        "today": repo.today.isoformat(),
        "page_of": page_of,
        "owners_of": owners_of,
    }

    env.filters["ref"] = pages.linker()

    def render(template: str, root: str, **values: Any) -> bytes:
        return env.get_template(template).render(root=root, **common, **values).encode("utf-8")

    with Folder(out_dir, root=repo.root, checked=checked) as folder, ThreadPoolExecutor(1) as pool:
        drawing = pool.submit(make_maps, whole, pages)
        write = _Writer(folder)
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

        def values_of(doc: Doc) -> dict[str, Any]:
            return {"doc": doc, "title": doc.name, "findings": findings_of.get((doc.path, doc.key), [])}

        for doc in pages.documents:
            if doc.kind in ("Person", "Team"):
                page = render(
                    "party.html",
                    "../",
                    **values_of(doc),
                    roles=held.get(doc.key, []),
                    load=loads.get(doc.key),
                    max_activities=repo.max_activities,
                    teams=teams_of.get(doc.key, []),
                )
            elif doc.kind == "Policy":
                page = render(
                    "policy.html",
                    "../",
                    **values_of(doc),
                    review=review_of.get(doc.key),
                    governs=governed.get(doc.key, []),
                )
            elif doc.kind == "Service":
                page = render("service.html", "../", **values_of(doc))
            else:
                continue
            write(page_of(doc), page)
        maps = drawing.result()
        mapped = [d for kind in ("Practice", "Process") for d in by_kind[kind]]
        write(
            "map.html",
            render(
                "map.html",
                "",
                title="Process map",
                svg=Markup(maps.svg) if maps.svg else None,
                maps=maps,
                mapped=mapped,
                max_nodes=map.MAX_NODES,
                nodes=whole.size,
                edges=whole.edges,
            ),
        )
        if maps.svg is not None:
            write("map.svg", maps.svg.encode("utf-8"))
        for doc in pages.documents:
            if doc.kind not in PROCESS_KINDS:
                continue
            part = maps.parts.get(doc.key)
            page = render(
                "process.html",
                "../",
                **values_of(doc),
                matrix=matrices[doc.key],
                activities=activities(doc),
                review=review_of.get(doc.key),
                practices=practice_of.get(doc.key, []),
                edges=edges_of.get(doc.key, []),
                split=maps.split,
                part_svg=Markup(part) if part else None,
                part_known=doc.key in maps.parts,
                max_nodes=map.MAX_NODES,
            )
            write(page_of(doc), page)
        removed = write.finish()
    return Built(write.written, write.unchanged, removed, maps.drawn)
