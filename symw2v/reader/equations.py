"""The rows of a document's displays put together into equations: ``∂J/∂x = A = B``, a chain
continued on the rows (and displays) after it, a definition of J, or something skipped, and why.

Read in order, with the prose between the displays: a part label ("(b)", "**(f)**", a heading)
starts a section, which names the equations in it and may say that the samples repeat; the prose
just before a display may state the case its answers are for ("When $w \\neq o$:"); a sentence
may name the loss.  Nothing here checks anything: ``document.py`` decides each equation's loss
and checks it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from symw2v.displays import Display, Scan, displays
from symw2v.errors import SymW2VError
from symw2v.reader import activations, cases, identity, losses
from symw2v.reader.derivative import Written, derivative, is_derivative, plain, subscript_of_J
from symw2v.reader.rows import Row, cut, split_equals
from symw2v.world import OUTSIDE
from symw2v.world.losses import Loss

# a part label at the start of a line: "(b)", "- (b):", "**(b)**", "## 1b", "\paragraph{(b) …"
_MARKUP = (
    r"[-*+][ \t]+|#{1,6}[ \t]*|\\noindent[ \t]*"
    r"|\\(?:paragraph|(?:sub)*section|item)\*?[ \t]*\{?[ \t]*|\*\*|__|\$"
)
_LABELLED = r"\(([a-h]|[ivx]{1,4}|\d{1,2}[a-h]?)\)|(\d{1,2}[a-h])(?![A-Za-z0-9])"
_PART = re.compile(rf"^[ \t>]*(?:{_MARKUP})*[ \t]*(?:{_LABELLED})", re.MULTILINE)
_HEADING = re.compile(r"^[ \t]*(?:#{1,6}[ \t]|\\(?:sub)*section\*?\{|\\paragraph\{)", re.MULTILINE)
_ITEM = re.compile(r"^[ \t]*\\item(?![A-Za-z])(?!\s*\[)")
_ENUMERATE = re.compile(r"\\begin\s*\{enumerate\}")
# the text turns to every case at once
_EVERY_CASE = re.compile(
    r"\b(?:general(?:ly)?|in summary|summar|both cases|consolidat|combin"
    r"|for (?:all|every|any) (?:words?|w)\b)",
    re.IGNORECASE,
)
MAX_ROWS = 2_000  # rows of displays in a document (a homework has a few hundred)
MAX_NAMES = 40  # shorthands and counts a document may define
_SECTION = 5_000  # characters of a section's text kept to look up what its question asks about
# "$N_k$ is the number of times w_k was sampled": a count of a sampled word, defined in words
_COUNT = re.compile(
    r"\$([^$\n]{1,30})\$\s*(?:is|denotes|=)\s+(?:the|a)\s+(?:number|count)\s+of\s+(?:times|occurrences)",
    re.IGNORECASE,
)
_CASE_LINE = 400  # characters of a line that may state a case
_WORDY = re.compile(r"[A-Za-z][A-Za-z\\ ]*")  # a left side that is a word: "origin = …"


@dataclass
class Step:
    """One side of a chain, as written; ``skip``: why it is not checked (a ∂ in it)."""

    latex: str
    line: int
    skip: str = ""
    read: str = ""  # the text checked, where it differs from what is written (a count defined in words)


@dataclass
class Equation:
    """``∂J/∂x = …`` with its chain of steps, where it is, and what the document says about it."""

    id: str
    written: Written
    line: int
    position: int
    steps: list[Step] = field(default_factory=list)
    rows: list[str] = field(default_factory=list)
    case: str = ""  # "w != o", "w = o" (the document's letter), or "repeated"
    case_source: str = ""
    section_repeats: bool = False
    context: Signal | None = None  # the last thing before it that names or defines a loss
    branch: bool = False  # one case of the chain before it ("w = o:" inside a chain)
    read_as: list[str] = field(default_factory=list)  # how it was read, where that differs
    stated: int = 0  # how many cases the document had stated when it began
    # an equation that is not ∂J/∂x of a word vector: "activation" (σ'(x), f'(x)) or "identity"
    # (-Σ y_w log ŷ_w = -log ŷ_o), with the loss and variable it was read with, and how
    kind: str = ""
    loss: Loss | None = None
    wrt: str = ""
    loss_source: str = ""
    variable: str = ""  # an activation's variable as written (x_i: read as x)


@dataclass(frozen=True)
class Definition:
    """``J = …``: J's subscript, the sides after J (candidates for its expression), its line."""

    subscript: str
    sides: tuple[str, ...]
    line: int
    latex: str


