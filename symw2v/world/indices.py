"""The index sets of the word2vec world, declared once, with their ranges.

A sum in a claim runs over one of these: ``sum_{w=1}^{V}`` over the vocabulary, ``sum_{k=1}^{K}``
over the negative samples, ``sum_{-m <= j <= m, j != 0}`` over the window's context positions.
A member is a word: the sum binds its index to the word of each member in turn (the k-th
negative's word, the outside word w_{t+j} of position j), so ``u_j`` in a sum over the window is
``u_{w_{t+j}}``; words may repeat.  A sum written without bounds, and a free index letter, take the
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
    # how a sum over the set is written when it does not run 1..bound (the window: −m ≤ j ≤ m,
    # j ≠ 0), in text (the sum) and in LaTeX (its range under \sum), with {i} for its index;
    # "" for a sum from 1 to the bound
    text_range: str = ""
    latex_range: str = ""

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
WINDOW = IndexSet(
    "window",
    "m",
    "the 2m context positions −m ≤ j ≤ m, j ≠ 0 (position j holds the outside word w_{t+j})",
    "context position",
    lambda i: i.window,
    names=("window", "Window"),
    text_range="sum_{{-m <= {i} <= m, {i} != 0}}",
    latex_range=r"-m \le {i} \le m,\ {i} \ne 0",
)
INDEX_SETS = {s.name: s for s in (VOCABULARY, NEGATIVES, WINDOW)}
BY_BOUND = {s.bound: s for s in INDEX_SETS.values()}
