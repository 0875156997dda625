"""A corpus of claims about word2vec gradients, checked end to end by ``check_claim``.

Every equivalent rewrite of a true gradient must be *proved*; every wrong variant must be
*refuted* with an exact counterexample and a residual (never left undecided); malformed claims
must be ill-typed or parse errors; and the layout the checker reports must match the shape.

The instance is the default one: V = 5, d = 3, K = 3, o = 2, negatives (1, 3, 4).
"""

from __future__ import annotations

import pytest

from symw2v.claim import Conventions, check_claim
from symw2v.world.instance import Instance
from symw2v.world.losses import named_loss

NS = "negative-sampling"
SM = "softmax"

INSTANCE = Instance()

COLS = {"U": "columns"}
ROWS = {"U": "rows"}
ROWS_ROW = {"U": "rows", "y": "row"}
ROWS_COLUMN = {"U": "rows", "y": "column"}
COLS_ROW = {"U": "columns", "y": "row"}
Y_ROW = {"y": "row"}
# a matrix's gradient in the transposed shape, asked for by name (auto takes the matrix's own)
COLS_NUMERATOR = {"U": "columns", "layout": "numerator"}
ROWS_NUMERATOR = {"U": "rows", "layout": "numerator"}
EVERY_W = {"case": "every w"}  # the answer is for every w: no case is inferred for it
Y_COLUMN = {"y": "column"}


def _check(loss: str, wrt: str, claim: str, conventions: dict | None = None):
    conventions = dict(conventions or {})
    case = conventions.pop("case", "")
    return check_claim(claim, named_loss(loss), wrt, INSTANCE, Conventions(**conventions), case=case)


def _describe(result) -> str:
    return (
        f"verdict={result.verdict.value} layout={result.layout!r} method={result.method!r} "
        f"residual={result.residual[:200]!r} message={result.message[:300]!r}"
    )


