"""The mathematical letters a mathvariant names."""

from __future__ import annotations

import pytest

from symw2v.alphabets import styled


@pytest.mark.parametrize(
    ("text", "variant", "letters"),
    [
        ("u", "bold-italic", "𝒖"),
        ("v_c", "bold-italic", "𝒗_𝒄"),
        ("U", "bold", "𝐔"),
        ("12", "bold", "𝟏𝟐"),
        ("θ", "bold-italic", "𝜽"),
        ("Σ", "bold", "𝚺"),
        ("h", "italic", "ℎ"),  # encoded before the block, its place there is empty
        ("R", "double-struck", "ℝ"),
        ("L", "script", "ℒ"),
        ("x", "monospace", "𝚡"),
    ],
)
def test_letters_digits_and_greek_take_the_variant(text, variant, letters):
    assert styled(text, variant) == letters


def test_other_characters_and_unknown_variants_are_kept():
    assert styled("+(−)", "bold") == "+(−)"
    assert styled("u", "normal") == "u" and styled("u", "no-such-variant") == "u"
    assert styled("é", "bold") == "é"
