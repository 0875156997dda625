"""A sum over the window, formally: a sum over the vocabulary weighted by the words' counts.

The window's 2m positions hold words that may repeat, be o, or be any other word.  Whatever they
are, ``Σ_j F(w_{t+j}) = Σ_w c_w F(w)`` over the vocabulary, where ``c_w`` is the number of
positions holding w (c_w ≥ 0, Σ_w c_w = 2m).  So a sum over the window is split like a sum over
the vocabulary: its terms at o and at g, weighted by the counts c_o and c_g (independent
symbols), and the rest, a remainder ``Σ_{w rest} c_w f(z_w)`` whose generic term carries the
count c_• beside the score z_•.  A part of the term that does not depend on the position's word
is the same at every position: it counts ``Σ_{w rest} c_w = 2m − c_o − c_g`` times.

The rest's term is evaluated at a word r standing for "the word of a generic remaining
position": u_r, z_r = u_rᵀv_c and c_r are its symbols.  Its one-hot vector e_r has the entry
δ_r at the generic rest word • of a length-V vector ([• = r]: not a function of • alone), which a
sum over the vocabulary resolves: ``Σ_{w rest} [w = r] h(w) = h(r)``.  Closing the window then
renames r to •: what was said of one position's word becomes the family's generic term.

Every word of every instance's window is o, g or a rest word, and a count is the same whether
the positions are repeated or not: the identity shown in these symbols holds for every window.
Anything else the rest's term does (a sum over the vocabulary that depends on r, a dot product of
u_r with another vector, r inside σ of a length-V vector) is outside the argument, and denied.

With negatives (the same K at every position), the named kinds are o, a generic negative g and a
word n that is neither, with counts c_o, c_g, c_n; the rest (words that are none of them) keeps
remainders and families of its own ("m"), apart from the vocabulary's rest, which holds n.  With
the negatives distinct and none equal to o, every word is one of the kinds, and the other
negatives' one-hot vectors are 0 at each (``other_negative``).  CBOW's average v̂ = (1/2m) Σ_j
v_{w_{t+j}} is the formal centre vector: Σ_j a v_{w_{t+j}} with one coefficient a at every
position is 2m a v̂ (``Window._averaged``).
"""

from __future__ import annotations

import sympy

from symw2v import closed_form as cf
from symw2v.formal_values import (
    FAMILY,
    GENERIC,
    MEMBER,
    NEITHER,
    OTHER_NEGATIVE,
    Family,
    FVec,
    NoCertificate,
    Pairing,
    Remainders,
    WordMatrix,
    add,
    centre,
    check_no_other_negative,
    kind_of,
    scale,
    score,
    size,
)
from symw2v.world import CENTRES, NEGATIVES, OUTSIDE, VOCABULARY, WINDOW, WORDS

_OVER_WINDOW = "a sum over the window of"  # what a denial says the argument could not read
WORD = "r"  # the word of a generic remaining position of the window
OWN_CENTRE = "v_c (not v̂)"  # in CBOW, v_c: a vector J does not use, other than the average v̂
DELTA = sympy.Symbol("δ_r", nonnegative=True)  # [• = r]: e_r's entry at the generic rest word
SIZES = (size(WINDOW), size(VOCABULARY))


# the certificate's argument, in words, for a loss over a window (certify.py adds it)
WINDOW_ARGUMENT = (
    " A sum over the window is a sum over the vocabulary weighted by how many positions hold each "
    "word, Σ_j F(w_{t+j}) = Σ_w c_w F(w): its terms at o and g weighted by the counts c_o and c_g, "
    "and a remainder Σ_{w rest} c_w f(z_w); the counts are independent symbols too, so the identity "
    "holds for every window (a word at several positions, o or g among the window's words or not), "
    "and the gradient at a word collects every position that holds it."
)


