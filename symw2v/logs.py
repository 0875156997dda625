"""Logarithms split into irreducible factors: equal logs written differently become equal sums.

``rational.py`` keeps every ``log`` whole, as an opaque symbol, so ``log(1 − σ(x))`` and
``log σ(−x)`` are two unrelated symbols and a true identity between them does not cancel.  This
module writes each log as a sum of canonical pieces instead:

1. Each log atom's argument goes through the same exponentials-to-monomials step as the
   expressions it sits in (one basis for all), so it becomes a rational function ``R`` of the
   coordinates and of the monomials ``t_j = exp(e_j)``, all in one set of variables.
2. ``R = N/D`` is factored over Q: ``N = a·Π f_i^{m_i}``, ``D = b·Π g_k^{n_k}`` with every
   factor irreducible, primitive (integer coefficients without a common divisor) and with a
   positive leading coefficient in a fixed order of the variables.  That normal form is unique
   (Q[x] is a unique factorisation domain), so the same function written two ways gives the
   same factors.
3. ``log R = log|a/b| + Σ m_i·log|f_i| − Σ n_k·log|g_k|``, where ``log t_j`` is ``e_j`` itself
   (a polynomial in the coordinates), ``log|c|`` of a rational c is a sum over its prime
   factors of a symbol per prime, and every other ``log|f|`` is one fresh symbol per distinct
   normalised factor.

Why step 3 is an identity: for real numbers, ``log(r·s) = log|r| + log|s|`` whenever
``r·s > 0``, and ``log t_j = e_j`` because ``t_j = exp(e_j)`` is positive.  So the rewrite is
exact at every point where the log's argument is positive and no factor is 0 (an open dense
set where the argument is positive, since the factors are non-zero polynomials).  The argument
is positive wherever a claim is defined: the instantiator records "the argument is positive"
for every log of a claim, and ``definedness.check_defined`` runs before the prover: it refutes
a claim where a log's argument is ≤ 0 at some point, and keeps a claim whose arguments are not
shown positive everywhere from being proved (``definedness.unproved``).  The derived side's
logs are the loss's (of σ, of a softmax, of a sum of exponentials), positive everywhere.

A residual that cancels after the split is an identity: a rational expression that cancels
formally in independent symbols is 0 at every value of them, in particular at the values the
symbols stand for.  The converse is not claimed (the symbols for different factors' logs are
treated as independent, which they need not be where an argument is a constant), so a residual
that does not cancel is no evidence either way: the prover still searches for a counterexample.

The work is bounded: a log whose argument is not a rational function with rational
coefficients, or whose numerator or denominator is past ``MAX_DEGREE`` or ``MAX_TERMS``, stays
one opaque symbol (today's behaviour), as do the logs past ``MAX_TOTAL_TERMS`` factored terms
and all logs past ``MAX_LOGS``.  The bounds count terms, not time, so verdicts do not depend on
the machine.
"""

from __future__ import annotations

import sympy

from symw2v.rational import ExpBasis, to_rational

MAX_LOGS = 64  # log atoms in one proof past which none is split
MAX_DEGREE = 12  # total degree of a log argument's numerator or denominator
MAX_TERMS = 200  # terms of a log argument's numerator or denominator
MAX_TOTAL_TERMS = 2000  # terms factored in one proof: the logs after these stay whole
PRIME_LIMIT = 10**6  # trial division bound for the constant's prime factors


def split_logs(exprs: list[sympy.Expr], tick=lambda: None) -> tuple[list[sympy.Expr], ExpBasis] | None:
    """``exprs`` as rational functions with their logs split into logs of irreducible factors.

    Returns the rewritten expressions (in the monomials, the coordinates and one symbol per
    distinct factor's log) and the basis of the monomials (``rational.to_rational``'s; its
    opaque atoms include the logs left whole); ``None`` when no log could be split.  ``tick`` is
    called between factorisations (a deadline may raise there).
    """
    atoms = sorted(
        (a for a in set().union(*(e.atoms(sympy.log) for e in exprs)) if not a.args[0].has(sympy.log)),
        key=sympy.default_sort_key,
    )
    if not atoms or len(atoms) > MAX_LOGS:
        return None
    placeholders = {atom: sympy.Dummy(f"log{i}") for i, atom in enumerate(atoms)}
    held = [e.xreplace(placeholders) for e in exprs]
    rewritten, basis = to_rational(held + [atom.args[0] for atom in atoms])
    held_symbols = set(placeholders.values())
    # an exponent with a log in it (exp(x·log y)) would tie a monomial to a log: leave it all
    if any(exponent.free_symbols & held_symbols for exponent in basis.exponents):
        return None
    logs_of_monomials = dict(zip(basis.symbols, basis.exponents, strict=True))
    opaque = {symbol for symbol, _ in basis.opaque} | held_symbols
    variables = sorted(set().union(*(r.free_symbols for r in rewritten)) - opaque, key=sympy.default_sort_key)
    factors = _FactorLogs(variables, logs_of_monomials)
    replacement = {}
    for atom, argument in zip(atoms, rewritten[len(exprs) :], strict=True):
        tick()
        canonical = None if argument.free_symbols & opaque else factors.log_of(argument)
        if canonical is not None:
            replacement[placeholders[atom]] = canonical
    if not replacement:
        return None
    return [r.xreplace(replacement) for r in rewritten[: len(exprs)]], basis


