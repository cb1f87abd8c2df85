"""The roles a reference assigns, by where it stands: shared by the rules about who holds a role."""

from __future__ import annotations

import re

from governance_lint.api import Entity, RepositoryIndex
from governance_lint.index import Reference

# Node names of role assignments, as the index records them (activities are named by id, other items
# by position).
_ROLE_NODES = (
    (re.compile(r"^spec/owner(/\d+)?$"), "the owner"),
    (re.compile(r"^spec/administrator(/\d+)?$"), "the administrator"),
    (re.compile(r"^spec/managers/[^/]+/person$"), "a manager"),
    (re.compile(r"^spec/practitioners(/\d+)?$"), "a practitioner"),
    (re.compile(r"^spec/lead$"), "the lead"),
    (re.compile(r"^spec/members(/\d+)?$"), "a member"),
)
_ESCALATION_NODE = re.compile(r"^spec/escalation(/(?P<step>\d+))?$")
_RACI_NODE = re.compile(
    r"^spec/activities/(?P<activity>.+)/raci/(?P<role>responsible|accountable|consulted|informed)"
    r"(/\d+)?$"
)
#: The kinds whose documents assign roles.
ROLE_KINDS = ("Process", "Practice", "Service", "Policy", "Team")


def role_of(node: str | None) -> str | None:
    """The role a reference at ``node`` assigns, e.g. ``the Accountable of activity 'log'``; None if no role."""
    if node is None:
        return None
    for pattern, role in _ROLE_NODES:
        if pattern.match(node):
            return role
    escalation = _ESCALATION_NODE.match(node)
    if escalation:
        step = escalation["step"]
        return f"step {int(step) + 1} of the escalation path" if step is not None else "the escalation path"
    raci = _RACI_NODE.match(node)
    if raci:
        return f"the {raci['role'].capitalize()} of activity '{raci['activity']}'"
    return None


def roles_held(index: RepositoryIndex, key: str) -> list[tuple[Entity, Reference, str]]:
    """Every role ``key`` (``team:service-desk``) holds anywhere: the entity, the reference and the role."""
    return [
        (entity, ref, role)
        for entity in index.referrers(key)
        for ref in entity.references
        if ref.target == key and (role := role_of(ref.node)) is not None
    ]


def inactive(index: RepositoryIndex, reference: str) -> Entity | None:
    """The Person a ``person:`` reference names when it is marked ``active: false``; else None.

    Any holder of a role is checked with it: the roles documents assign, and those a run is given
    besides (a waiver's approver).
    """
    if not reference.startswith("person:"):
        return None
    person = index.resolve(reference)
    return person if person is not None and not person.active else None


def inactive_message(role: str, holder: str, reference: str, person: Entity) -> str:
    """Why a role held by an inactive person is a finding, e.g. ``the owner of process:x is person:y, ...``."""
    return (
        f"{role} of {holder} is {reference}, marked inactive at {person.site}; "
        "a role held by someone no longer active is a role nobody holds"
    )