WINDOW_NEGATIVES_ARGUMENT = (
    " With negatives, the window's words are split at three kinds of word, o, a generic negative g "
    "and a word n that is neither (counts c_o, c_g, c_n), and the rest Σ_{w rest} c_w f(z_w) over "
    "the words that are none of them; the negatives' sum, the same at every position, counts 2m "
    "times. The negatives are distinct and none is o, so every word of an instance is o, one "
    "negative or neither, and its one-hot vector is known at each kind; the gradient at a negative "
    "collects both its window positions (c_g) and its 2m terms as a negative."
)


AVERAGE_ARGUMENT = (
    " The loss pairs the words with the average v̂ = (1/2m) Σ_j v_{w_{t+j}} of the context words' "
    "centre vectors (CBOW), the formal vector the scores z_w = u_wᵀv̂ are taken with: a sum over the "
    "window Σ_j a v_{w_{t+j}} whose coefficient a is the same at every position is 2m a v̂, whatever "
    "the window's words; v_c, which J does not use, is a vector of its own."
)


def count(index: str) -> sympy.Symbol:
    """c_index: how many of the window's positions hold the word ``index``."""
    return sympy.Symbol(f"c_{index}", nonnegative=True)


def counts() -> set[sympy.Symbol]:
    """The count symbols that may stand in a loss after its window is closed."""
    return {count(OUTSIDE), count(MEMBER), count(NEITHER)}


def one_hot(index: str, indices: tuple[str, ...]) -> Family:
    """e_index, the one-hot vector of a word of kind ``index`` (o, g or the window's r)."""
    if index == GENERIC:
        raise NoCertificate(
            "the one-hot vector of a word a sum runs over (its entries are not a function of one word)"
        )
    if index == WORD:
        return Family({i: DELTA if i == GENERIC else sympy.Integer(0) for i in indices})
    return Family({i: sympy.Integer(int(i == index)) for i in indices})


def other_negative(indices: tuple[str, ...]) -> Family:
    """e_k for k one of the negatives other than g: 0 at o, g and n (the negatives distinct and
    none equal to o, n no negative), [• = k] at the generic rest word."""
    return Family({i: OTHER_NEGATIVE if i == GENERIC else sympy.Integer(0) for i in indices})


def at_window_word(family: Family) -> sympy.Expr:
    """The entry of a length-V vector at the window's word r: its generic entry, said of r."""
    check_no_other_negative(family)
    return _as_word(family.at[GENERIC]).xreplace({DELTA: sympy.Integer(1)})


def _as_word(expr: sympy.Expr) -> sympy.Expr:
    """The generic rest word's symbols renamed to the window word's (what [• = r] allows)."""
    return expr.xreplace({score(GENERIC): score(WORD), count(GENERIC): count(WORD)})


def _as_generic(expr: sympy.Expr) -> sympy.Expr:
    return expr.xreplace({score(WORD): score(GENERIC), count(WORD): count(GENERIC)})


def _of_word(symbol: sympy.Basic) -> bool:
    """Whether ``symbol`` depends on the window word r."""
    if isinstance(symbol, Pairing):
        return any(v in (WORDS.text(WORD), CENTRES.text(WORD)) for v in symbol.vectors)
    return symbol in (score(WORD), count(WORD), DELTA)


def depends_on_word(expr) -> bool:
    """Whether a scalar depends on the window word r (or on [• = r])."""
    return isinstance(expr, sympy.Basic) and any(_of_word(s) for s in expr.free_symbols)


def split_delta(expr: sympy.Expr) -> tuple[sympy.Expr, sympy.Expr]:
    """``A + δ_r B`` → ``(A, B)``, with δ_r² = δ_r (an indicator)."""
    if not expr.has(DELTA):
        return expr, sympy.Integer(0)
    free, with_delta = sympy.Integer(0), sympy.Integer(0)
    for term in sympy.Add.make_args(sympy.expand(expr)):
        rest, factor = term.as_independent(DELTA, as_Add=False)
        if factor == 1:
            free += term
        elif factor.is_Pow and factor.base == DELTA and factor.exp.is_positive and factor.exp.is_integer:
            with_delta += rest
        elif factor == DELTA:
            with_delta += rest
        else:
            raise NoCertificate(
                "a function of the one-hot vector of a window's word other than a sum of multiples"
            )
    return free, with_delta


