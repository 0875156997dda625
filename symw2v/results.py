"""Results are values: the verdict, its evidence, and a claim's whole result.

The command line and the templates only format these.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from enum import StrEnum

_NUMBER = "x"  # the variable of the activation functions (one number, not a vector)


class Verdict(StrEnum):
    PROVED = "proved"
    REFUTED = "refuted"
    UNDECIDED = "undecided"
    ILL_TYPED = "ill-typed"
    PARSE_ERROR = "parse-error"


@dataclass(frozen=True)
class Counterexample:
    """An exact point where the two sides differ, with both values and the residual.

    Values are LaTeX of exact expressions; ``approximate`` gives the residual's entries to 15
    digits; ``certificate`` says why the residual is exactly non-zero.
    """

    target: str
    point_latex: str
    point: dict
    claimed_latex: str
    derived_latex: str
    residual_latex: str
    approximate: tuple[str, ...]
    certificate: str
    undefined: bool = False  # the claim has no value at the point (the certificate says why)


@dataclass(frozen=True)
class Proof:
    """What the prover established about ``claimed − derived``."""

    verdict: Verdict
    method: str
    counterexample: Counterexample | None = None
    message: str = ""


@dataclass(frozen=True)
class ClaimResult:
    """One claim's verdict with everything a report or a JSON reader needs."""

    id: str
    loss: str
    wrt: str
    claim: str
    verdict: Verdict
    layout: str = ""
    U: str = ""
    y: str = ""
    method: str = ""
    residual: str = ""
    residual_latex: str = ""
    counterexample: Counterexample | None = None
    hint: str = ""
    message: str = ""
    instance: dict = field(default_factory=dict)
    seconds: float | None = None
    expected: str = "proved"
    equation_latex: str = ""
    claim_latex: str = ""
    derived_latex: str = ""
    # how to write derived_latex, when nobody has needed it yet (text output never shows it):
    # a callable that gives it, filled in by ``complete``
    derived_form: Callable[[], str] | None = field(default=None, repr=False, compare=False)
    reading: str = ""
    scope: str = ""
    certificate: str = ""
    certificate_argument: str = ""
    sweep: tuple[str, ...] = ()
    sweep_by: str = ""  # how the sweep's instances were proved: "" one by one, or "certificate"
    steps: tuple[ClaimResult, ...] = ()
    case: str = ""  # the case the answer is for ("w != o", "repeated negatives"), if one

    @property
    def as_expected(self) -> bool:
        return self.verdict.value == self.expected

    @property
    def asked(self) -> str:
        """What the claim is the value of: ``∂J/∂v_c``, ``J`` for an expression of the loss, or
        ``sigmoid′(x)`` for the derivative of an activation function of the number x."""
        if self.wrt == "J":
            return "J"
        return f"{self.loss}′(x)" if self.wrt == _NUMBER else f"∂J/∂{self.wrt}"

    def complete(self) -> ClaimResult:
        """This result with every field written out (the readable derived gradient, which is
        made only when a report or JSON shows it), its steps too."""
        if self.derived_form is None and all(step.derived_form is None for step in self.steps):
            return self
        derived = self.derived_latex or (self.derived_form() if self.derived_form else "")
        steps = tuple(step.complete() for step in self.steps)
        return replace(self, derived_latex=derived, derived_form=None, steps=steps)

    def _repr_markdown_(self) -> str:  # Jupyter
        from symw2v import notebook  # rendering needs Jinja: only when a notebook asks

        return notebook.markdown(notebook.claim_report(self))

    def _repr_html_(self) -> str:  # Jupyter
        from symw2v import notebook

        return notebook.framed_html(notebook.claim_report(self))

    @classmethod
    def from_json(cls, data: dict) -> ClaimResult:
        """The result whose ``to_json`` is ``data`` (``ValueError``, ``TypeError`` or
        ``KeyError`` when it is not one)."""
        data = dict(data)
        data.pop("as_expected", None)
        data["verdict"] = Verdict(data["verdict"])
        if data.get("counterexample") is not None:
            found = dict(data["counterexample"])
            found["approximate"] = tuple(found["approximate"])
            data["counterexample"] = Counterexample(**found)
        data["sweep"] = tuple(data.get("sweep", ()))
        data["steps"] = tuple(cls.from_json(step) for step in data.get("steps", ()))
        return cls(**data)

    def to_json(self) -> dict:
        """The JSON object of this result (the fields DESIGN.md lists, and a few more)."""
        data = _without_forms(asdict(self.complete()))
        data["verdict"] = self.verdict.value
        data["as_expected"] = self.as_expected
        return data


class ReportKind(StrEnum):
    """What a report is of; its header and its first section follow from it."""

    DERIVATION = "derivation"  # a derivation file: the instructor's reference, verdicts as expected
    DOCUMENT = "document"  # a homework document: a student's answers, what to fix first
    CLAIM = "claim"  # one claim from the command line
    BATCH = "batch"  # a batch file: many claims, each with its own loss


def _without_forms(data: dict) -> dict:
    del data["derived_form"]  # None once complete: a way to write a field, not a field
    for step in data["steps"]:
        _without_forms(step)
    return data


@dataclass(frozen=True)
class Report:
    """What a report shows, as plain values: built by whoever checked the claims (a derivation
    file, a document, a batch), read by the renderers and nothing else."""

    title: str
    source: str
    loss_name: str
    loss_expression: str
    loss_description: str
    instance: dict  # the instance's JSON form
    instance_text: str  # "V = 5, d = 3, K = 3, o = 2, negatives = (1, 3, 4)"
    results: tuple[ClaimResult, ...]
    description: str = ""
    instance_note: str = ""  # said after the instance, e.g. that negatives repeat
    notes: tuple[tuple[str, str], ...] = ()  # (claim id, remark)
    skipped: tuple = ()  # objects with id, latex and reason
    kind: ReportKind = ReportKind.DERIVATION

    @property
    def as_expected(self) -> bool:
        return all(r.as_expected for r in self.results)
