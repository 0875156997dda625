"""What the checker page asks of Python, run inside the page's web worker (Pyodide).

Each function takes and returns JSON text, so that the worker passes strings and nothing else
across the JavaScript boundary.  A claim is checked as ``symw2v check --loss … --wrt …`` checks
it (same instance, conventions, sweep and time limit) and a document as ``symw2v check FILE``
does; the text of a result is ``render_text``'s, the words of the command line.  Only modules
the browser has are imported: no NumPy, Jinja or worker processes.
"""

from __future__ import annotations

import functools
import json
import tempfile
from pathlib import Path

from symw2v.assignment import questions_from_toml, shipped_questions
from symw2v.claim import Conventions, check_claim
from symw2v.document import check_document, read_document
from symw2v.errors import ClaimParseError, SymW2VError
from symw2v.mathml import sanitised_mathml
from symw2v.parse import read_claim
from symw2v.printing import to_latex
from symw2v.reader.source import SUFFIXES
from symw2v.render import render_text
from symw2v.results import ClaimResult
from symw2v.schema import HALF_WIDTH, parse_number
from symw2v.sizes import DEFAULTS, instance_for, window_losses
from symw2v.sweep import DEFAULT
from symw2v.world import WRT
from symw2v.world import profile as profiles
from symw2v.world.losses import BUILTIN, named_loss

TIME_LIMIT_S = 60.0  # the command line's default --time-limit
MAX_REQUEST = 400_000  # characters of one request: a document (200 000) escaped as JSON
CASES = ("", "w != o", "w = o", "repeated negatives", "x > 0", "x < 0")


def _answer(function):
    """A request's answer: ``function``'s JSON, or ``{"error"}`` with what the CLI would say."""

    @functools.wraps(function)
    def answered(*args, **kwargs) -> str:
        try:
            return function(*args, **kwargs)
        except ClaimParseError as error:
            return _dumps({"error": str(error), "column": _column(error)})
        except SymW2VError as error:
            return _dumps({"error": str(error), "column": None})

    return answered


@_answer
def options() -> str:
    """The page's choices: losses, variables, cases and profiles, and the time limit."""
    losses = [{"name": name, "description": BUILTIN[name].description} for name in sorted(BUILTIN)]
    builtin = sorted(profiles.builtin().items())
    profile_list = [{"name": name, "description": profile.description} for name, profile in builtin]
    data = {
        "questions": _questions(),
        "losses": losses,
        "wrt": list(WRT),
        "cases": list(CASES),
        "windowed": list(window_losses()),
        "m": {"default": DEFAULTS["m"], "low": HALF_WIDTH.low, "high": HALF_WIDTH.high},
        "profiles": profile_list,
        "time_limit_s": TIME_LIMIT_S,
        "suffixes": list(SUFFIXES),
    }
    return _dumps(data)


@_answer
def preview(request: str) -> str:
    """The claim as the reports typeset it: ``{"mathml"}``, or ``{"error"}`` with the column."""
    asked = _request(request)
    node, _ = read_claim(str(asked.get("claim", "")), _syntax(asked))
    return _dumps({"mathml": sanitised_mathml(to_latex(node))})


@_answer
def check(request: str) -> str:
    """One claim, as ``symw2v check --loss LOSS --wrt WRT [--profile P] [--case C] -- CLAIM``."""
    asked = _request(request)
    loss = named_loss(str(asked.get("loss", "")))
    wrt = str(asked.get("wrt", ""))
    if wrt not in WRT:
        raise SymW2VError(f"the variable must be one of {', '.join(WRT)}")
    instance = instance_for(loss, _window(asked, loss))  # as the CLI's, with the form's m
    conventions = Conventions.under(_profile(asked))
    result = check_claim(
        str(asked.get("claim", "")),
        loss,
        wrt,
        instance,
        conventions,
        time_limit_s=TIME_LIMIT_S,
        syntax=_syntax(asked),
        grid=DEFAULT,
        case=str(asked.get("case", "")),
    )
    return _dumps(_shown(result))


@_answer
def check_text(request: str, progress=None) -> str:
    """Every equation of a document, as ``symw2v check FILE [--profile P]``.

    ``progress(json)`` is called with each equation's result as it is checked.
    """
    asked = _request(request)
    suffix = str(asked.get("suffix", ".md")).lower()
    if suffix not in SUFFIXES:
        raise SymW2VError(f"a document is a {', '.join(SUFFIXES)} file")

    def each(result: ClaimResult) -> None:
        if progress is not None:
            progress(_dumps(_shown(result)))

    # read as the command line reads a file: the suffix decides Markdown, LaTeX or notebook;
    # the name is ours, never the user's
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"document{suffix}"
        path.write_text(str(asked.get("text", "")), encoding="utf-8")
        source = read_document(path)
    document = check_document(source, time_limit_s=TIME_LIMIT_S, progress=each, profile=_profile(asked))
    shown = document.to_json()
    shown["shown"] = [_shown(result) for result in document.claims]
    shown["lines"] = list(document.lines)
    return _dumps(shown)


def _questions() -> dict[str, list[dict]]:
    """The written questions of each built-in profile: what each asks (loss, variable, case)."""
    found = {}
    for name, text in sorted(shipped_questions().items()):
        asked = questions_from_toml(text, f"questions of {name}").questions
        found[name] = [
            {"label": q.shown, "title": q.title, "loss": q.loss.name, "wrt": q.wrt, "case": q.case}
            for q in asked
        ]
    return found


def _shown(result: ClaimResult) -> dict:
    """A result for the page: its JSON, its text lines, and its formulas as MathML."""
    formulas = {
        "claim": result.claim_latex,
        "residual": result.residual_latex,
        "derived": result.derived_latex,
    }
    return {
        "result": result.to_json(),
        "text": render_text(result),
        "mathml": {name: sanitised_mathml(latex) for name, latex in formulas.items() if latex},
    }


def _request(text: str) -> dict:
    if len(text) > MAX_REQUEST:
        raise SymW2VError(f"the request is too long ({len(text)} characters, at most {MAX_REQUEST})")
    try:
        data = json.loads(text)
    except ValueError:
        raise SymW2VError("a request is JSON") from None
    if not isinstance(data, dict):
        raise SymW2VError("a request is a JSON object")
    return data


def _window(asked: dict, loss) -> dict:
    """The form's window half-width m, for a loss over a window (the form sends it as a number
    or as the text of its field; empty or absent: the default)."""
    m = asked.get("m")
    if m in (None, "") or loss.name not in window_losses():
        return {}
    if type(m) is str:
        return {"m": parse_number(HALF_WIDTH, m)}
    return {"m": m}


def _syntax(asked: dict) -> str:
    syntax = str(asked.get("syntax", "auto"))
    return syntax if syntax in ("auto", "text", "latex") else "auto"


def _profile(asked: dict):
    name = asked.get("profile") or ""
    builtin = profiles.builtin()
    if not name:
        return None
    if name not in builtin:
        raise SymW2VError(f"no profile {str(name)[:40]!r}: the page knows {', '.join(sorted(builtin))}")
    return builtin[name]


def _column(error: ClaimParseError) -> int | None:
    return None if error.position is None else error.position + 1


def _dumps(data) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False)