@dataclass(frozen=True)
class Signal:
    """Something that says which loss is in force from ``position`` on: a name (``loss``) or a
    definition; ``where`` says what it was ("J_{neg-sample} on line 12")."""

    position: int
    where: str
    loss: Loss | None = None
    definition: Definition | None = None


@dataclass(frozen=True)
class Skipped:
    id: str
    latex: str
    reason: str
    line: int = 0


@dataclass
class Reading:
    """What reading a document found."""

    equations: list[Equation]
    skipped: list[Skipped]
    definitions: list[Definition]


class _Reader:
    """The state of one left-to-right reading of a document."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.equations: list[Equation] = []
        self.skipped: list[Skipped] = []
        self.definitions: list[Definition] = []
        self.signals: list[Signal] = []
        self.open: Equation | None = None  # the chain a row starting with "=" continues
        self.defining: list[str] | None = None  # the sides of the definition being continued
        self.part = ""  # the label of the section ("b")
        self.items = 0  # the \\items of the enumerate read so far (an \\item is a part)
        self.section = ""  # the section's text so far (its last ``_SECTION`` characters)
        self.counts: list[tuple[str, int]] = []  # symbols defined as counts, and their lines
        self.names: list[tuple[str, str, int, int]] = []  # shorthands: name, meaning, line, position
        self.repeats = False  # the section says the samples may repeat
        # the case the document last stated ("When $w \neq o$:", a row "(w = o)"), and where: it
        # holds for the equations after it, until its section ends, another case is stated, or
        # the text turns to every case ("In summary", "Generally")
        self.case, self.case_source = "", ""
        self.case_stated = 0  # how many cases have been stated so far
        self.used: dict[str, int] = {}
        # the activations the section defines (f(x) = max(x, 0): "f") or names last (ReLU: "")
        self.activations: dict[str, tuple[Loss | None, str]] = {}

    # -- prose ----------------------------------------------------------------------------------

    def prose(self, piece: str, start: int) -> None:
        """Read the prose ``piece`` (at ``start``) before a display: sections, cases, names."""
        for match in re.finditer(r"[^\n]+", piece):
            line = match.group()
            part = _PART.match(line)
            if part is not None or _HEADING.match(line):
                self.part = (part.group(1) or part.group(2)) if part else self.part
                self.repeats = False
                self.open = None
                self.case = ""
                self.section = ""
                self.activations = {}
            elif _ITEM.match(line):
                self.items += 1
                self.part = chr(ord("a") + min(self.items - 1, 25))
                self.repeats, self.open, self.case = False, None, ""
                self.activations = {}
            self.section = (self.section + "\n" + line)[-_SECTION:]
            for count in _COUNT.finditer(line) if len(self.counts) < MAX_NAMES else ():
                self.counts.append(
                    (count.group(1).strip(), self.text.count("\n", 0, start + match.start()) + 1)
                )
            if cases.repeats(line):
                self.repeats = True
            if _EVERY_CASE.search(line):
                self.case = ""
            stated = cases.case_of(line) if len(line) < _CASE_LINE else ""
            if stated:
                self.case, self.case_source = stated, f"“{_short(line)}”"
                self.case_stated += 1
            self._activations(line, self.text.count("\n", 0, start + match.start()) + 1, True)
            named = losses.mentioned(line)
            if named is not None:
                self.signals.append(Signal(start + match.start(), f"“{named.name}” named in the text", named))
            if _ENUMERATE.search(line):
                self.items = 0

    # -- rows -----------------------------------------------------------------------------------

    def row(self, display: Display, first: bool) -> None:
        """Read one row of a display; ``first``: it is the first row of its display."""
        row = cut(display.latex)
        if row.case_only:
            self.case, self.case_source = row.case_only, f"the row “{row.case_only}” on line {display.line}"
            self.case_stated += 1
            if self.open is not None:  # "w = o:" inside a chain: the branches share its left side
                self.open = self._branch(self.open, display, row.case_only)
            return
        if not row.parts or not any(row.parts):
            return
        head = row.parts[0]
        if head == "" or (_WORDY.fullmatch(head) and len(head.strip()) > 1 and self.open is not None):
            self._continue(display, row)
            return
        self.defining = None
        written = derivative(head)
        if written is not None:
            self._start(display, row, written)
            return
        activation = activations.derivative_of(head)
        if activation is not None:
            self._start_activation(display, row, activation)
            return
        if len(row.parts) == 1 and self.open is not None:
            return  # a row without "=" inside a chain (\vdots, "where …") leaves it open
        self.open = None
        self._activations(display.latex, display.line, False)
        said = identity.identity(list(row.parts))
        if said is not None:
            self._definition(display, row)  # J = -Σ y_w log ŷ_w = …: J's definition too
            self._start_identity(display, row, *said)
            return
        if self._definition(display, row):
            return
        if len(self.names) < MAX_NAMES:
            self.names += [
                (name, meaning, display.line, display.position) for name, meaning in names(display.latex)
            ]
        reason = (
            "a derivative of something other than J (a Jacobian or a chain-rule factor)"
            if is_derivative(display.latex)
            else "not an equation of the form ∂J/∂x = …"
        )
        self.skip(display, reason, row.label)

    def _continue(self, display: Display, row: Row) -> None:
        sides = list(row.parts[1:])
        if self.defining is not None:
            self.defining.extend(sides)
            if self.open is None or self.open.kind != "identity":
                return
        if self.open is None:
            self.skip(display, "a step = … with no ∂J/∂x = … before it", row.label)
            return
        if self.case_stated > self.open.stated and self.case:  # "If $w = o$:" between two displays
            self.open = self._branch(self.open, display, self.case)
        self.open.rows.append(display.latex)
        if display.number:
            self.open.id = self._ident(display.number, "")
        self._add_steps(self.open, sides, display.line, row)

    def _equation(self, display: Display, row: Row, written: Written, **fields) -> Equation:
        """An equation that starts on ``row`` of ``display``, under the case stated so far."""
        return Equation(
            self._ident(display.number, row.label),
            written,
            display.line,
            display.position,
            rows=[display.latex],
            stated=self.case_stated,
            **fields,
        )

    def _start(self, display: Display, row: Row, written: Written) -> None:
        read_as = []
        if written.centre_index and _asks_about(self.section, written.centre_index):
            letter = written.centre_index
            read_as.append(
                f"∂J/∂{written.shown} read as ∂J/∂u_{letter}: J depends on no centre vector but v_c, "
                f"and the question asks about u_{letter}"
            )
            written = replace(written, index=letter, known=True, centre_index="")
        named = losses.named(written.subscript)
        if isinstance(named, Loss):
            where = f"J_{{{written.name_shown}}} on line {display.line}"
            self.signals.append(Signal(display.position, where, named))
        equation = self._equation(
            display,
            row,
            written,
            section_repeats=self.repeats,
            context=self.signals[-1] if self.signals else None,
            read_as=read_as,
        )
        equation.case, equation.case_source = self._case(written, row)
        self._add_steps(equation, list(row.parts[1:]), display.line, row)
        self.equations.append(equation)
        self.open = equation

    def _activations(self, text: str, line: int, prose: bool) -> None:
        """Note the activations ``text`` defines (f(x) = max(x, 0)) or, in prose, names."""
        for letter, loss in activations.definitions(text):
            what = loss.description if loss is not None else "something else"
            self.activations[letter] = (loss, f"{letter} defined as {what} on line {line}")
        named = activations.mentioned(text) if prose else None
        if named is not None:
            self.activations[""] = (named, f"“{named.name}” named on line {line}")

    def _start_activation(self, display: Display, row: Row, activation: activations.Activation) -> None:
        """Start the chain of an activation's derivative (σ'(x) = …, f'(x) = …)."""
        loss, source = activations.loss_of(activation, self.activations)
        self.open = None
        if loss is None:
            self.skip(display, source, row.label)
            return
        written = Written("", name=activations.VARIABLE, shown=activation.shown)
        equation = self._equation(
            display,
            row,
            written,
            kind="activation",
            loss=loss,
            wrt=activations.VARIABLE,
            loss_source=source,
            read_as=[f"{activation.shown} read as the derivative of {loss.description} ({source})"],
            variable=activation.variable,
        )
        if activation.variable != activations.VARIABLE:
            equation.read_as.append(f"{activation.variable} read as x")
        self._add_steps(equation, list(row.parts[1:]), display.line, row)
        self.equations.append(equation)
        self.open = equation

    def _start_identity(self, display: Display, row: Row, loss: Loss, sides: list[str]) -> None:
        """Start the chain of an identity about the loss (-Σ y_w log ŷ_w = -log ŷ_o)."""
        equation = self._equation(
            display,
            row,
            Written("", name=identity.WRT, shown=identity.WRT),
            kind="identity",
            loss=loss,
            wrt=identity.WRT,
            loss_source="the cross-entropy form (y and log ŷ)",
            read_as=[f"read as an identity about the {loss.name} loss J itself (each side = J)"],
        )
        self._add_steps(equation, sides, display.line, row)
        self.equations.append(equation)
        self.open = equation

    def _branch(self, chain: Equation, display: Display, case: str) -> Equation:
        """A new equation with the left side of ``chain``, for one case of it."""
        branch = Equation(
            self._ident(None, ""),
            chain.written,
            display.line,
            display.position,
            rows=[display.latex],
            case=case,
            case_source=f"“{case}” on line {display.line}",
            section_repeats=chain.section_repeats,
            context=chain.context,
            branch=True,
            read_as=list(chain.read_as),
            stated=self.case_stated,
        )
        self.equations.append(branch)
        return branch

    def _add_steps(self, equation: Equation, sides: list[str], line: int, row: Row) -> None:
        for side in sides:
            if not side:
                continue
            if equation.kind:
                self._special_step(equation, side, line)
                continue
            skip = ""
            if is_derivative(side):
                skip = "a step with ∂ in it (a chain rule): not checked"
            equation.steps.append(Step(side, line, skip))
        if row.condition and not equation.case:
            found = cases.case_of(row.condition)
            if found:
                equation.case, equation.case_source = found, f"“{_short(row.condition)}” on line {line}"

    def _special_step(self, equation: Equation, side: str, line: int) -> None:
        """A step of an activation's derivative or of an identity about the loss."""
        if equation.kind == "identity":
            if identity.is_loss(side):
                return  # J itself: what the steps are checked against
            equation.steps.append(Step(side, line, identity.step_skip(side)))
            return
        skip = activations.step_skip(side, equation.loss)
        text = activations.renamed(side, equation.variable) if not skip else side
        if text is None:
            skip = f"x stands for something other than {equation.variable} here: not checked"
        read, note = ("", "") if skip else activations.without_kink(text)
        if note and note not in equation.read_as:
            equation.read_as.append(note)
        equation.steps.append(Step(side, line, skip, read if read != side else ""))

    def _case(self, written: Written, row: Row) -> tuple[str, str]:
        """The case the equation's answer is for, and where the document says so."""
        if written.case:
            return written.case, f"∂/∂{written.shown}"
        found = cases.case_of(row.condition) if row.condition else ""
        if found:
            return found, f"“{_short(row.condition)}”"
        if self.case:
            return self.case, self.case_source
        return "", ""

    def _definition(self, display: Display, row: Row) -> bool:
        """Read ``row`` as a definition of J if it is one."""
        parts = row.parts
        for index, part in enumerate(parts[:-1]):
            subscript = subscript_of_J(plain(part))
            if subscript is None:
                continue
            sides = [p for p in parts[index + 1 :] if p]
            definition = Definition(subscript, tuple(sides), display.line, display.latex)
            self.definitions.append(definition)
            self.defining = list(sides)
            self.signals.append(
                Signal(display.position, f"J defined on line {display.line}", None, definition)
            )
            return True
        return False

    def skip(self, display: Display, reason: str, label: str = "") -> None:
        self.skipped.append(Skipped(self._ident(display.number, label), display.latex, reason, display.line))

    def _ident(self, number: str | None, label: str) -> str:
        """An equation's id: its number (``eq13``), else its section's label and its own
        (``(f)(i)``), else its line; made unique with ``#2``, ``#3``."""
        if number:
            ident = number if number.startswith("(") else f"eq{number}"  # \tag{(b)} is (b)
        elif self.part or label:
            ident = (f"({self.part})" if self.part else "") + label
        else:
            ident = "equation"
        self.used[ident] = self.used.get(ident, 0) + 1
        return ident if self.used[ident] == 1 else f"{ident}#{self.used[ident]}"


