"""``govlint lsp`` driven over stdio as an editor drives it, on a copy of examples/clean in a real git repository."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hostile_cases import laughs
from lsp_client import LspClient, ServerError, govlint_command
from markdown_it import MarkdownIt

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "clean"
TEAMS = "governance/teams.yaml"
MANAGERS = "governance/people/managers.yaml"
SERVICES = "governance/services.yaml"
INCIDENT = "governance/processes/incident-management.yaml"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(EXAMPLE, root)
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    return root


@pytest.fixture
def client(repo: Path) -> Iterator[LspClient]:
    lsp = LspClient(repo)
    lsp.initialize(repo)
    try:
        yield lsp
    finally:
        assert lsp.close() == 0


def codes(diagnostics: list[dict[str, Any]]) -> list[tuple[str, int, int, int]]:
    """(code, line, start character, end character) of each diagnostic, LSP's 0-based lines."""
    return sorted(
        (
            d["code"],
            d["range"]["start"]["line"],
            d["range"]["start"]["character"],
            d["range"]["end"]["character"],
        )
        for d in diagnostics
    )


def rendered(markdown: str) -> str:
    """What an editor shows for hover Markdown: rendered by a CommonMark parser, as plain text."""
    return html.unescape(re.sub(r"<[^>]+>", "", MarkdownIt("commonmark").render(markdown)))


def apply(text: str, edits: list[dict[str, Any]]) -> str:
    """A client applying TextEdits (no line in these files holds characters beyond the BMP)."""
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(position: dict[str, int]) -> int:
        return starts[position["line"]] + position["character"]

    for edit in sorted(edits, key=lambda e: offset(e["range"]["start"]), reverse=True):
        start, end = offset(edit["range"]["start"]), offset(edit["range"]["end"])
        text = text[:start] + edit["newText"] + text[end:]
    return text


def test_an_unsaved_typo_gets_a_diagnostic_at_its_range_and_fixing_it_clears_it(
    client: LspClient, repo: Path
) -> None:
    path = repo / TEAMS
    uri = client.open(path)
    assert client.diagnostics(uri, 1) == []
    original = path.read_text(encoding="utf-8")
    version = client.change(uri, original.replace("lead: person:windy", "lead: person:windi", 1))
    found = client.diagnostics(uri, version)
    assert codes(found) == [("GOV005", 7, 8, 20)]  # `person:windi` on line 8, as the editor shows it
    assert "person:windi" in found[0]["message"] and found[0]["source"] == "govlint"
    assert path.read_text(encoding="utf-8") == original  # the buffer is unsaved: nothing written
    version = client.edit(uri, (7, 19), (7, 20), "y")  # type the fix
    assert client.diagnostics(uri, version) == []


def test_renaming_a_person_in_one_buffer_lights_up_the_other_open_files(
    client: LspClient, repo: Path
) -> None:
    managers, teams, services = (client.open(repo / p) for p in (MANAGERS, TEAMS, SERVICES))
    for uri in (managers, teams, services):
        assert client.diagnostics(uri) == []
    text = (repo / MANAGERS).read_text(encoding="utf-8").replace("id: windy\n", "id: wendy\n", 1)
    version = client.change(managers, text)
    assert codes(client.diagnostics(teams, until=bool)) == [("GOV005", 7, 8, 20), ("GOV005", 8, 12, 24)]
    assert codes(client.diagnostics(services, until=bool)) == [("GOV005", 25, 9, 21)]
    # the edited file's diagnostics are published first, the files the edit affects after it
    published = [
        n["params"] for n in client.notifications if n.get("method") == "textDocument/publishDiagnostics"
    ]
    order = [(p["uri"], p.get("version")) for p in published if p["diagnostics"] or p["uri"] == managers]
    assert order.index((managers, version)) < order.index((teams, 1)) and (services, 1) in order
    client.change(managers, (repo / MANAGERS).read_text(encoding="utf-8"))  # undo: they clear again
    assert client.diagnostics(teams, until=lambda found: not found) == []
    assert client.diagnostics(services, until=lambda found: not found) == []


