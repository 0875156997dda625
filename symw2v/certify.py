"""An all-sizes certificate: a proof that a claim holds for every d, V and K, where one is sound.

Every quantity in the word2vec losses depends on the vectors only through dot products, and
every gradient is a combination of vectors with scalar coefficients (the chain rule through z:
``∂J/∂v_c = Σ_w (∂J/∂z_w) u_w``).  Here the claim and the gradient are evaluated *formally*:

- vectors are formal symbols (u_o, a generic word or negative u_g, v_c) and their dot
  products are independent scalar symbols (z_o = u_oᵀv_c, z_g = u_gᵀv_c, …);
- a sum over the negatives is its generic term at g plus a remainder over the other
  negatives, a sum over the vocabulary its terms at o and g plus a remainder; a scalar
  remainder is an opaque symbol R_f = Σ_{j rest} f(z_j), a vector remainder a family
  Σ_{j rest} h(j) u_j kept by its generic coefficient h;
- the gradient comes from the loss by the chain rule through z, and through each remainder:
  ∂J/∂z_j = Σ_f (∂J/∂R_f) f'(z_j) for every j in the rest.

∂J/∂U is the matrix whose column w is ∂J/∂u_w (row w, transposed, when it is V×d).  A claim
about it evaluates formally to a matrix with a formal vector per kind of word, compared column by
column with the per-word gradient above: at o, at a generic word g ≠ o (for negative sampling: a
generic negative, and a word n that is neither o nor a negative, whose column must be 0).  Every
column of every instance is one of these kinds, so the columns agreeing prove the matrix.

A sum over the window is a sum over the vocabulary weighted by the words' counts
(``formal_window.py``): every window, repeated words and o included, is a specialisation of the
counts.  ∂J/∂v_w (another word's centre vector) is 0 for a loss that has none: the claim must
evaluate to the zero vector.

Equal coefficient functions (decided exactly, as rational functions after exponentials become
monomials) prove the claim for every d (formal vectors specialise to any vectors), every V and
K (an empty rest sets the remainders to 0, a specialisation too), under the stated side
conditions.  Unequal coefficients prove nothing: the certificate is then denied, never turned
into a refutation (a claim true only at d = 1 or K = 1 lands here).
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy

from symw2v import closed_form as cf
from symw2v.formal import (
    FAMILY,
    GENERIC,
    MEMBER,
    NEITHER,
    Family,
    Formal,
    FVec,
    NoCertificate,
    Remainders,
    WordMatrix,
    centre,
    score,
    size,
)
from symw2v.formal_window import (
    AVERAGE_ARGUMENT,
    WINDOW_ARGUMENT,
    WINDOW_NEGATIVES_ARGUMENT,
    count,
    counts,
)
from symw2v.instantiate import resolve_sums
from symw2v.parse import parse_claim
from symw2v.rational import to_rational
from symw2v.world import (
    CENTRES,
    INDEX_SETS,
    OBJECTS,
    OUTSIDE,
    VARIABLES,
    VOCABULARY,
    WORDS,
    Instance,
    Reading,
)
from symw2v.world.losses import Loss


@dataclass(frozen=True)
class Certificate:
    """The outcome: ``holds`` with the argument, or the reason there is no certificate."""

    holds: bool
    statement: str
    argument: str


def _sampled(loss: Loss):
    """The loss's set of sampled words (its negatives), or None."""
    return next((s for s in loss.index_sets if s.sampled), None)


def _by_word(wrt: str) -> bool:
    """Whether ∂J/∂wrt is the matrix of the word vectors' gradients, one per word (∂J/∂U)."""
    return VARIABLES[wrt].object == WORDS.matrix


def _window_negatives(loss: Loss) -> bool:
    """A window loss with negatives: its certificate reads the one-hot vectors of the window's
    words and of the negatives, known at o, g and n when the negatives are distinct and none is o."""
    return _sampled(loss) is not None and loss.windowed


