"""The window of context positions: its index set and instance, how a sum over it is written,
the window skip-gram losses and CBOW, each claim proved where it is right and refuted where not."""

from __future__ import annotations

import pytest
import sympy

from symw2v import closed_form as cf
from symw2v.claim import check_claim
from symw2v.derive import derive
from symw2v.errors import ClaimParseError, SymW2VError
from symw2v.instantiate import Context, Instantiator, resolve_sums
from symw2v.parse import parse_claim
from symw2v.printing import to_latex, to_text
from symw2v.world import CANONICAL, WINDOW, Instance
from symw2v.world.losses import named_loss

SMALL = Instance(V=3, d=1, K=1, o=1, negatives=(2,), m=2, window=(2, 3, 3, 2))  # words repeat


def _verdict(claim: str, loss: str, wrt: str, instance: Instance = SMALL) -> str:
    return check_claim(claim, named_loss(loss), wrt, instance, with_hints=False).verdict.value


# -- the index set and the instance


def test_the_window_has_2m_positions_whose_words_may_repeat():
    assert WINDOW.members(SMALL) == (2, 3, 3, 2)
    assert len(WINDOW.members(Instance(m=3))) == 6


def test_the_default_window_repeats_a_word_when_the_vocabulary_is_small():
    window = Instance.spread(3, 2, 1).window
    assert len(window) == 4 and len(set(window)) < 4


def test_an_instance_shows_its_window_only_to_a_loss_with_one():
    window = named_loss("window-softmax").index_sets
    assert SMALL.as_dict(window)["window"] == [2, 3, 3, 2]
    assert "window" not in SMALL.as_dict(named_loss("softmax").index_sets)
    assert SMALL.describe(window).endswith("m = 2, window = (2, 3, 3, 2)")


@pytest.mark.parametrize("bad", [{"m": 0}, {"m": 2, "window": (1, 2)}, {"window": (1, 2, 3, 9)}])
def test_a_window_that_does_not_fit_is_refused(bad):
    with pytest.raises(SymW2VError):
        Instance(V=5, **bad)


# -- how a sum over the window is written


@pytest.mark.parametrize(
    "text",
    [
        "sum_{-m <= j <= m, j != 0} u_j",
        r"\sum_{-m \le j \le m, j \neq 0} \boldsymbol{u}_{w_{t+j}}",
        r"\sum_{j=-m, j\ne 0}^{m} u_{w_{t+j}}",
        "sum_{-m ≤ j ≤ m, j ≠ 0} u_{w_j}",
    ],
)
def test_every_spelling_of_the_window_sum_reads_the_same(text):
    assert parse_claim(text) == cf.Sum("j", "m", cf.Word("j"))


@pytest.mark.parametrize(
    "text", [r"\sum_{j=-m}^{m} u_j", "sum_{j=1}^{m} u_j", "sum_{-m <= j <= m, j != 1} u_j"]
)
def test_a_window_sum_that_keeps_the_centre_or_starts_at_1_is_refused(text):
    with pytest.raises(ClaimParseError, match="j ≠ 0"):
        parse_claim(text)


def test_a_window_sum_prints_back_to_itself():
    node = parse_claim("sum_{-m <= j <= m, j != 0} (v_j + u_j) e_j^T")
    assert parse_claim(to_text(node)) == node
    assert parse_claim(to_latex(node)) == node


def test_a_sum_over_the_window_adds_each_positions_word():
    node = resolve_sums(parse_claim("sum_j u_j"), named_loss("window-softmax"))
    value = Instantiator(Context(SMALL, CANONICAL)).evaluate(node)
    assert value == 2 * SMALL.u(2) + 2 * SMALL.u(3)


def test_m_belongs_to_the_losses_with_a_window():
    with pytest.raises(SymW2VError, match="window"):
        resolve_sums(parse_claim("2m v_c"), named_loss("softmax"))


# -- the losses


def test_the_window_loss_is_the_single_word_loss_summed_over_the_window():
    window = named_loss("window-softmax")
    J = Instantiator(Context(SMALL, CANONICAL)).scalar(resolve_sums(parse_claim(window.expression), window))
    single = named_loss("softmax")
    parts = [
        Instantiator(Context(Instance(V=3, d=1, K=1, o=word), CANONICAL)).scalar(
            parse_claim(single.expression)
        )
        for word in SMALL.window
    ]
    assert sympy.simplify(J - sum(parts)) == 0


