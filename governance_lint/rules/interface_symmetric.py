"""
## What it checks
Both sides of an interface between two processes (or practices) describe
the same hand-over. When A's interface with B `sends` X, B's interface with
A must list X under `receives`; when A `receives` Y from B, B must list Y
under `sends`. The entry without its counterpart is reported, and the
message names the other process's file and line. An interface with a
process that does not exist is left to unresolved-reference.

## Why it matters
Practitioners make sure the inputs, outputs and interfaces of their
activities are correct. A hand-over only one side knows about is work that
falls between two processes: the incident record that Problem Management
never picks up.

## Example (fails)
```yaml
apiVersion: govlint/v1
kind: Process
metadata: {id: incident-management}
spec:
  purpose: Restore normal service operation as quickly as possible.
  owner: person:mrs-davis
  interfaces:
    - process: process:problem-management
      sends: [incident-record]
---
apiVersion: govlint/v1
kind: Process
metadata: {id: problem-management}
spec:
  purpose: Find and remove the causes of incidents.
  owner: person:ken
  interfaces:
    - process: process:incident-management
      sends: [known-error]
```

## Use instead (passes)
```yaml
apiVersion: govlint/v1
kind: Process
metadata: {id: incident-management}
spec:
  purpose: Restore normal service operation as quickly as possible.
  owner: person:mrs-davis
  interfaces:
    - process: process:problem-management
      sends: [incident-record]
      receives: [known-error]
---
apiVersion: govlint/v1
kind: Process
metadata: {id: problem-management}
spec:
  purpose: Find and remove the causes of incidents.
  owner: person:ken
  interfaces:
    - process: process:incident-management
      sends: [known-error]
      receives: [incident-record]
```

## Options
None.
"""

from governance_lint.api import Entity, RepositoryContext, RepositoryIndex, Severity, Site, repository_rule
from governance_lint.index import Interface

REASON = "both sides of an interface describe the same hand-over"
PARTNER_KINDS = ("Process", "Practice")

#: What one process says about each process it faces: what it sends there, what it receives from
#: there, and where it first says so.
Facing = dict[str, tuple[set[str], set[str], Site]]
_READ_AGAIN_AT_MOST = 8  # interfaces of a partner read again for each interface facing it


def _facing(partner: Entity) -> Facing:
    """Everything ``partner``'s interfaces say, by the process they face, in one pass over them."""
    facing: Facing = {}
    for interface in partner.interfaces:
        sides = facing.get(interface.process)
        if sides is None:
            sides = facing[interface.process] = (set(), set(), interface.site)
        sides[0].update(x.item for x in interface.sends)
        sides[1].update(x.item for x in interface.receives)
    return facing


def _check(
    entity: Entity,
    interface: Interface,
    index: RepositoryIndex,
    ctx: RepositoryContext,
    facings: dict[str, Facing],
) -> None:
    partner = index.resolve(interface.process)
    if partner is None or partner.kind not in PARTNER_KINDS:
        return  # names nothing, or not a process: unresolved-reference and the schema say so
    # A partner with many interfaces is read once, however many interfaces face it (no quadratic
    # rescans); one with a few is read again, instead of being kept for the rest of the rule.
    facing = facings.get(partner.key)
    if facing is None:
        facing = _facing(partner)
        if len(partner.interfaces) > _READ_AGAIN_AT_MOST:
            facings[partner.key] = facing
    partner_sends, partner_receives, where = facing.get(entity.key) or (set(), set(), partner.site)
    for sent in interface.sends:
        if sent.item not in partner_receives:
            ctx.report(
                sent.site,
                f"{entity.key} sends {sent.item!r} to {partner.key}, but {partner.key} "
                f"does not receive it from {entity.key} (see {where}); {REASON}",
            )
    for received in interface.receives:
        if received.item not in partner_sends:
            ctx.report(
                received.site,
                f"{entity.key} receives {received.item!r} from {partner.key}, "
                f"but {partner.key} does not send it to {entity.key} (see {where}); "
                f"{REASON}",
            )


@repository_rule(
    code="GOV601",
    name="interface-symmetric",
    severity=Severity.WARNING,
    summary="A sends X to B but B does not say it receives X from A (or the mirror case)",
    reads=["interfaces"],
)
def interface_symmetric(index: RepositoryIndex, ctx: RepositoryContext) -> None:
    facings: dict[str, Facing] = {}
    for entity in index.subjects(*PARTNER_KINDS):
        for interface in entity.interfaces:
            _check(entity, interface, index, ctx, facings)