def in_domain(instance: Instance, loss: Loss, wrt: str) -> bool:
    """Whether ``instance`` meets the side conditions of the certificate for ``∂J/∂wrt``: a
    word vector differentiated by must not also be a sampled word (the formal argument treats
    them as different vectors); ∂J/∂U needs what every column needs (distinct negatives, none
    equal to o); the centre vector needs nothing, but over a window with negatives every
    gradient but another word's centre vector's needs what ∂J/∂U needs."""
    sampled, variable = _sampled(loss), VARIABLES[wrt]
    if _window_negatives(loss) and variable.object != CENTRES.letter:
        return sampled.distinct(instance)
    if sampled is None or (variable.object != WORDS.letter and not _by_word(wrt)):
        return True
    if variable.object == WORDS.letter and not variable.free:
        return instance.o not in sampled.members(instance)
    return sampled.distinct(instance)


def _domain(loss: Loss, wrt: str) -> str:
    sampled, variable = _sampled(loss), VARIABLES[wrt]
    if variable.object == CENTRES.letter:
        return "every size and every instance (J does not depend on the centre vector of any word but c)"
    if loss.windowed and sampled is not None:
        return (
            f"every d ≥ 1, V ≥ 2, {sampled.bound} ≥ 1 and m ≥ 1, when the {sampled.name} are distinct "
            "and differ from o, and every window: its words any words of the vocabulary, repeated or "
            f"not, o or {sampled.name} among them or not"
        )
    if loss.windowed:
        return (
            "every d ≥ 1, V ≥ 2 and m ≥ 1, and every window: its words any words of the vocabulary, "
            "repeated or not, o among them or not"
        )
    if sampled is None:
        return "every d ≥ 1 and every V ≥ 2"
    sizes = f"every d ≥ 1, V and {sampled.bound} ≥ 1"
    if variable.object != WORDS.letter and not _by_word(wrt):
        return f"{sizes}, whatever the {sampled.name} (repeated, or equal to o)"
    if variable.object == WORDS.letter and not variable.free:
        return f"{sizes}, when no {sampled.generic} equals o"
    return f"{sizes}, when the {sampled.name} are distinct and differ from o"


def _gradient(loss: Loss, wrt: str, J: sympy.Expr, remainders: Remainders):
    """∂J/∂wrt by the chain rule through z and through the remainders (cases for u_w: g and o)."""
    if _by_word(wrt):  # column by column: each column is a per-word gradient, checked there
        return _columns(loss, J, remainders)
    z_o, z_g, z_n, z_rest = score(OUTSIDE), score(MEMBER), score(NEITHER), score(GENERIC)
    sizes = {size(s) for s in INDEX_SETS.values()}
    # the chain rule below sees J only through z_o, z_g and the remainders; anything else
    # (a dot product other than u_wᵀv_c, a remainder whose terms involve o or g) is outside it
    remainder_symbols = {symbol for symbol, _ in remainders.symbols.values()}
    # the counts of a window's words (c_o, c_g) are numbers, not functions of the vectors
    # (z_n: the word that is neither o nor a negative, in a window with negatives)
    if J.free_symbols - ({z_o, z_g, z_n} | sizes | remainder_symbols | counts()):
        raise NoCertificate("the loss depends on the vectors other than through the scores u_wᵀv_c")
    rest = {s.bound: sympy.Integer(0) for s in INDEX_SETS.values()}
    for (over, _), (symbol, term) in remainders.symbols.items():
        if symbol not in J.free_symbols:
            continue
        if term.free_symbols - ({z_rest, count(GENERIC)} | sizes):
            raise NoCertificate("a sum in the loss whose terms involve o or the generic index")
        rest[over] += sympy.diff(J, symbol) * sympy.diff(term, z_rest)
    d_o, d_g, d_n = sympy.diff(J, z_o), sympy.diff(J, z_g), sympy.diff(J, z_n)
    variable = VARIABLES[wrt]
    along = FVec({centre(): d_g})  # ∂J/∂u_g = (∂J/∂z_g) v_c
    if variable.object == WORDS.letter and not variable.free:
        return [("", FVec({centre(): d_o}))]
    if variable.object == WORDS.letter:
        sampled = loss.index_set(variable.free).sampled
        found = [(MEMBER, along)] if sampled else [(MEMBER, along), (OUTSIDE, FVec({centre(): d_o}))]
        if not sampled and _sampled(loss) is not None:  # every word: o, a negative, or neither
            found.append((NEITHER, FVec({centre(): d_n})))
        return found
    if OBJECTS[variable.object].role == "vocabulary":
        return [("", Family({OUTSIDE: d_o, MEMBER: d_g, GENERIC: rest[VOCABULARY.bound]}))]
    words = {WORDS.text(OUTSIDE): d_o, WORDS.text(MEMBER): d_g, WORDS.text(NEITHER): d_n}
    return [("", FVec({**words, **{f"{FAMILY}{bound}": value for bound, value in rest.items()}}))]


