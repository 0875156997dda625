"""Check one claim: parse → type → instantiate → derive → prove, into a ``ClaimResult``.

One step ``A = B`` of a chain is ``step.check_step``.  The machinery shared with the hint search
and the sweeps is in ``question.py``; the hint search is ``hints.hint``; where a proved claim
holds beyond its instance is ``sweep.scope`` and ``sweep.sweep``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from functools import lru_cache

from symw2v import closed_form as cf
from symw2v.certify import certify, in_domain
from symw2v.definedness import UNDEFINED_LATEX
from symw2v.derive import derive, zero_claim
from symw2v.describe import TEXT, gradient_form
from symw2v.errors import ClaimParseError, ProofTimeout, ShapeError, SymW2VError
from symw2v.hints import hint
from symw2v.latex import case_pieces
from symw2v.limits import hard_time_limit
from symw2v.parse import read_claim
from symw2v.pointwise import refute_at_point
from symw2v.printing import to_compact_latex, to_text
from symw2v.prove import time_limit
from symw2v.question import (
    Case,
    Conventions,
    Question,
    as_read,
    check_indices,
    fitting,
    holds,
    layout,
    pairs,
    parse_case,
    prove_pairs,
    resolve,
)
from symw2v.results import ClaimResult, Verdict
from symw2v.shapes import Typing, infer_reading
from symw2v.sweep import DEFAULT, Grid, scope, smallest_generic, sweep
from symw2v.world import OBJECTS, OUTSIDE, VARIABLES, Instance, Reading
from symw2v.world.losses import Loss

LARGE = 60  # components of U and v_c past which a certificate is tried before the instance proof
POINTWISE = 30  # components past which a claim is first tried for a refutation at one point

__all__ = ["LARGE", "Conventions", "Question", "check_claim", "holds"]


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
    case: str | Case = "",
) -> ClaimResult:
    """The verdict on ``∂J/∂wrt = claim`` for ``loss`` at ``instance``, with its evidence.

    ``time_limit_s`` bounds the whole check; past it the verdict is ``undecided``.  A proved
    claim is also given an all-sizes certificate where one can be given, and checked at every
    instance of ``grid`` (a failure there refutes it, at the smallest failing instance).
    ``case``: the answer is for one case only (``w != o``, ``w = o``, "repeated negatives"),
    and is checked where that case holds.
    """
    pieces = case_pieces(claim) if isinstance(claim, str) and syntax != "text" else None
    if pieces is not None:
        arguments = (
            loss,
            wrt,
            instance,
            conventions,
            claim_id,
            expected,
            equation_latex,
            time_limit_s,
            syntax,
        )
        return _by_cases(claim, pieces, arguments, with_hints, grid)
    case = case if isinstance(case, Case) else parse_case(case)
    try:
        node, stated = read_claim(claim, syntax) if isinstance(claim, str) else (claim, "")
    except ClaimParseError as error:
        node, stated, unread = None, "", error
    case = case if case.relation or not stated else parse_case(stated)
    node = zero_claim(node, wrt)  # 0: the zero vector (or matrix) of the variable's shape
    said = str(case)
    if node is not None and case.relation == "=":
        # the answer for w = o is one about u_o: the claim's free index is o
        letter = sorted(cf.free_indices(node))
        node = cf.substitute(node, letter[0], OUTSIDE) if len(letter) == 1 else node
        wrt, case = _at_outside(wrt), Case()
    question = Question(loss, wrt, instance, conventions, case)
    started = time.perf_counter()
    base = dict(
        id=claim_id,
        loss=loss.name,
        wrt=wrt,
        claim=claim if isinstance(claim, str) else to_text(claim),
        expected=expected,
        equation_latex=equation_latex,
        instance=question.where.as_dict(loss.index_sets),
        case=said,
    )

    def result(verdict: Verdict, **fields) -> ClaimResult:
        seconds = round(time.perf_counter() - started, 3)
        return ClaimResult(verdict=verdict, seconds=seconds, **{**base, **fields})

    if node is None:
        return result(Verdict.PARSE_ERROR, message=str(unread))
    base["claim_latex"] = as_read(node, loss)
    show = to_compact_latex if isinstance(claim, str) and "\\" in claim else to_text
    try:
        with hard_time_limit(time_limit_s):
            checked = _check_parsed(node, question, base, result, show, time_limit_s, with_hints, grid)
            inferred = _case_it_holds_in(node, question) if checked.verdict is Verdict.REFUTED else None
        if inferred is None:
            return checked
        again = check_claim(
            node, loss, wrt, instance, conventions, claim_id, expected, equation_latex, time_limit_s,
            syntax, with_hints, grid, inferred,
        )  # fmt: skip
        said = (
            f"it holds for {inferred}: no case was given, and it does not hold in the other, so this is "
            "the case it is for (give --case 'every w' to check it for every w)"
        )
        return replace(
            again, claim=base["claim"], message=f"{said}; {again.message}" if again.message else said
        )
    except ProofTimeout as error:
        return result(Verdict.UNDECIDED, method="time limit", message=str(error))
    except RecursionError:  # SymPy's polynomial code recurses per variable: huge instances hit the limit
        return result(
            Verdict.UNDECIDED,
            method="size limit",
            message=f"the exact procedure cannot handle {instance.describe(loss.index_sets)}: "
            "the expressions are too large; "
            "try a smaller instance",
        )


_WORST = (Verdict.PARSE_ERROR, Verdict.ILL_TYPED, Verdict.REFUTED, Verdict.UNDECIDED, Verdict.PROVED)


def _by_cases(
    claim: str, pieces: list[tuple[str, str]], arguments: tuple, with_hints: bool, grid
) -> ClaimResult:
    """An answer by cases: each piece checked for its case; the verdict is the worst of theirs
    (a parse error, ill-typed, refuted, undecided, then proved), with that piece's evidence, and
    every piece's result among the steps."""
    loss, wrt, instance, conventions, claim_id, *rest = arguments
    results = []
    for number, (expression, condition) in enumerate(pieces, start=1):
        try:
            results.append(
                check_claim(
                    expression,
                    loss,
                    wrt,
                    instance,
                    conventions,
                    f"{claim_id}.{number}",
                    *rest,
                    with_hints=with_hints,
                    grid=grid,
                    case=condition,
                )  # fmt: skip
            )
        except SymW2VError as error:  # a case that does not apply to this variable
            results.append(
                ClaimResult(
                    f"{claim_id}.{number}", loss.name, wrt, expression, Verdict.ILL_TYPED, message=str(error)
                )
            )
    worst = min(results, key=lambda r: _WORST.index(r.verdict))
    cases = "; ".join(
        f"{r.case or condition}: {r.verdict.value}" for r, (_, condition) in zip(results, pieces, strict=True)
    )
    scopes = dict.fromkeys(r.scope for r in results if r.scope)  # each case's, once
    return replace(
        worst,
        id=claim_id,
        claim=claim,
        case="cases",
        scope="; ".join(scopes) if worst.verdict is Verdict.PROVED else worst.scope,
        steps=tuple(results),
        message=f"by cases: {cases}" + (f"; {worst.message}" if worst.message else ""),
    )


