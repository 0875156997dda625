"""Reading homework as students write it: each notation class, in documents written for these
tests.  Nothing here proves a gradient: ``document.plan`` reads and decides what to check."""

from __future__ import annotations

import json

import pytest

from symw2v.document import plan
from symw2v.errors import SymW2VError
from symw2v.reader import activations, cases, losses, macros
from symw2v.reader.conventions import declared
from symw2v.reader.derivative import derivative, stated_case
from symw2v.reader.rows import by_cases, cut
from symw2v.reader.source import source
from symw2v.world.losses import named_loss

SOFTMAX = named_loss("softmax")
NEGATIVE = named_loss("negative-sampling")


def chains(text: str, **options) -> list:
    return list(plan(text, **options).chains)


# -- left-hand sides --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "variable", "subscript"),
    [
        (r"\frac{\partial J}{\partial v_c}", "v_c", ""),
        (
            r"\frac{\partial J_{naive-softmax}(\bm{v}_c, o, \bm{U})}{\partial \bm{v_c}}",
            "v_c",
            "naive-softmax",
        ),
        (
            r"\frac{\partial \boldsymbol{J}_{\text{ neg-sample }}\left(v_c, o, U\right)}{\partial U}",
            "U",
            "neg-sample",
        ),
        (r"\frac{\partial}{\partial v_c} J_{\text{neg-sample}}(v_c, o, U)", "v_c", "neg-sample"),
        (r"\frac{\part J}{\part v_c}", "v_c", ""),
        (r"\frac {\partial{J}} {\partial{v_{c}}}", "v_c", ""),
        (r"\frac{\delta{J}}{\delta{u_{w}}}", "u_w", ""),
        (r"\partial J / \partial \mathbf{v}_c", "v_c", ""),
        (r"\nabla_{\boldsymbol{v}_c} J", "v_c", ""),
        (r"{\partial J \over \partial v_c}", "v_c", ""),
        (r"\partial_{v_c} J", "v_c", ""),
        (r"\frac{dJ}{dv_c}", "v_c", ""),
        (r"\frac{\partial J}{\partial \theta}", "z", ""),
        (r"\frac{\partial J}{\partial u_o}", "u_o", ""),
    ],
)
def test_a_derivative_of_J_in_every_spelling(written, variable, subscript):
    found = derivative(written)
    assert found is not None
    assert found.wrt(SOFTMAX) == variable
    assert found.name_shown.replace(" ", "") == subscript


@pytest.mark.parametrize(
    "written",
    [r"\frac{\partial z}{\partial v_c}", r"\frac{d\sigma(x)}{dx}", r"\frac{\partial J}{\partial v_c} x"],
)
def test_what_is_no_derivative_of_J(written):
    assert derivative(written) is None


def test_the_variable_of_a_word_depends_on_the_loss():
    sample = derivative(r"\frac{\partial J}{\partial \mathbf{u}_{w_s}}")
    assert (sample.wrt(NEGATIVE), sample.wrt(SOFTMAX)) == ("u_k", "u_w")
    assert derivative(r"\frac{\partial J}{\partial u_1}").wrt(SOFTMAX) is None  # one word: no variable
    assert derivative(r"\frac{\partial J}{\partial x_o}").known is False


def test_a_case_after_an_evaluation_bar():
    at_o = derivative(r"\left.\frac{\partial J}{\partial u_w}\right|_{w=o}")
    elsewhere = derivative(r"\frac{\partial J}{\partial u_w}\Big|_{w \neq o}")
    # the answer keeps its letter w, checked where w = o (it was renamed u_o, leaving w free)
    assert (at_o.wrt(SOFTMAX), at_o.case) == ("u_w", "w = o")
    assert (elsewhere.wrt(SOFTMAX), elsewhere.case) == ("u_w", "w != o")


@pytest.mark.parametrize(
    "written",
    [
        r"\frac{\partial J}{\partial U} (w \neq o)",  # U has no letter the case is about
        r"\frac{\partial J}{\partial u_o} (w \neq o)",
        r"\frac{\partial J}{\partial u_w} (k \neq o)",  # another letter: not moved to w
        r"\left.\frac{\partial J}{\partial u_w}\right|_{k = o}",
    ],
)
def test_a_case_about_another_letter_is_never_dropped_or_moved(written):
    assert derivative(written) is None
    assert stated_case(written) in ("w ≠ o", "k ≠ o", "k = o")


