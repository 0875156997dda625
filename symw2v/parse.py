"""Read the plain-text syntax of a claim into the closed-form AST, through a Lark grammar.

User text is untrusted: it is bounded in size, nesting and numbers before and while it is
parsed, and nothing but the grammar ever reads it.
"""

from __future__ import annotations

import unicodedata
from fractions import Fraction
from functools import lru_cache

from lark import Lark, Token, Transformer, Tree, UnexpectedInput, v_args
from lark.exceptions import VisitError

from symw2v import block_pattern
from symw2v import closed_form as cf
from symw2v.errors import ClaimParseError, InputLimitError
from symw2v.grammar import claim_parser
from symw2v.latex import looks_like_latex, normalize, probabilities, spelled_objects, subscript_cases
from symw2v.printing import to_text
from symw2v.world import BY_BOUND, FAMILIES, OBJECTS, OUTSIDE, VOCABULARY, WINDOW, WORDS
from symw2v.world.objects import EULER, ONES, STACKED, by_spelling, known_names

MAX_LENGTH = 4000
MAX_DEPTH = 40
MAX_NODES = 2000
MAX_DIGITS = 30
MAX_EXPONENT = 64
MAX_TREE_DEPTH = 100  # operators nested in each other, brackets or not (500 minus signs, 1 1 1 …)
MAX_DEGREE = 160  # the degree a claim could expand to: ((x + 1)^64)^64 is 4096

# What a bare name means (the world's spellings); a word vector u_<i> and a subscripted object
# (v_c) are built from a stem and its subscript.
_NAMES = by_spelling()
_STEMS = {name.partition("_")[0] for name in _NAMES if "_" in name} | {WORDS.letter}
_FAMILY_STEMS = set(FAMILIES) - {WORDS.letter}  # v_j, e_j: a word's vector of another family
_HATS = {o.hat_of: o.name for o in OBJECTS.values() if o.hat_of}
_EXCEPT_OUTSIDE = "except o"  # a sum's range: every word of the vocabulary but o
_OPENERS, _CLOSERS = "([{", ")]}"


@lru_cache(maxsize=1)
def _parser() -> Lark:
    return claim_parser()  # from the tables made once from claim.lark (symw2v.grammar)


SYNTAXES = ("auto", "text", "latex")


def parse_claim(text: str, syntax: str = "auto") -> cf.Node:
    """Parse ``text``, plain text or LaTeX (``syntax``: auto, text or latex), into a closed form.

    Raises ``ClaimParseError`` (with the position) when the text is not in the language and
    ``InputLimitError`` when it exceeds a bound on untrusted input.
    """
    return read_claim(text, syntax)[0]


def read_claim(text: str, syntax: str = "auto") -> tuple[cf.Node, str]:
    """The closed form of ``text`` and the case its subscripts say it is for (``ŷ_{w≠o}``:
    "w != o"), or ""."""
    if syntax not in SYNTAXES:
        raise ClaimParseError(f"syntax must be one of {', '.join(SYNTAXES)}, not {syntax!r}")
    text = unicodedata.normalize("NFC", text)
    _check_limits(text)
    text = probabilities(text)
    text, cases = subscript_cases(text)
    if len(set(cases)) > 1:
        raise ClaimParseError(f"the claim's subscripts give it two cases: {' and '.join(sorted(set(cases)))}")
    text = spelled_objects(text, OBJECTS[ONES].text, OBJECTS[STACKED].text)
    if syntax == "latex" or (syntax == "auto" and looks_like_latex(text)):
        text = normalize(text)
    return _tree(text), cases[0] if cases else ""


