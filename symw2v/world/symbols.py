"""Symbols that know what they stand for.

A coordinate of U, v_c or z is a SymPy symbol named as a reader writes it (``u_{2,3}``,
``v_{c,1}``, ``z_{4}``) that also carries what it is: the object it belongs to and its indices.
Nothing in symw2v reads meaning back out of a symbol's name.  A display symbol stands for a
readable quantity (the dot product ``u_2ᵀv_c``, ``ŷ_o``) in formulas shown to people, with its
LaTeX and its plain text.
"""

from __future__ import annotations

from functools import lru_cache

import sympy


class Coordinate(sympy.Symbol):
    """A real coordinate: ``owner`` ("u", "v" or "z") and ``indices`` (word and component of
    u; component of v_c, or word and component of another word's centre vector v_w; word of z).
    It sorts with SymPy's other symbols, by name."""

    __slots__ = ("owner", "indices")

    def __new__(cls, owner: str, indices: tuple[int, ...], name: str, positive: bool = False):
        self = sympy.Symbol.__xnew__(cls, name, **({"positive": True} if positive else {"real": True}))
        self.owner = owner
        self.indices = indices
        return self

    def __getnewargs_ex__(self):
        return ((self.owner, self.indices, self.name, bool(self.is_positive)), {})

    @classmethod
    def class_key(cls):
        return sympy.Symbol.class_key()

    @property
    def vector(self) -> str:
        """The vector this coordinate is part of: ``u_2``, ``v_c``, ``z`` or ``X``."""
        if self.owner == "u" or (self.owner == "v" and len(self.indices) == 2):
            return f"{self.owner}_{self.indices[0]}"
        return {"v": "v_c", "z": "z", "X": "X"}.get(self.owner, self.owner)

    @property
    def vector_latex(self) -> str:
        """That vector in LaTeX: ``\\boldsymbol{u}_{2}``."""
        if self.owner == "u" or (self.owner == "v" and len(self.indices) == 2):
            return rf"\boldsymbol{{{self.owner}}}_{{{self.indices[0]}}}"
        named = {
            "v": r"\boldsymbol{v}_{c}",
            "z": r"\boldsymbol{z}",
            "X": r"\boldsymbol{X}",
            "alpha": r"\alpha",
        }
        return named.get(self.owner, self.owner)

    @property
    def position(self) -> int:
        """Its 1-based place in that vector (1 for a scalar)."""
        return self.indices[-1] if self.indices and self.indices[-1] > 0 else 1

    def shown(self, value):
        """The value of what this coordinate stands for: α = 1/(1 + b) for α's parameter b,
        x = −p for the positive p that stands for a negative x."""
        if self.owner == "alpha":
            return sympy.Integer(1) / (1 + value)
        return -value if self.indices == (-1,) else value


class Shown(sympy.Symbol):
    """A quantity as people write it, for display only: ``latex`` and ``text`` are its forms."""

    __slots__ = ("text",)

    def __new__(cls, latex: str, text: str):
        self = sympy.Symbol.__xnew__(cls, latex)
        self.text = text
        return self

    def __getnewargs_ex__(self):
        return ((self.name, self.text), {})

    @classmethod
    def class_key(cls):
        return sympy.Symbol.class_key()


@lru_cache(maxsize=1 << 16)
def u(word: int, i: int) -> Coordinate:
    """Component ``i`` of ``u_word`` (both 1-based)."""
    return Coordinate("u", (word, i), f"u_{{{word},{i}}}")


@lru_cache(maxsize=1 << 16)
def v(i: int) -> Coordinate:
    """Component ``i`` of ``v_c``."""
    return Coordinate("v", (i,), f"v_{{c,{i}}}")


@lru_cache(maxsize=1 << 16)
def centre(word: int, i: int) -> Coordinate:
    """Component ``i`` of ``v_word``, the centre vector of a word other than c (both 1-based)."""
    return Coordinate("v", (word, i), f"v_{{{word},{i}}}")


@lru_cache(maxsize=1 << 16)
def z(word: int) -> Coordinate:
    """The score ``z_word``, as a free variable (to differentiate J by z)."""
    return Coordinate("z", (word,), f"z_{{{word}}}")


@lru_cache(maxsize=1 << 16)
def count(word: int) -> Coordinate:
    """The co-occurrence count ``X_word``, a positive constant."""
    return Coordinate("X", (word,), f"X_{{{word}}}", positive=True)


def scalar(name: str) -> Coordinate:
    """A real scalar such as an activation's argument x."""
    return Coordinate(name, (), name)


def slope_parameter() -> Coordinate:
    """b > 0, with α = 1/(1 + b): every α strictly between 0 and 1, and nothing else."""
    return Coordinate("alpha", (), "b_{\\alpha}", positive=True)


def dot(word: int | str) -> Shown:
    """``u_wordᵀ v_c``, shown."""
    return Shown(rf"\boldsymbol{{u}}_{{{word}}}^{{\top}} \boldsymbol{{v}}_{{c}}", f"u_{word}ᵀv_c")


def yhat(word: int | str) -> Shown:
    """``ŷ_word``, shown."""
    return Shown(rf"\hat{{y}}_{{{word}}}", f"ŷ_{word}")


def plain(expr: sympy.Expr) -> sympy.Expr:
    """``expr`` with its symbols renamed for plain text (``u_2ᵀv_c``, ``u_1[3]``, ``v_c[2]``,
    ``x``, and α for the slope's parameter b, written back through α = 1/(1 + b))."""
    renamed = {}
    for symbol in expr.free_symbols:
        if isinstance(symbol, Shown):
            renamed[symbol] = sympy.Symbol(symbol.text)
        elif isinstance(symbol, Coordinate):
            renamed[symbol] = _plain_coordinate(symbol)
    shown = expr.xreplace(renamed)
    return sympy.cancel(shown) if any(s.owner == "alpha" for s in expr.atoms(Coordinate)) else shown


def _plain_coordinate(symbol: Coordinate) -> sympy.Expr:
    if symbol.owner == "alpha":
        alpha = sympy.Symbol("α", positive=True)
        return (1 - alpha) / alpha
    if symbol.indices in ((), (-1,)):  # a scalar, or the positive p that stands for a negative x
        return sympy.Symbol(symbol.owner) * (-1 if symbol.indices else 1)
    if symbol.owner in "uv":
        return sympy.Symbol(f"{symbol.vector}[{symbol.position}]")
    return sympy.Symbol(f"{symbol.owner}_{symbol.position}")
