"""Derivation files: the shipped ones get the verdicts the seed calls for; bad files say why."""

from __future__ import annotations

import pytest

from symw2v.derivation import load_derivation, prove_derivation
from symw2v.errors import DerivationFileError


@pytest.fixture(scope="module")
def shipped(root):
    results = {}
    for name in ("softmax", "negative_sampling"):
        result = prove_derivation(load_derivation(root / "derivations" / f"{name}.toml"))
        results.update({r.id: r for r in result.results})
    return results


@pytest.mark.parametrize(
    ("claim_id", "verdict"),
    [
        ("eq5", "proved"),
        ("eq7", "proved"),
        ("eq7-columns", "ill-typed"),
        ("eq11", "proved"),
        ("eq13-first-line", "refuted"),
        ("eq13", "refuted"),
        ("eq13-corrected", "proved"),
        ("eq14", "proved"),
        ("eq15", "proved"),
    ],
)
def test_seed_verdicts(shipped, claim_id, verdict):
    result = shipped[claim_id]
    assert result.verdict.value == verdict
    assert result.as_expected


def test_eq13_residual_is_minus_the_sum_of_the_negatives(shipped):
    for claim_id in ("eq13", "eq13-first-line"):
        result = shipped[claim_id]
        assert result.residual == "(-Σ_k u_k)ᵀ"
        assert result.counterexample is not None
        assert "transcendental" in result.counterexample.certificate


def test_eq7_reports_its_reading(shipped):
    assert (shipped["eq7"].U, shipped["eq7"].y, shipped["eq7"].layout) == ("rows", "row", "numerator")
    assert "U rows" in shipped["eq7-columns"].message


def write(tmp_path, text):
    path = tmp_path / "d.toml"
    path.write_text(text, encoding="utf-8")
    return path


CLAIM = '[[claims]]\nid = "a"\nwrt = "u_o"\nclaim = "(sigma(u_o^T v_c) - 1) v_c"\n'


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("loss = 'softmax'\n", "no [[claims]]"),
        (CLAIM, "no loss"),
        ("loss = 'cubic'\n" + CLAIM, "unknown loss"),
        ("loss = 'softmax'\ncolour = 1\n" + CLAIM, "unknown key"),
        ("loss = 'softmax'\n[instance]\nV = 1\n" + CLAIM, "[instance]"),
        ("loss = 'softmax'\n[instance]\nQ = 1\n" + CLAIM, "[instance]"),
        ("loss = 'softmax'\n" + CLAIM + CLAIM, "used twice"),
        ("loss = 'softmax'\n" + CLAIM.replace('u_o"', 'x"'), "wrt must be"),
        ("loss = 'softmax'\n" + CLAIM + "expect = 'maybe'\n", "expect must be"),
        ("loss = 'softmax'\n[conventions]\nU = 'diagonal'\n" + CLAIM, "U must be"),
        ("loss = = 1", "not valid TOML"),
    ],
)
def test_bad_files_name_the_problem(tmp_path, text, words):
    with pytest.raises(DerivationFileError) as caught:
        load_derivation(write(tmp_path, text))
    assert words in str(caught.value)
    assert "d.toml" in str(caught.value)


def test_a_loss_is_data(tmp_path):
    text = (
        "[loss]\nname = 'ns'\nexpression = '-log(sigma(u_o^T v_c)) - sum_k log(sigma(-u_k^T v_c))'\n"
        "k_over = 'K'\n" + CLAIM
    )
    result = prove_derivation(load_derivation(write(tmp_path, text)))
    assert result.results[0].verdict.value == "proved"
    assert result.as_expected
