"""Unit tests of ``to_rational``: exponentials become monomials over a basis, other
transcendental atoms become opaque symbols, and the rewriting is a sound ring homomorphism."""

from __future__ import annotations

import pytest
import sympy
from sympy import E, Rational, exp, log

from symw2v.rational import ExpBasis, to_rational

x, y, z = sympy.symbols("x y z", real=True)


def is_zero(expr: sympy.Expr) -> bool:
    return sympy.cancel(expr) == 0


def undo(expr: sympy.Expr, basis: ExpBasis) -> sympy.Expr:
    """Put back what the basis symbols and the opaque symbols stand for."""
    back = {symbol: exp(exponent) for symbol, exponent in zip(basis.symbols, basis.exponents, strict=True)}
    back.update(dict(basis.opaque))
    return expr.xreplace(back)


def assert_round_trip(originals: list[sympy.Expr], rewritten: list[sympy.Expr], basis: ExpBasis) -> None:
    """Each rewritten expression, with its symbols put back, equals its original (numerically)."""
    points = ({x: Rational(3, 7), y: Rational(-5, 4), z: Rational(2, 3)}, {x: -1, y: Rational(1, 2), z: 2})
    for original, new in zip(originals, rewritten, strict=True):
        restored = undo(new, basis)
        for point in points:
            difference = (restored - original).xreplace(point).evalf(30)
            assert abs(difference) < 1e-20, (original, new, point)


def is_rational_function(expr: sympy.Expr, basis: ExpBasis) -> bool:
    """No exp or log left, and the result is a rational function of every symbol in it."""
    if expr.atoms(sympy.exp) or expr.atoms(sympy.log) or expr.has(E):
        return False
    return sympy.cancel(expr).is_rational_function(*expr.free_symbols)


# -- the same exponential written two ways maps to the same monomial


def test_exp_of_sum_and_product_of_exps_are_the_same_monomial():
    rewritten, basis = to_rational([exp(x + y), exp(x) * exp(y)])
    assert is_zero(rewritten[0] - rewritten[1])
    assert_round_trip([exp(x + y), exp(x) * exp(y)], rewritten, basis)


def test_difference_of_exp_of_sum_and_product_cancels_in_one_expression():
    expr = exp(x + y) - exp(x) * exp(y)
    assert expr != 0  # SymPy does not simplify it on its own
    (rewritten,), basis = to_rational([expr])
    assert is_zero(rewritten)


def test_square_of_half_exponent_cancels_against_exp():
    expr = sympy.Pow(exp(x / 2), 2, evaluate=False) - exp(x)
    assert expr.atoms(sympy.exp) == {exp(x / 2), exp(x)}
    (rewritten,), basis = to_rational([expr])
    assert is_zero(rewritten)


def test_half_exponent_is_a_square_root_monomial():
    (half, whole), basis = to_rational([exp(x / 2), exp(x)])
    assert is_zero(half**2 - whole)
    assert basis.size == 1
    assert basis.exponents == (x / 2,)
    assert half == basis.symbols[0] and whole == basis.symbols[0] ** 2


@pytest.mark.parametrize("order", ["2x-first", "x-first"])
def test_exp_2x_is_the_square_of_exp_x(order):
    exprs = [exp(2 * x), exp(x)] if order == "2x-first" else [exp(x), exp(2 * x)]
    rewritten, basis = to_rational(exprs)
    double, single = rewritten if order == "2x-first" else rewritten[::-1]
    assert is_zero(double - single**2)
    assert basis.size == 1 and basis.exponents == (x,)
    assert_round_trip(exprs, rewritten, basis)


def test_unevaluated_square_of_exp_x_cancels_against_exp_2x():
    expr = sympy.Pow(exp(x), 2, evaluate=False) - exp(2 * x)
    (rewritten,), _ = to_rational([expr])
    assert is_zero(rewritten)


def test_rational_multiples_share_one_basis_symbol():
    exprs = [exp(x / 3), exp(x / 2), exp(Rational(5, 6) * x)]
    (third, half, five_sixths), basis = to_rational(exprs)
    assert basis.size == 1 and basis.exponents == (x / 6,)
    assert is_zero(third * half - five_sixths)
    assert_round_trip(exprs, [third, half, five_sixths], basis)


