"""Turn a closed form into an explicit SymPy matrix at an instance.

Scalars are 1×1 matrices.  What each name is comes from the world's declarations: a primitive
(the coordinates of v_c and U, the one-hot y, a size), or a definition in the claim language
(z = Uᵀv_c, ŷ = softmax(z)), instantiated in turn; σ and softmax are the world's functions, so
every quantity is built from ``exp`` and rational operations only.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy

from symw2v import closed_form as cf
from symw2v.errors import ShapeError, SymW2VError
from symw2v.printing import to_text
from symw2v.shapes import size_at
from symw2v.world import (
    BY_BOUND,
    CANONICAL,
    CENTRES,
    FAMILIES,
    OBJECTS,
    ONE_HOTS,
    OUTSIDE,
    SCORES,
    VOCABULARY,
    Instance,
    Reading,
    functions,
)
from symw2v.world import symbols as coordinates
from symw2v.world.losses import Loss


@dataclass(frozen=True)
class Context:
    """What a closed form means here: the instance, and the reading of U and y.

    ``z_free``: z is a vector of free symbols, and every dot product ``u_wᵀv_c`` (and ``Uᵀv_c``)
    is read as z: the loss as a function of z, to differentiate by z (``derive`` checks that it
    is the loss).  Claims are never read that way: in a claim, z is always ``Uᵀv_c``, computed
    from U and v_c like every other quantity, so a counterexample is a consistent point.
    """

    instance: Instance
    reading: Reading
    z_free: bool = False
    region: tuple = ()  # ((name, value),): a scalar read in a region, x a positive symbol for x > 0


def resolve_sums(node: cf.Node, loss: Loss, strict: bool = True) -> cf.Node:
    """Give every ``sum_<i>`` its range, once, for every prover: a sum without bounds runs over
    what the loss says its letter ranges over (``Loss.index_set``).

    ``strict``: an index set the loss does not have (K, for a loss without negatives) is an error,
    written as a sum's bound or as the size itself.
    """
    available = {VOCABULARY, *loss.index_sets} if strict else None
    return _Resolve(loss, available)(node)


class _Resolve(cf.Walk):
    def __init__(self, loss: Loss, available) -> None:
        self.loss, self.available = loss, available

    def on_Sum(self, node: cf.Sum) -> cf.Node:
        index_set = BY_BOUND[node.over] if node.over else self.loss.index_set(node.index)
        if self.available is not None and index_set not in self.available:
            raise ShapeError(
                f"sum_{{{node.index}=1}}^{{{index_set.bound}}}: this loss has no {index_set.name}, so "
                f"{index_set.bound} is not defined; a sum over the vocabulary is written "
                f"sum_{{{node.index}=1}}^{{V}} or sum_{node.index}"
            )
        return cf.Sum(node.index, index_set.bound, self(node.body), node.same)

    def on_Partial(self, node: cf.Partial) -> cf.Node:
        if not self.loss.base:
            raise ShapeError(
                f"∂J(v_c, w, U)/∂{node.wrt} refers to the single-word loss a window loss sums, "
                f"and {self.loss.name} sums none"
            )
        return cf.Partial(node.wrt, node.word, self.loss.base)

    def on_Name(self, node: cf.Name) -> cf.Node:
        sized = next((s for s in BY_BOUND.values() if s.bound == node.name), None)
        if self.available is not None and sized is not None and sized not in self.available:
            raise ShapeError(f"{node.name} is the number of {sized.name}, and this loss has none")
        shape = OBJECTS[node.name].shape
        built = [s for s in BY_BOUND.values() if any(s.bound in size for size in shape)]
        if self.available is not None and any(s not in self.available for s in built):
            unknown = next(s for s in built if s not in self.available)
            raise ShapeError(
                f"{OBJECTS[node.name].text} is {'×'.join(shape)}, sized by the {unknown.name}, "
                "and this loss has none"
            )
        return node

    def on_Columns(self, node: cf.Columns) -> cf.Node:
        index_set = BY_BOUND[node.over]
        if self.available is not None and index_set not in self.available:
            raise ShapeError(
                f"{to_text(node)}: this loss has no {index_set.name}, so {node.over} is not defined"
            )
        return cf.Columns(node.index, node.over, self(node.body))

    def on_Block(self, node: cf.Block) -> cf.Node:
        return cf.Block(tuple(self(part) for part in node.parts))

    def on_Node(self, node: cf.Node) -> cf.Node:
        fields = {k: self(v) if isinstance(v, cf.Node) else v for k, v in node.__dict__.items()}
        return type(node)(**fields) if node.children() else node


class Instantiator(cf.Walk):
    """Evaluate closed forms to matrices under one context."""

    def __init__(self, context: Context, at: dict | None = None) -> None:
        """``at``: values for some component symbols, put in at the leaves (the rest stay
        symbols), so that a closed form is evaluated at a point without being built in full."""
        self.context = context
        self.at = at or {}
        instance = context.instance
        self._U_rows = self._leaf(instance.U_rows())
        self._v = self._leaf(instance.v())
        self._defined: dict[str, sympy.Matrix] = {}
        # what must hold for the closed form to be defined: (kind, value, the sub-claim's text)
        # with kind "nonzero" for a divisor or the base of a negative power, "positive" for the
        # argument of a log
        self.conditions: list[tuple[str, sympy.Expr, str]] = []

    def evaluate(self, node: cf.Node, bindings: dict[str, int] | None = None) -> sympy.Matrix:
        """The matrix of ``node``; ``bindings`` maps free index letters to 1-based words."""
        return self(node, dict(bindings or {}))

    def scalar(self, node: cf.Node, bindings: dict[str, int] | None = None) -> sympy.Expr:
        matrix = self.evaluate(node, bindings)
        if matrix.shape != (1, 1):
            raise ShapeError(f"expected a scalar, got a {matrix.shape[0]}×{matrix.shape[1]} matrix")
        return matrix[0, 0]

    # -- leaves
    def _leaf(self, value: sympy.Matrix) -> sympy.Matrix:
        return value.xreplace(self.at) if self.at else value

    def _word(self, index: str, bindings: dict[str, int]) -> int:
        instance = self.context.instance
        if index == OUTSIDE:
            return instance.o
        if index.isdigit():
            word = int(index)
            if not 1 <= word <= instance.V:
                raise SymW2VError(f"word {word} is not in the vocabulary 1..{instance.V}")
            return word
        if index not in bindings:
            raise SymW2VError(f"the index {index} is neither bound by a sum nor the one differentiated by")
        return bindings[index]

    def _primitive(self, name: str) -> sympy.Matrix:
        instance, kind = self.context.instance, OBJECTS[name].value
        if kind == "coordinates":
            return self._v
        if kind == "matrix":
            return self._U_rows.T  # in the canonical reading: columns
        if kind == "indicator":
            return sympy.Matrix([int(w == instance.o) for w in range(1, instance.V + 1)])
        if kind == "size":
            return sympy.Matrix([[getattr(instance, name)]])
        if kind == "counts":
            return self._leaf(sympy.Matrix([coordinates.count(w) for w in range(1, instance.V + 1)]))
        if kind == "scalar":
            return sympy.Matrix([[dict(self.context.region).get(name, coordinates.scalar(name))]])
        if kind == "slope":
            return sympy.Matrix([[1 / (1 + coordinates.slope_parameter())]])
        if kind == "constant":
            return sympy.Matrix([[sympy.E]])
        if kind == "ones":
            rows, cols = OBJECTS[name].shape
            return sympy.ones(size_at(rows, instance), size_at(cols, instance))
        raise SymW2VError(f"{name} has no value at an instance")

    def _canonical(self, name: str) -> sympy.Matrix:
        """The object's value in the canonical reading, defined ones built once per context."""
        obj = OBJECTS[name]
        if not obj.definition:
            return self._primitive(name)
        if name == SCORES and self.context.z_free:
            return self.context.instance.z_symbols()
        if name not in self._defined:
            canonical = Instantiator(Context(self.context.instance, CANONICAL, self.context.z_free), self.at)
            canonical._defined = self._defined
            self._defined[name] = canonical.evaluate(_definition(name))
        return self._defined[name]

    # -- the walk
    def on_Num(self, node: cf.Num, bindings) -> sympy.Matrix:
        return sympy.Matrix([[sympy.Rational(node.value.numerator, node.value.denominator)]])

    def on_Name(self, node: cf.Name, bindings) -> sympy.Matrix:
        value = self._canonical(node.name)
        return value.T if self.context.reading.transposes(OBJECTS[node.name].transposed_by) else value

    def on_Word(self, node: cf.Word, bindings) -> sympy.Matrix:
        instance, word = self.context.instance, self._word(node.index, bindings)
        if node.family == CENTRES.letter:
            return self._leaf(instance.centre_vector(word))
        if node.family == ONE_HOTS.letter:
            one_hot = instance.one_hot(word)
            rows = self.context.reading.transposes(FAMILIES[node.family].transposed_by)
            return one_hot.T if rows else one_hot
        return self._leaf(instance.u(word))

    def on_Component(self, node: cf.Component, bindings) -> sympy.Matrix:
        base = self(node.base, bindings)
        return sympy.Matrix([[base[self._word(node.index, bindings) - 1]]])

    def on_Transpose(self, node: cf.Transpose, bindings) -> sympy.Matrix:
        return self(node.operand, bindings).T

    def on_Neg(self, node: cf.Neg, bindings) -> sympy.Matrix:
        return -self(node.operand, bindings)

    def on_Add(self, node: cf.Add, bindings) -> sympy.Matrix:
        left, right = _broadcast(self(node.left, bindings), self(node.right, bindings))
        return left + right

    def on_Sub(self, node: cf.Sub, bindings) -> sympy.Matrix:
        left, right = _broadcast(self(node.left, bindings), self(node.right, bindings))
        return left - right

    def on_Div(self, node: cf.Div, bindings) -> sympy.Matrix:
        divisor = self._needs("nonzero", self(node.right, bindings)[0, 0], node.right)
        return self(node.left, bindings) / divisor

    def on_Pow(self, node: cf.Pow, bindings) -> sympy.Matrix:
        base = self(node.base, bindings)[0, 0]
        if node.exponent < 0:
            base = self._needs("nonzero", base, node.base)
        return sympy.Matrix([[base**node.exponent]])

    def on_Max(self, node: cf.Max, bindings) -> sympy.Matrix:
        return sympy.Matrix([[sympy.Max(self(node.left, bindings)[0, 0], self(node.right, bindings)[0, 0])]])

    def on_Call(self, node: cf.Call, bindings) -> sympy.Matrix:
        argument = self(node.argument, bindings)
        if node.function in functions.VECTOR:
            entries = functions.softmax(dict(enumerate(argument)), lambda e: sum(e.values()))
            return sympy.Matrix(argument.rows, argument.cols, [entries[i] for i in range(len(argument))])
        if node.function == "log":
            argument = argument.applyfunc(lambda entry: self._needs("positive", entry, node.argument))
        return argument.applyfunc(functions.ENTRYWISE[node.function])

    def on_Mul(self, node: cf.Mul, bindings) -> sympy.Matrix:
        if self.context.z_free:  # a loss written with dot products, as a function of z
            dot = _dot_product_word(node)
            if dot is not None:
                word, sign = dot
                return sympy.Matrix([[sign * self._canonical(SCORES)[self._word(word, bindings) - 1]]])
            scores = _scores(node, self.context.reading)
            if scores is not None:
                z = self._canonical(SCORES)
                return z.T if scores == "row" else z
        left, right = self(node.left, bindings), self(node.right, bindings)
        if left.shape == (1, 1):
            return left[0, 0] * right
        if right.shape == (1, 1):
            return left * right[0, 0]
        return left * right

    def on_Sum(self, node: cf.Sum, bindings) -> sympy.Matrix:
        if node.over not in BY_BOUND:
            raise TypeError(f"sum_{node.index} has no range: resolve_sums gives every sum its range")
        words = BY_BOUND[node.over].members(self.context.instance)
        if node.same:  # only the members whose word is the word of the other index
            words = [w for w in words if w == self._word(node.same, bindings)]
        total = None
        for word in words:
            term = self(node.body, {**bindings, node.index: word})
            total = term if total is None else total + term
        if total is None:  # no member meets the condition: the empty sum, shaped like a term
            return sympy.zeros(*self(node.body, {**bindings, node.index: 1}).shape)
        return total

    def on_Partial(self, node: cf.Partial, bindings) -> sympy.Matrix:
        """The single-word loss's gradient, derived with o the word of the index ``node.word``."""
        from dataclasses import replace

        from symw2v.derive import derive  # derive instantiates losses: import it late
        from symw2v.world.losses import named_loss

        if not node.base:
            raise TypeError("∂J(v_c, w, U) has no base loss: resolve_sums gives it the loss's")
        instance = replace(self.context.instance, o=self._word(node.word, bindings))
        (target,) = derive(named_loss(node.base), node.wrt, instance, self.context.reading)
        return self._leaf(target.gradient)

    def on_Columns(self, node: cf.Columns, bindings) -> sympy.Matrix:
        words = BY_BOUND[node.over].members(self.context.instance)
        if not words:  # no columns: as tall as a column would be
            return sympy.zeros(self(node.body, {**bindings, node.index: 1}).rows, 0)
        return sympy.Matrix.hstack(*(self(node.body, {**bindings, node.index: word}) for word in words))

    def on_Block(self, node: cf.Block, bindings) -> sympy.Matrix:
        return sympy.Matrix.hstack(*(self(part, bindings) for part in node.parts))

    def on_Same(self, node: cf.Same, bindings) -> sympy.Matrix:
        return sympy.Matrix([[int(self._word(node.a, bindings) == self._word(node.b, bindings))]])

    def _needs(self, kind: str, value: sympy.Expr, node: cf.Node) -> sympy.Expr:
        """Record that the closed form needs ``value`` non-zero or positive, and return it;
        a constant that fails is replaced by a fresh symbol, since SymPy's own answer (``zoo``
        for 1/0 and log 0, then ``0·zoo = nan``) would not stay undefined: the recorded
        condition refutes the claim, before any proof."""
        self.conditions.append((kind, value, to_text(node)))
        fails = value.is_zero if kind == "nonzero" else (value.is_positive is False)
        if value.is_number and fails:
            return sympy.Dummy("undefined", positive=True)
        return value


