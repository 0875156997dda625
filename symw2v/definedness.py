"""Where a claim is defined: a claim undefined at a point where the gradient exists is not it.

The instantiator records what a claim needs to be defined: every divisor (and the base of a
negative power) non-zero, every argument of a log positive.  SymPy's arithmetic cannot be
trusted to keep track of that: ``0·log(0)`` becomes ``nan``, but ``D/D`` becomes 1 even where
D ≡ 0.  So the conditions are decided here, before any proof:

- a condition SymPy's assumptions show to hold everywhere (a sum of exponentials is positive)
  needs nothing more;
- a condition that fails at some exact rational point (a divisor that is 0 there, a log of a
  number ≤ 0) refutes the claim at that point: the claim is undefined where the gradient is a
  number — the counterexample says which condition fails and shows the gradient's value;
- a condition neither shown nor seen to fail keeps the claim from being proved: the verdict is
  then ``undecided``, with the condition named.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy

from symw2v.prove import POINT_VALUES, Pair, exact_sign, point_fields, point_for
from symw2v.rational import to_rational
from symw2v.results import Counterexample, Proof, Verdict

TRIES = 24
# zero, often: a divisor like u_oᵀv_c vanishes where a vector is 0 (the first point is the
# origin, where every dot product does)
VALUES = (0, 0, 0, *POINT_VALUES)
UNDEFINED_LATEX = r"\text{undefined}"
_NEEDS = {"nonzero": "non-zero", "positive": "positive"}


@dataclass(frozen=True)
class Condition:
    """What a claim needs at one of its targets: ``value`` non-zero, or positive."""

    kind: str  # "nonzero" (a divisor, the base of a negative power) or "positive" (a log's argument)
    value: sympy.Expr
    text: str  # the part of the claim it is about, as the claim language prints it
    target: str


def holds_everywhere(condition: Condition) -> bool:
    """Whether the condition holds at every point: by SymPy's assumptions (the symbols are
    real; a sum of exponentials is positive), or because the value, with its exponentials as
    positive symbols, is a quotient of polynomials in them with coefficients of one sign
    (``1 − σ(x)`` is ``1/(1 + t)`` with t = eˣ)."""
    sign = _sign_everywhere(condition.value)
    return sign != 0 if condition.kind == "nonzero" else sign == 1


def _sign_everywhere(value: sympy.Expr) -> int:
    """1 or -1 when ``value`` has that sign at every point, 0 when that is not shown."""
    if value.is_positive:
        return 1
    if value.is_negative:
        return -1
    rewritten, basis = to_rational([value])
    if basis.opaque:
        return 0
    numerator, denominator = sympy.fraction(sympy.cancel(rewritten[0]))
    if not all(symbol.is_positive for symbol in numerator.free_symbols | denominator.free_symbols):
        return 0
    signs = {_coefficient_sign(numerator), _coefficient_sign(denominator)}
    if 0 in signs:
        return 0
    return 1 if len(signs) == 1 else -1


def _coefficient_sign(polynomial: sympy.Expr) -> int:
    """1 (-1) when every coefficient of ``polynomial`` in its (positive) symbols is positive
    (negative), 0 otherwise."""
    symbols = sorted(polynomial.free_symbols, key=sympy.default_sort_key)
    coefficients = sympy.Poly(polynomial, *symbols).coeffs() if symbols else [polynomial]
    if all(c > 0 for c in coefficients):
        return 1
    if all(c < 0 for c in coefficients):
        return -1
    return 0


def _fails(condition: Condition, point: dict) -> str:
    """Why ``condition`` fails at ``point``, exactly, or ``""`` when it holds or cannot be told."""
    value = condition.value.xreplace(point)
    sign, _ = exact_sign(value)
    where = "everywhere" if condition.value.is_number else "there"
    if condition.kind == "nonzero" and sign == 0:
        return f"it divides by {condition.text}, which is 0 {where}"
    if condition.kind == "positive" and sign is not None and sign <= 0:
        shown = sympy.sstr(value if value.is_Rational else sympy.N(value, 6))
        return f"it takes the log of {condition.text}, which is {shown} {where}, not positive"
    return ""


def check_defined(
    pairs: list[Pair], conditions: list[Condition], tick=lambda: None
) -> Proof | tuple[str, ...]:
    """A refutation at a point where the claim is undefined, or the conditions left open (empty
    when the claim is defined wherever the gradient is)."""
    open_conditions = [c for c in conditions if not holds_everywhere(c)]
    if not open_conditions:
        return ()
    symbols = set()
    for pair in pairs:
        symbols |= pair.claimed.free_symbols | pair.derived.free_symbols
    for condition in open_conditions:
        symbols |= condition.value.free_symbols
    ordered = sorted(symbols, key=sympy.default_sort_key)
    by_target = {pair.label: pair for pair in pairs}
    for attempt in range(TRIES):
        origin = {s: sympy.Integer(1 if s.is_positive else 0) for s in ordered}  # a count is never 0
        point = point_for(ordered, attempt, VALUES) if attempt else origin
        for condition in open_conditions:
            tick()
            why = _fails(condition, point)
            if why:
                return _refutation(by_target[condition.target], point, why)
    return tuple(f"{c.text} must be {_NEEDS[c.kind]}" for c in _distinct(open_conditions))


def _distinct(conditions: list[Condition]) -> list[Condition]:
    seen, kept = set(), []
    for condition in conditions:
        if (condition.kind, condition.text) not in seen:
            seen.add((condition.kind, condition.text))
            kept.append(condition)
    return kept


def _refutation(pair: Pair, point: dict, why: str) -> Proof:
    derived = pair.derived.xreplace(point)
    point_latex, point_json = point_fields(point)
    counterexample = Counterexample(
        target=pair.label,
        point_latex=point_latex,
        point=point_json,
        claimed_latex=UNDEFINED_LATEX,
        derived_latex=sympy.latex(derived),
        residual_latex=UNDEFINED_LATEX,
        approximate=("undefined",),
        certificate=f"{why}, while the gradient is defined",
        undefined=True,
    )
    return Proof(
        Verdict.REFUTED,
        "undefined: exact point",
        counterexample=counterexample,
        message=f"the claim is undefined where the gradient exists: {why}",
    )


def unproved(open_conditions: tuple[str, ...]) -> Proof:
    """The verdict on a claim equal to the gradient wherever it is defined, when it could not be
    shown defined everywhere."""
    return Proof(
        Verdict.UNDECIDED,
        "definedness not shown",
        message=(
            "the claim equals the gradient wherever it is defined, but it could not be shown "
            f"defined everywhere: {'; '.join(open_conditions[:3])}"
        ),
    )
