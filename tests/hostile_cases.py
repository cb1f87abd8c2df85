"""Hostile inputs, built at run time, and a way to run the installed ``govlint`` on them.

FIFOs, symbolic links and permissions cannot live in git, so every hazard is
a function that writes its files into an empty repository folder and says
what govlint must answer: the findings ``(path, code, line, column)``, a
fragment of the message, the exit code.  ``tests/test_hostile.py`` asserts
them; ``scripts/measure_hostile.py`` times them.

Expected positions are computed from the hazard's own text (``at``), never
copied from govlint's output.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from governance_lint.discovery import mentions_governance

MEMORY_CAP = 1536 * 1024 * 1024  # address space of each govlint run: 1.5 GiB
CONFIG = "fail-on: error\n"  # the repository root is the config's folder

Finding = tuple[str, str, int, int]  # path, code, line, column


def govlint_command() -> list[str]:
    """The installed console script beside this interpreter (what CI and pre-commit run)."""
    script = Path(sys.executable).with_name("govlint")
    return [str(script)] if script.exists() else [sys.executable, "-m", "governance_lint"]


@dataclass(frozen=True)
class Run:
    exit_code: int
    stdout: str
    stderr: str
    seconds: float
    peak_rss_kib: int  # govlint's own peak resident set (wait4)


# Started as `python -S -c LAUNCHER CAP REPORT COMMAND...`: forks COMMAND under the memory cap
# and writes "exit-code seconds peak-rss-kib" to REPORT.  A forked child's peak RSS starts at its
# parent's (the pages it inherits), so the parent must be this small process, not the test run.
LAUNCHER = """
import os, resource, sys, time
cap, report, command = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
started = time.perf_counter()
pid = os.fork()
if pid == 0:
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    os.execvp(command[0], command)
_, status, usage = os.wait4(pid, 0)
code = os.waitstatus_to_exitcode(status)
with open(report, "w") as stream:
    stream.write(f"{code} {time.perf_counter() - started} {usage.ru_maxrss}")
