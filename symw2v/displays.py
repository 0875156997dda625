"""Find a document's displayed equations in one left-to-right pass, in time linear in its length.

A document comes from a student, so reading it must not depend on what is in it: a regular
expression such as ``\\$\\$(.+?)\\$\\$`` tries every unclosed ``$$`` against the rest of the
text, and 100 000 of them take minutes.  This scanner reads the text once instead.  What opens
and closes a display is data (``DELIMITERS``, one entry per opener); the next occurrence of each
closer is looked up at most once per stretch of text, and every step that looks at characters
is counted in ``Scan.steps``, so that tests can hold the work to a constant times the length.

Kinds of display: ``$$…$$``, ``\\[…\\]``, the display environments, a fenced ```` ```math ````
block, and a ``$…$`` alone on its line (how many Markdown write-ups display an equation).  A
fenced code block is found too, so that a ``$$`` inside code is not read as math, but it is
no display.

The stages after the scan (``displays``: rows, ``\\tag{…}``, a ``(13)`` after the display) work
on one display at a time and are linear too.  A display is split into rows at every ``\\\\``
outside braces and outside nested environments (a ``\\substack``'s or a ``cases``' line breaks
stay inside their row), after an ``aligned`` or ``split`` that wraps the whole display is
unwrapped; several equations in one display are rows of their own.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

ENVIRONMENTS = ("equation", "align", "gather", "multline", "eqnarray", "flalign", "alignat")
# environments whose rows are equations of their own when they wrap a whole display
ROW_ENVIRONMENTS = frozenset(
    ("aligned", "split", "gathered", "alignedat", "multlined", "equation", *ENVIRONMENTS)
)


@dataclass(frozen=True)
class Delimiter:
    """A kind of display: ``opener`` starts one, the first of ``closers`` after it ends it.

    ``rows``: whether ``\\\\`` separates equations of their own.  ``alone``: the display counts
    only when it is alone on its line (a ``$…$`` line).  ``math``: False for a fenced code block,
    which is found only so that its text is not read as math.
    """

    opener: str
    closers: tuple[str, ...]
    rows: bool = True
    alone: bool = False
    math: bool = True


def _environment(name: str) -> tuple[Delimiter, ...]:
    closers = (f"\\end{{{name}}}", f"\\end{{{name}*}}")  # a starred begin may end unstarred
    return tuple(Delimiter(f"\\begin{{{name}{star}}}", closers) for star in ("", "*"))


DELIMITERS: tuple[Delimiter, ...] = (
    Delimiter("$$", ("$$",)),
    Delimiter("\\[", ("\\]",)),
    Delimiter("$", ("$",), alone=True),
    Delimiter("\\(", ("\\)",), alone=True),
    Delimiter("```math", ("```",)),
    Delimiter("```", ("```",), math=False),
    Delimiter("~~~", ("~~~",), math=False),
    *(delimiter for name in ENVIRONMENTS for delimiter in _environment(name)),
)
_BY_OPENER = {d.opener: d for d in DELIMITERS}
# longest first, so that an opener that begins another one (``$`` and ``$$``) cannot hide it
_OPENERS = re.compile("|".join(re.escape(o) for o in sorted(_BY_OPENER, key=len, reverse=True)))
_BRACE = re.compile(r"[{}]")
_TAG = re.compile(r"\\tag\*?\s*(?:\{|(?=[0-9A-Za-z]))")
# linear: it can only start at one of the three words, and ``[^{}]*`` stops at the next brace
_DROPPED = re.compile(r"\\(?:label|nonumber|notag)(?:\{[^{}]*\})?")
# what splits a display into rows, and what nests: an escaped brace is neither
_STRUCTURE = re.compile(
    r"\\begin\s*\{([A-Za-z]{1,20}\*?)\}|\\end\s*\{([A-Za-z]{1,20}\*?)\}"
    r"|\\\\\*?(?:\s{0,9}\[\s{0,9}-?[\d.]{1,9}\s{0,9}(?:pt|em|ex|in|cm|mm|mu|bp|pc|sp)\s{0,9}\])?"
    r"|\\[{}]|[{}]"
)
_INDENT = 40  # spaces before a ``$`` line that are its indentation (in a list item)
_ALIGNED = re.compile(r"\\begin\s*\{([A-Za-z]{1,20}\*?)\}|\\end\s*\{([A-Za-z]{1,20}\*?)\}|\\[{}&]|[{}&]")
_DELIMITER_BEFORE = re.compile(r"\\(?:right|left|[bB]igg?[lr]?)\s*$")
_NESTING = 3  # row environments inside row environments that are unwrapped
_ALIGNAT_COLUMNS = re.compile(r"\s*\{\s*\d{1,2}\s*\}")


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
        return " ".join(self.between(text))

    def between(self, text: str) -> list[str]:
        """The text before each display (from the end of the one before), and after the last."""
        pieces, position = [], 0
        for block in self.blocks:
            pieces.append(text[position : block.start])
            position = block.end
        pieces.append(text[position:])
        return pieces


@dataclass(frozen=True)
class Display:
    """One row of a displayed equation, where it is, and its number.

    ``block``: the index of the display it is a row of (rows of one display share it);
    ``line``: the 1-based line of the text the row starts on.
    """

    latex: str
    position: int
    number: str | None
    block: int = 0
    line: int = 0


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
    which is what ``\\$\\$(.+?)\\$\\$`` and its kin matched, found without backtracking.  A ``$``
    display must be alone on its line: only spaces before its opener and after its closer.
    """
    closers = {c: _Next(text, c) for d in DELIMITERS for c in d.closers}
    newline = _Next(text, "\n")
    inline = _Inline(text)
    blocks: list[Block] = []
    steps = position = 0
    while True:
        match = _OPENERS.search(text, position)
        steps += (len(text) if match is None else match.end()) - position
        if match is None:
            break
        delimiter = _BY_OPENER[match.group()]
        if delimiter.opener == "$$" and inline.open_at(match.start()):
            position = match.start() + 1  # "$a$$": the first $ closes the inline math
            continue
        body = match.end()
        found = [(closers[c].at(body + 1), c) for c in delimiter.closers]
        found = [(at, c) for at, c in found if at >= 0]
        if delimiter.alone:
            found, looked = _alone(text, match.start(), found, newline)
            steps += looked
        if not found:
            position = match.start() + 1
            continue
        close, closer = min(found)
        blocks.append(Block(delimiter, match.start(), body, close, close + len(closer)))
        position = close + len(closer)
    counted = sum(n.steps for n in closers.values()) + newline.steps + inline.steps
    return Scan(tuple(blocks), steps + counted)


