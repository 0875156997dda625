"""LaTeX as people write it, made ready for the claim grammar without moving any character.

Fonts (``\\boldsymbol{u}``, ``\\mathbf{u}``, ``\\pmb u``, ``\\vec{u}``), sizing (``\\left``,
``\\Big``) and spacing (``\\,``, ``\\quad``) carry no meaning here: they are blanked out, and
what they wrap is kept in place, so an error position in the result is a position in the text
the student wrote.  Everything else is left to the grammar; an unknown command is an error.
"""

from __future__ import annotations

import re

from symw2v.errors import ClaimParseError

_FONTS = r"boldsymbol|mathbf|bm|pmb|vec|mathbold|mathit|mathrm|mathsf|textbf|mathnormal"
_SIZES = r"left|right|bigl|bigr|Bigl|Bigr|biggl|biggr|Biggl|Biggr|big|Big|bigg|Bigg|middle"

# (pattern, the group kept); everything else the pattern matched becomes spaces
_BLANKED = (
    (re.compile(rf"\\(?:{_FONTS})\s*\{{\s*([A-Za-z])\s*\}}"), 1),
    (re.compile(rf"\\(?:{_FONTS})\s+([A-Za-z])(?![A-Za-z])"), 1),
    (re.compile(r"\\(?:operatorname|text|mathrm)\s*\{\s*(softmax|exp|log|sigma)\s*\}"), 1),
    (re.compile(rf"\\(?:{_SIZES})(?![A-Za-z])"), None),
    (re.compile(r"\\(?:quad|qquad|displaystyle|textstyle|limits|nolimits)(?![A-Za-z])"), None),
    (re.compile(r"\\[,;:! ]|~|&"), None),
)

KNOWN_COMMANDS = frozenset(
    "sigma exp log ln sum frac dfrac tfrac hat widehat cdot times ast top intercal".split()
)
_COMMAND = re.compile(r"\\([A-Za-z]+|.)")


def _blank(match: re.Match, keep: int | None) -> str:
    text = match.group(0)
    if keep is None:
        return " " * len(text)
    start, end = match.start(keep) - match.start(), match.end(keep) - match.start()
    return " " * start + text[start:end] + " " * (len(text) - end)


# an indicator written as a bold or blackboard 1 (or I), before [..], \{..\} or _{..}
_INDICATOR = re.compile(
    r"\\(?:mathbb|mathbf|textbf|mathds|mathbbm|boldsymbol|bm)\s*\{\s*[1I]\s*\}(?=\s*(?:\[|\\\{|_))"
)
INDICATOR = "𝟙"
_SUBSTACK = re.compile(r"\\substack\s*\{")


def blank(text: str) -> str:
    """``text`` with fonts, sizes and spacing blanked out; same length, same positions."""
    # first what the blanking below would break: an indicator's bold 1, a substack's line break
    text = _INDICATOR.sub(lambda m: INDICATOR + " " * (len(m.group(0)) - 1), text)
    text = _unstack(text)
    for pattern, keep in _BLANKED:
        text = pattern.sub(lambda m, keep=keep: _blank(m, keep), text)
    return text.replace("\\{", " {").replace("\\}", " }")


def _unstack(text: str) -> str:
    """``\\substack{k=1 \\\\ w_k = w_s}`` as ``k=1, w_k = w_s`` (its lines are one condition)."""
    while (match := _SUBSTACK.search(text)) is not None:
        depth, end = 1, match.end()
        while end < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[end], 0)
            end += 1
        if depth:  # unclosed: the grammar says where
            return text
        inside = text[match.end() : end - 1].replace("\\\\", ", ")
        text = text[: match.start()] + " " * (match.end() - match.start()) + inside + " " + text[end:]
    return text


def normalize(text: str) -> str:
    """``blank(text)``, refusing any command the claim language does not have."""
    text = blank(text)
    for match in _COMMAND.finditer(text):
        if match.group(1) not in KNOWN_COMMANDS:
            raise ClaimParseError(
                f"the LaTeX command {match.group(0)!r} is not part of the claim language",
                text,
                match.start(),
            )
    return text


def looks_like_latex(text: str) -> bool:
    """Text with a backslash command is LaTeX; the plain syntax has none."""
    return "\\" in text
