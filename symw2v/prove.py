"""The prover: decide ``claimed − derived ≡ 0`` exactly, or find an exact counterexample.

Proof: exponentials become monomials over a basis of their exponents (``rational.py``), every
residual entry becomes a rational function, which is zero exactly when its numerator over a
common denominator expands to 0 (``rational.vanishes``: the terms cancel).  This is
a decision procedure, not ``simplify()``: for polynomial exponents the exponentials are
algebraically independent, so a non-zero rational function is a false claim.  Logs are opaque
symbols there; a residual that does not cancel is tried once more with every log split into the
logs of its argument's irreducible factors (``logs.py``), which proves equal logs written
differently, and decides nothing when it does not cancel.

Refutation: the residual is evaluated exactly at small rational points; at such a point every
exponential is a rational power of e, so the residual is a rational function of ``e^{1/L}``,
which is non-zero when its numerator is (e is transcendental).  Where opaque atoms (logs) stay,
interval arithmetic at 60 digits certifies the sign instead.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import mpmath
import sympy

from symw2v.limits import cpu_deadline
from symw2v.logs import split_logs
from symw2v.rational import ExpBasis, to_rational, vanishes
from symw2v.results import Counterexample, Proof, Verdict
from symw2v.world.symbols import Coordinate

POINT_VALUES = (1, -1, 2, -2, sympy.Rational(1, 2), sympy.Rational(-1, 2), 3)
TRIES = 24
LARGE_POINT = 60  # coordinates in a point past which a residual is enclosed before it is cancelled


@dataclass(frozen=True)
class Pair:
    """One comparison: the claim and the derived gradient for one value of a free index."""

    label: str
    claimed: sympy.Matrix
    derived: sympy.Matrix


def decide(pairs: list[Pair], deadline=None) -> Proof:
    """``proved`` when every residual entry cancels to 0; otherwise look for a counterexample.

    ``deadline`` is a callable that raises ``ProofTimeout`` when time is up.
    """
    tick = deadline or (lambda: None)
    # a wrong claim is usually visibly wrong at the first point: refute it there, exactly,
    # before any cancel (which is most of the cost of a refutation, and grows with the size)
    symbols = _symbols(pairs)
    screened = _first_point_counterexample(pairs, symbols, tick) if len(symbols) > SCREEN_FROM else None
    if screened is not None:
        return Proof(Verdict.REFUTED, "exact counterexample", counterexample=screened)
    residuals = [pair.claimed - pair.derived for pair in pairs]
    entries = [entry for residual in residuals for entry in residual]
    tick()
    rewritten, basis = to_rational(entries)
    nonzero = []
    for index, entry in enumerate(rewritten):
        tick()
        if not vanishes(entry):
            nonzero.append(index)
            if not entries[index].has(sympy.log):
                break  # splitting logs cannot save it: the counterexample search decides
    rescuable = nonzero and entries[nonzero[-1]].has(sympy.log)
    split = _split_logs_cancel([entries[i] for i in nonzero], tick) if rescuable else None
    if not nonzero or split:
        atoms = len((split or basis).symbols)
        logs = "logarithms split into irreducible factors, " if split else ""
        method = f"exact: exponentials as monomials over a basis of {atoms} exponent(s), {logs}" + (
            "the residual entry cancels to 0"
            if len(entries) == 1
            else f"{len(entries)} residual entries cancel to 0"
        )
        if basis.opaque and not split:
            method += f" (with {len(basis.opaque)} opaque atom(s) as free symbols)"
        return Proof(Verdict.PROVED, method)
    counterexample = find_counterexample(pairs, tick)
    if counterexample is None:
        return Proof(
            Verdict.UNDECIDED,
            "no exact counterexample found",
            message=(
                f"the residual does not cancel to 0 as a rational function, but no counterexample "
                f"was found at {TRIES} rational points"
            ),
        )
    return Proof(Verdict.REFUTED, "exact counterexample", counterexample=counterexample)


def is_identity(pairs: list[Pair]) -> bool:
    """Whether every residual entry cancels to 0 (the proof half of ``decide``, nothing more)."""
    entries = [entry for pair in pairs for entry in (pair.claimed - pair.derived)]
    rewritten, _ = to_rational(entries)
    nonzero = [entry for entry, form in zip(entries, rewritten, strict=True) if not vanishes(form)]
    return not nonzero or _split_logs_cancel(nonzero) is not None


def _split_logs_cancel(entries: list[sympy.Expr], tick=lambda: None) -> ExpBasis | None:
    """The basis used when every entry cancels to 0 once its logs are split into logs of
    irreducible factors (``logs.py``); ``None`` otherwise, which decides nothing."""
    split = split_logs(entries, tick)
    if split is None or not all(vanishes(entry) for entry in split[0]):
        return None
    return split[1]


def point_for(symbols: list[sympy.Symbol], attempt: int, values: tuple = POINT_VALUES) -> dict:
    """The ``attempt``-th point of a fixed sequence: each symbol gets one of ``values``."""
    rng = random.Random(1000 + attempt)
    positive = tuple(v for v in values if v > 0)
    return {s: rng.choice(positive if s.is_positive else values) for s in symbols}


def _defined(matrix: sympy.Matrix) -> bool:
    return not any(entry.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo) for entry in matrix)


def _symbols(pairs: list[Pair]) -> list[sympy.Symbol]:
    symbols = set()
    for pair in pairs:
        symbols |= pair.claimed.free_symbols | pair.derived.free_symbols
    return sorted(symbols, key=sympy.default_sort_key)


def find_counterexample(pairs: list[Pair], tick=lambda: None) -> Counterexample | None:
    """The first point (in a fixed order) where some residual entry is exactly non-zero."""
    ordered = _symbols(pairs)
    for attempt in range(TRIES):
        found = _counterexample_at(pairs, point_for(ordered, attempt), tick)
        if found is not None:
            return found
    return None


SCREEN_DIGITS = 30
SCREEN_FROM = 30  # symbols past which the cancel costs more than the screen: below, no screen
_SCREEN_TOLERANCE = sympy.Float(10) ** -20


def _first_point_counterexample(pairs: list[Pair], symbols: list, tick) -> Counterexample | None:
    """``find_counterexample``'s answer when it is at its first point, found cheaply: the
    residual is screened there in floating point (30 digits) first, and evaluated exactly only
    when the screen sees a non-zero entry.  ``None`` says nothing: the claim may still be wrong
    (the exact procedure decides)."""
    point = point_for(symbols, 0)
    floats = {symbol: sympy.Float(value, SCREEN_DIGITS) for symbol, value in point.items()}
    for pair in pairs:
        tick()
        residual = pair.claimed.xreplace(floats) - pair.derived.xreplace(floats)
        if any(_visibly_nonzero(entry) for entry in residual):
            return _counterexample_at(pairs, point, tick)
    return None


def _visibly_nonzero(value: sympy.Expr) -> bool:
    value = sympy.N(value, SCREEN_DIGITS)
    return value.is_number and value.is_finite is True and abs(value) > _SCREEN_TOLERANCE


def _counterexample_at(pairs: list[Pair], point: dict, tick) -> Counterexample | None:
    """The first pair whose residual is exactly non-zero at ``point``, as a counterexample."""
    for pair in pairs:
        tick()
        claimed, derived = pair.claimed.xreplace(point), pair.derived.xreplace(point)
        if not (_defined(claimed) and _defined(derived)):
            continue
        residual = claimed - derived
        large = len(point) > LARGE_POINT
        # the first entry shown non-zero is the one reported: the others need no test
        shown = (nonzero_certificate(entry, enclose_first=large) for entry in residual)
        certificate = next((c for c in shown if c), "")
        if not certificate:
            continue
        point_latex, point_json = point_fields(point)
        return Counterexample(
            target=pair.label,
            point_latex=point_latex,
            point=point_json,
            claimed_latex=sympy.latex(claimed),
            derived_latex=sympy.latex(derived),
            residual_latex=sympy.latex(residual),
            approximate=tuple(sympy.sstr(sympy.N(e, 15)) for e in residual),
            certificate=certificate,
        )
    return None


def vectors_at(point: dict) -> dict[str, tuple[str, list]]:
    """The point as vectors: ``{"u_1": (LaTeX of u_1, [3, -2, 1/2]), "v_c": …, "z": …}``, the
    word vectors first; only the coordinates of the world's vectors are shown."""
    vectors: dict[str, tuple[str, dict[int, sympy.Expr]]] = {}
    for symbol, value in point.items():
        if isinstance(symbol, Coordinate):
            vectors.setdefault(symbol.vector, (symbol.vector_latex, {}))[1][symbol.position] = symbol.shown(
                value
            )
    order = {"u": 0, "v": 1, "z": 2, "X": 3}
    ordered = sorted(vectors, key=lambda n: (order.get(n[0], 4), len(n), n))
    return {
        name: (vectors[name][0], [vectors[name][1][i] for i in sorted(vectors[name][1])]) for name in ordered
    }


