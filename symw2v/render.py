"""Render proof reports from Jinja templates shipped in the package: Markdown, HTML, JSON.

Output is deterministic: no timestamps, claims in file order, keys sorted, and wall-clock
times only when asked for (``timings=True``), so committed reports regenerate byte for byte.
HTML is autoescaped and self-contained: math is MathML, rendered by the browser, no network.
"""

from __future__ import annotations

import json
import re
from importlib.metadata import PackageNotFoundError, version

import jinja2
import latex2mathml.converter
import markupsafe
import sympy

from symw2v.derivation import DerivationResult
from symw2v.results import ClaimResult, Verdict

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


def _mathml(latex: str, display: str = "block") -> markupsafe.Markup:
    """MathML for ``latex``; what the converter cannot read is shown escaped, as code."""
    try:
        converted = latex2mathml.converter.convert(latex, display=display)
    except Exception:  # noqa: BLE001 - any converter failure falls back to escaped source
        return markupsafe.Markup("<code>{}</code>").format(latex)
    return markupsafe.Markup(converted)


def _md_code(text: str) -> str:
    """``text`` as a Markdown code span that nothing inside it can close."""
    text = " ".join(str(text).split())
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _md_text(text: str, code: bool = False) -> str:
    """Prose in a Markdown table cell or paragraph: HTML and table syntax neutralised.

    ``code``: keep backtick code spans (for the hints, which quote claims that way).
    """
    text = " ".join(str(text).split())
    escapes = [("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("|", "\\|")]
    for char, entity in escapes if code else [*escapes, ("`", "\\`")]:
        text = text.replace(char, entity)
    return text


def _html_code_spans(text: str) -> markupsafe.Markup:
    """Escaped ``text`` with its `code` spans as <code> elements."""
    parts = str(text).split("`")
    html = markupsafe.Markup("")
    for i, part in enumerate(parts):
        html += markupsafe.Markup("<code>{}</code>").format(part) if i % 2 else markupsafe.escape(part)
    return html


def _md_anchor(text: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", str(text).lower()).replace(" ", "-")


def _md_math(latex: str) -> str:
    """A fenced math block GitHub renders; backticks cannot end it early."""
    return "```math\n" + str(latex).replace("`", "'") + "\n```"


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("symw2v", "templates"),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2", "html"), default_for_string=True),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(
        mathml=_mathml,
        md_code=_md_code,
        md_text=_md_text,
        md_math=_md_math,
        md_anchor=_md_anchor,
        code_spans=_html_code_spans,
    )
    env.globals["marks"] = {v.value: m for v, m in _MARKS.items()}
    return env


def _context(result: DerivationResult, source: str, timings: bool) -> dict:
    derivation = result.derivation
    notes = {spec.id: spec.note.strip() for spec in derivation.claims}
    return {
        "title": derivation.title,
        "description": " ".join(derivation.description.split()),
        "source": source,
        "loss": derivation.loss,
        "instance": derivation.instance,
        "results": result.results,
        "notes": notes,
        "as_expected": result.as_expected,
        "versions": versions(),
        "timings": timings,
        "skipped": result.skipped,
    }


def render_markdown(result: DerivationResult, source: str, timings: bool = False) -> str:
    return _environment().get_template("report.md.j2").render(_context(result, source, timings))


def render_html(result: DerivationResult, source: str, timings: bool = False) -> str:
    return _environment().get_template("report.html.j2").render(_context(result, source, timings))


def render_json(result: DerivationResult, source: str, timings: bool = False) -> str:
    derivation = result.derivation
    claims = []
    for claim in result.results:
        data = claim.to_json()
        if not timings:
            data["seconds"] = None
        claims.append(data)
    document = {
        "title": derivation.title,
        "source": source,
        "loss": {"name": derivation.loss.name, "expression": derivation.loss.expression},
        "instance": derivation.instance.as_dict(),
        "as_expected": result.as_expected,
        "versions": versions(),
        "claims": claims,
    }
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def render_text(result: ClaimResult, indent: str = "") -> list[str]:
    """A result as plain-text lines, for the terminal and for Gradescope's output field."""
    lines = [f"{indent}{result.id}: {result.verdict.value}: ∂J/∂{result.wrt} = {result.claim}"]
    if not indent and result.id == "claim":
        lines = [f"{result.verdict.value}: ∂J/∂{result.wrt} = {result.claim}"]
    for label, value in (
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
        lines.append(f"{indent}    non-zero because {cx.certificate}")
    for step in result.steps:
        lines.append(f"{indent}  step {step.id}: {step.verdict.value}: {step.claim}")
        detail = step.hint or step.message
        if detail:
            lines.append(f"{indent}    {detail}")
    return lines


RENDERERS = {"md": render_markdown, "html": render_html, "json": render_json}
