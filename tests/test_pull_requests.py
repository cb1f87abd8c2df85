"""Pull requests from anyone (SPEC §9): the author controls every file in the checkout, the config included.

Every test runs the installed ``govlint`` as CI does, in a real git repository,
with real links and real files; none of them can pass by accident on a
govlint that runs the repository's code, echoes a workflow command, writes
through a planted link or trusts a stale or forged cache.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
from helpers import make_repo
from hostile_cases import govlint_command
from test_plugins import PROCESS  # a process with two owners (GOV101)

PROJECT = Path(__file__).resolve().parent.parent
SARIF_SCHEMA = PROJECT / "tests" / "data" / "sarif-schema-2.1.0.json"

PERSON = """\
apiVersion: govlint/v1
kind: Person
metadata: {{id: {id}, name: Ann}}
spec: {{email: ann@example.org, active: {active}}}
"""
RULE = """\
apiVersion: govlint/v1
kind: Rule
metadata: {{id: process-versioned}}
spec:
  code: ACME002
  severity: warning
  description: {description}
  appliesTo: [Process]
  select: metadata
  assert: {{required: [version]}}
  message: "process '{{@id}}' has no version"
"""
PYTHON_RULE = """\
from governance_lint.api import Severity, document_rule


@document_rule(code="ACME001", name="acme-python", severity=Severity.WARNING, kinds=["Process"],
               summary="a rule written in Python")
def acme_python(doc, ctx):
    ctx.report(("metadata",), {message})
"""


def trap(marker: Path) -> str:
    """A Python plugin that leaves ``marker`` behind if it is ever imported."""
    return f"open({str(marker)!r}, 'w').close()\n" + PYTHON_RULE.format(message="'ran'")


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def git_repo(root: Path, files: dict[str, str]) -> Path:
    """A git repository holding ``files``, committed."""
    return make_repo(root, files, commit=True)


def govlint(
    *args: str | Path, cwd: Path, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """The installed govlint, as a CI step runs it."""
    base = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"} | {"NO_COLOR": "1"}
    return subprocess.run(
        [*govlint_command(), *map(str, args)],
        cwd=cwd,
        env=base | (env or {}),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def sitecustomize(tmp_path: Path, code: str) -> dict[str, str]:
    """The environment under which govlint's interpreter first runs ``code`` (test scaffolding only)."""
    write(tmp_path / "site", {"sitecustomize.py": code})
    return {
        "PYTHONPATH": os.pathsep.join(filter(None, [str(tmp_path / "site"), os.environ.get("PYTHONPATH")]))
    }