# (id, loss, wrt, claim, conventions)
EQUIVALENT = [
    # ---- negative sampling, ∂J/∂v_c
    (
        "ns-vc-one-minus-sigma",
        NS,
        "v_c",
        "-(1 - sigma(u_o^T v_c)) u_o + sum_k (1 - sigma(-u_k^T v_c)) u_k",
        None,
    ),
    ("ns-vc-sigma-neg", NS, "v_c", "-sigma(-u_o^T v_c) u_o + sum_k sigma(u_k^T v_c) u_k", None),
    ("ns-vc-terms-reordered", NS, "v_c", "sum_k sigma(u_k^T v_c) u_k - sigma(-u_o^T v_c) u_o", None),
    ("ns-vc-sigma-minus-one", NS, "v_c", "(sigma(u_o^T v_c) - 1) u_o + sum_k sigma(u_k^T v_c) u_k", None),
    ("ns-vc-vector-first", NS, "v_c", "u_o (sigma(u_o^T v_c) - 1) + sum_k u_k sigma(u_k^T v_c)", None),
    ("ns-vc-vcT-u", NS, "v_c", "-u_o sigma(-v_c^T u_o) + sum_k u_k sigma(v_c^T u_k)", None),
    ("ns-vc-exp-forms", NS, "v_c", "-u_o/(1 + exp(u_o^T v_c)) + sum_k u_k/(1 + exp(-u_k^T v_c))", None),
    (
        "ns-vc-e-power-and-exp-ratio",
        NS,
        "v_c",
        "-u_o/(1 + e^(u_o^T v_c)) + sum_k exp(u_k^T v_c)/(1 + exp(u_k^T v_c)) u_k",
        None,
    ),
    ("ns-vc-distributed", NS, "v_c", "sigma(u_o^T v_c) u_o - u_o + sum_k sigma(u_k^T v_c) u_k", None),
    (
        "ns-vc-bounded-sum",
        NS,
        "v_c",
        "-u_o + sigma(u_o^T v_c) u_o + sum_{k=1}^{K} sigma(u_k^T v_c) u_k",
        None,
    ),
    (
        "ns-vc-transposed-row-form",
        NS,
        "v_c",
        "(-u_o^T (1 - sigma(u_o^T v_c)) + sum_k u_k^T (1 - sigma(-u_k^T v_c)))^T",
        None,
    ),
    ("ns-vc-numerator-rows", NS, "v_c", "-(1 - sigma(u_o^T v_c)) u_o^T + sum_k sigma(u_k^T v_c) u_k^T", None),
    (
        "ns-vc-times-K-over-K",
        NS,
        "v_c",
        "K/K (-(1 - sigma(u_o^T v_c)) u_o + sum_k sigma(u_k^T v_c) u_k)",
        None,
    ),
    (
        "ns-vc-o-term-split-over-K",
        NS,
        "v_c",
        "sum_k (sigma(u_k^T v_c) u_k - sigma(-u_o^T v_c) u_o / K)",
        None,
    ),
    ("ns-vc-split-sum", NS, "v_c", "-sigma(-u_o^T v_c) u_o + sum_k u_k - sum_k sigma(-u_k^T v_c) u_k", None),
    ("ns-vc-negated-difference", NS, "v_c", "-(sigma(-u_o^T v_c) u_o - sum_k sigma(u_k^T v_c) u_k)", None),
    (
        "ns-vc-two-over-two",
        NS,
        "v_c",
        "2 (-(1 - sigma(u_o^T v_c)) u_o + sum_k sigma(u_k^T v_c) u_k) / 2",
        None,
    ),
    (
        "ns-vc-half-of-double",
        NS,
        "v_c",
        "1/2 (-2 sigma(-u_o^T v_c) u_o + 2 sum_k sigma(u_k^T v_c) u_k)",
        None,
    ),
    ("ns-vc-star-products", NS, "v_c", "-u_o * sigma(-u_o^T v_c) + sum_k u_k * sigma(u_k^T v_c)", None),
    (
        "ns-vc-exp-neg-ratio",
        NS,
        "v_c",
        "-(exp(-u_o^T v_c)/(1 + exp(-u_o^T v_c))) u_o + sum_k sigma(u_k^T v_c) u_k",
        None,
    ),
    (
        "ns-vc-power-minus-one",
        NS,
        "v_c",
        "-sigma(-u_o^T v_c) u_o + sum_k (1 + exp(-u_k^T v_c))^(-1) u_k",
        None,
    ),
    (
        "ns-vc-decimal-half-split",
        NS,
        "v_c",
        "-sigma(-u_o^T v_c) u_o + 0.5 sum_k sigma(u_k^T v_c) u_k + sum_k sigma(u_k^T v_c) u_k / 2",
        None,
    ),
    ("ns-vc-unicode", NS, "v_c", "-σ(−u_oᵀv_c) u_o + Σ_k σ(u_kᵀv_c) u_k", None),
    # ---- negative sampling, ∂J/∂u_o
    ("ns-uo-sigma-minus-one", NS, "u_o", "(sigma(u_o^T v_c) - 1) v_c", None),
    ("ns-uo-minus-one-minus-sigma", NS, "u_o", "-(1 - sigma(u_o^T v_c)) v_c", None),
    ("ns-uo-sigma-neg", NS, "u_o", "-sigma(-u_o^T v_c) v_c", None),
    ("ns-uo-vector-first-vcT-uo", NS, "u_o", "v_c (sigma(v_c^T u_o) - 1)", None),
    ("ns-uo-numerator", NS, "u_o", "(sigma(u_o^T v_c) - 1) v_c^T", None),
    ("ns-uo-numerator-sigma-neg", NS, "u_o", "-v_c^T sigma(-u_o^T v_c)", None),
    ("ns-uo-exp-form", NS, "u_o", "-v_c/(1 + exp(u_o^T v_c))", None),
    ("ns-uo-exp-ratio", NS, "u_o", "-exp(-u_o^T v_c)/(1 + exp(-u_o^T v_c)) v_c", None),
    ("ns-uo-distributed", NS, "u_o", "sigma(u_o^T v_c) v_c - v_c", None),
    ("ns-uo-K-over-K", NS, "u_o", "K (sigma(u_o^T v_c) - 1) v_c / K", None),
    ("ns-uo-e-power", NS, "u_o", "-v_c + 1/(1 + e^(-u_o^T v_c)) v_c", None),
    # ---- negative sampling, ∂J/∂u_k
    ("ns-uk-one-minus-sigma-neg", NS, "u_k", "(1 - sigma(-u_k^T v_c)) v_c", None),
    ("ns-uk-sigma", NS, "u_k", "sigma(u_k^T v_c) v_c", None),
    ("ns-uk-vector-first-vcT-uk", NS, "u_k", "v_c sigma(v_c^T u_k)", None),
    ("ns-uk-numerator", NS, "u_k", "sigma(u_k^T v_c) v_c^T", None),
    ("ns-uk-exp-form", NS, "u_k", "v_c/(1 + exp(-u_k^T v_c))", None),
    ("ns-uk-exp-ratio", NS, "u_k", "exp(u_k^T v_c)/(1 + exp(u_k^T v_c)) v_c", None),
    ("ns-uk-distributed", NS, "u_k", "v_c - sigma(-u_k^T v_c) v_c", None),
    ("ns-uk-double-negation", NS, "u_k", "-(sigma(-u_k^T v_c) - 1) v_c", None),
    # ---- softmax, ∂J/∂z
    ("sm-z-yhat-minus-y", SM, "z", "yhat - y", None),
    ("sm-z-reordered", SM, "z", "-y + yhat", None),
    ("sm-z-softmax-z", SM, "z", "softmax(z) - y", None),
    ("sm-z-numerator", SM, "z", "(yhat - y)^T", None),
    ("sm-z-transposes", SM, "z", "(yhat^T - y^T)^T", None),
    ("sm-z-y-row-numerator", SM, "z", "yhat - y", Y_ROW),
    ("sm-z-y-column-numerator", SM, "z", "yhat^T - y^T", Y_COLUMN),
    ("sm-z-V-over-V", SM, "z", "V (yhat - y) / V", None),
    # ---- softmax, ∂J/∂v_c
    ("sm-vc-U-cols", SM, "v_c", "U (yhat - y)", None),
    ("sm-vc-U-distributed", SM, "v_c", "U yhat - U y", None),
    ("sm-vc-sum-w", SM, "v_c", "sum_w (yhat_w - y_w) u_w", None),
    ("sm-vc-sum-w-minus-uo", SM, "v_c", "sum_w yhat_w u_w - u_o", None),
    ("sm-vc-reordered", SM, "v_c", "-u_o + sum_w u_w yhat_w", None),
    ("sm-vc-exp-ratio", SM, "v_c", "sum_w exp(u_w^T v_c)/(sum_j exp(u_j^T v_c)) u_w - u_o", None),
    ("sm-vc-exp-ratio-vcT", SM, "v_c", "sum_w u_w exp(v_c^T u_w) / sum_j exp(u_j^T v_c) - u_o", None),
    ("sm-vc-numerator-cols", SM, "v_c", "(yhat - y)^T U^T", COLS),
    ("sm-vc-rows-row-numerator", SM, "v_c", "(yhat - y) U", ROWS_ROW),
    ("sm-vc-rows-column", SM, "v_c", "U^T (yhat - y)", ROWS_COLUMN),
    ("sm-vc-rows-transposes", SM, "v_c", "U^T (yhat^T - y^T)^T", ROWS),
    ("sm-vc-softmax-UTv", SM, "v_c", "U softmax(U^T v_c) - u_o", COLS),
    ("sm-vc-numerator-sum", SM, "v_c", "sum_w yhat_w u_w^T - u_o^T", None),
    ("sm-vc-bounded-component", SM, "v_c", "sum_{w=1}^{V} (yhat - y)_w u_w", None),
    ("sm-vc-sum-k-over-vocab", SM, "v_c", "sum_k (yhat_k - y_k) u_k", None),
    ("sm-vc-U-yhat-minus-uo", SM, "v_c", "U yhat - u_o", COLS),
    # ---- softmax, ∂J/∂u_w (and u_k, u_o)
    ("sm-uw-components", SM, "u_w", "(yhat_w - y_w) v_c", None),
    ("sm-uw-component-of-diff", SM, "u_w", "(yhat - y)_w v_c", None),
    ("sm-uw-distributed", SM, "u_w", "v_c yhat_w - v_c y_w", None),
    ("sm-uw-numerator", SM, "u_w", "(yhat_w - y_w) v_c^T", None),
    ("sm-uw-exp-ratio", SM, "u_w", "(exp(u_w^T v_c)/sum_j exp(u_j^T v_c) - y_w) v_c", None),
    ("sm-uw-exp-ratio-distributed", SM, "u_w", "(exp(u_w^T v_c)/sum_k exp(u_k^T v_c)) v_c - y_w v_c", None),
    ("sm-uk-components", SM, "u_k", "(yhat_k - y_k) v_c", None),
    ("sm-uk-vector-first", SM, "u_k", "v_c (yhat - y)_k", None),
    ("sm-uo-yhat-minus-one", SM, "u_o", "(yhat_o - 1) v_c", None),
    ("sm-uo-components", SM, "u_o", "(yhat_o - y_o) v_c", None),
    ("sm-uo-negated", SM, "u_o", "-(1 - yhat_o) v_c", None),
    # ---- softmax, ∂J/∂U
    ("sm-U-cols-denominator", SM, "U", "v_c (yhat - y)^T", COLS),
    ("sm-U-rows-denominator", SM, "U", "(yhat - y) v_c^T", ROWS),
    ("sm-U-cols-distributed", SM, "U", "v_c yhat^T - v_c y^T", COLS),
    ("sm-U-rows-transposed", SM, "U", "(v_c (yhat - y)^T)^T", ROWS),
    ("sm-U-rows-row-y", SM, "U", "(yhat - y)^T v_c^T", ROWS_ROW),
    ("sm-U-cols-row-y", SM, "U", "v_c (yhat - y)", COLS_ROW),
    ("sm-U-inferred", SM, "U", "v_c (yhat - y)^T", None),
    ("sm-U-cols-numerator", SM, "U", "(yhat - y) v_c^T", COLS_NUMERATOR),
    ("sm-U-rows-numerator", SM, "U", "v_c (yhat - y)^T", ROWS_NUMERATOR),
    ("sm-U-rows-distributed", SM, "U", "yhat v_c^T - y v_c^T", ROWS),
]


