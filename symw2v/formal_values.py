"""Formal values for the all-sizes certificate: vectors, length-V vectors and matrices over
formal symbols, and the remainders that stand for sums over the rest of an index set.

Vectors are formal symbols (u_o, a generic member u_g of the loss's index set, v_c) and their
dot products independent scalar symbols (z_o = u_oᵀv_c, z_g = u_gᵀv_c, …).  A scalar remainder
is an opaque symbol R_f = Σ_{j rest} f(z_j), one per generic term (two terms share a symbol only
when they are the same expression); a vector remainder is a family Σ_{j rest} h(j) u_j kept by
its coefficient h.  A length-V vector has an entry at o, g and the generic rest •, and, for a
loss with sampled words, at a word n that is neither o nor one of them.  A matrix with a d-vector
per word (U, an outer product v_c aᵀ, a block of columns [a_1, …, a_V], their sums and multiples)
is kept by its vector at each kind of word: o, g, and n for a loss with sampled words.
``formal.py`` evaluates closed forms to these values.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy

from symw2v import closed_form as cf
from symw2v.errors import SymW2VError
from symw2v.world import (
    OBJECTS,
    OUTSIDE,
    SCORES,
    WORDS,
)

GENERIC = "•"  # the placeholder index of a remainder's generic term
MEMBER = "g"  # the generic member of the index set a variable's free letter ranges over
INDICES = (OUTSIDE, MEMBER, GENERIC)
# a word that is neither o nor a sampled word (for a loss with negatives): J does not depend on
# its vector, so its column of ∂J/∂U is 0; never a value a claim's letter is bound to
NEITHER = "n"
FAMILY = "fam:"  # a coefficient key Σ over the rest of an index set, "fam:V", "fam:K" or "fam:m"
# [• = k]: the entry of e_k, k one of the other negatives, at the generic rest word (a window
# loss with negatives, whose negatives are distinct and differ from o: e_k is 0 at o, g and n)
OTHER_NEGATIVE = sympy.Symbol("δ_k", nonnegative=True)


class NoCertificate(SymW2VError):
    """The claim is outside what the formal argument covers; the message says why."""


class Pairing(sympy.Symbol):
    """The dot product of two formal vectors, an independent real symbol that knows them."""

    __slots__ = ("vectors",)

    def __new__(cls, a: str, b: str):
        a, b = sorted((a, b))
        self = sympy.Symbol.__xnew__(cls, f"p({a},{b})", real=True)
        self.vectors = (a, b)
        return self

    def __getnewargs_ex__(self):
        return (self.vectors, {})

    @property
    def generic(self) -> bool:
        return any(v == WORDS.text(GENERIC) for v in self.vectors)


def centre() -> str:
    """The formal name of the vector whose dot products with the words are the scores."""
    return z_definition().right.name


def score(index: str) -> sympy.Symbol:
    """z_index = u_indexᵀ v_c: a dot product symbol of its own."""
    return sympy.Symbol(f"z_{index}", real=True)


def dot(a: str, b: str) -> sympy.Expr:
    """The dot product of two basis vectors: z_i for u_iᵀv_c, else an independent pairing."""
    a, b = sorted((a, b))
    word = f"{WORDS.letter}_"
    if centre() in (a, b) and (a if b == centre() else b).startswith(word):
        return score((a if b == centre() else b)[len(word) :])
    return Pairing(a, b)


def size(index_set) -> sympy.Symbol:
    return sympy.Symbol(index_set.bound, positive=True)


@dataclass
class FVec:
    """A formal vector: ``Σ coeffs[b] b`` over the basis plus families over the rest."""

    coeffs: dict[str, sympy.Expr] = field(default_factory=dict)  # basis name or "fam:K"/"fam:V"
    row: bool = False

    def scaled(self, factor: sympy.Expr) -> FVec:
        return FVec({k: factor * v for k, v in self.coeffs.items()}, self.row)

    def plus(self, other: FVec, sign: int = 1) -> FVec:
        coeffs = dict(self.coeffs)
        for key, value in other.coeffs.items():
            coeffs[key] = coeffs.get(key, 0) + sign * value
        return FVec(coeffs, self.row)


@dataclass
class Family:
    """A length-V vector: its entries at o, at g and at the generic rest index •."""

    at: dict[str, sympy.Expr]  # keys "o", "g", "•"
    row: bool = False

    def map(self, function) -> Family:
        return Family({k: function(v) for k, v in self.at.items()}, self.row)


@dataclass
class Matrix:
    """The matrix of the word vectors, as rows or columns."""

    transposed_to_rows: bool  # True: V×d with rows u_wᵀ


@dataclass
class WordMatrix:
    """A matrix with a d-vector per word: column w is ``at[w]`` (d×V), or row w is ``at[w]ᵀ``
    (V×d, ``words_as_rows``); ``at`` has one entry per kind of word (o, g, and n for a loss with
    sampled words), the kinds every word of an instance is one of.  The generic rest • is left
    out: a matrix is never summed over its words here, and • is another word of g's kind.

    ``hidden``: a term of a sum over the window with a column at the position's word r that the
    kinds do not show (v_c e_rᵀ): only the window's sum, closed, is read column by column."""

    at: dict[str, FVec]
    words_as_rows: bool = False
    hidden: bool = False

    def map(self, function) -> WordMatrix:
        return WordMatrix({k: function(v) for k, v in self.at.items()}, self.words_as_rows, self.hidden)