def _short(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= 60 else text[:59] + "…"


def read(text: str, found: Scan, in_time=lambda: None) -> tuple[Reading, list[Signal]]:
    """The equations, definitions and skipped displays of ``text``, and the signals of the loss
    in force, in document order; ``in_time`` is called between rows (it raises when reading
    has run out of time)."""
    reader = _Reader(text)
    between = found.between(text)
    read_up_to = -1  # the last block whose prose has been read
    rows = displays(text, found)
    if len(rows) > MAX_ROWS:
        raise SymW2VError(
            f"the document has {len(rows)} rows of displayed equations; the limit is {MAX_ROWS}"
        )
    for display in rows:
        in_time()
        first = display.block != read_up_to
        for block in range(read_up_to + 1, display.block + 1):
            reader.prose(between[block], found.blocks[block - 1].end if block else 0)
        read_up_to = display.block
        reader.row(display, first)
    for block in range(read_up_to + 1, len(found.blocks) + 1):  # the prose after the last display
        reader.prose(between[block], found.blocks[block - 1].end if block else 0)
    # an identity needs two sides besides J (J = -Σ y_w log ŷ_w alone defines J)
    equations = [
        e
        for e in reader.equations
        if (e.steps or not e.branch) and not (e.kind == "identity" and len(e.steps) < 2)
    ]
    for symbol, line in reader.counts:
        for equation in equations:
            _read_count(equation, symbol, line)
    for name, meaning, line, position in reader.names:
        for equation in (e for e in equations if e.position > position and not e.kind):
            _read_name(equation, name, meaning, line)
    return Reading(equations, reader.skipped, reader.definitions), reader.signals


def _asks_about(section: str, letter: str) -> bool:
    """Whether a section's text names the outside vector ``u_<letter>``."""
    return re.search(rf"u\}}?_\{{?\s*{re.escape(letter)}\s*\}}?(?![A-Za-z_])", plain(section)) is not None


def _read_count(equation: Equation, symbol: str, line: int) -> None:
    """Read ``symbol``, defined on ``line`` as the number of times a sampled word occurs, in the
    steps of ``equation`` (an answer about one word's vector) as the sum that counts them."""
    letter = equation.written.index
    if not letter.isalpha() or letter == OUTSIDE:
        return
    other = "j" if letter != "j" else "i"
    count = rf"\left(\sum_{{{other}=1}}^{{K}} [w_{other} = w_{letter}]\right)"
    pattern = _spellings(symbol)
    used = False
    for step in equation.steps:
        text = step.read or step.latex
        read = pattern.sub(lambda _: count, text)
        if read != text:
            step.read, used = read, True
    if used:
        equation.read_as.append(f"{symbol} read as the number of times w_{letter} was sampled (line {line})")


# a shorthand a document defines in a display: "s_1 = u_o^T v_c", "\theta = U^\top v_c"
_NAME = re.compile(r"^(?:\\[A-Za-z]{2,12}|[A-Za-z][A-Za-z0-9]{0,3})(?:_\{?[A-Za-z0-9]\}?)?$")


def names(latex: str) -> list[tuple[str, str]]:
    """The shorthands a display row defines (``s1 = u_o^T v_c, s2 = u_k^T v_c``): each name that
    the claim language does not know, with the expression it stands for (one that reads)."""
    found = []
    for piece in _commas(latex):
        sides = [plain(side) for side in split_equals(piece)]
        if len(sides) != 2 or not _NAME.match(sides[0]) or sides[0].isalpha() and len(sides[0]) == 1:
            continue
        if losses.parsed(sides[0]) is None and losses.parsed(sides[1]) is not None:
            found.append((sides[0], sides[1]))
    return found


def _commas(latex: str) -> list[str]:
    """``latex`` split at its commas outside brackets."""
    pieces, depth, start = [], 0, 0
    for index, char in enumerate(latex):
        if char in "({[":
            depth += 1
        elif char in ")}]":
            depth = max(0, depth - 1)
        elif char == "," and depth == 0:
            pieces.append(latex[start:index])
            start = index + 1
    pieces.append(latex[start:])
    return [p.strip() for p in pieces if p.strip()]


def _read_name(equation: Equation, name: str, meaning: str, line: int) -> None:
    """Read the shorthand ``name`` in ``equation``'s steps as what it stands for."""
    pattern = _spellings(name)
    used = False
    for step in equation.steps:
        text = step.read or step.latex
        read = pattern.sub(lambda _: f"({meaning})", text)
        if read != text:
            step.read, used = read, True
    if used:
        equation.read_as.append(f"{name} read as {meaning} (line {line})")


def _spellings(symbol: str) -> re.Pattern:
    """``symbol`` and its spellings with and without braces around a subscript (N_k, N_{k})."""
    bare = re.sub(r"_\{(\w)\}", r"_\1", symbol.replace(" ", ""))
    braced = re.sub(r"_(\w)", r"_{\1}", bare)
    # a spelling that ends in a letter must not run into the next one (N_k, not N_kv)
    options = [re.escape(o) + ("(?![A-Za-z0-9])" if o[-1:].isalnum() else "") for o in {bare, braced}]
    return re.compile(rf"(?<![A-Za-z\\])(?:{'|'.join(sorted(options, key=len, reverse=True))})")
