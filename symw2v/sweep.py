"""Sweeps: a claim checked over a grid of instances, not only at one.

The default grid is d ∈ {1, 2, 3}, V ∈ {2, 3, 5}, K ∈ {1, 2, 3}, with the outside word and the
negatives moved around between instances (always distinct and different from o: the domain
the losses are stated for).  Instances are tried smallest first, so the first failure found is
the smallest failing instance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from symw2v.errors import SymW2VError
from symw2v.instance import Instance
from symw2v.schema import SWEEP_SIZES, check_value, parse_number


@dataclass(frozen=True)
class Grid:
    d: tuple[int, ...] = (1, 2, 3)
    V: tuple[int, ...] = (2, 3, 5)
    K: tuple[int, ...] = (1, 2, 3)

    def describe(self) -> str:
        return f"d ∈ {set_text(self.d)}, V ∈ {set_text(self.V)}, K ∈ {set_text(self.K)}"


def set_text(values: tuple[int, ...]) -> str:
    return "{" + ", ".join(map(str, values)) + "}"


DEFAULT = Grid()
GRID_HELP = (
    "also check every proved claim at a grid of instances: none, default (d=1,2,3;V=2,3,5;K=1,2,3) "
    "or e.g. 'd=1,2;V=2,3;K=1'"
)


def parse_grid(text: str) -> Grid | None:
    """``none``, ``default``, or ``d=1,2;V=2,3;K=1`` (sizes left out keep their default)."""
    text = text.strip()
    if text in ("none", "off", ""):
        return None
    if text == "default":
        return DEFAULT
    sizes = {}
    for part in text.split(";"):
        match = re.fullmatch(r"\s*([dVK])\s*=\s*([0-9 ,]+)\s*", part)
        if not match:
            raise SymW2VError(f"--sweep: cannot read {part!r:.60}; write e.g. d=1,2;V=2,3;K=1,2")
        name, values = match.groups()
        field = SWEEP_SIZES[name]
        numbers = [parse_number(field.item, word, "--sweep: ") for word in values.split(",") if word.strip()]
        sizes[name] = tuple(sorted(set(check_value(field, numbers, "--sweep: "))))
    return Grid(**{**DEFAULT.__dict__, **sizes})


def instances(grid: Grid, with_negatives: bool) -> list[Instance]:
    """The grid's instances, smallest first; o and the negatives differ from one to the next."""
    found: list[Instance] = []
    seen = set()
    for V in sorted(grid.V):
        for d in sorted(grid.d):
            for K in sorted(grid.K) if with_negatives else (1,):
                if V < 2 or (with_negatives and K > V - 1):
                    continue
                o = (V + d + K) % V + 1
                others = [w for w in range(1, V + 1) if w != o]
                shift = (d + K) % len(others)
                negatives = tuple((others[shift:] + others[:shift])[:K])
                key = (V, d, K, o, negatives)
                if key not in seen:
                    seen.add(key)
                    found.append(Instance(V=V, d=d, K=K, o=o, negatives=negatives))
    return found


def smallest_generic(grid: Grid, with_negatives: bool) -> Instance:
    """The grid's smallest instance where no size is degenerate (d ≥ 2, K ≥ 2, V ≥ 3: vectors
    are not numbers, a sum over the negatives has terms besides the one differentiated by, the
    vocabulary has words besides o and it); a fixed small one if the grid has none."""
    for instance in instances(grid, with_negatives):
        if instance.d >= 2 and instance.V >= 3 and (instance.K >= 2 or not with_negatives):
            return instance
    return Instance(V=4, d=2, K=2, o=2, negatives=(1, 3)) if with_negatives else Instance(V=3, d=2, K=1, o=2)
