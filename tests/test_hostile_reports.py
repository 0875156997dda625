"""Hostile text in every field of a report, through every format.

A generator puts script tags, event handlers, ``\\href``/``\\style``/``\\class``, Markdown links,
images, autolinks, raw HTML, backticks, pipes, newlines, quotes and look-alikes into every
string a report shows, and each format is read back structurally: the HTML has no element or
attribute outside the allow-lists, the Markdown has no link, image, raw HTML or block that the
template did not write, the JSON gives back the same strings, Gradescope shows plain text.
The report values are built directly, so no prover runs.
"""

from __future__ import annotations

import json
import os
import re
import string
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from symw2v.document import Skipped
from symw2v.gradescope import results_json
from symw2v.markdown import md_code, md_math, md_prose
from symw2v.mathml import ATTRIBUTES, ELEMENTS, NAMESPACE, sanitised_mathml
from symw2v.render import formula_parts, render_html, render_json, render_markdown, render_text
from symw2v.results import ClaimResult, Counterexample, Report, Verdict
from symw2v.world.instance import Instance

PAYLOADS = [
    "<script>document.title='PWNED'</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '" onmouseover="alert(1)',
    "' autofocus onfocus='alert(1)",
    "javascript:alert(1)",
    r"\href{javascript:alert(1)}{x}",
    r"\style{background:url(https://attacker.example/p.png)}{x}",
    r"\class{evil}{x}",
    r"\unicode{x3c}script",
    r"\text{<img src=x onerror=alert(1)>}",
    r"\mbox{</math><script>alert(1)</script>}",
    r"\colorbox{red;background:url(x)}{x}",
    r"\def\h{\href}\h{javascript:alert(1)}{x}",
    r"\bbox[background:url(x)]{x}",
    "x](javascript:alert(1)) ![b](https://attacker.example/p.png)",
    "[a]: https://attacker.example/",
    "<https://attacker.example>",
    "https://attacker.example/p.png",
    "www.attacker.example",
    "a@attacker.example",
    "@someone",
    "#1",
    "`",
    "``",
    "```",
    "\n```\n",
    "~~~",
    "|",
    "\\|",
    "\\",
    "\n# heading\n",
    "\n- item\n",
    "\n> quote\n",
    "\n1. item\n",
    "\n    indented\n",
    "\n===\n",
    "&lt;script&gt;",
    "&#60;script&#62;",
    "＜script＞",
    "\u202e",
    "\x1b[31m",
    "\r\n",
    "\x00",
    "</math>",
    "<mtext>",
    "<!--",
    "]]>",
    "{: onclick=alert(1)}",
    "$x$",
    "$`x`$",
    "*e* _e_ **b**",
    "<b>",
    # the block matrices and answers by cases the claim language and the reader now take
    r"\begin{bmatrix}\href{javascript:alert(1)}{x} & \cdots & \text{<script>alert(1)</script>}\end{bmatrix}",
    r"\begin{cases} <img src=x onerror=alert(1)> & x > 0 \\ \class{evil}{0} & x < 0 \end{cases}",
]

hostile = st.lists(st.one_of(st.sampled_from(PAYLOADS), st.text(max_size=6)), min_size=1, max_size=5).map(
    "".join
)
# a few dozen derandomized examples by default; SYMW2V_HYPOTHESIS=long runs many more
LONG = os.environ.get("SYMW2V_HYPOTHESIS") == "long"
EXAMPLES = settings(max_examples=1000 if LONG else 25, derandomize=not LONG, deadline=None)

# ---------------------------------------------------------------------------------------------
# the report values


