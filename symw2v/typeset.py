"""latex2mathml's tree adjusted for MathML Core, the MathML that Chromium implements.

The converter writes MathML 3 as TeX users read it; Chromium typesets less of it:
- ``mathvariant`` other than ``normal`` is ignored, so ``\\boldsymbol{u}`` would be a plain
  italic u: the letter is spelled with the Unicode mathematical alphabets instead (𝒖);
- the scripts of Σ are scripts; TeX sets them as limits above and below in display style:
  they become ``munderover``, which MathML Core shows as limits in display style and as
  scripts inline (Σ's ``movablelimits``);
- a row is flat, so a fence stretches to the tallest thing in the whole row and a minus after
  ``(`` is a binary operator with space around it: each ``( … )`` becomes a row of its own,
  whose contents start a row (a minus there is a sign);
- an operator alone in a script (the ⊤ of ``u^\top``, a prime) is spaced as an operator
  between two operands: its spaces are set to 0, as TeX sets none in a script;
- a stretchy fence grows to cover its contents exactly, where TeX lets a delimiter fall a
  little short: ``\\left( u^\\top v \\right)`` keeps the normal size unless its contents hold a
  fraction, a matrix or a large operator with limits.

It moves, renames and restyles elements the converter made and adds ``mrow``s; it adds no
text, and no attribute but ``stretchy="false"`` and zero ``lspace``/``rspace``, so the
sanitiser's allow-list still decides everything that is written out.
"""

from __future__ import annotations

import html
from xml.etree.ElementTree import Element

from symw2v.alphabets import styled

# large operators whose limits TeX sets under and over them in display style
LARGE_OPERATORS = frozenset("∑∏∐⋀⋁⋂⋃⨀⨁⨂⨄⨆")
OPENING = frozenset("([{⟨⌈⌊")
CLOSING = frozenset(")]}⟩⌉⌋")
_LIMITS = {"msub": "munder", "msup": "mover", "msubsup": "munderover"}
_TOKENS = frozenset({"mi", "mn", "mo", "mtext", "ms"})
# elements whose children are a row (the others' children have positions: base, script, …)
_ROWS = frozenset({"math", "mrow", "mtd", "mstyle", "msqrt", "mpadded", "mphantom"})
_TALL = frozenset({"mfrac", "mtable"})
_SCRIPTS = frozenset({"msub", "msup", "msubsup", "munder", "mover", "munderover"})


def typeset(element: Element, variant: str = "") -> None:
    """Adjust the tree under ``element`` in place, children first; ``variant`` is the
    ``mathvariant`` inherited from above (MathML 3 inherits it, as ``mstyle`` does)."""
    own = _plain(element.attrib.get("mathvariant"))
    if own and own != "normal":
        variant = own
        del element.attrib["mathvariant"]
    if element.tag in _TOKENS and variant and element.text:
        # the tree's text is the converter's, with character references: it stays so
        element.text = html.escape(styled(html.unescape(element.text), variant), quote=False)
    if element.tag in _LIMITS and len(element) and _is_large_operator(element[0]):
        element.tag = _LIMITS[element.tag]
    if element.tag in _SCRIPTS:
        for script in element[1:]:
            _unspace(script)
    for child in element:
        typeset(child, variant)
    if element.tag in _ROWS:
        _group_fences(element)


def _plain(text: object) -> str:
    return html.unescape(str(text or "")).strip()


def _is_mo(element: Element, characters: frozenset) -> bool:
    return element.tag == "mo" and _plain(element.text) in characters


def _is_large_operator(element: Element) -> bool:
    """An ``<mo>`` of a large operator, or an ``<mrow>`` holding only one."""
    while element.tag == "mrow" and len(element) == 1:
        element = element[0]
    return _is_mo(element, LARGE_OPERATORS)


def _unspace(script: Element) -> None:
    """No space around an operator that is a whole script by itself."""
    while script.tag == "mrow" and len(script) == 1:
        script = script[0]
    if script.tag == "mo":
        script.set("lspace", "0")
        script.set("rspace", "0")


def _tall(element: Element) -> bool:
    """Whether ``element`` holds a fraction, a matrix or a large operator with limits: what
    makes TeX's ``\\left(`` grow."""
    if element.tag in _TALL or (element.tag in _LIMITS.values() and _is_large_operator(element[0])):
        return True
    return any(_tall(child) for child in element)


def _group_fences(row: Element) -> None:
    """Each matched ``( … )`` among the children of ``row`` becomes ``mrow(open, mrow(…),
    close)``; an opening fence left unmatched stays where it was."""
    stack: list[list[Element]] = [[]]
    made: list[Element] = []
    for child in list(row):
        if _is_mo(child, OPENING):
            stack.append([child])
        elif _is_mo(child, CLOSING) and len(stack) > 1:
            group = stack.pop()
            made.append(_fenced(group[0], group[1:], child))
            stack[-1].append(made[-1])
        else:
            stack[-1].append(child)
    while len(stack) > 1:
        unmatched = stack.pop()
        stack[-1].extend(unmatched)
    children = stack[0]
    if row.tag == "mrow" and len(children) == 1 and made and children[0] is made[-1]:
        children = list(children[0])  # the row was one ( … ) already: no mrow in an mrow
    row[:] = children


def _fenced(opening: Element, inner: list[Element], closing: Element) -> Element:
    if len(inner) > 1:
        contents = Element("mrow")
        contents[:] = inner
        inner = [contents]
    if not any(_tall(child) for child in inner):
        opening.set("stretchy", "false")
        closing.set("stretchy", "false")
    group = Element("mrow")
    group[:] = [opening, *inner, closing]
    return group
