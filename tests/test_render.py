"""Reports: committed ones are current, output is deterministic, user text is escaped."""

from __future__ import annotations

import json
import re

import pytest

from symw2v.check import Conventions, check_claim
from symw2v.cli import main
from symw2v.derivation import ClaimSpec, Derivation, DerivationResult
from symw2v.instance import Instance
from symw2v.losses import named_loss
from symw2v.render import render_html, render_json, render_markdown


@pytest.fixture(scope="module")
def regenerated(root, tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        assert main(["prove", "--out", str(out)]) == 0
    return out


def test_committed_reports_are_current(root, regenerated):
    committed = sorted(p.name for p in (root / "reports").iterdir())
    fresh = sorted(p.name for p in regenerated.iterdir())
    assert committed == fresh
    for name in fresh:
        assert (root / "reports" / name).read_bytes() == (regenerated / name).read_bytes(), (
            f"reports/{name} is stale: run `symw2v prove`"
        )


def test_html_math_is_mathml_and_no_latex_is_left(regenerated):
    for path in regenerated.glob("*.html"):
        html = path.read_text(encoding="utf-8")
        assert "<math" in html
        assert "<script" not in html and "http" not in html.replace("http://www.w3.org/1998/Math/MathML", "")
        outside_math = re.sub(r"<math.*?</math>", "", html, flags=re.S)
        assert not re.search(r"\\[a-zA-Z]+", outside_math), "raw LaTeX outside MathML"


def test_json_report_lists_every_claim(regenerated):
    data = json.loads((regenerated / "negative_sampling.json").read_text(encoding="utf-8"))
    ids = [c["id"] for c in data["claims"]]
    assert ids == ["eq13-first-line", "eq13", "eq13-corrected", "eq14", "eq15"]
    assert all(c["seconds"] is None for c in data["claims"])  # no wall-clock time by default
    assert data["as_expected"] is True


HOSTILE = "<script>alert('x')</script> | `tick` ``"


def _report_of(claim: str) -> DerivationResult:
    loss, instance = named_loss("softmax"), Instance()
    result = check_claim(claim, loss, "v_c", instance, claim_id="<b>id</b>")
    spec = ClaimSpec(result.id, "v_c", claim, "", "proved", "<i>note</i>", Conventions())
    derivation = Derivation("t", "<title>", "", loss, instance, Conventions(), (spec,))
    return DerivationResult(derivation, (result,))


def test_user_text_is_escaped_in_html():
    html = render_html(_report_of(HOSTILE), "<src>")
    assert "<script>" not in html and "<b>id</b>" not in html and "<i>note</i>" not in html
    assert "&lt;script&gt;" in html


def test_user_text_is_escaped_in_markdown():
    markdown = render_markdown(_report_of(HOSTILE), "<src>")
    outside_code = re.sub(r"(`+).*?\1", "", markdown)
    assert "<script>" not in outside_code
    assert "<b>id</b>" not in markdown and "<i>note</i>" not in markdown
    assert "``` <script>alert('x')</script> | `tick` `` ```" in markdown


def test_json_is_deterministic():
    first = render_json(_report_of("u_o"), "s")
    second = render_json(_report_of("u_o"), "s")
    assert first == second
