"""The HTML reports in a real browser: headless Chromium typesets every formula (MathML, no
script, no network), no raw LaTeX is left in the page, the page is not blank, and a report
full of hostile text runs none of it.

Skipped where no Chromium is installed; ``.ci/run`` installs it.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import struct
import subprocess
import zlib
from collections import Counter
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from symw2v.claim import Conventions
from symw2v.derivation import ClaimSpec, Derivation, DerivationResult
from symw2v.mathml import mathml
from symw2v.render import render_html
from symw2v.results import ClaimResult, Counterexample, Verdict
from symw2v.world.instance import Instance
from symw2v.world.losses import named_loss

BROWSER = next((shutil.which(name) for name in ("chromium", "chromium-browser") if shutil.which(name)), None)
pytestmark = pytest.mark.skipif(BROWSER is None, reason="Chromium is not installed (.ci/run installs it)")

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
]
RAW_LATEX = re.compile(r"\\(?:boldsymbol|mathbf|frac|sigma|sum|hat|left|right|top|partial|log|exp|cdot)\b")
# text the reports show as typed, on purpose: the claim as the student wrote it is source code
VERBATIM = {"code", "pre", "script", "style", "annotation", "math"}


def _chromium(page: Path, profile: Path, *args: str) -> subprocess.CompletedProcess:
    command = [BROWSER, *FLAGS, f"--user-data-dir={profile}", *args, page.resolve().as_uri()]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


class _Page(HTMLParser):
    """The rendered DOM: its <math> elements, <merror>s, and the text outside verbatim parts."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.text: list[str] = []
        self.tags: Counter = Counter()

    def handle_starttag(self, tag, attrs):
        self.tags[tag] += 1
        self.open.append(tag)

    def handle_endtag(self, tag):
        if tag in self.open:
            while self.open.pop() != tag:
                pass

    def handle_data(self, data):
        if not VERBATIM.intersection(self.open):
            self.text.append(data)


def _pixels(png: bytes) -> list[bytes]:
    """The pixels of an 8-bit RGB or RGBA PNG, decoded with zlib alone."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    position, data, header = 8, b"", None
    while position < len(png):
        (length,) = struct.unpack(">I", png[position : position + 4])
        kind, body = png[position + 4 : position + 8], png[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            data += body
        position += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, f"unexpected PNG format {header}"
    step = 4 if colour == 6 else 3
    raw, stride = zlib.decompress(data), width * step
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - step] if x >= step else 0
            up, corner = previous[x], previous[x - step] if x >= step else 0
            if kind == 1:
                line[x] = (line[x] + left) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + up) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                nearest = min((abs(p - left), 0, left), (abs(p - up), 1, up), (abs(p - corner), 2, corner))
                line[x] = (line[x] + nearest[2]) & 0xFF
        rows.append(bytes(line))
        previous = line
    return [row[x : x + step] for row in rows for x in range(0, stride, step)]


def _check_here(root: Path, *args: str) -> None:
    """``symw2v check ARGS`` in this process, in the repository's folder, its output dropped."""
    from symw2v.cli import main

    with (
        pytest.MonkeyPatch.context() as patch,
        contextlib.redirect_stdout(io.StringIO()),
        contextlib.redirect_stderr(io.StringIO()),
    ):
        patch.chdir(root)
        main(["check", *args])


@pytest.fixture(scope="module")
def pages(root, tmp_path_factory) -> dict[str, Path]:
    """The committed reports, and a fresh report of the example homework document."""
    folder = tmp_path_factory.mktemp("reports")
    document = folder / "reference_derivation.html"
    _check_here(root, "examples/reference_derivation.md", "--report", str(document))
    assert document.exists(), "symw2v check --report wrote no report"
    found = {path.name: path for path in sorted((root / "reports").glob("*.html"))}
    return {**found, document.name: document}


PAGES = ["softmax.html", "negative_sampling.html", "reference_derivation.html"]


@pytest.fixture(scope="module")
def rendered(pages, tmp_path_factory) -> dict[str, tuple[subprocess.CompletedProcess, Path]]:
    """Each page of ``PAGES`` in one run of Chromium: its DOM (``--dump-dom``, on standard
    output) and a screenshot of it: ``{name: (the run, the screenshot's path)}``."""
    folder = tmp_path_factory.mktemp("rendered")
    runs = {}
    for name in PAGES:
        shot = folder / f"{name}.png"
        args = ("--dump-dom", f"--screenshot={shot}", "--window-size=800,1000")
        runs[name] = (_chromium(pages[name], folder / f"profile-{name}", *args), shot)
    return runs


