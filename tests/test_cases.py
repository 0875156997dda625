"""Answers for one case: ∂J/∂u_w for w ≠ o and w = o, ∂J/∂u_{w_s} when negatives repeat, the
sums over the k with w_k = w_s and the indicators [w_k = w_s] they are written with."""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest

from symw2v.certify import certify
from symw2v.claim import check_claim
from symw2v.errors import SymW2VError
from symw2v.instantiate import Context, Instantiator, resolve_sums
from symw2v.parse import parse_claim
from symw2v.printing import to_compact_latex, to_latex, to_text
from symw2v.question import Case, parse_case
from symw2v.world import Instance, Reading
from symw2v.world.losses import named_loss

SOFTMAX, NS = named_loss("softmax"), named_loss("negative-sampling")


@pytest.mark.parametrize(
    ("text", "relation"),
    [
        ("w != o", "!="),
        ("w ≠ o", "!="),
        (r"w \neq o", "!="),
        ("k<>o", "!="),
        ("w = o", "="),
        ("o == w", "="),
        ("repeated negatives", "repeated"),
        ("Repeated", "repeated"),
        ("", ""),
    ],
)
def test_cases_are_read_as_written(text, relation):
    assert parse_case(text) == Case(relation)


@pytest.mark.parametrize("text", ["w > o", "w != k", "x"])
def test_an_unreadable_case_says_what_to_write(text):
    with pytest.raises(SymW2VError, match="w != o, w = o, or repeated negatives"):
        parse_case(text)


@pytest.mark.parametrize(
    ("claim", "case", "verdict", "reported"),
    [
        ("yhat_w v_c", "w != o", "proved", "w != o"),
        ("yhat_s v_c", "w != o", "proved", "w != o"),  # the free index written with another letter
        (r"\hat{y}_w \mathbf{v}_c", "w ≠ o", "proved", "w != o"),
        (r"\hat{y}_{w \neq o} \mathbf{v}_c", "", "proved", "w != o"),  # the subscript states it
        ("(yhat_w - 1) v_c", "w != o", "refuted", "w != o"),
        ("(yhat_w - 1) v_c", "w = o", "proved", "w = o"),
        ("yhat_w v_c", "w = o", "refuted", "w = o"),
        ("yhat_w v_c", "every w", "refuted", "every w"),  # for every w it is wrong at w = o
        ("(yhat_w - y_w) v_c", "", "proved", ""),
        ("(yhat_w - y_w) v_c", "every w", "proved", "every w"),
        ("-yhat_w v_c", "w != o", "refuted", "w != o"),
        ("-yhat_w v_c", "", "refuted", ""),
    ],
)
def test_softmax_word_vector_answers_are_checked_for_their_case(claim, case, verdict, reported):
    result = check_claim(claim, SOFTMAX, "u_w", Instance(), case=case, with_hints=False)
    assert result.verdict.value == verdict, result.message
    assert result.case == reported


@pytest.mark.parametrize(("claim", "inferred"), [("yhat_w v_c", "w != o"), ("(yhat_w - 1) v_c", "w = o")])
def test_an_answer_for_one_case_given_without_its_case_is_proved_for_that_case_and_says_so(claim, inferred):
    result = check_claim(claim, SOFTMAX, "u_w", Instance(), with_hints=False)
    assert result.verdict.value == "proved"
    assert result.case == inferred
    assert f"it holds for {inferred}: no case was given" in result.message


@pytest.mark.parametrize(
    ("claim", "verdict"),
    [
        (
            r"\begin{cases} \hat{y}_w v_c & \text{if } w \neq o \\"
            r" (\hat{y}_w - 1) v_c & \text{if } w = o \end{cases}",
            "proved",
        ),
        (
            r"\left[\begin{array}{ll} \hat{y}_w v_c & w \neq o \\"
            r" \hat{y}_w v_c & \text{otherwise} \end{array}\right.",
            "refuted",
        ),
        (
            r"\begin{cases} (\hat{y} - 1) v_c \text{ if } w = o \\"
            r" \hat{y} v_c \text{ if } w \neq o \end{cases}",
            "ill-typed",
        ),
    ],
)
def test_an_answer_by_cases_is_checked_case_by_case(claim, verdict):
    result = check_claim(claim, SOFTMAX, "u_w", Instance(), with_hints=False)
    assert result.verdict.value == verdict, result.message
    assert result.case == "cases" and len(result.steps) == 2
    assert result.message.startswith("by cases:")