class Remainders:
    """Opaque symbols R = Σ_{j in rest} f(z_j), one per (index set, generic term f)."""

    def __init__(self) -> None:
        self.symbols: dict[tuple[str, str], tuple[sympy.Symbol, sympy.Expr]] = {}

    def symbol(self, over: str, term: sympy.Expr) -> sympy.Expr:
        if term == 0:
            return sympy.Integer(0)
        key = (over, _canonical(term))
        if key not in self.symbols:
            # a sum of positive terms over the rest is ≥ 0 (0 when the rest is empty): what
            # lets a log of a softmax be shown defined
            sign = {"nonnegative": True} if term.is_nonnegative else {}
            self.symbols[key] = (sympy.Symbol(f"R{over}{len(self.symbols)}", **sign), term)
        return self.symbols[key][0]


def _canonical(expr: sympy.Expr) -> str:
    """A key for a remainder's generic term: two terms share it only when they are the same
    function, since the key is the text of an expression equal to the term.

    Sums written differently are still recognised: ``exp(2 z + 1)`` and ``e·exp(z)²`` both
    become ``e·T[z]²`` (``T[s]`` standing for ``exp(s)``) before ``cancel`` normalises the
    whole term.  Only exponents linear in the dot products, with integer coefficients, are
    rewritten so; any other exponential stays as it is, whole, in the key.
    """
    replacement = {}
    for atom in expr.atoms(sympy.exp):
        argument = sympy.expand(atom.args[0])
        gens = sorted(argument.free_symbols, key=sympy.default_sort_key)
        if not gens or not argument.is_polynomial(*gens):
            continue
        poly = sympy.Poly(argument, *gens)
        if poly.total_degree() != 1 or not all(c.is_Integer for c in poly.coeffs()):
            continue
        monomial = sympy.exp(poly.coeff_monomial(1))
        for symbol in gens:
            monomial *= sympy.Symbol(f"T[{symbol}]", positive=True) ** poly.coeff_monomial(symbol)
        replacement[atom] = monomial
    return sympy.srepr(sympy.cancel(expr.xreplace(replacement)))


_DEFINITIONS: dict[str, cf.Node] = {}


def definition(name: str) -> cf.Node:
    if name not in _DEFINITIONS:
        from symw2v.parse import parse_claim  # the parser reads the world too: import it late

        _DEFINITIONS[name] = parse_claim(OBJECTS[name].definition)
    return _DEFINITIONS[name]


def z_definition() -> cf.Node:
    """The scores' definition, Uᵀv_c: the formal algebra reads its vectors from it."""
    return definition(SCORES)


