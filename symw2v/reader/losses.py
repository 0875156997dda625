"""Which loss an equation is about, found as students say it.

- by name: a built-in loss's name or one of its ``aliases`` (``symw2v/world/losses/*.toml``), in
  J's subscript (``J_{\\text{neg-sample}}``, ``J_{n a i v e-s o f t m a x}``), in a heading or a
  sentence ("Now we shall consider the Negative Sampling loss"), or as the function a definition
  calls (``J = CE(y, \\hat{y})``);
- by definition: ``J = …`` (decorated or not) read in the claim language; a definition that is a
  built-in loss written differently is that loss (``document.py`` compares them exactly);
- by the claim itself, when nothing else says: what the claim uses that only one built-in loss
  has (σ: negative sampling; ŷ, softmax, z: the softmax loss), read from the losses' own
  expressions and the objects' definitions in the world, not from a table of names.
"""

from __future__ import annotations

import re
from functools import cache

from symw2v import closed_form as cf
from symw2v.errors import SymW2VError
from symw2v.parse import parse_claim
from symw2v.reader.derivative import plain
from symw2v.world import OBJECTS
from symw2v.world.losses import BUILTIN, Loss

_COMMAND = re.compile(r"\\[A-Za-z]+")
_NOT_LETTERS = re.compile(r"[^a-z]+")
_CALL = re.compile(
    r"\s*(?:\\(?:text|mathrm|operatorname|textrm)\s*\{\s*)?([A-Za-z][A-Za-z\- ]{0,30})\}?\s*\\?(?:left)?\("
)

# the losses a homework's gradients are about: those of the word vectors (an activation's loss
# of a number x, such as σ(x), is a derivation file's question, never a document's loss)
# the losses of one outside word: a window's loss (skip-gram over a window, CBOW) is named, not guessed
HOMEWORK: dict[str, Loss] = {
    name: loss for name, loss in BUILTIN.items() if loss.of_vectors and not loss.windowed
}


def normal(name: str) -> str:
    """A name as letters only, lower case: ``{\\text{Neg}}-Sample`` is ``negsample``."""
    return _NOT_LETTERS.sub("", _COMMAND.sub("", name).lower())


def by_name(losses) -> dict[str, Loss]:
    """``losses`` by each of their names and aliases, ``normal``: the first to claim a name keeps it."""
    found = {}
    for loss in losses:
        for name in (loss.name, *loss.aliases):
            found.setdefault(normal(name), loss)
    return found


@cache
def _by_name() -> dict[str, Loss]:
    return by_name(HOMEWORK.values())


def named(subscript: str) -> Loss | None:
    """The built-in loss ``subscript`` names, or None when it names no loss."""
    key = normal(subscript)
    if not key:
        return None
    return _by_name().get(key) or _windows().get(key)


@cache
def _windows() -> dict[str, Loss]:
    """The losses of a whole window by name (named, never guessed)."""
    return by_name(loss for loss in BUILTIN.values() if loss.windowed)


def window(loss: Loss | None) -> bool:
    """Whether ``loss`` is the loss of a whole window."""
    return loss is not None and loss.windowed


# J(v_c, w_{t-m}, …, w_{t+m}, U): a loss that takes a window's words
_WINDOW_WORDS = re.compile(r"w_\{?\s*t\s*[-+−]\s*m\s*\}?")


def of_window_words(latex: str) -> bool:
    """Whether ``latex`` (a left-hand side) differentiates a J of a window's words."""
    return _WINDOW_WORDS.search(latex) is not None


def called(latex: str) -> Loss | None:
    """The built-in loss a definition's side calls by name (``CE(y, \\hat{y})``), or None."""
    match = _CALL.match(latex)
    found = named(match.group(1)) if match else None
    return found if isinstance(found, Loss) else None


@cache
def _phrases() -> tuple[tuple[re.Pattern, Loss], ...]:
    """A pattern for every name of two words or more (one word, "softmax", is a function too)."""
    found = []
    for loss in HOMEWORK.values():
        for name in (loss.name, *loss.aliases):
            words = re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])", name)
            if len(words) >= 2:
                pattern = r"[\s\-_]*".join(re.escape(w.lower()) for w in words) + r"(?![a-z])"
                found.append((re.compile(pattern), loss))
    return tuple(found)


