"""Shapes of closed forms over symbolic sizes V and d, and the readings of ``U`` and ``y``.

A reading fixes what the conventions leave open: ``U`` as rows (V×d, row w is u_wᵀ) or columns
(d×V), and ``y``/``ŷ`` as columns (V×1) or rows (1×V).  Shapes are checked with V and d as
symbols, so a claim that only type-checks because V happens to equal d is still rejected.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from symw2v import closed_form as cf
from symw2v.errors import ShapeError
from symw2v.printing import to_text
from symw2v.world import FAMILIES, OBJECTS, SCALAR, VARIABLES, Reading, Shape, functions


def show(shape: Shape) -> str:
    return "×".join(f"({size})" if "+" in size else size for size in shape)


_TERM = re.compile(r"^(\d*)([A-Za-z]*)$")


def _terms(size: str) -> Counter:
    """``"K+1"`` as {"K": 1, "": 1}: a symbolic size is a sum of sizes and a whole number."""
    counts: Counter = Counter()
    for term in size.split("+"):
        match = _TERM.match(term.strip())
        if match is None or not (match.group(1) or match.group(2)):
            raise ShapeError(f"{size!r} is not a size")
        number, letter = match.groups()
        counts[letter] += int(number) if number else 1
    return counts


def add_sizes(a: str, b: str) -> str:
    """The width of two blocks side by side, over the symbolic sizes: 1 and K make "K+1"."""
    counts = _terms(a) + _terms(b)
    parts = [(f"{counts[t]}{t}" if counts[t] > 1 else t) for t in sorted(t for t in counts if t)]
    return "+".join(parts + ([str(counts[""])] if counts[""] else []))


def size_at(size: str, instance) -> int:
    """The value of a symbolic size at an instance: "K+1" is K + 1."""
    return sum(count * (getattr(instance, letter) if letter else 1) for letter, count in _terms(size).items())


def _ones_hint(shapes: tuple[Shape, Shape]) -> str:
    """How to write a vector of ones where a number was added to a vector that size."""
    if SCALAR not in shapes:
        return ""
    other = shapes[0] if shapes[1] == SCALAR else shapes[1]
    ones = [o for o in OBJECTS.values() if o.value == "ones" and other in (o.shape, o.shape[::-1])]
    return f"; a vector of ones is written {ones[0].text} ({ones[0].latex})" if ones else ""


def _number_beside_ones(node: cf.Add | cf.Sub, left: Shape, right: Shape) -> Shape | None:
    """The shape of a number added to a vector that a vector of ones is declared for (``1 −
    σ(U_{o,…}ᵀv_c)``, as the handout writes it: the 1 is ``1_{K+1}``), or None."""
    for number, shape, vector in ((node.left, left, right), (node.right, right, left)):
        if isinstance(number, cf.Num) and shape == SCALAR and vector != SCALAR:
            declared = any(o.value == "ones" and o.shape in (vector, vector[::-1]) for o in OBJECTS.values())
            return vector if declared else None
    return None


def _is_vocab_vector(shape: Shape) -> bool:
    return shape in (("V", "1"), ("1", "V"))


def shape_of(node: cf.Node, reading: Reading) -> Shape:
    """The shape of ``node`` under ``reading``; raises ``ShapeError`` naming the clash."""
    return _Shapes(reading)(node)


class _Shapes(cf.Walk):
    def __init__(self, reading: Reading) -> None:
        self.reading = reading

    def on_Num(self, node: cf.Num) -> Shape:
        return SCALAR

    def on_Same(self, node: cf.Same) -> Shape:
        return SCALAR

    def on_Partial(self, node: cf.Partial) -> Shape:
        return VARIABLES[node.wrt].shape(self.reading)  # the gradient in denominator layout

    def on_Name(self, node: cf.Name) -> Shape:
        return OBJECTS[node.name].shape_in(self.reading)

    def on_Word(self, node: cf.Word) -> Shape:
        return FAMILIES[node.family].shape_in(self.reading)

    def on_Component(self, node: cf.Component) -> Shape:
        base = self(node.base)
        if not _is_vocab_vector(base):
            raise ShapeError(
                f"{to_text(node)}: only a length-V vector has a component _{node.index}, "
                f"but {to_text(node.base)} is {show(base)}",
                (show(base),),
            )
        return SCALAR

    def on_Transpose(self, node: cf.Transpose) -> Shape:
        rows, cols = self(node.operand)
        return (cols, rows)

    def on_Neg(self, node: cf.Neg) -> Shape:
        return self(node.operand)

    def on_Sum(self, node: cf.Sum) -> Shape:
        return self(node.body)

    def on_Add(self, node: cf.Add | cf.Sub) -> Shape:
        left, right = self(node.left), self(node.right)
        beside = _number_beside_ones(node, left, right)
        if beside is not None:
            return beside
        if left != right:
            raise ShapeError(
                f"{to_text(node)}: cannot add {show(left)} and {show(right)}{_ones_hint((left, right))}",
                (show(left), show(right)),
            )
        return left

    on_Sub = on_Add

    def on_Mul(self, node: cf.Mul) -> Shape:
        left, right = self(node.left), self(node.right)
        if left == SCALAR:
            return right
        if right == SCALAR:
            return left
        if left[1] != right[0]:
            raise ShapeError(
                f"{to_text(node)}: cannot multiply {show(left)} by {show(right)}",
                (show(left), show(right)),
            )
        return (left[0], right[1])

    def on_Div(self, node: cf.Div) -> Shape:
        left, right = self(node.left), self(node.right)
        if right != SCALAR:
            raise ShapeError(f"{to_text(node)}: cannot divide by a {show(right)} matrix", (show(right),))
        return left

    def on_Max(self, node: cf.Max) -> Shape:
        for side in (node.left, node.right):
            if self(side) != SCALAR:
                raise ShapeError(f"{to_text(node)}: max takes two scalars, not a {show(self(side))}")
        return SCALAR

    def on_Pow(self, node: cf.Pow) -> Shape:
        base = self(node.base)
        if base != SCALAR:
            raise ShapeError(f"{to_text(node)}: only a scalar has a power, not a {show(base)}", (show(base),))
        return SCALAR

    def on_Columns(self, node: cf.Columns) -> Shape:
        rows, cols = self(node.body)
        if cols != "1":
            raise ShapeError(
                f"{to_text(node)}: an entry of a block matrix is a column or a scalar, "
                f"not {show((rows, cols))}",
                (show((rows, cols)),),
            )
        return (rows, node.over)

    def on_Block(self, node: cf.Block) -> Shape:
        shapes = [self(part) for part in node.parts]
        rows, cols = shapes[0]
        for part, (height, width) in zip(node.parts[1:], shapes[1:], strict=True):
            if height != rows:
                raise ShapeError(
                    f"{to_text(node)}: cannot put {to_text(part)} ({show((height, width))}) beside "
                    f"{rows}-row blocks",
                    tuple(show(s) for s in shapes),
                )
            cols = add_sizes(cols, width)
        return (rows, cols)

    def on_Call(self, node: cf.Call) -> Shape:
        argument = self(node.argument)
        if node.function in functions.VECTOR and not _is_vocab_vector(argument):
            raise ShapeError(
                f"{to_text(node)}: {node.function} takes a length-V vector, not {show(argument)}",
                (show(argument),),
            )
        return argument


def readings_to_try(U: str | None, y: str | None) -> list[Reading]:
    """Readings in order of preference; a declared ``U`` or ``y`` is binding."""
    us = [U] if U else ["columns", "rows"]
    ys = [y] if y else ["column", "row"]
    return [Reading(u, yy) for yy in ys for u in us]


@dataclass(frozen=True)
class Typing:
    """The reading a claim was typed under and its shape, with what the other readings said."""

    reading: Reading
    shape: Shape
    inferred: bool
    rejected: tuple[tuple[Reading, str], ...]


def infer_reading(node: cf.Node, U: str | None = None, y: str | None = None, fits=None) -> Typing:
    """Type ``node`` under the first reading that works; ``ShapeError`` if none does.

    A declared ``U`` or ``y`` is binding; the error then names the reading that would work.
    ``fits(reading, shape)``: prefer the first reading under which the claim also has the
    gradient's shape (∂J/∂U written V×d is the gradient of U read as rows).
    """
    rejected: list[tuple[Reading, str]] = []
    typed: list[Typing] = []
    for reading in readings_to_try(U, y):
        try:
            shape = shape_of(node, reading)
        except ShapeError as error:
            rejected.append((reading, str(error)))
            continue
        typing = Typing(reading, shape, inferred=not (U and y), rejected=tuple(rejected))
        if fits is None or fits(reading, shape):
            return typing
        typed.append(typing)
        rejected.append((reading, f"the claim is {show(shape)}, not the gradient's shape"))
    if typed:
        return typed[0]
    message = rejected[0][1]
    others = [r for r in readings_to_try(None, None) if r not in dict(rejected)]
    working = []
    for reading in others:
        try:
            shape_of(node, reading)
        except ShapeError:
            continue
        working.append(reading)
    if working:
        message += f"; it type-checks with {working[0].describe()}"
    elif len(rejected) > 1:
        message += "; no reading of U (rows or columns) and y (row or column) makes it type-check"
    raise ShapeError(message, tuple(s for r, s in rejected))