WRONG = [
    # ---- negative sampling, ∂J/∂v_c
    ("ns-vc-o-sign-flip", NS, "v_c", "(1 - sigma(u_o^T v_c)) u_o + sum_k sigma(u_k^T v_c) u_k", None),
    ("ns-vc-k-sign-flip", NS, "v_c", "-sigma(-u_o^T v_c) u_o - sum_k sigma(u_k^T v_c) u_k", None),
    ("ns-vc-missing-leading-minus", NS, "v_c", "sigma(-u_o^T v_c) u_o - sum_k sigma(u_k^T v_c) u_k", None),
    ("ns-vc-o-sigma-x-for-neg-x", NS, "v_c", "-sigma(u_o^T v_c) u_o + sum_k sigma(u_k^T v_c) u_k", None),
    ("ns-vc-k-sigma-neg-x-for-x", NS, "v_c", "-sigma(-u_o^T v_c) u_o + sum_k sigma(-u_k^T v_c) u_k", None),
    ("ns-vc-dropped-negatives", NS, "v_c", "-sigma(-u_o^T v_c) u_o", None),
    ("ns-vc-dropped-outside", NS, "v_c", "sum_k sigma(u_k^T v_c) u_k", None),
    ("ns-vc-extra-K", NS, "v_c", "-sigma(-u_o^T v_c) u_o + K sum_k sigma(u_k^T v_c) u_k", None),
    ("ns-vc-factor-2", NS, "v_c", "2 (-sigma(-u_o^T v_c) u_o + sum_k sigma(u_k^T v_c) u_k)", None),
    ("ns-vc-uo-for-uk", NS, "v_c", "-sigma(-u_o^T v_c) u_o + sum_k sigma(u_k^T v_c) u_o", None),
    (
        "ns-vc-plus-e-minus-50",
        NS,
        "v_c",
        "-sigma(-u_o^T v_c) u_o + sum_k sigma(u_k^T v_c) u_k + e^(-50) u_o",
        None,
    ),
    (
        "ns-vc-times-1-plus-e-minus-50",
        NS,
        "v_c",
        "(1 + e^(-50)) (-sigma(-u_o^T v_c) u_o + sum_k sigma(u_k^T v_c) u_k)",
        None,
    ),
    (
        "ns-vc-numerator-plus-e-minus-50",
        NS,
        "v_c",
        "-sigma(-u_o^T v_c) u_o^T + sum_k sigma(u_k^T v_c) u_k^T + e^(-50) u_o^T",
        None,
    ),
    ("ns-vc-off-by-one-sign", NS, "v_c", "-(sigma(u_o^T v_c) - 1) u_o + sum_k sigma(u_k^T v_c) u_k", None),
    ("ns-vc-exp-without-sigma", NS, "v_c", "-exp(-u_o^T v_c) u_o + sum_k exp(u_k^T v_c) u_k", None),
    ("ns-vc-sum-over-vocab", NS, "v_c", "(sigma(u_o^T v_c) - 1) u_o + sum_w sigma(u_w^T v_c) u_w", None),
    (
        "ns-vc-log-term",
        NS,
        "v_c",
        "-sigma(-u_o^T v_c) u_o + sum_k sigma(u_k^T v_c) u_k - log(sigma(u_o^T v_c)) u_o",
        None,
    ),
    # ---- negative sampling, ∂J/∂u_o
    ("ns-uo-sign-flip", NS, "u_o", "(1 - sigma(u_o^T v_c)) v_c", None),
    ("ns-uo-missing-minus", NS, "u_o", "sigma(-u_o^T v_c) v_c", None),
    ("ns-uo-sigma-x-for-neg-x", NS, "u_o", "-sigma(u_o^T v_c) v_c", None),
    ("ns-uo-uo-for-vc", NS, "u_o", "(sigma(u_o^T v_c) - 1) u_o", None),
    ("ns-uo-factor-2", NS, "u_o", "2 (sigma(u_o^T v_c) - 1) v_c", None),
    ("ns-uo-extra-K", NS, "u_o", "K (sigma(u_o^T v_c) - 1) v_c", None),
    ("ns-uo-over-K", NS, "u_o", "(sigma(u_o^T v_c) - 1) v_c / K", None),
    ("ns-uo-plus-e-minus-50", NS, "u_o", "(sigma(u_o^T v_c) - 1) v_c + e^(-50) v_c", None),
    ("ns-uo-times-1-plus-e-minus-50", NS, "u_o", "(1 + e^(-50)) (sigma(u_o^T v_c) - 1) v_c", None),
    ("ns-uo-numerator-minus-e-minus-50", NS, "u_o", "-sigma(-u_o^T v_c) v_c^T - e^(-50) v_c^T", None),
    ("ns-uo-exp-without-sigma", NS, "u_o", "-exp(-u_o^T v_c) v_c", None),
    ("ns-uo-plus-one", NS, "u_o", "(sigma(v_c^T u_o) + 1) v_c", None),
    ("ns-uo-dropped-sigma", NS, "u_o", "-v_c", None),
    ("ns-uo-squared", NS, "u_o", "(sigma(u_o^T v_c) - 1)^2 v_c", None),
    ("ns-uo-wrong-exp-sign", NS, "u_o", "-v_c/(1 + exp(-u_o^T v_c))", None),
    ("ns-uo-log", NS, "u_o", "log(sigma(u_o^T v_c)) v_c", None),
    # ---- negative sampling, ∂J/∂u_k
    ("ns-uk-sign-flip", NS, "u_k", "-sigma(u_k^T v_c) v_c", None),
    ("ns-uk-sigma-neg-x-for-x", NS, "u_k", "sigma(-u_k^T v_c) v_c", None),
    ("ns-uk-off-by-one", NS, "u_k", "(sigma(u_k^T v_c) - 1) v_c", None),
    ("ns-uk-one-minus-sigma", NS, "u_k", "(1 - sigma(u_k^T v_c)) v_c", None),
    ("ns-uk-extra-K", NS, "u_k", "K sigma(u_k^T v_c) v_c", None),
    ("ns-uk-factor-2", NS, "u_k", "2 sigma(u_k^T v_c) v_c", None),
    ("ns-uk-plus-e-minus-50", NS, "u_k", "sigma(u_k^T v_c) v_c + e^(-50) v_c", None),
    ("ns-uk-times-1-plus-e-minus-50", NS, "u_k", "(1 + e^(-50)) sigma(u_k^T v_c) v_c", None),
    ("ns-uk-numerator-plus-e-minus-50", NS, "u_k", "sigma(u_k^T v_c) v_c^T + e^(-50) v_c^T", None),
    ("ns-uk-uo-for-uk", NS, "u_k", "sigma(u_o^T v_c) v_c", None),
    ("ns-uk-exp-without-sigma", NS, "u_k", "exp(u_k^T v_c) v_c", None),
    ("ns-uk-uk-for-vc", NS, "u_k", "sigma(u_k^T v_c) u_k", None),
    ("ns-uk-wrong-exp-sign", NS, "u_k", "v_c/(1 + exp(u_k^T v_c))", None),
    # ---- softmax, ∂J/∂z
    ("sm-z-swapped", SM, "z", "y - yhat", None),
    ("sm-z-dropped-y", SM, "z", "yhat", None),
    ("sm-z-plus-y", SM, "z", "yhat + y", None),
    ("sm-z-factor-2", SM, "z", "2 (yhat - y)", None),
    ("sm-z-extra-V", SM, "z", "V (yhat - y)", None),
    ("sm-z-plus-e-minus-50", SM, "z", "yhat - y + e^(-50) y", None),
    ("sm-z-times-1-plus-e-minus-50", SM, "z", "(1 + e^(-50)) (yhat - y)", None),
    ("sm-z-numerator-swapped", SM, "z", "(y - yhat)^T", None),
    ("sm-z-z-for-yhat", SM, "z", "z - y", None),
    # ---- softmax, ∂J/∂v_c
    ("sm-vc-swapped", SM, "v_c", "U (y - yhat)", None),
    ("sm-vc-dropped-y", SM, "v_c", "U yhat", None),
    ("sm-vc-plus-uo", SM, "v_c", "sum_w yhat_w u_w + u_o", None),
    ("sm-vc-yhat-o-for-y-o", SM, "v_c", "U yhat - yhat_o u_o", None),
    ("sm-vc-exp-without-normalising", SM, "v_c", "sum_w exp(u_w^T v_c) u_w - u_o", None),
    ("sm-vc-plus-e-minus-50", SM, "v_c", "U (yhat - y) + e^(-50) u_o", None),
    ("sm-vc-rows-numerator-plus-e-minus-50", SM, "v_c", "(yhat - y) U + e^(-50) u_o^T", ROWS_ROW),
    # ---- softmax, ∂J/∂u_w, u_k, u_o
    ("sm-uw-swapped", SM, "u_w", "(y_w - yhat_w) v_c", None),
    ("sm-uw-dropped-y", SM, "u_w", "yhat_w v_c", EVERY_W),
    ("sm-uw-plus-e-minus-50", SM, "u_w", "(yhat_w - y_w) v_c + e^(-50) v_c", None),
    ("sm-uw-times-1-plus-e-minus-50", SM, "u_w", "(1 + e^(-50)) (yhat_w - y_w) v_c", None),
    ("sm-uw-yhat-o-for-yhat-w", SM, "u_w", "(yhat_o - y_w) v_c", None),
    ("sm-uw-y-o-for-y-w", SM, "u_w", "(yhat_w - y_o) v_c", None),
    ("sm-uw-uw-for-vc", SM, "u_w", "(yhat_w - y_w) u_w", None),
    ("sm-uw-exp-without-normalising", SM, "u_w", "exp(u_w^T v_c) v_c - y_w v_c", None),
    ("sm-uw-numerator-plus-e-minus-50", SM, "u_w", "(yhat - y)_w v_c^T + e^(-50) v_c^T", None),
    ("sm-uk-swapped", SM, "u_k", "(y_k - yhat_k) v_c", None),
    ("sm-uk-factor-2", SM, "u_k", "2 (yhat_k - y_k) v_c", None),
    ("sm-uo-swapped", SM, "u_o", "(1 - yhat_o) v_c", None),
    ("sm-uo-dropped-y", SM, "u_o", "yhat_o v_c", None),
    ("sm-uo-plus-e-minus-50", SM, "u_o", "(yhat_o - y_o) v_c + e^(-50) v_c", None),
    # ---- softmax, ∂J/∂U
    ("sm-U-cols-swapped", SM, "U", "v_c (y - yhat)^T", COLS),
    ("sm-U-cols-dropped-y", SM, "U", "v_c yhat^T", COLS),
    ("sm-U-rows-plus-e-minus-50", SM, "U", "(yhat - y) v_c^T + e^(-50) y v_c^T", ROWS),
    ("sm-U-rows-factor-2", SM, "U", "2 (yhat - y) v_c^T", ROWS),
    ("sm-U-cols-plus-y", SM, "U", "v_c (yhat + y)^T", COLS),
]