@pytest.mark.parametrize(
    ("claim", "wrt", "verdict"),
    [
        ("sum_j U (yhat - e_j)", "v_c", "proved"),
        ("U (yhat - y)", "v_c", "refuted"),  # the sum over the window dropped: fails without the sum
        ("U yhat - sum_j u_j", "v_c", "refuted"),  # the factor 2m dropped
        ("sum_j v_c (yhat - e_j)^T", "U", "proved"),
        ("0", "v_w", "proved"),  # the zero vector: J_sg does not depend on v_w, w ≠ c
        ("u_w", "v_w", "refuted"),
    ],
)
def test_window_softmax_claims(claim, wrt, verdict):
    assert _verdict(claim, "window-softmax", wrt) == verdict


@pytest.mark.parametrize(
    ("claim", "verdict"),
    [
        ("sum_j (sigma(u_j^T v_c) - 1) u_j + 2m sum_k sigma(u_k^T v_c) u_k", "proved"),
        ("sum_j (sigma(u_j^T v_c) - 1) u_j + sum_k sigma(u_k^T v_c) u_k", "refuted"),
    ],
)
def test_window_negative_sampling_counts_the_negatives_once_per_position(claim, verdict):
    assert _verdict(claim, "window-negative-sampling", "v_c") == verdict


CBOW_SOFTMAX = "softmax(U^T (1/(2m) sum_i v_i))"


@pytest.mark.parametrize(
    ("claim", "instance", "verdict"),
    [
        (f"1/(2m) U ({CBOW_SOFTMAX} - y)", Instance(V=5, d=1, K=1, o=2, window=(1, 3, 4, 5)), "proved"),
        (f"1/(2m) U ({CBOW_SOFTMAX} - y)", SMALL, "refuted"),  # a repeated word counts twice
        (f"sum_{{i: w_i = w_j}} 1/(2m) U ({CBOW_SOFTMAX} - y)", SMALL, "proved"),
    ],
)
def test_cbow_context_vector_claims(claim, instance, verdict):
    assert _verdict(claim, "cbow", "v_j", instance) == verdict


def test_cbow_gives_each_position_its_own_target():
    targets = derive(named_loss("cbow"), "v_j", SMALL, CANONICAL)
    assert [t.binding_dict()["j"] for t in targets] == [2, 3, 3, 2]


def test_the_all_sizes_certificate_covers_every_window_of_the_softmax_and_with_negatives():
    result = check_claim("sum_j U (yhat - e_j)", named_loss("window-softmax"), "v_c", SMALL, with_hints=False)
    assert result.verdict.value == "proved"
    assert result.certificate.endswith(
        "every window: its words any words of the vocabulary, repeated or not, o among them or not"
    )
    claim = "sum_j (sigma(u_j^T v_c) - 1) u_j + 2m sum_k sigma(u_k^T v_c) u_k"
    result = check_claim(claim, named_loss("window-negative-sampling"), "v_c", SMALL, with_hints=False)
    assert result.verdict.value == "proved"
    assert result.certificate.endswith(
        "when the negatives are distinct and differ from o, and every window: "
        "its words any words of the vocabulary, repeated or not, o or negatives among them or not"
    )


# -- the single-word loss's gradient at w_{t+j}, inside a claim

BY_BASE = r"\frac{\partial J(\boldsymbol{v}_c, w_{t+j}, \boldsymbol{U})}{\partial \boldsymbol{v}_c}"


def test_a_derivative_of_the_single_word_loss_reads_and_prints_back():
    node = parse_claim(rf"\sum_{{-m \le j \le m, j \ne 0}} {BY_BASE}")
    assert node == cf.Sum("j", "m", cf.Partial("v_c", "j"))
    assert parse_claim("sum_{-m <= j <= m, j != 0} ∂J(v_c, w_{t+j}, U)/∂v_c") == node
    assert parse_claim(to_text(node)) == node and parse_claim(to_latex(node)) == node


@pytest.mark.parametrize(
    ("claim", "verdict"),
    [
        (rf"\sum_j {BY_BASE}", "proved"),
        (rf"\frac{{1}}{{2m}} \sum_j {BY_BASE}", "refuted"),  # an average, not the window's sum
        (BY_BASE, "ill-typed"),  # j unbound: the sum over the window dropped
    ],
)
def test_the_window_gradient_is_the_sum_of_the_single_word_gradients(claim, verdict):
    assert _verdict(claim, "window-negative-sampling", "v_c") == verdict


def test_a_loss_that_sums_no_single_word_loss_has_no_such_derivative():
    assert _verdict(rf"\sum_j {BY_BASE}", "cbow", "v_c") == "ill-typed"