def test_a_case_written_into_the_variable():
    other = derivative(r"\frac{\partial J}{\partial \bm{u_{w \neq o}}}")
    assert (other.wrt(SOFTMAX), other.case) == ("u_w", "w != o")
    assert derivative(r"\frac{\partial J}{\partial u_{w=o}}").wrt(SOFTMAX) == "u_o"


# -- rows -------------------------------------------------------------------------------------


def test_a_row_without_what_carries_no_mathematics():
    row = cut(
        r"\mbox{(ii) } \frac{\partial J}{\partial u_o} = \boxed{(\sigma(u_o^T v_c) - 1) v_c},"
        r"\quad \text{for all } w"
    )
    assert row.label == "(ii)"
    assert row.parts == (r"\frac{\partial J}{\partial u_o}", r"(\sigma(u_o^T v_c) - 1) v_c")
    assert row.condition.startswith(r"\text{for all")
    assert cut(r"\therefore = U(\hat{y} - y)").parts == ("", r"U(\hat{y} - y)")
    assert cut(r"= x \qquad (\text{a row vector})").parts == ("", "x")
    assert cut(r"= \sigma(u_k^Tv_c)v_c,\space for \space k=1,2").parts == ("", r"\sigma(u_k^Tv_c)v_c")
    stated = cut(r"= \hat{y}_w v_c \quad (w \neq o)")
    assert stated.parts == ("", r"\hat{y}_w v_c") and cases.case_of(stated.condition) == "w != o"


def test_a_text_inside_the_mathematics_stays():
    row = cut(r"= -u_o + \sum_{w \in \text{Vocab}} \hat{y}_w u_w")
    assert row.parts == ("", r"-u_o + \sum_{w \in \text{Vocab}} \hat{y}_w u_w") and not row.condition
    assert cut(r"= \text{softmax}(z) - y").parts == ("", r"\text{softmax}(z) - y")


@pytest.mark.parametrize(
    "written", [r"(w \neq o)", r"\text{When } w = o:", r"w \ne o:", r"\textbf{Case 2: } w \neq o"]
)
def test_a_row_that_only_states_a_case(written):
    assert cut(written).case_only in ("w != o", "w = o")


def test_answers_by_cases_are_found():
    assert by_cases(r"\begin{cases} a & \text{if } w \neq o \\ b & \text{otherwise} \end{cases}")
    assert by_cases(r"\left[ \begin{array}{ll} a & k \neq o \\ b & k = o \end{array} \right.")
    assert not by_cases(r"\hat{y}_w v_c")


# -- cases, losses and conventions in the words of a document ---------------------------------


def test_the_case_a_sentence_states():
    assert cases.case_of("When $w \\neq o$:") == "w != o"
    assert cases.case_of("two cases: when $w = o$, and $w \\ne o$") == ""
    assert cases.repeats("without the assumption that the K sampled words are distinct")
    assert not cases.repeats("Please repeat parts (b) and (c)")


def test_a_loss_by_its_name():
    assert losses.named(r"{n a i v e-s o f t m a x}") is SOFTMAX
    assert losses.named(r"\text{neg-sample}") is NEGATIVE
    assert losses.named("skip-gram").name == "window-softmax"
    assert losses.named("sg") is None
    assert losses.called(r"CE(y, \hat{y})") is SOFTMAX
    sentence = "Now we consider the Negative Sampling loss, an alternative to the Naive Softmax loss"
    assert losses.mentioned(sentence) is NEGATIVE
    assert losses.mentioned("apply the softmax function") is None


def test_a_loss_by_what_the_claim_uses():
    assert losses.marked(losses.used_by(r"(\sigma(u_o^T v_c) - 1) v_c")) is NEGATIVE
    assert losses.marked(losses.used_by(r"U(\hat{y} - y)")) is SOFTMAX
    assert losses.marked(losses.used_by(r"\sigma{(u_o^T v_c)} \sum u_k")) is NEGATIVE  # does not parse
    assert losses.marked(losses.used_by(r"\exp(u_o^T v_c) v_c")) is None