def point_fields(point: dict) -> tuple[str, dict[str, list[str]]]:
    """The point's LaTeX and its JSON form ``{"u_1": ["3", "-2", "1/2"], …}``."""
    vectors = vectors_at(point)
    latex = r",\quad ".join(
        rf"{head} = \left({', '.join(sympy.latex(v) for v in values)}\right)^{{\top}}"
        for head, values in vectors.values()
    )
    return latex, {name: [str(v) for v in values] for name, (_, values) in vectors.items()}


SHOWN_OPS = 400  # operations past which an exact value is shown to 15 digits instead


def shown_exactly(matrix: sympy.Matrix) -> str:
    """LaTeX of an exact matrix; one too long to read (sums of hundreds of exponentials) is
    shown with its entries to 15 digits."""
    if sum(sympy.count_ops(entry) for entry in matrix) <= SHOWN_OPS:
        return sympy.latex(matrix)
    return sympy.latex(matrix.applyfunc(lambda entry: sympy.N(entry, 15)))


def nonzero_certificate(value: sympy.Expr, enclose_first: bool = False) -> str:
    """Why the exact number ``value`` is not 0, or ``""`` when it is 0 or cannot be shown.

    ``enclose_first``: try a rigorous enclosure before the exact test, whose cancel grows fast
    with the number of exponentials (at large instances); a number it cannot separate from 0
    still gets the exact test.
    """
    if enclose_first:
        sign, why = _interval_sign(value)
        if sign:
            return why
    zero, why = _zero_test(value)
    if zero is None:
        sign, why = _interval_sign(value)
        return why if sign else ""
    return "" if zero else why


