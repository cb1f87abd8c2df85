"""Per-rule pre-commit hooks against one cache: do they share it or evict each other?

    python benchmarks/per_rule_hooks.py --files 2000 --hooks 8 --rounds 3

Generates a clean repository (``benchmarks/generate.py``) in a temporary
folder, then runs, round after round, what pre-commit runs for a commit that
changed one process file: ``govlint check --select CODE -- FILE`` for the
first ``--hooks`` rules plus the every-rule hook ``govlint check -- FILE``,
each in its own process, all against one cache folder.  Reports each round's
total wall time.  Round 1 is cold; with a cache that per-rule hooks share,
the rounds after it are warm.  Set PYTHONPATH to measure another checkout.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate, process_path

CODES = (
    "GOV001",
    "GOV002",
    "GOV005",
    "GOV101",
    "GOV102",
    "GOV103",
    "GOV201",
    "GOV202",
    "GOV203",
    "GOV301",
    "GOV302",
    "GOV401",
    "GOV402",
    "GOV501",
    "GOV502",
    "GOV601",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=2000, help="process files in the repository")
    parser.add_argument("--hooks", type=int, default=8, help=f"per-rule hooks (at most {len(CODES)})")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "repo"
        generate(root, args.files)
        subprocess.run(["git", "init", "-q"], cwd=root, check=True)
        env = os.environ | {"GOVLINT_CACHE_DIR": str(Path(tmp) / "cache"), "NO_COLOR": "1"}
        env.pop("GITHUB_ACTIONS", None)
        changed = process_path(1)
        hooks = [["--select", code] for code in CODES[: args.hooks]] + [[]]
        for round_ in range(1, args.rounds + 1):
            started = time.perf_counter()
            for hook in hooks:
                subprocess.run(
                    [sys.executable, "-m", "governance_lint", "check", *hook, "--", changed],
                    cwd=root,
                    env=env,
                    capture_output=True,
                    check=False,
                )
            print(f"round {round_}: {len(hooks)} hooks in {time.perf_counter() - started:.2f} s", flush=True)


if __name__ == "__main__":
    main()
