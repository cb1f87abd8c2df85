"""The speed benchmark of SPEC §8: govlint against check-jsonschema and the libyaml floor.

    pip install check-jsonschema          # the comparison, not a govlint dependency
    python benchmarks/run.py --files 2000 10000 --repeat 3

For each size it generates a clean repository (``benchmarks/generate.py``),
asserts that ``govlint check`` finds nothing in it, then measures, interleaved
and repeated (medians reported):

- floor: libyaml (``yaml.compose_all`` with ``CSafeLoader``) composing the
  process files in one process, on one core;
- check-jsonschema: ``check-jsonschema --schemafile schemas/process.json``
  over the process files (batched like xargs when the command line is too long);
- cold: ``govlint check`` with an empty cache folder (all rules, all cores);
- warm: ``govlint check`` again, nothing changed;
- one file: one process file edited, ``govlint check <that file>``;
- full check: a second file edited, ``govlint check`` (every file reported);
- new since HEAD: a third file edited, ``govlint check --new-since HEAD``
  (what the pre-commit hook runs: the whole repository, in both states);
- peak memory (largest RSS) of the cold run.

The generated repository is committed in git (the base of ``--new-since``);
each round's edits are committed after it, so every round edits one file.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

PROJECT = Path(__file__).resolve().parent.parent
PROCESS_SCHEMA = PROJECT / "schemas" / "process.json"
GOVLINT = [sys.executable, "-m", "governance_lint"] if shutil.which("govlint") is None else ["govlint"]

FLOOR = """
import sys, time, yaml
paths = open(sys.argv[1], encoding="utf-8").read().split("\\n")
start = time.perf_counter()
for path in paths:
    with open(path, "rb") as stream:
        for _ in yaml.compose_all(stream.read(), Loader=yaml.CSafeLoader):
            pass
print(time.perf_counter() - start)
"""


def timed(command: list[str], env: dict[str, str], cwd: Path, expect: int | None = 0) -> tuple[float, int]:
    """Wall seconds and peak RSS (KB) of one command; its exit code must be ``expect``."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    errors = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if expect is not None and process.returncode != expect:
        raise SystemExit(
            f"{' '.join(command[:4])} … exited {process.returncode}, not {expect}:\n{errors[-2000:]}"
        )
    return elapsed, usage.ru_maxrss


def batches(paths: list[str], budget: int) -> list[list[str]]:
    """Split arguments the way xargs does, so no command line exceeds ``budget`` bytes."""
    out: list[list[str]] = [[]]
    used = 0
    for path in paths:
        size = len(os.fsencode(path)) + 1
        if out[-1] and used + size > budget:
            out.append([])
            used = 0
        out[-1].append(path)
        used += size
    return out


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({model}), Python {platform.python_version()}, {platform.system()}"


