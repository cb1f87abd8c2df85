"""Every rule, built-in or plugin, enters through ``collect`` and ``Registry.add``.

Built-in rules are gathered from the ``governance_lint.rules`` package exactly
as plugin packages are gathered from their entry points, so a malformed or
duplicate rule fails the same way wherever it comes from.
"""

from __future__ import annotations

import difflib
import importlib
import pkgutil
from collections.abc import Iterable, Iterator
from types import ModuleType
from typing import Any

from .api import Rule, RuleError

ENTRY_POINT_GROUP = "govlint.rules"


def collect(obj: Any, source: str) -> Iterator[Rule]:
    """The rules an object provides: a Rule, an iterable of them, a module or a package."""
    if isinstance(obj, Rule):
        yield obj
    elif isinstance(obj, ModuleType):
        found = [value for value in vars(obj).values() if isinstance(value, Rule)]
        yield from sorted(found, key=lambda r: r.code)
        if hasattr(obj, "__path__"):  # a package: every submodule
            for info in sorted(pkgutil.iter_modules(obj.__path__), key=lambda m: m.name):
                yield from collect(importlib.import_module(f"{obj.__name__}.{info.name}"), source)
    elif isinstance(obj, (list, tuple)):
        for item in obj:
            yield from collect(item, source)
    else:
        raise RuleError(f"{source}: provides {type(obj).__name__!s}, not a govlint rule")


class Registry:
    """The rules of one run, by code and by name."""

    def __init__(self) -> None:
        self._by_code: dict[str, Rule] = {}
        self._by_name: dict[str, Rule] = {}

    def add(self, rule: Rule) -> None:
        rule.validate()
        for table, key in ((self._by_code, rule.code), (self._by_name, rule.name)):
            other = table.get(key)
            if other is not None:
                raise RuleError(
                    f"rule {key!r} is defined twice: by {other.source} ({other.code} {other.name}) "
                    f"and by {rule.source} ({rule.code} {rule.name})"
                )
        self._by_code[rule.code] = rule
        self._by_name[rule.name] = rule

    def add_all(self, rules: Iterable[Rule]) -> None:
        for rule in rules:
            self.add(rule)

    def __iter__(self) -> Iterator[Rule]:
        return iter(sorted(self._by_code.values(), key=lambda r: r.code))

    def __len__(self) -> int:
        return len(self._by_code)

    def get(self, code: str) -> Rule:
        return self._by_code[code]

    def lookup(self, selector: str) -> Rule | None:
        """A rule by code (any case) or name."""
        return self._by_code.get(selector.upper()) or self._by_name.get(selector.lower())

    def expand(self, selector: str) -> list[str]:
        """Codes a selector names: a code, a name or a code prefix such as ``GOV2``."""
        rule = self.lookup(selector)
        if rule is not None:
            return [rule.code]
        prefix = selector.upper()
        return sorted(code for code in self._by_code if code.startswith(prefix)) if prefix else []

    def suggest(self, selector: str) -> str | None:
        names = list(self._by_code) + list(self._by_name)
        close = difflib.get_close_matches(selector, names, n=1, cutoff=0.5)
        return close[0] if close else None

    def unknown_message(self, selector: str) -> str:
        hint = self.suggest(selector)
        return f"unknown rule {selector!r}" + (f"; did you mean {hint!r}?" if hint else "")


def builtin_registry() -> Registry:
    registry = Registry()
    registry.add_all(collect(importlib.import_module("governance_lint.rules"), "builtin"))
    return registry


def load_entry_points(registry: Registry) -> None:
    """Rules of installed packages, under the ``govlint.rules`` entry-point group."""
    from importlib.metadata import entry_points

    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        source = f"entry point {ep.name!r} ({ep.value}) of package {ep.dist.name if ep.dist else '?'}"
        try:
            obj = ep.load()
        except Exception as exc:  # any import failure of a third-party package
            raise RuleError(f"{source}: failed to import: {type(exc).__name__}: {exc}") from exc
        registry.add_all(_with_source(collect(obj, source), source))


def _with_source(rules: Iterable[Rule], source: str) -> Iterator[Rule]:
    import dataclasses

    for rule in rules:  # a plugin never passes for built-in, whatever it declares
        yield dataclasses.replace(rule, source=source)
