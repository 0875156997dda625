"""A left-hand side that is a derivative of J, in the ways students write one.

``\\frac{\\partial J}{\\partial v_c}``, ``\\frac{\\partial J_{naive-softmax}(\\bm{v}_c, o, \\bm{U})}
{\\partial \\bm{v_c}}``, ``\\frac{\\partial}{\\partial v_c} J_{…}``, ``\\frac{\\part J}{\\part v_c}``,
``\\frac{\\partial{J}}{\\partial{v_c}}``, ``\\frac{\\delta J}{\\delta v_c}``, ``\\partial J/\\partial v_c``,
``\\nabla_{v_c} J``: each gives the variable as written, J's subscript (which may name a loss) and
a case written into the variable (``u_{w \\neq o}``).  The variable becomes a ``--wrt`` name once
the loss is known (``Written.wrt``): what an index letter ranges over is the loss's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from symw2v import closed_form as cf
from symw2v.errors import SymW2VError
from symw2v.latex import FRACTION, FRACTIONS
from symw2v.parse import parse_claim
from symw2v.world import CENTRE, CENTRES, OUTSIDE, VARIABLES, WORDS
from symw2v.world.losses import Loss

# meaning-free wrappers: a font, a size, spacing; what they wrap stays
_WRAPPERS = re.compile(
    r"\\(?:boldsymbol|mathbf|bm|pmb|vec|mathbold|mathit|mathrm|mathsf|textbf|mathnormal|mathcal"
    r"|text|textrm|textit|operatorname|mbox|displaystyle|textstyle|left|right|[bB]igg?[lr]?|middle"
    r"|normalsize|large|Large|LARGE|small|footnotesize|scriptsize|tiny|huge|Huge)"
    r"(?![A-Za-z])|\\[,;:! ]|\\q?quad(?![A-Za-z])|~"
)
# a letter a font wrapped ({v}_c), not an argument (\hat{y}) nor an index (_{c})
_LETTER = re.compile(r"(?<![\\A-Za-z_^])\{\s*([A-Za-z])\s*\}")
# white space goes, except the one space that ends a command before a letter (\neq o)
_SPACE = re.compile(r"(\\[A-Za-z]+)?\s+(?=([A-Za-z]?))")
MAX_LEFT = 400  # characters of a left-hand side; a longer one is no derivative of J
_PARTIALS = ("\\partial", "\\part", "\\delta", "∂", "\\mathrm{d}", "d")
_RELATION = re.compile(r"(\\neq|\\ne|≠|!=|=)")
# the handouts' θ is the scores z (the world declares no LaTeX spelling for θ yet)
_SPELLINGS = {"\\theta": "z", "θ": "z", "\\boldsymbol\\theta": "z"}
_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|.", re.DOTALL)


@dataclass(frozen=True)
class Written:
    """The derivative's parts as written: the variable (``name`` of an object, or a word
    vector's ``index``), J's subscript, and a case the variable carries."""

    subscript: str
    name: str = ""  # "v_c", "U", "z"
    index: str = ""  # for a word vector u_x: "o", a letter, or a number
    sampled_form: bool = False  # written u_{w_s}: the word of a sample
    case: str = ""  # "w != o" from u_{w \neq o}
    shown: str = ""  # the variable as written
    known: bool = True  # False: J is differentiated by something that is no variable (x_o)
    centre_index: str = ""  # written v_x with x not c: a centre vector J does not depend on

    @property
    def name_shown(self) -> str:
        """J's subscript as a report shows it: ``naive-softmax``."""
        return " ".join(self.subscript.replace("{", " ").replace("}", " ").split())

    def centre_wrt(self) -> str | None:
        """The ``--wrt`` name of another word's centre vector (``v_w``, a window loss's
        variable) this derivative is by; None for any other."""
        return next(
            (
                v.name
                for v in VARIABLES.values()
                if v.object == CENTRES.letter and v.index == self.centre_index
            ),
            None,
        )

    def wrt(self, loss: Loss | None) -> str | None:
        """The ``--wrt`` name of the variable for ``loss``; None for a single word (``u_1``) or
        for what is no variable."""
        if not self.known:
            return None
        if self.name:
            return next((v.name for v in VARIABLES.values() if v.object == self.name), None)
        if self.index == OUTSIDE:
            return "u_o"
        if not self.index.isalpha():
            return None
        by_letter = {v.index: v.name for v in VARIABLES.values() if v.object == WORDS.letter}
        if self.index in by_letter:
            return by_letter[self.index]
        sampled = loss is not None and (
            loss.index_set(self.index).sampled or (self.sampled_form and loss.sampled is not None)
        )
        return "u_k" if sampled else "u_w"


def plain(latex: str) -> str:
    """``latex`` without wrappers and spaces (what they wrapped stays)."""
    text = _LETTER.sub(r"\1", _WRAPPERS.sub(" ", latex))
    return _SPACE.sub(lambda m: (m.group(1) + " ") if m.group(1) and m.group(2) else (m.group(1) or ""), text)


