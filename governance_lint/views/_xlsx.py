"""Writing reports as spreadsheets (``--format xlsx``) with openpyxl, the same way in every report.

Each sheet has a header row, frozen.  Every text cell is written as a string,
never as a formula, whatever it begins with (``_text.formula_like``); its
control characters are spelled out, since a spreadsheet cell cannot hold them.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ._text import formula_like, one_line

#: Excel's limit on a sheet's title, and the characters it refuses in one
TITLE_LENGTH = 31
_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Sheet:
    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]


def sheet_titles(wanted: Sequence[str]) -> list[str]:
    """Valid, distinct sheet titles for ``wanted`` (cut to 31 characters, forbidden characters ``-``)."""
    titles: list[str] = []
    taken: set[str] = set()
    for text in wanted:
        base = _TITLE_FORBIDDEN.sub("-", one_line(text)).strip("'") or "Sheet"
        title = base[:TITLE_LENGTH]
        n = 1
        while title.lower() in taken:
            n += 1
            suffix = f" ({n})"
            title = base[: TITLE_LENGTH - len(suffix)] + suffix
        taken.add(title.lower())
        titles.append(title)
    return titles


def workbook(sheets: Sequence[Sheet]) -> bytes:
    """The workbook of ``sheets``, in order, as the bytes of an .xlsx file."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    for sheet in sheets:
        page = book.create_sheet(sheet.title)
        page.freeze_panes = "A2"

        def cell(value: Any, page: Any = page) -> Any:
            if value is None or value == "":
                return None
            if isinstance(value, bool | int | float):
                return value
            written = WriteOnlyCell(page, value=one_line(value))
            if formula_like(value) or written.data_type != "s":
                written.data_type = "s"  # text, never a formula
            return written

        page.append([cell(h) for h in sheet.header])
        for row in sheet.rows:
            page.append([cell(v) for v in row])
    if not sheets:
        book.create_sheet("Empty")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
