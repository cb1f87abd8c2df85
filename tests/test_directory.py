"""Directory snapshots (``directory:`` in the config) and the rules that compare with them, GOV801 and GOV802."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from helpers import make_repo, run_govlint
from test_export import FILES, UNSAFE

from governance_lint.config import ConfigError, DirectorySetting
from governance_lint.directory import Directory, load_directory
from governance_lint.model import Limits

TODAY = "2026-11-22"


def users(*logins: str) -> list[dict[str, object]]:
    return [{"login": login, "id": i, "type": "User", "site_admin": False} for i, login in enumerate(logins)]


def pages(*groups: tuple[str, ...], sep: str = "") -> str:
    """What ``gh api --paginate`` prints: one JSON array per page, back to back."""
    return sep.join(json.dumps(users(*group), indent=2) for group in groups) + "\n"


def load(root: Path, files: dict[str, str | bytes], limits: Limits | None = None) -> Directory:
    for name, content in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    setting = DirectorySetting(root / next(iter(files)), taken=dt.date(2026, 11, 1))
    return load_directory(setting, root, limits or Limits())


# -- reading snapshots ----------------------------------------------------------------------


@pytest.mark.parametrize("sep", ["", "\n", "\r\n  "])
def test_paginated_json_loads_every_page(tmp_path: Path, sep: str) -> None:
    directory = load(tmp_path, {"members.json": pages(("dchen1107", "mrunalp"), ("Liggitt",), sep=sep)})
    assert sorted(a.login for a in directory.accounts.values()) == ["Liggitt", "dchen1107", "mrunalp"]
    assert directory.account("liggitt") is not None and directory.account("LIGGITT").active
    assert directory.teams is None  # no teams/ folder beside it


def test_slurped_pages_and_teams_load(tmp_path: Path) -> None:
    slurped = json.dumps([users("a-1", "b-2"), users("c-3")])
    directory = load(
        tmp_path,
        {
            "snap/members.json": slurped,
            "snap/teams/sig-node-leads.json": pages(("a-1",), ("c-3",)),
            "snap/teams/empty.json": "[]",
            "snap/teams/notes.txt": "ignored",
        },
    )
    assert len(directory.accounts) == 3
    assert directory.team("sig-node-leads") == ("a-1", "c-3")
    assert directory.team("empty") == ()
    assert directory.team("notes") is None


def test_csv_from_an_identity_provider_loads(tmp_path: Path) -> None:
    text = (
        "\ufeffAccount,Email,Active\r\n"
        "dchen1107,dawn@example.org,TRUE\r\n"
        "mrunalp,mrunal@example.org,no\r\n"
        "liggitt,jordan@example.org,\r\n"
        "not a login,x@example.org,true\r\n"
        ",empty@example.org,true\r\n"
    )
    directory = load(tmp_path, {"idp.csv": text})
    assert {k: a.active for k, a in directory.accounts.items()} == {
        "dchen1107": True,
        "mrunalp": False,
        "liggitt": True,
    }
    only_accounts = load(tmp_path / "b", {"idp.csv": "account\nenj\n"})
    assert only_accounts.account("enj") is not None


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"m.json": '[{"login": "a"}]\n[{"login": '}, r"m\.json:2:\d+: not valid JSON"),
        ({"m.json": '{"message": "Not Found", "status": "404"}'}, "GitHub's error answer"),
        ({"m.json": '[{"name": "no login"}]'}, "objects with a login"),
        ({"m.json": "[" * 100_000 + "]" * 100_000}, "nested too deeply|not valid JSON"),
        ({"m.csv": "login,email\nx,y\n"}, "header account,email,active"),
        ({"m.csv": "account,active\nx,maybe\n"}, r"m\.csv:2: active must be true or false"),
        ({"m.csv": b"account\n\xff\xfe\n"}, "not UTF-8"),
        ({"m.json": "[]", "teams/t.json": '[{"login": '}, r"teams/t\.json:1:\d+: not valid JSON"),
    ],
)
def test_a_bad_snapshot_is_a_config_error(
    tmp_path: Path, files: dict[str, str | bytes], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        load(tmp_path, files)


def test_reading_is_bounded_for_all_files_together(tmp_path: Path) -> None:
    members = pages(tuple(f"user-{i}" for i in range(50)))
    limits = Limits(max_directory_bytes=len(members) + 10)
    assert len(load(tmp_path / "a", {"m.json": members}, limits).accounts) == 50
    with pytest.raises(ConfigError, match="max-directory-bytes"):
        load(tmp_path / "b", {"m.json": members, "teams/t.json": members}, limits)
    with pytest.raises(ConfigError, match="max-directory-bytes"):
        load(tmp_path / "c", {"m.json": members}, Limits(max_directory_bytes=100))


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_links_out_of_the_repository_are_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside.json"
    outside.write_text(pages(("secret-user",)), encoding="utf-8")
    root = tmp_path / "repo"
    root.mkdir()
    (root / "m.json").symlink_to(outside)
    with pytest.raises(ConfigError, match="symbolic link points outside the repository"):
        load_directory(DirectorySetting(root / "m.json"), root, Limits())
    (root / "snap" / "teams").mkdir(parents=True)
    (root / "snap" / "m.json").write_text("[]", encoding="utf-8")
    (root / "snap" / "teams" / "t.json").symlink_to(outside)
    with pytest.raises(ConfigError, match=r"teams/t\.json is a symbolic link"):
        load_directory(DirectorySetting(root / "snap" / "m.json"), root, Limits())


def test_age_comes_from_taken_else_the_file(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    path.write_text("[]", encoding="utf-8")
    old = dt.datetime(2026, 10, 1, 12, tzinfo=dt.UTC).timestamp()
    os.utime(path, (old, old))
    by_file = load_directory(DirectorySetting(path, max_age_days=30), tmp_path, Limits())
    assert by_file.taken == dt.date(2026, 10, 1)
    assert by_file.stale(dt.date(2026, 11, 1)) and not by_file.stale(dt.date(2026, 10, 31))
    by_config = load_directory(DirectorySetting(path, taken=dt.date(2026, 11, 20)), tmp_path, Limits())
    assert by_config.age(dt.date(2026, 11, 22)) == 2


# -- the config key ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("{fil: snap.json}", "unknown key 'directory.fil'; did you mean 'file'?"),
        ("{file: snap.json, max-age-days: 0}", "key 'directory.max-age-days'"),
        ("{file: snap.json, taken: yesterday}", "key 'directory.taken'"),
        ("snap.json", "key 'directory'"),
        ("{file: missing.json}", "missing.json: cannot read"),
    ],
)
def test_directory_key_is_validated(tmp_path: Path, value: str, message: str) -> None:
    repo = make_repo(tmp_path / "r", {**FILES, ".govlint.yaml": f"directory: {value}\n", "snap.json": "[]"})
    run = run_govlint("check", cwd=repo)
    assert run.returncode == 2
    assert message in run.stderr
    assert "Traceback" not in run.stderr


# -- GOV801 and GOV802 on a repository, as CI runs them --------------------------------------------

EVERYONE = ("dchen1107", "mrunalp", "derekwaynecarr", "SergeyKanzhelev", "enj", "liggitt", "ritazh")


def snapshot_repo(
    tmp_path: Path, members: str, extra: dict[str, str] | None = None, taken: str = TODAY
) -> Path:
    config = (
        f"include: ['community/**/*.yaml']\ndirectory: {{file: directory/members.json, taken: {taken}}}\n"
    )
    files = {**FILES, ".govlint.yaml": config, "directory/members.json": members, **(extra or {})}
    return make_repo(tmp_path / "repo", files, commit=True)


def check8(repo: Path, *args: str) -> tuple[int, list[str], str]:
    run = run_govlint("check", "--select", "GOV8", "--today", TODAY, *args, cwd=repo)
    return run.returncode, run.stdout.splitlines()[:-1], run.stdout + run.stderr


def test_a_person_missing_from_the_paginated_snapshot_is_gov801(tmp_path: Path) -> None:
    members = pages(EVERYONE[:3], EVERYONE[4:])  # SergeyKanzhelev left
    code, lines, _ = check8(snapshot_repo(tmp_path, members))
    assert code == 1
    assert lines == [
        "community/people.yaml:19:27: error GOV801 person:sergey is active, but the directory snapshot "
        "directory/members.json does not list @SergeyKanzhelev; if they left, mark them active: false "
        "and hand their roles over [person-in-directory]"
    ]


def test_a_person_the_csv_marks_inactive_is_gov801(tmp_path: Path) -> None:
    csv = "account,email,active\n" + "".join(f"{h},{h}@example.org,{h != 'enj'}\n" for h in EVERYONE)
    repo = snapshot_repo(tmp_path, "[]")
    (repo / ".govlint.yaml").write_text(
        f"include: ['community/**/*.yaml']\ndirectory: {{file: idp.csv, taken: {TODAY}}}\n", encoding="utf-8"
    )
    (repo / "idp.csv").write_text(csv, encoding="utf-8")
    code, lines, _ = check8(repo)
    assert code == 1
    assert [line.split(" GOV")[0] for line in lines] == ["community/people.yaml:24:27: error"]
    assert "marks @enj inactive" in lines[0]


def test_a_team_whose_members_differ_is_gov802_naming_both_sides(tmp_path: Path) -> None:
    leads = pages(
        ("dchen1107", "mrunalp", "derekwaynecarr", "yujuhong")
    )  # sergey not in it, yujuhong not in YAML
    repo = snapshot_repo(
        tmp_path,
        pages(EVERYONE, ("yujuhong",)),
        {
            "directory/teams/sig-node-leads.json": leads,
            "directory/teams/sig-auth-leads.json": pages(("enj", "liggitt", "ritazh")),
        },
    )
    code, lines, _ = check8(repo)
    assert code == 0  # a warning does not fail the run by default
    assert lines == [
        "community/teams.yaml:7:22: warning GOV802 team:sig-node-leads differs from the GitHub team "
        "@kubernetes/sig-node-leads in the directory snapshot directory/members.json: missing from the YAML: "
        "@yujuhong; missing from the directory: @SergeyKanzhelev (person:sergey) [team-matches-directory]",
    ]  # sig-auth-leads matches: a member without a GitHub account is named only beside a difference


def test_a_stale_snapshot_is_one_warning(tmp_path: Path) -> None:
    code, lines, _ = check8(snapshot_repo(tmp_path, pages(EVERYONE), taken="2026-09-01"))
    assert code == 0
    assert lines == [
        "community/people.yaml:4:27: warning GOV801 the directory snapshot directory/members.json was taken on "
        "2026-09-01, more than max-age-days 30 ago: take it again before trusting who it lists "
        "[person-in-directory]"
    ]


def test_the_snapshot_turns_stale_on_the_next_morning_of_a_warm_run(tmp_path: Path) -> None:
    repo = snapshot_repo(tmp_path, pages(EVERYONE), taken="2026-10-22")
    day_before = run_govlint("check", "--select", "GOV8", "--today", "2026-11-21", cwd=repo)
    assert day_before.returncode == 0 and "GOV801" not in day_before.stdout
    _, lines, _ = check8(repo)  # 2026-11-22: 31 days, stored state reused
    assert [line.split(": ", 1)[0] for line in lines] == ["community/people.yaml:4:27"]
    assert "was taken on 2026-10-22, more than max-age-days 30 ago" in lines[0]


def test_without_a_directory_both_rules_are_silent(tmp_path: Path) -> None:
    repo = snapshot_repo(tmp_path, "[]")  # nobody listed: every account would be GOV801
    assert check8(repo)[0] == 1
    assert check8(repo, "--isolated")[:2] == (0, [])  # the repository's config (and its directory) ignored
    (repo / ".govlint.yaml").write_text("include: ['community/**/*.yaml']\n", encoding="utf-8")
    assert check8(repo)[:2] == (0, [])


def test_a_new_snapshot_is_never_met_by_stored_findings(tmp_path: Path) -> None:
    repo = snapshot_repo(tmp_path, pages(EVERYONE))
    assert check8(repo)[:2] == (0, [])
    assert check8(repo)[:2] == (0, [])  # warm
    (repo / "directory/members.json").write_text(pages(EVERYONE[1:]), encoding="utf-8")
    code, lines, _ = check8(repo)
    assert code == 1 and len(lines) == 1 and "@dchen1107" in lines[0]
    # and an edit of one account is followed on a warm run
    people = repo / "community/people.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace("dchen1107", "mrunalp"), encoding="utf-8")
    assert check8(repo)[:2] == (0, [])


def test_hostile_snapshots_never_reach_an_output(tmp_path: Path) -> None:
    hostile = json.dumps([{"login": "::error::x"}, {"login": "##[set-output]"}, {"login": "\x1b[31mred"}])
    repo = snapshot_repo(
        tmp_path,
        hostile,
        {"directory/teams/sig-node-leads.json": hostile + json.dumps(users("dchen1107"))},
    )
    for fmt in ("text", "json", "github", "sarif"):
        code, _, output = check8(repo, "--format", fmt)
        assert code == 1
        body = (
            output if fmt != "github" else "\n".join(x for x in output.splitlines() if not x.startswith("::"))
        )
        assert not UNSAFE.search(body), body
        assert "set-output" not in output and "[31m" not in output
