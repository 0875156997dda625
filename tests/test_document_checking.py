"""Checking a document end to end: chains with ∂ steps, answers by cases, a course profile, the
JSON a reader of the results relies on, and the command line's exit codes."""

from __future__ import annotations

import json

import pytest

from symw2v.cli import main
from symw2v.document import check_document
from symw2v.world.instance import Instance
from symw2v.world.profile import load

HOMEWORK = r"""
**(b)** The naive-softmax loss.

$$
\begin{aligned}
\frac{\partial J_{\text{naive-softmax}}(v_c, o, U)}{\partial v_c}
  &= \frac{\partial J}{\partial z}\frac{\partial z}{\partial v_c} \\
  &= -u_o + \sum_{w=1}^{V} \hat{y}_w u_w \\
  &= U(y - \hat{y})
\end{aligned}
$$

**(c)**

$$
\frac{\partial J}{\partial u_w} =
\begin{cases} \hat{y}_w v_c & \text{if } w \neq o \\ (\hat{y}_w - 1) v_c & \text{otherwise} \end{cases}
$$

$$\frac{\partial J}{\partial v_c} = (\hat{y} - y) U \tag{4}$$

**(d)** $$\frac{\partial J}{\partial U} = (\hat{y} - y) v_c^\top$$

**(g)** We may not assume that the negatives are distinct.

$$\frac{\partial J_{\text{neg-sample}}}{\partial u_k} = (1 - \sigma(-u_k^\top v_c)) v_c$$
"""


@pytest.fixture(scope="module")
def checked():
    return check_document(HOMEWORK, profile=load("cs224n"), time_limit_s=30)


def by_id(result, ident):
    return next(c for c in result.claims if c.id == ident)


def test_a_chain_skips_its_chain_rule_and_locates_the_error(checked):
    chain = by_id(checked, "(b)")
    assert chain.verdict.value == "refuted"
    assert [(s.id, s.verdict.value) for s in chain.steps] == [("(b).2", "proved"), ("(b).3", "refuted")]
    assert "the error enters at step 3" in chain.message and "step 1 (with ∂) not checked" in chain.message
    assert any(s.id == "(b).1" and "∂" in s.reason for s in checked.skipped)


def test_an_answer_by_cases_is_checked_case_by_case(checked):
    answer = by_id(checked, "(c)")
    assert answer.verdict.value == "proved"
    assert [s.case for s in answer.steps] == ["w != o", "w = o"]


def test_under_the_profile_a_row_reading_is_ill_typed_never_proved(checked):
    row_form = by_id(checked, "eq4")
    assert row_form.verdict.value == "ill-typed"
    assert "type-checks with U rows" in row_form.message


def test_under_the_profile_a_matrix_gradient_has_the_matrix_shape(checked):
    assert by_id(checked, "(d)").verdict.value == "refuted"


def test_a_section_whose_negatives_repeat_checks_its_case(checked):
    repeated = by_id(checked, "(g)")
    assert (repeated.case, repeated.verdict.value) == ("repeated negatives", "refuted")


def test_the_json_of_a_document(checked):
    data = checked.to_json()
    first = data["claims"][0]
    assert first["claim"] == r"U(y - \hat{y})" and first["line"] == 6 and first["id"] == "(b)"
    assert [s["claim"] for s in first["steps"]] == [r"-u_o + \sum_{w=1}^{V} \hat{y}_w u_w", r"U(y - \hat{y})"]
    assert first["loss_source"] == "J_{naive-softmax} on its left"
    assert {"id", "equation", "reason", "line"} <= set(data["skipped"][0])
    assert any(note.startswith("profile cs224n") for note in data["notes"])


def test_a_declared_row_reading_overrides_the_profile():
    text = "$U \\in \\mathbb{R}^{|V| \\times d}$, $y$ and $\\hat{y}$ are row vectors.\n\n"
    text += "$$\\frac{\\partial J_{\\text{naive-softmax}}}{\\partial v_c} = (\\hat{y} - y) U$$"
    (claim,) = check_document(text, profile=load("cs224n")).claims
    assert (claim.verdict.value, claim.U, claim.y) == ("proved", "rows", "row")


# -- the command line ---------------------------------------------------------------------------


def test_check_help_names_the_profile_option_and_the_exit_codes(capsys):
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    shown = capsys.readouterr().out
    assert "--profile" in shown and "4 a document with no equation" in shown


def test_a_document_with_no_equation_exits_4(tmp_path, capsys):
    path = tmp_path / "empty.md"
    path.write_text("$$x = 1$$\n", encoding="utf-8")
    assert main(["check", str(path), "--json"]) == 4
    data = json.loads(capsys.readouterr().out)
    assert data["claims"] == [] and data["skipped"][0]["reason"] == "not an equation of the form ∂J/∂x = …"