@pytest.mark.parametrize(
    ("text", "U", "y"),
    [
        ("the outside vectors, $U \\in \\mathbb{R}^{|V| \\times d}$", "rows", None),
        ("$\\boldsymbol{U} \\in \\R^{d\\times|V|}$", "columns", None),
        ("$\\pmb U$, matrix of shape (vocab_size, embedding_dim)", "rows", None),
        ("The columns of $U$ are the outside vectors", "columns", None),
        ("here $y$ and $\\hat{y}$ are row vectors", None, "row"),
        ("$\\hat{y} \\in \\mathbb{R}^{1 \\times |V|}$", None, "row"),
        ("$y$ is a column vector", None, "column"),
        ("the gradient is a row vector", None, None),
    ],
)
def test_shapes_a_document_declares(text, U, y):
    found = declared(text, text)
    assert (found.U, found.y) == (U, y)


def test_both_readings_declared_are_neither():
    text = "$y$ is a row vector\n\nlater, $y$ is a column vector"
    found = declared(text, text)
    assert found.y is None and "both ways" in found.conflicts[0]


# -- sources ----------------------------------------------------------------------------------


def test_macros_are_expanded_and_their_lines_kept():
    text = (
        "\\newcommand{\\Jn}{J_{\\text{neg-sample}}}\n"
        "\\newcommand{\\pd}[2]{\\frac{\\partial #1}\n{\\partial #2}}\n$\\pd{\\Jn}{v_c}$"
    )
    expanded = macros.expand(text)
    assert expanded.count("\n") == text.count("\n")
    assert derivative(expanded.strip().strip("$")).name_shown == "neg-sample"


def test_a_macro_that_expands_into_itself_stops():
    assert macros.expand("\\def\\b{\\b}\\b") == "\\b"  # passes are bounded
    with pytest.raises(SymW2VError, match="expand to more than"):
        macros.expand("\\def\\a{\\a\\a}" + "\\a" * 10)  # so is the text's growth


def test_latex_comments_notebook_cells_and_block_quotes():
    assert "%" not in source("a % \\frac{\\partial J}{\\partial v_c}\n\\% b", ".tex").text.split("\n")[0]
    notebook = {
        "cells": [
            {"cell_type": "code", "source": "$$x$$"},
            {"cell_type": "markdown", "source": ["# A\n", "$$y$$"]},
        ]
    }
    found = source(json.dumps(notebook), ".ipynb")
    assert found.text == "# A\n$$y$$" and found.where(2) == "cell 1, line 2"
    assert source("> > $$J = x$$").text.strip() == "$$J = x$$"


# -- what a document's equations are checked against ------------------------------------------

NEG_SAMPLE = r"""
## (a) Naive softmax

$$J = -\log \hat{y}_o$$

## (b) Negative sampling

$$
\begin{aligned}
J_{\text{neg-sample}}(v_c, o, U) &= -\log \sigma(u_o^\top v_c) - \sum_{k=1}^{K} \log \sigma(-u_k^\top v_c) \\
\frac{\part J}{\part u_o} &= (\sigma(u_o^\top v_c) - 1) v_c
\end{aligned}
$$
"""


def test_a_decorated_definition_is_the_loss_it_names():
    (chain,) = chains(NEG_SAMPLE)
    assert (chain.loss, chain.wrt, chain.id) == (NEGATIVE, "u_o", "(b)")


def test_a_loss_named_by_its_section_when_not_restated():
    text = "## Negative sampling\n\n$$\\frac{\\partial J}{\\partial u_o} = (\\sigma(u_o^T v_c) - 1) v_c$$"
    (chain,) = chains(text)
    assert chain.loss is NEGATIVE and "named in the text" in chain.loss_source


def test_the_claim_decides_when_the_loss_in_force_cannot_have_it():
    text = "$$J = -\\log \\hat{y}_o$$\n\n(e)\n\n"
    text += "$$\\frac{\\partial J}{\\partial u_o} = (\\sigma(u_o^T v_c) - 1) v_c$$"
    (chain,) = chains(text)
    assert chain.loss is NEGATIVE and "sigma" in chain.loss_source


def test_loss_option_checks_every_equation_against_it():
    (chain,) = chains("$$\\frac{\\partial J}{\\partial u_o} = x$$", loss=SOFTMAX)
    assert chain.loss is SOFTMAX and chain.loss_source == "--loss"


