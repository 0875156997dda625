"""Render proof reports from Jinja templates shipped in the package: Markdown, HTML, JSON.

Output is deterministic: no timestamps, claims in file order, keys sorted, and wall-clock
times only when asked for (``timings=True``), so committed reports regenerate byte for byte.
HTML is autoescaped and self-contained: math is MathML, rendered by the browser in the math font
embedded in the page (a subset of Latin Modern Math with its OpenType MATH table), no network.

A report reads by its kind (:class:`~symw2v.results.ReportKind`): a derivation file's says
whether every verdict is the expected one, a homework's starts with what to fix.  Numbers are
rounded for reading; the exact values are in the JSON report.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import math
import re
from dataclasses import replace
from importlib import resources
from importlib.metadata import PackageNotFoundError, version

import sympy

from symw2v.results import ClaimResult, Report, ReportKind, Verdict

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
_TEMPLATE_IDS = frozenset({"skipped", "to-fix", "summary"})


@functools.cache
def math_font() -> str:
    """The math font the HTML reports embed, as base64 of its WOFF2 file: a subset of Latin
    Modern Math made by ``tools/subset_math_font.py`` (its MATH table is what lets the browser
    stretch brackets and size sums)."""
    data = resources.files("symw2v").joinpath("fonts", "symw2v-math.woff2").read_bytes()
    return base64.b64encode(data).decode("ascii")


# method -> its name in a summary table; the whole method is in the claim's own section
_METHOD_NAMES = (
    ("exact: exponentials as monomials", "exact algebra"),
    ("exact: all-sizes certificate", "all-sizes proof"),
    ("exact counterexample", "counterexample"),
    ("no exact counterexample", "no counterexample found"),
)


def method_name(method: object) -> str:
    """The few words that name ``method`` in a summary table (``exact algebra``); a method
    not in the table is shown as it is."""
    text = str(method)
    return next((name for prefix, name in _METHOD_NAMES if text.startswith(prefix)), text)


_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def readable_number(value: object, digits: int = 4) -> str:
    """A decimal for reading: ``digits`` significant digits, no trailing zeros, a true minus
    sign (``-4.00000000000000`` → ``−4``, ``1.98661429815143`` → ``1.987``); text that is not
    a finite number (``undefined``) is kept."""
    text = str(value)
    try:
        number = float(text)
    except ValueError:
        return text
    if not math.isfinite(number):
        return text
    shown = f"{number:.{digits}g}"
    if "e" in shown:
        mantissa, exponent = shown.split("e")
        shown = f"{mantissa}×10{str(int(exponent)).translate(_SUPERSCRIPTS)}"
    return "0" if shown == "-0" else shown.replace("-", "−")


def sweep_summary(instances: tuple[str, ...]) -> str:
    """The sizes a sweep covered, from its instances' descriptions (``V = 2, d = 1, o = 1``):
    each number that varies with its values (``V ∈ {2, 3, 5}, d ∈ {1, 2, 3}``)."""
    values: dict[str, set[int]] = {}
    for text in instances:
        for name, number in re.findall(r"\b(\w+) = (\d+)\b", text):
            values.setdefault(name, set()).add(int(number))
    varying = [(name, sorted(found)) for name, found in values.items() if len(found) > 1]
    return ", ".join(f"{name} ∈ {{{', '.join(map(str, found))}}}" for name, found in varying)


def formula_parts(latex: object, separator: str = r",\quad") -> list[str]:
    r"""``latex`` split at each ``separator`` outside braces (a counterexample's point is its
    vectors, ``u_1 = … ,\quad v_c = …``), so a page can wrap it between the vectors."""
    text, parts, depth, start, i = str(latex), [], 0, 0, 0
    while i < len(text):
        if text.startswith(separator, i) and depth == 0:
            parts.append(text[start:i])
            i = start = i + len(separator)
            continue
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        i += 2 if text[i] == "\\" else 1  # an escaped brace is not a brace
    return [part.strip() for part in [*parts, text[start:]] if part.strip()]


def tally(results: tuple[ClaimResult, ...]) -> str:
    """How many of each verdict, in the verdicts' order: ``5 proved, 1 refuted``."""
    counts = [(v, sum(r.verdict is v for r in results)) for v in Verdict]
    return ", ".join(f"{n} {v.value}" for v, n in counts if n)


