"""Parser robustness: printed claims read back to the same AST, and no input makes the parser
(or the document reader) fail with anything but a ``SymW2VError`` that says where.

CI runs a derandomized few hundred examples; ``SYMW2V_HYPOTHESIS=long`` runs thousands (see
``test_soundness.py``).
"""

from __future__ import annotations

import os
import unicodedata
from fractions import Fraction
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symw2v import closed_form as cf
from symw2v.claim import check_claim
from symw2v.document import check_document
from symw2v.errors import ClaimParseError, InputLimitError, SymW2VError
from symw2v.parse import MAX_DEGREE, parse_claim
from symw2v.printing import to_compact_latex, to_latex, to_text

settings.register_profile(
    "ci",
    max_examples=50,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
settings.register_profile(
    "long",
    max_examples=2000,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
PROFILE = os.environ.get("SYMW2V_HYPOTHESIS", "ci")
settings.load_profile(PROFILE)


def examples(ci: int, long: int) -> settings:
    return settings(max_examples=long if PROFILE == "long" else ci)


# -- ASTs in the parser's image ---------------------------------------------------------------

LETTERS = ("o", "k", "w", "j", "c")
INDICES = st.sampled_from(LETTERS + ("1", "2", "12"))
NAMES = st.sampled_from(("v_c", "U", "y", "yhat", "z", "K", "V")).map(cf.Name)
NUMBERS = st.integers(0, 10**6).map(lambda n: cf.Num(Fraction(n)))
WORDS = INDICES.filter(lambda i: i != "c").map(cf.Word)
LEAVES = st.one_of(NAMES, NUMBERS, WORDS)
FUNCTIONS = st.sampled_from(("sigma", "exp", "log", "softmax"))


def _can_have_component(node: cf.Node) -> bool:
    # the parser refuses K_w, V_w and U_w (v_c_o is read: it is ill-typed, not unreadable)
    return not (isinstance(node, cf.Name) and node.name in ("K", "V", "U"))


@cache
def asts(latex: bool) -> st.SearchStrategy[cf.Node]:
    """Trees the parser can produce.  In LaTeX every sum has its bounds, as ``check_claim``
    has them once it has resolved them: ``\\sum`` has no bare form in LaTeX output."""
    bounds = ("K", "V") if latex else ("", "K", "V")

    def extend(children):
        return st.one_of(
            st.tuples(children.filter(_can_have_component), INDICES).map(lambda t: cf.Component(*t)),
            children.map(cf.Transpose),
            children.map(cf.Neg),
            st.tuples(children, children).map(lambda t: cf.Add(*t)),
            st.tuples(children, children).map(lambda t: cf.Sub(*t)),
            st.tuples(children, children).map(lambda t: cf.Mul(*t)),
            st.tuples(children, children).map(lambda t: cf.Div(*t)),
            st.tuples(children, st.integers(-64, 64)).map(lambda t: cf.Pow(*t)),
            st.tuples(st.sampled_from(("sigma", "exp", "log", "softmax")), children).map(
                lambda t: cf.Call(*t)
            ),
            st.tuples(st.sampled_from(("k", "w", "j")), st.sampled_from(bounds), children).map(
                lambda t: cf.Sum(*t)
            ),
        )

    return st.recursive(LEAVES, extend, max_leaves=12)


ROUND_TRIPS = {
    "text": (to_text, "text"),
    "latex": (to_latex, "latex"),
    "compact-latex": (to_compact_latex, "latex"),
}


@pytest.mark.parametrize("printer", sorted(ROUND_TRIPS))
@examples(ci=100, long=5000)
@given(data=st.data())
def test_printed_claims_read_back_to_the_same_tree(printer, data):
    to_string, syntax = ROUND_TRIPS[printer]
    node = data.draw(asts(latex=syntax == "latex"))
    text = to_string(node)
    if cf.degree(node) > MAX_DEGREE:  # refused by design: it could expand past any bound
        with pytest.raises(InputLimitError, match="degree"):
            parse_claim(text, syntax)
        return
    assert parse_claim(text, syntax) == node, text


# Found by the round trips above, and fixed: kept as plain examples.
TRAILING_SUM = cf.Mul(cf.Mul(cf.Word("o"), cf.Sum("k", "K", cf.Name("v_c"))), cf.Name("K"))


@pytest.mark.parametrize("printer", sorted(ROUND_TRIPS))
def test_a_product_after_a_trailing_sum_reads_back(printer):
    to_string, syntax = ROUND_TRIPS[printer]
    assert parse_claim(to_string(TRAILING_SUM), syntax) == TRAILING_SUM


def test_a_component_of_v_c_is_ill_typed_not_a_crash(negative_sampling, instance):
    result = check_claim("v_c_o", negative_sampling, "v_c", instance, with_hints=False)
    assert result.verdict.value == "ill-typed"


# -- hostile text -----------------------------------------------------------------------------

_WHOLE_CLAIM = ("the claim is empty", "characters long", "nodes; the limit", "could not read the claim")


def _reads_or_says_where(text: str, syntax: str) -> None:
    try:
        parse_claim(text, syntax)
    except ClaimParseError as error:
        message = str(error)
        assert message
        if error.position is None:
            assert any(part in message for part in _WHOLE_CLAIM), message
        else:
            assert 0 <= error.position <= len(unicodedata.normalize("NFC", text)), message


FRAGMENTS = st.sampled_from(
    [
        "u_o",
        "u_k",
        "v_c",
        "U",
        "y",
        "yhat",
        "ŷ",
        "z",
        "K",
        "V",
        "^T",
        "ᵀ",
        "'",
        "^",
        "_",
        "{",
        "}",
        "(",
        ")",
        "[",
        "]",
        "+",
        "-",
        "−",
        "*",
        "/",
        "·",
        " ",
        "\t",
        "\n",
        "sigma",
        "σ",
        "exp",
        "e",
        "log",
        "softmax",
        "sum_k",
        "sum_{k=1}^{K}",
        "Σ_w",
        "\\sigma",
        "\\frac",
        "\\hat",
        "\\left(",
        "\\right)",
        "\\sum_{k=1}^K",
        "\\boldsymbol{u}",
        "\\mathbf",
        "\\top",
        "\\cdot",
        "\\,",
        "1",
        "2",
        "0.5",
        "64",
        "65",
        "99999999999999999999999999999999",
        "\x00",
        "\u202e",
        "\ufeff",
        "𝐮",
        "é",
        "\\",
        "\\x",
        "&",
        "$$",
        "=",
    ]  # fmt: skip
)


@examples(ci=300, long=20000)
@given(text=st.text(max_size=80), syntax=st.sampled_from(("auto", "text", "latex")))
def test_any_text_reads_or_fails_with_a_position(text, syntax):
    _reads_or_says_where(text, syntax)


@examples(ci=300, long=20000)
@given(parts=st.lists(FRAGMENTS, max_size=30), syntax=st.sampled_from(("auto", "text", "latex")))
def test_claim_like_text_reads_or_fails_with_a_position(parts, syntax):
    _reads_or_says_where("".join(parts), syntax)


@examples(ci=200, long=10000)
@given(data=st.binary(max_size=120))
def test_any_bytes_read_or_fail_with_a_position(data):
    _reads_or_says_where(data.decode("utf-8", errors="replace"), "auto")


# -- hostile documents ------------------------------------------------------------------------

DOCUMENT_PARTS = st.sampled_from(
    [
        "$$",
        "\\[",
        "\\]",
        "\\begin{align}",
        "\\end{align}",
        "\\begin{equation*}",
        "\\end{equation*}",
        "J = -\\log \\sigma(u_o^T v_c) - \\sum_{k=1}^{K} \\log \\sigma(-u_k^T v_c)",
        "J = ",
        "\\frac{\\partial J}{\\partial v_c} = ",
        "\\frac{\\partial J}{\\partial u_o}",
        "= ",
        "\\frac{\\partial J}{\\partial z}",
        "\\hat{y} - y",
        "(\\sigma(u_o^T v_c) - 1) v_c",
        "u_o",
        "&",
        "\\\\",
        "\\tag{3}",
        "(13)",
        "\\label{x}",
        "\\text{for } k",
        "\n",
        " ",
        "1 \\times V",
        "{",
        "}",
        "(",
        ")",
        "=",
        "\\partial",
        "x",
        "\x00",
        "é",
    ]  # fmt: skip
)


def _document_returns_or_says_why(text: str) -> None:
    try:
        result = check_document(text, time_limit_s=5)
    except SymW2VError as error:
        assert str(error)
        return
    for claim in result.claims:
        assert claim.verdict.value in ("proved", "refuted", "undecided", "ill-typed", "parse-error")


@examples(ci=40, long=2000)
@given(text=st.text(max_size=200))
def test_any_text_as_a_document(text):
    _document_returns_or_says_why(text)


@examples(ci=25, long=1000)
@given(parts=st.lists(DOCUMENT_PARTS, max_size=25))
def test_document_like_text(parts):
    _document_returns_or_says_why("".join(parts))


DELIMITERS = st.sampled_from(
    [
        ("$$", "$$"),
        ("\\[", "\\]"),
        ("\\begin{equation}", "\\end{equation}"),
        ("\\begin{align}", "\\end{align}"),
    ]
)
LOSS_DEFINITIONS = st.sampled_from(
    [
        "J = -\\log \\sigma(u_o^T v_c) - \\sum_{k=1}^{K} \\log \\sigma(-u_k^T v_c)",
        "J = -\\log \\hat{y}_o",
        "J = -\\sum_{w=1}^{V} y_w \\log \\hat{y}_w",
        "J = \\log(",
        "J = u_o^T v_c",
    ]
)
VARIABLES = st.sampled_from(["v_c", "u_o", "u_k", "u_w", "U", "z", "\\boldsymbol{u}_o", "x", "{v_c}"])
SIDES = st.one_of(
    st.sampled_from(
        [
            "(\\sigma(u_o^T v_c) - 1) v_c",
            "(1 - \\sigma(-u_k^T v_c)) v_c",
            "-(1 - \\sigma(u_o^T v_c)) u_o + \\sum_{k=1}^{K} \\sigma(u_k^T v_c) u_k",
            "\\hat{y} - y",
            "U (\\hat{y} - y)",
            "(\\hat{y} - y)_k v_c",
            "u_o^T",
            "",
        ]
    ),
    st.lists(FRAGMENTS, max_size=8).map("".join),
)


@st.composite
def documents(draw) -> str:
    """Markdown or LaTeX with a loss and equations ∂J/∂x = A = B, each part possibly broken."""
    parts = [draw(st.text(max_size=20))]
    for _ in range(draw(st.integers(1, 3))):
        opening, closing = draw(DELIMITERS)
        if draw(st.booleans()):
            parts.append(f"{opening}{draw(LOSS_DEFINITIONS)}{closing}\n")
        sides = draw(st.lists(SIDES, min_size=1, max_size=3))
        tag = draw(st.sampled_from(["", "\\tag{7}", " \\\\ "]))
        derivative = f"\\frac{{\\partial J}}{{\\partial {draw(VARIABLES)}}}"
        parts.append(f"{opening}{derivative} = {' = '.join(sides)}{tag}{closing}")
        parts.append(draw(st.sampled_from(["\n", " (3)\n", "\n\n"])))
    return "".join(parts)


@examples(ci=5, long=300)
@given(text=documents())
def test_documents_with_equations(text):
    _document_returns_or_says_why(text)


# -- claim text that once ended in a traceback: long runs of operators, undefined constants ---

_PREFIXES = st.sampled_from(("-", "+", "sigma ", "exp ", "log ", "2 ", "1 ", "(", "\\sigma "))
_SUFFIXES = st.sampled_from(("^T", "'", "^2", "^{-1}", "^64", ")", " v_c", " 0", "_o"))
_CONSTANTS = st.sampled_from(("log(0)", "0", "(K-K)", "(1-1)^(-1)", "exp(log(0))", "sigma(log(0))", "0/0"))


@st.composite
def operator_runs(draw) -> str:
    """A claim wrapped in long runs of prefix and postfix operators, around undefined constants."""
    core = draw(st.sampled_from(("v_c", "u_o", "u_o^T v_c", draw(_CONSTANTS) + " v_c")))
    prefix = "".join(draw(st.lists(_PREFIXES, max_size=3)) * draw(st.integers(1, 400)))
    suffix = "".join(draw(st.lists(_SUFFIXES, max_size=3)) * draw(st.integers(1, 400)))
    return prefix + core + suffix


@examples(ci=40, long=1000)
@given(text=operator_runs())
def test_operator_runs_end_in_a_verdict_not_a_traceback(text, negative_sampling, instance):
    result = check_claim(text, negative_sampling, "u_o", instance, time_limit_s=10, with_hints=False)
    assert result.message or result.verdict.value in ("proved", "refuted")


@pytest.mark.parametrize(
    "text",
    [
        "-" * 500 + "v_c",
        "v_c" + "^T" * 1000,
        "1 " * 1000 + "v_c",
        "(((u_o^T v_c + 1)^64)^64 - 1) v_c",
        "exp(log(0)) v_c",
        "sigma(log(0)) v_c",
    ],
    ids=["minus", "transposes", "ones", "powers", "exp-log-0", "sigma-log-0"],
)
def test_the_reviews_claims_end_in_a_verdict(text, negative_sampling, instance):
    result = check_claim(text, negative_sampling, "u_o", instance, time_limit_s=10, with_hints=False)
    assert result.verdict.value in ("parse-error", "refuted"), result
    assert result.message
