"""The shape of the code: the data walks one way, and the core knows no rule by its code.

The module graph is computed from every import statement (function-level and
``TYPE_CHECKING`` imports included: a back-reference hidden in a function is
still one), and must have no cycle.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "governance_lint"
#: the stages every run goes through: none of them may name a rule (rules are reached by role or declaration)
CORE = (
    "api",
    "cache",
    "change",
    "comments",
    "discovery",
    "engine",
    "findings",
    "git",
    "gitindex",
    "gitstate",
    "index",
    "loader",
    "model",
    "parallel",
    "registry",
    "repository",
    "runner",
    "suppress",
    "workspace",
)
#: a rule's code (GOV000 is no rule: the code of an internal error shown in the editor)
RULE_CODE = re.compile(r"GOV(?!000)\d{3}")
#: the faces: they reach the repository's files and documents only through the workspace and its model
FACES = (
    "governance_lint.export",
    "governance_lint.cli",
    "governance_lint.runner",
    "governance_lint.views",
    "governance_lint.lsp",
    "governance_lint.reporters",
)


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The package's modules that ``name`` imports, anywhere in its file."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:  # `from . import module` imports the module, not its package's code
                module = f"{base}.{alias.name}"
                targets.add(module if module in known else base)
    found = set()
    for target in targets:
        while target and target not in known:  # `governance_lint.index.Entity` -> governance_lint.index
            target = target.rpartition(".")[0]
        if target and target != name:
            found.add(target)
    return found


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports(name, path, known) for name, path in known.items()}


def cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph, as the modules along it, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_the_module_graph_has_no_cycle() -> None:
    edges = graph()
    assert "governance_lint.engine" in edges["governance_lint.repository"]  # the graph is really computed
    found = cycle(edges)
    assert found is None, "import cycle: " + " -> ".join(found or [])


def test_the_cycle_finder_finds_one() -> None:
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b"}, "b": set()}) is None


def test_core_modules_name_no_rule_code() -> None:
    offenders = []
    for name in CORE:
        text = (PACKAGE / f"{name}.py").read_text(encoding="utf-8")
        offenders += [
            f"{name}.py:{text.count(chr(10), 0, m.start()) + 1}: {m.group()}"
            for m in RULE_CODE.finditer(text)
        ]
    assert offenders == []


def test_no_core_module_imports_a_rule_module() -> None:
    edges = graph()
    reaching = {
        f"governance_lint.{name}": sorted(
            t for t in edges[f"governance_lint.{name}"] if t.startswith("governance_lint.rules")
        )
        for name in CORE
    }
    assert {name: found for name, found in reaching.items() if found} == {}


def test_every_package_is_in_the_graph() -> None:
    edges = graph()
    for package in ("lsp", "views", "reporters", "rules"):
        assert any(name.startswith(f"governance_lint.{package}.") for name in edges), package


def reads_behind_the_model(source: str) -> list[str]:
    """The imports in ``source`` that would read or parse a file behind the model."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            names = sorted(alias.name for alias in node.names)
            if (node.module or "").endswith("loader") or "read_file" in names:
                found.append(f"from {node.module} import {', '.join(names)}")
        elif isinstance(node, ast.Import):
            found += [f"import {a.name}" for a in node.names if a.name.endswith(".loader")]
    return found


def test_faces_read_files_only_through_the_model() -> None:
    """No face parses a file or reads one from disk behind the model (the loader, ``read_file``)."""
    offenders = [
        f"{name}: {found}"
        for name, path in modules().items()
        if name.startswith(FACES)
        for found in reads_behind_the_model(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_face_check_finds_an_offender() -> None:
    assert reads_behind_the_model("from ..loader import load\n") == ["from loader import load"]
    assert reads_behind_the_model("def f():\n    from ..discovery import read_file\n")
    assert reads_behind_the_model("from ..model import Document\n") == []
