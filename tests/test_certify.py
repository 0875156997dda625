"""All-sizes certificates: given to the true claims, denied to claims true only sometimes."""

from __future__ import annotations

import pytest

from symw2v.certify import certify, in_domain
from symw2v.claim import check_claim
from symw2v.instantiate import resolve_sums
from symw2v.parse import parse_claim
from symw2v.sweep import DEFAULT
from symw2v.world import Reading
from symw2v.world.instance import Instance

NS_VC = "-(1 - sigma(u_o^T v_c)) u_o + sum_k sigma(u_k^T v_c) u_k"
ONLY_K1 = "K (-(1 - sigma(u_o^T v_c)) u_o + sum_k sigma(u_k^T v_c) u_k)"
# v_c + (u_oᵀv_c) u_o − (u_oᵀu_o) v_c is v_c when d = 1, and not otherwise
ONLY_D1 = "(sigma(u_o^T v_c) - 1) (v_c + (u_o^T v_c) u_o - (u_o^T u_o) v_c)"
ONLY_DISTINCT = "(1 - sigma(-u_k^T v_c)) v_c"


COLUMNS = Reading()


def _certify(text, loss, wrt, reading=COLUMNS):
    return certify(resolve_sums(parse_claim(text), loss), loss, wrt, reading)


@pytest.mark.parametrize(
    ("wrt", "claim"),
    [
        ("v_c", NS_VC),
        ("v_c", "sum_k (u_k - sigma(-u_k^T v_c) u_k) - sigma(-u_o^T v_c) u_o"),
        ("v_c", "(sigma(u_o^T v_c) - 1) u_o + sum_{k=1}^{K} u_k / (1 + exp(-u_k^T v_c))"),
        ("u_o", "(sigma(u_o^T v_c) - 1) v_c^T"),
        ("u_k", ONLY_DISTINCT),
    ],
)
def test_true_negative_sampling_claims_get_it(negative_sampling, wrt, claim):
    assert _certify(claim, negative_sampling, wrt).holds


@pytest.mark.parametrize(
    ("wrt", "claim", "reading"),
    [
        ("z", "yhat - y", Reading()),
        ("v_c", "U (yhat - y)", Reading("columns")),
        ("v_c", "(yhat - y) U", Reading("rows", "row")),
        ("v_c", "sum_w yhat_w u_w - u_o", Reading()),
        ("v_c", "sum_w exp(u_w^T v_c) / (sum_j exp(u_j^T v_c)) u_w - u_o", Reading()),
        ("u_k", "(yhat - y)_k v_c", Reading()),
        ("u_w", "(yhat_w - y_w) v_c", Reading()),
        ("u_o", "(yhat_o - 1) v_c", Reading()),
    ],
)
def test_true_softmax_claims_get_it(softmax, wrt, claim, reading):
    assert _certify(claim, softmax, wrt, reading).holds


def test_claims_true_only_sometimes_never_get_it(negative_sampling):
    assert not _certify(ONLY_K1, negative_sampling, "v_c").holds
    assert not _certify(ONLY_D1, negative_sampling, "u_o").holds
    conditional = _certify(ONLY_DISTINCT, negative_sampling, "u_k")
    assert conditional.holds and "negatives are distinct and differ from o" in conditional.statement
    assert not in_domain(Instance(V=5, K=2, o=2, negatives=(1, 1)), negative_sampling, "u_k")


def test_wrong_claims_and_wrong_index_cases_are_denied(negative_sampling, softmax):
    assert not _certify(
        "-u_o^T (1 - sigma(u_o^T v_c)) - sum_k u_k^T (1 - sigma(u_k^T v_c))", negative_sampling, "v_c"
    ).holds
    # right for every word but o: the case w = o is checked too
    assert not _certify("yhat_k v_c", softmax, "u_k").holds


def test_true_only_at_k1_is_refuted_by_the_sweep(negative_sampling):
    at_k1 = Instance(V=5, d=3, K=1, o=2)
    result = check_claim(ONLY_K1, negative_sampling, "v_c", at_k1, grid=DEFAULT, with_hints=False)
    assert result.verdict.value == "refuted"
    assert "smallest failing instance" in result.message and "K = 2" in result.message
    assert result.counterexample is not None


def test_true_only_at_d1_is_refuted_by_the_sweep(negative_sampling):
    at_d1 = Instance(V=5, d=1, K=3, o=2)
    assert check_claim(ONLY_D1, negative_sampling, "u_o", at_d1, with_hints=False).verdict.value == "proved"
    result = check_claim(ONLY_D1, negative_sampling, "u_o", at_d1, grid=DEFAULT, with_hints=False)
    assert result.verdict.value == "refuted"
    assert "d = 2" in result.message


