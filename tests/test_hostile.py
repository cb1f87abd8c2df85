"""Hostile input (SPEC §9): every broken or malicious file gets a finding, in bounded time and
memory, and never a traceback.

Each hazard is built at test time (tests/hostile_cases.py) and checked by the
installed ``govlint`` in a subprocess capped at 1.5 GiB of address space.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import json
import os
import signal
import stat
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hostile_cases import CONFIG, HAZARDS, PERSON, Hazard, at, govlint_command, remove_tree, run_govlint

from governance_lint import runner, workspace
from governance_lint.cli import main
from governance_lint.discovery import read_file

ROOT = Path(__file__).resolve().parent.parent


def snapshot(root: Path) -> dict[str, tuple[int, str]]:
    """Every entry under ``root``: its type and, for regular files, a digest (links are not followed)."""
    found = {}
    folders = [root]
    while folders:  # not os.walk, which recurses once per folder level
        folder = folders.pop()
        for name in os.listdir(folder):
            path = folder / name
            mode = os.lstat(path).st_mode
            if stat.S_ISDIR(mode):
                folders.append(path)
            if stat.S_ISREG(mode):
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                digest = os.readlink(path) if stat.S_ISLNK(mode) else ""
            found[str(path.relative_to(root))] = (stat.S_IFMT(mode), digest)
    return found


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[Path]:
    root = tmp_path / "repo"
    root.mkdir()
    (root / ".govlint.yaml").write_text(CONFIG, encoding="utf-8")
    yield root
    remove_tree(root)  # pytest's own clean-up recurses once per folder level


@pytest.mark.parametrize("hazard", HAZARDS, ids=[h.name for h in HAZARDS])
def test_hazard(hazard: Hazard, repo: Path) -> None:
    expected = hazard.build(repo)
    before = snapshot(repo)
    run = run_govlint(
        [*hazard.args, "--", *expected.paths], repo, timeout=max(60.0, 10 * hazard.seconds)
    )  # a hang guard, not a speed check

    assert "Traceback" not in run.stdout + run.stderr
    assert run.exit_code == expected.exit_code
    if expected.error:
        assert run.stdout == ""
        assert run.stderr.startswith("govlint: error: ") and run.stderr.count("\n") == 1
        assert expected.error in run.stderr
    else:  # nothing but a note (a repository holding no governance file says so)
        assert all(line.startswith("govlint: note: ") for line in run.stderr.splitlines()), run.stderr
    diagnostics = json.loads(run.stdout)["diagnostics"] if run.stdout else []
    found = sorted((d["path"], d["code"], d["line"], d["column"]) for d in diagnostics)
    assert found == sorted(expected.findings)
    if expected.findings:
        hazard_file = expected.findings[0][0]
        assert all(expected.message in d["message"] for d in diagnostics if d["path"] == hazard_file)
    for text in expected.absent:
        assert text not in run.stdout
    assert snapshot(repo) == before  # nothing written to, created in or removed from the repository
    assert not (repo.parent / "pwned").exists()  # no tag was ever constructed
    if hazard.peak_mib is not None:
        assert run.peak_rss_kib < hazard.peak_mib * 1024


def test_link_target_is_never_printed(repo: Path) -> None:
    os.symlink("/etc/passwd", repo / "passwd.yaml")
    first_line = Path("/etc/passwd").read_text(encoding="utf-8").splitlines()[0]
    for fmt in ("text", "json", "sarif", "github"):
        run = run_govlint(["check", "--format", fmt, "--", "passwd.yaml"], repo)
        assert run.exit_code == 1
        assert first_line not in run.stdout + run.stderr
        assert "outside the repository" in run.stdout


def test_unreadable_file_is_reported(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file that cannot be opened is GOV001 at 1:1 and the others are still checked.

    chmod 000 does not stop root (CI containers often run as root), so there
    the refusal comes from a patched ``os.open`` and the check runs in-process.
    """
    (repo / "secret.yaml").write_text(PERSON, encoding="utf-8")
    (repo / "people.yaml").write_text(PERSON.replace("ann", "bob").replace("true", "maybe"), encoding="utf-8")
    os.chmod(repo / "secret.yaml", 0)
    try:
        if os.geteuid() != 0:
            run = run_govlint(["check", "--format", "json"], repo)
            assert run.exit_code == 1 and run.stderr == ""
            found = {
                (d["path"], d["code"], d["line"], d["column"], d["message"])
                for d in json.loads(run.stdout)["diagnostics"]
            }
        else:
            real_open = os.open

            def refuse(path: str | os.PathLike[str], flags: int, *args: int) -> int:
                if os.fspath(path).endswith("secret.yaml"):
                    raise PermissionError(13, "Permission denied")
                return real_open(path, flags, *args)

            monkeypatch.setattr(os, "open", refuse)
            problem = read_file(repo, "secret.yaml", 1 << 20)
            assert not isinstance(problem, bytes)
            where = problem.position
            found = {
                ("secret.yaml", {"syntax": "GOV001"}[problem.role], where.line, where.column, problem.message)
            }
        assert ("secret.yaml", "GOV001", 1, 1, "cannot read file: Permission denied") in found
    finally:
        os.chmod(repo / "secret.yaml", 0o644)


