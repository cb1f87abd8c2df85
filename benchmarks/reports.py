"""What the reports and the site cost beside ``govlint check`` (SPEC §11: a warm check plus rendering).

    python benchmarks/reports.py --files 2000 --repeat 3
    python benchmarks/reports.py --files 2000 --big-files --repeat 3

Generates a clean repository (``benchmarks/generate.py``), fills the cache with
one cold ``govlint check``, then measures, interleaved and repeated (medians):

- first report: ``govlint report summary`` once, right after the cold check (it parses every file
  and fills the reports' document cache, ``views.json`` beside check's cache);
- warm check: ``govlint check`` with nothing changed;
- report summary: ``govlint report summary`` (every report and the findings, one page);
- site: ``govlint site OUT`` (every page, and the map drawn by Graphviz ``dot`` when installed);
- site without dot: the same with ``dot`` off the PATH (rendering the pages alone).

check's cache keeps facts, not documents: the first report after files change
parses them again, in one process; later reports read the document cache.

``--big-files`` adds two repositories of one large file each (SPEC §9: no view
is quadratic), timing ``govlint site`` there with its peak memory:

- a hub: one process file of 800 interfaces (an edge each), beside 800 generated processes;
- a long process: one file of 4,000 activities, each naming its own person (a 4,000 x 4,000
  RACI matrix, which the site writes sparse), beside 50 generated processes.

Processor time (govlint's and dot's) is printed beside the wall-clock time: a busy machine
stretches the one, not the other.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

GOVLINT = shutil.which("govlint") or "govlint"


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {done.returncode}: {done.stderr}")
    return elapsed


def hub_yaml(partners: int) -> str:
    """One process with an interface (one artifact sent) to each of the first ``partners`` processes."""
    lines = [
        "apiVersion: govlint/v1",
        "kind: Process",
        "metadata: {id: hub, name: Hub}",
        "spec:",
        "  purpose: Hand work to every other process.",
        "  owner: person:person-00000",
        "  interfaces:",
    ]
    lines += [f"    - {{process: process:process-{i:05d}, sends: [h{i}]}}" for i in range(partners)]
    return "\n".join(lines) + "\n"


def long_process_yaml(activities: int, people: int) -> str:
    """One process of ``activities`` activities, each with its own responsible person (defined in
    ``people-big.yaml``, see ``people_yaml``)."""
    lines = [
        "apiVersion: govlint/v1",
        "kind: Process",
        "metadata: {id: long-process, name: Long Process}",
        "spec:",
        "  purpose: Do very many things.",
        "  owner: person:person-00000",
        "  activities:",
    ]
    lines += [
        f"    - {{id: s{i}, raci: {{responsible: person:big-{i % people}, accountable: person:person-00000}}}}"
        for i in range(activities)
    ]
    return "\n".join(lines) + "\n"


def big_people_yaml(people: int) -> str:
    return "".join(
        f"---\napiVersion: govlint/v1\nkind: Person\nmetadata: {{id: big-{i}, name: Big {i}}}\n"
        f"spec: {{email: big-{i}@example.org}}\n"
        for i in range(people)
    )


def peak_site(repo: Path, out: Path, env: dict[str, str]) -> tuple[float, float, float]:
    """``govlint site`` once: seconds, processor seconds (govlint and dot, which a busy machine does not
    inflate), and the peak resident memory of govlint and dot, in MB."""
    start = time.perf_counter()
    child = subprocess.Popen(
        [GOVLINT, "site", str(out)], cwd=repo, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(
            f"govlint site exited {child.returncode}: {child.stderr.read().decode() if child.stderr else ''}"
        )
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def measure_big(repeat: int, work: Path) -> dict[str, tuple[float, float, float, int]]:
    """Site seconds and processor seconds (medians), peak MB, and the size of the one big file, for the hub
    and the long process."""
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    env["GOVLINT_CACHE_DIR"] = str(work / "cache-big")
    cases = {
        "800-interface hub": (800, "governance/hub.yaml", hub_yaml(800), None),
        "4,000-activity process": (
            50,
            "governance/long-process.yaml",
            long_process_yaml(4000, 4000),
            big_people_yaml(4000),
        ),
    }
    found: dict[str, tuple[float, float, float, int]] = {}
    for name, (files, path, text, people) in cases.items():
        repo = work / f"big-{files}"
        generate(repo, files)
        (repo / path).write_text(text, encoding="utf-8")
        if people is not None:
            (repo / "governance" / "people-big.yaml").write_text(people, encoding="utf-8")
        timed([GOVLINT, "report", "summary"], repo, env)  # fills the caches, as a warm run finds them
        runs = [peak_site(repo, work / f"big-site-{files}-{n}", env) for n in range(repeat)]
        found[name] = (
            statistics.median(r[0] for r in runs),
            statistics.median(r[1] for r in runs),
            max(r[2] for r in runs),
            len(text.encode("utf-8")),
        )
    return found


def without_dot(env: dict[str, str], work: Path) -> dict[str, str]:
    """The environment with a PATH that has git and nothing else (so ``dot`` is missing)."""
    tools = work / "bin"
    tools.mkdir(exist_ok=True)
    git = shutil.which("git")
    if git and not (tools / "git").exists():
        (tools / "git").symlink_to(git)
    return {**env, "PATH": str(tools)}


def measure(files: int, repeat: int, work: Path) -> dict[str, float]:
    repo = work / f"repo-{files}"
    generate(repo, files)
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    env["GOVLINT_CACHE_DIR"] = str(work / "cache")
    bare = without_dot(env, work)
    timed([GOVLINT, "check"], repo, env)  # cold: fills check's cache
    first = timed([GOVLINT, "report", "summary"], repo, env)
    runs: dict[str, list[float]] = {
        "first report": [first],
        "warm check": [],
        "report summary": [],
        "site": [],
        "site without dot": [],
    }
    for n in range(repeat):
        runs["warm check"].append(timed([GOVLINT, "check"], repo, env))
        runs["report summary"].append(timed([GOVLINT, "report", "summary"], repo, env))
        runs["site"].append(timed([GOVLINT, "site", str(work / f"site-{n}")], repo, env))
        runs["site without dot"].append(timed([GOVLINT, "site", str(work / f"bare-{n}")], repo, bare))
    return {name: statistics.median(values) for name, values in runs.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, nargs="+", default=[2000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--big-files", action="store_true", help="also time the site on two large files")
    args = parser.parse_args()
    columns = ["first report", "warm check", "report summary", "site", "site without dot"]
    print(f"| process files | {' | '.join(columns)} |")
    print("|---:|" + "---:|" * len(columns))
    with tempfile.TemporaryDirectory(prefix="govlint-reports-") as folder:
        for files in args.files:
            result = measure(files, args.repeat, Path(folder))
            print(
                f"| {files:,} | " + " | ".join(f"{seconds:.2f} s" for seconds in result.values()) + " |",
                flush=True,
            )
        if args.big_files:
            print("\n| one large file | its size | site | processor time | peak memory |")
            print("|---|---:|---:|---:|---:|")
            for name, (seconds, cpu, megabytes, size) in measure_big(args.repeat, Path(folder)).items():
                print(
                    f"| {name} | {size / 1024:.0f} KB | {seconds:.2f} s | {cpu:.2f} s | {megabytes:.0f} MB |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
