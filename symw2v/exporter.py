"""Export proved gradients as a readable, self-contained Python module.

The closed forms exported for each loss are data: the claims of the loss's own file
(``symw2v/world/losses/``), in the claim syntax, with its ``[export]`` settings.
Each is checked by ``check_claim`` at the default instance with U read as rows; one that is
not proved stops the export unless ``allow_unproved``, and the header then says so.  The
vectorised code is printed from the closed forms' AST by a printer per target (``TARGETS``);
the module also carries the derivation itself, the gradients ``sympy.diff`` derived at the
instance, printed by SymPy, so a user can compare the two on the same numbers.

Output is deterministic: the same bytes on every run, with a sha256 of the body in the header.
"""

from __future__ import annotations

import hashlib
import textwrap
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

import sympy

from symw2v import __version__
from symw2v import closed_form as cf
from symw2v.claim import Conventions, check_claim
from symw2v.derive import derive, loss_expression
from symw2v.errors import SymW2VError
from symw2v.export_loops import LoopPrinter, word_parts
from symw2v.export_printers import (
    ArrayPrinter,
    InstancePrinter,
    JaxPrinter,
    NumbaPrinter,
    TorchPrinter,
    component_names,
    normalize,
    shorten,
)
from symw2v.instantiate import resolve_sums
from symw2v.parse import parse_claim
from symw2v.printing import to_text
from symw2v.results import Verdict
from symw2v.world import WRT, Reading
from symw2v.world.instance import Instance
from symw2v.world.losses import Loss, builtin_files, named_loss

LINE_LENGTH = 88  # ruff format's default: the module stays formatted wherever it is written


@dataclass(frozen=True)
class ClosedForm:
    """``∂J/∂wrt = text``, in the claim syntax, with U read as rows (V×d) and y as a column."""

    wrt: str
    text: str


@dataclass(frozen=True)
class CheckedForm:
    """A closed form with the verdict ``check_claim`` gave it at the instance."""

    form: ClosedForm
    verdict: Verdict
    message: str = ""


@dataclass(frozen=True)
class Printed:
    """One line of exported code: ``name = code``, under the comment ``# comment``."""

    name: str
    comment: str
    code: str


@dataclass(frozen=True)
class RowPart:
    """What a fused loop computes from the row of one gathered word (``letter``), its score
    ``z`` alone: its term of J, its row's multiple in ∂J/∂v_c, its gradient's multiple of v_c."""

    letter: str
    loss: Printed
    coef: Printed
    scale: Printed


TARGETS = {"numpy": ArrayPrinter, "jax": JaxPrinter, "torch": TorchPrinter, "numba": NumbaPrinter}
_TEMPLATES = {
    "numpy": "export_module.py.j2",
    "jax": "export_jax.py.j2",
    "torch": "export_torch.py.j2",
    "numba": "export_numba.py.j2",
}
_TITLES = {"numpy": "NumPy", "jax": "JAX", "torch": "PyTorch", "numba": "Numba"}
# A loss whose gradient a target computes in a loop of its own, not in the target's array code
_LOOP_TEMPLATES = {("numba", "negative-sampling"): "export_numba_negative_sampling.py.j2"}
_VARIABLES = {name: f"dJ_d{name}" for name in WRT}
# Rows of U gathered at words (u_o = U[o], u_k = U[negatives]), and the letter of each: their
# gradients are exported as multiples of v_c, summed into ∂J/∂U's rows where they are built.
_GATHERED = {"u_o": "o", "u_k": "k"}
_INSTANCE = Instance()
_CONVENTIONS = Conventions(U="rows")


def closed_forms() -> dict[str, tuple[ClosedForm, ...]]:
    """The closed forms exported for each built-in loss that has any: the claims of its file."""
    return {
        name: tuple(ClosedForm(c["wrt"], c["claim"]) for c in data["claims"])
        for name, data in builtin_files().items()
        if "export" in data
    }


def _settings(loss_name: str) -> dict:
    """The loss file's ``[export]`` table: its module's public functions, and whether J is printed
    from the expression (``print_loss``) or written by hand in the template."""
    return builtin_files()[loss_name]["export"]


