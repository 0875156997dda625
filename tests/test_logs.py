"""Tests of ``logs.split_logs`` and of the prover with it: equal logs written differently cancel
once split into logs of irreducible factors; false variants are still refuted, by a point."""

from __future__ import annotations

import pytest
import sympy
from sympy import Rational, exp, log

import symw2v
from symw2v import logs as logs_module
from symw2v import prove
from symw2v.logs import split_logs
from symw2v.prove import Pair, decide, is_identity
from symw2v.rational import is_zero, vanishes
from symw2v.results import Verdict

x, y = sympy.symbols("x y", real=True)


def sigma(argument: sympy.Expr) -> sympy.Expr:
    return 1 / (1 + exp(-argument))


def cancels_split(expr: sympy.Expr) -> bool:
    """Whether ``expr`` cancels to 0 once its logs are split."""
    split = split_logs([expr])
    return split is not None and vanishes(split[0][0])


def decided(claimed: sympy.Expr, derived: sympy.Expr) -> Verdict:
    return decide([Pair("J", sympy.Matrix([[claimed]]), sympy.Matrix([[derived]]))]).verdict


# -- identities that hold where the logs' arguments are positive, written two ways


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (log(1 - sigma(x)), log(sigma(-x))),
        (-log(sigma(x)), -x + log(1 + exp(x))),
        (log(2 * (1 + exp(x))), log(2) + log(1 + exp(x))),  # a constant, by its primes
        (log(x / 2 + Rational(1, 2)), log(x + 1) - log(2)),  # over Q and over Z alike
        (log((exp(x) - 1) ** 2), log((1 - exp(x)) ** 2)),  # a factor's sign normalised away
    ],
)
def test_equal_logs_written_differently_cancel_once_split(left, right):
    assert not is_zero(left - right)  # not shown equal without the split
    assert cancels_split(left - right)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (-log(sigma(x)), log(1 + exp(-x))),
        (log(exp(x) / (1 + exp(x) + exp(y))), x - log(1 + exp(x) + exp(y))),  # quotient
        (log((1 + exp(x)) * (1 + exp(y))), log(1 + exp(x)) + log(1 + exp(y))),  # product
        (log((1 + exp(x)) ** 3), 3 * log(1 + exp(x))),
        (log(exp(x), evaluate=False), x),
        (log(4 * exp(y)), 2 * log(2) + y),
    ],
)
def test_identities_sympy_expands_itself_still_cancel_once_split(left, right):
    assert cancels_split(left - right)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (log(1 + sigma(x)), log(sigma(-x))),
        (log(sigma(x)), log(sigma(-x))),
        (log(sigma(x)), log(1 + exp(-x))),  # a dropped minus
        (log(2 * (1 + exp(x))), log(3) + log(1 + exp(x))),
    ],
)
def test_different_logs_do_not_cancel_and_are_refuted_by_a_point(left, right):
    assert not cancels_split(left - right)
    assert decided(left, right) is Verdict.REFUTED


def test_the_prover_proves_a_log_identity_with_its_method_named():
    proof = decide([Pair("J", sympy.Matrix([[-log(1 - sigma(x))]]), sympy.Matrix([[log(1 + exp(x))]]))])
    assert proof.verdict is Verdict.PROVED
    assert "logarithms split into irreducible factors" in proof.method


def test_nothing_to_split_is_none():
    assert split_logs([exp(x) + 1]) is None
    assert split_logs([log(1 + sympy.sqrt(2 + x**2))]) is None  # not a rational function


def test_a_log_past_the_degree_bound_stays_whole(monkeypatch):
    monkeypatch.setattr(logs_module, "MAX_DEGREE", 2)
    assert not cancels_split(log((1 + exp(x)) ** 3) - 3 * log(1 + exp(x)))
    assert cancels_split(log((1 + exp(x)) ** 2) - 2 * log(1 + exp(x)))


def test_logs_past_the_total_terms_bound_stay_whole(monkeypatch):
    identity = log(1 - sigma(x)) - log(sigma(-x))
    assert cancels_split(identity)
    monkeypatch.setattr(logs_module, "MAX_TOTAL_TERMS", 3)  # room for the first argument only
    assert not cancels_split(identity)


# -- through the whole check: definedness first, then the prover

SMALL = {"V": 3, "d": 2, "K": 2, "o": 1, "sweep": False}
ONE_MINUS_SIGMA = "-log(sigma(u_o^T v_c)) - sum_k log(1 - sigma(u_k^T v_c))"


def check_j(claim: str, loss: str = "negative-sampling"):
    return symw2v.check(claim, loss=loss, wrt="J", **SMALL)


@pytest.mark.parametrize(
    ("claim", "loss"),
    [
        (ONE_MINUS_SIGMA, "negative-sampling"),
        ("-u_o^T v_c + log(1 + exp(u_o^T v_c)) + sum_k log(1 + exp(u_k^T v_c))", "negative-sampling"),
        ("log(sum_w exp(u_w^T v_c - u_o^T v_c))", "softmax"),
        ("log(sum_w exp(u_w^T v_c) / exp(u_o^T v_c))", "softmax"),
    ],
)
def test_true_loss_forms_are_proved(claim, loss):
    result = check_j(claim, loss)
    assert result.verdict is Verdict.PROVED
    assert "logarithms split" in result.method


@pytest.mark.parametrize(
    "claim",
    [
        "-log(sigma(u_o^T v_c)) - sum_k log(1 + sigma(u_k^T v_c))",  # 1 + σ for 1 − σ
        "log(sigma(u_o^T v_c)) - sum_k log(1 - sigma(u_k^T v_c))",  # a dropped minus
        "-log(sigma(-u_o^T v_c)) - sum_k log(1 - sigma(u_k^T v_c))",  # σ(−x) for σ(x)
    ],
)
def test_false_loss_forms_are_refuted_with_a_counterexample(claim):
    result = check_j(claim)
    assert result.verdict is Verdict.REFUTED
    assert result.counterexample is not None


def test_a_log_of_a_square_is_not_twice_a_log_of_a_number_of_either_sign():
    # log(s²) = 2·log s only where s > 0: the claim is undefined where s ≤ 0, and refuted there
    result = check_j("-log(yhat_o) + log((u_o^T v_c)^2) - 2*log(u_o^T v_c)", "softmax")
    assert result.verdict is Verdict.REFUTED
    assert result.method == "undefined: exact point"


def test_without_the_split_the_one_minus_sigma_identity_is_not_shown(monkeypatch):
    pairs = [Pair("J", sympy.Matrix([[-log(1 - sigma(x))]]), sympy.Matrix([[log(1 + exp(x))]]))]
    assert is_identity(pairs)
    monkeypatch.setattr(prove, "split_logs", lambda *args, **kwargs: None)
    assert not is_identity(pairs)