def test_a_case_answer_has_an_all_sizes_certificate_for_its_case():
    claim = resolve_sums(parse_claim("yhat_w v_c"), SOFTMAX)
    assert certify(claim, SOFTMAX, "u_w", Reading(), "!=").holds
    assert not certify(claim, SOFTMAX, "u_w", Reading(), "").holds
    assert not certify(claim, SOFTMAX, "u_w", Reading(), "=").holds


def test_a_case_needs_a_word_vector():
    with pytest.raises(SymW2VError, match="has no cases"):
        check_claim("U (yhat - y)", SOFTMAX, "v_c", Instance(), case="w != o")
    with pytest.raises(SymW2VError, match="only over the sampled words"):
        check_claim("yhat_w v_c", SOFTMAX, "u_w", Instance(), case="repeated negatives")


REPEATED_TRUE = [
    "sum_{k: w_k = w_s} (1 - sigma(-u_s^T v_c)) v_c",
    "sum_{k=1, w_k = w_s}^K sigma(u_{w_s}^T v_c) v_c",
    "sum_{k=1}^K [w_k = w_s] sigma(u_s^T v_c) v_c",
    r"\sum_{\substack{k=1 \\ w_k = w_s}}^{K} (1-\sigma(-\mathbf{u}_{w_s}^\top \mathbf{v}_c)) \mathbf{v}_c",
    r"\sum_{k=1}^K\textbf{1}_{w_k=w_s}(1-\sigma(-u_{w_s}^\top v_c))v_c",
    r"\sum_{k=1}^{K} \mathbb{1}\{w_k = w_s\} \sigma(u_{w_s}^\top v_c) v_c",
]
REPEATED_FALSE = [
    "sigma(u_k^T v_c) v_c",  # right only for a word that is sampled once
    "2 sigma(u_k^T v_c) v_c",  # right only for a word that is sampled twice
    "sum_{k: w_k = w_s} sigma(-u_s^T v_c) v_c",
    "sum_{k=1}^K sigma(u_k^T v_c) v_c",  # every negative, not those with the word w_s
]


@pytest.mark.parametrize("claim", REPEATED_TRUE)
def test_the_sum_over_a_repeated_words_occurrences_is_proved(claim):
    result = check_claim(claim, NS, "u_k", Instance(), case="repeated negatives", with_hints=False)
    assert result.verdict.value == "proved", result.message
    assert result.instance["negatives"] == [1, 1, 4]  # the instance the case was checked at
    assert "repeated" in result.certificate


@pytest.mark.parametrize("claim", REPEATED_FALSE)
def test_answers_for_distinct_negatives_are_refuted_when_they_repeat(claim):
    result = check_claim(claim, NS, "u_k", Instance(), case="repeated negatives", with_hints=False)
    assert result.verdict.value == "refuted", result.message
    assert result.counterexample is not None


def test_the_sum_over_occurrences_is_also_right_when_negatives_are_distinct():
    claim = REPEATED_TRUE[0]
    assert check_claim(claim, NS, "u_k", Instance(), with_hints=False).verdict.value == "proved"


