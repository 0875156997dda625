"""Closed forms as the scalar code of a fused loop, for the ``numba`` export target.

The fused loop (``templates/export_numba_negative_sampling.py.j2``) visits each gathered row
once: the row of o, then each negative's.  With ``z`` the row's score u_wᵀv_c, it adds the
row's term of the loss, adds the row's multiple of ∂J/∂v_c, and writes the row's gradient, a
multiple of v_c.  ``word_parts`` splits a closed form into those terms by the word each one is
about (a term under ``sum_k`` is a negative's, a term about u_o is o's); ``LoopPrinter`` prints
a term as scalar Python over ``z``, the score of that row.  Both work on the same normalised
AST that ``ArrayPrinter`` prints for NumPy, and raise ``SymW2VError`` on what a per-row loop
cannot compute (a term about two words, a constant term, a sum over anything but the negatives).
"""

from __future__ import annotations

from sympy.printing.printer import Printer

from symw2v import closed_form as cf
from symw2v.errors import SymW2VError
from symw2v.export_printers import normalize
from symw2v.printing import to_text

# Python precedence, coarsely: what may stand unparenthesised where
_ADD, _MUL, _UNARY, _POW, _ATOM = 1, 2, 3, 4, 5


def _unsupported(node: cf.Node, why: str) -> SymW2VError:
    return SymW2VError(f"export cannot print {to_text(node)!r} as a loop: {why}")


def _signed_terms(node: cf.Node) -> list[cf.Node]:
    """``node`` as a list of terms whose sum it is, each term's sign moved into the term."""
    if isinstance(node, cf.Add):
        return _signed_terms(node.left) + _signed_terms(node.right)
    if isinstance(node, cf.Sub):
        return _signed_terms(node.left) + [normalize(cf.Neg(t)) for t in _signed_terms(node.right)]
    if isinstance(node, cf.Neg):
        return [normalize(cf.Neg(t)) for t in _signed_terms(node.operand)]
    return [node]


def _words(node: cf.Node) -> set[str]:
    if isinstance(node, cf.Word):
        return {node.index}
    return set().union(*(_words(child) for child in node.children()))


def _word_of(term: cf.Node, sampled: frozenset[str], one_word: bool) -> tuple[str, cf.Node]:
    """The one word ``term`` is about, and the term for that word's row (a sum's body).

    ``one_word``: the closed form is a gradient for one gathered word (∂J/∂u_k), so a
    negative's letter may stand outside a sum."""
    negated = isinstance(term, cf.Neg)
    inner = term.operand if negated else term
    if isinstance(inner, cf.Sum):
        if inner.index not in sampled or inner.same:
            raise _unsupported(term, "only sums over the negatives are computed row by row")
        body = normalize(cf.Neg(inner.body)) if negated else inner.body
        if _words(body) != {inner.index}:
            raise _unsupported(term, f"each term of sum_{inner.index} must be about u_{inner.index} alone")
        return inner.index, body
    words = _words(term)
    if len(words) != 1 or (words & sampled and not one_word):
        raise _unsupported(term, "a term outside sum_k must be about one gathered word, as u_o")
    return words.pop(), term


def _strip_factor(term: cf.Node, factor: cf.Node | None) -> cf.Node:
    """The scalar s of the term ``s factor`` (``-s factor`` gives ``-s``)."""
    negated = isinstance(term, cf.Neg)
    product = term.operand if negated else term
    if not isinstance(product, cf.Mul) or product.right != factor:
        raise _unsupported(term, f"a term must be a scalar times {to_text(factor)}")
    return normalize(cf.Neg(product.left)) if negated else product.left