def _tree(text: str) -> cf.Node:
    try:
        tree = _parser().parse(text)
    except UnexpectedInput as error:
        position = getattr(error, "pos_in_stream", None)
        if getattr(getattr(error, "token", None), "type", None) == "$END":
            position = len(text.rstrip())
        raise ClaimParseError(_unexpected_message(error, text), text, position) from None
    _check_depth(tree, text)
    try:
        node = _ToAst(text).transform(tree)
    except VisitError as error:
        if isinstance(error.orig_exc, ClaimParseError):
            raise error.orig_exc from None
        raise ClaimParseError(f"could not read the claim ({type(error.orig_exc).__name__})") from None
    stray = block_pattern.leftover(node)
    if stray is not None:
        raise ClaimParseError(
            f"{to_text(stray)} names a negative by its place: it is read only as an entry of a block "
            "matrix with an ellipsis, [u_o, -u_{w_1}, ..., -u_{w_K}]; elsewhere write u_k (k over "
            "the negatives)"
        )
    count = sum(1 for _ in cf.walk(node))
    if count > MAX_NODES:
        raise InputLimitError(f"the claim has {count} nodes; the limit is {MAX_NODES}")
    degree = cf.degree(node)
    if degree > MAX_DEGREE:
        raise InputLimitError(
            f"the claim has degree {degree} (powers of powers multiply); the limit is {MAX_DEGREE}"
        )
    return node


def _check_depth(tree: Tree, text: str) -> None:
    """Refuse a parse tree nested deeper than ``MAX_TREE_DEPTH``, before anything recursive
    (the transformer, the printers, SymPy) walks it; iterative, so it cannot overflow itself."""
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_TREE_DEPTH:
            position = getattr(getattr(node, "meta", None), "start_pos", None)
            raise InputLimitError(
                f"operators nest deeper than {MAX_TREE_DEPTH} levels", text, position if position else None
            )
        stack.extend((child, depth + 1) for child in node.children if isinstance(child, Tree))


def _check_limits(text: str) -> None:
    if len(text) > MAX_LENGTH:
        raise InputLimitError(f"the claim is {len(text)} characters long; the limit is {MAX_LENGTH}")
    if not text.strip():
        raise ClaimParseError("the claim is empty")
    depth = 0
    for position, char in enumerate(text):
        if char in _OPENERS:
            depth += 1
            if depth > MAX_DEPTH:
                raise InputLimitError(f"brackets nest deeper than {MAX_DEPTH}", text, position)
        elif char in _CLOSERS:
            depth -= 1
        elif not char.isprintable() and char not in " \t\r\n":
            raise ClaimParseError(f"unexpected control character {char!r}", text, position)


def _unexpected_message(error: UnexpectedInput, text: str) -> str:
    token = getattr(error, "token", None)
    if token is not None and token.type == "$END":
        return "the claim ends too early"
    if token is not None:
        return f"unexpected {str(token)!r}"
    position = getattr(error, "pos_in_stream", 0) or 0
    return f"unexpected character {text[position : position + 1]!r}"


def _same_letters(token: Token) -> tuple[str, str]:
    """The two indices of ``w_k = w_s`` (or ``u_k = u_s``: the same words have the same vector)."""
    left, right = (
        side.replace("{", "").replace("}", "").split("_")[1].strip() for side in str(token).split("=")
    )
    return left, right


def _is_vector(node: cf.Node) -> bool:
    return isinstance(node, cf.Word) or (
        isinstance(node, cf.Name) and node.name in OBJECTS and OBJECTS[node.name].role == "vector"
    )


def _integer(node: cf.Node) -> int | None:
    if isinstance(node, cf.Num) and node.value.denominator == 1:
        return int(node.value)
    if isinstance(node, cf.Neg):
        inner = _integer(node.operand)
        return None if inner is None else -inner
    return None


