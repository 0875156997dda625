"""Printers for ``export.py``: closed forms as vectorised array code, the derivation as Python.

``ArrayPrinter`` walks the closed-form AST with SymPy's ``_print_<Class>`` dispatch and prints
each node as batched array code: every value carries a leading batch axis ``b``; ``u_k``
under ``sum_k`` (or in a claim about ``∂J/∂u_k``) carries the axis ``k`` of the negatives; the
vectors themselves carry ``d`` (embedding) or ``v`` (vocabulary).  A product is an einsum over
those axes; the printer then writes the einsum as ``*`` when nothing is contracted, as ``@``
when it is a plain matrix product, and as one batched ``@`` when it is a matrix times a vector
for each example (BLAS, where einsum loops).  Where the template gathers the rows of o and of
the negatives into one array (``gathered``), the scores u_wᵀv_c are the columns of one product
of that array with v_c.  ``JaxPrinter`` and ``TorchPrinter`` differ from the NumPy
printer by the module name and one attribute or method each.  The printer supports the
constructs the exported closed forms use and raises ``SymW2VError`` on any other.

``InstancePrinter`` is SymPy's Python code printer, spaced as ``ruff format`` spaces code; with
the instance's component symbols renamed to identifiers (``component_names``: ``u_{2,3}`` →
``u_2_3``) it prints the derivation itself.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from dataclasses import dataclass, replace

import sympy
from sympy.printing.printer import Printer
from sympy.printing.pycode import PythonCodePrinter

from symw2v import closed_form as cf
from symw2v.errors import SymW2VError
from symw2v.printing import to_text
from symw2v.world.instance import Instance

SCALAR = ("1", "1")
# Python precedence, coarsely: what may stand unparenthesised where
_ADD, _MUL, _UNARY, _POW, _ATOM = 1, 2, 3, 4, 5
_BATCH_AXES = ("b", "k")  # axes that index examples and negatives, before the vector axes


@dataclass(frozen=True)
class Code:
    """Printed array code and what its value is.

    ``axes`` are the array's axes, in order: ``b`` (batch), ``k`` (negatives), ``v``
    (vocabulary), ``d`` (embedding).  ``shape`` is the mathematical shape, rows × columns, over
    ``"1"``, ``"d"`` and ``"v"``; a transpose changes it, never the array.
    """

    text: str
    axes: tuple[str, ...]
    shape: tuple[str, str]
    precedence: int = _ATOM


# What the closed forms' names are in the exported code (U read as rows, y as a column).
NAMES = {
    cf.Name("v_c"): Code("v_c", ("b", "d"), ("d", "1")),
    cf.Name("U"): Code("U", ("v", "d"), ("v", "d")),
    cf.Word("o"): Code("u_o", ("b", "d"), ("d", "1")),
    cf.Word("k"): Code("u_k", ("b", "k", "d"), ("d", "1")),
}
# ŷ − y: the only use of ŷ and y, so that ŷ can become ŷ − y in place
YHAT_MINUS_Y = cf.Sub(cf.Name("yhat"), cf.Name("y"))
# Variables the templates define around the printed code: no temporary takes these (z_o, the
# score of o, means the same everywhere).
RESERVED = frozenset(
    {"J", "U", "v_c", "o", "negatives", "u_o", "u_k", "z", "z_max", "yhat", "total", "words", "grads"}
    | {"dJ_dv_c", "dJ_du_o", "dJ_du_k", "dJ_dU", "single", "scale_o", "scale_k", "scales", "examples"}
    | {"rows"}
)
# Where the template gathers every word's row into one array (``gathered``: o's row, then the
# negatives'), the column of each word in it: the scores of all of them are one product.
STACKED = {"o": "0", "k": "1:"}
# The axes of each printed result, and the axes summed away (the batch, for U).
OUTPUT_AXES = {
    "J": (("b",), frozenset()),
    "v_c": (("b", "d"), frozenset()),
    "u_o": (("b", "d"), frozenset()),
    "u_k": (("b", "k", "d"), frozenset()),
    "U": (("v", "d"), frozenset({"b"})),
}


def _unsupported(node: cf.Node, why: str) -> SymW2VError:
    return SymW2VError(f"export cannot print {to_text(node)!r}: {why}")


def normalize(node: cf.Node) -> cf.Node:
    """Move minus signs out of products (``(-a) b`` → ``-(a b)``) and cancel double negation."""
    children = {key: normalize(value) for key, value in node.__dict__.items() if isinstance(value, cf.Node)}
    node = replace(node, **children) if children else node
    if isinstance(node, cf.Neg) and isinstance(node.operand, cf.Neg):
        return node.operand.operand
    if isinstance(node, cf.Mul) and isinstance(node.left, cf.Neg):
        return normalize(cf.Neg(cf.Mul(node.left.operand, node.right)))
    if isinstance(node, cf.Mul) and isinstance(node.right, cf.Neg):
        return normalize(cf.Neg(cf.Mul(node.left, node.right.operand)))
    return node


def _is_dot_product(node: cf.Node) -> bool:
    """``u_wᵀ v_c``: a score, always given a name (``z_w``, as in z = U v_c)."""
    return (
        isinstance(node, cf.Mul)
        and isinstance(node.left, cf.Transpose)
        and isinstance(node.left.operand, cf.Word)
        and node.right == cf.Name("v_c")
    )


def temporary_name(node: cf.Node) -> str | None:
    """A readable variable name for ``node`` built from the AST, or None."""
    if _is_dot_product(node):
        return f"z_{node.left.operand.index}"
    if isinstance(node, cf.Name):
        return node.name
    if isinstance(node, cf.Word):
        return f"u_{node.index}"
    inner = [temporary_name(child) for child in node.children()]
    if None in inner:
        return None
    if isinstance(node, cf.Neg):
        return f"neg_{inner[0]}"
    if isinstance(node, cf.Call):
        return f"{node.function}_{inner[0]}"
    if isinstance(node, cf.Sub):
        return f"{inner[0]}_minus_{inner[1]}"
    if isinstance(node, cf.Add):
        return f"{inner[0]}_plus_{inner[1]}"
    return None


def _worth_a_name(node: cf.Node) -> bool:
    return not isinstance(node, (cf.Num, cf.Name, cf.Word, cf.Transpose, cf.Neg))


class ArrayPrinter(Printer):
    """Batched NumPy code for closed forms; ``statements`` collects the temporaries printed."""

    printmethod = "_array_print"
    module = "np"
    in_place = True  # arrays can be updated in place (not JAX's)
    # entrywise functions: sigmoid and log_sigmoid are the module's own overflow-free helpers
    functions = {"sigma": "sigmoid", "exp": "{module}.exp", "log": "{module}.log"}
    composites = {("log", "sigma"): "log_sigmoid"}

    def __init__(
        self, nodes: tuple[cf.Node, ...] = (), sampled: frozenset[str] = frozenset("k"), gathered: str = ""
    ) -> None:
        """``nodes`` are every closed form to be printed: a subexpression they share is
        computed once, as a named temporary.  ``sampled``: the letters that range over the
        sampled words (the negatives), which carry the axis ``k``.  ``gathered``: where the
        template holds the rows of o and of the negatives stacked, (B, K+1, d), the name of
        that array; the scores u_wᵀv_c are then one product of it with v_c."""
        super().__init__()
        self.sampled = sampled
        self.gathered = gathered
        counts = Counter(n for node in nodes for n in self._printed_nodes(node))
        self._share = {
            n for n, count in counts.items() if _is_dot_product(n) or count > 1 and _worth_a_name(n)
        }
        self._named: dict[cf.Node, Code] = {}
        self._taken: set[str] = set()
        self.statements: list[str] = []

    def _printed_nodes(self, node: cf.Node):
        """The nodes printing ``node`` prints: those inside a composite such as log σ are not."""
        yield node
        inner = node.argument if isinstance(node, cf.Call) else None
        if isinstance(inner, cf.Call) and (node.function, inner.function) in self.composites:
            node = inner
        for child in node.children():
            yield from self._printed_nodes(child)

    # -- entry points
    def result(self, node: cf.Node, wrt: str) -> str:
        """The code of ``∂J/∂wrt = node`` (of J itself for ``wrt == "J"``), batched; ∂J/∂U is
        summed over the batch."""
        axes, summed = OUTPUT_AXES[wrt]
        if summed and isinstance(node, (cf.Mul, cf.Sum)):
            code = self._print(node, reduce=summed)
        else:
            code = self._reduced(self._print(node), summed)
        if code.axes != axes:
            raise _unsupported(node, f"its array has axes {code.axes}, the gradient needs {axes}")
        return code.text

    def multiple(self, node: cf.Node, wrt: str, factor: cf.Node) -> str:
        """The code of the scalar s in ``∂J/∂wrt = s factor``, one per example (and negative).

        A row of U's gradient that is a multiple of ``v_c`` is exported as that multiple, so
        that the row is built only where ∂J/∂U adds it.  Raises ``SymW2VError`` where the
        closed form is not a scalar times ``factor``.
        """
        negated = isinstance(node, cf.Neg)
        product = node.operand if negated else node
        if not isinstance(product, cf.Mul) or product.right != factor:
            raise _unsupported(node, f"∂J/∂{wrt} is exported as a multiple of {to_text(factor)}")
        scale = normalize(cf.Neg(product.left) if negated else product.left)
        code = self._print(scale)
        axes = tuple(axis for axis in OUTPUT_AXES[wrt][0] if axis in _BATCH_AXES)
        if code.shape != SCALAR or code.axes != axes:
            raise _unsupported(node, f"{to_text(scale)} is not a scalar per example")
        return code.text

    def _print(self, node, **kwargs) -> Code:
        if kwargs.get("reduce"):
            return super()._print(node, **kwargs)
        if node in self._named:
            return self._named[node]
        if self.gathered and _is_dot_product(node):
            return self._stacked_score(node)
        code = super()._print(node)
        if node in self._share:
            name = temporary_name(node)
            if name is None or name in RESERVED or name in self._taken:
                name = f"t{len(self._named)}"
            self._taken.add(name)
            self.statements.append(f"{name} = {code.text}")
            code = Code(name, code.axes, code.shape)
            self._named[node] = code
        return code

    def _stacked_score(self, node: cf.Mul) -> Code:
        """u_wᵀ v_c as its column of z, the scores of every gathered word: one product."""
        word = self._print(node.left.operand)  # checks that the word is one gathered
        if "z" not in self._taken:
            self._taken.add("z")
            rows = Code(self.gathered, ("b", "j", "d"), ("d", "1"))
            self.statements.append(f"z = {self._contract('bjd,bd->bj', rows, NAMES[cf.Name('v_c')])}")
        name = temporary_name(node)
        self._taken.add(name)
        self.statements.append(f"{name} = z[:, {STACKED[node.left.operand.index]}]")
        code = Code(name, word.axes[:-1], SCALAR)
        self._named[node] = code
        return code

    def emptyPrinter(self, node) -> Code:
        raise _unsupported(node, "no array code for this construct")

    # -- helpers the targets override
    def _einsum(self, spec: str, left: Code, right: Code) -> str:
        return f'{self.module}.einsum("{spec}", {left.text}, {right.text})'

    def _sum_axis(self, code: Code, axis: int) -> str:
        return f"{self._atom(code)}.sum(axis={axis})"

    def array(self, text: str) -> str:
        """An array of double-precision numbers from nested lists of floats."""
        return f"{self.module}.array({text})"

    # -- layout
    @staticmethod
    def _wrap(code: Code, minimum: int) -> str:
        return code.text if code.precedence >= minimum else f"({code.text})"

    def _atom(self, code: Code) -> str:
        return self._wrap(code, _ATOM)

    def _align(self, code: Code, axes: tuple[str, ...]) -> str:
        """``code`` indexed with None where it lacks one of ``axes``, so that it broadcasts."""
        if code.axes == axes or not code.axes:
            return code.text
        index = [":" if axis in code.axes else "None" for axis in axes]
        while index[-1] == ":":
            index.pop()
        return f"{self._atom(code)}[{', '.join(index)}]"

    @staticmethod
    def _union(*codes: Code) -> tuple[str, ...]:
        present = {axis for code in codes for axis in code.axes}
        vector = [axis for code in codes for axis in code.axes if axis not in _BATCH_AXES]
        ordered = [axis for axis in _BATCH_AXES if axis in present]
        for axis in vector:
            if axis not in ordered:
                ordered.append(axis)
        return tuple(ordered)

    def _elementwise(self, left: Code, op: str, right: Code, precedence: int) -> Code:
        axes = self._union(left, right)
        left_text = self._align(left, axes) if left.axes != axes else self._wrap(left, precedence)
        right_text = self._align(right, axes) if right.axes != axes else self._wrap(right, precedence + 1)
        shape = left.shape if left.shape != SCALAR else right.shape
        return Code(f"{left_text} {op} {right_text}", axes, shape, precedence)

    # -- leaves
    def _print_Num(self, node: cf.Num) -> Code:
        value = node.value
        if value.denominator == 1:
            return Code(str(value.numerator), (), SCALAR)
        return Code(f"{value.numerator} / {value.denominator}", (), SCALAR, _MUL)

    def _print_Name(self, node: cf.Name) -> Code:
        if node in NAMES:
            return NAMES[node]
        raise _unsupported(node, "yhat and y are exported only as yhat - y (z, K and V not at all)")

    def _print_Word(self, node: cf.Word) -> Code:
        if node in NAMES and (node.index != "k" or "k" in self.sampled):
            return NAMES[node]
        raise _unsupported(node, "the exported words are u_o and u_k (k over the negatives)")

    # -- operators
    def _print_Transpose(self, node: cf.Transpose) -> Code:
        code = self._print(node.operand)
        return replace(code, shape=(code.shape[1], code.shape[0]))

    def _print_Neg(self, node: cf.Neg) -> Code:
        code = self._print(node.operand)
        return Code(f"-{self._wrap(code, _MUL)}", code.axes, code.shape, _UNARY)

    def _print_Add(self, node: cf.Add) -> Code:
        return self._elementwise(self._print(node.left), "+", self._print(node.right), _ADD)

    def _print_Sub(self, node: cf.Sub) -> Code:
        if node == YHAT_MINUS_Y:  # y is one-hot: 1 taken from yhat at o, in place; y never built
            return Code("_minus_one_hot(yhat, o)", ("b", "v"), ("v", "1"))
        return self._elementwise(self._print(node.left), "-", self._print(node.right), _ADD)

    def _print_Div(self, node: cf.Div) -> Code:
        return self._elementwise(self._print(node.left), "/", self._print(node.right), _MUL)

    def _print_Pow(self, node: cf.Pow) -> Code:
        base = self._print(node.base)
        if base.shape != SCALAR:
            raise _unsupported(node, "only scalars have powers")
        return Code(f"{self._wrap(base, _ATOM)}**{node.exponent}", base.axes, SCALAR, _POW)

    def _print_Call(self, node: cf.Call) -> Code:
        if node.function not in self.functions:
            raise _unsupported(node, f"{node.function} is not exported")
        inner = node.argument
        key = (node.function, inner.function) if isinstance(inner, cf.Call) else None
        if key in self.composites:  # log σ(x) in one overflow-free step
            code, function = self._print(inner.argument), self.composites[key]
        else:
            code = self._print(inner)
            function = self.functions[node.function].format(module=self.module)
        return Code(f"{function}({code.text})", code.axes, code.shape)

    def _print_Sum(self, node: cf.Sum, reduce: frozenset[str] = frozenset()) -> Code:
        if node.index != "k" or node.over != "K":
            raise _unsupported(node, "only sums over the negatives (sum_k) are exported")
        if isinstance(node.body, cf.Mul):  # Σ_k a_k b_k is one contraction over k
            return self._print_Mul(node.body, reduce | {"k"})
        code = self._print(node.body)
        return self._reduced(code, reduce | {"k"})

    def _reduced(self, code: Code, reduce: frozenset[str]) -> Code:
        for axis in sorted(reduce, key=code.axes.index, reverse=True):
            text = self._sum_axis(code, code.axes.index(axis))
            code = Code(text, tuple(a for a in code.axes if a != axis), code.shape)
        return code

    def _print_Mul(self, node: cf.Mul, reduce: frozenset[str] = frozenset()) -> Code:
        """A product as an einsum over the axes, summing ``reduce`` away (Σ_k, or the batch)."""
        left, right = self._print(node.left), self._print(node.right)
        if SCALAR in (left.shape, right.shape):
            shape, contracted = (right.shape if left.shape == SCALAR else left.shape), set()
        elif left.shape[1] != right.shape[0]:
            raise _unsupported(node, f"a {'×'.join(left.shape)} times a {'×'.join(right.shape)} matrix")
        else:
            shape, contracted = (left.shape[0], right.shape[1]), {left.shape[1]} - {"1"}
        kept = [axis for axis in self._union(left, right) if axis not in contracted | reduce]
        axes = tuple(a for a in _BATCH_AXES if a in kept) + tuple(a for a in shape if a != "1")
        if sorted(axes) != sorted(kept):
            raise _unsupported(node, "a product that keeps an axis twice")
        if not contracted | reduce:
            return self._elementwise(left, "*", right, _MUL)
        spec = f"{''.join(left.axes)},{''.join(right.axes)}->{''.join(axes)}"
        return Code(self._contract(spec, left, right), axes, shape, _MUL)

    def _contract(self, spec: str, left: Code, right: Code) -> str:
        """A plain matrix product as ``@`` (BLAS in every target); anything else as einsum."""
        inputs, output = spec.split("->")
        (a, b), letters = inputs.split(","), set(inputs) - {","}
        if len(a) == len(b) == len(output) == 2 and len(letters) == 3 and not set(a) & set(b) & set(output):
            first, second = (left, right) if output[0] in a else (right, left)
            first_text = self._atom(first) + (".T" if first.axes[0] != output[0] else "")
            second_text = self._atom(second) + (".T" if second.axes[1] != output[1] else "")
            return f"{first_text} @ {second_text}"
        return self._batched_product(spec, left, right) or self._einsum(spec, left, right)

    def _batched_product(self, spec: str, left: Code, right: Code) -> str | None:
        """A matrix times a vector (or a vector times a matrix) for each example, as one
        ``@`` over the batch (BLAS, where einsum loops); None for any other product."""
        inputs, output = spec.split("->")
        a, b = inputs.split(",")
        contracted = (set(a) & set(b)) - set(output)
        if not (a[:1] == b[:1] == output[:1] == "b") or len(contracted) != 1:
            return None
        (axis,) = contracted
        free_a, free_b = a[1:].replace(axis, ""), b[1:].replace(axis, "")
        if a[1:] != free_a + axis or b[1:] != axis + free_b or output[1:] != free_a + free_b:
            return None
        if len(free_a) + len(free_b) != 1:  # a dot product per example stays an einsum
            return None
        if free_a:  # (B, m, n) times (B, n): each vector a column, the result's last axis dropped
            return f"({self._atom(left)} @ {self._atom(right)}[:, :, None])[:, :, 0]"
        return f"({self._atom(left)}[:, None, :] @ {self._atom(right)})[:, 0]"


class JaxPrinter(ArrayPrinter):
    """The NumPy printer over ``jax.numpy``."""

    module = "jnp"
    in_place = False


class NumbaPrinter(ArrayPrinter):
    """The NumPy printer, for the numba target: its arrays are NumPy's (the negative-sampling
    gradient is a loop printed by ``export_loops.LoopPrinter`` instead)."""


class TorchPrinter(ArrayPrinter):
    """The NumPy printer over ``torch`` (which takes NumPy's ``axis`` for ``dim``)."""

    module = "torch"

    def array(self, text: str) -> str:
        return f"torch.tensor({text}, dtype=torch.float64)"


# -- the derivation at the instance, as Python over its component symbols


def component_names(instance: Instance) -> dict[sympy.Symbol, sympy.Symbol]:
    """The instance's component symbols renamed to identifiers: u_{w,i} → u_w_i, v_{c,i} → v_c_i."""
    names = {}
    U = instance.U_rows()
    for word in range(instance.V):
        for i in range(instance.d):
            names[U[word, i]] = sympy.Symbol(f"u_{word + 1}_{i + 1}", real=True)
    for i, symbol in enumerate(instance.v()):
        names[symbol] = sympy.Symbol(f"v_c_{i + 1}", real=True)
    return names


class InstancePrinter(PythonCodePrinter):
    """SymPy's Python printer (``math.exp``, ``math.log``) with spacing as ``ruff format`` writes."""

    def doprint(self, expr, assign_to=None) -> str:
        text = super().doprint(expr, assign_to)
        return _format_expression(text)


def _format_expression(text: str) -> str:
    """``ast.unparse`` spacing, then ``x**2`` hugged as ruff and black hug simple powers."""
    text = ast.unparse(ast.parse(text, mode="eval"))
    simple = r"-?[A-Za-z_][\w.]*|-?\d+"
    return re.sub(rf"(?<![\w.)])({simple}) \*\* ({simple})(?![\w.(])", r"\1**\2", text)


def shorten(
    assignments: list[tuple[sympy.Symbol, sympy.Expr]], printer: InstancePrinter, limit: int, fresh
) -> list[tuple[sympy.Symbol, sympy.Expr]]:
    """Split every assignment whose line would pass ``limit`` characters, by naming its longest
    argument first (deterministic: the order of SymPy's ``args``)."""
    done: list[tuple[sympy.Symbol, sympy.Expr]] = []
    for symbol, expr in assignments:
        while len(f"{symbol} = {printer.doprint(expr)}") > limit:
            part = _longest_part(expr, printer, limit)
            name = next(fresh)
            done.append((name, part))
            expr = expr.xreplace({part: name})
        done.append((symbol, expr))
    return done


def _longest_part(expr: sympy.Expr, printer: InstancePrinter, limit: int) -> sympy.Expr:
    """The longest proper subexpression that fits on a line of its own."""
    while True:
        args = [a for a in expr.args if not a.is_Atom]
        if not args:
            raise SymW2VError(f"cannot split a printed expression below {limit} characters")
        longest = max(args, key=lambda a: len(printer.doprint(a)))
        if len(printer.doprint(longest)) + 8 <= limit:
            return longest
        expr = longest
