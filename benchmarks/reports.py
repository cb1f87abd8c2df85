"""What the reports and the site cost beside ``govlint check`` (SPEC §11: a warm check plus rendering).

    python benchmarks/reports.py --files 2000 --repeat 3

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


if __name__ == "__main__":
    main()
