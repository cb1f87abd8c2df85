"""Where a cold ``govlint check`` spends its CPU: the main process, and the worker processes together.

    python benchmarks/cold_split.py REPOSITORY [--repeat 3]

Each round runs ``govlint check`` in REPOSITORY with an empty cache folder (a
temporary one), in a fresh interpreter, and reports its wall time, the CPU
time of the main process (reading results, the store, the repository rules)
and of its workers (parsing and checking files), and the peak memory of each.
A repository from ``benchmarks/generate.py`` is clean: the run must exit 0.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

RUN = """
import atexit, json, resource, sys, time
started = time.perf_counter()

def report():
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"wall": time.perf_counter() - started, "main": own.ru_utime + own.ru_stime,
                      "workers": workers.ru_utime + workers.ru_stime, "main_rss": own.ru_maxrss / 1024,
                      "worker_rss": workers.ru_maxrss / 1024}), file=sys.stderr)

atexit.register(report)
from governance_lint.cli import main
sys.argv = ["govlint", "check", "--quiet"]
main()
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("repository", type=Path)
    parser.add_argument("--repeat", type=int, default=1, help="rounds (medians are reported)")
    args = parser.parse_args()
    rounds: list[dict[str, float]] = []
    for _ in range(args.repeat):
        cache = tempfile.mkdtemp(prefix="govlint-cold-")
        try:
            env = {**os.environ, "GOVLINT_CACHE_DIR": cache, "NO_COLOR": "1"}
            done = subprocess.run(
                [sys.executable, "-c", RUN], cwd=args.repository, env=env, capture_output=True, text=True
            )
        finally:
            shutil.rmtree(cache, ignore_errors=True)
        if done.returncode != 0:
            raise SystemExit(f"govlint check exited {done.returncode}:\n{done.stderr[-2000:]}")
        rounds.append(json.loads(done.stderr.strip().splitlines()[-1]))
    median = {key: statistics.median(r[key] for r in rounds) for key in rounds[0]}
    print(
        f"wall {median['wall']:.2f} s; CPU: main process {median['main']:.2f} s, workers {median['workers']:.2f} s; "
        f"peak RSS: main process {median['main_rss']:.0f} MB, a worker {median['worker_rss']:.0f} MB "
        f"(medians of {len(rounds)})"
    )


if __name__ == "__main__":
    main()
