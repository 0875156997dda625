"""Soundness at scale: random claims in the closed-form language, every verdict cross-examined.

Hypothesis builds well-typed claims for both losses and every variable, true forms rewritten
into equal ones, and true forms with one classic mistake.  Each goes through ``check_claim``;
then an independent oracle judges the verdict.  It shares nothing with the prover but the AST:
its own evaluator of closed forms (not ``instantiate.py``) gives the claim and the loss J over
mpmath at 50 digits, and ∂J comes from mpmath's numerical differentiation of that J (not
``sympy.diff``).  ``proved`` must agree with it at several random points; ``refuted`` must
name a point where the two sides really differ.

CI runs a few hundred examples, derandomized (the same every run).  For the long run, with
thousands of examples drawn afresh each time::

    SYMW2V_HYPOTHESIS=long python -m pytest tests/test_soundness.py tests/test_parse_fuzz.py -q

Add ``-n 0 -s`` (one process, output shown) to see the verdict counts and timings printed at the
end of each test.
"""

from __future__ import annotations

import os
import random
import re
import time
from collections import Counter
from dataclasses import dataclass, fields, replace
from fractions import Fraction

import mpmath
import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import symw2v.claim as check_module
from symw2v import closed_form as cf
from symw2v.certify import certify
from symw2v.claim import Conventions, Question, check_claim, holds
from symw2v.derive import WRT, derive, loss_context, variable_shape
from symw2v.errors import ShapeError, SymW2VError
from symw2v.instantiate import Instantiator, resolve_sums
from symw2v.parse import parse_claim
from symw2v.pointwise import OTHERS, refute_at_point
from symw2v.printing import to_text
from symw2v.question import depends_on, resolve, typed
from symw2v.results import Verdict
from symw2v.shapes import shape_of
from symw2v.world import Reading
from symw2v.world.instance import Instance
from symw2v.world.losses import named_loss

# -- profiles ---------------------------------------------------------------------------------

