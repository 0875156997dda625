"""The case an answer is for, as a document says it: ``(w \\neq o)``, "when $w = o$", "Case 1:
w = o", ``\\text{if } w \\neq o``, and a section about negatives that repeat.  (An answer by
cases, ``\\begin{cases}``, is the claim language's: each piece says its own case.)

A case is a relation between a word's letter and the outside word o; the letter is whatever
the document uses (``k \\neq o``).  ``question.parse_case`` reads the case the checker takes
(``w != o``, ``w = o``, ``repeated negatives``); this module only finds one in a document's words.
"""

from __future__ import annotations

import re

from symw2v.world import OUTSIDE

NOT_EQUAL, EQUAL, REPEATED = "!=", "=", "repeated"
# a relation between a letter and o, in LaTeX, Unicode or plain text (`w != o`, `w \neq o`)
_RELATION = re.compile(
    r"(?<![A-Za-z\\])([A-Za-z])\s*(?:\}\s*)?(\\neq|\\ne(?![A-Za-z])|≠|!=|=)\s*(?:\{\s*)?([A-Za-z])(?![A-Za-z_])"
)
_WRAPPED = re.compile(r"\\(?:text|mbox|textrm|textbf|mathrm|mathbf|bm|boldsymbol)\s*\{([^{}]{0,200})\}")
# a section whose samples may repeat: the handout's "without the assumption that … distinct"
_REPEATS = re.compile(
    r"not\s+(?:necessarily\s+)?distinct|without\s+the\s+assumption|may\s+not\s+assume|repeated\s+(?:negative|sample|word)"
    r"|negatives?\s+(?:that\s+)?repeat|samples?\s+(?:that\s+)?repeat|w_\{?i\}?\s*=\s*w_\{?j\}?",
    re.IGNORECASE,
)


def relation(text: str) -> tuple[str, str] | None:
    """The one case ``text`` states, as (letter, "!=" or "="); None when it states none or
    several different ones ("two cases: w = o and w ≠ o")."""
    text = _WRAPPED.sub(r" \1 ", text)
    found = set()
    for match in _RELATION.finditer(text):
        left, sign, right = match.groups()
        if OUTSIDE not in (left, right) or left == right:
            continue
        letter = right if left == OUTSIDE else left
        found.add((letter, NOT_EQUAL if sign != "=" else EQUAL))
    return found.pop() if len(found) == 1 else None


def case_of(text: str) -> str:
    """``"w != o"`` or ``"w = o"`` (with the text's own letter) for the one case ``text`` states, else ""."""
    found = relation(text)
    return "" if found is None else f"{found[0]} {found[1]} {OUTSIDE}"


def repeats(text: str) -> bool:
    """Whether ``text`` says the sampled words may repeat."""
    return _REPEATS.search(text) is not None
