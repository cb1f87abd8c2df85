"""Paths in output (SPEC §4) with the config in a subfolder of the git work tree, run from a third folder.

``text`` names files relative to the current folder; ``json``, ``sarif`` and
``github`` relative to the git work tree's root, so CI platforms place
annotations on files that exist; baseline entries stay relative to the
config's folder.  Outside git, the machine formats use the config's folder.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from helpers import make_repo, run_govlint

TWO_OWNERS = """\
apiVersion: govlint/v1
kind: Process
metadata: {id: incident-management, name: Incident Management}
spec:
  purpose: Restore normal service operation.
  owner: [person:a, person:b]
"""
IN_CONFIG = "processes/incident management.yaml"  # a space, so URIs must encode it
IN_REPO = f"ops/governance/{IN_CONFIG}"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git work tree whose config sits in ops/governance/; the run starts in docs/."""
    return make_repo(
        tmp_path / "repo",
        {
            "ops/governance/.govlint.yaml": 'include: ["processes/**"]\n',
            f"ops/governance/{IN_CONFIG}": TWO_OWNERS,
            "docs/README.md": "notes\n",
        },
    )


def check(repo: Path, *args: str) -> str:
    done = run_govlint(
        "check", "--config", "../ops/governance/.govlint.yaml", "--select", "GOV101", *args, cwd=repo / "docs"
    )
    assert done.returncode == 1, done.stderr
    return done.stdout


def test_text_is_relative_to_the_current_folder(repo: Path) -> None:
    out = check(repo)
    assert out.splitlines()[0].startswith(f"../{IN_REPO}:6:3: error GOV101 ")
    assert (repo / "docs" / f"../{IN_REPO}").is_file()


def test_json_is_relative_to_the_git_root(repo: Path) -> None:
    paths = [d["path"] for d in json.loads(check(repo, "--format", "json"))["diagnostics"]]
    assert paths == [IN_REPO]
    assert (repo / paths[0]).is_file()


def test_github_annotations_point_at_real_files_from_the_git_root(repo: Path) -> None:
    annotations = re.findall(
        r"^::error file=([^,]+),line=(\d+),col=(\d+),", check(repo, "--format", "github"), re.MULTILINE
    )
    assert annotations == [(IN_REPO, "6", "3")]
    assert all((repo / path).is_file() for path, _, _ in annotations)


def test_sarif_uris_resolve_to_real_files_from_the_git_root(repo: Path) -> None:
    log = json.loads(check(repo, "--format", "sarif"))
    run = log["runs"][0]
    base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert Path(unquote(urlparse(base).path)) == repo
    (result,) = run["results"]
    location = result["locations"][0]["physicalLocation"]["artifactLocation"]
    assert (location["uri"], location["uriBaseId"]) == (IN_REPO.replace(" ", "%20"), "%SRCROOT%")
    assert Path(unquote(urlparse(base + location["uri"]).path)).is_file()


def test_baseline_entries_stay_relative_to_the_config_folder(repo: Path) -> None:
    check(repo, "--write-baseline", "baseline.json")
    entries = json.loads((repo / "docs" / "baseline.json").read_text())["entries"]
    assert [e["path"] for e in entries] == [IN_CONFIG]
    # and they still hide the finding they recorded, whatever folder the run starts in
    done = run_govlint(
        "check",
        "--baseline",
        str(repo / "docs" / "baseline.json"),
        "--select",
        "GOV101",
        cwd=repo / "ops" / "governance",
    )
    assert (done.returncode, done.stdout.splitlines()[-1].startswith("no problems")) == (0, True)


def test_outside_git_machine_formats_use_the_config_folder(tmp_path: Path) -> None:
    folder = tmp_path / "plain" / "governance"
    (folder / "processes").mkdir(parents=True)
    (folder / ".govlint.yaml").write_text('include: ["processes/**"]\n')
    (folder / IN_CONFIG).write_text(TWO_OWNERS)
    (tmp_path / "plain" / "docs").mkdir()

    done = run_govlint(
        "check",
        "--config",
        "../governance/.govlint.yaml",
        "--select",
        "GOV101",
        "--format",
        "json",
        cwd=tmp_path / "plain" / "docs",
    )
    text = run_govlint(
        "check",
        "--config",
        "../governance/.govlint.yaml",
        "--select",
        "GOV101",
        cwd=tmp_path / "plain" / "docs",
    )

    assert [d["path"] for d in json.loads(done.stdout)["diagnostics"]] == [IN_CONFIG]
    assert text.stdout.startswith(f"../governance/{IN_CONFIG}:6:3: ")
