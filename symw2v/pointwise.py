"""Refute a claim at one exact point, without building its symbolic gradient.

At a large instance (V = 200, d = 20) the symbolic gradient alone takes minutes to build, and
the exact procedure cannot finish; yet a wrong claim is wrong at almost every point.  Here the
claim is evaluated at one point (every quantity computed from U and v_c there, so the point is
consistent), and the gradient is derived one vector at a time: J is built with every other
component already a number, differentiated by the d components of that vector, and evaluated.
The residual's entries are exact numbers; one that a rigorous enclosure (or the exact test)
shows non-zero refutes the claim.  Nothing here ever proves: a claim not refuted at the point
goes on to the exact procedure.

The point is sparse first: only v_c and the vectors of a few words (o, the negatives, the first
words) are non-zero, so J is cheap to build and the counterexample short to read; the other
words' vectors are 0.  Where that point shows nothing, every vector gets a value.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy

from symw2v import closed_form as cf
from symw2v.derive import loss_tree, target_label
from symw2v.instantiate import Context, Instantiator
from symw2v.prove import nonzero_certificate, point_fields, point_for, shown_exactly
from symw2v.question import Question
from symw2v.results import Counterexample
from symw2v.world import CANONICAL, OBJECTS, VARIABLES, VOCABULARY, WORDS, Instance, Reading
from symw2v.world import symbols as coordinates

SHOWN_WORDS = 3  # words besides o and the negatives whose vectors are non-zero at a sparse point
OTHERS = "every other u_w"


@dataclass(frozen=True)
class _Block:
    """One vector of the variable: its component symbols, and where its gradient sits in the
    claim (``row`` or ``column`` ``index`` of a gradient by U; the whole claim otherwise)."""

    label: str
    bindings: tuple[tuple[str, int], ...]
    symbols: tuple[sympy.Symbol, ...]
    part: str = ""
    index: int = 0

    def of(self, claimed: sympy.Matrix) -> sympy.Matrix:
        if self.part == "row":
            return claimed.row(self.index).T
        if self.part == "column":
            return claimed.col(self.index)
        return claimed


def refute_at_point(
    node: cf.Node, question: Question, reading: Reading, used: str, tick=lambda: None
) -> Counterexample | None:
    """A counterexample to ``∂J/∂wrt = node`` (typed, in layout ``used``) at one point, or None
    (not refuted there: the exact procedure decides)."""
    blocks = _blocks(question, reading)
    if blocks is None:
        return None
    instance = question.where
    for point, others_zero in ((_sparse_point(instance), True), (_dense_point(instance), False)):
        found = _at(node, question, reading, used, blocks, point, tick)
        if found is not None:
            return _counterexample(*found, point, others_zero, instance)
    return None


def _blocks(question: Question, reading: Reading) -> list[_Block] | None:
    """The vectors of the variable, each with the part of the claim that is its gradient;
    None for a variable this does not cover (z, a scalar, J itself)."""
    instance, variable = question.where, VARIABLES[question.wrt]
    if variable.object == WORDS.letter:
        if not variable.free:
            return [_Block("", (), tuple(instance.u(instance.o)))]
        letter = variable.free
        index_set = question.loss.index_set(letter)
        if index_set is None:
            return None
        members = index_set.members(instance)
        return [
            _Block(
                target_label(letter, j, word, index_set is VOCABULARY),
                ((letter, word),),
                tuple(instance.u(word)),
            )
            for j, word in enumerate(members, start=1)
            if question.case.admits(word, instance)
        ]
    obj = OBJECTS.get(variable.object)
    if obj is None or obj.definition:
        return None
    if obj.value == "coordinates":
        return [_Block("", (), tuple(instance.v()))]
    if obj.value != "matrix":
        return None
    part = "row" if reading.transposes(obj.transposed_by) else "column"
    return [_Block("", (), tuple(instance.u(word)), part, word - 1) for word in range(1, instance.V + 1)]


def _sparse_point(instance: Instance) -> dict:
    shown = sorted({instance.o, *instance.negatives, *range(1, min(SHOWN_WORDS, instance.V) + 1)})
    free = [s for w in shown for s in instance.u(w)] + list(instance.v())
    point = point_for(sorted(free, key=sympy.default_sort_key), 0)
    for word in range(1, instance.V + 1):
        if word not in shown:
            point.update(dict.fromkeys(instance.u(word), sympy.Integer(0)))
    return point


def _dense_point(instance: Instance) -> dict:
    return point_for(sorted(instance.symbols(), key=sympy.default_sort_key), 0)


def _at(node, question: Question, reading: Reading, used: str, blocks, point: dict, tick):
    """The first block whose residual is shown non-zero at ``point``: (block, claimed, derived,
    certificate), or None."""
    instance, loss = question.where, question.loss
    context = Context(instance, reading, region=question.region)
    loss_node = loss_tree(loss)
    claimed_by_binding: dict = {}
    for block in blocks:
        tick()
        if block.bindings not in claimed_by_binding:
            claimed_by_binding[block.bindings] = _claimed(node, context, dict(block.bindings), point, used)
        claimed = claimed_by_binding[block.bindings]
        if claimed is None:
            return None  # not defined at the point, or not a number there: not for this module
        claimed = block.of(claimed)
        derived = _gradient(loss_node, instance, block.symbols, point)
        if derived is None:
            return None
        residual = claimed - derived
        for entry in residual:
            tick()
            certificate = nonzero_certificate(entry, enclose_first=True)
            if certificate:
                return block, claimed, derived, certificate
    return None


def _claimed(node, context: Context, bindings: dict, point: dict, used: str) -> sympy.Matrix | None:
    instantiator = Instantiator(context, point)
    value = instantiator.evaluate(node, bindings)
    if used == "numerator":
        value = value.T
    if any(not _defined(kind, condition) for kind, condition, _ in instantiator.conditions):
        return None
    if any(entry.free_symbols or not entry.is_finite for entry in value):
        return None
    return value


def _defined(kind: str, value: sympy.Expr) -> bool:
    """Whether a condition the claim needs holds at the point, shown exactly (a number)."""
    if value.free_symbols:
        return False
    return value.is_zero is False if kind == "nonzero" else value.is_positive is True


def _gradient(loss_node, instance: Instance, block: tuple, point: dict) -> sympy.Matrix | None:
    """∂J/∂(the block's vector) at ``point``: J with every other component a number."""
    free = set(block)
    at = {symbol: value for symbol, value in point.items() if symbol not in free}
    J = Instantiator(Context(instance, CANONICAL), at).scalar(loss_node)
    if not J.free_symbols <= free:
        return None  # J has quantities the point does not give (counts, a scalar)
    gradient = sympy.Matrix([sympy.diff(J, symbol) for symbol in block]).xreplace(point)
    return gradient if all(entry.is_finite for entry in gradient) else None


def _counterexample(block, claimed, derived, certificate, point, others_zero, instance) -> Counterexample:
    residual = claimed - derived
    shown = point
    if others_zero:
        shown = {
            s: v
            for s, v in point.items()
            if not (isinstance(s, coordinates.Coordinate) and _zero_word(s, point, instance))
        }
    point_latex, point_json = point_fields(shown)
    if others_zero and len(shown) < len(point):
        point_latex += r",\quad \boldsymbol{u}_{w} = \boldsymbol{0} \text{ for every other } w"
        point_json[OTHERS] = ["0"] * instance.d
    return Counterexample(
        target=block.label,
        point_latex=point_latex,
        point=point_json,
        claimed_latex=shown_exactly(claimed),
        derived_latex=shown_exactly(derived),
        residual_latex=shown_exactly(residual),
        approximate=tuple(sympy.sstr(sympy.N(e, 15)) for e in residual),
        certificate=certificate,
    )


def _zero_word(symbol: sympy.Symbol, point: dict, instance: Instance) -> bool:
    """Whether ``symbol`` is a component of a word vector that is 0 at the point."""
    if not isinstance(symbol, coordinates.Coordinate) or symbol.owner != "u":
        return False
    return point[coordinates.u(symbol.indices[0], 1)] == 0 and all(
        point[coordinates.u(symbol.indices[0], i)] == 0 for i in range(2, instance.d + 1)
    )
