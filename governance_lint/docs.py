"""A rule's documentation as data: its sections and its two YAML examples.

Every rule's doc (the rule module's docstring for built-ins) has the same
headings, in this order::

    ## What it checks
    ## Why it matters
    ## Example (fails)        a ```yaml block
    ## Use instead (passes)   a ```yaml block
    ## Options

``govlint explain``, SARIF help texts and the test that runs every rule's
examples all read the documentation through this module.
"""

from __future__ import annotations

import re

from .api import Rule

WHAT = "What it checks"
WHY = "Why it matters"
FAILS = "Example (fails)"
PASSES = "Use instead (passes)"
OPTIONS = "Options"
HEADINGS = (WHAT, WHY, FAILS, PASSES, OPTIONS)

_HEADING_RE = re.compile(r"^## +(.+?) *$", re.MULTILINE)
_YAML_BLOCK_RE = re.compile(r"^```ya?ml[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)


class DocError(ValueError):
    """A rule's documentation lacks a heading or an example."""


def sections(rule: Rule) -> dict[str, str]:
    """The doc's ``## Heading`` sections, heading -> text (stripped), in document order."""
    found: dict[str, str] = {}
    matches = list(_HEADING_RE.finditer(rule.doc))
    ends = [m.start() for m in matches[1:]] + [len(rule.doc)]
    for here, end in zip(matches, ends, strict=True):
        found[here.group(1)] = rule.doc[here.end():end].strip()
    return found


def missing_headings(rule: Rule) -> list[str]:
    """The fixed headings the doc lacks or has out of order (empty when complete)."""
    present = [h for h in sections(rule) if h in HEADINGS]
    missing = [h for h in HEADINGS if h not in present]
    if not missing and tuple(present) != HEADINGS:
        return [f"headings out of order: {', '.join(present)}"]
    return missing


def _yaml_block(rule: Rule, heading: str) -> str:
    text = sections(rule).get(heading)
    if text is None:
        raise DocError(f"{rule.code} {rule.name}: the documentation has no '## {heading}' section")
    block = _YAML_BLOCK_RE.search(text)
    if block is None:
        raise DocError(f"{rule.code} {rule.name}: '## {heading}' holds no ```yaml block")
    return block.group(1)


def examples(rule: Rule) -> tuple[str, str]:
    """The rule's failing and passing YAML examples, as file texts.

    Raises DocError when either section or its ```yaml block is missing.
    """
    return _yaml_block(rule, FAILS), _yaml_block(rule, PASSES)
