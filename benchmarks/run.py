"""The speed benchmark of SPEC §8: govlint against check-jsonschema and the libyaml floor.

    pip install check-jsonschema          # the comparison, not a govlint dependency
    python benchmarks/run.py --files 2000 10000 50000 --repeat 3 --check-jsonschema-up-to 10000
    python benchmarks/run.py --files 2000 50000 --repeat 1 --no-check-jsonschema   # the 50,000 row, quickly

For each size it generates a clean repository (``benchmarks/generate.py``),
asserts that ``govlint check`` finds nothing in it, then measures, interleaved
and repeated (medians reported):

- floor: libyaml (``yaml.compose_all`` with ``CSafeLoader``) composing the
  process files in one process, on one core (wall and CPU time);
- check-jsonschema: ``check-jsonschema --schemafile schemas/process.json``
  over the process files (batched like xargs when the command line is too long);
- cold: ``govlint check`` with an empty cache folder (all rules, all cores), wall time and the CPU
  time of govlint and its workers: on a shared, loaded machine the CPU ratio to the floor is the
  steadier figure;
- warm: ``govlint check`` again, nothing changed (and its peak memory);
- one changed file: one process file edited (a line added above its references,
  so its facts move), then ``govlint check`` of the whole repository with every
  repository rule applied, as a pre-commit hook runs it;
- ``govlint check <that file>`` after the same kind of edit;
- ``govlint check --new-since HEAD`` after the same kind of edit (the whole repository in both states;
  the generated repository is committed in git, and each round's edits after it);
- ``govlint check --staged`` after the same kind of edit, staged (the pre-commit hook's run);
- ``govlint report raci`` after the same kind of edit: a face reading the model, beside the warm run
  (SPEC §8: a report after one edit costs a warm check plus rendering);
- peak memory (largest RSS) of the cold run;
- where the one-changed-file run spends its time: start-up (``govlint
  --version``), discovery, the ``lstat`` of every file, reading the stored
  state, the update (reloading the file, comparing facts, writing the store)
  and the repository rules, measured in one process.

Generated data goes to a temporary folder (``--workdir`` to choose one); the
machine may be shared and noisy, so medians of interleaved rounds are reported.
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
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

PROJECT = Path(__file__).resolve().parent.parent
PROCESS_SCHEMA = PROJECT / "schemas" / "process.json"
GOVLINT = [sys.executable, "-m", "governance_lint"] if shutil.which("govlint") is None else ["govlint"]

FLOOR = """
import sys, time, yaml
paths = open(sys.argv[1], encoding="utf-8").read().split("\\n")
start, cpu = time.perf_counter(), time.process_time()
for path in paths:
    with open(path, "rb") as stream:
        for _ in yaml.compose_all(stream.read(), Loader=yaml.CSafeLoader):
            pass
