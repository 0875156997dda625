"""Turn a closed form into an explicit SymPy matrix at an instance.

Scalars are 1×1 matrices.  ``σ(x)`` becomes ``1/(1 + e^{-x})`` and ``softmax`` its quotient of
exponentials, so every quantity is built from ``exp`` and rational operations only.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy

from symw2v import closed_form as cf
from symw2v.errors import ShapeError, SymW2VError
from symw2v.instance import Instance
from symw2v.printing import to_text
from symw2v.shapes import Reading


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


def _sigma(x):
    return 1 / (1 + sympy.exp(-x))


_ENTRYWISE = {"sigma": _sigma, "exp": sympy.exp, "log": sympy.log}


def resolve_sums(node: cf.Node, k_over: str) -> cf.Node:
    """Give every ``sum_<i>`` its range, once, for every prover: a sum without bounds over ``k``
    runs over ``k_over`` (the negatives "K", or the vocabulary "V" for a loss without
    negatives), every other one over the vocabulary.

    For a loss without negatives, K does not exist: a sum up to K, or K itself, is an error.
    """
    if isinstance(node, cf.Sum):
        over = node.over or (k_over if node.index == "k" else "V")
        if over == "K" and k_over != "K":
            raise ShapeError(
                f"sum_{{{node.index}=1}}^{{K}}: this loss has no negatives, so K is not defined; "
                f"a sum over the vocabulary is written sum_{{{node.index}=1}}^{{V}} or sum_{node.index}"
            )
        return cf.Sum(node.index, over, resolve_sums(node.body, k_over))
    if node == cf.Name("K") and k_over != "K":
        raise ShapeError("K is the number of negatives, and this loss has none")
    children = node.children()
    if not children:
        return node
    fields = dict(node.__dict__)
    for key, value in node.__dict__.items():
        if isinstance(value, cf.Node):
            fields[key] = resolve_sums(value, k_over)
    return type(node)(**fields)


class Instantiator:
    """Evaluate closed forms to matrices under one context."""

    def __init__(self, context: Context) -> None:
        self.context = context
        instance = context.instance
        self._U_rows = instance.U_rows()
        self._v = instance.v()
        self._z = instance.z_symbols() if context.z_free else self._U_rows * self._v
        # what must hold for the closed form to be defined: (kind, value, the sub-claim's text)
        # with kind "nonzero" for a divisor or the base of a negative power, "positive" for the
        # argument of a log
        self.conditions: list[tuple[str, sympy.Expr, str]] = []

    def evaluate(self, node: cf.Node, bindings: dict[str, int] | None = None) -> sympy.Matrix:
        """The matrix of ``node``; ``bindings`` maps free index letters to 1-based words."""
        return self._eval(node, dict(bindings or {}))

    def scalar(self, node: cf.Node, bindings: dict[str, int] | None = None) -> sympy.Expr:
        matrix = self.evaluate(node, bindings)
        if matrix.shape != (1, 1):
            raise ShapeError(f"expected a scalar, got a {matrix.shape[0]}×{matrix.shape[1]} matrix")
        return matrix[0, 0]

    # -- leaves
    def _word(self, index: str, bindings: dict[str, int]) -> int:
        instance = self.context.instance
        if index == "o":
            return instance.o
        if index.isdigit():
            word = int(index)
            if not 1 <= word <= instance.V:
                raise SymW2VError(f"word {word} is not in the vocabulary 1..{instance.V}")
            return word
        if index not in bindings:
            raise SymW2VError(f"the index {index} is neither bound by a sum nor the one differentiated by")
        return bindings[index]

    def _vocab_vector(self, name: str) -> sympy.Matrix:
        instance = self.context.instance
        if name == "z":
            return self._z
        if name == "y":
            column = sympy.Matrix([1 if w == instance.o else 0 for w in range(1, instance.V + 1)])
        else:  # yhat
            column = _softmax(self._z)
        return column.T if self.context.reading.y == "row" else column

    def _name(self, name: str) -> sympy.Matrix:
        instance = self.context.instance
        if name == "v_c":
            return self._v
        if name == "U":
            return self._U_rows if self.context.reading.U == "rows" else self._U_rows.T
        if name in ("y", "yhat", "z"):
            return self._vocab_vector(name)
        scalars = {"K": instance.K, "V": instance.V, "e": sympy.E}
        return sympy.Matrix([[scalars[name]]])

    # -- dispatch
    def _eval(self, node: cf.Node, bindings: dict[str, int]) -> sympy.Matrix:
        if isinstance(node, cf.Num):
            return sympy.Matrix([[sympy.Rational(node.value.numerator, node.value.denominator)]])
        if isinstance(node, cf.Name):
            return self._name(node.name)
        if isinstance(node, cf.Word):
            return self.context.instance.u(self._word(node.index, bindings))
        if isinstance(node, cf.Component):
            base = self._eval(node.base, bindings)
            return sympy.Matrix([[base[self._word(node.index, bindings) - 1]]])
        if isinstance(node, cf.Transpose):
            return self._eval(node.operand, bindings).T
        if isinstance(node, cf.Neg):
            return -self._eval(node.operand, bindings)
        if isinstance(node, cf.Add):
            return self._eval(node.left, bindings) + self._eval(node.right, bindings)
        if isinstance(node, cf.Sub):
            return self._eval(node.left, bindings) - self._eval(node.right, bindings)
        if isinstance(node, cf.Mul):
            return self._mul(node, bindings)
        if isinstance(node, cf.Div):
            divisor = self._needs("nonzero", self._eval(node.right, bindings)[0, 0], node.right)
            return self._eval(node.left, bindings) / divisor
        if isinstance(node, cf.Pow):
            base = self._eval(node.base, bindings)[0, 0]
            if node.exponent < 0:
                base = self._needs("nonzero", base, node.base)
            return sympy.Matrix([[base**node.exponent]])
        if isinstance(node, cf.Call):
            argument = self._eval(node.argument, bindings)
            if node.function == "softmax":
                return _softmax(argument)
            if node.function == "log":
                argument = argument.applyfunc(lambda entry: self._needs("positive", entry, node.argument))
            return argument.applyfunc(_ENTRYWISE[node.function])
        if isinstance(node, cf.Sum):
            return self._sum(node, bindings)
        raise TypeError(f"not a closed-form node: {node!r}")

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

    def _mul(self, node: cf.Mul, bindings: dict[str, int]) -> sympy.Matrix:
        if self.context.z_free:  # a loss written with dot products, as a function of z
            dot = _dot_product_word(node)
            if dot is not None:
                word, sign = dot
                return sympy.Matrix([[sign * self._z[self._word(word, bindings) - 1]]])
            scores = _scores(node, self.context.reading.U)
            if scores is not None:
                return self._z.T if scores == "row" else self._z
        left, right = self._eval(node.left, bindings), self._eval(node.right, bindings)
        if left.shape == (1, 1):
            return left[0, 0] * right
        if right.shape == (1, 1):
            return left * right[0, 0]
        return left * right

    def _sum(self, node: cf.Sum, bindings: dict[str, int]) -> sympy.Matrix:
        instance = self.context.instance
        if node.over not in ("K", "V"):
            raise TypeError(f"sum_{node.index} has no range: resolve_sums gives every sum its range")
        words = instance.negatives if node.over == "K" else range(1, instance.V + 1)
        total = None
        for word in words:
            term = self._eval(node.body, {**bindings, node.index: word})
            total = term if total is None else total + term
        return total


def _dot_product_word(node: cf.Mul) -> tuple[str, int] | None:
    """``(w, ±1)`` when ``node`` is ``±u_wᵀ v_c`` or ``±v_cᵀ u_w`` (the sign as the parser
    leaves it: ``-u_kᵀ v_c`` is ``(-u_kᵀ) v_c``)."""
    left, right = node.left, node.right
    sign = 1
    if isinstance(left, cf.Neg):
        left, sign = left.operand, -1
    if isinstance(left, cf.Transpose) and isinstance(left.operand, cf.Neg):
        left, sign = cf.Transpose(left.operand.operand), -sign
    if isinstance(left, cf.Transpose) and isinstance(left.operand, cf.Word) and right == cf.Name("v_c"):
        return left.operand.index, sign
    if left == cf.Transpose(cf.Name("v_c")) and isinstance(right, cf.Word):
        return right.index, sign
    return None


def _scores(node: cf.Mul, reading_U: str) -> str | None:
    """ "column" when ``node`` is z = Uᵀv_c (U v_c for rows), "row" for its transpose, else None."""
    U, v_c = cf.Name("U"), cf.Name("v_c")
    U_as_columns = cf.Transpose(U) if reading_U == "columns" else U  # the V×d matrix
    if node == cf.Mul(U_as_columns, v_c):
        return "column"
    U_as_rows = U if reading_U == "columns" else cf.Transpose(U)  # the d×V matrix
    if node == cf.Mul(cf.Transpose(v_c), U_as_rows):
        return "row"
    return None


def _softmax(vector: sympy.Matrix) -> sympy.Matrix:
    exps = vector.applyfunc(sympy.exp)
    total = sum(exps)
    return exps.applyfunc(lambda e: e / total)
