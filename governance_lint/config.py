"""Find, load and validate ``.govlint.yaml`` or ``[tool.govlint]`` in pyproject.toml.

A bad config is a ``ConfigError`` naming the file and the key; the CLI turns
it into one line on stderr and exit code 2.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import Limits, Severity

CONFIG_NAME = ".govlint.yaml"
DEFAULT_INCLUDE = ("**/*.yaml", "**/*.yml")

_RULE_SELECTORS = {"type": "array", "items": {"type": "string", "minLength": 1}}
_OFF = {"enum": ["off", False]}

CONFIG_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "include": {"type": "array", "items": {"type": "string", "minLength": 1}},
        "exclude": {"type": "array", "items": {"type": "string", "minLength": 1}},
        "fail-on": {"enum": ["error", "warning", "info"]},
        "today": {"type": ["string", "null"], "format": "date"},
        "rules": {
            "type": "object",
            "additionalProperties": {
                "anyOf": [
                    _OFF,
                    {"enum": ["on", True, "error", "warning", "info"]},
                    {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": {
                            "severity": {"enum": ["error", "warning", "info", "off", False]},
                            "options": {"type": "object"},
                        },
                    },
                ]
            },
        },
        "per-file": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "additionalProperties": False,
                "properties": {"ignore": _RULE_SELECTORS, "select": _RULE_SELECTORS},
            },
        },
        "plugins": {"type": "array", "items": {"type": "string", "minLength": 1}},
        "baseline": {"type": ["string", "null"], "minLength": 1},
        "require-reason": {"type": "boolean"},
        "limits": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "max-file-bytes": {"type": "integer", "minimum": 1, "maximum": 1 << 30},
                "max-depth": {"type": "integer", "minimum": 4, "maximum": 1000},
                "max-alias-nodes": {"type": "integer", "minimum": 0, "maximum": 100_000_000},
            },
        },
    },
}


class ConfigError(Exception):
    """A configuration problem, worded for the user: ``file: key: what is wrong``."""


@dataclass(frozen=True)
class RuleSetting:
    enabled: bool = True
    severity: Severity | None = None
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Config:
    root: Path
    path: Path | None = None
    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = ()
    fail_on: Severity = Severity.ERROR
    today: dt.date | None = None
    rules: dict[str, RuleSetting] = field(default_factory=dict)  # selector (code or name) -> setting
    per_file: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    plugins: tuple[str, ...] = ()
    baseline: str | None = None
    require_reason: bool = False
    limits: Limits = field(default_factory=Limits)

    @property
    def label(self) -> str:
        return str(self.path) if self.path else "(defaults)"


def git_root(start: Path) -> Path | None:
    """The work tree root of the git repository holding ``start``, if any."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


def find_config(start: Path) -> Path | None:
    """``.govlint.yaml`` in ``start`` or a parent up to the git root, else a pyproject.toml with [tool.govlint]."""
    top = git_root(start)
    folders = []
    for folder in (start, *start.parents):
        folders.append(folder)
        if folder == top:
            break
    for folder in folders:
        if (folder / CONFIG_NAME).is_file():
            return folder / CONFIG_NAME
    for folder in folders:
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and _pyproject_table(candidate) is not None:
            return candidate
    return None


def _pyproject_table(path: Path) -> dict[str, Any] | None:
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc
    table = data.get("tool", {}).get("govlint")
    return table if isinstance(table, dict) else None


def _read_yaml_config(path: Path) -> Any:
    from .loader import load

    try:
        content = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    result = load(str(path), content)
    if result.problems:
        problem = result.problems[0]
        pos = problem.position
        raise ConfigError(f"{path}:{pos.line}:{pos.column}: {problem.message}")
    docs = [d for d in result.documents if d.data is not None]
    if len(docs) > 1:
        raise ConfigError(f"{path}: holds {len(docs)} YAML documents; a config is one mapping")
    return docs[0].data if docs else {}


def load_config(path: Path | None, cwd: Path) -> Config:
    """Load and validate the config at ``path`` (or the defaults when None)."""
    if path is None:
        top = git_root(cwd)
        return Config(root=(top or cwd).resolve())
    path = path.resolve() if path.exists() else path
    if not path.is_file():
        raise ConfigError(f"{path}: config file not found")
    raw = _pyproject_table(path) if path.name == "pyproject.toml" else _read_yaml_config(path)
    if raw is None:
        raise ConfigError(f"{path}: has no [tool.govlint] table")
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: a config is a mapping of keys, got {type(raw).__name__}")
    _validate(path, raw)
    return _build(path, raw)


