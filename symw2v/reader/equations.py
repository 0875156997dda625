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
from dataclasses import replace

from symw2v.displays import Display, Scan, displays
from symw2v.errors import SymW2VError
from symw2v.reader import activations, cases, identity, losses, sections, shorthands
from symw2v.reader.derivative import Written, derivative, is_derivative, plain, stated_case, subscript_of_J
from symw2v.reader.found import Definition, Equation, Reading, Signal, Skipped, Step
from symw2v.reader.rows import Row, cut
from symw2v.reader.shorthands import MAX_NAMES
from symw2v.world.losses import Loss

MAX_ROWS = 2_000  # rows of displays in a document (a homework has a few hundred)
_SECTION = 5_000  # characters of a section's text kept to look up what its question asks about
_CASE_LINE = 400  # characters of a line that may state a case
_WORDY = re.compile(r"[A-Za-z][A-Za-z\\ ]*")  # a left side that is a word: "origin = …"


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
            part = sections.section_start(line)
            if part is not None:
                self.part = part or self.part
                self.repeats = False
                self.open = None
                self.case = ""
                self.section = ""
                self.activations = {}
            elif sections.is_item(line):
                self.items += 1
                self.part = chr(ord("a") + min(self.items - 1, 25))
                self.repeats, self.open, self.case = False, None, ""
                self.activations = {}
            self.section = (self.section + "\n" + line)[-_SECTION:]
            for symbol in shorthands.counts(line) if len(self.counts) < MAX_NAMES else ():
                self.counts.append((symbol, self.text.count("\n", 0, start + match.start()) + 1))
            if cases.repeats(line):
                self.repeats = True
            if sections.every_case(line):
                self.case = ""
            stated = cases.case_of(line) if len(line) < _CASE_LINE else ""
            if stated:
                self.case, self.case_source = stated, f"“{_short(line)}”"
                self.case_stated += 1
            self._activations(line, self.text.count("\n", 0, start + match.start()) + 1, True)
            named = losses.mentioned(line)
            if named is not None:
                self.signals.append(Signal(start + match.start(), f"“{named.name}” named in the text", named))
            if sections.starts_enumerate(line):
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
            defined = shorthands.names(display.latex)
            self.names += [(name, meaning, display.line, display.position) for name, meaning in defined]
        case = stated_case(row.parts[0]) if row.parts else ""
        if case and is_derivative(row.parts[0]):
            reason = f"the case {case} is not one the derivative's variable takes: not checked"
        elif is_derivative(display.latex):
            reason = "a derivative of something other than J (a Jacobian or a chain-rule factor)"
        else:
            reason = "not an equation of the form ∂J/∂x = …"
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
        # v_w for u_w is a slip of the pen, except in a window's loss, where v_w is a variable
        window = losses.window(losses.named(written.subscript)) or losses.of_window_words(row.parts[0])
        if written.centre_index and not window and _asks_about(self.section, written.centre_index):
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
    shorthands.read_back(equations, reader.counts, reader.names)
    return Reading(equations, reader.skipped, reader.definitions), reader.signals


def _asks_about(section: str, letter: str) -> bool:
    """Whether a section's text names the outside vector ``u_<letter>``."""
    return re.search(rf"u\}}?_\{{?\s*{re.escape(letter)}\s*\}}?(?![A-Za-z_])", plain(section)) is not None
