"""Which loss and which variable each equation of a document is about: its chain of steps.

An equation's loss is the one the document is about there: ``--loss``; else the loss J's
subscript names; else the last definition or name of a loss before it (a definition of J is
compared with the built-in losses, each comparison in a bounded worker); else what the claim
uses.  The derivative of σ, ReLU or the leaky ReLU by x and an identity about the loss itself
say their own loss and variable (x, J); a window loss's steps may refer to the single word's
loss.  ``document.py`` checks the chains this module makes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import TYPE_CHECKING

from symw2v import closed_form as cf
from symw2v.claim import Question, holds
from symw2v.derive import loss_expression
from symw2v.errors import ProofTimeout
from symw2v.isolate import Failure, Limits, run_isolated
from symw2v.limits import hard_time_limit
from symw2v.reader import losses as finding
from symw2v.reader.found import Definition, Equation, Skipped, Step
from symw2v.world import VARIABLES
from symw2v.world.instance import Instance
from symw2v.world.losses import Loss
from symw2v.world.profile import Profile

if TYPE_CHECKING:
    from symw2v.document import _Read


MAX_DEFINITIONS = 16  # definitions of J compared with the built-in losses
COMPARE_SECONDS = 20.0  # one comparison of a document's J with a built-in loss
REPEATED = "repeated negatives"


@dataclass
class Chain:
    """One equation as a worker checks it: ``steps`` in order, each with the case it is for."""

    id: str
    wrt: str
    loss: Loss
    steps: list[Step]
    latex: list[str] = field(default_factory=list)
    case: str = ""
    line: int = 0
    loss_source: str = ""
    read_as: tuple[str, ...] = ()  # how the document was read, where that differs from what it says

    @property
    def expressions(self) -> list[str]:
        return [s.latex for s in self.steps if not s.skip]


# -- the loss of each equation -------------------------------------------------------------------


@dataclass(frozen=True)
class _Resolved:
    """What a definition of J is: ``loss`` (a built-in, or the document's own), and a note."""

    loss: Loss | None
    note: str = ""


def resolve_definitions(definitions: list[Definition], limits: Limits) -> dict[Definition, _Resolved]:
    """Each definition's loss, found by comparing its expression with the built-in losses."""
    expressions = {}
    for definition in definitions[:MAX_DEFINITIONS]:
        node = next((n for n in map(finding.parsed, definition.sides) if n is not None), None)
        if node is not None:
            expressions[definition] = node
    nodes = list(dict.fromkeys(expressions.values()))
    if nodes:
        # the built-in losses at the comparisons' instance, made here once: the worker that
        # compares and the one that checks the chains both inherit them
        for loss in finding.HOMEWORK.values():
            loss_expression(loss, Instance(), False)
    compare_limits = replace(limits, seconds=COMPARE_SECONDS)
    budget = COMPARE_SECONDS * len(finding.HOMEWORK)
    equal = dict(
        zip(
            nodes,
            run_isolated(
                _equal_loss, nodes, _not_compared, limits=compare_limits, budget=lambda node: budget
            ),
            strict=False,
        )
    )
    resolved = {}
    for definition in definitions:
        resolved[definition] = _resolve(definition, expressions.get(definition), equal)
    return resolved


def _resolve(definition: Definition, node, equal: dict) -> _Resolved:
    named = finding.named(definition.subscript)
    if named is None:
        named = next((c for c in map(finding.called, definition.sides) if c is not None), None)
    if finding.window(named):  # a sum of J(v_c, w_{t+j}, U): one word's loss, whichever it is
        return _Resolved(named)
    found = equal.get(node) if node is not None else None
    equal = finding.HOMEWORK[found] if found is not None else None
    where = f"J on line {definition.line}"
    if isinstance(named, Loss):
        if node is not None and equal is not named:
            return _Resolved(
                named,
                f"{where} is named {named.name} but is not the {named.name} loss "
                f"({named.description}); its equations are checked against the {named.name} loss",
            )
        return _Resolved(named)
    if equal is not None:
        return _Resolved(equal, f"{where} is the {equal.name} loss")
    if node is None:
        return _Resolved(None, f"{where} could not be read; it is not used")
    own = finding.own_loss(node, f"J of line {definition.line}")
    return _Resolved(own, f"{where} is none of the built-in losses: J = {own.expression} is used as written")


def _equal_loss(node) -> str | None:
    """The first built-in loss (in ``HOMEWORK``'s order) that a document's J (an AST) is."""
    return next((name for name in finding.HOMEWORK if _same_loss(node, name)), None)


def _same_loss(node, name: str) -> bool:
    """Whether a document's J is the built-in loss ``name``: J written as a claim about J
    itself that type-checks, is defined wherever the loss is and is proved equal to it.  Only
    whether it is proved is wanted: no residual, counterexample or hint is made."""
    question = Question(finding.HOMEWORK[name], "J", Instance())
    try:
        with hard_time_limit(COMPARE_SECONDS):
            return holds(node, question)
    except (ProofTimeout, RecursionError):  # undecided: not shown to be the loss
        return False


def _not_compared(node, failure: Failure) -> None:
    return None


def equation_chains(
    read: _Read, resolved: dict[Definition, _Resolved], explicit: Loss | None, profile: Profile | None
) -> tuple[list[Chain], list[Skipped], list[str]]:
    """The chains to check, with their losses; the equations skipped, and notes on the losses."""
    notes = list(dict.fromkeys(r.note for r in resolved.values() if r.note))
    skipped = list(read.skipped)
    chains = []
    for equation in read.equations:
        chain, reason = _chain(equation, resolved, explicit, profile)
        if chain is None:
            skipped.append(Skipped(equation.id, " ".join(equation.rows), reason, equation.line))
            continue
        for number, step in enumerate(chain.steps, start=1):
            if step.skip:
                skipped.append(Skipped(f"{equation.id}.{number}", step.latex, step.skip, step.line))
        chains.append(chain)
    return chains, sorted(skipped, key=lambda s: s.line), notes


def _chain(equation: Equation, resolved, explicit: Loss | None, profile: Profile | None):
    """The chain to check for ``equation``, or (None, why it is not checked)."""
    if equation.kind:
        return _own_chain(equation, explicit)
    written = equation.written
    named = finding.named(written.subscript)
    if finding.window(named):
        return _window_chain(equation, named, explicit)
    if named is None and _of_a_window(equation):
        return _window_chain(equation, finding.named(_SKIP_GRAM), explicit, inferred=True)
    if not written.known:
        return (
            None,
            f"∂J/∂{written.shown}: {written.shown} is not a variable of the loss "
            f"(J is differentiated by {', '.join(v.name for v in VARIABLES.values() if v.object)})",
        )
    steps = [s for s in equation.steps if not s.skip]
    if not steps:
        reason = (
            "every step has ∂ in it (a chain rule): nothing to check" if equation.steps else "nothing after ="
        )
        return None, reason
    loss, source = _loss_of(equation, named, resolved, explicit, steps)
    if loss is None:
        return None, (
            "no loss: the document neither defines J (J = …) nor names the loss (naive-softmax, "
            "neg-sample) before this equation; give --loss"
        )
    wrt = written.wrt(loss)
    if wrt is None:
        return (
            None,
            f"∂J/∂{written.shown}: the gradient by one word's vector is checked as ∂J/∂u_w or ∂J/∂u_k",
        )
    case = _case(equation, wrt, loss, profile)
    chain = Chain(equation.id, wrt, loss, equation.steps, equation.rows, case, equation.line, source)
    return replace(chain, read_as=tuple(equation.read_as)), ""


def _window_chain(equation: Equation, loss: Loss, explicit: Loss | None, inferred: bool = False):
    """The chain of a derivative of a window's loss (J_{skip-gram}): its steps in
    ∂J(v_c, w_{t+j}, U) are claims the claim language reads, not chain rules; v_w is a
    variable of it (the centre vector of another word).  ``inferred``: the window was read
    from the equation, not named; only its steps that hold whatever each word's loss is
    (in ∂J(v_c, w_{t+j}, U) alone, or 0) are checked."""
    if explicit is not None and explicit is not loss:
        return None, f"about the {loss.name} loss ({loss.description}), not --loss {explicit.name}"
    written = equation.written
    wrt = written.centre_wrt() if written.centre_index else written.wrt(loss)
    if wrt is None:
        return None, f"∂J/∂{written.shown}: not a variable of the {loss.name} loss"
    steps = [_read_derivative(s) for s in equation.steps]
    if inferred:
        steps = [s if s.skip or _of_any_word_loss(s) else replace(s, skip=_UNNAMED) for s in steps]
    if all(s.skip for s in steps):
        return None, "every step has ∂ in it (a chain rule): nothing to check" if steps else "nothing after ="
    source = _WINDOW_READ if inferred else f"J_{{{written.name_shown}}} on its left"
    chain = Chain(equation.id, wrt, loss, steps, equation.rows, "", equation.line, source)
    note = f"J_{{{written.name_shown}}} read as the {loss.name} loss ({loss.description})"
    if inferred:
        note = f"∂J/∂{written.shown} read as the derivative of a loss over a window ({_WINDOW_READ})"
    return replace(chain, read_as=(*equation.read_as, note)), ""


def _read_derivative(step: Step) -> Step:
    """A step of a window's loss with ∂ in it that the claim language reads (∂J(v_c, w_{t+j}, U)
    /∂U, the derivative of one word's loss) is checked; any other stays skipped."""
    if not step.skip:
        return step
    # \part and \space are \partial and a space: spelled so, the claim language reads them
    text = _SPACE_COMMAND.sub(" ", _PART.sub(r"\\partial", step.read or step.latex))
    if finding.parsed(text) is None:
        return step
    return replace(step, skip="", read=text if text != step.latex else step.read)


def _of_a_window(equation: Equation) -> bool:
    """Whether an equation whose J names no loss is about a window's: its J takes the window's
    words (J(v_c, w_{t-m}, …, w_{t+m}, U)), or a step is in ∂J(v_c, w_{t+j}, U), the derivative
    of one word's loss (which only a window's loss sums)."""
    head = equation.rows[0].split("=", 1)[0] if equation.rows else ""
    if finding.of_window_words(head):
        return True
    return any(_derivative_of_a_word(_read_derivative(s)) for s in equation.steps)


def _derivative_of_a_word(step: Step) -> bool:
    node = None if step.skip else finding.parsed(step.read or step.latex)
    return node is not None and any(isinstance(n, cf.Partial) for n in cf.walk(node))


def _of_any_word_loss(step: Step) -> bool:
    """Whether a step of a window's loss holds whichever loss each word has: it is written in
    ∂J(v_c, w_{t+j}, U) alone, or it is 0."""
    node = finding.parsed(step.read or step.latex)
    if node is None:
        return False
    if node == cf.Num(Fraction(0)):
        return True
    pieces = [n for n in cf.walk(node) if isinstance(n, cf.Word | cf.Name | cf.Call)]
    return _derivative_of_a_word(step) and not pieces


_SKIP_GRAM = "skip-gram"  # the handout's name of the window's loss (an alias in the world)
_WINDOW_READ = "its J takes a window's words, or its answer is in ∂J(v_c, w_{t+j}, U)"
_UNNAMED = (
    "a closed form of a window's loss whose words' loss (naive softmax or negative sampling) is "
    "not named: not checked"
)
_PART = re.compile(r"\\part(?![A-Za-z])")
_SPACE_COMMAND = re.compile(r"\\space(?![A-Za-z])")


def _own_chain(equation: Equation, explicit: Loss | None):
    """The chain of an equation that says its own loss and variable (an activation's derivative,
    an identity about the loss), or (None, why it is not checked)."""
    loss = equation.loss
    if not any(not s.skip for s in equation.steps):
        reasons = dict.fromkeys(s.skip for s in equation.steps)
        return None, "; ".join(reasons) if reasons else "nothing after ="
    if explicit is not None and explicit is not loss:
        return None, f"about the {loss.name} loss ({loss.description}), not --loss {explicit.name}"
    steps, source = equation.steps, equation.loss_source
    chain = Chain(equation.id, equation.wrt, loss, steps, equation.rows, "", equation.line, source)
    return replace(chain, read_as=tuple(equation.read_as)), ""


def _loss_of(equation: Equation, named, resolved, explicit: Loss | None, steps: list[Step]):
    """The loss of an equation, and how it was found."""
    if explicit is not None:
        return explicit, "--loss"
    if isinstance(named, Loss):
        return named, f"J_{{{equation.written.name_shown}}} on its left"
    context, source = None, ""
    signal = equation.context
    if signal is not None:
        if signal.definition is not None:
            context = resolved.get(signal.definition, _Resolved(None)).loss
        else:
            context = signal.loss
        source = signal.where
    used = frozenset().union(*(finding.used_by(s.latex) for s in steps))
    marked = finding.marked(used)
    if marked is not None and marked is not context and (context is None or context.name in finding.HOMEWORK):
        shown = ", ".join(sorted(finding.marks()[marked.name] & used))
        return marked, f"the claim uses {shown}, which only the {marked.name} loss has"
    return context, source


def _case(equation: Equation, wrt: str, loss: Loss, profile: Profile | None) -> str:
    """The case an equation's answer is checked for ("" for every case at once)."""
    free = VARIABLES[wrt].free
    sampled = bool(free) and loss.index_set(free).sampled
    if equation.case and free:
        if equation.case == "repeated" or not (sampled and equation.case.split(" ")[1] == "="):
            return REPEATED if equation.case == "repeated" else equation.case
    if sampled and (equation.section_repeats or (profile is not None and not profile.distinct)):
        return REPEATED
    return ""
