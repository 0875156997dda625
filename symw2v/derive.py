"""Build a loss at an instance and differentiate it with ``sympy.diff`` over component symbols.

The gradient is always given in denominator layout (the variable's own shape); the prover
compares a numerator-layout claim against its transpose.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

import sympy

from symw2v import closed_form as cf
from symw2v.errors import SymW2VError
from symw2v.instantiate import Context, Instantiator, resolve_sums
from symw2v.parse import parse_claim
from symw2v.rational import is_zero
from symw2v.world import (
    CANONICAL,
    CENTRES,
    FAMILIES,
    OBJECTS,
    OUTSIDE,
    SCALAR,
    VARIABLES,
    VOCABULARY,
    WORDS,
    WRT,
    Instance,
    Reading,
)
from symw2v.world import symbols as coordinates
from symw2v.world.losses import Loss


@dataclass(frozen=True)
class Target:
    """One gradient to compare against: at ``bindings`` of the claim's free index, if any."""

    label: str
    bindings: tuple[tuple[str, int], ...]
    gradient: sympy.Matrix

    def binding_dict(self) -> dict[str, int]:
        return dict(self.bindings)


def zero_claim(node, wrt: str):
    """``node``, or for the claim ``0`` about a variable that is not a number, the zero of the
    variable's shape (``0 v_w``: J does not depend on another word's centre vector)."""
    variable = VARIABLES.get(wrt)
    if node != cf.Num(Fraction(0)) or variable is None or variable.shape(CANONICAL) == SCALAR:
        return node
    if variable.object in FAMILIES:
        return cf.Mul(node, cf.Word(variable.index or OUTSIDE, variable.object))
    return cf.Mul(node, cf.Name(variable.object))


def variable_shape(wrt: str, reading: Reading) -> tuple[str, str]:
    """The symbolic shape of the variable ``wrt`` (the denominator layout of its gradient)."""
    return VARIABLES[wrt].shape(reading)


def loss_context(loss: Loss, instance: Instance, reading: Reading, wrt: str) -> Context:
    """The context that claims about ``∂J/∂wrt`` are instantiated in (z is always Uᵀv_c there)."""
    return Context(instance, reading)


@lru_cache(maxsize=64)
def loss_tree(loss: Loss):
    """The loss's expression as an AST, every sum given its range."""
    return resolve_sums(parse_claim(loss.expression), loss, strict=False)


@lru_cache(maxsize=64)
def loss_expression(loss: Loss, instance: Instance, z_free: bool, region: tuple = ()) -> sympy.Expr:
    """J at the instance, over the component symbols (or over z when ``z_free``); ``region``
    reads a scalar in a region (x as a positive symbol for x > 0)."""
    context = Context(instance, CANONICAL, z_free=z_free, region=region)
    return Instantiator(context).scalar(loss_tree(loss))


def _check_through_scores(loss: Loss, instance: Instance, J_of_z: sympy.Expr, scores: dict) -> None:
    """∂J/∂z exists only for a loss that depends on U and v_c through z = Uᵀv_c alone: the loss
    read as a function of z must give the loss back at z = Uᵀv_c, exactly."""
    J = loss_expression(loss, instance, False)
    stray = J_of_z.free_symbols - set(scores)
    if stray or not is_zero(J_of_z.xreplace(scores) - J):
        raise SymW2VError(
            f"∂J/∂z is not defined for this loss: it depends on the vectors other than through "
            f"the scores z = Uᵀv_c ({loss.expression})"
        )


def _grad(J: sympy.Expr, symbols) -> sympy.Matrix:
    return sympy.Matrix([sympy.diff(J, s) for s in symbols])


def _scalar_derivative(loss: Loss, name: str, instance: Instance, region: tuple) -> tuple[Target, ...]:
    """dJ/dx for a function J of the scalar x, in its region (x > 0 or x < 0) when it has one:
    a maximum is only differentiable away from its kink, so it needs one."""
    J = loss_expression(loss, instance, False, region)
    if not region:
        if J.has(sympy.Max):
            raise SymW2VError(f"the derivative of {loss.expression} needs a case: {name} > 0 or {name} < 0")
        return (Target("", (), sympy.Matrix([[sympy.diff(J, coordinates.scalar(name))]])),)
    ((_, value),) = region
    symbol = next(iter(value.free_symbols))  # x = p (x > 0) or x = −p (x < 0), p positive
    return (Target("", (), sympy.Matrix([[sympy.diff(J, symbol) / sympy.diff(value, symbol)]])),)