ILL_TYPED = [
    ("sm-vc-U-rows-times-column", SM, "v_c", "U (yhat - y)", ROWS_COLUMN),
    ("sm-vc-column-times-U-cols", SM, "v_c", "(yhat - y) U", COLS),
    ("ns-vc-add-column-and-row", NS, "v_c", "u_o + v_c^T", None),
    ("ns-vc-free-k", NS, "v_c", "sigma(u_o^T v_c) u_k", None),
    ("sm-vc-free-w", SM, "v_c", "yhat_w u_w", None),
    ("ns-vc-softmax-of-d-vector", NS, "v_c", "softmax(v_c)", None),
    ("ns-vc-divide-by-vector", NS, "v_c", "u_o / v_c", None),
    ("ns-uo-power-of-vector", NS, "u_o", "u_o^2 v_c", None),
    ("ns-vc-column-times-column", NS, "v_c", "u_o v_c", None),
]

PARSE_ERRORS = [
    ("unclosed-paren", "sigma(u_o^T v_c"),
    ("dangling-plus", "u_o +"),
    ("unknown-name", "foo"),
    ("empty", "   "),
    ("fractional-exponent", "exp(u_o^T v_c)^(1/2) u_o"),
    ("bad-centre-vector", "v_{c,1}"),  # v_d is the centre vector of word d
    ("sum-from-zero", "sum_{k=0}^{K} u_k"),
    ("sum-over-o", "sum_o u_o"),
    ("sum-to-d", "sum_{k=1}^{d} u_k"),
    ("stray-close-paren", "u_o ) ("),
    ("subscripted-U", "U_o"),
]


