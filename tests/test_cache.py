"""The result cache: what invalidates it, what it ignores, and where it lives."""

from __future__ import annotations

import importlib.util
import shutil
import sqlite3
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import governance_lint
from governance_lint import cache
from governance_lint.cli import main
from governance_lint.discovery import discover
from governance_lint.engine import RunResult, Selection, make_plan
from governance_lint.index import Entity, extract_entity
from governance_lint.loader import load
from governance_lint.model import Document
from governance_lint.repository import Repository, Stats
from governance_lint.workspace import build_registry, resolve_config

PROJECT = Path(__file__).resolve().parent.parent
FILES = 6  # process files; the generated repository holds a few more (people, teams, ...)


def _extracted(path: str, text: str, fields: tuple[str, ...] = ()) -> list[tuple[Document, Entity]]:
    """Each document of ``text``, read as the file ``path``, that is an entity, with its facts."""
    return [
        (doc, entity)
        for doc in load(path, text.encode()).documents
        if (entity := extract_entity(doc, fields)) is not None
    ]


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


def check(root: Path, use_cache: bool = True) -> tuple[RunResult, Stats]:
    config = resolve_config(None, root)
    plan = make_plan(build_registry(config), config, Selection(), config.today or generate.TODAY)
    files = discover(config, (), root)
    repo = Repository.build_from_worktree(config, plan, files, use_cache=use_cache)
    result = repo.result(files.reported)
    repo.close()
    return result, repo.stats


def findings(result: RunResult) -> list[tuple[str, int, int, str]]:
    return [(d.path, d.line, d.column, d.code) for d in result.diagnostics]


def total(root: Path) -> int:
    return len(list((root / "governance").rglob("*.yaml")))


def cache_files() -> list[Path]:
    """The stores (one database per run)."""
    return sorted(cache.cache_home().rglob("*.sqlite"))


def test_a_second_run_reuses_every_file(repo: Path) -> None:
    cold, first = check(repo)
    warm, second = check(repo)
    assert (first.hits, first.misses, first.written) == (0, total(repo), True)
    assert (second.hits, second.misses, second.written) == (total(repo), 0, False)
    assert first.subjects == second.subjects == 0
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
    # the misspelled key is the schema's finding (with its did-you-mean), not also "no owner"
    assert "GOV002" in {code for *_, code in findings(result)}


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


def _sql(path: Path, *statements: str) -> None:
    with sqlite3.connect(path) as db:
        for statement in statements:
            db.execute(statement)
    db.close()


@pytest.mark.parametrize(
    "damage",
    [
        lambda path: path.write_bytes(b""),
        lambda path: path.write_bytes(path.read_bytes()[:3000]),
        lambda path: path.write_bytes(b"\xff\xfe\x00garbage" * 100),
        lambda path: _sql(path, "UPDATE meta SET value = 'something-else/1' WHERE key = 'format'"),
        lambda path: _sql(path, "UPDATE meta SET value = '0000' WHERE key = 'run'"),
        lambda path: _sql(path, "DROP TABLE files"),
        lambda path: _sql(path, "UPDATE files SET extra = '[[not json', documents = 'x'"),
        lambda path: _sql(path, "DELETE FROM meta WHERE key = 'rules'"),
    ],
    ids=["empty", "truncated", "binary", "foreign", "other-run", "no-table", "damaged-rows", "no-rules"],
)
def test_a_corrupt_store_is_ignored_and_replaced(repo: Path, damage) -> None:  # type: ignore[no-untyped-def]
    cold, _ = check(repo)
    [path] = cache_files()
    damage(path)
    result, _ = check(repo)
    assert findings(result) == findings(cold)
    assert [r.to_json() for r in result.files] == [r.to_json() for r in cold.files]
    _, again = check(repo)
    assert (again.hits, again.misses) == (total(repo), 0)


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


@pytest.mark.parametrize("edits", [1, FILES], ids=["one-edited", "all-edited"])
def test_in_git_the_files_it_does_not_vouch_for_are_known_by_their_signatures(repo: Path, edits: int) -> None:
    """Inside git, a file git's index vouches for is taken on its word; the others (edited since they
    were staged) are compared with the signatures recorded when they were read, and not read again."""
    from helpers import git

    git(repo, "init", "-q")
    git(repo, "add", "-A")
    edited = [repo / generate.process_path(i) for i in range(edits)]
    for path in edited:
        path.write_text(path.read_text().replace("  purpose: >-\n", "  purpose: >-\n    Edited.\n", 1))
    _age(sorted((repo / "governance").rglob("*.yaml")), 3600)
    check(repo)
    _, warm = check(repo)
    assert (warm.hits, warm.unread, warm.vouched, warm.misses) == (
        total(repo),
        total(repo),
        total(repo) - edits,
        0,
    )


