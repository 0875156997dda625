"""Refutation at one point, at sizes the exact procedure cannot reach: every counterexample is
checked here by an independent computation in floating point (NumPy), from the point alone."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from symw2v.claim import Conventions, check_claim
from symw2v.pointwise import OTHERS
from symw2v.results import Verdict
from symw2v.world.instance import Instance
from symw2v.world.losses import named_loss

LARGE = Instance(V=20, d=3, K=5)  # 63 components: past the exact procedure's comfortable sizes


def _point(counterexample, instance: Instance) -> tuple[np.ndarray, np.ndarray]:
    """U (V×d, row w is u_w) and v_c from the counterexample's point; unlisted words get the
    value given for every other word."""
    values = counterexample.point
    other = [float(Fraction(x)) for x in values.get(OTHERS, ["nan"] * instance.d)]
    U = np.array(
        [
            [float(Fraction(x)) for x in values[f"u_{w}"]] if f"u_{w}" in values else other
            for w in range(1, instance.V + 1)
        ]
    )
    return U, np.array([float(Fraction(x)) for x in values["v_c"]])


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max())
    return e / e.sum()


def _sigma(x):
    return 1 / (1 + np.exp(-x))


def _refuted(claim: str, loss: str, wrt: str, conventions: Conventions | None = None):
    result = check_claim(claim, named_loss(loss), wrt, LARGE, conventions or Conventions(), with_hints=False)
    assert result.verdict is Verdict.REFUTED, result.message
    assert "one point" in result.method
    return result.counterexample


def test_softmax_wrong_sign_is_refuted_at_a_point_where_the_sides_really_differ():
    cx = _refuted(r"U^T(y - \hat{y})", "softmax", "v_c", Conventions(U="rows"))
    U, v = _point(cx, LARGE)
    assert np.isfinite(U).all(), "the point must give every word's vector"
    y = np.eye(LARGE.V)[LARGE.o - 1]
    yhat = _softmax(U @ v)
    residual = U.T @ (y - yhat) - U.T @ (yhat - y)
    np.testing.assert_allclose(residual, [float(x) for x in cx.approximate], rtol=1e-9, atol=1e-12)
    assert np.abs(residual).max() > 1e-6


def test_negative_sampling_lost_inner_minus_is_refuted_for_a_negative():
    cx = _refuted("(1 - sigma(u_k^T v_c)) v_c", "negative-sampling", "u_k")
    U, v = _point(cx, LARGE)
    word = int(cx.target.split("word ")[1].rstrip(")"))
    assert word in LARGE.negatives
    true = (1 - _sigma(-U[word - 1] @ v)) * v
    residual = (1 - _sigma(U[word - 1] @ v)) * v - true
    np.testing.assert_allclose(residual, [float(x) for x in cx.approximate], rtol=1e-9, atol=1e-12)


def test_a_gradient_by_U_is_refuted_one_row_at_a_time():
    cx = _refuted("(yhat + y) v_c^T", "softmax", "U", Conventions(U="rows"))
    U, v = _point(cx, LARGE)
    y = np.eye(LARGE.V)[LARGE.o - 1]
    yhat = _softmax(U @ v)
    residual = np.outer(yhat + y, v) - np.outer(yhat - y, v)
    rows = [row for row in residual if np.abs(row).max() > 1e-9]
    approximate = np.array([float(x) for x in cx.approximate])
    assert any(np.allclose(row, approximate, rtol=1e-9) for row in rows)


@pytest.mark.parametrize(
    ("claim", "loss", "wrt", "U"),
    [
        (r"U^T(\hat{y} - y)", "softmax", "v_c", "rows"),
        ("(sigma(u_o^T v_c) - 1) v_c", "negative-sampling", "u_o", "columns"),
    ],
)
def test_true_claims_are_not_refuted_at_large_sizes(claim, loss, wrt, U):
    result = check_claim(claim, named_loss(loss), wrt, LARGE, Conventions(U=U), with_hints=False)
    assert result.verdict is Verdict.PROVED
