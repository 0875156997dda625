"""Check one claim: parse → type → instantiate → derive → prove, into a ``ClaimResult``.

Also: one step ``A = B`` of a chain (``check_step``), the scope of a claim about the negatives,
and hints for a wrong claim, all through the same typing and proof machinery.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, replace
from functools import lru_cache

import sympy

from symw2v import closed_form as cf
from symw2v.certify import certify, in_domain
from symw2v.definedness import UNDEFINED_LATEX, Condition, check_defined, unproved
from symw2v.derive import WRT, derive, loss_context, variable_shape
from symw2v.describe import TEXT, gradient_form
from symw2v.errors import ClaimParseError, ProofTimeout, ShapeError, SymW2VError
from symw2v.hints import edits
from symw2v.instance import Instance
from symw2v.instantiate import Instantiator, resolve_sums
from symw2v.limits import hard_time_limit
from symw2v.losses import Loss
from symw2v.parse import parse_claim
from symw2v.printing import to_compact_latex, to_latex, to_text
from symw2v.prove import Pair, decide, is_identity, time_limit
from symw2v.results import ClaimResult, Proof, Verdict
from symw2v.schema import LAYOUTS, U_READINGS, Y_READINGS, quote
from symw2v.shapes import Reading, Typing, infer_reading, shape_of, show
from symw2v.sweep import DEFAULT, Grid, instances, smallest_generic

HINT_SECONDS = 8.0
LARGE = 60  # components of U and v_c past which a certificate is tried before the instance proof


@dataclass(frozen=True)
class Conventions:
    """What the user declared; ``None`` means "infer it and report what was used"."""

    U: str | None = None
    y: str | None = None
    layout: str = "auto"

    def __post_init__(self) -> None:
        # exact str: a value equal to a choice but of another type must not key the caches
        for name, value, allowed in (
            ("U", self.U, (None, *U_READINGS)),
            ("y", self.y, (None, *Y_READINGS)),
            ("layout", self.layout, LAYOUTS),
        ):
            if type(value) not in (str, type(None)) or value not in allowed:
                choices = ", ".join(quote(a) for a in allowed if a is not None)
                raise SymW2VError(f"{name} must be one of {choices}, not {quote(value)}")


@dataclass(frozen=True)
class Question:
    """What a claim answers: ∂J/∂``wrt`` for ``loss`` at ``instance`` under ``conventions``."""

    loss: Loss
    wrt: str
    instance: Instance
    conventions: Conventions = Conventions()

    def __post_init__(self) -> None:
        if self.wrt not in WRT:
            raise SymW2VError(f"--wrt must be one of {', '.join(WRT)}, not {self.wrt!r}")

    @property
    def kind(self) -> str:
        return {"U": "U-", "z": "matrix"}.get(self.wrt, "vector")


def _allowed_free(wrt: str) -> set[str]:
    return {"u_k": {"k"}, "u_w": {"w"}}.get(wrt, set())


def _read(claim: str | cf.Node, syntax: str) -> cf.Node:
    return parse_claim(claim, syntax) if isinstance(claim, str) else claim


def _resolve(node: cf.Node, question: Question) -> cf.Node:
    """The claim with every sum given its range; ``ShapeError`` for an index the loss lacks."""
    return resolve_sums(node, question.loss.k_over)


def _check_indices(node: cf.Node, wrt: str) -> None:
    stray = sorted(cf.free_indices(node) - _allowed_free(wrt))
    if stray:
        raise ShapeError(
            f"the index {', '.join(stray)} is free: bind it with a sum (sum_{stray[0]} …) "
            f"or use it only in a claim about ∂J/∂u_{stray[0]}"
        )


def _layout(typing: Typing, wrt: str, layout: str) -> tuple[str, str]:
    """(layout used, or "" with a message) for a claim of the typed shape."""
    denominator = variable_shape(wrt, typing.reading)
    numerator = (denominator[1], denominator[0])
    shape = typing.shape
    fits = {"denominator": shape == denominator, "numerator": shape == numerator}
    if layout != "auto":
        if fits[layout]:
            return layout, ""
        other = "numerator" if layout == "denominator" else "denominator"
        hint = f" (it is the {other} layout)" if fits[other] else ""
        wanted = denominator if layout == "denominator" else numerator
        return "", f"the claim is {show(shape)}; {layout} layout needs {show(wanted)}{hint}"
    for name in ("denominator", "numerator"):
        if fits[name]:
            return name, ""
    return "", (
        f"the claim is {show(shape)}, but ∂J/∂{wrt} is {show(denominator)} (denominator layout) "
        f"or {show(numerator)} (numerator layout)"
    )


def _pairs(
    node: cf.Node, question: Question, typing: Typing, layout: str, instance: Instance
) -> tuple[list[Pair], list[Condition]]:
    """The claim against the derived gradient, once per value of its free index, and what the
    claim needs to be defined there."""
    loss, wrt = question.loss, question.wrt
    instantiator = Instantiator(loss_context(loss, instance, typing.reading, wrt))
    pairs, conditions = [], []
    for target in derive(loss, wrt, instance, typing.reading):
        claimed = instantiator.evaluate(node, target.binding_dict())
        if layout == "numerator":
            claimed = claimed.T
        pairs.append(Pair(target.label, claimed, target.gradient))
        conditions += [Condition(*condition, target.label) for condition in instantiator.conditions]
        instantiator.conditions.clear()
    return pairs, conditions


def _prove(pairs: list[Pair], conditions: list[Condition], tick) -> Proof:
    """The exact verdict on the pairs: undefined somewhere, or decided by the prover."""
    undefined = check_defined(pairs, conditions, tick)
    if isinstance(undefined, Proof):
        return undefined
    proof = decide(pairs, tick)
    if proof.verdict is Verdict.PROVED and undefined:
        return unproved(undefined)
    return proof


def holds(node: cf.Node, question: Question, instance: Instance | None = None) -> bool:
    """Whether ``node`` type-checks, fits a layout, is defined wherever the gradient is and is
    proved equal to it (exactly)."""
    try:
        node = _resolve(node, question)
        _check_indices(node, question.wrt)
        conventions = question.conventions
        typing = infer_reading(node, conventions.U, conventions.y)
        layout, _ = _layout(typing, question.wrt, conventions.layout)
        if not layout:
            return False
        pairs, conditions = _pairs(node, question, typing, layout, instance or question.instance)
        return check_defined(pairs, conditions) == () and is_identity(pairs)
    except (ShapeError, SymW2VError):
        return False


def check_claim(
    claim: str | cf.Node,
    loss: Loss,
    wrt: str,
    instance: Instance,
    conventions: Conventions = Conventions(),
    claim_id: str = "claim",
    expected: str = "proved",
    equation_latex: str = "",
    time_limit_s: float | None = None,
    syntax: str = "auto",
    with_hints: bool = True,
    grid: Grid | None = None,
) -> ClaimResult:
    """The verdict on ``∂J/∂wrt = claim`` for ``loss`` at ``instance``, with its evidence.

    ``time_limit_s`` bounds the whole check; past it the verdict is ``undecided``.  A proved
    claim is also given an all-sizes certificate where one can be given, and checked at every
    instance of ``grid`` (a failure there refutes it, at the smallest failing instance).
    """
    question = Question(loss, wrt, instance, conventions)
    started = time.perf_counter()
    base = dict(
        id=claim_id,
        loss=loss.name,
        wrt=wrt,
        claim=claim if isinstance(claim, str) else to_text(claim),
        expected=expected,
        equation_latex=equation_latex,
        instance=instance.as_dict(),
    )

    def result(verdict: Verdict, **fields) -> ClaimResult:
        seconds = round(time.perf_counter() - started, 3)
        return ClaimResult(verdict=verdict, seconds=seconds, **{**base, **fields})

    try:
        node = _read(claim, syntax)
    except ClaimParseError as error:
        return result(Verdict.PARSE_ERROR, message=str(error))
    base["claim_latex"] = to_latex(node)
    show = to_compact_latex if isinstance(claim, str) and "\\" in claim else to_text
    try:
        with hard_time_limit(time_limit_s):
            return _check_parsed(node, question, base, result, show, time_limit_s, with_hints, grid)
    except ProofTimeout as error:
        return result(Verdict.UNDECIDED, method="time limit", message=str(error))
    except RecursionError:  # SymPy's polynomial code recurses per variable: huge instances hit the limit
        return result(
            Verdict.UNDECIDED,
            method="size limit",
            message=f"the exact procedure cannot handle {instance.describe(loss.k_over == 'K')}: "
            "the expressions are too large; "
            "try a smaller instance",
        )


def _check_parsed(
    node, question: Question, base: dict, result, show, time_limit_s, with_hints, grid
) -> ClaimResult:
    instance, conventions, loss = question.instance, question.conventions, question.loss
    try:
        node = _resolve(node, question)
    except ShapeError as error:
        return result(Verdict.ILL_TYPED, message=str(error))
    try:
        _check_indices(node, question.wrt)
        typing = infer_reading(node, conventions.U, conventions.y)
    except ShapeError as error:
        hint = _hint(node, question, show, typing_only=True) if with_hints else ""
        return result(Verdict.ILL_TYPED, message=str(error), hint=hint)

    reading = typing.reading
    names = {n.name for n in cf.walk(node) if isinstance(n, cf.Name)}
    uses_reading = question.wrt == "U" or bool(names & {"U", "y", "yhat"})
    base.update(U=reading.U, y=reading.y, reading=_reading_note(typing, conventions) if uses_reading else "")
    kind = question.kind + (reading.U if question.kind == "U-" else "")
    group = loss.k_over == "K"
    layout, message = _layout(typing, question.wrt, conventions.layout)
    if not layout:
        hint = _hint(node, question, show) if with_hints else ""
        return result(Verdict.REFUTED, method="shape", message=message, hint=hint)
    if len(instance.symbols()) > LARGE:
        # past a few dozen components the instance proof grows fast; an all-sizes certificate,
        # when there is one, proves this instance too, exactly.  It never proves alone: the claim
        # must also be proved at a small instance with every size at least 2, by the instance
        # procedure, which shares no code with the certificate's formal algebra
        certificate = certify(node, loss, question.wrt, reading)
        small = smallest_generic(grid or DEFAULT, group)
        if certificate.holds and in_domain(instance, loss, question.wrt) and holds(node, question, small):
            return result(
                Verdict.PROVED,
                layout=layout,
                method="exact: all-sizes certificate (the instance is one of its sizes), "
                f"and the instance procedure at {small.describe(group)}",
                certificate=certificate.statement,
                certificate_argument=certificate.argument,
                scope=f"proved at {instance.describe(group)}, and at every size: {certificate.statement}",
            )
    base["derived_latex"] = _derived_form(loss, question.wrt, instance, reading, kind)

    try:
        pairs, conditions = _pairs(node, question, typing, layout, instance)
        proof = _prove(pairs, conditions, time_limit(time_limit_s))
    except SymW2VError as error:
        if isinstance(error, ProofTimeout):
            raise
        return result(Verdict.ILL_TYPED, layout=layout, message=str(error))

    fields = dict(
        layout=layout, method=proof.method, message=proof.message, counterexample=proof.counterexample
    )
    if proof.verdict is Verdict.REFUTED and proof.counterexample.undefined:
        fields.update(residual="undefined", residual_latex=UNDEFINED_LATEX)
    elif proof.verdict is Verdict.REFUTED:
        failing = next(p for p in pairs if p.label == proof.counterexample.target)
        residual = failing.claimed - failing.derived
        latex = gradient_form(residual, instance, group, kind)
        text = gradient_form(residual, instance, group, kind, TEXT)
        if layout == "numerator" and kind == "vector":
            latex, text = rf"\left({latex}\right)^{{\top}}", f"({text})ᵀ"
        fields.update(residual=text, residual_latex=latex)
        if with_hints:
            fields["hint"] = _hint(node, question, show)
    if proof.verdict is Verdict.PROVED:
        fields["scope"] = scope(node, question)
        certificate = certify(node, loss, question.wrt, reading)
        fields.update(certificate=certificate.statement or certificate.argument)
        if certificate.holds:
            fields["certificate_argument"] = certificate.argument
        if grid is not None:
            covered, failing = _sweep(node, question, grid)
            fields["sweep"] = tuple(i.describe(group) for i in covered)
            if failing is not None:
                return _failing_instance(node, question, failing, certificate, base, result, show)
    return result(proof.verdict, **fields)


def _sweep(node: cf.Node, question: Question, grid: Grid) -> tuple[list[Instance], Instance | None]:
    """The grid's instances where the claim was proved, and the smallest where it fails."""
    covered = []
    for instance in instances(grid, question.loss.k_over == "K"):
        if not holds(node, question, instance):
            return covered, instance
        covered.append(instance)
    return covered, None


