"""Per-file work in a fork pool: identical output to a serial run, and no hang when a worker dies."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_cache import findings, generate

from governance_lint import parallel
from governance_lint.cli import main
from governance_lint.discovery import discover
from governance_lint.engine import RunResult
from governance_lint.workspace import Settings, Workspace, resolve_config

FILES = 250


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated repository with findings of several kinds in a few of its files."""
    root = tmp_path_factory.mktemp("parallel") / "repo"
    generate.generate(root, FILES)
    edits = {
        3: ("  owner: person:", "  onwer: person:"),  # GOV002 + GOV101
        40: ("kind: Process", "kind: Process\nextra: [unclosed"),  # GOV001
        77: ("        accountable: person:", "        accountable: team:"),
        120: ("    - ref: term:", "    - ref: term:no-such-"),  # GOV402
        249: ("  escalation: [", "  escalation: [person:nobody, "),
    }
    for i, (old, new) in edits.items():
        path = root / generate.process_path(i)
        path.write_text(path.read_text().replace(old, new, 1))
    return root


def cli(root: Path, *args: str) -> tuple[int, str]:
    outcome = CliRunner().invoke(main, ["check", "--no-cache", *args, str(root)], catch_exceptions=False)
    return outcome.exit_code, outcome.output


@pytest.fixture
def pool_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = parallel._in_pool

    def counting(root, rels, plan, jobs):  # type: ignore[no-untyped-def]
        calls.append(len(rels))
        return real(root, rels, plan, jobs)

    monkeypatch.setattr(parallel, "_in_pool", counting)
    return calls


@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_parallel_output_is_byte_identical_to_serial(repo: Path, fmt: str, pool_calls: list[int]) -> None:
    serial = cli(repo, "--jobs", "1", "--format", fmt)
    assert pool_calls == []
    pooled = cli(repo, "--jobs", "2", "--format", fmt)
    assert pool_calls == [len(list((repo / "governance").rglob("*.yaml")))]
    assert serial[0] == pooled[0] == 1
    assert serial[1] == pooled[1]
    assert serial[1].count("GOV") >= 5


def test_below_the_threshold_no_pool_is_started(
    repo: Path, pool_calls: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = resolve_config(None, repo)
    settings = Settings(cwd=repo, jobs=2, use_cache=False, today=config.today or generate.TODAY)

    def run() -> RunResult:
        with Workspace.open(settings) as workspace:
            return workspace.result()

    context = len(discover(config, (), repo).context)
    monkeypatch.setattr(parallel, "POOL_THRESHOLD", context)
    above = run()
    monkeypatch.setattr(parallel, "POOL_THRESHOLD", context + 1)
    below = run()
    assert findings(above) == findings(below)
    assert pool_calls == [context]


def test_a_killed_worker_ends_the_run_with_an_error(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    victim = generate.process_path(100)
    real = parallel.check_file

    def dying(path, content, plan):  # type: ignore[no-untyped-def]
        if path == victim and os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(path, content, plan)

    parent = os.getpid()
    monkeypatch.setattr(parallel, "check_file", dying)
    config = resolve_config(None, repo)
    settings = Settings(cwd=repo, jobs=2, use_cache=False, today=config.today or generate.TODAY)
    with (
        pytest.raises(parallel.WorkerCrash, match="worker process died") as raised,
        Workspace.open(settings) as workspace,
    ):
        workspace.result()
    assert "--jobs 1" in str(raised.value)


def test_a_killed_worker_is_one_line_and_exit_2(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parent = os.getpid()
    real = parallel.check_file

    def dying(path, content, plan):  # type: ignore[no-untyped-def]
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(path, content, plan)

    monkeypatch.setattr(parallel, "check_file", dying)
    outcome = CliRunner().invoke(main, ["check", "--no-cache", "--jobs", "2", str(repo)])
    assert outcome.exit_code == 2
    assert "worker process died" in outcome.output and "Traceback" not in outcome.output
