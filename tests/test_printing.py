"""Text output parses back to the same AST; LaTeX output is the seed's notation and converts to MathML."""

from __future__ import annotations

import latex2mathml.converter
import pytest

from symw2v.instantiate import resolve_sums
from symw2v.parse import parse_claim
from symw2v.printing import to_latex, to_text
from symw2v.world.losses import named_loss

NS = named_loss("negative-sampling")

CLAIMS = [
    "-(1 - sigma(u_o^T v_c)) u_o + sum_k (1 - sigma(-u_k^T v_c)) u_k",
    "-u_o^T (1 - sigma(u_o^T v_c)) - sum_k u_k^T (1 - sigma(u_k^T v_c))",
    "(yhat - y) U",
    "(yhat - y)_k v_c",
    "sum_{w=1}^{V} yhat_w u_w - u_o",
    "e^(-50) u_o + 1/2 v_c",
    "-(u_o^T v_c) / (1 + exp(u_o^T v_c)^2)",
    "K (sigma(u_o^T v_c) - 1) v_c^T",
    "-(2 u_o)",
    "(sum_k u_k) sigma(u_o^T v_c)",
    "softmax(z)_o - y_o",
    "u_o - (u_o - v_c)",
    "log(sigma(u_o^T v_c))^(-1) u_o",
]


@pytest.mark.parametrize("text", CLAIMS)
def test_text_round_trip(text):
    node = parse_claim(text)
    assert parse_claim(to_text(node)) == node


@pytest.mark.parametrize("text", CLAIMS)
def test_round_trip_after_resolving_sums(text):
    node = resolve_sums(parse_claim(text), NS)
    assert parse_claim(to_text(node)) == node


@pytest.mark.parametrize("text", CLAIMS)
def test_latex_converts_to_mathml(text):
    latex = to_latex(resolve_sums(parse_claim(text), NS))
    assert "<math" in latex2mathml.converter.convert(latex)


def test_latex_notation():
    latex = to_latex(resolve_sums(parse_claim("sum_k sigma(u_k^T v_c) u_k"), NS))
    assert latex == (
        r"\sum_{k=1}^{K} \sigma\left(\boldsymbol{u}_{k}^{\top} \, \boldsymbol{v}_{c}\right) \, "
        r"\boldsymbol{u}_{k}"
    )
    assert to_latex(parse_claim("(yhat - y)_k")) == r"\left(\hat{\boldsymbol{y}} - \boldsymbol{y}\right)_{k}"
    assert to_latex(parse_claim("yhat_w")) == r"\hat{y}_{w}"