def word_parts(node: cf.Node, sampled: frozenset[str], factor: str = "") -> dict[str, cf.Node]:
    """The part of the closed form ``node`` each gathered word's row contributes, by letter.

    ``factor``: ``""`` for a scalar (the loss: each row's term); ``"row"`` for a sum of
    multiples of the rows (∂J/∂v_c: the scalar multiplying each u_w); ``"v_c"`` for a multiple
    of v_c (∂J/∂u_w: the scalar s of ``s v_c``).  Terms about one word are added, in order.
    """
    parts: dict[str, cf.Node] = {}
    for term in _signed_terms(node):
        letter, part = _word_of(term, sampled, one_word=factor == "v_c")
        if factor == "row":
            part = _strip_factor(part, cf.Word(letter))
        elif factor == "v_c":
            part = _strip_factor(part, cf.Name("v_c"))
        parts[letter] = cf.Add(parts[letter], part) if letter in parts else part
    return parts


class LoopPrinter(Printer):
    """Scalar Python for one row's part of a closed form: ``u_wᵀv_c`` is the row's score ``z``.

    ``letter`` is the word the row is (``o``, or ``k`` for a negative); a score of any other
    word, or a vector, is not a scalar of this row and raises ``SymW2VError``.
    """

    printmethod = "_loop_print"
    # scalar helpers of the exported module: overflow-free, compiled with the loop
    functions = {"sigma": "_sigmoid", "exp": "math.exp", "log": "math.log"}
    composites = {("log", "sigma"): "_log_sigmoid"}

    def __init__(self, letter: str) -> None:
        super().__init__()
        self.letter = letter

    def code(self, node: cf.Node) -> str:
        """The scalar code of ``node``."""
        return self._print(node)[0]

    def emptyPrinter(self, node) -> tuple[str, int]:
        raise _unsupported(node, "not a scalar of one row")

    @staticmethod
    def _wrap(printed: tuple[str, int], minimum: int) -> str:
        text, precedence = printed
        return text if precedence >= minimum else f"({text})"

    def _print_Num(self, node: cf.Num) -> tuple[str, int]:
        value = node.value
        if value.denominator == 1:
            return str(value.numerator), _ATOM
        return f"{value.numerator} / {value.denominator}", _MUL

    def _print_Neg(self, node: cf.Neg) -> tuple[str, int]:
        return f"-{self._wrap(self._print(node.operand), _MUL)}", _UNARY

    def _binary(self, node, op: str, precedence: int) -> tuple[str, int]:
        left = self._wrap(self._print(node.left), precedence)
        right = self._wrap(self._print(node.right), precedence + 1)
        return f"{left} {op} {right}", precedence

    def _print_Add(self, node: cf.Add) -> tuple[str, int]:
        return self._binary(node, "+", _ADD)

    def _print_Sub(self, node: cf.Sub) -> tuple[str, int]:
        return self._binary(node, "-", _ADD)

    def _print_Div(self, node: cf.Div) -> tuple[str, int]:
        return self._binary(node, "/", _MUL)

    def _print_Pow(self, node: cf.Pow) -> tuple[str, int]:
        return f"{self._wrap(self._print(node.base), _ATOM)}**{node.exponent}", _POW

    def _print_Mul(self, node: cf.Mul) -> tuple[str, int]:
        left, right = node.left, node.right
        if isinstance(left, cf.Transpose) and isinstance(left.operand, cf.Word) and right == cf.Name("v_c"):
            if left.operand.index != self.letter:
                raise _unsupported(node, f"the score of u_{left.operand.index} in the row of u_{self.letter}")
            return "z", _ATOM
        return self._binary(node, "*", _MUL)

    def _print_Call(self, node: cf.Call) -> tuple[str, int]:
        if node.function not in self.functions:
            raise _unsupported(node, f"{node.function} is not exported")
        inner = node.argument
        key = (node.function, inner.function) if isinstance(inner, cf.Call) else None
        if key in self.composites:  # log σ(x) in one overflow-free step
            return f"{self.composites[key]}({self.code(inner.argument)})", _ATOM
        return f"{self.functions[node.function]}({self.code(inner)})", _ATOM