def _ids(cases) -> list[str]:
    return [case[0] for case in cases]


def _assert_unique_ids() -> None:
    for cases in (EQUIVALENT, WRONG, ILL_TYPED, PARSE_ERRORS):
        ids = _ids(cases)
        assert len(ids) == len(set(ids)), [i for i in ids if ids.count(i) > 1]


def test_corpus_sizes_and_coverage() -> None:
    _assert_unique_ids()
    assert len(EQUIVALENT) >= 60
    assert len(WRONG) >= 60
    for cases in (EQUIVALENT, WRONG):
        assert {case[1] for case in cases} == {NS, SM}
        assert {case[2] for case in cases} == {"v_c", "u_o", "u_k", "u_w", "U", "z"}


@pytest.mark.parametrize(("case_id", "loss", "wrt", "claim", "conventions"), EQUIVALENT, ids=_ids(EQUIVALENT))
def test_equivalent_rewrite_is_proved(case_id, loss, wrt, claim, conventions) -> None:
    result = _check(loss, wrt, claim, conventions)
    assert result.verdict.value == "proved", _describe(result)
    assert result.counterexample is None
    assert result.layout in ("denominator", "numerator")


@pytest.mark.parametrize(("case_id", "loss", "wrt", "claim", "conventions"), WRONG, ids=_ids(WRONG))
def test_wrong_variant_is_refuted_with_counterexample(case_id, loss, wrt, claim, conventions) -> None:
    result = _check(loss, wrt, claim, conventions)
    assert result.verdict.value != "undecided", _describe(result)
    assert result.verdict.value == "refuted", _describe(result)
    assert result.counterexample is not None, _describe(result)
    assert result.counterexample.certificate
    assert result.residual, _describe(result)
    assert result.layout in ("denominator", "numerator")


