"""Mathematical alphanumeric symbols: the character a MathML ``mathvariant`` names.

MathML Core (what Chromium implements) ignores every ``mathvariant`` but ``normal``: a bold
vector ``<mi mathvariant="bold-italic">u</mi>`` shows as a plain italic u.  The letter itself
has to be the styled one, U+1D496 𝒖, which every browser shows and the report's math font has.
"""

from __future__ import annotations

# variant -> (first code point of A..Z, of a..z, of 0..9 or None, of Α..Ω or None, of α..ω or None)
_BLOCKS = {
    "bold": (0x1D400, 0x1D41A, 0x1D7CE, 0x1D6A8, 0x1D6C2),
    "italic": (0x1D434, 0x1D44E, None, 0x1D6E2, 0x1D6FC),
    "bold-italic": (0x1D468, 0x1D482, 0x1D7CE, 0x1D71C, 0x1D736),
    "script": (0x1D49C, 0x1D4B6, None, None, None),
    "bold-script": (0x1D4D0, 0x1D4EA, None, None, None),
    "fraktur": (0x1D504, 0x1D51E, None, None, None),
    "bold-fraktur": (0x1D56C, 0x1D586, None, None, None),
    "double-struck": (0x1D538, 0x1D552, 0x1D7D8, None, None),
    "sans-serif": (0x1D5A0, 0x1D5BA, 0x1D7E2, None, None),
    "bold-sans-serif": (0x1D5D4, 0x1D5EE, 0x1D7EC, 0x1D756, 0x1D770),
    "sans-serif-italic": (0x1D608, 0x1D622, None, None, None),
    "sans-serif-bold-italic": (0x1D63C, 0x1D656, 0x1D7EC, 0x1D790, 0x1D7AA),
    "monospace": (0x1D670, 0x1D68A, 0x1D7F6, None, None),
}

# letters Unicode had encoded before the block (the block leaves their places empty)
_EXCEPTIONS = {
    ("italic", "h"): "ℎ",
    **{("script", k): v for k, v in zip("BEFHILMRego", "ℬℰℱℋℐℒℳℛℯℊℴ", strict=True)},
    **{("fraktur", k): v for k, v in zip("CHIRZ", "ℭℌℑℜℨ", strict=True)},
    **{("double-struck", k): v for k, v in zip("CHNPQRZ", "ℂℍℕℙℚℝℤ", strict=True)},
}

_RANGES = (("A", "Z"), ("a", "z"), ("0", "9"), ("Α", "Ω"), ("α", "ω"))


def styled(text: str, variant: str) -> str:
    """``text`` with each Latin letter, digit and Greek letter replaced by the mathematical
    symbol of ``variant`` (``bold-italic``: u → 𝒖); other characters, and every character of
    an unknown variant (``normal``), are kept."""
    blocks = _BLOCKS.get(variant)
    if blocks is None:
        return text
    return "".join(_styled_char(c, variant, blocks) for c in text)


def _styled_char(char: str, variant: str, blocks: tuple) -> str:
    if (variant, char) in _EXCEPTIONS:
        return _EXCEPTIONS[(variant, char)]
    for (first, last), start in zip(_RANGES, blocks, strict=True):
        # U+03A2 has no capital (final sigma is lower case only): its slot in the blocks is ϴ
        if start is not None and first <= char <= last and char != "\u03a2":
            return chr(start + ord(char) - ord(first))
    return char
