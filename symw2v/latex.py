"""LaTeX as people write it, made ready for the claim grammar without moving any character.

Fonts (``\\boldsymbol{u}``, ``\\mathbf{u}``, ``\\pmb u``, ``\\vec{u}``), sizing (``\\left``,
``\\Big``) and spacing (``\\,``, ``\\quad``) carry no meaning here: they are blanked out, and
what they wrap is kept in place, so an error position in the result is a position in the text
the student wrote.  Everything else is left to the grammar; an unknown command is an error.
"""

from __future__ import annotations

import re

from symw2v.errors import ClaimParseError

_FONTS = r"boldsymbol|mathbf|bm|pmb|vec|mathbold|mathit|mathrm|mathsf|textbf|mathnormal|mathcal|mathscr"
# a font or a text box around a group keeps the group: \bm{\hat{y}}, \text{Vocab}
_WRAPPERS = re.compile(rf"\\(?:{_FONTS}|text|textrm|textit|mbox|operatorname)\s*\{{")
_SIZES = r"left|right|bigl|bigr|Bigl|Bigr|biggl|biggr|Biggl|Biggr|big|Big|bigg|Bigg|middle"
_TEXT_SIZES = r"normalsize|large|Large|LARGE|small|footnotesize|scriptsize|tiny|huge|Huge"

# (pattern, the group kept); everything else the pattern matched becomes spaces
_BLANKED = (
    (re.compile(rf"\\(?:{_FONTS})\s*\{{\s*([A-Za-z])\s*\}}"), 1),
    (re.compile(rf"\\(?:{_FONTS})\s+([A-Za-z])(?![A-Za-z])"), 1),
    (re.compile(r"\\(?:operatorname|text|mathrm)\s*\{\s*(softmax|exp|log|sigma)\s*\}"), 1),
    (re.compile(rf"\\(?:{_SIZES})(?![A-Za-z])"), None),
    (re.compile(r"\\(?:quad|qquad|displaystyle|textstyle|limits|nolimits)(?![A-Za-z])"), None),
    (re.compile(rf"\\(?:{_TEXT_SIZES})(?![A-Za-z])"), None),
    (re.compile(r"\^\s*\{\s*\}"), None),  # an empty superscript: \sum_{w \in V}^{}
    (re.compile(r"\\[,;:! ]|~|&"), None),
)

# the commands that write a fraction (the grammar's FRAC token spells the same four)
FRACTIONS = ("\\frac", "\\dfrac", "\\tfrac", "\\cfrac")
FRACTION = r"\\[cdt]?frac"  # any of them, in a regular expression

