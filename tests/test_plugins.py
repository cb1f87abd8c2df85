"""Plugins: local Python files, kind: Rule files, installed packages, and every way they can go wrong."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from governance_lint.cli import main
from governance_lint.config import Config
from governance_lint.docs import examples, missing_headings
from governance_lint.plugins import load_local_plugins
from governance_lint.registry import Registry, builtin_registry, collect
from governance_lint.testing import lint, positions

PROJECT = Path(__file__).resolve().parents[1]
PLUGIN_PACKAGE = PROJECT / "examples" / "plugin-package"

PROCESS = """\
apiVersion: govlint/v1
kind: Process
metadata: {id: incident-management, name: Incident Management}
spec:
  purpose: Restore normal service operation as quickly as possible.
  owner: [person:mrs-davis, person:windy]
  activities:
    - id: identify
      outputs: [incident-report]
"""

PYTHON_RULE = '''\
"""
## What it checks
Every activity names its inputs.
"""
from governance_lint.api import Severity, document_rule


@document_rule(code="{code}", name="{name}", severity=Severity.WARNING, kinds=["Process"],
               summary="every activity names its inputs")
def activity_has_inputs(doc, ctx):
    for i, activity in enumerate(ctx.items(doc.spec, "activities")):
        if not activity.get("inputs"):
            ctx.report(("spec", "activities", i), f"activity '{{activity.get('id')}}' names no inputs")
'''

RULE_DOC = """\
apiVersion: govlint/v1
kind: Rule
metadata: {{id: {name}}}
spec:
  code: {code}
  severity: warning
  description: Every process has a version.
  appliesTo: [Process]
  select: {select}
  assert: {assert_}
  message: "process '{{@id}}' has no version"
"""


def python_rule(code: str = "ACME001", name: str = "activity-has-inputs") -> str:
    return PYTHON_RULE.format(code=code, name=name)


def rule_doc(
    code: str = "ACME002",
    name: str = "process-versioned",
    select: str = "metadata",
    assert_: str = "{required: [version]}",
) -> str:
    return RULE_DOC.format(code=code, name=name, select=select, assert_=assert_)


def make_repo(root: Path, plugins: list[str], files: dict[str, str]) -> Path:
    """A repository with a config naming ``plugins`` and the given files; returns the config."""
    for name, text in {"governance/process.yaml": PROCESS, **files}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    config = root / ".govlint.yaml"
    config.write_text(f"include: ['governance/**/*.yaml']\nplugins: {plugins}\n")
    return config


@pytest.fixture(autouse=True)
def _outside_any_checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test's repository is its own folder: run from it, not from a git checkout around the suite
    (a --config outside the checkout of the current folder would check that checkout)."""
    monkeypatch.chdir(tmp_path)


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


# -- local plugins that work ------------------------------------------------------


def test_local_python_and_yaml_plugins_run_like_built_in_rules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # text output names files relative to the current folder
    config = make_repo(
        tmp_path,
        ["plugins/inputs.py", "plugins/versioned.yaml"],
        {"plugins/inputs.py": python_rule(), "plugins/versioned.yaml": rule_doc()},
    )
    code, out, err = invoke("check", "--config", str(config), "--select", "ACME,GOV101")
    assert (code, err) == (1, "")
    assert out.splitlines()[:3] == [
        (
            "governance/process.yaml:3:1: warning ACME002 process 'incident-management' has no version "
            "[process-versioned]"
        ),
        (
            "governance/process.yaml:6:3: error GOV101 process 'incident-management' has 2 owners "
            "(person:mrs-davis, person:windy); a process has exactly one accountable owner [single-owner]"
        ),
        "governance/process.yaml:8:7: warning ACME001 activity 'identify' names no inputs [activity-has-inputs]",
    ]
    code, out, _ = invoke("rules", "--config", str(config))
    rows = [line.split()[:2] for line in out.splitlines() if line.startswith("ACME")]
    assert rows == [["ACME001", "activity-has-inputs"], ["ACME002", "process-versioned"]]
    code, out, _ = invoke("check", "--config", str(config), "--select", "activity-has-inputs")
    assert [line.split()[2] for line in out.splitlines()[:-1]] == ["ACME001"]


