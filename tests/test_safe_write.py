"""safe_write and CommandSafeStream: the two helpers every command that writes output shares."""

from __future__ import annotations

import ast
import io
import os
from pathlib import Path

import pytest

from governance_lint.reporters.commands import CommandSafeStream, neutralise
from governance_lint.safe_write import (
    Folder,
    UnsafeTarget,
    check_target,
    open_atomically,
    write_bytes_atomically,
    write_text_atomically,
)


def test_a_write_replaces_the_file_whole_with_the_usual_permissions(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text("old")
    write_text_atomically(target, "new ✓")
    assert target.read_text(encoding="utf-8") == "new ✓"
    write_bytes_atomically(target, b"\x00bytes")
    assert target.read_bytes() == b"\x00bytes"
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text("old")
    with pytest.raises(RuntimeError), open_atomically(target) as stream:
        stream.write("half")
        raise RuntimeError("the reporter failed")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_links_and_non_regular_targets_are_refused(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("precious")
    (tmp_path / "link").symlink_to(victim)
    (tmp_path / "folder").mkdir()
    os.mkfifo(tmp_path / "fifo")
    for name in ("link", "folder", "fifo"):
        with pytest.raises(UnsafeTarget):
            write_text_atomically(tmp_path / name, "report")
    assert victim.read_text() == "precious"


def test_a_folder_link_inside_the_root_is_refused_and_one_outside_it_is_not(tmp_path: Path) -> None:
    root, outside = tmp_path / "repo", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (root / "reports").symlink_to(outside, target_is_directory=True)
    (tmp_path / "mine").symlink_to(outside, target_is_directory=True)
    with pytest.raises(UnsafeTarget, match="folder"):
        check_target(root / "reports" / "x.sarif", root)
    check_target(tmp_path / "mine" / "x.sarif", root)  # the user's own link, outside the repository


@pytest.mark.parametrize(
    "pieces",
    [
        [" ::warning::x\n"],
        [" :", ":warning::x\n"],
        ["ok ##", "[add-mask]x\n"],
        ["a\n  ", "::set-output::x"],
    ],
)
def test_a_command_split_across_writes_is_still_escaped(pieces: list[str]) -> None:
    out = io.StringIO()
    stream = CommandSafeStream(out)
    for piece in pieces:
        stream.write(piece)
    stream.finish()
    assert out.getvalue() == neutralise("".join(pieces))
    assert "##[" not in out.getvalue() and not any(
        line.lstrip().startswith("::") for line in out.getvalue().split("\n")
    )


def test_only_the_github_format_s_own_commands_pass() -> None:
    own = "::error file=a.yaml,line=1,col=1,title=GOV101 single-owner::m ##[x\n  ::warning::y\n"
    assert neutralise(own, own_commands=True) == (
        "::error file=a.yaml,line=1,col=1,title=GOV101 single-owner::m ##\\u005bx\n  \\u003a:warning::y\n"
    )


def test_a_write_through_a_folder_link_inside_the_root_is_refused_and_one_outside_it_is_followed(
    tmp_path: Path,
) -> None:
    root, outside = tmp_path / "repo", tmp_path / "outside"
    (root / "real").mkdir(parents=True)
    outside.mkdir()
    (root / "reports").symlink_to(outside, target_is_directory=True)
    (root / "real" / "deeper").symlink_to(outside, target_is_directory=True)
    (tmp_path / "mine").symlink_to(outside, target_is_directory=True)
    for target in (root / "reports" / "x.md", root / "real" / "deeper" / "x.md"):
        with pytest.raises(UnsafeTarget, match="symbolic link inside the repository"):
            write_text_atomically(target, "report", root=root)
        with pytest.raises(UnsafeTarget), open_atomically(target, root=root) as stream:
            stream.write("report")
    assert list(outside.iterdir()) == []
    write_bytes_atomically(tmp_path / "mine" / "x.md", b"mine", root=root)  # the user's own link
    assert (outside / "x.md").read_bytes() == b"mine"


def test_a_checked_file_is_refused_by_its_path_relative_to_the_root(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "governance").mkdir(parents=True)
    (root / "governance" / "teams.yaml").write_text("precious")
    with pytest.raises(UnsafeTarget, match="files being checked"):
        write_text_atomically(
            root / "governance" / "teams.yaml", "x", root=root, checked={"governance/teams.yaml"}
        )
    with pytest.raises(UnsafeTarget, match="files being checked"):
        check_target(root / "governance" / "teams.yaml", root, {"governance/teams.yaml"})
    assert (root / "governance" / "teams.yaml").read_text() == "precious"


def test_a_rename_keeps_the_file_s_mode(tmp_path: Path) -> None:
    target = tmp_path / "process.yaml"
    target.write_text("old")
    target.chmod(0o640)
    write_bytes_atomically(target, b"new", mode=0o640, sync=True)
    assert target.read_bytes() == b"new" and target.stat().st_mode & 0o777 == 0o640


def test_the_site_folder_makes_folders_replaces_file_links_and_refuses_folder_links(tmp_path: Path) -> None:
    out, victim, elsewhere = tmp_path / "out", tmp_path / "victim", tmp_path / "elsewhere"
    victim.write_text("keep")
    elsewhere.mkdir()
    with Folder(out / "site") as folder:
        folder.write("process/a.html", b"a")
        assert folder.read("process/a.html", 10) == b"a" and folder.read("process/a.html", 0) is None
        assert folder.read("process/none.html", 10) is None
    (out / "site" / "index.html").symlink_to(victim)
    (out / "site" / "person").symlink_to(elsewhere, target_is_directory=True)
    with Folder(out / "site") as folder:
        assert folder.read("index.html", 100) is None  # a link is never read through
        folder.write("index.html", b"page")
        with pytest.raises(UnsafeTarget, match="symbolic link"):
            folder.write("person/b.html", b"b")
        assert folder.remove("process/a.html") and not folder.remove("process/a.html")
        assert not folder.remove("process")  # never a folder
    assert victim.read_text() == "keep" and list(elsewhere.iterdir()) == []
    assert (out / "site" / "index.html").read_bytes() == b"page"
    (tmp_path / "link").symlink_to(out / "site", target_is_directory=True)
    with pytest.raises(UnsafeTarget, match="symbolic link"):
        Folder(tmp_path / "link")


def test_safe_write_is_the_one_module_that_replaces_files() -> None:
    """Reports, baselines, the site and rename all write through safe_write; ``init`` only creates new
    files (it refuses to replace one), so it is the one other place that opens a file to write."""
    package = Path(__file__).resolve().parent.parent / "governance_lint"
    writers = set()
    for module in package.rglob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in ("replace", "rename", "O_EXCL"):
                owner = node.value
                if isinstance(owner, ast.Name) and owner.id == "os":
                    writers.add(module.relative_to(package).as_posix())
    assert writers == {"safe_write.py", "init.py"}
