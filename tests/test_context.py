"""Cross-file context: a governance file that does not load holds back the unresolved references
it might define, so one tab in people.yaml is one finding, and the summary says which file to fix."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from helpers import make_repo

PEOPLE_COUNT = 28


def person(ident: str) -> str:
    return f"apiVersion: govlint/v1\nkind: Person\nmetadata:\n  id: {ident}\nspec:\n  email: {ident}@example.org\n"


PEOPLE = "---\n".join(person(f"person-{i}") for i in range(PEOPLE_COUNT))
# A tab where YAML wants spaces: people.yaml cannot be loaded at all.
BROKEN_PEOPLE = PEOPLE.replace("  email: person-3@", "\temail: person-3@")


def process(ident: str, owner: str, extra: str = "") -> str:
    return (
        f"apiVersion: govlint/v1\nkind: Process\nmetadata: {{id: {ident}}}\nspec:\n"
        f"  purpose: Do the work.\n  owner: {owner}\n{extra}"
    )


def processes() -> dict[str, str]:
    """One process per person, each owned by that person: 28 references into people.yaml."""
    return {f"processes/p{i}.yaml": process(f"p{i}", f"person:person-{i}") for i in range(PEOPLE_COUNT)}


def git_repo(root: Path, files: dict[str, str]) -> Path:
    return make_repo(root, files)


REFERENCE_RULES = "GOV001,GOV005,GOV301,GOV402,GOV006"


def govlint(root: Path, *args: str, select: str = REFERENCE_RULES) -> tuple[int, str, str]:
    """The installed ``govlint check`` as a subprocess, the way CI runs it."""
    exe = Path(sys.executable).with_name("govlint")
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "governance_lint.cli"]
    done = subprocess.run(
        [*command, "check", "--no-cache", "--select", select, *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


def as_json(root: Path, *args: str, select: str = REFERENCE_RULES) -> dict[str, Any]:
    code, out, err = govlint(root, "--format", "json", *args, select=select)
    assert code in (0, 1), err
    return json.loads(out)  # type: ignore[no-any-return]


def codes(report: dict[str, Any]) -> list[tuple[str, str]]:
    return [(d["code"], d["path"]) for d in report["diagnostics"]]


def test_one_tab_in_people_yaml_is_one_finding(tmp_path: Path) -> None:
    root = git_repo(tmp_path, {"people.yaml": BROKEN_PEOPLE, **processes()})
    code, out, _ = govlint(root)
    lines = out.splitlines()
    assert code == 1
    assert len(lines) == 2 and lines[0].startswith("people.yaml:") and " GOV001 " in lines[0]
    assert lines[1] == (
        f"1 error in 1 of {PEOPLE_COUNT + 1} files ({PEOPLE_COUNT} documents); "
        f"{PEOPLE_COUNT} unresolved references held back until people.yaml loads: fix it first"
    )
    report = as_json(root)
    assert codes(report) == [("GOV001", "people.yaml")]
    assert report["summary"]["held_back"] == PEOPLE_COUNT and report["summary"]["fix_first"] == "people.yaml"


def test_fixing_the_file_releases_nothing_when_everything_resolves(tmp_path: Path) -> None:
    root = git_repo(tmp_path, {"people.yaml": PEOPLE, **processes()})
    report = as_json(root)
    assert (
        codes(report) == [] and report["summary"]["held_back"] == 0 and report["summary"]["fix_first"] is None
    )


def test_references_the_broken_file_cannot_define_are_still_reported(tmp_path: Path) -> None:
    extra = (
        "  policies: [policy:person-1]\n"  # no Policy in people.yaml: reported
        "  managers:\n    - person: person:nobody\n"
    )  # people.yaml never spells 'nobody': reported
    root = git_repo(
        tmp_path, {"people.yaml": BROKEN_PEOPLE, "p.yaml": process("p", "person:person-1", extra)}
    )
    report = as_json(root)
    assert codes(report) == [("GOV301", "p.yaml"), ("GOV005", "p.yaml"), ("GOV001", "people.yaml")]
    assert report["summary"]["held_back"] == 1  # the owner, person:person-1


def test_only_the_kinds_the_broken_file_names_are_held_back(tmp_path: Path) -> None:
    teams = (
        "apiVersion: govlint/v1\nkind: Team\nmetadata: {id: person-1}\nspec:\n"
        "\tmembers: []\n"
    )  # a Team file: it cannot define person:person-1
    root = git_repo(
        tmp_path,
        {
            "teams.yaml": teams,
            "p.yaml": process("p", "person:person-1", "  practitioners: [team:person-1]\n"),
        },
    )
    report = as_json(root)
    assert codes(report) == [("GOV005", "p.yaml"), ("GOV001", "teams.yaml")]
    assert report["diagnostics"][0]["message"].startswith("person:person-1 ")
    assert report["summary"]["held_back"] == 1 and report["summary"]["fix_first"] == "teams.yaml"


def test_broken_yaml_that_is_no_governance_file_holds_nothing_back(tmp_path: Path) -> None:
    manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: person-1\ndata:\n\tkey: value\n"
    root = git_repo(tmp_path, {"deploy/configmap.yaml": manifest, "p.yaml": process("p", "person:person-1")})
    report = as_json(root)
    # Other people's YAML is not govlint's business: skipped without a finding, and it defines nothing.
    assert codes(report) == [("GOV005", "p.yaml")]
    assert report["summary"]["held_back"] == 0


def test_references_are_held_back_even_when_the_loader_rule_does_not_run(tmp_path: Path) -> None:
    root = git_repo(tmp_path, {"people.yaml": BROKEN_PEOPLE, **processes()})
    code, out, _ = govlint(root, select="GOV005")
    assert code == 0, out
    assert out.splitlines() == [
        (
            f"no problems in {PEOPLE_COUNT + 1} files ({PEOPLE_COUNT} documents); "
            f"{PEOPLE_COUNT} unresolved references held back until people.yaml loads: "
            "fix it first"
        )
    ]


def test_fix_first_names_the_file_that_might_resolve_most(tmp_path: Path) -> None:
    other = person("person-1").replace("spec:\n  email", "spec:\n\temail")
    root = git_repo(tmp_path, {"a-people.yaml": other, "people.yaml": BROKEN_PEOPLE, **processes()})
    report = as_json(root)
    assert report["summary"]["held_back"] == PEOPLE_COUNT and report["summary"]["fix_first"] == "people.yaml"


def test_a_held_back_finding_still_uses_its_suppression_and_baseline_entry(tmp_path: Path) -> None:
    files = processes()
    files["processes/p1.yaml"] = files["processes/p1.yaml"].replace(
        "  owner: person:person-1", "  owner: person:person-1  # govlint: ignore[GOV005] -- being hired"
    )
    people = PEOPLE.replace("  id: person-1\n", "  id: person-1b\n").replace(
        "  id: person-2\n", "  id: person-2b\n"
    )
    root = git_repo(tmp_path, {"people.yaml": people, **files})
    code, _, err = govlint(root, "--write-baseline", "baseline.json")
    assert code == 1 and "wrote 1 findings" in err  # p2's owner is unresolved; p1's is suppressed
    (root / "people.yaml").write_text(BROKEN_PEOPLE, encoding="utf-8")
    report = as_json(root, "--baseline", "baseline.json")
    assert codes(report) == [("GOV001", "people.yaml")]  # no GOV006: the comment and entry are still used
    assert report["summary"]["baseline_hidden"] == 1
    assert report["summary"]["held_back"] == PEOPLE_COUNT - 2


def test_a_broken_glossary_holds_back_the_terms_it_spells(tmp_path: Path) -> None:
    glossary = (
        "apiVersion: govlint/v1\nkind: Glossary\nmetadata: {id: itsm}\nspec:\n  terms:\n"
        "    - term: Service Request\n\t  definition: A request for something standard.\n"
    )
    terms = "  terms:\n    - ref: term:service-request\n    - ref: term:incident\n"
    root = git_repo(tmp_path, {"glossary.yaml": glossary, "p.yaml": process("p", "person:a", terms)})
    report = as_json(root, select="GOV001,GOV402")
    # 'Service Request' is spelled in the broken Glossary; 'incident' is not
    assert codes(report) == [("GOV001", "glossary.yaml"), ("GOV402", "p.yaml")]
    assert "term:incident" in report["diagnostics"][1]["message"]
    assert report["summary"]["held_back"] == 1 and report["summary"]["fix_first"] == "glossary.yaml"


def test_a_file_too_large_to_read_might_define_anything_a_dangling_link_nothing(tmp_path: Path) -> None:
    root = git_repo(
        tmp_path,
        {".govlint.yaml": "limits: {max-file-bytes: 2000}\n", "p.yaml": process("p", "person:person-1")},
    )
    (root / "people.yaml").write_text(PEOPLE, encoding="utf-8")  # larger than 2000 bytes
    report = as_json(root)
    assert codes(report) == [("GOV001", "people.yaml")] and report["summary"]["held_back"] == 1
    (root / "people.yaml").unlink()
    (root / "people.yaml").symlink_to(root / "nowhere.yaml")
    report = as_json(root)
    assert codes(report) == [("GOV005", "p.yaml"), ("GOV001", "people.yaml")]
    assert report["summary"]["held_back"] == 0


def test_the_file_to_fix_first_is_named_like_the_findings(tmp_path: Path) -> None:
    # Run from a subfolder: text paths are relative to the current folder, json paths to the git root.
    root = git_repo(
        tmp_path,
        {"gov/people.yaml": BROKEN_PEOPLE, **{f"gov/{name}": text for name, text in processes().items()}},
    )
    sub = root / "gov"
    code, out, _ = govlint(sub)
    assert code == 1
    assert out.splitlines()[0].startswith("people.yaml:")
    assert out.splitlines()[-1].endswith("held back until people.yaml loads: fix it first")
    report = as_json(sub)
    assert report["summary"]["fix_first"] == "gov/people.yaml"
    assert report["diagnostics"][0]["path"] == "gov/people.yaml"


def test_a_misspelled_api_version_in_people_yaml_is_one_finding(tmp_path: Path) -> None:
    root = git_repo(tmp_path, {"people.yaml": PEOPLE.replace("govlint/v1", "govlnt/v1"), **processes()})
    report = as_json(root, select=REFERENCE_RULES + ",GOV003")
    assert {d["code"] for d in report["diagnostics"]} == {"GOV003"}
    assert {d["path"] for d in report["diagnostics"]} == {"people.yaml"}
    assert report["summary"]["held_back"] == PEOPLE_COUNT and report["summary"]["fix_first"] == "people.yaml"
