"""What makes a document a governance document: the envelope (``apiVersion``, ``kind``), and the
near misses of one (a misspelt key, a version close to ``govlint/v1``) that would otherwise go unchecked.

Value-level checks every stage may ask: the engine decides with them which files to load and which
documents the rules see; the unknown-document rule reports what they find.
"""

from __future__ import annotations

import difflib
import re

from .model import API_PREFIX, API_VERSION, KINDS, Document

#: How alike (difflib's ratio) a value must be to ``govlint/v1`` to be a misspelling of it.
VERSION_LIKENESS = 0.75
#: How alike a key must be to ``apiVersion`` (ignoring case and separators) to be a misspelling of it.
KEY_LIKENESS = 0.85
_KIND_BY_LOWER = {kind.lower(): kind for kind in KINDS}
# A text screen for files that never mention `govlint/`: a govlint kind, or an apiVersion-like key
# (its value is judged in Python).  Only files it passes are parsed and looked at closely.
_KIND_LINE_RE = re.compile(
    rb"(?im)^[ \t]*(?:-[ \t]+)?[\"']?kind[\"']?[ \t]*:[ \t]*[\"']?(?:"
    + b"|".join(kind.encode() for kind in KINDS)
    + rb")[\"']?[ \t]*(?:#.*)?$"
)
_API_LINE_RE = re.compile(
    rb"(?im)^[ \t]*(?:-[ \t]+)?[\"']?(api[\w -]{0,12})[\"']?[ \t]*:[ \t]*[\"']?([^\s\"'#,}]+)"
)


def _like_version(value: str) -> bool:
    value = value.strip().lower()
    return difflib.SequenceMatcher(None, value, API_VERSION).ratio() >= VERSION_LIKENESS


def _like_api_key(key: str) -> bool:
    plain = re.sub(r"[-_ ]", "", key.lower())
    return difflib.SequenceMatcher(None, plain, "apiversion").ratio() >= KEY_LIKENESS


def might_be_governance(content: bytes) -> bool:
    """Whether a file that never mentions ``govlint/`` could hold a governance document gone wrong.

    A cheap screen, so that other people's YAML is skipped unparsed: a line
    ``kind: Process`` (any govlint kind), or an apiVersion-like key whose value
    is close to ``govlint/v1``.
    """
    if _KIND_LINE_RE.search(content):
        return True
    return any(
        _like_api_key(key.decode("utf-8", "replace")) and _like_version(value.decode("utf-8", "replace"))
        for key, value in _API_LINE_RE.findall(content)
    )


def near_miss(doc: Document) -> str | None:
    """Why a document that is not a governance document looks like one gone wrong, with a did-you-mean.

    A govlint kind or a near-``govlint/v1`` value under a misspelled
    ``apiVersion`` key, an ``apiVersion`` close to ``govlint/v1``, or a govlint
    kind with metadata or spec and no apiVersion at all.  Such a document would
    otherwise be skipped unchecked.  A Kubernetes ``kind: Service`` with
    ``apiVersion: v1`` is none of these.
    """
    data = doc.data
    if not isinstance(data, dict):
        return None
    key = (
        "apiVersion"
        if "apiVersion" in data
        else next((k for k in data if isinstance(k, str) and _like_api_key(k)), None)
    )
    api = data.get(key) if key is not None else None
    close = isinstance(api, str) and _like_version(api)
    kind = data.get("kind")
    known = _KIND_BY_LOWER.get(kind.lower()) if isinstance(kind, str) else None
    if key is not None and key != "apiVersion" and (close or known):
        return (
            f"key {key!r} is not 'apiVersion', so this document is not checked; "
            f"did you mean 'apiVersion: {API_VERSION}'?"
        )
    if key == "apiVersion" and close:
        return (
            f"apiVersion {api!r} is not a govlint version, so this document is not checked; did you mean "
            f"{API_VERSION!r}?"
        )
    if key is None and known and ("metadata" in data or "spec" in data):
        return (
            f"a {known} document with no apiVersion is not checked; "
            f"did you mean to add 'apiVersion: {API_VERSION}'?"
        )
    return None


def envelope_problem(doc: Document) -> str | None:
    """Why a document of a governance file is not a supported governance document."""
    data = doc.data
    if not isinstance(data, dict):
        shape = "a list" if isinstance(data, list) else "a single value"
        return f"document is {shape}, not a mapping; a file holding governance documents holds only those"
    api = data.get("apiVersion")
    if api is None:
        return (
            near_miss(doc)
            or "document has no apiVersion; a file holding governance documents holds only those"
        )
    if not isinstance(api, str) or not api.startswith(API_PREFIX):
        return near_miss(doc) or (
            f"apiVersion {api!r} is not a govlint version; "
            "a file holding governance documents holds only those"
        )
    if api != API_VERSION:
        return f"apiVersion {api!r} is not supported (this govlint reads {API_VERSION})"
    kind = data.get("kind")
    if kind is None:
        return "document has no kind (one of " + ", ".join(KINDS) + ")"
    if kind not in KINDS:
        hint = difflib.get_close_matches(kind, KINDS, n=1) if isinstance(kind, str) else []
        return f"kind {kind!r} is not supported" + (
            f"; did you mean {hint[0]!r}?" if hint else " (one of " + ", ".join(KINDS) + ")"
        )
    return None