print(time.perf_counter() - start, time.process_time() - cpu)
"""


class Timing(NamedTuple):
    wall: float  # seconds
    rss: int  # peak resident set size, KB
    cpu: float  # user and system seconds of the command and the processes it waited for (its workers)


def timed(
    command: list[str], env: dict[str, str], cwd: Path, expect: int | None = 0, output: Path | None = None
) -> Timing:
    """Wall and CPU seconds and peak RSS of one command (its standard output to ``output``, if given); its
    exit code must be ``expect``."""
    start = time.perf_counter()
    sink = open(output, "wb") if output is not None else subprocess.DEVNULL  # noqa: SIM115 - closed below
    # stderr to a file, not a pipe: a run with many errors would fill the pipe and wait forever
    errors_file = tempfile.TemporaryFile()  # noqa: SIM115 - closed below
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=sink, stderr=errors_file)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if output is not None:
        sink.close()  # type: ignore[union-attr]
    errors_file.seek(0)
    errors = errors_file.read().decode(errors="replace")
    errors_file.close()
    if expect is not None and process.returncode != expect:
        raise SystemExit(
            f"{' '.join(command[:4])} … exited {process.returncode}, not {expect}:\n{errors[-2000:]}"
        )
    return Timing(elapsed, usage.ru_maxrss, usage.ru_utime + usage.ru_stime)


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


SPLIT = """
import json, sys, time
from pathlib import Path
started = time.perf_counter()
from governance_lint.discovery import discover
from governance_lint.engine import Selection, make_plan
from governance_lint.repository import Repository
from governance_lint.workspace import build_registry, resolve_config
imported = time.perf_counter()
config = resolve_config(None, Path.cwd())
plan = make_plan(build_registry(config), config, Selection(), config.today)
planned = time.perf_counter()
files = discover(config, (), config.root)
found = time.perf_counter()
repo = Repository.build_from_worktree(config, plan, files)
built = time.perf_counter()
result = repo.result(files.reported)
done = time.perf_counter()
repo.close()  # the store is written in one transaction as the run ends
saved = time.perf_counter()
print(json.dumps({"import": imported - started, "config": planned - imported, "discover": found - planned,
                  **repo.stats.seconds, "model": built - found, "report": done - built, "save": saved - done,
                  "subjects": repo.stats.subjects}))