def _at_outside(wrt: str) -> str:
    """The variable that is ``wrt`` at the outside word: u_o for u_w and u_k."""
    variable = VARIABLES[wrt]
    if not variable.free:
        return wrt
    return next(v.name for v in VARIABLES.values() if v.object == variable.object and v.index == OUTSIDE)


def _case_it_holds_in(node: cf.Node, question: Question) -> Case | None:
    """For a refuted claim about every word's vector (∂J/∂u_w, no case given), the one case it
    holds in, if it holds in one: the answer for w ≠ o given alone, or the one for w = o."""
    free = VARIABLES[question.wrt].free
    if question.case.relation or not free or question.loss.index_set(free).sampled:
        return None
    if any(isinstance(n, cf.Name) and OBJECTS[n.name].value == "indicator" for n in cf.walk(node)):
        return None  # a claim with the one-hot y answers every case itself, rightly or not
    for relation in ("!=", "="):
        if holds(node, replace(question, case=Case(relation))):
            return Case(relation)
    return None


def _kind(question: Question, reading: Reading) -> str:
    """How ``describe`` shows a gradient of the variable: a vector, U in its reading, or a matrix."""
    obj = OBJECTS.get(VARIABLES[question.wrt].object)
    if obj is None or obj.role == "vector":
        return "vector"
    if obj.role == "scalar":
        return "scalar"
    return f"U-{reading.U}" if obj.role == "matrix" else "matrix"


