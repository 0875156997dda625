"""Check a whole homework document: every displayed ``∂J/∂x = …``, step by step.

A document is Markdown, LaTeX, or a notebook's Markdown cells (``reader/source.py``).  Its
displays are read row by row (``displays.py``) and put together into equations
(``reader/equations.py``): ``∂J/∂x`` in any of the ways students write it, chains continued on
the rows and displays after it, answers by cases.  Each equation's loss is the one the document
is about there (``reader/losses.py``): ``--loss``; else the loss J's subscript names; else the
last definition or name of a loss before it (a definition that is a built-in loss written
differently is that loss, and one that differs from the loss it names is reported); else what
the claim uses.  The conventions are a course profile's, overridden by what the document
declares (``reader/conventions.py``).

The derivative of σ, ReLU or the leaky ReLU by x (``reader/activations.py``) and an identity
about the loss itself (``reader/identity.py``) say their own loss and variable (x, J).

In a chain, a step with ∂ in it (a chain rule) is skipped with its reason; the first step
without one is checked against the derived gradient, each later one as algebra against the one
before, so the output says where an error entered.  What cannot be checked is listed as
skipped, with the reason.  Each chain is checked in a worker process with a time and a memory
limit (``isolate.py``); one that runs out is ``undecided``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from symw2v.claim import Conventions, Question, check_claim
from symw2v.displays import Scan, scan
from symw2v.document_chains import Chain, equation_chains, resolve_definitions
from symw2v.errors import ProofTimeout, SymW2VError
from symw2v.files import read_limited
from symw2v.isolate import DEFAULT_MEMORY_LIMIT, Failure, Limits, run_isolated
from symw2v.limits import hard_time_limit
from symw2v.question import parse_case
from symw2v.reader import equations as reading_equations
from symw2v.reader.conventions import declared
from symw2v.reader.found import Definition, Equation, Signal, Skipped
from symw2v.reader.rows import by_cases
from symw2v.reader.source import SUFFIXES, Source, source
from symw2v.results import ClaimResult, Verdict
from symw2v.step import check_step
from symw2v.world.instance import Instance
from symw2v.world.losses import Loss
from symw2v.world.profile import Profile

__all__ = [
    "MAX_DOCUMENT",
    "DocumentResult",
    "Plan",
    "Skipped",
    "check_document",
    "check_plan",
    "plan",
    "plans",
    "read_document",
]

MAX_DOCUMENT = 200_000
MAX_EQUATIONS = 200
READ_SECONDS = 10.0  # reading happens in the parent, outside the workers' limits


@dataclass(frozen=True)
class DocumentResult:
    """Every checked equation of a document, every skipped one with its reason, and notes.

    ``lines`` and ``sources`` go with ``claims``: each claim's line in the document and how its
    loss was found."""

    claims: tuple[ClaimResult, ...]
    skipped: tuple[Skipped, ...]
    notes: tuple[str, ...]
    lines: tuple[int, ...] = ()
    sources: tuple[str, ...] = ()

    def _repr_markdown_(self) -> str:  # Jupyter
        from symw2v import notebook  # rendering needs Jinja: only when a notebook asks

        return notebook.markdown(notebook.document_report(self))

    def _repr_html_(self) -> str:  # Jupyter
        from symw2v import notebook

        return notebook.framed_html(notebook.document_report(self))

    def to_json(self) -> dict:
        """The document's JSON: ``claims`` (each with its ``line`` and ``loss_source``),
        ``skipped`` (``id``, ``equation``, ``reason``, ``line``) and ``notes``."""
        claims = []
        for index, claim in enumerate(self.claims):
            data = claim.to_json()
            data["line"] = self.lines[index] if index < len(self.lines) else None
            data["loss_source"] = self.sources[index] if index < len(self.sources) else ""
            claims.append(data)
        skipped = [
            {"id": s.id, "equation": s.latex, "reason": s.reason, "line": s.line} for s in self.skipped
        ]
        return {"claims": claims, "skipped": skipped, "notes": list(self.notes)}


def check_document(
    text: str | Source,
    instance: Instance | None = None,
    time_limit_s: float | None = 60.0,
    progress=None,
    memory_limit: int | None = DEFAULT_MEMORY_LIMIT,
    profile: Profile | None = None,
    loss: Loss | None = None,
    details: bool = True,
) -> DocumentResult:
    """Check every ``∂J/∂x = …`` of a document against the loss it is about.

    ``text``: the document (Markdown when a plain string), or ``read_document``'s ``Source``.
    ``profile``: a course's conventions, overridden by those the document declares.  ``loss``:
    check every equation against this loss.  ``time_limit_s`` bounds each check (a chain of n
    steps makes n + 1); ``memory_limit`` is the bytes of address space the worker may add.  A
    chain past either is ``undecided``.  ``details``: write out every field in the workers,
    under their limits (the readable derived gradients, which JSON and reports show and text
    output does not).
    """
    limits = Limits(seconds=time_limit_s, memory=memory_limit)
    found = plan(text, profile, loss, limits)
    return check_plan(found, instance, time_limit_s, progress, memory_limit, details)


def check_plan(
    found: Plan,
    instance: Instance | None = None,
    time_limit_s: float | None = 60.0,
    progress=None,
    memory_limit: int | None = DEFAULT_MEMORY_LIMIT,
    details: bool = True,
) -> DocumentResult:
    """Check the chains of a plan (all of them, or those a caller kept), as ``check_document``
    does; each chain against its own loss and for its own case."""
    limits = Limits(seconds=time_limit_s, memory=memory_limit)
    results = []
    check = partial(
        _check_chain,
        instance=instance or Instance(),
        conventions=found.conventions,
        time_limit_s=time_limit_s,
        details=details,
    )
    budget = partial(_budget, time_limit_s=time_limit_s)
    for result in run_isolated(check, found.chains, _failed, limits=limits, budget=budget):
        results.append(result)
        if progress is not None:
            progress(result)
    return DocumentResult(
        tuple(results),
        tuple(found.skipped),
        tuple(found.notes),
        tuple(c.line for c in found.chains),
        tuple(c.loss_source for c in found.chains),
    )


@dataclass(frozen=True)
class Plan:
    """What checking a document will check: each equation as a chain (its variable, loss, case
    and steps), what is skipped and why, the conventions, and notes on all of these."""

    chains: tuple[Chain, ...]
    skipped: tuple[Skipped, ...]
    notes: tuple[str, ...]
    conventions: Conventions


def plan(
    text: str | Source, profile: Profile | None = None, loss: Loss | None = None, limits: Limits | None = None
) -> Plan:
    """Read a document and decide what to check, without checking it.  Only the comparisons of
    the document's definitions of J with the built-in losses are made (in workers, under
    ``limits``)."""
    return plans(text, profile, (loss,), limits)[0]


def plans(
    text: str | Source,
    profile: Profile | None = None,
    losses: tuple[Loss | None, ...] = (None,),
    limits: Limits | None = None,
) -> tuple[Plan, ...]:
    """One reading of a document, planned once for each of ``losses``: None plans each
    equation with the loss the document gives it, a loss forces it on every equation (an
    autograder grades against the course's loss, whatever J the student wrote).  The document
    is read, and its definitions of J compared with the built-in losses, only once."""
    raw = text.text if isinstance(text, Source) else text
    if not isinstance(text, Source) and len(raw) > MAX_DOCUMENT:
        raise SymW2VError(f"the document is {len(raw)} characters long; the limit is {MAX_DOCUMENT}")
    found = text if isinstance(text, Source) else source(text)
    read = _read(found)
    conventions, notes = _conventions(found, read.scan, profile)
    resolved = resolve_definitions(read.definitions, limits or Limits())
    planned = []
    for loss in losses:
        chains, skipped, loss_notes = equation_chains(read, resolved, loss, profile)
        planned.append(Plan(tuple(chains), tuple(skipped), tuple(notes + loss_notes), conventions))
    return tuple(planned)


# -- reading ------------------------------------------------------------------------------------


@dataclass
class _Read:
    """What reading found: the equations, definitions, signals of the loss, and skipped rows."""

    scan: Scan
    equations: list[Equation]
    definitions: list[Definition]
    signals: list[Signal]
    skipped: list[Skipped]


def _read(found: Source) -> _Read:
    """Read a document within ``READ_SECONDS``.

    The scanner is linear, so this is a backstop; the deadline is also checked between rows,
    since the parser may swallow the alarm's exception as an unreadable claim.
    """
    deadline = time.process_time() + READ_SECONDS
    try:
        with hard_time_limit(READ_SECONDS):
            displayed = scan(found.text)
            reading, signals = reading_equations.read(found.text, displayed, partial(_in_time, deadline))
            count = len(reading.equations) + len(reading.skipped)
            if count > MAX_EQUATIONS:
                raise SymW2VError(
                    f"the document has {count} displayed equations; the limit is {MAX_EQUATIONS}"
                )
            _in_time(deadline)
            return _Read(displayed, reading.equations, reading.definitions, signals, reading.skipped)
    except ProofTimeout:
        raise SymW2VError(
            f"reading the document took longer than its limit of {READ_SECONDS:g} s "
            "(a homework document takes well under a second)"
        ) from None


def _in_time(deadline: float) -> None:
    if time.process_time() > deadline:
        raise ProofTimeout("reading the document ran past its time limit")


def _conventions(found: Source, displayed: Scan, profile: Profile | None) -> tuple[Conventions, list[str]]:
    """The conventions the document is read under, and notes saying where each came from."""
    prose = _prose(found.text, displayed)
    said = declared(found.text, prose, found.where)
    notes = [f"the document declares {d}" for d in said.where] + list(said.conflicts)
    U = said.U or (profile.U if profile else None)
    y = said.y or (profile.y if profile else None)
    layout = profile.layout if profile else "auto"
    if profile is not None:
        notes.insert(0, f"profile {profile.name}: {profile.description}")
        overridden = [
            f"{name} as {value} (the profile says {getattr(profile, name)})"
            for name, value in (("U", said.U), ("y", said.y))
            if value and value != getattr(profile, name)
        ]
        if overridden:
            notes.append("the document's own conventions override the profile's: " + "; ".join(overridden))
    elif not (said.U and said.y):
        notes.append(
            "no profile and no complete declaration of U's and y's shapes: the reading of each "
            "claim is inferred (the one that type-checks) and said with its verdict"
        )
    return Conventions(U=U, y=y, layout=layout), notes


def _prose(text: str, displayed: Scan) -> str:
    """``text`` with every display blanked to its line breaks (so that lines keep their numbers)."""
    pieces, position = [], 0
    for block in displayed.blocks:
        pieces += [text[position : block.start], "\n" * text.count("\n", block.start, block.end)]
        position = block.end
    pieces.append(text[position:])
    return "".join(pieces)


# -- checking -----------------------------------------------------------------------------------


def _budget(chain: Chain, time_limit_s: float | None) -> float | None:
    """The seconds a chain's checks may take in all: one per step, and the final claim."""
    if time_limit_s is None:
        return None
    checks = sum(2 if by_cases(s.latex) else 1 for s in chain.steps if not s.skip)
    return time_limit_s * (checks + 1 if checks > 1 else 1)


def _failed(chain: Chain, failure: Failure) -> ClaimResult:
    """The result of a chain whose worker ran out of time or memory, or died."""
    expressions = chain.expressions
    return ClaimResult(
        chain.id,
        chain.loss.name,
        chain.wrt,
        expressions[-1] if expressions else "",
        Verdict.UNDECIDED,
        method=failure.reason,
        message=failure.message,
        seconds=failure.seconds,
        equation_latex=" ".join(chain.latex),
        case=chain.case,
    )


def _check_chain(
    chain: Chain, instance: Instance, conventions: Conventions, time_limit_s, details: bool = True
) -> ClaimResult:
    """A chain's result: its last step against the derived gradient, with every step's result.

    The first step without ∂ is checked against the derived gradient, each later one as algebra
    against the one before; after an answer by cases or a step that does not read, the next is
    checked against the gradient again."""
    check = partial(
        _against_gradient, chain=chain, instance=instance, conventions=conventions, time_limit_s=time_limit_s
    )
    question = Question(chain.loss, chain.wrt, instance, conventions, parse_case(chain.case))
    results, anchor, against = [], None, False
    numbered = [(n, s) for n, s in enumerate(chain.steps, start=1) if not s.skip]
    for number, step in numbered:
        ident, text = f"{chain.id}.{number}", step.read or step.latex
        against = anchor is None or len(numbered) == 1 or by_cases(text)
        if against:
            result = check(text, ident)
        else:
            result = check_step(anchor, text, question, ident, "latex", time_limit_s)
        readable = result.verdict is not Verdict.PARSE_ERROR and not by_cases(text)
        anchor = text if readable else None
        results.append(replace(result, claim=step.latex))
    last = numbered[-1][1]
    # a last step already checked against the gradient is the chain's result as it stands
    final = results[-1] if against else check(last.read or last.latex, chain.id)
    final = replace(final, id=chain.id, claim=last.latex, equation_latex=" ".join(chain.latex))
    notes = [final.message] if final.message else []
    if len(results) > 1:
        where = next((r for r in results if r.verdict is not Verdict.PROVED), None)
        if where is not None:
            notes.append(f"the error enters at step {where.id.rsplit('.', 1)[1]}")
    skipped = [str(n) for n, s in enumerate(chain.steps, start=1) if s.skip]
    if skipped:
        notes.append(f"step{'s' if len(skipped) > 1 else ''} {', '.join(skipped)} (with ∂) not checked")
    notes += chain.read_as
    steps = tuple(results) if len(results) > 1 else final.steps
    final = replace(final, steps=steps, message="; ".join(notes))
    return final.complete() if details else final


def _against_gradient(
    latex: str, ident: str, chain: Chain, instance: Instance, conventions: Conventions, time_limit_s
) -> ClaimResult:
    """``latex`` checked against the derived gradient, for the chain's case (an answer by cases
    says its own)."""
    return check_claim(
        latex,
        chain.loss,
        chain.wrt,
        instance,
        conventions,
        claim_id=ident,
        time_limit_s=time_limit_s,
        syntax="latex",
        case="" if by_cases(latex) else chain.case,
    )


def read_document(path: str | Path) -> Source:
    """The text of a document file as the reader sees it, with a clear error when it cannot be read.

    Only a regular file of at most ``4 * MAX_DOCUMENT`` bytes is read (UTF-8 takes up to four
    bytes a character); ``check_document`` then holds it to ``MAX_DOCUMENT`` characters.
    """
    path = Path(path)
    if path.suffix.lower() not in SUFFIXES:
        raise SymW2VError(f"{path}: a document is a {', '.join(SUFFIXES)} file")
    data = read_limited(path, MAX_DOCUMENT * 4, "document")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SymW2VError(f"{path}: not UTF-8 text (byte {error.start})") from None
    if len(text) > MAX_DOCUMENT:
        raise SymW2VError(f"{path}: the document is {len(text)} characters long; the limit is {MAX_DOCUMENT}")
    return source(text, path.suffix)