def _claim(text, step: ClaimResult | None = None) -> ClaimResult:
    """A result whose every string is ``text(field)``."""
    cx = Counterexample(
        target=text("target"),
        point_latex=text("point_latex"),
        point={text("point name"): (text("point value"),)},
        claimed_latex=text("claimed_latex"),
        derived_latex=text("derived_latex"),
        residual_latex=text("cx residual_latex"),
        approximate=(text("approximate"),),
        certificate=text("certificate"),
    )
    strings = (
        "id loss wrt claim layout U y method residual residual_latex hint message expected "
        "equation_latex claim_latex derived_latex reading scope certificate certificate_argument"
    ).split()
    return ClaimResult(
        **{name: text(name) for name in strings},
        verdict=Verdict.REFUTED,
        counterexample=cx,
        sweep=(text("sweep"),),
        steps=(step,) if step else (),
    )


def _report(draw_text) -> tuple[Report, str]:
    step = _claim(draw_text)
    claims = (_claim(draw_text, step), _claim(draw_text, step))
    skipped = (Skipped(draw_text("skipped id"), draw_text("skipped latex"), draw_text("skipped reason")),)
    source = draw_text("source")
    report = Report(
        title=draw_text("title"),
        source=source,
        loss_name=draw_text("loss name"),
        loss_expression=draw_text("loss expression"),
        loss_description=draw_text("loss description"),
        instance=Instance().as_dict(),
        instance_text=draw_text("instance"),
        results=claims,
        description=draw_text("description"),
        instance_note=draw_text("instance note"),
        notes=tuple((c.id, draw_text("note")) for c in claims),
        skipped=skipped,
    )
    return report, source


@st.composite
def reports(draw) -> tuple[Report, str]:
    """A report whose every field is one of a few hostile strings (drawing one per field, some
    sixty of them, would make each example slow to generate)."""
    pool = draw(st.lists(hostile, min_size=4, max_size=4))
    pick = draw(st.randoms(use_true_random=False))
    return _report(lambda field: pick.choice(pool))


# every LaTeX field the HTML template shows as MathML, per claim (each with one step)
LATEX_FIELDS = ("equation_latex", "claim_latex", "derived_latex", "residual_latex")
CX_LATEX_FIELDS = ("point_latex", "claimed_latex", "derived_latex")

# ---------------------------------------------------------------------------------------------
# HTML, read back with html.parser

TEMPLATE_TAGS = {
    "html": {"lang"},
    "head": set(),
    "meta": {"charset", "name", "content"},
    "title": set(),
    "style": set(),
    "body": set(),
    "h1": set(),
    "h2": {"id"},
    "p": set(),
    "ul": set(),
    "li": set(),
    "strong": set(),
    "code": set(),
    "pre": set(),
    "table": set(),
    "thead": set(),
    "tbody": set(),
    "tr": set(),
    "th": set(),
    "td": {"class"},
    "a": {"href"},
    "section": {"id", "class"},
    "dl": {"class"},
    "dt": set(),
    "dd": set(),
    "div": {"class"},
    "span": {"class"},
    "details": set(),
    "summary": set(),
}
CLASSES = {
    "math",
    "point",
    "facts",
    "claim",
    "fix",
    "clear",
    "nowrap",
    "reading",
    *(v.value for v in Verdict),
}
ANCHOR = re.compile(r"[A-Za-z0-9_-]+\Z")


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.open: list[str] = []
        self.title = ""

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))
        self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, attrs))

    def handle_endtag(self, tag):
        if tag in self.open:
            while self.open.pop() != tag:
                pass

    def handle_data(self, data):
        if self.open and self.open[-1] == "title":
            self.title += data


def _check_attribute(tag: str, name: str, value: str | None, ids: set[str], links: list[str]) -> None:
    assert not name.startswith("on"), f"event handler {name} on <{tag}>"
    assert value is not None, f"<{tag} {name}> has no value"
    if tag in ELEMENTS:
        assert name in ATTRIBUTES and ATTRIBUTES[name].match(value), f"<{tag} {name}={value!r}>"
        return
    assert name in TEMPLATE_TAGS[tag], f"<{tag} {name}> is not the template's"
    if name == "class":
        assert set(value.split()) <= CLASSES, value
    elif name == "id":
        assert ANCHOR.match(value), value
        ids.add(value)
    elif name == "href":
        assert value.startswith("#") and ANCHOR.match(value[1:]), value
        links.append(value[1:])