sys.exit(code if code >= 0 else 128 - code)
"""


def run_govlint(
    args: Sequence[str],
    cwd: Path,
    *,
    timeout: float = 10.0,
    env: dict[str, str] | None = None,
    shell: bool = False,
) -> Run:
    """Run ``govlint ARGS`` (or a shell line) in ``cwd`` under the memory cap; kill it at ``timeout``."""
    report = cwd.parent / f".{cwd.name}.run"
    command = ["/bin/sh", "-c", " ".join(args)] if shell else [*govlint_command(), *args]
    launcher = subprocess.Popen(
        [sys.executable, "-S", "-c", LAUNCHER, str(MEMORY_CAP), str(report), *command],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=env or govlint_env(cwd.parent),
        start_new_session=True,
    )
    try:
        stdout, stderr = launcher.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(launcher.pid, signal.SIGKILL)
        launcher.communicate()
        raise TimeoutError(f"govlint {' '.join(args)} ran longer than {timeout} s") from None
    code, seconds, peak = report.read_text(encoding="utf-8").split()
    report.unlink()
    return Run(
        int(code),
        stdout.decode("utf-8", "replace"),
        stderr.decode("utf-8", "replace"),
        float(seconds),
        int(peak),
    )


def govlint_env(scratch: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "GOVLINT_DEBUG", "FORCE_COLOR")}
    env.update(NO_COLOR="1", GOVLINT_CACHE_DIR=str(scratch / "cache"))
    return env


def at(text: str | bytes, needle: str | bytes, nth: int = 0) -> tuple[int, int]:
    """1-based line and column (in characters) of the ``nth`` occurrence of ``needle``."""
    index = -1
    for _ in range(nth + 1):
        index = text.index(needle, index + 1)  # type: ignore[arg-type]
    before = text[:index]
    if isinstance(before, bytes):
        before = before.decode("utf-8", "replace")
    return before.count("\n") + 1, len(before) - before.rfind("\n")


@dataclass(frozen=True)
class Hazard:
    """One hostile input: what to build, what to run, what govlint must say."""

    name: str
    build: Callable[[Path], Expected]
    args: tuple[str, ...] = ("check", "--select", "GOV0", "--format", "json")
    seconds: float = 5.0  # what the run is expected to take; tests time out (a hang) at 10x
    peak_mib: int | None = None  # bound on the run's peak RSS where the hazard is about memory


@dataclass
class Expected:
    findings: list[Finding]
    exit_code: int
    message: str = ""  # a fragment of every message in the file of the first expected finding
    paths: tuple[str, ...] = ()  # named after `--`; empty: the whole repository
    absent: tuple[str, ...] = ()  # text that must appear nowhere in the output
    error: str = ""  # the run stops (exit 2) with one line on stderr holding this, instead of findings


def refused(error: str) -> Expected:
    """The run stops before checking anything: exit 2, one line naming the problem."""
    return Expected([], 2, error=error)


def remove_tree(root: Path) -> None:
    """Remove a folder tree, however deep (shutil.rmtree recurses once per level)."""
    folders, found = [str(root)], []
    while folders:
        folder = folders.pop()
        found.append(folder)
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
                else:
                    os.unlink(entry.path)
    for folder in reversed(found):
        os.rmdir(folder)


# --- documents -----------------------------------------------------------------------

PERSON = """\
apiVersion: govlint/v1
kind: Person
metadata: {id: ann, name: Ann}
spec: {email: ann@example.org, active: true}
"""
PERSON_SPEC = PERSON.splitlines(keepends=True)[-1]


def policy(statement: str = "All incidents must be logged.", reviewed: str = "2026-09-01") -> str:
    return (
        "apiVersion: govlint/v1\n"
        "kind: Policy\n"
        "metadata:\n"
        "  id: all-incidents-logged\n"
        f"  lastReviewed: {reviewed}\n"
        "spec:\n"
        f"  statement: {statement}\n"
        "  category: process\n"
    )


# Only a file that mentions govlint/ is a governance file (other YAML is skipped unread), so every
# hazard is written as one: the mark closes a small file (no position moves) and opens a large one
# (read only as far as the size limit, and reported at 1:1 whatever comes first).
MARK = b"# a governance file: apiVersion govlint/v1\n"
LARGE = 1 << 20


def _write(root: Path, name: str, content: str | bytes) -> None:
    data = content.encode("utf-8") if isinstance(content, str) else content
    if name.endswith((".yaml", ".yml")) and name != ".govlint.yaml" and not mentions_governance(data):
        data = MARK + data if len(data) > LARGE else data + (b"" if data.endswith(b"\n") else b"\n") + MARK
    (root / name).write_bytes(data)


def _one(
    name: str, content: str | bytes, needle: str | bytes, code: str, message: str, nth: int = 0
) -> Callable[[Path], Expected]:
    """A single file with one finding at ``needle``."""

    def build(root: Path) -> Expected:
        _write(root, name, content)
        line, column = at(content, needle, nth)
        return Expected([(name, code, line, column)], 1, message)

    return build


def _clean(name: str, content: str | bytes) -> Callable[[Path], Expected]:
    def build(root: Path) -> Expected:
        _write(root, name, content)
        return Expected([], 0)

    return build


# --- aliases -------------------------------------------------------------------------


def laughs(levels: int = 9, fan: int = 9, indent: str = "", spent: int = 0) -> tuple[str, str]:
    """A billion-laughs block and the alias (text) at which expansion passes 100,000 nodes,
    when aliases before the block already expanded to ``spent`` nodes."""
    lines = [f"{indent}l0: &l0 [{', '.join(['lol'] * fan)}]"]
    size, total, breach = fan + 1, spent, ""
    for level in range(1, levels):
        aliases = []
        for index in range(fan):  # noqa: B007
            total += size
            token = f"*l{level - 1}"
            aliases.append(token)
            if total > 100_000 and not breach:
                breach = f"{indent}l{level}: &l{level} [" + ", ".join(aliases)
        lines.append(f"{indent}l{level}: &l{level} [{', '.join(aliases)}]")
        size = fan * size + 1
    return "\n".join(lines) + "\n", breach


def _bomb(governance: bool) -> Callable[[Path], Expected]:
    def build(root: Path) -> Expected:
        block, breach = laughs(indent="    " if governance else "")
        text = PERSON.replace(PERSON_SPEC, "spec:\n  labels:\n   lol:\n") + block if governance else block
        _write(root, "bomb.yaml", text)
        # The finding points at the alias that crosses the limit: the last one of the breach prefix.
        line, column = at(text, breach)[0], breach.rindex("*") + 1
        return Expected([("bomb.yaml", "GOV001", line, column)], 1, "max-alias-nodes")

    return build


def expansion(levels: int, fan: int = 9) -> int:
    """How many nodes the aliases of one ``laughs(levels, fan)`` block expand to."""
    size, total = fan + 1, 0
    for _ in range(1, levels):
        total += fan * size
        size = fan * size + 1
    return total


def _bombs_per_document(root: Path) -> Expected:
    """2,500 governance documents in one file, each just under the alias budget: one budget per
    file refuses the file at the second document (a budget per document expanded them all)."""
    block = laughs(levels=5, indent="    ")[0]
    head = PERSON.replace(PERSON_SPEC, "spec:\n  labels:\n   lol:\n")
    text = "---\n".join(head.replace("ann", f"p{n}") + block for n in range(2_500))
    _write(root, "multi.yaml", text)
    breach = laughs(levels=5, indent="    ", spent=expansion(5))[1]
    line, column = at(text, breach, nth=1)[0], breach.rindex("*") + 1
    return Expected([("multi.yaml", "GOV001", line, column)], 1, "max-alias-nodes")


# --- nesting ---------------------------------------------------------------------------


def _brackets(count: int) -> Callable[[Path], Expected]:
    def build(root: Path) -> Expected:
        text = "x: " + "[" * count + "\n"
        _write(root, "brackets.yaml", text)
        # The mapping is level 1, so the 64th bracket opens level 65.
        return Expected([("brackets.yaml", "GOV001", 1, 4 + 63)], 1, "max-depth")

    return build


def _flow_depth(depth: int) -> Callable[[Path], Expected]:
    def build(root: Path) -> Expected:
        text = "[" * depth + "]" * depth + "\n"
        _write(root, "deep.yaml", text)
        if depth <= 64:
            return Expected([], 0)
        return Expected([("deep.yaml", "GOV001", 1, 65)], 1, "max-depth")

    return build


def _indented_mappings(levels: int) -> Callable[[Path], Expected]:
    def build(root: Path) -> Expected:
        text = "".join(" " * level + "a:\n" for level in range(levels))
        _write(root, "indented.yaml", text)
        if len(text) > 1_048_576:
            return Expected([("indented.yaml", "GOV001", 1, 1)], 1, "max-file-bytes")
        return Expected([("indented.yaml", "GOV001", 65, 65)], 1, "max-depth")

    return build


def _dash_sequences(root: Path) -> Expected:
    text = "- " * 10_000 + "x\n"
    _write(root, "dashes.yaml", text)
    return Expected([("dashes.yaml", "GOV001", 1, 1 + 2 * 64)], 1, "max-depth")


def _configured_depth(root: Path) -> Expected:
    _write(root, ".govlint.yaml", CONFIG + "limits: {max-depth: 8}\n")
    text = "a: {b: {c: {d: {e: {f: {g: {h: {i: 1}}}}}}}}\n"
    _write(root, "nine.yaml", text)
    return Expected([("nine.yaml", "GOV001", *at(text, "{i"))], 1, "deeper than 8 levels")


# --- size -----------------------------------------------------------------------------


def _huge_scalar(root: Path) -> Expected:
    with open(root / "scalar.yaml", "wb") as stream:
        stream.write(MARK + b"a: ")
        chunk = b"x" * (1 << 20)
        stream.writelines(chunk for _ in range(50))
        stream.write(b"\n")
    return Expected([("scalar.yaml", "GOV001", 1, 1)], 1, "max-file-bytes")


def _many_keys(governance: bool) -> Callable[[Path], Expected]:
    def build(root: Path) -> Expected:
        head = PERSON.replace(PERSON_SPEC, "spec:\n") if governance else ""
        indent = "  " if governance else ""
        lines, size, number = [head], len(head), 0
        while size < 1_000_000:
            lines.append(f"{indent}k{number:x}: 1\n")
            size += len(lines[-1])
            number += 1
        text = "".join(lines)
        _write(root, "keys.yaml", text)
        if not governance:
            return Expected([], 0)
        # Every key is an unknown field of the Person spec: one finding at each.
        first = head.count("\n") + 1
        return Expected([("keys.yaml", "GOV002", first + n, 3) for n in range(number)], 1, "unknown field")

    return build


def _late_duplicates(root: Path) -> Expected:
    """Half a megabyte of distinct keys, then the last of them again and again."""
    keys = [f"k{number:x}" for number in range(60_000)]
    text = "".join(f"{key}: 1\n" for key in keys) + f"{keys[-1]}: 2\n" * 40_000
    _write(root, "dups.yaml", text)
    first_duplicate = at(text, f"{keys[-1]}: 2")
    return Expected(
        [("dups.yaml", "GOV001", *first_duplicate)]
        + [("dups.yaml", "GOV001", first_duplicate[0] + i, 1) for i in range(1, 40_000)],
        1,
        "duplicate key",
    )


# --- values ---------------------------------------------------------------------------

BIG_NUMBER = "9" * 5000


def _huge_integer(root: Path) -> Expected:
    text = policy(statement=BIG_NUMBER)
    _write(root, "policy.yaml", text)
    plain = f"count: {BIG_NUMBER}\nhex: 0x{'f' * 5000}\n"
    _write(root, "plain.yaml", plain)  # not a governance file: read, skipped, no crash
    return Expected([("policy.yaml", "GOV002", *at(text, BIG_NUMBER))], 1, "integer too large")


def _non_finite(root: Path) -> Expected:
    # Two documents: each problem belongs to its own document, reported once.
    text = PERSON.replace("name: Ann", "name: .inf") + "---\n" + policy(statement=".nan")
    _write(root, "floats.yaml", text)
    found = [("floats.yaml", "GOV002", *at(text, value)) for value in (".nan", ".inf")]
    return Expected(found, 1, "not a finite number")


def _impossible_date(root: Path) -> Expected:
    text = policy(reviewed="2023-02-30")
    _write(root, "policy.yaml", text)
    return Expected([("policy.yaml", "GOV002", *at(text, "2023-02-30"))], 1, "2023-02-30")


def _python_tag(root: Path) -> Expected:
    marker = root.parent / "pwned"
    text = f"a: !!python/object/apply:os.system ['touch {marker}']\n"
    _write(root, "tag.yaml", text)
    return Expected([("tag.yaml", "GOV001", *at(text, "!!python"))], 1, "never constructs")


def _custom_tag(root: Path) -> Expected:
    text = PERSON.replace("name: Ann", "name: !secret Ann")
    _write(root, "tag.yaml", text)
    return Expected([("tag.yaml", "GOV001", *at(text, "!secret"))], 1, "unsupported tag '!secret'")


def _non_string_keys(root: Path) -> Expected:
    text = PERSON.replace("name: Ann}", "name: Ann, labels: {[1, 2]: x, 3: y, ? {a: b} : c}}")
    _write(root, "keys.yaml", text)
    return Expected(
        [("keys.yaml", "GOV002", *at(text, needle)) for needle in ("[1, 2]", "3: y", "{a: b}")],
        1,
        "keys must be strings",
    )


def _duplicate_key(root: Path) -> Expected:
    text = PERSON + "metadata: {id: bob}\n"
    _write(root, "dup.yaml", text)
    return Expected([("dup.yaml", "GOV001", *at(text, "metadata", 1))], 1, "duplicate key 'metadata'")


# --- bytes ----------------------------------------------------------------------------


def _utf16(root: Path) -> Expected:
    _write(root, "utf16.yaml", PERSON.encode("utf-16"))  # with its byte-order mark
    return Expected([("utf16.yaml", "GOV001", 1, 1)], 1, "UTF-16")


def _invalid_utf8(root: Path) -> Expected:
    data = PERSON.replace("Ann}", "An\udcffn}").encode("utf-8", "surrogateescape")
    _write(root, "latin.yaml", data)
    return Expected([("latin.yaml", "GOV001", *at(data, b"\xff"))], 1, "invalid UTF-8")


def _control(char: str) -> Callable[[Path], Expected]:
    text = PERSON.replace("Ann}", f"A{char}nn}}")
    return _one("control.yaml", text, char, "GOV001", f"U+{ord(char):04X}")


def _bom(root: Path) -> Expected:
    text = PERSON.replace("active: true", "active: maybe")
    _write(root, "bom.yaml", b"\xef\xbb\xbf" + text.encode("utf-8"))
    return Expected([("bom.yaml", "GOV002", *at(text, "maybe"))], 1)  # columns as if no BOM


def _crlf(root: Path) -> Expected:
    text = PERSON.replace("active: true", "active: maybe") + "---\n" + policy(reviewed="2023-02-30")
    _write(root, "crlf.yaml", text.replace("\n", "\r\n"))
    return Expected([("crlf.yaml", "GOV002", *at(text, value)) for value in ("maybe", "2023-02-30")], 1)


def _multi_document(root: Path) -> Expected:
    bob = PERSON.replace("ann", "bob").replace("true", "maybe")
    text = PERSON + "---\n# a note\n" + bob + "...\n---\n{}\n"
    _write(root, "multi.yaml", text)
    # A file holding governance documents holds only those: the third is GOV003 at its first line.
    found = [("multi.yaml", "GOV002", *at(text, "maybe")), ("multi.yaml", "GOV003", *at(text, "{}"))]
    return Expected(found, 1)


# --- work that must stay linear -----------------------------------------------------------


def _process(ident: str, lines: Sequence[str]) -> str:
    return f"apiVersion: govlint/v1\nkind: Process\nmetadata: {{id: {ident}}}\nspec:\n" + "".join(lines)


def _facing_interfaces(count: int) -> Callable[[Path], Expected]:
    """Two processes with ``count`` interfaces to each other, symmetric but for one orphan item."""

    def interfaces(other: str, out: str, back: str) -> list[str]:
        return ["  interfaces:\n"] + [
            f"    - {{process: process:{other}, sends: [{out}{n}], receives: [{back}{n}]}}\n"
            for n in range(count)
        ]

    def build(root: Path) -> Expected:
        first = _process("a", interfaces("b", "i", "r") + ["    - {process: process:b, sends: [orphan]}\n"])
        _write(root, "a.yaml", first)
        _write(root, "b.yaml", _process("b", interfaces("a", "r", "i")))
        return Expected([("a.yaml", "GOV601", *at(first, "orphan"))], 0, "'orphan'")  # a warning

    return build


def _term_members(root: Path) -> Expected:
    """40,000 term references that term-defined reports: the schema's finding at each is dropped."""
    lines = ["  purpose: x\n", "  owner: person:x\n", "  terms:\n"] + [
        f"    - ref: term:X_{n}\n" for n in range(40_000)
    ]
    text = _process("p", lines)
    _write(root, "terms.yaml", text)
    line = at(text, "term:X_0")[0]
    column = at(text, "term:X_0")[1]
    found = [("terms.yaml", "GOV402", line + n, column) for n in range(40_000)]
    return Expected(found, 1, "names no Glossary term")


