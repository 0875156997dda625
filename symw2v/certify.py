"""An all-sizes certificate: a proof that a claim holds for every d, V and K, where one is sound.

Every quantity in the word2vec losses depends on the vectors only through dot products, and
every gradient is a combination of vectors with scalar coefficients (the chain rule through z:
``∂J/∂v_c = Σ_w (∂J/∂z_w) u_w``).  Here the claim and the gradient are evaluated *formally*:

- vectors are formal symbols (u_o, a generic word or negative u_g, v_c) and their dot
  products are independent scalar symbols (z_o = u_oᵀv_c, z_g = u_gᵀv_c, …);
- a sum over the negatives is its generic term at g plus a remainder over the other
  negatives, a sum over the vocabulary its terms at o and g plus a remainder; a scalar
  remainder is an opaque symbol R_f = Σ_{j rest} f(z_j), a vector remainder a family
  Σ_{j rest} h(j) u_j kept by its generic coefficient h;
- the gradient comes from the loss by the chain rule through z, and through each remainder:
  ∂J/∂z_j = Σ_f (∂J/∂R_f) f'(z_j) for every j in the rest.

Equal coefficient functions (decided exactly, as rational functions after exponentials become
monomials) prove the claim for every d (formal vectors specialise to any vectors), every V and
K (an empty rest sets the remainders to 0, a specialisation too), under the stated side
conditions.  Unequal coefficients prove nothing: the certificate is then denied, never turned
into a refutation (a claim true only at d = 1 or K = 1 lands here).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy

from symw2v import closed_form as cf
from symw2v.errors import SymW2VError
from symw2v.instantiate import resolve_sums
from symw2v.losses import Loss
from symw2v.parse import parse_claim
from symw2v.rational import to_rational
from symw2v.shapes import Reading

GENERIC = "•"  # the placeholder index of a remainder's generic term
_BASIS = ("u_o", "u_g", "v_c", "u_•")


class NoCertificate(SymW2VError):
    """The claim is outside what the formal argument covers; the message says why."""


def _z(index: str) -> sympy.Symbol:
    return sympy.Symbol(f"z_{index}", real=True)


def _dot(a: str, b: str) -> sympy.Expr:
    """The dot product of two basis vectors, as an independent symbol (z_i for u_iᵀv_c)."""
    a, b = sorted((a, b))
    if b == "v_c" and a.startswith("u_"):
        return _z(a[2:])
    return sympy.Symbol(f"p({a},{b})", real=True)


K_SYMBOL, V_SYMBOL = sympy.Symbol("K", positive=True), sympy.Symbol("V", positive=True)


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
    """U, as rows or columns of the vocabulary vectors."""

    transposed_to_rows: bool  # True: V×d with rows u_wᵀ


class _Remainders:
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


class _Formal:
    """Evaluate a closed form formally, with g the generic word (softmax) or negative (negative sampling)."""

    def __init__(self, loss: Loss, reading: Reading, remainders: _Remainders) -> None:
        self.k_over = loss.k_over
        self.reading = reading
        self.remainders = remainders

    # -- values of names
    def _family(self, name: str, bindings) -> Family:
        if name == "z":
            return Family({i: _z(i) for i in ("o", "g", GENERIC)})
        if name == "y":
            family = Family({"o": sympy.Integer(1), "g": sympy.Integer(0), GENERIC: sympy.Integer(0)})
        else:
            family = _softmax(self._family("z", bindings), self)
        family.row = self.reading.y == "row"
        return family

    def index(self, letter: str, bindings: dict[str, str]) -> str:
        if letter == "o":
            return "o"
        if letter in bindings:
            return bindings[letter]
        raise NoCertificate(f"the index {letter} is not generic (a number or an unbound letter)")

    def value(self, node: cf.Node, bindings: dict[str, str]):
        method = getattr(self, f"_{type(node).__name__}")
        return method(node, bindings)

    def _Num(self, node, bindings):
        return sympy.Rational(node.value.numerator, node.value.denominator)

    def _Name(self, node, bindings):
        if node.name == "v_c":
            return FVec({"v_c": sympy.Integer(1)})
        if node.name in ("y", "yhat", "z"):
            return self._family(node.name, bindings)
        if node.name == "U":
            return Matrix(self.reading.U == "rows")
        return {"K": K_SYMBOL, "V": V_SYMBOL, "e": sympy.E}[node.name]

    def _Word(self, node, bindings):
        return FVec({f"u_{self.index(node.index, bindings)}": sympy.Integer(1)})

    def _Component(self, node, bindings):
        base = self.value(node.base, bindings)
        if not isinstance(base, Family):
            raise NoCertificate("a component of something other than a length-V vector")
        return base.at[self.index(node.index, bindings)]

    def _Transpose(self, node, bindings):
        value = self.value(node.operand, bindings)
        if isinstance(value, (FVec, Family)):
            value = type(value)(value.coeffs if isinstance(value, FVec) else value.at, not value.row)
        elif isinstance(value, Matrix):
            value = Matrix(not value.transposed_to_rows)
        return value

    def _Neg(self, node, bindings):
        return _scale(self.value(node.operand, bindings), -1)

    def _Add(self, node, bindings):
        return _add(self.value(node.left, bindings), self.value(node.right, bindings), 1)

    def _Sub(self, node, bindings):
        return _add(self.value(node.left, bindings), self.value(node.right, bindings), -1)

    def _Div(self, node, bindings):
        right = self.value(node.right, bindings)
        if not isinstance(right, sympy.Expr):
            raise NoCertificate("division by a non-scalar")
        _never_zero(right)
        return _scale(self.value(node.left, bindings), 1 / right)

    def _Pow(self, node, bindings):
        base = self.value(node.base, bindings)
        if not isinstance(base, sympy.Expr):
            raise NoCertificate("a power of a non-scalar")
        if node.exponent < 0:
            _never_zero(base)
        return base**node.exponent

    def _Call(self, node, bindings):
        argument = self.value(node.argument, bindings)
        if node.function == "softmax":
            if not isinstance(argument, Family):
                raise NoCertificate("softmax of something other than a length-V vector")
            return _softmax(argument, self)
        function = {"sigma": lambda x: 1 / (1 + sympy.exp(-x)), "exp": sympy.exp, "log": sympy.log}[
            node.function
        ]
        if node.function == "log":
            for value in argument.at.values() if isinstance(argument, Family) else [argument]:
                if isinstance(value, sympy.Expr) and value.is_positive is not True:
                    raise NoCertificate("a log of something not shown to be positive")
        if isinstance(argument, sympy.Expr):
            return function(argument)
        if isinstance(argument, Family):
            return argument.map(function)
        raise NoCertificate(f"{node.function} of a vector of d components")

    def _Mul(self, node, bindings):
        left, right = self.value(node.left, bindings), self.value(node.right, bindings)
        if isinstance(left, sympy.Expr):
            return _scale(right, left)
        if isinstance(right, sympy.Expr):
            return _scale(left, right)
        return self._product(left, right)

    def _product(self, left, right):
        if isinstance(left, FVec) and isinstance(right, FVec) and left.row and not right.row:
            return self._dot(left, right)
        if isinstance(left, Family) and isinstance(right, Family) and left.row and not right.row:
            return self.sum_over_vocabulary({k: left.at[k] * right.at[k] for k in left.at})
        if isinstance(left, Matrix) and isinstance(right, FVec) and left.transposed_to_rows and not right.row:
            if right.coeffs.keys() == {"v_c"}:  # U v_c (U as rows) is z
                return Family({i: right.coeffs["v_c"] * _z(i) for i in ("o", "g", GENERIC)})
        if isinstance(left, FVec) and isinstance(right, Matrix) and left.row and not right.transposed_to_rows:
            if left.coeffs.keys() == {"v_c"}:  # v_cᵀ U (U as columns) is zᵀ
                return Family({i: left.coeffs["v_c"] * _z(i) for i in ("o", "g", GENERIC)}, row=True)
        if (
            isinstance(left, Matrix)
            and isinstance(right, Family)
            and not left.transposed_to_rows
            and not right.row
        ):
            return self._combination(right, row=False)  # U a = Σ_w a_w u_w
        if isinstance(left, Family) and isinstance(right, Matrix) and left.row and right.transposed_to_rows:
            return self._combination(left, row=True)  # aᵀ U = Σ_w a_w u_wᵀ
        raise NoCertificate("a product the formal argument does not cover (an outer product or a matrix)")

    def _combination(self, family: Family, row: bool) -> FVec:
        """Σ_w a_w u_w over the vocabulary: the terms at o and g, and the rest as a family."""
        return FVec({"u_o": family.at["o"], "u_g": family.at["g"], "fam:V": family.at[GENERIC]}, row)

    def _dot(self, left: FVec, right: FVec) -> sympy.Expr:
        total = sympy.Integer(0)
        for a, x in left.coeffs.items():
            for b, y in right.coeffs.items():
                if a.startswith("fam:") or b.startswith("fam:"):
                    family, other, scale = (a, b, x * y) if a.startswith("fam:") else (b, a, x * y)
                    if other != "v_c":
                        raise NoCertificate("a dot product of a sum of vectors with something other than v_c")
                    total += self.remainders.symbol(family[4:], scale * _z(GENERIC))
                else:
                    total += x * y * _dot(a, b)
        return total

    # -- sums
    def sum_over_vocabulary(self, at: dict[str, sympy.Expr]) -> sympy.Expr:
        return at["o"] + at["g"] + self.remainders.symbol("V", at[GENERIC])

    def _Sum(self, node, bindings):
        inner = {letter for letter, index in bindings.items() if index == GENERIC}
        if inner & cf.free_indices(node):
            raise NoCertificate("a sum whose terms depend on the index of an enclosing sum")
        # a sum that does not depend on the enclosing sum's index is the same for every term
        bindings = {letter: index for letter, index in bindings.items() if letter not in inner}
        over = node.over  # resolve_sums gave it, the same range every prover uses
        if over not in ("K", "V"):
            raise NoCertificate(f"sum_{node.index} has no range")
        terms = {i: self.value(node.body, {**bindings, node.index: i}) for i in ("g", GENERIC)}
        if over == "V":
            terms["o"] = self.value(node.body, {**bindings, node.index: "o"})
        if self.k_over == "K" and over == "V":
            raise NoCertificate("a sum over the vocabulary in a loss with negatives")
        rest = terms[GENERIC]
        if isinstance(rest, sympy.Expr):
            total = terms["g"] + self._close_scalar(over, rest)
            return total + terms["o"] if over == "V" else total
        if isinstance(rest, FVec):
            total = terms["g"].plus(self._close_vector(over, rest))
            return total.plus(terms["o"]) if over == "V" else total
        raise NoCertificate("a sum of length-V vectors")

    def _close_scalar(self, over: str, term: sympy.Expr) -> sympy.Expr:
        if not term.has(_z(GENERIC)) and not any(
            s.name.startswith("p(") and GENERIC in s.name for s in term.free_symbols
        ):
            count = K_SYMBOL - 1 if over == "K" else V_SYMBOL - 2
            return count * term
        _check_generic_only(term)
        return self.remainders.symbol(over, term)

    def _close_vector(self, over: str, term: FVec) -> FVec:
        coeffs: dict[str, sympy.Expr] = {}
        for key, value in term.coeffs.items():
            if key.startswith("fam:"):
                raise NoCertificate("a sum of sums of vectors")
            if key == "u_•":
                _check_generic_only(value)
                coeffs[f"fam:{over}"] = coeffs.get(f"fam:{over}", 0) + value
            else:
                coeffs[key] = coeffs.get(key, 0) + self._close_scalar(over, value)
        return FVec(coeffs, term.row)


def _never_zero(value: sympy.Expr) -> None:
    """A divisor must be non-zero everywhere, as SymPy's assumptions show (e.g. a sum of
    exponentials); a claim that divides by what may vanish is outside the argument."""
    if not (value.is_positive or value.is_negative):
        raise NoCertificate("a division by something not shown to be non-zero")


def _check_generic_only(term: sympy.Expr) -> None:
    for symbol in term.free_symbols:
        if symbol.name.startswith("p(") and GENERIC in symbol.name:
            raise NoCertificate("a dot product of a summed vector with something other than v_c")


def _softmax(family: Family, formal: _Formal) -> Family:
    exps = family.map(sympy.exp)
    total = formal.sum_over_vocabulary(exps.at)
    return Family({k: v / total for k, v in exps.at.items()}, family.row)


def _scale(value, factor):
    if isinstance(value, sympy.Expr):
        return factor * value
    if isinstance(value, FVec):
        return value.scaled(factor)
    if isinstance(value, Family):
        return value.map(lambda v: factor * v)
    raise NoCertificate("a multiple of the matrix U")


def _add(left, right, sign: int):
    if isinstance(left, sympy.Expr) and isinstance(right, sympy.Expr):
        return left + sign * right
    if isinstance(left, FVec) and isinstance(right, FVec):
        return left.plus(right, sign)
    if isinstance(left, Family) and isinstance(right, Family):
        return Family({k: left.at[k] + sign * right.at[k] for k in left.at}, left.row)
    raise NoCertificate("a sum of things of different kinds")


@dataclass(frozen=True)
class Certificate:
    """The outcome: ``holds`` with the argument, or the reason there is no certificate."""

    holds: bool
    statement: str
    argument: str


def in_domain(instance, loss: Loss, wrt: str) -> bool:
    """Whether ``instance`` meets the side conditions of the certificate for ``∂J/∂wrt``."""
    if loss.k_over != "K" or wrt == "v_c":
        return True
    if wrt == "u_o":
        return instance.o not in instance.negatives
    return instance.distinct_negatives


def _domain(loss: Loss, wrt: str) -> str:
    if loss.k_over != "K":
        return "every d ≥ 1 and every V ≥ 2"
    if wrt == "v_c":
        return "every d ≥ 1, V and K ≥ 1, whatever the negatives (repeated, or equal to o)"
    if wrt == "u_o":
        return "every d ≥ 1, V and K ≥ 1, when no negative equals o"
    return "every d ≥ 1, V and K ≥ 1, when the negatives are distinct and differ from o"


def _gradient(loss: Loss, wrt: str, J: sympy.Expr, remainders: _Remainders):
    """∂J/∂wrt by the chain rule through z and through the remainders (cases for u_w: g and o)."""
    z_o, z_g, z_rest = _z("o"), _z("g"), _z(GENERIC)
    # the chain rule below sees J only through z_o, z_g and the remainders; anything else
    # (a dot product other than u_wᵀv_c, a remainder whose terms involve o or g) is outside it
    remainder_symbols = {symbol for symbol, _ in remainders.symbols.values()}
    allowed = {z_o, z_g, K_SYMBOL, V_SYMBOL} | remainder_symbols
    if J.free_symbols - allowed:
        raise NoCertificate("the loss depends on the vectors other than through the scores u_wᵀv_c")
    rest = {"K": sympy.Integer(0), "V": sympy.Integer(0)}
    for (over, _), (symbol, term) in remainders.symbols.items():
        if symbol not in J.free_symbols:
            continue
        if term.free_symbols - {z_rest, K_SYMBOL, V_SYMBOL}:
            raise NoCertificate("a sum in the loss whose terms involve o or the generic index")
        rest[over] += sympy.diff(J, symbol) * sympy.diff(term, z_rest)
    d_o, d_g = sympy.diff(J, z_o), sympy.diff(J, z_g)
    if wrt == "v_c":
        coeffs = {"u_o": d_o, "u_g": d_g, "fam:K": rest["K"], "fam:V": rest["V"]}
        return [("", FVec(coeffs))]
    if wrt == "z":
        return [("", Family({"o": d_o, "g": d_g, GENERIC: rest["V"]}))]
    if wrt == "u_o":
        return [("", FVec({"v_c": d_o}))]
    if wrt == "u_k" and loss.k_over == "K":
        return [("g", FVec({"v_c": d_g}))]
    return [("g", FVec({"v_c": d_g})), ("o", FVec({"v_c": d_o}))]


def _expr(value) -> sympy.Expr:
    """A coefficient as a SymPy expression (a missing one is the integer 0)."""
    return value if isinstance(value, sympy.Basic) else sympy.Integer(value)


def _equal(a, b) -> bool:
    if isinstance(a, FVec) and isinstance(b, FVec):
        keys = sorted(set(a.coeffs) | set(b.coeffs))
        pairs = [(a.coeffs.get(k, 0), b.coeffs.get(k, 0)) for k in keys]
    elif isinstance(a, Family) and isinstance(b, Family):
        pairs = [(a.at[k], b.at[k]) for k in a.at]
    else:
        return False
    differences = [_expr(x) - _expr(y) for x, y in pairs]
    rewritten, _ = to_rational(differences)
    return all(sympy.cancel(d) == 0 for d in rewritten)


def certify(claim: cf.Node, loss: Loss, wrt: str, reading: Reading) -> Certificate:
    """Try to prove ``∂J/∂wrt = claim`` for every size; never claims more than it shows."""
    if wrt == "U":
        return Certificate(False, "", "no all-sizes certificate for ∂J/∂U: the argument covers vectors")
    if loss.k_over == "K" and wrt in ("u_w", "z"):
        return Certificate(False, "", f"no all-sizes certificate for ∂J/∂{wrt} of a loss with negatives")
    remainders = _Remainders()
    formal = _Formal(loss, reading, remainders)
    free = "k" if wrt == "u_k" else "w" if wrt == "u_w" else None
    try:
        J = formal.value(resolve_sums(parse_claim(loss.expression), loss.k_over), {})
        if not isinstance(J, sympy.Expr):
            raise NoCertificate("the loss is not a scalar")
        for case, derived in _gradient(loss, wrt, J, remainders):
            bindings = {free: case} if free else {}
            claimed = formal.value(claim, bindings)
            if not _equal(claimed, derived):
                where = {"o": " at w = o", "g": ""}.get(case, "")
                return Certificate(
                    False,
                    "",
                    "no all-sizes certificate: the coefficients of the claim and of the gradient "
                    f"differ{where} "
                    "as functions of independent dot products, so the claim holds at most at special "
                    "sizes (checked at the instances listed)",
                )
    except NoCertificate as error:
        return Certificate(False, "", f"no all-sizes certificate: {error}")
    statement = f"holds for {_domain(loss, wrt)}"
    argument = (
        "Treat the vectors u_o, u_g (a generic "
        + ("negative" if loss.k_over == "K" else "word other than o")
        + ") and v_c as formal symbols and their dot products as independent scalars; split every "
        "sum into its generic term and an opaque remainder over the other indices. The gradient, "
        "derived from the loss by the chain rule through z and through the remainders, and the "
        "claim then have the same coefficient on every vector and on every family of remaining "
        "vectors, as rational functions of the exponentials (an exact identity). An identity in "
        "independent symbols survives every specialisation: to vectors of any dimension d, to "
        "any number of remaining words or negatives, and to none (remainders 0)."
    )
    return Certificate(True, statement, argument)
