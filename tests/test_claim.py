"""One claim end to end: verdicts, layouts, readings and the messages a student reads."""

from __future__ import annotations

import pytest

from symw2v.claim import Conventions, check_claim
from symw2v.errors import SymW2VError
from symw2v.world.instance import Instance

NS_VC = "-(1 - sigma(u_o^T v_c)) u_o + sum_k (1 - sigma(-u_k^T v_c)) u_k"


def test_denominator_and_numerator_layouts(negative_sampling, instance):
    column = check_claim(NS_VC, negative_sampling, "v_c", instance)
    row = check_claim(f"({NS_VC})^T", negative_sampling, "v_c", instance)
    assert (column.verdict.value, column.layout) == ("proved", "denominator")
    assert (row.verdict.value, row.layout) == ("proved", "numerator")


def test_declared_layout_is_binding(negative_sampling, instance):
    result = check_claim(NS_VC, negative_sampling, "v_c", instance, Conventions(layout="numerator"))
    assert result.verdict.value == "refuted"
    assert "numerator layout needs 1×d" in result.message
    assert "denominator layout" in result.message


def test_shape_fitting_neither_layout_is_refuted_naming_both(negative_sampling, instance):
    result = check_claim("u_o^T v_c", negative_sampling, "v_c", instance)
    assert result.verdict.value == "refuted"
    assert "1×1" in result.message and "d×1" in result.message and "1×d" in result.message


def test_eq7_reading_is_reported(softmax, instance):
    result = check_claim("(yhat - y) U", softmax, "v_c", instance)
    assert result.verdict.value == "proved"
    assert (result.U, result.y, result.layout) == ("rows", "row", "numerator")
    assert "inferred" in result.reading


def test_eq7_under_the_columns_reading_is_ill_typed(softmax, instance):
    result = check_claim("(yhat - y) U", softmax, "v_c", instance, Conventions(U="columns"))
    assert result.verdict.value == "ill-typed"
    assert "cannot multiply" in result.message and "U rows" in result.message


def test_same_gradient_under_both_readings_of_U(softmax, instance):
    columns = check_claim("U (yhat - y)", softmax, "v_c", instance, Conventions(U="columns"))
    rows = check_claim("U^T (yhat - y)", softmax, "v_c", instance, Conventions(U="rows"))
    assert columns.verdict.value == rows.verdict.value == "proved"


def test_gradient_wrt_U_both_readings(softmax, instance):
    for claim, U, layout in [
        ("v_c (yhat - y)^T", "columns", "denominator"),
        ("(yhat - y) v_c^T", "rows", "denominator"),
        ("(yhat - y) v_c^T", None, "denominator"),  # U not declared: read as rows, and said so
    ]:
        result = check_claim(claim, softmax, "U", instance, Conventions(U=U))
        assert (result.verdict.value, result.layout) == ("proved", layout), claim


def test_a_transposed_gradient_of_U_is_not_taken_for_a_layout(softmax, instance):
    """The gradient of a matrix is in the matrix's shape: with U declared d×V, the V×d answer
    is the gradient of the other reading of U, not a "numerator layout" of this one."""
    result = check_claim("(yhat - y) v_c^T", softmax, "U", instance, Conventions(U="columns"))
    assert result.verdict.value == "refuted"
    assert "if U were read as rows" in result.message
    asked = check_claim(
        "(yhat - y) v_c^T", softmax, "U", instance, Conventions(U="columns", layout="numerator")
    )
    assert (asked.verdict.value, asked.layout) == ("proved", "numerator")  # asked for explicitly


def test_free_index_must_be_the_differentiated_one(negative_sampling, instance):
    result = check_claim("sigma(u_k^T v_c) u_k", negative_sampling, "v_c", instance)
    assert result.verdict.value == "ill-typed"
    assert "index k is free" in result.message


def test_u_k_is_every_negative_and_u_w_every_word(negative_sampling, softmax, instance):
    assert check_claim("sigma(u_k^T v_c) v_c", negative_sampling, "u_k", instance).verdict.value == "proved"
    assert check_claim("(yhat_w - y_w) v_c", softmax, "u_w", instance).verdict.value == "proved"
    # k = o included for the softmax: dropping y is wrong exactly there
    wrong = check_claim("yhat_k v_c", softmax, "u_k", instance, case="every w")
    assert wrong.verdict.value == "refuted"
    # given without a case, it is the answer for k ≠ o, and proved as that
    assert check_claim("yhat_k v_c", softmax, "u_k", instance).case == "w != o"
    assert wrong.counterexample.target == "k = 2"


def test_repeated_negative_makes_eq15_fail(negative_sampling):
    repeated = Instance(V=5, d=2, K=3, o=2, negatives=(1, 1, 3))
    result = check_claim("(1 - sigma(-u_k^T v_c)) v_c", negative_sampling, "u_k", repeated)
    assert result.verdict.value == "refuted"
    summed = check_claim("sigma(u_k^T v_c) v_c", negative_sampling, "u_k", Instance(V=5, d=2, K=3, o=2))
    assert summed.verdict.value == "proved"


def test_parse_error_is_a_verdict(softmax, instance):
    result = check_claim("sigma(", softmax, "v_c", instance)
    assert result.verdict.value == "parse-error"
    assert "column" in result.message


def test_unknown_wrt_is_a_usage_error(softmax, instance):
    with pytest.raises(SymW2VError):
        check_claim("u_o", softmax, "W", instance)


def test_json_fields(negative_sampling, instance):
    data = check_claim(NS_VC, negative_sampling, "v_c", instance, claim_id="eq13c").to_json()
    for key in (
        "id",
        "loss",
        "wrt",
        "claim",
        "verdict",
        "layout",
        "U",
        "method",
        "residual",
        "counterexample",
        "hint",
        "message",
        "instance",
        "seconds",
    ):
        assert key in data
    assert data["id"] == "eq13c" and data["verdict"] == "proved"
    assert data["instance"] == {"V": 5, "d": 3, "K": 3, "o": 2, "negatives": [1, 3, 4]}


def test_time_limit_gives_undecided(softmax, instance):
    result = check_claim("U (yhat - y)", softmax, "v_c", instance, time_limit_s=1e-9)
    assert result.verdict.value == "undecided"
    assert "time limit" in result.message


def test_identities_between_expressions_of_the_loss(softmax, instance):
    """wrt J: the claim is an expression equal to the loss itself (part (a) of the assignment)."""
    for claim in ("-sum_w y_w log(yhat_w)", "-y^T log(yhat)", "-u_o^T v_c + log(sum_w exp(u_w^T v_c))"):
        result = check_claim(claim, softmax, "J", instance, with_hints=False)
        assert result.verdict.value == "proved", (claim, result.message)
        assert result.asked == "J"
    wrong = check_claim("-sum_w log(yhat_w)", softmax, "J", instance, with_hints=False)
    assert wrong.verdict.value == "refuted" and wrong.counterexample is not None
