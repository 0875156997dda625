"""Print closed forms as plain text (the parser's own syntax) and as LaTeX.

The printers are walks (``on_<Class>``, the one dispatch over the AST); the LaTeX printers differ
from the text printer by how they write the world's objects and functions and by a few methods.
Text output parses back to the same AST.
"""

from __future__ import annotations

from symw2v import closed_form as cf
from symw2v.world import BY_BOUND, FAMILIES, OBJECTS
from symw2v.world import functions as fn

# Binding strength: a child printed inside a parent of higher strength gets parentheses.
_ADD, _MUL, _POW, _POSTFIX, _ATOM = 1, 2, 4, 5, 6


def _strength(node: cf.Node) -> int:
    if isinstance(node, (cf.Add, cf.Sub)):
        return _ADD
    if isinstance(node, (cf.Mul, cf.Div, cf.Neg, cf.Sum)):
        return _MUL
    if isinstance(node, cf.Num):
        return _MUL if node.value.denominator != 1 else _ATOM
    if isinstance(node, cf.Pow):
        return _POW
    if isinstance(node, (cf.Transpose, cf.Component)):
        return _POSTFIX
    return _ATOM


def _ends_in_sum(node: cf.Node) -> bool:
    """Whether the printed text of ``node`` ends with a sum's body (which extends rightwards)."""
    if isinstance(node, cf.Sum):
        return True
    if isinstance(node, (cf.Mul, cf.Div, cf.Add, cf.Sub)):
        return _ends_in_sum(node.right)
    if isinstance(node, cf.Neg):
        return _ends_in_sum(node.operand)
    return False


class TextPrinter(cf.Walk):
    """The plain-text syntax of ``claim.lark``."""

    names = {name: o.text for name, o in OBJECTS.items()}
    functions = fn.TEXT
    minus, plus = "-", "+"

    def doprint(self, node: cf.Node) -> str:
        return self(node)

    def _group(self, text: str) -> str:
        return f"({text})"

    def _wrap(self, node: cf.Node, minimum: int) -> str:
        text = self.doprint(node)
        return self._group(text) if _strength(node) < minimum else text

    def on_Num(self, node: cf.Num) -> str:
        value = node.value
        if value.denominator == 1:
            return str(value.numerator)
        return f"{value.numerator}/{value.denominator}"

    def on_Name(self, node: cf.Name) -> str:
        return self.names[node.name]

    def on_Word(self, node: cf.Word) -> str:
        if node.index.startswith(cf.NEGATIVE_ENTRY):  # an entry of a block: u_{w_1}
            return FAMILIES[node.family].compact(node.index)
        return FAMILIES[node.family].text(node.index)

    def on_Component(self, node: cf.Component) -> str:
        return f"{self._wrap(node.base, _ATOM)}_{node.index}"

    def on_Transpose(self, node: cf.Transpose) -> str:
        return f"{self._wrap(node.operand, _POSTFIX)}^T"

    def on_Neg(self, node: cf.Neg) -> str:
        operand = node.operand
        inner = self.doprint(operand)
        if _strength(operand) <= _MUL and not isinstance(operand, cf.Num):
            inner = self._group(inner)
        return f"{self.minus}{inner}"

    def on_Add(self, node: cf.Add) -> str:
        return f"{self.doprint(node.left)} {self.plus} {self._wrap(node.right, _MUL)}"

    def on_Sub(self, node: cf.Sub) -> str:
        return f"{self.doprint(node.left)} {self.minus} {self._wrap(node.right, _MUL)}"

    def _mul_left(self, node: cf.Node) -> str:
        # a left factor that ends in a sum would let the sum swallow what follows it
        if _ends_in_sum(node) or _strength(node) < _MUL:
            return self._group(self.doprint(node))
        return self.doprint(node)

    def _mul_right(self, node: cf.Node) -> str:
        if isinstance(node, cf.Sum):
            return self.doprint(node)
        return self._wrap(node, _POW)

    def on_Mul(self, node: cf.Mul) -> str:
        return f"{self._mul_left(node.left)} {self._mul_right(node.right)}"

    def on_Div(self, node: cf.Div) -> str:
        return f"{self._mul_left(node.left)} / {self._wrap(node.right, _POW)}"

    def on_Pow(self, node: cf.Pow) -> str:
        exponent = str(node.exponent) if node.exponent >= 0 else f"({node.exponent})"
        return f"{self._wrap(node.base, _POSTFIX)}^{exponent}"

    def on_Call(self, node: cf.Call) -> str:
        return f"{self.functions[node.function]}({self.doprint(node.argument)})"

    def on_Max(self, node: cf.Max) -> str:
        return f"{self.maximum}({self(node.left)}, {self(node.right)})"

    maximum = "max"

    def on_Sum(self, node: cf.Sum) -> str:
        if node.same:
            condition = self._same(node.index, node.same)
            head = (
                f"sum_{{{node.index}=1, {condition}}}^{node.over}"
                if node.over
                else f"sum_{{{node.index}: {condition}}}"
            )
        elif node.over in BY_BOUND and BY_BOUND[node.over].text_range:  # the window: −m ≤ j ≤ m, j ≠ 0
            head = BY_BOUND[node.over].text_range.format(i=node.index)
        else:
            head = f"sum_{{{node.index}=1}}^{node.over}" if node.over else f"sum_{node.index}"
        return f"{head} {self._wrap(node.body, _MUL)}"

    def _same(self, a: str, b: str) -> str:
        return f"w_{a} = w_{b}"

    def on_Same(self, node: cf.Same) -> str:
        return f"[{self._same(node.a, node.b)}]"

    def on_Partial(self, node: cf.Partial) -> str:
        return f"∂J(v_c, w_{node.word}, U)/∂{node.wrt}"

    # a block matrix: its written entries, a pattern as its entries at 1 and at its size
    separator, dots = ", ", "..."

    def _entries(self, node: cf.Node) -> list[str]:
        if isinstance(node, cf.Columns):
            return [self.doprint(cf.entry(node, "1")), self.dots, self.doprint(cf.entry(node, node.over))]
        return [self.doprint(node)]

    def _matrix(self, entries: list[str]) -> str:
        return f"[{self.separator.join(entries)}]"

    def on_Block(self, node: cf.Block) -> str:
        return self._matrix([text for part in node.parts for text in self._entries(part)])

    def on_Columns(self, node: cf.Columns) -> str:
        return self._matrix(self._entries(node))