def _unknown_terms(root: Path) -> Expected:
    """10,000 references to terms a 10,000-term Glossary lacks: "did you mean" stays bounded."""
    glossary = "apiVersion: govlint/v1\nkind: Glossary\nmetadata: {id: g}\nspec:\n  terms:\n" + "".join(
        f"    - {{term: Term {n}, definition: d}}\n" for n in range(10_000)
    )
    _write(root, "glossary.yaml", glossary)
    text = _process("p", ["  terms:\n"] + [f"    - ref: term:unknown-{n}\n" for n in range(10_000)])
    _write(root, "terms.yaml", text)
    line, column = at(text, "term:unknown-0")
    return Expected(
        [("terms.yaml", "GOV402", line + n, column) for n in range(10_000)], 1, "names no Glossary term"
    )


def _stale_baseline(root: Path) -> Expected:
    """20,000 stale baseline entries naming items of one long list: the file is parsed once, and
    each item is found by id without a scan of the list."""
    count = 20_000
    text = _process("p", ["  activities:\n"] + [f"    - {{id: a{n}}}\n" for n in range(count)])
    _write(root, "p.yaml", text)
    entries = [
        {"code": "GOV104", "path": "p.yaml", "node": f"process:p/spec/activities/a{n}"} for n in range(count)
    ]
    _write(root, "baseline.json", json.dumps({"version": 1, "entries": entries}))
    _write(root, ".govlint.yaml", CONFIG + "baseline: baseline.json\n")
    line, column = at(text, "{id: a0}")
    found = [("p.yaml", "GOV006", line + n, column) for n in range(count)]
    return Expected(found, 0, "stale baseline entry")  # warnings


