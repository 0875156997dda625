r"""A corpus of LaTeX claims, in the notations people write, checked end to end by ``check_claim``.

Every gradient the claim language can state (negative sampling: ∂J/∂v_c, ∂J/∂u_o, ∂J/∂u_k;
softmax: ∂J/∂v_c, ∂J/∂u_o, ∂J/∂u_k, ∂J/∂u_w, ∂J/∂U, ∂J/∂z) gets claims of all three kinds:
*proved* (true, in some notation), *refuted* (wrong, with an exact counterexample) and
*ill-typed* (the shapes do not fit).  The notations: fonts (``\boldsymbol``, ``\mathbf``,
``\pmb``, ``\vec``), transposes (``^T``, ``^\top``, ``^{T}``, ``^\intercal``, ``u^T_{k}``),
``\sigma`` with every bracket, ``\frac``, ``e^{x}``, ``\exp``, ``\log``, hats, sums with
bounds, ``\cdot`` as a dot product, spacing macros and sized brackets.

The instance is the default one: V = 5, d = 3, K = 3, o = 2, negatives (1, 3, 4).
"""

from __future__ import annotations

from functools import cache

import pytest

from symw2v.claim import Conventions, check_claim
from symw2v.world.instance import Instance
from symw2v.world.losses import named_loss

NS = "negative-sampling"
SM = "softmax"
INSTANCE = Instance()

NONE = Conventions()
ROWS = Conventions(U="rows")
ROWS_ROW = Conventions(U="rows", y="row")
ROWS_COLUMN = Conventions(U="rows", y="column")
Y_COLUMN = Conventions(y="column")

DEN, NUM = "denominator", "numerator"


def _check(loss: str, wrt: str, claim: str, conventions: Conventions = NONE, syntax: str = "latex"):
    """The result of one check; each distinct check runs once per session."""
    return _cached(loss, wrt, claim, conventions, syntax)


@cache
def _cached(loss: str, wrt: str, claim: str, conventions: Conventions, syntax: str):
    return check_claim(claim, named_loss(loss), wrt, INSTANCE, conventions, syntax=syntax)


def _describe(result) -> str:
    return (
        f"verdict={result.verdict.value} layout={result.layout!r} method={result.method!r} "
        f"hint={result.hint!r} message={result.message[:300]!r}"
    )


def _case(case_id: str, loss: str, wrt: str, claim: str, conventions: Conventions = NONE, extra=None):
    values = (loss, wrt, claim, conventions) + (() if extra is None else (extra,))
    return pytest.param(*values, id=case_id)


