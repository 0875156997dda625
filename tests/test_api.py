"""The Python interface: symw2v.check, symw2v.check_document, symw2v.export, and results that
show themselves in Jupyter."""

from __future__ import annotations

import html
import re

import pytest

import symw2v
from symw2v.results import Verdict


@pytest.fixture(scope="module")
def proved():
    return symw2v.check(r"U(\hat{y} - y)", loss="softmax", wrt="v_c", profile="cs224n", sweep=False)


def test_a_claim_under_a_profile(proved):
    assert proved.verdict is Verdict.PROVED
    assert proved.U == "columns"  # the profile's reading of U, not a guess


def test_the_profile_is_binding():
    result = symw2v.check("(yhat - y) U", loss="softmax", wrt="v_c", profile="cs224n", sweep=False)
    assert result.verdict is not Verdict.PROVED


def test_a_result_shows_its_report_in_jupyter(proved):
    markdown = proved._repr_markdown_()
    assert "proved" in markdown and "v_c" in markdown
    frame = proved._repr_html_()
    assert frame.startswith("<iframe") and 'sandbox=""' in frame
    page = html.unescape(re.search(r'srcdoc="([^"]*)"', frame).group(1))
    assert "<math" in page and "<script" not in page


def test_user_text_in_a_frame_cannot_close_it():
    result = symw2v.check('"><script>alert(1)</script>', loss="softmax", wrt="v_c", sweep=False)
    assert result.verdict is Verdict.PARSE_ERROR
    frame = result._repr_html_()
    assert "<script>" not in frame and frame.count("<iframe") == 1


def test_a_document_from_its_text():
    text = "$$\\frac{\\partial J}{\\partial v_c} = U(\\hat{y} - y)$$\n"
    document = symw2v.check_document(text=text, loss="softmax", profile="cs224n")
    assert [c.verdict for c in document.claims] == [Verdict.PROVED]
    assert "proved" in document._repr_markdown_()


def test_a_document_needs_a_path_or_its_text():
    with pytest.raises(TypeError):
        symw2v.check_document()


def test_export_gives_a_module_that_computes_the_gradients():
    source = symw2v.export("softmax")
    assert "def softmax_loss_and_gradients" in source