def test_in_git_files_the_globs_no_longer_take_leave_the_model(repo: Path) -> None:
    """A file git vouches for but the include globs no longer take is gone from the model, as a
    deleted file is: its references no longer resolve, and it is not counted."""
    from helpers import git

    git(repo, "init", "-q")
    git(repo, "add", "-A")
    _age(sorted((repo / "governance").rglob("*.yaml")), 3600)
    check(repo)
    config = repo / ".govlint.yaml"
    config.write_text(config.read_text() + 'exclude: ["governance/people/**"]\n')
    result, stats = check(repo)
    fresh, _ = check(repo, use_cache=False)
    assert findings(result) == findings(fresh)
    assert result.summary.files == fresh.summary.files == stats.vouched < total(repo)
    assert "GOV005" in {code for *_, code in findings(result)}  # the people are no longer defined
    people = {str(p.relative_to(repo)) for p in (repo / "governance" / "people").rglob("*.yaml")}
    assert people and not people & {r.path for r in result.files}


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


def test_an_unchanged_repository_reuses_its_repository_findings(repo: Path) -> None:
    edited = repo / generate.process_path(0)
    edited.write_text(edited.read_text().replace("owner: person:", "owner: person:nobody-", 1))
    cold, _ = check(repo)
    assert "GOV005" in {d.code for d in cold.diagnostics}
    warm, _ = check(repo)
    assert findings(warm) == findings(cold)
    # The stored findings are what is reported: prove it by changing them behind govlint's back.
    [path] = cache_files()
    _sql(path, "DELETE FROM findings WHERE rule = 'GOV005'")
    assert "GOV005" not in {d.code for d in check(repo)[0].diagnostics}
    # A change that leaves every fact as it was (a comment at the end) leaves the findings as they are ...
    edited.write_text(edited.read_text() + "# edited\n")
    assert "GOV005" not in {d.code for d in check(repo)[0].diagnostics}
    # ... one that moves the references (a line above them) makes the rules check that file again.
    edited.write_text("# edited\n" + edited.read_text())
    moved = [(path, line - 1, column, code) for path, line, column, code in findings(check(repo)[0])]
    assert moved == findings(cold)


_ENTITY = '["Process","x",null,["a.yaml",1,1,"process:x","metadata/id"],0,true,[{}],[],[],[],[],[]]'
_FIELDS = '["Process","x",null,["a.yaml",1,1,"process:x","metadata/id"],0,true,[],[],[],[],[{}],[{}]]'


# not JSON; JSON of another shape (an entity's kind that is no text; a reference of three items, or
# at a line no file has; a value's site of two items; a procedure at a column no file has): all are
# damage, never a traceback
@pytest.mark.parametrize(
    "damaged",
    [
        "[[not json",
        '[[1, "x"]]',
        "[" + _ENTITY.format('["person:a",1,1]') + "]",
        "[" + _ENTITY.format('["person:a",-1,1,"spec/owner"]') + "]",
        "[" + _FIELDS.format('["spec.owner","person:a",[1,1]]', "") + "]",
        "["
        + _FIELDS.format("", '["a.md","do",["a.md"],[1,4294967296,"spec/activities/do/procedures"]]')
        + "]",
    ],
)
def test_damaged_facts_inside_a_valid_store_mean_a_cold_run_and_a_new_store(
    repo: Path, monkeypatch: pytest.MonkeyPatch, damaged: str
) -> None:
    monkeypatch.chdir(repo)

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
    _sql(base, f"UPDATE facts SET facts = '{damaged}'")
    other = repo / generate.process_path(1)  # so that the stored facts are read
    other.write_text(other.read_text() + "# edited\n")
    assert cli() == cold
    with sqlite3.connect(base) as db:
        assert db.execute("SELECT count(*) FROM facts WHERE facts = ?", (damaged,)).fetchone() == (0,)
    db.close()
    assert cli() == cold


