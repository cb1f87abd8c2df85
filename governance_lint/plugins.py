"""Local plugins: the Python files and ``kind: Rule`` files a config's ``plugins:`` names.

Each entry is a path relative to the config's folder: a ``.py`` file (its
rules are collected like a plugin package's), a ``.yaml``/``.yml`` file (its
``kind: Rule`` documents become rules) or a folder (its ``*.yaml``/``*.yml``
files, sorted; never its Python files).  No Python file in the repository
runs unless the config names that very file: govlint runs on other people's
pull requests, and a file a pull request adds to a named folder must not be
able to run code.

Every failure — a missing file, an import error, a malformed or duplicate
rule — is a ``RuleError`` naming the file (and line), so the run stops with
exit code 2 before checking anything.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import os
import sys
import traceback
from pathlib import Path

from .api import Rule, RuleError
from .config import Config, read_limited
from .declarative import rule_from_document
from .registry import Registry, collect

PYTHON_SUFFIXES = (".py",)
YAML_SUFFIXES = (".yaml", ".yml")
RULE_KIND = "Rule"


def load_local_plugins(registry: Registry, config: Config) -> None:
    """Add the rules of every file the config's ``plugins:`` names to ``registry``."""
    for path in plugin_files(config):
        label = _display(path, config.root)
        if path.suffix in PYTHON_SUFFIXES:
            registry.add_all(python_rules(path, label))
        else:
            registry.add_all(declarative_rules(path, label, config))


def plugin_files(config: Config) -> list[Path]:
    """The files ``plugins:`` names, folders expanded, in config order."""
    found: list[Path] = []
    for entry in config.plugins:
        path = Path(entry) if Path(entry).is_absolute() else config.root / entry
        where = f"{config.label}: plugins: {entry}"
        if path.is_dir():  # data only: a Python file runs only when the config names it
            found.extend(sorted(p for p in path.iterdir() if p.is_file() and p.suffix in YAML_SUFFIXES))
        elif not path.is_file():
            raise RuleError(f"{where}: no such file or folder")
        elif path.suffix not in PYTHON_SUFFIXES + YAML_SUFFIXES:
            raise RuleError(
                f"{where}: a plugin is a .py file, a .yaml/.yml file of kind: Rule documents, "
                "or a folder of such YAML files"
            )
        else:
            found.append(path)
    return found


def fingerprint(config: Config) -> str:
    """sha256 over every local plugin file and every module it imported: a result cache must include them.

    A plugin's own helpers (``_helpers.py`` beside it, or anything outside the
    interpreter's installation) count by content; installed packages it
    imported count by path, size and modification time, which an upgrade changes.
    """
    digest = hashlib.sha256()
    for path in plugin_files(config):
        digest.update(os.fsencode(path) + b"\0" + path.read_bytes() + b"\0")
        for module in sorted(_IMPORTED.get(path.resolve(), ())):
            digest.update(os.fsencode(module) + b"\0" + _module_stamp(module) + b"\0")
    return digest.hexdigest()


# Plugin file -> the files of the modules its import added to sys.modules (this process's record).
_IMPORTED: dict[Path, set[Path]] = {}
_INSTALLED = tuple({Path(p).resolve() for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)})


def _module_stamp(path: Path) -> bytes:
    try:
        if any(path.is_relative_to(prefix) for prefix in _INSTALLED):
            info = path.stat()
            return f"{info.st_size}:{info.st_mtime_ns}".encode()
        return path.read_bytes()
    except OSError:
        return b"?"


def _record_imports(plugin: Path, before: set[str]) -> None:
    """Remember the files of the modules that importing ``plugin`` added to ``sys.modules``."""
    found = _IMPORTED.setdefault(plugin, set())
    for name in set(sys.modules) - before:
        origin = getattr(sys.modules.get(name), "__file__", None)
        if isinstance(origin, str) and Path(origin).resolve() != plugin:
            found.add(Path(origin).resolve())


# -- Python files --------------------------------------------------------------


def python_rules(path: Path, label: str) -> list[Rule]:
    """Import a plugin file under a private module name and collect its rules."""
    resolved = path.resolve()
    module_name = (
        "govlint_plugin_" + hashlib.sha256(str(resolved).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    )
    spec = importlib.util.spec_from_file_location(module_name, resolved)
    if spec is None or spec.loader is None:
        raise RuleError(f"{label}: cannot be imported as a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # dataclasses and pickling look modules up by name
    writes_bytecode = sys.dont_write_bytecode
    sys.dont_write_bytecode = True  # a check never writes into the repository, not even __pycache__
    before = set(sys.modules)
    try:
        spec.loader.exec_module(module)
        _record_imports(resolved, before)
    except SyntaxError as exc:
        sys.modules.pop(module_name, None)
        raise RuleError(f"{label}:{exc.lineno or 1}: syntax error: {exc.msg}") from None
    except (Exception, SystemExit) as exc:
        sys.modules.pop(module_name, None)
        line = _line_in(exc, resolved)
        raise RuleError(
            f"{label}{f':{line}' if line else ''}: failed to import: {type(exc).__name__}: {exc}"
        ) from None
    finally:
        sys.dont_write_bytecode = writes_bytecode
    rules = [dataclasses.replace(rule, source=label) for rule in collect(module, label)]
    if not rules:
        raise RuleError(
            f"{label}: defines no govlint rule (use document_rule or repository_rule "
            "from governance_lint.api)"
        )
    return rules


def _line_in(exc: BaseException, file: Path) -> int | None:
    """The last line of ``file`` in the exception's traceback (where the plugin failed)."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if Path(f.filename) == file]
    return frames[-1].lineno if frames else None


# -- kind: Rule files ----------------------------------------------------------


def declarative_rules(path: Path, label: str, config: Config) -> list[Rule]:
    """The rules declared by the ``kind: Rule`` documents of one YAML file."""
    from .loader import load
    from .schema import SchemaSet

    try:
        content = read_limited(path, config.limits.max_file_bytes, "max-file-bytes")  # limits hold here too
    except OSError as exc:
        raise RuleError(f"{label}: cannot read: {exc.strerror or exc}") from None
    loaded = load(label, content, config.limits)
    for problem in loaded.problems:
        pos = problem.position
        raise RuleError(f"{label}:{pos.line}:{pos.column}: {problem.message}")
    documents = [
        d for d in loaded.documents if d.data is not None and d.is_governance and d.kind == RULE_KIND
    ]
    if not documents:
        raise RuleError(f"{label}: holds no kind: Rule document (apiVersion: govlint/v1, kind: Rule)")
    schemas = SchemaSet.load()
    rules = []
    for doc in documents:
        for node, message, key in schemas.check(doc):
            pos = doc.position(node, key=key)
            raise RuleError(f"{label}:{pos.line}:{pos.column}: invalid Rule {doc.id or ''!r}: {message}")
        line = doc.position(("spec", "code")).line
        rules.append(rule_from_document(doc, f"{label}:{line}"))
    return rules


def _display(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