class LatexPrinter(TextPrinter):
    """LaTeX in the seed's notation (bold vectors, ``^\\top``, ``\\sigma``)."""

    names = {name: o.latex for name, o in OBJECTS.items()}
    functions = fn.LATEX
    maximum = r"\max"

    def _group(self, text: str) -> str:
        return rf"\left({text}\right)"

    def on_Num(self, node: cf.Num) -> str:
        value = node.value
        if value.denominator == 1:
            return str(value.numerator)
        return rf"\frac{{{value.numerator}}}{{{value.denominator}}}"

    def on_Word(self, node: cf.Word) -> str:
        return FAMILIES[node.family].latex(node.index)

    def on_Component(self, node: cf.Component) -> str:
        base = node.base
        plain = OBJECTS[base.name].component_latex if isinstance(base, cf.Name) else ""
        if plain:
            return f"{plain}_{{{node.index}}}"
        return f"{self._group(self.doprint(base))}_{{{node.index}}}"

    def on_Transpose(self, node: cf.Transpose) -> str:
        operand = node.operand
        if isinstance(operand, cf.Word) or (
            isinstance(operand, cf.Name) and OBJECTS[operand.name].role == "vector"
        ):
            return rf"{self(operand)}^{{\top}}"  # a bold vector needs no brackets
        return rf"{self._wrap(operand, _POSTFIX)}^{{\top}}"

    def on_Mul(self, node: cf.Mul) -> str:
        return rf"{self._mul_left(node.left)} \, {self._mul_right(node.right)}"

    def on_Div(self, node: cf.Div) -> str:
        return rf"\frac{{{self.doprint(node.left)}}}{{{self.doprint(node.right)}}}"

    def on_Pow(self, node: cf.Pow) -> str:
        return f"{self._wrap(node.base, _POSTFIX)}^{{{node.exponent}}}"

    def on_Call(self, node: cf.Call) -> str:
        return rf"{self.functions[node.function]}\left({self.doprint(node.argument)}\right)"

    def on_Sum(self, node: cf.Sum) -> str:
        if not node.over and not node.same:  # a sum written without its range: the loss gives it one
            return rf"\sum_{{{node.index}}} {self._wrap(node.body, _MUL)}"
        window = BY_BOUND[node.over].latex_range if node.over in BY_BOUND else ""
        start = window.format(i=node.index) if window else f"{node.index}=1"
        upper = "" if window else f"^{{{node.over or 'K'}}}"
        if node.same:
            start = rf"\substack{{{start} \\ {self._same(node.index, node.same)}}}"
        return rf"\sum_{{{start}}}{upper} {self._wrap(node.body, _MUL)}"

    def _same(self, a: str, b: str) -> str:
        return f"w_{{{a}}} = w_{{{b}}}"

    def on_Same(self, node: cf.Same) -> str:
        return rf"\mathbb{{1}}[{self._same(node.a, node.b)}]"

    def on_Partial(self, node: cf.Partial) -> str:
        centre, matrix, wrt = (self.names[name] for name in ("v_c", "U", node.wrt))
        return rf"\frac{{\partial J({centre}, w_{{{node.word}}}, {matrix})}}{{\partial {wrt}}}"

    separator, dots = " & ", r"\cdots"

    def _matrix(self, entries: list[str]) -> str:
        return rf"\begin{{bmatrix}} {self.separator.join(entries)} \end{{bmatrix}}"


class CompactLatexPrinter(LatexPrinter):
    """LaTeX as a student types it (``u_k^T v_c``, ``\\sigma(x)``): for hints and messages."""

    names = {name: o.compact for name, o in OBJECTS.items()}

    def _group(self, text: str) -> str:
        return f"({text})"

    def on_Word(self, node: cf.Word) -> str:
        return FAMILIES[node.family].compact(node.index)

    def on_Transpose(self, node: cf.Transpose) -> str:
        return f"{self._wrap(node.operand, _POSTFIX)}^T"

    def on_Mul(self, node: cf.Mul) -> str:
        return f"{self._mul_left(node.left)} {self._mul_right(node.right)}"

    def on_Call(self, node: cf.Call) -> str:
        return f"{self.functions[node.function]}({self.doprint(node.argument)})"


def to_text(node: cf.Node) -> str:
    """The claim in the plain-text syntax; ``parse_claim(to_text(n)) == n``."""
    return TextPrinter().doprint(node)


def to_latex(node: cf.Node) -> str:
    """The claim as LaTeX (GitHub and ``latex2mathml`` both render it)."""
    return LatexPrinter().doprint(node)


def to_compact_latex(node: cf.Node) -> str:
    """The claim as short LaTeX, the way people type it; it parses back to ``node``."""
    return CompactLatexPrinter().doprint(node)
