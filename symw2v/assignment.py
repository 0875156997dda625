"""What an assignment asks, as a questions file: each question's label, loss, variable, case,
points and Gradescope visibility, and the objects its answer must be written with (the
vectorised form's ``Uow``); ``autograder.py`` grades a submission against them.  A question is
about any built-in loss: a gradient of a word vector, an identity about J itself (``wrt = "J"``,
part (a)), an activation's derivative (``wrt = "x"``, by cases x > 0 and x < 0), a gradient of
skip-gram over a window (``wrt`` U, v_c or v_w).

A questions file is TOML, ``[[questions]]`` tables and an optional ``[autograder]`` one;
``symw2v/world/questions/`` ships one for each built-in profile that has one (CS224n's).  Every
field is checked with the exact types ``schema.py`` takes, an unknown one is named, and a
question must make sense (a case its variable has, a variable its loss depends on).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from pathlib import Path

from symw2v import schema
from symw2v.errors import InputError, SymW2VError
from symw2v.files import read_limited
from symw2v.question import depends_on
from symw2v.world import CENTRES, OBJECTS, VARIABLES, WRT
from symw2v.world.losses import BUILTIN, Loss, named_loss

MAX_QUESTIONS_FILE = 100_000  # bytes
MAX_QUESTIONS = 60
VISIBILITIES = ("visible", "hidden", "after_due_date", "after_published")
_FOLDER = "questions"
CASES = ("", "w != o", "w = o", "repeated negatives", "x > 0", "x < 0")

_VISIBILITY = schema.Field("visibility", (str,), "who sees the result when, as Gradescope says", VISIBILITIES)
_QUESTION = schema.Table(
    (
        schema.Field("label", (str,), "the part of the handout, as students label it", fewest=1, most=40),
        schema.Field("title", (str,), "the question as the results show it", most=schema.MAX_NAME),
        replace(schema.LOSS, choices=tuple(sorted(BUILTIN))),
        replace(schema.WRT_, choices=WRT),
        replace(schema.CASE, choices=CASES),
        schema.Field("points", (int, float), "what a right answer scores", low=0, high=1000),
        _VISIBILITY,
        schema.Field(
            "written_with",
            (list,),
            "the objects the answer must be written with (the vectorised form: Uow, ones)",
            most=4,
            item=schema.Field("object", (str,), "an object of the world", choices=tuple(OBJECTS)),
        ),
    ),
    ("label", "loss", "wrt", "points"),
)
_SETTINGS = schema.Table(
    (_VISIBILITY, replace(schema.TIME_LIMIT, name="time_limit", help="seconds for each check", high=600))
)
_FILE = schema.Table(
    (
        schema.Field("autograder", (dict,), "the autograder's settings", table=_SETTINGS),
        schema.Field(
            "questions",
            (list,),
            "the questions",
            fewest=1,
            most=MAX_QUESTIONS,
            item=schema.Field(
                "questions", (dict,), "a question", table=_QUESTION, expected="a [[questions]] table"
            ),
        ),
    ),
    ("questions",),
)


@dataclass(frozen=True)
class Asked:
    """One question of the questions file: ∂J/∂``wrt`` of ``loss``, in ``case``, worth ``points``."""

    label: str
    title: str
    loss: Loss
    wrt: str
    case: str
    points: int | float
    visibility: str
    written_with: tuple[str, ...] = ()  # objects the answer must use: the vectorised form's Uow

    @property
    def shown(self) -> str:
        """The label as the results show it: ``(b)``, ``f(ii)``."""
        return self.label if "(" in self.label else f"({self.label})"

    @property
    def name(self) -> str:
        """The question as Gradescope lists it: ``(b) naive-softmax: ∂J/∂v_c``."""
        return f"{self.shown} {self.title}"

    @property
    def asked(self) -> str:
        """What it asks for, in words: ``∂J/∂u_w for w = o of the softmax loss``."""
        case = f" for {self.case}" if self.case else ""
        shown = " and ".join(_spelled(OBJECTS[name]) for name in self.written_with)
        written = f", written with {shown}" if shown else ""
        if self.wrt == "J":
            return f"an identity J = … about the {self.loss.name} loss itself{written}"
        if self.wrt == "x":
            return f"the derivative by x of {self.loss.name}(x){case}"
        return f"{self.derivative}{case} of the {self.loss.name} loss{written}"

    @property
    def derivative(self) -> str:
        """The derivative asked for, as an answer starts: ``∂J/∂v_c``, ``f'(x)`` for a function of x."""
        return "J" if self.wrt == "J" else f"∂J/∂{self.wrt}"