def _check_parsed(
    node, question: Question, base: dict, result, show, time_limit_s, with_hints, grid
) -> ClaimResult:
    instance, conventions, loss = question.instance, question.conventions, question.loss
    try:
        node = resolve(node, question)
    except ShapeError as error:
        return result(Verdict.ILL_TYPED, message=str(error))
    try:
        check_indices(node, question.wrt)
        typing = infer_reading(node, conventions.U, conventions.y, fitting(question))
    except ShapeError as error:
        said = hint(node, question, show, typing_only=True) if with_hints else ""
        return result(Verdict.ILL_TYPED, message=str(error), hint=said)

    reading = typing.reading
    base.update(U=reading.U, y=reading.y, reading=_reading_note(node, question, typing))
    kind = _kind(question, reading)
    sets = loss.index_sets
    used, message = layout(typing, question.wrt, conventions.layout)
    if not used:
        said = hint(node, question, show) if with_hints else ""
        return result(Verdict.REFUTED, method="shape", message=message, hint=said)
    if len(instance.symbols()) > LARGE:
        # past a few dozen components the instance proof grows fast; an all-sizes certificate,
        # when there is one, proves this instance too, exactly.  It never proves alone: the claim
        # must also be proved at a small instance with every size at least 2, by the instance
        # procedure, which shares no code with the certificate's formal algebra
        certificate = certify(node, loss, question.wrt, reading, question.case.relation)
        small = smallest_generic(grid or DEFAULT, sets)
        if certificate.holds and in_domain(instance, loss, question.wrt) and holds(node, question, small):
            return result(
                Verdict.PROVED,
                layout=used,
                method="exact: all-sizes certificate (the instance is one of its sizes), "
                f"and the instance procedure at {small.describe(sets)}",
                certificate=certificate.statement,
                certificate_argument=certificate.argument,
                scope=f"proved at {instance.describe(sets)}, and at every size: {certificate.statement}",
            )
    if len(instance.symbols()) > POINTWISE:
        counterexample = refute_at_point(node, question, reading, used, time_limit(time_limit_s))
        if counterexample is not None:
            small = question.at(smallest_generic(grid or DEFAULT, sets))
            return result(
                Verdict.REFUTED,
                layout=used,
                method="exact counterexample at one point (the gradient derived there, one vector at a "
                "time: the instance is too large to form the residual symbolically)",
                counterexample=counterexample,
                hint=hint(node, small, show) if with_hints else "",
            )
    # derived now (cached for the proof): a question with no gradient (a kink) is refused here
    derive(loss, question.wrt, question.where, reading, question.region)
    base["derived_form"] = DerivedForm(loss, question.wrt, question.where, reading, kind, question.region)

    try:
        found, conditions = pairs(node, question, typing, used, instance)
        proof = prove_pairs(found, conditions, time_limit(time_limit_s))
    except SymW2VError as error:
        if isinstance(error, ProofTimeout):
            raise
        return result(Verdict.ILL_TYPED, layout=used, message=str(error))

    fields = dict(
        layout=used if loss.of_vectors else "",  # a number has no layout
        method=proof.method,
        message=proof.message,
        counterexample=proof.counterexample,
    )
    if proof.verdict is Verdict.REFUTED and proof.counterexample.undefined:
        fields.update(residual="undefined", residual_latex=UNDEFINED_LATEX)
    elif proof.verdict is Verdict.REFUTED:
        failing = next(p for p in found if p.label == proof.counterexample.target)
        residual = failing.claimed - failing.derived
        latex = gradient_form(residual, instance, loss.sampled, kind)
        text = gradient_form(residual, instance, loss.sampled, kind, TEXT)
        if used == "numerator" and kind == "vector":
            latex, text = rf"\left({latex}\right)^{{\top}}", f"({text})ᵀ"
        fields.update(residual=text, residual_latex=latex)
        if with_hints:
            fields["hint"] = hint(node, question, show)
    if proof.verdict is Verdict.PROVED and not loss.of_vectors:
        # a function of one number x: proved in x itself, with no sizes to certify or sweep
        where = str(question.case) if question.case.relation else "x"
        fields["scope"] = f"proved for every real {where}, exactly"
    elif proof.verdict is Verdict.PROVED:
        repeated = question.case.relation == "repeated"  # scope and sweeps vary the instance
        fields["scope"] = f"proved at {question.where.describe(sets)}" if repeated else scope(node, question)
        certificate = certify(node, loss, question.wrt, reading, question.case.relation)
        fields.update(certificate=certificate.statement or certificate.argument)
        if certificate.holds:
            fields["certificate_argument"] = certificate.argument
        if grid is not None and not repeated:
            certified = lambda i: certificate.holds and in_domain(i, loss, question.wrt)  # noqa: E731
            covered, failing = sweep(node, question, grid, certified)
            fields["sweep"] = tuple(i.describe(sets) for i in covered)
            fields["sweep_by"] = "certificate" if certificate.holds and all(map(certified, covered)) else ""
            if failing is not None:
                return _failing_instance(node, question, failing, certificate, base, result, show)
    return result(proof.verdict, **fields)