def test_an_empty_right_hand_side_does_not_crash_the_progress(tmp_path, capsys):
    path = tmp_path / "hw.md"
    path.write_text("$$\\frac{\\partial J}{\\partial v_c} = \\text{see above}$$\n", encoding="utf-8")
    assert main(["check", str(path), "--loss", "softmax"]) == 4
    assert "nothing after =" in capsys.readouterr().out


def test_a_notebook_and_a_profile_file(tmp_path, capsys):
    notebook = tmp_path / "hw.ipynb"
    cell = "$$\\frac{\\partial J}{\\partial u_o} = (\\sigma(u_o^T v_c) - 1) v_c$$"
    notebook.write_text(json.dumps({"cells": [{"cell_type": "markdown", "source": cell}]}), encoding="utf-8")
    profile = tmp_path / "course.toml"
    profile.write_text('[profile]\nname = "mine"\n[conventions]\nU = "rows"\ny = "row"\n', encoding="utf-8")
    assert main(["check", str(notebook), "--profile", str(profile), "--loss", "neg-sample", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["claims"][0]["verdict"] == "proved" and data["notes"][0].startswith("profile mine")


def test_a_bad_profile_says_what_to_fix(tmp_path, capsys):
    profile = tmp_path / "bad.toml"
    profile.write_text('[profile]\nname = "x"\n[conventions]\nU = "sideways"\ny = "row"\n', encoding="utf-8")
    assert (
        main(["check", "--loss", "softmax", "--wrt", "z", "--profile", str(profile), "--", "yhat - y"]) == 2
    )
    assert "U must be one of" in capsys.readouterr().err
    assert main(["check", "--loss", "softmax", "--wrt", "z", "--profile", "nosuch", "--", "yhat - y"]) == 2
    assert "cs224n" in capsys.readouterr().err


WRITTEN = r"""
(a) $$ -\sum_{w \in V} y_w \log \hat{y}_w = -y_o \log \hat{y}_o = \log \hat{y}_o $$

(e) $$ \frac{d\sigma(x)}{dx} = \frac{e^{-x}}{(1 + e^{-x})^2} = \sigma(x)(1 - \sigma(x)) $$

Leaky ReLU: $f(x) = \max(\alpha x, x)$.
$$ f'(x) = \begin{cases} 1 & x > 0 \\ 1 & x < 0 \end{cases} $$
"""


@pytest.fixture(scope="module")
def written():
    return check_document(WRITTEN).to_json()["claims"]


def test_an_identity_about_the_loss_is_checked_side_by_side(written):
    identity = written[0]
    assert (identity["loss"], identity["wrt"], identity["line"]) == ("softmax", "J", 2)
    assert [s["verdict"] for s in identity["steps"]] == ["proved", "proved", "refuted"]
    assert "identity about the softmax loss" in identity["message"]


def test_the_derivative_of_sigma_and_a_wrong_leaky_relu(written):
    sigma, leaky = written[1], written[2]
    assert (sigma["loss"], sigma["wrt"], sigma["verdict"]) == ("sigmoid", "x", "proved")
    assert [s["verdict"] for s in sigma["steps"]] == ["proved", "proved"]
    assert (leaky["loss"], leaky["wrt"], leaky["verdict"]) == ("leaky-relu", "x", "refuted")
    assert "derivative of the leaky ReLU" in leaky["message"]


def test_an_activation_result_says_what_applies_to_a_number(written):
    sigma, leaky = written[1], written[2]
    assert sigma["scope"] == "proved for every real x, exactly" and sigma["layout"] == ""
    assert not sigma["certificate"] and not sigma["sweep"]
    assert "V =" not in leaky["scope"] and "[[" not in leaky["residual"] and leaky["residual"]


# a window's answers where J names no loss: J takes the window's words, or the answer is in
# ∂J(v_c, w_{t+j}, U); a sum's range stacked with \atop or joined with \&; (w ≠ c) after an answer
_ONE_WORD = r"\partial J(v_c, w_{t+j}, U)"
WINDOW = (
    r"(c) $$ \frac{\partial J}{\partial U} = \sum_{-m \le j \le m \atop j \ne 0} \frac{"
    + _ONE_WORD
    + r"}{\partial U} $$"
    + "\n\n"
    + r"$$ \partial J(v_c, w_{t-m}, \ldots, w_{t+m}, U)/\partial v_c = \sum_{-m \le j \le m \& j \ne 0} 2\,"
    + _ONE_WORD
    + r"/\partial v_c = \sum_j U(\hat{y} - e_j) $$"
    + "\n\n"
    + r"$$ \frac{\partial J(v_c, w_{t-m}, \ldots, w_{t+m}, U)}{\partial v_w} = 0 \quad (w \neq c) $$"
)


@pytest.fixture(scope="module")
def window():
    small = Instance(V=3, d=2, K=2, o=1)  # the window's proofs are the slowest: the smallest sizes
    return check_document(WINDOW, profile=load("cs224n"), details=False, instance=small).to_json()


def test_a_window_answer_is_read_from_its_derivative_of_one_words_loss(window):
    by_line = {c["line"]: c for c in window["claims"]}
    assert (by_line[1]["loss"], by_line[1]["wrt"], by_line[1]["verdict"]) == ("window-softmax", "U", "proved")
    assert (by_line[5]["wrt"], by_line[5]["verdict"]) == ("v_w", "proved")


def test_a_wrong_window_answer_is_refuted_and_a_closed_form_of_an_unnamed_loss_is_left(window):
    wrong = next(c for c in window["claims"] if c["line"] == 3)
    assert (wrong["wrt"], wrong["verdict"]) == ("v_c", "refuted")
    assert any("not named: not checked" in s["reason"] for s in window["skipped"])


# an identity after a premise, its sides named in words, its sum's set braced or letter-spaced
# and an empty superscript; σ' written with \cfrac and a braced argument: true and false variants
SPELLINGS = r"""
(a) $$ y_w = [w = o] \Rightarrow \text{LHS} = -\sum_{w \in {\text{Vocab}}}^{} y_w \log \hat{y}_w
= -\log \hat{y}_o $$

(b) $$ \normalsize -\sum_{w \in V o c a b} y_w \log \hat{y}_w = \log \hat{y}_o $$

(c) $$ \cfrac{\partial}{\partial x} \sigma(x) = \sigma{(x)}\,(1 - \sigma(x)) = \sigma(x)^2 $$
"""


@pytest.fixture(scope="module")
def spellings():
    return {c["id"]: c for c in check_document(SPELLINGS, details=False).to_json()["claims"]}


def test_an_identity_after_a_premise_and_its_false_variant(spellings):
    assert spellings["(a)"]["wrt"] == "J"
    assert [s["verdict"] for s in spellings["(a)"]["steps"]] == ["proved", "proved"]
    assert (spellings["(b)"]["wrt"], spellings["(b)"]["verdict"]) == ("J", "refuted")


def test_sigma_prime_with_cfrac_and_a_braced_argument_and_its_false_step(spellings):
    assert [s["verdict"] for s in spellings["(c)"]["steps"]] == ["proved", "refuted"]


def test_a_wrong_answer_concluded_after_an_implication_is_refuted():
    # the premise's answer is right and the conclusion's is wrong: the row once came out proved
    text = (
        "$$J = -\\log \\hat{y}_o$$\n\n"
        "$$\\frac{\\partial J}{\\partial u_w} = (\\hat{y}_w - y_w) v_c "
        "\\Rightarrow \\frac{\\partial J}{\\partial u_w} = (\\hat{y}_w - y_w) u_o$$\n"
    )
    (claim,) = check_document(text, profile=load("cs224n")).claims
    assert claim.verdict.value == "refuted"
    assert [step.verdict.value for step in claim.steps] == ["proved", "refuted"]


@pytest.mark.parametrize(
    ("answer", "verdict"),
    [(r"(\hat{y}_w - 1) v_c", "proved"), (r"(\hat{y}_o - 1) v_c", "proved"), (r"\hat{y}_w v_c", "refuted")],
)
def test_an_answer_for_w_equal_to_o_is_checked_there_in_its_own_letter(answer, verdict):
    # ∂J/∂u_w (w = o) = (ŷ_w − 1) v_c was ill-typed (w free) and ŷ_w v_c was not refuted
    text = f"$$J = -\\log \\hat{{y}}_o$$\n\n$$\\frac{{\\partial J}}{{\\partial u_w}} (w = o) = {answer}$$\n"
    (claim,) = check_document(text, profile=load("cs224n")).claims
    assert claim.verdict.value == verdict


def test_a_case_the_variable_cannot_take_is_skipped_saying_so():
    text = "$$J = -\\log \\hat{y}_o$$\n\n$$\\frac{\\partial J}{\\partial U} (w \\neq o) = v_c \\hat{y}^T$$\n"
    result = check_document(text, profile=load("cs224n"))
    assert not result.claims
    assert [s.reason for s in result.skipped] == [
        "the case w ≠ o is not one the derivative's variable takes: not checked"
    ]
