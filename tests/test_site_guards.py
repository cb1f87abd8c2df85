"""The site and ``report --output`` in a repository a pull request controls (SPEC §9, §11): nothing written
through a planted link, a rebuild that replaces the earlier site and nothing else, no attribute built from
repository text, no crash on a value at the edge of its type.  Real git repositories, the installed
``govlint``, real symbolic links, and headless Chromium for what a browser would run."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from helpers import git, make_repo, run_govlint

ROOT = Path(__file__).resolve().parent.parent
CLEAN = ROOT / "examples" / "clean"
CHROMIUM = "/usr/bin/chromium"
QUINN = "apiVersion: govlint/v1\nkind: Person\nmetadata: {id: quinn-temp, name: Quinn}\nspec: {email: quinn@example.org}\n"
HOSTILE_ID = 'x" autofocus tabindex="0" onfocus="alert(1)'


def clean_repo(tmp_path: Path) -> Path:
    """examples/clean as a committed git repository."""
    repo = tmp_path / "repo"
    shutil.copytree(CLEAN, repo)
    return make_repo(repo, commit=True)


def one_error_line(done: object, *words: str) -> None:
    returncode, stderr = done.returncode, done.stderr  # type: ignore[attr-defined]
    assert returncode == 2, stderr
    assert len(stderr.splitlines()) == 1 and stderr.startswith("govlint: error: "), stderr
    for word in words:
        assert word in stderr


@pytest.fixture
def planted(tmp_path: Path) -> tuple[Path, Path]:
    """A committed repository with ``reports -> <outside>``; returns (repo, outside)."""
    outside = tmp_path / "outside"
    outside.mkdir()
    repo = tmp_path / "repo"
    shutil.copytree(CLEAN, repo)
    (repo / "reports").symlink_to(outside, target_is_directory=True)
    make_repo(repo, commit=True)
    assert git(repo, "ls-files", "reports").strip() == "reports"
    return repo, outside


# -- 1. one writer: never through a link planted in the repository -------------------------------------


@pytest.mark.parametrize("target", ["reports/summary.md", "reports/deeper/summary.md"])
def test_report_output_through_a_planted_folder_link_is_refused(
    planted: tuple[Path, Path], target: str
) -> None:
    repo, outside = planted
    if "deeper" in target:
        (outside / "deeper").mkdir()
    done = run_govlint("report", "summary", "--output", target, cwd=repo)
    one_error_line(done, "symbolic link")
    assert [p.name for p in outside.rglob("*") if p.is_file()] == []


def test_report_output_over_a_checked_file_is_refused(tmp_path: Path) -> None:
    repo = clean_repo(tmp_path)
    victim = repo / "governance" / "teams.yaml"
    before = victim.read_bytes()
    done = run_govlint("report", "roles", "--output", "governance/teams.yaml", cwd=repo)
    one_error_line(done, "files being checked")
    assert victim.read_bytes() == before


def test_report_output_into_a_real_folder_is_written(tmp_path: Path) -> None:
    repo = clean_repo(tmp_path)
    (repo / "reports").mkdir()
    done = run_govlint("report", "map", "--format", "json", "--output", "reports/map.json", cwd=repo)
    assert done.returncode == 0, done.stderr
    assert json.loads((repo / "reports" / "map.json").read_text())["nodes"]


# -- 2. the site's folder through a planted link ---------------------------------------------------------


@pytest.mark.parametrize("target", ["reports/site", "reports"])
def test_the_site_is_never_written_through_a_planted_folder_link(
    planted: tuple[Path, Path], target: str
) -> None:
    repo, outside = planted
    done = run_govlint("site", target, cwd=repo)
    one_error_line(done, "symbolic link")
    assert list(outside.iterdir()) == []


# -- 3. a rebuild replaces the earlier site, and only it -------------------------------------------------


def site(repo: Path, out: Path) -> str:
    done = run_govlint("site", str(out), "--today", "2026-11-28", cwd=repo)
    assert done.returncode == 0, done.stderr
    return done.stderr.splitlines()[-1]


def test_a_rebuild_removes_pages_the_earlier_build_wrote_and_nothing_else(tmp_path: Path) -> None:
    repo = clean_repo(tmp_path)
    (repo / "governance" / "people" / "quinn.yaml").write_text(QUINN)
    out = tmp_path / "out"
    first = site(repo, out)
    assert first.startswith("govlint: wrote ") and "(0 unchanged)" in first
    manifest = json.loads((out / ".govlint-site.json").read_text())
    assert "person/quinn-temp.html" in manifest["files"] and "index.html" in manifest["files"]
    mine = out / "person" / "notes.html"
    mine.write_text("the user's own file")
    (out / "README.md").write_text("mine too")

    # quinn leaves: the person document goes, and so must the page
    (repo / "governance" / "people" / "quinn.yaml").unlink()
    second = site(repo, out)
    assert not (out / "person" / "quinn-temp.html").exists()
    assert "removed 1 file of the earlier site" in second
    assert mine.read_text() == "the user's own file" and (out / "README.md").read_text() == "mine too"
    assert "person/quinn-temp.html" not in json.loads((out / ".govlint-site.json").read_text())["files"]


def test_a_rebuild_after_one_edit_writes_only_the_pages_that_changed(tmp_path: Path) -> None:
    repo = clean_repo(tmp_path)
    out = tmp_path / "out"
    site(repo, out)
    pages = {p: p.stat().st_mtime_ns for p in out.rglob("*.html")}
    assert site(repo, out).startswith(f"govlint: wrote 0 pages to {out} ({len(pages)} unchanged)")
    path = repo / "governance" / "processes" / "change-enablement.yaml"
    path.write_text(path.read_text().replace("Maximise the number", "Edited: maximise the number", 1))
    line = site(repo, out)
    assert line.startswith(f"govlint: wrote 1 page to {out} ({len(pages) - 1} unchanged)"), line
    changed = [p.relative_to(out).as_posix() for p, t in pages.items() if p.stat().st_mtime_ns != t]
    assert changed == ["process/change-enablement.html"]
    assert "Edited: maximise" in (out / "process" / "change-enablement.html").read_text()


def test_a_forged_manifest_removes_nothing_outside_the_site_s_own_pages(tmp_path: Path) -> None:
    repo = clean_repo(tmp_path)
    out = repo / "docs" / "site"  # a committed site folder: a pull request may edit its manifest
    site(repo, out)
    victim = tmp_path / "victim.html"
    victim.write_text("keep")
    forged = [
        "../../../victim.html",
        str(victim),
        "../../governance/teams.yaml",
        "governance/teams.yaml",
        "process",
        "person/../../../victim.html",
    ]
    (out / ".govlint-site.json").write_text(json.dumps({"govlint-site": 1, "files": forged}))
    before = (repo / "governance" / "teams.yaml").read_bytes()
    assert "removed" not in site(repo, out)
    assert victim.read_text() == "keep" and (repo / "governance" / "teams.yaml").read_bytes() == before
    assert (out / "process").is_dir()


# -- 6. no attribute from repository text: a hostile id in the map ---------------------------------------


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        launched = driver.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--no-first-run"], headless=True
        )
        yield launched
        launched.close()


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot is not installed")
def test_a_hostile_id_runs_nothing_in_the_map(tmp_path: Path, browser) -> None:  # type: ignore[no-untyped-def]
    repo = tmp_path / "repo"
    shutil.copytree(CLEAN, repo)
    (repo / "governance" / "processes" / "hostile.yaml").write_text(
        "apiVersion: govlint/v1\n"
        "kind: Process\n"
        f"metadata: {{id: '{HOSTILE_ID}', name: 'Hostile \" onmouseover=\"alert(2)'}}\n"
        "spec:\n"
        "  purpose: x\n"
        "  owner: person:mrs-davis\n"
        "  interfaces:\n"
        "    - process: process:incident-management\n"
        "      sends: ['a\" onclick=\"alert(3)']\n"
    )
    make_repo(repo, commit=True)
    check = run_govlint("check", "--format", "json", cwd=repo)
    assert "GOV002" in {d["code"] for d in json.loads(check.stdout)["diagnostics"]}
    dot = run_govlint("report", "map", "--format", "dot", cwd=repo).stdout
    urls = re.findall(r'URL="([^"]*)"', dot)
    assert urls and all(re.fullmatch(r"(process|practice)/[a-z0-9-]+\.html", url) for url in urls), urls
    out = tmp_path / "out"
    site(repo, out)
    text = (out / "map.html").read_text()
    assert "<svg" in text and 'xlink:href="process/id-' in text  # drawn, linked to the page's own name
    assert 'autofocus tabindex="0"' not in text and 'onfocus="alert' not in text

    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto((out / "map.html").as_uri())
    for _ in range(8):
        page.keyboard.press("Tab")
    for node in page.locator("figure.map svg g.node, figure.map svg g.edge").all():
        node.hover(force=True)
    handlers = page.evaluate(
        """() => [...document.querySelectorAll('*')].flatMap(el => [...el.attributes]
              .filter(a => a.name.startsWith('on') || a.name === 'autofocus' || a.name === 'tabindex')
              .map(a => el.tagName + ' ' + a.name))"""
    )
    hrefs = page.eval_on_selector_all(
        "figure.map svg a", "els => els.map(e => e.getAttribute('xlink:href') || e.getAttribute('href'))"
    )
    page.close()
    assert dialogs == [] and handlers == []
    assert any(h.startswith("process/id-") for h in hrefs)  # the hostile process is drawn, by its page name
    assert hrefs and all(re.fullmatch(r"(process|practice)/[a-z0-9-]+\.html", h) for h in hrefs), hrefs


# -- 8. a value at the edge of its type ------------------------------------------------------------------


def test_a_review_date_at_the_end_of_the_calendar_does_not_stop_the_site(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(CLEAN, repo)
    practice = repo / "governance" / "practices" / "service-desk.yaml"
    practice.write_text(practice.read_text().replace("lastReviewed: 2026-11-10", "lastReviewed: 9999-12-31"))
    make_repo(repo, commit=True)
    out = tmp_path / "out"
    done = run_govlint("site", str(out), "--today", "2026-11-28", cwd=repo)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    page = (out / "practice" / "service-desk.html").read_text()
    assert "Last reviewed 9999-12-31" in page and '<span class="status-ok">ok</span>' in page


# -- 5. a big RACI matrix is written sparse --------------------------------------------------------------


def test_a_raci_matrix_past_20000_cells_is_written_one_row_per_activity(tmp_path: Path) -> None:
    steps = "".join(
        f"    - {{id: s{i}, raci: {{responsible: person:p{i}, accountable: person:mrs-davis}}}}\n"
        for i in range(210)
    )
    repo = tmp_path / "repo"
    shutil.copytree(CLEAN, repo)
    (repo / "governance" / "processes" / "long.yaml").write_text(
        "apiVersion: govlint/v1\nkind: Process\nmetadata: {id: long, name: Long}\n"
        f"spec:\n  purpose: x\n  owner: person:mrs-davis\n  activities:\n{steps}"
    )
    make_repo(repo, commit=True)
    out = tmp_path / "out"
    done = run_govlint("site", str(out), cwd=repo)
    assert done.returncode == 0, done.stderr
    page = (out / "process" / "long.html").read_text()
    assert '<table class="raci-sparse">' in page and '<table class="raci">' not in page
    rows = re.findall(
        r'<tr><th scope="row">s(\d+)</th>(.*?)</tr>', page.split("<h2>RACI matrix</h2>")[1].split("<h2>")[0]
    )
    assert len(rows) == 210
    assert "person:p7" in dict(rows)["7"] and "Mrs. Davis" in dict(rows)["7"]
    assert len(page) < 400_000  # 210 x 211 cells as a grid would be far more