def _columns(loss: Loss, J: sympy.Expr, remainders: Remainders):
    """∂J/∂U column by column: the per-word gradients ∂J/∂u_w above, at w = o and at a generic
    member g; with sampled words also at a word n that is none of them (J, checked above to
    depend on the vectors only through z_o, z_g and remainders over the rest by the first
    ``_gradient``, has ∂J/∂z_n = 0)."""
    sampled = _sampled(loss)
    generic = next(
        name
        for name, v in VARIABLES.items()
        if v.object == WORDS.letter and v.free and loss.index_set(v.free) == (sampled or VOCABULARY)
    )
    found = _gradient(loss, generic, J, remainders)
    if sampled is not None:  # ∂J/∂u_k covers the negatives only: o and n are columns of their own
        outside = next(name for name, v in VARIABLES.items() if v.object == WORDS.letter and not v.free)
        found += [(OUTSIDE, vector) for _, vector in _gradient(loss, outside, J, remainders)]
        found.append((NEITHER, FVec({centre(): sympy.diff(J, score(NEITHER))})))
    return found


def _where(where: str, loss: Loss, claimed) -> str:
    """Where a claim and the gradient differ, in words: " at w = o", or the column (row) of a
    kind of word of ∂J/∂U."""
    if not isinstance(claimed, WordMatrix):
        neither = f" at a word w that is neither o nor one of the {getattr(_sampled(loss), 'name', '')}"
        return {OUTSIDE: " at w = o", NEITHER: neither}.get(where, "")
    line = "row" if claimed.words_as_rows else "column"
    sampled = _sampled(loss)
    if where == NEITHER:  # only a loss with sampled words has this kind of word
        return f" in the {line} of a word that is neither o nor one of the {sampled.name} (it must be 0)"
    return f" in the {line} of {'o' if where == OUTSIDE else 'a ' + (sampled or VOCABULARY).generic}"


def _expr(value) -> sympy.Expr:
    """A coefficient as a SymPy expression (a missing one is the integer 0)."""
    return value if isinstance(value, sympy.Basic) else sympy.Integer(value)


def _equal(a, b) -> bool:
    if isinstance(a, FVec) and isinstance(b, FVec):
        keys = sorted(set(a.coeffs) | set(b.coeffs))
        pairs = [(a.coeffs.get(k, 0), b.coeffs.get(k, 0)) for k in keys]
    elif isinstance(a, Family) and isinstance(b, Family):
        pairs = [(a.at[k], b.at[k]) for k in a.at]
    else:
        return False
    differences = [_expr(x) - _expr(y) for x, y in pairs]
    rewritten, _ = to_rational(differences)
    return all(sympy.cancel(d) == 0 for d in rewritten)


def _letter(claim: cf.Node, free: str) -> str:
    """The letter the claim writes the free index with (u_{w_s} is u_k written with s)."""
    found = sorted(cf.free_indices(claim))
    return free if not found or free in found else found[0]