KNOWN_COMMANDS = frozenset(
    "sigma exp log ln sum Sigma hat widehat tilde widetilde cdot times ast top intercal in isin "
    "mid ldots dots cdots and land wedge delta max alpha le leq ne neq partial".split()
    + [fraction[1:] for fraction in FRACTIONS]
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


# the second line of a sum's range stacked with \atop (\sum_{-m \le j \le m \atop j \ne 0}), or
# joined with \& ("and"): one condition, as a comma joins it
_AND = re.compile(r"\\atop(?![A-Za-z])|\\&")


# a set's name spelled letter by letter, as text recognisers write it: \sum_{w \in V o c a b}
_SPACED = re.compile(r"((?:\\in|\\isin|∈)\s*)((?:[A-Za-z]\s+){2,}[A-Za-z])(?=\s*\})")


def blank(text: str) -> str:
    """``text`` with fonts, sizes and spacing blanked out; same length, same positions."""
    # first what the blanking below would break: a matrix's &, an indicator's bold 1, a
    # substack's line break, a range's \atop and \&
    text = _matrices(text)
    text = _INDICATOR.sub(lambda m: INDICATOR + " " * (len(m.group(0)) - 1), text)
    text = _unstack(text)
    text = _AND.sub(lambda m: ",".ljust(len(m.group(0))), text)
    text = _SPACED.sub(lambda m: m.group(1) + re.sub(r"\s+", "", m.group(2)).ljust(len(m.group(2))), text)
    text = _unwrap(text)
    for pattern, keep in _BLANKED:
        text = pattern.sub(lambda m, keep=keep: _blank(m, keep), text)
    return text.replace("\\{", " {").replace("\\}", " }")


def _unwrap(text: str) -> str:
    """Fonts and text boxes around a group blanked out, the group kept: ``\\bm{\\hat{y}_w}``."""
    start = 0
    while (match := _WRAPPERS.search(text, start)) is not None:
        close = _closing(text, match.end())
        if close is None:  # unclosed: the grammar says where
            return text
        text = (
            text[: match.start()]
            + " " * (match.end() - match.start())
            + text[match.end() : close]
            + " "
            + text[close + 1 :]
        )
        start = match.start()
    return text


def _closing(text: str, after: int) -> int | None:
    """The position of the brace that closes the group opened just before ``after``."""
    depth = 1
    for position in range(after, len(text)):
        depth += {"{": 1, "}": -1}.get(text[position], 0)
        if depth == 0:
            return position
    return None


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


# a block matrix of one row, \begin{bmatrix} a_1 & \cdots & a_V \end{bmatrix}: the grammar's [a_1, …]
_MATRIX = re.compile(r"\\begin\s*\{([bpvBV]?matrix)\}(.*?)\\end\s*\{\1\}", re.S)


def _matrices(text: str) -> str:
    """Each matrix environment as brackets around its entries separated by commas, in place."""

    def row(match: re.Match) -> str:
        inside = match.group(2)
        if "\\\\" in inside:
            where = match.start(2) + inside.index("\\\\")
            raise ClaimParseError(
                "a block matrix here is one row of columns; \\\\ starts a second row", text, where
            )
        opening = match.start(2) - match.start()
        closing = len(match.group(0)) - (match.end(2) - match.start())
        return "[".ljust(opening) + inside.replace("&", ",") + "]".ljust(closing)

    return _MATRIX.sub(row, text)


# a vector of ones: \mathbf{1} (not an indicator's bold 1, which a condition follows), 1_{K+1}
_ONES = re.compile(
    r"\\(?:mathbf|boldsymbol|bm|vec)\s*\{\s*1\s*\}(?:\s*_\s*\{\s*K\s*\+\s*1\s*\})?(?!\s*(?:\[|\\\{|_))"
    r"|(?<![\w.])1\s*_\s*\{\s*K\s*\+\s*1\s*\}"
)
# the negatives' matrix U_{o,\{w_1,\dots,w_K\}}, or U_{o,w} for short
_STACKED = re.compile(
    r"(?:\\(?:boldsymbol|mathbf|bm|pmb)\s*\{\s*U\s*\}|(?<![A-Za-z\\])U)\s*_\s*\{\s*o\s*,\s*(?:w|\{\s*w\s*\}|(?:\\?\{)\s*w_\{?1\}?\s*,\s*"
    r"(?:\.\.\.|…|\\ldots|\\cdots|\\dots)\s*,\s*w_\{?K\}?\s*\\?\})\s*\}"
)


def spelled_objects(text: str, ones: str, stacked: str) -> str:
    """The ones vector and the negatives' matrix as the names ``ones`` and ``stacked`` the
    grammar reads, in place (padded: positions stay true); before ``normalize``."""
    text = _ONES.sub(lambda m: ones.ljust(len(m.group(0))), text)
    return _STACKED.sub(lambda m: stacked.ljust(len(m.group(0))), text)


# ∂J(v_c, w_{t+j}, U)/∂U: the gradient of a window loss's single-word loss at another outside
# word is a quantity of its own, not a restatement of the claim's derivative
_BASE_DERIVATIVE = re.compile(
    FRACTION + r"\s*\{\s*\\partial\s*J\s*\([^()]*\)\s*\}\s*\{\s*\\partial(?:[^{}]|\{[^{}]*\})*\}"
    # slashed: \partial J(v_c, w_{t+j}, U)/\partial U
    r"|\\partial\s*J\s*\([^()]*\)\s*/\s*\\partial\s*[A-Za-z](?:\s*_\s*(?:\{[^{}]*\}|[A-Za-z]))?"
)


def normalize(text: str) -> str:
    """``blank(text)``, refusing any command the claim language does not have."""
    text = blank(text)
    allowed = [m.span() for m in _BASE_DERIVATIVE.finditer(text)]
    for match in _COMMAND.finditer(text):
        if match.group(1) == "partial" and any(start <= match.start() < end for start, end in allowed):
            continue
        if match.group(1) == "partial":  # [∂J/∂u_1, …]: the definition of ∂J/∂U, not a closed form
            raise ClaimParseError(
                "a derivative inside a claim restates what is claimed about; write its closed form "
                "(for ∂J/∂U as columns: [(yhat_1 - y_1) v_c, ..., (yhat_V - y_V) v_c])",
                text,
                match.start(),
            )
        if match.group(1) not in KNOWN_COMMANDS:
            raise ClaimParseError(
                f"the LaTeX command {match.group(0)!r} is not part of the claim language",
                text,
                match.start(),
            )
    return text


# P(O=o|C=c), P(w|c): the probability of a word, as the handout writes ŷ's components
_PROBABILITY = re.compile(r"\bP\s*\(\s*(?:O\s*=\s*)?([A-Za-z])\s*(?:\||\\mid)\s*(?:C\s*=\s*)?c\s*\)")
# a subscript that states the case the answer is for: ŷ_{w≠o}, \hat{y}_{w = o}
# (not a sum's: \sum_{w \neq o} runs over the words other than o)
_CASE_SUBSCRIPT = re.compile(
    r"(?<!sum)(?<!Sigma)(?<![Σ∑])_\{\s*([A-Za-z])\s*(\\neq|\\ne(?![A-Za-z])|≠|!=|=)\s*o\s*\}"
)


def probabilities(text: str) -> str:
    """``P(O=o|C=c)`` as ``ŷ_o``, in place (the same length: positions stay true)."""
    return _PROBABILITY.sub(lambda m: f"ŷ_{m.group(1)}".ljust(len(m.group(0))), text)


def subscript_cases(text: str) -> tuple[str, list[str]]:
    """``text`` with each case subscript reduced to its index (``_{w≠o}`` to ``_{w   }``), and
    the cases they state ("w != o", "w = o")."""
    cases = []

    def index(match: re.Match) -> str:
        relation = "=" if match.group(2) == "=" else "!="
        cases.append(f"{match.group(1)} {relation} o")
        return f"_{{{match.group(1)}".ljust(len(match.group(0)) - 1) + "}"

    return _CASE_SUBSCRIPT.sub(index, text), cases


def looks_like_latex(text: str) -> bool:
    """Text with a backslash command is LaTeX; the plain syntax has none."""
    return "\\" in text


_PIECES = re.compile(r"\\begin\s*\{(cases|array|aligned)\}(?:\s*\{[^{}]*\})?(.*)\\end\s*\{\1\}", re.S)
# < and > as the commands that spell them where a bare < would be HTML: x \lt 0
_RELATIONS = re.compile(r"\\(lt|gt)(?![A-Za-z])")
_FENCES = re.compile(r"\\left\s*(?:\\\{|\[|\(|\.)|\\right\s*(?:\\\}|\]|\)|\.)|\s")
_CONDITION_WORDS = re.compile(
    r"\\(?:text|mbox|textrm|mathrm)\s*\{\s*(?:if|for|when)?\s*\}|\b(?:if|for|when)\b|,"
)
_OTHERWISE = re.compile(r"\\(?:text|mbox)\s*\{\s*(otherwise|else)\s*\}|\b(otherwise|else)\b")


def case_pieces(text: str) -> list[tuple[str, str]] | None:
    """An answer by cases (``\\begin{cases} A & w \\neq o \\\\ B & w = o \\end{cases}``, or an
    ``array`` of such rows): ``[(A, "w \\neq o"), (B, "w = o")]``; an "otherwise" row gets the
    other case.  None when ``text`` is not an answer by cases alone."""
    match = _PIECES.search(text)
    if match is None or _FENCES.sub("", text[: match.start()] + text[match.end() :]):
        return None
    rows = [row for row in _split_top(match.group(2), "\\\\") if row.strip()]
    pieces = []
    for row in rows:
        cells = _split_top(row, "&")
        if len(cells) > 2:  # aligned: &0 && \text{if } x < 0, its empty cells only align
            cells = [cell for cell in cells if cell.strip()]
        marker = _CONDITION_WORDS.search(row) if len(cells) == 1 else None
        if marker is not None:  # no &: the condition follows "if" (\text{ if } w = o)
            cells = [row[: marker.start()], row[marker.start() :]]
        if len(cells) != 2:
            return None
        expression, condition = cells
        otherwise = bool(_OTHERWISE.search(condition))
        condition = _RELATIONS.sub(lambda m: " <" if m.group(1) == "lt" else " >", condition)
        pieces.append((expression.strip(), "" if otherwise else _CONDITION_WORDS.sub(" ", condition).strip()))
    stated = [c for _, c in pieces if c]
    if len(stated) == 1 and len(pieces) == 2:  # the otherwise row: the other case of two
        other = _OTHER_SIDE.sub(lambda m: _OTHER[m.group(0)], stated[0], count=1)
        pieces = [(e, c or other) for e, c in pieces]
    return pieces if pieces and all(c for _, c in pieces) else None


# the relation of a case and the one of the other case: w ≠ o and w = o, x > 0 and x < 0
_OTHER = {"\\neq": "=", "\\ne": "=", "≠": "=", "!=": "=", "=": "\\neq", ">": "<", "<": ">"}
_OTHER |= {"\\geq": "<", "\\ge": "<", "≥": "<", "\\leq": ">", "\\le": ">", "≤": ">"}
_OTHER_SIDE = re.compile("|".join(re.escape(k) for k in sorted(_OTHER, key=len, reverse=True)))


def _split_top(text: str, separator: str) -> list[str]:
    """``text`` split at ``separator`` outside every brace group."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(text):
        char = text[i]
        if char == "\\" and not text.startswith(separator, i):
            i += 2  # an escaped character (\{ …) is not a brace
            continue
        if char in "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif depth == 0 and text.startswith(separator, i):
            parts.append(text[start:i])
            i += len(separator)
            start = i
            continue
        i += 1
    parts.append(text[start:])
    return parts