def vocabulary_sum(at: dict[str, sympy.Expr], remainders: Remainders) -> sympy.Expr:
    """Σ_w a_w over the vocabulary, for a length-V vector whose generic entry may hold δ_r."""
    check_no_other_negative(Family(at))
    free, diagonal = split_delta(at[GENERIC])
    if depends_on_word(free):
        raise NoCertificate("a sum over the vocabulary whose terms depend on a window position's word")
    return at[OUTSIDE] + at[MEMBER] + remainders.symbol(VOCABULARY.bound, free) + _as_word(diagonal)


def combination(family: Family, row: bool) -> FVec:
    """Σ_w a_w u_w over the vocabulary: the terms at o and g, the rest as a family, and the
    window word's vector u_r for the part of the generic entry at [• = r]."""
    check_no_other_negative(family)
    free, diagonal = split_delta(family.at[GENERIC])
    if depends_on_word(free):
        raise NoCertificate("a sum over the vocabulary whose terms depend on a window position's word")
    coeffs = {WORDS.text(i): family.at[i] for i in (OUTSIDE, MEMBER)}
    coeffs[f"{FAMILY}{VOCABULARY.bound}"] = free
    if diagonal != 0:
        coeffs[WORDS.text(WORD)] = _as_word(diagonal)
    return FVec(coeffs, row)


