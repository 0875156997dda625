"""Sweeps: a claim checked over a grid of instances, not only at one.

The default grid is d ∈ {1, 2, 3}, V ∈ {2, 3, 5}, K ∈ {1, 2, 3}, with the outside word and the
negatives moved around between instances (always distinct and different from o: the domain
the losses are stated for).  Instances are tried smallest first, so the first failure found is
the smallest failing instance.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from symw2v import closed_form as cf
from symw2v.errors import SymW2VError
from symw2v.question import Question, holds
from symw2v.schema import SWEEP_SIZES, check_value, parse_number
from symw2v.world import VARIABLES, WINDOW, IndexSet, Instance


@dataclass(frozen=True)
class Grid:
    d: tuple[int, ...] = (1, 2, 3)
    V: tuple[int, ...] = (2, 3, 5)
    K: tuple[int, ...] = (1, 2, 3)
    # the window's half-width, for a loss over a window: a claim that writes 2m as a number is
    # right at one m only
    m: tuple[int, ...] = (1, 2)


DEFAULT = Grid()
GRID_HELP = (
    "also check every proved claim at a grid of instances: none, default "
    "(d=1,2,3;V=2,3,5;K=1,2,3; m=1,2 for a loss over a window) or e.g. 'd=1,2;V=2,3;K=1'"
)


def parse_grid(text: str) -> Grid | None:
    """``none``, ``default``, or ``d=1,2;V=2,3;K=1;m=1`` (sizes left out keep their default)."""
    text = text.strip()
    if text in ("none", "off", ""):
        return None
    if text == "default":
        return DEFAULT
    sizes = {}
    for part in text.split(";"):
        match = re.fullmatch(r"\s*([dVKm])\s*=\s*([0-9 ,]+)\s*", part)
        if not match:
            raise SymW2VError(f"--sweep: cannot read {part!r:.60}; write e.g. d=1,2;V=2,3;K=1,2")
        name, values = match.groups()
        field = SWEEP_SIZES[name]
        numbers = [parse_number(field.item, word, "--sweep: ") for word in values.split(",") if word.strip()]
        sizes[name] = tuple(sorted(set(check_value(field, numbers, "--sweep: "))))
    return Grid(**{**DEFAULT.__dict__, **sizes})


def instances(grid: Grid, index_sets: tuple[IndexSet, ...]) -> list[Instance]:
    """The grid's instances, smallest first; o and the negatives differ from one to the next.
    K takes the grid's values only for a loss with negatives, m only for a loss over a window
    (``index_sets``)."""
    found: list[Instance] = []
    seen = set()
    counted = any(s.sampled for s in index_sets)  # K is the size of the sampled words
    halves = sorted(grid.m) if WINDOW in index_sets else (None,)
    for V in sorted(grid.V):
        for d in sorted(grid.d):
            for K in sorted(grid.K) if counted else (1,):
                if V < 2 or (counted and K > V - 1):
                    continue
                for m in halves:
                    instance = Instance.spread(V, d, K, m)
                    if instance not in seen:
                        seen.add(instance)
                        found.append(instance)
    return found


def smallest_generic(grid: Grid, index_sets: tuple[IndexSet, ...]) -> Instance:
    """The grid's smallest instance where no size is degenerate (d ≥ 2, K ≥ 2, V ≥ 3: vectors
    are not numbers, a sum over the negatives has terms besides the one differentiated by, the
    vocabulary has words besides o and it); a fixed small one if the grid has none."""
    counted = any(s.sampled for s in index_sets)
    for instance in instances(grid, index_sets):
        if instance.d >= 2 and instance.V >= 3 and (instance.K >= 2 or not counted):
            return instance
    return Instance.spread(4, 2, 2) if counted else Instance.spread(3, 2, 1)


def sweep(
    node: cf.Node, question: Question, grid: Grid, certified: Callable[[Instance], bool] = lambda i: False
) -> tuple[list[Instance], Instance | None]:
    """The grid's instances where the claim was proved, and the smallest where it fails.

    ``certified``: the instances an all-sizes certificate already proves; they are not proved
    again one by one, but the smallest generic one still is (a certificate never stands alone).
    """
    covered = []
    every = instances(grid, question.loss.index_sets)
    small = smallest_generic(grid, question.loss.index_sets)
    for instance in every:
        if (instance == small or not certified(instance)) and not holds(node, question, instance):
            return covered, instance
        covered.append(instance)
    return covered, None


def scope(node: cf.Node, question: Question) -> str:
    """Where a proved claim holds, beyond the instance: for a claim about each member of a set
    of sampled words (∂J/∂u_k over the negatives), also with a repeated member and with one
    equal to o (the seed's "for o ≠ k")."""
    instance, loss = question.instance, question.loss
    where = f"proved at {instance.describe(loss.index_sets)}"
    free = VARIABLES[question.wrt].free
    index_set = loss.index_set(free) if free else None
    if index_set is None or not index_set.sampled or instance.K < 2 or not index_set.distinct(instance):
        return where
    repeated, with_o = instance.degenerate()
    cases = (("a repeated negative", repeated), ("a negative equal to o", with_o))
    failing = [
        f"{name} (negatives {index_set.members(at)})" for name, at in cases if not holds(node, question, at)
    ]
    if not failing:
        return where + "; it also holds with a repeated negative and with a negative equal to o"
    return where + (
        "; it holds when the negatives are distinct and differ from o; with "
        + " or ".join(failing)
        + " it fails: the gradient is then the sum over the word's occurrences"
    )