settings.register_profile(
    "ci",
    max_examples=50,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
settings.register_profile(
    "long",
    max_examples=2000,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
PROFILE = os.environ.get("SYMW2V_HYPOTHESIS", "ci")
settings.load_profile(PROFILE)
LONG = PROFILE == "long"


def examples(ci: int, long: int) -> settings:
    return settings(max_examples=long if LONG else ci)


INSTANCE = Instance(V=3, d=2, K=2, o=2, negatives=(1, 3))
LOSSES = ("softmax", "negative-sampling")
# the oracle's coordinates are those of u_w, U, v_c and z: not another word's centre vector v_w
# (test_window.py checks that ∂J/∂v_w = 0 for these losses)
QUESTIONS = [
    (loss, wrt)
    for loss in LOSSES
    for wrt in WRT
    if depends_on(named_loss(loss), wrt) and wrt not in ("v_w", "v_j")
]
DIGITS = 50
SECONDS = 20.0  # generous, so that load cannot turn a check undecided; undecided is counted
DEPTH = 3 if LONG else 2  # how deep random claims nest; deeper ones take the prover longer
TALLY: Counter = Counter()
UNDECIDED: list[str] = []
SLOWEST: list[tuple[float, str]] = []


@pytest.fixture(scope="module", autouse=True)
def report_counts():
    started = time.perf_counter()
    yield
    seconds = time.perf_counter() - started
    counts = ", ".join(f"{key} {value}" for key, value in sorted(TALLY.items()))
    print(f"\nsoundness ({PROFILE}): {sum(TALLY.values())} checks in {seconds:.1f} s: {counts}")
    for seconds, claim in sorted(SLOWEST, reverse=True)[:3]:
        print(f"  slow: {seconds:.1f} s for {claim}")
    for line in UNDECIDED:
        print(f"  undecided: {line}")


# -- the oracle: closed forms and J over mpmath, independent of instantiate.py and derive.py ---


# A point maps each coordinate to its value: ("u", w, i) is component i of u_w (both 1-based),
# ("v", i) component i of v_c.  Everything else (z, ŷ, y) is computed from them.
Point = dict


def _column(values) -> list[list]:
    return [[x] for x in values]


def _transpose(m: list[list]) -> list[list]:
    return [list(row) for row in zip(*m, strict=True)]


def _is_scalar(m: list[list]) -> bool:
    return len(m) == 1 and len(m[0]) == 1


def _entrywise(m: list[list], f) -> list[list]:
    return [[f(x) for x in row] for row in m]


def _combine(a: list[list], b: list[list], f) -> list[list]:
    if (len(a), len(a[0])) != (len(b), len(b[0])):
        raise ValueError("shape mismatch in the oracle")
    return [[f(x, y) for x, y in zip(ra, rb, strict=True)] for ra, rb in zip(a, b, strict=True)]


def _matmul(a: list[list], b: list[list]) -> list[list]:
    if _is_scalar(a):
        return _entrywise(b, lambda x: a[0][0] * x)
    if _is_scalar(b):
        return _entrywise(a, lambda x: x * b[0][0])
    if len(a[0]) != len(b):
        raise ValueError("shape mismatch in the oracle")
    return [
        [mpmath.fsum(a[i][t] * b[t][j] for t in range(len(b))) for j in range(len(b[0]))]
        for i in range(len(a))
    ]


def _softmax(m: list[list]) -> list[list]:
    exps = _entrywise(m, mpmath.exp)
    total = mpmath.fsum(x for row in exps for x in row)
    return _entrywise(exps, lambda x: x / total)


def _sigma(x):
    return 1 / (1 + mpmath.exp(-x))


class Undefined(ArithmeticError):
    """The closed form has no value at the point: a division by 0, a log of a number ≤ 0."""


TINY = mpmath.mpf(10) ** -40  # at 60 digits, a divisor this small is 0 at an exact point


def _log(x):
    if x < TINY:
        raise Undefined(f"log of {mpmath.nstr(x, 5)}")
    return mpmath.log(x)


class Oracle:
    """What a closed form means, computed directly from the README's conventions."""

    def __init__(self, point: Point, reading: Reading, k_over: str, z: list[list] | None = None) -> None:
        """``z``: the scores, when J is differentiated by z; otherwise z = U v_c (U as rows)."""
        self.point, self.reading, self.k_over = point, reading, k_over
        V, d = INSTANCE.V, INSTANCE.d
        self.U_rows = [[point[("u", w, i)] for i in range(1, d + 1)] for w in range(1, V + 1)]
        self.v = _column([point[("v", i)] for i in range(1, d + 1)])
        self.z = z if z is not None else _matmul(self.U_rows, self.v)

    def word(self, index: str, bindings: dict) -> int:
        if index == "o":
            return INSTANCE.o
        return int(index) if index.isdigit() else bindings[index]

    def vocab(self, column: list[list]) -> list[list]:
        return _transpose(column) if self.reading.y == "row" else column

    def name(self, name: str) -> list[list]:
        V, o = INSTANCE.V, INSTANCE.o
        table = {
            "v_c": lambda: self.v,
            "U": lambda: self.U_rows if self.reading.U == "rows" else _transpose(self.U_rows),
            "z": lambda: self.z,
            "y": lambda: self.vocab(_column([mpmath.mpf(int(w == o)) for w in range(1, V + 1)])),
            "yhat": lambda: self.vocab(_softmax(self.z)),
            "K": lambda: [[mpmath.mpf(INSTANCE.K)]],
            "V": lambda: [[mpmath.mpf(V)]],
            "e": lambda: [[mpmath.e]],
        }
        return table[name]()

    def __call__(self, node: cf.Node, bindings: dict | None = None) -> list[list]:
        bindings = bindings or {}
        match node:
            case cf.Num(value):
                return [[mpmath.mpf(value.numerator) / value.denominator]]
            case cf.Name(name):
                return self.name(name)
            case cf.Word(index):
                return _column(self.U_rows[self.word(index, bindings) - 1])
            case cf.Component(base, index):
                flat = [x for row in self(base, bindings) for x in row]
                return [[flat[self.word(index, bindings) - 1]]]
            case cf.Transpose(operand):
                return _transpose(self(operand, bindings))
            case cf.Neg(operand):
                return _entrywise(self(operand, bindings), lambda x: -x)
            case cf.Add(left, right):
                return _combine(self(left, bindings), self(right, bindings), lambda x, y: x + y)
            case cf.Sub(left, right):
                return _combine(self(left, bindings), self(right, bindings), lambda x, y: x - y)
            case cf.Mul(left, right):
                return _matmul(self(left, bindings), self(right, bindings))
            case cf.Div(left, right):
                divisor = self(right, bindings)[0][0]
                if abs(divisor) < TINY:
                    raise Undefined(f"{to_text(right)} is 0")
                return _entrywise(self(left, bindings), lambda x: x / divisor)
            case cf.Pow(base, exponent) if exponent < 0:
                value = self(base, bindings)[0][0]
                if abs(value) < TINY:
                    raise Undefined(f"{to_text(base)} is 0")
                return [[value**exponent]]
            case cf.Pow(base, exponent):
                return [[self(base, bindings)[0][0] ** exponent]]
            case cf.Call("softmax", argument):
                return _softmax(self(argument, bindings))
            case cf.Call(function, argument):
                f = {"sigma": _sigma, "exp": mpmath.exp, "log": _log}[function]
                return _entrywise(self(argument, bindings), f)
            case cf.Sum(index, over, body):
                over = over or (self.k_over if index == "k" else "V")
                words = INSTANCE.negatives if over == "K" else range(1, INSTANCE.V + 1)
                total = None
                for word in words:
                    term = self(body, {**bindings, index: word})
                    total = term if total is None else _combine(total, term, lambda x, y: x + y)
                return total
            case cf.Columns(index, over, body):  # [a_1, …, a_N]: the term at each member, side by side
                words = INSTANCE.negatives if over == "K" else range(1, INSTANCE.V + 1)
                return _beside([self(body, {**bindings, index: word}) for word in words])
            case cf.Block(parts):
                return _beside([self(part, bindings) for part in parts])
        raise TypeError(f"the oracle does not know {node!r}")


def _beside(blocks: list[list[list]]) -> list[list]:
    """Matrices of one height side by side."""
    return [[x for block in blocks for x in block[row]] for row in range(len(blocks[0]))]


def _k_over(loss_name: str) -> str:
    """What the oracle sums k over, from the README's conventions (not from the prover's world):
    the negatives (K) for negative sampling, the vocabulary (V) in the softmax part."""
    return "K" if loss_name == "negative-sampling" else "V"


# J over the free scores z, for ∂J/∂z: every u_wᵀv_c of the loss read as z_w
Z_LOSSES = {"softmax": "-log(softmax(z)_o)", "negative-sampling": "-log(sigma(z_o)) - sum_k log(sigma(-z_k))"}


def _targets(wrt: str, k_over: str) -> list[tuple[str, dict]]:
    """``(label, bindings)``: one gradient per value of the free index of u_k or u_w."""
    if wrt == "u_k" and k_over == "K":
        return [(f"k = {j} (word {w})", {"k": w}) for j, w in enumerate(INSTANCE.negatives, start=1)]
    if wrt in ("u_k", "u_w"):
        return [(f"{wrt[-1]} = {w}", {wrt[-1]: w}) for w in range(1, INSTANCE.V + 1)]
    return [("", {})]


def _coordinates(wrt: str, reading: Reading, bindings: dict) -> list[list[tuple]]:
    """The variable ∂J/∂``wrt`` differentiates by, as a matrix of coordinates (denominator layout)."""
    V, d = range(1, INSTANCE.V + 1), range(1, INSTANCE.d + 1)
    if wrt == "v_c":
        return [[("v", i)] for i in d]
    if wrt == "U":
        rows = [[("u", w, i) for i in d] for w in V]
        return rows if reading.U == "rows" else _transpose(rows)
    word = INSTANCE.o if wrt == "u_o" else bindings[wrt[-1]]
    return [[("u", word, i)] for i in d]


def gradient(loss_name: str, wrt: str, reading: Reading, bindings: dict, point: Point) -> list[list]:
    """∂J/∂``wrt`` at ``point`` by numerical differentiation of the oracle's J, at full precision."""
    loss = named_loss(loss_name)
    if wrt == "z":  # J as a function of z, differentiated at the point's scores z = U v_c
        J = parse_claim(Z_LOSSES[loss_name])
        z = Oracle(point, reading, _k_over(loss.name)).z

        def by_score(w: int):
            def moved(x):
                scores = [[x] if i == w else row for i, row in enumerate(z)]
                return Oracle(point, reading, _k_over(loss.name), scores)(J)[0][0]

            return mpmath.diff(moved, z[w][0])

        return [[by_score(w)] for w in range(INSTANCE.V)]
    J = parse_claim(loss.expression)

    def partial(coordinate: tuple):
        def moved(x):
            return Oracle({**point, coordinate: x}, reading, _k_over(loss.name))(J)[0][0]

        return mpmath.diff(moved, point[coordinate])

    return [[partial(c) for c in row] for row in _coordinates(wrt, reading, bindings)]


_V, _D = range(1, INSTANCE.V + 1), range(1, INSTANCE.d + 1)
COORDINATES = [("u", w, i) for w in _V for i in _D] + [("v", i) for i in _D]


def _random_point(rng: random.Random) -> Point:
    scale = 10**DIGITS
    return {key: mpmath.mpf(rng.randint(-3 * scale, 3 * scale)) / (2 * scale) for key in COORDINATES}


def _sides(
    node: cf.Node, question, reading: Reading, point: Point, only: str | None = None, but_o: bool = False
):
    """``{label: (claimed, derived)}`` as flat lists of mpf, both in denominator layout, for
    every value of the free index (or ``only`` the one labelled so; ``but_o``: every value but o,
    for an answer about w ≠ o)."""
    loss_name, wrt = question
    k_over = _k_over(loss_name)
    oracle = Oracle(point, reading, k_over)
    sides = {}
    for label, bindings in _targets(wrt, k_over):
        if only is not None and label != only:
            continue
        if but_o and INSTANCE.o in bindings.values():
            continue
        derived = gradient(loss_name, wrt, reading, bindings, point)
        claimed = oracle(node, bindings)
        if (len(claimed), len(claimed[0])) != (len(derived), len(derived[0])):
            claimed = _transpose(claimed)  # numerator layout
        sides[label] = ([x for row in claimed for x in row], [x for row in derived for x in row])
    return sides


def _close(a, b, digits: int = 35) -> bool:
    return abs(a - b) <= mpmath.mpf(10) ** -digits * max(1, abs(a), abs(b))


def numerically_equal(
    node: cf.Node, question, reading: Reading, seed: int, points: int = 3, but_o: bool = False
) -> bool:
    """Whether claim and gradient agree at ``points`` random points, to 35 digits, and the claim
    is defined at points with zero coordinates too (where a divisor like u_oᵀv_c vanishes);
    ``but_o``: for every word but o (an answer for w ≠ o)."""
    rng = random.Random(seed)
    with mpmath.workdps(DIGITS + 10):
        for _ in range(points):
            try:
                sides = _sides(node, question, reading, _random_point(rng), but_o=but_o)
            except Undefined:
                return False
            for claimed, derived in sides.values():
                if not all(_close(a, b) for a, b in zip(claimed, derived, strict=True)):
                    return False
    return all(defined_at(node, question, reading, point) for point in _points_with_zeros(rng))


def _points_with_zeros(rng: random.Random, count: int = 12) -> list[Point]:
    """Points whose coordinates are small integers, zero often: where a claim that divides by
    a dot product, or takes the log of one, is undefined."""
    return [{key: mpmath.mpf(rng.choice((0, 0, 1, -1, 2))) for key in COORDINATES} for _ in range(count)]


def defined_at(node: cf.Node, question, reading: Reading, point: Point) -> bool:
    """Whether the claim has a value at ``point`` for every value of its free index."""
    loss_name, wrt = question
    oracle = Oracle(point, reading, _k_over(loss_name))
    with mpmath.workdps(DIGITS + 10):
        try:
            for _, bindings in _targets(wrt, _k_over(loss_name)):
                oracle(node, bindings)
        except Undefined:
            return False
    return True


_SYMBOL = re.compile(r"^(?:u_\{(\d+),(\d+)\}|v_\{c,(\d+)\})$")


def _coordinate(symbol: sympy.Symbol) -> tuple | None:
    match = _SYMBOL.match(symbol.name)
    if match is None:  # a stand-in for an undefined part of the claim
        return None
    u_word, u_i, v_i = match.groups()
    return ("u", int(u_word), int(u_i)) if u_word else ("v", int(v_i))


def _counterexample_point(node: cf.Node, question, reading: Reading, counterexample) -> Point:
    """The counterexample's exact point.  It lists, per vector, the components that occur in
    the two sides in order; the others occur in neither and are set to 0."""
    loss_name, wrt = question
    loss = named_loss(loss_name)
    instantiator = Instantiator(loss_context(loss, INSTANCE, reading, wrt))
    occurring = set()
    for target in derive(loss, wrt, INSTANCE, reading):
        occurring |= target.gradient.free_symbols
        occurring |= instantiator.evaluate(resolve_sums(node, loss), target.binding_dict()).free_symbols
        # a divisor may leave the claim's value (D/D is 1 in SymPy) but not the point
        occurring |= set().union(*(value.free_symbols for _, value, _ in instantiator.conditions))
    by_vector: dict[str, list[tuple]] = {}
    for key in sorted(key for key in map(_coordinate, occurring) if key is not None):
        by_vector.setdefault(f"u_{key[1]}" if key[0] == "u" else "v_c", []).append(key)
    point = {key: mpmath.mpf(0) for key in COORDINATES}
    for name, values in counterexample.point.items():
        assert len(values) == len(by_vector[name]), f"{name} = {values}: which components?"
        for key, value in zip(by_vector[name], values, strict=True):
            exact = Fraction(value)
            point[key] = mpmath.mpf(exact.numerator) / exact.denominator
    return point


# -- cross-examination ------------------------------------------------------------------------


def _checked(node: cf.Node, question, reading: Reading):
    """``check_claim`` on ``node`` at the oracle's instance, under ``reading`` declared."""
    loss_name, wrt = question
    conventions = Conventions(U=reading.U, y=reading.y)
    return check_claim(
        node, named_loss(loss_name), wrt, INSTANCE, conventions, time_limit_s=SECONDS, with_hints=False
    )


def cross_examine(node: cf.Node, question, reading: Reading, seed: int, kind: str):
    """Check ``node`` and judge its verdict with the oracle; returns the result."""
    loss_name, wrt = question
    result = _checked(node, question, reading)
    TALLY[f"{kind} {result.verdict.value}"] += 1
    SLOWEST.append((result.seconds or 0.0, f"{loss_name} ∂J/∂{wrt} = {to_text(node)}"))
    if result.verdict is Verdict.UNDECIDED:
        UNDECIDED.append(
            f"{loss_name} ∂J/∂{wrt} = {to_text(node)} ({reading.U}, {reading.y}): {result.message}"
        )
    context = f"{loss_name} ∂J/∂{wrt} = {to_text(node)} under {reading}: {result.verdict.value}"
    if result.verdict is Verdict.PROVED:
        # a claim about every word that holds in one case only is proved for that case, and says
        # so (``case``): for w = o it is then a claim about u_o, for w ≠ o about the other words
        if result.case and result.wrt != question[1]:
            letter = sorted(cf.free_indices(node))[0]
            node, question = cf.substitute(node, letter, "o"), (loss_name, result.wrt)
        but_o = "!=" in result.case
        assert numerically_equal(node, question, reading, seed, but_o=but_o), (
            f"proved but not equal: {context}"
        )
    elif result.verdict is Verdict.REFUTED and result.method == "shape":
        # a matrix's gradient only in the matrix's shape: the claim must not have it
        shape = shape_of(resolve_sums(node, named_loss(loss_name)), reading)
        own = variable_shape(wrt, reading)
        # a matrix's gradient only in its own shape; a vector's in either layout
        layouts = {own} if wrt == "U" else {own, own[::-1]}
        assert shape not in layouts, f"refuted for its shape, but it has the gradient's: {context}"
    elif result.verdict is Verdict.REFUTED and result.counterexample.undefined:
        point = _counterexample_point(node, question, reading, result.counterexample)
        assert not defined_at(node, question, reading, point), f"refuted as undefined, but defined: {context}"
    elif result.verdict is Verdict.REFUTED:
        assert result.counterexample is not None, f"refuted without a counterexample: {context}"
        point = _counterexample_point(node, question, reading, result.counterexample)
        with mpmath.workdps(DIGITS + 10):
            target = result.counterexample.target
            claimed, derived = _sides(node, question, reading, point, only=target)[target]
            differ = [not _close(a, b, 30) for a, b in zip(claimed, derived, strict=True)]
        assert any(differ), f"the counterexample does not separate the sides: {context}"
    else:
        assert result.verdict is Verdict.UNDECIDED, f"a well-typed claim got {context}: {result.message}"
        assert result.message
    return result


# -- generating well-typed claims -------------------------------------------------------------

ONE, TWO = cf.Num(Fraction(1)), cf.Num(Fraction(2))
V_C, U = cf.Name("v_c"), cf.Name("U")


@dataclass(frozen=True)
class Scope:
    """What a claim may mention where it is being built."""

    loss: str
    wrt: str
    reading: Reading
    letters: tuple[str, ...] = ()  # the free index of u_k, u_w and the letters sums bind

    @property
    def k_over(self) -> str:
        return _k_over(self.loss)


def _dot(a: cf.Node, b: cf.Node = V_C) -> cf.Node:
    return cf.Mul(cf.Transpose(a), b)


@st.composite
def word(draw, scope: Scope) -> cf.Node:
    return cf.Word(draw(st.sampled_from(("o", "1", "2", "3") + scope.letters)))


@st.composite
def vocab(draw, scope: Scope, row: bool, depth: int) -> cf.Node:
    """A length-V vector, a row or a column (y and ŷ are laid out as the reading says)."""
    choices = ["y", "yhat", "z", "softmax", "sigma", "scores"]
    if depth > 0:
        choices += ["scaled", "sub", "add"]
    choice = draw(st.sampled_from(choices))
    if choice in ("y", "yhat"):
        node, is_row = cf.Name(choice), scope.reading.y == "row"
    elif choice == "z":
        node, is_row = cf.Name("z"), False
    elif choice == "scores":  # z written out: Uᵀv_c (U v_c for rows)
        node, is_row = cf.Mul(cf.Transpose(U) if scope.reading.U == "columns" else U, V_C), False
    elif choice in ("softmax", "sigma"):
        node, is_row = cf.Call(choice, cf.Name("z")), False
    elif choice == "scaled":
        node, is_row = cf.Mul(draw(scalar(scope, depth - 1)), draw(vocab(scope, row, depth - 1))), row
    else:
        left, right = draw(vocab(scope, row, depth - 1)), draw(vocab(scope, row, depth - 1))
        node, is_row = (cf.Sub if choice == "sub" else cf.Add)(left, right), row
    return cf.Transpose(node) if is_row != row else node


@st.composite
def scalar(draw, scope: Scope, depth: int) -> cf.Node:
    """A scalar: numbers, dot products, components, σ, exp, log σ, and their arithmetic."""
    choices = ["number", "size", "component", "dot", "dot", "dot-reversed"]
    if depth > 0:
        choices += ["sigma", "one-minus-sigma", "exp", "log-sigma", "neg", "add", "sub", "mul", "div"]
        choices += ["pow", "sum"]
    choice = draw(st.sampled_from(choices))
    sub = depth - 1
    if choice == "number":
        return cf.Num(draw(st.sampled_from([Fraction(n) for n in (1, 2, 3, 0)] + [Fraction(1, 2)])))
    if choice == "size":  # K only where the loss has negatives
        return cf.Name(draw(st.sampled_from(("K", "V") if scope.k_over == "K" else ("V",))))
    if choice == "component":
        letters = ("o", "1", "2", "3") + scope.letters
        return cf.Component(draw(vocab(scope, draw(st.booleans()), 0)), draw(st.sampled_from(letters)))
    if choice == "dot":
        return _dot(draw(word(scope)))
    if choice == "dot-reversed":
        return cf.Mul(cf.Transpose(V_C), draw(word(scope)))
    if choice in ("sigma", "exp"):
        return cf.Call(choice, draw(scalar(scope, sub)))
    if choice == "one-minus-sigma":
        return cf.Sub(ONE, cf.Call("sigma", draw(scalar(scope, sub))))
    if choice == "log-sigma":
        return cf.Call("log", cf.Call("sigma", draw(scalar(scope, sub))))
    if choice == "neg":
        return cf.Neg(draw(scalar(scope, sub)))
    if choice in ("add", "sub", "mul"):
        node = {"add": cf.Add, "sub": cf.Sub, "mul": cf.Mul}[choice]
        return node(draw(scalar(scope, sub)), draw(scalar(scope, sub)))
    if choice == "div":  # by something that is never 0
        divisor = draw(st.sampled_from(("sigma", "exp", "number")))
        right = cf.Num(Fraction(3)) if divisor == "number" else cf.Call(divisor, draw(scalar(scope, sub)))
        return cf.Div(draw(scalar(scope, sub)), right)
    if choice == "pow":
        base, exponent = draw(scalar(scope, sub)), draw(st.sampled_from((2, 3, -1, -2)))
        return cf.Pow(cf.Call("sigma", base) if exponent < 0 else base, exponent)
    letter = _sum_letter(draw, scope)
    return cf.Sum(letter, "", draw(scalar(replace(scope, letters=scope.letters + (letter,)), sub)))


def _sum_letter(draw, scope: Scope) -> str:
    return draw(st.sampled_from([x for x in ("k", "w", "j", "i", "m") if x not in scope.letters]))


@st.composite
def vector(draw, scope: Scope, row: bool, depth: int) -> cf.Node:
    """A d-vector (a column, or a row when ``row``)."""
    choices = ["word", "v_c"]
    if depth > 0:
        choices += ["scaled", "scaled-after", "sum", "add", "sub", "neg", "matrix"]
    choice = draw(st.sampled_from(choices))
    sub = depth - 1
    if choice in ("word", "v_c"):
        node = draw(word(scope)) if choice == "word" else V_C
        return cf.Transpose(node) if row else node
    if choice in ("scaled", "scaled-after"):
        coefficient, base = draw(scalar(scope, sub)), draw(vector(scope, row, sub))
        return cf.Mul(coefficient, base) if choice == "scaled" else cf.Mul(base, coefficient)
    if choice == "matrix":  # U times a length-V vector
        columns = scope.reading.U == "columns"
        if row:
            return cf.Mul(draw(vocab(scope, True, sub)), cf.Transpose(U) if columns else U)
        return cf.Mul(U if columns else cf.Transpose(U), draw(vocab(scope, False, sub)))
    if choice == "sum":
        letter = _sum_letter(draw, scope)
        inner = replace(scope, letters=scope.letters + (letter,))
        term = cf.Transpose(cf.Word(letter)) if row else cf.Word(letter)
        return cf.Sum(letter, "", cf.Mul(draw(scalar(inner, sub)), term))
    if choice == "neg":
        return cf.Neg(draw(vector(scope, row, sub)))
    node = cf.Add if choice == "add" else cf.Sub
    return node(draw(vector(scope, row, sub)), draw(vector(scope, row, sub)))


@st.composite
def matrix(draw, scope: Scope, shape: tuple[str, str], depth: int) -> cf.Node:
    """A V×d or d×V matrix: outer products of a length-V vector and a d-vector, and U."""
    plain = U if (scope.reading.U == "rows") == (shape == ("V", "d")) else cf.Transpose(U)
    choices = ["outer", "U"] + (["outer", "scaled", "add", "sub"] if depth > 0 else [])
    choice = draw(st.sampled_from(choices))
    sub = max(depth - 1, 0)
    if choice == "outer":
        if shape == ("V", "d"):
            return cf.Mul(draw(vocab(scope, False, sub)), draw(vector(scope, True, sub)))
        return cf.Mul(draw(vector(scope, False, sub)), draw(vocab(scope, True, sub)))
    if choice == "U":
        return plain
    if choice == "scaled":
        return cf.Mul(draw(scalar(scope, sub)), draw(matrix(scope, shape, sub)))
    node = cf.Add if choice == "add" else cf.Sub
    return node(draw(matrix(scope, shape, sub)), draw(matrix(scope, shape, sub)))


READINGS = [Reading(U, y) for U in ("columns", "rows") for y in ("column", "row")]


@st.composite
def random_claim(draw, question):
    """``(node, reading)``: a well-typed claim of the gradient's shape, either layout."""
    loss_name, wrt = question
    reading = draw(st.sampled_from(READINGS))
    free = {"u_k": ("k",), "u_w": ("w",)}.get(wrt, ())
    scope = Scope(loss_name, wrt, reading, free)
    numerator = draw(st.booleans())
    depth = draw(st.integers(1, DEPTH))
    if wrt == "z":
        node = draw(vocab(scope, numerator, depth))
    elif wrt == "U":
        shape = ("V", "d") if reading.U == "rows" else ("d", "V")
        node = draw(matrix(scope, shape[::-1] if numerator else shape, depth))
    else:
        node = draw(vector(scope, numerator, depth))
    return node, reading


# -- true claims, equal rewrites and single mistakes ------------------------------------------

# (loss, wrt) -> (claim, U, y): true at INSTANCE, where every word is o or a negative
TRUE = {
    ("negative-sampling", "v_c"): [
        ("-(1 - sigma(u_o^T v_c)) u_o + sum_k (1 - sigma(-u_k^T v_c)) u_k", "columns", "column"),
        ("(sigma(u_o^T v_c) - 1) u_o^T + sum_k sigma(u_k^T v_c) u_k^T", "rows", "row"),
    ],
    ("negative-sampling", "u_o"): [("(sigma(u_o^T v_c) - 1) v_c", "columns", "column")],
    ("negative-sampling", "u_k"): [("(1 - sigma(-u_k^T v_c)) v_c^T", "rows", "column")],
    ("negative-sampling", "u_w"): [("(sigma(u_w^T v_c) - y_w) v_c", "columns", "column")],
    ("negative-sampling", "U"): [
        ("(sigma(U v_c) - y) v_c^T", "rows", "column"),
        ("v_c (sigma(U^T v_c) - y)^T", "columns", "column"),
    ],
    ("negative-sampling", "z"): [("sigma(z) - y", "columns", "column")],
    ("softmax", "z"): [("yhat - y", "columns", "column"), ("yhat - y", "columns", "row")],
    ("softmax", "v_c"): [
        ("U (yhat - y)", "columns", "column"),
        ("(yhat - y) U", "rows", "row"),
        ("sum_w yhat_w u_w - u_o", "columns", "column"),
    ],
    ("softmax", "u_o"): [("(yhat_o - 1) v_c", "columns", "column")],
    ("softmax", "u_w"): [("(yhat_w - y_w) v_c", "rows", "row")],
    ("softmax", "u_k"): [("(yhat - y)_k v_c^T", "columns", "column")],
    ("softmax", "U"): [
        ("(yhat - y) v_c^T", "rows", "column"),
        ("v_c (yhat - y)^T", "columns", "column"),
    ],
}
TRUE_CLAIMS = [(question, text, Reading(U_, y)) for question, forms in TRUE.items() for text, U_, y in forms]


def _paths(node: cf.Node, path: tuple = ()):
    """``(path, subterm)`` for every subterm; a path is a tuple of field names."""
    yield path, node
    for item in fields(node) if hasattr(node, "__dataclass_fields__") else ():
        child = getattr(node, item.name)
        if isinstance(child, cf.Node):
            yield from _paths(child, path + (item.name,))


def _replace_at(node: cf.Node, path: tuple, new: cf.Node) -> cf.Node:
    if not path:
        return new
    head, *rest = path
    return replace(node, **{head: _replace_at(getattr(node, head), tuple(rest), new)})


def _is_scalar_node(node: cf.Node, reading: Reading) -> bool:
    try:
        return shape_of(node, reading) == ("1", "1")
    except ShapeError:
        return False


def _anywhere(node: cf.Node) -> list[cf.Node]:
    """Forms equal to any ``node``: add and subtract the same term, ᵀᵀ, 2·x/2."""
    three = cf.Num(Fraction(3))
    return [
        cf.Sub(cf.Add(node, cf.Mul(three, node)), cf.Mul(three, node)),
        cf.Transpose(cf.Transpose(node)),
        cf.Div(cf.Mul(TWO, node), TWO),
    ]


def _is_vector(node: cf.Node) -> bool:
    return isinstance(node, cf.Word) or node == V_C


def _rewrites(node: cf.Node, reading: Reading) -> list[cf.Node]:
    """Forms equal to ``node`` by a rule about what it is: σ and exp forms, orders, signs."""
    out = []
    match node:
        case cf.Call("sigma", x) if _is_scalar_node(x, reading):
            out += [
                cf.Sub(ONE, cf.Call("sigma", cf.Neg(x))),
                cf.Div(ONE, cf.Add(ONE, cf.Call("exp", cf.Neg(x)))),
                cf.Div(cf.Call("exp", x), cf.Add(ONE, cf.Call("exp", x))),
            ]
        case cf.Sub(cf.Num(value), cf.Call("sigma", x)) if value == 1:
            out.append(cf.Call("sigma", cf.Neg(x)))
        case cf.Add(a, b):
            out.append(cf.Add(b, a))
        case cf.Sub(a, b):
            out.append(cf.Add(cf.Neg(b), a))
        case cf.Mul(cf.Transpose(a), b) if _is_vector(a) and _is_vector(b):
            out.append(cf.Mul(cf.Transpose(b), a))
        case cf.Mul(a, b) if _is_scalar_node(a, reading) or _is_scalar_node(b, reading):
            out.append(cf.Mul(b, a))
        case cf.Neg(a):
            out.append(cf.Mul(cf.Neg(ONE), a))
        case cf.Component(cf.Name("yhat"), index):
            out.append(cf.Component(cf.Call("softmax", cf.Name("z")), index))
        case cf.Sum(index, over, cf.Add(a, b)):
            out.append(cf.Add(cf.Sum(index, over, a), cf.Sum(index, over, b)))
        case cf.Call("exp", cf.Neg(x)):
            out.append(cf.Div(ONE, cf.Call("exp", x)))
    return out


def _mutations(node: cf.Node) -> list[cf.Node]:
    """Single classic mistakes at ``node``: sign flip, σ(x) → σ(−x), a dropped term, a factor 2."""
    out = [cf.Neg(node), cf.Mul(TWO, node)]
    match node:
        case cf.Call("sigma", x):
            out.append(cf.Call("sigma", cf.Neg(x)))
        case cf.Add(a, b):
            out += [a, b]
        case cf.Sub(a, b):
            out += [a, cf.Neg(b)]
    return out


@st.composite
def rewritten(draw, steps: int, claims: tuple = ()):
    """A true claim (one of ``claims``, else of all) with ``steps`` equal rewrites applied at
    random places."""
    question, text, reading = draw(st.sampled_from(claims or TRUE_CLAIMS))
    node = parse_claim(text)
    for _ in range(steps):
        # the rules about what a subterm is, three times as often as the ones that fit anything
        places = list(_paths(node))
        specific = [(path, new) for path, subterm in places for new in _rewrites(subterm, reading)]
        generic = [(path, new) for path, subterm in places for new in _anywhere(subterm)]
        path, new = draw(st.sampled_from(specific * 3 + generic))
        node = _replace_at(node, path, new)
    return question, node, reading


@st.composite
def mutated(draw, claims: tuple = ()):
    """A true claim (one of ``claims``, else of all), possibly rewritten once, with one classic
    mistake at a random place."""
    question, node, reading = draw(rewritten(draw(st.integers(0, 1)), claims))
    path, subterm = draw(st.sampled_from(list(_paths(node))))
    return question, _replace_at(node, path, draw(st.sampled_from(_mutations(subterm)))), reading


# -- the properties ---------------------------------------------------------------------------


@pytest.mark.parametrize("question", QUESTIONS, ids=[f"{loss}-{wrt}" for loss, wrt in QUESTIONS])
@examples(ci=6, long=150)
@given(data=st.data(), seed=st.integers(0, 2**32))
def test_random_claims_verdicts_are_sound(question, data, seed):
    node, reading = data.draw(random_claim(question))
    cross_examine(node, question, reading, seed, "random")


@examples(ci=30, long=1500)
@given(case=st.integers(1, 3).flatmap(rewritten), seed=st.integers(0, 2**32))
def test_equal_rewrites_of_true_claims_are_proved(case, seed):
    question, node, reading = case
    result = cross_examine(node, question, reading, seed, "rewrite")
    assert result.verdict is Verdict.PROVED, f"{to_text(node)}: {result.verdict.value} {result.message}"


@examples(ci=30, long=1500)
@given(case=mutated(), seed=st.integers(0, 2**32))
def test_single_mistakes_are_refuted_unless_they_change_nothing(case, seed):
    question, node, reading = case
    result = cross_examine(node, question, reading, seed, "mutation")
    assert result.verdict in (Verdict.REFUTED, Verdict.PROVED), f"{to_text(node)}: {result.message}"


@pytest.mark.parametrize("case", TRUE_CLAIMS, ids=[f"{q[0]}-{q[1]}-{text}" for q, text, _ in TRUE_CLAIMS])
def test_the_true_claims_are_proved_and_the_oracle_agrees(case):
    question, text, reading = case
    node = parse_claim(text)
    assert numerically_equal(node, question, reading, seed=0)
    assert cross_examine(node, question, reading, 0, "true").verdict is Verdict.PROVED


def test_negative_sampling_over_z_keeps_the_negatives():
    # found by this module: -u_k^T v_c was not read as -z_k, so ∂J/∂z lost the negatives
    node = parse_claim("(sigma(z_o) - 1) y")
    result = cross_examine(node, ("negative-sampling", "z"), Reading(), 0, "regression")
    assert result.verdict is Verdict.REFUTED


def test_the_oracle_tells_a_wrong_claim_apart():
    node = parse_claim("(1 - sigma(u_o^T v_c)) v_c")
    assert not numerically_equal(node, ("negative-sampling", "u_o"), Reading(), seed=0)


# -- the all-sizes certificate against the instance procedure ---------------------------------

# the questions the certificate covers, and instances in its domain (negatives distinct, ≠ o)
CERTIFIED = [(loss, wrt) for loss, wrt in QUESTIONS if wrt not in ("U", "J")]  # gradients of vectors
CERTIFIED.remove(("negative-sampling", "u_w"))
CERTIFIED.remove(("negative-sampling", "z"))
DOMAIN = (Instance(V=4, d=2, K=2, o=2, negatives=(3, 1)), Instance(V=5, d=1, K=3, o=5, negatives=(4, 2, 1)))


@st.composite
def summed_terms(draw, question):
    """A true claim plus ``(Σ_j f(u_jᵀv_c) − Σ_j g(u_jᵀv_c)) x``: a sum over the negatives (the
    vocabulary for the softmax) of one generic term minus another, times a vector ``x`` of the
    claim's shape.  ``g`` is ``f`` rewritten (the claim stays true) or ``f`` with one mistake
    (false, except at special sizes): the class of claims a certificate that identifies
    different sums would prove."""
    loss_name, wrt = question
    (_, text, reading) = draw(st.sampled_from([case for case in TRUE_CLAIMS if case[0] == question]))
    scope = Scope(loss_name, wrt, reading, {"u_k": ("k",), "u_w": ("w",)}.get(wrt, ()) + ("j",))
    f = draw(scalar(scope, draw(st.integers(1, 2))))
    places = list(_paths(f))
    if draw(st.booleans()):
        options = [(p, new) for p, sub in places for new in _rewrites(sub, reading) + _anywhere(sub)]
    else:
        options = [(p, new) for p, sub in places for new in _mutations(sub)]
    path, new = draw(st.sampled_from(options))
    g = _replace_at(f, path, new)
    over = "K" if loss_name == "negative-sampling" else "V"
    difference = cf.Sub(cf.Sum("j", over, f), cf.Sum("j", over, g))
    node = parse_claim(text)
    shape = shape_of(node, reading)
    unit = {("d", "1"): V_C, ("1", "d"): cf.Transpose(V_C)}.get(shape)
    if shape in (("d", "V"), ("V", "d")):  # ∂J/∂U: v_c yᵀ laid out like the claim
        y_row = cf.Transpose(cf.Name("y")) if reading.y == "column" else cf.Name("y")
        unit = cf.Mul(V_C, y_row) if shape == ("d", "V") else cf.Transpose(cf.Mul(V_C, y_row))
    if unit is None:  # a length-V vector (∂J/∂z): a multiple of y, laid out like the claim
        unit = cf.Transpose(cf.Name("y")) if (shape[0] == "1") != (reading.y == "row") else cf.Name("y")
    return node if f == g else cf.Add(node, cf.Mul(difference, unit)), reading


def _certificate_holds(node: cf.Node, question, reading: Reading) -> bool:
    loss = named_loss(question[0])
    try:
        resolved = resolve_sums(node, loss)
    except ShapeError:
        return False
    return certify(resolved, loss, question[1], reading).holds


@pytest.mark.parametrize("question", CERTIFIED, ids=[f"{loss}-{wrt}" for loss, wrt in CERTIFIED])
@examples(ci=5, long=150)
@given(data=st.data())
def test_certificate_and_instance_procedure_never_disagree(question, data):
    """A claim the certificate covers is proved by the instance procedure at every instance in
    its domain; one the instance procedure refutes there is never certified."""
    _never_disagree(question, data)


def _never_disagree(question, data, own: bool = False) -> None:
    """``own``: rewrites of the question's own true claims (else of any, most of them skipped)."""
    kind = data.draw(st.sampled_from(("summed", "summed", "rewrite", "random")))
    claims = tuple(case for case in TRUE_CLAIMS if case[0] == question) if own else ()
    if kind == "summed":
        node, reading = data.draw(summed_terms(question))
    elif kind == "rewrite":
        case = data.draw(st.integers(1, 2).flatmap(lambda steps: rewritten(steps, claims)))
        if case[0] != question:
            return
        _, node, reading = case
    else:
        node, reading = data.draw(random_claim(question))
    TALLY[f"certificate {kind} {'holds' if _certificate_holds(node, question, reading) else 'denied'}"] += 1
    if not _certificate_holds(node, question, reading):
        return
    loss = named_loss(question[0])
    for instance in DOMAIN:
        check = Question(loss, question[1], instance, Conventions(U=reading.U, y=reading.y))
        assert holds(node, check), f"certified, but not proved at {instance}: {to_text(node)} under {reading}"


# ∂J/∂U, certified column by column: few examples, each certified one is proved at two instances
CERTIFIED_MATRIX = [("softmax", "U"), ("negative-sampling", "U")]


@pytest.mark.parametrize(
    "question", CERTIFIED_MATRIX, ids=[f"{loss}-{wrt}" for loss, wrt in CERTIFIED_MATRIX]
)
@examples(ci=4, long=150)
@given(data=st.data())
def test_matrix_certificate_and_instance_procedure_never_disagree(question, data):
    _never_disagree(question, data, own=True)


MATRIX_CLAIMS = tuple(case for case in TRUE_CLAIMS if case[0][1] == "U")
BLOCK = "[(yhat_1 - y_1) v_c, (yhat_2 - y_2) v_c, ..., (yhat_V - y_V) v_c]"  # v_c (ŷ − y)ᵀ, column by column
TRUE_MATRIX = tuple(case for case in MATRIX_CLAIMS if case[0][0] == "softmax") + (
    (("softmax", "U"), BLOCK, Reading()),
)  # true at every size


@examples(ci=5, long=300)
@given(
    case=st.one_of(mutated(MATRIX_CLAIMS), st.integers(1, 2).flatmap(lambda n: rewritten(n, TRUE_MATRIX))),
    seed=st.integers(0, 2**32),
)
def test_matrix_verdicts_on_the_certificate_path_agree_with_the_oracle(case, seed):
    """Every instance taken as large: a ∂J/∂U claim with a certificate is proved by it (and the
    instance procedure at one small instance), and the oracle judges that verdict."""
    question, node, reading = case
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(check_module, "LARGE", 0)
        result = cross_examine(node, question, reading, seed, "large")
    TALLY[f"large path: {'certificate' if 'certificate' in result.method else 'instance procedure'}"] += 1


# false claims about ∂J/∂U, each of a kind a column-by-column certificate could get wrong:
# (loss, claim, reading); the negative-sampling ones are true at INSTANCE, where every word is o
# or a negative, so the instance procedure judges them at DOMAIN[0], which has another word
FALSE_MATRIX = [
    ("softmax", "-v_c (yhat - y)^T", Reading()),  # the sign flipped
    ("softmax", "v_c yhat^T", Reading()),  # −y missing
    ("softmax", "v_c (yhat - y)^T + (yhat_o - 1) v_c y^T", Reading()),  # column o doubled, only it
    ("softmax", "(yhat - y) v_c^T + (yhat_o - 1) y v_c^T", Reading("rows", "column")),  # row o doubled
    ("softmax", "U - U", Reading()),
    ("softmax", "[(y_1 - yhat_1) v_c, ..., (y_V - yhat_V) v_c]", Reading()),  # a block, every sign
    ("softmax", "[(yhat_1 - 2 y_1) v_c, ..., (yhat_V - 2 y_V) v_c]", Reading()),  # y doubled: column o only
    ("negative-sampling", "v_c (sigma(U^T v_c) - y)^T", Reading()),  # other words given σ(z_w) v_c
    ("negative-sampling", "(sigma(U v_c) - y) v_c^T", Reading("rows", "column")),
    ("negative-sampling", "-v_c (sigma(U^T v_c) - y)^T", Reading()),
]


@pytest.mark.parametrize("case", FALSE_MATRIX, ids=[f"{loss}-{text}" for loss, text, _ in FALSE_MATRIX])
def test_false_matrix_claims_are_never_certified(case):
    loss_name, text, reading = case
    node, question = parse_claim(text), (loss_name, "U")
    assert not _certificate_holds(node, question, reading), f"certified: {text}"
    check = Question(named_loss(loss_name), "U", DOMAIN[0], Conventions(U=reading.U, y=reading.y))
    assert not holds(node, check), f"the oracle case is not false: {text}"
    if loss_name == "softmax":  # the independent oracle agrees that it is false
        assert not numerically_equal(node, question, reading, seed=0)


def test_true_matrix_claims_are_certified_and_the_oracle_agrees():
    # the true forms, and one in the numerator layout (V×d while U is read as columns)
    forms = [(text, reading) for question, text, reading in TRUE_MATRIX]
    for text, reading in forms + [("(yhat - y) v_c^T - 0 U^T", Reading("columns", "column"))]:
        node = parse_claim(text)
        assert _certificate_holds(node, ("softmax", "U"), reading), text
        assert numerically_equal(node, ("softmax", "U"), reading, seed=1), text


def test_a_certificate_never_identifies_different_sums(monkeypatch):
    # the review's example: Σ_j e^{(u_jᵀv_c)²} and Σ_j e^{(u_jᵀv_c)⁴} were one remainder
    claim = (
        "sigma(u_k^T v_c) v_c + (sum_{j=1}^{K} exp((u_j^T v_c)^2) - exp((u_k^T v_c)^2) "
        "- sum_{j=1}^{K} exp((u_j^T v_c)^4) + exp((u_k^T v_c)^4)) v_c"
    )
    loss = named_loss("negative-sampling")
    assert not certify(resolve_sums(parse_claim(claim), loss), loss, "u_k", Reading()).holds
    # every instance is "large": the certificate is tried first, as it is past 60 components
    monkeypatch.setattr(check_module, "LARGE", 0)
    assert check_claim(claim, loss, "u_k", Instance(K=3), with_hints=False).verdict is Verdict.REFUTED
    # at K = 1 the two sums are the k-th terms alone, so the claim is true there
    assert check_claim(claim, loss, "u_k", Instance(K=1), with_hints=False).verdict is Verdict.PROVED


# -- definedness ------------------------------------------------------------------------------


@st.composite
def partly_undefined(draw):
    """A true claim with a part that may be undefined: times D/D, plus 0·log(D), or plus
    (D − D')/D'' where D, D', D'' are random scalars (dot products, numbers, σ, …)."""
    question, node, reading = draw(rewritten(draw(st.integers(0, 1))))
    scope = Scope(question[0], question[1], reading, {"u_k": ("k",), "u_w": ("w",)}.get(question[1], ()))
    D = draw(scalar(scope, draw(st.integers(0, 2))))
    zero = cf.Num(Fraction(0))
    form = draw(st.sampled_from(("ratio", "log", "quotient")))
    if form == "ratio":
        factor = cf.Div(D, D)
    elif form == "log":
        factor = cf.Add(ONE, cf.Mul(zero, cf.Call("log", D)))
    else:
        factor = cf.Add(ONE, cf.Div(cf.Sub(D, D), draw(scalar(scope, 1))))
    return question, cf.Mul(factor, node), reading


@examples(ci=20, long=1000)
@given(case=partly_undefined(), seed=st.integers(0, 2**32))
def test_claims_undefined_where_the_gradient_exists_are_never_proved(case, seed):
    """``proved`` only for a claim the oracle finds defined at points with zero coordinates as
    well as equal at random ones; ``refuted`` as undefined only at a point where it is."""
    question, node, reading = case
    result = cross_examine(node, question, reading, seed, "undefined")
    assert result.verdict is not Verdict.ILL_TYPED, f"{to_text(node)}: {result.message}"


@pytest.mark.parametrize(
    "claim",
    [
        "(sigma(u_o^T v_c) - 1) v_c + 0 log(0) v_c",
        "(sigma(u_o^T v_c) - 1) v_c + (0 (K - K)^(-1)) v_c",
        "(sigma(u_o^T v_c) - 1) v_c ((u_o^T v_c + 1)^2 - (u_o^T v_c)^2 - 2 u_o^T v_c - 1)"
        " / ((u_o^T v_c + 1)^2 - (u_o^T v_c)^2 - 2 u_o^T v_c - 1)",
        "exp(log(0)) v_c",
        "sigma(log(0)) v_c",
        "(sigma(u_o^T v_c) - 1) v_c (u_o^T v_c) / (u_o^T v_c)",
    ],
)
def test_the_reviews_undefined_claims_are_refuted_as_undefined(claim):
    loss = named_loss("negative-sampling")
    result = check_claim(claim, loss, "u_o", INSTANCE, with_hints=False)
    assert result.verdict is Verdict.REFUTED, result.message
    assert result.method.startswith("undefined"), result.method
    assert "undefined" in result.message


# -- refutation at one point ------------------------------------------------------------------


def _point_of(counterexample) -> Point:
    """A point-wise counterexample's point: every component of every vector it lists, and the
    value given for every other word's vector."""
    point = {key: mpmath.mpf(0) for key in COORDINATES}
    values = counterexample.point
    for key in COORDINATES:
        name = f"u_{key[1]}" if key[0] == "u" else "v_c"
        listed = values.get(name, values.get(OTHERS))
        exact = Fraction(listed[key[-1] - 1])
        point[key] = mpmath.mpf(exact.numerator) / exact.denominator
    return point


@examples(ci=15, long=1500)
@given(case=st.one_of(mutated(), rewritten(1)))
def test_a_refutation_at_one_point_separates_the_sides_and_the_exact_verdict_agrees(case):
    question, node, reading = case
    loss_name, wrt = question
    asked = Question(named_loss(loss_name), wrt, INSTANCE, Conventions(U=reading.U, y=reading.y))
    try:
        resolved = resolve(node, asked)
        typing, used = typed(resolved, asked)
    except SymW2VError:
        return
    counterexample = refute_at_point(resolved, asked, typing.reading, used)
    TALLY[f"point {'refuted' if counterexample else 'not refuted'}"] += 1
    if counterexample is None:
        return
    context = f"{loss_name} ∂J/∂{wrt} = {to_text(node)} under {reading}"
    with mpmath.workdps(DIGITS + 10):
        target = counterexample.target
        claimed, derived = _sides(node, question, typing.reading, _point_of(counterexample), only=target)[
            target
        ]
        assert any(not _close(a, b, 30) for a, b in zip(claimed, derived, strict=True)), (
            f"the point does not separate the sides: {context}"
        )
    exact = _checked(node, question, reading)
    # proved for one case only (the one it holds in, said in ``case``) is not proved as asked
    assert exact.verdict is not Verdict.PROVED or exact.case, f"refuted at a point, proved exactly: {context}"
