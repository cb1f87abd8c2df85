"""Did-you-mean for references that name nothing: the closest id of the kind, or the kind that has it."""

from __future__ import annotations

from governance_lint.api import RepositoryIndex
from governance_lint.index import Reference
from governance_lint.model import DEFINED_BY, Vocabulary, did_you_mean

# Roles take a person or a team, and one is easily written for the other.
_OTHER_KINDS = {"person": ("team",), "team": ("person",)}


class Suggestions:
    """What an unresolved reference probably meant; each kind's ids are gathered once, on first use."""

    def __init__(self, index: RepositoryIndex) -> None:
        self._index = index
        self._ids: dict[str, Vocabulary] = {}

    def hint(self, ref: Reference) -> str:
        """`` (did you mean person:windy?)`` for ``person:windi``; ``person:windy`` for ``team:windy``."""
        kind = DEFINED_BY.get(ref.kind) if ref.kind != "term" else None  # terms have hints of their own
        if kind is None:
            return ""
        if kind not in self._ids:
            self._ids[kind] = Vocabulary(self._index.ids(kind))
        close = self._ids[kind].closest(ref.id)
        if close is not None:
            return did_you_mean(f"{ref.kind}:{close}")
        others = [f"{k}:{ref.id}" for k in _OTHER_KINDS.get(ref.kind, ())]
        return did_you_mean(next((target for target in others if self._index.defines(target)), None))
