"""A question and the machinery every check of it shares: what a claim answers (∂J/∂x for a
loss at an instance, under conventions), how it is typed and laid out, and the exact test of a
claim at one instance.  ``claim.py`` builds results from these; ``hints.py`` and ``sweep.py``
ask them again about edited claims and other instances.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, replace

import sympy

from symw2v import closed_form as cf
from symw2v.definedness import Condition, check_defined, unproved
from symw2v.derive import derive, loss_context, variable_shape
from symw2v.errors import ShapeError, SymW2VError
from symw2v.instantiate import Instantiator, resolve_sums
from symw2v.parse import parse_claim
from symw2v.printing import to_latex
from symw2v.prove import Pair, decide, is_identity
from symw2v.results import Proof, Verdict
from symw2v.schema import LAYOUTS, U_READINGS, Y_READINGS, quote
from symw2v.shapes import Typing, infer_reading, show
from symw2v.world import OBJECTS, OUTSIDE, VARIABLES, WRT, Instance
from symw2v.world import symbols as coordinates
from symw2v.world.losses import Loss


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

    @classmethod
    def under(cls, profile=None, U: str | None = None, y: str | None = None, layout: str | None = None):
        """The conventions of a course ``profile`` (or none), each overridden where given."""
        return cls(
            U=U or (profile.U if profile else None),
            y=y or (profile.y if profile else None),
            layout=layout or (profile.layout if profile else "auto"),
        )


_RELATIONS = {"!=": "!=", "≠": "!=", "\\neq": "!=", "\\ne": "!=", "<>": "!=", "=": "=", "==": "="}
# a scalar's region: x > 0 or x < 0 (x = 0, where a maximum has its kink, is left out)
_SIDE = re.compile(r"\s*([A-Za-z])\s*(>|<|≥|≤|>=|<=|\\geq?|\\leq?|\\gt|\\lt)\s*0\s*")
_CASE = re.compile(r"\s*([A-Za-z])\s*(!=|≠|\\neq|\\ne|<>|==|=)\s*([A-Za-z])\s*")


@dataclass(frozen=True)
class Case:
    """What an answer is for, when it is for one case: its free index different from o
    (``w != o``) or equal to it (``w = o``), or sampled words that repeat ("repeated")."""

    relation: str = ""  # "!=", "=", "repeated", "every" (all at once, stated), or "" (not stated)

    def __str__(self) -> str:
        names = {"!=": "w != o", "=": "w = o", "repeated": "repeated negatives", "every": "every w"}
        names.update({">0": "x > 0", "<0": "x < 0"})
        return names.get(self.relation, "")

    def admits(self, word: int, instance: Instance) -> bool:
        """Whether a target at ``word`` is in the case."""
        if self.relation == "!=":
            return word != instance.o
        if self.relation == "=":
            return word == instance.o
        return True


NO_CASE = Case()


def parse_case(text: str) -> Case:
    """``w != o``, ``w ≠ o``, ``w \\neq o``, ``w = o``, "repeated negatives", or "every w" (the
    answer is for every w, stated: no case is inferred for it)."""
    text = " ".join(str(text).split())
    if not text:
        return NO_CASE
    if "repeat" in text.lower():
        return Case("repeated")
    if text.lower() in ("every", "every w", "all", "all w", "any w"):
        return Case("every")
    side = _SIDE.fullmatch(text)
    if side is not None:
        return Case(">0" if side.group(2).lstrip("\\")[0] in ">g" else "<0")
    match = _CASE.fullmatch(text)
    if match is None or OUTSIDE not in (match.group(1), match.group(3)):
        raise SymW2VError(f"cannot read the case {text[:60]!r}: write w != o, w = o, or repeated negatives")
    return Case(_RELATIONS[match.group(2)])


@dataclass(frozen=True)
class Question:
    """What a claim answers: ∂J/∂``wrt`` for ``loss`` at ``instance`` under ``conventions``, in
    one ``case`` or in every one."""

    loss: Loss
    wrt: str
    instance: Instance
    conventions: Conventions = Conventions()
    case: Case = NO_CASE

    def __post_init__(self) -> None:
        if self.wrt not in WRT:
            raise SymW2VError(f"--wrt must be one of {', '.join(WRT)}, not {self.wrt!r}")
        if not depends_on(self.loss, self.wrt):
            raise SymW2VError(
                f"J of the {self.loss.name} loss does not depend on {self.wrt}: "
                + (
                    "it is a function of a number x; ask about ∂J/∂x"
                    if not self.loss.of_vectors
                    else "it is a function of the word vectors; ask about ∂J/∂v_c, ∂J/∂u_w, ∂J/∂U or ∂J/∂z"
                )
            )
        scalar = OBJECTS.get(VARIABLES[self.wrt].object)
        if self.case.relation in (">0", "<0") and (scalar is None or scalar.value != "scalar"):
            raise SymW2VError(
                f"∂J/∂{self.wrt} has no sides: x > 0 and x < 0 are cases of a scalar's function"
            )
        if self.case.relation not in ("", "every", ">0", "<0") and not VARIABLES[self.wrt].free:
            raise SymW2VError(f"∂J/∂{self.wrt} has no cases: a case is for a word vector such as u_w")
        sampled = self.loss.index_set(VARIABLES[self.wrt].free).sampled if self.case.relation else False
        if self.case.relation == "repeated" and not sampled:
            raise SymW2VError(f"repeated words are a case of ∂J/∂{self.wrt} only over the sampled words")

    def at(self, instance: Instance) -> Question:
        return Question(self.loss, self.wrt, instance, self.conventions, self.case)

    @property
    def region(self) -> tuple:
        """The scalar read in its region, for the cases x > 0 and x < 0: ``((name, value),)``."""
        if self.case.relation not in (">0", "<0"):
            return ()
        name = VARIABLES[self.wrt].object
        if self.case.relation == ">0":
            return ((name, coordinates.Coordinate(name, (), name, positive=True)),)
        return ((name, -coordinates.Coordinate(name, (-1,), f"-{name}", positive=True)),)

    @property
    def where(self) -> Instance:
        """The instance the claim is checked at: for repeated sampled words, one where the first
        repeats (K of at least 2)."""
        if self.case.relation != "repeated":
            return self.instance
        if self.instance.K < 2:
            raise SymW2VError(f"repeated negatives need K of at least 2, not {self.instance.K}")
        return self.instance.degenerate()[0]


def read(claim: str | cf.Node, syntax: str) -> cf.Node:
    """The claim's AST (a claim given as an AST is taken as it is)."""
    return parse_claim(claim, syntax) if isinstance(claim, str) else claim