# ---------------------------------------------------------------------------------------------
# (loss, wrt, claim, conventions, layout): true gradients, each must be proved
PROVED = [
    # ---- negative sampling, ∂J/∂v_c
    _case(
        "ns-vc-boldsymbol",
        NS,
        "v_c",
        r"-(1-\sigma(\boldsymbol{u}_o^T \boldsymbol{v}_c))\boldsymbol{u}_o"
        r" + \sum_{k=1}^{K}\sigma(\boldsymbol{u}_k^T \boldsymbol{v}_c)\boldsymbol{u}_k",
        extra=DEN,
    ),
    _case(
        "ns-vc-no-space-sigma-minus-one",
        NS,
        "v_c",
        r"(\sigma(u_o^Tv_c) - 1)u_o + \sum_{k=1}^{K}(1 - \sigma(-u_k^Tv_c))u_k",
        extra=DEN,
    ),
    _case(
        "ns-vc-mathbf-braced-subscripts-left-right",
        NS,
        "v_c",
        r"-\left(1-\sigma\left(\mathbf{u}_{o}^\top \mathbf{v}_{c}\right)\right)\mathbf{u}_{o}"
        r" + \sum_{k=1}^{K}\sigma\left(\mathbf{u}_{k}^\top\mathbf{v}_{c}\right)\mathbf{u}_{k}",
        extra=DEN,
    ),
    _case(
        "ns-vc-frac-exp-and-e-power",
        NS,
        "v_c",
        r"-\left(1 - \frac{1}{1+\exp(-u_o^Tv_c)}\right)u_o + \sum_{k=1}^{K}\frac{1}{1+e^{-u_k^{T}v_c}}\,u_k",
        extra=DEN,
    ),
    _case(
        "ns-vc-vec-cdot-Big-transposed",
        NS,
        "v_c",
        r"\Big(-(1-\sigma(\vec{u}_o \cdot \vec{v}_c))\vec{u}_o"
        r" + \sum_{k=1}^{K}\sigma(\vec{u}_k\cdot\vec{v}_c)\vec{u}_k\Big)^T",
        extra=NUM,
    ),
    _case(
        "ns-vc-mathbf-cdot",
        NS,
        "v_c",
        # the inner minus is bracketed: without the brackets, -\mathbf{u}_o \cdot \mathbf{v}_c is
        # read as (-u_o) times v_c, not as a dot product, and the claim is ill-typed
        r"-\sigma(-(\mathbf{u}_o \cdot \mathbf{v}_c))\,\mathbf{u}_o"
        r" + \sum_{k=1}^{K}\sigma(\mathbf{u}_k \cdot \mathbf{v}_c)\,\mathbf{u}_k",
        extra=DEN,
    ),
    _case(
        "ns-vc-quad-spacing",
        NS,
        "v_c",
        r"-\left(1-\sigma(u_o^Tv_c)\right)u_o \quad + \quad \sum_{k=1}^{K}\sigma(u_k^Tv_c)\,u_k",
        extra=DEN,
    ),
    # ---- negative sampling, ∂J/∂u_o
    _case(
        "ns-uo-boldsymbol-top",
        NS,
        "u_o",
        r"(\sigma(\boldsymbol{u}_o^\top\boldsymbol{v}_c) - 1)\boldsymbol{v}_c",
        extra=DEN,
    ),
    _case("ns-uo-sigma-braced-paren", NS, "u_o", r"-(1-\sigma{(u_o^Tv_c)})\,v_c", extra=DEN),
    _case("ns-uo-sigma-of-minus", NS, "u_o", r"-\sigma(-u_o^{T}v_c)\; v_c", extra=DEN),
    _case(
        "ns-uo-frac-e-powers",
        NS,
        "u_o",
        r"\left(\frac{e^{u_o^Tv_c}}{1+e^{u_o^Tv_c}} - 1\right) v_c",
        extra=DEN,
    ),
    _case("ns-uo-row-vector", NS, "u_o", r"(\sigma(u_o^Tv_c)-1)\,v_c^T", extra=NUM),
    _case("ns-uo-two-terms", NS, "u_o", r"\sigma(u_o^Tv_c)v_c - v_c", extra=DEN),
    # ---- negative sampling, ∂J/∂u_k
    _case("ns-uk-transpose-before-subscript", NS, "u_k", r"\sigma(u^T_{k}v_c)\,v_c", extra=DEN),
    _case(
        "ns-uk-intercal-one-minus",
        NS,
        "u_k",
        r"(1-\sigma(-\mathbf{u}_k^\intercal\mathbf{v}_c))\mathbf{v}_c",
        extra=DEN,
    ),
    _case("ns-uk-frac-exp", NS, "u_k", r"\frac{1}{1+\exp(-u_k^Tv_c)} v_c", extra=DEN),
    _case("ns-uk-frac-e-row", NS, "u_k", r"\frac{e^{u_k^Tv_c}}{1+e^{u_k^Tv_c}}v_c^T", extra=NUM),
    _case(
        "ns-uk-exp-minus-log",
        NS,
        "u_k",
        r"\exp\!\left(-\log\left(1+e^{-u_k^Tv_c}\right)\right) v_c",
        extra=DEN,
    ),
    _case(
        "ns-uk-vec-cdot-left-right",
        NS,
        "u_k",
        r"\sigma\left(\vec{u}_k \cdot \vec{v}_c\right)\vec{v}_c",
        extra=DEN,
    ),
    # ---- softmax, ∂J/∂v_c
    _case(
        "sm-vc-U-times-yhat-minus-y",
        SM,
        "v_c",
        r"\boldsymbol{U}(\hat{\boldsymbol{y}} - \boldsymbol{y})",
        extra=DEN,
    ),
    _case("sm-vc-sum-yhat-w-minus-uo", SM, "v_c", r"\sum_{w=1}^{V}\hat{y}_w u_w - u_o", extra=DEN),
    _case(
        "sm-vc-sum-mathbf",
        SM,
        "v_c",
        r"\sum_{w=1}^{V}(\hat{y}_w - y_w)\,\mathbf{u}_w",
        extra=DEN,
    ),
    _case("sm-vc-pmb", SM, "v_c", r"\sum_{w=1}^{V} \hat{y}_w\,\pmb u_w - \pmb u_o", extra=DEN),
    _case("sm-vc-rows-eq7", SM, "v_c", r"(\hat{y} - y)U", ROWS_ROW, extra=NUM),
    _case(
        "sm-vc-U-rows-top",
        SM,
        "v_c",
        r"\boldsymbol{U}^\top(\hat{\boldsymbol{y}} - \boldsymbol{y})",
        ROWS,
        extra=DEN,
    ),
    _case(
        "sm-vc-explicit-softmax",
        SM,
        "v_c",
        r"-u_o + \sum_{w=1}^{V}\frac{\exp(u_w^Tv_c)}{\sum_{x=1}^{V}\exp(u_x^Tv_c)}u_w",
        extra=DEN,
    ),
    # ---- softmax, ∂J/∂u_o
    _case("sm-uo-yhat-o-minus-one", SM, "u_o", r"(\hat{y}_o - 1)\,v_c", extra=DEN),
    _case("sm-uo-component-of-difference", SM, "u_o", r"(\hat{y} - y)_o v_c", extra=DEN),
    _case(
        "sm-uo-explicit-softmax",
        SM,
        "u_o",
        r"\left(\frac{\exp(u_o^Tv_c)}{\sum_{w=1}^{V}\exp(u_w^Tv_c)} - 1\right)v_c",
        extra=DEN,
    ),
    _case(
        "sm-uo-log-sum-exp",
        SM,
        "u_o",
        r"\left(\exp\left(u_o^Tv_c - \log\Big(\sum_{w=1}^{V}e^{u_w^Tv_c}\Big)\right) - 1\right)v_c",
        extra=DEN,
    ),
    # ---- softmax, ∂J/∂u_k (k any word of the vocabulary)
    _case("sm-uk-component-of-difference", SM, "u_k", r"(\hat{y} - y)_k\, v_c", extra=DEN),
    _case("sm-uk-hat-k-minus-y-k", SM, "u_k", r"(\hat{y}_k - y_k)\boldsymbol{v}_c", extra=DEN),
    _case("sm-uk-negative-thin-space", SM, "u_k", r"(\hat{y} - y)_k\, v_c\!", extra=DEN),
    # ---- softmax, ∂J/∂u_w
    _case("sm-uw-hat-w-minus-y-w", SM, "u_w", r"(\hat{y}_w - y_w)\,v_c", extra=DEN),
    _case("sm-uw-left-right-component", SM, "u_w", r"\left(\hat{y} - y\right)_w \boldsymbol{v}_c", extra=DEN),
    _case(
        "sm-uw-explicit-softmax",
        SM,
        "u_w",
        r"\left(\frac{e^{u_w^Tv_c}}{\sum_{x=1}^{V} e^{u_x^Tv_c}} - y_w\right) v_c",
        extra=DEN,
    ),
    _case("sm-uw-two-terms", SM, "u_w", r"\hat{y}_w\,v_c - y_w\,v_c", extra=DEN),
    # ---- softmax, ∂J/∂U
    _case("sm-U-outer-columns", SM, "U", r"v_c(\hat{y} - y)^T", extra=DEN),
    _case(
        "sm-U-outer-boldsymbol-top",
        SM,
        "U",
        r"\boldsymbol{v}_c(\hat{\boldsymbol{y}} - \boldsymbol{y})^\top",
        extra=DEN,
    ),
    _case("sm-U-outer-rows", SM, "U", r"(\hat{y} - y)v_c^T", ROWS, extra=DEN),
    # U not declared: the V×d answer is the gradient of U read as rows
    _case("sm-U-transposed-braced-T", SM, "U", r"(\hat y-y) v_c^{T}", extra=DEN),
    # ---- softmax, ∂J/∂z
    _case("sm-z-hat-minus-y", SM, "z", r"\hat{y} - y", extra=DEN),
    _case("sm-z-boldsymbol", SM, "z", r"\hat{\boldsymbol{y}} - \boldsymbol{y}", extra=DEN),
    _case("sm-z-operatorname-softmax", SM, "z", r"\operatorname{softmax}(z) - y", extra=DEN),
    _case("sm-z-negative-spaces", SM, "z", r"\hat{y}\!-\!y", extra=DEN),
    _case("sm-z-Big-transposed", SM, "z", r"\Big(\hat{y} - y\Big)^{T}", extra=NUM),
]