def test_a_definition_that_differs_from_the_loss_it_names_is_reported():
    text = (
        "$$J_{\\text{neg-sample}} = -\\log \\sigma(u_o^T v_c) - \\sum_{k=1}^K \\log \\sigma(u_k^T v_c)$$\n\n"
        "$$\\frac{\\partial J}{\\partial u_o} = (\\sigma(u_o^T v_c) - 1) v_c$$"
    )
    found = plan(text)
    assert found.chains[0].loss is NEGATIVE
    assert any("is not the negative-sampling loss" in note for note in found.notes)


def test_a_document_own_loss_is_used_as_written():
    text = r"""
$$J = -\log \sigma(u_o^T v_c)$$

$$\frac{\partial J}{\partial u_o} = (\sigma(u_o^T v_c) - 1) v_c$$
"""
    found = plan(text)
    assert found.chains[0].loss.name == "J of line 2"
    assert any("none of the built-in losses" in note for note in found.notes)


SKIP_GRAM = r"""
$$J_{\text{skip-gram}}(v_c, w_{t-m}, \ldots, w_{t+m}, U) = \sum_{-m \le j \le m, j \ne 0} J(v_c, w_{t+j}, U)$$
$$\frac{\partial J_{\text{skip-gram}}}{\partial U} = \frac{\partial}{\partial U} \sum_j J_j
  = \sum_{-m \le j \le m, j \ne 0} \frac{\partial J(v_c, w_{t+j}, U)}{\partial U}$$
$$\frac{\partial J_{\text{skip-gram}}}{\partial v_w} = 0$$
$$\frac{\part J_{skip-gram}}{\part v_c}
  = \sum_{-m \le j \le m,\space j \ne 0} \frac{\part J(v_c, w_{t+j}, U)}{\part v_c}$$
"""


def test_a_skip_gram_loss_is_the_window_loss_and_its_single_word_derivatives_are_claims():
    found = plan(SKIP_GRAM)
    assert [(c.loss.name, c.wrt) for c in found.chains] == [
        ("window-softmax", "U"),
        ("window-softmax", "v_w"),
        ("window-softmax", "v_c"),
    ]
    assert found.chains[2].steps[0].read.startswith(r"\sum_{-m \le j \le m,  j \ne 0} \frac{\partial J")
    assert [bool(s.skip) for s in found.chains[0].steps] == [True, False]
    assert [s.latex for s in found.skipped] == [r"\frac{\partial}{\partial U} \sum_j J_j"]
    assert not any("is not the" in note for note in found.notes)


# -- chains, labels, cases -------------------------------------------------------------------

CHAIN = r"""
$$J = -\log \hat{y}_o$$

$$
\begin{aligned}
\frac{\partial J}{\partial v_c} \\
&= \frac{\partial J}{\partial z} \frac{\partial z}{\partial v_c} \\
&= -u_o + \sum_{w=1}^{V} \hat{y}_w u_w \\
&\quad \vdots \\
\therefore &= U(\hat{y} - y) \tag{3}
\end{aligned}
$$
"""


def test_a_chain_from_the_row_before_it_with_its_steps():
    (chain,) = chains(CHAIN)
    assert chain.id == "eq3" and chain.wrt == "v_c" and chain.line == 6
    assert [bool(step.skip) for step in chain.steps] == [True, False, False]
    assert chain.expressions == [r"-u_o + \sum_{w=1}^{V} \hat{y}_w u_w", r"U(\hat{y} - y)"]


CASES = r"""
$$J = -\log \hat{y}_o$$

When $w \neq o$:

$$\frac{\partial J}{\partial u_w} = \hat{y}_w v_c$$

$$\begin{aligned} (w = o) \\ \frac{\partial J}{\partial u_w} &= (\hat{y}_w - 1) v_c \end{aligned}$$

In summary, $$\frac{\partial J}{\partial u_w} = (\hat{y}_w - y_w) v_c$$
"""


def test_the_case_of_an_answer():
    assert [c.case for c in chains(CASES)] == ["w != o", "w = o", ""]


REPEATED = r"""
(g) Without the assumption that the negatives are distinct:

$$\frac{\partial J_{\text{neg-sample}}}{\partial u_{w_s}} = \sum_{k: w_k = w_s} \sigma(u_{w_s}^T v_c) v_c$$
"""