_PROSE_NOISE = re.compile(r"\\[A-Za-z]+|[{}$*`]")


def mentioned(line: str) -> Loss | None:
    """The built-in loss ``line`` names first ("the Negative Sampling loss, an alternative to the
    Naive Softmax loss" names negative sampling), or None."""
    text = _PROSE_NOISE.sub(" ", line[:2000]).lower()
    first = None
    for pattern, loss in _phrases():
        match = pattern.search(text)
        if match is not None and (first is None or match.start() < first[0]):
            first = (match.start(), loss)
    return first[1] if first else None


# -- what a claim uses --------------------------------------------------------------------------


def features(node: cf.Node, seen: frozenset[str] = frozenset()) -> frozenset[str]:
    """The functions and objects ``node`` uses, with those their definitions use."""
    found: set[str] = set()
    for item in cf.walk(node):
        if isinstance(item, cf.Call):
            found.add(item.function)
        elif isinstance(item, cf.Name) and item.name not in seen:
            found.add(item.name)
            definition = OBJECTS[item.name].definition if item.name in OBJECTS else ""
            if definition:
                found |= features(parse_claim(definition), seen | {item.name})
    return frozenset(found)


@cache
def marks() -> dict[str, frozenset[str]]:
    """For each built-in loss of the word vectors, what it uses that no other one does (a
    homework's gradients are of the word vectors: an activation's loss of a number x, such as
    σ(x), is never what they are about)."""
    used = {name: features(parse_claim(loss.expression)) for name, loss in HOMEWORK.items()}
    return {
        name: own - frozenset().union(*(other for key, other in used.items() if key != name))
        for name, own in used.items()
    }


def marked(used: frozenset[str]) -> Loss | None:
    """The one built-in loss that the functions and objects ``used`` mark as theirs, or None."""
    found = [HOMEWORK[name] for name, own in marks().items() if own & used]
    return found[0] if len(found) == 1 else None


def used_by(latex: str) -> frozenset[str]:
    """What a claim uses: read from its AST, or, when it does not read, from the spellings the
    world declares for functions (``\\sigma``) and hatted objects (``\\hat{y}``) in its text."""
    node = parsed(latex)
    if node is not None:
        return features(node)
    from symw2v.world.functions import LATEX  # the functions' spellings, declared once

    text = plain(latex)
    found = {name for name, spelling in LATEX.items() if _spelled(spelling, text)}
    for obj in OBJECTS.values():
        if obj.hat_of and re.search(rf"\\(?:hat|widehat|tilde)\{{?{re.escape(obj.hat_of)}(?![A-Za-z])", text):
            found |= features(cf.Name(obj.name))
    return frozenset(found)


def _spelled(spelling: str, text: str) -> bool:
    """Whether a function's LaTeX ``spelling`` (``\\sigma``, ``\\operatorname{softmax}``) is in ``text``."""
    command = re.match(r"\\(?:operatorname\{)?([A-Za-z]+)", spelling)
    return command is not None and re.search(rf"\\{command.group(1)}(?![A-Za-z])", text) is not None


def parsed(latex: str) -> cf.Node | None:
    """``latex`` in the claim language, or None when it does not read."""
    try:
        return parse_claim(latex, "latex")
    except (SymW2VError, RecursionError):
        return None


def own_loss(node: cf.Node, name: str) -> Loss:
    """The loss a document defines with ``node``: its sums over ``k`` up to K (or unbounded) run
    over the sampled words, as in the built-in negative-sampling loss; every other letter over
    the vocabulary."""
    from symw2v.printing import to_text  # the printers read the world: import them late
    from symw2v.world import VOCABULARY
    from symw2v.world.losses import DEFAULT_LETTERS

    sums = [n for n in cf.walk(node) if isinstance(n, cf.Sum)]
    sampled = any(s.over == "K" or (not s.over and s.index == "k") for s in sums)
    letters = DEFAULT_LETTERS if sampled else (("k", VOCABULARY.name),)
    text = to_text(node)
    return Loss(name, text, f"J = {text} (defined in the document)", letters)