# --- what reaches the terminal ------------------------------------------------------------

ESCAPES = "\x1b[2J\x1b]0;pwned\x07\x9b31m\u202eevil\u2066"
CONTROLS = "\x1b\x07\x9b\u202e\u2066"  # the characters of ESCAPES a terminal would act on


def test_terminal_escapes_and_bidi_controls_are_escaped(repo: Path) -> None:
    # YAML escapes put the control characters into a value that the finding echoes.
    value = "".join(f"\\u{ord(c):04x}" for c in ESCAPES)
    (repo / "kind.yaml").write_text(
        f'apiVersion: govlint/v1\nkind: "{value}"\nmetadata: {{id: x}}\n', encoding="utf-8"
    )
    (repo / "\x1b[31mred\u202e.yaml").write_text("a: [\n", encoding="utf-8")
    for fmt in ("text", "github"):
        run = run_govlint(["check", "--format", fmt], repo)
        assert run.exit_code == 1 and run.stderr == ""
        assert not any(char in run.stdout for char in CONTROLS)
        assert "\\x1b[2J" in run.stdout and "\\u202e" in run.stdout
    text = run_govlint(["check"], repo).stdout
    assert "kind.yaml:1:1: error GOV003" in text  # a whole-document finding: its first line


def test_long_values_are_cut(repo: Path) -> None:
    (repo / "long.yaml").write_text(
        f"apiVersion: govlint/v1\nkind: {'A' * 200_000}\nmetadata: {{id: x}}\n", encoding="utf-8"
    )
    run = run_govlint(["check"], repo)
    assert run.exit_code == 1
    lines = run.stdout.splitlines()
    assert lines[0].startswith("long.yaml:1:1: error GOV003")
    assert "…" in lines[0]
    assert max(map(len, lines)) < 1000


def many_findings(repo: Path) -> None:
    (repo / "bogus.yaml").write_text("apiVersion: govlint/v1\nkind: Bogus\n---\n" * 5000, encoding="utf-8")


@pytest.mark.parametrize(
    "command",
    ["check", "check --format json", "check --format sarif", "rules", "explain GOV101", "schema Process"],
)
def test_reader_leaving_early_ends_quietly(repo: Path, command: str) -> None:
    many_findings(repo)
    exe = " ".join(govlint_command())
    run = run_govlint([exe, command, "| head -1"], repo, shell=True)
    assert run.stderr == ""
    assert len(run.stdout.splitlines()) == 1


def test_closed_output_ends_quietly_and_never_claims_a_clean_run(repo: Path) -> None:
    many_findings(repo)
    exe = " ".join(govlint_command())
    run = run_govlint([f"{exe} check >&- 2>err.txt; echo $?"], repo, shell=True)
    assert run.stdout.strip() == "1"  # the findings still decide the exit code
    assert (repo / "err.txt").read_text(encoding="utf-8") == ""
    (repo / "err.txt").unlink()


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_full_disk_is_one_line(repo: Path) -> None:
    many_findings(repo)
    exe = " ".join(govlint_command())
    run = run_govlint([f"{exe} check > /dev/full"], repo, shell=True)
    assert run.exit_code == 2
    assert run.stderr.count("\n") == 1 and "govlint: error:" in run.stderr
    assert "No space left on device" in run.stderr


