"""Find, load and validate ``.govlint.yaml`` or ``[tool.govlint]`` in pyproject.toml.

A bad config is a ``ConfigError`` naming the file and the key; the CLI turns
it into one line on stderr and exit code 2.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import Limits, Severity, closest

CONFIG_NAME = ".govlint.yaml"
DEFAULT_INCLUDE = ("**/*.yaml", "**/*.yml")

BUILTIN_LIMITS = Limits()
#: Every input limit: its name in the config and on the command line, the lowest and highest value
#: ``--limit`` accepts.  A repository's config may only lower a limit (SPEC §9: the author of a pull
#: request controls the config); only the command line raises one.
LIMIT_RANGES: dict[str, tuple[int, int]] = {
    "max-file-bytes": (1, 1 << 30),
    "max-depth": (4, 1000),
    "max-alias-nodes": (0, 100_000_000),
    "max-baseline-bytes": (1, 1 << 32),
    "max-directory-bytes": (1, 1 << 32),
}

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
        "waivers": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"require": _RULE_SELECTORS, "max-days": {"type": "integer", "minimum": 1}},
        },
        "directory": {
            "type": "object",
            "additionalProperties": False,
            "required": ["file"],
            "properties": {
                "file": {"type": "string", "minLength": 1},
                "max-age-days": {"type": "integer", "minimum": 1},
                "taken": {"type": "string", "format": "date"},
            },
        },
        "limits": {
            "type": "object",
            "additionalProperties": False,
            # Whether a value is above the limit in force is checked in _build: the bound moves
            # with --limit.
            "properties": {
                name: {"type": "integer", "minimum": low} for name, (low, _) in LIMIT_RANGES.items()
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
class DirectorySetting:
    """``directory:``: the snapshot of the organisation's directory the GOV8 rules compare with (SPEC §13)."""

    file: Path  # absolute: a relative ``file`` is taken from the config's folder
    max_age_days: int = 30
    taken: dt.date | None = None  # when the snapshot was taken; else its file's modification time


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
    #: waivers: the rules whose suppressions and baseline entries need ``until`` and ``by``; how far
    #: ahead ``until`` may be
    waivers_require: tuple[str, ...] = ()
    waivers_max_days: int | None = None
    limits: Limits = field(default_factory=Limits)
    directory: DirectorySetting | None = None

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
        content = read_limited(path, BUILTIN_LIMITS.max_file_bytes, "max-file-bytes")
        data = tomllib.loads(content.decode("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc
    table = data.get("tool", {}).get("govlint")
    return table if isinstance(table, dict) else None


def _read_yaml_config(path: Path, ceiling: Limits) -> Any:
    from .loader import load

    try:
        content = read_limited(path, ceiling.max_file_bytes, "max-file-bytes")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    result = load(str(path), content, ceiling)
    if result.problems:
        problem = result.problems[0]
        pos = problem.position
        raise ConfigError(f"{path}:{pos.line}:{pos.column}: {problem.message}")
    docs = [d for d in result.documents if d.data is not None]
    if len(docs) > 1:
        raise ConfigError(f"{path}: holds {len(docs)} YAML documents; a config is one mapping")
    return docs[0].data if docs else {}


def load_config(path: Path | None, cwd: Path, ceiling: Limits = BUILTIN_LIMITS) -> Config:
    """Load and validate the config at ``path`` (or the defaults when None).

    ``ceiling`` is the limits in force (the built-in ones, or the command line's
    ``--limit``): the config file itself is read within them, and its
    ``limits:`` may lower them, never raise them.
    """
    if path is None:
        top = git_root(cwd)
        return Config(root=(top or cwd).resolve(), limits=ceiling)
    path = path.resolve() if path.exists() else path
    if not path.is_file():
        raise ConfigError(f"{path}: config file not found")
    raw = _pyproject_table(path) if path.name == "pyproject.toml" else _read_yaml_config(path, ceiling)
    if raw is None:
        raise ConfigError(f"{path}: has no [tool.govlint] table")
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: a config is a mapping of keys, got {type(raw).__name__}")
    _validate(path, raw)
    _validate_globs(path, raw)
    return _build(path, raw, ceiling)


def read_limited(path: Path, max_bytes: int, limit: str) -> bytes:
    """A regular file's bytes, refused (``OSError`` worded for the user) when it is something else or
    larger than ``max_bytes``: a FIFO or ``/dev/zero`` named by a config never hangs or fills memory."""
    # O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it.
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(f"is not a regular file ({file_kind(info.st_mode)}); not read")
        content = read_at_most(fd, max_bytes + 1, info.st_size)
    finally:
        os.close(fd)
    if len(content) > max_bytes:
        size = max(info.st_size, len(content))
        raise OSError(f"is {size:,} bytes, more than the {max_bytes:,}-byte limit (limit {limit}); not read")
    return content


_READ_AT_LEAST = 64 * 1024  # bytes asked of a read when a file says it is smaller (it may have grown)


def read_at_most(fd: int, limit: int, size: int) -> bytes:
    """At most ``limit`` bytes of an open file of ``size`` bytes (it may grow or shrink meanwhile): read
    whole in one call where it is as large as it said, without a buffered stream's set-up."""
    chunks = []
    while limit > 0:
        chunk = os.read(fd, min(limit, max(size + 1, _READ_AT_LEAST)))
        if not chunk:
            break
        chunks.append(chunk)
        limit -= len(chunk)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def file_kind(mode: int) -> str:
    """What a file that is not a regular file is, in words (for a refusal message)."""
    if stat.S_ISDIR(mode):
        return "a directory"
    for test, name in (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def parse_limit(text: str) -> tuple[str, int]:
    """``NAME=VALUE`` from the command line, checked against :data:`LIMIT_RANGES` (ValueError if not)."""
    name, _, value = text.partition("=")
    name = name.strip()
    if name not in LIMIT_RANGES:
        hint = closest(name, LIMIT_RANGES, 0.6)
        raise ValueError(
            f"unknown limit {name!r}"
            + (f"; did you mean {hint!r}?" if hint else "")
            + f" (limits: {', '.join(LIMIT_RANGES)})"
        )
    try:
        number = int(value.replace("_", ""))
    except ValueError:
        raise ValueError(f"{name}: expected NAME=INTEGER, got {text!r}") from None
    low, high = LIMIT_RANGES[name]
    if not low <= number <= high:
        raise ValueError(f"{name}: {number} is outside {low}..{high}")
    return name, number


def limits_with(base: Limits, overrides: Iterable[tuple[str, int]]) -> Limits:
    """``base`` with some limits (by their config name) set to new values."""
    return dataclasses.replace(base, **{name.replace("-", "_"): value for name, value in overrides})


@functools.lru_cache(maxsize=256)
def glob_regex(pattern: str) -> re.Pattern[str]:
    """Translate a ``/``-separated glob with ``**`` into a regex matched on root-relative paths."""
    out, i = [], 0
    pattern = pattern.lstrip("/")
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[" and "]" in pattern[i + 1 :]:
            end = pattern.index("]", i + 1)
            body = pattern[i + 1 : end].replace("\\", "\\\\")
            out.append("[" + ("^" + body[1:] if body.startswith("!") else body) + "]")
            i = end + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    # A pattern naming a folder also covers everything below it.
    return re.compile("".join(out) + "(?:/.*)?\\Z" if not pattern.endswith("**") else "".join(out) + "\\Z")


def _validate_globs(path: Path, raw: dict[str, Any]) -> None:
    """Every glob compiles: ``include: ["[z-a]"]`` is a config error naming the glob, not a crash later."""
    keyed = [("include", g) for g in raw.get("include") or ()]
    keyed += [("exclude", g) for g in raw.get("exclude") or ()]
    keyed += [("per-file", g) for g in raw.get("per-file") or {}]
    for key, glob in keyed:
        try:
            glob_regex(glob)
        except re.error as exc:
            raise ConfigError(f"{path}: {key}: {glob!r} is not a valid glob ({exc.msg})") from None


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
        hint = closest(str(key), allowed, 0.6)
        full = f"{where}.{key}" if where else str(key)
        raise ConfigError(
            f"{path}: unknown key {full!r}"
            + (f"; did you mean {hint!r}?" if hint else "")
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


def _build(path: Path, raw: dict[str, Any], ceiling: Limits) -> Config:
    limits_raw = raw.get("limits") or {}
    for name, value in limits_raw.items():
        in_force = getattr(ceiling, name.replace("-", "_"))
        if value > in_force:
            raise ConfigError(
                f"{path}: key 'limits.{name}': {value} is above the limit in force ({in_force}); "
                "a repository's config may only lower limits "
                f"(raise one on the command line: --limit {name}={value})"
            )
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
        waivers_require=tuple((raw.get("waivers") or {}).get("require") or ()),
        waivers_max_days=(raw.get("waivers") or {}).get("max-days"),
        limits=limits_with(ceiling, limits_raw.items()),
        directory=_directory(path, raw.get("directory")),
    )


def _directory(path: Path, raw: dict[str, Any] | None) -> DirectorySetting | None:
    if raw is None:
        return None
    taken = raw.get("taken")
    return DirectorySetting(
        file=path.parent / raw["file"],
        max_age_days=raw.get("max-age-days", DirectorySetting.max_age_days),
        taken=dt.date.fromisoformat(taken) if taken else None,
    )
