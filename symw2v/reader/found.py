"""What reading a document finds: equations with their chains of steps, definitions of J, the
signals of the loss in force, and the displays skipped with the reason (``equations.py`` finds
them; ``document.py`` checks them)."""

from __future__ import annotations

from dataclasses import dataclass, field

from symw2v.reader.derivative import Written
from symw2v.world.losses import Loss


@dataclass
class Step:
    """One side of a chain, as written; ``skip``: why it is not checked (a ∂ in it)."""

    latex: str
    line: int
    skip: str = ""
    read: str = ""  # the text checked, where it differs from what is written (a count defined in words)


@dataclass
class Equation:
    """``∂J/∂x = …`` with its chain of steps, where it is, and what the document says about it."""

    id: str
    written: Written
    line: int
    position: int
    steps: list[Step] = field(default_factory=list)
    rows: list[str] = field(default_factory=list)
    case: str = ""  # "w != o", "w = o" (the document's letter), or "repeated"
    case_source: str = ""
    section_repeats: bool = False
    context: Signal | None = None  # the last thing before it that names or defines a loss
    branch: bool = False  # one case of the chain before it ("w = o:" inside a chain)
    read_as: list[str] = field(default_factory=list)  # how it was read, where that differs
    stated: int = 0  # how many cases the document had stated when it began
    # an equation that is not ∂J/∂x of a word vector: "activation" (σ'(x), f'(x)) or "identity"
    # (-Σ y_w log ŷ_w = -log ŷ_o), with the loss and variable it was read with, and how
    kind: str = ""
    loss: Loss | None = None
    wrt: str = ""
    loss_source: str = ""
    variable: str = ""  # an activation's variable as written (x_i: read as x)


@dataclass(frozen=True)
class Definition:
    """``J = …``: J's subscript, the sides after J (candidates for its expression), its line."""

    subscript: str
    sides: tuple[str, ...]
    line: int
    latex: str


@dataclass(frozen=True)
class Signal:
    """Something that says which loss is in force from ``position`` on: a name (``loss``) or a
    definition; ``where`` says what it was ("J_{neg-sample} on line 12")."""

    position: int
    where: str
    loss: Loss | None = None
    definition: Definition | None = None


@dataclass(frozen=True)
class Skipped:
    id: str
    latex: str
    reason: str
    line: int = 0


@dataclass
class Reading:
    """What reading a document found."""

    equations: list[Equation]
    skipped: list[Skipped]
    definitions: list[Definition]
