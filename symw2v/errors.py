"""The one exception hierarchy of symw2v: every error a user can cause is a ``SymW2VError``."""

from __future__ import annotations


class SymW2VError(Exception):
    """Base class of every error symw2v raises on purpose."""


class ClaimParseError(SymW2VError):
    """The claim text could not be read; ``position`` is the 0-based offset of the problem."""

    def __init__(self, message: str, text: str = "", position: int | None = None) -> None:
        self.text = text
        self.position = position
        if position is not None and text:
            line = text.replace("\n", " ")
            pointer = " " * position + "^"
            message = f"{message} (at column {position + 1})\n  {line}\n  {pointer}"
        super().__init__(message)


class InputLimitError(ClaimParseError):
    """The claim exceeds one of the bounds on untrusted input (length, nesting, numbers)."""


class InputError(SymW2VError):
    """A field of the input is unknown, missing, or has a value of the wrong type or range.

    ``where`` is the line or table it is in (``"line 3: "``, ``"[instance] "``), ``key`` the
    field (the name as given, for an unknown one).
    """

    def __init__(self, where: str, key: str, message: str) -> None:
        self.where = where
        self.key = key
        super().__init__(message)


class ShapeError(SymW2VError):
    """The claim has no shape under the reading in force; ``shapes`` names what clashed."""

    def __init__(self, message: str, shapes: tuple[str, ...] = ()) -> None:
        self.shapes = shapes
        super().__init__(message)


class DerivationFileError(SymW2VError):
    """A derivation file is malformed; the message names the file and the key."""


class ProofTimeout(SymW2VError):
    """The prover ran past its time limit."""
