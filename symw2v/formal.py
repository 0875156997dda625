"""Formal algebra for the all-sizes certificate: closed forms evaluated for every d, V and K.

A sum over the sampled words is its generic term at g plus a remainder over the other members;
a sum over the vocabulary its terms at o and g plus a remainder; a sum over the window is a sum
over the vocabulary weighted by how many positions hold each word (``formal_window.py``).  What
each name is comes from the world: a primitive, or its definition evaluated formally, with the
world's σ and softmax.  The values it computes with are in ``formal_values.py``.
"""

from __future__ import annotations

import sympy

from symw2v import closed_form as cf
from symw2v.formal_sums import Sums
from symw2v.formal_values import (
    FAMILY,
    GENERIC,
    INDICES,
    MEMBER,
    NEITHER,
    Family,
    FVec,
    Matrix,
    NoCertificate,
    Remainders,
    WordMatrix,
    add,
    centre,
    check_no_other_negative,
    definition,
    dot,
    kind_of,
    multiple_of_U,
    never_zero,
    scale,
    score,
    size,
    transpose,
)
from symw2v.formal_window import (
    DELTA,
    OWN_CENTRE,
    WORD,
    at_window_word,
    base_gradient,
    combination,
    hides_a_column,
    one_hot,
    other_negative,
)
from symw2v.world import (
    BY_BOUND,
    CANONICAL,
    CENTRES,
    OBJECTS,
    ONE_HOTS,
    OUTSIDE,
    VOCABULARY,
    WORDS,
    Reading,
    functions,
)
from symw2v.world.losses import Loss

__all__ = [
    "FAMILY",
    "GENERIC",
    "MEMBER",
    "NEITHER",
    "Family",
    "FVec",
    "Formal",
    "NoCertificate",
    "Remainders",
    "WordMatrix",
    "centre",
    "dot",
    "score",
    "size",
]


