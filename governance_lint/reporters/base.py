"""What every reporter shares: the report it is given, safe message text, the summary line.

Reporters receive plain values only (diagnostics, a summary, the rules that
ran), so a new format is one small module beside these.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TextIO

from ..api import Rule
from ..model import Diagnostic, Summary, plural_label, printable

#: Longest message text a human-facing format prints, ellipsis included.
MAX_MESSAGE = 500
ELLIPSIS = "…"

# Characters a terminal or a code viewer would act on instead of showing:
# C0 controls, DEL, C1 controls (U+009B is CSI on many terminals), the Unicode
# bidi controls behind "Trojan Source" (U+061C, U+200E/F, U+202A-E, U+2066-9)
# and the Unicode line and paragraph separators, which editors treat as line ends.
_OTHER_UNSAFE = r"\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
UNSAFE_RE = re.compile(rf"[\x00-\x1f{_OTHER_UNSAFE}]")
_UNSAFE_BUT_NEWLINES_RE = re.compile(rf"[\x00-\x09\x0b\x0c\x0e-\x1f{_OTHER_UNSAFE}]")
_UNSAFE_BEYOND_ASCII_RE = re.compile(f"[{_OTHER_UNSAFE}]")
_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


@dataclass(frozen=True)
class Report:
    """Everything a reporter may show about one run."""

    diagnostics: Sequence[Diagnostic]  # sorted by path, line, column, code
    summary: Summary
    rules: Sequence[Rule]  # the rules that ran
    tool_version: str
    root: str  # absolute folder the diagnostics' paths are relative to (SPEC §4, Paths in output)

    def __post_init__(self) -> None:
        # A file or folder name that is not UTF-8 is shown with \xNN escapes in every format.
        object.__setattr__(self, "root", printable(self.root))
        if not all(_is_printable(d) for d in self.diagnostics):
            object.__setattr__(self, "diagnostics", [_printable(d) for d in self.diagnostics])


def _is_printable(d: Diagnostic) -> bool:
    return all(text is None or printable(text) is text for text in (d.path, d.message, d.entity, d.node))


def _printable(d: Diagnostic) -> Diagnostic:
    return dataclasses.replace(
        d,
        path=printable(d.path),
        message=printable(d.message),
        entity=d.entity and printable(d.entity),
        node=d.node and printable(d.node),
    )


def escape_char(char: str) -> str:
    """``\\x1b``, ``\\u202e`` or ``\\n``: a visible, inert spelling of one unsafe character."""
    if char in _SHORT:
        return _SHORT[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe_text(text: str, *, limit: int | None = MAX_MESSAGE, keep_newlines: bool = False) -> str:
    """``text`` with every unsafe character escaped, cut to ``limit`` characters with ``…``.

    With ``keep_newlines`` the line feed and carriage return are left for the
    caller to encode (GitHub workflow commands spell them ``%0A`` and ``%0D``).
    The cut never splits an escape, so what is shown is never half a sequence.
    """
    pattern = _UNSAFE_BUT_NEWLINES_RE if keep_newlines else UNSAFE_RE
    # The common case (short, printable) costs one regex scan and no copy.
    if (limit is None or len(text) <= limit) and not pattern.search(text):
        return text
    if limit is None:
        return pattern.sub(lambda m: escape_char(m.group()), text)
    pieces: list[str] = []
    used = 0
    # Every character shows as at least one, so limit + 1 of them always reach the cut.
    source = text[: limit + 1]
    for i, char in enumerate(source):
        piece = escape_char(char) if pattern.match(char) else char
        rest_fits = i == len(text) - 1  # the last character needs no room for the ellipsis
        if used + len(piece) > (limit if rest_fits else limit - len(ELLIPSIS)):
            pieces.append(ELLIPSIS)
            return "".join(pieces)
        pieces.append(piece)
        used += len(piece)
    return "".join(pieces)


_LONE_CR = re.compile("\r(?!\n)")


def shown(text: str, *, keep_newlines: bool = False, keep_crlf: bool = False) -> str:
    """Repository text made safe to print on any stream: control characters and bidi controls
    escaped (a lone carriage return too), and no CI workflow command.

    ``keep_newlines`` keeps line ends, CRLF made LF unless ``keep_crlf`` (a report whose
    format ends lines so: iCalendar, CSV).
    """
    from .commands import neutralise

    if keep_newlines and not keep_crlf:
        text = text.replace("\r\n", "\n")
    return neutralise(_LONE_CR.sub(r"\\r", safe_text(text, limit=None, keep_newlines=keep_newlines)))


def summary_line(summary: Summary) -> str:
    """``3 errors, 1 warning in 2 of 14 files (41 documents, 2 skipped)``.

    With ``--new-since``: ``2 new errors in 1 of 14 files (41 documents, 17 existing not shown)``.

    Severities with no finding are left out, as is ``0 skipped``; a clean run
    reads ``no problems in 14 files (41 documents)``.  References held back
    while a file does not load, and findings the baseline hid, are added when
    there are any: ``; 28 unresolved references held back until people.yaml
    loads: fix it first; 3 findings hidden by the baseline``.
    """
    new = "" if summary.existing is None else "new "
    counts = [
        plural_label(count, new + word)
        for count, word in ((summary.errors, "error"), (summary.warnings, "warning"), (summary.infos, "info"))
        if count
    ]
    details = plural_label(summary.documents, "document")
    if summary.skipped:
        details += f", {summary.skipped} skipped"
    if summary.existing is not None:
        details += f", {summary.existing} existing not shown"
    files = plural_label(summary.files, "file")
    if not counts:
        line = f"no {new}problems in {files} ({details})"
    else:
        line = f"{', '.join(counts)} in {summary.files_with_findings} of {files} ({details})"
    if summary.held_back:
        line += (
            f"; {plural_label(summary.held_back, 'unresolved reference')} held back until "
            f"{safe_text(summary.fix_first or '?', limit=None)} loads: fix it first"
        )
    if summary.baseline_hidden:
        line += f"; {plural_label(summary.baseline_hidden, 'finding')} hidden by the baseline"
    return line


def write_json(value: object, stream: TextIO) -> None:
    """Write ``value`` as indented JSON, streaming, with every unsafe character as ``\\uXXXX``.

    ``json`` escapes C0 controls itself but, with ``ensure_ascii=False``, not
    DEL, C1 or bidi controls; escaping them too keeps the parsed value the same
    while making the raw file safe to ``cat`` or open in an editor.
    """
    encoder = json.JSONEncoder(indent=2, ensure_ascii=False)
    chunks = encoder.iterencode(value)
    # Thousands of tiny chunks per write: one write and one scan per chunk is most of the time.
    while batch := "".join(itertools.islice(chunks, 65536)):
        # json has escaped C0 controls already, and outside strings it writes only
        # ASCII, so every match here is inside a string and \uXXXX is valid there.
        stream.write(_UNSAFE_BEYOND_ASCII_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", batch))
    stream.write("\n")
