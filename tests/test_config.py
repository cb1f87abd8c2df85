"""Config: where it is found, what every key does, and how a bad one is reported (exit 2, file and key named)."""

from __future__ import annotations

from pathlib import Path

import pytest
from adoption_repo import IDENTIFY_LINE, PEOPLE, PROCESS, found, govlint, write_repo

from governance_lint.config import find_config, load_config

GOV203 = ("GOV203", "process.yaml", IDENTIFY_LINE, 7)
WARN_ON = "fail-on: warning\n"  # the one finding is a warning: exit 1 shows this config was read


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_repo(tmp_path, {"people.yaml": PEOPLE, "process.yaml": PROCESS})
    monkeypatch.chdir(tmp_path)
    return tmp_path


# -- discovery ------------------------------------------------------------------


def test_config_in_the_current_folder(repo: Path) -> None:
    (repo / ".govlint.yaml").write_text(WARN_ON)
    assert find_config(repo) == repo / ".govlint.yaml"
    code, report, _ = govlint()
    assert (code, found(report)) == (1, [GOV203])


def test_config_in_a_parent_folder_sets_the_root(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (repo / ".govlint.yaml").write_text(WARN_ON)
    (repo / "docs" / "deep").mkdir(parents=True)
    monkeypatch.chdir(repo / "docs" / "deep")
    code, report, _ = govlint()
    assert (code, found(report)) == (
        1,
        [GOV203],
    )  # the whole repository, paths relative to the config's folder


def test_search_stops_at_the_git_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".govlint.yaml").write_text(WARN_ON)
    inner = write_repo(tmp_path / "repo", {"people.yaml": PEOPLE, "process.yaml": PROCESS})
    monkeypatch.chdir(inner)
    assert find_config(inner) is None
    code, report, _ = govlint()
    assert (code, found(report)) == (0, [GOV203])  # defaults: root = git root, fail on errors


def test_govlint_yaml_in_a_parent_comes_before_pyproject_here(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / ".govlint.yaml").write_text(WARN_ON)
    (repo / "sub").mkdir()
    (repo / "sub" / "pyproject.toml").write_text('[tool.govlint]\nfail-on = "error"\n')
    assert find_config(repo / "sub") == repo / ".govlint.yaml"


