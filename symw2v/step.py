"""One step ``A = B`` of a chain, checked as algebra: the two sides equal wherever both are defined.

A document's chain ``∂J/∂v_c = A = B = …`` is checked claim by claim against the derivative
(``claim.check_claim``) and step by step here, at every target of the question's variable.
"""

from __future__ import annotations

import time
from dataclasses import replace

from symw2v import closed_form as cf
from symw2v.definedness import Condition
from symw2v.derive import derive, loss_context
from symw2v.errors import ClaimParseError, ProofTimeout, ShapeError, SymW2VError
from symw2v.instantiate import Instantiator
from symw2v.limits import hard_time_limit
from symw2v.printing import to_text
from symw2v.prove import Pair, time_limit
from symw2v.question import Question, as_read, check_indices, free_letter, prove_pairs, read, resolve
from symw2v.results import ClaimResult, Verdict
from symw2v.shapes import infer_reading, shape_of


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
        instance=question.instance.as_dict(question.loss.index_sets),
        method="",
    )

    def result(verdict: Verdict, **fields) -> ClaimResult:
        return ClaimResult(
            verdict=verdict, seconds=round(time.perf_counter() - started, 3), **{**base, **fields}
        )

    try:
        a, b = read(left, syntax), read(right, syntax)
    except ClaimParseError as error:
        return result(Verdict.PARSE_ERROR, message=str(error))
    base["claim_latex"] = as_read(b, question.loss)
    try:
        with hard_time_limit(time_limit_s):
            proof = _prove_step(resolve(a, question), resolve(b, question), question, time_limit_s)
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


def _prove_step(a: cf.Node, b: cf.Node, question: Question, time_limit_s):
    """The two sides of a step, compared at every target of the question's variable."""
    conventions = question.conventions
    check_indices(a, question.wrt)
    check_indices(b, question.wrt)
    typing = infer_reading(cf.Sub(a, b), conventions.U, conventions.y)
    if shape_of(a, typing.reading) != shape_of(b, typing.reading):
        raise ShapeError("the two sides have different shapes")
    found, conditions = [], []
    instance = question.where
    context = replace(
        loss_context(question.loss, instance, typing.reading, question.wrt), region=question.region
    )
    instantiator = Instantiator(context)
    letters = {free_letter(a, question.wrt), free_letter(b, question.wrt)} - {""}
    for target in derive(question.loss, question.wrt, instance, typing.reading, question.region):
        words = [word for _, word in target.bindings]
        if words and not question.case.admits(words[0], instance):
            continue
        bindings = {letter: words[0] for letter in letters} if words else {}
        found.append(
            Pair(target.label, instantiator.evaluate(a, bindings), instantiator.evaluate(b, bindings))
        )
        conditions += [Condition(*c, target.label) for c in instantiator.conditions]
        instantiator.conditions.clear()
    return prove_pairs(found, conditions, time_limit(time_limit_s))