def _broadcast(left: sympy.Matrix, right: sympy.Matrix) -> tuple[sympy.Matrix, sympy.Matrix]:
    """A number beside a vector the shapes let it stand beside (one of K + 1 entries: ``1 −
    σ(U_{o,…}ᵀv_c)``) as that number times a vector of ones; any other pair as it is."""
    if left.shape == right.shape or (1, 1) not in (left.shape, right.shape):
        return left, right
    if left.shape == (1, 1):
        return left[0, 0] * sympy.ones(*right.shape), right
    return left, right[0, 0] * sympy.ones(*left.shape)


_DEFINITIONS: dict[str, cf.Node] = {}


def _definition(name: str) -> cf.Node:
    """The AST of an object's declared definition, parsed once."""
    if name not in _DEFINITIONS:
        from symw2v.parse import parse_claim  # the parser reads the world too: import it late

        _DEFINITIONS[name] = parse_claim(OBJECTS[name].definition)
    return _DEFINITIONS[name]


def _dot_product_word(node: cf.Mul) -> tuple[str, int] | None:
    """``(w, ±1)`` when ``node`` is ``±z_w`` written out: ``u_wᵀ v_c`` or ``v_cᵀ u_w`` (the sign as
    the parser leaves it: ``-u_kᵀ v_c`` is ``(-u_kᵀ) v_c``); what z is comes from its definition."""
    vector = _definition(SCORES).right  # z = Uᵀv_c: z_w = u_wᵀ v_c
    left, right = node.left, node.right
    sign = 1
    if isinstance(left, cf.Neg):
        left, sign = left.operand, -1
    if isinstance(left, cf.Transpose) and isinstance(left.operand, cf.Neg):
        left, sign = cf.Transpose(left.operand.operand), -sign
    if isinstance(left, cf.Transpose) and isinstance(left.operand, cf.Word) and right == vector:
        return left.operand.index, sign
    if left == cf.Transpose(vector) and isinstance(right, cf.Word):
        return right.index, sign
    return None


def _scores(node: cf.Mul, reading: Reading) -> str | None:
    """ "column" when ``node`` is z as its definition writes it in ``reading`` (Uᵀv_c for columns,
    U v_c for rows), "row" for its transpose, else None."""
    definition = _definition(SCORES)
    matrix, vector = definition.left.operand, definition.right
    tall = matrix if reading.transposes(OBJECTS[matrix.name].transposed_by) else cf.Transpose(matrix)
    if node == cf.Mul(tall, vector):
        return "column"
    if node == cf.Mul(cf.Transpose(vector), _transposed(tall)):
        return "row"
    return None


def _transposed(node: cf.Node) -> cf.Node:
    return node.operand if isinstance(node, cf.Transpose) else cf.Transpose(node)
