"""Generate a deterministic, clean synthetic governance repository.

``N`` process files of 100-300 lines each (scoped managers, activities with
RACI lines, CSFs and KPIs, symmetric interfaces, policies and terms), with
the people, teams, policies and glossary they name.  Every rule passes on it:
``govlint check`` finds nothing (the benchmark asserts that).

    python benchmarks/generate.py OUT --files 2000

The same N and seed always give the same bytes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
from pathlib import Path

TODAY = dt.date(2026, 11, 22)  # pinned in the generated config, so review dates never expire
PROCESSES_PER_FOLDER = 500
PEOPLE_PER_FILE = 100
TEAMS_PER_FILE = 50
POLICIES = 120

THEMES = (
    "Incident Management",
    "Problem Management",
    "Change Enablement",
    "Service Request Management",
    "Release Management",
    "Service Level Management",
    "Capacity Management",
    "Availability Management",
    "Supplier Management",
    "Knowledge Management",
    "Information Security Management",
    "Service Continuity Management",
    "Asset Management",
    "Monitoring and Event Management",
    "Deployment Management",
    "Relationship Management",
    "Service Catalogue Management",
    "Financial Management",
    "Risk Management",
    "Continual Improvement",
)
SCOPES = (
    "Service Desk",
    "Engineering",
    "Messaging and Collaboration",
    "End User Experience",
    "Field Services",
    "Networks",
    "Data Centre",
    "Europe",
    "Americas",
    "Asia Pacific",
)
VERBS = (
    "Identify",
    "Record",
    "Categorize",
    "Prioritize",
    "Assess",
    "Investigate",
    "Diagnose",
    "Plan",
    "Approve",
    "Build",
    "Test",
    "Schedule",
    "Implement",
    "Verify",
    "Communicate",
    "Resolve",
    "Review",
    "Close",
)
CATEGORIES = ("process", "it", "hr", "legal", "security", "other")
GLOSSARY = (
    ("Incident", "An unplanned interruption to an IT service or reduction in its quality."),
    ("Major Incident", "An incident with significant business impact needing a coordinated response."),
    ("Problem", "A cause, or potential cause, of one or more incidents."),
    ("Known Error", "A problem that has been analysed but not resolved."),
    ("Workaround", "A way to reduce or eliminate the impact of an incident without a full fix."),
    ("Service Request", "A request from a user for information, advice or access to a service."),
    ("Change", "The addition, modification or removal of anything that could affect services."),
    ("Standard Change", "A low-risk, pre-authorized change that is well understood."),
    ("Emergency Change", "A change that must be implemented as soon as possible."),
    ("Release", "A version of a service or configuration items made available for use."),
    ("Deployment", "The movement of components to a live environment."),
    ("Configuration Item", "Any component that needs to be managed to deliver an IT service."),
    ("Service Level Agreement", "A documented agreement between a provider and a customer."),
    ("Operational Level Agreement", "An agreement between a provider and another part of its organisation."),
    ("Underpinning Contract", "A contract with a third party that supports agreed service levels."),
    ("Event", "A change of state that has significance for the management of a service."),
    ("Alert", "A notification that a threshold has been reached or something has changed."),
    ("Capacity Plan", "A plan for the resources needed to meet agreed service levels."),
    ("Availability Target", "The agreed proportion of time a service is available."),
    ("Recovery Time Objective", "The maximum time allowed to restore a service after an interruption."),
    ("Asset", "Any financially valuable component that can contribute to delivering a service."),
    ("Supplier", "A third party responsible for supplying goods or services."),
    ("Knowledge Article", "A reviewed piece of knowledge that helps people resolve issues."),
    ("Root Cause", "The underlying or original cause of an incident or problem."),
    ("Priority", "The relative importance of an incident, problem or change."),
    ("Impact", "A measure of the effect of an incident, problem or change on business processes."),
    ("Urgency", "A measure of how long it will be until an issue has a significant business impact."),
    ("Escalation", "An activity that obtains additional resources to meet service targets."),
    ("Service Catalogue", "Structured information about the services available to customers."),
    ("Maintenance Window", "An agreed time when changes or maintenance can be made."),
    ("Post Implementation Review", "A review that takes place after a change has been implemented."),
    ("Change Authority", "A person or group responsible for authorizing a change."),
    ("Vulnerability", "A weakness that could be exploited by a threat."),
    ("Threat", "Anything that might exploit a vulnerability."),
    ("Risk", "A possible event that could cause harm or loss."),
    ("Business Case", "A justification for a significant item of expenditure."),
)


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def _person(i: int) -> str:
    return f"person-{i:05d}"


def _process_id(i: int) -> str:
    return f"process-{i:05d}"


def _people_count(n: int) -> int:
    return max(40, n // 2)


def _date(rng: random.Random) -> str:
    return (TODAY - dt.timedelta(days=rng.randint(1, 300))).isoformat()


def _flow(values: list[str]) -> str:
    return "[" + ", ".join(values) + "]"


def process_yaml(i: int, n: int, seed: int) -> str:
    """One Process document, 100-300 lines, clean against every rule."""
    rng = random.Random(f"{seed}:{i}")
    ident = _process_id(i)
    people = _people_count(n)
    theme = THEMES[i % len(THEMES)]
    owner = f"person:{_person(rng.randrange(people))}"
    scopes = rng.sample(SCOPES, rng.randint(1, 4))
    managers = [f"person:{_person(rng.randrange(people))}" for _ in scopes]
    teams = [f"team:{ident}-core", f"team:{ident}-support"]
    policies = [f"policy:policy-{p:03d}" for p in sorted(rng.sample(range(POLICIES), rng.randint(2, 5)))]
    terms = rng.sample(range(len(GLOSSARY)), rng.randint(3, 7))
    previous, following = (i - 1) % n, (i + 1) % n
    ring = n > 1  # each process hands over to the next, which says it receives it (GOV601)
    received = f"handover-from-{_process_id(previous)}"
    sent = f"handover-from-{ident}"

    out = [
        f"# {theme} ({ident}): generated for the govlint benchmark.",
        "apiVersion: govlint/v1",
        "kind: Process",
        "metadata:",
        f"  id: {ident}",
        f"  name: {theme} {i:05d}",
        f'  version: "{rng.randint(1, 5)}.{rng.randint(0, 9)}.0"',
        f"  lastReviewed: {_date(rng)}",
        "  labels:",
        "    domain: itsm",
        f"    area: area-{i // PROCESSES_PER_FOLDER:03d}",
        "spec:",
        "  purpose: >-",
        f"    {theme} for area {i // PROCESSES_PER_FOLDER}: deliver agreed outcomes",
        "    predictably, measure them and improve them continually.",
        f"  owner: {owner}",
        "  managers:",
    ]
    for person, scope in zip(managers, scopes):  # noqa: B905
        out += [f"    - person: {person}", f"      scope: {scope}"]
    if rng.random() < 0.5:
        out.append(f"  administrator: person:{_person(rng.randrange(people))}")
    out += ["  practitioners:"] + [f"    - {t}" for t in teams]
    out.append(f"  escalation: {_flow([managers[0], owner] if managers[0] != owner else [owner])}")
    out += ["  policies:"] + [f"    - {p}" for p in policies]
    out.append("  terms:")
    for k, t in enumerate(terms):
        term, definition = GLOSSARY[t]
        if k == 0:  # one local definition, identical to the glossary's (GOV401)
            out += [f"    - term: {term}", f"      definition: {definition}"]
        else:
            out.append(f"    - ref: term:{_slug(term)}")
    out.append("  activities:")
    count = rng.randint(5, 16)
    verbs = rng.sample(VERBS, count) if count <= len(VERBS) else list(VERBS)
    for j, verb in enumerate(verbs):
        step = f"{_slug(verb)}-{j + 1}"
        inputs = ([received] if ring else []) if j == 0 else [f"{ident}-{_slug(verbs[j - 1])}-output"]
        outputs = [f"{ident}-{_slug(verb)}-output"] + ([sent] if ring and j == len(verbs) - 1 else [])
        out += [
            f"    - id: {step}",
            f"      name: {verb}",
            "      procedures:",
            f"        - {HANDBOOK}#{ident}-{step}",
        ]
        if rng.random() < 0.4:
            out.append(f"        - {verb} within the agreed target and record the outcome.")
        out += [f"      inputs: {_flow(inputs)}", f"      outputs: {_flow(outputs)}"]
        if rng.random() < 0.5:
            out.append(f"      policies: [{rng.choice(policies)}]")
        consulted = sorted({f"person:{_person(rng.randrange(people))}" for _ in range(rng.randint(0, 2))})
        out += [
            "      raci:",
            f"        responsible: [{teams[j % 2]}]",
            f"        accountable: {managers[j % len(managers)]}",
            f"        consulted: {_flow(consulted)}",
            f"        informed: [{owner}]",
        ]
    out.append("  csfs:")
    csfs = [f"csf-{k + 1}" for k in range(rng.randint(2, 3))]
    for csf in csfs:
        out += [f"    - id: {csf}", f"      description: {theme} outcome {csf} is met every month."]
    out.append("  kpis:")
    for k in range(rng.randint(3, 5)):
        target = f'"<= {rng.randint(1, 48)}h"' if k % 2 == 0 else str(rng.randint(80, 100))
        out += [
            f"    - id: kpi-{k + 1}",
            f"      description: Measured indicator {k + 1} of {theme.lower()}",
            f"      target: {target}",
            f"      csf: {csfs[k % len(csfs)]}",
        ]
    if not ring:
        out.append("  interfaces: []")
    elif following == previous:
        out += [
            "  interfaces:",
            f"    - process: process:{_process_id(following)}",
            f"      sends: [{sent}]",
            f"      receives: [{received}]",
        ]
    else:
        out += [
            "  interfaces:",
            f"    - process: process:{_process_id(following)}",
            f"      sends: [{sent}]",
            f"    - process: process:{_process_id(previous)}",
            f"      receives: [{received}]",
        ]
    return "\n".join(out) + "\n"


def _document(kind: str, ident: str, name: str, spec: list[str], reviewed: str | None = None) -> str:
    meta = [f"  id: {ident}", f"  name: {name}"] + ([f"  lastReviewed: {reviewed}"] if reviewed else [])
    return "\n".join(["apiVersion: govlint/v1", f"kind: {kind}", "metadata:", *meta, "spec:", *spec]) + "\n"


def people_yaml(first: int, last: int) -> str:
    return "---\n".join(
        _document("Person", _person(p), f"Person {p:05d}", [f"  email: {_person(p)}@example.org"])
        for p in range(first, last)
    )


def teams_yaml(processes: range, n: int, seed: int) -> str:
    docs = []
    people = _people_count(n)
    for i in processes:
        rng = random.Random(f"{seed}:team:{i}")
        for role in ("core", "support"):
            members = sorted({_person(rng.randrange(people)) for _ in range(rng.randint(2, 6))})
            spec = [
                f"  lead: person:{members[0]}",
                f"  members: {_flow([f'person:{m}' for m in members])}",
                f"  external: {'true' if role == 'support' and rng.random() < 0.2 else 'false'}",
            ]
            docs.append(_document("Team", f"{_process_id(i)}-{role}", f"{_process_id(i)} {role} team", spec))
    return "---\n".join(docs)


def policies_yaml(seed: int) -> str:
    rng = random.Random(f"{seed}:policies")
    return "---\n".join(
        _document(
            "Policy",
            f"policy-{p:03d}",
            f"Policy {p:03d}",
            [
                f"  statement: Rule {p} of the service organisation must be followed.",
                f"  category: {CATEGORIES[p % len(CATEGORIES)]}",
                f"  owner: person:{_person(rng.randrange(40))}",
            ],
            reviewed=_date(rng),
        )
        for p in range(POLICIES)
    )


def glossary_yaml() -> str:
    spec = ["  terms:"]
    for term, definition in GLOSSARY:
        spec += [f"    - term: {term}", f"      definition: {definition}"]
    return _document("Glossary", "itsm-terms", "IT service management terms", spec)


#: The one document every procedure points into, a section per activity (procedure-exists).
HANDBOOK = "docs/handbook.md"


def process_path(i: int) -> str:
    return f"governance/processes/area-{i // PROCESSES_PER_FOLDER:03d}/{_process_id(i)}.yaml"


def generate(root: Path, n: int, seed: int = 0) -> list[Path]:
    """Write the repository under ``root`` (replacing it); return the process files in path order."""
    if root.exists():
        shutil.rmtree(root)
    (root / "governance").mkdir(parents=True)
    (root / ".govlint.yaml").write_text(
        f'include: ["governance/**/*.yaml"]\ntoday: "{TODAY.isoformat()}"\n', encoding="utf-8"
    )

    def write(rel: str, text: str) -> Path:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    write(HANDBOOK, "# Procedures\n\nOne section per activity of every process.\n")
    write("governance/glossary.yaml", glossary_yaml())
    write("governance/policies.yaml", policies_yaml(seed))
    people = _people_count(n)
    for first in range(0, people, PEOPLE_PER_FILE):
        write(
            f"governance/people/people-{first // PEOPLE_PER_FILE:03d}.yaml",
            people_yaml(first, min(first + PEOPLE_PER_FILE, people)),
        )
    for first in range(0, n, TEAMS_PER_FILE):
        write(
            f"governance/teams/teams-{first // TEAMS_PER_FILE:04d}.yaml",
            teams_yaml(range(first, min(first + TEAMS_PER_FILE, n)), n, seed),
        )
    return [write(process_path(i), process_yaml(i, n, seed)) for i in range(n)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to (re)create")
    parser.add_argument("--files", type=int, default=2000, help="number of process files")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    processes = generate(args.out, args.files, args.seed)
    print(f"{len(processes)} process files under {args.out}")


if __name__ == "__main__":
    main()
