"""Make the math font the HTML reports embed: a subset of Latin Modern Math, renamed.

Chromium typesets MathML with the font's OpenType MATH table (stretchy brackets, display-size
sums, script placement); without such a font it falls back to approximations.  The subset keeps
the characters a report's formulas use and, through the MATH table, every size variant and
assembly part of its stretchy brackets and large operators.  Layout features (GSUB, GPOS) are
dropped: MathML Core does not use them and they double the size.

Run once by a maintainer, not at install time (it needs fontTools and brotli)::

    apt-get install fonts-lmodern && pip install fonttools brotli
    python tools/subset_math_font.py /usr/share/texmf/fonts/opentype/public/lm-math/latinmodern-math.otf

The GUST Font License asks that a derived font be renamed: the subset is "Symw2v Math".
"""

from __future__ import annotations

import argparse
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

OUT = Path(__file__).resolve().parent.parent / "symw2v" / "fonts" / "symw2v-math.woff2"
FAMILY = "Symw2v Math"

# (first, last) code points, both included
RANGES = [
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00A0),
    (0x00AC, 0x00AC),  # ¬
    (0x00AF, 0x00B1),  # macron, degree, ±
    (0x00B7, 0x00B7),  # ·
    (0x00D7, 0x00D7),  # ×
    (0x00F7, 0x00F7),  # ÷
    (0x02C6, 0x02C7),  # accents
    (0x02D8, 0x02DC),
    (0x0391, 0x03A9),  # Greek
    (0x03B1, 0x03C9),
    (0x03D1, 0x03D1),
    (0x03D5, 0x03D6),
    (0x03F0, 0x03F1),
    (0x03F5, 0x03F5),
    (0x2016, 0x2016),  # ‖
    (0x2026, 0x2026),  # …
    (0x2032, 0x2034),  # primes
    (0x2102, 0x2102),  # ℂ
    (0x210E, 0x210E),  # ℎ, the italic h
    (0x2113, 0x2113),  # ℓ
    (0x2115, 0x2115),  # ℕ
    (0x211A, 0x211A),  # ℚ
    (0x211D, 0x211D),  # ℝ
    (0x2124, 0x2124),  # ℤ
    (0x2190, 0x2195),  # arrows
    (0x21A6, 0x21A6),  # ↦
    (0x21D2, 0x21D4),  # ⇒ ⇔
    (0x2200, 0x222B),  # ∀ … ∫
    (0x2236, 0x2237),
    (0x223C, 0x223C),
    (0x2243, 0x2245),
    (0x2248, 0x2248),  # ≈
    (0x2260, 0x2265),  # ≠ ≡ ≤ ≥
    (0x226A, 0x226B),
    (0x2282, 0x2287),
    (0x2295, 0x2299),  # ⊕ ⊗ ⊙
    (0x22A4, 0x22A5),  # ⊤ ⊥
    (0x22C0, 0x22C5),  # n-ary ∧ ∨ ∩ ∪, ⋄ ⋅
    (0x22EE, 0x22F1),  # ⋮ ⋯ ⋰ ⋱
    (0x2308, 0x230B),  # ceilings, floors
    (0x27E8, 0x27E9),  # ⟨ ⟩
    (0x1D400, 0x1D49B),  # bold, italic, bold-italic Latin
    (0x1D6E2, 0x1D71B),  # italic Greek (Chromium italicises a one-letter <mi>)
    (0x1D736, 0x1D755),  # bold-italic small Greek (\boldsymbol{\theta})
    (0x1D7CE, 0x1D7D7),  # bold digits
]


def _rename(font: TTFont) -> None:
    """The family is renamed (the license asks it of derived fonts); the rest of the name
    table (copyright, license) is kept."""
    names = font["name"]
    postscript = FAMILY.replace(" ", "") + "-Regular"
    for record in names.names:
        if record.nameID in (1, 16):
            record.string = FAMILY
        elif record.nameID in (3, 4):
            record.string = f"{FAMILY} Regular"
        elif record.nameID == 6:
            record.string = postscript
    font["CFF "].cff.fontNames = [postscript]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="latinmodern-math.otf")
    parser.add_argument("-o", "--output", type=Path, default=OUT)
    args = parser.parse_args()
    options = subset.Options()
    options.layout_features = []  # MathML Core uses the MATH table, not GSUB/GPOS features
    options.flavor = "woff2"
    options.name_IDs = ["*"]
    options.drop_tables += ["FFTM"]
    font = subset.load_font(str(args.source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[c for first, last in RANGES for c in range(first, last + 1)])
    subsetter.subset(font)
    _rename(font)
    subset.save_font(font, str(args.output), options)
    print(f"wrote {args.output} ({args.output.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