@pytest.mark.parametrize("name", PAGES)
def test_the_math_is_typeset_and_no_latex_is_left(name, rendered):
    done, _ = rendered[name]
    assert done.returncode == 0 and "<html" in done.stdout, done.stderr[-2000:]
    page = _Page()
    page.feed(done.stdout)
    assert page.tags["math"] >= 3, "no MathML in the rendered page"
    assert page.tags["merror"] == 0, "a formula failed to convert to MathML"
    text = " ".join("".join(page.text).split())
    leftover = sorted(set(RAW_LATEX.findall(text)))
    assert not leftover, f"raw LaTeX in the rendered text: {leftover}"
    assert "proved" in text or "refuted" in text


@pytest.mark.parametrize("name", PAGES)
def test_the_page_is_not_blank(name, rendered):
    done, shot = rendered[name]
    assert shot.exists(), done.stderr[-2000:]
    pixels = _pixels(shot.read_bytes())
    colours = Counter(pixels)
    background, count = colours.most_common(1)[0]
    assert len(colours) > 2, "the screenshot has at most two colours"
    assert count < 0.99 * len(pixels), "the screenshot is (almost) all one colour"


# ---------------------------------------------------------------------------------------------
# hostile reports: each payload, if it ran, would retitle the page and add a marker element

RUN = "document.title='PWNED';document.body.insertAdjacentHTML('beforeend','<p id=pwned></p>')"
PAYLOADS = [
    f"<script>{RUN}</script>",
    f'<img src=x onerror="{RUN}">',
    f'<svg onload="{RUN}"></svg>',
    f'" autofocus onfocus="{RUN}" x="',
    f"x](javascript:{RUN}) ![b](https://attacker.example/p.png)",
    rf"\text{{<script>{RUN}</script>}}",
    rf"\mbox{{</math><img src=x onerror=\"{RUN}\">}}",
    rf"\href{{javascript:{RUN}}}{{x}}",
    rf"\style{{background:url(javascript:{RUN})}}{{x}}",
    rf"\class{{x\" onmouseover=\"{RUN}}}{{x}}",
]
HOSTILE_TITLE = f"Hostile </title><script>{RUN}</script>"
HOMEWORK = (
    "$$J = -\\log \\sigma(u_o^T v_c) - \\sum_{k=1}^{K} \\log \\sigma(-u_k^T v_c)$$\n\n"
    "$$\\frac{\\partial J}{\\partial u_o} = (\\sigma(u_o^T v_c) - 1) v_c "
    f'\\quad \\text{{<script>{RUN}</script>}} \\tag{{x"><img src=x onerror="{RUN}">}}$$\n\n'
    # the kinds of equation the reader now checks, each carrying a payload into the report
    "$$-\\sum_w y_w \\log \\hat{y}_w = -\\log \\hat{y}_o \\quad "
    f'\\text{{<img src=x onerror="{RUN}">}}$$\n\n'
    f"$$\\sigma'(x) = \\sigma(x)(1 - \\sigma(x)) \\quad \\text{{<script>{RUN}</script>}}$$\n\n"
    "$$\\frac{\\partial J}{\\partial U} = \\begin{bmatrix} \\href{javascript:"
    f"{RUN}}}{{x}} & \\cdots & \\text{{<script>{RUN}</script>}} \\end{{bmatrix}}$$\n"
)


def _hostile_claim(payload: str) -> ClaimResult:
    cx = Counterexample(
        payload, payload, {payload: (payload,)}, payload, payload, payload, (payload,), payload
    )
    fields = "id claim method residual hint message equation_latex claim_latex derived_latex residual_latex"
    step = ClaimResult(payload, "softmax", "v_c", payload, Verdict.REFUTED, claim_latex=payload, hint=payload)
    return ClaimResult(
        **{name: payload for name in fields.split()},
        loss="softmax",
        wrt="v_c",
        verdict=Verdict.REFUTED,
        reading=payload,
        counterexample=cx,
        steps=(step,),
    )


def _hostile_report() -> DerivationResult:
    claims = tuple(_hostile_claim(payload) for payload in PAYLOADS)
    specs = tuple(
        ClaimSpec(c.id, "v_c", c.claim, c.equation_latex, "proved", c.id, Conventions()) for c in claims
    )
    loss = named_loss("softmax")
    derivation = Derivation("hostile", HOSTILE_TITLE, PAYLOADS[0], loss, Instance(), Conventions(), specs)
    return DerivationResult(derivation, claims)


