"""`govlint init`: a starter repository that passes every rule, written whole, never over a file."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from helpers import govlint_executable
from pre_commit.clientlib import load_config

from governance_lint import __version__
from governance_lint.cli import main
from governance_lint.config import load_config as load_govlint_config
from governance_lint.hooks import MANIFEST_NAME
from governance_lint.init import PROJECT_URL, starter_files
from governance_lint.registry import builtin_registry

ROOT = Path(__file__).resolve().parent.parent
STARTER = sorted(starter_files(dt.date.today()))


def tree(directory: Path) -> list[str]:
    return sorted(p.relative_to(directory).as_posix() for p in directory.rglob("*") if p.is_file())


def init(directory: Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["init", str(directory)], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def started(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.chdir(tmp_path)
    code, out, err = init(Path("my-governance"))
    assert (code, err) == (0, "")
    assert f"created {Path('my-governance', '.govlint.yaml')}" in out.splitlines()
    return tmp_path / "my-governance"


def test_init_writes_config_pre_commit_config_and_a_starter_set(started: Path) -> None:
    assert tree(started) == STARTER
    assert ".govlint.yaml" in STARTER and ".pre-commit-config.yaml" in STARTER
    kinds = [
        doc["kind"]
        for rel in STARTER
        if rel.startswith("governance/")
        for doc in yaml.safe_load_all((started / rel).read_text(encoding="utf-8"))
    ]
    assert sorted(set(kinds)) == ["Glossary", "Person", "Policy", "Process", "Team"]


def test_the_starter_set_passes_every_rule(started: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(started)
    result = CliRunner().invoke(
        main, ["check", "--fail-on", "info", "--format", "sarif"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    run = json.loads(result.stdout)["runs"][0]
    assert run["results"] == []
    assert sorted(d["id"] for d in run["tool"]["driver"]["rules"]) == sorted(
        r.code for r in builtin_registry()
    )

    summary = json.loads(CliRunner().invoke(main, ["check", "--format", "json"]).stdout)["summary"]
    assert summary["files"] == len([rel for rel in STARTER if rel.startswith("governance/")])
    assert summary["documents"] == 11 and summary["skipped"] == 0


def test_the_starter_set_is_reviewed_today_and_so_goes_stale_in_a_year(
    started: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    process = yaml.safe_load((started / "governance/processes/incident-management.yaml").read_text())
    assert process["metadata"]["lastReviewed"] == dt.date.today()
    monkeypatch.chdir(started)
    later = (dt.date.today() + dt.timedelta(days=400)).isoformat()
    result = CliRunner().invoke(
        main, ["check", "--today", later, "--fail-on", "warning", "--select", "GOV502"]
    )
    assert result.exit_code == 1, result.output
    assert result.output.count("GOV502") == 3  # the process and its two policies


def test_the_configs_are_valid_and_the_hook_works_as_written(started: Path) -> None:
    config = load_govlint_config(started / ".govlint.yaml", started)
    assert config.root == started
    assert config.include == ("governance/**/*.yaml", "governance/**/*.yml")
    hooks_config = load_config(str(started / ".pre-commit-config.yaml"))
    (repo,) = hooks_config["repos"]
    # No release to pin yet: the hook runs the govlint installed beside git.
    assert repo["repo"] == "local"
    (hook,) = repo["hooks"]
    manifest = {h["id"]: h for h in yaml.safe_load((ROOT / MANIFEST_NAME).read_text(encoding="utf-8"))}
    assert hook["id"] == "govlint" and hook["language"] in ("system", "unsupported")
    for key in ("entry", "pass_filenames", "always_run"):
        assert hook[key] == manifest["govlint"][key], key
    # The published form is shown beside it, pinned to this release.
    text = (started / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    assert f"#  - repo: {PROJECT_URL}\n#    rev: v{__version__}\n#    hooks:\n#      - id: govlint\n" in text


def test_init_keeps_an_existing_pre_commit_config_and_says_what_to_add(tmp_path: Path) -> None:
    mine = (
        "repos:\n  - repo: https://github.com/pre-commit/pre-commit-hooks\n    rev: v5.0.0\n    hooks: []\n"
    )
    (tmp_path / ".pre-commit-config.yaml").write_text(mine, encoding="utf-8")

    code, out, err = init(tmp_path)

    assert (code, err) == (0, "")
    assert (tmp_path / ".pre-commit-config.yaml").read_text(encoding="utf-8") == mine
    assert tree(tmp_path) == STARTER
    assert "already exists and is left as it is" in out
    snippet = out[out.index("  - repo: local") : out.index("next:")].rstrip() + "\n"
    added = yaml.safe_load(mine)
    added["repos"] += yaml.safe_load(snippet)
    merged = tmp_path / "merged.yaml"
    merged.write_text(yaml.safe_dump(added), encoding="utf-8")
    (_, local) = load_config(str(merged))["repos"]
    assert local["repo"] == "local" and local["hooks"][0]["entry"] == "govlint check --staged"


def test_init_refuses_to_overwrite_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "governance").mkdir()
    (tmp_path / "governance" / "teams.yaml").write_text("mine\n", encoding="utf-8")
    (tmp_path / ".govlint.yaml").write_text("include: ['**/*.yaml']\n", encoding="utf-8")

    code, out, err = init(tmp_path)

    assert code == 2
    assert out == ""
    assert "governance/teams.yaml" in err and ".govlint.yaml" in err
    assert "people.yaml" not in err
    assert tree(tmp_path) == [".govlint.yaml", "governance/teams.yaml"]
    assert (tmp_path / "governance" / "teams.yaml").read_text(encoding="utf-8") == "mine\n"


def test_init_twice_refuses_the_second_time(started: Path) -> None:
    before = {rel: (started / rel).read_bytes() for rel in STARTER}
    code, _, err = init(started)
    assert code == 2 and ".govlint.yaml" in err and "governance/people.yaml" in err
    assert {rel: (started / rel).read_bytes() for rel in STARTER} == before


def test_init_into_a_file_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("x", encoding="utf-8")
    code, _, err = init(tmp_path / "taken")
    assert code == 2 and "taken" in err
    assert tree(tmp_path) == ["taken"]


def test_init_into_a_folder_blocked_by_a_file_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "governance").write_text("not a folder", encoding="utf-8")
    code, _, err = init(tmp_path)
    assert code == 2 and "governance" in err
    assert tree(tmp_path) == ["governance"]


def test_files_are_written_whole_with_the_usual_permissions(started: Path) -> None:
    assert not list(started.rglob("*.tmp"))
    mode = (started / ".govlint.yaml").stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    assert mode == 0o666 & ~umask


def test_init_then_check_with_the_installed_executable(tmp_path: Path) -> None:
    govlint = govlint_executable()
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"} | {"NO_COLOR": "1"}

    def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [govlint, *args], check=False, cwd=cwd, env=env, text=True, capture_output=True, timeout=60
        )

    started = run("init", "my-governance", cwd=tmp_path)
    assert started.returncode == 0, started.stderr
    assert started.stdout.splitlines()[-1] == "next: cd my-governance && govlint check"

    repo = tmp_path / "my-governance"
    clean = run("check", cwd=repo)
    assert (clean.returncode, clean.stderr) == (0, ""), clean.stdout
    assert clean.stdout.strip() == "no problems in 5 files (11 documents)"

    # The same command fails, at the right place, once the process has two owners.
    process = repo / "governance" / "processes" / "incident-management.yaml"
    text = process.read_text(encoding="utf-8")
    process.write_text(
        text.replace("owner: person:alex", "owner: [person:alex, person:sam]"), encoding="utf-8"
    )
    owner_line = 1 + text.splitlines().index("  owner: person:alex")
    broken = run("check", cwd=repo)
    assert broken.returncode == 1
    assert broken.stdout.startswith(
        f"governance/processes/incident-management.yaml:{owner_line}:3: error GOV101 "
    )

    again = run("init", "my-governance", cwd=tmp_path)
    assert again.returncode == 2
    assert again.stderr.startswith("govlint: error: my-governance: would overwrite .govlint.yaml")


def test_a_file_appearing_while_writing_undoes_what_was_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import governance_lint.init as starter

    create = starter._create

    def racing(target: Path, text: str) -> None:
        if target.name == "policies.yaml":  # someone else writes it between the check and our write
            target.write_text("theirs\n", encoding="utf-8")
        create(target, text)

    monkeypatch.setattr(starter, "_create", racing)
    code, _, err = init(tmp_path)
    assert code == 2 and "policies.yaml: appeared while writing; nothing written" in err
    assert tree(tmp_path) == ["governance/policies.yaml"]
    assert (tmp_path / "governance" / "policies.yaml").read_text(encoding="utf-8") == "theirs\n"