def test_a_folder_loads_its_rule_files_but_never_its_python(tmp_path: Path) -> None:
    config = make_repo(
        tmp_path,
        ["plugins/", "plugins/b_inputs.py"],
        {
            "plugins/b_inputs.py": python_rule(),
            "plugins/a_versioned.yml": rule_doc(),
            "plugins/c_other.py": "raise RuntimeError('a Python file the config does not name never runs')\n",
            "plugins/_helpers.py": "raise RuntimeError('a private helper is never imported')\n",
            "plugins/notes.txt": "not a plugin",
        },
    )
    code, out, err = invoke("rules", "--config", str(config), "--format", "json")
    assert (code, err) == (0, "")
    sources = {r["code"]: r["source"] for r in json.loads(out) if not r["code"].startswith("GOV")}
    assert sources == {"ACME001": "plugins/b_inputs.py", "ACME002": "plugins/a_versioned.yml:5"}


def test_nothing_in_the_repository_is_loaded_unless_the_config_names_it(tmp_path: Path) -> None:
    marker = tmp_path / "imported"
    trap = f"open({str(marker)!r}, 'w').close()\n" + python_rule()
    config = make_repo(tmp_path, [], {"rules/trap.py": trap, "governance/rules.yaml": rule_doc()})
    config.write_text("include: ['governance/**/*.yaml']\n")
    code, out, _ = invoke("check", "--config", str(config), "--select", "GOV002,GOV101")
    assert code == 1 and "ACME" not in out
    code, out, _ = invoke("rules", "--config", str(config))
    assert "ACME" not in out
    assert not marker.exists()


# -- local plugins that are broken: exit 2, file (and line) named, no traceback -----

BROKEN = [
    pytest.param(
        {"a.py": python_rule("ACME001", "one"), "b.py": python_rule("ACME001", "two")},
        ["a.py", "b.py"],
        ["'ACME001' is defined twice", "by a.py", "by b.py"],
        id="duplicate-code",
    ),
    pytest.param(
        {"a.py": python_rule("ACME001", "same"), "b.yaml": rule_doc("ACME002", "same")},
        ["a.py", "b.yaml"],
        ["'same' is defined twice", "by a.py", "by b.yaml:5"],
        id="duplicate-name",
    ),
    pytest.param(
        {"a.yaml": rule_doc() + "---\n" + rule_doc(name="other")},
        ["a.yaml"],
        ["'ACME002' is defined twice", "a.yaml:5", "a.yaml:17"],
        id="duplicate-in-one-file",
    ),
    pytest.param(
        {"a.py": python_rule("GOV999", "mine")},
        ["a.py"],
        ["GOV999", "a.py", "GOV prefix is reserved"],
        id="reserved-prefix-python",
    ),
    pytest.param(
        {"a.yaml": rule_doc("GOV101")},
        ["a.yaml"],
        ["GOV101", "a.yaml:5", "GOV prefix is reserved"],
        id="reserved-prefix-yaml",
    ),
    pytest.param(
        {"a.py": python_rule("ACME1", "x")},
        ["a.py"],
        ["'ACME1' from a.py", "code must match"],
        id="bad-code-python",
    ),
    pytest.param(
        {"a.py": python_rule("ACME001", "Bad Name")},
        ["a.py"],
        ["a.py", "name 'Bad Name'"],
        id="bad-name-python",
    ),
    pytest.param(
        {"a.yaml": rule_doc("acme001")},
        ["a.yaml"],
        ["a.yaml:5:9", "'acme001' does not match"],
        id="bad-code-yaml",
    ),
    pytest.param(
        {"a.yaml": rule_doc() + "  when: always\n"},
        ["a.yaml"],
        ["a.yaml:12:3", "unknown field 'when'"],
        id="unknown-field-yaml",
    ),
    pytest.param(
        {"a.yaml": rule_doc(assert_="{type: banana}")},
        ["a.yaml"],
        ["a.yaml:10:3", "'ACME002'", "assert is not a valid JSON Schema"],
        id="bad-assert-schema",
    ),
    pytest.param(
        {"a.yaml": rule_doc(assert_="{pattern: '('}")},
        ["a.yaml"],
        ["a.yaml:10:3", "assert is not a valid JSON Schema"],
        id="bad-assert-regex",
    ),
    pytest.param(
        {"a.yaml": rule_doc(select="spec.activities[-1]")},
        ["a.yaml"],
        ["a.yaml:9:11", "bad select path 'spec.activities[-1]'"],
        id="bad-select",
    ),
    pytest.param(
        {"a.yaml": "apiVersion: govlint/v1\nkind: Rule\nmetadata: {id: x\n"},
        ["a.yaml"],
        ["a.yaml:"],
        id="yaml-syntax-error",
    ),
    pytest.param(
        {"a.yaml": "apiVersion: govlint/v1\nkind: Team\nmetadata: {id: x}\nspec: {}\n"},
        ["a.yaml"],
        ["a.yaml: holds no kind: Rule document"],
        id="no-rule-documents",
    ),
    pytest.param(
        {"a.py": "import acme_missing_dependency\n"},
        ["a.py"],
        ["a.py:1: failed to import: ModuleNotFoundError", "acme_missing_dependency"],
        id="import-error",
    ),
    pytest.param({"a.py": "x = 1\ndef broken(:\n"}, ["a.py"], ["a.py:2: syntax error"], id="syntax-error"),
    pytest.param(
        {"a.py": "import sys\n\nsys.exit(3)\n"},
        ["a.py"],
        ["a.py:3: failed to import: SystemExit"],
        id="exits-at-import",
    ),
    pytest.param({"a.py": "X = 1\n"}, ["a.py"], ["a.py: defines no govlint rule"], id="no-rules"),
    pytest.param({}, ["missing.py"], ["plugins: missing.py: no such file or folder"], id="missing-file"),
    pytest.param(
        {"a.json": "{}"}, ["a.json"], ["plugins: a.json: a plugin is a .py file"], id="unsupported-file"
    ),
]