def _failing_instance(
    node, question: Question, failing: Instance, certificate, base, result, show
) -> ClaimResult:
    """A claim proved at the main instance that fails at another is refuted there, with its evidence."""
    group = question.loss.k_over == "K"
    if certificate.holds:  # the two arguments contradict each other: say so, never guess
        return result(
            Verdict.UNDECIDED,
            method="inconsistent",
            message=f"the all-sizes certificate and the sweep disagree at {failing.describe()}: "
            "please report this",
        )
    there = check_claim(
        node,
        question.loss,
        question.wrt,
        failing,
        question.conventions,
        claim_id=base["id"],
        with_hints=False,
    )
    message = (
        f"proved at {question.instance.describe(group)}, but it fails at {failing.describe(group)}, "
        "the smallest "
        "failing instance of the sweep"
    )
    fields = {
        k: getattr(there, k) for k in ("layout", "method", "residual", "residual_latex", "counterexample")
    }
    return result(
        Verdict.REFUTED if there.verdict is Verdict.REFUTED else Verdict.UNDECIDED,
        message=message,
        certificate=certificate.argument,
        hint=_hint(node, question, show),
        **fields,
    )


@lru_cache(maxsize=64)
def _derived_form(loss: Loss, wrt: str, instance: Instance, reading: Reading, kind: str) -> str:
    """The derived gradient, readable; the same for every claim about one question."""
    gradient = derive(loss, wrt, instance, reading)[0].gradient
    return gradient_form(gradient, instance, loss.k_over == "K", kind)