def _outside(loss: Loss, wrt: str) -> str:
    """Why the formal argument does not cover ∂J/∂wrt for this loss, or "" when it does."""
    variable = VARIABLES[wrt]
    obj = OBJECTS.get(variable.object)
    if reason := loss.uncertified(wrt):  # declared by the world: a window, another word's v
        return reason
    if variable.object == CENTRES.letter:  # ∂J/∂v_w = 0: shown by _zero, whatever the loss sums
        return ""
    if not variable.object:
        return "no all-sizes certificate for J itself: the argument covers gradients"
    if obj is not None and obj.role == "matrix" and not _by_word(wrt):
        return (
            f"no all-sizes certificate for ∂J/∂{wrt}: the argument covers vectors and {WORDS.matrix}, "
            "the matrix of the word vectors"
        )
    sampled = _sampled(loss)
    # every word is o, a negative or neither: in a window with negatives, u_w is read at all three
    over_words = variable.free and not loss.index_set(variable.free).sampled and not _window_negatives(loss)
    if sampled is not None and (over_words or (obj is not None and obj.role == "vocabulary")):
        return f"no all-sizes certificate for ∂J/∂{wrt} of a loss with {sampled.name}"
    return ""


def certify(
    claim: cf.Node, loss: Loss, wrt: str, reading: Reading, case: str = "", layout: str = ""
) -> Certificate:
    """Try to prove ``∂J/∂wrt = claim`` for every size, in the ``case`` given ("!=": the free
    index is not o, "=": it is o, "": every case); never claims more than it shows.

    ``layout`` ("denominator" or "numerator") binds how a claim about ∂J/∂U is laid out; with
    none, either is read (the caller's shape check has chosen), and the statement says which."""
    outside = _outside(loss, wrt)
    if case == "repeated":
        outside = "no all-sizes certificate with repeated negatives: the argument takes them distinct"
    elif case and _by_word(wrt):  # a case would leave columns unchecked
        outside = f"no all-sizes certificate for one case of ∂J/∂{wrt}: the argument checks every column"
    if outside:
        return Certificate(False, "", outside)
    if VARIABLES[wrt].object == CENTRES.letter:
        return _zero(claim, loss, wrt, reading, case)
    remainders = Remainders()
    formal = Formal(loss, reading, remainders)
    free = VARIABLES[wrt].free
    try:
        J = formal.value(resolve_sums(parse_claim(loss.expression), loss, strict=False), {})
        if not isinstance(J, sympy.Expr):
            raise NoCertificate("the loss is not a scalar")
        matrix = _matrix(formal, claim, reading, layout) if _by_word(wrt) else None
        for where, derived in _gradient(loss, wrt, J, remainders):
            if (case == "!=" and where == OUTSIDE) or (case == "=" and where != OUTSIDE):
                continue
            if matrix is not None:  # the column of this kind of word
                claimed = matrix.at[where]
            else:
                claimed = formal.value(claim, {_letter(claim, free): where} if free else {})
            if not _equal(claimed, derived):
                return Certificate(
                    False,
                    "",
                    "no all-sizes certificate: the coefficients of the claim and of the gradient "
                    f"differ{_where(where, loss, matrix if matrix is not None else claimed)} "
                    # not "false at most sizes": an identity between sums the argument keeps as
                    # separate symbols (Σ_w ŷ_w = 1) is not seen, and a true claim lands here too
                    "as functions of independent dot products and sums, so this argument does not "
                    "show it for every size (checked at the instances listed)",
                )
    except (NoCertificate, cf.NoRule) as error:  # NoRule: a construct the argument has no rule for
        return Certificate(False, "", f"no all-sizes certificate: {error}")
    statement = f"holds for {_domain(loss, wrt)}"
    if matrix is not None:
        statement += _by_columns(loss, matrix)
    generic = (_sampled(loss) or VOCABULARY).generic
    argument = (
        f"Treat the vectors u_o, u_g (a generic {generic}) and v_c as formal symbols and their dot "
        "products as independent scalars; split every sum into its generic term and an opaque "
        "remainder over the other indices. The gradient, "
        "derived from the loss by the chain rule through z and through the remainders, and the "
        "claim then have the same coefficient on every vector and on every family of remaining "
        "vectors, as rational functions of the exponentials (an exact identity). An identity in "
        "independent symbols survives every specialisation: to vectors of any dimension d, to "
        "any number of remaining words or negatives, and to none (remainders 0)."
    )
    if loss.windowed:
        argument += WINDOW_ARGUMENT
    if _window_negatives(loss):
        argument += WINDOW_NEGATIVES_ARGUMENT
    if loss.of_context_centres:
        argument += AVERAGE_ARGUMENT
    if matrix is not None:
        argument += (
            f" ∂J/∂{WORDS.matrix} has the gradient ∂J/∂u_w of each word w as its column w (row w, "
            "transposed, when it is V×d); the claim, evaluated the same way, has a formal vector at "
            "each kind of word, and each was shown equal to that word's gradient: every column of "
            "every instance is one of these kinds."
        )
    return Certificate(True, statement, argument)