def assert_html_is_the_templates(html: str, title: str) -> None:
    """Only the template's elements and MathML from the allow-list; attributes likewise; every
    link a fragment to a section of the page; the title shown as the text it is."""
    page = _Elements()
    page.feed(html)
    page.close()
    ids: set[str] = set()
    links: list[str] = []
    tags = [tag for tag, _ in page.elements]
    for tag, attrs in page.elements:
        assert tag in TEMPLATE_TAGS or tag in ELEMENTS, f"<{tag}> is on no allow-list"
        for name, value in attrs:
            _check_attribute(tag, name, value, ids, links)
    assert tags.count("script") == 0 and tags.count("style") == 1 and tags.count("title") == 1
    assert set(links) <= ids
    assert page.title == title


def assert_mathml_is_sanitised(html: str, result: Report) -> None:
    """The page's <math> elements are, one for one, the sanitiser's output for the report's
    formulas (those it could convert; the others are shown as <code>)."""
    expected = []
    for claim in result.results:
        cx = claim.counterexample
        latex = [getattr(claim, f) for f in LATEX_FIELDS] + [getattr(cx, f) for f in CX_LATEX_FIELDS[1:]]
        latex += formula_parts(cx.point_latex)  # the point is shown vector by vector
        expected += [sanitised_mathml(x) for x in latex if x]
        expected += [sanitised_mathml(s.claim_latex, "inline") for s in claim.steps if s.claim_latex]
    found = re.findall(r"<math\b.*?</math>", html, flags=re.S)
    assert sorted(found) == sorted(x for x in expected if x.startswith("<math"))


# ---------------------------------------------------------------------------------------------
# Markdown, read back the way a CommonMark/GFM reader splits it

_PUNCTUATION = set(string.punctuation)
LIVE_FORBIDDEN = ("<", "[", "]", "!", "$", "://", "www.", "@", "javascript:", "~~")


def _inline(text: str) -> str:
    """The characters of ``text`` that an inline parser would act on: each backslash escape and
    each code span (the first one to start wins, as in CommonMark) becomes one NUL."""
    live, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text) and text[i + 1] in _PUNCTUATION:
            live.append("\0")
            i += 2
            continue
        if text[i] == "`":
            run = len(text) - i - len(text[i:].lstrip("`"))
            closer = re.compile(rf"(?<!`){'`' * run}(?!`)").search(text, i + run)
            live.append("\0" if closer else "`" * run)
            i = closer.end() if closer else i + run
            continue
        live.append(text[i])
        i += 1
    return "".join(live)


def _cells(row: str) -> list[str]:
    """A GFM table row's cells: split at pipes that no backslash escapes (a backslash escapes
    any ASCII punctuation, a backslash included), then ``\\|`` unescaped, as cmark-gfm does."""
    cells, current, i = [], [], 0
    body = row.strip()
    body = body[1:] if body.startswith("|") else body
    while i < len(body):
        if body[i] == "\\" and i + 1 < len(body) and body[i + 1] in _PUNCTUATION:
            current.append(body[i : i + 2])
            i += 2
        elif body[i] == "|":
            cells.append("".join(current))
            current, i = [], i + 1
        else:
            current.append(body[i])
            i += 1
    if "".join(current).strip():
        cells.append("".join(current))
    return [cell.replace("\\|", "|").strip() for cell in cells]


def _blocks(markdown: str) -> tuple[list[str], list[tuple[str, str]]]:
    """The lines outside fenced blocks, and each fenced block as (info string, content)."""
    lines, fences = [], []
    source = iter(markdown.split("\n"))
    for line in source:
        opening = re.match(r"(`{3,})([^`]*)\Z", line)
        if not opening:
            lines.append(line)
            continue
        closer = re.compile(rf"`{{{len(opening[1])},}}[ \t]*\Z")
        content = []
        for inner in source:
            if closer.match(inner.lstrip(" ")) and len(inner) - len(inner.lstrip(" ")) <= 3:
                break
            content.append(inner)
        fences.append((opening[2].strip(), "\n".join(content)))
    return lines, fences


