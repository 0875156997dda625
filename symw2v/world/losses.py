"""The losses: data in the claim language, read from derivation files shipped in the package.

A loss is its expression and what its index letters range over; everything else (whether it
has negatives, what a sum without bounds means) follows from those.  The built-in losses are
the files in ``symw2v/world/losses/``, derivation files like any other (their claims are the
closed forms ``symw2v export`` writes); a derivation file of a user's may define its own loss
the same way, from the declared objects, with no change to the code.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from symw2v.errors import SymW2VError
from symw2v.world.indices import INDEX_SETS, VOCABULARY, WINDOW, IndexSet

DEFAULT_LETTERS = (("k", next(s.name for s in INDEX_SETS.values() if s.sampled)),)  # the handouts' k


@dataclass(frozen=True)
class Loss:
    """A scalar loss ``J``: ``expression`` in the claim language; ``letters`` say what a free
    index letter, and a sum over it without bounds, range over (every other letter: the
    vocabulary)."""

    name: str
    expression: str
    description: str
    letters: tuple[tuple[str, str], ...] = DEFAULT_LETTERS
    aliases: tuple[str, ...] = ()
    base: str = ""  # a window loss: the built-in single-word loss J(v_c, o, U) it sums over the window

    def index_set(self, letter: str) -> IndexSet:
        """What ``letter`` ranges over in claims about this loss."""
        return INDEX_SETS[dict(self.letters).get(letter, VOCABULARY.name)]

    @property
    def index_sets(self) -> tuple[IndexSet, ...]:
        """The index sets the loss's own expression sums over."""
        return _sums_of(self)

    @property
    def of_vectors(self) -> bool:
        """Whether J depends on the word vectors (not only on a number x, like σ or ReLU)."""
        return _of_vectors(self)

    @property
    def windowed(self) -> bool:
        """Whether J sums over a window of context positions (skip-gram over a window, CBOW)."""
        return WINDOW in self.index_sets

    def uncertified(self, wrt: str) -> str:
        """Why the all-sizes argument does not cover ∂J/∂wrt for this loss, as far as the world
        declares it (a loss of centre vectors other than v_c; the centre vector of a window
        position's word), or ""."""
        from symw2v.world.objects import CENTRES, FAMILIES, VARIABLES, WORDS

        variable = VARIABLES[wrt]
        if _of_centres(self) and variable.object not in (WORDS.letter, WORDS.matrix):
            # the argument reads v̂ as the vector the scores pair with: ∂J/∂U and ∂J/∂u_w follow;
            # ∂J/∂v_{w_{t+j}} = (c_w/2m) ∂J/∂v̂ needs the count of the position's word, and v_c
            # itself is another vector than v̂
            return (
                f"no all-sizes certificate for ∂J/∂{wrt} of a loss of the centre vectors of the window's "
                "words (CBOW's v̂ = (1/2m) Σ_j v_{w_{t+j}}): the argument reads v̂ as the vector the scores "
                "u_wᵀv̂ pair with, and covers ∂J/∂U and ∂J/∂u_w only (∂J/∂v_{w_{t+j}} = (c_w/2m) ∂J/∂v̂ "
                "needs the count c_w of the position's word)"
            )
        if variable.object == CENTRES.letter and self.index_set(variable.free) is not VOCABULARY:
            return f"no all-sizes certificate for ∂J/∂{wrt}: the argument shows ∂J/∂v_w = 0 for a word w"
        if variable.object == CENTRES.letter:
            return ""  # J has no centre vector but v_c: ∂J/∂v_w = 0, whatever else it has
        if variable.object in FAMILIES and variable.object != WORDS.letter:
            return f"no all-sizes certificate for ∂J/∂{wrt}: the argument covers u_w and v_c"
        return ""

    @property
    def of_context_centres(self) -> bool:
        """Whether J uses the centre vectors of the window's words (CBOW's average v̂), not v_c."""
        return _of_centres(self)

    @property
    def sampled(self) -> IndexSet | None:
        """The loss's set of sampled words (the negatives), if it has one: its size is K."""
        return next((s for s in self.index_sets if s.sampled), None)


@cache
def _sums_of(loss: Loss) -> tuple[IndexSet, ...]:
    from symw2v import closed_form as cf  # the language reads the world: import it late
    from symw2v.instantiate import resolve_sums
    from symw2v.parse import parse_claim

    node = resolve_sums(parse_claim(loss.expression), loss, strict=False)
    found = {n.over for n in cf.walk(node) if isinstance(n, cf.Sum)}
    found |= {"K"} if cf.Name("K") in set(cf.walk(node)) else set()
    return tuple(s for s in INDEX_SETS.values() if s.bound in found)


@cache
def _of_vectors(loss: Loss) -> bool:
    from symw2v import closed_form as cf
    from symw2v.parse import parse_claim
    from symw2v.world.objects import OBJECTS

    nodes = list(cf.walk(parse_claim(loss.expression)))
    roles = {OBJECTS[n.name].role for n in nodes if isinstance(n, cf.Name)}
    return any(isinstance(n, cf.Word) for n in nodes) or bool(roles & {"vector", "matrix", "vocabulary"})


@cache
def _of_centres(loss: Loss) -> bool:
    """Whether J uses the centre vector of a word other than c (CBOW's average of them)."""
    from symw2v import closed_form as cf
    from symw2v.parse import parse_claim
    from symw2v.world.objects import CENTRES

    nodes = cf.walk(parse_claim(loss.expression))
    return any(isinstance(n, cf.Word) and n.family == CENTRES.letter for n in nodes)


_FOLDER = "losses"


@cache
def builtin_files() -> dict[str, dict]:
    """The built-in losses' files, parsed: ``{name: TOML document}``, in name order."""
    found = {}
    for entry in sorted(resources.files("symw2v.world").joinpath(_FOLDER).iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            data = tomllib.loads(entry.read_text(encoding="utf-8"))
            found[data["loss"]["name"]] = data
    return dict(sorted(found.items()))


def loss_from_table(table: dict) -> Loss:
    """The loss a validated ``[loss]`` table declares."""
    letters = tuple(sorted(table.get("letters", dict(DEFAULT_LETTERS)).items()))
    return Loss(
        table["name"],
        table["expression"],
        table.get("description", table["expression"]),
        letters,
        tuple(table.get("aliases", ())),
        table.get("base", ""),
    )


@cache
def builtin() -> dict[str, Loss]:
    """The built-in losses by name."""
    return {name: loss_from_table(data["loss"]) for name, data in builtin_files().items()}


def named_loss(name: str) -> Loss:
    """The built-in loss called ``name`` (or one of its aliases)."""
    losses = builtin()
    if name in losses:
        return losses[name]
    for loss in losses.values():
        if name in loss.aliases:
            return loss
    known = ", ".join(losses)
    raise SymW2VError(f"unknown loss {name!r}; the built-in losses are {known}")


BUILTIN: dict[str, Loss] = builtin()