def derivative(latex: str) -> Written | None:
    """The derivative of J that ``latex`` is, or None when it is not one."""
    text = plain(latex)
    if len(text) > MAX_LEFT:
        return None
    text, at = _evaluated(text)
    stated = _STATED.fullmatch(text) if not at else None
    if stated is not None:  # ∂J/∂u_w (w ≠ o): the case written after the derivative
        if stated.group(3) == "=" and CENTRE in (stated.group(2), stated.group(4)):
            return None  # ∂J/∂v_w (w = c) is ∂J/∂v_c: not read as v_w
        text, at = stated.group(1), "".join(stated.group(2, 3, 4))
    found = differentiated(text)
    if found is None:
        return None
    of, variable = found
    subscript = subscript_of_J(of)
    if subscript is None:
        return None
    written = _variable(variable, subscript)
    if written is not None and at:  # ∂J/∂u_w |_{w = o}, ∂J/∂u_w (w ≠ o): the derivative for one case
        return _for_case(written, at)
    return written


def stated_case(latex: str) -> str:
    """The case written with a derivative (``|_{w = o}``, ``(w ≠ o)`` after it), as ``w ≠ o``; ""
    for none."""
    text, at = _evaluated(plain(latex))
    stated = _STATED.fullmatch(text) if not at else None
    relation = _CASE_INDEX.fullmatch("".join(stated.group(2, 3, 4)) if stated is not None else at)
    if relation is None:
        return ""
    a, sign, b = relation.groups()
    return f"{a} {'=' if sign == '=' else '≠'} {b}"


def _for_case(written: Written, at: str) -> Written | None:
    """``written`` for the case stated with it; None (no derivative read) when the case is about
    another letter than the variable's, or one the variable cannot take: a case is never dropped
    or moved to another letter."""
    relation = _CASE_INDEX.fullmatch(at)
    if relation is None:
        return None
    a, sign, b = relation.groups()
    equal = sign == "="
    if CENTRE in (a, b) and not equal:  # ∂J/∂v_w (w ≠ c): the other word's centre vector itself
        return written if written.centre_index == (b if a == CENTRE else a) else None
    letter = b if a == OUTSIDE else a
    if OUTSIDE not in (a, b) or letter != written.index:
        return None
    # the answer keeps its letter (w) and is checked where w = o, or where w ≠ o
    return replace(written, case=f"{letter} {'=' if equal else '!='} {OUTSIDE}")


def differentiated(text: str) -> tuple[str, str] | None:
    """(what is differentiated, the variable) of a derivative written in any of the ways above,
    ``text`` being ``plain``; None when ``text`` is no derivative."""
    return _fraction(text) or _over(text) or _slashed(text) or _nabla(text) or _subscripted(text)


# a case in parentheses after the derivative: \frac{\partial J}{\partial u_w} (w \neq o)
_STATED = re.compile(r"(.*?)\(([A-Za-z])(\\neq|\\ne|≠|!=|=) ?([A-Za-z])\)")
_EVALUATED = re.compile(r"^\.?(.*?)\|_(\{.*\}|[A-Za-z])$")


def _evaluated(text: str) -> tuple[str, str]:
    """``text`` without an evaluation bar (``\\left. … \\right|_{w = o}``), and what is after it."""
    match = _EVALUATED.match(text)
    if match is None:
        return text, ""
    return match.group(1), _unbraced(match.group(2))


def is_derivative(latex: str) -> bool:
    """Whether ``latex`` has a derivative in it (``∂``, ``\\partial``, ``\\frac{d}{dx}``, ``\\nabla``)."""
    text = plain(latex)
    return (
        any(p in text for p in ("\\partial", "\\part", "∂", "\\nabla"))
        or _DELTA_FRACTION.search(text) is not None
        or _D_FRACTION.search(text) is not None
    )


_DELTA_FRACTION = re.compile(FRACTION + r"\{\\delta")
_D_FRACTION = re.compile(FRACTION + r"\{d[A-Za-z\\{}]")


def _fraction(text: str) -> tuple[str, str] | None:
    """(what is differentiated, the variable) of ``\\frac{∂ J}{∂ x}`` or ``\\frac{∂}{∂ x} J``."""
    fraction = next((f for f in FRACTIONS if text.startswith(f)), None)
    if fraction is None:
        return None
    numerator = group(text, len(fraction))
    if numerator is None:
        return None
    denominator = group(text, numerator[1])
    if denominator is None:
        return None
    top, bottom = _after_partial(numerator[0]), _after_partial(denominator[0])
    if top is None or bottom is None or not bottom:
        return None
    rest = text[denominator[1] :]
    if top and rest:
        return None
    return (top or rest), bottom


def _over(text: str) -> tuple[str, str] | None:
    """(what is differentiated, the variable) of TeX's ``{\\partial J \\over \\partial x}``."""
    inner = _unbraced(text)
    if inner == text or inner.count("\\over") != 1:
        return None
    top, bottom = (_after_partial(side) for side in inner.split("\\over"))
    if not top or not bottom:
        return None
    return top, bottom