# (loss, wrt, claim, conventions): wrong gradients, each refuted with a counterexample
REFUTED = [
    # ---- negative sampling, ∂J/∂v_c
    _case(
        "ns-vc-first-term-sign",
        NS,
        "v_c",
        r"(1-\sigma(u_o^Tv_c))u_o + \sum_{k=1}^{K}\sigma(u_k^Tv_c)u_k",
    ),
    _case(
        "ns-vc-dropped-inner-minus",
        NS,
        "v_c",
        r"-(1-\sigma(u_o^Tv_c))u_o - \sum_{k=1}^{K}(1-\sigma(u_k^Tv_c))u_k",
    ),
    _case(
        "ns-vc-sigma-of-minus-in-sum",
        NS,
        "v_c",
        r"-(1-\sigma(u_o^Tv_c))u_o + \sum_{k=1}^{K}\sigma(-u_k^Tv_c)u_k",
    ),
    # ---- negative sampling, ∂J/∂u_o
    _case("ns-uo-single-term-sign", NS, "u_o", r"(1-\sigma(u_o^Tv_c))v_c"),
    _case("ns-uo-second-term-sign", NS, "u_o", r"\sigma(u_o^Tv_c)v_c + v_c"),
    _case("ns-uo-wrong-vector", NS, "u_o", r"(\sigma(u_o^Tv_c)-1)u_o"),
    _case("ns-uo-log-of-sigma", NS, "u_o", r"-\log\sigma(u_o^Tv_c)\,v_c"),
    # ---- negative sampling, ∂J/∂u_k
    _case("ns-uk-sign", NS, "u_k", r"-\sigma(u_k^Tv_c)v_c"),
    _case("ns-uk-sigma-of-minus", NS, "u_k", r"\sigma(-u_k^Tv_c)v_c"),
    _case("ns-uk-one-minus-sigma", NS, "u_k", r"(1-\sigma(u_k^Tv_c))v_c"),
    _case("ns-uk-wrong-vector-vec", NS, "u_k", r"\sigma(\vec{u}_k \cdot \vec{v}_c)\vec{u}_k"),
    # ---- negative sampling, gradients it has no closed form for: wrong all the same
    _case("ns-uw-sigma", NS, "u_w", r"\sigma(u_w^Tv_c)v_c"),
    _case("ns-U-softmax-outer", NS, "U", r"v_c(\hat{y} - y)^T"),
    _case("ns-z-softmax-gradient", NS, "z", r"\hat{y} - y"),
    # ---- softmax, ∂J/∂v_c
    _case("sm-vc-y-minus-yhat", SM, "v_c", r"U(y - \hat{y})"),
    _case("sm-vc-plus-uo", SM, "v_c", r"\sum_{w=1}^{V}\hat{y}_w u_w + u_o"),
    _case("sm-vc-U-yhat", SM, "v_c", r"U\hat{y}"),
    _case("sm-vc-missing-uo", SM, "v_c", r"\sum_{w=1}^{V}\hat{y}_w u_w"),
    # ---- softmax, ∂J/∂u_o
    _case("sm-uo-one-minus-yhat", SM, "u_o", r"(1-\hat{y}_o) v_c"),
    _case("sm-uo-missing-minus-one", SM, "u_o", r"\hat{y}_o v_c"),
    _case("sm-uo-wrong-vector", SM, "u_o", r"(\hat{y}_o - 1)\,u_o"),
    _case("sm-uo-log-yhat", SM, "u_o", r"-\log\hat{y}_o\, v_c"),
    # ---- softmax, ∂J/∂u_k
    _case("sm-uk-y-minus-yhat", SM, "u_k", r"(y_k - \hat{y}_k) v_c"),
    # ---- softmax, ∂J/∂u_w
    _case("sm-uw-wrong-vector", SM, "u_w", r"(\hat{y}_w - y_w) u_w"),
    _case("sm-uw-second-term-sign", SM, "u_w", r"\hat{y}_w\,v_c + y_w\,v_c"),
    # ---- softmax, ∂J/∂U
    _case("sm-U-y-minus-yhat", SM, "U", r"v_c(y - \hat{y})^T"),
    _case("sm-U-missing-y", SM, "U", r"v_c\hat{y}^T"),
    # ---- softmax, ∂J/∂z
    _case("sm-z-y-minus-yhat", SM, "z", r"y - \hat{y}"),
    _case("sm-z-yhat-only", SM, "z", r"\hat{y}"),
    _case("sm-z-plus-y", SM, "z", r"\hat{y} + y"),
]