# --- one handler at the top ------------------------------------------------------------------


def boom(*args: object, **kwargs: object) -> None:
    raise RuntimeError("boom")


@pytest.mark.parametrize(
    ("target", "argv"),
    [
        ("check", ["check"]),
        ("build_registry", ["rules"]),
        ("build_registry", ["explain", "GOV101"]),
    ],
)
def test_unexpected_exception_is_one_line(
    repo: Path, monkeypatch: pytest.MonkeyPatch, target: str, argv: list[str]
) -> None:
    monkeypatch.chdir(repo)
    monkeypatch.delenv("GOVLINT_DEBUG", raising=False)
    monkeypatch.setattr(runner if target == "check" else workspace, target, boom)
    result = CliRunner().invoke(main, argv)
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        (
            "govlint: internal error: RuntimeError: boom "
            "(run with --verbose or GOVLINT_DEBUG=1 for the traceback)"
        )
    ]
    monkeypatch.setenv("GOVLINT_DEBUG", "1")
    result = CliRunner().invoke(main, argv)
    assert result.exit_code == 2
    assert "Traceback" in result.output and "RuntimeError: boom" in result.output


def test_exception_while_writing_output_is_one_line(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from governance_lint import reporters

    monkeypatch.chdir(repo)
    monkeypatch.delenv("GOVLINT_DEBUG", raising=False)
    (repo / "a.yaml").write_text("a: 1\n", encoding="utf-8")
    monkeypatch.setattr(reporters, "render", boom)
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 2
    assert len(result.output.splitlines()) == 1 and "RuntimeError: boom" in result.output


def test_dash_names_need_the_separator(repo: Path) -> None:
    """Without ``--`` a leading dash is an option: a usage error, never a silent clean run."""
    (repo / "-h.yaml").write_text(PERSON, encoding="utf-8")
    run = run_govlint(["check", "-h.yaml"], repo)
    assert run.exit_code == 2 and "Traceback" not in run.stderr


def test_each_problem_belongs_to_its_own_document() -> None:
    from governance_lint.loader import load

    text = PERSON + "---\n" + PERSON.replace("ann", "bob").replace("true", ".nan")
    problems = load("people.yaml", text.encode("utf-8")).problems
    assert [(p.role, p.position.line, p.position.column, p.document) for p in problems] == [
        ("schema", *at(text, ".nan"), 1)
    ]


def test_findings_equal_but_for_their_entity_still_sort(tmp_path: Path) -> None:
    from governance_lint.config import Config
    from governance_lint.engine import FileResult, Plan, finish
    from governance_lint.model import Diagnostic, Limits, Severity

    same = ("a.yaml", 1, 1, "GOV001", "yaml-syntax", Severity.ERROR, "m")
    found = [Diagnostic(*same, entity="team:a"), Diagnostic(*same)]
    result = finish(
        found,
        [FileResult("a.yaml", diagnostics=found)],
        [],
        Plan((), Limits(), dt.date(2026, 1, 1)),
        Config(root=tmp_path),
    )
    assert [d.entity for d in result.diagnostics] == [None, "team:a"]


# --- names that are not UTF-8 --------------------------------------------------------------

BAD_NAME = os.fsdecode(b"bad\xff.yaml")


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_non_utf8_file_name_in_every_format_and_output(repo: Path, fmt: str) -> None:
    (repo / BAD_NAME).write_text(PERSON.replace("true", "maybe"), encoding="utf-8")
    shown = run_govlint(["check", "--format", fmt], repo)
    assert (shown.exit_code, shown.stderr) == (1, "")
    report = repo.parent / f"report.{fmt}"
    written = run_govlint(["check", "--format", fmt, "--output", str(report)], repo)
    assert (written.exit_code, written.stderr, written.stdout) == (1, "", "")
    text = report.read_text(encoding="utf-8")  # valid UTF-8, whatever the file names
    if fmt in ("json", "sarif"):
        document = json.loads(text)
        assert document == json.loads(shown.stdout)
        if fmt == "json":
            assert [d["path"] for d in document["diagnostics"]] == ["bad\\xff.yaml"]
    else:
        assert text == shown.stdout and "bad\\xff.yaml" in text


def test_non_utf8_file_name_in_the_baseline(repo: Path) -> None:
    (repo / BAD_NAME).write_text(PERSON.replace("true", "maybe"), encoding="utf-8")
    baseline = repo.parent / "baseline.json"
    written = run_govlint(["check", "--write-baseline", str(baseline)], repo)
    assert written.exit_code == 1 and "Traceback" not in written.stderr
    entries = json.loads(baseline.read_text(encoding="utf-8"))["entries"]
    assert [e["path"] for e in entries] == ["bad\\xff.yaml"]
    hidden = run_govlint(["check", "--baseline", str(baseline)], repo)
    assert hidden.exit_code == 0 and hidden.stderr == ""


# --- limits: the config may lower them, only the command line raises them ---------------------


def test_the_command_line_raises_a_limit_the_config_may_not(repo: Path) -> None:
    bomb = (
        "".join(f"a{n}: &a{n} [{', '.join(['x'] * 9)}]\n" for n in range(1))
        + "b: ["
        + ", ".join(["*a0"] * 15_000)
        + "]\n"
    )  # 150,000 nodes: over the built-in 100,000
    (repo / "bomb.yaml").write_text("# apiVersion: govlint/v1\n" + bomb, encoding="utf-8")  # governance
    (repo / ".govlint.yaml").write_text(CONFIG + "limits: {max-alias-nodes: 200000}\n", encoding="utf-8")
    refused = run_govlint(["check"], repo)
    assert refused.exit_code == 2 and refused.stdout == ""
    assert "--limit max-alias-nodes=200000" in refused.stderr and refused.stderr.count("\n") == 1
    raised = run_govlint(["check", "--limit", "max-alias-nodes=200000", "--format", "json"], repo)
    assert raised.exit_code == 0 and json.loads(raised.stdout)["diagnostics"] == []
    (repo / ".govlint.yaml").write_text(CONFIG, encoding="utf-8")
    default = run_govlint(["check", "--format", "json"], repo)
    assert [d["message"] for d in json.loads(default.stdout)["diagnostics"]] == [
        "aliases in this file expand to more than 100000 nodes (limit max-alias-nodes)"
    ]
    (repo / ".govlint.yaml").write_text(CONFIG + "limits: {max-alias-nodes: 1000}\n", encoding="utf-8")
    lowered = run_govlint(["check", "--limit", "max-alias-nodes=200000", "--format", "json"], repo)
    assert "more than 1000 nodes" in json.loads(lowered.stdout)["diagnostics"][0]["message"]


@pytest.mark.parametrize("limit", ["max-alias=1", "max-depth=deep", "max-depth=1", "max-file-bytes=1e9"])
def test_a_bad_limit_option_is_a_usage_error(repo: Path, limit: str) -> None:
    run = run_govlint(["check", "--limit", limit], repo)
    assert run.exit_code == 2 and "Invalid value for '--limit'" in run.stderr
    assert "Traceback" not in run.stderr


def test_a_fifo_baseline_is_refused_without_waiting(repo: Path) -> None:
    os.mkfifo(repo / "baseline.json")
    (repo / ".govlint.yaml").write_text(CONFIG + "baseline: baseline.json\n", encoding="utf-8")
    run = run_govlint(["check"], repo)  # the hang guard fails this if the FIFO is opened for reading
    assert run.exit_code == 2 and run.stderr.count("\n") == 1
    assert "cannot read baseline: is not a regular file (a FIFO)" in run.stderr


def test_the_baseline_is_read_within_its_limit(repo: Path) -> None:
    (repo / "people.yaml").write_text(PERSON.replace("true", "maybe"), encoding="utf-8")
    assert run_govlint(["check", "--write-baseline", "baseline.json"], repo).exit_code == 1
    size = (repo / "baseline.json").stat().st_size
    lowered = f"max-baseline-bytes={size - 1}"
    run = run_govlint(["check", "--baseline", "baseline.json", "--limit", lowered], repo)
    assert run.exit_code == 2 and run.stderr.count("\n") == 1
    assert f"more than the {size - 1:,}-byte limit (limit max-baseline-bytes)" in run.stderr
    assert run_govlint(["check", "--baseline", "baseline.json"], repo).exit_code == 0


def test_a_rule_file_is_read_within_the_limits(repo: Path) -> None:
    (repo / "rules.yaml").write_text("#" + "x" * 2_000_000 + "\n", encoding="utf-8")
    (repo / ".govlint.yaml").write_text(CONFIG + "plugins: [rules.yaml]\n", encoding="utf-8")
    run = run_govlint(["check"], repo)
    assert run.exit_code == 2 and run.stderr.count("\n") == 1
    assert "rules.yaml: cannot read: is 2,000,002 bytes, more than the 1,048,576-byte limit" in run.stderr


@pytest.mark.parametrize("setting", ['exclude: ["a/[z-a]"]', 'per-file: {"[z-a].yaml": {ignore: [GOV2]}}'])
def test_every_bad_glob_is_a_config_error(repo: Path, setting: str) -> None:
    (repo / ".govlint.yaml").write_text(f"{CONFIG}{setting}\n", encoding="utf-8")
    run = run_govlint(["check"], repo)
    assert run.exit_code == 2 and run.stderr.count("\n") == 1
    assert "is not a valid glob (bad character range z-a)" in run.stderr


# --- SIGTERM ----------------------------------------------------------------------------------


def _children(pid: int) -> list[tuple[int, str]]:
    """The processes whose parent is ``pid``: (pid, start time), from /proc."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append((int(entry), fields[19]))
    return found


def _running(process: tuple[int, str]) -> bool:
    try:
        fields = Path(f"/proc/{process[0]}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return fields[19] == process[1] and fields[0] != "Z"  # the same process (not a reused pid), not a zombie


@pytest.fixture(scope="module")
def large_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository the worker pool takes seconds over."""
    spec = importlib.util.spec_from_file_location("govlint_generate", ROOT / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    root = tmp_path_factory.mktemp("large")
    generate.generate(root, 3000)
    return root


@pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="reads processes from /proc")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL])
def test_a_signal_mid_run_leaves_no_worker_and_closes_the_output(
    large_repo: Path, tmp_path: Path, signum: signal.Signals
) -> None:
    from hostile_cases import govlint_env

    command = [*govlint_command(), "check", "--no-cache", "--jobs", "2"]
    process = subprocess.Popen(
        command,
        cwd=large_repo,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=govlint_env(tmp_path),
    )
    try:
        workers: list[tuple[int, str]] = []
        for _ in range(600):  # up to a minute for the pool to start
            workers = _children(process.pid)
            if len(workers) == 2 or process.poll() is not None:
                break
            time.sleep(0.1)
        # the pool's workers exist: the run is mid-way (the repository is far too large to be done yet)
        assert process.poll() is None and len(workers) == 2, "the run ended before it could be signalled"
        process.send_signal(signum)
        # A hang guard: the output must reach its end once govlint is gone, held open by no worker.
        stdout, stderr = process.communicate(timeout=60)  # noqa: RUF059
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    if signum == signal.SIGTERM:  # handled like Ctrl-C
        assert process.returncode == 130 and stderr.decode() == "govlint: interrupted\n"
    else:
        assert process.returncode == -signal.SIGKILL
    for _ in range(50):  # the kernel ends the orphans of a SIGKILL at once, not synchronously
        if not any(_running(worker) for worker in workers):
            break
        time.sleep(0.1)
    assert not any(_running(worker) for worker in workers)
