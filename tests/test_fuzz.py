"""Property: whatever bytes a governance file holds, ``govlint check`` answers with findings
(exit 0 or 1), never a crash, and never changes a file.

Valid files from examples/clean are mutated byte by byte (insert, delete,
replace, duplicate a line, re-indent a line, splice in YAML's sharp edges)
and checked in-process through the runner, the whole pipeline from reading
the file to the reporter, with the rest of the example repository as context.
"""

from __future__ import annotations

import hashlib
import io
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from governance_lint.runner import CheckSettings, check

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "clean"
TARGETS = (
    "governance/processes/incident-management.yaml",
    "governance/glossary.yaml",
    "governance/teams.yaml",
    "governance/people/managers.yaml",
)
# Tokens where YAML parsers and the code after them have historically broken.
SHARP_EDGES = [
    b"&a ",
    b"*a",
    b"&a [*a]",
    b"[",
    b"]",
    b"{",
    b"}",
    b"? ",
    b": ",
    b"- ",
    b"---\n",
    b"...\n",
    b"|",
    b">-",
    b"!!python/object/apply:os.system ['true'] ",
    b"!custom ",
    b"! ",
    b"!!int ",
    b"!!binary ",
    b"<<: ",
    b"%YAML 1.2\n",
    b"#",
    b"'",
    b'"',
    b"\\",
    b"\t",
    b"\r",
    b"\r\n",
    b"\x00",
    b"\x1b[2J",
    b"\xff",
    b"\xc3",
    b"\xef\xbb\xbf",
    b"\xe2\x80\xae",
    b"\xe2\x80\xa8",
    b".nan",
    b"-.inf",
    b"0x" + b"f" * 40,
    b"9" * 400,
    b"2023-02-30",
    b"~",
    b"null",
    b"person:",
    b"term:",
    b"team:nobody",
    b"\n" + b" " * 40,
]


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz") / "clean"
    shutil.copytree(EXAMPLE, root)
    return root


def digests(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@st.composite
def mutated(draw: st.DrawFn, original: bytes) -> bytes:
    """``original`` after one to eight random edits."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(data)))
        edit = draw(st.sampled_from(["insert", "delete", "replace", "duplicate-line", "indent", "sharp"]))
        if edit == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=4))
        elif edit == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif edit == "replace" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif edit in ("duplicate-line", "indent"):
            start = data.rfind(b"\n", 0, at) + 1
            end = data.find(b"\n", at)
            end = len(data) if end < 0 else end + 1
            line = bytes(data[start:end])
            if edit == "duplicate-line":
                data[start:start] = line if line.endswith(b"\n") else line + b"\n"
            else:
                body = line.lstrip(b" ")
                data[start:end] = b" " * draw(st.integers(0, 12)) + body
        elif edit == "sharp":
            data[at:at] = draw(st.sampled_from(SHARP_EDGES))
    return bytes(data)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_mutated_governance_files_get_findings_never_a_crash(repo: Path, data: st.DataObject) -> None:
    target = data.draw(st.sampled_from(TARGETS), label="file")
    original = (EXAMPLE / target).read_bytes()
    content = data.draw(mutated(original), label="content")
    fmt = data.draw(st.sampled_from(["text", "json", "sarif", "github"]), label="format")
    path = repo / target
    path.write_bytes(content)
    before = digests(repo)
    stdout, stderr = io.StringIO(), io.StringIO()
    try:
        code = check(
            CheckSettings(paths=(Path(target),), format=fmt, use_cache=False, jobs=1, cwd=repo),
            stdout,
            stderr,
        )
    finally:
        after = digests(repo)
        path.write_bytes(original)
    assert code in (0, 1), stderr.getvalue()
    # No rule crashed on it; a mutation that removed every mention of govlint/ makes the file other
    # YAML, skipped with a note.
    assert [line for line in stderr.getvalue().splitlines() if not line.startswith("govlint: note: ")] == []
    assert "Traceback" not in stdout.getvalue()
    assert after == before  # nothing wrote to the checked files (or any other)