def _subscripted(text: str) -> tuple[str, str] | None:
    """(what is differentiated, the variable) of ``\\partial_{x} J``."""
    for partial in ("\\partial_", "∂_"):
        if text.startswith(partial):
            variable = group(text, len(partial))
            if variable is not None and text[variable[1] :]:
                return text[variable[1] :], variable[0]
    return None


def _slashed(text: str) -> tuple[str, str] | None:
    """(what is differentiated, the variable) of ``∂J/∂x``."""
    if text.count("/") != 1:
        return None
    top, bottom = (_after_partial(side) for side in text.split("/"))
    if not top or not bottom:
        return None
    return top, bottom


def _nabla(text: str) -> tuple[str, str] | None:
    """(what is differentiated, the variable) of ``\\nabla_{x} J``."""
    if not text.startswith("\\nabla_"):
        return None
    variable = group(text, len("\\nabla_"))
    if variable is None or not text[variable[1] :]:
        return None
    return text[variable[1] :], variable[0]


def _after_partial(text: str) -> str | None:
    """``text`` after its leading ∂ (``\\partial``, ``\\part``, ``\\delta``, ``d``), unbraced."""
    text = _unbraced(text)
    for partial in _PARTIALS:
        if text.startswith(partial):
            rest = text[len(partial) :]
            if partial[-1].isalpha() and rest[:1].isalpha() and partial.startswith("\\"):
                continue  # \partialx is another command
            return _unbraced(rest.lstrip())
    return None


def _unbraced(text: str) -> str:
    """``text`` without braces that enclose all of it."""
    while text.startswith("{"):
        inner = group(text, 0)
        if inner is None or inner[1] != len(text):
            break
        text = inner[0]
    return text


_J = re.compile(r"J(?:_(\{.*\}|[A-Za-z0-9]))?(?:\^\{[^{}]*\})?(?:\(.*\)|\[.*\])?")


def subscript_of_J(text: str) -> str | None:
    """J's subscript ("" for none) if ``text`` is J with a subscript and arguments, else None."""
    text = _unbraced(text)
    match = _J.fullmatch(text)
    if match is None:
        return None
    subscript = match.group(1) or ""
    if subscript.startswith("{"):
        braced = group(subscript, 0)
        if braced is None or braced[1] != len(subscript):
            return None
        subscript = braced[0]
    return subscript


# v_w, v_{k}: the letter of the centre vector v_c with another index
_OTHER_CENTRE = re.compile(r"\{?v\}?_\{?\s*([A-Za-z])\s*\}?")
_CASE_INDEX = re.compile(r"\{?([A-Za-z])\}?(\\neq|\\ne|≠|!=|=) ?\{?([A-Za-z])\}?")


def _variable(written: str, subscript: str) -> Written | None:
    """The variable ``written`` names, or None when it names none J may be differentiated by."""
    written = _unbraced(written)
    if written in _SPELLINGS:
        return Written(subscript, name=_SPELLINGS[written], shown=written)
    word = re.fullmatch(r"\{?u\}?_\{(.+)\}", written)
    if word is not None:
        relation = _CASE_INDEX.fullmatch(_unbraced(word.group(1)))
        if relation is not None and OUTSIDE in (relation.group(1), relation.group(3)):
            letter = relation.group(3) if relation.group(1) == OUTSIDE else relation.group(1)
            equal = _RELATION.search(word.group(1)).group() == "="
            if equal:
                return Written(subscript, index=OUTSIDE, shown=written)
            return Written(subscript, index=letter, case=f"{letter} != {OUTSIDE}", shown=written)
    centre = _OTHER_CENTRE.fullmatch(written)
    if centre is not None and centre.group(1) != CENTRE:
        return Written(subscript, shown=written, known=False, centre_index=centre.group(1))
    try:
        node = parse_claim(written, "latex")
    except SymW2VError:
        node = None
    if isinstance(node, cf.Name):
        return Written(subscript, name=node.name, shown=written)
    if isinstance(node, cf.Word):
        sampled_form = re.search(r"_\{?\{?[A-Za-z]\}?_", written) is not None
        return Written(subscript, index=node.index, sampled_form=sampled_form, shown=written)
    return Written(subscript, shown=written, known=False)


def group(text: str, position: int) -> tuple[str, int] | None:
    """The brace group (or the single token) at ``position``: its content and where it ends."""
    if position >= len(text):
        return None
    if text[position] != "{":
        token = _TOKEN.match(text, position)
        return (token.group(), token.end()) if token and token.group() not in "}" else None
    depth = 0
    for index in range(position, len(text)):
        char = text[index]
        if char == "{" and (index == 0 or text[index - 1] != "\\"):
            depth += 1
        elif char == "}" and (index == 0 or text[index - 1] != "\\"):
            depth -= 1
            if depth == 0:
                return text[position + 1 : index], index + 1
    return None