# -- constants: powers of one symbol t0 = e^(1/L)


def test_constant_exponents_become_powers_of_t0():
    exprs = [exp(-50), E, exp(Rational(1, 3))]
    rewritten, basis = to_rational(exprs)
    (t0,) = basis.symbols
    assert t0.name == "t0"
    assert basis.exponents == (Rational(1, 3),)
    assert rewritten == [t0**-150, t0**3, t0]
    assert_round_trip(exprs, rewritten, basis)


def test_constant_scale_is_the_lcm_of_the_denominators():
    exprs = [exp(Rational(1, 2)), exp(Rational(-2, 3)), E]
    rewritten, basis = to_rational(exprs)
    t0 = basis.symbols[0]
    assert basis.exponents[0] == Rational(1, 6)
    assert rewritten == [t0**3, t0**-4, t0**6]


def test_constant_part_of_an_exponent_splits_off_as_a_power_of_t0():
    exprs = [exp(x + Rational(1, 2)), exp(x)]
    (shifted, plain), basis = to_rational(exprs)
    t0 = basis.symbols[0]
    assert basis.exponents[0] == Rational(1, 2)
    assert is_zero(shifted - t0 * plain)
    assert_round_trip(exprs, [shifted, plain], basis)


def test_e_times_exp_x_cancels_against_exp_x_plus_1():
    (alone,), _ = to_rational([exp(x + 1) - E * exp(x)])
    assert is_zero(alone)
    # with another constant, E is t0**3 and exp(x + 1) is t0**3 times the monomial of exp(x)
    rewritten, basis = to_rational([exp(x + 1) - E * exp(x), exp(Rational(1, 3))])
    assert is_zero(rewritten[0])
    assert basis.exponents[0] == Rational(1, 3)


def test_no_t0_without_constants():
    _, basis = to_rational([exp(x) + exp(y)])
    assert all(symbol.name != "t0" for symbol in basis.symbols)
    assert basis.exponents == (x, y)


def test_prefix_names_the_basis_symbols():
    _, basis = to_rational([exp(x + 1)], prefix="s")
    assert [symbol.name for symbol in basis.symbols] == ["s0", "s1"]


# -- everything else transcendental is opaque


def test_log_atoms_become_opaque_symbols():
    exprs = [log(x) + log(1 + exp(y)), 2 * log(x)]
    rewritten, basis = to_rational(exprs)
    atoms = dict(basis.opaque)
    assert set(atoms.values()) == {log(x), log(1 + exp(y))}
    # the exponential inside the log stays inside the opaque atom
    assert basis.size == 0
    assert all(is_rational_function(r, basis) for r in rewritten)
    assert rewritten[0].free_symbols == set(atoms)
    # the same log is the same symbol
    symbol_of = {atom: symbol for symbol, atom in basis.opaque}
    assert rewritten[1] == 2 * symbol_of[log(x)]
    assert is_zero(rewritten[0] - symbol_of[log(x)] - symbol_of[log(1 + exp(y))])
    assert_round_trip(exprs, rewritten, basis)


def test_exp_of_non_polynomial_is_opaque():
    exprs = [exp(exp(x)) + exp(x), exp(1 / x)]
    rewritten, basis = to_rational(exprs)
    opaque_atoms = {atom for _, atom in basis.opaque}
    assert opaque_atoms == {exp(exp(x)), exp(1 / x)}
    assert all(is_rational_function(r, basis) for r in rewritten)
    assert_round_trip(exprs, rewritten, basis)


def test_exp_of_irrational_constant_is_opaque():
    rewritten, basis = to_rational([exp(sympy.sqrt(2)) + exp(x)])
    assert [atom for _, atom in basis.opaque] == [exp(sympy.sqrt(2))]
    assert_round_trip([exp(sympy.sqrt(2)) + exp(x)], rewritten, basis)


