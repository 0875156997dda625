"""Hints: the classic mistakes are named, in the student's own notation."""

from __future__ import annotations

from symw2v.claim import check_claim
from symw2v.hints import edits
from symw2v.parse import parse_claim
from symw2v.printing import to_text
from symw2v.world.losses import named_loss

NS_VC = "-(1 - sigma(u_o^T v_c)) u_o + sum_k (1 - sigma(-u_k^T v_c)) u_k"


def test_sign_flip(negative_sampling, instance):
    result = check_claim(
        "-(1 - sigma(u_o^T v_c)) u_o - sum_k sigma(u_k^T v_c) u_k", negative_sampling, "v_c", instance
    )
    assert result.hint == (
        "the second term has the wrong sign: the claim holds with `+sum_{k=1}^K sigma(u_k^T v_c) u_k`"
    )


def test_dropped_inner_minus(negative_sampling, instance):
    result = check_claim(
        "-(1 - sigma(u_o^T v_c)) u_o - sum_k (1 - sigma(u_k^T v_c)) u_k", negative_sampling, "v_c", instance
    )
    assert "lost the inner minus sign" in result.hint
    assert "`+sum_{k=1}^K (1 - sigma(-u_k^T v_c)) u_k`" in result.hint


def test_sigma_argument(negative_sampling, instance):
    result = check_claim("sigma(-u_k^T v_c) v_c", negative_sampling, "u_k", instance)
    assert result.hint.startswith("`sigma(-u_k^T v_c)` should be `sigma(u_k^T v_c)`")


def test_missing_transpose_in_latex(negative_sampling, instance):
    result = check_claim(r"(\sigma(u_o v_c) - 1) v_c", negative_sampling, "u_o", instance)
    assert result.verdict.value == "ill-typed"
    assert result.hint == "`u_o` needs a transpose: `u_o^T`"


def test_factor_K_and_swapped_y(negative_sampling, softmax, instance):
    assert check_claim(f"K ({NS_VC})", negative_sampling, "v_c", instance).hint == "drop the factor K"
    assert check_claim("U (y - yhat)", softmax, "v_c", instance).hint.startswith("the sign is wrong")
    assert check_claim("(y_w - yhat_w) v_c", softmax, "u_w", instance).hint.startswith("the sign is wrong")


def test_no_hint_when_no_single_edit_fixes_it(negative_sampling, instance):
    assert check_claim("u_o + v_c", negative_sampling, "v_c", instance).hint == ""


def test_edits_are_single_changes():
    claim = parse_claim("sigma(u_o^T v_c) u_o - yhat_o u_k^T v_c v_c")
    texts = [to_text(e.claim) for e in edits(claim)]
    assert "-(sigma(u_o^T v_c) u_o) - yhat_o u_k^T v_c v_c" in texts
    assert "sigma(u_o^T v_c) u_o + yhat_o u_k^T v_c v_c" in texts
    assert "sigma(-u_o^T v_c) u_o - yhat_o u_k^T v_c v_c" in texts
    assert "(1 - sigma(u_o^T v_c)) u_o - yhat_o u_k^T v_c v_c" in texts
    assert "sigma(u_o^T v_c) u_o - y_o u_k^T v_c v_c" in texts
    assert len(texts) == len(set(texts))


def test_only_the_correction_that_passes_the_screen_is_proved(negative_sampling, instance, monkeypatch):
    from collections import OrderedDict

    from symw2v import hints, question

    monkeypatch.setattr(question, "_decided", OrderedDict())
    proved = []
    real = hints.pairs_hold
    monkeypatch.setattr(hints, "pairs_hold", lambda *found: proved.append(found) or real(*found))
    result = check_claim(
        "-(1 - sigma(u_o^T v_c)) u_o - sum_k sigma(u_k^T v_c) u_k", negative_sampling, "v_c", instance
    )
    # the first term's sign flipped fails the screen; the second's passes and is proved
    assert result.hint.startswith("the second term has the wrong sign")
    assert len(proved) == 1


def test_a_sigma_inside_a_sigma_is_refuted_not_an_internal_error(instance):
    # the σ(−x) hint rewrites every σ: a σ in another σ's argument is rewritten inside out
    result = check_claim(r"\sigma(x)\sigma(1-\sigma(x))", named_loss("sigmoid"), "x", instance)
    assert result.verdict.value == "refuted", result.message