def _failing_instance(
    node, question: Question, failing: Instance, certificate, base, result, show
) -> ClaimResult:
    """A claim proved at the main instance that fails at another is refuted there, with its evidence."""
    sets = question.loss.index_sets
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
        case=question.case,
    )
    message = (
        f"proved at {question.instance.describe(sets)}, but it fails at {failing.describe(sets)}, "
        "the smallest failing instance of the sweep"
    )
    fields = {
        k: getattr(there, k) for k in ("layout", "method", "residual", "residual_latex", "counterexample")
    }
    return result(
        Verdict.REFUTED if there.verdict is Verdict.REFUTED else Verdict.UNDECIDED,
        message=message,
        certificate=certificate.argument,
        hint=hint(node, question, show),
        **fields,
    )


@dataclass(frozen=True)
class DerivedForm:
    """The readable derived gradient of a question, written when a report or JSON shows it."""

    loss: Loss
    wrt: str
    instance: Instance
    reading: Reading
    kind: str
    region: tuple = ()

    def __call__(self) -> str:
        return _derived_form(self.loss, self.wrt, self.instance, self.reading, self.kind, self.region)


@lru_cache(maxsize=64)
def _derived_form(
    loss: Loss, wrt: str, instance: Instance, reading: Reading, kind: str, region: tuple = ()
) -> str:
    """The derived gradient, readable; the same for every claim about one question."""
    gradient = derive(loss, wrt, instance, reading, region)[0].gradient
    return gradient_form(gradient, instance, loss.sampled, kind)


def _reading_note(node: cf.Node, question: Question, typing: Typing) -> str:
    """How U and y were read, when the claim or the variable involves them."""
    reading_fields = {OBJECTS[n.name].transposed_by for n in cf.walk(node) if isinstance(n, cf.Name)}
    variable = OBJECTS.get(VARIABLES[question.wrt].object)
    if variable is not None:
        reading_fields.add(variable.transposed_by)
    if not reading_fields - {""}:
        return ""
    conventions = question.conventions
    note = typing.reading.describe()
    declared = [name for name, value in (("U", conventions.U), ("y", conventions.y)) if value]
    if len(declared) == 2:
        return note + " (declared)"
    if typing.rejected:
        first_reading, why = typing.rejected[0]
        return (
            note + f" (inferred: the first reading that type-checks; with {first_reading.describe()}, {why})"
        )
    return note + (f" ({' and '.join(declared)} declared)" if declared else " (default)")
