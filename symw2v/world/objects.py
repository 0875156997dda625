"""The objects of the word2vec world, declared once.

Every stage reads these declarations: the parser (how an object is spelled), the shape checker
(its shape under a reading), the instantiator and the certificate (what it is: a primitive, or
a definition in the claim language), the printers (how it is written), the command line (what
J may be differentiated by).  No stage keeps a table of its own.

Shapes are symbolic, over the sizes V and d.  A reading fixes what conventions leave open: U as
rows (V×d, row w is u_wᵀ) or columns (d×V), and y, ŷ as rows (1×V) or columns (V×1); an object
declared ``transposed_by`` a reading is transposed when that reading says rows.
"""

from __future__ import annotations

from dataclasses import dataclass

Shape = tuple[str, str]
SCALAR: Shape = ("1", "1")
STACKED = "Uow"  # U_{o,{w_1..w_K}}, as it is spelled in plain text
ONES = "ones"  # the vector of ones, \mathbf{1} or 1_{K+1}


@dataclass(frozen=True)
class Reading:
    """How ``U`` and ``y``, ``ŷ`` are laid out."""

    U: str = "columns"  # "rows" (V×d) or "columns" (d×V)
    y: str = "column"  # "column" (V×1) or "row" (1×V)

    def describe(self) -> str:
        u = "U rows (V×d, row w is u_wᵀ)" if self.U == "rows" else "U columns (d×V, column w is u_w)"
        y = "ŷ, y as 1×V rows" if self.y == "row" else "ŷ, y as V×1 columns"
        return f"{u}; {y}"

    def transposes(self, reading_field: str) -> bool:
        """Whether this reading lays out an object declared ``transposed_by`` that field as rows."""
        return {"U": self.U == "rows", "y": self.y == "row", "": False}[reading_field]


CANONICAL = Reading()  # the reading definitions are written in


@dataclass(frozen=True)
class Object:
    """A named object: ``Name(name)`` in the AST.

    ``role``: "vector" (a d-vector), "matrix", "vocabulary" (a length-V vector), "size" or
    "constant".  ``definition``: what it is, in the claim language under the canonical reading,
    or "" for a primitive.  ``spellings``: plain-text names the parser reads as it.
    """

    name: str
    role: str
    shape: Shape
    text: str
    latex: str
    compact: str
    meaning: str
    transposed_by: str = ""
    definition: str = ""
    # for a primitive: "coordinates" (v_c's), "matrix" (U's), "indicator" (one-hot at o),
    # "counts" (a positive constant per word), "scalar" (a real number), "slope" (a number
    # strictly between 0 and 1), "size" or "constant"
    value: str = ""
    spellings: tuple[str, ...] = ()
    hat_of: str = ""  # the letter this object is written as with a hat: ŷ is \hat{y}
    component_latex: str = ""  # how a component is written in LaTeX: ŷ_w is \hat{y}_{w}

    def shape_in(self, reading: Reading) -> Shape:
        return self.shape[::-1] if reading.transposes(self.transposed_by) else self.shape


OBJECTS: dict[str, Object] = {
    o.name: o
    for o in (
        Object(
            "v_c",
            "vector",
            ("d", "1"),
            "v_c",
            r"\boldsymbol{v}_{c}",
            "v_c",
            "the centre word's vector",
            value="coordinates",
        ),
        Object(
            "U",
            "matrix",
            ("d", "V"),
            "U",
            r"\boldsymbol{U}",
            "U",
            "the outside vectors u_1 … u_V",
            transposed_by="U",
            value="matrix",
        ),
        Object(
            "z",
            "vocabulary",
            ("V", "1"),
            "z",
            r"\boldsymbol{z}",
            "z",
            "the scores z_w = u_wᵀv_c",
            definition="U^T v_c",
            component_latex="z",
        ),
        Object(
            "y",
            "vocabulary",
            ("V", "1"),
            "y",
            r"\boldsymbol{y}",
            "y",
            "the one-hot vector of the outside word o",
            transposed_by="y",
            value="indicator",
            component_latex="y",
        ),
        Object(
            "yhat",
            "vocabulary",
            ("V", "1"),
            "yhat",
            r"\hat{\boldsymbol{y}}",
            r"\hat{y}",
            "the predicted distribution ŷ = softmax(z)",
            transposed_by="y",
            definition="softmax(z)",
            spellings=("ŷ",),
            hat_of="y",
            component_latex=r"\hat{y}",
        ),
        Object(
            "X",
            "vocabulary",
            ("V", "1"),
            "X",
            r"\boldsymbol{X}",
            "X",
            "co-occurrence counts of the centre word with each word (positive), as GloVe uses them",
            value="counts",
            component_latex="X",
        ),
        Object(
            "x", "scalar", SCALAR, "x", "x", "x", "the argument of an activation function", value="scalar"
        ),
        Object(
            "alpha",
            "constant",
            SCALAR,
            "alpha",
            r"\alpha",
            r"\alpha",
            "the slope of a leaky ReLU below 0, 0 < α < 1",
            value="slope",
            spellings=("α", "\\alpha"),
        ),
        Object("K", "size", SCALAR, "K", "K", "K", "the number of negative samples", value="size"),
        Object("m", "size", SCALAR, "m", "m", "m", "the window's half-width (2m positions)", value="size"),
        Object("V", "size", SCALAR, "V", "V", "V", "the vocabulary size", value="size"),
        Object("e", "constant", SCALAR, "e", "e", "e", "Euler's number", value="constant"),
        # negative sampling, vectorised: the outside vector beside the negatives' (negated), and
        # a vector of ones as long as its rows are many
        Object(
            STACKED,
            "matrix",
            ("d", "K+1"),
            STACKED,
            r"\boldsymbol{U}_{o,\{w_1,\dots,w_K\}}",
            r"U_{o,\{w_1,\dots,w_K\}}",
            "u_o beside the negated vectors of the negatives: [u_o, -u_{w_1}, …, -u_{w_K}]",
            definition="[u_o, -u_{w_1}, ..., -u_{w_K}]",
        ),
        Object(
            ONES,
            "constant",
            ("K+1", "1"),
            ONES,
            r"\mathbf{1}",
            r"\mathbf{1}",
            "the vector of K + 1 ones",
            value="ones",
        ),
    )
}