def _validate(path: Path, raw: dict[str, Any]) -> None:
    import jsonschema_rs

    validator = jsonschema_rs.validator_for(CONFIG_SCHEMA, validate_formats=True)
    errors = sorted(validator.iter_errors(raw), key=lambda e: [str(p) for p in e.instance_path])
    if not errors:
        return
    error = errors[0]
    path_steps = list(error.instance_path)
    if type(error.kind).__name__.endswith("AnyOf") and isinstance(error.instance, dict):
        # `rules: {GOV101: {severty: …}}`: say what is wrong inside the mapping, not "matches no anyOf"
        inner = list(jsonschema_rs.validator_for(_schema_at(path_steps)).iter_errors(error.instance))
        if inner:
            error = inner[0]
            path_steps += list(error.instance_path)
    where = ".".join(str(p) for p in path_steps)
    kind = type(error.kind).__name__
    if kind.endswith("AdditionalProperties"):
        unexpected = list(getattr(error.kind, "unexpected", []) or [])
        key = unexpected[0] if unexpected else "?"
        allowed = _allowed_keys(path_steps)
        hint = difflib.get_close_matches(str(key), allowed, n=1)
        full = f"{where}.{key}" if where else str(key)
        raise ConfigError(
            f"{path}: unknown key {full!r}"
            + (f"; did you mean {hint[0]!r}?" if hint else "")
            + (f" (known keys: {', '.join(allowed)})" if allowed and not hint else "")
        )
    value = error.instance
    message = _short(error.message)
    if kind.endswith("AnyOf"):  # only a rule setting has several forms
        message = "expected off, on, error, warning, info, or a mapping with severity and options"
    raise ConfigError(f"{path}: key {where or '(top)'!r}: invalid value {value!r}: {message}")


def _schema_at(instance_path: list[Any]) -> dict[str, Any]:
    """The config schema of the mapping at ``instance_path`` (the mapping form of an ``anyOf``)."""
    schema: dict[str, Any] = CONFIG_SCHEMA
    for step in instance_path:
        props = schema.get("properties", {})
        schema = props.get(step) or schema.get("additionalProperties") or {}
        if "anyOf" in schema:
            schema = next((s for s in schema["anyOf"] if s.get("type") == "object"), schema)
    return schema


def _allowed_keys(instance_path: list[Any]) -> list[str]:
    return sorted(_schema_at(instance_path).get("properties", {}))


def _short(message: str) -> str:
    return message if len(message) <= 200 else message[:200] + "…"


def _rule_setting(path: Path, selector: str, value: Any) -> RuleSetting:
    if value is False or value == "off":
        return RuleSetting(enabled=False)
    if value is True or value == "on":
        return RuleSetting()
    if isinstance(value, str):
        return RuleSetting(severity=Severity.parse(value))
    severity = value.get("severity")
    if severity is False or severity == "off":
        return RuleSetting(enabled=False, options=dict(value.get("options") or {}))
    return RuleSetting(
        severity=Severity.parse(severity) if severity else None,
        options=dict(value.get("options") or {}),
    )


def _build(path: Path, raw: dict[str, Any]) -> Config:
    limits_raw = raw.get("limits") or {}
    defaults = Limits()
    today = raw.get("today")
    return Config(
        root=path.parent,
        path=path,
        include=tuple(raw.get("include") or DEFAULT_INCLUDE),
        exclude=tuple(raw.get("exclude") or ()),
        fail_on=Severity.parse(raw.get("fail-on", "error")),
        today=dt.date.fromisoformat(today) if today else None,
        rules={sel: _rule_setting(path, sel, val) for sel, val in (raw.get("rules") or {}).items()},
        per_file={
            glob: {k: tuple(v) for k, v in entry.items()}
            for glob, entry in (raw.get("per-file") or {}).items()
        },
        plugins=tuple(raw.get("plugins") or ()),
        baseline=raw.get("baseline"),
        require_reason=bool(raw.get("require-reason", False)),
        limits=Limits(
            max_file_bytes=limits_raw.get("max-file-bytes", defaults.max_file_bytes),
            max_depth=limits_raw.get("max-depth", defaults.max_depth),
            max_alias_nodes=limits_raw.get("max-alias-nodes", defaults.max_alias_nodes),
        ),
    )
