"""Readable forms of gradients and residuals at an instance.

A d-vector built from word2vec quantities is a combination ``Σ_w c_w u_w + c_v v_c`` whose
coefficients depend on the vectors only through the dot products ``u_wᵀv_c``.  This module
recovers that combination from the component expressions (exactly: the coefficients must be
the same for every component), names the dot products, and groups the K negatives into
``Σ_k`` when they share one coefficient.  What does not have that form is shown per component.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import sympy

from symw2v.rational import to_rational
from symw2v.world import IndexSet, Instance, symbols


class Sigma(sympy.Function):
    """σ, for display only: ``1/(1 + e^{-x})`` shown as the reader wrote it."""

    def _latex(self, printer) -> str:
        return rf"\sigma\left({printer._print(self.args[0])}\right)"

    def _sympystr(self, printer) -> str:
        return f"σ({printer._print(self.args[0])})"


def _is_logistic_denominator(expr: sympy.Expr) -> bool:
    return (
        expr.is_Pow
        and expr.exp == -1
        and expr.base.is_Add
        and len(expr.base.args) == 2
        and sympy.S.One in expr.base.args
        and any(isinstance(a, sympy.exp) for a in expr.base.args)
    )


def _fold_exp_sigma(expr: sympy.Expr) -> sympy.Expr:
    """``e^a σ(−a)`` is ``σ(a)``."""
    if not expr.is_Mul:
        return expr
    factors = list(expr.args)
    for exp_factor in [f for f in factors if isinstance(f, sympy.exp)]:
        partner = Sigma(-exp_factor.args[0])
        if partner in factors:
            factors.remove(exp_factor)
            factors.remove(partner)
            factors.append(Sigma(exp_factor.args[0]))
    return sympy.Mul(*factors)


def sigmoid_form(expr: sympy.Expr) -> sympy.Expr:
    """Rewrite ``1/(1 + e^a)`` as ``σ(−a)`` and ``e^a/(1 + e^a)`` as ``σ(a)``, for display."""
    expr = expr.replace(
        _is_logistic_denominator,
        lambda e: Sigma(-next(a for a in e.base.args if isinstance(a, sympy.exp)).args[0]),
    )
    return expr.replace(lambda e: e.is_Mul, _fold_exp_sigma)


def _exponent_in_dots(exponent: sympy.Expr, instance: Instance) -> sympy.Expr | None:
    """``exponent`` as a combination of dot products u_wᵀv_c (or of z's coordinates), else None."""
    z = set(instance.z_symbols())
    if exponent.free_symbols <= z and exponent.is_polynomial(*z) and sympy.Poly(exponent, *z).is_linear:
        return exponent
    U, v = instance.U_rows(), instance.v()
    polynomial = sympy.Poly(exponent, *instance.symbols())
    combination = sympy.Integer(0)
    for w in range(instance.V):
        coefficient = polynomial.coeff_monomial(U[w, 0] * v[0])
        combination += coefficient * symbols.dot(w + 1)
    check = combination.xreplace({symbols.dot(w + 1): (U.row(w) * v)[0] for w in range(instance.V)})
    return combination if sympy.expand(check - exponent) == 0 else None


def _scores(instance: Instance, exprs) -> tuple[sympy.Expr, ...]:
    """The exponents people read: z's coordinates where z is free, else the dot products u_wᵀv_c."""
    z = tuple(instance.z_symbols())
    if any(e.has(*z) for e in exprs):
        return z
    return tuple(instance.U_rows() * instance.v())


_FACTOR_OPS = 400


class _Reader:
    """Turns rational functions over an exponential basis back into readable expressions."""

    def __init__(self, basis, instance: Instance) -> None:
        self.instance = instance
        self.mapping: dict | None = {}
        self.words: dict[int, sympy.Symbol] = {}  # word -> basis symbol t with t = e^{u_wᵀv_c}
        scores = {symbols.dot(w): w for w in range(1, instance.V + 1)}
        scores.update({z: w for w, z in enumerate(instance.z_symbols(), start=1)})
        for symbol, exponent in zip(basis.symbols, basis.exponents, strict=True):
            if exponent.is_Rational:
                self.mapping[symbol] = sympy.exp(exponent)
                continue
            in_dots = _exponent_in_dots(exponent, instance)
            if in_dots is None:
                self.mapping = None
                return
            self.mapping[symbol] = sympy.exp(in_dots)
            if in_dots in scores:
                self.words[scores[in_dots]] = symbol
        self.mapping.update(dict(basis.opaque))
        self.opaque = {symbol for symbol, _ in basis.opaque}
        # the outside word is written o, as people write it
        self.outside = {
            symbols.dot(instance.o): symbols.dot("o"),
            symbols.yhat(instance.o): symbols.yhat("o"),
        }

    def readable(self, expr: sympy.Expr) -> sympy.Expr:
        """``expr`` (over the basis symbols) with ŷ_w or σ where they apply, dot products named."""
        shown = self._softmax_form(expr)
        if shown is None:
            # factoring over logs (kept whole) or a large expression costs far more than the
            # shorter form is worth: it is for display only
            small = not expr.free_symbols & self.opaque and sympy.count_ops(expr) <= _FACTOR_OPS
            shown = sigmoid_form((sympy.factor(expr) if small else expr).xreplace(self.mapping))
        return shown.xreplace(self.outside)

    def _softmax_form(self, expr: sympy.Expr) -> sympy.Expr | None:
        """``e^{z_w}/Σ_j e^{z_j}`` as ``ŷ_w``, with Σ_w ŷ_w = 1 used to shorten linear forms."""
        if len(self.words) != self.instance.V or not expr.free_symbols & set(self.words.values()):
            return None
        scale = sympy.Dummy("s")
        yhat = {w: symbols.yhat(w) for w in self.words}
        substituted = expr.xreplace({t: yhat[w] * scale for w, t in self.words.items()})
        numerator, denominator = sympy.fraction(sympy.cancel(substituted))
        if scale in numerator.free_symbols | denominator.free_symbols:
            return None
        total = sum(yhat.values())
        degree = sympy.Poly(denominator, *yhat.values()).total_degree()
        constant = sympy.cancel(denominator / total**degree)
        if constant.free_symbols & set(yhat.values()):
            return None
        numerator = sympy.expand(numerator / constant)
        poly = sympy.Poly(numerator, *yhat.values())
        if poly.is_linear and poly.coeff_monomial(1) == 0:
            # Σ a_w ŷ_w = a + Σ (a_w − a) ŷ_w with a the most common coefficient
            coefficients = [poly.coeff_monomial(y) for y in yhat.values()]
            common = max(coefficients, key=coefficients.count)
            numerator = common + sum(
                (c - common) * y for c, y in zip(coefficients, yhat.values(), strict=True)
            )
        return sympy.factor(numerator).xreplace(self.mapping)


def linear_combination(column: sympy.Matrix, instance: Instance) -> list[tuple[sympy.Expr, str]] | None:
    """``[(coefficient, "u_3" or "v_c"), …]`` with ``column == Σ coefficient · vector``, or None.

    Coefficients are expressions in the dot-product symbols; zero coefficients are left out.
    Found once for a column and an instance: a result writes it in LaTeX and in plain text.
    """
    found = _linear_combination(sympy.ImmutableMatrix(column), instance)
    return None if found is None else list(found)


@lru_cache(maxsize=256)
def _linear_combination(column: sympy.ImmutableMatrix, instance: Instance) -> tuple | None:
    entries = list(column)
    rewritten, basis = to_rational(entries, prefix="s", prefer=_scores(instance, entries))
    reader = _Reader(basis, instance)
    if reader.mapping is None:
        return None
    U, v = instance.U_rows(), instance.v()
    components = set(instance.symbols())
    coefficients: list[list[sympy.Expr]] = []
    for i, entry in enumerate(rewritten):
        if i and entry == rewritten[0].xreplace(_swap(U, v, i)):
            # the first component's expression with the i-th component's symbols: its
            # coefficients are the first's (they are free of the components), found once
            coefficients.append(coefficients[0])
            continue
        numerator, denominator = sympy.fraction(sympy.together(entry))
        slot = [U[w, i] for w in range(instance.V)] + [v[i]]
        if numerator == 0:
            coefficients.append([sympy.Integer(0)] * len(slot))
            continue
        if denominator.free_symbols & components:
            return None
        poly = sympy.Poly(sympy.expand(numerator), *sorted(components, key=sympy.default_sort_key))
        allowed = {s: poly.gens.index(s) for s in slot}
        for monomial in poly.monoms():
            if sum(monomial) != 1 or not any(monomial[g] == 1 for g in allowed.values()):
                return None
        row = []
        for s in slot:
            row.append(sympy.cancel(poly.coeff_monomial(s) / denominator))
        coefficients.append(row)
    for row in coefficients[1:]:
        if row is coefficients[0]:
            continue
        if any(sympy.cancel(a - b) != 0 for a, b in zip(row, coefficients[0], strict=True)):
            return None
    labels = ["o" if w == instance.o else str(w) for w in range(1, instance.V + 1)] + ["v_c"]
    return tuple(
        (reader.readable(coefficient), label)
        for coefficient, label in zip(coefficients[0], labels, strict=True)
        if coefficient != 0
    )


def _swap(U: sympy.Matrix, v: sympy.Matrix, i: int) -> dict:
    """The renaming that exchanges the first component of every vector with the ``i``-th."""
    pairs = [(U[w, 0], U[w, i]) for w in range(U.rows)] + [(v[0], v[i])]
    return {**dict(pairs), **{b: a for a, b in pairs}}


@dataclass(frozen=True)
class _Style:
    """How one notation writes vectors, transposes, sums and coefficients."""

    word: Callable[[str], str]
    v_c: str
    transpose: str
    sum_k: Callable[[str], str]
    coefficient: Callable[[sympy.Expr], str]
    times: str
    group: Callable[[str], str]


def _plain_coefficient(expr: sympy.Expr) -> str:
    return sympy.sstr(symbols.plain(expr))


LATEX = _Style(
    word=lambda w: rf"\boldsymbol{{u}}_{{{w}}}",
    v_c=r"\boldsymbol{v}_{c}",
    transpose=r"^{\top}",
    sum_k=lambda bound: rf"\sum_{{k=1}}^{{{bound}}} ",
    coefficient=sympy.latex,
    times=r" \, ",
    group=lambda t: rf"\left({t}\right)",
)
TEXT = _Style(
    word=lambda w: f"u_{w}",
    v_c="v_c",
    transpose="ᵀ",
    sum_k=lambda bound: "Σ_k ",
    coefficient=_plain_coefficient,
    times=" ",
    group=lambda t: f"({t})",
)


def _term(coefficient: sympy.Expr, vector: str, style: _Style) -> str:
    if coefficient == 1:
        return vector
    if coefficient == -1:
        return f"-{vector}"
    text = style.coefficient(coefficient)
    if isinstance(coefficient, sympy.Add):
        text = style.group(text)
    return f"{text}{style.times}{vector}"


def _join(terms: list[str]) -> str:
    if not terms:
        return "0"
    text = terms[0]
    for term in terms[1:]:
        text += f" - {term[1:]}" if term.startswith("-") else f" + {term}"
    return text


def combination_form(
    combination: list[tuple[sympy.Expr, str]],
    instance: Instance,
    sampled: IndexSet | None,
    transpose: bool,
    style: _Style = LATEX,
) -> str:
    """A linear combination in ``style``; the members of ``sampled`` (the negatives) become
    ``Σ_k`` when they share a coefficient."""
    suffix = style.transpose if transpose else ""
    by_label = {label: coefficient for coefficient, label in combination}
    terms: list[str] = []
    grouped: set[str] = set()
    members = sampled.members(instance) if sampled else ()
    labels = [str(w) for w in members]
    if sampled and sampled.distinct(instance) and all(n in by_label for n in labels):
        generic = by_label[labels[0]].xreplace({symbols.dot(members[0]): symbols.dot("k")})
        if all(
            sympy.simplify(by_label[str(w)] - generic.xreplace({symbols.dot("k"): symbols.dot(w)})) == 0
            for w in members
        ):
            grouped = set(labels)
            body = _term(generic, style.word("k") + suffix, style)
            sign, body = ("-", body[1:]) if body.startswith("-") else ("", body)
            terms.append(f"{sign}{style.sum_k(sampled.bound)}{body}")
    for coefficient, label in combination:
        if label in grouped:
            continue
        vector = style.v_c if label == "v_c" else style.word(label)
        # the outside word first, as people write it
        terms.insert(0 if label == "o" else len(terms), _term(coefficient, vector + suffix, style))
    return _join(terms)


def readable_matrix(matrix: sympy.Matrix, instance: Instance) -> sympy.Matrix:
    """Per-component, with the exponentials' arguments named as dot products where possible."""
    return sympy.Matrix(_readable_matrix(sympy.ImmutableMatrix(matrix), instance))


@lru_cache(maxsize=256)
def _readable_matrix(matrix: sympy.ImmutableMatrix, instance: Instance) -> sympy.ImmutableMatrix:
    rewritten, basis = to_rational(list(matrix), prefix="s", prefer=_scores(instance, list(matrix)))
    reader = _Reader(basis, instance)
    if reader.mapping is None:
        return matrix
    return sympy.ImmutableMatrix(matrix.rows, matrix.cols, [reader.readable(e) for e in rewritten])


def _outer_product(matrix: sympy.Matrix, instance: Instance, U: str, style: _Style) -> str | None:
    """A gradient with respect to U as ``v_c cᵀ`` (columns) or ``c v_cᵀ`` (rows), when it is one."""
    words = (
        [matrix.col(w) for w in range(matrix.cols)]
        if U == "columns"
        else [matrix.row(w).T for w in range(matrix.rows)]
    )
    coefficients = []
    for column in words:
        combination = linear_combination(column, instance)
        if combination is None or any(label != "v_c" for _, label in combination):
            return None
        coefficients.append(combination[0][0] if combination else sympy.Integer(0))
    if style is LATEX:
        if U == "columns":
            return rf"\boldsymbol{{v}}_{{c}} {sympy.latex(sympy.Matrix([coefficients]))}"
        return rf"{sympy.latex(sympy.Matrix(coefficients))} \boldsymbol{{v}}_{{c}}^{{\top}}"
    listed = ", ".join(sympy.sstr(symbols.plain(c)) for c in coefficients)
    return f"v_c [{listed}]" if U == "columns" else f"[{listed}]ᵀ v_cᵀ"


def gradient_form(
    matrix: sympy.Matrix, instance: Instance, sampled: IndexSet | None, kind: str, style: _Style = LATEX
) -> str:
    """The most readable exact form of ``matrix`` at ``instance``.

    ``kind``: "vector" for a d-vector, "U-rows" or "U-columns" for a gradient with respect to U
    in that reading, "scalar" for a number, anything else for a matrix shown entry by entry.
    """
    if kind == "vector":
        column = matrix if matrix.cols == 1 else matrix.T
        combination = linear_combination(column, instance)
        if combination is not None:
            return combination_form(combination, instance, sampled, matrix.rows == 1, style)
    elif kind == "scalar" and matrix.shape == (1, 1):  # a number: its value, with σ folded in
        value = sigmoid_form(matrix[0, 0])
        return sympy.latex(value) if style is LATEX else sympy.sstr(symbols.plain(value))
    elif kind.startswith("U-"):
        outer = _outer_product(matrix, instance, kind[2:], style)
        if outer is not None:
            return outer
    shown = readable_matrix(matrix, instance)
    return sympy.latex(shown) if style is LATEX else sympy.sstr(symbols.plain(shown).tolist())