"""


def edit(repo: Path, rel: str, round_: int) -> None:
    """A material edit: one more line in the purpose, so every reference below it moves."""
    path = repo / rel
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("  purpose: >-\n", f"  purpose: >-\n    Edited in round {round_}.\n", 1),
        encoding="utf-8",
    )


def measure(n: int, repeat: int, work: Path, with_cjs: bool) -> dict[str, float]:
    repo = work / f"repo-{n}"
    processes = [str(p.relative_to(repo)) for p in generate(repo, n)]
    # An installed govlint has its modules compiled; a development shell that forbids writing bytecode
    # would make every run compile them again (about 0.1 s), which no user pays.
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("GITHUB_ACTIONS", "GOVLINT_CACHE_DIR", "PYTHONDONTWRITEBYTECODE")
    }
    env["NO_COLOR"] = "1"
    listing = work / f"processes-{n}.txt"
    listing.write_text("\n".join(processes), encoding="utf-8")

    git_env = {
        **env,
        "GIT_AUTHOR_NAME": "bench",
        "GIT_AUTHOR_EMAIL": "bench@example.org",
        "GIT_COMMITTER_NAME": "bench",
        "GIT_COMMITTER_EMAIL": "bench@example.org",
    }
    for git in (["init", "-q"], ["add", "-A"], ["commit", "-q", "--allow-empty", "-m", "generated"]):
        subprocess.run(["git", *git], cwd=repo, env=git_env, check=True)
    cjs = shutil.which("check-jsonschema") if with_cjs else None
    budget = min(os.sysconf("SC_ARG_MAX") // 2, 1 << 20) - sum(len(k) + len(v) + 2 for k, v in env.items())
    keys = (
        "floor",
        "floor_cpu",
        "cjs",
        "cold",
        "cold_cpu",
        "warm",
        "one",
        "file",
        "new",
        "staged",
        "raci",
        "rss",
        "warm_rss",
        "one_rss",
    )
    samples: dict[str, list[float]] = {k: [] for k in keys}
    split: dict[str, list[float]] = {}
    for round_ in range(repeat):
        floor = subprocess.run(
            [sys.executable, "-c", FLOOR, str(listing)],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        wall, cpu = map(float, floor.stdout.split())
        samples["floor"].append(wall)
        samples["floor_cpu"].append(cpu)
        if cjs:
            samples["cjs"].append(
                sum(
                    timed([cjs, "--schemafile", str(PROCESS_SCHEMA), *batch], env, repo)[0]
                    for batch in batches(processes, budget)
                )
            )
        cache = Path(tempfile.mkdtemp(prefix="cache-", dir=work))
        run_env = {**env, "GOVLINT_CACHE_DIR": str(cache)}
        report = work / f"cold-{n}.json"
        seconds, rss, cpu = timed([*GOVLINT, "check", "--format", "json"], run_env, repo, output=report)
        # The repository must be clean, or the numbers compare different work.
        if json.loads(report.read_text(encoding="utf-8"))["diagnostics"]:
            raise SystemExit(f"generated repository of {n} files is not clean: see {report}")
        samples["cold"].append(seconds)
        samples["cold_cpu"].append(cpu)
        samples["rss"].append(rss / 1024)
        timed([*GOVLINT, "check"], run_env, repo)  # files read within the racy window are hashed once more
        seconds, rss, _ = timed([*GOVLINT, "check"], run_env, repo)
        samples["warm"].append(seconds)
        samples["warm_rss"].append(rss / 1024)
        edited = processes[(round_ * 7919) % len(processes)]
        edit(repo, edited, round_)
        seconds, rss, _ = timed([*GOVLINT, "check"], run_env, repo)
        samples["one"].append(seconds)
        samples["one_rss"].append(rss / 1024)
        edit(repo, edited, round_ + 100)
        samples["file"].append(timed([*GOVLINT, "check", edited], run_env, repo)[0])
        edit(repo, edited, round_ + 300)
        samples["new"].append(timed([*GOVLINT, "check", "--new-since", "HEAD"], run_env, repo)[0])
        edit(repo, edited, round_ + 400)
        subprocess.run(["git", "add", edited], cwd=repo, env=git_env, check=True)
        samples["staged"].append(timed([*GOVLINT, "check", "--staged"], run_env, repo)[0])
        edit(repo, edited, round_ + 500)
        raci = [*GOVLINT, "report", "raci", "--format", "json"]
        timed(raci, run_env, repo)  # the first report of a store keeps every file's document data
        edit(repo, edited, round_ + 600)
        samples["raci"].append(timed(raci, run_env, repo)[0])
        edit(repo, edited, round_ + 200)
        phases = subprocess.run(
            [sys.executable, "-c", SPLIT], cwd=repo, env=run_env, capture_output=True, text=True, check=True
        )
        for phase, value in json.loads(phases.stdout).items():
            split.setdefault(phase, []).append(value)
        subprocess.run(
            ["git", "commit", "-q", "--allow-empty", "-am", f"round {round_}"],
            cwd=repo,
            env=git_env,
            check=True,
        )
        shutil.rmtree(cache)
    return {
        **{k: statistics.median(v) if v else float("nan") for k, v in samples.items()},
        **{f"split_{k}": statistics.median(v) for k, v in split.items()},
    }


def startup(repeat: int) -> float:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return statistics.median(timed([*GOVLINT, "--version"], env, PROJECT)[0] for _ in range(repeat))


def report(results: dict[int, dict[str, float]], version_seconds: float, repeat: int) -> str:
    lines = [
        f"Machine: {machine()}",
        f"Medians of {repeat} interleaved rounds; `govlint --version`: {version_seconds * 1000:.0f} ms.",
        "",
        (
            "| process files | libyaml floor | check-jsonschema | govlint cold (CPU) | warm | one changed file "
            "| `check FILE` | `--new-since HEAD` | `--staged` | `report raci` after one edit "
            "| peak RSS cold | peak RSS warm | peak RSS one file |"
        ),
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, r in results.items():
        cjs_cell = f"{r['cjs']:.1f} s" if r["cjs"] == r["cjs"] else "not run"
        lines.append(
            f"| {n:,} | {r['floor']:.2f} s | {cjs_cell} | {r['cold']:.2f} s ({r['cold_cpu']:.1f} s) "
            f"| {r['warm']:.2f} s "
            f"| {r['one']:.2f} s | {r['file']:.2f} s | {r['new']:.2f} s | {r['staged']:.2f} s "
            f"| {r['raci']:.2f} s ({r['raci'] / r['warm']:.1f}× warm) | {r['rss']:.0f} MB "
            f"| {r['warm_rss']:.0f} MB "
            f"| {r['one_rss']:.0f} MB |"
        )

    def verdict(ok: bool) -> str:
        return "✓" if ok else "✗"

    smallest = results[min(results)]
    lines += [
        "",
        (
            "| process files | check-jsonschema / cold (≥ 5) | cold / floor (≤ 1.5 at 10k) | CPU: cold / floor "
            "| cold peak RSS (< 1 GB at 50k) | cold / warm (≥ 5) "
            f"| one changed file (< 0.5 s at 10k, < 1 s at 50k; ≤ 3× the {min(results):,} row) "
            f"| warm (< 1 s at 50k; ≤ 3× the {min(results):,} row) | warm RSS (< 300 MB) |"
        ),
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, r in results.items():
        cjs = r["cjs"] / r["cold"]
        cjs_cell = f"{cjs:.1f}× {verdict(cjs >= 5)}" if cjs == cjs else "not run"
        one_limit = 0.5 if n <= 10_000 else 1.0
        one_ratio, warm_ratio = r["one"] / smallest["one"], r["warm"] / smallest["warm"]
        lines.append(
            f"| {n:,} | {cjs_cell} | {r['cold'] / r['floor']:.2f}× {verdict(r['cold'] <= 1.5 * r['floor'])} "
            f"| {r['cold_cpu'] / r['floor_cpu']:.2f}× | {r['rss']:.0f} MB {verdict(r['rss'] < 1024)} "
            f"| {r['cold'] / r['warm']:.1f}× {verdict(r['cold'] >= 5 * r['warm'])} "
            f"| {r['one']:.2f} s, {one_ratio:.1f}× {verdict(r['one'] < one_limit and one_ratio <= 3)} "
            f"| {r['warm']:.2f} s, {warm_ratio:.1f}× {verdict(r['warm'] < 1 and warm_ratio <= 3)} "
            f"| {r['warm_rss']:.0f} MB {verdict(r['warm_rss'] < 300)} |"
        )
    phases = ("import", "config", "discover", "state", "lstat", "update", "rules", "report", "save")
    lines += [
        "",
        "Where one changed file's run goes (one process, seconds; start-up is `govlint --version`):",
        "",
        "| process files | start-up | imports | config and rules | discovery | stored state | lstat "
        "| update | repository rules | report | store write | entities checked again |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, r in results.items():
        cells = " | ".join(f"{r.get('split_' + p, float('nan')):.3f}" for p in phases)
        lines.append(f"| {n:,} | {version_seconds:.3f} | {cells} | {r.get('split_subjects', 0):.0f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, nargs="+", default=[2000, 10000], help="repository sizes")
    parser.add_argument("--repeat", type=int, default=3, help="rounds per size (medians are reported)")
    parser.add_argument("--workdir", type=Path, help="where repositories are generated [a temporary folder]")
    parser.add_argument("--no-check-jsonschema", action="store_true", help="skip the slow comparison")
    parser.add_argument(
        "--check-jsonschema-up-to",
        type=int,
        default=None,
        metavar="N",
        help="run check-jsonschema only on repositories of at most N files (it takes about "
        "18 ms per file: 15 minutes at 50,000)",
    )
    args = parser.parse_args()
    if not args.no_check_jsonschema and shutil.which("check-jsonschema") is None:
        raise SystemExit(
            "check-jsonschema is not installed: pip install check-jsonschema (or pass --no-check-jsonschema)"
        )
    work = args.workdir or Path(tempfile.mkdtemp(prefix="govlint-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        limit = args.check_jsonschema_up_to
        results = {
            n: measure(n, args.repeat, work, not args.no_check_jsonschema and (limit is None or n <= limit))
            for n in args.files
        }
        print(report(results, startup(max(args.repeat, 5)), args.repeat))
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