@pytest.mark.parametrize(
    ("loss_name", "wrt", "claim"),
    [
        ("negative-sampling", "v_c", NS_VC),
        ("negative-sampling", "u_k", "sigma(u_k^T v_c) v_c"),
        ("softmax", "v_c", "U (yhat - y)"),
        ("softmax", "u_w", "(yhat_w - y_w) v_c"),
    ],
)
def test_certified_claims_hold_at_an_instance_outside_the_grid(loss_name, wrt, claim):
    # an independent check of the certificate's soundness: the exact instance prover at a size
    # no sweep covers (LARGE is not reached, so this is the component-level decision procedure)
    from symw2v.world.losses import named_loss

    loss = named_loss(loss_name)
    instance = Instance(V=6, d=4, K=4, o=3, negatives=(6, 1, 5, 2))
    assert _certify(claim, loss, wrt).holds
    assert check_claim(claim, loss, wrt, instance, with_hints=False).verdict.value == "proved"


def test_large_instance_is_proved_by_the_certificate(softmax):
    result = check_claim("U (yhat - y)", softmax, "v_c", Instance(V=200, d=50, K=1, o=1), with_hints=False)
    assert result.verdict.value == "proved"
    assert "all-sizes certificate" in result.method


def test_losses_outside_the_argument_are_denied_not_miscertified():
    from symw2v.world.losses import Loss

    pairwise = Loss("pairwise", "-sum_k log(sigma(u_o^T v_c - u_k^T v_c))", "K", "")
    claim = "-sum_k sigma(u_k^T v_c - u_o^T v_c) (u_o - u_k)"
    assert "involve o" in _certify(claim, pairwise, "v_c").argument
    regularised = Loss("reg", "-log(sigma(u_o^T v_c)) + v_c^T v_c", "K", "")
    assert (
        "other than through the scores"
        in _certify("-sigma(-u_o^T v_c) u_o + 2 v_c", regularised, "v_c").argument
    )


# -- ∂J/∂U, column by column --------------------------------------------------------------------

U_TRUE = "v_c (yhat - y)^T"


@pytest.mark.parametrize(
    ("claim", "reading", "line"),
    [
        (U_TRUE, Reading(), "column by column"),
        ("v_c yhat^T - v_c y^T", Reading(), "column by column"),
        ("v_c (softmax(U^T v_c) - y)^T", Reading(), "column by column"),
        ("v_c (yhat - y)", Reading("columns", "row"), "column by column"),
        ("(yhat - y) v_c^T", Reading("rows"), "row by row"),
        ("2 (yhat - y) v_c^T / 2 + U - U", Reading("rows"), "row by row"),
        ("(yhat - y) v_c^T", Reading(), "row by row"),  # the numerator layout of U as columns
    ],
)
def test_true_matrix_claims_get_it_column_by_column(softmax, claim, reading, line):
    certificate = _certify(claim, softmax, "U", reading)
    assert certificate.holds, certificate.argument
    assert certificate.statement.startswith("holds for every d ≥ 1 and every V ≥ 2, " + line)
    assert "column w" in certificate.argument


@pytest.mark.parametrize(
    ("claim", "where"),
    [
        ("-v_c (yhat - y)^T", "in the column of a word other than o"),  # the sign flipped
        ("v_c yhat^T", "in the column of o"),  # −y missing
        ("v_c (yhat - y)^T + (yhat_o - 1) v_c y^T", "in the column of o"),  # twice the column at o
        ("U", "in the column of a word other than o"),
    ],
)
def test_false_matrix_claims_are_denied_with_the_column_named(softmax, claim, where):
    certificate = _certify(claim, softmax, "U")
    assert not certificate.holds
    assert where in certificate.argument


def test_a_transposed_matrix_claim_is_denied_in_a_declared_layout(softmax):
    claim = resolve_sums(parse_claim("(yhat - y) v_c^T"), softmax)
    denied = certify(claim, softmax, "U", COLUMNS, layout="denominator")
    assert not denied.holds and "the claim is V×d; ∂J/∂U in the denominator layout is d×V" in denied.argument
    assert certify(claim, softmax, "U", COLUMNS, layout="numerator").holds
    assert certify(claim, softmax, "U", Reading("rows"), layout="denominator").holds


def test_negative_sampling_matrix_claims_check_every_kind_of_word(negative_sampling):
    # σ(z_w) − y_w in every column is right at o and at the negatives, wrong at the other words
    others = _certify("v_c (sigma(U^T v_c) - y)^T", negative_sampling, "U")
    assert not others.holds
    assert "column of a word that is neither o nor one of the negatives (it must be 0)" in others.argument
    assert (
        "row of a negative"
        in _certify("(y - sigma(U v_c)) v_c^T", negative_sampling, "U", Reading("rows")).argument
    )
    assert "column of a negative" in _certify("0 U", negative_sampling, "U").argument
    assert not in_domain(Instance(V=5, K=2, o=2, negatives=(1, 1)), negative_sampling, "U")
    assert in_domain(Instance(V=5, K=2, o=2, negatives=(1, 3)), negative_sampling, "U")