class _FactorLogs:
    """Logs of rational functions in one fixed order of the variables, with one symbol per
    distinct normalised factor (and per prime) shared by every log split with it."""

    def __init__(self, variables: list[sympy.Symbol], logs_of_monomials: dict[sympy.Symbol, sympy.Expr]):
        self.variables = variables
        self.logs_of_monomials = logs_of_monomials
        self.symbols: dict[object, sympy.Symbol] = {}
        self.terms_left = MAX_TOTAL_TERMS

    def symbol(self, key: object, name: str) -> sympy.Symbol:
        if key not in self.symbols:
            self.symbols[key] = sympy.Dummy(f"{name}{len(self.symbols)}")
        return self.symbols[key]

    def log_of(self, argument: sympy.Expr) -> sympy.Expr | None:
        """``log(argument)`` split, or ``None`` when it is past the bounds or not a rational
        function with rational coefficients."""
        numerator, denominator = sympy.fraction(sympy.together(argument))
        top, bottom = self._poly(numerator), self._poly(denominator)
        if top is None or bottom is None or top.is_zero or bottom.is_zero:
            return None
        terms = len(top.terms()) + len(bottom.terms())
        if terms > self.terms_left:
            return None
        self.terms_left -= terms
        return self._log_of_poly(top) - self._log_of_poly(bottom)

    def _poly(self, expr: sympy.Expr) -> sympy.Poly | None:
        # over its own variables, in the fixed order: the leading coefficient (so the sign
        # normalisation) is the same as over all of them, and a dense polynomial over hundreds
        # of generators it does not use would cost far more
        own = [v for v in self.variables if v in expr.free_symbols]
        if not own:
            return sympy.Poly(expr, sympy.Dummy("x")) if expr.is_Rational else None
        if not expr.is_polynomial(*own):
            return None  # a Piecewise, an opaque function, a fractional power: kept whole
        poly = sympy.Poly(expr, *own)
        if not (poly.domain.is_ZZ or poly.domain.is_QQ):
            return None
        if poly.total_degree() > MAX_DEGREE or len(poly.terms()) > MAX_TERMS:
            return None
        return poly

    def _log_of_poly(self, poly: sympy.Poly) -> sympy.Expr:
        """``log|poly|`` as ``log|c| + Σ m·log|f|`` over its irreducible factors."""
        coefficient, factors = _factor_list(poly)
        total = sympy.Integer(0)
        for factor, multiplicity in factors:
            # factor = content/scale · primitive, with primitive in Z[x], whatever the domain
            scale, integral = factor.clear_denoms(convert=True)
            content, primitive = integral.primitive()
            coefficient *= (sympy.Rational(content) / scale) ** multiplicity
            # the sign goes to the constant, whose absolute value is all that is kept
            if primitive.LC() < 0:
                primitive = -primitive
            total += multiplicity * self._log_of_factor(primitive)
        return total + self._log_of_constant(sympy.Rational(coefficient))

    def _log_of_factor(self, factor: sympy.Poly) -> sympy.Expr:
        # keyed by the expanded expression, which does not depend on the generators used
        expr = factor.as_expr()
        if expr in self.logs_of_monomials:
            return self.logs_of_monomials[expr]  # log t_j = e_j: t_j = exp(e_j) > 0
        return self.symbol(expr, "logf")

    def _log_of_constant(self, value: sympy.Rational) -> sympy.Expr:
        """``log|value|`` as a sum over the primes of its numerator and denominator."""
        total = sympy.Integer(0)
        for integer, sign in ((abs(value.p), 1), (value.q, -1)):
            for prime, power in sorted(sympy.factorint(integer, limit=PRIME_LIMIT).items()):
                # past the limit a factor may be composite: still the log of a positive integer
                total += sign * power * self.symbol(("prime", prime), f"log{prime}_")
        return total


def _factor_list(poly: sympy.Poly) -> tuple[sympy.Expr, list[tuple[sympy.Poly, int]]]:
    """``poly.factor_list()``, with the cases word2vec logs are made of taken first: the
    monomial part, whose factors are its variables, and a rest of total degree 1, which is
    irreducible (``Σ_w t_w``, ``1 + t``); SymPy's square-free step costs seconds on a linear
    polynomial in sixty variables."""
    exponents, rest = poly.terms_gcd()
    monomial = [
        (sympy.Poly(generator, *poly.gens), power)
        for generator, power in zip(poly.gens, exponents, strict=True)
        if power
    ]
    if rest.total_degree() == 0:
        return rest.LC(), monomial
    if rest.total_degree() == 1:
        return sympy.Integer(1), [*monomial, (rest, 1)]
    coefficient, factors = rest.factor_list()
    return coefficient, [*monomial, *factors]
