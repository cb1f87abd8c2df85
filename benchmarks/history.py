"""``govlint report history`` over a long history: a generated repository, then N commits each editing one
process file, then the report timed (SPEC §13: per-commit work is keyed by blob content).

    python benchmarks/history.py --files 2000 --commits 1000
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

GIT_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.org",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=2000, help="process files in the repository")
    parser.add_argument("--commits", type=int, default=1000, help="commits after the first")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="govlint-history-") as work:
        root = Path(work) / "repo"
        processes = generate(root, args.files)
        for command in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "generated"]):
            subprocess.run(["git", *command], cwd=root, env=GIT_ENV, check=True)
        chosen = random.Random(1)
        for i in range(args.commits):
            path = root / chosen.choice(processes)
            text = path.read_text(encoding="utf-8")
            path.write_text(
                text.replace("  purpose: >-\n", f"  purpose: >-\n    Round {i}.\n", 1), encoding="utf-8"
            )
            subprocess.run(["git", "commit", "-qam", f"round {i}"], cwd=root, env=GIT_ENV, check=True)
        env = {**os.environ, "GOVLINT_CACHE_DIR": str(Path(work) / "cache")}
        started = time.perf_counter()
        done = subprocess.run(
            ["govlint", "report", "history", "--format", "csv"],
            cwd=root,
            env=env,
            capture_output=True,
            check=True,
        )
        seconds = time.perf_counter() - started
        rows = done.stdout.count(b"\n") - 1
        print("| process files | commits | `report history` | rows |\n|---:|---:|---:|---:|")
        print(f"| {args.files:,} | {args.commits + 1:,} | {seconds:.2f} s | {rows:,} |")


if __name__ == "__main__":
    main()