def export_module(loss_name: str, target: str = "numpy", allow_unproved: bool = False) -> str:
    """The source of a Python module computing ``loss_name``'s loss and proved gradients.

    ``target`` is ``numpy``, ``jax``, ``torch`` or ``numba`` (generating needs none of them
    installed; ``numba`` is NumPy with the negative-sampling gradient as one compiled loop).
    Raises ``SymW2VError`` for an unknown loss or target, and for a closed form that is not
    proved at the instance unless ``allow_unproved``.
    """
    if target not in TARGETS:
        raise SymW2VError(f"unknown export target {target!r}; choose one of {', '.join(TARGETS)}")
    loss = named_loss(loss_name)
    forms = closed_forms()
    if loss_name not in forms:
        raise SymW2VError(f"no closed forms to export for {loss_name!r}")
    checked = tuple(_check(loss_name, form) for form in forms[loss_name])
    unproved = [c for c in checked if c.verdict is not Verdict.PROVED]
    if unproved and not allow_unproved:
        details = "; ".join(f"∂J/∂{c.form.wrt} = {c.form.text}: {c.verdict.value}" for c in unproved)
        raise SymW2VError(
            f"refusing to export closed forms that are not proved ({details}); "
            "fix them, or pass allow_unproved to export them anyway"
        )
    body = _body(loss, target, checked)
    return _header(loss, target, checked, hashlib.sha256(body.encode("utf-8")).hexdigest()) + body


@lru_cache(maxsize=32)
def _check(loss_name: str, form: ClosedForm) -> CheckedForm:
    result = check_claim(form.text, named_loss(loss_name), form.wrt, _INSTANCE, _CONVENTIONS)
    return CheckedForm(form, result.verdict, result.message)


def _header(loss: Loss, target: str, checked: tuple[CheckedForm, ...], digest: str) -> str:
    texts = [_plain(c.form.text) for c in checked]
    width = max(map(len, texts))
    claims = [
        f"    ∂J/∂{c.form.wrt} = {text.ljust(width)}  {_verdict_note(c)}"
        for c, text in zip(checked, texts, strict=True)
    ]
    unproved = sum(c.verdict is not Verdict.PROVED for c in checked)
    title = loss.description.split(":")[0]
    lines = [f'"""{title[0].upper()}{title[1:]}: the loss and its gradients, exported by symw2v.', ""]
    if unproved:
        lines += [
            f"WARNING: {unproved} of the closed forms below NOT PROVED. This module was exported",
            "with allow_unproved (--allow-unproved): do not trust the gradients marked so.",
            "",
        ]
    lines += [
        f"Generated by symw2v {__version__} with SymPy {sympy.__version__}, for {_TITLES[target]}.",
        "From the closed forms below, in symw2v's claim syntax: symw2v.check_claim checked",
        "each one against the gradient that sympy.diff derives from the loss J, with U read",
        f"as rows, at the instance {_instance_text(loss)} (1-based):",
        "",
        f"    J = {loss.expression}",
        *claims,
        "",
        "Conventions: U is V×d, and row w of U is u_w. Word indices are 0-based, so the",
        f"instance is {_instance_text(loss, zero_based=True)} here. Outputs have the dtype of the",
        "inputs (float32 or float64).",
        "",
        *_usage(loss, target),
        "",
        "Content hash, the sha256 of everything below this docstring:",
        f"    {digest}",
        '"""',
    ]
    return "\n".join(lines) + "\n"


def _usage(loss: Loss, target: str) -> list[str]:
    """How to call the module: its functions, and ``sgd_step`` to train with them."""
    functions = _settings(loss.name)["functions"]
    arguments = "v_c, o, U, negatives" if loss.sampled else "v_c, o, U"
    batch = "v_c (B, d), o (B,), negatives (B, K)" if loss.sampled else "v_c (B, d), o (B,)"
    lines = [
        f"Use: one example (v_c (d,), o an int) or a batch ({batch}):",
        "",
        f"    loss, dJ_dv_c, dJ_dU = {functions[0]}({arguments})",
    ]
    if len(functions) > 1:  # the sparse form: the rows of ∂J/∂U it touches
        lines.append(f"    loss, dJ_dv_c, rows, row_grads = {functions[1]}(...)")
    lines += [
        "    sgd_step(V_centre, U, c, dJ_dv_c, dJ_dU, lr)  # V_centre[c], U -= lr * gradients",
    ]
    if len(functions) > 1:
        lines.append("    sgd_step(V_centre, U, c, dJ_dv_c, row_grads, lr, rows=rows)  # those rows only")
    if (target, loss.name) in _LOOP_TEMPLATES:
        lines += [
            "",
            "The gradient is one loop compiled by numba.njit on the first call for each dtype",
            "(seconds): time the calls after it.",
        ]
    checks = "shapes and dtypes" if target == "jax" else "shapes, dtypes, indices in range"
    lines += [
        "",
        f"Each function checks its arguments first ({checks}) and raises",
        "ValueError or TypeError naming the argument and what it expected.",
        "sgd_step returns new V_centre and U: JAX arrays are immutable."
        if target == "jax"
        else "sgd_step updates V_centre and U in place and returns them.",
    ]
    return lines


