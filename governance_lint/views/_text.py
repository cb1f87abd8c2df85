"""Writing tables: Markdown, CSV and JSON, the same way in every report.

RepositoryView text is hostile.  Markdown escapes it so that GitHub's renderer
shows it as text (``md_text``); CSV and the spreadsheet writer keep a cell
that a spreadsheet would read as a formula as text (``formula_like``, OWASP's
CSV-injection rule); every human format shows a reference with its name
beside it (``named``).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ..reporters.base import safe_text

if TYPE_CHECKING:
    from .repository import RepositoryView

#: What a spreadsheet reads as the start of a formula (OWASP: CSV injection)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Inline Markdown that could become markup: emphasis, code, links and images, raw HTML and
# entities, table cells, strikethrough, GitHub's math.  A backslash makes each a literal.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>&!|~$])")
# where a GFM renderer would start a link of its own: "scheme:" before "//", and "www" before "."
_AUTOLINK = re.compile(r"(?i):(?=//)|(?<=www)\.")
# A reference safe inside a code span: a kind and a slug-like id (no backtick, no space).
_PLAIN_REFERENCE = re.compile(r"[a-z]+:[A-Za-z0-9._-]+")


def one_line(value: Any) -> str:
    """A value as one line of visible text: every run of white space (line ends included) one space,
    other control and bidi characters spelled out (``\\x1b``)."""
    text = "" if value is None else str(value)
    return safe_text(" ".join(text.split()), limit=None)


def md_text(value: Any) -> str:
    """RepositoryView text as inline Markdown that renders as that very text: one line, no markup (a bare
    ``https://`` or ``www.`` is not turned into a link either)."""
    return _AUTOLINK.sub(lambda m: "\\" + m.group(), _MD_SPECIAL.sub(r"\\\1", one_line(value)))


def md_code(reference: str) -> str:
    """A reference in a code span when it is plain (``process:x``), else escaped text."""
    return f"`{reference}`" if _PLAIN_REFERENCE.fullmatch(reference) else md_text(reference)


#: A value as one Markdown table cell (``|`` and all markup escaped, on one line).
md_cell = md_text


def named(repo: RepositoryView, reference: str) -> str:
    """``Windy Chen (person:windy)``: a reference with its display name beside it, when it has one."""
    label = repo.label(reference)
    return reference if label in (reference, reference.partition(":")[2]) else f"{label} ({reference})"


def md_table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    lines = [
        "| " + " | ".join(md_cell(h) for h in header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
    ]
    lines += ["| " + " | ".join(md_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def formula_like(value: Any) -> bool:
    """Whether a spreadsheet would read this cell as a formula rather than as text."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def csv_cell(value: Any) -> Any:
    """A CSV cell: a formula-like text behind a ``'`` (shown as text by every spreadsheet)."""
    if value is None:
        return ""
    return "'" + value if formula_like(value) else value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([csv_cell(h) for h in header])
    writer.writerows([csv_cell(v) for v in row] for row in rows)
    return out.getvalue()


#: Past this many characters a report's JSON is written compact: indenting is done in Python, and on a
#: large repository it cost more than reading the whole model.
PRETTY_JSON_CHARS = 200_000


def json_text(value: Any) -> str:
    """The value as JSON: indented when small enough to read, compact (by the C encoder) when large."""
    compact = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if len(compact) > PRETTY_JSON_CHARS:
        return compact + "\n"
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"
