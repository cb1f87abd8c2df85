"""Measure govlint on every hostile input: the finding it gives, wall time and peak memory.

    python scripts/measure_hostile.py            # prints a markdown table
    python scripts/measure_hostile.py --write    # and puts it into docs/robustness.md

Each hazard (tests/hostile_cases.py, the same ones the test suite asserts) is
built in a scratch folder and checked by the installed ``govlint`` in a
subprocess capped at 1.5 GiB of address space.  Time is the wall time of
that subprocess, start-up included (the best of ``--repeat`` runs); memory is
its own peak resident set, from ``os.wait4``.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from hostile_cases import CONFIG, HAZARDS, Hazard, Run, remove_tree, run_govlint  # noqa: E402

DOC = ROOT / "docs" / "robustness.md"
BEGIN, END = "<!-- measure_hostile: begin -->", "<!-- measure_hostile: end -->"


def measure(hazard: Hazard, repeat: int) -> tuple[Run, list[dict[str, object]]]:
    best: Run | None = None
    diagnostics: list[dict[str, object]] = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix="govlint-hostile-") as scratch:
            root = Path(scratch) / "repo"
            root.mkdir()
            (root / ".govlint.yaml").write_text(CONFIG, encoding="utf-8")
            expected = hazard.build(root)
            try:
                run = run_govlint([*hazard.args, "--", *expected.paths], root, timeout=60)
            finally:
                remove_tree(root)  # TemporaryDirectory's clean-up recurses once per folder level
        diagnostics = json.loads(run.stdout)["diagnostics"] if run.stdout.startswith("{") else []
        if best is None or run.seconds < best.seconds:
            best = run
    assert best is not None
    return best, diagnostics


def finding(run: Run, diagnostics: list[dict[str, object]]) -> str:
    """The hazard's own finding (the first GOV001, else the first), and how many there were; or the
    one-line error of a run that stopped."""
    if run.exit_code == 2 and run.stderr:
        return "error: " + _cell(run.stderr.strip().removeprefix("govlint: error: "))
    if not diagnostics:
        return "none (clean)"
    first = next((d for d in diagnostics if d["code"] == "GOV001"), diagnostics[0])
    message = _cell(str(first["message"]))
    more = f" (+{len(diagnostics) - 1:,} more)" if len(diagnostics) > 1 else ""
    return f"`{first['code']}` {first['line']}:{first['column']} {message}{more}"


def _cell(text: str) -> str:
    text = text.replace("|", "\\|")
    return text[:89] + "…" if len(text) > 90 else text


def table(repeat: int) -> str:
    rows = ["| hazard | govlint's finding | exit | time (s) | peak RSS (MiB) |", "|---|---|---|---|---|"]
    for hazard in HAZARDS:
        run, diagnostics = measure(hazard, repeat)
        rows.append(
            f"| {hazard.name} | {finding(run, diagnostics)} | {run.exit_code} | {run.seconds:.2f} "
            f"| {run.peak_rss_kib / 1024:.0f} |"
        )
        print(rows[-1], file=sys.stderr)
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per hazard; the fastest is shown")
    parser.add_argument("--write", action="store_true", help=f"replace the table in {DOC.relative_to(ROOT)}")
    args = parser.parse_args()
    machine = f"Python {platform.python_version()}, {platform.system()} {platform.machine()}"
    result = f"{table(args.repeat)}\n\nMeasured with {machine}, best of {args.repeat} runs."
    print(result)
    if args.write:
        text = DOC.read_text(encoding="utf-8")
        head, rest = text.split(BEGIN, 1)
        DOC.write_text(f"{head}{BEGIN}\n{result}\n{END}{rest.split(END, 1)[1]}", encoding="utf-8")


if __name__ == "__main__":
    main()
