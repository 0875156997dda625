"""LaTeX to MathML for the HTML reports, serialised through an allow-list.

The LaTeX is untrusted (a student's homework, a derivation file's ``equation``).
``latex2mathml`` builds an element tree from it, but its own serialiser unescapes the whole
document at the end, so ``\\text{<script>…</script>}`` comes out as a live element, and
``\\href``, ``\\style`` and ``\\class`` copy their arguments into attributes.  Here the tree
is written out by hand: only MathML Core presentation elements, only attributes whose values
match a strict pattern, and every text node escaped.  An element that is not on the list is
replaced by an ``<mtext>`` holding its text, so a formula keeps its shape (an ``<mfrac>`` still
has two children) and nothing of the element survives but characters.

Before it is written out, :func:`symw2v.typeset.typeset` adjusts the tree for MathML Core (bold
letters, limits, fences); it only moves and restyles what the converter made.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING
from xml.etree.ElementTree import Element

import latex2mathml.converter

if TYPE_CHECKING:
    import markupsafe

from symw2v.typeset import typeset

NAMESPACE = "http://www.w3.org/1998/Math/MathML"

ELEMENTS = frozenset(
    {
        "math",
        "mi",
        "mn",
        "mo",
        "ms",
        "mtext",
        "mspace",
        "mrow",
        "mfrac",
        "msqrt",
        "mroot",
        "msub",
        "msup",
        "msubsup",
        "munder",
        "mover",
        "munderover",
        "mmultiscripts",
        "mprescripts",
        "none",
        "mtable",
        "mtr",
        "mtd",
        "mstyle",
        "mpadded",
        "mphantom",
        "semantics",
        "annotation",
    }
)

_BOOLEAN = r"true|false"
_LENGTH = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:em|ex|px|pt|pc|in|cm|mm|mu|%)?"
_LENGTHS = rf"{_LENGTH}(?: {_LENGTH})*"
_VARIANTS = (
    "normal|bold|italic|bold-italic|double-struck|bold-fraktur|script|bold-script|fraktur|"
    "sans-serif|bold-sans-serif|sans-serif-italic|sans-serif-bold-italic|monospace|initial|"
    "tailed|looped|stretched"
)
# a colour is a name or a hex code; nothing that CSS could read as a function such as url()
_COLOUR = r"[A-Za-z]{1,20}|#[0-9A-Fa-f]{3,8}"

# attribute -> the whole value must match; no href, style, class, id, src, xlink:* or on*
ATTRIBUTES = {
    name: re.compile(rf"(?:{pattern})\Z")
    for name, pattern in {
        "xmlns": re.escape(NAMESPACE),
        "display": r"block|inline",
        "mathvariant": _VARIANTS,
        "displaystyle": _BOOLEAN,
        "scriptlevel": r"[+-]?\d{1,2}",
        "stretchy": _BOOLEAN,
        "symmetric": _BOOLEAN,
        "largeop": _BOOLEAN,
        "fence": _BOOLEAN,
        "separator": _BOOLEAN,
        "accent": _BOOLEAN,
        "accentunder": _BOOLEAN,
        "movablelimits": _BOOLEAN,
        "form": r"prefix|infix|postfix",
        "lspace": _LENGTH,
        "rspace": _LENGTH,
        "minsize": _LENGTH,
        "maxsize": _LENGTH,
        "mathsize": _LENGTH,
        "width": _LENGTH,
        "height": _LENGTH,
        "depth": _LENGTH,
        "voffset": _LENGTH,
        "linethickness": _LENGTH,
        "rowspacing": _LENGTHS,
        "columnspacing": _LENGTHS,
        "columnalign": r"(?:left|center|right)(?: (?:left|center|right))*",
        "rowalign": r"(?:top|bottom|center|baseline|axis)(?: (?:top|bottom|center|baseline|axis))*",
        "columnlines": r"(?:none|solid|dashed)(?: (?:none|solid|dashed))*",
        "rowlines": r"(?:none|solid|dashed)(?: (?:none|solid|dashed))*",
        "frame": r"none|solid|dashed",
        "mathcolor": _COLOUR,
        "mathbackground": _COLOUR,
        "encoding": r"application/x-tex|text/plain",
    }.items()
}


# characters XML 1.0 has no place for (controls, surrogates, U+FFFE/U+FFFF): shown as U+FFFD,
# so the MathML stays well-formed XML as well as HTML
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# markupsafe.escape's own table, written out: the page typesets without MarkupSafe
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "'": "&#39;", '"': "&#34;"})


def _escape(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text).translate(_ESCAPES)


def _text(raw: str | None) -> str:
    """A text node, escaped.  latex2mathml stores symbols as character references
    (``&#x02211;``) and leaves the user's characters raw; resolving the references first
    makes both plain characters, and the escape then covers them alike."""
    return _escape(html.unescape(raw)) if raw else ""


def _attributes(element: Element) -> str:
    kept = []
    for name, value in element.attrib.items():
        value = html.unescape(str(value))
        pattern = ATTRIBUTES.get(name)
        if pattern is not None and pattern.match(value):
            kept.append(f' {name}="{_escape(value)}"')
    return "".join(kept)


def _all_text(element: Element) -> Iterator[str]:
    """The text of ``element`` and of everything inside it, in document order."""
    if element.text:
        yield element.text
    for child in element:
        yield from _all_text(child)
        if child.tail:
            yield child.tail


def _serialise(element: Element) -> Iterator[str]:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag not in ELEMENTS:
        yield f"<mtext>{_text(''.join(_all_text(element)))}</mtext>"
        return
    attributes = _attributes(element)
    if element.text is None and len(element) == 0:
        yield f"<{tag}{attributes} />"
        return
    yield f"<{tag}{attributes}>{_text(element.text)}"
    for child in element:
        yield from _serialise(child)
        yield _text(child.tail)
    yield f"</{tag}>"


def sanitised_mathml(latex: str, display: str = "block") -> str:
    """``latex`` as MathML text in which every element and attribute is on the allow-list
    and every character of text is escaped; escaped source in ``<code>`` where the converter
    cannot read the LaTeX."""
    try:
        tree = latex2mathml.converter.convert_to_element(str(latex), display=display)
        typeset(tree)
        return "".join(_serialise(tree))
    except Exception:  # noqa: BLE001 - any converter failure (or a tree too deep) shows the source
        return f"<code>{_escape(str(latex))}</code>"


def mathml(latex: str, display: str = "block") -> markupsafe.Markup:
    """The Jinja filter: :func:`sanitised_mathml` marked safe for autoescaping templates."""
    # The one place in the package that marks text as safe HTML: everything in it was built
    # by sanitised_mathml, from allow-listed tags and attributes and escaped text.  Imported
    # here: the checker page typesets in a browser that has no Jinja and no MarkupSafe.
    import markupsafe

    return markupsafe.Markup(sanitised_mathml(latex, display))
