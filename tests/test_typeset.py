"""MathML Core adjustments: bold letters, limits, fences, script operators; all still on the
sanitiser's allow-list."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from symw2v.mathml import ATTRIBUTES, NAMESPACE, sanitised_mathml

NS = f"{{{NAMESPACE}}}"


def _tree(latex: str, display: str = "block") -> ET.Element:
    return ET.fromstring(sanitised_mathml(latex, display))


def _tags(tree: ET.Element) -> list[str]:
    return [e.tag.removeprefix(NS) for e in tree.iter()]


def _mo(tree: ET.Element, text: str) -> list[ET.Element]:
    return [e for e in tree.iter(f"{NS}mo") if e.text == text]


def test_bold_symbols_are_mathematical_letters_without_mathvariant():
    tree = _tree(r"\boldsymbol{u}_o^\top \mathbf{v}_c + \boldsymbol{\theta}")
    letters = [e.text for e in tree.iter(f"{NS}mi")]
    assert letters == ["𝒖", "o", "𝐯", "c", "𝜽"]
    assert not [e for e in tree.iter() if e.get("mathvariant") not in (None, "normal")]


def test_the_scripts_of_a_sum_become_limits_wherever_the_converter_put_them():
    # inside \left( … \right) latex2mathml writes msubsup; at the top, munderover
    for latex in (r"\left(-\sum_{k=1}^{K} u_k\right)", r"\sum_{k=1}^{K} u_k", r"\prod_k x_k"):
        tags = _tags(_tree(latex))
        assert "msubsup" not in tags and "msub" not in tags[:4], latex
        assert "munderover" in tags or "munder" in tags, latex


def test_an_integral_keeps_its_scripts():
    assert "msubsup" in _tags(_tree(r"\int_0^1 x"))


def test_a_minus_after_an_opening_parenthesis_starts_a_row_of_its_own():
    tree = _tree(r"\sigma(-u^\top v)")
    fence = next(row for row in tree.iter(f"{NS}mrow") if len(row) == 3 and row[0].text == "(")
    inner = fence[1]
    assert inner.tag == f"{NS}mrow" and inner[0].text == "−" and fence[2].text == ")"


def test_a_fence_stretches_only_around_something_tall():
    short = _tree(r"\left(u_k^\top v_c\right)")
    assert [e.get("stretchy") for e in _mo(short, "(") + _mo(short, ")")] == ["false", "false"]
    for tall in (r"\left(\frac{1}{2}\right)", r"\left(\sum_{k=1}^K u_k\right)"):
        tree = _tree(tall)
        assert [e.get("stretchy") for e in _mo(tree, "(")] == ["true"], tall
    matrix = _tree(r"\begin{bmatrix}1\\2\\3\end{bmatrix}")
    assert [e.get("stretchy") for e in _mo(matrix, "[")] == [None]  # stretchy by the dictionary


def test_unmatched_fences_stay_where_they_are():
    tree = _tree(r"( [ x ) y")
    assert [e.text for e in tree.iter() if e.text and e.text.strip()] == ["(", "[", "x", ")", "y"]


def test_an_operator_alone_in_a_script_has_no_space():
    transposed = _mo(_tree(r"u^\top v"), "⊤")
    assert [(e.get("lspace"), e.get("rspace")) for e in transposed] == [("0", "0")]


def test_what_typesetting_adds_is_on_the_allow_list():
    latex = r"\left(-\sum_{k=1}^{K} \boldsymbol{u}_k^\top\right)^{\top} (\frac{1}{2}) [x]"
    for element in _tree(latex).iter():
        for name, value in element.attrib.items():
            assert name in ATTRIBUTES and ATTRIBUTES[name].match(value), (element.tag, name, value)
