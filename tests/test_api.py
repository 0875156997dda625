"""The Python interface: symw2v.check, symw2v.check_document, symw2v.export, and results that
show themselves in Jupyter."""

from __future__ import annotations

import html
import re
import runpy

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


def test_the_example_script_runs(root, capsys):
    # the example a notebook would be (nbclient and a kernel would double the test dependencies
    # for the same calls; the results' display methods are tested above)
    main = runpy.run_path(str(root / "examples" / "python_api.py"))["main"]
    assert main() == 0
    out = capsys.readouterr().out
    assert "proved" in out and "refuted" in out and "exported" in out


def test_a_window_claim_takes_m_and_its_words_and_refuses_them_elsewhere():
    result = symw2v.check("0", loss="window-softmax", wrt="v_w", V=3, d=1, m=1, window=[3, 1], sweep=False)
    assert result.verdict is Verdict.PROVED  # ∂J_sg/∂v_w = 0: another word's centre vector
    assert (result.instance["m"], result.instance["window"]) == (1, [3, 1])
    with pytest.raises(symw2v.SymW2VError, match="m is the window's; the softmax loss has none"):
        symw2v.check("U (yhat - y)", loss="softmax", m=2, sweep=False)
    with pytest.raises(symw2v.SymW2VError, match="m must be a whole number from 1 to 10, got true"):
        symw2v.check("0", loss="cbow", wrt="U", m=True, sweep=False)