def measure(n: int, repeat: int, work: Path, with_cjs: bool) -> dict[str, float]:
    repo = work / f"repo-{n}"
    processes = [str(p.relative_to(repo)) for p in generate(repo, n)]
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "GOVLINT_CACHE_DIR")}
    env["NO_COLOR"] = "1"
    listing = work / f"processes-{n}.txt"
    listing.write_text("\n".join(processes), encoding="utf-8")
    # The repository must be clean, or the numbers compare different work.
    check = subprocess.run(
        [*GOVLINT, "check", "--no-cache", "--format", "json"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if check.returncode != 0 or json.loads(check.stdout)["diagnostics"]:
        raise SystemExit(
            f"generated repository of {n} files is not clean:\n{check.stdout[:2000]}{check.stderr}"
        )

    git_env = {
        **env,
        "GIT_AUTHOR_NAME": "bench",
        "GIT_AUTHOR_EMAIL": "bench@example.org",
        "GIT_COMMITTER_NAME": "bench",
        "GIT_COMMITTER_EMAIL": "bench@example.org",
    }
    for git in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "generated"]):
        subprocess.run(["git", *git], cwd=repo, env=git_env, check=True)
    cjs = shutil.which("check-jsonschema") if with_cjs else None
    budget = min(os.sysconf("SC_ARG_MAX") // 2, 1 << 20) - sum(len(k) + len(v) + 2 for k, v in env.items())
    samples: dict[str, list[float]] = {
        k: [] for k in ("floor", "cjs", "cold", "warm", "one", "full", "new", "rss")
    }
    for round_ in range(repeat):
        floor = subprocess.run(
            [sys.executable, "-c", FLOOR, str(listing)],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        samples["floor"].append(float(floor.stdout))
        if cjs:
            samples["cjs"].append(
                sum(
                    timed([cjs, "--schemafile", str(PROCESS_SCHEMA), *batch], env, repo)[0]
                    for batch in batches(processes, budget)
                )
            )
        cache = Path(tempfile.mkdtemp(prefix="cache-", dir=work))
        run_env = {**env, "GOVLINT_CACHE_DIR": str(cache)}
        seconds, rss = timed([*GOVLINT, "check"], run_env, repo)
        samples["cold"].append(seconds)
        samples["rss"].append(rss / 1024)
        samples["warm"].append(timed([*GOVLINT, "check"], run_env, repo)[0])
        edited = processes[(round_ * 7919) % len(processes)]
        with open(repo / edited, "a", encoding="utf-8") as stream:
            stream.write(f"# edited in round {round_}\n")
        samples["one"].append(timed([*GOVLINT, "check", edited], run_env, repo)[0])
        edited = processes[(round_ * 7919 + 2) % len(processes)]
        with open(repo / edited, "a", encoding="utf-8") as stream:
            stream.write(f"# edited for a full check in round {round_}\n")
        samples["full"].append(timed([*GOVLINT, "check"], run_env, repo)[0])
        edited = processes[(round_ * 7919 + 1) % len(processes)]
        with open(repo / edited, "a", encoding="utf-8") as stream:
            stream.write(f"# edited again in round {round_}\n")
        samples["new"].append(timed([*GOVLINT, "check", "--new-since", "HEAD"], run_env, repo)[0])
        subprocess.run(["git", "commit", "-q", "-am", f"round {round_}"], cwd=repo, env=git_env, check=True)
        shutil.rmtree(cache)
    return {k: statistics.median(v) if v else float("nan") for k, v in samples.items()}


def startup(repeat: int) -> float:
    return statistics.median(
        timed([*GOVLINT, "--version"], dict(os.environ), PROJECT)[0] for _ in range(repeat)
    )


def report(results: dict[int, dict[str, float]], version_seconds: float, repeat: int) -> str:
    lines = [
        f"Machine: {machine()}",
        f"Medians of {repeat} interleaved rounds; `govlint --version`: {version_seconds * 1000:.0f} ms.",
        "",
        (
            "| process files | libyaml floor | check-jsonschema | govlint cold | govlint warm | one changed file "
            "| full check after one edit | `--new-since HEAD` after one edit | peak RSS (cold) | MB per 1,000 files |"
        ),
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, r in results.items():
        lines.append(
            f"| {n:,} | {r['floor']:.2f} s | {r['cjs']:.1f} s | {r['cold']:.2f} s | {r['warm']:.2f} s "
            f"| {r['one']:.2f} s | {r['full']:.2f} s | {r['new']:.2f} s | {r['rss']:.0f} MB "
            f"| {r['rss'] / n * 1000:.0f} |"
        )
    lines += [
        "",
        (
            "| process files | check-jsonschema / cold (≥ 5) | cold / floor (≤ 2) | cold / warm (≥ 5) "
            "| one file (< 1 s) |"
        ),
        "|---:|---:|---:|---:|---:|",
    ]
    for n, r in results.items():

        def verdict(ok: bool) -> str:
            return "✓" if ok else "✗"

        cjs = r["cjs"] / r["cold"]
        lines.append(
            f"| {n:,} | {cjs:.1f}× {verdict(cjs >= 5)} | {r['cold'] / r['floor']:.2f}× {verdict(r['cold'] <= 2 * r['floor'])} "
            f"| {r['cold'] / r['warm']:.1f}× {verdict(r['cold'] >= 5 * r['warm'])} "
            f"| {r['one']:.2f} s {verdict(r['one'] < 1)} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, nargs="+", default=[2000, 10000], help="repository sizes")
    parser.add_argument("--repeat", type=int, default=3, help="rounds per size (medians are reported)")
    parser.add_argument("--workdir", type=Path, help="where repositories are generated [a temporary folder]")
    parser.add_argument("--no-check-jsonschema", action="store_true", help="skip the slow comparison")
    args = parser.parse_args()
    if not args.no_check_jsonschema and shutil.which("check-jsonschema") is None:
        raise SystemExit(
            "check-jsonschema is not installed: pip install check-jsonschema (or pass --no-check-jsonschema)"
        )
    work = args.workdir or Path(tempfile.mkdtemp(prefix="govlint-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        results = {n: measure(n, args.repeat, work, not args.no_check_jsonschema) for n in args.files}
        print(report(results, startup(max(args.repeat, 5)), args.repeat))
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
