"""One row of a display, cut into what it says: a label, the sides of ``A = B = C``, a side
condition, or only a case (``(w \\neq o)``).

What carries no mathematics goes first: ``\\boxed{…}`` around an answer, a leading ``\\therefore``
or ``\\Rightarrow``, a label such as ``\\mbox{(i)}``, and a trailing condition written in words
(``\\text{for all } w \\neq o``, ``\\qquad (\\text{a row vector})``, ``\\in \\mathbb{R}^{d}``).  A
``\\text{…}`` inside the mathematics (``\\sum_{w \\in \\text{Vocab}}``) is not a condition: only one
at the top level that holds a word is.  Every scan here is linear in the row's length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from symw2v.latex import FRACTION
from symw2v.reader import cases
from symw2v.reader.derivative import derivative, group, is_derivative

_BOXED = re.compile(r"\\(?:boxed|fbox|bbox)\s*(?=\{)")
_LEADING = re.compile(
    r"\s*(?:\\(?:therefore|because|Rightarrow|implies|Longrightarrow|rightarrow|to|iff|hence)(?![A-Za-z])"
    r"|\\text\s*\{\s*(?:so|thus|hence|then|therefore)\s*,?\s*\})\s*"
)
_LABEL = re.compile(
    r"\s*(?:\\(?:text|mbox|textbf|textrm|mathrm|textit)\s*\{\s*(\(?[a-z0-9]{1,5}[.)])\s*\}"
    r"|(\((?:[ivx]{1,5}|[a-h])\)))\s*"
)
_WORDED_COMMANDS = frozenset(("text", "mbox", "textrm", "textnormal", "hbox", "textit", "textbf"))
_SPACING_COMMANDS = frozenset(("space", "quad", "qquad", " ", ";", ","))
_CONDITION_TOKENS = re.compile(
    r"\\begin\s*\{[A-Za-z]{1,20}\*?\}|\\end\s*\{[A-Za-z]{1,20}\*?\}|\\[{}]|[{}]|\\(?:in|forall)(?![A-Za-z])"
    r"|\\(?:text|mbox|textrm|textnormal|hbox|textit|textbf)(?![A-Za-z])"
    r"|\\(?:space|q?quad)(?![A-Za-z])|\\[ ;,]"
)
# a word after spacing: "\quad for all k", "\space where"
_BARE_WORD = re.compile(r"(?:\s|~|\\ )*([A-Za-z]{2,})(?![A-Za-z_^{(])")
# words the claim language reads as functions (``\text{softmax}(z)``): mathematics, not a condition
_FUNCTIONS = frozenset(("softmax", "exp", "log", "ln", "sigma"))
_WORD = re.compile(r"[A-Za-z]{2}|[^\x00-\x7f]")  # a word: two letters, or a letter of a script
_SPACES = ("\\qquad", "\\quad", "\\space", "\\,", "\\;", "\\:", "\\!", "\\ ", "~")
# words before a derivative ("Then \\space \\frac{\\partial J}{…}"), and a size command
_PROSE_BEFORE = re.compile(
    r"^\s*(?:\\(?:normalsize|large|Large|small|footnotesize|displaystyle)\s*)?"
    r"(?:[A-Za-z]{2,}[,:]?(?:\s|\\ |\\space|\\quad|~)+)*(?=(?:"
    + FRACTION
    + r"|\\partial|\\part|\\nabla)(?![A-Za-z]))"
)
# a case stated after an answer: "\quad (w \neq o)", ", w = o"; "(w \neq c)": another centre word
_STATED_CASE = re.compile(
    r"(?:,|\\q?quad|\\[,;: ]|\s)\s*\(?\s*(?:(?:when|if|for|where)(?:\s|\\ |~)+)?[A-Za-z]\s*"
    r"(?:(?:\\neq|\\ne|≠|!=|=)\s*o|(?:\\neq|\\ne|≠|!=)\s*c)\s*\)?\s*[.,;]?\s*$"
)
_SHORT = 120  # characters of a row that may state only a case
_ONLY_CASE = re.compile(
    r"^[\s(\[:,.]*(?:when|if|for|where|case\s*\d*\s*[:.-]?)?[\s:]*"
    r"[A-Za-z]\s*(?:\\neq|\\ne|≠|!=|=)\s*[A-Za-z][\s)\]:,.]*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Row:
    """A row cut up: its ``label`` ("(i)"), ``parts`` (the sides of its ``=``), the ``condition``
    written after it (words), and ``case_only``: the row states a case and nothing else."""

    label: str
    parts: tuple[str, ...]
    condition: str
    case_only: str = ""


def cut(latex: str) -> Row:
    """``latex`` (one row) cut into label, sides and condition."""
    text = _conclusion(unboxed(latex))
    text = _LEADING.sub("", text, count=1) if _LEADING.match(text) else text
    label = ""
    found = _LABEL.match(text)
    if found is not None:
        label = found.group(1) or found.group(2)
        text = text[found.end() :]
        text = _LEADING.sub("", text, count=1) if _LEADING.match(text) else text
    words = _unworded(text)
    text = _PROSE_BEFORE.sub("", text[: _SHORT * 3], count=1) + text[_SHORT * 3 :]
    if len(words) < _SHORT and _ONLY_CASE.match(words) and cases.case_of(words):
        return Row(label, (), "", cases.case_of(words))
    text, condition = condition_cut(text)
    return Row(label, tuple(split_equals(text)), condition)


def _conclusion(text: str) -> str:
    """What a row concludes: the text after its last ``\\Rightarrow`` (``\\implies``) outside
    every group, the premise before it being another statement (``y_w = … \\Rightarrow
    \\text{LHS} = …``); the whole row when it has none; the first premise when it has a derivative."""
    depth, before, after = 0, 0, None
    for match in _NESTING_OR_IMPLIES.finditer(text):
        token = match.group()
        if token.startswith("\\begin") or token == "{":
            depth += 1
        elif token.startswith("\\end") or token == "}":
            depth = max(0, depth - 1)
        elif token.startswith("\\") and depth == 0 and text[: match.start()].strip():
            before, after = before or match.start(), match.end()
    if after is None:
        return text
    premise, conclusion = text[:before], text[after:]
    if is_derivative(premise) or not conclusion.strip():
        # a premise that is an answer (∂J/∂x = … ⇒ …) is what the row says, and a conclusion
        # about the same derivative is one more step of its chain: neither goes unchecked
        return premise + _further_step(premise, conclusion)
    return conclusion


def _further_step(premise: str, conclusion: str) -> str:
    """`` = B`` when ``conclusion`` is ``∂J/∂x = B`` with the premise's own derivative, or a named
    side (``\text{LHS} = B``); nothing when it says something else (``y_w = 0``, words)."""
    sides = split_equals(conclusion)
    if len(sides) < 2:
        return ""
    left = sides[0]
    same = is_derivative(left) and derivative(left) == derivative(split_equals(premise)[0])
    if same or _NAMED_SIDE.fullmatch(left):
        return " = " + " = ".join(sides[1:])
    return ""


_NAMED_SIDE = re.compile(r"\\(?:text|mathrm|textrm)\s*\{\s*(?:LHS|RHS|L\.H\.S\.|R\.H\.S\.)\s*\}")


_NESTING_OR_IMPLIES = re.compile(
    r"\\begin\s*\{[A-Za-z]{1,20}\*?\}|\\end\s*\{[A-Za-z]{1,20}\*?\}|(?<!\\)[{}]"
    r"|\\(?:Rightarrow|implies|Longrightarrow)(?![A-Za-z])"
)


def unboxed(latex: str) -> str:
    """``latex`` with every ``\\boxed{X}`` written as ``X``."""
    pieces, position = [], 0
    for match in _BOXED.finditer(latex):
        if match.start() < position:
            continue
        inside = group(latex, match.end())
        if inside is None:
            continue
        pieces += [latex[position : match.start()], inside[0]]
        position = inside[1]
    pieces.append(latex[position:])
    return "".join(pieces)


def _unworded(text: str) -> str:
    """``text`` with ``\\text{…}`` written as its words (for reading a case from it)."""
    return re.sub(r"\\(?:text|mbox|textrm|textbf)\s*\{([^{}]{0,200})\}", r" \1 ", text)


def condition_cut(text: str) -> tuple[str, str]:
    """``text`` cut before its side condition, and the condition: from the first ``\\text{…}``
    (``\\mbox``…) at the top level that holds a word, or a top-level ``\\in``; the
    spacing, comma or opening parenthesis before it goes with it."""
    depth = 0
    cut_at = None
    for match in _CONDITION_TOKENS.finditer(text):
        token = match.group()
        if token.startswith("\\begin") or token == "{":
            depth += 1
        elif token.startswith("\\end") or token == "}":
            depth = max(0, depth - 1)
        elif depth == 0 and token.startswith(("\\in", "\\forall")):
            cut_at = match.start()
            break
        elif depth == 0 and token[1:] in _WORDED_COMMANDS and _a_condition(text, match.end()):
            cut_at = match.start()
            break
        elif depth == 0 and token[1:] in _SPACING_COMMANDS and _a_word_follows(text, match.end()):
            cut_at = match.end()
            break
    if cut_at is None:
        stated = _STATED_CASE.search(text[-_SHORT:])
        if stated is None:
            return text, ""
        cut_at = len(text) - len(text[-_SHORT:]) + stated.start()
    before = _without_spacing(text[:cut_at])
    while before.endswith((",", "(", ";")):
        before = _without_spacing(before[:-1])
    return before, text[cut_at:]


def _without_spacing(text: str) -> str:
    """``text`` without the spaces and spacing commands it ends with."""
    while True:
        if text.endswith("\\ ") and not text.endswith("\\\\ "):
            text = text[:-2]
        text = text.rstrip()
        spacing = next((s for s in _SPACES if text.endswith(s)), None)
        if spacing is None:
            return text
        text = text[: -len(spacing)]


def _a_condition(text: str, position: int) -> bool:
    """Whether the ``\\text`` argument at ``position`` is a condition: it holds a word, and no
    ``=`` follows it (``\\text{LHS} = …`` names a side)."""
    inside = group(text, _skip_space(text, position))
    if inside is None or text[_skip_space(text, inside[1]) : _skip_space(text, inside[1]) + 1] == "=":
        return False
    return _holds_a_word(text, position)


def _holds_a_word(text: str, position: int) -> bool:
    """Whether the ``\\text`` argument at ``position`` has a word in it (not a function's name)."""
    inside = group(text, _skip_space(text, position))
    if inside is None or inside[0].strip() in _FUNCTIONS:
        return False
    return _WORD.search(inside[0]) is not None


def _a_word_follows(text: str, position: int) -> bool:
    """Whether a word of prose (not a function's name) follows ``position``."""
    word = _BARE_WORD.match(text, position)
    return word is not None and word.group(1) not in _FUNCTIONS


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\n":
        position += 1
    return position


def split_equals(latex: str) -> list[str]:
    """The sides of a chain ``A = B = C``, split at ``=`` outside every bracket and every
    environment (the ``=`` of a ``cases``' conditions stays inside it)."""
    parts, depth, start = [], 0, 0
    for match in _NESTING.finditer(latex):
        token = match.group()
        if token.startswith("\\begin") or token in "({[":
            depth += 1
        elif token.startswith("\\end") or token in ")}]":
            depth = max(0, depth - 1)
        elif token == "=" and depth == 0:
            parts.append(latex[start : match.start()])
            start = match.end()
    parts.append(latex[start:])
    return [p.strip() for p in parts]


_NESTING = re.compile(r"\\begin\s*\{[A-Za-z]{1,20}\*?\}|\\end\s*\{[A-Za-z]{1,20}\*?\}|[(){}\[\]=]")


# an answer by cases: \begin{cases} A & \text{if } w \neq o \\ B & \text{otherwise} \end{cases}, or the
# same as an array (or an aligned) inside \left\{ … \right. or \left[ … \right.
_BY_CASES = re.compile(
    r"^\s*(?:\\left\s*(?:\\\{|\[|\.|\()\s*)?\\begin\s*\{(?:d?cases|rcases|array|aligned|alignedat)\*?\}"
)


def by_cases(latex: str) -> bool:
    """Whether ``latex`` is an answer by cases (the claim language reads its pieces)."""
    return _BY_CASES.match(latex) is not None
