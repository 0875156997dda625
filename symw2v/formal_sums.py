"""Sums, formally: the generic term and an opaque remainder over the rest of the index set.

A sum over the negatives is its term at a generic negative g plus a remainder over the other
negatives; a sum over the vocabulary its terms at o and g plus a remainder; a sum over the window
is a sum over the vocabulary weighted by how many positions hold each word (``formal_window.py``),
split, in a loss with negatives, at o, at a generic negative g and at a word n that is neither.
Scalars and d-vectors are summed; a matrix with a column per kind of word is summed column by
column (``Σ_k σ(u_kᵀv_c) v_c e_kᵀ``: the other negatives' one-hot vectors are 0 at o, g and n).
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
    WordMatrix,
    add,
    check_generic_only,
    kind_of,
    score,
    size,
)
from symw2v.formal_window import WORD, Window, depends_on_word, vocabulary_sum
from symw2v.world import BY_BOUND, OUTSIDE, VOCABULARY, WINDOW, WORDS


class Sums:
    """The sums of ``Formal`` (a mixin: it evaluates the terms with ``self``)."""

    def sum_over_vocabulary(self, at: dict[str, sympy.Expr]) -> sympy.Expr:
        return vocabulary_sum(at, self.remainders)

    def on_Sum(self, node: cf.Sum, bindings):
        if node.same:
            raise NoCertificate("a sum over the members with a given word")
        inner = {letter for letter, index in bindings.items() if index in (GENERIC, WORD)}
        if inner & cf.free_indices(node):
            raise NoCertificate("a sum whose terms depend on the index of an enclosing sum")
        # a sum that does not depend on the enclosing sum's index is the same for every term
        bindings = {letter: index for letter, index in bindings.items() if letter not in inner}
        if node.over not in BY_BOUND:  # resolve_sums gave it, the same range every prover uses
            raise NoCertificate(f"sum_{node.index} has no range")
        index_set = BY_BOUND[node.over]
        if index_set is WINDOW:
            return self._window(node, bindings)
        if self.sampled and not index_set.sampled:
            raise NoCertificate("a sum over the vocabulary in a loss whose generic index is a sampled word")
        named = (MEMBER,) if index_set.sampled else (OUTSIDE, MEMBER)
        terms = {i: self(node.body, {**bindings, node.index: i}) for i in named}
        rest = self.other_negative_term(node, bindings) if index_set.sampled else None
        if rest is None:
            rest = self(node.body, {**bindings, node.index: GENERIC})
        if isinstance(rest, sympy.Expr):
            return sum(terms.values(), self._close_scalar(index_set, rest))
        if isinstance(rest, FVec):
            total = self._close_vector(index_set, rest)
            for term in terms.values():
                total = total.plus(term)
            return total
        if isinstance(rest, Family) and self.window_negatives:
            total = self._close_family(index_set, rest)
            for term in terms.values():
                total = add(total, term, 1, f"a sum over {node.index} of")
            return total
        if isinstance(rest, WordMatrix) and self.window_negatives:
            total = self._close_matrix(index_set, rest)
            for term in terms.values():
                total = add(total, term, 1, f"a sum over {node.index} of")
            return total
        raise NoCertificate(
            f"a sum over {node.index} of {kind_of(rest)} (the argument sums scalars and d-vectors)"
        )

    def other_negative_term(self, node: cf.Sum, bindings):
        """The term of a sum over the negatives at the other negatives: its letter, bound to the
        rest •, is one whose one-hot vector reads as ``other_negative`` (``on_Word``)."""
        if not self.window_negatives:
            return None
        saved = self.rest_negatives
        self.rest_negatives = saved | {node.index}
        try:
            return self(node.body, {**bindings, node.index: GENERIC})
        finally:
            self.rest_negatives = saved

    def _window(self, node: cf.Sum, bindings):
        """Σ_j over the window: the vocabulary weighted by counts (``formal_window.py``); with
        negatives, the named kinds are o, a generic negative g and a word n that is neither."""
        kinds = self.word_kinds
        over = WINDOW.bound if self.sampled else VOCABULARY.bound
        terms = {i: self(node.body, {**bindings, node.index: i}) for i in (*kinds, WORD)}
        return Window(self.remainders, kinds, over, self.average).close(terms)

    def _close_scalar(self, index_set, term: sympy.Expr) -> sympy.Expr:
        if depends_on_word(term):
            raise NoCertificate("a sum whose terms depend on a window position's word")
        if not term.has(score(GENERIC)) and not any(
            isinstance(s, Pairing) and s.generic for s in term.free_symbols
        ):
            # the same for every remaining member: the sampled set has g, the vocabulary o and g
            return (size(index_set) - (1 if index_set.sampled else 2)) * term
        check_generic_only(term)
        return self.remainders.symbol(index_set.bound, term)

    def _close_vector(self, index_set, term: FVec) -> FVec:
        coeffs: dict[str, sympy.Expr] = {}
        for key, value in term.coeffs.items():
            if key.startswith(FAMILY):
                raise NoCertificate("a sum of sums of vectors")
            if key == WORDS.text(WORD) or depends_on_word(value):
                raise NoCertificate("a sum whose terms depend on a window position's word")
            if key == WORDS.text(GENERIC):
                check_generic_only(value)
                name = f"{FAMILY}{index_set.bound}"
                coeffs[name] = coeffs.get(name, 0) + value
            else:
                coeffs[key] = coeffs.get(key, 0) + self._close_scalar(index_set, value)
        return FVec(coeffs, term.row)

    def _close_family(self, index_set, term: Family) -> Family:
        """Σ over the other negatives of a length-V vector: its entries at o, g and n summed as
        scalars; at the generic rest word, [• is another negative] times the term's value there,
        which no function of • alone says: the term's own entry, which carries the mark δ_k that
        every reading of it refuses.  Its value stays beside the mark, so two such sums cancel
        there only where their values do (a bare mark would make Σ_k σ(z_k) e_k − Σ_k e_k 0)."""
        at = {k: self._close_scalar(index_set, v) for k, v in term.at.items() if k != GENERIC}
        entry = term.at[GENERIC]
        if entry != 0 and not entry.has(OTHER_NEGATIVE):
            raise NoCertificate(
                "a sum over the other negatives whose entry at another word is not marked as theirs"
            )
        at[GENERIC] = entry
        return Family(at, term.row)

    def _close_matrix(self, index_set, term: WordMatrix) -> WordMatrix:
        """Σ over the other negatives of a matrix with a column per kind: each column summed as a
        d-vector.  The other negatives' own columns are not shown: each is a negative's, g's kind,
        whose column the term at g (added by the caller) gives."""
        if NEITHER not in term.at:
            raise NoCertificate("a sum of matrices without a column for a word that is no negative")
        return WordMatrix(
            {k: self._close_vector(index_set, column) for k, column in term.at.items()}, term.words_as_rows
        )