def multiple_of_U(value, rows: bool) -> sympy.Expr | None:
    """s when ``value`` is s U laid out as ``rows`` says (its column at every kind of word
    s u_w, one s for all), else None."""
    if not isinstance(value, WordMatrix) or value.words_as_rows != rows or value.hidden:
        return None
    factors = set()
    for kind, column in value.at.items():
        if column.row or column.coeffs.keys() != {WORDS.text(kind)}:
            return None
        factors.add(column.coeffs[WORDS.text(kind)])
    return factors.pop() if len(factors) == 1 else None


def kind_of(value) -> str:
    """What a formal value is, in words, for a message naming what the argument does not cover."""
    if isinstance(value, FVec):
        return "a row d-vector" if value.row else "a d-vector"
    if isinstance(value, Family):
        return "a length-V row" if value.row else "a length-V vector"
    if isinstance(value, Matrix):
        return "U (V×d)" if value.transposed_to_rows else "U (d×V)"
    if isinstance(value, WordMatrix):
        return "a V×d matrix" if value.words_as_rows else "a d×V matrix"
    return "a scalar"


def transpose(value):
    if isinstance(value, WordMatrix):
        return WordMatrix(value.at, not value.words_as_rows, value.hidden)
    if isinstance(value, FVec):
        return FVec(value.coeffs, not value.row)
    if isinstance(value, Family):
        return Family(value.at, not value.row)
    if isinstance(value, Matrix):
        return Matrix(not value.transposed_to_rows)
    return value


def never_zero(value: sympy.Expr) -> None:
    """A divisor must be non-zero everywhere, as SymPy's assumptions show (e.g. a sum of
    exponentials); a claim that divides by what may vanish is outside the argument."""
    if not (value.is_positive or value.is_negative):
        raise NoCertificate("a division by something not shown to be non-zero")


def check_no_other_negative(value) -> None:
    """The entry of e_k (k another negative) at the generic rest word is [• = k]: no function of
    the word alone, so a sum over the vocabulary, a softmax or a component may not read it."""
    values = value.at.values() if isinstance(value, Family) else [value]
    if any(isinstance(v, sympy.Basic) and v.has(OTHER_NEGATIVE) for v in values):
        raise NoCertificate(
            "the one-hot vector of a negative summed over, read at every word (the argument reads "
            "e_k in an outer product v_c e_kᵀ, a column per kind of word)"
        )


def check_generic_only(term: sympy.Expr) -> None:
    if any(isinstance(s, Pairing) and s.generic for s in term.free_symbols):
        raise NoCertificate("a dot product of a summed vector with something other than v_c")


def scale(value, factor, what: str = "a multiple of"):
    """``factor`` times a formal value; ``what`` names the operation in a denial."""
    if isinstance(value, sympy.Expr):
        return factor * value
    if isinstance(value, FVec):
        return value.scaled(factor)
    if isinstance(value, Family):
        return value.map(lambda v: factor * v)
    if isinstance(value, WordMatrix):
        return value.map(lambda v: v.scaled(factor))
    raise NoCertificate(f"{what} {kind_of(value)}")


def add(left, right, sign: int, what: str = "a sum of"):
    """``left + sign·right`` of two formal values of one kind; ``what`` names it in a denial."""
    if isinstance(left, sympy.Expr) and isinstance(right, sympy.Expr):
        return left + sign * right
    if isinstance(left, FVec) and isinstance(right, FVec):
        return left.plus(right, sign)
    if isinstance(left, Family) and isinstance(right, Family) and left.row == right.row:
        return Family({k: left.at[k] + sign * right.at[k] for k in left.at}, left.row)
    if (
        isinstance(left, WordMatrix)
        and isinstance(right, WordMatrix)
        and left.words_as_rows == right.words_as_rows
    ):
        at = {k: left.at[k].plus(right.at[k], sign) for k in left.at}
        return WordMatrix(at, left.words_as_rows, left.hidden or right.hidden)
    raise NoCertificate(f"{what} {kind_of(left)} and {kind_of(right)}")