@pytest.mark.parametrize(
    ("claim", "outside"),
    [
        ("sum_w v_c (yhat - y)^T", "a sum over w of a d×V matrix"),
        ("v_c (yhat - y)^T + v_c u_1^T U - v_c u_1^T U", "the particular word 1"),
        ("(v_c (yhat - y)^T)^2", "a power of a d×V matrix"),
        ("v_c (yhat - y)^T + (v_c v_c^T - v_c v_c^T) U", "an outer product of two d-vectors"),
        ("sigma(v_c (yhat - y)^T)", "sigma of a d×V matrix"),
    ],
)
def test_matrix_claims_outside_the_argument_are_denied_saying_what(softmax, claim, outside):
    certificate = _certify(claim, softmax, "U")
    assert not certificate.holds and outside in certificate.argument


def test_a_large_matrix_instance_is_proved_by_the_certificate(softmax):
    result = check_claim(U_TRUE, softmax, "U", Instance(V=30, d=4, o=7), with_hints=False)
    assert result.verdict.value == "proved"
    assert "all-sizes certificate" in result.method and "column by column" in result.certificate


def test_a_node_the_argument_has_no_rule_for_is_denied_by_name(softmax):
    from dataclasses import dataclass

    from symw2v import closed_form as cf

    @dataclass(frozen=True)
    class Window(cf.Node):  # a construct added to the language later
        pass

    certificate = certify(cf.Add(parse_claim(U_TRUE), Window()), softmax, "U", COLUMNS)
    assert (
        not certificate.holds
        and "a Window node: the formal argument has no rule for it" in certificate.argument
    )


def test_a_true_claim_the_argument_cannot_see_is_denied_without_calling_it_false(softmax):
    # Σ_w ŷ_w = 1 relates two sums the argument keeps as independent symbols
    certificate = _certify("(sum_w yhat_w) v_c (yhat - y)^T", softmax, "U")
    assert not certificate.holds
    assert "does not show it for every size" in certificate.argument and "false" not in certificate.argument


def test_a_matrix_certificate_with_negatives_states_every_kind_of_column():
    # a loss with negatives whose gradient at the negatives is 0 (they enter with weight 0):
    # the one ∂J/∂U of this kind the language can write, true at every size
    from symw2v.world.losses import Loss

    loss = Loss("outside-only", "-log(sigma(u_o^T v_c)) + 0 sum_k log(sigma(-u_k^T v_c))", "")
    claim = "(sigma(u_o^T v_c) - 1) v_c y^T"
    certificate = _certify(claim, loss, "U")
    assert certificate.holds, certificate.argument
    assert certificate.statement == (
        "holds for every d ≥ 1, V and K ≥ 1, when the negatives are distinct and differ from o, column by "
        "column: column w is ∂J/∂u_w, for w = o and for every negative; for every other word its column is 0"
    )
    at = Instance(V=4, d=2, K=2, o=2, negatives=(3, 1))  # word 4 is neither o nor a negative
    assert check_claim(claim, loss, "U", at, with_hints=False).verdict.value == "proved"
    assert not _certify("(sigma(u_o^T v_c) - 1) v_c yhat^T", loss, "U").holds


def test_a_case_of_a_matrix_claim_is_denied(softmax):
    claim = resolve_sums(parse_claim(U_TRUE), softmax)
    assert "checks every column" in certify(claim, softmax, "U", COLUMNS, case="=").argument


BLOCK = "[(yhat_1 - y_1) v_c, (yhat_2 - y_2) v_c, ..., (yhat_V - y_V) v_c]"


@pytest.mark.parametrize(
    ("claim", "reading", "holds"),
    [
        (BLOCK, Reading(), True),
        ("v_c [yhat_1 - y_1, ..., yhat_V - y_V]", Reading(), True),  # a row of scalars
        (f"({BLOCK})^T", Reading("rows"), True),
        ("[yhat_1 v_c, ..., yhat_V v_c] - v_c y^T", Reading(), True),
        ("[(y_1 - yhat_1) v_c, ..., (y_V - yhat_V) v_c]", Reading(), False),  # every column's sign
        ("[(yhat_1 - y_1) u_1, ..., (yhat_V - y_V) u_V]", Reading(), False),  # u_w for v_c
    ],
)
def test_block_matrices_of_columns_are_certified_column_by_column(softmax, claim, reading, holds):
    assert _certify(claim, softmax, "U", reading).holds is holds


def test_blocks_outside_the_argument_are_denied_saying_which(negative_sampling):
    every_word = "[(sigma(u_1^T v_c) - y_1) v_c, ..., (sigma(u_V^T v_c) - y_V) v_c]"
    assert "neither o nor one of the negatives" in _certify(every_word, negative_sampling, "U").argument
    stacked = _certify("-Uow (ones - sigma(Uow^T v_c))", negative_sampling, "v_c").argument
    assert "Uow = [u_o, -u_{w_1}, ..., -u_{w_K}], a block matrix of parts side by side" in stacked
    over_k = _certify(
        "[u_{w_1}, ..., u_{w_K}] sigma([u_{w_1}, ..., u_{w_K}]^T v_c)", negative_sampling, "v_c"
    )
    assert "a block matrix [a_1, …, a_K] over the negatives" in over_k.argument