def derive(
    loss: Loss, wrt: str, instance: Instance, reading: Reading, region: tuple = ()
) -> tuple[Target, ...]:
    """The gradients of ``loss`` with respect to ``wrt``, one per value of a free index.

    A word vector with a free letter (``u_k``, ``u_w``) has one target per member of the index
    set the loss gives that letter: each negative, or each word of the vocabulary, o included.
    Made once per question: claims under another reading share a gradient that does not
    depend on it.
    """
    if wrt in WRT and not _uses_reading(wrt):
        reading = CANONICAL
    return _derive(loss, wrt, instance, reading, region)


def _uses_reading(wrt: str) -> bool:
    """Whether the gradient by ``wrt`` depends on the reading: only a matrix's does (U's layout);
    J, a number, z, v_c and a word's vector are the same under every reading."""
    variable = VARIABLES[wrt]
    found = OBJECTS.get(variable.object)
    if not variable.object or variable.object == WORDS.letter:
        return False
    return found is None or not (found.value in ("scalar", "coordinates") or found.definition)


@lru_cache(maxsize=64)
def _derive(loss: Loss, wrt: str, instance: Instance, reading: Reading, region: tuple) -> tuple[Target, ...]:
    if wrt not in WRT:
        raise SymW2VError(f"cannot differentiate with respect to {wrt!r}; choose one of {', '.join(WRT)}")
    variable = VARIABLES[wrt]
    if not variable.object:  # the loss itself, for identities between expressions of it
        return (Target("", (), sympy.Matrix([[loss_expression(loss, instance, False)]])),)
    if variable.object in OBJECTS and OBJECTS[variable.object].value == "scalar":
        return _scalar_derivative(loss, variable.object, instance, region)
    defined = variable.object in OBJECTS and bool(OBJECTS[variable.object].definition)
    J = loss_expression(loss, instance, defined)
    U = instance.U_rows()
    if defined:
        # ∂J/∂z as a function of z, then at z = Uᵀv_c: a claim is compared with it at
        # consistent points, where z is computed from U and v_c like everything else
        z = instance.z_symbols()
        scores = dict(zip(z, U * instance.v(), strict=True))
        _check_through_scores(loss, instance, J, scores)
        return (Target("", (), _grad(J, z).xreplace(scores)),)
    if variable.object == CENTRES.letter:
        return _word_targets(loss, variable.free, instance, J, instance.centre_vector)
    if variable.object != WORDS.letter:
        if OBJECTS[variable.object].value == "coordinates":
            return (Target("", (), _grad(J, instance.v())),)
        gradient = U.applyfunc(lambda s: sympy.diff(J, s))  # as rows: V×d
        rows = reading.transposes(OBJECTS[variable.object].transposed_by)
        return (Target("", (), gradient if rows else gradient.T),)
    if not variable.free:
        return (Target("", (), _grad(J, U.row(instance.o - 1))),)
    return _word_targets(loss, variable.free, instance, J, instance.u)


def _word_targets(loss: Loss, letter: str, instance: Instance, J: sympy.Expr, vector) -> tuple[Target, ...]:
    """One target per member of the index set ``letter`` ranges over: ∂J by ``vector(word)``,
    the word's vector of the family differentiated by (u_w, or v_w a centre vector)."""
    index_set = loss.index_set(letter)
    members = index_set.members(instance)
    return tuple(
        Target(
            target_label(letter, j, word, index_set is VOCABULARY),
            ((letter, word),),
            _grad(J, vector(word)),
        )
        for j, word in enumerate(members, start=1)
    )


def target_label(letter: str, position: int, word: int, is_word: bool) -> str:
    """How a target is named: ``w = 3`` for a word, ``k = 2 (word 4)`` for a member of a set of words."""
    return f"{letter} = {word}" if is_word else f"{letter} = {position} (word {word})"
