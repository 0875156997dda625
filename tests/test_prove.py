"""The decision procedure and the exact counterexamples, on hand-built residuals."""

from __future__ import annotations

import sympy

from symw2v import prove
from symw2v.prove import Pair, decide, nonzero_certificate
from symw2v.world import symbols as coordinates

x, y = coordinates.u(1, 1), coordinates.v(1)


def sigma(t):
    return 1 / (1 + sympy.exp(-t))


def pair(claimed, derived) -> Pair:
    return Pair("", sympy.Matrix([claimed]), sympy.Matrix([derived]))


def test_identity_of_the_logistic_function_is_proved():
    proof = decide([pair(1 - sigma(-x * y), sigma(x * y))])
    assert proof.verdict.value == "proved"
    assert "cancels to 0" in proof.method


def test_exp_forms_are_proved():
    proof = decide([pair(sympy.exp(x * y) / (1 + sympy.exp(x * y)), sigma(x * y))])
    assert proof.verdict.value == "proved"


def test_a_perturbation_floats_cannot_see_is_refuted():
    claimed = sigma(x * y) + sympy.exp(-50)
    assert float((claimed - sigma(x * y)).subs({x: 1, y: 1})) < 1e-20
    proof = decide([pair(claimed, sigma(x * y))])
    assert proof.verdict.value == "refuted"
    assert "transcendental" in proof.counterexample.certificate


def test_counterexample_values_are_exact():
    proof = decide([pair(sigma(x * y), 1 - sigma(x * y))])
    cx = proof.counterexample
    assert proof.verdict.value == "refuted"
    assert cx.point and all("/" in v or v.lstrip("-").isdigit() for vs in cx.point.values() for v in vs)


def test_nonzero_certificates():
    assert nonzero_certificate(sympy.Integer(0)) == ""
    assert "rational number" in nonzero_certificate(sympy.Rational(1, 3))
    assert "transcendental" in nonzero_certificate(sympy.exp(-50))
    assert nonzero_certificate(sympy.exp(2) - sympy.exp(1) ** 2) == ""
    # logs stay opaque: interval arithmetic decides
    assert "interval arithmetic" in nonzero_certificate(sympy.log(3) - 1)
    assert (
        nonzero_certificate(
            sympy.log(sympy.exp(1 + sympy.Rational(1, 2)), evaluate=False) - sympy.Rational(3, 2)
        )
        == ""
    )


def test_logs_are_opaque_but_sound():
    # the log is a free symbol to the prover: its cofactor σ(x) + σ(−x) − 1 cancels exactly
    claimed = sympy.log(1 + sympy.exp(x)) * (sigma(x) + sigma(-x))
    proof = decide([pair(claimed, sympy.log(1 + sympy.exp(x)))])
    assert proof.verdict.value == "proved"
    assert "opaque" in proof.method


def test_no_counterexample_gives_undecided(monkeypatch):
    monkeypatch.setattr(prove, "_counterexample_at", lambda pairs, point, tick: None)
    proof = decide([pair(sigma(x), 1 - sigma(x))])
    assert proof.verdict.value == "undecided"
    assert "no counterexample" in proof.message


def test_undefined_points_are_skipped():
    # 1/x is undefined at x = 0: the search must skip such points, never report them
    proof = decide([pair(1 / x, 1 / x + 1)])
    assert proof.verdict.value == "refuted"
    assert proof.counterexample.approximate == ("1.00000000000000",) or proof.counterexample.approximate == (
        "-1.00000000000000",
    )


def test_interval_arithmetic_runs_at_the_precision_it_states():
    # log 2 minus a rational within 1e-30 of it: at 53 bits both round to the same double, so
    # only an enclosure at the stated precision separates them
    close = sympy.Rational(int(sympy.log(2).evalf(40) * 10**31), 10**31)
    assert abs(float(sympy.log(2) - close)) < 1e-29
    why = nonzero_certificate(sympy.log(2) - close)
    assert "interval arithmetic at 200 bits" in why
    sign, _ = prove.exact_sign(sympy.log(2) - close)
    assert sign == 1
    # closer still: the precision rises before giving up
    closer = sympy.Rational(int(sympy.log(2).evalf(120) * 10**100), 10**100)
    assert "at 800 bits" in nonzero_certificate(sympy.log(2) - closer)


def test_exact_sign_decides_zero_exactly_and_signs_by_enclosure():
    assert prove.exact_sign(sympy.exp(2) - sympy.exp(1) ** 2)[0] == 0
    assert prove.exact_sign(sympy.exp(-50))[0] == 1
    assert prove.exact_sign(sympy.Rational(-1, 3))[0] == -1
    assert prove.exact_sign(1 - sympy.log(3))[0] == -1