@pytest.mark.parametrize(("case_id", "loss", "wrt", "claim", "conventions"), ILL_TYPED, ids=_ids(ILL_TYPED))
def test_ill_typed(case_id, loss, wrt, claim, conventions) -> None:
    result = _check(loss, wrt, claim, conventions)
    assert result.verdict.value == "ill-typed", _describe(result)
    assert result.message
    assert result.counterexample is None


@pytest.mark.parametrize(("case_id", "claim"), PARSE_ERRORS, ids=_ids(PARSE_ERRORS))
def test_parse_error(case_id, claim) -> None:
    result = _check(NS, "v_c", claim)
    assert result.verdict.value == "parse-error", _describe(result)
    assert result.message


LAYOUTS = [
    ("ns-uo-row", NS, "u_o", "(sigma(u_o^T v_c) - 1) v_c^T", None, "numerator"),
    ("ns-uo-column", NS, "u_o", "(sigma(u_o^T v_c) - 1) v_c", None, "denominator"),
    ("ns-uk-row", NS, "u_k", "sigma(u_k^T v_c) v_c^T", None, "numerator"),
    ("ns-vc-row", NS, "v_c", "-sigma(-u_o^T v_c) u_o^T + sum_k sigma(u_k^T v_c) u_k^T", None, "numerator"),
    ("sm-z-column", SM, "z", "yhat - y", None, "denominator"),
    ("sm-z-row", SM, "z", "(yhat - y)^T", None, "numerator"),
    ("sm-vc-rows-row-y", SM, "v_c", "(yhat - y) U", ROWS_ROW, "numerator"),
    ("sm-vc-cols", SM, "v_c", "U (yhat - y)", COLS, "denominator"),
    ("sm-U-cols-vc-first", SM, "U", "v_c (yhat - y)^T", COLS, "denominator"),
    ("sm-U-rows-vc-first", SM, "U", "v_c (yhat - y)^T", ROWS_NUMERATOR, "numerator"),
]


