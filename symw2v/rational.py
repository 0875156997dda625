"""Exponentials to monomials: the step that turns word2vec expressions into rational functions.

Every ``exp(p)`` whose argument ``p`` is a polynomial is written over a basis ``b_1 … b_n`` of
the arguments' non-constant parts, ``p = c + Σ_j m_j b_j / L_j`` with integers ``m_j``, and
replaced by ``e^c · Π_j t_j^{m_j}`` where ``t_j`` stands for ``exp(b_j / L_j)``.  The constant
part becomes a power of ``t_0 = e^{1/L_0}``.  The substitution is a ring homomorphism, so an
identity between the rational functions is an identity between the original expressions.
Anything else transcendental (a ``log``, an ``exp`` of a non-polynomial) becomes an opaque
symbol, which keeps that direction sound.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import lcm

import sympy


@dataclass(frozen=True)
class ExpBasis:
    """``symbols[j]`` stands for ``exp(exponents[j])``; ``opaque`` maps symbols to atoms kept whole."""

    symbols: tuple[sympy.Symbol, ...]
    exponents: tuple[sympy.Expr, ...]
    opaque: tuple[tuple[sympy.Symbol, sympy.Expr], ...]

    @property
    def size(self) -> int:
        return len(self.symbols)


def _monomial_vector(
    expr: sympy.Expr, gens: list[sympy.Symbol], index: dict[sympy.Symbol, int]
) -> dict[tuple[int, ...], Fraction] | None:
    """The polynomial ``expr`` as ``{exponents over gens: coefficient}``, or ``None`` when it is
    not a polynomial in ``gens`` with rational coefficients.

    The polynomial is built over its own symbols only and its monomials then placed among all
    of ``gens``: a dense polynomial over hundreds of generators (V·d coordinates) costs far
    more to build and to read than the few it uses.
    """
    own = sorted(expr.free_symbols & index.keys(), key=sympy.default_sort_key)
    if not own and not expr.is_Rational:
        return None
    if not own:
        return {(0,) * len(gens): Fraction(int(expr.p), int(expr.q))} if expr else {}
    if not expr.is_polynomial(*own):
        return None
    poly = sympy.Poly(expr, *own)
    # an irrational coefficient (e·x, say) has no place in a basis over Q
    if not all(c.is_Rational for c in poly.coeffs()):
        return None
    positions = [index[symbol] for symbol in own]
    vector = {}
    for monomial, c in poly.terms():
        if not c:
            continue
        exponents = [0] * len(gens)
        for position, power in zip(positions, monomial, strict=True):
            exponents[position] = power
        vector[tuple(exponents)] = Fraction(int(c.p), int(c.q))
    return vector


def _polynomial(vector: dict[tuple[int, ...], Fraction], gens: list[sympy.Symbol]) -> sympy.Expr:
    """The expression of a ``_monomial_vector``."""
    return sympy.Add(
        *(
            sympy.Rational(value.numerator, value.denominator)
            * sympy.Mul(*(g**power for g, power in zip(gens, monomial, strict=True) if power))
            for monomial, value in vector.items()
        )
    )


def _reduce(vector: dict, basis: list[tuple[tuple[int, ...], dict]]) -> tuple[dict, dict[int, Fraction]]:
    """Eliminate ``vector`` against an echelon ``basis``; returns the remainder and the multipliers."""
    remainder = dict(vector)
    multipliers: dict[int, Fraction] = {}
    for j, (pivot, row) in enumerate(basis):
        factor = remainder.get(pivot)
        if not factor:
            continue
        multipliers[j] = factor
        for monomial, value in row.items():
            new = remainder.get(monomial, Fraction(0)) - factor * value
            if new:
                remainder[monomial] = new
            else:
                remainder.pop(monomial, None)
    return remainder, multipliers


def _axpy(row: dict, factor: Fraction, other: dict) -> dict:
    """``row + factor * other`` with zero entries dropped."""
    result = dict(row)
    for key, value in other.items():
        new = result.get(key, Fraction(0)) + factor * value
        if new:
            result[key] = new
        else:
            result.pop(key, None)
    return result


def _linear_basis(vectors: list[dict]) -> tuple[list[dict], list[dict[int, Fraction]]]:
    """A basis chosen among ``vectors`` and each vector's coordinates over it (exact, over Q)."""
    echelon: list[tuple[tuple[int, ...], dict]] = []  # (pivot monomial, normalised row)
    # coordinates of each echelon row over the chosen original vectors
    echelon_in_chosen: list[dict[int, Fraction]] = []
    chosen: list[dict] = []
    coordinates: list[dict[int, Fraction]] = []
    for vector in vectors:
        remainder, multipliers = _reduce(vector, echelon)
        # vector = remainder + Σ multipliers[j] * echelon[j]
        combination: dict[int, Fraction] = {}
        for j, factor in multipliers.items():
            for i, value in echelon_in_chosen[j].items():
                combination[i] = combination.get(i, Fraction(0)) + factor * value
        if remainder:
            pivot = min(remainder)
            scale = remainder[pivot]
            index = len(chosen)
            chosen.append(vector)
            # remainder/scale = (vector - Σ combination) / scale
            row_in_chosen = {i: -value / scale for i, value in combination.items()}
            row_in_chosen[index] = row_in_chosen.get(index, Fraction(0)) + 1 / scale
            new_row = {m: v / scale for m, v in remainder.items()}
            new_in_chosen = {i: v for i, v in row_in_chosen.items() if v}
            # keep the rows fully reduced, so one pass of _reduce eliminates every pivot
            for j, (old_pivot, row) in enumerate(echelon):
                factor = row.get(pivot)
                if factor:
                    echelon[j] = (old_pivot, _axpy(row, -factor, new_row))
                    echelon_in_chosen[j] = _axpy(echelon_in_chosen[j], -factor, new_in_chosen)
            echelon.append((pivot, new_row))
            echelon_in_chosen.append(new_in_chosen)
            combination = {index: Fraction(1)}
        coordinates.append({i: v for i, v in combination.items() if v})
    return chosen, coordinates


