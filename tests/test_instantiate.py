"""Closed forms become explicit matrices with the meaning the conventions give them."""

from __future__ import annotations

import pytest
import sympy

from symw2v.errors import ShapeError
from symw2v.instantiate import Context, Instantiator, resolve_sums
from symw2v.parse import parse_claim
from symw2v.world import Reading
from symw2v.world.instance import Instance
from symw2v.world.losses import named_loss

INSTANCE = Instance(V=4, d=2, K=2, o=2, negatives=(1, 3))
COLUMNS = Reading()


LOSSES = {"K": named_loss("negative-sampling"), "V": named_loss("softmax")}


def evaluate(text, reading=COLUMNS, k_over="K", **bindings):
    node = resolve_sums(parse_claim(text), LOSSES[k_over])
    return Instantiator(Context(INSTANCE, reading)).evaluate(node, bindings)


def conditions(text, k_over="K", **bindings):
    instantiator = Instantiator(Context(INSTANCE, COLUMNS))
    instantiator.evaluate(resolve_sums(parse_claim(text), LOSSES[k_over]), bindings)
    return instantiator.conditions


def test_dot_product_and_sigma():
    value = evaluate("sigma(u_o^T v_c)")[0, 0]
    dot = (INSTANCE.u(2).T * INSTANCE.v())[0, 0]
    assert sympy.simplify(value - 1 / (1 + sympy.exp(-dot))) == 0


def test_U_readings_are_transposes():
    assert evaluate("U", Reading("rows")) == evaluate("U", Reading("columns")).T
    assert evaluate("U", Reading("rows")).shape == (4, 2)


def test_y_is_one_hot_at_o_and_rows_when_declared():
    assert list(evaluate("y")) == [0, 1, 0, 0]
    assert evaluate("y", Reading(y="row")).shape == (1, 4)


def test_softmax_sums_to_one():
    assert sympy.simplify(sum(evaluate("yhat"))) == 1


def test_sums_range_over_negatives_or_vocabulary():
    assert evaluate("sum_k u_k") == INSTANCE.u(1) + INSTANCE.u(3)
    assert evaluate("sum_w u_w") == sum((INSTANCE.u(w) for w in range(1, 5)), sympy.zeros(2, 1))
    assert evaluate("sum_k u_k", k_over="V") == evaluate("sum_w u_w")


def test_free_index_binding():
    assert evaluate("u_k", k=3) == INSTANCE.u(3)
    assert evaluate("(yhat - y)_w", w=2)[0, 0] == evaluate("yhat_o - 1")[0, 0]


def test_z_is_always_computed_from_U_and_v_c():
    """In a claim, z is Uᵀv_c (U v_c for rows): never free, so a point fixes every quantity."""
    scores = INSTANCE.U_rows() * INSTANCE.v()
    assert evaluate("U^T v_c", Reading("columns")) == scores
    assert evaluate("U v_c", Reading("rows")) == scores
    assert evaluate("z") == scores
    assert evaluate("z_o")[0, 0] == evaluate("u_o^T v_c")[0, 0]


def test_a_sum_up_to_K_or_K_itself_is_refused_for_a_loss_without_negatives():
    for text in ("sum_{k=1}^{K} u_k", "K v_c", "sum_w sum_{j=1}^{K} u_j"):
        with pytest.raises(ShapeError, match="K"):
            resolve_sums(parse_claim(text), LOSSES["V"])
    assert evaluate("sum_{k=1}^{V} u_k", k_over="V") == evaluate("sum_w u_w")


def test_what_a_claim_needs_to_be_defined_is_recorded():
    kinds = {(kind, text) for kind, _, text in conditions("log(sigma(u_o^T v_c)) v_c / (u_o^T v_c)")}
    assert kinds == {("positive", "sigma(u_o^T v_c)"), ("nonzero", "u_o^T v_c")}
    assert [kind for kind, _, _ in conditions("(u_o^T v_c)^(-2) v_c")] == ["nonzero"]
    assert conditions("(u_o^T v_c)^2 v_c / 2") == [("nonzero", 2, "2")]


def test_an_undefined_constant_stays_undefined():
    """SymPy turns 0·log(0) into nan and 0·(1/0) into nan, which would poison the residual;
    an undefined constant becomes a fresh symbol instead, and its condition is recorded."""
    for text in ("0 log(0) v_c", "0 (K - K)^(-1) v_c", "exp(log(0)) v_c", "v_c / (2 - 2)"):
        value = evaluate(text)
        assert not any(entry.has(sympy.nan, sympy.zoo) for entry in value), text
        assert any(value.is_number and value.is_positive is not True for _, value, _ in conditions(text))