def resolve(node: cf.Node, question: Question) -> cf.Node:
    """The claim with every sum given its range; ``ShapeError`` for an index the loss lacks."""
    return resolve_sums(node, question.loss)


def as_read(node: cf.Node, loss: Loss) -> str:
    """The claim in LaTeX as it is read: a sum written without its range (``sum_k``) with the
    range the loss gives its letter."""
    try:
        return to_latex(resolve_sums(node, loss, strict=False))
    except SymW2VError:  # a sum the loss gives no range: shown as written, the check says why
        return to_latex(node)


def depends_on(loss: Loss, wrt: str) -> bool:
    """Whether ∂J/∂``wrt`` is a question about ``loss``: J itself always; a number x only for
    a loss of x (σ, ReLU); a word vector, U or z only for a loss of the word vectors."""
    if wrt == "J":
        return True
    found = OBJECTS.get(VARIABLES[wrt].object)
    scalar = found is not None and found.value == "scalar"
    return loss.of_vectors != scalar


def check_indices(node: cf.Node, wrt: str) -> None:
    """``ShapeError`` for an index letter no sum binds, other than one for the variable's own
    free index (whatever letter the claim gives it: u_{w_s} is u_k written with s)."""
    free = VARIABLES[wrt].free
    found = sorted(cf.free_indices(node))
    stray = found[1:] if free and found and free not in found else [i for i in found if i != free]
    if stray:
        raise ShapeError(
            f"the index {', '.join(stray)} is free: bind it with a sum (sum_{stray[0]} …) "
            f"or use it only in a claim about ∂J/∂u_{stray[0]}"
        )


def free_letter(node: cf.Node, wrt: str) -> str:
    """The letter the claim gives the variable's free index (its own, when it uses none)."""
    free = VARIABLES[wrt].free
    found = sorted(cf.free_indices(node))
    return free if not found or free in found else found[0]


def layout(typing: Typing, wrt: str, wanted: str) -> tuple[str, str]:
    """(the layout used, or "" with a message) for a claim of the typed shape.

    ``auto`` takes a vector's gradient as a column or a row; a matrix's only in the matrix's own
    shape (its transpose is the gradient of the other reading of U, not of this one).
    """
    denominator = variable_shape(wrt, typing.reading)
    numerator = (denominator[1], denominator[0])
    shape = typing.shape
    fits = {"denominator": shape == denominator, "numerator": shape == numerator}
    if wanted == "auto" and "1" not in denominator and not fits["denominator"]:
        other = "rows" if typing.reading.U == "columns" else "columns"
        hint = f" (it would be the gradient if U were read as {other})" if fits["numerator"] else ""
        return "", f"the claim is {show(shape)}, but ∂J/∂{wrt} is {show(denominator)}, U's own shape{hint}"
    if wanted != "auto":
        if fits[wanted]:
            return wanted, ""
        other = "numerator" if wanted == "denominator" else "denominator"
        hint = f" (it is the {other} layout)" if fits[other] else ""
        needed = denominator if wanted == "denominator" else numerator
        return "", f"the claim is {show(shape)}; {wanted} layout needs {show(needed)}{hint}"
    for name in ("denominator", "numerator"):
        if fits[name]:
            return name, ""
    return "", (
        f"the claim is {show(shape)}, but ∂J/∂{wrt} is {show(denominator)} (denominator layout) "
        f"or {show(numerator)} (numerator layout)"
    )


