"""The closed-form language: a small vector AST for what people write about word2vec gradients.

Nodes are frozen dataclasses, so a claim is a value: hashable, comparable, printable.
Shapes are not stored on the nodes; ``shapes.py`` infers them under a reading of ``U`` and ``y``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction


class Node:
    """Base class of the closed-form AST."""

    __slots__ = ()

    def children(self) -> tuple[Node, ...]:
        return ()


@dataclass(frozen=True)
class Num(Node):
    """An exact rational constant."""

    value: Fraction


@dataclass(frozen=True)
class Name(Node):
    """A named object: ``v_c``, ``U``, ``y``, ``yhat``, ``z``, ``K`` or ``V``."""

    name: str


@dataclass(frozen=True)
class Word(Node):
    """The vocabulary vector ``u_<index>``; ``index`` is ``o``, a bound or free letter, or a number.
    ``family``: the letter of the world's family of word vectors it belongs to (``u``; ``v`` a
    word's centre vector, ``e`` its one-hot vector)."""

    index: str
    family: str = "u"


@dataclass(frozen=True)
class Component(Node):
    """Component ``index`` of a length-V vector, e.g. ``yhat_w`` or ``(yhat - y)_k``."""

    base: Node
    index: str

    def children(self) -> tuple[Node, ...]:
        return (self.base,)


@dataclass(frozen=True)
class Transpose(Node):
    operand: Node

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)


@dataclass(frozen=True)
class Neg(Node):
    operand: Node

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)


@dataclass(frozen=True)
class Add(Node):
    left: Node
    right: Node

    def children(self) -> tuple[Node, ...]:
        return (self.left, self.right)


@dataclass(frozen=True)
class Sub(Node):
    left: Node
    right: Node

    def children(self) -> tuple[Node, ...]:
        return (self.left, self.right)


@dataclass(frozen=True)
class Mul(Node):
    """A product: scalar times anything, or a matrix product when both sides are non-scalar."""

    left: Node
    right: Node

    def children(self) -> tuple[Node, ...]:
        return (self.left, self.right)


@dataclass(frozen=True)
class Div(Node):
    """``left / right``; ``right`` must be a scalar."""

    left: Node
    right: Node

    def children(self) -> tuple[Node, ...]:
        return (self.left, self.right)


@dataclass(frozen=True)
class Pow(Node):
    """A scalar raised to an integer power."""

    base: Node
    exponent: int

    def children(self) -> tuple[Node, ...]:
        return (self.base,)


@dataclass(frozen=True)
class Call(Node):
    """``sigma``, ``exp`` and ``log`` act entrywise; ``softmax`` maps a vector to a vector."""

    function: str
    argument: Node

    def children(self) -> tuple[Node, ...]:
        return (self.argument,)


@dataclass(frozen=True)
class Max(Node):
    """``max(left, right)`` of two scalars: ReLU is max(x, 0), a leaky ReLU max(αx, x)."""

    left: Node
    right: Node

    def children(self) -> tuple[Node, ...]:
        return (self.left, self.right)


@dataclass(frozen=True)
class Sum(Node):
    """``sum_<index>`` over the index set written up to ``over`` (K: the negatives, V: the
    vocabulary); with ``same``, only over the members whose word is the word of ``same``
    (``sum_{k: w_k = w_s}``)."""

    index: str
    over: str
    body: Node
    same: str = ""

    def children(self) -> tuple[Node, ...]:
        return (self.body,)


@dataclass(frozen=True)
class Partial(Node):
    """``∂J(v_c, w, U)/∂wrt``: the gradient (denominator layout) of the single-word loss a window
    loss sums (its ``base``), with the outside word o the word of the index ``word`` (the word
    w_{t+j} of window position j); ``base`` is filled in by ``resolve_sums`` from the loss."""

    wrt: str
    word: str
    base: str = ""


@dataclass(frozen=True)
class Same(Node):
    """``[w_a = w_b]``: 1 when the words of the indices ``a`` and ``b`` are the same, else 0."""

    a: str
    b: str


@dataclass(frozen=True)
class Columns(Node):
    """The matrix of columns ``[body_1, …, body_N]``: ``body`` with ``index`` set to each member of
    the index set written up to ``over`` (V: the vocabulary, K: the negatives) in turn; a scalar
    body gives a row.  Written ``[a_1, a_2, …, a_V]``, the general term read off the entries."""

    index: str
    over: str
    body: Node
    about = "a block matrix [a_1, …, a_N]"

    def children(self) -> tuple[Node, ...]:
        return (self.body,)


@dataclass(frozen=True)
class Block(Node):
    """Matrices side by side, ``[a, b, …]``: each part a column, a row of scalars or a
    ``Columns``; ``[u_o, -u_{w_1}, …, -u_{w_K}]`` is ``u_o`` beside the columns ``-u_{w_k}``."""

    parts: tuple[Node, ...]
    about = "a block matrix [a, b, …]"

    def children(self) -> tuple[Node, ...]:
        return self.parts


