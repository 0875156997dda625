"""Markdown escaping for the reports: one function per context a string can land in.

Targets CommonMark and GitHub's dialect (tables, autolinks, math blocks, @mentions).  A
report's strings are untrusted (an autograder runs the tool on students' files), so each one
goes through exactly one of these.  Every function but :func:`md_math` works on one line:
whitespace, newlines included, is collapsed, so no string can start a block of its own.
"""

from __future__ import annotations

import functools
import re

import latex2mathml.commands
import latex2mathml.symbols_parser

# the ASCII punctuation that starts an inline or block construct somewhere in GFM: escapes,
# code, emphasis, strikethrough, links and images, raw HTML, entities, tables, math, headings,
# lists, block quotes, autolinks (``:``, ``www.``, ``@``) and GitHub's references (#1, @name)
_MD_SPECIAL = frozenset("\\`*_{}[]()#+-.!|<>&~$:@")
# what a term of the tool's own vocabulary may contain and still be inert in running text
# (never at the start of a line): no bracket, no markup character, "." only inside a number,
# "_" only inside a word, ":" only before a space
_MD_INERT = re.compile(
    r"(?:[^\x00-\x7f]|[A-Za-z0-9 ,;()=/^+'\-]|(?<=\d)\.(?=\d)|(?<=[A-Za-z0-9])_(?=[A-Za-z0-9])|:(?= ))*\Z"
)


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def _escape(text: str) -> str:
    return "".join(f"\\{c}" if c in _MD_SPECIAL else c for c in text)


def md_prose(text: object) -> str:
    """User text in running Markdown (a paragraph, a heading, a table cell, a link's text):
    every character of :data:`_MD_SPECIAL` backslash-escaped, so it shows as itself."""
    return _escape(_one_line(text))


def md_term(text: object) -> str:
    """A term the tool itself wrote (a verdict, a variable, a number, a method): as it is when
    every character is inert in running text, otherwise escaped like :func:`md_prose`."""
    text = _one_line(text)
    return text if _MD_INERT.match(text) else md_prose(text)


def md_code(text: object, cell: bool = False) -> str:
    """``text`` as a Markdown code span that nothing inside it can close.

    ``cell``: the span sits in a table row, where GFM splits cells at a ``|`` before it parses
    code spans; every ``|`` then gets an odd run of backslashes before it (an escaped pipe,
    which the table drops again), one more than the text had when its run was even.
    """
    text = _one_line(text)
    if cell:
        text = re.sub(r"(\\*)\|", lambda m: m[1] + ("" if len(m[1]) % 2 else "\\") + "|", text)
    if not text:
        return ""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text[0] in "` " or text[-1] in "` " else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def md_hint(text: object, cell: bool = False) -> str:
    """A hint: prose that quotes claims in `code spans`; each part escaped for what it is."""
    parts = _one_line(text).split("`")
    return "".join(md_code(part, cell) if i % 2 else _escape(part) for i, part in enumerate(parts))


def md_anchor(text: object) -> str:
    """The anchor GitHub gives a heading with this text: lower case, everything but letters,
    digits, ``_``, ``-`` and spaces dropped, spaces as hyphens; safe in ``(#…)``."""
    return re.sub(r"[^\w\- ]", "", _one_line(text).lower()).replace(" ", "-")


# LaTeX commands a Markdown math renderer (GitHub's MathJax, KaTeX) may not see from a user:
# they carry a URL, a CSS style or class, a code point, or define macros
_MATH_UNSAFE = frozenset(
    r"\href \url \style \class \cssId \unicode \color \colorbox \fcolorbox \textcolor \def "
    r"\newcommand \renewcommand \newenvironment \DeclareMathOperator \verb \require".split()
)


def _latex_commands(latex: str) -> list[str]:
    """The named commands of ``latex`` (``\\\\`` and the other one-character ones are skipped
    as a pair, so ``\\\\href`` is a line break and a word)."""
    return [c for c in re.findall(r"\\(?:[A-Za-z]+|.)", latex, flags=re.S) if c[1:].isalpha()]


@functools.cache
def _known_latex_commands() -> frozenset[str]:
    """Every named command latex2mathml reads: its symbol table and its command tables."""
    found: set[str] = set(latex2mathml.symbols_parser.SYMBOLS)
    stack: list = list(vars(latex2mathml.commands).values())
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            found.add(value)
        elif isinstance(value, dict):
            stack.extend([*value, *value.values()])
        elif isinstance(value, tuple | list | set | frozenset):
            stack.extend(value)
    return frozenset(c for c in found if re.fullmatch(r"\\[A-Za-z]+", c))


def md_math(latex: object) -> str:
    """A fenced math block GitHub renders.  The fence is longer than any run of backticks in
    the LaTeX, so no line of it can close the block; LaTeX with a command outside the
    converter's vocabulary, or one of :data:`_MATH_UNSAFE`, is shown as source instead."""
    text = str(latex).replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    known = all(c in _known_latex_commands() and c not in _MATH_UNSAFE for c in _latex_commands(text))
    return f"{fence}{'math' if known else 'text'}\n{text}\n{fence}"