def test_definition_references_and_hover_work_across_files(client: LspClient, repo: Path) -> None:
    uri = client.open(repo / TEAMS)
    # `lead: person:windy` on line 8: the cursor anywhere in the reference
    definition = client.position_request("textDocument/definition", uri, 7, 16)
    assert definition == [
        {
            "uri": (repo / MANAGERS).as_uri(),
            "range": {"start": {"line": 4, "character": 6}, "end": {"line": 4, "character": 11}},
        }
    ]
    found = client.position_request(
        "textDocument/references", uri, 7, 16, context={"includeDeclaration": True}
    )
    where = [
        (Path(loc["uri"][len("file://") :]).relative_to(repo).as_posix(), loc["range"]["start"]["line"])
        for loc in found
    ]
    assert where[0] == (MANAGERS, 4)  # the definition first
    assert len(where) == 20 and (SERVICES, 25) in where and (INCIDENT, 73) in where
    # from the definition itself, without it
    managers = client.open(repo / MANAGERS)
    uses = client.position_request(
        "textDocument/references", managers, 4, 8, context={"includeDeclaration": False}
    )
    assert len(uses) == 19
    hover = rendered(client.position_request("textDocument/hover", uri, 7, 16)["contents"]["value"])
    assert "Person" in hover and "Windy" in hover and "windy@example.org" in hover and "active: yes" in hover
    # a term reference goes to its Glossary definition, and says what it means
    incident = client.open(repo / INCIDENT)
    line = (repo / INCIDENT).read_text(encoding="utf-8").splitlines().index("    - ref: term:major-incident")
    definition = client.position_request("textDocument/definition", incident, line, 17)
    assert definition[0]["uri"] == (repo / "governance/glossary.yaml").as_uri()
    hover = rendered(client.position_request("textDocument/hover", incident, line, 17)["contents"]["value"])
    assert "significant business impact" in hover


def test_completion_offers_ids_of_the_kind_and_persons_at_an_owner(client: LspClient, repo: Path) -> None:
    path = repo / SERVICES
    uri = client.open(path)
    text = path.read_text(encoding="utf-8").replace("owner: person:tamika", "owner: team:", 1)
    client.change(uri, text)
    line = text.splitlines().index("  owner: team:")
    items = client.position_request("textDocument/completion", uri, line, 14)["items"]
    labels = {i["label"]: i.get("detail") for i in items}
    assert labels["team:service-desk"] == "Service Desk" and all(k.startswith("team:") for k in labels)
    text = text.replace("owner: team:", "owner: ", 1)
    client.change(uri, text)
    items = client.position_request("textDocument/completion", uri, line, 9)["items"]
    assert {"person:windy", "person:mrs-davis"} <= {i["label"] for i in items}
    assert all(i["label"].startswith("person:") for i in items)
    assert items[0]["textEdit"]["range"]["start"] == {"line": line, "character": 9}


def test_rename_returns_one_edit_of_the_id_and_every_reference(client: LspClient, repo: Path) -> None:
    uri = client.open(repo / TEAMS)
    prepared = client.position_request("textDocument/prepareRename", uri, 7, 16)
    assert prepared["placeholder"] == "windy" and prepared["range"]["start"] == {"line": 7, "character": 15}
    edit = client.position_request("textDocument/rename", uri, 7, 16, newName="windy-chen")
    changed = {Path(u[len("file://") :]).relative_to(repo).as_posix(): e for u, e in edit["changes"].items()}
    assert set(changed) == {
        MANAGERS,
        TEAMS,
        SERVICES,
        INCIDENT,
        "governance/practices/service-desk.yaml",
        "governance/processes/service-request-management.yaml",
    }
    assert sum(len(e) for e in changed.values()) == 20
    for rel, edits in changed.items():
        before = (repo / rel).read_text(encoding="utf-8")
        after = apply(before, edits)
        assert after.count("windy-chen") == len(edits)
        assert after.replace("windy-chen", "windy") == before  # every other byte unchanged
        (repo / rel).write_text(after, encoding="utf-8")
    assert "email: windy@example.org" in (repo / MANAGERS).read_text(encoding="utf-8")
    check = subprocess.run(
        [*govlint_command(), "check"], check=False, cwd=repo, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout
    with pytest.raises(ServerError, match="already exists"):
        client.position_request("textDocument/rename", uri, 8, 28, newName="guy")  # person:ann -> taken


def test_code_actions_fix_an_unresolved_reference_or_suppress_it(client: LspClient, repo: Path) -> None:
    path = repo / TEAMS
    uri = client.open(path)
    typo = path.read_text(encoding="utf-8").replace("lead: person:windy", "lead: person:windi", 1)
    version = client.change(uri, typo)
    found = client.diagnostics(uri, version)
    actions = client.request(
        "textDocument/codeAction",
        {"textDocument": {"uri": uri}, "range": found[0]["range"], "context": {"diagnostics": found}},
    )
    fix = next(a for a in actions if a.get("isPreferred"))
    assert fix["title"] == "Replace person:windi with person:windy"
    version = client.change(uri, apply(typo, fix["edit"]["changes"][uri]))
    assert client.diagnostics(uri, version) == []
    suppress = next(a for a in actions if "Suppress" in a["title"])
    suppressed = apply(typo, suppress["edit"]["changes"][uri])
    assert suppressed.splitlines()[7] == "  # govlint: ignore[GOV005] -- reason"
    version = client.change(uri, suppressed)
    assert client.diagnostics(uri, version) == []  # hidden, and the comment is used (no GOV006)


def test_document_symbols_list_a_process_activities_kpis_and_csfs(client: LspClient, repo: Path) -> None:
    uri = client.open(repo / INCIDENT)
    symbols = client.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}})
    assert [s["name"] for s in symbols] == ["Process incident-management"]
    children = {(c["detail"], c["name"]) for c in symbols[0]["children"]}
    assert {("activity", "identify"), ("activity", "close"), ("KPI", "mttr")} <= children
    assert any(detail == "CSF" for detail, _ in children)