def test_the_repeated_gradient_agrees_with_finite_differences():
    """An oracle that shares nothing with the prover: J in NumPy with the negatives (1, 1, 4),
    differentiated by central differences, against the claim's value at the same point."""
    instance = Instance(V=5, d=3, K=3, o=2, negatives=(1, 1, 4))
    rng = np.random.default_rng(7)
    U, v = rng.uniform(-1, 1, size=(5, 3)), rng.uniform(-1, 1, size=3)

    def loss(rows: np.ndarray) -> float:
        log_sigmoid = lambda x: -np.log1p(np.exp(-x))  # noqa: E731
        return -log_sigmoid(rows[1] @ v) - sum(log_sigmoid(-rows[w - 1] @ v) for w in instance.negatives)

    node = resolve_sums(parse_claim(REPEATED_TRUE[0]), NS)
    instantiator = Instantiator(Context(instance, Reading()))
    point = {s: U[w, i] for (w, i), s in np.ndenumerate(np.array(instance.U_rows(), dtype=object))}
    point.update({s: v[i] for i, s in enumerate(instance.v())})
    for word in (1, 4):
        claimed = np.array(instantiator.evaluate(node, {"s": word}).xreplace(point), dtype=float).ravel()
        numeric = np.zeros(3)
        for i in range(3):
            plus, minus = U.copy(), U.copy()
            plus[word - 1, i] += 1e-6
            minus[word - 1, i] -= 1e-6
            numeric[i] = (loss(plus) - loss(minus)) / 2e-6
        np.testing.assert_allclose(claimed, numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("claim", REPEATED_TRUE + ["[w_k = w_s] v_c"])
def test_conditions_and_indicators_print_and_read_back(claim):
    node = resolve_sums(parse_claim(claim), NS)  # LaTeX always writes a sum's bounds
    for printer in (to_text, to_latex, to_compact_latex):
        assert parse_claim(printer(node)) == node, printer(node)


def test_a_batch_line_and_a_derivation_claim_carry_their_case(tmp_path):
    from symw2v.batch import check_line
    from symw2v.derivation import load_derivation, prove_derivation

    line = {"loss": "softmax", "wrt": "u_w", "claim": "yhat_w v_c", "case": "w != o"}
    assert check_line((1, line)).verdict.value == "proved"
    bad = {**line, "case": "w > o"}
    assert check_line((2, bad)).verdict.value == "parse-error"
    path = tmp_path / "cases.toml"
    path.write_text(
        'loss = "negative-sampling"\n[[claims]]\nid = "rep"\nwrt = "u_k"\ncase = "repeated negatives"\n'
        'claim = "sum_{k: w_k = w_s} sigma(u_s^T v_c) v_c"\n',
        encoding="utf-8",
    )
    result = prove_derivation(load_derivation(path), grid=None)
    assert result.results[0].verdict.value == "proved"
    assert json.loads(json.dumps(result.results[0].to_json()))["case"] == "repeated negatives"


@pytest.mark.parametrize(
    ("loss", "claim", "case", "verdict"),
    [
        ("sigmoid", "sigma(x) (1 - sigma(x))", "", "proved"),
        ("sigmoid", r"\sigma(x)\,\sigma(-x)", "", "proved"),
        ("sigmoid", "sigma(x)^2", "", "refuted"),
        ("relu", "1", "x > 0", "proved"),
        ("relu", "0", r"x \leq 0", "proved"),  # the kink x = 0 is left out
        ("relu", "1", "x < 0", "refuted"),
        ("leaky-relu", "1", "x > 0", "proved"),
        ("leaky-relu", r"\alpha", "x < 0", "proved"),
        ("leaky-relu", "alpha", "x > 0", "refuted"),
        ("leaky-relu", r"\begin{cases} 1 & x > 0 \\ \alpha & x < 0 \end{cases}", "", "proved"),
        ("leaky-relu", r"\begin{cases} 1 & x > 0 \\ 1 & \text{otherwise} \end{cases}", "", "refuted"),
    ],
)
def test_derivatives_of_activations_by_cases(loss, claim, case, verdict):
    result = check_claim(claim, named_loss(loss), "x", Instance(), case=case, with_hints=False)
    assert result.verdict.value == verdict, result.message


def test_the_derivative_of_a_maximum_needs_a_case():
    with pytest.raises(SymW2VError, match="needs a case: x > 0 or x < 0"):
        check_claim("1", named_loss("relu"), "x", Instance(), with_hints=False)


def test_a_leaky_relu_counterexample_is_a_point_with_a_slope_between_0_and_1():
    result = check_claim("2 alpha", named_loss("leaky-relu"), "x", Instance(), case="x < 0", with_hints=False)
    assert result.verdict.value == "refuted"
    (alpha,) = result.counterexample.point["alpha"]
    assert 0 < Fraction(alpha) < 1
