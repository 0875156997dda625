"""The one schema of symw2v's input: every field of a batch line, of a derivation file and of
the command line's numeric options, with the exact types it takes and the values it allows.

Batch lines and derivation files come from people we do not know, and JSON and TOML hand us
``true`` and ``2.0`` where a whole number is meant.  Python would let both through as 1 and 2
(``True == 1``, with equal hashes, so a cache keyed by them serves one answer for the other),
so a type is compared exactly, never with ``isinstance``: a bool is not a whole number and a
float is neither an index nor a size.  Nothing reaches an ``Instance``, ``Conventions``, a
``Loss`` or a cache before it has passed ``validate``.
"""

from __future__ import annotations

import argparse
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from symw2v import world
from symw2v.errors import InputError
from symw2v.parse import SYNTAXES
from symw2v.results import Verdict
from symw2v.world.instance import MAX_D, MAX_K, MAX_M, MAX_V
from symw2v.world.losses import BUILTIN

U_READINGS = ("rows", "columns")
Y_READINGS = ("row", "column")
LAYOUTS = ("auto", "numerator", "denominator")
VERDICTS = tuple(v.value for v in Verdict)
MAX_NAME = 200  # characters of an id, a title, a loss's name
MAX_TEXT = 20_000  # characters of a claim, an equation, a note (a batch line's own limit)
MAX_CLAIMS = 500
MAX_SWEEP = 8  # values of one size in a sweep: the sweep is their product
MAX_JOBS = 64
MAX_SECONDS = 86_400.0
MIN_SECONDS = 0.01
SHOWN = 60  # characters of a bad value quoted back in an error


# -- quoting what was given -------------------------------------------------------------------


def quote(value: object) -> str:
    """``value`` as JSON writes it, cut short: what a user gave, quoted back safely."""
    text = _show(value, 0)
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


def _show(value: object, depth: int) -> str:
    kind = type(value)
    if value is None or kind is bool:
        return json.dumps(value)
    if kind is int:
        return str(value) if value.bit_length() < 128 else f"a whole number of {value.bit_length()} bits"
    if kind is float:
        return repr(value)
    if kind is str:
        return json.dumps(value[:SHOWN])  # escapes control characters: nothing reaches the terminal raw
    if kind in (list, tuple):
        inner = "…" if depth > 1 else ", ".join(_show(item, depth + 1) for item in value[:4])
        return f"[{inner}{', …' if len(value) > 4 and depth <= 1 else ''}]"
    if kind is dict:
        pairs = list(value.items())[:4]
        inner = "…" if depth > 1 else ", ".join(f"{_show(k, 2)}: {_show(v, depth + 1)}" for k, v in pairs)
        return "{" + inner + "}"
    return json.dumps(str(value)[:SHOWN])  # a TOML date or time


@dataclass(frozen=True)
class Field:
    """One input field: the exact types it takes and what a value of each must satisfy."""

    name: str
    types: tuple[type, ...]
    help: str
    choices: tuple = ()  # the values a string (or a bool) may take
    low: float | None = None  # the range of a number, both ends included
    high: float | None = None
    most: int | None = None  # characters of a string, items of a list
    fewest: int = 0  # items of a list
    item: Field | None = None  # what each item of a list is
    table: Table | None = None  # what a table is
    expected: str = ""  # said instead of the generated description, for a field of two types

    def describe(self) -> str:
        """What a value must be: ``a whole number from 2 to 2000``."""
        return self.expected or " or ".join(dict.fromkeys(_DESCRIBE[kind](self) for kind in self.types))


@dataclass(frozen=True)
class Table:
    """The fields a table may have: a batch line, or one table of a derivation file."""

    fields: tuple[Field, ...]
    required: tuple[str, ...] = ()
    noun: str = "key"  # what a batch line calls its keys: "field"

    def names(self) -> str:
        return ", ".join(f.name for f in self.fields)


def _choices(field: Field) -> str:
    return "one of " + ", ".join(quote(c) for c in field.choices)


def _count(field: Field) -> str:
    return f"{field.fewest} to {field.most}" if field.fewest else f"at most {field.most}"


def _string(field: Field) -> str:
    return _choices(field) if field.choices else f"a string of {_count(field)} characters"


def _number(field: Field) -> str:
    whole = float not in field.types
    return f"{'a whole number' if whole else 'a number'} from {_plain(field.low)} to {_plain(field.high)}"


def _list(field: Field) -> str:
    return f"a list of {_count(field)} items, each {field.item.describe()}"


_DESCRIBE: dict[type, Callable[[Field], str]] = {
    str: _string,
    int: _number,
    float: _number,
    bool: _choices,
    list: _list,
    dict: lambda field: "a table",
}


def _plain(number: float | None) -> str:
    return f"{number:g}" if isinstance(number, float) else str(number)


# -- the fields -------------------------------------------------------------------------------