HOSTILE = {
    "alias bomb": "apiVersion: govlint/v1\nkind: Person\nmetadata: {id: bomb}\nspec:\n  labels:\n   lol:\n"
    + laughs(indent="    ")[0],
    "brackets": "apiVersion: govlint/v1\nkind: Person\nx: " + "[" * 100_000 + "\n",
    "binary": "apiVersion: govlint/v1\n" + "".join(chr(b) for b in range(256)) * 64,
}


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_buffer_gets_a_diagnostic_and_the_server_keeps_serving(
    client: LspClient, repo: Path, name: str
) -> None:
    path = repo / "governance/hostile.yaml"
    path.write_text("# a new file\n", encoding="utf-8")
    uri = client.open(path)
    version = client.change(uri, HOSTILE[name])
    found = client.diagnostics(uri, version, timeout=120)
    assert [d["code"] for d in found] == ["GOV001"]
    teams = client.open(repo / TEAMS)
    hover = client.position_request("textDocument/hover", teams, 7, 16)
    assert "windy@example.org" in rendered(hover["contents"]["value"])
    version = client.change(
        uri, "apiVersion: govlint/v1\nkind: Person\nmetadata: {id: x}\nspec: {email: x@y.z}\n"
    )
    assert client.diagnostics(uri, version) == []


def test_a_config_change_on_disk_is_picked_up(client: LspClient, repo: Path) -> None:
    path = repo / TEAMS
    uri = client.open(path)
    version = client.change(uri, path.read_text(encoding="utf-8").replace("person:windy", "person:windi", 1))
    assert [d["code"] for d in client.diagnostics(uri, version)] == ["GOV005"]
    config = repo / ".govlint.yaml"
    config.write_text(
        config.read_text(encoding="utf-8") + "rules: {unresolved-reference: off}\n", encoding="utf-8"
    )
    client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": config.as_uri(), "type": 2}]})
    assert client.diagnostics(uri, until=lambda found: not found) == []


def test_a_file_changed_on_disk_updates_the_open_files(client: LspClient, repo: Path) -> None:
    uri = client.open(repo / TEAMS)
    assert client.diagnostics(uri) == []
    people = repo / MANAGERS
    people.write_text(
        people.read_text(encoding="utf-8").replace("id: windy\n", "id: wendy\n", 1), encoding="utf-8"
    )
    client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": people.as_uri(), "type": 2}]})
    assert len(client.diagnostics(uri, until=bool)) == 2
    people.unlink()  # every person defined there goes: more of the teams' references name nobody
    client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": people.as_uri(), "type": 3}]})
    assert len(client.diagnostics(uri, until=lambda found: len(found) > 2)) > 2
    found = client.position_request(
        "textDocument/references", uri, 7, 16, context={"includeDeclaration": True}
    )
    assert all(not loc["uri"].endswith("managers.yaml") for loc in found)