class _Inline:
    """Whether an inline ``$…$`` is open at a position: an odd number of ``$`` since the line began.

    Asked at positions that only grow; each character is counted once.
    """

    def __init__(self, text: str) -> None:
        self._text, self._counted, self._dollars = text, 0, 0
        self.steps = 0

    def open_at(self, position: int) -> bool:
        text, start = self._text, self._counted
        if position > start:
            newline = text.rfind("\n", start, position)
            if newline >= 0:
                self._dollars = text.count("$", newline + 1, position)
            else:
                self._dollars += text.count("$", start, position)
            self.steps += position - start
            self._counted = position
        return self._dollars % 2 == 1


def _alone(text: str, start: int, found: list, newline: _Next) -> tuple[list, int]:
    """``found`` if the ``$`` at ``start`` and its closer are alone on one line, else [], and
    the characters looked at before ``start``: only the spaces just before it, at most
    ``_INDENT`` (more is not indentation), so that no character is looked at twice."""
    line_start = start
    while line_start > 0 and start - line_start < _INDENT and text[line_start - 1] in " \t":
        line_start -= 1
    looked = start - line_start + 1
    if line_start > 0 and text[line_start - 1] != "\n":
        return [], looked
    line_end = newline.at(start)
    line_end = len(text) if line_end < 0 else line_end
    found = [(at, c) for at, c in found if at < line_end]
    if not found or text[min(found)[0] + len(min(found)[1]) : line_end].strip():
        return [], looked
    return found, looked


def displays(text: str, found: Scan | None = None) -> list[Display]:
    """The rows of the displayed equations of ``text`` in order, each an equation of its own.

    A row's number is its ``\\tag{…}``, else a ``(13)`` right after the display (for the last
    row).  ``found`` is ``scan(text)`` where the caller has it already.
    """
    result: list[Display] = []
    lines = _Lines(text)
    for index, block in enumerate((found or scan(text)).blocks):
        if not block.delimiter.math:
            continue
        for offset, row in rows(text[block.body : block.close]):
            number, row = _tagged(row)
            row = _unpunctuated(_unaligned(_DROPPED.sub(" ", row)))
            if row:
                where = block.body + offset + _leading_space(text, block.body + offset)
                result.append(Display(row, where, number, index, lines.of(where)))
        after = number_after(text, block.end)
        if after is not None and result and result[-1].block == index and result[-1].number is None:
            result[-1] = Display(result[-1].latex, result[-1].position, after, index, result[-1].line)
    return result


class _Lines:
    """The 1-based line of a position, by bisection over the line starts."""

    def __init__(self, text: str) -> None:
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def of(self, position: int) -> int:
        return bisect.bisect_right(self._starts, position)


