"""Check a whole homework document: every displayed ``∂J/∂x = …``, step by step.

A document is Markdown or LaTeX.  Its displayed equations (``$$…$$``, ``\\[…\\]``, ``equation``,
``align``) are read in order; an equation's number (``\\tag{13}`` inside it, or ``(13)`` right
after it) is its id.  The loss is the document's own: the most recent ``J = …`` before the
equation.  A display that starts with ``=`` continues the chain of the one before it.  What
cannot be checked is listed as skipped, with the reason.  Each chain is checked in a worker
process with a time and a memory limit (``isolate.py``); one that runs out is ``undecided``.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from symw2v import closed_form as cf
from symw2v.check import Conventions, Question, check_claim, check_step
from symw2v.displays import Scan, displays, scan, skip_space
from symw2v.errors import ProofTimeout, SymW2VError
from symw2v.files import read_limited
from symw2v.isolate import DEFAULT_MEMORY_LIMIT, Failure, Limits, run_isolated
from symw2v.latex import blank
from symw2v.limits import hard_time_limit
from symw2v.parse import parse_claim
from symw2v.printing import to_text
from symw2v.results import ClaimResult, Verdict
from symw2v.world import VOCABULARY, WRT
from symw2v.world.instance import Instance
from symw2v.world.losses import DEFAULT_LETTERS, Loss

MAX_DOCUMENT = 200_000
MAX_EQUATIONS = 200
READ_SECONDS = 10.0  # reading happens in the parent, outside the workers' limits

_CONDITION_START = re.compile(r"\\(?:text|mbox|mathrm)")
_BRACE = re.compile(r"[{}]")
_FRACTIONS = ("\\frac", "\\dfrac", "\\tfrac")
_OF_J = "{\\partialJ}{\\partial"
_SLASHED = "\\partialJ/\\partial"
_WRT_NAMES = {name: name for name in WRT}
# linear: each start is a 1, and the spaces after one 1 are not after another
_ROWS_DECLARED = re.compile(r"1\s*(?:\\times|×|x)\s*V")


@dataclass(frozen=True)
class Skipped:
    id: str
    latex: str
    reason: str


@dataclass
class _Chain:
    id: str
    wrt: str
    loss: Loss
    expressions: list[str]
    latex: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DocumentResult:
    """Every checked equation of a document, and every skipped one with its reason."""

    claims: tuple[ClaimResult, ...]
    skipped: tuple[Skipped, ...]
    notes: tuple[str, ...]


def _split_equals(latex: str) -> list[str]:
    """The sides of a chain ``A = B = C``, split at ``=`` outside every bracket."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(latex):
        if char in "({[":
            depth += 1
        elif char in ")}]":
            depth -= 1
        elif char == "=" and depth == 0:
            parts.append(latex[start:i])
            start = i + 1
    parts.append(latex[start:])
    return [p.strip() for p in parts]


def _variable(latex: str) -> str | None:
    """The x of ``∂J/∂x`` written on the left of an equation, as a --wrt name, or None."""
    written = _derivative_of_J(re.sub(r"\s+", "", blank(latex)))
    if written is None:
        return None
    return _WRT_NAMES.get(written.replace("{", "").replace("}", ""))


def _derivative_of_J(latex: str) -> str | None:
    """The x, as written, of ``\\frac{\\partialJ}{\\partial x}`` or ``\\partialJ/\\partial x``
    (spaces removed); a braced x has at most one brace pair in it, not nested."""
    if latex.startswith(_SLASHED):
        return latex[len(_SLASHED) :] or None
    fraction = next((f for f in _FRACTIONS if latex.startswith(f + _OF_J)), None)
    if fraction is None or not latex.endswith("}"):
        return None
    written = latex[len(fraction + _OF_J) : -1]
    opening, closing = written.find("{"), written.find("}")
    if written.count("{") != written.count("}") or written.count("{") > 1 or closing < opening:
        return None
    return written


def _without_condition(latex: str) -> str:
    """``latex`` cut before its side condition: the first ``\\text{…}`` (or ``\\mbox``,
    ``\\mathrm``), with the spaces and the one ``\\quad``, ``\\qquad`` or comma before it."""
    searched = 0
    while (match := _CONDITION_START.search(latex, searched)) is not None:
        brace = skip_space(latex, match.end())
        if latex.startswith("{", brace) and _closes(latex, brace + 1):
            cut = len(latex[: match.start()].rstrip())
            for before in ("\\qquad", "\\quad", ","):
                if latex.endswith(before, 0, cut):
                    return latex[: cut - len(before)]
            return latex[:cut]
        searched = match.start() + 1
    return latex