def _suppressions(root: Path) -> Expected:
    """A megabyte of suppression comments, each hiding the finding on the line below it."""
    head = PERSON.replace(PERSON_SPEC, "spec:\n  email: ann@example.org\n")
    lines, size, number = [head], len(head), 0
    while size < 1_000_000:
        lines.append(f"  # govlint: ignore[GOV002] -- kept on purpose\n  k{number}: 1\n")
        size += len(lines[-1])
        number += 1
    _write(root, "people.yaml", "".join(lines))
    return Expected([], 0)


# --- what the repository's own config names (a pull request controls it) -------------------


def _config(text: str, error: str) -> Callable[[Path], Expected]:
    def build(root: Path) -> Expected:
        _write(root, ".govlint.yaml", CONFIG + text)
        _write(root, "people.yaml", BYSTANDER)
        return refused(error)

    return build


def _raised_alias_limit(root: Path) -> Expected:
    """13 lines of config once let aliases expand to 100 million nodes (1.1 GB)."""
    _write(root, ".govlint.yaml", CONFIG + "limits: {max-alias-nodes: 100000000}\n")
    _write(root, "bomb.yaml", laughs()[0])
    return refused("'limits.max-alias-nodes': 100000000 is above the limit in force (100000)")


def _huge_config(root: Path) -> Expected:
    _write(root, ".govlint.yaml", CONFIG + "#" + "x" * 2_000_000 + "\n")
    return refused("is 2,000,017 bytes, more than the 1,048,576-byte limit (limit max-file-bytes)")


