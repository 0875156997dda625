"""Shorthands a document defines and reads back into its answers: a count defined in words
("$N_k$ is the number of times w_k was sampled") and a name defined in a display
(``s_1 = u_o^T v_c``, ``\\theta = U^\\top v_c``).  Each is read in the steps of the equations after
it as what it stands for, and the equation says so (``read_as``).
"""

from __future__ import annotations

import re

from symw2v.reader import losses
from symw2v.reader.derivative import plain
from symw2v.reader.found import Equation
from symw2v.reader.rows import split_equals
from symw2v.world import OUTSIDE

MAX_NAMES = 40  # shorthands and counts a document may define
# "$N_k$ is the number of times w_k was sampled": a count of a sampled word, defined in words
_COUNT = re.compile(
    r"\$([^$\n]{1,30})\$\s*(?:is|denotes|=)\s+(?:the|a)\s+(?:number|count)\s+of\s+(?:times|occurrences)",
    re.IGNORECASE,
)


def counts(line: str) -> list[str]:
    """The symbols ``line`` defines as the number of times a sampled word occurs."""
    return [match.group(1).strip() for match in _COUNT.finditer(line)]


def read_back(
    equations: list[Equation], counted: list[tuple[str, int]], named: list[tuple[str, str, int, int]]
) -> None:
    """Read each count (symbol, line) and each name (name, meaning, line, position) in the steps
    of the equations it applies to: a count in every answer about one word's vector, a name in
    the gradients after it."""
    for symbol, line in counted:
        for equation in equations:
            _read_count(equation, symbol, line)
    for name, meaning, line, position in named:
        for equation in (e for e in equations if e.position > position and not e.kind):
            _read_name(equation, name, meaning, line)


def _read_count(equation: Equation, symbol: str, line: int) -> None:
    """Read ``symbol``, defined on ``line`` as the number of times a sampled word occurs, in the
    steps of ``equation`` (an answer about one word's vector) as the sum that counts them."""
    letter = equation.written.index
    if not letter.isalpha() or letter == OUTSIDE:
        return
    other = "j" if letter != "j" else "i"
    count = rf"\left(\sum_{{{other}=1}}^{{K}} [w_{other} = w_{letter}]\right)"
    pattern = _spellings(symbol)
    used = False
    for step in equation.steps:
        text = step.read or step.latex
        read = pattern.sub(lambda _: count, text)
        if read != text:
            step.read, used = read, True
    if used:
        equation.read_as.append(f"{symbol} read as the number of times w_{letter} was sampled (line {line})")


# a shorthand a document defines in a display: "s_1 = u_o^T v_c", "\theta = U^\top v_c"
_NAME = re.compile(r"^(?:\\[A-Za-z]{2,12}|[A-Za-z][A-Za-z0-9]{0,3})(?:_\{?[A-Za-z0-9]\}?)?$")


def names(latex: str) -> list[tuple[str, str]]:
    """The shorthands a display row defines (``s1 = u_o^T v_c, s2 = u_k^T v_c``): each name that
    the claim language does not know, with the expression it stands for (one that reads)."""
    found = []
    for piece in _commas(latex):
        sides = [plain(side) for side in split_equals(piece)]
        if len(sides) != 2 or not _NAME.match(sides[0]) or sides[0].isalpha() and len(sides[0]) == 1:
            continue
        if losses.parsed(sides[0]) is None and losses.parsed(sides[1]) is not None:
            found.append((sides[0], sides[1]))
    return found


def _commas(latex: str) -> list[str]:
    """``latex`` split at its commas outside brackets."""
    pieces, depth, start = [], 0, 0
    for index, char in enumerate(latex):
        if char in "({[":
            depth += 1
        elif char in ")}]":
            depth = max(0, depth - 1)
        elif char == "," and depth == 0:
            pieces.append(latex[start:index])
            start = index + 1
    pieces.append(latex[start:])
    return [p.strip() for p in pieces if p.strip()]


def _read_name(equation: Equation, name: str, meaning: str, line: int) -> None:
    """Read the shorthand ``name`` in ``equation``'s steps as what it stands for."""
    pattern = _spellings(name)
    used = False
    for step in equation.steps:
        text = step.read or step.latex
        read = pattern.sub(lambda _: f"({meaning})", text)
        if read != text:
            step.read, used = read, True
    if used:
        equation.read_as.append(f"{name} read as {meaning} (line {line})")


def _spellings(symbol: str) -> re.Pattern:
    """``symbol`` and its spellings with and without braces around a subscript (N_k, N_{k})."""
    bare = re.sub(r"_\{(\w)\}", r"_\1", symbol.replace(" ", ""))
    braced = re.sub(r"_(\w)", r"_{\1}", bare)
    # a spelling that ends in a letter must not run into the next one (N_k, not N_kv)
    options = [re.escape(o) + ("(?![A-Za-z0-9])" if o[-1:].isalnum() else "") for o in {bare, braced}]
    return re.compile(rf"(?<![A-Za-z\\])(?:{'|'.join(sorted(options, key=len, reverse=True))})")