def test_a_section_whose_negatives_repeat():
    (chain,) = chains(REPEATED)
    assert (chain.wrt, chain.case) == ("u_k", "repeated negatives")


DISPLAYS = r"""$$J = -\log \hat{y}_o$$

$$
\frac{\partial J}{\partial v_c} = U(\hat{y} - y) \\
\frac{\partial J}{\partial U} = v_c (\hat{y} - y)^T
$$

   $\frac{\partial J}{\partial z} = \hat{y} - y$

```math
\frac{\partial J}{\partial u_o} = x
```
"""


def test_several_equations_in_one_display_and_a_single_dollar_line():
    assert [(c.wrt, c.line) for c in chains(DISPLAYS)] == [("v_c", 4), ("U", 5), ("z", 8), ("u_o", 11)]


def test_profile_and_declarations_make_the_conventions():
    from symw2v.world.profile import load

    found = plan("$U \\in \\mathbb{R}^{|V| \\times d}$", profile=load("cs224n"))
    assert (found.conventions.U, found.conventions.y) == ("rows", "column")
    assert any("override the profile" in note for note in found.notes)
    assert plan("no shapes here").conventions.U is None


# -- what a document defines in its own words -------------------------------------------------

TYPO = r"""
(c) Compute the derivative with respect to the outside vectors $u_w$.

$$J = -\log \hat{y}_o$$

$$\frac{\partial J}{\partial v_w} = (\hat{y}_w - y_w) v_c$$

(d) And the skip-gram loss:

$$\frac{\partial J}{\partial v_w} = 0$$
"""


def test_a_centre_vector_for_the_outside_one_the_question_asks_about():
    found = plan(TYPO)
    (chain,) = found.chains
    assert chain.wrt == "u_w" and "read as ∂J/∂u_w" in chain.read_as[0]
    assert "not a variable" in next(s.reason for s in found.skipped if s.line == 10)


COUNTED = r"""
(g) The negatives may repeat.

$$\frac{\partial J_{\text{neg-sample}}}{\partial u_k} = N_{k} \sigma(u_k^T v_c) v_c$$

where $N_k$ is the number of times the word $w_k$ was sampled.
"""


def test_a_count_defined_in_words_is_read_as_the_sum_that_counts():
    (chain,) = chains(COUNTED)
    assert chain.steps[0].latex == r"N_{k} \sigma(u_k^T v_c) v_c"
    assert chain.steps[0].read.startswith(r"\left(\sum_{j=1}^{K} [w_j = w_k]\right)")
    assert "N_k read as the number of times w_k was sampled" in chain.read_as[0]


SHORTHAND = r"""
$$J = -\log \sigma(u_o^T v_c) - \sum_{k=1}^K \log \sigma(-u_k^T v_c)$$

$$s_1 = u_o^\top v_c, \quad s2 = u_k^\top v_c$$

$$\frac{\partial J}{\partial u_k} = (1 - \sigma(-s2)) v_c$$
"""


def test_a_shorthand_a_display_defines_is_read_as_what_it_stands_for():
    (chain,) = chains(SHORTHAND)
    assert chain.steps[0].read == r"(1 - \sigma(-(u_k^\top v_c))) v_c"
    assert chain.read_as == ("s2 read as u_k^\\top v_c (line 4)",)


BRANCHES = r"""
$$J = -\log \hat{y}_o$$

$$\frac{\partial J}{\partial u_w} = \frac{\partial}{\partial u_w} \log \sum_x \exp(u_x^T v_c)$$

If $w = o$:

$$= (\hat{y}_w - 1) v_c$$

If $w \neq o$:

$$= \hat{y}_w v_c$$
"""


def test_a_case_stated_between_a_chain_and_its_continuation_branches_it():
    assert [(c.case, c.expressions) for c in chains(BRANCHES)] == [
        ("w = o", [r"(\hat{y}_w - 1) v_c"]),
        ("w != o", [r"\hat{y}_w v_c"]),
    ]


