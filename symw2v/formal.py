"""Formal algebra for the all-sizes certificate: closed forms evaluated for every d, V and K.

Vectors are formal symbols (u_o, a generic member u_g of the loss's index set, v_c) and their
dot products independent scalar symbols (z_o = u_oᵀv_c, z_g = u_gᵀv_c, …).  A sum over the
sampled words is its generic term at g plus a remainder over the other members; a sum over the
vocabulary its terms at o and g plus a remainder.  A scalar remainder is an opaque symbol
R_f = Σ_{j rest} f(z_j), one per generic term (two terms share a symbol only when they are the
same expression); a vector remainder is a family Σ_{j rest} h(j) u_j kept by its coefficient h.
A length-V vector has an entry at o, g and the generic rest •, and, for a loss with sampled
words, at a word n that is neither o nor one of them.  A matrix with a d-vector per word (U, an
outer product v_c aᵀ, a block of columns [a_1, …, a_V], their sums and multiples) is kept by its
vector at each kind of word: o, g, and n for a loss with sampled words.
What each name is comes from the world: a primitive, or its definition evaluated formally, with
the world's σ and softmax.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy

from symw2v import closed_form as cf
from symw2v.errors import SymW2VError
from symw2v.world import (
    BY_BOUND,
    CANONICAL,
    OBJECTS,
    OUTSIDE,
    SCORES,
    VOCABULARY,
    WORDS,
    Reading,
    functions,
)
from symw2v.world.losses import Loss

GENERIC = "•"  # the placeholder index of a remainder's generic term
MEMBER = "g"  # the generic member of the index set a variable's free letter ranges over
INDICES = (OUTSIDE, MEMBER, GENERIC)
# a word that is neither o nor a sampled word (for a loss with negatives): J does not depend on
# its vector, so its column of ∂J/∂U is 0; never a value a claim's letter is bound to
NEITHER = "n"
FAMILY = "fam:"  # a coefficient key Σ over the rest of an index set, "fam:V" or "fam:K"


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
    return _z_definition().right.name


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
    out: a matrix is never summed over its words here, and • is another word of g's kind."""

    at: dict[str, FVec]
    words_as_rows: bool = False

    def map(self, function) -> WordMatrix:
        return WordMatrix({k: function(v) for k, v in self.at.items()}, self.words_as_rows)


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


