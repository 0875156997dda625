"""A document's text as the reader sees it: Markdown, LaTeX, or a notebook's Markdown cells.

Each format becomes one text whose lines are the file's lines (a notebook's are its Markdown
cells' lines, one cell after the other): LaTeX comments are blanked, the document's macros are
expanded (``macros.py``).  Nothing in the text runs; a notebook is JSON, read as data.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from symw2v.errors import SymW2VError
from symw2v.reader import macros

SUFFIXES = (".md", ".markdown", ".tex", ".txt", ".ipynb")
# a comment runs from an unescaped % to the end of its line
_COMMENT = re.compile(r"(?<!\\)%[^\n]*")
# a Markdown block quote's markers ("> > "), blanked so that a quoted display reads as one
_QUOTE = re.compile(r"^[ \t]{0,3}(?:>[ \t]?)+", re.MULTILINE)


@dataclass(frozen=True)
class Source:
    """The text to read, and where each notebook cell starts (its first line), if any."""

    text: str
    cells: tuple[int, ...] = ()

    def where(self, line: int) -> str:
        """``line 12``, or ``cell 3, line 2`` in a notebook."""
        if not self.cells or line <= 0:
            return f"line {line}"
        cell = max(i for i, first in enumerate(self.cells) if first <= line)
        return f"cell {cell + 1}, line {line - self.cells[cell] + 1}"


def source(text: str, suffix: str = ".md") -> Source:
    """The reader's text of a document of the format ``suffix`` names (Markdown by default)."""
    suffix = suffix.lower()
    cells: tuple[int, ...] = ()
    if suffix == ".ipynb":
        text, cells = _notebook(text)
    elif suffix == ".tex":
        text = _COMMENT.sub("", text)
    if suffix != ".tex":
        text = _QUOTE.sub(lambda m: " " * len(m.group()), text)
    return Source(macros.expand(text), cells)


def _notebook(text: str) -> tuple[str, tuple[int, ...]]:
    """A notebook's Markdown cells, in order, a blank line between two; and each one's first line."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        raise SymW2VError("the notebook is not valid JSON (an .ipynb file is JSON)") from None
    cells = data.get("cells") if type(data) is dict else None
    if type(cells) is not list:
        raise SymW2VError("the notebook has no list of cells")
    pieces, firsts, line = [], [], 1
    for cell in cells:
        if type(cell) is not dict or cell.get("cell_type") != "markdown":
            continue
        content = cell.get("source", "")
        if type(content) is list and all(type(piece) is str for piece in content):
            content = "".join(content)
        if type(content) is not str:
            continue
        firsts.append(line)
        pieces.append(content)
        line += content.count("\n") + 2
    return "\n\n".join(pieces), tuple(firsts)