def test_an_entity_reads_back_as_it_was_extracted_and_its_references_act_as_a_tuple() -> None:
    from governance_lint.index import Reference, entity_from_json, entity_to_json

    text = (
        "apiVersion: govlint/v1\nkind: Process\nmetadata:\n  id: x\nspec:\n  owner: person:a\n"
        "  activities:\n    - id: do\n      raci:\n        responsible: [team:t, person:b]\n"
    )
    ((_, entity),) = _extracted("p.yaml", text)
    read = entity_from_json(entity_to_json(entity))
    assert read == entity and hash(read) == hash(entity)
    expected = (
        Reference("person:a", "person", "a", "p.yaml", 6, 10, "process:x", "spec/owner"),
        Reference(
            "team:t", "team", "t", "p.yaml", 10, 23, "process:x", "spec/activities/do/raci/responsible/0"
        ),
        Reference(
            "person:b", "person", "b", "p.yaml", 10, 31, "process:x", "spec/activities/do/raci/responsible/1"
        ),
    )
    references = read.references
    assert references == expected and expected == references and list(references) == list(expected)
    assert hash(references) == hash(expected)
    assert len(references) == 3 and references[-1] == expected[-1] and references[1:] == expected[1:]
    assert references.index(expected[1]) == 1 and expected[0] in references
    assert references[0].site.node == "spec/owner"
    with pytest.raises(IndexError):
        references[3]
    assert references != expected[:2] and references != read.references[:2]
    pairs = (("do", "team:t"), ("do", "person:b"))
    assert read.responsible == pairs and list(read.responsible) == list(pairs) and len(read.responsible) == 2
    assert read.responsible[1] == pairs[1] and hash(read.responsible) == hash(pairs)


def test_declared_values_and_procedures_read_back_as_extracted_and_act_as_tuples() -> None:
    from governance_lint.index import Procedure, Site, entity_from_json, entity_to_json

    text = (
        "apiVersion: govlint/v1\nkind: Process\nmetadata:\n  id: x\nspec:\n  owner: person:a\n"
        "  tags: [a, b]\n  activities:\n    - id: do\n      procedures:\n        - docs/do.md#step\n"
        "        - Do it by hand.\n        - ./run.md\n    - id: undo\n      procedures: /docs/undo.md\n"
    )
    ((_, entity),) = _extracted("gov/p.yaml", text, ("spec.tags", "spec.owner", "spec.missing"))
    read = entity_from_json(entity_to_json(entity))
    assert read == entity and hash(read.procedures) == hash(entity.procedures)
    owner = Site("gov/p.yaml", 6, 10, "process:x", "spec/owner")
    assert read.value("spec.owner") == "person:a" and read.value_site("spec.owner") == owner
    assert read.value("spec.tags") == ["a", "b"] and read.value_site("spec.tags") == owner._replace(
        line=7, column=3, node="spec/tags"
    )  # a list: its key
    assert read.value("spec.missing") is None and read.value("spec.undeclared") is None
    assert read.value_site("spec.undeclared") is None
    assert [name for name, _, _ in read.values] == ["spec.missing", "spec.owner", "spec.tags"]
    expected = (
        Procedure(
            "docs/do.md#step",
            "do",
            ("docs/do.md", "gov/docs/do.md"),
            Site("gov/p.yaml", 11, 11, "process:x", "spec/activities/do/procedures/0"),
        ),
        Procedure(
            "./run.md",
            "do",
            ("gov/run.md",),
            Site("gov/p.yaml", 13, 11, "process:x", "spec/activities/do/procedures/2"),
        ),
        Procedure(
            "/docs/undo.md",
            "undo",
            ("docs/undo.md",),
            Site("gov/p.yaml", 15, 19, "process:x", "spec/activities/undo/procedures"),
        ),
    )
    assert read.procedures == expected and list(read.procedures) == list(expected)
    assert read.procedures[-1] == expected[-1] and read.procedures[:2] == expected[:2]
    assert read.procedures != expected[:2]
    with pytest.raises(IndexError):
        read.procedures[3]