# how a written entry names member n of the negatives: u_{w_1}, u_{w_K} (a number or a bound
# after this prefix); the entries of a vocabulary pattern name the word itself: u_1, u_V
NEGATIVE_ENTRY = "w_"


def entry(columns: Columns, member: str) -> Node:
    """The entry of ``columns`` written for ``member`` ("1", "2" or its bound): ``u_{w_1}`` for
    the first negative, ``(yhat_V - y_V) v_c`` for the last word."""
    return _written(columns.body, columns.index, member, columns.over == "K")


def _written(node: Node, letter: str, member: str, negatives: bool) -> Node:
    if isinstance(node, Word) and node.index == letter:
        return replace(node, index=NEGATIVE_ENTRY + member if negatives else member)  # family kept
    if isinstance(node, Component) and node.index == letter:
        return Component(_written(node.base, letter, member, negatives), member)
    if isinstance(node, (Sum, Columns)) and node.index == letter:
        return node
    if isinstance(node, Block):
        return Block(tuple(_written(p, letter, member, negatives) for p in node.parts))
    if not node.children():
        return node
    fields = {
        k: _written(v, letter, member, negatives) if isinstance(v, Node) else v
        for k, v in node.__dict__.items()
    }
    return type(node)(**fields)


def walk(node: Node):
    """Yield ``node`` and every node below it, depth first, without recursion."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children()))


def free_indices(node: Node, bound: frozenset[str] = frozenset()) -> set[str]:
    """Letters used as indices in ``node`` that no enclosing sum binds (``o`` excluded)."""
    if isinstance(node, Columns):
        return free_indices(node.body, bound | {node.index})
    if isinstance(node, Sum):
        outside = {node.same} - bound if node.same.isalpha() and node.same != "o" else set()
        return outside | free_indices(node.body, bound | {node.index})
    if isinstance(node, Same):
        return {i for i in (node.a, node.b) if i.isalpha() and i != "o" and i not in bound}
    if isinstance(node, Partial):
        return {node.word} - bound - {"o"} if node.word.isalpha() else set()
    found: set[str] = set()
    index = getattr(node, "index", None)
    if isinstance(node, (Word, Component)) and index.isalpha() and index != "o":
        if index not in bound:
            found.add(index)
    for child in node.children():
        found |= free_indices(child, bound)
    return found


def degree(node: Node) -> int:
    """An upper bound on the polynomial degree of ``node`` once expanded, which its size in SymPy
    grows with: a product adds degrees, a power multiplies them."""
    if isinstance(node, (Mul, Div)):
        return degree(node.left) + degree(node.right)
    if isinstance(node, Pow):
        return degree(node.base) * max(1, abs(node.exponent))
    return max((degree(child) for child in node.children()), default=1)


class NoRule(TypeError):
    """A walk has no rule for a node class (a stage that does not cover a construct)."""


class Walk:
    """The one way to walk the AST: a method ``on_<Class>`` per node class, found once per class.

    Shapes, instantiation, the certificate's formal algebra, the printers and the exporters are
    walks; ``walk(node, *args)`` (calling the walk) dispatches on the node's class.
    """

    _methods: dict[type, str] = {}

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        cls._methods = {}

    def __call__(self, node: Node, *args):
        kind = type(node)
        name = self._methods.get(kind)
        if name is None:
            name = next((f"on_{c.__name__}" for c in kind.__mro__ if hasattr(self, f"on_{c.__name__}")), None)
            if name is None:
                raise NoRule(f"{type(self).__name__} does not cover {getattr(kind, 'about', kind.__name__)}")
            self._methods[kind] = name
        return getattr(self, name)(node, *args)


def substitute(node: Node, letter: str, index: str) -> Node:
    """``node`` with the free index ``letter`` replaced by ``index`` (``o``, or another letter);
    an index bound by a sum inside is left alone."""
    if isinstance(node, Sum):
        same = index if node.same == letter else node.same
        if node.index == letter:
            return Sum(node.index, node.over, node.body, same)
        return Sum(node.index, node.over, substitute(node.body, letter, index), same)
    if isinstance(node, Same):
        return Same(*(index if i == letter else i for i in (node.a, node.b)))
    if isinstance(node, Columns):
        return (
            node
            if node.index == letter
            else Columns(node.index, node.over, substitute(node.body, letter, index))
        )
    if isinstance(node, Block):
        return Block(tuple(substitute(part, letter, index) for part in node.parts))
    if isinstance(node, Word):
        return Word(index, node.family) if node.index == letter else node
    if isinstance(node, Partial):
        return Partial(node.wrt, index, node.base) if node.word == letter else node
    if isinstance(node, Component):
        base = substitute(node.base, letter, index)
        return Component(base, index if node.index == letter else node.index)
    if not node.children():
        return node
    fields = {k: substitute(v, letter, index) if isinstance(v, Node) else v for k, v in node.__dict__.items()}
    return type(node)(**fields)
