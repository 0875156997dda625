"""``symw2v check``: one claim, a whole document, or a batch of claims."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from symw2v import schema
from symw2v.batch import check_batch, read_batch
from symw2v.check import Conventions, check_claim
from symw2v.derivation import ClaimSpec, Derivation, DerivationResult
from symw2v.derive import WRT
from symw2v.document import check_document, read_document
from symw2v.errors import SymW2VError
from symw2v.gradescope import results_json
from symw2v.instance import Instance
from symw2v.losses import BUILTIN, Loss, named_loss
from symw2v.render import render_html, render_markdown, render_text
from symw2v.results import ClaimResult, Verdict
from symw2v.sweep import DEFAULT, GRID_HELP, parse_grid

HELP = """\
Check claimed gradients against the gradients SymPy derives from the loss.

  one claim      symw2v check --loss negative-sampling --wrt v_c -- "CLAIM"
  a document     symw2v check homework.md        (or .tex: every displayed ∂J/∂x = …)
  a batch        symw2v check --batch claims.jsonl --jobs 2

A claim is plain text or LaTeX (detected; --syntax overrides). Plain text: u_o u_k u_w v_c U
y yhat z K V, components yhat_w (yhat - y)_k, ^T, * or a space for products, / by a scalar,
integer powers, sigma() exp() e^() log() softmax(), sum_k (negatives for negative sampling,
the vocabulary for softmax), sum_w (vocabulary). LaTeX: \\boldsymbol{u}_o^\\top \\mathbf{v}_c,
\\sigma(…), \\frac{a}{b}, e^{…}, \\hat{y}_w, \\sum_{k=1}^{K}, u_o \\cdot v_c, \\left( \\right), …

A document defines its own loss (the most recent J = … before an equation); an equation's
number, (13) after it or \\tag{13}, is its id; a chain ∂J/∂x = A = B is checked step by step.
A batch file has one JSON object per line: id, loss, wrt, claim and optional U, y, layout, V,
d, K, o, syntax; one result per line comes out, in the same order.

