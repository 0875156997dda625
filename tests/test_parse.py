"""The plain-text grammar: what it reads, what it refuses, and where it says the problem is."""

from __future__ import annotations

from fractions import Fraction

import pytest

from symw2v import closed_form as cf
from symw2v.errors import ClaimParseError, InputLimitError
from symw2v.parse import MAX_DEPTH, MAX_LENGTH, parse_claim, read_claim

DOT_O = cf.Mul(cf.Transpose(cf.Word("o")), cf.Name("v_c"))


@pytest.mark.parametrize(
    "text",
    [
        "u_o^T v_c",
        "u_o^Tv_c",
        "u_o^{T} v_c",
        "u_o ^ T v_c",
        "u_oᵀ v_c",
        "u_o' v_c",
        "u_o^T * v_c",
        "u_o^T·v_c",
    ],
)
def test_dot_product_spellings(text):
    assert parse_claim(text) == DOT_O


def test_sum_body_extends_over_the_product():
    node = parse_claim("sum_k sigma(u_k^T v_c) u_k - u_o")
    assert isinstance(node, cf.Sub)
    assert isinstance(node.left, cf.Sum) and node.left.index == "k"
    assert isinstance(node.left.body, cf.Mul)
    assert node.right == cf.Word("o")


def test_sum_bounds():
    assert parse_claim("sum_{w=1}^{V} u_w").over == "V"
    assert parse_claim("sum_{k=1}^K u_k").over == "K"
    assert parse_claim("Σ_k u_k").over == ""


def test_unicode_operators():
    assert parse_claim("σ(u_o^T v_c) − 1") == cf.Sub(cf.Call("sigma", DOT_O), cf.Num(Fraction(1)))
    assert parse_claim("ŷ - y") == cf.Sub(cf.Name("yhat"), cf.Name("y"))


def test_components_and_numbers():
    assert parse_claim("(yhat - y)_k") == cf.Component(cf.Sub(cf.Name("yhat"), cf.Name("y")), "k")
    assert parse_claim("0.25 u_o") == cf.Mul(cf.Num(Fraction(1, 4)), cf.Word("o"))
    assert parse_claim("u_3") == cf.Word("3")


def test_e_power_is_exp_and_integer_powers():
    assert parse_claim("e^(-50)") == cf.Call("exp", cf.Neg(cf.Num(Fraction(50))))
    assert parse_claim("sigma(u_o^T v_c)^2") == cf.Pow(cf.Call("sigma", DOT_O), 2)
    assert parse_claim("exp(u_o^T v_c)^-1") == cf.Pow(cf.Call("exp", DOT_O), -1)


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("sigma(u_o^T v_c", 15),
        ("u_o + ", 5),
        ("foo + u_o", 0),
        ("u_o + ) ", 6),
        ("u_o^T v_c ^ (1/2)", 6),
    ],
)
def test_errors_point_at_the_problem(text, position):
    with pytest.raises(ClaimParseError) as caught:
        parse_claim(text)
    assert caught.value.position == position
    assert "column" in str(caught.value)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "m_k",  # a size takes no subscript (v_d is now the centre vector of word d)
        "U_k",
        "sum_o u_o",
        "__import__('os')",
        "lambda: 1",
        "u_o\x00",
    ],
)
def test_refused(text):
    with pytest.raises(ClaimParseError):
        parse_claim(text)


def test_limits():
    with pytest.raises(InputLimitError):
        parse_claim("u_o + " * (MAX_LENGTH // 6 + 1) + "u_o")
    with pytest.raises(InputLimitError):
        parse_claim("(" * (MAX_DEPTH + 1) + "u_o" + ")" * (MAX_DEPTH + 1))
    with pytest.raises(InputLimitError):
        parse_claim("1" * 40 + " u_o")
    with pytest.raises(InputLimitError):
        parse_claim("sigma(u_o^T v_c)^1000")


def test_negated_dot_product_and_unbracketed_log_of_a_sum():
    assert parse_claim(r"-\mathbf{u}_o \cdot \mathbf{v}_c") == cf.Neg(DOT_O)
    assert parse_claim("u_o · v_c") == DOT_O
    node = parse_claim(r"\log\sum_{w=1}^{V}\exp(u_w^Tv_c) - 1")
    assert isinstance(node, cf.Sub) and node.left.function == "log" and isinstance(node.left.argument, cf.Sum)


def test_an_unbraced_subscript_is_one_character_as_in_tex():
    assert parse_claim("u_ov_c") == parse_claim("u_o v_c")
    assert parse_claim(r"u^T_ov_c") == parse_claim("u_o^T v_c")
    assert parse_claim(r"\hat y_wv_c") == parse_claim("yhat_w v_c")
    assert parse_claim("u_0^Tv_c") == parse_claim("u_o^T v_c")  # the zero typed for the letter o


@pytest.mark.parametrize(
    "written", [r"\sum_{w \neq o} \hat{y}_w u_w", "sum_{w != o} yhat_w u_w", r"\sum_{w≠o}^{V} \hat{y}_w u_w"]
)
def test_a_sum_over_the_words_other_than_o_is_the_vocabulary_sum_less_the_term_at_o(written):
    # not a case of the claim (ŷ_{w≠o} is one): the sum's own range
    node, case = read_claim(written)
    term = cf.Mul(cf.Component(cf.Name("yhat"), "w"), cf.Word("w"))
    assert case == ""
    assert node == cf.Sub(cf.Sum("w", "V", term), cf.substitute(term, "w", "o"))


def test_a_sum_may_leave_out_only_the_outside_word():
    with pytest.raises(ClaimParseError, match="leave out the outside word"):
        parse_claim("sum_{w != c} u_w")