@dataclass(frozen=True)
class Questions:
    """A questions file: its questions in order, and the seconds each check may take."""

    questions: tuple[Asked, ...]
    time_limit: float = 30.0
    visibility: str = "visible"


def _spelled(found) -> str:
    """An object as the feedback names it: ``Uow = [u_o, -u_{w_1}, ..., -u_{w_K}]``."""
    return f"{found.text} = {found.definition}" if found.definition else found.text


def questions_from_toml(text: str, where: str) -> Questions:
    """The questions a TOML text declares; ``where`` names it in errors."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SymW2VError(f"{where}: not a valid TOML file ({error})") from None
    try:
        checked = schema.validate(_FILE, data, f"{where}: ")
    except InputError as error:
        raise SymW2VError(str(error)) from None
    settings = checked.get("autograder", {})
    visibility = settings.get("visibility", "visible")
    asked = tuple(
        _asked(table, visibility, f"{where}: question {n}") for n, table in enumerate(checked["questions"], 1)
    )
    seen: dict[tuple, int] = {}
    for number, question in enumerate(asked, start=1):
        key = (question.label, question.loss.name, question.wrt, question.case)
        if key in seen:
            raise SymW2VError(f"{where}: question {number} asks what question {seen[key]} asks")
        seen[key] = number
    return Questions(asked, float(settings.get("time_limit", 30.0)), visibility)


def _asked(table: dict, visibility: str, where: str) -> Asked:
    loss = named_loss(table["loss"])
    wrt, case = table["wrt"], table.get("case", "")
    free = VARIABLES[wrt].free
    if case in ("w = o", "w != o") and not (free and not loss.index_set(free).sampled):
        raise SymW2VError(f"{where}: the case {case!r} is for the vector of any word, u_w (not {wrt})")
    if case == "repeated negatives" and not (free and loss.index_set(free).sampled):
        raise SymW2VError(f"{where}: repeated negatives are a case of ∂J/∂u_k of negative sampling")
    if case in ("x > 0", "x < 0") and wrt != "x":
        raise SymW2VError(f'{where}: the case {case!r} is for the derivative of a function of x (wrt = "x")')
    if not depends_on(loss, wrt):
        raise SymW2VError(f"{where}: J of the {loss.name} loss does not depend on {wrt}")
    if VARIABLES[wrt].object == CENTRES.letter and not loss.windowed:
        raise SymW2VError(f"{where}: {wrt} is a word of a window; the {loss.name} loss has none")
    title = table.get("title") or _title(loss, wrt, case)
    shown = table.get("visibility", visibility)
    written = table.get("written_with", ())
    return Asked(
        table["label"], title, loss, wrt, case, table["points"], shown, tuple(dict.fromkeys(written))
    )


def _title(loss: Loss, wrt: str, case: str) -> str:
    """A question's title when the file gives none: ``softmax: ∂J/∂u_w for w = o``."""
    asked = {"J": "the loss J itself", "x": f"{loss.name}'(x)"}.get(wrt, f"∂J/∂{wrt}")
    return f"{loss.name}: {asked}" + (f" for {case}" if case else "")


def load_questions(path: str | Path) -> Questions:
    """The questions of the file at ``path``."""
    data = read_limited(Path(path), MAX_QUESTIONS_FILE, "questions file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise SymW2VError(f"{path}: not UTF-8 text") from None
    return questions_from_toml(text, str(path))


@cache
def shipped_questions() -> dict[str, str]:
    """The questions files shipped for the built-in profiles: ``{profile name: TOML text}``."""
    folder = resources.files("symw2v.world").joinpath(_FOLDER)
    found = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            found[entry.name.removesuffix(".toml")] = entry.read_text(encoding="utf-8")
    return found