@pytest.mark.parametrize(("files", "plugins", "expected"), BROKEN)
def test_a_broken_plugin_stops_the_run_with_exit_2(
    tmp_path: Path, files: dict[str, str], plugins: list[str], expected: list[str]
) -> None:
    config = make_repo(tmp_path, plugins, files)
    for command in (["check"], ["rules"], ["explain", "GOV101"]):
        code, out, err = invoke(*command, "--config", str(config))
        assert code == 2, (command, out, err)
        assert out == ""
        lines = err.splitlines()
        assert len(lines) == 1 and lines[0].startswith("govlint: error: "), err
        for text in expected:
            assert text in lines[0]


# -- a rule that raises while checking ----------------------------------------------

CRASHING = """\
from governance_lint.api import Severity, document_rule, repository_rule


@document_rule(code="ACME900", name="crashes", severity="error", kinds=["Process"], summary="crashes")
def crashes(doc, ctx):
    raise KeyError("boom")


@repository_rule(code="ACME901", name="crashes-on-the-repository", severity="error", summary="crashes")
def crashes_on_the_repository(index, ctx):
    return 1 / 0
"""


def test_a_crashing_rule_is_reported_and_the_other_rules_still_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # text output names files relative to the current folder
    config = make_repo(tmp_path, ["crash.py"], {"crash.py": CRASHING})
    code, out, err = invoke("check", "--config", str(config), "--select", "ACME9,GOV101")
    assert code == 2
    assert out.splitlines()[0].startswith("governance/process.yaml:6:3: error GOV101 ")
    assert err.splitlines() == [
        (
            "govlint: error: rule ACME900 crashes (crash.py) crashed on governance/process.yaml: "
            "KeyError: 'boom' (crash.py:6)"
        ),
        (
            "govlint: error: rule ACME901 crashes-on-the-repository (crash.py) crashed on the repository: "
            "ZeroDivisionError: division by zero (crash.py:11)"
        ),
    ]


def test_entry_point_that_fails_to_import_exits_2(tmp_path: Path) -> None:
    """An installed package whose entry point cannot be imported (a fake dist-info on the path)."""
    dist = tmp_path / "site" / "broken_rules-1.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: broken-rules\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[govlint.rules]\nbroken = broken_rules_missing_module\n")
    result = run_govlint(["rules"], cwd=tmp_path, pythonpath=tmp_path / "site")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip() == (
        "govlint: error: entry point 'broken' (broken_rules_missing_module) of package broken-rules: "
        "failed to import: ModuleNotFoundError: No module named 'broken_rules_missing_module'"
    )


def assert_documented_examples(registry: Registry, code: str, failing_at: list[tuple[str, int, int]]) -> str:
    """The rule's docs have the fixed headings, its failing example fails there, its passing one passes."""
    rule = registry.get(code)
    assert missing_headings(rule) == []
    failing, passing = examples(rule)
    assert positions(lint(failing, select=[code], registry=registry)) == failing_at
    assert lint(passing, select=[code], registry=registry) == []
    return passing


# -- the example plugin package, pip-installed for real --------------------------------


def govlint_command() -> list[str]:
    """The installed ``govlint`` script beside this interpreter, as CI and pre-commit run it."""
    script = Path(sys.executable).with_name("govlint")
    return [str(script)] if script.exists() else [sys.executable, "-m", "governance_lint"]


def run_govlint(args: list[str], cwd: Path, pythonpath: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(pythonpath), "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run(
        govlint_command() + args, cwd=cwd, env=env, capture_output=True, text=True, timeout=60, check=False
    )