def check_json(root: Path) -> list[tuple[str, str, int, int]]:
    result = subprocess.run(
        [*govlint_command(), "check", "--format", "json"],
        check=False,
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert result.returncode in (0, 1), result.stderr
    return sorted(
        (d["path"], d["code"], d["line"], d["column"]) for d in json.loads(result.stdout)["diagnostics"]
    )


def shown_as_check(rel: str, diagnostics: list[dict[str, Any]]) -> list[tuple[str, str, int, int]]:
    """The editor's diagnostics of one file as ``check_json`` lists them (1-based lines and columns)."""
    return sorted(
        (rel, d["code"], d["range"]["start"]["line"] + 1, d["range"]["start"]["character"] + 1)
        for d in diagnostics
    )


@pytest.mark.parametrize("example", ["failing", "declarative"])
def test_the_server_reports_what_check_reports(tmp_path: Path, example: str) -> None:
    """Same config, plugins, suppressions and baseline: every open file shows exactly check's findings."""
    root = tmp_path / example
    shutil.copytree(EXAMPLE.parent / example, root)
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    before = check_json(root)
    assert example != "declarative" or any(code.startswith("ACME") for _, code, _, _ in before)  # a plugin's
    expected = before
    if (
        example == "failing"
    ):  # a baseline (named in the config) hides what it recorded, in check and editor alike
        hidden = "governance/teams.yaml"
        subprocess.run(
            [*govlint_command(), "check", hidden, "--write-baseline", ".govlint-baseline.json"],
            check=False,
            cwd=root,
            capture_output=True,
        )
        config = root / ".govlint.yaml"
        config.write_text(
            config.read_text(encoding="utf-8") + "baseline: .govlint-baseline.json\n", encoding="utf-8"
        )
        expected = check_json(root)
        assert [d for d in before if d[0] == hidden] and not [d for d in expected if d[0] == hidden]
    lsp = LspClient(root)
    try:
        lsp.initialize(root)
        files = sorted(
            p.relative_to(root).as_posix() for p in root.rglob("*.yaml") if p.name != ".govlint.yaml"
        )
        uris = {rel: lsp.open(root / rel) for rel in files}
        shown = [d for rel, uri in uris.items() for d in shown_as_check(rel, lsp.diagnostics(uri, 1))]
    finally:
        assert lsp.close() == 0
    assert sorted(shown) == expected


def test_an_edit_publishes_the_edited_file_first_then_every_file_it_affects_as_check_would(
    client: LspClient, repo: Path, tmp_path: Path
) -> None:
    """A person's id retyped in one buffer: that buffer's diagnostics come first; the open files whose
    references now dangle follow, and a file opened afterwards shows its own at once, each exactly what
    ``check`` reports with the edit saved; typing the old id back clears them all."""
    text = (repo / MANAGERS).read_text(encoding="utf-8")
    line = text.splitlines().index("  id: windy")
    saved = tmp_path / "saved"
    shutil.copytree(repo, saved)
    (saved / MANAGERS).write_text(text.replace("id: windy\n", "id: wendy\n", 1), encoding="utf-8")
    expected = check_json(saved)

    def of(rel: str) -> list[tuple[str, str, int, int]]:
        return [d for d in expected if d[0] == rel]

    assert of(TEAMS) and of(SERVICES) and of(INCIDENT)
    edited = client.open(repo / MANAGERS)
    others = {rel: client.open(repo / rel) for rel in (TEAMS, SERVICES)}
    version = client.edit(edited, (line, 7), (line, 8), "e")  # windy -> wendy, typed over the "i"
    assert shown_as_check(MANAGERS, client.diagnostics(edited, version)) == of(MANAGERS)
    for rel, uri in others.items():
        assert shown_as_check(rel, client.diagnostics(uri, until=bool)) == of(rel)
    published = [
        (n["params"]["uri"], n["params"].get("version"), bool(n["params"]["diagnostics"]))
        for n in client.notifications
        if n.get("method") == "textDocument/publishDiagnostics"
    ]
    first = next(i for i, (uri, at, _) in enumerate(published) if (uri, at) == (edited, version))
    assert all(published.index((uri, 1, True)) > first for uri in others.values())
    incident = client.open(repo / INCIDENT, wait=False)  # not open during the edit
    assert shown_as_check(INCIDENT, client.diagnostics(incident, 1)) == of(INCIDENT)

    version = client.edit(edited, (line, 7), (line, 8), "i")  # and back
    assert client.diagnostics(edited, version) == []
    for uri in [*others.values(), incident]:
        assert client.diagnostics(uri, until=lambda found: not found) == []


def test_an_editor_without_a_folder_gets_the_repository_of_the_file_it_opens(repo: Path) -> None:
    lsp = LspClient(repo / "governance")  # started elsewhere, told no root
    try:
        lsp.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
        lsp.notify("initialized", {})
        path = repo / TEAMS
        uri = lsp.open(
            path, path.read_text(encoding="utf-8").replace("lead: person:windy", "lead: person:windi")
        )
        assert codes(lsp.diagnostics(uri, 1)) == [("GOV005", 7, 8, 20)]
    finally:
        assert lsp.close() == 0


def test_a_burst_of_edits_ends_with_the_last_versions_diagnostics(client: LspClient, repo: Path) -> None:
    path = repo / TEAMS
    uri = client.open(path)
    original = path.read_text(encoding="utf-8")
    version = 1
    for typed in "windi", "wind", "windyy", "window", "windi":  # each changes a reference: no waiting between
        version = client.change(uri, original.replace("lead: person:windy", f"lead: person:{typed}", 1))
    assert codes(client.diagnostics(uri, version)) == [("GOV005", 7, 8, 20)]
    version = client.change(uri, original)
    assert client.diagnostics(uri, version) == []


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8", "utf-32"])
def test_columns_count_the_position_encoding_agreed_with_the_client(repo: Path, encoding: str) -> None:
    lsp = LspClient(repo)
    try:
        assert lsp.initialize(repo, encodings=[encoding])["capabilities"]["positionEncoding"] == encoding
        line = (
            '{apiVersion: govlint/v1, kind: Team, metadata: {id: cafe, name: "Café ☕ 𝄞"}, '
            "spec: {lead: person:windi, members: []}}"
        )
        uri = lsp.open(repo / "governance/cafe.yaml", line + "\n")
        start = line.index("person:windi")
        units = {"utf-8": 1, "utf-16": 2, "utf-32": 4}[encoding]
        width = len(
            line[:start].encode({"utf-8": "utf-8", "utf-16": "utf-16-le", "utf-32": "utf-32-le"}[encoding])
        )
        width //= units
        assert codes(lsp.diagnostics(uri, 1)) == [("GOV005", 0, width, width + len("person:windi"))]
        items = lsp.position_request("textDocument/completion", uri, 0, width + len("person:wi"))["items"]
        edit = next(i for i in items if i["label"] == "person:windy")["textEdit"]
        assert edit["range"] == {
            "start": {"line": 0, "character": width},
            "end": {"line": 0, "character": width + len("person:windi")},
        }
        hover = rendered(lsp.position_request("textDocument/hover", uri, 0, width + 3)["contents"]["value"])
        assert "names no Person" in hover and "person:windy" in hover  # with its did-you-mean
    finally:
        assert lsp.close() == 0


def test_a_broken_config_is_said_once_and_fixing_it_brings_the_diagnostics(repo: Path) -> None:
    config = repo / ".govlint.yaml"
    good = config.read_text(encoding="utf-8")
    config.write_text(good + "colour: blue\n", encoding="utf-8")
    lsp = LspClient(repo)
    try:
        lsp.initialize(repo)
        path = repo / TEAMS
        uri = lsp.open(
            path, path.read_text(encoding="utf-8").replace("person:windy", "person:windi", 1), wait=False
        )
        lsp.change(uri, path.read_text(encoding="utf-8").replace("person:windy", "person:windo", 1))
        said = lsp.notified("window/showMessage")
        assert "colour" in said[0]["message"] and said[0]["type"] == 1
        assert lsp.position_request("textDocument/hover", uri, 7, 16) is None  # still answering
        config.write_text(good, encoding="utf-8")
        lsp.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": config.as_uri(), "type": 2}]})
        assert [d["code"] for d in lsp.diagnostics(uri, until=bool)] == ["GOV005"]
        assert len(lsp.notified("window/showMessage")) == 1
    finally:
        assert lsp.close() == 0


# -- the first load runs off the request loop ---------------------------------------------------

# A plugin file the config names: importing it (part of loading the repository) waits until the test
# creates `rules/open`, so the test decides when the load ends instead of guessing how long it takes.
GATE = '''import time
from pathlib import Path

from governance_lint.api import Severity, document_rule

_gate = Path(__file__).with_name("open")
_until = time.monotonic() + 120
while not _gate.exists() and time.monotonic() < _until:
    time.sleep(0.01)


@document_rule(code="GATE001", name="gate", severity=Severity.INFO, kinds=["Team"], summary="nothing")
def gate(doc, ctx):
    """Reports nothing."""
'''


def test_requests_are_answered_while_the_repository_loads(repo: Path) -> None:
    (repo / "rules").mkdir()
    (repo / "rules/gate.py").write_text(GATE, encoding="utf-8")
    config = repo / ".govlint.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "plugins: [rules/gate.py]\n", encoding="utf-8")
    lsp = LspClient(repo)
    try:
        lsp.initialize(repo)
        incident = lsp.open(repo / INCIDENT, wait=False)
        teams = lsp.open(
            repo / TEAMS,
            (repo / TEAMS).read_text(encoding="utf-8").replace("lead: person:windy", "lead: person:windi"),
            wait=False,
        )
        # answered during the load, with nothing: the model is not there yet
        assert lsp.request("textDocument/documentSymbol", {"textDocument": {"uri": incident}}) is None
        assert lsp.position_request("textDocument/hover", teams, 7, 16) is None
        assert lsp.position_request("textDocument/definition", teams, 7, 16) is None
        assert lsp.published(incident) == [] and lsp.published(teams) == []  # the load has not ended
        (repo / "rules/open").write_text("", encoding="utf-8")
        # when it ends, every open file's diagnostics are published (the edited buffer's too)
        assert codes(lsp.diagnostics(teams, 1)) == [("GOV005", 7, 8, 20)]
        assert lsp.diagnostics(incident, 1) == []
        hover = lsp.position_request("textDocument/hover", incident, 9, 8)  # `id: incident-management`
        assert "Incident Management" in rendered(hover["contents"]["value"])
        symbols = lsp.request("textDocument/documentSymbol", {"textDocument": {"uri": incident}})
        assert [s["name"] for s in symbols] == ["Process incident-management"]
    finally:
        (repo / "rules/open").write_text("", encoding="utf-8")
        assert lsp.close() == 0


# -- hover renders repository text as text --------------------------------------------------------

HOSTILE_NAME = (
    "Eve <img src=x onerror=alert(1)> [click](https://evil.example/) ![x](https://evil.example/x.png)"
)
HOSTILE_EMAIL = "<script>alert(1)</script>eve@example.org"
HOSTILE_DEFINITION = "# Ends ``` a fence\n# not a heading\n\n<details open>raw</details> &amp; 1. - > x"


def test_hover_shows_hostile_names_emails_and_definitions_as_text(client: LspClient, repo: Path) -> None:
    people = repo / "governance/people/eve.yaml"
    people.write_text(
        "apiVersion: govlint/v1\nkind: Person\nmetadata:\n  id: eve\n"
        f"  name: {json.dumps(HOSTILE_NAME)}\nspec:\n  email: {json.dumps(HOSTILE_EMAIL)}\n",
        encoding="utf-8",
    )
    glossary = repo / "governance/glossary.yaml"
    glossary.write_text(
        glossary.read_text(encoding="utf-8").replace(
            "  terms:\n",
            f"  terms:\n    - term: Evil\n      definition: {json.dumps(HOSTILE_DEFINITION)}\n",
            1,
        ),
        encoding="utf-8",
    )
    for path in (people, glossary):
        client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": path.as_uri(), "type": 1}]})
    line = "  lead: person:eve\n  members: [person:eve]\n  purpose: see term:evil\n"
    uri = client.open(
        repo / "governance/evil-team.yaml",
        "apiVersion: govlint/v1\nkind: Team\nmetadata: {id: evil}\nspec:\n" + line,
    )
    markdown_it = MarkdownIt("commonmark")
    for position, shown in (((4, 12), (HOSTILE_NAME, HOSTILE_EMAIL)), ((6, 19), (HOSTILE_DEFINITION,))):
        value = client.position_request("textDocument/hover", uri, *position)["contents"]["value"]
        tokens = [t for block in markdown_it.parse(value) for t in [block, *(block.children or [])]]
        kinds = {t.type for t in tokens}
        assert not kinds & {"html_inline", "html_block", "link_open", "image", "fence", "code_block"}
        assert not kinds & {"code_inline", "heading_open", "blockquote_open"}, value
        text = rendered(value)
        for hostile in shown:
            assert " ".join(hostile.split()) in text


# -- editor requests stay bounded on a large repository --------------------------------------------

# 10,000 persons; 200 teams that each name person:p00000 50 times (210 files: the first load forks
# checking processes while the protocol's reader waits for the next message)
PERSONS, GROUPS, SHARED = 10_000, 200, 50


def large_repository(root: Path) -> Path:
    (root / "governance/people").mkdir(parents=True)
    (root / "governance/teams").mkdir(parents=True)
    (root / ".govlint.yaml").write_text('include: ["governance/**/*.yaml"]\n', encoding="utf-8")
    for part in range(PERSONS // 1000):
        docs = [
            f"apiVersion: govlint/v1\nkind: Person\nmetadata: {{id: p{n:05d}, name: Person {n}}}\n"
            f"spec: {{email: p{n}@example.org}}\n"
            for n in range(part * 1000, part * 1000 + 1000)
        ]
        (root / f"governance/people/part-{part}.yaml").write_text("---\n".join(docs), encoding="utf-8")
    members = ", ".join(["person:p00000"] * SHARED)
    for n in range(GROUPS):
        (root / f"governance/teams/team-{n:03d}.yaml").write_text(
            f"apiVersion: govlint/v1\nkind: Team\nmetadata: {{id: t{n:03d}}}\n"
            f"spec:\n  lead: person:p{n + 1:05d}\n  members: [{members}]\n",
            encoding="utf-8",
        )
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    return root


def test_references_and_code_actions_answer_at_ten_thousand_sites(tmp_path: Path) -> None:
    root = large_repository(tmp_path / "large")
    typos = [f"person:q{n:05d}" for n in range(200)]  # each one character off person:pNNNNN
    text = "apiVersion: govlint/v1\nkind: Team\nmetadata: {id: typos}\nspec:\n  members:\n"
    text += "".join(f"    - {typo}\n" for typo in typos)
    lsp = LspClient(root)
    try:
        lsp.initialize(root)
        uri = lsp.open(root / "governance/teams/typos.yaml", text, wait=False)
        found = [d for d in lsp.diagnostics(uri, 1, timeout=300) if d["code"] == "GOV005"]
        assert len(found) == len(typos)
        # every site of person:p00000 (the timeout only guards against a hang: this took 51 s once)
        team = (root / "governance/teams/team-000.yaml").as_uri()
        sites = lsp.request(
            "textDocument/references",
            {
                "textDocument": {"uri": team},
                "position": {"line": 5, "character": 14},
                "context": {"includeDeclaration": True},
            },
            timeout=30,
        )
        assert len(sites) == GROUPS * SHARED + 1
        assert sites[0]["uri"].endswith("people/part-0.yaml") and sites[0]["range"]["start"]["line"] == 2
        first_line = [s["range"]["start"]["character"] for s in sites if s["uri"] == team]
        assert first_line == [12 + 15 * i for i in range(SHARED)]
        # one request with every diagnostic of the file: each typo gets its fix (this took 73 s once)
        actions = lsp.request(
            "textDocument/codeAction",
            {
                "textDocument": {"uri": uri},
                "range": {
                    "start": {"line": 0, "character": 0},
                    "end": {"line": len(typos) + 5, "character": 0},
                },
                "context": {"diagnostics": found},
            },
            timeout=30,
        )
        fixes = sorted(a["title"] for a in actions if a.get("isPreferred"))
        assert fixes == sorted(f"Replace {typo} with person:p{typo[8:]}" for typo in typos)
        assert sum("Suppress GOV005" in a["title"] for a in actions) == len(typos)
    finally:
        assert lsp.close() == 0
