"""Loader speed against bare libyaml compose, on typical ~8 KB process files.

    python benchmarks/loader_bench.py [--files 300] [--rounds 5]

Writes the files to a temporary folder, reads them into memory, then times
(best of ``--rounds``) three passes over all of them: PyYAML's CSafeLoader
compose (the yardstick: libyaml building nodes with positions), the same
compose with the loader's sentinel resolver, and ``loader.load()``.  The
loader's promise is to stay within ~1.4x of bare compose.
"""

from __future__ import annotations

import argparse
import gc
import random
import tempfile
import time
from pathlib import Path

import yaml

from governance_lint.loader import _NodeLoader, load

VERBS = ("Identify", "Record", "Categorize", "Prioritize", "Investigate", "Diagnose", "Resolve", "Close")


def process_file(number: int, rng: random.Random) -> str:
    """One Process document of about 8 KB in the spec's format (quotes, block text, flow lists)."""
    people = [f"person:p{rng.randrange(500)}" for _ in range(6)]
    lines = [
        "apiVersion: govlint/v1",
        "kind: Process",
        "metadata:",
        f"  id: process-{number}",
        f"  name: Process {number}",
        "  version: 2.1.0",
        "  lastReviewed: 2026-06-30",
        "  labels: {domain: itsm, tier: gold}",
        "spec:",
        "  purpose: >",
        "    Restore normal service operation as quickly as possible and minimise",
        "    the adverse impact on business operations.",
        f"  owner: {people[0]}",
        "  managers:",
        f"    - person: {people[1]}",
        "      scope: Service Desk",
        f"    - person: {people[2]}",
        "      scope: Engineering",
        f"  administrator: {people[3]}",
        "  practitioners: [team:service-desk, team:engineering]",
        f"  escalation: [{people[1]}, {people[0]}]",
        "  policies: [policy:all-incidents-logged, policy:major-incident-review]",
        "  terms:",
        "    - term: Incident",
        "      definition: An unplanned interruption to an IT service or reduction in its quality.",
        "    - ref: term:major-incident",
        "  activities:",
    ]
    for index, verb in enumerate(VERBS * 2 + VERBS[:4]):
        ident = f"{verb.lower()}-{index}"
        lines += [
            f"    - id: {ident}",
            f"      name: {verb} step {index}",
            f"      procedures: [docs/process-{number}/{ident}.md]",
            f"      inputs: [input-{index}]",
            f"      outputs: [output-{index}, record-{index}]",
            "      policies: [policy:all-incidents-logged]",
            "      raci:",
            f"        responsible: [team:service-desk, {rng.choice(people)}]",
            f"        accountable: {rng.choice(people)}",
            "        consulted: []",
            f"        informed: [{people[0]}]",
        ]
    lines += [
        "  csfs:",
        "    - {id: fast-restore, description: Service is restored within agreed targets}",
        "  kpis:",
        '    - {id: mttr, description: Mean time to restore, target: "<= 4h", csf: fast-restore}',
        "    - id: first-time-fix",
        "      description: 'Share of incidents resolved at first contact'",
        "      target: 0.75",
        "  interfaces:",
        "    - process: process:problem-management",
        "      sends: [incident-record]",
        "      receives: [known-error]",
    ]
    return "\n".join(lines) + "\n"


def best(rounds: int, run: object) -> float:
    times = []
    for _ in range(rounds):
        gc.collect()
        start = time.perf_counter()
        run()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for number in range(args.files):
            path = Path(folder, f"process-{number}.yaml")
            path.write_text(process_file(number, rng), encoding="utf-8")
            paths.append(path)
        contents = [path.read_bytes() for path in paths]
    size = sum(map(len, contents)) / len(contents)

    def compose(loader_class: type) -> None:
        for content in contents:
            loader = loader_class(content)
            try:
                while loader.check_node():
                    loader.get_node()
            finally:
                loader.dispose()

    def load_all() -> None:
        for content in contents:
            result = load("bench.yaml", content)
            assert not result.problems, result.problems

    bare = best(args.rounds, lambda: compose(yaml.CSafeLoader))
    sentinel = best(args.rounds, lambda: compose(_NodeLoader))
    loaded = best(args.rounds, load_all)
    count = len(contents)
    print(f"{count} files, {size / 1024:.1f} KB average, best of {args.rounds}")
    print(f"bare CSafeLoader compose : {count / bare:7.0f} files/s")
    print(f"sentinel-resolver compose: {count / sentinel:7.0f} files/s")
    print(f"loader.load()            : {count / loaded:7.0f} files/s  ({loaded / bare:.2f}x bare compose)")


if __name__ == "__main__":
    main()
