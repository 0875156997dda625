"""The index sets of the word2vec world, declared once, with their ranges.

A sum in a claim runs over one of these: ``sum_{w=1}^{V}`` over the vocabulary, ``sum_{k=1}^{K}``
over the negative samples.  A sum written without bounds, and a free index letter, take the
range the loss gives its letter (``Loss.indices``); every prover reads the range from here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from symw2v.world.instance import Instance


@dataclass(frozen=True)
class IndexSet:
    """``name``, the ``bound`` a sum over it is written up to, and its members at an instance."""

    name: str
    bound: str
    meaning: str
    generic: str  # how the all-sizes certificate calls a generic member
    members: Callable[[Instance], tuple[int, ...]]
    sampled: bool = False  # words drawn for one example (the negatives), not all of them
    names: tuple[str, ...] = ()  # how a sum's range may name the set: \sum_{w \in V}

    def distinct(self, instance: Instance) -> bool:
        """Whether the members differ from each other and from o (the seed's "o ≠ k")."""
        members = self.members(instance)
        return len(set(members)) == len(members) and instance.o not in members

    def __repr__(self) -> str:  # the members function would show its address: not deterministic
        return f"IndexSet({self.name!r})"


VOCABULARY = IndexSet(
    "vocabulary",
    "V",
    "the words 1..V",
    "word other than o",
    lambda i: tuple(range(1, i.V + 1)),
    names=("Vocab", "vocab", "Vocabulary", "vocabulary", "W"),
)
NEGATIVES = IndexSet("negatives", "K", "the K negative samples", "negative", lambda i: i.negatives, True)
INDEX_SETS = {s.name: s for s in (VOCABULARY, NEGATIVES)}
BY_BOUND = {s.bound: s for s in INDEX_SETS.values()}