# --- names and folders -------------------------------------------------------------------


def _non_utf8_name(root: Path) -> Expected:
    """``bad<0xff>.yaml``: shown as ``bad\\xff.yaml`` in every format."""
    (root / os.fsdecode(b"bad\xff.yaml")).write_text(BYSTANDER, encoding="utf-8")
    return Expected([("bad\\xff.yaml", "GOV002", *at(BYSTANDER, "maybe"))], 1)


DEEP = 1_000


def _deep_tree(root: Path) -> Expected:
    """A file 1,000 folders down, outside git: the walk must not recurse per level."""
    folder = root
    for _ in range(DEEP):  # os.makedirs recurses once per missing level
        folder = folder / "d"
        folder.mkdir()
    _write(folder, "people.yaml", BYSTANDER)
    return Expected([("d/" * DEEP + "people.yaml", "GOV002", *at(BYSTANDER, "maybe"))], 1)


# --- files ----------------------------------------------------------------------------

BYSTANDER = PERSON.replace("active: true", "active: maybe")  # a normal file with one finding


def _with_bystander(make: Callable[[Path], str], message: str, *, named: bool) -> Callable[[Path], Expected]:
    """The hazard (``make`` returns its name) beside an ordinary file: both are reported."""

    def build(root: Path) -> Expected:
        _write(root, "people.yaml", BYSTANDER)
        name = make(root)
        paths = (name, "people.yaml") if named else ()
        findings = [(name, "GOV001", 1, 1), ("people.yaml", "GOV002", *at(BYSTANDER, "maybe"))]
        return Expected(findings, 1, message, paths=paths, absent=("root:x:0:0",))

    return build