def _instance_text(loss: Loss, zero_based: bool = False) -> str:
    """The instance's words (and sizes), 1-based as in symw2v or 0-based as in the module."""
    instance, shift = _INSTANCE, 1 if zero_based else 0
    words = f"o = {instance.o - shift}"
    if loss.sampled is not None:
        words += f", {loss.sampled.name} = {[w - shift for w in loss.sampled.members(instance)]}"
    if zero_based:
        return words
    sizes = f"V = {instance.V}, d = {instance.d}"
    sizes += f", {loss.sampled.bound} = {len(loss.sampled.members(instance))}" if loss.sampled else ""
    return f"{sizes}, {words.replace('[', '(').replace(']', ')')}"


def _plain(text: str) -> str:
    """The claim as written, or in the canonical syntax where it would not sit in a docstring."""
    text = " ".join(text.split())
    return to_text(parse_claim(text)) if "\\" in text or '"' in text else text


def _verdict_note(checked: CheckedForm) -> str:
    if checked.verdict is Verdict.PROVED:
        return "proved"
    return f"NOT PROVED: {checked.verdict.value}"


def _body(loss: Loss, target: str, checked: tuple[CheckedForm, ...]) -> str:
    forms = [form.form for form in checked]
    nodes = {f.wrt: normalize(resolve_sums(parse_claim(f.text), loss)) for f in forms}
    loss_node = normalize(resolve_sums(parse_claim(loss.expression), loss))
    printed_loss = _settings(loss.name)["print_loss"]  # or written by hand in the template, stably
    sampled = frozenset(letter for letter, _ in loss.letters if loss.index_set(letter).sampled)
    printed = (*nodes.values(), *([loss_node] if printed_loss else []))
    # a sampled loss's template gathers o's row and the negatives' into one array, "rows"
    printer = TARGETS[target](printed, sampled, gathered="rows" if loss.sampled else "")
    results = [Printed("J", f"J = {loss.expression}", printer.result(loss_node, "J"))] if printed_loss else []
    for form in forms:
        comment = f"∂J/∂{form.wrt} = {_plain(form.text)}"
        if form.wrt in _GATHERED:  # a multiple of v_c: its rows are built only where added
            name = f"scale_{_GATHERED[form.wrt]}"
            code = printer.multiple(nodes[form.wrt], form.wrt, cf.Name("v_c"))
            results.append(Printed(name, f"{comment}: {name} v_c", code))
        else:
            results.append(Printed(_VARIABLES[form.wrt], comment, printer.result(nodes[form.wrt], form.wrt)))
    functions = _settings(loss.name)["functions"]
    public = sorted(("instance_gradients", "log_sigmoid", "sgd_step", "sigmoid", "softplus", *functions))
    first = functions[0]
    loop_template = _LOOP_TEMPLATES.get((target, loss.name))
    loop_parts = _row_parts(loss, forms, nodes, loss_node, sampled) if loop_template else []
    sampled_words = f", {[w - 1 for w in loss.sampled.members(_INSTANCE)]}" if loss.sampled else ""
    context = {
        "np": printer.module,
        "in_place": printer.in_place,
        "target_title": _TITLES[target],
        "public": public,
        "loss_module": loss.name.replace("-", "_"),
        "loss_text": loss.expression,
        "statements": printer.statements,
        "loss_template": loop_template or f"export_{loss.name.replace('-', '_')}.py.j2",
        "loop_parts": loop_parts,
        "results": results,
        "instance_text": _instance_text(loss),
        "instance_0": _instance_text(loss, zero_based=True),
        "V": _INSTANCE.V,
        "d": _INSTANCE.d,
        "compare": f"{first}(v_c, {_INSTANCE.o - 1}, U{sampled_words})",
        "instance_lines": _instance_lines(loss, printer),
    }
    return _environment().get_template(_TEMPLATES[target]).render(context)