def scope(node: cf.Node, question: Question) -> str:
    """Where a proved claim holds, beyond the instance: for ∂J/∂u_k, with repeated negatives
    and with a negative equal to o (the seed's "for o ≠ k")."""
    instance = question.instance
    where = f"proved at {instance.describe(question.loss.k_over == 'K')}"
    if (
        question.wrt != "u_k"
        or question.loss.k_over != "K"
        or instance.K < 2
        or not instance.distinct_negatives
    ):
        return where
    first, *rest = instance.negatives
    repeated = replace(instance, negatives=(first, first, *rest[1:]))
    with_o = replace(instance, negatives=(instance.o, *rest))
    if holds(node, question, repeated) and holds(node, question, with_o):
        return where + "; it also holds with a repeated negative and with a negative equal to o"
    return where + (
        "; it holds when the negatives are distinct and differ from o; with a repeated negative "
        f"(negatives {repeated.negatives}) or a negative equal to o (negatives {with_o.negatives}) it fails: "
        "the gradient is then the sum over the word's occurrences"
    )


def _numerically_close(node: cf.Node, question: Question) -> bool:
    """A cheap screen before an exact proof: does ``node`` match the gradient at one random point?"""
    try:
        _check_indices(node, question.wrt)
        typing = infer_reading(node, question.conventions.U, question.conventions.y)
        layout, _ = _layout(typing, question.wrt, question.conventions.layout)
        if not layout:
            return False
        pairs, _ = _pairs(node, question, typing, layout, question.instance)
    except (ShapeError, SymW2VError):
        return False
    symbols = sorted(set().union(*(p.derived.free_symbols | p.claimed.free_symbols for p in pairs)), key=str)
    rng = random.Random(7)
    point = {s: sympy.Float(rng.uniform(-1.3, 1.3), 30) for s in symbols}
    for pair in pairs:
        difference = (pair.claimed - pair.derived).xreplace(point)
        if any(not entry.is_number or abs(complex(entry)) > 1e-12 for entry in difference):
            return False
    return True