Exit codes: 0 all proved; 1 some claim refuted or ill-typed; 2 usage or parse error;
3 some undecided and none refuted.
"""

DOCUMENT_SUFFIXES = (".md", ".markdown", ".tex", ".txt")
PER_CLAIM = Loss("per claim", "", "K", "each claim names its loss")


SWEEP_HELP = GRID_HELP + " (default: the default grid for one claim, none for documents and batches)"


def add_parser(commands) -> None:
    parser = commands.add_parser(
        "check",
        help="check a claimed gradient, a homework document, or a batch",
        description=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "target", nargs="?", metavar="CLAIM|FILE", help="a claim (with --loss, --wrt) or a document"
    )
    parser.add_argument("--loss", choices=sorted(BUILTIN), help="the loss J (for a single claim)")
    parser.add_argument("--wrt", choices=WRT, help="the variable J is differentiated by (for a single claim)")
    parser.add_argument("--batch", metavar="FILE.jsonl", help="check every line of a JSON Lines file")
    parser.add_argument(
        "--jobs",
        type=schema.option(schema.JOBS),
        default=1,
        metavar="N",
        help=f"{schema.JOBS.help} (default 1, at most {schema.JOBS.high})",
    )
    conventions = ((schema.U, None), (schema.Y, None), (schema.LAYOUT, "auto"), (schema.SYNTAX, "auto"))
    for field, default in conventions:
        parser.add_argument(
            f"--{field.name}",
            choices=field.choices,
            default=default,
            help=f"{field.help} (default: {default or 'inferred'})",
        )
    for field, default in ((schema.V, 5), (schema.D, 3), (schema.K, 3), (schema.OUTSIDE, 2)):
        parser.add_argument(
            f"--{field.name}",
            type=schema.option(field),
            default=default,
            help=f"{field.help} (default {default})",
        )
    parser.add_argument(
        "--format",
        choices=("text", "json", "gradescope"),
        default="text",
        help="output format (default: text)",
    )
    parser.add_argument("--json", action="store_true", help="same as --format json")
    parser.add_argument(
        "-o", "--output", metavar="FILE", help="write the output to FILE instead of standard output"
    )
    parser.add_argument("--report", metavar="FILE", help="also write a report, FILE.md or FILE.html")
    parser.add_argument(
        "--time-limit",
        type=schema.option(schema.TIME_LIMIT),
        default=60.0,
        metavar="S",
        help=f"{schema.TIME_LIMIT.help} (default 60)",
    )
    parser.add_argument(
        "--sweep",
        metavar="GRID",
        help=SWEEP_HELP,
    )
    parser.set_defaults(run=run)


def exit_code(results: list[ClaimResult]) -> int:
    verdicts = {r.verdict for r in results}
    if verdicts & {Verdict.REFUTED, Verdict.ILL_TYPED}:
        return 1
    if Verdict.PARSE_ERROR in verdicts:
        return 2
    if Verdict.UNDECIDED in verdicts:
        return 3
    return 0


def _emit(text: str, args: argparse.Namespace) -> None:
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


def _write_report(
    target: str, title: str, results: list[ClaimResult], loss: Loss, instance, skipped=()
) -> None:
    renderers = {".md": render_markdown, ".html": render_html}
    path = Path(target)
    if path.suffix not in renderers:
        raise SymW2VError("--report takes a file name ending in .md or .html")
    specs = tuple(ClaimSpec(r.id, r.wrt, r.claim, "", r.expected, "", Conventions()) for r in results)
    derivation = Derivation(path.stem, title, "", loss, instance, Conventions(), specs)
    text = renderers[path.suffix](
        DerivationResult(derivation, tuple(results), tuple(skipped)), "command line"
    )
    path.write_text(text, encoding="utf-8")


def _format(args: argparse.Namespace) -> str:
    return "json" if args.json else args.format


def _run_claim(args: argparse.Namespace) -> int:
    if not (args.loss and args.wrt):
        raise SymW2VError("a single claim needs --loss and --wrt (or give a document file, or --batch)")
    loss = named_loss(args.loss)
    # the softmax has no negatives; keep the default K from clashing with a small V
    K = args.K if loss.k_over == "K" else max(1, min(args.K, args.V - 1))
    instance = Instance(V=args.V, d=args.d, K=K, o=args.o)
    conventions = Conventions(U=args.U, y=args.y, layout=args.layout)
    grid = DEFAULT if args.sweep is None else parse_grid(args.sweep)
    result = check_claim(
        args.target,
        loss,
        args.wrt,
        instance,
        conventions,
        time_limit_s=args.time_limit,
        syntax=args.syntax,
        grid=grid,
    )
    fmt = _format(args)
    if fmt == "json":
        _emit(json.dumps(result.to_json(), indent=2, sort_keys=True, ensure_ascii=False) + "\n", args)
    elif fmt == "gradescope":
        _emit(results_json([result]), args)
    else:
        _emit("\n".join(render_text(result)) + "\n", args)
    if args.report:
        _write_report(args.report, f"Check of ∂J/∂{result.wrt}", [result], loss, instance)
    return exit_code([result])


def _run_document(args: argparse.Namespace) -> int:
    path = Path(args.target)
    if path.suffix.lower() not in DOCUMENT_SUFFIXES:
        raise SymW2VError(f"{path}: a document is a .md, .tex or .txt file")

    def progress(result: ClaimResult) -> None:
        print(
            f"  {result.id:<14} {result.verdict.value:<11} {result.seconds:6.2f} s",
            file=sys.stderr,
            flush=True,
        )

    document = check_document(read_document(path), time_limit_s=args.time_limit, progress=progress)
    results = list(document.claims)
    skipped = [(s.id, s.reason) for s in document.skipped]
    fmt = _format(args)
    if fmt == "json":
        data = {
            "claims": [r.to_json() for r in results],
            "skipped": [{"id": s.id, "equation": s.latex, "reason": s.reason} for s in document.skipped],
            "notes": list(document.notes),
        }
        _emit(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n", args)
    elif fmt == "gradescope":
        _emit(results_json(results, skipped), args)
    else:
        lines = [f"{path.as_posix()}: {len(results)} equations checked, {len(skipped)} skipped"]
        lines += [f"  note: {note}" for note in document.notes]
        for result in results:
            lines += render_text(result, "  ")
        lines += [f"  {ident}: skipped: {reason}" for ident, reason in skipped]
        _emit("\n".join(lines) + "\n", args)
    if args.report:
        _write_report(args.report, f"Check of {path.name}", results, PER_CLAIM, Instance(), document.skipped)
    if not results:
        print("no equation of the form ∂J/∂x = … was found", file=sys.stderr)
        return 2
    return exit_code(results)


def _run_batch(args: argparse.Namespace) -> int:
    if args.target:
        raise SymW2VError("--batch reads its claims from the file; give no CLAIM")
    if args.jobs < 1:
        raise SymW2VError("--jobs must be at least 1")
    items = read_batch(args.batch)

    def progress(done: int, total: int) -> None:
        if done == total or done % 10 == 0:
            print(f"  {done}/{total} checked", file=sys.stderr, flush=True)

    results = []
    fmt = _format(args)
    out = open(args.output, "w", encoding="utf-8") if args.output and fmt != "gradescope" else None  # noqa: SIM115
    try:
        for result in check_batch(items, args.jobs, progress, args.time_limit):
            results.append(result)
            if fmt != "gradescope":
                line = json.dumps(result.to_json(), sort_keys=True, ensure_ascii=False) + "\n"
                (out or sys.stdout).write(line)
    finally:
        if out is not None:
            out.close()
    if fmt == "gradescope":
        _emit(results_json(results), args)
    if args.report:
        _write_report(args.report, f"Check of {Path(args.batch).name}", results, PER_CLAIM, Instance())
    return exit_code(results) if results else 2


def run(args: argparse.Namespace) -> int:
    if args.batch:
        return _run_batch(args)
    if args.target is None:
        raise SymW2VError("give a CLAIM (with --loss and --wrt), a document FILE, or --batch FILE.jsonl")
    if args.loss is None and args.wrt is None:
        return _run_document(args)
    return _run_claim(args)