@v_args(meta=True)
class _ToAst(Transformer):
    """Turn the Lark tree into closed-form nodes, checking names and numbers on the way."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text = text

    def _fail(self, message: str, meta_or_token) -> None:
        position = getattr(meta_or_token, "start_pos", None)
        raise ClaimParseError(message, self._text, position)

    # leaves
    def number(self, meta, children):
        token = children[0]
        digits = str(token).replace(".", "")
        if len(digits) > MAX_DIGITS:
            raise InputLimitError(
                f"a number has {len(digits)} digits; the limit is {MAX_DIGITS}",
                self._text,
                token.start_pos,
            )
        return cf.Num(Fraction(str(token)))

    def name(self, meta, children):
        token = children[0]
        text = str(token)
        if text in _NAMES:
            return cf.Name(_NAMES[text])
        if text in _STEMS:
            return cf.Name(text)  # u and v need a subscript
        self._fail(f"unknown name {text!r}; known: {known_names()}", token)

    # operators
    def add(self, meta, children):
        return cf.Add(children[0], children[-1])

    def sub(self, meta, children):
        return cf.Sub(children[0], children[-1])

    def neg(self, meta, children):
        return cf.Neg(children[-1])

    def mul(self, meta, children):
        return cf.Mul(children[0], children[-1])

    def cdot(self, meta, children):
        # between two vectors, a dot means the dot product (u_o · v_c is u_oᵀv_c)
        left, right = children[0], children[-1]
        if isinstance(left, cf.Neg) and _is_vector(left.operand) and _is_vector(right):
            return cf.Neg(cf.Mul(cf.Transpose(left.operand), right))  # -u · v is -(uᵀv)
        if _is_vector(left) and _is_vector(right):
            return cf.Mul(cf.Transpose(left), right)
        return cf.Mul(left, right)

    def frac(self, meta, children):
        return cf.Div(children[-2], children[-1])

    def hat(self, meta, children):
        letter = str(children[-1])
        if letter not in _HATS:
            hatted = ", ".join(OBJECTS[name].spellings[0] for name in _HATS.values())
            self._fail(f"only {' or '.join(_HATS)} has a hat here ({hatted}), not {letter!r}", meta)
        return cf.Name(_HATS[letter])

    def div(self, meta, children):
        return cf.Div(children[0], children[-1])

    def neg_number(self, meta, children):
        return cf.Neg(self.number(meta, [children[-1]]))

    def transpose(self, meta, children):
        return cf.Transpose(children[0])

    def pow(self, meta, children):
        base, exponent = children
        if isinstance(exponent, Token):
            exponent = (
                self.number(meta, [exponent]) if exponent.type == "NUMBER" else self.name(meta, [exponent])
            )
        if base == cf.Name(EULER):
            return cf.Call("exp", exponent)
        power = _integer(exponent)
        if power is None:
            self._fail("an exponent must be a whole number (use exp(...) or e^(...) for e^x)", meta)
        if abs(power) > MAX_EXPONENT:
            raise InputLimitError(
                f"the exponent {power} is larger than {MAX_EXPONENT}", self._text, meta.start_pos
            )
        return cf.Pow(base, power)

    def component(self, meta, children):
        base, index = children
        index = "o" if str(index) == "0" else str(index)  # u_0: the zero typed for the letter o
        if index.isalpha() and len(index) != 1:
            self._fail(f"the subscript {index!r} must be one letter or a number", meta)
        stem = base.operand if isinstance(base, cf.Transpose) else base
        if isinstance(base, cf.Transpose) and isinstance(stem, cf.Name) and stem.name in _STEMS:
            # u^T_k: the transpose written before the subscript
            return cf.Transpose(self.component(meta, [stem, index]))
        if base == cf.Name(WORDS.letter):
            return cf.Word(index)
        if isinstance(base, cf.Name) and base.name in _FAMILY_STEMS and f"{base.name}_{index}" not in _NAMES:
            return cf.Word(index, base.name)  # v_j, e_j (v_c stays the centre vector)
        if isinstance(base, cf.Name) and base.name in _STEMS:
            written = f"{base.name}_{index}"
            if written not in _NAMES:
                wanted = " or ".join(n for n in _NAMES if n.startswith(f"{base.name}_"))
                self._fail(f"{base.name} takes one subscript here: {wanted}", meta)
            return cf.Name(_NAMES[written])
        if isinstance(base, cf.Name) and OBJECTS[base.name].role in ("size", "constant", "matrix"):
            self._fail(f"{base.name} cannot take a subscript", meta)
        return cf.Component(base, index)

    def call(self, meta, children):
        function, argument = children
        return cf.Call(function, argument)

    def maximum(self, meta, children):
        left, right = (c for c in children if isinstance(c, cf.Node))
        return cf.Max(left, right)

    def call_of_call(self, meta, children):
        # \log \sigma(x): the outer function needs no brackets
        outer, inner, argument = children
        return cf.Call(outer, cf.Call(inner, argument))

    def sigma(self, meta, children):
        return "sigma"

    def exp(self, meta, children):
        return "exp"

    def log(self, meta, children):
        return "log"

    def softmax(self, meta, children):
        return "softmax"

    def range_letter(self, meta, children):
        return (str(children[0]), None)

    def range_bounded(self, meta, children):
        letter, start, bound = children
        if str(start) != "1":
            self._fail("sums start at 1", meta)
        return (str(letter), self._bound(str(bound), meta))

    def _bound(self, bound: str, meta) -> str:
        if bound not in BY_BOUND:
            said = " or ".join(f"{s.bound} ({s.meaning})" for s in BY_BOUND.values() if not s.text_range)
            self._fail(f"a sum runs to {said}", meta)
        if BY_BOUND[bound].text_range:  # the window does not run 1..m
            self._fail(f"{self._window_help()}, not 1..{bound}", meta)
        return bound

    def _window_help(self) -> str:
        return f"a sum over the window runs over {WINDOW.meaning}: write " + WINDOW.text_range.format(i="j")

    def _window(self, meta, letters: list[str], bounds: list[str], excluded: str) -> tuple[str, str]:
        """The range of a sum over the window, once its letters and bounds are read."""
        if len(set(letters)) != 1 or set(bounds) != {WINDOW.bound} or excluded != "0":
            self._fail(self._window_help(), meta)
        return (letters[0], WINDOW.bound)

    def range_window(self, meta, children):
        _, low, _, letter, _, high, same, _, excluded = (str(c) for c in children)
        return self._window(meta, [letter, same], [low, high], excluded)

    def range_window_from(self, meta, children):
        letter, _, low, same, _, excluded, high = (str(c) for c in children)
        return self._window(meta, [letter, same], [low, high], excluded)

    def range_window_whole(self, meta, children):
        self._fail(f"{self._window_help()} (j = 0 is the centre word itself)", meta)

    def set_named(self, meta, children):
        name = str(children[0])
        found = next((s.bound for s in BY_BOUND.values() if name in (s.bound, *s.names)), None)
        if found is None:
            self._fail(f"{name!r} is not a set a sum runs over (the vocabulary V, the negatives 1..K)", meta)
        return found

    def set_range(self, meta, children):
        start, bound = (str(c) for c in children if isinstance(c, Token) and c.type in ("NUMBER", "NAME"))
        if start != "1":
            self._fail("sums start at 1", meta)
        return self._bound(bound, meta)

    def range_in(self, meta, children):
        letter, _, over, *bound = children
        if bound and self._bound(str(bound[0]), meta) != over:
            self._fail(f"the sum runs over a set of size {over}, not {bound[0]}", meta)
        return (str(letter), over)

    def range_in_where(self, meta, children):
        letter, _, over, _, same, *bound = children
        letter, over = self.range_in(meta, [letter, None, over, *bound])
        return (letter, over, self._other(letter, same, meta))

    def sum_bare(self, meta, children):
        # a sum written without its index (\sum u_k …): it binds the one free index of its body
        _keyword, body = children
        free = sorted(cf.free_indices(body))
        if len(free) != 1:
            self._fail("write the index the sum runs over: sum_k …", meta)
        return self.sum(meta, [_keyword, (free[0], None), body])

    def hat_component(self, meta, children):
        *_, letter, index = children
        return self.component(meta, [self.hat(meta, [letter]), index])

    def range_where(self, meta, children):
        letter, _, same, *bound = children
        over = self._bound(str(bound[0]), meta) if bound else None
        return (str(letter), over, self._other(str(letter), same, meta))

    def range_bounded_where(self, meta, children):
        letter, start, same, bound = children
        _, bound = self.range_bounded(meta, [letter, start, bound])
        return (str(letter), bound, self._other(str(letter), same, meta))

    def range_except(self, meta, children):
        letter, _, other, *bound = (str(c) for c in children)
        if other != OUTSIDE:
            self._fail(f"a sum may leave out the outside word ({letter} ≠ {OUTSIDE}), not {other}", meta)
        if bound and self._bound(bound[0], meta) != VOCABULARY.bound:
            self._fail(f"{letter} ≠ {OUTSIDE}: the sum runs over the vocabulary, to {VOCABULARY.bound}", meta)
        return (letter, VOCABULARY.bound, _EXCEPT_OUTSIDE)

    def _other(self, letter: str, same: Token, meta) -> str:
        """The index a sum's condition compares its own with: ``s`` in ``w_k = w_s`` over k."""
        a, b = _same_letters(same)
        if letter not in (a, b):
            self._fail(f"the condition {str(same)!r} must be about the sum's index {letter}", meta)
        return b if a == letter else a

    def sum(self, meta, children):
        _keyword, (letter, bound, *same), body = children
        if len(letter) != 1:
            self._fail(f"the sum index {letter!r} must be one letter", meta)
        if letter == "o":
            self._fail("o is the outside word; sum over another letter", meta)
        if same == [_EXCEPT_OUTSIDE]:  # Σ_{w ≠ o} f(w) = Σ_w f(w) − f(o), exactly
            return cf.Sub(cf.Sum(letter, bound, body), cf.substitute(body, letter, OUTSIDE))
        return cf.Sum(letter, bound or "", body, *same)

    def indicator(self, meta, children):
        return cf.Same(*_same_letters(children[-1]))

    def arg_at(self, meta, children):
        return self.word_at(meta, children)

    def arg_letter(self, meta, children):
        outer, inner = (str(c) for c in children)
        if outer != "w":
            self._fail(f"the outside word of J(v_c, w, U) is written w_{inner}, not {outer}_{inner}", meta)
        return Token("NAME", inner)

    def partial(self, meta, children):
        # \frac{\partial J(v_c, w_{t+j}, U)}{\partial U}: the single-word loss's gradient at w_{t+j}
        words = [str(c) for c in children if isinstance(c, Token) and c.type in ("NAME", "LETTER")]
        loss, centre, letter, word, matrix, *wrt = words
        if (loss, centre, letter, matrix) != ("J", "v", "c", "U"):
            self._fail(
                "a derivative of the loss is written \\frac{\\partial J(v_c, w_{t+j}, U)}{\\partial U}", meta
            )
        variable = "_".join(wrt)
        if variable not in ("v_c", "U"):
            self._fail(f"J(v_c, w, U) is differentiated here by v_c or U, not {variable}", meta)
        return cf.Partial(variable, word)

    def word_at(self, meta, children):
        # w_{t+j}: the outside word at window position j is written with j alone (u_j, o_j)
        outer, centre, inner = (str(c) for c in children)
        if outer != "w" or centre != "t":
            self._fail(f"the word at a window position is written w_{{t+{inner}}}", meta)
        return Token("NAME", inner)

    def word_of(self, meta, children):
        outer, inner = (str(c) for c in children)
        if outer != "w":
            self._fail(f"a word is written w_{inner}: {outer}_{inner} is not one", meta)
        if inner.isdigit() or inner in BY_BOUND:  # u_{w_1}, u_{w_K}: a negative by its place
            return Token("NAME", cf.NEGATIVE_ENTRY + inner)
        return Token("NAME", inner)

    def size_subscript(self, meta, children):
        size = str(children[-1])
        if size not in BY_BOUND:
            self._fail(f"|{size}| is not a size: a subscript |V| is the last word", meta)
        return Token("NAME", size)

    def block(self, meta, children):
        dots = [i for i, item in enumerate(children) if isinstance(item, Token)]
        if not dots:
            return cf.Block(tuple(children))
        if len(dots) > 1:
            self._fail("a block matrix has one ellipsis here", children[dots[1]])
        (at,) = dots
        if at + 1 == len(children):
            self._fail("a block matrix's ellipsis needs the last entry after it: [a_1, …, a_V]", children[at])

        def fail(message: str) -> None:
            self._fail(message, children[at])

        taken, pattern = block_pattern.columns(list(children[:at]), children[at + 1], fail)
        parts = (*children[: at - taken], pattern, *children[at + 2 :])
        return pattern if len(parts) == 1 else cf.Block(parts)

    def __default__(self, data, children, meta):
        self._fail(f"unsupported construct {data!r}", meta)

    def __default_token__(self, token):
        return token

    # bare tokens left over from "?rule" inlining
    def start(self, meta, children):  # pragma: no cover - ?start always inlines
        return children[0]