@pytest.fixture(scope="session")
def installed_plugin(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """``pip install`` a copy of the example package into a private folder (put on PYTHONPATH to use it).

    Returns the folder and the copy, whose governance/ the tests check (so no
    run ever writes beside the project's own files).

    Without build isolation when ``wheel`` is at hand (offline and fast), else
    with it; skipped when neither can build (no index reachable).
    """
    target = tmp_path_factory.mktemp("acme-site")
    source = tmp_path_factory.mktemp("acme-src") / "plugin-package"
    shutil.copytree(
        PLUGIN_PACKAGE, source, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__")
    )
    base = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--no-deps",
        "--no-input",
        "--disable-pip-version-check",
        "--target",
        str(target),
        str(source),
    ]
    attempts = [base[:5] + ["--no-build-isolation"] + base[5:], base]
    errors = []
    for command in attempts:
        done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
        if done.returncode == 0:
            return target, source
        errors.append(done.stderr.strip().splitlines()[-1:] or ["?"])
    pytest.skip(f"cannot pip-install the example plugin package here: {errors}")


def test_installed_plugin_package_shows_up_in_rules(installed_plugin: tuple[Path, Path]) -> None:
    site, repo = installed_plugin
    result = run_govlint(["rules"], cwd=repo, pythonpath=site)
    assert result.returncode == 0, result.stderr
    acme = [line.split()[:3] for line in result.stdout.splitlines() if line.startswith("ACME")]
    assert acme == [["ACME101", "legal-policy-owned-by-legal", "error"]]


def test_installed_plugin_package_fires_in_check_and_is_selectable(
    installed_plugin: tuple[Path, Path],
) -> None:
    site, repo = installed_plugin
    finding = (
        "governance/policies.yaml:22:10: error ACME101 legal policy 'personal-data-protection' is owned "
        "by person:windy, who is not a member of team:legal [legal-policy-owned-by-legal]"
    )
    result = run_govlint(["check", "--today", "2026-11-22"], cwd=repo, pythonpath=site)
    assert (result.returncode, result.stderr) == (1, "")
    assert finding in result.stdout.splitlines()
    result = run_govlint(["check", "--select", "ACME101"], cwd=repo, pythonpath=site)
    assert (result.returncode, result.stderr) == (1, "")
    assert result.stdout.splitlines() == [finding, "1 error in 1 of 2 files (5 documents)"]
    result = run_govlint(["explain", "legal-policy-owned-by-legal"], cwd=repo, pythonpath=site)
    assert result.returncode == 0 and "## Example (fails)" in result.stdout


def test_plugin_package_documentation_examples_do_what_they_say(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)  # no __pycache__ beside the example
    monkeypatch.syspath_prepend(str(PLUGIN_PACKAGE))
    import acme_govlint_rules

    registry = builtin_registry()
    registry.add_all(collect(acme_govlint_rules, "acme"))
    passing = assert_documented_examples(registry, "ACME101", [("ACME101", 12, 10)])
    no_owner = passing.replace("  owner: person:lee\n", "")
    found = lint(no_owner, select=["ACME101"], registry=registry, options={"ACME101": {"team": "legal"}})
    assert [(d.line, d.column, d.message) for d in found] == [
        (11, 13, "legal policy 'personal-data-protection' has no owner; a member of team:legal must own it")
    ]
    elsewhere = lint(passing, select=["ACME101"], registry=registry, options={"ACME101": {"team": "counsel"}})
    assert [d.message for d in elsewhere] == [
        (
            "legal policy 'personal-data-protection' is owned by person:lee, who is not a member of team:counsel "
            "(team:counsel is not defined)"
        )
    ]


# -- the author guide's examples work as written --------------------------------------

GUIDE = PROJECT / "docs" / "plugins.md"


def guide_block(fence: str, language: str, after: str) -> str:
    """The first code block fenced with ``fence`` + ``language`` after the heading ``after``."""
    text = GUIDE.read_text()
    start = text.index(f"{fence}{language}\n", text.index(after)) + len(fence) + len(language) + 1
    return text[start : text.index(f"\n{fence}\n", start) + 1]


@pytest.mark.parametrize(
    ("fence", "language", "after", "file"),
    [
        ("````", "python", "## A rule in Python", "acme.py"),
        ("```", "yaml", "## A declarative rule", "acme.yaml"),
    ],
)
def test_the_guide_s_rules_work_as_written(
    tmp_path: Path, fence: str, language: str, after: str, file: str
) -> None:
    (tmp_path / file).write_text(guide_block(fence, language, after))
    registry = builtin_registry()
    load_local_plugins(registry, Config(root=tmp_path, plugins=(file,)))
    assert_documented_examples(registry, "ACME001", [("ACME001", 7, 7)])