def _zero(claim: cf.Node, loss: Loss, wrt: str, reading: Reading, case: str) -> Certificate:
    """∂J/∂v_w = 0 for a loss the world declares free of other words' centre vectors (checked
    by ``Loss.uncertified``): the claim must evaluate to the zero vector at w = o and at a
    generic word w ≠ o, the two kinds every word is."""
    formal = Formal(loss, reading, Remainders())
    free = VARIABLES[wrt].free
    try:
        for where in (MEMBER, OUTSIDE):
            if (case == "!=" and where == OUTSIDE) or (case == "=" and where != OUTSIDE):
                continue
            claimed = formal.value(claim, {_letter(claim, free): where})
            if not isinstance(claimed, FVec) or not _equal(claimed, FVec({}, claimed.row)):
                said = " at w = o" if where == OUTSIDE else ""
                return Certificate(
                    False, "", f"no all-sizes certificate: the claim is not the zero vector{said}"
                )
    except (NoCertificate, cf.NoRule) as error:
        return Certificate(False, "", f"no all-sizes certificate: {error}")
    argument = (
        f"J is written without the centre vector of any word but c (the world's declaration of the "
        f"loss, read by the certificate), so ∂J/∂{wrt} = 0 at every instance; the claim, evaluated "
        "formally with w = o and with a generic word w ≠ o, is the zero vector in both."
    )
    return Certificate(True, f"holds for {_domain(loss, wrt)}", argument)


def _matrix(formal: Formal, claim: cf.Node, reading: Reading, layout: str) -> WordMatrix:
    """A claim about ∂J/∂U evaluated formally: a matrix with a d-vector per kind of word, laid
    out as ``layout`` requires (the denominator layout is U's shape, the numerator its transpose)."""
    value = formal.as_columns(formal.value(claim, {}))
    if not isinstance(value, WordMatrix) or value.hidden:
        raise NoCertificate("a claim about a matrix whose value is not a matrix with a vector per word")
    if layout in ("denominator", "numerator"):
        rows = (reading.U == "rows") == (layout == "denominator")
        if value.words_as_rows != rows:
            shape, wanted = ("V×d", "d×V") if value.words_as_rows else ("d×V", "V×d")
            raise NoCertificate(
                f"the claim is {shape}; ∂J/∂{WORDS.matrix} in the {layout} layout is {wanted} "
                f"when {WORDS.matrix} is read as {reading.U}"
            )
    return value


def _by_columns(loss: Loss, matrix: WordMatrix) -> str:
    """How the certificate of ∂J/∂U reads the claim: column by column, or row by row."""
    sampled = _sampled(loss)
    if matrix.words_as_rows:
        line, each = "row by row: row w is (∂J/∂u_w)ᵀ", "its row"
    else:
        line, each = "column by column: column w is ∂J/∂u_w", "its column"
    if sampled is None:
        return f", {line}, for w = o and for every word other than o"
    if _window_negatives(loss):
        return f", {line}, for w = o, for every {sampled.generic} and for every other word"
    return f", {line}, for w = o and for every {sampled.generic}; for every other word {each} is 0"