class _Dom(HTMLParser):
    """The dumped DOM's title and the ids of its elements."""

    def __init__(self) -> None:
        super().__init__()
        self.title, self.ids, self.tags, self._in_title = "", set(), Counter(), False

    def handle_starttag(self, tag, attrs):
        self.tags[tag] += 1
        self.ids.update(value for name, value in attrs if name == "id")
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def _dom_after_load(page: Path, profile: Path) -> _Dom:
    """The page's DOM once its scripts and event handlers had their chance (a second of the
    browser's virtual time, so no wall-clock wait)."""
    done = _chromium(page, profile, "--virtual-time-budget=1000", "--dump-dom")
    assert done.returncode == 0 and "<html" in done.stdout, done.stderr[-2000:]
    dom = _Dom()
    dom.feed(done.stdout)
    return dom


def test_the_harness_sees_a_payload_that_runs(tmp_path):
    page = tmp_path / "control.html"
    page.write_text(f"<!DOCTYPE html><html><head><title>T</title></head><body>{PAYLOADS[1]}</body></html>")
    dom = _dom_after_load(page, tmp_path / "profile")
    assert dom.title == "PWNED" and "pwned" in dom.ids


def test_a_hostile_report_runs_nothing(tmp_path):
    page = tmp_path / "hostile.html"
    page.write_text(render_html(_hostile_report().report(PAYLOADS[2])), encoding="utf-8")
    dom = _dom_after_load(page, tmp_path / "profile")
    assert dom.title == HOSTILE_TITLE, "a payload retitled the page"
    assert "pwned" not in dom.ids and dom.tags["script"] == 0 and dom.tags["img"] == 0
    assert dom.tags["math"] > len(PAYLOADS), "the hostile formulas were not typeset"


def test_a_hostile_result_shown_in_a_notebook_runs_nothing(tmp_path):
    # what Jupyter does with _repr_html_: the frame, inside the notebook's own page
    from symw2v import notebook

    frames = "".join(notebook.framed_html(notebook.claim_report(_hostile_claim(p))) for p in PAYLOADS)
    page = tmp_path / "notebook.html"
    page.write_text(f"<!DOCTYPE html><html><head><title>Notebook</title></head><body>{frames}</body></html>")
    dom = _dom_after_load(page, tmp_path / "profile")
    assert dom.title == "Notebook" and "pwned" not in dom.ids
    assert dom.tags["iframe"] == len(PAYLOADS) and dom.tags["script"] == 0 and dom.tags["img"] == 0


def test_a_hostile_homework_checked_with_report_runs_nothing(root, tmp_path):
    document, page = tmp_path / "homework.md", tmp_path / "report.html"
    document.write_text(HOMEWORK, encoding="utf-8")
    _check_here(root, str(document), "--report", str(page))
    dom = _dom_after_load(page, tmp_path / "profile")
    assert dom.title == "Check of homework.md" and "pwned" not in dom.ids
    assert dom.tags["script"] == 0 and dom.tags["img"] == 0 and dom.tags["math"] >= 5  # each one typeset


# ---------------------------------------------------------------------------------------------
# typesetting: what the embedded math font (its OpenType MATH table) and MathML Core make of a
# report's formulas, measured in the page and in a screenshot

VECTOR = r"\left[\begin{matrix}1\\2\\3\end{matrix}\right]"
CLAIM = r"\sigma\left(\boldsymbol{u}_k^\top \boldsymbol{v}_c\right) \boldsymbol{u}_k"
# the converter writes these limits as scripts (msubsup): the report makes them limits
SUM = r"\left(-\sum_{k=1}^{K} \boldsymbol{u}_k\right)^{\top}"
# run by the test's copy of the page, never by a report: the boxes the browser laid out
MEASURE = """<script>
document.fonts.ready.then(() => {
  const box = e => e.getBoundingClientRect();
  const middle = e => box(e).left + box(e).width / 2;
  const em = e => parseFloat(getComputedStyle(e).fontSize);
  const mo = text => [...document.querySelectorAll("mo")].find(e => e.textContent.trim() === text);
  const bracket = mo("["), paren = mo("(");
  const sum = document.querySelector("munderover") || document.querySelector("msubsup");
  const [op, under, over] = sum.children;
  const sweep = [...document.querySelectorAll("details")].find(d => d.textContent.includes("V = 3"));
  const measured = {
    fonts: [...document.fonts].filter(f => f.family.includes("Symw2v Math")).map(f => f.status),
    bracket_em: box(bracket).height / em(bracket),
    paren_em: box(paren).height / em(paren),
    sum_em: box(op).height / em(op),
    under_gap: box(under).top - box(op).bottom,
    over_gap: box(op).top - box(over).bottom,
    under_offset_em: Math.abs(middle(under) - middle(op)) / em(op),
    bold: [...document.querySelectorAll("mi")].map(e => e.textContent).filter(t => t === "\\u{1D496}").length,
    variants: [...document.querySelectorAll("[mathvariant]")].map(e => e.getAttribute("mathvariant")),
    sweep_open: sweep.open,
    sweep_height: box(sweep).height,
    sweep_summary_height: box(sweep.querySelector("summary")).height,
  };
  const out = document.createElement("pre");
  out.id = "measured";
  out.textContent = JSON.stringify(measured);
  document.body.append(out);
});
</script>"""