def test_pyproject_without_a_govlint_table_is_passed_over(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / "pyproject.toml").write_text('[tool.govlint]\nfail-on = "warning"\n')
    (repo / "sub").mkdir()
    (repo / "sub" / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert find_config(repo / "sub") == repo / "pyproject.toml"
    monkeypatch.chdir(repo / "sub")
    code, report, _ = govlint()
    assert (code, found(report)) == (1, [GOV203])


def test_config_option_overrides_discovery_and_sets_the_root(repo: Path) -> None:
    (repo / ".govlint.yaml").write_text(WARN_ON)
    write_repo(
        repo / "other", {"process.yaml": PROCESS, "people.yaml": PEOPLE, "govlint.yaml": "exclude: []\n"}
    )
    assert load_config(repo / "other" / "govlint.yaml", repo).root == repo / "other"
    code, report, _ = govlint("--config", "other/govlint.yaml", "other")
    assert (code, found(report)) == (0, [GOV203])  # its own fail-on (error); paths relative to other/


# -- every key ------------------------------------------------------------------

REVIEWED = [("GOV502", "people.yaml", 18, 52), ("GOV502", "process.yaml", 5, 17)]  # the policy, the process


@pytest.mark.parametrize(
    ("config", "args", "expected_code", "expected"),
    [
        ("include: ['people.yaml']\n", (), 0, []),
        ("exclude: ['process.yaml']\n", (), 0, []),
        ("fail-on: warning\n", (), 1, [GOV203]),
        ("fail-on: info\n", ("--fail-on", "error"), 0, [GOV203]),  # the command line wins
        ("today: 2028-01-01\n", (), 0, [*REVIEWED, GOV203]),
        ("today: 2028-01-01\n", ("--today", "2026-11-22"), 0, [GOV203]),
        ("rules: {GOV203: off}\n", (), 0, []),
        ("rules: {activity-has-procedure: false}\n", (), 0, []),
        ("rules: {activity-has-procedure: {severity: off}}\n", (), 0, []),
        ("rules: {GOV203: error}\n", (), 1, [GOV203]),
        ("rules: {activity-has-procedure: {severity: error}}\n", (), 1, [GOV203]),
        (
            "today: 2026-11-22\nrules: {review-overdue: {options: {cycle-days: 30}}}\n",
            (),
            0,
            [*REVIEWED, GOV203],
        ),
        (
            "today: 2026-11-22\nrules: {GOV502: {severity: error, options: {cycle-days: 30}}}\n",
            (),
            1,
            [*REVIEWED, GOV203],
        ),
        ("per-file: {'process.yaml': {ignore: [GOV2]}}\n", (), 0, []),
        ("per-file: {'*.yaml': {ignore: [activity-has-procedure]}}\n", (), 0, []),
        ("per-file: {'**': {select: [GOV1, GOV5]}}\n", (), 0, []),
        ("per-file: {'other/**': {ignore: [GOV2]}}\n", (), 0, [GOV203]),
        ("require-reason: false\n", (), 0, [GOV203]),
        (
            "limits: {max-file-bytes: 200}\n",
            (),
            1,
            [("GOV001", "people.yaml", 1, 1), ("GOV001", "process.yaml", 1, 1)],
        ),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_config_key(
    repo: Path,
    config: str,
    args: tuple[str, ...],
    expected_code: int,
    expected: list[tuple[str, str, int, int]],
) -> None:
    (repo / ".govlint.yaml").write_text(config)
    code, report, err = govlint(*args)
    assert (code, found(report)) == (expected_code, expected), err


def test_severity_from_config_is_reported(repo: Path) -> None:
    (repo / ".govlint.yaml").write_text("rules: {GOV203: info}\n")
    _, report, _ = govlint()
    assert report is not None and report["diagnostics"][0]["severity"] == "info"


def test_limit_breach_names_the_limit(repo: Path) -> None:
    (repo / ".govlint.yaml").write_text("limits: {max-file-bytes: 200}\n")
    _, report, _ = govlint()
    assert report is not None and "max-file-bytes" in report["diagnostics"][0]["message"]


def test_missing_plugin_exits_2(repo: Path) -> None:
    (repo / ".govlint.yaml").write_text("plugins: [rules/acme.py]\n")
    code, _, err = govlint()
    assert code == 2 and ".govlint.yaml" in err and "rules/acme.py" in err


def test_pyproject_table(repo: Path) -> None:
    (repo / "pyproject.toml").write_text('[tool.govlint]\nrules = {GOV203 = "off"}\n')
    code, report, _ = govlint()
    assert (code, found(report)) == (0, [])


# -- bad config -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (".govlint.yaml", "exlude: ['drafts/**']\n", "unknown key 'exlude'; did you mean 'exclude'?"),
        (
            ".govlint.yaml",
            "rules: {GOV203: {severty: error}}\n",
            "unknown key 'rules.GOV203.severty'; did you mean 'severity'?",
        ),
        (".govlint.yaml", "per-file: {'a/**': {ignor: [GOV2]}}\n", "did you mean 'ignore'?"),
        (".govlint.yaml", "fail-on: fatal\n", "key 'fail-on': invalid value 'fatal'"),
        (".govlint.yaml", "rules: {GOV203: fatal}\n", "key 'rules.GOV203': invalid value 'fatal'"),
        (".govlint.yaml", "rules: {GOV203: {severity: fatal}}\n", "key 'rules.GOV203.severity'"),
        (".govlint.yaml", "today: 2026-13-01\n", "key 'today'"),
        (".govlint.yaml", "include: '**/*.yaml'\n", "key 'include'"),
        (".govlint.yaml", "limits: {max-depth: 2}\n", "key 'limits.max-depth'"),
        (".govlint.yaml", "require-reason: maybe\n", "key 'require-reason'"),
        (
            ".govlint.yaml",
            "rules: {single-ownr: off}\n",
            "unknown rule 'single-ownr'; did you mean 'single-owner'?",
        ),
        (
            ".govlint.yaml",
            "rules: {review-overdue: {options: {cycle-day: 3}}}\n",
            "unknown option 'cycle-day'",
        ),
        (".govlint.yaml", "rules: {review-overdue: {options: {cycle-days: 0}}}\n", "option 'cycle-days'"),
        (".govlint.yaml", "per-file: {'a/**': {ignore: [GOV2O3]}}\n", "did you mean 'GOV203'?"),
        (".govlint.yaml", "include: [unclosed\n", ".govlint.yaml:2:1"),
        (".govlint.yaml", "- include\n", "a config is a mapping of keys"),
        (".govlint.yaml", "a: 1\n---\nb: 2\n", "2 YAML documents"),
        ("pyproject.toml", '[tool.govlint]\nfail-on = "fatal"\n', "key 'fail-on'"),
        ("pyproject.toml", "[tool.govlint\n", "cannot read"),
    ],
    ids=lambda v: v if isinstance(v, str) and v not in (".govlint.yaml", "pyproject.toml") else None,
)
def test_bad_config_exits_2_naming_file_and_key(repo: Path, name: str, content: str, expected: str) -> None:
    (repo / name).write_text(content)
    code, report, err = govlint()
    assert code == 2 and report is None
    assert name in err and expected in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_named_config_that_does_not_exist_exits_2(repo: Path) -> None:
    code, _, err = govlint("--config", "nope.yaml")
    assert code == 2 and "nope.yaml" in err and "not found" in err