# (loss, wrt, claim, conventions, a fragment of the message): claims whose shapes do not fit
ILL_TYPED = [
    # ---- negative sampling, ∂J/∂v_c
    _case(
        "ns-vc-missing-transpose-in-sigma",
        NS,
        "v_c",
        r"-(1-\sigma(u_o v_c))u_o + \sum_{k=1}^{K}\sigma(u_k^Tv_c)u_k",
        extra="cannot multiply d×1 by d×1",
    ),
    _case(
        "ns-vc-unbound-k",
        NS,
        "v_c",
        r"-(1-\sigma(u_o^Tv_c))u_o + \sigma(u_k^Tv_c)u_k",
        extra="index k is free",
    ),
    _case(
        "ns-vc-vector-plus-scalar-pmb",
        NS,
        "v_c",
        r"\pmb u_o + \pmb u_o^T \pmb v_c",
        extra="cannot add d×1 and 1×1",
    ),
    # ---- negative sampling, ∂J/∂u_o
    _case(
        "ns-uo-missing-transpose",
        NS,
        "u_o",
        r"(\sigma(u_o v_c)-1)v_c",
        extra="cannot multiply d×1 by d×1",
    ),
    _case(
        "ns-uo-scalar-plus-vector", NS, "u_o", r"(\sigma(u_o^Tv_c)-1) + v_c", extra="cannot add 1×1 and d×1"
    ),
    _case("ns-uo-vector-times-vector", NS, "u_o", r"(\sigma(u_o^Tv_c)-1)\,v_c\,v_c", extra="cannot multiply"),
    # ---- negative sampling, ∂J/∂u_k
    _case("ns-uk-missing-transpose", NS, "u_k", r"\sigma(u_k v_c) v_c", extra="cannot multiply d×1 by d×1"),
    _case(
        "ns-uk-vector-plus-scalar",
        NS,
        "u_k",
        r"\sigma(u_k^Tv_c)\,v_c + \sigma(u_o^Tv_c)",
        extra="cannot add d×1 and 1×1",
    ),
    # ---- negative sampling, gradients it has no closed form for
    _case("ns-uw-missing-transpose", NS, "u_w", r"\sigma(u_w v_c)v_c", extra="cannot multiply"),
    _case("ns-U-vector-times-vector", NS, "U", r"\boldsymbol{v}_c\boldsymbol{u}_o", extra="cannot multiply"),
    _case("ns-z-yhat-minus-vc", NS, "z", r"\hat{y} - v_c", extra="cannot add V×1 and d×1"),
    # ---- softmax, ∂J/∂v_c
    _case("sm-vc-yhat-minus-uo", SM, "v_c", r"U(\hat{y} - u_o)", extra="cannot add V×1 and d×1"),
    _case(
        "sm-vc-column-minus-row",
        SM,
        "v_c",
        r"\sum_{w=1}^{V}\hat{y}_w u_w - u_o^T",
        extra="cannot add d×1 and 1×d",
    ),
    _case("sm-vc-unbound-w", SM, "v_c", r"\hat{y}_w u_w - u_o", extra="index w is free"),
    _case("sm-vc-eq7-declared-y-column", SM, "v_c", r"(\hat{y} - y)U", ROWS_COLUMN, extra="U rows"),
    # ---- softmax, ∂J/∂u_o
    _case("sm-uo-yhat-minus-one", SM, "u_o", r"(\hat{y} - 1)v_c", extra="cannot add V×1 and 1×1"),
    _case("sm-uo-scalar-minus-vector", SM, "u_o", r"(\hat{y}_o - y) v_c", extra="cannot add 1×1 and V×1"),
    _case(
        "sm-uo-vector-times-vector", SM, "u_o", r"\hat{y}_o\, v_c\, u_o", extra="cannot multiply d×1 by d×1"
    ),
    # ---- softmax, ∂J/∂u_k
    _case("sm-uk-whole-vector", SM, "u_k", r"(\hat{y} - y) v_c", extra="cannot multiply V×1 by d×1"),
    # ---- softmax, ∂J/∂u_w
    _case("sm-uw-scalar-minus-vector", SM, "u_w", r"(\hat{y}_w - y) v_c", extra="cannot add 1×1 and V×1"),
    _case("sm-uw-vector-times-vector", SM, "u_w", r"(\hat{y}_w - y_w) v_c u_w", extra="cannot multiply"),
    # ---- softmax, ∂J/∂U
    _case("sm-U-row-times-row", SM, "U", r"v_c^T(\hat{y} - y)^T", extra="cannot multiply 1×d by 1×V"),
    _case("sm-U-missing-transpose", SM, "U", r"(\hat{y} - y)v_c", extra="cannot multiply V×1 by d×1"),
    _case("sm-U-matrix-plus-vector", SM, "U", r"v_c (\hat{y} - y)^T + v_c", extra="cannot add d×V and d×1"),
    _case(
        "sm-U-outer-declared-y-column",
        SM,
        "U",
        r"v_c(\hat{y} - y)",
        Y_COLUMN,
        extra="type-checks with",
    ),
    # ---- softmax, ∂J/∂z
    _case("sm-z-vector-minus-component", SM, "z", r"\hat{y} - y_o", extra="cannot add V×1 and 1×1"),
    _case("sm-z-yhat-minus-vc", SM, "z", r"\hat{y} - v_c", extra="cannot add V×1 and d×1"),
    _case("sm-z-free-w", SM, "z", r"\hat{y}_w - y_w", extra="index w is free"),
]


