"""``govlint report map`` and the site's map: hand-offs, "works with" edges, practices drawn once, and
maps split past 300 nodes (SPEC §11, §9)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import report_oracle as oracle
from helpers import make_repo, run_govlint

ROOT = Path(__file__).resolve().parent.parent
CLEAN = ROOT / "examples" / "clean"
TODAY = "2026-11-28"
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot is not installed")


def report(root: Path, *args: str, clean: bool = True) -> str:
    done = run_govlint("report", *args, "--today", TODAY, cwd=root)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    if clean:
        assert done.stderr == "", done.stderr  # a clean repository: no note
    return done.stdout


def process(ident: str, interfaces: str = "", name: str | None = None) -> str:
    return (
        "apiVersion: govlint/v1\n"
        "kind: Process\n"
        f"metadata: {{id: {ident}, name: {name or ident.title()}}}\n"
        "spec:\n"
        "  purpose: x\n"
        "  owner: person:pat\n" + (f"  interfaces:\n{interfaces}" if interfaces else "")
    )


PERSON = (
    "apiVersion: govlint/v1\nkind: Person\nmetadata: {id: pat, name: Pat}\nspec: {email: pat@example.org}\n"
)


# -- the map as the YAML says it -------------------------------------------------------------------


def test_map_json_is_the_yaml(repo: Path) -> None:
    assert json.loads(report(repo, "map", "--format", "json")) == oracle.map_json(oracle.documents(repo))


def test_mermaid_has_every_edge_and_draws_each_practice_once_around_its_processes() -> None:
    lines = report(CLEAN, "map").splitlines()
    assert lines[0] == "flowchart LR"
    expected = oracle.map_json(oracle.documents(CLEAN))
    edges = [line for line in lines if "-->" in line or "-.->" in line]
    assert len(edges) == len(expected["edges"])
    start = lines.index('  subgraph n_practice__service_desk["Service Desk"]')
    end = lines.index("  end", start)
    inside = {line.split("[")[0].strip() for line in lines[start + 1 : end]}
    assert inside == {"n_process__incident_management", "n_process__service_request_management"}
    # Every node is declared once (a practice as its group), and every edge joins declared nodes.
    declared = [line.split("[")[0].strip() for line in lines if re.match(r"^\s+n_\w+\[", line)]
    groups = [line.split()[1].split("[")[0] for line in lines if line.startswith("  subgraph ")]
    assert len(declared + groups) == len(set(declared + groups)) == len(expected["nodes"])
    assert "n_practice__service_desk" not in declared
    for line in edges:
        source, *_, target = line.split()
        assert source in declared + groups and target in declared + groups


@needs_dot
def test_dot_is_read_by_graphviz_with_practices_as_clusters(repo: Path) -> None:
    text = report(repo, "map", "--format", "dot")
    done = subprocess.run(
        ["dot", "-Tjson"], input=text, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    graph = json.loads(done.stdout)
    expected = oracle.map_json(oracle.documents(repo))
    practices = {n["id"] for n in expected["nodes"] if n["kind"] == "Practice"}
    drawn = [o["name"] for o in graph.get("objects", []) if "nodes" not in o and "subgraphs" not in o]
    clusters = [o["label"] for o in graph.get("objects", []) if o.get("name", "").startswith("cluster_")]
    assert sorted(drawn) == sorted(n["id"] for n in expected["nodes"] if n["id"] not in practices)
    assert len(clusters) == len(practices)
    assert len(graph.get("edges", [])) == len(expected["edges"])


# -- "works with" and malformed practices -------------------------------------------------------------


@pytest.fixture
def works_with(tmp_path: Path) -> Path:
    return make_repo(
        tmp_path / "repo",
        {
            ".govlint.yaml": 'include: ["governance/**"]\n',
            "governance/people.yaml": PERSON,
            "governance/a.yaml": process("alpha", "    - process: process:beta\n      sends: [report]\n"),
            "governance/b.yaml": process(
                "beta",
                "    - process: process:alpha\n      receives: [report]\n    - process: process:gamma\n",
            ),
            "governance/c.yaml": process("gamma", "    - {process: process:beta, sends: []}\n"),
        },
        commit=True,
    )


def test_an_interface_naming_no_artifact_is_one_dashed_works_with_edge_in_every_format(
    works_with: Path,
) -> None:
    edges = json.loads(report(works_with, "map", "--format", "json", clean=False))["edges"]
    assert edges == oracle.map_json(oracle.documents(works_with))["edges"]
    assert edges == [
        {"from": "process:alpha", "to": "process:beta", "artifact": "report", "symmetric": True},
        {"from": "process:beta", "to": "process:gamma", "artifact": None, "symmetric": True},
    ]
    mermaid = report(works_with, "map", clean=False)
    assert '  n_process__beta -.->|"works with"| n_process__gamma' in mermaid
    assert '  n_process__alpha -->|"report"| n_process__beta' in mermaid
    dot = report(works_with, "map", "--format", "dot", clean=False)
    (line,) = [x for x in dot.splitlines() if '"process:beta" -> "process:gamma"' in x]
    assert 'label="works with", style=dashed' in line
    assert "| process:beta | process:gamma | — (works with) | yes |" in report(
        works_with, "map", "--format", "md", clean=False
    )


def test_a_malformed_practice_list_is_skipped_not_a_crash(tmp_path: Path) -> None:
    practice = (
        "apiVersion: govlint/v1\nkind: Practice\nmetadata: {id: desk, name: Desk}\n"
        "spec:\n  purpose: x\n  owner: person:pat\n  processes: [process:alpha, [process:beta], {a: 1}, 7]\n"
    )
    repo = make_repo(
        tmp_path / "repo",
        {
            ".govlint.yaml": 'include: ["**/*.yaml"]\n',
            "people.yaml": PERSON,
            "a.yaml": process("alpha"),
            "b.yaml": process("beta"),
            "desk.yaml": practice,
        },
        commit=True,
    )
    check = run_govlint("check", "--format", "json", cwd=repo)
    assert "GOV002" in {d["code"] for d in json.loads(check.stdout)["diagnostics"]}
    for fmt in ("mermaid", "dot", "json", "md"):
        done = run_govlint("report", "map", "--format", fmt, cwd=repo)
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    mermaid = run_govlint("report", "map", cwd=repo).stdout
    start = mermaid.index('subgraph n_practice__desk["Desk"]')
    assert mermaid[start:].split("  end")[0].count("n_process__") == 1  # alpha only
    done = run_govlint("site", str(tmp_path / "site"), cwd=repo)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "site" / "practice" / "desk.html").is_file()


# -- past 300 nodes: one map per practice, a neighbourhood per process --------------------------------


@needs_dot
def test_past_300_processes_the_site_draws_a_map_per_practice_and_per_process(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    folder = tmp_path_factory.mktemp("big")
    repo = folder / "repo"
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "generate.py"), str(repo), "--files", "310"],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (repo / "governance" / "practice.yaml").write_text(
        "apiVersion: govlint/v1\nkind: Practice\nmetadata: {id: first-ones, name: The First Ones}\n"
        "spec:\n  purpose: x\n  owner: person:person-00000\n"
        "  processes: [process:process-00001, process:process-00002, process:process-00003]\n"
    )
    out = folder / "site"
    done = run_govlint("site", str(out), cwd=repo)
    assert done.returncode == 0, done.stderr
    index = (out / "map.html").read_text()
    assert "<svg" not in index and not (out / "map.svg").exists()
    assert 'href="practice/first-ones.html#map"' in index and 'href="process/process-00005.html#map"' in index
    page = (out / "process" / "process-00005.html").read_text()
    drawing = page.split('<div id="map">')[1].split("</div>")[0]
    # the process and its two partners in the ring, each linked to its own page
    assert sorted(re.findall(r'xlink:href="([^"]+)"', drawing)) == [
        "../process/process-00004.html",
        "../process/process-00005.html",
        "../process/process-00006.html",
    ]
    practice = (out / "practice" / "first-ones.html").read_text()
    group = practice.split('<div id="map">')[1].split("</div>")[0]
    assert 'class="cluster"' in group and "The First Ones" in group