class Formal(Sums, cf.Walk):
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
        # a window with negatives: its certificate takes the negatives distinct and none equal to
        # o (certify.in_domain), so one-hot vectors have known entries at o, g and n
        self.window_negatives = self.sampled and loss.windowed
        self.rest_negatives: frozenset[str] = frozenset()  # letters bound to the other negatives
        # CBOW: the scores pair the words with v̂ = (1/2m) Σ_j v_{w_{t+j}}, the formal centre
        # vector here; v_c, which J does not use, is a vector of its own
        self.average = loss.of_context_centres

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
        saved = self.rest_negatives  # the block's own letter runs over words, not the negatives
        self.rest_negatives = saved - {node.index}
        try:
            return self._columns(node, bindings)
        finally:
            self.rest_negatives = saved

    def _columns(self, node: cf.Columns, bindings):
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
            return WordMatrix(at, hidden=self._block_hides_a_column(node, bindings))
        raise NoCertificate("a block matrix whose entries are not all d-vectors or all scalars")

    def _block_hides_a_column(self, node: cf.Columns, bindings) -> bool:
        """Inside a sum over the window, whether the block's column at the position's word r
        differs from the kinds' (its general term at the generic rest word holds [• = r])."""
        if WORD not in bindings.values():
            return False
        column = self(node.body, {**bindings, node.index: GENERIC})
        return not isinstance(column, FVec) or any(v.has(DELTA) for v in column.coeffs.values())

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
                value = Formal(self.loss, CANONICAL, self.remainders)(definition(node.name), {})
            except NoCertificate as error:  # say which name the construct came from
                raise NoCertificate(f"{node.name} = {obj.definition}, {error}") from error
        elif obj.value == "coordinates":
            name = OWN_CENTRE if self.average and node.name == centre() else node.name
            value = FVec({name: sympy.Integer(1)})
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
        return transpose(value) if self.reading.transposes(obj.transposed_by) else value

    def on_Num(self, node: cf.Num, bindings):
        return sympy.Rational(node.value.numerator, node.value.denominator)

    def on_Max(self, node: cf.Max, bindings):
        raise NoCertificate("a maximum: the argument covers smooth functions")

    def on_Same(self, node: cf.Same, bindings):
        raise NoCertificate("a condition on the words of two indices (the argument has one generic member)")

    def on_Word(self, node: cf.Word, bindings):
        index = self.index(node.index, bindings)
        if node.family == ONE_HOTS.letter:
            if not self.window_negatives and self.sampled:
                # o, a negative and another word may be one word: no entry is known
                raise NoCertificate("a one-hot vector e_w in a loss with sampled words")
            if index == GENERIC and node.index in self.rest_negatives:
                return other_negative(self.indices)
            return one_hot(index, self.indices)
        if node.family == CENTRES.letter:  # another word's centre vector: a vector of its own
            return FVec({CENTRES.text(index): sympy.Integer(1)})
        return FVec({WORDS.text(index): sympy.Integer(1)})

    def on_Partial(self, node: cf.Partial, bindings):
        """∂J(v_c, w, U)/∂v_c or ∂U of the single-word loss, w the word of ``node.word``."""
        if not node.base:
            raise NoCertificate(f"∂J(v_c, w, U)/∂{node.wrt} with no single-word loss")
        return base_gradient(self, node, self.index(node.word, bindings))

    def on_Component(self, node: cf.Component, bindings):
        base = self(node.base, bindings)
        if not isinstance(base, Family):
            raise NoCertificate(
                f"a component of {kind_of(base)} (the argument takes components of length-V vectors)"
            )
        index = self.index(node.index, bindings)
        if index == GENERIC:
            check_no_other_negative(base)
        return at_window_word(base) if index == WORD else base.at[index]

    def on_Transpose(self, node: cf.Transpose, bindings):
        return transpose(self(node.operand, bindings))

    def on_Neg(self, node: cf.Neg, bindings):
        return scale(self.matrix(node.operand, bindings), -1)

    def on_Add(self, node: cf.Add, bindings):
        return add(self.matrix(node.left, bindings), self.matrix(node.right, bindings), 1)

    def on_Sub(self, node: cf.Sub, bindings):
        return add(self.matrix(node.left, bindings), self.matrix(node.right, bindings), -1)

    def on_Div(self, node: cf.Div, bindings):
        right = self(node.right, bindings)
        if not isinstance(right, sympy.Expr):
            raise NoCertificate(f"a division by {kind_of(right)}")
        never_zero(right)
        return scale(self.matrix(node.left, bindings), 1 / right)

    def on_Pow(self, node: cf.Pow, bindings):
        base = self(node.base, bindings)
        if not isinstance(base, sympy.Expr):
            raise NoCertificate(f"a power of {kind_of(base)}")
        if node.exponent < 0:
            never_zero(base)
        return base**node.exponent

    def on_Call(self, node: cf.Call, bindings):
        argument = self(node.argument, bindings)
        if isinstance(argument, Family) and any(v.has(DELTA) for v in argument.at.values()):
            raise NoCertificate(f"{node.function} of the one-hot vector of a window position's word")
        if node.function in functions.VECTOR:
            check_no_other_negative(argument)
            if not isinstance(argument, Family):
                raise NoCertificate(
                    f"{node.function} of {kind_of(argument)} (it is a function of length-V vectors)"
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
        raise NoCertificate(f"{node.function} of {kind_of(argument)}")

    def on_Mul(self, node: cf.Mul, bindings):
        left, right = self(node.left, bindings), self(node.right, bindings)
        if isinstance(left, sympy.Expr):
            return scale(self.as_columns(right), left)
        if isinstance(right, sympy.Expr):
            return scale(self.as_columns(left), right)
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
            return combination(right, row=False)  # U a = Σ_w a_w u_w
        if isinstance(left, Family) and isinstance(right, Matrix) and left.row and right.transposed_to_rows:
            return combination(left, row=True)  # aᵀ U = Σ_w a_w u_wᵀ
        factor = multiple_of_U(left, rows=False)
        if factor is not None and isinstance(right, Family) and not right.row:
            return combination(right, row=False).scaled(factor)  # (s U) a = s Σ_w a_w u_w
        factor = multiple_of_U(right, rows=True)
        if factor is not None and isinstance(left, Family) and left.row:
            return combination(left, row=True).scaled(factor)  # aᵀ (s U) = s Σ_w a_w u_wᵀ
        if isinstance(left, FVec) and isinstance(right, Family) and not left.row and right.row:
            # x aᵀ (d×V): column w is a_w x
            at = {i: left.scaled(right.at[i]) for i in self.word_kinds}
            return WordMatrix(at, hidden=hides_a_column(right))
        if isinstance(left, Family) and isinstance(right, FVec) and not left.row and right.row:
            # a xᵀ (V×d): row w is a_w xᵀ, kept as the column a_w x
            column = FVec(right.coeffs)
            at = {i: column.scaled(left.at[i]) for i in self.word_kinds}
            return WordMatrix(at, words_as_rows=True, hidden=hides_a_column(left))
        if isinstance(left, FVec) and isinstance(right, FVec) and not left.row and right.row:
            raise NoCertificate(
                "an outer product of two d-vectors, a d×d matrix (the argument's matrices are U and "
                "outer products of a d-vector and a length-V vector)"
            )
        raise NoCertificate(
            f"a product of {kind_of(left)} and {kind_of(right)} (the argument covers dot products, U "
            "times a length-V vector or v_c, and outer products of a d-vector and a length-V vector)"
        )

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
