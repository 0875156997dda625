"""Render proof reports from Jinja templates shipped in the package: Markdown, HTML, JSON.

Output is deterministic: no timestamps, claims in file order, keys sorted, and wall-clock
times only when asked for (``timings=True``), so committed reports regenerate byte for byte.
HTML is autoescaped and self-contained: math is MathML, rendered by the browser, no network.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from importlib.metadata import PackageNotFoundError, version

import sympy

from symw2v.markdown import md_anchor, md_code, md_hint, md_math, md_prose, md_term
from symw2v.mathml import mathml
from symw2v.results import ClaimResult, Report, Verdict

FORMATS = ("md", "html", "json")
# marks any font has (emoji fonts are missing on many machines that render the HTML)
_MARKS = {
    Verdict.PROVED: "✓",
    Verdict.REFUTED: "✗",
    Verdict.UNDECIDED: "?",
    Verdict.ILL_TYPED: "⚠",
    Verdict.PARSE_ERROR: "⚠",
}


def versions() -> dict[str, str]:
    """symw2v's version and SymPy's major.minor (patch releases do not change the reports)."""
    try:
        own = version("symw2v")
    except PackageNotFoundError:
        from symw2v import __version__ as own
    major_minor = ".".join(sympy.__version__.split(".")[:2])
    return {"symw2v": own, "sympy": major_minor}


def html_anchor(ident: object) -> str:
    """An HTML id (and ``#`` fragment) for a claim: the id itself when it is a plain name,
    otherwise its letters and digits with a digest of the whole id, so distinct ids stay
    distinct and nothing of a quote or a scheme survives."""
    ident = str(ident)
    if _PLAIN_ID.match(ident) and ident not in _TEMPLATE_IDS:
        return ident
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ident)[:40].strip("-")
    digest = hashlib.sha256(ident.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return "-".join(part for part in ("claim", slug, digest) if part)


_PLAIN_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,63}\Z")
_TEMPLATE_IDS = frozenset({"skipped"})


def code_parts(text: object) -> list[tuple[bool, str]]:
    """``text`` split at backticks: (is it inside a `code span`, the part); the HTML template
    puts the code parts in <code>, and autoescaping covers both."""
    return [(bool(i % 2), part) for i, part in enumerate(str(text).split("`"))]


@functools.cache
def _environment():
    # imported here: the checker page runs render_text in a browser that has no Jinja
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("symw2v", "templates"),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2", "html"), default_for_string=True),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(
        mathml=mathml,
        md_prose=md_prose,
        md_term=md_term,
        md_code=md_code,
        md_hint=md_hint,
        md_math=md_math,
        md_anchor=md_anchor,
        anchor=html_anchor,
        code_parts=code_parts,
    )
    env.globals["marks"] = {v.value: m for v, m in _MARKS.items()}
    return env


def _context(report: Report, timings: bool) -> dict:
    return {
        "title": report.title,
        "description": " ".join(report.description.split()),
        "source": report.source,
        "loss": {"name": report.loss_name, "description": report.loss_description},
        "instance_text": report.instance_text,
        "instance_note": report.instance_note,
        "results": report.results,
        "notes": {**{r.id: "" for r in report.results}, **dict(report.notes)},
        "as_expected": report.as_expected,
        "versions": versions(),
        "timings": timings,
        "skipped": report.skipped,
    }


def render_markdown(report: Report, timings: bool = False) -> str:
    return _environment().get_template("report.md.j2").render(_context(report, timings))


def render_html(report: Report, timings: bool = False) -> str:
    return _environment().get_template("report.html.j2").render(_context(report, timings))


def render_json(report: Report, timings: bool = False) -> str:
    claims = []
    for claim in report.results:
        data = claim.to_json()
        if not timings:
            data["seconds"] = None
        claims.append(data)
    document = {
        "title": report.title,
        "source": report.source,
        "loss": {"name": report.loss_name, "expression": report.loss_expression},
        "instance": report.instance,
        "as_expected": report.as_expected,
        "versions": versions(),
        "claims": claims,
    }
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def render_text(result: ClaimResult, indent: str = "") -> list[str]:
    """A result as plain-text lines, for the terminal and for Gradescope's output field."""
    head = f"{result.verdict.value}: {_flat(result.asked)} = {_flat(result.claim)}"
    lines = [head if not indent and result.id == "claim" else f"{indent}{_flat(result.id)}: {head}"]
    for label, value in (
        ("case", result.case),
        ("method", result.method),
        ("layout", result.layout),
        ("reading", result.reading),
        ("residual (claimed − derived)", result.residual),
        ("hint", result.hint),
        ("scope", result.scope),
        ("all sizes", result.certificate),
        ("swept", f"{len(result.sweep)} instances" if result.sweep else ""),
        ("message", result.message),
    ):
        if value:
            lines.append(f"{indent}  {label}: {value}")
    cx = result.counterexample
    if cx is not None:
        where = f" ({cx.target})" if cx.target else ""
        lines.append(f"{indent}  counterexample{where}: residual ≈ ({', '.join(cx.approximate)})")
        vectors = [f"{name} = ({', '.join(values)})" for name, values in cx.point.items()]
        lines.append(f"{indent}    at {'; '.join(vectors)}")
        why = "undefined there:" if cx.undefined else "non-zero because"
        lines.append(f"{indent}    {why} {cx.certificate}")
    for step in result.steps:
        lines.append(f"{indent}  step {_flat(step.id)}: {step.verdict.value}: {_flat(step.claim)}")
        detail = step.hint or step.message
        if detail:
            lines.append(f"{indent}    {detail}")
    return [plain_text(line) for line in lines]


# C0 and C1 controls but the newline and the tab (a terminal acts on ESC, CSI, CR, BS), and the
# bidirectional embeddings, overrides and isolates, which reorder what a reader sees
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def plain_text(text: object) -> str:
    """``text`` for a terminal or a plain-text field: every control character that would act
    rather than show is replaced by U+FFFD; newlines and tabs are kept."""
    return _CONTROLS.sub("\ufffd", str(text))


def _flat(text: object) -> str:
    """A one-line field (an id, a claim): its line breaks as spaces, so it cannot forge lines."""
    return re.sub(r"[\r\n\u2028\u2029\x85]+", " ", str(text))


RENDERERS = {"md": render_markdown, "html": render_html, "json": render_json}
