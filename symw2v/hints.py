"""Hints: the classic mistakes, tried as edits of the student's own expression.

Each edit is one rule (flip the sign of one term, σ(x) ↔ σ(−x), 1 − σ(x) ↔ σ(x), add or drop
a transpose, drop a factor K, swap ŷ and y).  An edit that makes the claim provable becomes a
hint written in the student's notation; an edit that only makes it type-check becomes a hint
for an ill-typed claim.
"""

from __future__ import annotations

import dataclasses
import random
import time
from collections.abc import Callable, Iterator
from fractions import Fraction

import sympy

from symw2v import closed_form as cf
from symw2v.errors import ShapeError, SymW2VError
from symw2v.prove import Pair
from symw2v.question import Question, check_indices, pairs, pairs_hold, resolve, typed
from symw2v.shapes import infer_reading
from symw2v.world import OBJECTS

Path = tuple[str, ...]
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")
ONE = cf.Num(Fraction(1))


@dataclasses.dataclass(frozen=True)
class Edit:
    """A changed claim and how to say the change: ``says(printer)`` is the hint's sentence."""

    claim: cf.Node
    says: Callable[[Callable[[cf.Node], str]], str]


def _child_fields(node: cf.Node) -> list[str]:
    return [f.name for f in dataclasses.fields(node) if isinstance(getattr(node, f.name), cf.Node)]


def _paths(node: cf.Node, path: Path = ()) -> Iterator[tuple[Path, cf.Node]]:
    yield path, node
    for name in _child_fields(node):
        yield from _paths(getattr(node, name), (*path, name))


def _replace(node: cf.Node, path: Path, new: cf.Node) -> cf.Node:
    if not path:
        return new
    head, *rest = path
    return dataclasses.replace(node, **{head: _replace(getattr(node, head), tuple(rest), new)})


# -- the terms of a sum, for "the second term has the wrong sign"
def _terms(node: cf.Node, sign: int = 1) -> list[tuple[int, cf.Node]]:
    if isinstance(node, cf.Add):
        return _terms(node.left, sign) + _terms(node.right, sign)
    if isinstance(node, cf.Sub):
        return _terms(node.left, sign) + _terms(node.right, -sign)
    if isinstance(node, cf.Neg):
        return _terms(node.operand, -sign)
    return [(sign, node)]


def _rebuild(terms: list[tuple[int, cf.Node]]) -> cf.Node:
    sign, first = terms[0]
    node = first if sign > 0 else cf.Neg(first)
    for sign, term in terms[1:]:
        node = cf.Add(node, term) if sign > 0 else cf.Sub(node, term)
    return node


def _signed(sign: int, term: cf.Node, show) -> str:
    return f"{'+' if sign > 0 else '-'}{show(term)}"


def sign_flips(claim: cf.Node) -> Iterator[Edit]:
    terms = _terms(claim)
    if len(terms) == 1:
        yield Edit(
            _negated(claim), lambda show: f"the sign is wrong: the claim holds with `{show(_negated(claim))}`"
        )
        return
    for i, (sign, term) in enumerate(terms[: len(ORDINALS)]):
        flipped = list(terms)
        flipped[i] = (-sign, term)
        yield Edit(
            _rebuild(flipped),
            lambda show, i=i, sign=sign, term=term: (
                f"the {ORDINALS[i]} term has the wrong sign: "
                f"the claim holds with `{_signed(-sign, term, show)}`"
            ),
        )


def _negate_sigma_arguments(node: cf.Node) -> cf.Node:
    """Every σ(a) made σ(−a), a σ inside another's argument too (inside out: σ(1 − σ(x)) is
    σ(−(1 − σ(−x))))."""
    inside = {name: _negate_sigma_arguments(getattr(node, name)) for name in _child_fields(node)}
    node = dataclasses.replace(node, **inside) if inside else node
    if isinstance(node, cf.Call) and node.function == "sigma":
        return cf.Call("sigma", _negated(node.argument))
    return node