ID = Field("id", (str,), "the claim's name in the results", fewest=1, most=MAX_NAME)
LOSS = Field("loss", (str,), "the loss J, a built-in one", choices=tuple(sorted(BUILTIN)))
WRT_ = Field("wrt", (str,), "the variable J is differentiated by", choices=world.WRT)
CLAIM = Field("claim", (str,), "the claimed gradient, plain text or LaTeX", most=MAX_TEXT)
U = Field("U", (str,), "U as V×d rows or d×V columns", choices=U_READINGS)
Y = Field("y", (str,), "y and ŷ as 1×V rows or V×1 columns", choices=Y_READINGS)
LAYOUT = Field("layout", (str,), "the gradient's layout", choices=LAYOUTS)
SYNTAX = Field("syntax", (str,), "the claim's syntax", choices=SYNTAXES)
CASE = Field(
    "case",
    (str,),
    "the case the answer is for: w != o, w = o, repeated negatives, every w, x > 0 or x < 0",
    choices=("", "w != o", "w = o", "repeated negatives", "every w", "x > 0", "x < 0"),
)
V = Field("V", (int,), "vocabulary size of the instance", low=2, high=MAX_V)
D = Field("d", (int,), "vector dimension of the instance", low=1, high=MAX_D)
K = Field("K", (int,), "number of negatives of the instance", low=1, high=MAX_K)
OUTSIDE = Field("o", (int,), "the outside word, 1-based", low=1, high=MAX_V)
NEGATIVES = Field(
    "negatives",
    (list,),
    "the negative samples, 1-based words, one per k = 1..K",
    most=MAX_K,
    item=replace(OUTSIDE, name="negative", help="a negative sample, 1-based"),
)
HALF_WIDTH = Field("m", (int,), "the window's half-width: 2m context positions", low=1, high=MAX_M)
WINDOW = Field(
    "window",
    (list,),
    "the window's words, 1-based, one per position −m ≤ j ≤ m, j ≠ 0, in order",
    most=2 * MAX_M,
    item=replace(OUTSIDE, name="window word", help="a word of the window, 1-based"),
)
EQUATION = Field("equation", (str,), "the equation as the derivation prints it, LaTeX", most=MAX_TEXT)
EXPECT = Field("expect", (str,), "the verdict the claim is expected to get", choices=VERDICTS)
NOTE = Field("note", (str,), "a remark shown with the claim in the report", most=MAX_TEXT)
TITLE = Field("title", (str,), "the report's title", most=MAX_NAME)
DESCRIPTION = Field("description", (str,), "what the derivation is about", most=MAX_TEXT)

# options of the command line that have no field in a file
JOBS = Field("jobs", (int,), "worker processes for --batch", low=1, high=MAX_JOBS)
TIME_LIMIT = Field("time-limit", (float, int), "seconds per claim", low=MIN_SECONDS, high=MAX_SECONDS)


def _sweep_of(size: Field) -> Field:
    return Field(
        size.name,
        (list,),
        f"the values of {size.name} the sweep covers",
        fewest=1,
        most=MAX_SWEEP,
        item=size,
    )


SWEEP_SIZES = {field.name: field for field in map(_sweep_of, (D, V, K, HALF_WIDTH))}

# -- the tables -------------------------------------------------------------------------------

BATCH_LINE = Table(
    (ID, LOSS, WRT_, CLAIM, U, Y, LAYOUT, V, D, K, OUTSIDE, SYNTAX, CASE, NEGATIVES, HALF_WIDTH, WINDOW),
    ("loss", "wrt", "claim"),
    "field",
)
CONVENTIONS = Table((U, Y, LAYOUT))
INSTANCE = Table((V, D, K, OUTSIDE, NEGATIVES, HALF_WIDTH, WINDOW))
CLAIM_TABLE = Table((ID, WRT_, CLAIM, EQUATION, EXPECT, NOTE, U, Y, LAYOUT, CASE), ("id", "wrt", "claim"))
# a letter of the claim language and the index set it ranges over (the vocabulary by default)
LETTERS = Table(
    tuple(
        Field(letter, (str,), f"what {letter} ranges over", choices=tuple(world.INDEX_SETS))
        for letter in "abcdefghijklmnpqrstuvwxyz"
        if letter not in (world.OUTSIDE, world.CENTRE)
    )
)
NAME = Field("name", (str,), "the loss's name in reports", fewest=1, most=MAX_NAME)
LOSS_TABLE = Table(
    (
        NAME,
        Field("expression", (str,), "J in the claim language", most=MAX_TEXT),
        Field("aliases", (list,), "other names of the loss", most=8, item=replace(NAME, name="alias")),
        Field("letters", (dict,), "what a free index letter, or a sum over it, ranges over", table=LETTERS),
        Field("description", (str,), "J as the report describes it", most=MAX_TEXT),
        Field("base", (str,), "the built-in single-word loss a window loss sums", most=MAX_NAME),
    ),
    ("name", "expression"),
)
# a course profile: symw2v/world/profiles/*.toml, or a file of a user's
PROFILE_INFO = Table(
    (NAME, Field("description", (str,), "the conventions, as the report says them", most=MAX_TEXT)), ("name",)
)
DISTINCT = Field(
    "distinct", (bool,), "whether the K negatives are distinct and none is o", choices=(True, False)
)
PROFILE = Table(
    (
        Field("profile", (dict,), "the profile's name and description", table=PROFILE_INFO),
        Field("conventions", (dict,), "the conventions the course uses", table=CONVENTIONS),
        Field("negatives", (dict,), "what the course assumes of the negatives", table=Table((DISTINCT,))),
    ),
    ("profile", "conventions"),
)
SWEEP = Table(tuple(SWEEP_SIZES.values()))
EXPORT = Table(
    (
        Field(
            "functions",
            (list,),
            "the exported module's public functions",
            most=8,
            item=replace(NAME, name="function"),
        ),
        Field("print_loss", (bool,), "whether J is printed from its expression", choices=(True, False)),
    )
)
DERIVATION = Table(
    (
        TITLE,
        DESCRIPTION,
        replace(
            LOSS,
            types=(str, dict),
            table=LOSS_TABLE,
            expected=f"{_choices(LOSS)}, or a [loss] table with name and expression",
        ),
        Field("conventions", (dict,), "the conventions every claim is read under", table=CONVENTIONS),
        Field("export", (dict,), "what symw2v export writes (built-in losses)", table=EXPORT),
        Field("instance", (dict,), "the instance the claims are proved at", table=INSTANCE),
        Field(
            "claims",
            (list,),
            "the hand-written claims",
            fewest=1,
            most=MAX_CLAIMS,
            item=Field("claims", (dict,), "a claim", table=CLAIM_TABLE, expected="a [[claims]] table"),
        ),
        Field(
            "sweep",
            (dict, bool),
            "the grid of instances a proved claim is also checked at",
            choices=(False,),
            table=SWEEP,
            expected="a [sweep] table of lists d, V and K, or false",
        ),
    ),
    ("loss", "claims"),
)

