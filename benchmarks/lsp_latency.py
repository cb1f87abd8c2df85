"""How fast ``govlint lsp`` answers typing in a large repository (SPEC §8: within 50 ms, median).

Generates (once) a clean repository of N process files with benchmarks/generate.py, starts the real
server on stdio, opens one process file and types into it as an editor does (incremental
``didChange`` notifications, one character at a time), timing each ``didChange`` until the
``publishDiagnostics`` of that version arrives.  Two kinds of edit are timed apart:

- prose: characters typed into the process's purpose, which change no fact the repository rules
  read (the common keystroke);
- references: the owner's reference retyped, which changes the file's facts, so the repository
  rules check again the entities it can affect;
- a person renamed: a person's id retyped in a people file (and back) while a process naming her is
  open too: timed until the edited buffer's diagnostics, and until the process's references light up
  (or clear) in the other open file.

It also reports the first load (initialize until the opened file's first diagnostics, with an empty
store: the server's cache folder is a temporary one, removed after), the memory the server holds
(VmRSS and its peak VmHWM, from /proc), the server's CPU time per edit (steadier than wall time on a
shared machine) and the load average before and after (the machine's own load slows every edit).

    python benchmarks/lsp_latency.py --files 10000            # data in /tmp/govlint-lsp-bench-10000
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from lsp_client import LspClient  # the tests' client, found above

HERE = Path(__file__).resolve().parent


def memory_mib(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of a process, in MiB."""
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line
    )
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used (steadier than wall time on a shared machine)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def ensure_repository(root: Path, files: int) -> None:
    if not (root / ".govlint.yaml").exists():
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), str(root), "--files", str(files)], check=True
        )


def received(client: LspClient, uri: str, version: int | None = None) -> float:
    """When the last diagnostics of ``uri`` (of ``version``, if given) arrived."""
    return float(
        max(
            n["received"]
            for n in client.notifications
            if n.get("method") == "textDocument/publishDiagnostics"
            and n["params"]["uri"] == uri
            and (version is None or n["params"].get("version") == version)
        )
    )


def timed_edit(client: LspClient, uri: str, start: tuple[int, int], end: tuple[int, int], text: str) -> float:
    """Seconds from sending one didChange to receiving the diagnostics of its version."""
    sent = time.monotonic()
    version = client.edit(uri, start, end, text)
    client.diagnostics(uri, version, timeout=120)
    return received(client, uri, version) - sent


def timed_rename(
    client: LspClient, people: str, at: tuple[int, int], char: str, other: str, dangling: bool
) -> tuple[float, float]:
    """Seconds from retyping one character of a person's id to the people buffer's diagnostics, and to the
    other open file's (whose references to her then dangle, or resolve again)."""
    sent = time.monotonic()
    version = client.edit(people, at, (at[0], at[1] + 1), char)
    client.diagnostics(people, version, timeout=120)
    client.diagnostics(other, until=bool if dangling else (lambda found: not found), timeout=120)
    return received(client, people, version) - sent, received(client, other) - sent