def typed(node: cf.Node, question: Question) -> tuple[Typing, str]:
    """The claim's typing and the layout it is in; ``ShapeError`` when it has none that fits."""
    check_indices(node, question.wrt)
    conventions = question.conventions
    typing = infer_reading(node, conventions.U, conventions.y, fitting(question))
    used, message = layout(typing, question.wrt, conventions.layout)
    if not used:
        raise ShapeError(message)
    return typing, used


def fitting(question: Question):
    """Whether a claim of ``shape`` is in a layout the question allows, under ``reading``."""
    return lambda reading, shape: bool(
        layout(Typing(reading, shape, True, ()), question.wrt, question.conventions.layout)[0]
    )


def pairs(
    node: cf.Node, question: Question, typing: Typing, used: str, instance: Instance
) -> tuple[list[Pair], list[Condition]]:
    """The claim against the derived gradient, once per value of its free index, and what the
    claim needs to be defined there."""
    loss, wrt = question.loss, question.wrt
    instance = question.at(instance).where
    context = replace(loss_context(loss, instance, typing.reading, wrt), region=question.region)
    instantiator = Instantiator(context)
    found, conditions = [], []
    letter = free_letter(node, wrt)
    for target in derive(loss, wrt, instance, typing.reading, question.region):
        words = [word for _, word in target.bindings]
        if words and not question.case.admits(words[0], instance):
            continue
        claimed = instantiator.evaluate(node, dict(zip([letter], words, strict=False)))
        if used == "numerator":
            claimed = claimed.T
        found.append(Pair(target.label, claimed, target.gradient))
        conditions += [Condition(*condition, target.label) for condition in instantiator.conditions]
        instantiator.conditions.clear()
    if not found:  # never vacuously true
        raise SymW2VError(f"no word at {instance.describe(loss.index_sets)} is in the case {question.case}")
    return found, conditions


# Exact decisions already made in this process, by the pairs they are about: a chain's last
# step often instantiates to the very matrices of a step before it, and the hint searches of
# two steps try the same corrections.  A decision is a function of the matrices alone, so two
# equal keys have one answer.  Bounded: a batch checks many claims in one worker.
DECISIONS = 256
_decided: OrderedDict = OrderedDict()


def _decision_key(found: list[Pair]) -> tuple:
    # structural equality: SymPy tells apart Dummies, assumptions and a Float's precision
    return tuple((p.label, sympy.ImmutableMatrix(p.claimed), sympy.ImmutableMatrix(p.derived)) for p in found)


def _remembered(kind: str, key: tuple, decide_it):
    """The decision ``kind`` about ``key``, made by ``decide_it()`` the first time only."""
    key = (kind, key)
    if key in _decided:
        _decided.move_to_end(key)
        return _decided[key]
    value = decide_it()  # past a time limit this raises, and nothing is remembered
    _decided[key] = value
    if len(_decided) > DECISIONS:
        _decided.popitem(last=False)
    return value


def prove_pairs(found: list[Pair], conditions: list[Condition], tick) -> Proof:
    """The exact verdict on the pairs: undefined somewhere, or decided by the prover."""
    undefined = check_defined(found, conditions, tick)
    if isinstance(undefined, Proof):
        return undefined
    proof = _remembered("proof", _decision_key(found), lambda: decide(found, tick))
    if proof.verdict is Verdict.PROVED and undefined:
        return unproved(undefined)
    return proof


def pairs_hold(found: list[Pair], conditions: list[Condition]) -> bool:
    """Whether the claim of the pairs is defined wherever the gradient is and equal to it
    (exactly): ``holds`` once the pairs are made."""
    if check_defined(found, conditions) != ():
        return False
    key = _decision_key(found)
    proof = _decided.get(("proof", key))
    if proof is not None:  # the prover's verdict: proved exactly when every entry cancels
        return proof.verdict is Verdict.PROVED
    return _remembered("identity", key, lambda: is_identity(found))


def holds(node: cf.Node, question: Question, instance: Instance | None = None) -> bool:
    """Whether ``node`` type-checks, fits a layout, is defined wherever the gradient is and is
    proved equal to it (exactly)."""
    try:
        node = resolve(node, question)
        typing, used = typed(node, question)
        found, conditions = pairs(node, question, typing, used, instance or question.instance)
        return pairs_hold(found, conditions)
    except SymW2VError:
        return False
