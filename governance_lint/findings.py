"""One identity for a finding: what the baseline, suppressions, waivers and ``--new-since`` compare.

A finding is the same finding, wherever edits moved it, when its rule, its
file, its node and its subject are the same:

- the node is the entity and the node path inside it
  (``process:incident-management/spec/activities/identify``), with the place
  of an item that has no id in its list left out (``spec/escalation/*``): an
  edit above it shifts the place, and the subject tells such items apart;
- the subject is the message without the positions it names
  (``people.yaml:12:3``, ``line 7``, ``column 5``) and without a did-you-mean
  hint, which changes when another file adds a near name.

``person:windi names no Person (did you mean person:windy?)`` and the same
finding after lines moved or after a Person ``windi2`` was added have one
identity; ``person:wendy names no Person`` has another.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from .model import Diagnostic

# A position inside a message: ``people.yaml:12`` (a path, then ``:line`` and maybe ``:column``),
# ``line 12`` or ``column 5``.
_POSITION = re.compile(r"(?P<path>[^\s:]*[./][^\s:]*)(?::\d+)+(?=[\s;,)?]|$)|\b(?P<word>line|column) \d+\b")
_DID_YOU_MEAN = re.compile(r" ?\(did you mean [^()]*\?\)")
_LIST_POSITION = re.compile(r"/\d+(?=/|$)")


class Identity(NamedTuple):
    """(rule, file, node, subject): equal for the same finding in two states of a repository."""

    code: str
    path: str
    node: str | None
    subject: str


def subject(message: str) -> str:
    """What a finding says, without positions and without a did-you-mean hint."""
    return _DID_YOU_MEAN.sub("", _POSITION.sub(lambda m: m["path"] or m["word"], message))


def node_key(entity: str | None, node: str | None) -> str | None:
    """``process:incident-management/spec/activities/identify``: the entity and the node inside it."""
    if entity and node:
        return f"{entity}/{node}"
    return entity or node


def general_node(node: str | None) -> str | None:
    """A node with the places of list items left out (``spec/escalation/3`` -> ``spec/escalation/*``)."""
    return _LIST_POSITION.sub("/*", node) if node else node


def identity(
    finding: Diagnostic, path: str | None = None, renamed: Callable[[str], str] | None = None
) -> Identity:
    """The finding's identity; ``path`` and ``renamed`` say where a change moved its file and the files
    its message names (``--new-since`` across git's renames)."""
    said = subject(finding.message)
    return Identity(
        finding.code,
        finding.path if path is None else path,
        general_node(node_key(finding.entity, finding.node)),
        renamed(said) if renamed else said,
    )