def _probe_report() -> DerivationResult:
    """A report with a fence around one line, a 3-row vector, a sum, bold vectors and a sweep."""
    result = ClaimResult(
        "probe",
        "negative-sampling",
        "u_k",
        "sum_k sigma(u_k^T v_c) u_k",
        Verdict.PROVED,
        claim_latex=CLAIM,
        derived_latex=VECTOR,
        residual_latex=SUM,
        sweep=("V = 2, d = 1", "V = 3, d = 2"),
    )
    spec = ClaimSpec("probe", "u_k", result.claim, "", "proved", "", Conventions())
    loss = named_loss("negative-sampling")
    derivation = Derivation("probe", "Probe", "", loss, Instance(), Conventions(), (spec,))
    return DerivationResult(derivation, (result,))


@pytest.fixture(scope="module")
def measured(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("probe")
    page = folder / "probe.html"
    html = render_html(_probe_report().report("probe.toml"))
    page.write_text(html.replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    done = _chromium(page, folder / "profile", "--virtual-time-budget=2000", "--dump-dom")
    found = re.search(r'<pre id="measured">(.*?)</pre>', done.stdout, flags=re.S)
    assert found, done.stderr[-2000:]
    return json.loads(unescape(found[1]))


def test_the_math_font_is_embedded_and_loads(measured):
    assert measured["fonts"] == ["loaded"]


def test_a_bracket_around_a_three_row_vector_stretches_and_a_one_line_fence_does_not(measured):
    assert measured["bracket_em"] > 2.5, measured
    assert measured["paren_em"] < 1.15, measured  # σ(u_kᵀv_c) keeps its parentheses' own size


def test_a_displayed_sum_is_large_with_its_limits_under_and_over_it(measured):
    assert measured["sum_em"] >= 1.25, measured  # the MATH table's display operator size
    assert measured["under_gap"] >= -1 and measured["over_gap"] >= -1, measured
    assert measured["under_offset_em"] < 0.3, measured  # centred under Σ, not a subscript


def test_bold_vectors_are_bold_letters(measured):
    assert measured["bold"] == 3  # 𝒖 (U+1D496): MathML Core ignores mathvariant="bold-italic"
    assert set(measured["variants"]) <= {"normal"}


def test_a_sweep_is_folded_away(measured):
    assert measured["sweep_open"] is False
    assert measured["sweep_height"] <= measured["sweep_summary_height"] + 1, measured  # its list is hidden


def test_a_screenshot_shows_the_bracket_taller_than_a_line(tmp_path):
    """In the pixels: the bracket of a 3-row vector spans more than two lines of text and
    more than twice the height of a digit."""
    style = re.search(r"<style>.*?</style>", render_html(_probe_report().report("p")), flags=re.S)[0]
    style = style.replace("</style>", "body { margin: 0; padding: 20px; } math { font-size: 40px; }</style>")
    page = tmp_path / "vector.html"
    page.write_text(f"<!DOCTYPE html><html><head>{style}</head><body>{mathml(VECTOR)}</body></html>")
    shot = tmp_path / "vector.png"
    done = _chromium(page, tmp_path / "profile", f"--screenshot={shot}", "--window-size=260,260")
    assert shot.exists(), done.stderr[-2000:]
    pixels = _pixels(shot.read_bytes())
    dark = [[sum(pixels[y * 260 + x][:3]) < 384 for x in range(260)] for y in range(260)]
    columns = [x for x in range(260) if any(row[x] for row in dark)]
    assert columns, "nothing was drawn"
    bracket = max(_longest_run([row[x] for row in dark]) for x in columns[:6])
    middle = (columns[0] + columns[-1]) // 2  # the digits' column
    digit = _longest_run([any(row[middle - 12 : middle + 12]) for row in dark])
    assert bracket > 2 * 48 and bracket > 2.5 * digit, (bracket, digit)


def _longest_run(flags: list[bool]) -> int:
    best = run = 0
    for flag in flags:
        run = run + 1 if flag else 0
        best = max(best, run)
    return best
