"""The general term of a block matrix written with an ellipsis, read off its written entries.

``[a_1, a_2, …, a_V]``: the first entry is the general term at 1, the optional second at 2, the
last at the size (V or |V| for the vocabulary, K or w_K for the negatives).  The general term is
the first entry with every index that differs from the last's replaced by a fresh letter; the
entries must differ only there (1 against the size) and the second must be the term at 2.
Nothing is expanded here: the pattern is one ``Columns`` node, made into N columns only at an
instance's V or K.
"""

from __future__ import annotations

import dataclasses

from symw2v import closed_form as cf
from symw2v.errors import ClaimParseError
from symw2v.printing import to_text
from symw2v.world import BY_BOUND

# letters a pattern may bind, in order of preference (o and c mean the outside and centre words)
_LETTERS = "ijklmnpqrstabfgh"


def _member(index: str) -> tuple[str, bool]:
    """``"w_1"`` as ("1", True): the member an entry's index names, and whether it is written as
    a negative's word."""
    if index.startswith(cf.NEGATIVE_ENTRY):
        return index[len(cf.NEGATIVE_ENTRY) :], True
    return index, False


def _differences(a: cf.Node, b: cf.Node) -> list[tuple[str, str]] | None:
    """The (a, b) pairs of word indices where ``a`` and ``b`` differ; None when they differ in
    anything else."""
    if type(a) is not type(b):
        return None
    found: list[tuple[str, str]] = []
    for field in dataclasses.fields(a):
        left, right = getattr(a, field.name), getattr(b, field.name)
        if field.name == "index" and isinstance(a, (cf.Word, cf.Component)):
            if left != right:
                found.append((left, right))
        elif isinstance(left, cf.Node):
            inner = _differences(left, right)
            if inner is None:
                return None
            found += inner
        elif isinstance(left, tuple) and isinstance(right, tuple):
            if len(left) != len(right):
                return None
            for x, y in zip(left, right, strict=True):
                inner = _differences(x, y)
                if inner is None:
                    return None
                found += inner
        elif left != right:
            return None
    return found


def _generalize(first: cf.Node, last: cf.Node, letter: str) -> cf.Node:
    """``first`` with each index that differs from ``last``'s replaced by ``letter``."""
    if isinstance(first, cf.Word):
        # the word's family stays: [v_1, …, v_V] is the centre vectors, not U's columns
        return dataclasses.replace(first, index=letter) if first.index != last.index else first
    changed = {}
    for field in dataclasses.fields(first):
        left, right = getattr(first, field.name), getattr(last, field.name)
        if field.name == "index" and isinstance(first, cf.Component):
            changed["index"] = letter if left != right else left
        elif isinstance(left, cf.Node):
            changed[field.name] = _generalize(left, right, letter)
        elif isinstance(left, tuple):
            changed[field.name] = tuple(_generalize(x, y, letter) for x, y in zip(left, right, strict=True))
    return dataclasses.replace(first, **changed)


def _indices(node: cf.Node) -> set[str]:
    found: set[str] = set()
    for item in cf.walk(node):
        for name in ("index", "same", "a", "b"):
            value = getattr(item, name, None)
            if isinstance(value, str):
                found.add(value)
    return found


def _fresh(entries: list[cf.Node]) -> str:
    """A letter no entry uses ("" when they use them all)."""
    used = set().union(*(_indices(e) for e in entries))
    return next((letter for letter in _LETTERS if letter not in used), "")


def _pattern(first: cf.Node, last: cf.Node) -> tuple[str, str]:
    """The size the pattern runs to, and a message when ``first`` and ``last`` are not the
    entries at 1 and at that size of one pattern ("" when they are)."""
    pairs = _differences(first, last)
    shown = f"{to_text(first)} and {to_text(last)}"
    if pairs is None:
        return "", f"{shown} differ in more than an index running from 1 to V or K"
    if not pairs:
        return "", f"{shown} are the same: write the first entry at 1 and the last at V or K"
    bounds = set()
    for start, end in pairs:
        (begin, negative_start), (bound, negative_end) = _member(start), _member(end)
        if begin != "1" or bound not in BY_BOUND:
            return "", f"{shown} differ in an index written {start} and {end}, not 1 and V or K"
        if (negative_start or negative_end) and bound != "K":
            return "", f"{shown}: the words w_1 … of the negatives run to w_K, not {end}"
        bounds.add(bound)
    if len(bounds) > 1:
        return "", f"{shown}: one index runs to {' and another to '.join(sorted(bounds))}"
    return bounds.pop(), ""


def _matches(expected: cf.Node, written: cf.Node) -> bool:
    pairs = _differences(expected, written)
    return pairs is not None and all(_member(a)[0] == _member(b)[0] for a, b in pairs)


def columns(before: list[cf.Node], last: cf.Node, fail) -> tuple[int, cf.Columns]:
    """The pattern that ends in ``last``, its first (and second) entry the last of ``before``:
    (how many entries of ``before`` it takes, the ``Columns``).  ``fail(message)`` raises."""
    if not before:
        fail("a block matrix's ellipsis needs the first entry before it: [a_1, …, a_V]")
    tries = [(before[-1], None)] + ([(before[-2], before[-1])] if len(before) > 1 else [])
    message = ""
    for first, second in tries:
        bound, message = _pattern(first, last)
        if message:
            continue
        letter = _fresh([first, last] + ([second] if second is not None else []))
        if not letter:
            fail(f"the entries use every index letter; none is left for the pattern's own ({_LETTERS})")
        pattern = cf.Columns(letter, bound, _generalize(first, last, letter))
        if second is not None and not _matches(cf.entry(pattern, "2"), second):
            message = f"{to_text(second)} is not the entry at 2 of {to_text(first)}, …, {to_text(last)}"
            continue
        return (1 if second is None else 2), pattern
    fail(f"the entries of the block matrix do not follow one pattern: {message}")
    raise ClaimParseError(message)  # pragma: no cover - fail raises


def leftover(node: cf.Node) -> cf.Node | None:
    """An entry's index (u_{w_1}: the first negative) outside a pattern, if any."""
    for item in cf.walk(node):
        if isinstance(item, (cf.Word, cf.Component)) and item.index.startswith(cf.NEGATIVE_ENTRY):
            return item
    return None
