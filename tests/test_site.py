"""``govlint site``: the site of examples/clean opened in a real headless Chromium from the file system."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
import report_oracle as oracle
from helpers import run_govlint

ROOT = Path(__file__).resolve().parent.parent
CLEAN = ROOT / "examples" / "clean"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def build(out: Path, cwd: Path = CLEAN, env: dict[str, str] | None = None) -> str:
    args = ("site", str(out), "--today", "2026-11-28")
    done = run_govlint(*args, cwd=cwd) if env is None else run_govlint(*args, cwd=cwd, env=env)
    assert done.returncode == 0, done.stderr
    return done.stderr


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "out"
    assert "wrote" in build(out)
    return out


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_a_page_for_everything_the_index_lists(site: Path) -> None:
    docs = oracle.documents(CLEAN)
    expected = {
        f"{d.kind.lower()}/{d.data['metadata']['id']}.html"
        for d in docs
        if d.kind in ("Process", "Practice", "Service", "Policy", "Person", "Team")
    }
    found = {p.relative_to(site).as_posix() for p in pages(site)}
    assert found == expected | {"index.html", "glossary.html", "map.html"}
    index = (site / "index.html").read_text()
    for page in expected:
        assert f'href="{page}"' in index


def test_the_process_page_says_who_runs_it_and_its_raci(site: Path) -> None:
    text = (site / "process" / "incident-management.html").read_text()
    for heading in (
        "Roles",
        "RACI matrix",
        "Escalation path",
        "Policies",
        "Critical success factors and KPIs",
        "Terms",
        "Interfaces",
        "Review",
        "Findings",
    ):
        assert f"<h2>{heading}</h2>" in text
    assert '<a href="../person/mrs-davis.html" title="person:mrs-davis">' in text
    assert "(Service Desk)" in text  # a manager's scope
    rows = [r for r in oracle.raci_rows(oracle.documents(CLEAN)) if r[0] == "process:incident-management"]
    assert text.count('<th scope="row">') >= len({r[1] for r in rows})


def test_the_site_is_deterministic(site: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    build(again)
    first = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first == second


def test_an_out_dir_that_is_a_link_is_refused(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real)
    done = run_govlint("site", str(link), cwd=CLEAN)
    assert done.returncode == 2 and "symbolic link" in done.stderr
    assert list(real.iterdir()) == []


def test_links_planted_in_the_out_dir_are_not_followed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.html"
    victim.write_text("keep")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (out / "index.html").symlink_to(victim)
    (out / "process").symlink_to(elsewhere)
    done = run_govlint("site", str(out), cwd=CLEAN)
    assert done.returncode == 2 and "symbolic link" in done.stderr
    assert victim.read_text() == "keep"
    assert list(elsewhere.iterdir()) == []
    assert not (out / "index.html").is_symlink()  # replaced by the page, the link's target untouched


def test_without_dot_the_map_is_its_dot_text_with_a_note(tmp_path: Path) -> None:
    tools = tmp_path / "bin"
    tools.mkdir()
    git = shutil.which("git")
    assert git is not None
    (tools / "git").symlink_to(git)
    env = {**os.environ, "PATH": str(tools)}
    stderr = build(tmp_path / "out", env=env)
    assert "Graphviz `dot` is not installed" in stderr
    text = (tmp_path / "out" / "map.html").read_text()
    assert "<pre>digraph processes {" in text and "<svg" not in text


# -- in the browser ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()


def test_every_page_loads_offline_with_no_error_and_every_link_resolves(site: Path, browser) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    errors: list[str] = []
    outside: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "request", lambda request: None if request.url.startswith("file://") else outside.append(request.url)
    )
    page.on("requestfailed", lambda request: errors.append(f"failed {request.url}"))
    checked = 0
    for html in pages(site):
        page.goto(html.as_uri())
        assert page.evaluate("document.styleSheets.length") == 1, html  # style.css loaded from disk
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            url = urlparse(href)
            assert url.scheme == "file", (html, href)
            target = Path(unquote(url.path))
            assert target.is_file(), (html, href)
            if url.fragment:
                assert f'id="{url.fragment}"' in target.read_text(), (html, href)
            checked += 1
        assert page.eval_on_selector_all("img:not([alt])", "els => els.length") == 0, html
        assert page.eval_on_selector_all("th:not([scope])", "els => els.length") == 0, html
    assert errors == [] and outside == []
    assert checked > 100
    page.close()


def test_the_map_is_a_picture_with_links_to_the_process_pages(site: Path, browser) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    page.goto((site / "map.html").as_uri())
    box = page.locator("figure.map svg").bounding_box()
    assert box is not None and box["width"] > 100 and box["height"] > 50
    nodes = oracle.map_json(oracle.documents(CLEAN))["nodes"]
    drawn = page.eval_on_selector_all("figure.map svg g.node text", "els => els.map(e => e.textContent)")
    groups = page.eval_on_selector_all("figure.map svg g.cluster text", "els => els.map(e => e.textContent)")
    # Each practice is drawn once, as the group around its processes, never also as a box inside it.
    assert sorted(drawn) == sorted(n["name"] for n in nodes if n["kind"] == "Process")
    assert sorted(groups) == sorted(n["name"] for n in nodes if n["kind"] == "Practice") == ["Service Desk"]
    links = page.eval_on_selector_all("figure.map svg a", "els => els.map(e => e.getAttribute('xlink:href'))")
    assert "process/incident-management.html" in links and "practice/service-desk.html" in links
    page.close()


SCREENS = {
    "index": "index.html",
    "process": "process/incident-management.html",
    "map": "map.html",
    "person": "person/windy.html",
}


@pytest.mark.parametrize("width", [1280, 390])
def test_the_main_pages_read_at_desktop_and_phone_width_and_are_screenshotted(  # type: ignore[no-untyped-def]
    site: Path, browser, tmp_path: Path, width: int
) -> None:
    page = browser.new_page(viewport={"width": width, "height": 844})
    for name, relative in SCREENS.items():
        page.goto((site / relative).as_uri())
        # Wide tables and the map scroll inside their own box: the page itself never scrolls sideways.
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, width)
        assert page.locator("header.site nav a").count() == 4, name
        assert page.locator("main h1").count() == 1 and page.locator("main h1").inner_text().strip(), name
        shot = tmp_path / f"{name}-{width}.png"
        page.screenshot(path=str(shot), full_page=True)
        print(f"screenshot of {relative} at {width} px: {shot}")
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page.close()


def test_the_index_never_splits_a_list_item_across_columns(site: Path, browser) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1280, "height": 844})
    page.goto((site / "index.html").as_uri())
    styles = page.eval_on_selector_all(
        "ul.columns li", "els => els.map(e => getComputedStyle(e).breakInside)"
    )
    assert styles and set(styles) == {"avoid"}
    # each item's box is whole: one rectangle, not a fragment in each of two columns
    fragments = page.eval_on_selector_all("ul.columns li", "els => els.map(e => e.getClientRects().length)")
    assert set(fragments) == {1}
    page.close()


def test_the_process_page_shows_each_activity_s_procedures_inputs_and_outputs(site: Path) -> None:
    text = (site / "process" / "incident-management.html").read_text()
    activities = text.split("<h2>Activities</h2>")[1].split("<h2>")[0]
    assert (
        '<th scope="col">Procedures</th><th scope="col">Inputs</th><th scope="col">Outputs</th>' in activities
    )
    assert "<li>docs/incident/log.md</li>" in activities
    assert "<li>Monitoring alerts above warning level open an incident automatically.</li>" in activities
    assert "<li>incident-report</li>" in activities and "<li>incident-record</li>" in activities


def test_every_owner_is_listed_when_several(tmp_path: Path) -> None:
    repo = tmp_path / "clean"
    shutil.copytree(CLEAN, repo)
    path = repo / "governance" / "processes" / "change-enablement.yaml"
    text = path.read_text()
    assert "\n  owner: person:fatima\n" in text
    path.write_text(text.replace("\n  owner: person:fatima\n", "\n  owner: [person:fatima, person:ken]\n"))
    build(tmp_path / "out", cwd=repo)
    page = (tmp_path / "out" / "process" / "change-enablement.html").read_text()
    owners = page.split("<dt>Owners</dt><dd>")[1].split("</dd>")[0]
    assert 'href="../person/fatima.html"' in owners and 'href="../person/ken.html"' in owners


def test_a_repository_with_findings_gets_its_site_with_the_findings_shown(tmp_path: Path) -> None:
    repo = tmp_path / "clean"
    shutil.copytree(CLEAN, repo)
    path = repo / "governance" / "processes" / "problem-management.yaml"
    path.write_text(path.read_text().replace("receives: [incident-record", "receives: [incident-report"))
    stderr = build(tmp_path / "out", cwd=repo)
    assert "govlint: note: the repository has findings" in stderr
    index = (tmp_path / "out" / "index.html").read_text()
    assert "GOV601 interface-symmetric" in index
    page = (tmp_path / "out" / "process" / "problem-management.html").read_text()
    assert "GOV601 interface-symmetric" in page and "no (GOV601)" in page


def test_hostile_names_and_ids_stay_text_inside_the_site(tmp_path: Path) -> None:
    repo = tmp_path / "clean"
    shutil.copytree(CLEAN, repo)
    (repo / "governance" / "processes" / "hostile.yaml").write_text(
        "apiVersion: govlint/v1\n"
        "kind: Process\n"
        "metadata: {id: ../../escape, name: '<script>alert(1)</script>'}\n"
        "spec:\n"
        "  purpose: x\n"
        "  owner: person:mrs-davis\n"
        "  managers: [{person: person:windy}]\n"
        "  activities:\n"
        "    - {id: a, raci: {responsible: ['team:\"><img src=x>'], accountable: person:windy}}\n"
    )
    out = tmp_path / "out"
    build(out, cwd=repo)
    written = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.html")}
    assert all(name.startswith(("out/", "clean/")) for name in written)
    hostile = [p for p in (out / "process").iterdir() if p.name.startswith("id-")]
    assert len(hostile) == 1
    text = hostile[0].read_text()
    assert "<script>alert" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<img src=x>" not in text
