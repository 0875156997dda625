"""Find a document's displayed equations in one left-to-right pass, in time linear in its length.

A document comes from a student, so reading it must not depend on what is in it: a regular
expression such as ``\\$\\$(.+?)\\$\\$`` tries every unclosed ``$$`` against the rest of the
text, and 100 000 of them take minutes.  This scanner reads the text once instead.  What opens
and closes a display is data (``DELIMITERS``, one entry per opener); the next occurrence of each
closer is looked up at most once per stretch of text, and every step that looks at characters
is counted in ``Scan.steps``, so that tests can hold the work to a constant times the length.

The stages after the scan (``displays``: rows, ``\\tag{…}``, a ``(13)`` after the display) work
on one display at a time and are linear too.  New kinds of display (a fenced ``math`` block, a
``$…$`` alone on its line) are new delimiters; an environment nested in a display (``aligned``
in ``$$``) and several equations in one row belong in ``_rows``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ENVIRONMENTS = ("equation", "align", "gather", "multline")


@dataclass(frozen=True)
class Delimiter:
    """A kind of display: ``opener`` starts one, the first of ``closers`` after it ends it.

    ``rows``: whether ``\\\\`` separates equations of their own (the rows of an ``align``).
    """

    opener: str
    closers: tuple[str, ...]
    rows: bool = False


def _environment(name: str) -> tuple[Delimiter, ...]:
    closers = (f"\\end{{{name}}}", f"\\end{{{name}*}}")  # a starred begin may end unstarred
    return tuple(Delimiter(f"\\begin{{{name}{star}}}", closers, rows=True) for star in ("", "*"))


DELIMITERS: tuple[Delimiter, ...] = (
    Delimiter("$$", ("$$",)),
    Delimiter("\\[", ("\\]",)),
    *(delimiter for name in ENVIRONMENTS for delimiter in _environment(name)),
)
_BY_OPENER = {d.opener: d for d in DELIMITERS}
# longest first, so that an opener that begins another one (``$`` and ``$$``) cannot hide it
_OPENERS = re.compile("|".join(re.escape(o) for o in sorted(_BY_OPENER, key=len, reverse=True)))
_BRACE = re.compile(r"[{}]")
_TAG = re.compile(r"\\tag\*?\{")
# linear: it can only start at one of the three words, and ``[^{}]*`` stops at the next brace
_DROPPED = re.compile(r"\\(?:label|nonumber|notag)(?:\{[^{}]*\})?")


@dataclass(frozen=True)
class Block:
    """One display as the scanner found it: ``text[start:end]``, its body ``text[body:close]``."""

    delimiter: Delimiter
    start: int
    body: int
    close: int
    end: int


@dataclass(frozen=True)
class Scan:
    """The displays of a text in order, and the characters the scanner looked at to find them."""

    blocks: tuple[Block, ...]
    steps: int

    def outside(self, text: str) -> str:
        """``text`` with every display replaced by one space."""
        pieces, position = [], 0
        for block in self.blocks:
            pieces.append(text[position : block.start])
            position = block.end
        pieces.append(text[position:])
        return " ".join(pieces)


@dataclass(frozen=True)
class Display:
    """One displayed equation (one row of an ``align``), where it is, and its number."""

    latex: str
    position: int
    number: str | None


class _Next:
    """Where ``needle`` next occurs in ``text`` at or after a position (-1: nowhere).

    The scanner asks at positions that only grow, so an answer stays good until the position
    passes it, and each character is searched at most once per needle.
    """

    def __init__(self, text: str, needle: str) -> None:
        self._text, self._needle = text, needle
        self._asked, self._found = len(text) + 1, -1
        self.steps = 0

    def at(self, position: int) -> int:
        if self._asked <= position and (self._found == -1 or self._found >= position):
            return self._found
        self._asked = position
        self._found = self._text.find(self._needle, position)
        end = len(self._text) if self._found == -1 else self._found + len(self._needle)
        self.steps += max(0, end - position)
        return self._found


def scan(text: str) -> Scan:
    """Every display of ``text``, left to right; an opener that is never closed is text.

    A display's body is at least one character, and it ends at the first closer after that,
    which is what ``\\$\\$(.+?)\\$\\$`` and its kin matched, found without backtracking.
    """
    closers = {c: _Next(text, c) for d in DELIMITERS for c in d.closers}
    blocks: list[Block] = []
    steps = position = 0
    while True:
        match = _OPENERS.search(text, position)
        steps += (len(text) if match is None else match.end()) - position
        if match is None:
            break
        delimiter = _BY_OPENER[match.group()]
        body = match.end()
        found = [(closers[c].at(body + 1), c) for c in delimiter.closers]
        found = [(at, c) for at, c in found if at >= 0]
        if not found:
            position = match.start() + 1
            continue
        close, closer = min(found)
        blocks.append(Block(delimiter, match.start(), body, close, close + len(closer)))
        position = close + len(closer)
    return Scan(tuple(blocks), steps + sum(n.steps for n in closers.values()))


def displays(text: str, found: Scan | None = None) -> list[Display]:
    """The displayed equations of ``text`` in order; align rows are equations of their own.

    An equation's number is its ``\\tag{…}``, else a ``(13)`` right after the display (for
    the last row).  ``found`` is ``scan(text)`` where the caller has it already.
    """
    result: list[Display] = []
    for block in (found or scan(text)).blocks:
        rows = _rows(text[block.body : block.close], block.delimiter)
        for row in rows:
            number, row = _tagged(row)
            row = _DROPPED.sub(" ", row).replace("&", " ").strip().rstrip(".,;")
            if row:
                result.append(Display(row, block.start, number))
        after = number_after(text, block.end)
        if after is not None and result and result[-1].number is None:
            last = result[-1]
            result[-1] = Display(last.latex, last.position, after)
    return result


def _rows(body: str, delimiter: Delimiter) -> list[str]:
    return body.split("\\\\") if delimiter.rows else [body]


def _next_brace(text: str, position: int) -> int:
    match = _BRACE.search(text, position)
    return -1 if match is None else match.start()


def _tagged(row: str) -> tuple[str | None, str]:
    """The first ``\\tag{…}``'s number (spaces stripped), and the row with every tag a space."""
    number, pieces, position, searched = None, [], 0, 0
    while (match := _TAG.search(row, searched)) is not None:
        brace = _next_brace(row, match.end())
        if brace < 0 or row[brace] != "}":
            searched = match.start() + 1
            continue
        if number is None:
            number = row[match.end() : brace].strip()
        pieces.append(row[position : match.start()])
        position = searched = brace + 1
    pieces.append(row[position:])
    return number, " ".join(pieces)


def number_after(text: str, end: int) -> str | None:
    """The ``13`` of a ``(13)`` (or ``(13a)``) that follows ``text[:end]`` on its line or the next."""
    position = _skip(text, end, " \t")
    if text.startswith("\n", position):
        position = _skip(text, position + 1, " \t")
    if not text.startswith("(", position):
        return None
    start = skip_space(text, position + 1)
    digits = start
    while digits < len(text) and text[digits].isdecimal():
        digits += 1
    if digits == start:
        return None
    if digits < len(text) and "a" <= text[digits] <= "z":
        digits += 1
    close = skip_space(text, digits)
    return text[start:digits] if text.startswith(")", close) else None


def _skip(text: str, position: int, characters: str) -> int:
    while position < len(text) and text[position] in characters:
        position += 1
    return position


def skip_space(text: str, position: int) -> int:
    """The first position at or after ``position`` that is not white space (``\\s``)."""
    while position < len(text) and text[position].isspace():
        position += 1
    return position
