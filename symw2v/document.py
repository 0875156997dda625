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
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from symw2v import closed_form as cf
from symw2v.check import Conventions, Question, check_claim, check_step
from symw2v.errors import SymW2VError
from symw2v.instance import Instance
from symw2v.isolate import DEFAULT_MEMORY_LIMIT, Failure, Limits, run_isolated
from symw2v.latex import blank
from symw2v.losses import Loss
from symw2v.parse import parse_claim
from symw2v.printing import to_text
from symw2v.results import ClaimResult, Verdict

MAX_DOCUMENT = 200_000
MAX_EQUATIONS = 200

_DISPLAYS = re.compile(
    r"\$\$(?P<dollars>.+?)\$\$"
    r"|\\\[(?P<brackets>.+?)\\\]"
    r"|\\begin\{(?P<env>equation|align|gather|multline)\*?\}(?P<body>.+?)\\end\{(?P=env)\*?\}",
    re.S,
)
_TAG = re.compile(r"\\tag\*?\{\s*([^{}]*?)\s*\}")
_NUMBER_AFTER = re.compile(r"[ \t]*\n?[ \t]*\(\s*(\d+[a-z]?)\s*\)")
_DROPPED = re.compile(r"\\(?:label|nonumber|notag)(?:\{[^{}]*\})?")
_CONDITION = re.compile(r"(?:\\q?quad|,)?\s*\\(?:text|mbox|mathrm)\s*\{[^{}]*\}.*\Z", re.S)
_DERIVATIVE = re.compile(
    r"^\\(?:d|t)?frac\s*\{\s*\\partial\s*J\s*\}\s*\{\s*\\partial\s*(?P<var>[^{}]*(?:\{[^{}]*\})?[^{}]*)\}$"
    r"|^\\partial\s*J\s*/\s*\\partial\s*(?P<slash>.+)$"
)
_ROWS_DECLARED = re.compile(r"1\s*(?:\\times|×|x)\s*V")


@dataclass(frozen=True)
class Display:
    """One displayed equation (one row of an ``align``), where it is, and its number."""

    latex: str
    position: int
    number: str | None


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


def displays(text: str) -> list[Display]:
    """The displayed equations of ``text`` in order; align rows are equations of their own."""
    found: list[Display] = []
    for match in _DISPLAYS.finditer(text):
        body = next(g for g in (match.group("dollars"), match.group("brackets"), match.group("body")) if g)
        after = _NUMBER_AFTER.match(text, match.end())
        rows = re.split(r"\\\\", body) if match.group("env") else [body]
        for row in rows:
            tag = _TAG.search(row)
            number = tag.group(1) if tag else None
            row = _DROPPED.sub(" ", _TAG.sub(" ", row)).replace("&", " ").strip().rstrip(".,;")
            if row:
                found.append(Display(row, match.start(), number))
        if after and found and found[-1].number is None:
            last = found[-1]
            found[-1] = Display(last.latex, last.position, after.group(1))
    return found


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
    match = _DERIVATIVE.match(re.sub(r"\s+", "", blank(latex)))
    if match is None:
        return None
    variable = (match.group("var") or match.group("slash") or "").replace("{", "").replace("}", "")
    names = {"v_c": "v_c", "u_o": "u_o", "u_k": "u_k", "u_w": "u_w", "U": "U", "z": "z"}
    return names.get(variable)


def _loss_from(latex: str, name: str) -> Loss:
    node = parse_claim(latex, "latex")
    sums = [n for n in cf.walk(node) if isinstance(n, cf.Sum)]
    k_over = "K" if any(s.over == "K" or (not s.over and s.index == "k") for s in sums) else "V"
    text = to_text(node)
    return Loss(name, text, k_over, f"J = {text} (defined in the document)")


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
    found = displays(text)
    if len(found) > MAX_EQUATIONS:
        raise SymW2VError(f"the document has {len(found)} displayed equations; the limit is {MAX_EQUATIONS}")
    notes = []
    y = None
    if _ROWS_DECLARED.search(_DISPLAYS.sub(" ", text)):
        y = "row"
        notes.append("the document declares ŷ and y as 1×V rows, so they are read as rows")
    conventions = Conventions(y=y)
    instance = instance or Instance()
    loss: Loss | None = None
    chains: list[_Chain] = []
    skipped: list[Skipped] = []
    previous: _Chain | None = None
    for index, display in enumerate(found, start=1):
        ident = f"eq{display.number}" if display.number else f"display-{index}"
        latex = _CONDITION.sub("", display.latex).strip()
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
        if wrt is None:
            reason = (
                "a derivative of something other than J (a Jacobian or a chain-rule factor)"
                if "\\partial" in latex
                else "not an equation of the form ∂J/∂x = …"
            )
            skipped.append(Skipped(ident, display.latex, reason))
            continue
        if any("\\partial" in p for p in parts[1:]):
            skipped.append(Skipped(ident, display.latex, "a chain rule written with ∂ on the right"))
            continue
        if loss is None:
            skipped.append(Skipped(ident, display.latex, "no J = … is defined before this equation"))
            continue
        previous = _Chain(ident, wrt, loss, parts[1:], [display.latex])
        chains.append(previous)
    results = []
    check = partial(_check_chain, instance=instance, conventions=conventions, time_limit_s=time_limit_s)
    limits = Limits(seconds=time_limit_s, memory=memory_limit)
    budget = partial(_budget, time_limit_s=time_limit_s)
    for result in run_isolated(check, chains, _failed, limits=limits, budget=budget):
        results.append(result)
        if progress is not None:
            progress(result)
    return DocumentResult(tuple(results), tuple(skipped), tuple(notes))


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
    """The text of a document file, with a clear error when it cannot be read."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SymW2VError(f"{path}: cannot read it ({error.strerror})") from None
    if len(data) > MAX_DOCUMENT * 4:
        raise SymW2VError(f"{path}: the document is larger than {MAX_DOCUMENT * 4} bytes")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SymW2VError(f"{path}: not UTF-8 text (byte {error.start})") from None