class Window:
    """Closes a sum over the window: ``Σ_s c_s T(s) + Σ_{w rest} c_w T(w)`` over the named kinds
    s of word (o and g; with negatives o, a generic negative g and a word n that is neither),
    the rest's remainders and families kept over ``over`` (the vocabulary's rest when the kinds
    are o and g; the window's own, "m", when they are more: the vocabulary's rest holds n)."""

    def __init__(
        self, remainders: Remainders, kinds=(OUTSIDE, MEMBER), over: str = VOCABULARY.bound, average=False
    ) -> None:
        self.remainders, self.kinds, self.over, self.average = remainders, kinds, over, average
        self.rest = 2 * size(WINDOW) - sum(count(kind) for kind in kinds)  # Σ_{w rest} c_w

    def close(self, terms: dict):
        """The window's sum, from its term with the position's word of each kind and r."""
        average = None
        if self.average:
            terms, average = self._averaged(terms)
        total = self._rest(terms[WORD])
        for kind in self.kinds:
            total = add(scale(terms[kind], count(kind), _OVER_WINDOW), total, 1, _OVER_WINDOW)
        return total if average is None else add(total, average, 1, _OVER_WINDOW)

    def _averaged(self, terms: dict):
        """CBOW: Σ_j a v_{w_{t+j}} = 2m a v̂ when every position's term holds its word's centre
        vector with one coefficient a, free of the word; v̂ is the formal centre vector (the
        scores pair with it).  The terms without their centre vectors, and 2m a v̂ (a vector, or
        a matrix of one per column; None when no term has a centre vector)."""
        if all(isinstance(t, WordMatrix) for t in terms.values()):
            first = terms[WORD]
            columns = {c: self._averaged_vectors({k: t.at[c] for k, t in terms.items()}) for c in first.at}
            if all(extra is None for _, extra in columns.values()):
                return terms, None
            stripped = {
                k: WordMatrix({c: columns[c][0][k] for c in first.at}, t.words_as_rows, t.hidden)
                for k, t in terms.items()
            }
            zero = FVec({}, False)
            extra = {c: columns[c][1] or zero for c in first.at}
            return stripped, WordMatrix(extra, first.words_as_rows)
        return self._averaged_vectors(terms)

    def _averaged_vectors(self, terms: dict):
        vectors = {kind: CENTRES.text(kind) for kind in (*self.kinds, WORD)}
        if not any(isinstance(t, FVec) and vectors[k] in t.coeffs for k, t in terms.items()):
            return terms, None
        if not all(isinstance(t, FVec) for t in terms.values()):
            raise NoCertificate("a sum over the window of centre vectors and other values")
        a = terms[WORD].coeffs.get(vectors[WORD], 0)
        differ = any(sympy.expand(t.coeffs.get(vectors[k], 0) - a) != 0 for k, t in terms.items())
        if depends_on_word(a) or differ:
            raise NoCertificate(
                "a sum over the window of the positions' centre vectors with coefficients that differ "
                "from one position to another (the argument reads Σ_j a v_{w_{t+j}} as 2m a v̂)"
            )
        stripped = {
            k: FVec({b: v for b, v in t.coeffs.items() if b != vectors[k]}, t.row) for k, t in terms.items()
        }
        return stripped, FVec({centre(): 2 * size(WINDOW) * a}, terms[WORD].row)

    def _rest(self, term):
        if isinstance(term, sympy.Expr):
            return self.scalar(term)
        if isinstance(term, FVec):
            return self.vector(term)
        if isinstance(term, Family):
            return Family({i: self._entry(i, v) for i, v in term.at.items()}, term.row)
        if isinstance(term, WordMatrix):
            # closed: the column at g holds every word but o (r's column is the rest's, at g)
            return WordMatrix({k: self.vector(v) for k, v in term.at.items()}, term.words_as_rows)
        raise NoCertificate(f"a sum over the window of {kind_of(term)}")

    def scalar(self, term: sympy.Expr) -> sympy.Expr:
        """Σ_{w rest} c_w T(w): a part free of r counts 2m − c_o − c_g times; a part that is a
        function of r alone (times a factor free of it) is a remainder Σ_{w rest} c_w f(z_w)."""
        if not depends_on_word(term):
            return self.rest * term
        total = sympy.Integer(0)
        for part in sympy.Add.make_args(sympy.expand(term)):
            factor, of_word = part.as_independent(*_word_symbols(part), as_Add=False)
            if of_word == 1:
                total += self.rest * part
                continue
            if not of_word.free_symbols <= {score(WORD), count(WORD), *SIZES}:
                raise NoCertificate(
                    "a term of a sum over the window that mixes the position's word with other "
                    "vectors or sums (the argument splits it into a function of that word's score)"
                )
            total += factor * self.remainders.symbol(self.over, count(GENERIC) * _as_generic(of_word))
        return total

    def vector(self, term: FVec) -> FVec:
        coeffs: dict[str, sympy.Expr] = {}
        family = f"{FAMILY}{self.over}"
        for key, value in term.coeffs.items():
            if key == WORDS.text(WORD):  # u_r at every remaining position: a family c_w h(w) u_w
                if value.has(score(GENERIC)):
                    raise NoCertificate("a sum over the window of sums over the vocabulary of vectors")
                coeffs[family] = coeffs.get(family, 0) + count(GENERIC) * _closed(_as_generic(value))
            elif key.startswith(FAMILY):
                if depends_on_word(value):
                    raise NoCertificate(
                        "a sum over the vocabulary of vectors that depends on a window position's word"
                    )
                coeffs[key] = coeffs.get(key, 0) + self.rest * value
            elif key == CENTRES.text(WORD):
                raise NoCertificate("the centre vector of a window position's word")
            else:
                coeffs[key] = coeffs.get(key, 0) + self.scalar(value)
        return FVec(coeffs, term.row)

    def _entry(self, index: str, value: sympy.Expr) -> sympy.Expr:
        """An entry of a length-V vector summed over the window; at the generic rest word •,
        ``Σ_{r rest} c_r [• = r] B = c_• B(•)``."""
        if index != GENERIC:
            return self.scalar(value)
        free, diagonal = split_delta(value)
        if depends_on_word(free):
            raise NoCertificate("an entry at every word that depends on a window position's word")
        return self.rest * free + count(GENERIC) * _closed(_as_generic(diagonal))