@pytest.mark.parametrize(
    ("case_id", "loss", "wrt", "claim", "conventions", "layout"), LAYOUTS, ids=_ids(LAYOUTS)
)
def test_layout_is_reported(case_id, loss, wrt, claim, conventions, layout) -> None:
    result = _check(loss, wrt, claim, conventions)
    assert result.verdict.value == "proved", _describe(result)
    assert result.layout == layout


def test_declared_layout_that_does_not_fit_is_refuted_by_shape() -> None:
    result = _check(NS, "u_o", "(sigma(u_o^T v_c) - 1) v_c", {"layout": "numerator"})
    assert result.verdict.value == "refuted", _describe(result)
    assert result.method == "shape"
    assert "denominator layout" in result.message
    result = _check(NS, "u_o", "(sigma(u_o^T v_c) - 1) v_c^T", {"layout": "numerator"})
    assert result.verdict.value == "proved", _describe(result)
    assert result.layout == "numerator"


def test_eq13_as_printed_is_refuted_with_minus_sum_of_negatives() -> None:
    claim = "-u_o^T (1 - sigma(u_o^T v_c)) - sum_k u_k^T (1 - sigma(u_k^T v_c))"
    result = _check(NS, "v_c", claim)
    assert result.verdict.value == "refuted", _describe(result)
    assert result.layout == "numerator"
    assert result.counterexample is not None
    # the only error is the sign of the "1" in the negatives' term: claim − truth = −Σ_k u_k (as a row)
    assert "-Σ_k u_k" in result.residual, result.residual
    assert result.residual == "(-Σ_k u_k)ᵀ"