# -- validation -------------------------------------------------------------------------------


def validate(table: Table, data: object, where: str = "") -> dict:
    """The fields of ``data`` that ``table`` declares, each checked, lists made tuples.

    ``where`` starts every message (``"line 3: "``, ``"[instance] "``).  Raises ``InputError``
    naming the first unknown, missing or bad field.
    """
    if type(data) is not dict:
        raise InputError(where, "", f"{where}must be a table, got {quote(data)}")
    known = {field.name for field in table.fields}
    unknown = sorted((key for key in data if key not in known), key=str)
    if unknown:
        key = unknown[0]
        message = f"{where}unknown {table.noun} {quote(key)}; the {table.noun}s are {table.names()}"
        raise InputError(where, str(key), message)
    checked = {}
    for field in table.fields:
        if field.name in data:
            checked[field.name] = check_value(field, data[field.name], where)
        elif field.name in table.required:
            message = f"{where}no {field.name} given; it must be {field.describe()} ({field.help})"
            raise InputError(where, field.name, message)
    return checked


def check_value(field: Field, value: object, where: str = "", key: str = "") -> object:
    """``value`` checked against ``field``: a tuple for a list, a checked dict for a table."""
    key = key or field.name
    kind = type(value)
    if kind not in field.types or _problem(field, value):
        raise InputError(where, key, f"{where}{key} must be {field.describe()}, got {quote(value)}")
    if kind is list:
        return tuple(_item(field, item, where, key, number) for number, item in enumerate(value, start=1))
    if kind is dict:
        return validate(field.table, value, f"{where}[{key}] ")
    return value


def _item(field: Field, value: object, where: str, key: str, number: int) -> object:
    if field.item.table is not None and type(value) is dict:
        return validate(field.item.table, value, f"{where}[[{key}]] #{number}: ")
    return check_value(field.item, value, where, f"{key} #{number}")


def _problem(field: Field, value: object) -> bool:
    """True when a value of one of the field's types is out of its range or not a choice."""
    kind = type(value)
    if kind is float and not math.isfinite(value):
        return True
    if kind in (int, float):
        return not field.low <= value <= field.high
    if kind in (str, bool) and field.choices:
        return value not in field.choices
    if kind in (str, list):
        return (field.most is not None and len(value) > field.most) or len(value) < field.fewest
    return False


# -- command-line options ---------------------------------------------------------------------

_WHOLE = re.compile(r"\s*[+-]?[0-9]{1,18}\s*")
_WORD = re.compile(r"[\w.+-]{1,40}", re.ASCII)  # quoted back as it is, without quotes


def parse_number(field: Field, text: str, where: str = "") -> int | float:
    """The number an option's ``text`` writes, checked against ``field``."""
    value: object = text
    if _WHOLE.fullmatch(text):
        value = int(text)
    elif float in field.types and len(text) <= 40:
        try:
            value = float(text)
        except ValueError:
            pass
    if float in field.types and type(value) is int:
        value = float(value)
    if type(value) not in field.types or _problem(field, value):
        shown = text.strip() if _WORD.fullmatch(text.strip()) else quote(text)
        raise InputError(where, field.name, f"{where}{field.name} must be {field.describe()}, got {shown}")
    return value


def option(field: Field) -> Callable[[str], int | float]:
    """An argparse ``type`` for ``field``: a bad value is a usage error naming the option."""

    def convert(text: str) -> int | float:
        try:
            return parse_number(field, text)
        except InputError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    convert.__name__ = field.name
    return convert