# -- activations' derivatives and identities about the loss ---------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        r"\sigma'(x)",
        r"\sigma^{\prime}(\boldsymbol{x})",
        r"\frac{d\sigma(x)}{dx}",
        r"\frac{\partial \sigma(x)}{\partial x}",
        r"\frac{d}{dx}\sigma(x)",
        r"\frac{d \sigma}{d x}",
    ],
)
def test_the_derivative_of_sigma_is_read_in_every_spelling(written):
    (chain,) = chains(f"$$ {written} = \\sigma(x)(1 - \\sigma(x)) $$")
    assert (chain.loss.name, chain.wrt) == ("sigmoid", "x")
    assert any("derivative of the logistic function" in note for note in chain.read_as)


def test_a_derivative_by_another_letter_is_read_by_x_unless_x_is_taken():
    (chain,) = plan(r"$$ \sigma'(x_i) = \sigma(x_{i})(1 - \sigma(x_i)) $$").chains
    assert chain.steps[0].read == r"\sigma(x)(1 - \sigma(x))" and "x_i read as x" in chain.read_as
    found = plan(r"$$ \sigma'(t) = x \sigma(t) $$")
    assert not found.chains and "x stands for something other than t" in found.skipped[0].reason


RELU = r"""
(e) ReLU: $f(x) = \max(0, x)$, so

$$ \frac{d f}{d x} = \begin{cases} 1 & x > 0 \\ 0 & x = 0 \\ 0 & x < 0 \end{cases} $$

(f) Leaky ReLU with slope $\alpha$:

$$ f(x) = \max(\alpha x, x) $$

$$ f'(x) = \begin{cases} 1 & \text{if } x > 0 \\ \alpha & \text{if } x < 0 \end{cases} $$

(g) Now $g$ is something else, and so is $f(x) = -\log \sigma(x)$ (not the ReLU):

$$ g'(x) = 2x $$

$$ f'(x) = \sigma(x) - 1 $$
"""


def test_an_activation_defined_nearby_gives_the_loss_and_the_kink_is_left_out():
    found = plan(RELU)
    relu, leaky = found.chains
    assert (relu.loss.name, relu.wrt, leaky.loss.name) == ("relu", "x", "leaky-relu")
    assert "x = 0" not in relu.steps[0].read and "x > 0" in relu.steps[0].read
    assert any("x = 0 is left out" in note for note in relu.read_as)
    assert "neither defined" in next(s.reason for s in found.skipped if "g'(x)" in s.latex)
    assert "defined as something else" in next(s.reason for s in found.skipped if "f'(x)" in s.latex)


def test_a_relu_answer_not_by_cases_is_skipped():
    found = plan(r"ReLU: $f(x) = \max(x, 0)$. $$ f'(x) = 1 $$")
    assert not found.chains and "by cases" in found.skipped[0].reason


IDENTITY = r"""
(a)
$$ -\sum_{w \in V} y_w \log \hat{y}_w = -y_o \log \hat{y}_o = -\log \hat{y}_o $$
$$ J_{naive-softmax}(v_c, o, U) = -\sum_{w} y_w \log(\hat{y}_w) $$
$$ \hat{y} = \mathrm{softmax}(z), \quad z = U^\top v_c $$
$$ \sigma(x) = \frac{1}{1 + e^{-x}} $$
$$ \sum_{w} y_w \log \hat{y}_w = \log \hat{y}_o $$
$$ \begin{aligned} -y^\top \log \hat{y} &= -y_o \log \hat{y}_o \\ &= -\log \hat{y}_o \end{aligned} $$
"""


def test_only_an_equation_with_the_cross_entropy_form_is_an_identity_about_the_loss():
    found = plan(IDENTITY)
    assert [(c.line, c.loss.name, c.wrt) for c in found.chains] == [(3, "softmax", "J"), (8, "softmax", "J")]
    first, last = found.chains
    assert [s.latex.strip() for s in first.steps] == [
        r"-\sum_{w \in V} y_w \log \hat{y}_w",
        r"-y_o \log \hat{y}_o",
        r"-\log \hat{y}_o",
    ]
    assert [s.latex.strip() for s in last.steps][1:] == [r"-y_o \log \hat{y}_o", r"-\log \hat{y}_o"]
    # the definition of J alone is a definition; ŷ's and σ's, and the identity without its
    # minus, stay skipped
    assert [s.line for s in found.skipped] == [5, 6, 7]