def test_a_procedure_is_named_as_node_name_names_its_list_whatever_its_activity_id() -> None:
    text = (
        "apiVersion: govlint/v1\nkind: Process\nmetadata:\n  id: x\nspec:\n  activities:\n"
        "    - procedures: [a.md]\n    - id: 7\n      procedures: [b.md]\n    - id: ''\n"
        "      procedures: c.md\n    - id: ok\n      procedures: [d.md, e.md]\n"
    )
    ((doc, entity),) = _extracted("p.yaml", text)
    where = [("spec", "activities", 0, "procedures", 0), ("spec", "activities", 1, "procedures", 0)]
    where += [("spec", "activities", 2, "procedures")]
    where += [("spec", "activities", 3, "procedures", 0), ("spec", "activities", 3, "procedures", 1)]
    assert [p.site.node for p in entity.procedures] == [doc.node_name(path) for path in where]
    assert [p.activity for p in entity.procedures] == ["0", "1", "2", "ok", "ok"]


def test_the_key_rows_in_memory_follow_every_change_of_the_files() -> None:
    """A key held by many files (each file to its entity, or entities) answers what the entities say,
    after files come, change and go."""
    from governance_lint.index import DEFINES, MENTIONS, MemoryFacts, entity_keys

    def entities(path: str, *owners: str) -> list[Entity]:
        text = "---\n".join(
            f"apiVersion: govlint/v1\nkind: Process\nmetadata:\n  id: p{i}\nspec:\n  owner: {owner}\n"
            for i, owner in enumerate(owners)
        )
        return [entity for _, entity in _extracted(path, text)]

    state = {f"f{i}.yaml": entities(f"f{i}.yaml", "person:a") for i in range(12)}
    state["two.yaml"] = entities("two.yaml", "person:a", "person:a", "person:b")
    facts = MemoryFacts(state)

    def expect(key: str, roles: tuple[int, ...] | None = None) -> None:
        wanted = {
            (path, e.key, role)
            for path, found in state.items()
            for e in found
            for k, role in entity_keys(e)
            if k == key and (roles is None or role in roles)
        }
        assert sorted(facts.rows(key, roles)) == sorted(wanted)

    for change in (
        {},
        {"two.yaml": entities("two.yaml", "person:a", "person:b")},
        {"two.yaml": entities("two.yaml", "person:b", "person:a", "person:a")},
        {"f3.yaml": [], "f4.yaml": entities("f4.yaml", "person:b")},
        {f"f{i}.yaml": [] for i in range(12)},
    ):
        state.update(change)
        facts.replace(change)
        for key in ("person:a", "person:b", "~kind:Process", "process:p0", "process:p1", "process:p2"):
            expect(key)
            expect(key, (MENTIONS,))
            expect(key, (DEFINES,))


def test_a_stored_file_reads_back_as_it_was_written(tmp_path: Path) -> None:
    """A file's counts, the days its result holds and its findings read back as they were written."""
    from governance_lint.engine import Checked, FileResult
    from governance_lint.model import Diagnostic, Severity

    store = cache.Store(tmp_path / "repository", "0" * 64)
    assert store.open()
    finding = Diagnostic("b.yaml", 3, 4, "GOV005", "unresolved-reference", Severity.ERROR, "m")
    written = {
        "a.yaml": FileResult("a.yaml", 2, 0, valid=(1, 740_008)),
        "b.yaml": FileResult("b.yaml", 1, 1, diagnostics=[finding], valid=(5, 9)),
        "c.yaml": FileResult("c.yaml", 1, 0),
    }
    store.save({p: Checked("0" * 40, None, 0, r) for p, r in written.items()}, {}, [], {}, [])
    assert store.commit()
    store.close()
    assert store.open()
    read = {path: entry.result for path, entry in store.files().others.items()}
    assert read == written