def _closes(text: str, position: int) -> bool:
    """Whether the first brace at or after ``position`` is a closing one."""
    brace = _BRACE.search(text, position)
    return brace is not None and brace.group() == "}"


def _loss_from(latex: str, name: str) -> Loss:
    node = parse_claim(latex, "latex")
    sums = [n for n in cf.walk(node) if isinstance(n, cf.Sum)]
    # a sum up to K, or an unbounded sum over k, is over the sampled words; else k is any word
    sampled = any(s.over == "K" or (not s.over and s.index == "k") for s in sums)
    letters = DEFAULT_LETTERS if sampled else (("k", VOCABULARY.name),)
    text = to_text(node)
    return Loss(name, text, f"J = {text} (defined in the document)", letters)


def check_document(
    text: str,
    instance: Instance | None = None,
    time_limit_s: float | None = 60.0,
    progress=None,
    memory_limit: int | None = DEFAULT_MEMORY_LIMIT,
) -> DocumentResult:
    """Check every ``∂J/∂x = …`` of a document against the loss it defines.

    ``time_limit_s`` bounds each check (a chain of n steps makes n + 1); ``memory_limit`` is the
    bytes of address space the worker may add.  A chain past either is ``undecided``.
    """
    if len(text) > MAX_DOCUMENT:
        raise SymW2VError(f"the document is {len(text)} characters long; the limit is {MAX_DOCUMENT}")
    reading = _read(text)
    instance = instance or Instance()
    chains, conventions = reading.chains, reading.conventions
    results = []
    check = partial(_check_chain, instance=instance, conventions=conventions, time_limit_s=time_limit_s)
    limits = Limits(seconds=time_limit_s, memory=memory_limit)
    budget = partial(_budget, time_limit_s=time_limit_s)
    for result in run_isolated(check, chains, _failed, limits=limits, budget=budget):
        results.append(result)
        if progress is not None:
            progress(result)
    return DocumentResult(tuple(results), tuple(reading.skipped), tuple(reading.notes))


@dataclass
class _Reading:
    """What reading a document found: the chains to check, what was skipped, and notes."""

    chains: list[_Chain]
    skipped: list[Skipped]
    notes: list[str]
    conventions: Conventions


def _read(text: str) -> _Reading:
    """Read a document within ``READ_SECONDS``.

    The scanner is linear, so this is a backstop; the deadline is also checked between
    equations, since the parser may swallow the alarm's exception as an unreadable claim.
    """
    deadline = time.monotonic() + READ_SECONDS
    try:
        with hard_time_limit(READ_SECONDS):
            reading = _classify(text, scan(text), deadline)
            _in_time(deadline)
            return reading
    except ProofTimeout:
        raise SymW2VError(
            f"reading the document took longer than its limit of {READ_SECONDS:g} s "
            "(a homework document takes well under a second)"
        ) from None


def _in_time(deadline: float) -> None:
    if time.monotonic() > deadline:
        raise ProofTimeout("reading the document ran past its time limit")


def _classify(text: str, found: Scan, deadline: float) -> _Reading:
    """The chains of ``∂J/∂x = …`` equations of a document, and every display skipped, and why."""
    equations = displays(text, found)
    if len(equations) > MAX_EQUATIONS:
        raise SymW2VError(
            f"the document has {len(equations)} displayed equations; the limit is {MAX_EQUATIONS}"
        )
    notes = []
    y = None
    if _ROWS_DECLARED.search(found.outside(text)):
        y = "row"
        notes.append("the document declares ŷ and y as 1×V rows, so they are read as rows")
    loss: Loss | None = None
    chains: list[_Chain] = []
    skipped: list[Skipped] = []
    previous: _Chain | None = None
    for index, display in enumerate(equations, start=1):
        _in_time(deadline)
        ident = f"eq{display.number}" if display.number else f"display-{index}"
        latex = _without_condition(display.latex).strip()
        parts = _split_equals(latex)
        if parts[0] == "" and previous is not None:
            previous.expressions.extend(parts[1:])
            previous.latex.append(display.latex)
            if display.number:
                previous.id = ident
            continue
        previous = None
        if "J" in parts[:-1] and not any("\\partial" in p for p in parts):
            try:
                loss = _loss_from(parts[-1], f"J of {ident}")
                notes.append(f"{ident} defines the loss J = {loss.expression}")
            except SymW2VError as error:
                skipped.append(
                    Skipped(ident, display.latex, f"a definition of J that cannot be read: {error}")
                )
            continue
        wrt = _variable(parts[0])
        reason = _why_not_checked(wrt, parts, latex, loss)
        if reason:
            skipped.append(Skipped(ident, display.latex, reason))
            continue
        previous = _Chain(ident, wrt, loss, parts[1:], [display.latex])
        chains.append(previous)
    return _Reading(chains, skipped, notes, Conventions(y=y))


