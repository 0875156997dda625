"""The instance a proof is made at: sizes V, d, K, the outside word o, the negatives, and the
component symbols of ``U`` and ``v_c``.  Word indices are 1-based, as in the seed."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache

import sympy

from symw2v.errors import SymW2VError
from symw2v.world import symbols as coordinates
from symw2v.world.indices import NEGATIVES, VOCABULARY, WINDOW

MAX_V, MAX_D, MAX_K = 2000, 64, 50
MAX_M = 10  # the window's half-width: 2m context positions


@dataclass(frozen=True)
class Instance:
    """Sizes and indices; ``negatives`` defaults to the first K words other than ``o``.

    ``m`` and ``window``: the window of a skip-gram or CBOW loss over context positions
    −m ≤ j ≤ m, j ≠ 0, in that order, each position's outside word w_{t+j} (words may repeat);
    ``window`` defaults to the words other than ``o`` taken in turn after the negatives, so it
    repeats a word when 2m is larger than V − 1.  A loss without a window ignores both."""

    V: int = 5
    d: int = 3
    K: int = 3
    o: int = 2
    negatives: tuple[int, ...] = field(default=())
    m: int = 2
    window: tuple[int, ...] = field(default=())

    def __post_init__(self) -> None:
        # exact types: True == 1 with the same hash, so a bool here would share cache entries
        # (derivations, loss expressions) with the word it equals
        for name, value, low, top in (
            ("V", self.V, 2, MAX_V),
            ("d", self.d, 1, MAX_D),
            ("K", self.K, 1, MAX_K),
            ("m", self.m, 1, MAX_M),
        ):
            if not _whole(value) or not low <= value <= top:
                raise SymW2VError(f"{name} must be a whole number from {low} to {top}, not {_shown(value)}")
        if not _whole(self.o) or not 1 <= self.o <= self.V:
            raise SymW2VError(f"o = {_shown(self.o)} is not a word of the vocabulary 1..{self.V}")
        if type(self.negatives) is not tuple:
            raise SymW2VError(f"negatives must be a tuple of words, not {_shown(self.negatives)}")
        if not self.negatives:
            others = [w for w in range(1, self.V + 1) if w != self.o]
            if self.K > len(others):
                raise SymW2VError(f"K = {self.K} distinct negatives do not fit in V = {self.V} words")
            object.__setattr__(self, "negatives", tuple(others[: self.K]))
        if len(self.negatives) != self.K:
            raise SymW2VError(f"{len(self.negatives)} negatives given for K = {self.K}")
        for word in self.negatives:
            if not _whole(word) or not 1 <= word <= self.V:
                raise SymW2VError(f"negative {_shown(word)} is not a word of the vocabulary 1..{self.V}")
        self._check_window()

    def _check_window(self) -> None:
        if type(self.window) is not tuple:
            raise SymW2VError(f"window must be a tuple of words, not {_shown(self.window)}")
        if not self.window:
            others = [w for w in range(1, self.V + 1) if w != self.o]
            start = self.K % len(others)
            placed = tuple(others[(start + i) % len(others)] for i in range(2 * self.m))
            object.__setattr__(self, "window", placed)
        if len(self.window) != 2 * self.m:
            raise SymW2VError(f"{len(self.window)} window words given for m = {self.m} (2m positions)")
        for word in self.window:
            if not _whole(word) or not 1 <= word <= self.V:
                raise SymW2VError(f"window word {_shown(word)} is not a word of the vocabulary 1..{self.V}")

    @property
    def distinct_negatives(self) -> bool:
        """True when the negatives differ from each other and from ``o`` (the seed's "o ≠ k")."""
        return len(set(self.negatives)) == self.K and self.o not in self.negatives

    def describe(self, index_sets: tuple = (VOCABULARY, NEGATIVES)) -> str:
        """``V = 5, d = 3, K = 3, o = 2, negatives = (1, 3, 4)``; without K and the negatives for
        a loss whose ``index_sets`` do not have them."""
        sizes = f"V = {self.V}, d = {self.d}"
        words = ", ".join(map(str, self.window))
        window = f", m = {self.m}, window = ({words})" if WINDOW in index_sets else ""
        if NEGATIVES not in index_sets:
            return f"{sizes}, o = {self.o}{window}"
        negatives = ", ".join(map(str, self.negatives))
        return f"{sizes}, K = {self.K}, o = {self.o}, negatives = ({negatives}){window}"

    @classmethod
    def for_loss(cls, sampled: bool, V: int = 5, d: int = 3, K: int = 3, o: int = 2) -> Instance:
        """The instance a claim is checked at; for a loss with no sampled words (the softmax),
        K is kept from clashing with a small V (it has no meaning there)."""
        return cls(V=V, d=d, K=K if sampled else max(1, min(K, V - 1)), o=o)

    @classmethod
    def spread(cls, V: int, d: int, K: int, m: int | None = None) -> Instance:
        """An instance of these sizes whose o, negatives and window are placed by the sizes, so
        that they move from one instance of a grid to the next (the negatives distinct and
        different from o; the window's words repeat when V is small).  ``m``: the window's
        half-width (None: the default)."""
        m = cls.m if m is None else m
        o = (V + d + K) % V + 1
        others = [w for w in range(1, V + 1) if w != o]
        shift = (d + K) % len(others)
        negatives = tuple((others[shift:] + others[:shift])[:K])
        # the window follows the negatives round the words other than o
        window = tuple(others[(shift + K + i) % len(others)] for i in range(2 * m))
        return cls(V=V, d=d, K=K, o=o, negatives=negatives, m=m, window=window)

    def degenerate(self) -> tuple[Instance, Instance]:
        """The same sizes with a repeated negative, and with a negative equal to o (K ≥ 2)."""
        first, *rest = self.negatives
        return replace(self, negatives=(first, first, *rest[1:])), replace(self, negatives=(self.o, *rest))

    def as_dict(self, index_sets: tuple = ()) -> dict:
        """The instance as JSON data; with the window when ``index_sets`` has it."""
        found = {"V": self.V, "d": self.d, "K": self.K, "o": self.o, "negatives": list(self.negatives)}
        if WINDOW in index_sets:
            found.update(m=self.m, window=list(self.window))
        return found

    # component symbols: U[w, i] is component i of u_w, whatever reading U has in a claim;
    # the matrices are immutable and made once per size (a large instance asks for them often)
    def u(self, word: int) -> sympy.ImmutableMatrix:
        """The column vector u_word (1-based)."""
        return _u(word, self.d)

    def v(self) -> sympy.ImmutableMatrix:
        return _v(self.d)

    def centre_vector(self, word: int) -> sympy.ImmutableMatrix:
        """The centre (input) vector v_word of a vocabulary word: what CBOW averages over the
        window.  v_c, the centre word's, is its own vector: every numbered word is one other
        than c."""
        return _centre(word, self.d)

    def one_hot(self, word: int) -> sympy.ImmutableMatrix:
        """e_word, the V×1 one-hot vector of a word."""
        return _one_hot(word, self.V)

    def z_symbols(self) -> sympy.ImmutableMatrix:
        return _z(self.V)

    def U_rows(self) -> sympy.ImmutableMatrix:
        """U as V×d, row w is u_wᵀ."""
        return _U_rows(self.V, self.d)

    def symbols(self) -> list[sympy.Symbol]:
        """Every component symbol of U and v_c, in a fixed order."""
        return list(_symbols(self.V, self.d))


@lru_cache(maxsize=4096)
def _u(word: int, d: int) -> sympy.ImmutableMatrix:
    return sympy.ImmutableMatrix([coordinates.u(word, i) for i in range(1, d + 1)])


@lru_cache(maxsize=4096)
def _centre(word: int, d: int) -> sympy.ImmutableMatrix:
    return sympy.ImmutableMatrix([coordinates.centre(word, i) for i in range(1, d + 1)])


@lru_cache(maxsize=4096)
def _one_hot(word: int, V: int) -> sympy.ImmutableMatrix:
    return sympy.ImmutableMatrix([int(w == word) for w in range(1, V + 1)])


@lru_cache(maxsize=64)
def _v(d: int) -> sympy.ImmutableMatrix:
    return sympy.ImmutableMatrix([coordinates.v(i) for i in range(1, d + 1)])


@lru_cache(maxsize=64)
def _z(V: int) -> sympy.ImmutableMatrix:
    return sympy.ImmutableMatrix([coordinates.z(w) for w in range(1, V + 1)])


@lru_cache(maxsize=64)
def _U_rows(V: int, d: int) -> sympy.ImmutableMatrix:
    return sympy.ImmutableMatrix(V, d, lambda w, i: coordinates.u(w + 1, i + 1))


@lru_cache(maxsize=64)
def _symbols(V: int, d: int) -> tuple[sympy.Symbol, ...]:
    return tuple(_U_rows(V, d)) + tuple(_v(d))


def _whole(value: object) -> bool:
    """An exact ``int``: not a bool, not a float that happens to be whole."""
    return type(value) is int


def _shown(value: object) -> str:
    """``value`` for a message: a bool or a float shows its type, a huge number is not written out."""
    if _whole(value):
        return str(value) if abs(value) < 10**18 else "a number of more than 18 digits"
    return f"{value!r:.40} (a {type(value).__name__})"