def _unsafe_math(latex: str) -> list[str]:
    names = [c[1:] for c in re.findall(r"\\(?:[A-Za-z]+|.)", latex, flags=re.S)]
    return [n for n in names if re.fullmatch(r"href|url|style|class|cssId|unicode|bbox|require|html\w*", n)]


def assert_markdown_is_the_templates(markdown: str, result: Report) -> None:
    """The template's blocks only, and no link, image, raw HTML, autolink or math but the
    summary's links to the claims' headings."""
    lines, fences = _blocks(markdown)
    claims = len(result.results)
    shown = sum(bool(getattr(c, f)) for c in result.results for f in LATEX_FIELDS) + 3 * claims
    assert len(fences) == shown, "a math block was closed early or injected"
    for info, content in fences:
        assert info in ("math", "text") and not (info == "math" and _unsafe_math(content))
    headings = [line for line in lines if line.startswith("#")]
    # title, Not as expected (a derivation's claims all expect "proved"), Summary, one per claim, Skipped
    assert len(headings) == 3 + (not result.as_expected) + claims
    rows = [line for line in lines if line.startswith("|")]
    # the summary's columns: all sizes, swept and reading only where some claim has them
    summary = 6 + sum(any(getattr(c, f) for c in result.results) for f in ("certificate", "sweep", "reading"))
    widths = [summary] * (2 + claims) + [4, 4] * claims + [4] * claims + [2, 2, 2]
    assert sorted(len(_cells(row)) for row in rows) == sorted(widths), "a table cell was split"
    summary_links = 0
    for previous, line in zip(["", *lines], lines, strict=False):
        setext = re.match(r" {0,3}(?:=+|-+)[ \t]*\Z", line)
        assert not (setext and previous.strip()), f"{previous!r} became a heading"
        block_start = re.match(r" {4}| {0,3}(?:[>#<|`~*+-]|\d+[.)])", line)
        assert not block_start or line.startswith(("# ", "## ", "| ", "|---", "- **", "**")), line
        parts = _cells(line) if line.startswith("|") else [line]
        for part in parts:
            live = _inline(part)
            link = re.fullmatch(r"\[[^\[\]]*\]\(#[\w-]*\)", live)
            summary_links += bool(link)
            rest = "" if link else live
            assert not any(token in rest for token in LIVE_FORBIDDEN), (part, live)
    assert summary_links == claims


# ---------------------------------------------------------------------------------------------
# the tests


@EXAMPLES
@given(reports())
def test_hostile_html_report_has_only_allow_listed_elements_and_attributes(report):
    result, source = report
    html = render_html(result)
    assert_html_is_the_templates(html, result.title)
    assert_mathml_is_sanitised(html, result)


@EXAMPLES
@given(hostile)
def test_sanitised_mathml_is_well_formed_and_allow_listed(latex):
    text = sanitised_mathml(latex)
    tree = ET.fromstring(text)  # well formed: no user text opened or closed an element
    if tree.tag == "code":
        shown = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f]", "\ufffd", latex)
        assert (tree.text or "") == shown.replace("\r\n", "\n").replace("\r", "\n")  # as XML reads line ends
        return
    assert tree.tag == f"{{{NAMESPACE}}}math"
    for element in tree.iter():
        assert element.tag.removeprefix(f"{{{NAMESPACE}}}") in ELEMENTS
        for name, value in element.attrib.items():
            assert name in ATTRIBUTES and ATTRIBUTES[name].match(value), (element.tag, name, value)