def one_error_line(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr, result.stderr
    for word in words:
        assert word in result.stderr


# -- 1. nothing in the repository runs code unless the config names that Python file ----------


def test_a_python_file_in_a_plugin_folder_never_runs(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    repo = git_repo(
        tmp_path / "repo",
        {
            ".govlint.yaml": "include: ['governance/**/*.yaml']\nplugins: [rules/]\n",
            "rules/acme.yaml": RULE.format(description="Every process has a version."),
            "rules/zz_trap.py": trap(marker),
            "governance/process.yaml": PROCESS,
        },
    )
    listed = govlint("rules", cwd=repo)
    assert listed.returncode == 0 and "ACME002" in listed.stdout and "ACME001" not in listed.stdout
    for args in (["explain", "ACME002"], ["check", "--select", "GOV001"], ["check"]):
        result = govlint(*args, cwd=repo)
        assert result.returncode in (0, 1), result.stderr
    assert not marker.exists()


def trapped_repo(tmp_path: Path, config: str = "") -> tuple[Path, Path]:
    """A repository whose config names a Python plugin explicitly (it runs without --isolated),
    and the marker that plugin leaves when it runs."""
    marker = tmp_path / "ran"
    repo = git_repo(
        tmp_path / "repo",
        {
            ".govlint.yaml": config + "plugins: [trap.py]\n",
            "trap.py": trap(marker),
            "governance/process.yaml": PROCESS,
            "governance/people.yaml": PERSON.format(id="ann", active="true"),
        },
    )
    return repo, marker


def test_isolated_ignores_the_repository_config_and_plugins(tmp_path: Path) -> None:
    repo, marker = trapped_repo(tmp_path, "rules: {GOV101: off}\nexclude: ['governance/**']\n")
    result = govlint("check", "--isolated", "--format", "json", cwd=repo / "governance")
    assert result.returncode == 1, result.stderr
    found = {(d["code"], d["path"]) for d in json.loads(result.stdout)["diagnostics"]}
    assert ("GOV101", "governance/process.yaml") in found  # the built-in defaults, the git work tree as root
    for args in (["rules", "--isolated"], ["explain", "--isolated", "GOV101"]):
        shown = govlint(*args, cwd=repo)
        assert shown.returncode == 0 and "GOV101" in shown.stdout, shown.stderr
    summary = govlint("report", "summary", "--isolated", cwd=repo)
    assert summary.returncode == 0 and "GOV101" in summary.stdout, summary.stderr
    site = govlint("site", "--isolated", tmp_path / "site", cwd=repo)
    assert site.returncode == 0 and (tmp_path / "site" / "index.html").exists(), site.stderr
    assert not marker.exists()
    assert govlint("rules", cwd=repo).returncode == 0 and marker.exists()  # the trap was armed


def test_isolated_with_a_trusted_config_outside_the_checkout(tmp_path: Path) -> None:
    repo, marker = trapped_repo(tmp_path)
    write(
        tmp_path / "ci",
        {
            "govlint.yaml": "rules: {GOV101: warning}\nplugins: [acme.yaml]\n"
            "include: ['governance/**/*.yaml']\n",
            "acme.yaml": RULE.format(description="Every process has a version."),
        },
    )
    result = govlint("check", "--isolated", "--config", "../ci/govlint.yaml", "--format", "json", cwd=repo)
    report = json.loads(result.stdout)
    found = {(d["code"], d["severity"], d["path"]) for d in report["diagnostics"]}
    assert report["summary"]["files"] == 2, result.stderr
    assert {
        ("GOV101", "warning", "governance/process.yaml"),
        ("ACME002", "warning", "governance/process.yaml"),
    } <= found
    assert ("GOV101", "error", "governance/process.yaml") not in found
    assert result.returncode == 1 and not marker.exists()
    inside = govlint("check", "--isolated", "--config", ".govlint.yaml", cwd=repo)
    one_error_line(inside, "--isolated", "inside the checkout")
    assert not marker.exists()


# -- 2. no output stream carries a workflow command taken from repository text ---------------

HOSTILE_NAME = " ::warning title=x::y.yaml"
MASK_KEY = "##[add-mask]secret"
_LINE_ENDS = re.compile("[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_OWN_COMMAND = re.compile(r"::(error|warning|notice) file=[^:]*,line=\d+,col=\d+,title=[A-Z]+\d+ [a-z-]+::")


def assert_no_workflow_command(text: str, *, own_commands: bool = False) -> None:
    """No line a GitHub runner would run: ``::`` first after blanks, or ``##[`` anywhere."""
    for line in _LINE_ENDS.split(text):
        assert "##[" not in line, line
        if line.lstrip().startswith("::"):
            assert own_commands and _OWN_COMMAND.match(line), line


@pytest.fixture(scope="module")
def hostile_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    person = 'apiVersion: govlint/v1\nkind: Person\nmetadata: {{id: {}, name: Ann}}\nspec: {{"{}": 1}}\n'
    return git_repo(
        tmp_path_factory.mktemp("hostile") / "repo",
        {HOSTILE_NAME: person.format("ann", MASK_KEY), "::error::z.yaml": person.format("bob", MASK_KEY)},
    )


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
@pytest.mark.parametrize("to_file", [False, True], ids=["stdout", "output"])
def test_no_workflow_command_in_any_format(
    hostile_repo: Path, tmp_path: Path, fmt: str, to_file: bool
) -> None:
    out = tmp_path / f"report.{fmt}"
    result = govlint("check", "--format", fmt, *(["--output", out] if to_file else []), cwd=hostile_repo)
    assert result.returncode == 1, result.stderr
    text = out.read_text(encoding="utf-8") if to_file else result.stdout
    assert_no_workflow_command(text, own_commands=fmt == "github")
    assert_no_workflow_command(result.stderr)
    if fmt in ("json", "sarif"):  # valid, and nothing lost: the escapes are JSON's own
        log = json.loads(text)
        if fmt == "json":
            assert {d["path"] for d in log["diagnostics"]} == {HOSTILE_NAME, "::error::z.yaml"}
            messages = [d["message"] for d in log["diagnostics"]]
        else:
            schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
            jsonschema.validators.validator_for(schema)(schema).validate(log)
            messages = [r["message"]["text"] for r in log["runs"][0]["results"]]
        assert messages and all(MASK_KEY in m for m in messages)
    else:
        assert "##\\u005badd-mask]secret" in text  # shown, escaped
    if fmt == "text":
        assert " \\u003a:warning title=x::y.yaml:4:" in text


@pytest.mark.parametrize(
    ("config", "words"),
    [
        (f'"{MASK_KEY}": 1\n', ["unknown key"]),
        ('plugins: ["\\n::set-output name=x::y.py"]\n', ["no such file or folder"]),
        (f'plugins: ["{MASK_KEY}.py"]\n', ["no such file or folder"]),
    ],
    ids=["config-key", "newline-in-plugin", "mask-in-plugin"],
)
def test_no_workflow_command_in_config_and_plugin_errors(
    tmp_path: Path, config: str, words: list[str]
) -> None:
    repo = git_repo(
        tmp_path / "repo", {".govlint.yaml": config, "people.yaml": PERSON.format(id="a", active="true")}
    )
    result = govlint("check", cwd=repo)
    one_error_line(result, *words)
    assert_no_workflow_command(result.stderr)


def test_rules_and_explain_escape_a_rule_description(tmp_path: Path) -> None:
    description = '"Every process \\e[2J\\e[31mis red \\u202e ##[add-mask]x."'
    repo = git_repo(
        tmp_path / "repo",
        {".govlint.yaml": "plugins: [acme.yaml]\n", "acme.yaml": RULE.format(description=description)},
    )
    for args in (["rules"], ["rules", "--format", "json"], ["explain", "ACME002"]):
        result = govlint(*args, cwd=repo)
        assert result.returncode == 0, result.stderr
        assert "\x1b" not in result.stdout and "\u202e" not in result.stdout, args
        assert_no_workflow_command(result.stdout)
        if args[-1] != "json":
            assert "\\x1b[2J" in result.stdout and "\\u202e" in result.stdout  # shown, not obeyed
        else:
            (rule,) = [r for r in json.loads(result.stdout) if r["code"] == "ACME002"]
            assert rule["summary"] == "every process \x1b[2J\x1b[31mis red \u202e ##[add-mask]x"


# -- 3. files govlint writes never follow a link the repository planted ----------------------


@pytest.fixture
def planted(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A repository with links to a file and a folder outside it; returns (repo, victim, outside folder)."""
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    outside = tmp_path / "outside"
    outside.mkdir()
    repo = tmp_path / "repo"
    write(repo, {"governance/process.yaml": PROCESS})
    (repo / "govlint.sarif.tmp").symlink_to(victim)  # where the report used to be written first
    (repo / "link.sarif").symlink_to(victim)
    (repo / "reports").symlink_to(outside, target_is_directory=True)
    return git_repo(repo, {}), victim, outside


def test_the_report_is_never_written_through_a_planted_temporary_link(
    planted: tuple[Path, Path, Path],
) -> None:
    repo, victim, _ = planted
    result = govlint("check", "--format", "sarif", "--output", "govlint.sarif", cwd=repo)
    assert result.returncode == 1, result.stderr
    assert victim.read_text() == "precious\n"
    assert json.loads((repo / "govlint.sarif").read_text())["version"] == "2.1.0"
    assert not (repo / "govlint.sarif").is_symlink()
    assert sorted(p.name for p in repo.iterdir() if ".tmp" in p.name) == ["govlint.sarif.tmp"]  # no leftovers


@pytest.mark.parametrize("option", ["--output", "--write-baseline"])
@pytest.mark.parametrize(
    ("target", "words"),
    [
        ("link.sarif", ["symbolic link"]),
        ("reports/govlint.json", ["symbolic link"]),
        ("governance/process.yaml", ["files being checked"]),
    ],
)
def test_a_linked_or_checked_target_is_refused(
    planted: tuple[Path, Path, Path], option: str, target: str, words: list[str]
) -> None:
    repo, victim, outside = planted
    before = (repo / "governance" / "process.yaml").read_bytes()
    one_error_line(govlint("check", option, target, cwd=repo), *words)
    assert victim.read_text() == "precious\n" and not list(outside.iterdir())
    assert (repo / "governance" / "process.yaml").read_bytes() == before
    assert (repo / "link.sarif").is_symlink()


# -- 4. the cache: never inside the repository, never stale, never evicted by per-rule hooks ---


def test_a_cache_inside_the_repository_is_refused(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "repo", {"people.yaml": PERSON.format(id="ann", active="maybe")})
    (tmp_path / "to-repo").symlink_to(repo / ".cache", target_is_directory=True)
    for env in (
        {"GOVLINT_CACHE_DIR": str(repo / ".cache")},
        {"GOVLINT_CACHE_DIR": str(tmp_path / "to-repo")},  # a link that leads inside
        {"GOVLINT_CACHE_DIR": "", "XDG_CACHE_HOME": "", "HOME": str(repo)},
    ):  # the default, ~/.cache
        one_error_line(
            govlint("check", cwd=repo, env=env),
            "inside the checked repository",
            "--no-cache",
            "GOVLINT_CACHE_DIR",
        )
        assert not (repo / ".cache").exists()
    allowed = govlint("check", "--no-cache", cwd=repo, env={"GOVLINT_CACHE_DIR": str(repo / ".cache")})
    assert allowed.returncode == 1 and "GOV002" in allowed.stdout


# The concurrent editor: a plugin that, at import, waits for a new clock second and writes the clean
# file govlint is about to read; then, when its rule sees that file (just read), saves it again,
# broken, in the same second (same size, so on a 1-second file system the same signature), and keeps
# the run going 2.5 s more before the cache is saved, as a large repository would.
EDITOR = """\
import os, time
from governance_lint.api import Severity, document_rule

TARGET = os.environ.get("RACY_TARGET")
if TARGET:
    time.sleep(1 - time.time() % 1)
    with open(TARGET, "w") as f:
        f.write(os.environ["RACY_CLEAN"])
    STARTED = time.time()


@document_rule(code="ACME009", name="concurrent-editor", severity=Severity.INFO, kinds=["Person"],
               summary="saves a file again while it is checked")
def concurrent_editor(doc, ctx):
    if TARGET and doc.path == "people.yaml":
        with open(TARGET, "w") as f:
            f.write(os.environ["RACY_BROKEN"])
        if int(time.time()) != int(STARTED):  # the edit missed the second: this attempt proves nothing
            open(TARGET + ".void", "w").close()
        time.sleep(max(0.0, int(STARTED) + 2.5 - time.time()))
"""

# Installed with PYTHONPATH: the folder COARSE_ROOT becomes a file system that stores whole seconds, as
# ext3, HFS+ and many NFS/SMB servers do: writes and utime keep their real times, stat shows them truncated.
ONE_SECOND_TIMESTAMPS = """\
import os

ROOT = os.environ["COARSE_ROOT"]


def _coarse(real):
    def stat(path, *args, **kwargs):
        result = real(path, *args, **kwargs)
        if not os.path.abspath(os.fsdecode(path)).startswith(ROOT):
            return result
        fields = {name: getattr(result, name) for name in dir(result) if name.startswith("st_")}
        whole = {}
        for name in ("st_atime", "st_mtime", "st_ctime"):
            whole[name] = fields[name + "_ns"] // 1_000_000_000
            fields[name + "_ns"], fields[name] = whole[name] * 1_000_000_000, float(whole[name])
        return os.stat_result(tuple(result)[:7] + (whole["st_atime"], whole["st_mtime"], whole["st_ctime"]),
                              fields)
    return stat


os.stat, os.lstat = _coarse(os.stat), _coarse(os.lstat)
"""


@pytest.fixture(params=["simulated", "ext2"])
def coarse_folder(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Path, dict[str, str]]]:
    """A folder whose timestamps have a 1-second granularity, and the environment govlint needs there."""
    if request.param == "simulated":
        (tmp_path / "fs").mkdir()
        yield (
            tmp_path / "fs",
            sitecustomize(tmp_path, ONE_SECOND_TIMESTAMPS) | {"COARSE_ROOT": str(tmp_path / "fs")},
        )
        return
    image, mount = tmp_path / "ext2.img", tmp_path / "fs"
    mount.mkdir()
    with open(image, "wb") as stream:
        stream.truncate(8 << 20)
    if shutil.which("mkfs.ext2") is None or shutil.which("mount") is None:
        pytest.skip("mkfs.ext2 or mount is not installed")
    made = subprocess.run(
        ["mkfs.ext2", "-q", "-F", "-I", "128", str(image)], capture_output=True, check=False
    )
    attach = ["mount", "-o", "loop", str(image), str(mount)]
    if made.returncode != 0 or subprocess.run(attach, capture_output=True, check=False).returncode != 0:
        pytest.skip("cannot mount a loop file system here (needs root and a loop device)")
    try:
        yield mount, {}
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_file_saved_again_in_the_second_it_was_read_is_checked_again(
    coarse_folder: tuple[Path, dict[str, str]],
) -> None:
    folder, env = coarse_folder
    clean, broken = PERSON.format(id="ann", active="true "), PERSON.format(id="ann", active="maybe")
    assert len(clean) == len(broken)
    # A loaded machine may let the edit miss the clock second it races: such an attempt is void (the
    # plugin says so) and the race is run again in a new repository, never judged on the clock.
    for attempt in range(6):
        repo = git_repo(
            folder / f"repo-{attempt}",
            {".govlint.yaml": "plugins: [editor.py]\n", "editor.py": EDITOR, "people.yaml": clean},
        )
        racing = env | {"RACY_TARGET": str(repo / "people.yaml"), "RACY_CLEAN": clean, "RACY_BROKEN": broken}
        first = govlint("check", "--jobs", "1", cwd=repo, env=racing)
        assert first.returncode == 0, first.stdout + first.stderr
        assert (repo / "people.yaml").read_text() == broken
        if not (repo / "people.yaml.void").exists():
            break
    else:
        pytest.fail("the concurrent edit missed its clock second six times running")
    for _ in range(2):  # every later run, however long after: the file is read again
        later = govlint("check", "--jobs", "1", cwd=repo, env=env)
        assert later.returncode == 1 and "people.yaml:4:" in later.stdout and "GOV002" in later.stdout, (
            later.stdout
        )


def test_a_plugin_s_helper_modules_are_in_the_cache_key(tmp_path: Path) -> None:
    plugin = (
        "import pathlib, sys\nsys.path.insert(0, str(pathlib.Path(__file__).parent))\n"
        "import _acme_words\n" + PYTHON_RULE.format(message="_acme_words.MESSAGE")
    )
    repo = git_repo(
        tmp_path / "repo",
        {
            ".govlint.yaml": "plugins: [rules/acme.py]\n",
            "rules/acme.py": plugin,
            "rules/_acme_words.py": "MESSAGE = 'first wording'\n",
            "process.yaml": PROCESS,
        },
    )
    assert "first wording" in govlint("check", "--select", "ACME001", cwd=repo).stdout
    (repo / "rules" / "_acme_words.py").write_text("MESSAGE = 'other wording'\n")
    again = govlint("check", "--select", "ACME001", cwd=repo)
    assert "other wording" in again.stdout and "first wording" not in again.stdout


# Installed with PYTHONPATH: govlint's interpreter sees another PyYAML, libyaml or jsonschema-rs version.
OTHER_LIBRARY = """\
import importlib.metadata, os, yaml, yaml._yaml

which = os.environ["OTHER_LIBRARY"]
if which == "pyyaml":
    yaml.__version__ = "5.4.1"
elif which == "libyaml":
    yaml._yaml.get_version_string = lambda: "0.2.2"
else:
    real = importlib.metadata.version
    importlib.metadata.version = lambda name: "0.17.0" if name == "jsonschema-rs" else real(name)
"""


def test_the_parser_and_validator_versions_are_in_the_cache_key(tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    repo = git_repo(tmp_path / "repo", {"people.yaml": PERSON.format(id="ann", active="true")})
    env = {"GOVLINT_CACHE_DIR": str(cache_dir)}
    assert govlint("check", cwd=repo, env=env).returncode == 0
    other = env | sitecustomize(tmp_path, OTHER_LIBRARY)
    for library in ("pyyaml", "libyaml", "jsonschema-rs"):
        assert govlint("check", cwd=repo, env=other | {"OTHER_LIBRARY": library}).returncode == 0
    # One cache per parser and validator: results of one are never taken for another's.
    assert len(list(cache_dir.rglob("*.sqlite"))) == 4


# Installed with PYTHONPATH: the run is killed (SIGKILL, which nothing can catch) at the moment it
# renames a finished cache file into place, as a CI job cancelled or out of memory would be.
KILL_WHILE_SAVING = """\
import os, signal, sqlite3

_connect = sqlite3.connect


class Killing(sqlite3.Connection):
    def executemany(self, sql, rows):
        if "keys VALUES" in sql:  # in the middle of the transaction that saves the files
            os.kill(os.getpid(), signal.SIGKILL)
        return super().executemany(sql, rows)


def connect(*args, **kwargs):
    return _connect(*args, factory=Killing, **kwargs)


sqlite3.connect = connect
"""


def test_a_run_killed_while_saving_leaves_a_store_the_next_run_can_use(tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    env = {"GOVLINT_CACHE_DIR": str(cache_dir)}
    repo = git_repo(tmp_path / "repo", {"people.yaml": PERSON.format(id="ann", active="maybe")})
    killed = govlint("check", cwd=repo, env=env | sitecustomize(tmp_path, KILL_WHILE_SAVING))
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    uncached = govlint("check", "--no-cache", cwd=repo)
    after = govlint("check", cwd=repo, env=env)
    again = govlint("check", cwd=repo, env=env)
    assert (
        (after.returncode, after.stdout)
        == (again.returncode, again.stdout)
        == (uncached.returncode, uncached.stdout)
    )
    assert uncached.returncode == 1 and "GOV002" in uncached.stdout


CODES = ("GOV002", "GOV005", "GOV101", "GOV102", "GOV201", "GOV301")


def test_per_rule_hooks_share_the_cache(tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    env = {"GOVLINT_CACHE_DIR": str(cache_dir)}
    repo = git_repo(
        tmp_path / "repo",
        {
            "governance/process.yaml": PROCESS,
            "governance/people.yaml": PERSON.format(id="ann", active="maybe"),
        },
    )

    def hooks() -> list[tuple[int, str]]:
        return [
            (r.returncode, r.stdout)
            for r in (govlint("check", "--select", code, cwd=repo, env=env) for code in CODES)
        ]

    def snapshot() -> dict[str, int]:
        return {p.name: p.stat().st_mtime_ns for p in cache_dir.rglob("*") if p.is_file()}

    cold = hooks()
    before = snapshot()
    assert hooks() == cold
    assert snapshot() == before  # every hook found its results: nothing was checked or saved again
    uncached = [
        (r.returncode, r.stdout)
        for r in (govlint("check", "--no-cache", "--select", code, cwd=repo) for code in CODES)
    ]
    assert cold == uncached and {code for _, out in cold for code in CODES if code in out} >= {
        "GOV002",
        "GOV101",
    }