def _values(params) -> list[tuple]:
    return [p.values for p in params]


@pytest.mark.parametrize("loss, wrt, claim, conventions, layout", PROVED)
def test_true_gradients_are_proved(loss, wrt, claim, conventions, layout):
    result = _check(loss, wrt, claim, conventions)
    assert result.verdict.value == "proved", _describe(result)
    assert result.layout == layout, _describe(result)
    assert not result.residual


@pytest.mark.parametrize("loss, wrt, claim, conventions", REFUTED)
def test_wrong_gradients_are_refuted_with_a_counterexample(loss, wrt, claim, conventions):
    result = _check(loss, wrt, claim, conventions)
    assert result.verdict.value == "refuted", _describe(result)
    assert result.counterexample is not None, _describe(result)
    assert result.residual, _describe(result)


@pytest.mark.parametrize("loss, wrt, claim, conventions, fragment", ILL_TYPED)
def test_claims_whose_shapes_do_not_fit_are_ill_typed(loss, wrt, claim, conventions, fragment):
    result = _check(loss, wrt, claim, conventions)
    assert result.verdict.value == "ill-typed", _describe(result)
    assert fragment in result.message, _describe(result)


# ---------------------------------------------------------------------------------------------
# the classic mistakes, named by the hint
HINTS = [
    _case(
        "ns-vc-sign-of-one-term",
        NS,
        "v_c",
        r"(1-\sigma(u_o^Tv_c))u_o + \sum_{k=1}^{K}\sigma(u_k^Tv_c)u_k",
        extra=("refuted", "first term has the wrong sign"),
    ),
    _case(
        "ns-uo-sign-of-second-term",
        NS,
        "u_o",
        r"\sigma(u_o^Tv_c)v_c + v_c",
        extra=("refuted", "second term has the wrong sign"),
    ),
    _case(
        "sm-z-sign-of-second-term",
        SM,
        "z",
        r"\hat{y} + y",
        extra=("refuted", "second term has the wrong sign"),
    ),
    _case(
        "ns-vc-dropped-inner-minus",
        NS,
        "v_c",
        r"-(1-\sigma(u_o^Tv_c))u_o - \sum_{k=1}^{K}(1-\sigma(u_k^Tv_c))u_k",
        extra=("refuted", "inner minus"),
    ),
    _case(
        "ns-uk-sigma-of-minus",
        NS,
        "u_k",
        r"\sigma(-u_k^Tv_c)v_c",
        extra=("refuted", "inner minus"),
    ),
    _case("sm-z-swapped-y", SM, "z", r"y - \hat{y}", extra=("refuted", "ŷ and y are swapped")),
    _case(
        "ns-vc-missing-transpose-in-sigma",
        NS,
        "v_c",
        r"-(1-\sigma(u_o v_c))u_o + \sum_{k=1}^{K}\sigma(u_k^Tv_c)u_k",
        extra=("ill-typed", "transpose"),
    ),
    _case(
        "ns-uk-missing-transpose-in-sigma",
        NS,
        "u_k",
        r"\sigma(u_k v_c) v_c",
        extra=("ill-typed", "transpose"),
    ),
    _case("sm-U-missing-transpose", SM, "U", r"(\hat{y} - y)v_c", extra=("ill-typed", "transpose")),
]