def to_rational(
    exprs: list[sympy.Expr], prefix: str = "t", prefer: tuple[sympy.Expr, ...] = ()
) -> tuple[list[sympy.Expr], ExpBasis]:
    """Rewrite ``exprs`` as rational functions; the basis says what each new symbol stands for.

    ``prefer``: polynomials to put first in the basis (e.g. the dot products, for display).
    """
    opaque: dict[sympy.Expr, sympy.Symbol] = {}

    def opaque_symbol(atom: sympy.Expr) -> sympy.Symbol:
        if atom not in opaque:
            opaque[atom] = sympy.Dummy(f"a{len(opaque)}")
        return opaque[atom]

    # a log of a product of positive factors is the sum of their logs (only where SymPy's
    # assumptions show them positive): log(e^a / Σ e^b) is a − log Σ e^b, one atom fewer
    exprs = [sympy.expand_log(e) if e.has(sympy.log) else e for e in exprs]
    # logs first: exponentials inside them stay inside the opaque atom
    logs = sorted(set().union(*(e.atoms(sympy.log) for e in exprs)), key=sympy.default_sort_key)
    exprs = [e.xreplace({atom: opaque_symbol(atom) for atom in logs}) for e in exprs]
    euler = sympy.Dummy("e")
    uses_euler = any(e.has(sympy.E) for e in exprs)
    exprs = [e.xreplace({sympy.E: euler}) for e in exprs]
    atoms = sorted(set().union(*(e.atoms(sympy.exp) for e in exprs)), key=sympy.default_sort_key)

    symbols = set().union(*(e.free_symbols for e in exprs), *(p.free_symbols for p in prefer))
    gens = sorted(symbols - {euler}, key=sympy.default_sort_key)
    index = {symbol: i for i, symbol in enumerate(gens)}
    zero = (0,) * len(gens)
    polynomial_atoms, constants, vectors = [], [], []
    for atom in atoms:
        rest = _monomial_vector(atom.args[0], gens, index)
        if rest is None:
            opaque_symbol(atom)
            continue
        polynomial_atoms.append(atom)
        constants.append(rest.pop(zero, Fraction(0)))
        vectors.append(rest)

    preferred = (
        [v for v in (_monomial_vector(p, gens, index) for p in prefer) if v is not None] if gens else []
    )
    chosen, coordinates = _linear_basis(preferred + vectors)
    coordinates = coordinates[len(preferred) :]
    scales = [1] * len(chosen)
    for coordinate in coordinates:
        for j, value in coordinate.items():
            scales[j] = lcm(scales[j], value.denominator)
    constant_scale = 1
    for constant in constants:
        constant_scale = lcm(constant_scale, constant.denominator)

    symbols = [sympy.Dummy(f"{prefix}{j + 1}", positive=True) for j in range(len(chosen))]
    exponents = [_polynomial(vector, gens) / scale for vector, scale in zip(chosen, scales, strict=True)]
    t0 = sympy.Dummy(f"{prefix}0", positive=True)
    uses_constant = uses_euler or any(constants)
    replacement = {euler: t0**constant_scale}
    for atom, constant, coordinate in zip(polynomial_atoms, constants, coordinates, strict=True):
        monomial = t0 ** int(constant * constant_scale) if constant else sympy.Integer(1)
        for j, value in coordinate.items():
            monomial *= symbols[j] ** int(value * scales[j])
        replacement[atom] = monomial
    replacement.update({atom: symbol for atom, symbol in opaque.items() if isinstance(atom, sympy.exp)})
    rewritten = [e.xreplace(replacement) for e in exprs]
    if uses_constant:
        symbols.insert(0, t0)
        exponents.insert(0, sympy.Rational(1, constant_scale))
    basis = ExpBasis(
        tuple(symbols),
        tuple(exponents),
        tuple((symbol, atom.xreplace({euler: sympy.E})) for atom, symbol in opaque.items()),
    )
    return rewritten, basis


def is_zero(expr: sympy.Expr) -> bool:
    """Whether ``expr`` is identically 0, decided exactly (its rational form vanishes)."""
    rewritten, _ = to_rational([expr])
    return vanishes(rewritten[0])


def vanishes(rational: sympy.Expr) -> bool:
    """Whether the rational function ``rational`` is identically 0.

    Over one common denominator it is N/D, and it is 0 exactly when the polynomial N is: N
    expanded is a sum of distinct monomials with rational coefficients, which is 0 only when
    every coefficient is.  No gcd is taken (``cancel`` would take one, at several times the
    cost, to decide the same thing).  A denominator one of whose factors expands to 0 is not
    a rational function: it is not called 0.
    """
    numerator, denominator = sympy.fraction(sympy.together(rational))
    if any(sympy.expand(factor) == 0 for factor in sympy.Mul.make_args(denominator)):
        return False
    return sympy.expand(numerator) == 0
