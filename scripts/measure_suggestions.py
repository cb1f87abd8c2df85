"""Measure what did-you-mean and held-back references cost on a large generated repository.

    python scripts/measure_suggestions.py [--repeat 3]

Writes 5,000 Persons in 50 files and 2,000 processes whose escalation paths
hold 4,000 references that name nothing (``person:persn-N``, close to an id,
and ``team:team-N``, close to none) into a scratch git repository, then times
the installed ``govlint check --no-cache --select GOV001,GOV005 -q`` there:
as generated, and with a tab breaking the first people file (its references
are then held back).  Prints the best wall time of each and the summary line.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PEOPLE_FILES, PER_FILE, PROCESSES = 50, 100, 2000


def write_repository(root: Path) -> None:
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / "people").mkdir()
    (root / "processes").mkdir()
    people = PEOPLE_FILES * PER_FILE
    for f in range(PEOPLE_FILES):
        docs = [
            f"apiVersion: govlint/v1\nkind: Person\nmetadata: {{id: person-{i}}}\nspec: {{email: p{i}@x.org}}\n"
            for i in range(f * PER_FILE, (f + 1) * PER_FILE)
        ]
        (root / "people" / f"p{f}.yaml").write_text("---\n".join(docs), encoding="utf-8")
    for p in range(PROCESSES):
        refs = [f"person:person-{(p * 7 + k) % people}" for k in range(8)]
        steps = ", ".join([*refs[1:], f"person:persn-{p}", f"team:team-{p}", refs[0]])
        (root / "processes" / f"proc{p}.yaml").write_text(
            f"apiVersion: govlint/v1\nkind: Process\nmetadata: {{id: proc-{p}, lastReviewed: 2026-10-01}}\n"
            f"spec:\n  purpose: x\n  owner: {refs[0]}\n  escalation: [{steps}]\n",
            encoding="utf-8",
        )


def best_run(root: Path, repeat: int) -> tuple[float, str]:
    exe = Path(sys.executable).with_name("govlint")
    command = [
        str(exe) if exe.exists() else "govlint",
        "check",
        "--no-cache",
        "--select",
        "GOV001,GOV005",
        "-q",
    ]
    times, last = [], ""
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - start)
        last = done.stdout.splitlines()[-1] if done.stdout else done.stderr
    return min(times), last


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="govlint-suggestions-") as tmp:
        root = Path(tmp)
        write_repository(root)
        seconds, summary = best_run(root, args.repeat)
        print(f"as generated:      {seconds:.2f} s  {summary}")
        first = root / "people" / "p0.yaml"
        first.write_text(
            first.read_text(encoding="utf-8").replace("\nkind:", "\n\tkind:", 1), encoding="utf-8"
        )
        seconds, summary = best_run(root, args.repeat)
        print(f"one file broken:   {seconds:.2f} s  {summary}")


if __name__ == "__main__":
    main()