def dropped_inner_minus(claim: cf.Node) -> Iterator[Edit]:
    """d/dx log σ(−x) = −(1 − σ(−x)): forgetting the inner minus flips the term's sign and σ's argument."""
    terms = _terms(claim)
    for i, (sign, term) in enumerate(terms[: len(ORDINALS)]):
        fixed = _negate_sigma_arguments(term)
        if fixed == term:
            continue
        edited = list(terms)
        edited[i] = (-sign, fixed)
        where = f"the {ORDINALS[i]} term" if len(terms) > 1 else "the claim"
        yield Edit(
            _rebuild(edited),
            lambda show, where=where, sign=sign, fixed=fixed: (
                f"{where} lost the inner minus sign of σ(−x) in the chain rule: the claim holds with "
                f"`{_signed(-sign, fixed, show)}`"
            ),
        )


def _negated(node: cf.Node) -> cf.Node:
    if isinstance(node, cf.Neg):
        return node.operand
    if isinstance(node, cf.Mul):
        return cf.Mul(_negated(node.left), node.right)
    if isinstance(node, cf.Transpose) and isinstance(node.operand, cf.Neg):
        return cf.Transpose(node.operand.operand)
    return cf.Neg(node)


def sigma_arguments(claim: cf.Node) -> Iterator[Edit]:
    for path, node in _paths(claim):
        if isinstance(node, cf.Call) and node.function == "sigma":
            new = cf.Call("sigma", _negated(node.argument))
            yield Edit(
                _replace(claim, path, new),
                lambda show, old=node, new=new: (
                    f"`{show(old)}` should be `{show(new)}` (the inner minus sign of the chain rule)"
                ),
            )


def one_minus_sigma(claim: cf.Node) -> Iterator[Edit]:
    for path, node in _paths(claim):
        if isinstance(node, cf.Sub) and node.left == ONE and isinstance(node.right, cf.Call):
            if node.right.function == "sigma":
                new = node.right
                yield Edit(
                    _replace(claim, path, new),
                    lambda show, old=node, new=new: f"`{show(old)}` should be `{show(new)}`",
                )
        elif isinstance(node, cf.Call) and node.function == "sigma":
            new = cf.Sub(ONE, node)
            yield Edit(
                _replace(claim, path, new),
                lambda show, old=node, new=new: f"`{show(old)}` should be `{show(new)}`",
            )


def transposes(claim: cf.Node) -> Iterator[Edit]:
    for path, node in _paths(claim):
        if isinstance(node, cf.Transpose):
            yield Edit(
                _replace(claim, path, node.operand),
                lambda show, old=node: f"`{show(old)}` should not be transposed",
            )
        elif isinstance(node, cf.Word) or _role(node) in ("vector", "matrix"):
            new = cf.Transpose(node)
            yield Edit(
                _replace(claim, path, new),
                lambda show, old=node, new=new: f"`{show(old)}` needs a transpose: `{show(new)}`",
            )


def _role(node: cf.Node) -> str:
    return OBJECTS[node.name].role if isinstance(node, cf.Name) and node.name in OBJECTS else ""


def factors_of_sizes(claim: cf.Node) -> Iterator[Edit]:
    """A size (K, V) multiplied in or divided by where it does not belong."""
    for path, node in _paths(claim):
        if isinstance(node, cf.Mul) and "size" in (_role(node.left), _role(node.right)):
            size, rest = (node.left, node.right) if _role(node.left) == "size" else (node.right, node.left)
            yield Edit(_replace(claim, path, rest), lambda show, size=size: f"drop the factor {size.name}")
        elif isinstance(node, cf.Div) and _role(node.right) == "size":
            yield Edit(
                _replace(claim, path, node.left),
                lambda show, size=node.right: f"drop the division by {size.name}",
            )


# an object and the one written with a hat over its letter: y and ŷ
_HATTED = {cf.Name(o.hat_of): cf.Name(o.name) for o in OBJECTS.values() if o.hat_of}
_SWAP = {**_HATTED, **{hat: plain for plain, hat in _HATTED.items()}}


