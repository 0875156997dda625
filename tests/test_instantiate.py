"""Closed forms become explicit matrices with the meaning the conventions give them."""

from __future__ import annotations

import sympy

from symw2v.instance import Instance
from symw2v.instantiate import Context, Instantiator, resolve_sums
from symw2v.parse import parse_claim
from symw2v.shapes import Reading

INSTANCE = Instance(V=4, d=2, K=2, o=2, negatives=(1, 3))
COLUMNS = Reading()


def evaluate(text, reading=COLUMNS, k_over="K", z_free=False, **bindings):
    node = resolve_sums(parse_claim(text), k_over)
    return Instantiator(Context(INSTANCE, reading, k_over, z_free)).evaluate(node, bindings)


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


def test_z_free_reads_dot_products_and_scores_as_z():
    z = INSTANCE.z_symbols()
    assert evaluate("u_o^T v_c", z_free=True)[0, 0] == z[1]
    assert evaluate("v_c^T u_3", z_free=True)[0, 0] == z[2]
    assert evaluate("U^T v_c", Reading("columns"), z_free=True) == z
    assert evaluate("U v_c", Reading("rows"), z_free=True) == z
    assert evaluate("v_c^T U", Reading("columns"), z_free=True) == z.T