@pytest.mark.parametrize("loss, wrt, claim, conventions, expected", HINTS)
def test_classic_mistakes_get_a_hint(loss, wrt, claim, conventions, expected):
    verdict, fragment = expected
    result = _check(loss, wrt, claim, conventions)
    assert result.verdict.value == verdict, _describe(result)
    assert fragment in result.hint, _describe(result)


def test_dropped_inner_minus_hint_gives_the_corrected_term():
    result = _check(NS, "v_c", r"-(1-\sigma(u_o^Tv_c))u_o - \sum_{k=1}^{K}(1-\sigma(u_k^Tv_c))u_k")
    assert "second term" in result.hint
    assert r"\sigma(-u_k^T v_c)" in result.hint, result.hint


def test_missing_transpose_hint_names_the_vector():
    result = _check(NS, "u_o", r"(\sigma(u_o v_c)-1)v_c")
    assert "`u_o` needs a transpose" in result.hint, result.hint


# ---------------------------------------------------------------------------------------------
# a claim of the wrong shape is refuted by its shape, naming both layouts (no point to evaluate)
def test_scalar_claim_for_a_vector_gradient_is_refuted_by_shape():
    result = _check(NS, "v_c", r"\sigma(\boldsymbol{u}_o^T \boldsymbol{v}_c)")
    assert result.verdict.value == "refuted", _describe(result)
    assert result.method == "shape"
    assert "1×1" in result.message and "d×1" in result.message and "1×d" in result.message


