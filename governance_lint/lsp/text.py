"""Positions in a buffer: govlint's 1-based line and character column against LSP's 0-based line and
UTF-16 offset, and the token under a position (a reference, an id).

A ``Text`` is a view of a string the editor's buffer (or the file) already holds, with its line
table built once: it keeps no copy of its own.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from lsprotocol import types as lsp

from ..editing import line_starts

REFERENCE_TOKEN = re.compile(r"(person|team|process|practice|service|policy|term):[A-Za-z0-9][A-Za-z0-9._-]*")
# Where a plain scalar or a key ends on its line (flow punctuation, a comment, a mapping colon).
_TOKEN_END = re.compile(r"[,\[\]{}]|:\s|:$|\s#")


@dataclass
class Text:
    """A buffer's text with its line table; LSP columns count ``encoding`` code units (as negotiated)."""

    source: str
    encoding: str = "utf-16"
    starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.starts = line_starts(self.source)

    def line(self, number: int) -> str:
        """The text of 1-based line ``number``, without its line break ('' past the end)."""
        if not 1 <= number <= len(self.starts):
            return ""
        start = self.starts[number - 1]
        end = self.starts[number] if number < len(self.starts) else len(self.source)
        return self.source[start:end].rstrip("\r\n\x85\u2028\u2029")

    def position(self, line: int, column: int) -> lsp.Position:
        """govlint's ``line:column`` (1-based, characters) as an LSP position."""
        prefix = self.line(line)[: max(column - 1, 0)]
        return lsp.Position(line=max(line - 1, 0), character=_units(prefix, self.encoding))

    def at_offset(self, offset: int) -> lsp.Position:
        index = max(bisect.bisect_right(self.starts, offset) - 1, 0)
        line = index + 1
        return self.position(line, offset - self.starts[index] + 1)

    def column(self, position: lsp.Position) -> tuple[int, int]:
        """An LSP position as govlint's (line, column), both 1-based."""
        text = self.line(position.line + 1)
        units, index = 0, 0
        while index < len(text) and units < position.character:
            units += _width(text[index], self.encoding)
            index += 1
        return position.line + 1, index + 1

    def token_range(self, line: int, column: int) -> lsp.Range:
        """The range of the key or scalar that starts at ``line:column``: what a finding underlines."""
        text = self.line(line)
        start = max(column - 1, 0)
        if start >= len(text):
            return lsp.Range(self.position(line, column), self.position(line, column))
        quote = text[start]
        if quote in ("'", '"'):
            end = text.find(quote, start + 1)
            end = len(text) if end < 0 else end + 1
        else:
            found = _TOKEN_END.search(text, start + 1)
            end = found.start() if found else len(text.rstrip())
            if text[start] == "-" and text[start + 1 : start + 2] == " ":  # a list item: underline the dash
                end = start + 1
        end = max(end, start + 1)
        return lsp.Range(self.position(line, start + 1), self.position(line, end + 1))

    def reference_at(self, line: int, column: int) -> tuple[str, int, int] | None:
        """The ``KIND:ID`` under ``line:column``: its text and its 1-based start and end columns."""
        for match in REFERENCE_TOKEN.finditer(self.line(line)):
            if match.start() < column <= match.end() + 1:
                return match.group(), match.start() + 1, match.end() + 1
        return None

    def range(self, line: int, start: int, end: int) -> lsp.Range:
        return lsp.Range(self.position(line, start), self.position(line, end))


def _units(text: str, encoding: str) -> int:
    """How many code units of the negotiated position encoding ``text`` takes (counted in C)."""
    if encoding == "utf-32":
        return len(text)
    codec = "utf-8" if encoding == "utf-8" else "utf-16-le"
    size = len(text.encode(codec, "surrogatepass"))
    return size if encoding == "utf-8" else size // 2


def _width(char: str, encoding: str) -> int:
    """How many code units of the negotiated position encoding one character takes."""
    if encoding == "utf-8":
        point = ord(char)
        return 1 if point < 0x80 else 2 if point < 0x800 else 3 if point < 0x10000 else 4
    if encoding == "utf-32":
        return 1
    return 2 if ord(char) > 0xFFFF else 1
