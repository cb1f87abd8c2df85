"""SARIF 2.1.0 for code-scanning services (GitHub code scanning and others).

One run; one reportingDescriptor per rule that ran, its help taken from the
rule's documentation; results located relative to ``%SRCROOT%`` and
fingerprinted by what they are about (rule, file, entity, node), not by line,
so an alert survives edits elsewhere in its file.
"""

from __future__ import annotations

import hashlib
import json
import re
import textwrap
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

from ..api import Rule
from ..model import Diagnostic, Severity
from .base import Report, write_json

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://govlint.dev"
RULE_HELP_URI = "https://govlint.dev/rules/{code}"
SRCROOT = "%SRCROOT%"
#: The partialFingerprints key; bump the version if the recipe ever changes.
FINGERPRINT_KEY = "govlintNode/v1"

LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}

HEADINGS = ("What it checks", "Why it matters", "Example (fails)", "Use instead (passes)", "Options")
EXAMPLE_HEADINGS = ("Example (fails)", "Use instead (passes)")
# A heading is its own line, optionally as a Markdown heading or with a colon;
# case-sensitive so that a YAML key such as "options:" in an example is not one.
_HEADING_RE = re.compile(r"^(?:#{1,6}[ \t]*)?(" + "|".join(map(re.escape, HEADINGS)) + r")[ \t]*:?[ \t]*$")
_UNDERLINE_RE = re.compile(r"^[ \t]*(?:-{3,}|={3,}|~{3,})[ \t]*$")


def split_doc(doc: str) -> list[tuple[str | None, str]]:
    """A rule's documentation as (heading, body) pairs; text before any heading has heading None."""
    sections: list[tuple[str | None, list[str]]] = [(None, [])]
    lines = doc.splitlines()
    skip_underline = False
    for line in lines:
        if skip_underline and _UNDERLINE_RE.match(line):
            skip_underline = False
            continue
        skip_underline = False
        match = _HEADING_RE.match(line)
        if match:
            sections.append((match.group(1), []))
            skip_underline = True
        else:
            sections[-1][1].append(line)
    result = [(heading, textwrap.dedent("\n".join(body)).strip("\n")) for heading, body in sections]
    return [(heading, body) for heading, body in result if heading is not None or body.strip()]


def doc_markdown(sections: Sequence[tuple[str | None, str]]) -> str:
    """The documentation as Markdown: headings as ``##``, examples fenced as YAML."""
    parts: list[str] = []
    for heading, body in sections:
        if heading is not None:
            parts.append(f"## {heading}")
        if heading in EXAMPLE_HEADINGS and body.strip() and "```" not in body:
            body = f"```yaml\n{body}\n```"
        if body.strip():
            parts.append(body)
    return "\n\n".join(parts)


_FENCE_RE = re.compile(r"^```[\w-]*[ \t]*$", re.MULTILINE)


def _unfenced(body: str) -> str:
    """A Markdown body with code fences replaced by four-space indentation."""
    lines: list[str] = []
    in_code = False
    for line in body.splitlines():
        if _FENCE_RE.match(line):
            in_code = not in_code
        else:
            lines.append(f"    {line}" if in_code and line else line)
    return "\n".join(lines)


def doc_text(sections: Sequence[tuple[str | None, str]]) -> str:
    """The documentation as plain text: bare headings, examples indented, no Markdown marks."""
    parts: list[str] = []
    for heading, body in sections:
        block = [heading] if heading is not None else []
        if heading in EXAMPLE_HEADINGS and "```" not in body:
            body = textwrap.indent(body, "    ")
        if body.strip():
            block.append(_unfenced(body))
        parts.append("\n".join(block))
    return "\n\n".join(parts)


def reporting_descriptor(rule: Rule) -> dict[str, Any]:
    sections = split_doc(rule.doc)
    checks = next((body for heading, body in sections if heading == "What it checks"), "")
    full = " ".join(checks.split()) or rule.summary
    descriptor: dict[str, Any] = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": full},
        "helpUri": RULE_HELP_URI.format(code=rule.code),
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
    }
    if rule.doc.strip():
        descriptor["help"] = {"text": doc_text(sections), "markdown": doc_markdown(sections)}
    else:
        descriptor["help"] = {"text": rule.summary}
    return descriptor


def _fallback_descriptor(diagnostic: Diagnostic) -> dict[str, Any]:
    # A finding from a code with no Rule among those that ran (the loader's
    # GOV001, say) still needs a descriptor for its ruleIndex to point at.
    return {
        "id": diagnostic.code,
        "name": diagnostic.name,
        "shortDescription": {"text": diagnostic.name},
        "helpUri": RULE_HELP_URI.format(code=diagnostic.code),
    }


def fingerprint_base(diagnostic: Diagnostic) -> str:
    """A hash of what the finding is about: rule code, file, entity and node path.

    Lines, columns and message wording are left out on purpose, so the hash
    survives edits elsewhere in the file and rewordings between versions.
    """
    key = json.dumps([diagnostic.code, diagnostic.path, diagnostic.entity, diagnostic.node])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def fingerprints(diagnostics: Iterable[Diagnostic]) -> list[str]:
    """One fingerprint per diagnostic, ``<hash>:<n>`` where n counts repeats of the hash.

    Two findings about the same node (two schema violations, say) must not
    share a fingerprint or a code-scanning service would merge them; their
    order in the sorted output numbers them, as GitHub's own line hashes do.
    """
    seen: dict[str, int] = {}
    result = []
    for diagnostic in diagnostics:
        base = fingerprint_base(diagnostic)
        seen[base] = seen.get(base, 0) + 1
        result.append(f"{base}:{seen[base]}")
    return result


def root_uri(root: str) -> str:
    """The file URI of the repository root, with the trailing slash SARIF requires."""
    uri = Path(root).absolute().as_uri()
    return uri if uri.endswith("/") else uri + "/"


def artifact_uri(path: str) -> str:
    # Relative paths are URI references: spaces, '%', '#', ':' and non-ASCII
    # must be percent-encoded, only '/' keeps its meaning.
    return quote(path, safe="/")


def build(report: Report) -> dict[str, Any]:
    """The SARIF log of a report, as plain JSON values."""
    descriptors = [reporting_descriptor(rule) for rule in report.rules]
    index = {descriptor["id"]: i for i, descriptor in enumerate(descriptors)}
    results = []
    for diagnostic, fingerprint in zip(report.diagnostics, fingerprints(report.diagnostics)):  # noqa: B905
        if diagnostic.code not in index:
            index[diagnostic.code] = len(descriptors)
            descriptors.append(_fallback_descriptor(diagnostic))
        results.append(
            {
                "ruleId": diagnostic.code,
                "ruleIndex": index[diagnostic.code],
                "level": LEVEL[diagnostic.severity],
                "message": {"text": diagnostic.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": artifact_uri(diagnostic.path), "uriBaseId": SRCROOT},
                            "region": {
                                "startLine": max(1, diagnostic.line),
                                "startColumn": max(1, diagnostic.column),
                            },
                        },
                    }
                ],
                "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
            }
        )
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "govlint",
                "version": report.tool_version,
                "informationUri": INFORMATION_URI,
                "rules": descriptors,
            },
        },
        "originalUriBaseIds": {SRCROOT: {"uri": root_uri(report.root)}},
        # govlint's columns count characters (code points), not UTF-16 units.
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(report: Report, stream: TextIO) -> None:
    write_json(build(report), stream)