@dataclass(frozen=True)
class Family:
    """Vectors indexed by a word: ``u_w`` is column w of U (row w when U is read as rows);
    ``shape`` and ``transposed_by`` as for an ``Object``."""

    letter: str
    matrix: str
    meaning: str
    shape: Shape = ("d", "1")
    transposed_by: str = ""

    def shape_in(self, reading: Reading) -> Shape:
        return self.shape[::-1] if reading.transposes(self.transposed_by) else self.shape

    def text(self, index: str) -> str:
        return f"{self.letter}_{index}"

    def latex(self, index: str) -> str:
        return rf"\boldsymbol{{{self.letter}}}_{{{index}}}"

    def compact(self, index: str) -> str:
        return f"{self.letter}_{{{index}}}" if len(index) > 1 else f"{self.letter}_{index}"


WORDS = Family("u", "U", "the outside vector of a word")
# v_w: the centre (input) vector of a word w other than c; a CBOW loss averages them over the
# window, and the skip-gram loss does not depend on them (∂J/∂v_w = 0 for w ≠ c)
CENTRES = Family("v", "", "the centre vector of a word other than c")
# e_w: the one-hot vector of word w (y is e_o), laid out like y
ONE_HOTS = Family("e", "", "the one-hot vector of a word", ("V", "1"), "y")
FAMILIES = {f.letter: f for f in (WORDS, CENTRES, ONE_HOTS)}
OUTSIDE = "o"  # the index of the true outside word
SCORES = "z"  # the scores u_wᵀv_c: J is differentiated by them, and through them by the vectors
EULER = "e"  # e^x is exp(x)
CENTRE = "c"  # v_c's subscript


def known_names() -> str:
    """The names a claim may use, for error messages."""
    words = ", ".join(WORDS.text(i) for i in (OUTSIDE, "k", "w"))
    words += ", " + ", ".join(f.text("w") for f in FAMILIES.values() if f is not WORDS)
    return f"{words}, " + ", ".join(o.text for o in OBJECTS.values() if o.role != "constant")


def by_spelling() -> dict[str, str]:
    """Plain-text spelling → object name, for the parser."""
    table = {o.text: o.name for o in OBJECTS.values()}
    for o in OBJECTS.values():
        table.update(dict.fromkeys(o.spellings, o.name))
    return table


@dataclass(frozen=True)
class Variable:
    """What J may be differentiated by: ``∂J/∂name``.

    ``object``: the object (or a family's letter for one of its word vectors, then ``index`` is
    "o" or the free letter every value of which is a target of its own).
    """

    name: str
    object: str  # "" for the loss itself: a claim about J is an expression equal to it
    index: str = ""

    @property
    def free(self) -> str:
        """The free index letter of a claim about this variable ("" for none)."""
        return self.index if self.index and self.index != OUTSIDE else ""

    def shape(self, reading: Reading) -> Shape:
        """The variable's shape: the denominator layout of its gradient."""
        if self.object in FAMILIES:
            return FAMILIES[self.object].shape_in(reading)
        if not self.object:
            return SCALAR
        return OBJECTS[self.object].shape_in(reading)


VARIABLES: dict[str, Variable] = {
    v.name: v
    for v in (
        Variable("v_c", "v_c"),
        Variable("u_o", WORDS.letter, OUTSIDE),
        Variable("u_k", WORDS.letter, "k"),
        Variable("u_w", WORDS.letter, "w"),
        Variable("U", "U"),
        Variable("z", "z"),
        Variable("v_w", CENTRES.letter, "w"),  # another word's centre vector (skip-gram: 0)
        Variable("v_j", CENTRES.letter, "j"),  # the centre vector of the word at window position j
        Variable("J", ""),  # J itself: −Σ_w y_w log ŷ_w = −log ŷ_o
        Variable("x", "x"),  # an activation function's derivative: σ'(x), ReLU'(x)
    )
}
WRT = tuple(VARIABLES)