def test_a_one_file_change_decodes_only_the_entities_it_looks_up(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The people a changed process names are picked out of the store one by one: their file is
    parsed, but the hundreds of people beside them are not decoded."""
    (people_file,) = [p for p in repo.rglob("*.yaml") if "kind: Person" in p.read_text()]
    people_file.write_text(people_file.read_text() + "---\n" + generate.people_yaml(90_000, 90_400))
    naming = repo / "governance" / "processes" / "naming-two.yaml"
    naming.write_text(
        "apiVersion: govlint/v1\nkind: Process\nmetadata:\n  id: naming-two\n  name: Naming two\n"
        "spec:\n  purpose: >-\n    Names two people.\n  owner: person:person-90007\n"
        "  managers:\n    - person: person:person-90011\n"
    )
    check(repo)
    decoded: list[str] = []
    real = cache.entity_from_json

    def counted(raw):  # type: ignore[no-untyped-def]
        entity = real(raw)
        decoded.append(entity.key)
        return entity

    monkeypatch.setattr(cache, "entity_from_json", counted)
    monkeypatch.setattr(cache, "entities_from_json", lambda raws: [counted(raw) for raw in raws])
    naming.write_text(naming.read_text().replace("Names two", "Still names two"))
    result, stats = check(repo)
    assert (stats.hits, stats.misses) == (total(repo) - 1, 1)
    assert {key for key in decoded if key.startswith("person:person-9")} <= {
        "person:person-90007",
        "person:person-90011",
    }
    assert findings(result) == findings(check(repo, use_cache=False)[0])


def test_a_whole_repository_lookup_reads_each_file_once(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A report resolving every person (a lookup per reference, over many files) reads a file of
    people whole once it has been asked of a few times, instead of parsing it again per person when
    other files read in between pushed it out of the store's few parsed files."""
    from governance_lint.index import RepositoryIndex

    (people_file,) = [p for p in repo.rglob("*.yaml") if "kind: Person" in p.read_text()]
    people_file.write_text(people_file.read_text() + "---\n" + generate.people_yaml(90_000, 90_400))
    check(repo)
    config = resolve_config(None, repo)
    plan = make_plan(build_registry(config), config, Selection(), generate.TODAY)
    store = cache.Store(repo, cache.run_digest(plan, config))
    assert store.open()
    parsed: list[object] = []
    real = cache._parsed
    monkeypatch.setattr(cache, "_parsed", lambda raw: parsed.append(1) or real(raw))
    monkeypatch.setattr(cache, "_DECODED_AT_MOST", 1)  # every other file read in between is forgotten
    index = RepositoryIndex(store)
    for number in range(90_000, 90_400):
        assert index.resolve(f"person:person-{number}") is not None
        assert RepositoryIndex(store).resolve("glossary:itsm-terms") is not None  # another file between
    store.close()
    assert len(parsed) < 400 + 30, f"files parsed {len(parsed)} times for 800 lookups"


def test_lookups_answer_the_same_once_every_entity_is_read() -> None:
    """Over the whole repository the index answers ``resolve``, ``defines`` and ``of_kind`` from the
    entities in hand once they are all read: the same answers, the first of a key defined twice."""
    from governance_lint.index import RepositoryIndex

    people = (
        "apiVersion: govlint/v1\nkind: Person\nmetadata: {id: ann, name: Ann}\nspec: {active: false}\n---\n"
        "apiVersion: govlint/v1\nkind: Team\nmetadata: {id: desk}\nspec: {lead: person:ann}\n"
    )
    again = "apiVersion: govlint/v1\nkind: Person\nmetadata: {id: ann, name: Ann Again}\nspec: {}\n"
    process = (
        "apiVersion: govlint/v1\nkind: Process\nmetadata: {id: p}\n"
        "spec: {owner: person:ann, practitioners: [team:desk]}\n"
    )
    entities = [
        entity
        for path, text in (("a/people.yaml", people), ("b/again.yaml", again), ("c/p.yaml", process))
        for _, entity in _extracted(path, text)
    ]
    targets = ["person:ann", "team:desk", "process:p", "person:bob", "policy:p", "person:"]

    def answers(index: RepositoryIndex) -> list[object]:
        return [
            [(e.key, e.site.path) if (e := index.resolve(t)) else None for t in targets],
            [index.defines(t) for t in targets],
            [(e.key, e.site.path) for e in index.of_kind("Person", "Process")],
            [(e.key, e.site.path) for e in index.of_kind("Team")],
        ]

    before = answers(RepositoryIndex(entities))
    whole = RepositoryIndex(entities)
    assert len(whole.entities) == 4  # every entity read: lookups now come from them
    assert answers(whole) == before
    assert before[0][0] == ("person:ann", "a/people.yaml")  # the first of two in path order
    assert before[1] == [True, True, True, False, False, False]
    # several keys' referrers, each once: the process names both Ann and the team Ann leads
    assert [(e.key, e.site.path) for e in whole.referrers("person:ann", "team:desk")] == [
        ("team:desk", "a/people.yaml"),
        ("process:p", "c/p.yaml"),
    ]
    assert before[2] == [
        ("person:ann", "a/people.yaml"),
        ("person:ann", "b/again.yaml"),
        ("process:p", "c/p.yaml"),
    ]
