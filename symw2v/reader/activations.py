"""The derivative of an activation function of one number x, as students write it.

``\\sigma'(x)``, ``\\sigma^{\\prime}(x)``, ``\\frac{d\\sigma(x)}{dx}``,
``\\frac{\\partial \\sigma(x)}{\\partial x}``, ``\\frac{d}{dx}\\sigma(x)``, ``\\frac{d\\sigma}{dx}``;
and ``f'(x)``, ``\\frac{df}{dx}`` of a function the document defines nearby as a built-in
activation (``f(x) = \\max(x, 0)``, ``\\max(\\alpha x, x)``) or names (ReLU, Leaky ReLU).  The
activations are the built-in losses of one number (``of_vectors`` false,
``symw2v/world/losses/*.toml``): their names and expressions are read from there.  A maximum has
no derivative at its kink x = 0: an answer's row for x = 0 is left out (and said), and
``x \\geq 0`` is checked for x > 0 by the claim language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from symw2v import closed_form as cf
from symw2v.errors import SymW2VError
from symw2v.parse import parse_claim
from symw2v.reader.derivative import differentiated, is_derivative, plain
from symw2v.reader.losses import by_name, normal
from symw2v.reader.rows import by_cases, split_equals
from symw2v.world.losses import BUILTIN, Loss

MAX_LEFT = 200  # characters of a derivative's left side
VARIABLE = "x"  # the activations' variable in the world
SIGMA = "sigma"
# the letters students give a function they define (f(x) = max(x, 0)); J is the loss's
LETTERS = frozenset("fgh")
_NAME = r"\\sigma|[A-Za-z]|\{[A-Za-z][A-Za-z \-]{0,20}\}|[A-Za-z][A-Za-z\-]{1,20}"
_PRIME = re.compile(rf"(?P<f>{_NAME})\s*(?:'|\^\{{?\\prime\}}?)\s*\((?P<arg>[^()]{{1,20}})\)")
# applied, its argument possibly braced: \sigma(x), \sigma{(x)}
_APPLIED = re.compile(rf"(?P<f>{_NAME})\s*(?:(?P<brace>\{{)?\((?P<arg>[^()]{{1,20}})\)(?(brace)\}})\s*)?")
_DEFINED = re.compile(rf"(?P<f>{_NAME})\s*\(\s*x\s*\)")
_INLINE = re.compile(r"\$([^$\n]{1,200})\$")
_PRIMED = re.compile(r"'|\\prime(?![A-Za-z])")
_CASES = re.compile(r"(\\begin\s*\{[A-Za-z]{1,12}\*?\})(.*)(\\end\s*\{[A-Za-z]{1,12}\*?\})", re.DOTALL)
_IF = re.compile(r"\\(?:text|mbox|textrm|mathrm)\s*\{[^{}]*\}|\b(?:if|for|when)\b")
_KINK = re.compile(r"x\s*=\s*0")


@dataclass(frozen=True)
class Activation:
    """A derivative of a function of one number: the function as written (``sigma``, ``f``,
    ``relu``: letters only, lower case for a name) and the variable."""

    function: str
    variable: str
    shown: str


def activations() -> dict[str, Loss]:
    """The built-in losses of one number x (the activations)."""
    return {name: loss for name, loss in BUILTIN.items() if not loss.of_vectors}


@cache
def _by_name() -> dict[str, Loss]:
    return by_name(activations().values())


def _function(written: str) -> str | None:
    """The function's key (``sigma``, ``f``, ``relu``) or None when it is no function we read."""
    if written == "\\sigma":
        return SIGMA
    bare = written.strip("{} ")
    if len(bare) == 1:
        return bare if bare in LETTERS else None
    key = normal(bare)
    return key if key in _by_name() else None


def derivative_of(latex: str) -> Activation | None:
    """The derivative of an activation ``latex`` (a left-hand side) is, or None."""
    text = plain(latex)
    if len(text) > MAX_LEFT:
        return None
    primed = _PRIME.fullmatch(text)
    if primed is not None:
        function, argument = primed.group("f"), primed.group("arg")
        variable = argument
    else:
        found = differentiated(text)
        if found is None:
            return None
        of, variable = (side.strip("{} ") if side.startswith("{") else side for side in found)
        applied = _APPLIED.fullmatch(of)
        if applied is None:
            return None
        function, argument = applied.group("f"), applied.group("arg")
    key = _function(function)
    variable = variable.strip().strip("{}").strip()
    if key is None or not re.fullmatch(r"[A-Za-z](?:_\{?[A-Za-z0-9]\}?)?", variable):
        return None
    if argument is not None and argument.strip().strip("{}") != variable:
        return None  # dσ(x_i)/dx: an entry of a Jacobian
    return Activation(key, variable, text)


def loss_of(activation: Activation, context: dict[str, tuple[Loss | None, str]]) -> tuple[Loss | None, str]:
    """The activation's loss and how it was found, or (None, why it is not checked).

    ``context``: what the document's section defines or names before it: a letter's
    definition (``f``; its loss None when it is defined as no activation), or ``""`` for the
    activation last named in the words."""
    if activation.function == SIGMA:
        return _sigma(), "σ"
    if activation.function in _by_name():
        loss = _by_name()[activation.function]
        return loss, f"named {loss.name}"
    # a name in the words ("ReLU: …") stands for an undefined letter only in a section that
    # defines no function: where it defines one, an undefined letter may be anything
    named = context.get("") if not any(context) or set(context) == {""} else None
    defined = context.get(activation.function) or named
    if defined is not None and defined[0] is None:
        return None, f"{activation.function} is {defined[1]}, not a built-in activation"
    if defined is None:
        return None, (
            f"{activation.function} is neither defined as an activation nearby "
            "(f(x) = max(x, 0), max(αx, x)) nor, in a section that defines no other function, "
            "named (ReLU, Leaky ReLU)"
        )
    return defined


