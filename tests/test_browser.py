"""The HTML reports in a real browser: headless Chromium typesets every formula (MathML, no
script, no network), no raw LaTeX is left in the page, and the page is not blank.

Skipped where no Chromium is installed; ``.ci/run`` installs it.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
import zlib
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

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


@pytest.fixture(scope="module")
def pages(root, tmp_path_factory) -> dict[str, Path]:
    """The committed reports, and a fresh report of the example homework document."""
    folder = tmp_path_factory.mktemp("reports")
    document = folder / "reference_derivation.html"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "symw2v",
            "check",
            "examples/reference_derivation.md",
            "--report",
            str(document),
        ],
        cwd=root,
        capture_output=True,
        timeout=300,
    )
    assert document.exists(), "symw2v check --report wrote no report"
    found = {path.name: path for path in sorted((root / "reports").glob("*.html"))}
    return {**found, document.name: document}


PAGES = ["softmax.html", "negative_sampling.html", "reference_derivation.html"]


@pytest.mark.parametrize("name", PAGES)
def test_the_math_is_typeset_and_no_latex_is_left(name, pages, tmp_path):
    done = _chromium(pages[name], tmp_path / "profile", "--dump-dom")
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
def test_the_page_is_not_blank(name, pages, tmp_path):
    shot = tmp_path / "shot.png"
    done = _chromium(pages[name], tmp_path / "profile", f"--screenshot={shot}", "--window-size=800,1000")
    assert shot.exists(), done.stderr[-2000:]
    pixels = _pixels(shot.read_bytes())
    colours = Counter(pixels)
    background, count = colours.most_common(1)[0]
    assert len(colours) > 2, "the screenshot has at most two colours"
    assert count < 0.99 * len(pixels), "the screenshot is (almost) all one colour"