def _fifo(root: Path) -> str:
    os.mkfifo(root / "x.yaml")
    return "x.yaml"


def _link(name: str, target: str) -> Callable[[Path], str]:
    def make(root: Path) -> str:
        os.symlink(target, root / name)
        return name

    return make


def _directory_link(root: Path) -> str:
    (root / "folder").mkdir()
    os.symlink("folder", root / "folder.yaml")
    return "folder.yaml"


def _directory_named_yaml(root: Path) -> Expected:
    """A folder named ``dir.yaml`` is a folder: walked, its files checked, never opened as a file."""
    (root / "dir.yaml").mkdir()
    _write(root / "dir.yaml", "inside.yaml", BYSTANDER)
    inside = ("dir.yaml/inside.yaml", "GOV002", *at(BYSTANDER, "maybe"))
    return Expected([inside], 1)


def _dash_names(root: Path) -> Expected:
    _write(root, "-c.yaml", BYSTANDER)
    _write(root, "-h.yaml", PERSON.replace("ann", "bob"))
    return Expected([("-c.yaml", "GOV002", *at(BYSTANDER, "maybe"))], 1, paths=("-c.yaml", "-h.yaml"))


def _dash_only(root: Path) -> Expected:
    _write(root, "-h.yaml", BYSTANDER)
    return Expected([("-h.yaml", "GOV002", *at(BYSTANDER, "maybe"))], 1, paths=("-h.yaml",))


