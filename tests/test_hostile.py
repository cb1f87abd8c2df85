"""Hostile input (SPEC §9): every broken or malicious file gets a finding, in bounded time and
memory, and never a traceback.

Each hazard is built at test time (tests/hostile_cases.py) and checked by the
installed ``govlint`` in a subprocess capped at 1.5 GiB of address space.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from hostile_cases import CONFIG, HAZARDS, PERSON, Hazard, at, govlint_command, run_govlint

from governance_lint import runner
from governance_lint.cli import main
from governance_lint.discovery import read_file


def snapshot(root: Path) -> dict[str, tuple[int, str]]:
    """Every entry under ``root``: its type and, for regular files, a digest (links are not followed)."""
    found = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder) / name
            mode = os.lstat(path).st_mode
            if stat.S_ISREG(mode):
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                digest = os.readlink(path) if stat.S_ISLNK(mode) else ""
            found[str(path.relative_to(root))] = (stat.S_IFMT(mode), digest)
    return found


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    (root / ".govlint.yaml").write_text(CONFIG, encoding="utf-8")
    return root


@pytest.mark.parametrize("hazard", HAZARDS, ids=[h.name for h in HAZARDS])
def test_hazard(hazard: Hazard, repo: Path) -> None:
    expected = hazard.build(repo)
    before = snapshot(repo)
    run = run_govlint(
        [*hazard.args, "--", *expected.paths], repo, timeout=max(60.0, 10 * hazard.seconds)
    )  # a hang guard, not a speed check

    assert "Traceback" not in run.stdout + run.stderr
    assert run.stderr == ""
    assert run.exit_code == expected.exit_code
    diagnostics = json.loads(run.stdout)["diagnostics"]
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
    monkeypatch.setattr(runner, target, boom)
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