def swap_hats(claim: cf.Node) -> Iterator[Edit]:
    swapped = claim
    for path, node in _paths(claim):
        if node in _SWAP:
            swapped = _replace(swapped, path, _SWAP[node])
    if swapped != claim:
        said = ", ".join(
            f"{OBJECTS[hat.name].spellings[0]} and {plain.name}" for plain, hat in _HATTED.items()
        )
        yield Edit(swapped, lambda show: f"{said} are swapped")


RULES = (
    sign_flips,
    dropped_inner_minus,
    sigma_arguments,
    one_minus_sigma,
    transposes,
    factors_of_sizes,
    swap_hats,
)


def edits(claim: cf.Node, limit: int = 40) -> list[Edit]:
    """The single edits of ``claim`` the rules produce, at most ``limit``, in rule order."""
    found: list[Edit] = []
    seen = {claim}
    for rule in RULES:
        for edit in rule(claim):
            if edit.claim not in seen:
                seen.add(edit.claim)
                found.append(edit)
                if len(found) >= limit:
                    return found
    return found


# -- the search: the first edit that makes the claim hold ------------------------------------

HINT_SECONDS = 8.0


def hint(node: cf.Node, question: Question, show, typing_only: bool = False) -> str:
    """The first classic mistake whose correction makes the claim hold (or, for a claim that
    does not type-check, only type-check), said in the student's notation by ``show``."""
    deadline = time.process_time() + HINT_SECONDS  # CPU time: the same hint on a busy machine
    typed_only = ""
    screen = _Screen(question)
    for edit in edits(node):
        if time.process_time() > deadline:
            break
        # screened at one point first; only a correction that passes is proved, exactly
        found = screen.close(edit.claim)
        if found is not None and _proved(*found):
            return edit.says(show)
        if typing_only and not typed_only and _types(edit.claim, question):
            typed_only = edit.says(show) + " (then it type-checks, but is still not the gradient)"
    return typed_only


def _proved(found: list[Pair], conditions: list) -> bool:
    """Whether the screened correction holds exactly (as ``question.holds`` says: an error on the
    way, a time limit's included, is a no)."""
    try:
        return pairs_hold(found, conditions)
    except SymW2VError:
        return False


def _types(node: cf.Node, question: Question) -> bool:
    try:
        check_indices(node, question.wrt)
        infer_reading(node, question.conventions.U, question.conventions.y)
    except ShapeError:
        return False
    return True


class _Screen:
    """A cheap screen before an exact proof: does a claim match the gradient at one random
    point?  The point is the same for every edit of one search, so each derived gradient, and
    each matrix an edit instantiates to, is evaluated there once."""

    def __init__(self, question: Question) -> None:
        self.question = question
        self.values: dict[sympy.ImmutableMatrix, sympy.ImmutableMatrix] = {}

    def close(self, node: cf.Node) -> tuple[list[Pair], list] | None:
        """The pairs and conditions of ``node`` (as ``holds`` makes them) when it matches the
        gradient at the point; None when it does not, or does not type-check."""
        question = self.question
        try:
            resolved = resolve(node, question)
            typing, used = typed(resolved, question)
            found, conditions = pairs(resolved, question, typing, used, question.instance)
        except SymW2VError:
            return None
        symbols = sorted(
            set().union(*(p.derived.free_symbols | p.claimed.free_symbols for p in found)), key=str
        )
        rng = random.Random(7)
        point = {s: sympy.Float(rng.uniform(-1.3, 1.3), 30) for s in symbols}
        for pair in found:
            difference = self._at(pair.claimed, point) - self._at(pair.derived, point)
            if any(not entry.is_number or abs(complex(entry)) > 1e-12 for entry in difference):
                return None
        return found, conditions

    def _at(self, matrix: sympy.Matrix, point: dict) -> sympy.ImmutableMatrix:
        # the point depends on the symbols of the pair: they key the value too
        key = (sympy.ImmutableMatrix(matrix), tuple(point.items()))
        if key not in self.values:
            self.values[key] = sympy.ImmutableMatrix(matrix.xreplace(point))
        return self.values[key]
