"""The result cache: what invalidates it, what it ignores, and where it lives."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import governance_lint
from governance_lint import cache
from governance_lint.cli import main
from governance_lint.discovery import discover
from governance_lint.engine import RunResult, Selection, make_plan, run
from governance_lint.parallel import CacheStats, make_analyser
from governance_lint.runner import build_registry, resolve_config

PROJECT = Path(__file__).resolve().parent.parent
FILES = 6  # process files; the generated repository holds a few more (people, teams, ...)


def _generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "govlint_bench_generate", PROJECT / "benchmarks" / "generate.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


generate = _generator()


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GOVLINT_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "repo"
    generate.generate(root, FILES)
    # A file changed in the instant it is read is racily clean and read again next time (as git
    # does): let the files be older than the first run's reads, as files in a repository are.
    time.sleep(0.1)
    return root


def check(root: Path, use_cache: bool = True) -> tuple[RunResult, CacheStats]:
    config = resolve_config(None, root)
    plan = make_plan(build_registry(config), config, Selection(), config.today or generate.TODAY)
    analyser = make_analyser(jobs=1, use_cache=use_cache, config=config)
    result = run(discover(config, (), root), plan, config, analyser, memo=analyser)
    return result, analyser.stats


def findings(result: RunResult) -> list[tuple[str, int, int, str]]:
    return [(d.path, d.line, d.column, d.code) for d in result.diagnostics]


def total(root: Path) -> int:
    return len(list((root / "governance").rglob("*.yaml")))


def cache_files() -> list[Path]:
    """The cache files proper (not their delta and repository-findings companions)."""
    return sorted(p for p in cache.cache_home().rglob("*.json") if p.name.count(".") == 1)


def companion(suffix: str) -> Path:
    (found,) = cache.cache_home().rglob(f"*{suffix}")
    return found


def test_a_second_run_reuses_every_file(repo: Path) -> None:
    cold, first = check(repo)
    warm, second = check(repo)
    assert (first.hits, first.misses, first.written) == (0, total(repo), True)
    assert (second.hits, second.misses, second.written) == (total(repo), 0, False)
    assert findings(warm) == findings(cold) == []
    assert [r.to_json() for r in warm.files] == [r.to_json() for r in cold.files]


def test_an_edited_file_alone_is_checked_again(repo: Path) -> None:
    check(repo)
    edited = repo / generate.process_path(2)
    edited.write_text(edited.read_text().replace("  owner: person:", "  onwer: person:", 1))
    result, stats = check(repo)
    assert (stats.hits, stats.misses) == (total(repo) - 1, 1)
    fresh, _ = check(repo, use_cache=False)
    assert findings(result) == findings(fresh)
    assert {code for *_, code in findings(result)} >= {"GOV002", "GOV101"}


@pytest.mark.parametrize(
    "config",
    [
        "rules:\n  practitioner-overload: {options: {max-activities: 3}}\n",
        "rules:\n  review-overdue: {severity: error}\n",
        "rules:\n  has-manager: off\n",
    ],
)
def test_a_changed_config_invalidates_every_file(repo: Path, config: str) -> None:
    check(repo)
    path = repo / ".govlint.yaml"
    path.write_text(path.read_text() + config)
    _, stats = check(repo)
    assert (stats.hits, stats.misses) == (0, total(repo))


def test_a_changed_schema_invalidates_every_file(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    check(repo)
    monkeypatch.setattr(cache, "schema_digest", lambda: "another schema")
    _, stats = check(repo)
    assert (stats.hits, stats.misses) == (0, total(repo))


def test_the_schema_digest_follows_the_schema_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shipped = cache.schema_digest()
    copy = tmp_path / "schemas"
    shutil.copytree(PROJECT / "schemas", copy)
    monkeypatch.setattr(cache.resources, "files", lambda package: copy)
    assert cache.schema_digest() == shipped
    process = copy / "process.json"
    process.write_text(process.read_text().replace('"minLength": 1', '"minLength": 2', 1))
    assert cache.schema_digest() != shipped


def test_an_upgraded_govlint_invalidates_every_file(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    check(repo)
    current = governance_lint.__version__
    monkeypatch.setattr(governance_lint, "__version__", "99.0.0")
    _, upgraded = check(repo)
    monkeypatch.setattr(governance_lint, "__version__", current)
    _, back = check(repo)
    assert (upgraded.hits, upgraded.misses) == (0, total(repo))
    assert (back.hits, back.misses) == (total(repo), 0)  # the old version's cache is still there


def _damage_entries(raw: dict) -> str:  # type: ignore[type-arg]
    for rel, (key, _, signature) in raw["files"].items():
        raw["files"][rel] = [key, {"path": rel}, signature]
    return json.dumps(raw)


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: "",
        lambda raw: json.dumps(raw)[:1000],
        lambda raw: "[" * 100_000,
        lambda raw: json.dumps([raw]),
        lambda raw: json.dumps({**raw, "format": "something-else/1"}),
        lambda raw: json.dumps({**raw, "run": "0" * 64}),
        lambda raw: json.dumps({**raw, "files": dict.fromkeys(raw["files"], "x")}),
        _damage_entries,
        lambda raw: b"\xff\xfe\x00garbage",
    ],
    ids=[
        "empty",
        "truncated",
        "deep",
        "list",
        "foreign",
        "other-run",
        "bad-entries",
        "damaged-results",
        "binary",
    ],
)
def test_a_corrupt_cache_is_ignored_and_replaced(repo: Path, damage) -> None:  # type: ignore[no-untyped-def]
    cold, _ = check(repo)
    [path] = cache_files()
    text = damage(json.loads(path.read_text()))
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    result, stats = check(repo)
    assert (stats.hits, stats.misses, stats.written) == (0, total(repo), True)
    assert findings(result) == findings(cold)
    assert [r.to_json() for r in result.files] == [r.to_json() for r in cold.files]
    _, again = check(repo)
    assert again.hits == total(repo)


def test_no_cache_neither_reads_nor_writes(repo: Path) -> None:
    before = sorted(p.relative_to(repo) for p in repo.rglob("*"))
    outcome = CliRunner().invoke(main, ["check", "--no-cache", str(repo)], catch_exceptions=False)
    assert outcome.exit_code == 0, outcome.output
    assert cache_files() == []
    outcome = CliRunner().invoke(
        main, ["check", str(repo / generate.process_path(0))], catch_exceptions=False
    )
    assert outcome.exit_code == 0, outcome.output
    assert len(cache_files()) == 1
    assert sorted(p.relative_to(repo) for p in repo.rglob("*")) == before  # nothing written in the repository


def test_the_cache_lives_outside_the_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("GOVLINT_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    assert cache.cache_home() == tmp_path / "home" / ".cache" / "govlint"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_home() == tmp_path / "xdg" / "govlint"
    monkeypatch.setenv("GOVLINT_CACHE_DIR", str(tmp_path / "mine"))
    assert cache.cache_home() == tmp_path / "mine"
    one, other = cache.repository_folder(tmp_path / "a"), cache.repository_folder(tmp_path / "b")
    assert one.parent == other.parent == tmp_path / "mine" and one != other


def _age(paths: list[Path], seconds: int) -> None:
    import os
    import time

    then = time.time() - seconds
    for path in paths:
        os.utime(path, (then, then))
    # utime sets the change time to now: let it fall out of the racily-clean window before a read.
    time.sleep(2 * cache.CLOCK_LAG_NS / 1e9)


def test_files_unchanged_since_the_cache_was_written_are_not_read_again(repo: Path) -> None:
    files = sorted((repo / "governance").rglob("*.yaml"))
    _age(files, 3600)
    check(repo)  # cold: records each file's signature
    _, warm = check(repo)
    assert (warm.hits, warm.unread, warm.misses) == (total(repo), total(repo), 0)
    # Same size, same old mtime, new bytes: the inode's change time still gives it away.
    edited = repo / generate.process_path(1)
    text = edited.read_text()
    edited.write_text(text.replace("purpose: ", "purpoze: ", 1))
    _age([edited], 3600)
    result, after = check(repo)
    assert (after.hits, after.unread, after.misses) == (total(repo) - 1, total(repo) - 1, 1)
    assert {(d.code, d.path) for d in result.diagnostics} == {("GOV002", generate.process_path(1))}


def test_a_file_changed_in_the_tick_it_was_read_is_hashed_again(repo: Path) -> None:
    import os
    import time

    time.sleep(2 * cache.CLOCK_LAG_NS / 1e9)  # the other files, just written, are no longer racily clean
    racy = repo / generate.process_path(2)
    soon = time.time_ns() + 1_000_000_000  # saved "as it was read": within the timestamp granularity
    os.utime(racy, ns=(soon, soon))
    check(repo)
    _, warm = check(repo)
    assert (warm.hits, warm.unread, warm.misses) == (total(repo), total(repo) - 1, 0)


def test_a_small_change_is_saved_as_a_delta_beside_the_cache(repo: Path) -> None:
    check(repo)
    (base,) = cache_files()
    before = base.read_bytes()
    edited = repo / generate.process_path(3)
    edited.write_text(edited.read_text() + "# edited\n")
    time.sleep(2 * cache.CLOCK_LAG_NS / 1e9)  # read after the racily-clean window: its signature is kept
    _, stats = check(repo)
    assert stats.misses == 1 and stats.written
    assert base.read_bytes() == before  # the large file was not rewritten
    delta = base.with_name(base.stem + ".delta.json")
    assert generate.process_path(3) in json.loads(delta.read_text())["files"]
    _, again = check(repo)
    assert (again.hits, again.misses, again.written) == (total(repo), 0, False)


@pytest.mark.parametrize(
    "damage", ["{not json", json.dumps({"format": cache.CACHE_FORMAT, "base": [1, 2], "files": {}})]
)
def test_a_damaged_or_foreign_delta_only_costs_the_files_it_held(repo: Path, damage: str) -> None:
    check(repo)
    edited = repo / generate.process_path(3)
    edited.write_text(edited.read_text() + "# edited\n")
    check(repo)
    delta = companion(".delta.json")
    delta.write_text(damage)
    result, stats = check(repo)
    assert (stats.hits, stats.misses) == (total(repo) - 1, 1)  # the edited file is checked again
    assert findings(result) == []


def test_an_unchanged_repository_reuses_its_repository_findings(repo: Path) -> None:
    edited = repo / generate.process_path(0)
    edited.write_text(edited.read_text().replace("owner: person:", "owner: person:nobody-", 1))
    cold, _ = check(repo)
    assert "GOV005" in {d.code for d in cold.diagnostics}
    memo = companion(".repository.*.json")
    warm, _ = check(repo)
    assert findings(warm) == findings(cold)
    # The remembered findings are what is reported: prove it by changing them behind govlint's back.
    raw = json.loads(memo.read_text())
    raw["findings"] = []
    memo.write_text(json.dumps(raw))
    assert "GOV005" not in {d.code for d in check(repo)[0].diagnostics}
    # Any file changing makes the repository rules run again.
    other = repo / generate.process_path(1)
    other.write_text(other.read_text() + "# edited\n")
    assert findings(check(repo)[0]) == findings(cold)


def test_damaged_facts_inside_a_valid_cache_mean_a_cold_run_and_a_new_cache(repo: Path) -> None:
    def cli() -> tuple[int, str]:
        outcome = CliRunner().invoke(
            main,
            [
                "check",
                "--config",
                str(repo / ".govlint.yaml"),
                "--format",
                "json",
                "--today",
                generate.TODAY.isoformat(),
            ],
            catch_exceptions=False,
        )
        return outcome.exit_code, outcome.stdout

    edited = repo / generate.process_path(0)
    edited.write_text(edited.read_text().replace("owner: person:", "owner: person:nobody-", 1))
    cold = cli()
    assert cold[0] == 1
    (base,) = cache_files()
    raw = json.loads(base.read_text())
    damaged = 0
    for _, result, _ in raw["files"].values():
        for entity in result["entities"]:
            entity[6] = "[[not json"  # the packed references
            damaged += 1
    base.write_text(json.dumps(raw))
    other = repo / generate.process_path(1)  # so that the repository findings are not simply recalled
    other.write_text(other.read_text() + "# edited\n")
    assert damaged and cli() == cold
    assert "[[not json" not in base.read_text()  # replaced by a good cache
    assert cli() == cold