def test_outer_product_without_transpose_reads_y_as_a_row():
    """``v_c(ŷ − y)`` type-checks when ŷ, y are rows: the reading is inferred and reported."""
    result = _check(SM, "U", r"v_c(\hat{y} - y)")
    assert result.verdict.value == "proved", _describe(result)
    assert (result.U, result.y, result.layout) == ("columns", "row", DEN)
    assert "inferred" in result.reading


# ---------------------------------------------------------------------------------------------
# malformed LaTeX: a parse error that says where
PARSE_ERRORS = [
    pytest.param(r"\foo(u_o)", 1, "not part of the claim language", id="unknown-command"),
    pytest.param(r"\frac{1}{2}\foo", 12, "not part of the claim language", id="unknown-command-later"),
    pytest.param(r"\frac{a}{", 10, "ends too early", id="unbalanced-frac"),
    pytest.param(r"\sigma(", 8, "ends too early", id="open-sigma"),
    pytest.param(r"\sigma(u_o^Tv_c", 16, "ends too early", id="unclosed-sigma"),
    pytest.param(r"\hat{x}", 1, "only y has a hat", id="hat-on-x"),
    pytest.param(r"\sum_{k=0}^{K} u_k", 6, "sums start at 1", id="sum-from-zero"),
]


@pytest.mark.parametrize("claim, column, fragment", PARSE_ERRORS)
@pytest.mark.parametrize("syntax", ["latex", "auto"])
def test_malformed_latex_is_a_parse_error_with_its_column(claim, column, fragment, syntax):
    result = _check(NS, "v_c", claim, NONE, syntax)
    assert result.verdict.value == "parse-error", _describe(result)
    assert fragment in result.message
    assert f"at column {column}" in result.message, result.message


# ---------------------------------------------------------------------------------------------
# syntax detection: a claim with a backslash command is read as LaTeX when the syntax is "auto"
AUTO = [
    _case("proved-ns-vc", NS, "v_c", PROVED[0].values[2], extra="proved"),
    _case(
        "proved-sm-U",
        SM,
        "U",
        r"\boldsymbol{v}_c(\hat{\boldsymbol{y}} - \boldsymbol{y})^\top",
        extra="proved",
    ),
    _case(
        "proved-ns-uk-cdot",
        NS,
        "u_k",
        r"\sigma\left(\vec{u}_k \cdot \vec{v}_c\right)\vec{v}_c",
        extra="proved",
    ),
    _case("refuted-sm-vc", SM, "v_c", r"\sum_{w=1}^{V}\hat{y}_w u_w + u_o", extra="refuted"),
    _case("ill-typed-ns-uo", NS, "u_o", r"(\sigma(u_o v_c)-1)v_c", extra="ill-typed"),
]


@pytest.mark.parametrize("loss, wrt, claim, conventions, verdict", AUTO)
def test_auto_syntax_reads_backslash_claims_as_latex(loss, wrt, claim, conventions, verdict):
    latex = _check(loss, wrt, claim, conventions, "latex")
    auto = _check(loss, wrt, claim, conventions, "auto")
    assert latex.verdict.value == auto.verdict.value == verdict, _describe(auto)
    assert auto.layout == latex.layout
    assert auto.claim_latex == latex.claim_latex


