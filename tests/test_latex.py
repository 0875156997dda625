"""LaTeX made ready for the grammar: what carries no meaning blanked, positions kept."""

from __future__ import annotations

import pytest

from symw2v import closed_form as cf
from symw2v.errors import ClaimParseError
from symw2v.latex import blank, case_pieces
from symw2v.parse import parse_claim


@pytest.mark.parametrize("joined", [r"\atop", r"\&"])
def test_a_ranges_second_line_is_joined_as_a_comma(joined):
    text = rf"\sum_{{-m \le j \le m {joined} j \ne 0}} \frac{{\partial J(v_c, w_{{t+j}}, U)}}{{\partial U}}"
    assert len(blank(text)) == len(text)
    comma = r"\sum_{-m \le j \le m, j \ne 0} \frac{\partial J(v_c, w_{t+j}, U)}{\partial U}"
    assert parse_claim(text, "latex") == parse_claim(comma, "latex")


def test_a_slashed_derivative_of_one_words_loss_reads_as_the_fraction():
    slashed = parse_claim(r"\sum_j \partial J(v_c, w_{t+j}, U)/\partial v_c", "latex")
    assert slashed == parse_claim(r"\sum_j \frac{\partial J(v_c, w_{t+j}, U)}{\partial v_c}", "latex")
    assert any(isinstance(n, cf.Partial) for n in cf.walk(slashed))


def test_a_slashed_derivative_of_anything_else_is_still_refused():
    with pytest.raises(ClaimParseError):
        parse_claim(r"\partial \sigma(x)/\partial x", "latex")


@pytest.mark.parametrize(
    ("written", "plain"),
    [
        (r"\normalsize -\sum_{w \in V} y_w \log \hat{y}_w", r"-\sum_{w \in V} y_w \log \hat{y}_w"),
        (r"-\sum_{w \in V}^{} y_w \log \hat{y}_w", r"-\sum_{w \in V} y_w \log \hat{y}_w"),
        (r"-\sum_{w \in V o c a b} y_w \log \hat{y}_w", r"-\sum_{w \in Vocab} y_w \log \hat{y}_w"),
        (r"-\sum_{w \in {\text{Vocab}}} y_w \log \hat{y}_w", r"-\sum_{w \in Vocab} y_w \log \hat{y}_w"),
        (r"\cfrac{e^{x}}{(1 + e^{x})^2}", r"\frac{e^{x}}{(1 + e^{x})^2}"),
    ],
)
def test_a_spelling_that_carries_no_meaning_reads_as_the_plain_one(written, plain):
    assert len(blank(written)) == len(written)
    assert parse_claim(written, "latex") == parse_claim(plain, "latex")


def test_a_letter_spaced_name_that_is_no_set_is_still_refused():
    with pytest.raises(ClaimParseError):
        parse_claim(r"\sum_{w \in X y z} y_w", "latex")  # no set is called Xyz


def test_an_aligned_by_cases_with_lt_and_gt():
    written = r"\left\{\begin{aligned} &0&&\text{if }x\lt 0\\ &1&&\text{if }x\gt 0 \end{aligned}\right."
    pieces = [(value, condition.replace(" ", "")) for value, condition in case_pieces(written)]
    assert pieces == [("0", "x<0"), ("1", "x>0")]


def test_every_fraction_the_reader_knows_the_grammar_reads():
    from symw2v.latex import FRACTIONS
    from symw2v.printing import to_text

    read = {to_text(parse_claim(rf"{fraction}{{1}}{{2}} \mathbf{{v}}_c", "latex")) for fraction in FRACTIONS}
    assert read == {"1 / 2 v_c"}  # one reading for all four: the same fraction