def _why_not_checked(wrt: str | None, parts: list[str], latex: str, loss: Loss | None) -> str:
    """Why an equation that defines no J is not checked; "" when it is."""
    if wrt is None:
        if "\\partial" in latex:
            return "a derivative of something other than J (a Jacobian or a chain-rule factor)"
        return "not an equation of the form ∂J/∂x = …"
    if any("\\partial" in p for p in parts[1:]):
        return "a chain rule written with ∂ on the right"
    if loss is None:
        return "no J = … is defined before this equation"
    return ""


def _budget(chain: _Chain, time_limit_s: float | None) -> float | None:
    """The seconds a chain's checks may take in all: one per step, and the final claim."""
    if time_limit_s is None:
        return None
    steps = len([e for e in chain.expressions if e])
    return time_limit_s * (steps + 1 if steps > 1 else 1)


def _failed(chain: _Chain, failure: Failure) -> ClaimResult:
    """The result of a chain whose worker ran out of time or memory, or died."""
    expressions = [e for e in chain.expressions if e]
    return ClaimResult(
        chain.id,
        chain.loss.name,
        chain.wrt,
        expressions[-1] if expressions else "",
        Verdict.UNDECIDED,
        method=failure.reason,
        message=failure.message,
        seconds=failure.seconds,
        equation_latex=" = ".join(chain.latex),
    )


def _check_chain(chain: _Chain, instance: Instance, conventions: Conventions, time_limit_s) -> ClaimResult:
    expressions = [e for e in chain.expressions if e]
    equation = " = ".join(chain.latex)
    if not expressions:
        return ClaimResult(
            chain.id, chain.loss.name, chain.wrt, "", Verdict.PARSE_ERROR, message="nothing after ="
        )
    final = check_claim(
        expressions[-1],
        chain.loss,
        chain.wrt,
        instance,
        conventions,
        claim_id=chain.id,
        equation_latex=equation,
        time_limit_s=time_limit_s,
        syntax="latex",
    )
    if len(expressions) == 1:
        return final
    question = Question(chain.loss, chain.wrt, instance, conventions)
    steps = [
        check_claim(
            expressions[0],
            chain.loss,
            chain.wrt,
            instance,
            conventions,
            claim_id=f"{chain.id}.1",
            time_limit_s=time_limit_s,
            syntax="latex",
        )
    ]
    for number, (left, right) in enumerate(zip(expressions, expressions[1:], strict=False), start=2):
        steps.append(check_step(left, right, question, f"{chain.id}.{number}", "latex", time_limit_s))
    where = next((s for s in steps if s.verdict is not Verdict.PROVED), None)
    message = final.message
    if where is not None:
        message = (
            message + "; " if message else ""
        ) + f"the error enters at step {where.id.rsplit('.', 1)[1]}"
    return ClaimResult(**{**final.__dict__, "steps": tuple(steps), "message": message})


def read_document(path: str | Path) -> str:
    """The text of a document file, with a clear error when it cannot be read.

    Only a regular file of at most ``4 * MAX_DOCUMENT`` bytes is read (UTF-8 takes up to four
    bytes a character); ``check_document`` then holds it to ``MAX_DOCUMENT`` characters.
    """
    data = read_limited(path, MAX_DOCUMENT * 4, "document")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SymW2VError(f"{path}: not UTF-8 text (byte {error.start})") from None