def _row_parts(
    loss: Loss,
    forms: list[ClosedForm],
    nodes: dict[str, cf.Node],
    loss_node: cf.Node,
    sampled: frozenset[str],
) -> list[RowPart]:
    """Each gathered word's part of J and of the proved closed forms, printed as scalar code
    over its row's score (``export_loops``): o's row first, then a negative's, as gathered.
    Raises ``SymW2VError`` where a closed form is not computed row by row."""
    texts = {form.wrt: _plain(form.text) for form in forms}
    loss_parts = word_parts(loss_node, sampled)
    coefs = word_parts(nodes["v_c"], sampled, factor="row")
    zero, parts = cf.Num(Fraction(0)), []
    for wrt, letter in _GATHERED.items():
        scales = word_parts(nodes[wrt], sampled, factor="v_c")
        if set(scales) != {letter}:
            raise SymW2VError(f"∂J/∂{wrt} is not a multiple of v_c computed from the row of u_{letter} alone")
        printer = LoopPrinter(letter)
        comments = (f"J = {loss.expression}", f"∂J/∂v_c = {texts['v_c']}", f"∂J/∂{wrt} = {texts[wrt]}")
        codes = (loss_parts.get(letter, zero), coefs.get(letter, zero), scales[letter])
        loss_line, coef, scale = (
            Printed(name, _loop_comment(comment), printer.code(code))
            for name, comment, code in zip(("J", "coef", "scale"), comments, codes, strict=True)
        )
        parts.append(RowPart(letter, loss_line, coef, scale))
    return parts


def _loop_comment(text: str) -> str:
    """A comment in the fused loop's branches (indented 16), wrapped to the line length; every
    run of whitespace, a newline too, becomes one space, so the text cannot leave the comment."""
    indent = " " * 16 + "# "
    return f"\n{indent}".join(textwrap.wrap(text, LINE_LENGTH - len(indent), break_long_words=False))


def _instance_lines(loss: Loss, printer: ArrayPrinter) -> list[str]:
    """The body of ``instance_gradients``: the derived J and gradients, through ``sympy.cse``."""
    instance, reading = _INSTANCE, Reading(U="rows")
    names = component_names(instance)
    J = loss_expression(loss, instance, False)
    dv = derive(loss, "v_c", instance, reading)[0].gradient
    dU = derive(loss, "U", instance, reading)[0].gradient
    outputs = [sympy.Symbol("J")]
    outputs += [sympy.Symbol(f"dJ_dv_c_{i + 1}") for i in range(instance.d)]
    outputs += [sympy.Symbol(f"dJ_du_{w + 1}_{i + 1}") for w in range(instance.V) for i in range(instance.d)]
    exprs = [e.xreplace(names) for e in (J, *dv, *dU)]
    fresh = sympy.numbered_symbols("x")
    shared, reduced = sympy.cse(exprs, symbols=fresh)
    code_printer = InstancePrinter()
    assignments = [*shared, *zip(outputs, reduced, strict=True)]
    assignments = shorten(assignments, code_printer, LINE_LENGTH - 4, fresh)

    lines = []
    U = instance.U_rows()
    for w in range(instance.V):
        row = ", ".join(str(names[U[w, i]]) for i in range(instance.d))
        lines.append(f"{row} = (float(x) for x in U[{w}])")
    v_names = ", ".join(str(names[s]) for s in instance.v())
    lines.append(f"{v_names} = (float(x) for x in v_c)")
    lines += [f"{symbol} = {code_printer.doprint(expr)}" for symbol, expr in assignments]
    lines.append(f"dJ_dv_c = [{', '.join(f'dJ_dv_c_{i + 1}' for i in range(instance.d))}]")
    lines.append("dJ_dU = [")
    for w in range(instance.V):
        lines.append(f"    [{', '.join(f'dJ_du_{w + 1}_{i + 1}' for i in range(instance.d))}],")
    lines.append("]")
    lines += [
        "return {",
        '    "loss": J,',
        f'    "dJ_dv_c": {printer.array("dJ_dv_c")},',
        f'    "dJ_dU": {printer.array("dJ_dU")},',
        "}",
    ]
    return lines


@lru_cache(maxsize=1)
def _environment():
    import jinja2  # only when a module is written: the command line starts without it

    return jinja2.Environment(
        loader=jinja2.PackageLoader("symw2v", "templates"),
        # Python source, not HTML: nothing to escape (and no user text reaches these templates)
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default_for_string=False),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def content_hash(source: str) -> tuple[str, str]:
    """(the hash the header states, the sha256 of the body below the header)."""
    header, separator, body = source.partition('\n"""\n')
    if not separator:
        raise SymW2VError("not an exported module: no header docstring")
    stated = header.splitlines()[-1].strip()
    return stated, hashlib.sha256(body.encode("utf-8")).hexdigest()
