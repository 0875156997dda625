"""The shapes a document declares, in its prose or its mathematics.

``U \\in \\mathbb{R}^{|V| \\times d}`` (U as rows), ``U \\in \\mathbb{R}^{d \\times |V|}`` (columns), "U,
matrix of shape (vocab_size, embedding_dim)", "the columns of U are the outside vectors"; for y
and ŷ, a line that names them and calls them row vectors ("ŷ is 1×V", "$y, \\hat{y}$ are row
vectors", 行向量) or column vectors.  A declaration overrides a course profile's convention, and
is reported with its line.  A document that declares both readings of one object declares
neither (it is reported, and the profile's or the inferred reading is used).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from symw2v.world import OBJECTS

# a dimension that is the vocabulary's size, or the vectors' (anything else is neither)
_VOCABULARY = re.compile(r"^\|?\s*(?:V|Vocab|vocab|vocab_size|vocabulary|W|n_words|\\mathcal\{?V\}?)\s*\|?$")
_EMBEDDING = re.compile(r"^(?:d|D|N|n|k|m|h|H|dim|d_\{?model\}?|embed\w*|embedding_dim|hidden\w*)$")
_REALS = r"(?:\\mathbb\s*\{?\s*R\s*\}?|\\R(?![A-Za-z])|\\Re(?![A-Za-z])|R|ℝ)"
_FONT = r"(?:\\(?:pmb|mathbf|boldsymbol|bm|mathrm)\s*\{?\s*)?"
_U_IN = re.compile(rf"(?<![A-Za-z\\]){_FONT}U\s*\}}?\s*\\in\s*{_REALS}\s*\^\s*\{{([^{{}}]{{1,60}})\}}")
_U_SHAPE = re.compile(r"(?<![A-Za-z\\])U\b[^\n]{0,60}?shape\s*(?:of\s*)?\(([^()\n]{1,60})\)")
_U_PARTS = re.compile(r"\b(columns?|rows?)\s+of\s+\$?\s*" + _FONT + r"U\b")
_TIMES = re.compile(r"\\times|×|\\cdot|,|(?<=[\w|}])\s*x\s*(?=[\w|\\])")
# y, ŷ or ỹ as a symbol of its own (not the y of "you", not y_1)
_Y = re.compile(
    r"(?<![A-Za-z\\])(?:\\(?:hat|tilde|widehat|pmb|mathbf|boldsymbol|bm)\s*\{?\s*)*y(?![A-Za-z_(])"
)
_ROW = re.compile(
    r"\brow\s+vectors?\b|\bin\s+rows?\b|\bas\s+rows?\b|\brows?\b(?=[^\n]{0,20}vector)|行向量|1\s*(?:\\times|×|x)\s*\|?V"
)
_COLUMN = re.compile(
    r"\bcolumn\s+vectors?\b|\bin\s+columns?\b|\bas\s+columns?\b|列向量|\|?V\|?\s*(?:\\times|×|x)\s*1\b|\(\s*vocab_size\s*,\s*1\s*\)"
)
_MATH = re.compile(r"\$[^$\n]{1,200}\$")
_Y_IN = re.compile(
    rf"(?<![A-Za-z\\]){_FONT}(?:\\hat\s*\{{?\s*)?y\s*\}}?\s*\}}?\s*\\in\s*{_REALS}\s*\^\s*\{{([^{{}}]{{1,60}})\}}"
)
_LONGEST = 5_000  # characters of a line read for declarations


@dataclass(frozen=True)
class Declared:
    """The readings a document declares (None: not declared), and where it says each."""

    U: str | None = None
    y: str | None = None
    where: tuple[str, ...] = ()
    conflicts: tuple[str, ...] = ()


def declared(text: str, prose: str, where=lambda line: f"line {line}") -> Declared:
    """The readings of U and y that ``text`` declares; ``prose`` is ``text`` with its displays
    blanked (the same lines): words ("row vector") declare only there, where they describe an
    object rather than a result.  ``where`` names a line for the report."""
    found: dict[str, dict[str, int]] = {"U": {}, "y": {}}
    for number, (line, words) in enumerate(zip(text.split("\n"), prose.split("\n"), strict=False), start=1):
        line, words = line[:_LONGEST], words[:_LONGEST]
        for reading in _U_readings(line):
            found["U"].setdefault(reading, number)
        for reading in (_y_in(line), _y_reading(words)):
            if reading:
                found["y"].setdefault(reading, number)
    values, said, conflicts = {}, [], []
    for name, readings in found.items():
        if len(readings) == 1:
            ((reading, number),) = readings.items()
            values[name] = reading
            said.append(f"{_READINGS[name, reading]} ({where(number)})")
        elif len(readings) > 1:
            lines = ", ".join(f"{r} on {where(n)}" for r, n in sorted(readings.items(), key=lambda i: i[1]))
            conflicts.append(f"{_shown(name)} is declared both ways ({lines}); neither is used")
    return Declared(values.get("U"), values.get("y"), tuple(said), tuple(conflicts))


_READINGS = {
    ("U", "rows"): "U as rows (V×d, row w is u_wᵀ)",
    ("U", "columns"): "U as columns (d×V, column w is u_w)",
    ("y", "row"): "ŷ and y as 1×V rows",
    ("y", "column"): "ŷ and y as V×1 columns",
}


def _shown(name: str) -> str:
    return "ŷ and y" if name == "y" else OBJECTS[name].text


def _U_readings(line: str) -> list[str]:
    readings = []
    for match in (*_U_IN.finditer(line), *_U_SHAPE.finditer(line)):
        reading = _reading_of(match.group(1))
        if reading:
            readings.append(reading)
    for match in _U_PARTS.finditer(line):
        readings.append("columns" if match.group(1).startswith("column") else "rows")
    return readings


def _reading_of(dimensions: str) -> str | None:
    """``rows`` for a V×d shape, ``columns`` for d×V, None for anything else."""
    parts = [p.strip().strip("{}").strip() for p in _TIMES.split(dimensions)]
    if len(parts) != 2:
        return None
    kinds = ["V" if _VOCABULARY.match(p) else "d" if _EMBEDDING.match(p) else "" for p in parts]
    return {("V", "d"): "rows", ("d", "V"): "columns"}.get(tuple(kinds))


def _y_in(line: str) -> str | None:
    """The reading ``y \\in \\mathbb{R}^{1 \\times |V|}`` declares (a single size: a column)."""
    for match in _Y_IN.finditer(line):
        parts = [p.strip().strip("{}|").strip() for p in _TIMES.split(match.group(1))]
        if len(parts) == 1 or parts[-1] == "1":
            return "column"
        if parts[0] == "1":
            return "row"
    return None


def _y_reading(line: str) -> str | None:
    """The reading a line gives y and ŷ: it names them, and calls them rows or columns."""
    math = [m.group() for m in _MATH.finditer(line)] or ([line] if "\\" in line else [])
    if not any(_Y.search(piece) for piece in math):
        return None
    rows, columns = _ROW.search(line) is not None, _COLUMN.search(line) is not None
    if rows == columns:
        return None
    return "row" if rows else "column"