def rows(body: str, depth: int = 0) -> list[tuple[int, str]]:
    """The rows of a display's body, each with its offset in the body.

    An environment that wraps the whole body (``\\begin{aligned} … \\end{aligned}``, ``split``)
    is unwrapped; the body is split at every ``\\\\`` (and its ``[2pt]``) outside braces and
    outside any environment nested in it.  A row that is itself such an environment (a ``split``
    after a first row) is split in its turn, up to ``_NESTING`` levels.
    """
    body, start = _unwrapped(body)
    found, braces, nested, begun = [], 0, 0, start
    for match in _STRUCTURE.finditer(body, start):
        token = match.group()
        if match.group(1):
            nested += 1
        elif match.group(2):
            nested = max(0, nested - 1)
        elif token == "{":
            braces += 1
        elif token == "}":
            braces = max(0, braces - 1)
        elif token.startswith("\\\\") and braces == 0 and nested == 0:
            found.append((begun, body[begun : match.start()]))
            begun = match.end()
    found.append((begun, body[begun:]))
    if depth >= _NESTING:
        return found
    result = []
    for offset, row in found:
        opening = _STRUCTURE.match(row, len(row) - len(row.lstrip()))
        if opening is not None and (opening.group(1) or "").rstrip("*") in ROW_ENVIRONMENTS:
            result += [(offset + inner, text) for inner, text in rows(row, depth + 1)]
        else:
            result.append((offset, row))
    return result


def _leading_space(text: str, position: int) -> int:
    """How many white-space characters start at ``position`` (a row starts after its line break)."""
    return skip_space(text, position) - position


def _unpunctuated(row: str) -> str:
    """``row`` without the full stop or comma that ends a sentence (not ``\\right.``)."""
    row = row.strip()
    while row.endswith((".", ",", ";")) and not _DELIMITER_BEFORE.search(row[-12:-1]):
        row = row[:-1].rstrip()
    return row


def _unaligned(row: str) -> str:
    """``row`` with its alignment marks ``&`` as spaces, but those of an environment nested in it
    (the columns of a ``cases``) kept."""
    pieces, position, depth, nested = [], 0, 0, 0
    for match in _ALIGNED.finditer(row):
        token = match.group()
        if match.group(1):
            nested += 1
        elif match.group(2):
            nested = max(0, nested - 1)
        elif token == "{":
            depth += 1
        elif token == "}":
            depth = max(0, depth - 1)
        elif token == "&" and depth == 0 and nested == 0:
            pieces += [row[position : match.start()], " "]
            position = match.end()
    pieces.append(row[position:])
    return "".join(pieces)


def _unwrapped(body: str) -> tuple[str, int]:
    """``body`` with an outer row environment blanked out (same length), and where rows start."""
    start = len(body) - len(body.lstrip())
    match = _STRUCTURE.match(body, start)
    if match is None or match.group(1) is None or match.group(1).rstrip("*") not in ROW_ENVIRONMENTS:
        return body, start
    name = match.group(1)
    end = match.end()
    columns = _ALIGNAT_COLUMNS.match(body, end) if name.startswith("alignat") else None
    end = columns.end() if columns else end
    closing = _matching_end(body, end)
    if closing is None:
        return body, start
    close_start, close_end = closing
    blanked = body[:start] + " " * (end - start) + body[end:close_start] + " " * (close_end - close_start)
    return blanked + body[close_end:], end


def _matching_end(body: str, position: int) -> tuple[int, int] | None:
    """Where the ``\\end{…}`` that closes the environment begun before ``position`` is."""
    nested = 0
    for match in _STRUCTURE.finditer(body, position):
        if match.group(1):
            nested += 1
        elif match.group(2):
            if nested == 0:
                return match.start(), match.end()
            nested -= 1
    return None


def _next_brace(text: str, position: int) -> int:
    match = _BRACE.search(text, position)
    return -1 if match is None else match.start()


def _tagged(row: str) -> tuple[str | None, str]:
    """The first ``\\tag{…}``'s number (spaces stripped), and the row with every tag a space.
    ``\\tag1`` (one character, no braces) is a tag too."""
    number, pieces, position, searched = None, [], 0, 0
    while (match := _TAG.search(row, searched)) is not None:
        if not match.group().endswith("{"):
            end = match.end() + 1
            value = row[match.end() : end]
        else:
            brace = _next_brace(row, match.end())
            if brace < 0 or row[brace] != "}":
                searched = match.start() + 1
                continue
            end, value = brace + 1, row[match.end() : brace]
        if number is None:
            number = value.strip()
        pieces.append(row[position : match.start()])
        position = searched = end
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
