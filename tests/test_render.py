"""Reports: committed ones are current, output is deterministic, user text is escaped."""

from __future__ import annotations

import base64
import json
import re
from html import unescape
from importlib import resources

import pytest

from symw2v.claim import Conventions, check_claim
from symw2v.cli import main
from symw2v.derivation import ClaimSpec, Derivation, DerivationResult
from symw2v.render import (
    formula_parts,
    method_name,
    readable_number,
    render_html,
    render_json,
    render_markdown,
    sweep_summary,
)
from symw2v.results import ClaimResult, Report, ReportKind, Verdict
from symw2v.world.instance import Instance
from symw2v.world.losses import named_loss

HOSTILE = "<script>alert('x')</script> | `tick` ``"


def _report_of(claim: str) -> DerivationResult:
    loss, instance = named_loss("softmax"), Instance()
    result = check_claim(claim, loss, "v_c", instance, claim_id="<b>id</b>")
    spec = ClaimSpec(result.id, "v_c", claim, "", "proved", "<i>note</i>", Conventions())
    derivation = Derivation("t", "<title>", "", loss, instance, Conventions(), (spec,))
    return DerivationResult(derivation, (result,))


def test_user_text_is_escaped_in_html():
    html = render_html(_report_of(HOSTILE).report("<src>"))
    assert "<script>" not in html and "<b>id</b>" not in html and "<i>note</i>" not in html
    assert "&lt;script&gt;" in html


def test_user_text_is_escaped_in_markdown():
    markdown = render_markdown(_report_of(HOSTILE).report("<src>"))
    outside_code = re.sub(r"(`+).*?\1", "", markdown)
    assert "<script>" not in outside_code
    assert "<b>id</b>" not in markdown and "<i>note</i>" not in markdown
    assert "``` <script>alert('x')</script> | `tick` `` ```" in markdown


def test_json_is_deterministic():
    first = render_json(_report_of("u_o").report("s"))
    second = render_json(_report_of("u_o").report("s"))
    assert first == second


# ---------------------------------------------------------------------------------------------
# issue 9, items 7 and 8, as reported: hostile text through `check --report` and `prove`

SCRIPT = "<script>document.title='X'</script>"
LINK_ID = "x](javascript:alert(1)) ![b](https://attacker.example/p.png)"
HOMEWORK = (
    "$$J = -\\log \\sigma(u_o^T v_c) - \\sum_{k=1}^{K} \\log \\sigma(-u_k^T v_c)$$\n\n"
    f"$$\\frac{{\\partial J}}{{\\partial u_o}} = (\\sigma(u_o^T v_c) - 1) v_c \\quad \\text{{{SCRIPT}}} "
    f"\\tag{{{LINK_ID}}}$$\n"
)
DERIVATION = f"""
title = "{SCRIPT} [t](javascript:alert(1))"
description = "<img src=x onerror=alert(1)> ![d](https://attacker.example/d.png)"
sweep = false

[loss]
name = "`<img src=x onerror=alert(1)>`"
expression = "-log(sigma(u_o^T v_c)) - sum_k log(sigma(-u_k^T v_c))"

[[claims]]
id = '{LINK_ID}" onclick="alert(1)'
wrt = "u_o"
claim = "(sigma(u_o^T v_c) - 1) v_c"
equation = '''
\\href{{javascript:alert(1)}}{{x}} \\style{{color:red}}{{y}} \\class{{c}}{{z}}
\\text{{{SCRIPT}}}'''
note = "[n](javascript:alert(1)) <b onmouseover=alert(1)>n</b>"
"""


def _assert_markdown_has_no_link_image_or_html(markdown: str) -> None:
    """Outside fenced blocks, code spans and backslash escapes, no link to a script, no image
    and no HTML is left."""
    live = re.sub(r"^(`{3,})[^`\n]*\n.*?^\1`*[ \t]*$", "", markdown, flags=re.S | re.M)
    live = re.sub(r"\\.", "", re.sub(r"(?<!`)(`+)(?!`).*?(?<!`)\1(?!`)", "", live))
    assert "](javascript" not in live and "![" not in live and "<" not in live


def _assert_html_runs_nothing(html: str) -> None:
    assert "<script" not in html and "<img" not in html and "<b " not in html
    assert not re.search(r"<[^>]+\s(?:on\w+|style|href=\"(?!#)|class=\"c\")", html)
    assert "&lt;script&gt;" in html


def test_a_homework_with_a_script_and_a_link_tag_reports_them_as_text(tmp_path):
    document = tmp_path / "homework.md"
    document.write_text(HOMEWORK, encoding="utf-8")
    for suffix in (".html", ".md"):
        main(["check", str(document), "--report", str(tmp_path / f"r{suffix}")])
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    _assert_html_runs_nothing(html)
    assert "<mtext>&lt;script&gt;document.title=&#39;X&#39;&lt;/script&gt;</mtext>" in html
    markdown = (tmp_path / "r.md").read_text(encoding="utf-8")
    _assert_markdown_has_no_link_image_or_html(markdown)
    assert (
        "## eqx\\]\\(javascript\\:alert\\(1\\)\\) \\!\\[b\\]\\(https\\://attacker\\.example/p\\.png\\)"
        in markdown
    )


def test_a_derivation_with_hostile_fields_proves_to_safe_reports(tmp_path):
    path = tmp_path / "hostile.toml"
    path.write_text(DERIVATION, encoding="utf-8")
    main(["prove", str(path), "--out", str(tmp_path)])
    _assert_html_runs_nothing((tmp_path / "hostile.html").read_text(encoding="utf-8"))
    markdown = (tmp_path / "hostile.md").read_text(encoding="utf-8")
    _assert_markdown_has_no_link_image_or_html(markdown)
    assert "- **Loss** (`` `<img src=x onerror=alert(1)>` ``)" in markdown
    assert "```text\n\\href{javascript:alert(1)}{x}" in markdown  # shown as source, not as math
    data = json.loads((tmp_path / "hostile.json").read_text(encoding="utf-8"))
    assert data["claims"][0]["id"] == LINK_ID + '" onclick="alert(1)'


