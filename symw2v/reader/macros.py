"""A document's own LaTeX macros, expanded: ``\\newcommand{\\Jsoftmax}{J_{\\text{naive-softmax}}}``.

Students define shorthands (``\\partialD{\\Jsoftmax}{v_c}``); the reader must see what they
stand for.  Only definitions are read (``\\newcommand``, ``\\renewcommand``, ``\\providecommand``,
``\\def`` with ``#1``…``#9``, ``\\DeclareMathOperator``), and expanding is substitution, nothing
else: no macro runs.  Every definition is replaced by as many line breaks as it spanned, and a
body's line breaks become spaces, so that a line of the expanded text is the same line of the
file.  A macro that expands into itself stops after ``MAX_PASSES`` passes; the expanded text may
grow to ``MAX_GROWTH`` times the document's length, past which the document is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from symw2v.errors import SymW2VError

MAX_PASSES = 8
MAX_GROWTH = 4
MAX_BODY = 4_000  # characters of one macro's body; a longer one is not a shorthand
MAX_MACROS = 200
MAX_WORK = 4_000_000  # characters looked at to find definitions and arguments, in all

_NEWCOMMAND = re.compile(
    r"\\(?:re)?newcommand\*?|\\providecommand\*?|\\DeclareMathOperator\*?|\\def(?![A-Za-z])"
)
_NAME = re.compile(r"\s*(?:\{\s*\\([A-Za-z]{1,40})\s*\}|\\([A-Za-z]{1,40}))")
_COUNT = re.compile(r"\s*\[\s*([1-9])\s*\]")
_DEFAULT = re.compile(r"\s*\[([^\[\]{}\n]{0,200})\]")
_DEF_PARAMETERS = re.compile(r"((?:#[1-9]){0,9})\s*\{")
_PARAMETER = re.compile(r"#([1-9])")


@dataclass(frozen=True)
class Macro:
    """``\\name`` with ``arguments`` arguments, the first optional when it has a ``default``."""

    name: str
    arguments: int
    body: str
    default: str | None = None


class _Work:
    """Characters looked at so far; past ``MAX_WORK`` the document is refused (an unclosed
    ``{`` after each of many macros would otherwise be read to its limit each time)."""

    def __init__(self) -> None:
        self.done = 0

    def add(self, characters: int) -> None:
        self.done += characters
        if self.done > MAX_WORK:
            raise SymW2VError(
                "the document's macros take too long to read (unclosed braces after them?); "
                "write the equations out"
            )


def expand(text: str) -> str:
    """``text`` with its macro definitions removed and every use of them expanded."""
    work = _Work()
    macros, text = definitions(text, work)
    if not macros:
        return text
    pattern = re.compile(
        r"\\(" + "|".join(re.escape(n) for n in sorted(macros, key=len, reverse=True)) + r")(?![A-Za-z])"
    )
    limit = MAX_GROWTH * max(len(text), 1_000)
    for _ in range(MAX_PASSES):
        expanded = _pass(text, pattern, macros, work)
        if len(expanded) > limit:
            raise SymW2VError(
                f"the document's macros expand to more than {limit} characters; "
                "define shorter ones or write the equations out"
            )
        if expanded == text:
            break
        text = expanded
    return text


def definitions(text: str, work: _Work | None = None) -> tuple[dict[str, Macro], str]:
    """The macros ``text`` defines (the last definition of a name wins), and ``text`` without
    their definitions (each replaced by the line breaks it spanned)."""
    macros: dict[str, Macro] = {}
    pieces, position = [], 0
    work = work or _Work()
    for match in _NEWCOMMAND.finditer(text):
        if match.start() < position:
            continue
        found = _definition(text, match, work)
        if found is None:
            continue
        macro, end = found
        if len(macros) < MAX_MACROS or macro.name in macros:
            macros[macro.name] = macro
        pieces += [text[position : match.start()], "\n" * text.count("\n", match.start(), end)]
        position = end
    pieces.append(text[position:])
    return macros, "".join(pieces)


def _definition(text: str, match: re.Match, work: _Work) -> tuple[Macro, int] | None:
    """The macro a definition at ``match`` defines, and where the definition ends; None when it
    is not one this reader takes (a body too long, parameters it does not know)."""
    name = _NAME.match(text, match.end())
    if name is None:
        return None
    macro_name, position = name.group(1) or name.group(2), name.end()
    command = match.group()
    arguments, default = 0, None
    if command == "\\def":
        parameters = _DEF_PARAMETERS.match(text, position)
        if parameters is None or parameters.group(1) != "".join(
            f"#{i}" for i in range(1, len(parameters.group(1)) // 2 + 1)
        ):
            return None
        arguments, position = len(parameters.group(1)) // 2, parameters.end() - 1
    elif not command.startswith("\\DeclareMathOperator"):
        count = _COUNT.match(text, position)
        if count is not None:
            arguments, position = int(count.group(1)), count.end()
            optional = _DEFAULT.match(text, position)
            if optional is not None:
                default, position = optional.group(1), optional.end()
    body = group(text, position, work)
    if body is None or len(body[0]) > MAX_BODY:
        return None
    content, end = body
    if command.startswith("\\DeclareMathOperator"):
        content = f"\\operatorname{{{content}}}"
    return Macro(macro_name, arguments, content.replace("\n", " "), default), end


def group(text: str, position: int, work: _Work | None = None) -> tuple[str, int] | None:
    """The content of the brace group at ``position`` (after spaces), and where it ends; None if
    there is none or it does not close within ``MAX_BODY`` characters.  ``work`` counts the
    characters looked at."""
    while position < len(text) and text[position] in " \t\n":
        position += 1
    if not text.startswith("{", position):
        return None
    depth, index, found = 0, position, None
    stop = min(len(text), position + MAX_BODY + 2)
    while index < stop:
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                found = (text[position + 1 : index], index + 1)
                break
        index += 1
    if work is not None:
        work.add(index - position + 1)
    return found


def _pass(text: str, pattern: re.Pattern, macros: dict[str, Macro], work: _Work) -> str:
    """``text`` with each use of a macro replaced by its body, once (not the bodies' uses)."""
    pieces, position = [], 0
    for match in pattern.finditer(text):
        if match.start() < position:
            continue
        macro = macros[match.group(1)]
        arguments, end = _arguments(text, match.end(), macro, work)
        if arguments is None:
            continue
        body = _PARAMETER.sub(
            lambda m, a=arguments: a[int(m.group(1)) - 1] if int(m.group(1)) <= len(a) else "", macro.body
        )
        pieces += [text[position : match.start()], " " + body + " " if body[:1].isalpha() else body]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _arguments(text: str, position: int, macro: Macro, work: _Work) -> tuple[list[str] | None, int]:
    """The arguments of a use of ``macro`` that ends its name at ``position``, and where they
    end; an argument is a brace group or one token.  None when they are not all there."""
    arguments = []
    if macro.default is not None:
        optional = _DEFAULT.match(text, position)
        if optional is not None:
            arguments.append(optional.group(1))
            position = optional.end()
        else:
            arguments.append(macro.default)
    while len(arguments) < macro.arguments:
        braced = group(text, position, work)
        if braced is not None:
            arguments.append(braced[0])
            position = braced[1]
            continue
        token = _TOKEN.match(text, position)
        if token is None:
            return None, position
        arguments.append(token.group(1))
        position = token.end()
    return arguments, position


_TOKEN = re.compile(r"[ \t]*(\\[A-Za-z]+|\\.|[^\s{}\\])")
