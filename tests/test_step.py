"""One step ``A = B`` of a chain (``step.check_step``): algebra, checked wherever both sides are defined."""

from __future__ import annotations

import pytest

from symw2v.question import Conventions, Question
from symw2v.step import check_step
from symw2v.world.instance import Instance
from symw2v.world.losses import named_loss


@pytest.fixture(scope="module")
def question():
    conventions = Conventions(U="columns", y="column")
    return Question(named_loss("softmax"), "v_c", Instance(V=4, d=2, K=2, o=2), conventions)


def test_a_step_of_valid_algebra_is_proved(question):
    result = check_step("U (yhat - y)", "U yhat - U y", question, "s1")
    assert result.verdict.value == "proved"
    assert result.message == "valid algebra: the two sides are equal"
    assert result.id == "s1"


def test_a_step_that_changes_the_value_is_refuted_with_a_counterexample(question):
    result = check_step("U (yhat - y)", "U (y - yhat)", question, "s2")
    assert result.verdict.value == "refuted"
    assert result.message == "invalid step: the two sides differ"
    assert result.counterexample is not None


def test_sides_of_different_shapes_are_ill_typed(question):
    result = check_step("U (yhat - y)", "yhat - y", question, "s3")
    assert result.verdict.value == "ill-typed"
    assert "cannot add d×1 and V×1" in result.message


def test_an_unreadable_side_is_a_parse_error(question):
    result = check_step("U (yhat - y)", "U (yhat - ", question, "s4")
    assert result.verdict.value == "parse-error"


def test_a_sum_is_shown_with_the_range_the_loss_gives_it(question):
    result = check_step("sum_w yhat_w u_w - u_o", "U yhat - u_o", question, "s5")
    assert result.verdict.value == "proved"
    assert r"\sum_{w=1}^{V}" not in result.claim_latex  # the right side has no sum
    left = check_step("U yhat - u_o", "sum_w yhat_w u_w - u_o", question, "s6")
    assert r"\sum_{w=1}^{V}" in left.claim_latex