# -- a row's conclusion, a side named in words, an activation's braced argument -----------------


def test_a_row_is_read_from_its_conclusion_after_rightarrow():
    row = cut(r"y_w = [w = o] \Rightarrow \text{LHS} = -\sum_w y_w \log \hat{y}_w = -\log \hat{y}_o")
    assert row.parts == (r"\text{LHS}", r"-\sum_w y_w \log \hat{y}_w", r"-\log \hat{y}_o")
    assert cut(r"\Rightarrow \frac{\partial J}{\partial v_c} = U(\hat{y} - y)").parts[1] == r"U(\hat{y} - y)"


def test_a_word_before_an_equals_sign_names_a_side_and_one_after_the_answer_is_a_condition():
    assert cut(r"\text{LHS} = -\log \hat{y}_o").parts == (r"\text{LHS}", r"-\log \hat{y}_o")
    row = cut(r"\frac{\partial J}{\partial v_c} = U(\hat{y} - y) \quad \text{for all } w")
    assert row.parts[1] == r"U(\hat{y} - y)" and row.condition == r"\text{for all } w"


@pytest.mark.parametrize(
    "written",
    [
        r"\frac{\partial{\sigma{(x)}}}{\partial x}",
        r"\cfrac{\partial}{\partial x} \sigma(x)",
        r"\cfrac{d\sigma}{dx}",
    ],
)
def test_the_derivative_of_sigma_in_more_spellings(written):
    found = activations.derivative_of(written)
    assert found is not None and (found.function, found.variable) == ("sigma", "x")


def test_a_braced_argument_must_close():
    assert activations.derivative_of(r"\frac{\partial{\sigma{(x}}}{\partial x}") is None


@pytest.mark.parametrize(
    ("written", "index", "case"),
    [
        (r"\frac{\partial J}{\partial u_w} (w \neq o)", "w", "w != o"),
        (r"\frac{\partial J}{\partial u_w} (w = o)", "w", "w = o"),
    ],
)
def test_a_case_in_parentheses_after_the_derivative(written, index, case):
    found = derivative(written)
    assert (found.index, found.case) == (index, case)


def test_a_derivative_by_another_centre_word_equal_to_c_is_not_read_as_v_w():
    assert derivative(r"\frac{\partial J}{\partial v_w} (w = c)") is None
    assert derivative(r"\frac{\partial J}{\partial v_w} (w \neq c)").centre_index == "w"


def test_a_condition_in_words_in_parentheses_after_an_answer():
    row = cut(r"\frac{\partial J_s}{\partial v_w} = 0 \ (when\ w \neq c)")
    assert row.parts[1] == "0" and "when" in row.condition


def test_a_premise_that_is_an_answer_is_kept():
    row = cut(r"\frac{\partial J}{\partial v_c} = U(\hat{y} - y) \Rightarrow \text{so } v_c \text{ moves}")
    assert row.parts == (r"\frac{\partial J}{\partial v_c}", r"U(\hat{y} - y)")


@pytest.mark.parametrize(
    ("conclusion", "more"),
    [
        (r"\frac{\partial J}{\partial u_w} = 0", ("0",)),  # the same derivative: its answer is a step
        (r"\text{LHS} = \hat{y}_w v_c - 0", (r"\hat{y}_w v_c - 0",)),  # a named side
        (r"\frac{\partial J}{\partial v_c} = 0", ()),  # another derivative: not this chain's
        (r"y_w = 0", ()),  # a fact, not the answer
    ],
)
def test_a_conclusion_about_the_premises_derivative_is_one_more_step(conclusion, more):
    # a wrong answer after ⇒ once went unchecked while the premise was proved
    row = cut(r"\frac{\partial J}{\partial u_w} = \hat{y}_w v_c \Rightarrow " + conclusion)
    assert row.parts == (r"\frac{\partial J}{\partial u_w}", r"\hat{y}_w v_c", *more)


def test_v_w_in_a_windows_loss_is_not_read_as_u_w():
    text = "## (c) the gradient of u_w\n\n" + r"$$\frac{\partial J_{skip-gram}}{\partial v_w} (w \ne c) = 0$$"
    (chain,) = chains(text)
    assert (chain.wrt, chain.loss.name) == ("v_w", "window-softmax")