def test_text_in_mathml_is_shown_as_text():
    payload = "<script>document.title='PWNED'</script>"
    tree = ET.fromstring(sanitised_mathml(rf"x \quad \text{{{payload}}}"))
    assert [e.text for e in tree.iter(f"{{{NAMESPACE}}}mtext")] == [payload]
    assert not [e for e in tree.iter() if e.tag.removeprefix(f"{{{NAMESPACE}}}") not in ELEMENTS]


def test_href_style_and_class_leave_no_attribute():
    tree = ET.fromstring(sanitised_mathml(r"\href{javascript:alert(1)}{a} \style{color:red}{b} \class{c}{d}"))
    attributes = {name for e in tree.iter() for name in e.attrib}
    assert attributes <= {"display"}  # xmlns is read as the namespace
    assert [e.text for e in tree.iter(f"{{{NAMESPACE}}}mi")] == ["a", "b", "d"]


@EXAMPLES
@given(reports())
def test_hostile_markdown_report_has_no_construct_from_user_text(report):
    result, source = report
    assert_markdown_is_the_templates(render_markdown(result), result)


@EXAMPLES
@given(hostile)
def test_md_prose_escapes_every_special_character_and_shows_the_text(text):
    escaped = md_prose(text)
    live = _inline(escaped)
    assert not any(c in live for c in "\\`*_{}[]()#+-.!|<>&~$:@")
    assert re.sub(r"\\(.)", r"\1", escaped) == " ".join(text.split())


def _code_span(markdown: str) -> str:
    """The content of ``markdown`` read as one CommonMark code span, or fail."""
    run = len(markdown) - len(markdown.lstrip("`"))
    assert run and markdown.endswith("`" * run) and not markdown.endswith("`" * (run + 1))
    content = markdown[run:-run]
    assert not re.search(rf"(?<!`){'`' * run}(?!`)", content), "closed early"
    return content[1:-1] if content.startswith(" ") and content.endswith(" ") and content.strip() else content


@EXAMPLES
@given(hostile.filter(str.strip))
def test_md_code_is_one_span_with_the_text(text):
    assert _code_span(md_code(text)) == " ".join(text.split())
    cell = md_code(text, cell=True)
    assert len(_cells(f"| {cell} |")) == 1, "the span split its table cell"


@EXAMPLES
@given(hostile)
def test_md_math_is_one_block_with_the_text(latex):
    lines, fences = _blocks(md_math(latex))
    assert lines == [] and len(fences) == 1
    info, content = fences[0]
    assert content == str(latex).replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    assert info == "text" or not _unsafe_math(content)


@EXAMPLES
@given(reports())
def test_hostile_json_report_gives_back_the_same_strings(report):
    result, source = report
    data = json.loads(render_json(result))
    assert data["title"] == result.title and data["source"] == source
    assert data["loss"] == {
        "name": result.loss_name,
        "expression": result.loss_expression,
    }
    for claim, read in zip(result.results, data["claims"], strict=True):
        assert read == json.loads(json.dumps({**claim.to_json(), "seconds": None}))
        assert (read["id"], read["claim"], read["hint"]) == (claim.id, claim.claim, claim.hint)


_ACTING = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@EXAMPLES
@given(reports())
def test_hostile_gradescope_results_are_plain_text(report):
    result, _ = report
    skipped = [(s.id, s.reason) for s in result.skipped]
    data = json.loads(results_json(list(result.results), skipped))
    assert (data["output_format"], data["test_output_format"], data["test_name_format"]) == ("text",) * 3
    for test, claim in zip(data["tests"], result.results, strict=True):
        assert (test["output_format"], test["name_format"]) == ("text", "text")
        assert not _ACTING.search(test["name"]) and not _ACTING.search(test["output"])
        assert test["output"] == "\n".join(render_text(claim))
    assert not _ACTING.search(data["output"])


@EXAMPLES
@given(hostile)
def test_plain_text_lines_cannot_be_forged(text):
    claim = _claim(lambda field: text if field in ("id", "claim") else "x")
    first = render_text(claim)[0]
    assert "\n" not in first and not _ACTING.search(first)
