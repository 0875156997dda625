"""Documents: displayed equations, numbers, the document's own loss, chains and skipped ones."""

from __future__ import annotations

import os

import pytest

from symw2v.displays import displays
from symw2v.document import MAX_DOCUMENT, check_document, read_document
from symw2v.errors import SymW2VError


@pytest.fixture(scope="module")
def reference(root):
    return check_document(read_document(root / "examples" / "reference_derivation.md"))


def test_reference_derivation_verdicts(reference):
    verdicts = {r.id: r.verdict.value for r in reference.claims}
    assert verdicts == {
        "eq2": "proved",  # J = −Σ_i y_i log ŷ_i: the cross-entropy form is the softmax loss
        "eq5": "proved",
        "eq7": "proved",
        "eq11": "proved",
        "eq13": "refuted",
        "eq14": "proved",
        "eq15": "proved",
    }


def test_eq13_first_step_wrong_second_valid(reference):
    eq13 = next(r for r in reference.claims if r.id == "eq13")
    assert [s.verdict.value for s in eq13.steps] == ["refuted", "proved"]
    assert "error enters at step 1" in eq13.message
    assert "inner minus" in eq13.steps[0].hint
    assert eq13.residual == "(-Σ_k u_k)ᵀ"


def test_eq7_uses_the_reading_the_text_declares(reference):
    eq7 = next(r for r in reference.claims if r.id == "eq7")
    assert (eq7.U, eq7.y, eq7.layout) == ("rows", "row", "numerator")
    assert any("1×V" in note for note in reference.notes)


def test_eq15_scope_names_the_side_condition(reference):
    eq15 = next(r for r in reference.claims if r.id == "eq15")
    assert "distinct and differ from o" in eq15.scope
    assert "sum over the word's occurrences" in eq15.scope


def test_skipped_equations_have_reasons(reference):
    reasons = {s.id: s.reason for s in reference.skipped}
    assert reasons["eq4"] == "every step has ∂ in it (a chain rule): nothing to check"
    assert "Jacobian" in reasons["eq6"] and "Jacobian" in reasons["eq9"]
    assert "not an equation" in reasons["eq1"] and "not an equation" in reasons["eq3"]


def test_latex_document_with_align_and_tags(root):
    result = check_document(read_document(root / "examples" / "reference_derivation.tex"))
    assert {r.id: r.verdict.value for r in result.claims} == {
        "eq13": "proved",
        "eq14": "proved",
        "eq15": "proved",
    }


def test_numbers_tags_and_continuations():
    text = (
        "$$a = b \\tag{4}$$\n\n$$c = d$$\n(5)\n\\[ e \\]\n"
        "\\begin{align} f &= g \\\\ &= h \\tag{7} \\end{align}"
    )
    found = displays(text)
    assert [(d.latex, d.number) for d in found] == [
        ("a = b", "4"),
        ("c = d", "5"),
        ("e", None),
        ("f  = g", None),
        ("= h", "7"),
    ]


def test_a_claim_before_any_loss_is_skipped():
    result = check_document("$$\\frac{\\partial J}{\\partial v_c} = u_o$$")
    assert not result.claims
    assert result.skipped[0].reason.startswith("no loss: the document neither defines J")
    assert "--loss" in result.skipped[0].reason


def test_inline_chain_is_checked_step_by_step():
    text = (
        "$$J = -\\log \\sigma(u_o^T v_c)$$\n"
        "$$\\frac{\\partial J}{\\partial u_o} = -(1 - \\sigma(u_o^T v_c)) v_c = (\\sigma(u_o^T v_c) - 1) v_c"
        " = \\sigma(u_o^T v_c) v_c \\tag{3}$$"
    )
    (claim,) = check_document(text).claims
    assert claim.id == "eq3"
    assert [s.verdict.value for s in claim.steps] == ["proved", "proved", "refuted"]
    assert claim.verdict.value == "refuted"
    assert "step 3" in claim.message


def test_document_limits(tmp_path):
    with pytest.raises(SymW2VError):
        check_document("x" * 300_000)
    binary = tmp_path / "b.md"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(SymW2VError):
        read_document(binary)


@pytest.mark.parametrize("kind", ["link to /dev/zero", "named pipe"])
def test_only_a_regular_document_is_read(tmp_path, kind):
    path = tmp_path / "homework.md"
    if kind == "named pipe":
        os.mkfifo(path)  # reading it would wait for a writer forever
    else:
        path.symlink_to("/dev/zero")
    with pytest.raises(SymW2VError, match="must be a regular file") as refused:
        read_document(path)
    assert str(path) in str(refused.value)


def test_a_document_over_the_byte_limit_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "homework.md"
    with path.open("wb") as handle:
        handle.truncate(4 * MAX_DOCUMENT + 1)  # sparse: nothing to read, only a size
    with pytest.raises(SymW2VError, match=f"the limit is {4 * MAX_DOCUMENT}"):
        read_document(path)


def test_a_definition_is_compared_with_the_losses_until_one_is_it(monkeypatch):
    from symw2v import document, document_chains, isolate

    monkeypatch.setattr(isolate, "PROCESSES", False)  # the comparisons here, where they are counted
    compared = []
    real = document_chains._same_loss
    monkeypatch.setattr(
        document_chains, "_same_loss", lambda node, name: compared.append(name) or real(node, name)
    )
    found = document.plan("$$J = -\\log \\hat{y}_o$$\n\n$$J = -\\log \\sigma(u_o^T v_c)$$\n")
    # negative sampling first: the softmax loss is compared only for the J that is not it
    assert compared == ["negative-sampling", "softmax", "negative-sampling", "softmax"]
    assert any(note.startswith("J on line 1 is the softmax loss") for note in found.notes)
    assert any("J on line 3 is none of the built-in losses" in note for note in found.notes)


def test_a_last_step_checked_against_the_gradient_is_its_result(monkeypatch):
    from symw2v import document, isolate

    monkeypatch.setattr(isolate, "PROCESSES", False)
    checked = []
    real = document.check_claim
    monkeypatch.setattr(
        document, "check_claim", lambda latex, *a, **k: checked.append(latex) or real(latex, *a, **k)
    )
    text = (
        "The naive softmax loss.\n\n$$\\frac{\\partial J}{\\partial z} = \\hat{y} - y ??? = \\hat{y} - y$$\n"
    )
    (result,) = check_document(text).claims
    # the first step does not read, so the second is checked against the gradient, once
    assert checked == ["\\hat{y} - y ???", "\\hat{y} - y"]
    assert result.verdict.value == "proved" and result.id == "equation"
    assert [step.verdict.value for step in result.steps] == ["parse-error", "proved"]
