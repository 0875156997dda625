"""Shapes of closed forms over symbolic sizes V and d, and the readings of ``U`` and ``y``.

A reading fixes what the conventions leave open: ``U`` as rows (V×d, row w is u_wᵀ) or columns
(d×V), and ``y``/``ŷ`` as columns (V×1) or rows (1×V).  Shapes are checked with V and d as
symbols, so a claim that only type-checks because V happens to equal d is still rejected.
"""

from __future__ import annotations

from dataclasses import dataclass

from symw2v import closed_form as cf
from symw2v.errors import ShapeError

Shape = tuple[str, str]
SCALAR: Shape = ("1", "1")


@dataclass(frozen=True)
class Reading:
    """How ``U`` and ``y``, ``ŷ`` are laid out."""

    U: str = "columns"  # "rows" (V×d) or "columns" (d×V)
    y: str = "column"  # "column" (V×1) or "row" (1×V)

    def describe(self) -> str:
        u = "U rows (V×d, row w is u_wᵀ)" if self.U == "rows" else "U columns (d×V, column w is u_w)"
        y = "ŷ, y as 1×V rows" if self.y == "row" else "ŷ, y as V×1 columns"
        return f"{u}; {y}"


def show(shape: Shape) -> str:
    return f"{shape[0]}×{shape[1]}"


def _name_shape(name: str, reading: Reading) -> Shape:
    table = {
        "v_c": ("d", "1"),
        "U": ("V", "d") if reading.U == "rows" else ("d", "V"),
        "z": ("V", "1"),
        "y": ("1", "V") if reading.y == "row" else ("V", "1"),
        "yhat": ("1", "V") if reading.y == "row" else ("V", "1"),
        "K": SCALAR,
        "V": SCALAR,
        "e": SCALAR,
    }
    return table[name]


def _is_vocab_vector(shape: Shape) -> bool:
    return shape in (("V", "1"), ("1", "V"))


def shape_of(node: cf.Node, reading: Reading) -> Shape:
    """The shape of ``node`` under ``reading``; raises ``ShapeError`` naming the clash."""
    from symw2v.printing import to_text

    if isinstance(node, cf.Num):
        return SCALAR
    if isinstance(node, cf.Name):
        return _name_shape(node.name, reading)
    if isinstance(node, cf.Word):
        return ("d", "1")
    if isinstance(node, cf.Component):
        base = shape_of(node.base, reading)
        if not _is_vocab_vector(base):
            raise ShapeError(
                f"{to_text(node)}: only a length-V vector has a component _{node.index}, "
                f"but {to_text(node.base)} is {show(base)}",
                (show(base),),
            )
        return SCALAR
    if isinstance(node, cf.Transpose):
        rows, cols = shape_of(node.operand, reading)
        return (cols, rows)
    if isinstance(node, cf.Neg):
        return shape_of(node.operand, reading)
    if isinstance(node, cf.Sum):
        return shape_of(node.body, reading)
    if isinstance(node, (cf.Add, cf.Sub)):
        left, right = shape_of(node.left, reading), shape_of(node.right, reading)
        if left != right:
            raise ShapeError(
                f"{to_text(node)}: cannot add {show(left)} and {show(right)}", (show(left), show(right))
            )
        return left
    if isinstance(node, cf.Mul):
        left, right = shape_of(node.left, reading), shape_of(node.right, reading)
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
    if isinstance(node, cf.Div):
        left, right = shape_of(node.left, reading), shape_of(node.right, reading)
        if right != SCALAR:
            raise ShapeError(f"{to_text(node)}: cannot divide by a {show(right)} matrix", (show(right),))
        return left
    if isinstance(node, cf.Pow):
        base = shape_of(node.base, reading)
        if base != SCALAR:
            raise ShapeError(f"{to_text(node)}: only a scalar has a power, not a {show(base)}", (show(base),))
        return SCALAR
    if isinstance(node, cf.Call):
        argument = shape_of(node.argument, reading)
        if node.function == "softmax" and not _is_vocab_vector(argument):
            raise ShapeError(
                f"{to_text(node)}: softmax takes a length-V vector, not {show(argument)}", (show(argument),)
            )
        return argument
    raise TypeError(f"not a closed-form node: {node!r}")


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


def infer_reading(node: cf.Node, U: str | None = None, y: str | None = None) -> Typing:
    """Type ``node`` under the first reading that works; ``ShapeError`` if none does.

    A declared ``U`` or ``y`` is binding; the error then names the reading that would work.
    """
    rejected: list[tuple[Reading, str]] = []
    for reading in readings_to_try(U, y):
        try:
            shape = shape_of(node, reading)
        except ShapeError as error:
            rejected.append((reading, str(error)))
            continue
        return Typing(reading, shape, inferred=not (U and y), rejected=tuple(rejected))
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