def summary(label: str, seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    p90 = ms[min(len(ms) - 1, int(len(ms) * 0.9))]
    return f"{label}: median {statistics.median(ms):.1f} ms, p90 {p90:.1f} ms, max {ms[-1]:.1f} ms ({len(ms)} edits)"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--files", type=int, default=10_000, help="process files in the generated repository")
    parser.add_argument("--data", type=Path, default=None, help="where the repository is (default: /tmp/...)")
    parser.add_argument("--keystrokes", type=int, default=60, help="characters typed into prose")
    parser.add_argument("--reference-edits", type=int, default=20, help="edits of the owner's reference")
    parser.add_argument("--renames", type=int, default=10, help="edits of a person's id (half of them back)")
    args = parser.parse_args()
    load_before = os.getloadavg()
    root = args.data or Path(f"/tmp/govlint-lsp-bench-{args.files}")
    ensure_repository(root, args.files)
    path = root / "governance/processes/area-000/process-00005.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    prose = next(i for i, line in enumerate(lines) if line.rstrip().endswith("continually."))
    owner = next(i for i, line in enumerate(lines) if line.startswith("  owner: person:"))

    # the server's store in a folder of its own, emptied after: every run's first load is cold, and
    # nothing is left in the user's cache folder
    cache = tempfile.TemporaryDirectory(prefix="govlint-lsp-bench-cache-")
    os.environ["GOVLINT_CACHE_DIR"] = cache.name
    client = LspClient(root)
    started = time.monotonic()
    client.initialize(root)
    uri = client.open(path, wait=False)
    client.diagnostics(uri, 1, timeout=900)
    first_load = time.monotonic() - started

    typed = " The owner reviews the targets every quarter with the managers."[: args.keystrokes]
    column = len(lines[prose])
    pid = client.process.pid
    prose_times = []
    cpu = cpu_seconds(pid)
    for offset, char in enumerate(typed):
        prose_times.append(timed_edit(client, uri, (prose, column + offset), (prose, column + offset), char))
    prose_cpu = (cpu_seconds(pid) - cpu) / len(typed)

    reference_times = []
    end = len(lines[owner])
    cpu = cpu_seconds(pid)
    for i in range(args.reference_edits):
        digit = str(i % 10)  # person-0214<d>: most exist, so the finding comes and goes
        reference_times.append(timed_edit(client, uri, (owner, end - 1), (owner, end), digit))
    reference_cpu = (cpu_seconds(pid) - cpu) / args.reference_edits

    # A reference typed at speed into the escalation path (no waiting between keystrokes; each one
    # changes the file's facts): when does the last one's answer come, and how often was it published
    # (edits queued behind a slow one are taken together)?
    burst = ", person:person-00432"
    line = next(i for i, text in enumerate(lines) if text.startswith("  escalation: ["))
    column = lines[line].index("]")
    before = len(client.published(uri))
    sent = time.monotonic()
    for offset, char in enumerate(burst):
        version = client.edit(uri, (line, column + offset), (line, column + offset), char)
    client.diagnostics(uri, version, timeout=300)
    burst_seconds = time.monotonic() - sent
    burst_publishes = len(client.published(uri)) - before

    # A person renamed in a people file while a process naming her is open: the edited buffer's answer
    # first, the other file's after it.
    people = root / "governance/people/people-000.yaml"
    person_line = people.read_text(encoding="utf-8").splitlines().index("  id: person-00000")
    named = next(
        p
        for p in sorted(root.glob("governance/processes/*/*.yaml"))
        if "person:person-00000\n" in p.read_text()
    )
    people_uri, named_uri = client.open(people, wait=False), client.open(named, wait=False)
    client.diagnostics(people_uri, 1, timeout=120)
    client.diagnostics(named_uri, 1, timeout=120)
    rename_times: list[float] = []
    lit_times: list[float] = []
    cpu = cpu_seconds(pid)
    for i in range(args.renames):
        dangling = i % 2 == 0  # person-0000x names nobody; person-00000 again
        own, other = timed_rename(
            client, people_uri, (person_line, 17), "x" if dangling else "0", named_uri, dangling
        )
        rename_times.append(own)
        lit_times.append(other)
    rename_cpu = (cpu_seconds(pid) - cpu) / max(1, args.renames)

    rss, peak = memory_mib(client.process.pid)
    client.close()
    cache.cleanup()
    files = sum(1 for _ in root.rglob("*.yaml"))
    load_after = os.getloadavg()
    print(
        f"repository: {root} ({files} YAML files) on {os.cpu_count()} cores; load average "
        + " ".join(f"{x:.2f}" for x in load_before)
        + " before, "
        + " ".join(f"{x:.2f}" for x in load_after)
        + " after"
    )
    print(f"first load (initialize to the opened file's diagnostics): {first_load:.1f} s")
    print(
        summary("typing prose (no fact changes)", prose_times)
        + f"; server CPU {prose_cpu * 1000:.1f} ms/edit"
    )
    print(
        summary("editing a reference (facts change, repository rules rerun)", reference_times)
        + f"; server CPU {reference_cpu * 1000:.1f} ms/edit"
    )
    print(summary("all edits", prose_times + reference_times))
    print(
        summary("renaming a person (the edited people file)", rename_times)
        + f"; server CPU {rename_cpu * 1000:.1f} ms/edit"
    )
    print(summary(f"renaming a person (the open {named.name} naming her)", lit_times))
    print(
        f"typing a reference ({len(burst)} characters) without waiting: last answer after "
        f"{burst_seconds * 1000:.0f} ms, {burst_publishes} publications"
    )
    print(f"server memory: {rss:.0f} MiB resident, {peak:.0f} MiB peak")


if __name__ == "__main__":
    main()