def _to_fix(report: Report) -> tuple[ClaimResult, ...]:
    """The claims a reader should look at first: for a derivation file, those whose verdict is
    not the expected one; for anything else, those not proved."""
    if report.kind is ReportKind.DERIVATION:
        return tuple(r for r in report.results if not r.as_expected)
    return tuple(r for r in report.results if r.verdict is not Verdict.PROVED)


def code_parts(text: object) -> list[tuple[bool, str]]:
    """``text`` split at backticks: (is it inside a `code span`, the part); the HTML template
    puts the code parts in <code>, and autoescaping covers both."""
    return [(bool(i % 2), part) for i, part in enumerate(str(text).split("`"))]


@functools.cache
def _environment():
    # imported here: the checker page runs render_text in a browser that has no Jinja, and a
    # claim checked on the command line is printed as text, without LaTeX to MathML (~0.1 s)
    import jinja2

    from symw2v.markdown import md_anchor, md_code, md_hint, md_math, md_prose, md_term
    from symw2v.mathml import mathml

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
        method_name=method_name,
        number=readable_number,
        sweep_summary=sweep_summary,
        formula_parts=formula_parts,
    )
    env.globals["marks"] = {v.value: m for v, m in _MARKS.items()}
    return env


def _context(report: Report, timings: bool) -> dict:
    results = report.results
    return {
        "kind": report.kind.value,
        "tally": tally(results),
        "to_fix": _to_fix(report),
        "show": {
            "expected": report.kind is ReportKind.DERIVATION,
            "loss": report.kind in (ReportKind.DOCUMENT, ReportKind.BATCH),
            "certificate": any(r.certificate for r in results),
            "sweep": any(r.sweep for r in results),
            "reading": any(r.reading for r in results),
        },
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


def _complete(report: Report) -> Report:
    """The report with every result's fields written out (the derived gradients, made lazily)."""
    return replace(report, results=tuple(r.complete() for r in report.results))


def render_markdown(report: Report, timings: bool = False) -> str:
    """``report`` as Markdown (GitHub's dialect, math in ``math`` blocks), every string escaped."""
    return _environment().get_template("report.md.j2").render(_context(_complete(report), timings))


def render_html(report: Report, timings: bool = False) -> str:
    """``report`` as one self-contained HTML page: MathML, the math font embedded, no script."""
    context = {**_context(_complete(report), timings), "math_font": math_font()}
    return _environment().get_template("report.html.j2").render(context)


def render_json(report: Report, timings: bool = False) -> str:
    """``report`` as JSON with the exact values (keys sorted; ``seconds`` null unless ``timings``)."""
    claims = []
    for claim in report.results:
        data = claim.to_json()
        if not timings:
            data["seconds"] = None
        claims.append(data)
    document = {
        "kind": report.kind.value,
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
        ("swept", _swept(result)),
        ("message", result.message),
    ):
        if value:
            lines.append(f"{indent}  {label}: {value}")
    cx = result.counterexample
    if cx is not None:
        where = f" ({cx.target})" if cx.target else ""
        residual = ", ".join(map(readable_number, cx.approximate))
        lines.append(f"{indent}  counterexample{where}: residual ≈ ({residual})")
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


def _swept(result: ClaimResult) -> str:
    if not result.sweep:
        return ""
    if result.sweep_by == "certificate":
        return f"{_instances(len(result.sweep))}, by the all-sizes certificate"
    return _instances(len(result.sweep))


def _instances(count: int) -> str:
    return f"{count} instance{'s' if count != 1 else ''}"


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
