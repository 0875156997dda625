"""Check one claim: parse → type → instantiate → derive → prove, into a ``ClaimResult``."""

from __future__ import annotations

import time
from dataclasses import dataclass

from symw2v import closed_form as cf
from symw2v.derive import WRT, derive, loss_context, variable_shape
from symw2v.describe import TEXT, gradient_form
from symw2v.errors import ClaimParseError, ProofTimeout, ShapeError, SymW2VError
from symw2v.instance import Instance
from symw2v.instantiate import Instantiator, resolve_sums
from symw2v.losses import Loss
from symw2v.parse import parse_claim
from symw2v.printing import to_latex, to_text
from symw2v.prove import Pair, decide, time_limit
from symw2v.results import ClaimResult, Verdict
from symw2v.shapes import Typing, infer_reading, show

LAYOUTS = ("auto", "numerator", "denominator")


@dataclass(frozen=True)
class Conventions:
    """What the user declared; ``None`` means "infer it and report what was used"."""

    U: str | None = None
    y: str | None = None
    layout: str = "auto"

    def __post_init__(self) -> None:
        if self.U not in (None, "rows", "columns"):
            raise SymW2VError(f"U must be 'rows' or 'columns', not {self.U!r}")
        if self.y not in (None, "row", "column"):
            raise SymW2VError(f"y must be 'row' or 'column', not {self.y!r}")
        if self.layout not in LAYOUTS:
            raise SymW2VError(f"layout must be one of {', '.join(LAYOUTS)}, not {self.layout!r}")


def _allowed_free(wrt: str) -> set[str]:
    return {"u_k": {"k"}, "u_w": {"w"}}.get(wrt, set())


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
) -> ClaimResult:
    """The verdict on ``∂J/∂wrt = claim`` for ``loss`` at ``instance``, with its evidence."""
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
        return ClaimResult(verdict=verdict, seconds=seconds, **base, **fields)

    if wrt not in WRT:
        raise SymW2VError(f"--wrt must be one of {', '.join(WRT)}, not {wrt!r}")
    try:
        node = parse_claim(claim) if isinstance(claim, str) else claim
    except ClaimParseError as error:
        return result(Verdict.PARSE_ERROR, message=str(error))
    node = resolve_sums(node, loss.k_over)
    base["claim_latex"] = to_latex(node)

    stray = sorted(cf.free_indices(node) - _allowed_free(wrt))
    if stray:
        return result(
            Verdict.ILL_TYPED,
            message=f"the index {', '.join(stray)} is free: bind it with a sum (sum_{stray[0]} …) "
            f"or use it only in a claim about ∂J/∂u_{stray[0]}",
        )
    try:
        typing = infer_reading(node, conventions.U, conventions.y)
    except ShapeError as error:
        return result(Verdict.ILL_TYPED, message=str(error))

    reading = typing.reading
    names = {n.name for n in cf.walk(node) if isinstance(n, cf.Name)}
    uses_reading = wrt == "U" or bool(names & {"U", "y", "yhat"})
    base.update(U=reading.U, y=reading.y, reading=_reading_note(typing, conventions) if uses_reading else "")
    layout, message = _layout(typing, wrt, conventions.layout)
    targets = derive(loss, wrt, instance, reading)
    kind = {"U": f"U-{reading.U}", "z": "matrix"}.get(wrt, "vector")
    group = loss.k_over == "K"
    base["derived_latex"] = gradient_form(targets[0].gradient, instance, group, kind)
    if not layout:
        return result(Verdict.REFUTED, method="shape", message=message)

    instantiator = Instantiator(loss_context(loss, instance, reading, wrt))
    try:
        pairs = []
        for target in targets:
            claimed = instantiator.evaluate(node, target.binding_dict())
            if layout == "numerator":
                claimed = claimed.T
            pairs.append(Pair(target.label, claimed, target.gradient))
        proof = decide(pairs, time_limit(time_limit_s))
    except ProofTimeout as error:
        return result(Verdict.UNDECIDED, layout=layout, method="time limit", message=str(error))
    except SymW2VError as error:
        return result(Verdict.ILL_TYPED, layout=layout, message=str(error))

    residual_latex, residual_text = "", ""
    if proof.verdict is Verdict.REFUTED:
        failing = next(p for p in pairs if p.label == proof.counterexample.target)
        residual = failing.claimed - failing.derived
        residual_latex = gradient_form(residual, instance, group, kind)
        residual_text = gradient_form(residual, instance, group, kind, TEXT)
        if layout == "numerator" and kind == "vector":
            residual_latex = rf"\left({residual_latex}\right)^{{\top}}"
            residual_text = f"({residual_text})ᵀ"
    return result(
        proof.verdict,
        layout=layout,
        method=proof.method,
        residual=residual_text,
        residual_latex=residual_latex,
        counterexample=proof.counterexample,
        message=proof.message,
    )


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