def _empty_and_comments(root: Path) -> Expected:
    _write(root, "empty.yaml", "")
    _write(root, "comments.yaml", "# nothing here yet\n   # still nothing\n")
    _write(root, "blank.yaml", "\n\n   \n")
    return Expected([], 0)


# Non-regular files are reported "in well under a second": this bound includes
# interpreter start-up (about 0.15 s here) and leaves room for a slow CI runner.
FILE_SECONDS = 2.0
BIG_FILE_MIB = 100  # 50 MB inputs: the run stays far below their size plus the interpreter
#: 40,000 schema errors in one list of a 1 MB file: validated a few at a time (all at once: 740 MiB)
LIST_ERRORS_MIB = 300


def _file_hazard(name: str, make: Callable[[Path], str], message: str, *, named: bool = False) -> Hazard:
    return Hazard(
        f"{name} (named)" if named else name,
        _with_bystander(make, message, named=named),
        seconds=FILE_SECONDS,
    )


HAZARDS: tuple[Hazard, ...] = (
    Hazard("alias bomb (governance document)", _bomb(governance=True)),
    Hazard("alias bomb (plain YAML)", _bomb(governance=False)),
    Hazard("2,500 documents, each just under the alias budget (one budget per file)", _bombs_per_document),
    Hazard("alias cycle", _one("cycle.yaml", "a: &a [1, *a]\n", "*a", "GOV001", "contains it")),
    Hazard("100,000 nested [", _brackets(100_000)),
    Hazard("64 nested [ (at the limit)", _flow_depth(64)),
    Hazard("65 nested [ (over the limit)", _flow_depth(65)),
    Hazard("1,400 nested block mappings (indentation, < 1 MiB)", _indented_mappings(1_400)),
    Hazard(
        "10,000 nested block mappings (indentation, 50 MB)", _indented_mappings(10_000), peak_mib=BIG_FILE_MIB
    ),
    Hazard("10,000 nested block sequences (- - - …)", _dash_sequences),
    Hazard("configured max-depth: 8", _configured_depth),
    Hazard("50 MB scalar", _huge_scalar, peak_mib=BIG_FILE_MIB),
    Hazard("1 MB of distinct keys (plain YAML)", _many_keys(governance=False)),
    Hazard("1 MB of distinct keys (governance spec)", _many_keys(governance=True)),
    Hazard("40,000 duplicates of the last of 60,000 keys", _late_duplicates),
    Hazard(
        "two processes with 4,000 interfaces to each other (GOV601)",
        _facing_interfaces(4_000),
        args=("check", "--select", "GOV601", "--format", "json"),
    ),
    Hazard(
        "two 1 MB processes with 16,000 interfaces to each other (GOV601)",
        _facing_interfaces(16_000),
        args=("check", "--select", "GOV601", "--format", "json"),
    ),
    Hazard(
        "40,000 term: references reported by a rule and the schema",
        _term_members,
        args=("check", "--select", "GOV002,GOV402", "--format", "json"),
        peak_mib=LIST_ERRORS_MIB,
    ),
    Hazard(
        "10,000 unknown term: references, a 10,000-term Glossary",
        _unknown_terms,
        args=("check", "--select", "GOV402", "--format", "json"),
    ),
    Hazard("1 MB of suppression comments, each hiding a finding", _suppressions),
    Hazard(
        "20,000 stale baseline entries in one file",
        _stale_baseline,
        args=("check", "--select", "GOV104,GOV006", "--format", "json"),
    ),
    Hazard("5,000-digit integers", _huge_integer),
    Hazard(".nan and .inf", _non_finite),
    Hazard("impossible date 2023-02-30", _impossible_date),
    Hazard("!!python/object/apply:os.system tag", _python_tag),
    Hazard("custom tag !secret", _custom_tag),
    Hazard("non-string keys", _non_string_keys),
    Hazard("duplicate key", _duplicate_key),
    Hazard("UTF-16 with BOM", _utf16),
    Hazard("invalid UTF-8", _invalid_utf8),
    Hazard("NUL byte", _control("\x00")),
    Hazard("C0 control (BEL)", _control("\x07")),
    Hazard("raw ESC", _control("\x1b")),
    Hazard("UTF-8 BOM + valid content", _bom),
    Hazard("CRLF line ends", _crlf),
    Hazard("empty, blank and comment-only files", _empty_and_comments),
    Hazard("multi-document file", _multi_document),
    Hazard(
        "config: baseline: /dev/zero",
        _config(
            "baseline: /dev/zero\n",
            "/dev/zero: cannot read baseline: is not a regular file (a character device); not read",
        ),
    ),
    Hazard("config: limits raised (max-alias-nodes: 100,000,000)", _raised_alias_limit),
    Hazard("config of 2 MB", _huge_config),
    Hazard(
        'config: bad glob include: ["[z-a]"]',
        _config('include: ["[z-a]"]\n', "include: '[z-a]' is not a valid glob"),
    ),
    _file_hazard("FIFO x.yaml", _fifo, "a FIFO"),
    _file_hazard("FIFO x.yaml", _fifo, "a FIFO", named=True),
    _file_hazard("/dev/zero linked as zero.yaml", _link("zero.yaml", "/dev/zero"), "outside the repository"),
    _file_hazard(
        "/dev/zero linked as zero.yaml", _link("zero.yaml", "/dev/zero"), "outside the repository", named=True
    ),
    _file_hazard("link to /etc/passwd", _link("passwd.yaml", "/etc/passwd"), "outside the repository"),
    _file_hazard("dangling link", _link("dangling.yaml", "nowhere.yaml"), "leads to nothing"),
    _file_hazard("link loop", _link("loop.yaml", "loop.yaml"), "a loop"),
    _file_hazard("link named folder.yaml to a folder", _directory_link, "is a directory"),
    Hazard("folder named dir.yaml", _directory_named_yaml),
    Hazard("file name that is not valid UTF-8", _non_utf8_name),
    Hazard("1,000-level folder tree outside git", _deep_tree),
    Hazard("-c.yaml and -h.yaml after --", _dash_names),
    Hazard("-h.yaml as the only argument after --", _dash_only),
)