def base_gradient(formal, node, kind: str):
    """``∂J(v_c, w, U)/∂wrt`` with w the word of kind ``kind`` (o, g, n, or the window's r): the
    single-word loss J evaluated formally with its o read as that word, differentiated by the
    chain rule through the scores z_o, z_g, z_n, z_r and through the remainders over the rest
    (the other negatives: the same K for every position).  By v_c: Σ_s (∂J/∂z_s) u_s and the
    rests' families; by U: the column (∂J/∂z_s) v_c at each kind of word, the one at r (if J
    depends on z_r) hidden until the window's sum is closed."""
    from symw2v.instantiate import resolve_sums  # the language reads the world: import it late
    from symw2v.parse import parse_claim
    from symw2v.world import CANONICAL, OBJECTS
    from symw2v.world.losses import named_loss

    loss = named_loss(node.base)
    tree = resolve_sums(parse_claim(loss.expression), loss, strict=False)
    # a base with negatives only inside a window loss with negatives: the same K at every position
    sampled = loss.sampled is not None and not (formal.sampled and formal.loss.base == node.base)
    if kind == GENERIC or sampled or node.wrt not in (centre(), WORDS.matrix):
        raise NoCertificate(f"∂J(v_c, w, U)/∂{node.wrt} of {node.base} at a word the argument does not name")
    if any(isinstance(n, cf.Name) and OBJECTS[n.name].value == "indicator" for n in cf.walk(tree)):
        raise NoCertificate(f"∂J(v_c, w, U)/∂{node.wrt}: {node.base} writes its outside word as y")
    letter = "ω"  # a letter no claim writes: the loss's o, read as the position's word
    # the loss as written (the canonical reading), its sums over the same remainders
    within = type(formal)(formal.loss, CANONICAL, formal.remainders)
    J = within.value(cf.substitute(tree, OUTSIDE, letter), {letter: kind})
    scores = {s: score(s) for s in (*formal.word_kinds, WORD)}
    terms = {symbol: (over, term) for (over, _), (symbol, term) in formal.remainders.symbols.items()}
    if not isinstance(J, sympy.Expr) or J.free_symbols - {*scores.values(), *SIZES, size(NEGATIVES), *terms}:
        raise NoCertificate(f"{node.base} depends on the vectors other than through the scores")
    rest: dict[str, sympy.Expr] = {}
    for symbol in sorted(J.free_symbols & set(terms), key=sympy.default_sort_key):
        over, term = terms[symbol]
        if term.free_symbols - {score(GENERIC), *SIZES, size(NEGATIVES)}:
            raise NoCertificate(f"a sum in {node.base} whose terms involve o or the generic word")
        key = f"{FAMILY}{over}"
        rest[key] = rest.get(key, 0) + sympy.diff(J, symbol) * sympy.diff(term, score(GENERIC))
    by_score = {s: sympy.diff(J, z) for s, z in scores.items()}
    if node.wrt == centre():
        coeffs = {WORDS.text(s): value for s, value in by_score.items() if value != 0}
        return FVec({**coeffs, **rest})
    at = {s: FVec({centre(): by_score[s]}) for s in formal.word_kinds}
    return WordMatrix(at, formal.reading.U == "rows", hidden=by_score[WORD] != 0)


def _closed(expr: sympy.Expr) -> sympy.Expr:
    """A family's generic term, once r is renamed •: nothing of r may be left (a dot product of
    u_r with another vector has no name at the rest's generic word)."""
    if depends_on_word(expr):
        raise NoCertificate("a dot product of a window position's word vector with a vector other than v_c")
    return expr


def _word_symbols(expr: sympy.Expr) -> list[sympy.Symbol]:
    return sorted((s for s in expr.free_symbols if _of_word(s)), key=sympy.default_sort_key)


def hides_a_column(family: Family) -> bool:
    """Whether an outer product with ``family`` has a column at the window's word r that the
    kinds o and g do not show (the family is e_r, or holds it)."""
    return family.at.get(GENERIC, sympy.Integer(0)).has(DELTA)