def _hint(node: cf.Node, question: Question, show, typing_only: bool = False) -> str:
    """The first classic mistake whose correction makes the claim hold (or type-check)."""
    deadline = time.perf_counter() + HINT_SECONDS
    typed_only = ""
    for edit in edits(node):
        if time.perf_counter() > deadline:
            break
        if _numerically_close(edit.claim, question) and holds(edit.claim, question):
            return edit.says(show)
        if typing_only and not typed_only:
            try:
                _check_indices(edit.claim, question.wrt)
                infer_reading(edit.claim, question.conventions.U, question.conventions.y)
                typed_only = edit.says(show) + " (then it type-checks, but is still not the gradient)"
            except ShapeError:
                pass
    return typed_only


def check_step(
    left: str | cf.Node,
    right: str | cf.Node,
    question: Question,
    step_id: str,
    syntax: str = "auto",
    time_limit_s: float | None = None,
) -> ClaimResult:
    """One step ``left = right`` of a chain, as algebra: equal wherever both are defined."""
    started = time.perf_counter()
    base = dict(
        id=step_id,
        loss=question.loss.name,
        wrt=question.wrt,
        claim=right if isinstance(right, str) else to_text(right),
        instance=question.instance.as_dict(),
        method="",
    )

    def result(verdict: Verdict, **fields) -> ClaimResult:
        return ClaimResult(
            verdict=verdict, seconds=round(time.perf_counter() - started, 3), **{**base, **fields}
        )

    try:
        a, b = _read(left, syntax), _read(right, syntax)
    except ClaimParseError as error:
        return result(Verdict.PARSE_ERROR, message=str(error))
    base["claim_latex"] = to_latex(b)
    conventions = question.conventions
    try:
        with hard_time_limit(time_limit_s):
            a, b = _resolve(a, question), _resolve(b, question)
            _check_indices(a, question.wrt)
            _check_indices(b, question.wrt)
            typing = infer_reading(cf.Sub(a, b), conventions.U, conventions.y)
            if shape_of(a, typing.reading) != shape_of(b, typing.reading):
                raise ShapeError("the two sides have different shapes")
            pairs, conditions = [], []
            context = loss_context(question.loss, question.instance, typing.reading, question.wrt)
            instantiator = Instantiator(context)
            for target in derive(question.loss, question.wrt, question.instance, typing.reading):
                bindings = target.binding_dict()
                pairs.append(
                    Pair(target.label, instantiator.evaluate(a, bindings), instantiator.evaluate(b, bindings))
                )
                conditions += [Condition(*c, target.label) for c in instantiator.conditions]
                instantiator.conditions.clear()
            proof = _prove(pairs, conditions, time_limit(time_limit_s))
    except ShapeError as error:
        return result(Verdict.ILL_TYPED, message=f"this step does not type-check: {error}")
    except ProofTimeout as error:
        return result(Verdict.UNDECIDED, method="time limit", message=str(error))
    except SymW2VError as error:
        return result(Verdict.ILL_TYPED, message=str(error))
    fields = dict(method=proof.method, counterexample=proof.counterexample, message=proof.message)
    if proof.verdict is Verdict.PROVED:
        fields["message"] = "valid algebra: the two sides are equal"
    elif proof.verdict is Verdict.REFUTED:
        fields["message"] = "invalid step: the two sides differ"
    return result(proof.verdict, **fields)


def _reading_note(typing: Typing, conventions: Conventions) -> str:
    note = typing.reading.describe()
    declared = [name for name, value in (("U", conventions.U), ("y", conventions.y)) if value]
    if len(declared) == 2:
        return note + " (declared)"
    if typing.rejected:
        first_reading, why = typing.rejected[0]
        return note + (
            f" (inferred: the first reading that type-checks; with {first_reading.describe()}, {why})"
        )
    return note + (f" ({' and '.join(declared)} declared)" if declared else " (default)")