# -- genuinely different things do not cancel


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (exp(x), exp(y)),
        (exp(x * y), exp(x) * exp(y)),
        (exp(x), exp(2 * x)),
        (exp(x**2), exp(x) ** 2),
        (exp(x + 1), exp(x)),
        (exp(Rational(1, 3)), exp(Rational(1, 2))),
        (E, exp(Rational(1, 3)) ** 2),
        (log(x), log(y)),
        (exp(exp(x)), exp(exp(y))),
    ],
    ids=[
        "x-vs-y",
        "xy-vs-x+y",
        "x-vs-2x",
        "x2-vs-2x",
        "x+1-vs-x",
        "1/3-vs-1/2",
        "E-vs-2/3",
        "logs",
        "exp-exp",
    ],
)
def test_different_expressions_do_not_cancel(left, right):
    (rewritten,), basis = to_rational([left - right])
    assert not is_zero(rewritten)
    assert_round_trip([left - right], [rewritten], basis)


# -- word2vec-shaped expressions are sound


def test_word2vec_shaped_expressions_round_trip():
    sigma = 1 / (1 + exp(-(x * z + y)))
    softmax = exp(x * z) / (exp(x * z) + exp(y * z) + exp(Rational(1, 2) * x * z))
    exprs = [sigma * (1 - sigma) - exp(-(x * z + y)) * sigma**2, softmax, log(sigma) + E * softmax]
    rewritten, basis = to_rational(exprs)
    assert is_zero(rewritten[0])
    assert all(is_rational_function(r, basis) for r in rewritten)
    assert_round_trip(exprs, rewritten, basis)


# -- determinism


def test_same_input_gives_the_same_basis_in_the_same_order():
    exprs = [
        exp(x * z + y) / (1 + exp(Rational(1, 3) - y)),
        exp(2 * x * z) + log(x) + exp(exp(z)),
        E * exp(z),
    ]
    first, basis1 = to_rational(exprs)
    second, basis2 = to_rational(list(exprs))
    assert basis1.exponents == basis2.exponents
    assert [s.name for s in basis1.symbols] == [s.name for s in basis2.symbols]
    assert [atom for _, atom in basis1.opaque] == [atom for _, atom in basis2.opaque]
    renaming = dict(zip(basis1.symbols, basis2.symbols, strict=True))
    renaming.update({s1: s2 for (s1, _), (s2, _) in zip(basis1.opaque, basis2.opaque, strict=True)})
    assert [r.xreplace(renaming) for r in first] == second


def test_basis_does_not_depend_on_the_order_of_atoms_in_an_expression():
    _, basis1 = to_rational([exp(y) + exp(x) + exp(x + y)])
    _, basis2 = to_rational([exp(x + y) + exp(x) + exp(y)])
    assert basis1.exponents == basis2.exponents


# -- exponents with irrational or symbolic coefficients must not crash (found broken, see report)


@pytest.mark.parametrize(
    "expr",
    [exp(E * x), exp(sympy.sqrt(2) * x), exp(x / sympy.pi), exp(x + sympy.sqrt(2) * y)],
    ids=["e*x", "sqrt2*x", "x/pi", "x+sqrt2*y"],
)
def test_exp_with_irrational_coefficient_is_handled_soundly(expr):
    rewritten, basis = to_rational([expr - exp(x)])
    assert all(is_rational_function(r, basis) for r in rewritten)
    assert not is_zero(rewritten[0])
    assert_round_trip([expr - exp(x)], rewritten, basis)


def test_vanishes_decides_like_cancel_without_a_gcd():
    import sympy

    from symw2v.rational import vanishes

    x, y = sympy.symbols("x y")
    assert vanishes((x + 1) ** 2 / (x * y) - (x**2 + 2 * x + 1) / (y * x))
    assert vanishes(x / (1 + x) + 1 / (1 + x) - 1)
    assert not vanishes(x / (1 + x) - 1)
    assert not vanishes(sympy.Rational(1, 10**20))
    # a denominator that is 0 as a polynomial is no rational function: never called 0
    zero = (x + 1) ** 2 - x**2 - 2 * x - 1
    assert not vanishes(sympy.Mul(zero, sympy.Pow(zero, -1, evaluate=False), evaluate=False))