def exact_sign(value: sympy.Expr) -> tuple[int | None, str]:
    """The sign of the exact real number ``value`` (-1, 0 or 1) and why, or ``(None, "")``
    when it cannot be decided (an enclosure that still contains 0)."""
    zero, why = _zero_test(value)
    if zero:
        return 0, why
    sign, interval_why = _interval_sign(value)
    return sign, (why or interval_why) if sign else ""


def _zero_test(value: sympy.Expr) -> tuple[bool | None, str]:
    """Whether the exact number ``value`` is 0, decided exactly, and why it is not; ``None``
    when logs remain (then only an enclosure can tell).

    With no logs, ``value`` is a rational function of ``t = e^{1/L}`` with rational
    coefficients, which cancels to 0 or is not 0 (e is transcendental).
    """
    if value == 0:
        return True, ""
    if value.is_Rational:
        return False, "the residual is a non-zero rational number"
    rewritten, basis = to_rational([value])
    if basis.opaque or not all(e.is_Rational for e in basis.exponents):
        return None, ""
    reduced = sympy.cancel(rewritten[0])
    if reduced == 0:
        return True, ""
    if not basis.symbols:
        return False, "the residual is a non-zero rational number"
    return False, (
        "the residual is a non-zero rational function of "
        f"t = e^({sympy.sstr(basis.exponents[0])}) with rational coefficients, and e is "
        "transcendental"
    )


INTERVAL_BITS = (200, 800, 3200)  # rigorous enclosures, each tried when the one before is too wide


def _interval_sign(value: sympy.Expr) -> tuple[int | None, str]:
    """The sign of ``value`` from an enclosure that excludes 0, or ``(None, "")``."""
    iv = mpmath.iv
    previous = iv.prec
    try:
        for bits in INTERVAL_BITS:
            iv.prec = bits  # the interval context keeps its own precision (workprec sets mp's)
            try:
                interval = _interval(value)
            except (ValueError, ZeroDivisionError, TypeError, OverflowError):
                return None, ""
            if interval.a > 0 or interval.b < 0:
                digits = int(bits * 0.30103)
                why = (
                    f"interval arithmetic at {bits} bits (~{digits} digits) encloses the residual in "
                    f"{iv.nstr(interval, 12)}, away from 0"
                )
                return (1 if interval.a > 0 else -1), why
    finally:
        iv.prec = previous
    return None, ""


_INTERVAL_FUNCTIONS = {sympy.exp: mpmath.iv.exp, sympy.log: mpmath.iv.log}


def _interval(expr: sympy.Expr):
    """A rigorous enclosure of the exact number ``expr`` (mpmath interval arithmetic)."""
    iv = mpmath.iv
    if expr.is_Rational:
        return iv.mpf(int(expr.p)) / iv.mpf(int(expr.q))
    if expr is sympy.E:
        return iv.e
    if expr.is_Add:
        total = iv.mpf(0)
        for arg in expr.args:
            total += _interval(arg)
        return total
    if expr.is_Mul:
        product = iv.mpf(1)
        for arg in expr.args:
            product *= _interval(arg)
        return product
    if expr.is_Pow and expr.exp.is_Integer:
        return _interval(expr.base) ** int(expr.exp)
    if expr.is_Pow and expr.base is sympy.E:
        return iv.exp(_interval(expr.exp))
    function = _INTERVAL_FUNCTIONS.get(type(expr))
    if function is not None:
        return function(_interval(expr.args[0]))
    raise TypeError(f"no interval rule for {type(expr).__name__}")


def time_limit(seconds: float | None):
    """A deadline callable for ``decide``: raises ``ProofTimeout`` once ``seconds`` of CPU time
    have passed."""
    return cpu_deadline(seconds)
