"""``govlint refs`` and ``govlint rename``, run as the installed command on a copy of examples/clean in git."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lsp_client import govlint_command

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "clean"


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(EXAMPLE, root)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "start")
    return root


def govlint(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*govlint_command(), *args], check=False, cwd=root, capture_output=True, text=True, timeout=120
    )


def test_refs_lists_the_definition_then_every_reference(repo: Path) -> None:
    result = govlint(repo, "refs", "person:windy")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "governance/people/managers.yaml:5:7: definition"
    assert "governance/teams.yaml:8:9: team:service-desk spec/lead" in lines
    assert "governance/services.yaml:26:10: service:it-service-desk spec/owner" in lines
    assert len(lines) == 20
    for line in lines[1:]:  # each site really holds the reference
        path, number, column = re.match(r"^(.+?):(\d+):(\d+): ", line).groups()  # type: ignore[union-attr]
        text = (repo / path).read_text(encoding="utf-8").splitlines()[int(number) - 1]
        assert text[int(column) - 1 :].startswith("person:windy")
    terms = govlint(repo, "refs", "term:major-incident").stdout.splitlines()
    assert (
        terms[0].startswith("governance/glossary.yaml:")
        and terms[0].endswith("definition")
        and len(terms) > 1
    )


def test_refs_refuses_what_is_not_a_reference_or_names_nothing(repo: Path) -> None:
    for ref in ("windy", "person:nobody-at-all"):
        result = govlint(repo, "refs", ref)
        assert result.returncode == 2 and result.stderr.startswith("govlint: error: ")


def test_rename_changes_only_the_id_and_its_references(repo: Path) -> None:
    preview = govlint(repo, "rename", "person:windy", "person:windy-chen", "--diff")
    assert preview.returncode == 0 and "+  id: windy-chen" in preview.stdout
    assert git(repo, "status", "--porcelain") == ""  # --diff writes nothing
    result = govlint(repo, "rename", "person:windy", "person:windy-chen")
    assert result.returncode == 0, result.stderr
    assert "20 edits in 6 files" in result.stdout
    check = govlint(repo, "check")
    assert check.returncode == 0, check.stdout
    diff = git(repo, "diff", "-U0")
    removed = [line[1:] for line in diff.splitlines() if line.startswith("-") and not line.startswith("---")]
    added = [line[1:] for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")]
    assert len(removed) == len(added) == 20
    for old, new in zip(removed, added, strict=True):  # each changed line differs by the id alone
        assert new.replace("windy-chen", "windy") == old
        assert "windy" in old and "windy-chen" in new
    assert "windy@example.org" in (repo / "governance/people/managers.yaml").read_text(encoding="utf-8")


def test_rename_keeps_comments_quoting_and_mode(repo: Path) -> None:
    path = repo / "governance/teams.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "lead: person:windy", "lead: 'person:windy'  # the lead", 1
    )
    text = text.replace("person:windy, person:ann", '"person:windy", person:ann', 1)
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    os.chmod(path, 0o640)
    assert govlint(repo, "rename", "person:windy", "windy-chen").returncode == 0
    after = path.read_bytes().decode("utf-8")
    assert after == text.replace("\n", "\r\n").replace("person:windy", "person:windy-chen")
    assert "lead: 'person:windy-chen'  # the lead" in after
    assert os.stat(path).st_mode & 0o777 == 0o640
    assert not [p for p in path.parent.iterdir() if "govlint-tmp" in p.name]


def test_rename_refuses_when_new_exists_or_old_does_not(repo: Path) -> None:
    before = git(repo, "status", "--porcelain")
    for old, new, says in (
        ("person:windy", "person:guy", "already exists"),
        ("person:nobody", "person:somebody", "names no Person"),
        ("person:windy", "team:windy", "same kind"),
        ("person:windy", "Windy Chen", "not a valid id"),
        ("term:incident", "term:incidents", "cannot be renamed"),
    ):
        result = govlint(repo, "rename", old, new)
        assert result.returncode == 2 and says in result.stderr, (old, new, result.stderr)
    assert git(repo, "status", "--porcelain") == before


def test_rename_never_writes_through_a_symbolic_link(repo: Path, tmp_path: Path) -> None:
    services = repo / "governance/services.yaml"
    real = repo / "governance/more/services.yaml"
    real.parent.mkdir()
    shutil.move(services, real)
    services.symlink_to(Path("more/services.yaml"))
    before = {p: p.read_bytes() for p in repo.rglob("*.yaml") if not p.is_symlink()}
    result = govlint(repo, "rename", "person:windy", "person:windy-chen")
    assert result.returncode == 2 and "symbolic link" in result.stderr
    assert services.is_symlink()
    assert {p: p.read_bytes() for p in before} == before  # refused before any file was written
    # a link that leads out of the repository is no part of it: never read, never written
    outside = tmp_path / "outside.yaml"
    services.unlink()
    shutil.move(real, outside)
    services.symlink_to(outside)
    result = govlint(repo, "rename", "person:windy", "person:windy-chen")
    assert result.returncode == 0, result.stderr
    assert services.is_symlink() and "owner: person:windy\n" in outside.read_text(encoding="utf-8")


def test_schema_all_picks_each_documents_schema_by_kind(repo: Path) -> None:
    import json

    import jsonschema
    import yaml

    result = govlint(repo, "schema", "--all")
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"  # what yaml-language-server reads
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema)
    documents = [
        d
        for p in sorted(repo.rglob("governance/**/*.yaml"))
        for d in yaml.safe_load_all(p.read_text(encoding="utf-8"))
        if d
    ]
    assert len(documents) > 20
    for document in documents:
        assert not list(validator.iter_errors(json.loads(json.dumps(document, default=str))))
    person = {"apiVersion": "govlint/v1", "kind": "Person", "metadata": {"id": "x"}, "spec": {"emial": "x"}}
    assert [e.validator for e in validator.iter_errors(person)] != []
    team = {"apiVersion": "govlint/v1", "kind": "Team", "metadata": {"id": "x"}, "spec": {"email": "x"}}
    assert list(validator.iter_errors(team))  # a Team is held to the Team schema, not the Person one


# -- repository text reaches the terminal escaped ---------------------------------------------------

ESC = "\x1b"
HOSTILE_TEAM = (  # a file name, an id and a key that carry terminal escapes, an OSC 8 link and bidi
    'apiVersion: govlint/v1\nkind: Team\nmetadata: {id: "ev\\e[2Jil"}\nspec:\n  lead: person:windy\n'
    '  "\\e]8;;https://evil.example\\a::warning::k\\u202e": person:windy\n'
)


def assert_printable(output: str) -> None:
    """Nothing a terminal or a CI runner would act on: no control or bidi character, no workflow command."""
    assert not re.search(
        r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]", output
    )
    assert "##[" not in output
    assert not [line for line in output.splitlines() if line.lstrip().startswith("::")]


def test_refs_and_rename_diff_show_repository_text_escaped(repo: Path) -> None:
    (repo / f"governance/{ESC}[2Jevil\u202e.yaml").write_text(HOSTILE_TEAM, encoding="utf-8")
    teams = repo / "governance/teams.yaml"
    teams.write_text(  # text beside a renamed reference: it shows in the diff's context lines
        teams.read_text(encoding="utf-8").replace(
            "  lead: person:windy\n",
            "  # \u202eevil\n  lead: person:windy\n  notes: |\n    ::error::pwned\n    ##[group]x\n",
            1,
        ),
        encoding="utf-8",
    )
    result = govlint(repo, "refs", "person:windy")
    assert result.returncode == 0, result.stderr
    assert_printable(result.stdout)
    lines = result.stdout.splitlines()
    assert "governance/\\x1b[2Jevil\\u202e.yaml:5:9: team:ev\\x1b[2Jil spec/lead" in lines
    assert "governance/teams.yaml:9:9: team:service-desk spec/lead" in lines
    hostile_key = next(line for line in lines if ":6:" in line and "evil" in line)
    assert hostile_key.endswith("spec/\\x1b]8;;https://evil.example\\x07::warning::k\\u202e")
    preview = govlint(repo, "rename", "person:windy", "person:windy-chen", "--diff")
    assert preview.returncode == 0, preview.stderr
    assert_printable(preview.stdout)
    assert "+++ b/governance/\\x1b[2Jevil\\u202e.yaml" in preview.stdout
    assert " # \\u202eevil\n" in preview.stdout and "+  lead: person:windy-chen\n" in preview.stdout
    assert "\\u003a:error::pwned" in preview.stdout and "##\\u005bgroup]x" in preview.stdout