class Formal(cf.Walk):
    """Evaluate a closed form formally; ``g`` is a generic member of the index set the loss's
    free letters range over (a word other than o, or a negative)."""

    def __init__(self, loss: Loss, reading: Reading, remainders: Remainders) -> None:
        self.loss = loss
        self.sampled = any(s.sampled for s in loss.index_sets)
        self.reading = reading
        self.remainders = remainders
        # the kinds of words a length-V vector has an entry for: with sampled words, g is one
        # of them, and a word that is none of them (n) is a kind of its own
        self.indices = INDICES + ((NEITHER,) if self.sampled else ())
        self.word_kinds = tuple(i for i in self.indices if i != GENERIC)  # a matrix's columns

    def value(self, node: cf.Node, bindings: dict[str, str]):
        return self(node, bindings)

    def matrix(self, node: cf.Node, bindings: dict[str, str]):
        """The value of ``node``, with U as the matrix of its columns (for sums and multiples)."""
        return self.as_columns(self(node, bindings))

    def as_columns(self, value):
        """U as a matrix with a vector per word (u_w at w); any other value as it is."""
        if not isinstance(value, Matrix):
            return value
        words = {i: FVec({WORDS.text(i): sympy.Integer(1)}) for i in self.word_kinds}
        return WordMatrix(words, value.transposed_to_rows)

    def on_Node(self, node: cf.Node, bindings):
        # a node class the formal algebra has no rule for (one added to the language later)
        about = getattr(type(node), "about", f"a {type(node).__name__} node")
        raise NoCertificate(f"{about}: the formal argument has no rule for it")

    def on_Columns(self, node: cf.Columns, bindings):
        """``[a_1, …, a_V]``: column w is the general term at w (a scalar term gives a row)."""
        if node.over != VOCABULARY.bound:
            raise NoCertificate(
                f"a block matrix [a_1, …, a_{node.over}] over the "
                f"{BY_BOUND[node.over].name if node.over in BY_BOUND else node.over}: the argument reads "
                "U, outer products and the columns [a_1, …, a_V] of the vocabulary"
            )
        first = self(node.body, {**bindings, node.index: OUTSIDE})
        # a row of scalars is a length-V vector (with its generic rest, for sums); a matrix has
        # a column per kind of word
        kinds = self.indices if isinstance(first, sympy.Expr) else self.word_kinds
        at = {i: self(node.body, {**bindings, node.index: i}) for i in kinds}
        if all(isinstance(v, sympy.Expr) for v in at.values()):
            return Family(at, row=True)
        if all(isinstance(v, FVec) and not v.row for v in at.values()):
            return WordMatrix(at)
        raise NoCertificate("a block matrix whose entries are not all d-vectors or all scalars")

    def on_Block(self, node: cf.Block, bindings):
        raise NoCertificate(
            "a block matrix of parts side by side [a, b, …]: the argument reads U, outer products "
            "and the columns [a_1, …, a_V] of the vocabulary"
        )

    def index(self, letter: str, bindings: dict[str, str]) -> str:
        if letter == OUTSIDE:
            return OUTSIDE
        if letter in bindings:
            return bindings[letter]
        if letter.isdigit():
            raise NoCertificate(f"the particular word {letter} (the argument has o and generic words only)")
        raise NoCertificate(
            f"the index {letter}, bound by no sum (the argument has o and generic words only)"
        )

    # -- names: primitives, and definitions evaluated formally
    def on_Name(self, node: cf.Name, bindings):
        obj = OBJECTS[node.name]
        if obj.definition:  # written in the canonical reading, then laid out as this one says
            try:
                value = Formal(self.loss, CANONICAL, self.remainders)(_definition(node.name), {})
            except NoCertificate as error:  # say which name the construct came from
                raise NoCertificate(f"{node.name} = {obj.definition}, {error}") from error
        elif obj.value == "coordinates":
            value = FVec({node.name: sympy.Integer(1)})
        elif obj.value == "matrix":
            value = Matrix(False)
        elif obj.value == "indicator":
            value = Family({i: sympy.Integer(int(i == OUTSIDE)) for i in self.indices})
        elif obj.value == "size":
            return sympy.Symbol(node.name, positive=True)
        elif obj.value == "constant":
            return sympy.E
        else:
            raise NoCertificate(f"{node.name} ({obj.meaning}) is outside the formal argument")
        return _transpose(value) if self.reading.transposes(obj.transposed_by) else value

    def on_Num(self, node: cf.Num, bindings):
        return sympy.Rational(node.value.numerator, node.value.denominator)

    def on_Max(self, node: cf.Max, bindings):
        raise NoCertificate("a maximum: the argument covers smooth functions")

    def on_Same(self, node: cf.Same, bindings):
        raise NoCertificate("a condition on the words of two indices (the argument has one generic member)")

    def on_Word(self, node: cf.Word, bindings):
        return FVec({WORDS.text(self.index(node.index, bindings)): sympy.Integer(1)})

    def on_Component(self, node: cf.Component, bindings):
        base = self(node.base, bindings)
        if not isinstance(base, Family):
            raise NoCertificate(
                f"a component of {_kind(base)} (the argument takes components of length-V vectors)"
            )
        return base.at[self.index(node.index, bindings)]

    def on_Transpose(self, node: cf.Transpose, bindings):
        return _transpose(self(node.operand, bindings))

    def on_Neg(self, node: cf.Neg, bindings):
        return _scale(self.matrix(node.operand, bindings), -1)

    def on_Add(self, node: cf.Add, bindings):
        return _add(self.matrix(node.left, bindings), self.matrix(node.right, bindings), 1)

    def on_Sub(self, node: cf.Sub, bindings):
        return _add(self.matrix(node.left, bindings), self.matrix(node.right, bindings), -1)

    def on_Div(self, node: cf.Div, bindings):
        right = self(node.right, bindings)
        if not isinstance(right, sympy.Expr):
            raise NoCertificate(f"a division by {_kind(right)}")
        _never_zero(right)
        return _scale(self.matrix(node.left, bindings), 1 / right)

    def on_Pow(self, node: cf.Pow, bindings):
        base = self(node.base, bindings)
        if not isinstance(base, sympy.Expr):
            raise NoCertificate(f"a power of {_kind(base)}")
        if node.exponent < 0:
            _never_zero(base)
        return base**node.exponent

    def on_Call(self, node: cf.Call, bindings):
        argument = self(node.argument, bindings)
        if node.function in functions.VECTOR:
            if not isinstance(argument, Family):
                raise NoCertificate(
                    f"{node.function} of {_kind(argument)} (it is a function of length-V vectors)"
                )
            return Family(functions.softmax(argument.at, self.sum_over_vocabulary), argument.row)
        function = functions.ENTRYWISE[node.function]
        if node.function == "log":
            for value in argument.at.values() if isinstance(argument, Family) else [argument]:
                if isinstance(value, sympy.Expr) and value.is_positive is not True:
                    raise NoCertificate("a log of something not shown to be positive")
        if isinstance(argument, sympy.Expr):
            return function(argument)
        if isinstance(argument, Family):
            return argument.map(function)
        raise NoCertificate(f"{node.function} of {_kind(argument)}")

    def on_Mul(self, node: cf.Mul, bindings):
        left, right = self(node.left, bindings), self(node.right, bindings)
        if isinstance(left, sympy.Expr):
            return _scale(self.as_columns(right), left)
        if isinstance(right, sympy.Expr):
            return _scale(self.as_columns(left), right)
        return self._product(left, right)

    def _product(self, left, right):
        scores = centre()
        if isinstance(left, FVec) and isinstance(right, FVec) and left.row and not right.row:
            return self._dot(left, right)
        if isinstance(left, Family) and isinstance(right, Family) and left.row and not right.row:
            return self.sum_over_vocabulary({k: left.at[k] * right.at[k] for k in left.at})
        if isinstance(left, Matrix) and isinstance(right, FVec) and left.transposed_to_rows and not right.row:
            if right.coeffs.keys() == {scores}:  # U v_c (U as rows) is z
                return Family({i: right.coeffs[scores] * score(i) for i in self.indices})
        if isinstance(left, FVec) and isinstance(right, Matrix) and left.row and not right.transposed_to_rows:
            if left.coeffs.keys() == {scores}:  # v_cᵀ U (U as columns) is zᵀ
                return Family({i: left.coeffs[scores] * score(i) for i in self.indices}, row=True)
        if (
            isinstance(left, Matrix)
            and isinstance(right, Family)
            and not left.transposed_to_rows
            and not right.row
        ):
            return self._combination(right, row=False)  # U a = Σ_w a_w u_w
        if isinstance(left, Family) and isinstance(right, Matrix) and left.row and right.transposed_to_rows:
            return self._combination(left, row=True)  # aᵀ U = Σ_w a_w u_wᵀ
        if isinstance(left, FVec) and isinstance(right, Family) and not left.row and right.row:
            # x aᵀ (d×V): column w is a_w x
            return WordMatrix({i: left.scaled(right.at[i]) for i in self.word_kinds})
        if isinstance(left, Family) and isinstance(right, FVec) and not left.row and right.row:
            # a xᵀ (V×d): row w is a_w xᵀ, kept as the column a_w x
            column = FVec(right.coeffs)
            return WordMatrix({i: column.scaled(left.at[i]) for i in self.word_kinds}, words_as_rows=True)
        if isinstance(left, FVec) and isinstance(right, FVec) and not left.row and right.row:
            raise NoCertificate(
                "an outer product of two d-vectors, a d×d matrix (the argument's matrices are U and "
                "outer products of a d-vector and a length-V vector)"
            )
        raise NoCertificate(
            f"a product of {_kind(left)} and {_kind(right)} (the argument covers dot products, U "
            "times a length-V vector or v_c, and outer products of a d-vector and a length-V vector)"
        )

    def _combination(self, family: Family, row: bool) -> FVec:
        """Σ_w a_w u_w over the vocabulary: the terms at o and g, and the rest as a family."""
        words = {WORDS.text(i): family.at[i] for i in (OUTSIDE, MEMBER)}
        return FVec({**words, f"{FAMILY}{BY_BOUND['V'].bound}": family.at[GENERIC]}, row)

    def _dot(self, left: FVec, right: FVec) -> sympy.Expr:
        total = sympy.Integer(0)
        for a, x in left.coeffs.items():
            for b, y in right.coeffs.items():
                if a.startswith(FAMILY) or b.startswith(FAMILY):
                    family, other, scale = (a, b, x * y) if a.startswith(FAMILY) else (b, a, x * y)
                    if other != centre():
                        raise NoCertificate("a dot product of a sum of vectors with something other than v_c")
                    total += self.remainders.symbol(family[len(FAMILY) :], scale * score(GENERIC))
                else:
                    total += x * y * dot(a, b)
        return total

    # -- sums
    def sum_over_vocabulary(self, at: dict[str, sympy.Expr]) -> sympy.Expr:
        return at[OUTSIDE] + at[MEMBER] + self.remainders.symbol("V", at[GENERIC])

    def on_Sum(self, node: cf.Sum, bindings):
        if node.same:
            raise NoCertificate("a sum over the members with a given word")
        inner = {letter for letter, index in bindings.items() if index == GENERIC}
        if inner & cf.free_indices(node):
            raise NoCertificate("a sum whose terms depend on the index of an enclosing sum")
        # a sum that does not depend on the enclosing sum's index is the same for every term
        bindings = {letter: index for letter, index in bindings.items() if letter not in inner}
        if node.over not in BY_BOUND:  # resolve_sums gave it, the same range every prover uses
            raise NoCertificate(f"sum_{node.index} has no range")
        index_set = BY_BOUND[node.over]
        if self.sampled and not index_set.sampled:
            raise NoCertificate("a sum over the vocabulary in a loss whose generic index is a sampled word")
        indices = (MEMBER, GENERIC) if index_set.sampled else INDICES
        terms = {i: self(node.body, {**bindings, node.index: i}) for i in indices}
        rest = terms.pop(GENERIC)
        if isinstance(rest, sympy.Expr):
            return sum(terms.values(), self._close_scalar(index_set, rest))
        if isinstance(rest, FVec):
            total = self._close_vector(index_set, rest)
            for term in terms.values():
                total = total.plus(term)
            return total
        raise NoCertificate(
            f"a sum over {node.index} of {_kind(rest)} (the argument sums scalars and d-vectors)"
        )

    def _close_scalar(self, index_set, term: sympy.Expr) -> sympy.Expr:
        if not term.has(score(GENERIC)) and not any(
            isinstance(s, Pairing) and s.generic for s in term.free_symbols
        ):
            # the same for every remaining member: the sampled set has g, the vocabulary o and g
            return (size(index_set) - (1 if index_set.sampled else 2)) * term
        _check_generic_only(term)
        return self.remainders.symbol(index_set.bound, term)

    def _close_vector(self, index_set, term: FVec) -> FVec:
        coeffs: dict[str, sympy.Expr] = {}
        for key, value in term.coeffs.items():
            if key.startswith(FAMILY):
                raise NoCertificate("a sum of sums of vectors")
            if key == WORDS.text(GENERIC):
                _check_generic_only(value)
                name = f"{FAMILY}{index_set.bound}"
                coeffs[name] = coeffs.get(name, 0) + value
            else:
                coeffs[key] = coeffs.get(key, 0) + self._close_scalar(index_set, value)
        return FVec(coeffs, term.row)