# ---------------------------------------------------------------------------------------------
# issue 13, item 2: reports worth handing out


@pytest.mark.parametrize(
    ("approximate", "shown"),
    [
        ("-4.00000000000000", "−4"),
        ("0.500000000000000", "0.5"),
        ("1.98661429815143", "1.987"),
        ("16.2581762865209", "16.26"),
        ("1.25e-9", "1.25×10⁻⁹"),
        ("-0.0", "0"),
        ("undefined", "undefined"),
    ],
)
def test_numbers_are_rounded_for_reading(approximate, shown):
    assert readable_number(approximate) == shown


def test_a_summary_names_the_method_in_a_few_words():
    long = "exact: exponentials as monomials over a basis of 5 exponent(s), 3 residual entries cancel to 0"
    assert method_name(long) == "exact algebra"
    assert method_name("exact counterexample") == "counterexample"
    assert method_name("time limit") == "time limit"


def test_a_sweep_is_summarised_by_the_sizes_it_covered():
    instances = ("V = 2, d = 1, o = 1", "V = 3, d = 1, o = 2", "V = 5, d = 1, o = 2, negatives = (1, 3)")
    assert sweep_summary(instances) == "V ∈ {2, 3, 5}, o ∈ {1, 2}"


def test_a_point_is_split_between_its_vectors_not_inside_braces():
    latex = r"u_{1} = \left(3, \frac{1}{2}\right)^{\top},\quad v_c = (1, 2),\quad \text{a,\quad b}"
    vector = r"u_{1} = \left(3, \frac{1}{2}\right)^{\top}"
    assert formula_parts(latex) == [vector, "v_c = (1, 2)", r"\text{a,\quad b}"]


def _result(ident: str, verdict: Verdict, **fields) -> ClaimResult:
    return ClaimResult(ident, "negative-sampling", "u_k", "(1 - sigma(u_k^T v_c)) v_c", verdict, **fields)


WRONG = _result(
    "(f)(iii)",
    Verdict.REFUTED,
    method="exact counterexample",
    hint="`\\sigma(u_k^T v_c)` should be `\\sigma(-u_k^T v_c)`",
)
RIGHT = _result(
    "(f)(ii)",
    Verdict.PROVED,
    method="exact: exponentials as monomials over a basis of 1 exponent(s), 3 residual entries cancel to 0",
    sweep=("V = 2, d = 1", "V = 3, d = 2"),
)


def _report(kind: ReportKind, source: str, *results: ClaimResult) -> Report:
    return Report(
        title="Check of homework.md",
        source=source,
        loss_name="per claim",
        loss_expression="",
        loss_description="each claim names its loss",
        instance={},
        instance_text="V = 5",
        results=results,
        kind=kind,
    )


def _text(html: str) -> str:
    """The page's text, tags and the font dropped, whitespace collapsed."""
    body = html[html.index("<body>") :]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())


def test_a_homework_report_leads_with_what_to_fix():
    report = _report(ReportKind.DOCUMENT, "homework.md", RIGHT, WRONG)
    for page in (_text(render_html(report)), render_markdown(report)):
        assert "Homework" in page and "1 of 2 answers to fix" in page
        assert page.index("What to fix") < page.index("Summary")
        assert "should be" in page[page.index("What to fix") : page.index("Summary")]
        for wording in ("per claim", "command line", "expected", "Derivation file"):
            assert wording not in page, wording


def test_a_homework_with_nothing_wrong_says_so():
    page = _text(render_html(_report(ReportKind.DOCUMENT, "homework.md", RIGHT)))
    assert "every answer checked is right" in page and "Nothing: every answer checked is proved" in page


def test_headers_fit_the_kind_of_report():
    derivation = _text(render_html(_report(ReportKind.DERIVATION, "derivations/x.toml", RIGHT)))
    assert "Derivation file derivations/x.toml" in derivation
    assert "every verdict is the expected one" in derivation
    assert "What to fix" not in derivation and "expected" in derivation
    claim = _text(render_html(_report(ReportKind.CLAIM, "command line", WRONG)))
    assert "Claim given on the command line" in claim and "What to fix" in claim
    batch = render_markdown(_report(ReportKind.BATCH, "class.jsonl", RIGHT, WRONG))
    assert "**Batch**: `class.jsonl`" in batch and "1 of 2 claims not proved" in batch


def test_the_summary_table_is_short_and_long_details_are_folded():
    html = render_html(_report(ReportKind.DERIVATION, "x.toml", RIGHT, WRONG))
    summary = html[html.index('id="summary"') : html.index("</table>")]
    assert "exact algebra" in summary and "monomials" not in summary
    assert "<details><summary>the instances</summary><ul><li>V = 2, d = 1</li>" in html
    assert "proved at 2 instances (V ∈ {2, 3}, d ∈ {1, 2})" in html


def test_the_html_embeds_the_math_font_and_nothing_else_from_outside():
    html = render_html(_report(ReportKind.CLAIM, "command line", RIGHT))
    font = (resources.files("symw2v") / "fonts" / "symw2v-math.woff2").read_bytes()
    assert f"url(data:font/woff2;base64,{base64.b64encode(font).decode()})" in html
    assert 'font-family: "Symw2v Math", math' in html
    assert len(font) < 100_000  # a subset: a few glyph sets and the MATH table's variants
    assert "url(http" not in html and "src=" not in html
