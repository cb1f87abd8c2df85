"""No CI workflow command leaves govlint unless govlint wrote it.

A CI runner reads every line a step prints.  GitHub Actions runs a line whose
first non-blank characters are ``::`` (``::add-mask::``, ``::stop-commands::``)
and a line holding ``##[`` anywhere (the older form, e.g. ``##[set-output]``).
A pull request controls file names, keys and values that govlint echoes, so
every output stream passes through ``CommandSafeStream``, which escapes both
forms in place: ``::`` at the start of a line becomes ``\\u003a:`` and ``##[``
becomes ``##\\u005b``.  The spellings are JSON escapes, so JSON and SARIF
still parse to the very same values; in text they read as the escapes the
text format already shows for control characters.
"""

from __future__ import annotations

import re
from typing import TextIO

# What .NET's ReadLine and Trim treat as a line end or as blank: a superset is harmless here.
_LINE_ENDS = "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_COMMAND_AT_LINE_START = re.compile(rf"(?:\A|(?<=[{_LINE_ENDS}]))([^\S{_LINE_ENDS}]*)::")
_OLD_COMMAND = "##["
COLON_ESCAPE = "\\u003a"
BRACKET_ESCAPE = "\\u005b"


def neutralise(text: str, *, own_commands: bool = False) -> str:
    """``text`` with every workflow command escaped, in any line of it.

    With ``own_commands`` (the ``github`` format), a line starting with ``::``
    in its very first column is govlint's own annotation and is kept; one
    indented is not, since govlint never writes one.
    """
    if _OLD_COMMAND in text:
        text = text.replace(_OLD_COMMAND, "##" + BRACKET_ESCAPE)
    if "::" not in text:
        return text

    def escape(match: re.Match[str]) -> str:
        blank = match.group(1)
        return match.group() if own_commands and not blank else f"{blank}{COLON_ESCAPE}:"

    return _COMMAND_AT_LINE_START.sub(escape, text)


class CommandSafeStream:
    """A text stream that writes whole lines, each through ``neutralise``, to the stream it wraps.

    Writes are buffered up to the last line end so that a command split across
    two writes is still seen; ``finish`` writes what is left (output that does
    not end with a line end).
    """

    def __init__(self, stream: TextIO, *, own_commands: bool = False) -> None:
        self.stream = stream
        self.own_commands = own_commands
        self._pending = ""

    def write(self, text: str) -> int:
        data = self._pending + text
        end = data.rfind("\n") + 1
        if end:
            self.stream.write(neutralise(data[:end], own_commands=self.own_commands))
        self._pending = data[end:]
        return len(text)

    def finish(self) -> None:
        if self._pending:
            self.stream.write(neutralise(self._pending, own_commands=self.own_commands))
            self._pending = ""
        self.stream.flush()

    def flush(self) -> None:  # a partial line waits for its end: the command it may hold is not known yet
        self.stream.flush()

    def isatty(self) -> bool:
        return bool(getattr(self.stream, "isatty", lambda: False)())
