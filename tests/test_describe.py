"""Readable forms: vectors as combinations, ŷ and σ where they apply, plain text without LaTeX."""

from __future__ import annotations

import sympy

from symw2v.derive import derive
from symw2v.describe import TEXT, gradient_form, linear_combination, sigmoid_form
from symw2v.world import NEGATIVES, Reading
from symw2v.world.instance import Instance
from symw2v.world.losses import named_loss

INSTANCE = Instance()


def test_negative_sampling_gradient_groups_the_negatives():
    gradient = derive(named_loss("negative-sampling"), "v_c", INSTANCE, Reading())[0].gradient
    expected = "-σ(-u_oᵀv_c) u_o + Σ_k σ(u_kᵀv_c) u_k"
    assert gradient_form(gradient, INSTANCE, NEGATIVES, "vector", TEXT) == expected


def test_softmax_gradient_in_yhat():
    gradient = derive(named_loss("softmax"), "v_c", INSTANCE, Reading())[0].gradient
    text = gradient_form(gradient, INSTANCE, None, "vector", TEXT)
    assert text == "(ŷ_o - 1) u_o + ŷ_1 u_1 + ŷ_3 u_3 + ŷ_4 u_4 + ŷ_5 u_5"


def test_U_gradient_as_outer_product():
    gradient = derive(named_loss("softmax"), "U", INSTANCE, Reading("rows"))[0].gradient
    text = gradient_form(gradient, INSTANCE, None, "U-rows", TEXT)
    assert text == "[ŷ_1, ŷ_o - 1, ŷ_3, ŷ_4, ŷ_5]ᵀ v_cᵀ"


def test_linear_combination_refuses_what_is_not_one():
    u, v = INSTANCE.u(1), INSTANCE.v()
    nonlinear = sympy.Matrix([u[0] ** 2, u[1], u[2]])
    assert linear_combination(nonlinear, INSTANCE) is None
    assert linear_combination(2 * u + v, INSTANCE) == [(2, "1"), (1, "v_c")]


def test_sigmoid_form():
    x = sympy.Symbol("x")
    assert str(sigmoid_form(1 / (1 + sympy.exp(x)))) == "σ(-x)"
    assert str(sigmoid_form(sympy.exp(x) / (1 + sympy.exp(x)))) == "σ(x)"


def test_matrix_text_has_no_latex():
    gradient = derive(named_loss("softmax"), "z", INSTANCE, Reading())[0].gradient
    text = gradient_form(gradient, INSTANCE, None, "matrix", TEXT)
    assert "\\" not in text and "ŷ_o - 1" in text


def test_later_components_found_by_symmetry_and_checked_when_they_differ():
    u1, u2, v = INSTANCE.u(1), INSTANCE.u(2), INSTANCE.v()
    dot = (u1.T * v)[0]
    column = sympy.exp(dot) / (1 + sympy.exp(dot)) * u1 - 3 * u2
    (sigma, first), (three, second) = linear_combination(column, INSTANCE)
    assert (first, second, three) == ("1", "o", -3) and str(sigma).startswith("σ(")
    differs = sympy.Matrix(column)
    differs[2] += u1[2]  # the last component has another coefficient of u_1
    assert linear_combination(differs, INSTANCE) is None


def test_a_number_is_shown_as_itself_with_sigma_folded_in():
    x = sympy.Symbol("x")
    value = sympy.Matrix([[sympy.exp(x) / (1 + sympy.exp(x)) - 1]])
    assert gradient_form(value, INSTANCE, None, "scalar", TEXT) == "σ(x) - 1"