@cache
def _expressions() -> dict[cf.Node, Loss]:
    """Each activation's expression as a tree, a maximum's both ways round."""
    found = {}
    for loss in activations().values():
        node = parse_claim(loss.expression)
        found[node] = loss
        if isinstance(node, cf.Max):
            found[cf.Max(node.right, node.left)] = loss
    return found


@cache
def _sigma() -> Loss:
    """The built-in activation that is σ itself: its expression is sigma(x)."""
    sigma = cf.Call(SIGMA, cf.Name(VARIABLE))
    return next(loss for node, loss in _expressions().items() if node == sigma)


def definitions(latex: str) -> list[tuple[str, Loss | None]]:
    """The functions ``latex`` (one row, or a line of prose with inline mathematics) defines,
    each with the built-in activation it is: ``f(x) = \\max(x, 0)`` gives ``("f", relu)``,
    ``f(x) = -\\log \\sigma(x)`` gives ``("f", None)``."""

    pieces = [m.group(1) for m in _INLINE.finditer(latex)] or [latex]
    found = []
    for piece in pieces:
        sides = [plain(side) for side in split_equals(piece)]
        head = _DEFINED.fullmatch(sides[0]) if len(sides) > 1 else None
        key = _function(head.group("f")) if head is not None else None
        if key is None or key == SIGMA:
            continue
        found.append((key, next((loss for loss in map(_activation, sides[1:]) if loss), None)))
    return found


def _activation(latex: str) -> Loss | None:
    """The built-in activation ``latex`` is written as, or None."""
    try:
        return _expressions().get(parse_claim(latex, "latex"))
    except (SymW2VError, RecursionError):
        return None


@cache
def _phrases() -> tuple[tuple[re.Pattern, Loss], ...]:
    """A pattern for each name of an activation but σ's (σ is always written as itself)."""
    found = []
    for loss in activations().values():
        if loss is _sigma():
            continue
        for name in (loss.name, *loss.aliases):
            words = re.findall(r"[a-z]+", name.lower())
            found.append((re.compile(r"(?<![a-z])" + r"[\s\-_]*".join(words) + r"(?![a-z])"), loss))
    return tuple(found)


def mentioned(line: str) -> Loss | None:
    """The activation ``line`` names last ("ReLU", "Leaky ReLU"), or None."""
    text = re.sub(r"\\[A-Za-z]+|[{}$*`]", " ", line[:2000]).lower()
    last = None
    for pattern, loss in _phrases():
        for match in pattern.finditer(text):
            rank = (match.end(), match.end() - match.start())
            if last is None or rank > last[0]:
                last = (rank, loss)
    return last[1] if last else None


def step_skip(latex: str, loss: Loss) -> str:
    """Why a step of an activation's chain is not checked ("" when it is)."""

    if is_derivative(latex) or _PRIMED.search(latex):
        return "a step with a derivative in it (d/dx, ′): not checked"
    if "max(" in loss.expression and not by_cases(latex):
        return f"the derivative of {loss.description} is checked by cases (x > 0, x < 0)"
    return ""


def without_kink(latex: str) -> tuple[str, str]:
    """An answer by cases without its rows for x = 0 (the kink, where a maximum has no
    derivative), and a note saying so ("" when there are none)."""
    match = _CASES.search(latex)
    if match is None:
        return latex, ""
    rows = re.split(r"\\\\", match.group(2))
    kept = [row for row in rows if not (row.strip() and _is_kink(row))]
    if len(kept) == len(rows) or not any(r.strip() for r in kept):
        return latex, ""
    body = "\\\\".join(kept)
    read = latex[: match.start(2)] + body + latex[match.end(2) :]
    return read, "the row for x = 0 is left out: the kink, where the maximum has no derivative"


def _is_kink(row: str) -> bool:
    condition = plain(_IF.sub(" ", row.rsplit("&", 1)[-1])) if "&" in row else ""
    return _KINK.fullmatch(condition.strip(" ,.:{}")) is not None


def renamed(latex: str, variable: str) -> str | None:
    """``latex`` with the derivative's ``variable`` (``x_i``, ``t``) written as x, the world's
    variable of an activation; None when x already stands for something else in it."""
    if variable == VARIABLE:
        return latex
    bare = re.sub(r"_\{(\w)\}", r"_\1", variable)
    spellings = {bare, re.sub(r"_(\w)", r"_{\1}", bare)}
    options = "|".join(re.escape(o) for o in sorted(spellings, key=len, reverse=True))
    pattern = re.compile(rf"(?<![A-Za-z\\])(?:{options})(?![A-Za-z0-9_])")
    if re.search(r"(?<![A-Za-z\\])x(?![A-Za-z])", pattern.sub(" ", latex)):
        return None
    return pattern.sub(VARIABLE, latex)