PLAIN_TWINS = [
    pytest.param(
        NS,
        "v_c",
        r"-(1-\sigma(\boldsymbol{u}_o^T \boldsymbol{v}_c))\boldsymbol{u}_o"
        r" + \sum_{k=1}^{K}\sigma(\boldsymbol{u}_k^T \boldsymbol{v}_c)\boldsymbol{u}_k",
        "-(1 - sigma(u_o^T v_c)) u_o + sum_k sigma(u_k^T v_c) u_k",
        id="ns-vc",
    ),
    pytest.param(SM, "u_w", r"\left(\hat{y} - y\right)_w \boldsymbol{v}_c", "(yhat - y)_w v_c", id="sm-uw"),
    pytest.param(SM, "z", r"y - \hat{y}", "y - yhat", id="sm-z-refuted"),
    pytest.param(NS, "u_k", r"\sigma(u_k v_c) v_c", "sigma(u_k v_c) v_c", id="ns-uk-ill-typed"),
]


@pytest.mark.parametrize("loss, wrt, latex, text", PLAIN_TWINS)
def test_latex_and_plain_text_agree(loss, wrt, latex, text):
    from_latex = _check(loss, wrt, latex, NONE, "latex")
    from_text = _check(loss, wrt, text, NONE, "auto")
    assert from_latex.verdict.value == from_text.verdict.value, _describe(from_text)
    assert from_latex.claim_latex == from_text.claim_latex


# ---------------------------------------------------------------------------------------------
# the corpus itself: every stateable gradient gets every verdict, and every notation is used
STATEABLE = [(NS, w) for w in ("v_c", "u_o", "u_k")] + [
    (SM, w) for w in ("v_c", "u_o", "u_k", "u_w", "U", "z")
]

NOTATIONS = [
    r"\boldsymbol{u}_o^T \boldsymbol{v}_c",
    r"\mathbf{u}_{o}",
    r"\pmb u_o",
    r"\vec{u}_o",
    "u_o^Tv_c",
    "u^T_{k}",
    r"^\top",
    "^{T}",
    r"^\intercal",
    r"\sigma(",
    r"\sigma{(",
    r"\sigma\left(",
    r"\frac{",
    "e^{",
    r"\exp(",
    r"\log",
    r"\hat{y}",
    r"\hat{\boldsymbol{y}}",
    r"\hat{y}_w",
    r"(\hat{y} - y)_k",
    r"\sum_{k=1}^{K}",
    r"\sum_{w=1}^{V}",
    r"\mathbf{u}_o \cdot \mathbf{v}_c",
    r"\,",
    r"\;",
    r"\!",
    r"\quad",
    r"\left(",
    r"\right)",
    r"\Big(",
]


def test_every_stateable_gradient_gets_every_verdict():
    corpus = {
        "proved": _values(PROVED),
        "refuted": _values(REFUTED),
        "ill-typed": _values(ILL_TYPED),
    }
    for loss, wrt in STATEABLE:
        for verdict, cases in corpus.items():
            assert any(case[:2] == (loss, wrt) for case in cases), (loss, wrt, verdict)
    assert sum(len(cases) for cases in corpus.values()) >= 70


@pytest.mark.parametrize("notation", NOTATIONS)
def test_every_notation_is_in_the_corpus(notation):
    claims = [case[2] for case in _values(PROVED) + _values(REFUTED) + _values(ILL_TYPED)]
    assert any(notation in claim for claim in claims), notation


# answers for one case given without it: the case is inferred, said, and the answer proved there
ONE_CASE = [
    _case("sm-uk-missing-y", SM, "u_k", r"\hat{y}_k v_c", extra="w != o"),
    _case("sm-uw-missing-y", SM, "u_w", r"\hat{y}_w v_c", extra="w != o"),
    _case("sm-uw-minus-one", SM, "u_w", r"(\hat{y}_w - 1) v_c", extra="w = o"),
]


@pytest.mark.parametrize("loss, wrt, claim, conventions, case", ONE_CASE)
def test_an_answer_for_one_case_is_proved_for_that_case(loss, wrt, claim, conventions, case):
    result = _check(loss, wrt, claim, conventions)
    assert (result.verdict.value, result.case) == ("proved", case), _describe(result)
    assert "no case was given" in result.message


# a claim about a word vector may write its index with another letter than the question's
OTHER_LETTER = [
    _case("ns-uk-written-with-w", NS, "u_k", r"\sigma(u_w^Tv_c)v_c"),
    _case("sm-uk-written-with-w", SM, "u_k", r"(\hat{y}_w - y_w) v_c"),
    _case("ns-uk-written-with-w_s", NS, "u_k", r"-(\sigma(-u_{w_s}^\top v_c) - 1) v_c"),
]


@pytest.mark.parametrize("loss, wrt, claim, conventions", OTHER_LETTER)
def test_the_free_index_may_have_another_letter(loss, wrt, claim, conventions):
    assert _check(loss, wrt, claim, conventions).verdict.value == "proved"