_DEFINITIONS: dict[str, cf.Node] = {}


def _definition(name: str) -> cf.Node:
    if name not in _DEFINITIONS:
        from symw2v.parse import parse_claim  # the parser reads the world too: import it late

        _DEFINITIONS[name] = parse_claim(OBJECTS[name].definition)
    return _DEFINITIONS[name]


def _z_definition() -> cf.Node:
    """The scores' definition, Uᵀv_c: the formal algebra reads its vectors from it."""
    return _definition(SCORES)


def _kind(value) -> str:
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


def _transpose(value):
    if isinstance(value, WordMatrix):
        return WordMatrix(value.at, not value.words_as_rows)
    if isinstance(value, FVec):
        return FVec(value.coeffs, not value.row)
    if isinstance(value, Family):
        return Family(value.at, not value.row)
    if isinstance(value, Matrix):
        return Matrix(not value.transposed_to_rows)
    return value


def _never_zero(value: sympy.Expr) -> None:
    """A divisor must be non-zero everywhere, as SymPy's assumptions show (e.g. a sum of
    exponentials); a claim that divides by what may vanish is outside the argument."""
    if not (value.is_positive or value.is_negative):
        raise NoCertificate("a division by something not shown to be non-zero")


def _check_generic_only(term: sympy.Expr) -> None:
    if any(isinstance(s, Pairing) and s.generic for s in term.free_symbols):
        raise NoCertificate("a dot product of a summed vector with something other than v_c")


def _scale(value, factor):
    if isinstance(value, sympy.Expr):
        return factor * value
    if isinstance(value, FVec):
        return value.scaled(factor)
    if isinstance(value, Family):
        return value.map(lambda v: factor * v)
    if isinstance(value, WordMatrix):
        return value.map(lambda v: v.scaled(factor))
    raise NoCertificate(f"a multiple of {_kind(value)}")


def _add(left, right, sign: int):
    if isinstance(left, sympy.Expr) and isinstance(right, sympy.Expr):
        return left + sign * right
    if isinstance(left, FVec) and isinstance(right, FVec):
        return left.plus(right, sign)
    if isinstance(left, Family) and isinstance(right, Family):
        return Family({k: left.at[k] + sign * right.at[k] for k in left.at}, left.row)
    if (
        isinstance(left, WordMatrix)
        and isinstance(right, WordMatrix)
        and left.words_as_rows == right.words_as_rows
    ):
        return WordMatrix({k: left.at[k].plus(right.at[k], sign) for k in left.at}, left.words_as_rows)
    raise NoCertificate(f"a sum of {_kind(left)} and {_kind(right)}")
