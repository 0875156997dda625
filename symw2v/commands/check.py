"""``symw2v check``: one claim, a whole document, or a batch of claims."""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

from symw2v import schema
from symw2v.batch import check_batch, read_batch
from symw2v.cache import ResultCache
from symw2v.claim import Conventions, check_claim
from symw2v.commands.batch_lines import JsonLines, record_all
from symw2v.commands.instance_options import add_instance_options, instance_of, no_instance_options
from symw2v.commands.output import check_outputs, document_lines, emit, output_format, write_report
from symw2v.document import check_document, read_document
from symw2v.errors import SymW2VError
from symw2v.gradescope import results_json
from symw2v.isolate import DEFAULT_MEMORY_LIMIT, Failure, Limits, run_one
from symw2v.reader.source import SUFFIXES
from symw2v.render import render_text
from symw2v.results import ClaimResult, ReportKind, Verdict
from symw2v.sweep import DEFAULT, GRID_HELP, Grid, parse_grid
from symw2v.world import WRT
from symw2v.world import profile as profiles
from symw2v.world.instance import Instance
from symw2v.world.losses import BUILTIN, Loss, named_loss

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

A document (.md, .tex, .ipynb) is read as students write it: ∂J/∂x in any spelling
(\\frac{\\partial J_{neg-sample}(v_c, o, U)}{\\partial v_c}, \\part, \\nabla_{v_c} J, …), chains
on the rows of an aligned, answers by cases. Each equation is checked against the loss it is
about: --loss if given, else the loss J's subscript names, else the last definition or name of
a loss before it; a chain ∂J/∂x = A = B is checked step by step, steps with ∂ skipped.
--profile cs224n (or a profile FILE.toml) reads claims and documents under a course's
conventions; shapes a document declares override the profile's.
A batch file has one JSON object per line: id, loss, wrt, claim and optional U, y, layout, V,
d, K, o, negatives, m, window, syntax, case; one result per line comes out, in the same order.
A loss over a window (skip-gram over a window, CBOW) is checked at --m (the window's half-width)
and --window (its 2m words), or the defaults; every other loss refuses them.

Exit codes: 0 all proved; 1 some claim refuted or ill-typed; 2 usage or parse error;
3 some undecided and none refuted; 4 a document with no equation ∂J/∂x = … in it.
With --format gradescope: 0 whenever results.json is written (the verdicts are in it).
"""

NOTHING_FOUND = 4
# results.json written: the verdicts are in it, and an autograder script under `set -e` goes on
_GRADESCOPE_WRITTEN = 0

DOCUMENT_SUFFIXES = SUFFIXES


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
    losses = sorted(
        {
            name
            for loss in BUILTIN.values()
            for name in (loss.name, *loss.aliases)
            if "-" in name or name == loss.name
        }
    )
    parser.add_argument(
        "--loss",
        choices=losses,
        metavar="{" + ",".join(sorted(BUILTIN)) + "}",
        help="the loss J: of a single claim, or of every equation of a document",
    )
    parser.add_argument(
        "--profile",
        metavar="NAME|FILE",
        help=f"a course's conventions: {', '.join(profiles.builtin())}, or a profile FILE.toml "
        "(for a claim or a document; --U, --y, --layout and a document's declarations override it)",
    )
    parser.add_argument("--wrt", choices=WRT, help="the variable J is differentiated by (for a single claim)")
    parser.add_argument(
        "--case",
        default="",
        metavar="CASE",
        help="the answer is for one case: 'w != o', 'w = o' or 'repeated negatives'; 'x > 0' or "
        "'x < 0' for ReLU and the leaky ReLU (default: every case)",
    )
    parser.add_argument("--batch", metavar="FILE.jsonl", help="check every line of a JSON Lines file")
    parser.add_argument(
        "--cache",
        metavar="DIR",
        help="with --batch: keep each decided result in DIR and reuse it in later runs "
        "(by question, time limit and the symw2v and SymPy versions; trust DIR like the batch)",
    )
    parser.add_argument(
        "--jobs",
        type=schema.option(schema.JOBS),
        default=1,
        metavar="N",
        help=f"{schema.JOBS.help} (default 1, at most {schema.JOBS.high})",
    )
    conventions = (
        (schema.U, None, "inferred"),
        (schema.Y, None, "inferred"),
        (schema.LAYOUT, None, "auto"),
        (schema.SYNTAX, "auto", "auto"),
    )
    for field, default, shown in conventions:
        parser.add_argument(
            f"--{field.name}",
            choices=field.choices,
            default=default,
            help=f"{field.help} (default: {shown}, or the profile's)",
        )
    add_instance_options(parser)
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


@dataclass(frozen=True)
class _Claim:
    """One claim from the command line, as a worker checks it."""

    text: str
    loss: Loss
    wrt: str
    instance: Instance
    conventions: Conventions
    time_limit_s: float | None
    syntax: str
    grid: Grid | None
    case: str = ""
    details: bool = True  # every field written out in the worker (JSON and reports show them)


@dataclass(frozen=True)
class _Refused:
    """The message of a ``SymW2VError`` a worker met, for the parent to raise."""

    message: str


def _check_claim(claim: _Claim) -> ClaimResult | _Refused:
    try:
        result = check_claim(
            claim.text,
            claim.loss,
            claim.wrt,
            claim.instance,
            claim.conventions,
            time_limit_s=claim.time_limit_s,
            syntax=claim.syntax,
            grid=claim.grid,
            case=claim.case,
        )
        return result.complete() if claim.details else result
    except SymW2VError as error:
        return _Refused(str(error))


def _claim_failed(claim: _Claim, failure: Failure) -> ClaimResult:
    """The result of a claim whose worker ran out of time or memory, or died."""
    return ClaimResult(
        "claim",
        claim.loss.name,
        claim.wrt,
        claim.text,
        Verdict.UNDECIDED,
        method=failure.reason,
        message=failure.message,
        seconds=failure.seconds,
        instance=claim.instance.as_dict(),
    )


def _run_claim(args: argparse.Namespace) -> int:
    if not (args.loss and args.wrt):
        raise SymW2VError("a single claim needs --loss and --wrt (or give a document file, or --batch)")
    loss = named_loss(args.loss)
    instance = instance_of(args, loss)
    profile = profiles.load(args.profile) if args.profile else None
    conventions = Conventions.under(profile, args.U, args.y, args.layout)
    grid = DEFAULT if args.sweep is None else parse_grid(args.sweep)
    details = output_format(args) == "json" or bool(args.report)
    claim = _Claim(
        args.target,
        loss,
        args.wrt,
        instance,
        conventions,
        args.time_limit,
        args.syntax,
        grid,
        args.case,
        details,
    )
    # in a worker, like every line of a batch: a claim that needs all the memory there is ends
    # undecided, at the workers' memory limit, instead of taking the machine with it
    limits = Limits(seconds=args.time_limit or None, memory=DEFAULT_MEMORY_LIMIT)
    result = run_one(_check_claim, claim, _claim_failed, limits)
    if isinstance(result, _Refused):
        raise SymW2VError(result.message)
    fmt = output_format(args)
    if fmt == "json":
        emit(json.dumps(result.to_json(), indent=2, sort_keys=True, ensure_ascii=False) + "\n", args)
    elif fmt == "gradescope":
        emit(results_json([result]), args)
    else:
        emit("\n".join(render_text(result)) + "\n", args)
    if args.report:
        write_report(args.report, f"Check of ∂J/∂{result.wrt}", [result], loss, instance)
    return _GRADESCOPE_WRITTEN if fmt == "gradescope" else exit_code([result])


def _run_document(args: argparse.Namespace) -> int:
    path = Path(args.target)
    if path.suffix.lower() not in DOCUMENT_SUFFIXES:
        raise SymW2VError(f"{path}: a document is a {', '.join(DOCUMENT_SUFFIXES)} file")
    profile = profiles.load(args.profile) if args.profile else None
    loss = named_loss(args.loss) if args.loss else None
    if args.U or args.y or args.layout:
        raise SymW2VError("--U, --y and --layout are for a single claim; for a document, give --profile")
    no_instance_options(args, "a document's equations are checked at the default instance")

    def progress(result: ClaimResult) -> None:
        seconds = f"{result.seconds:6.2f} s" if isinstance(result.seconds, (int, float)) else ""
        print(f"  {result.id:<14} {result.verdict.value:<11} {seconds}", file=sys.stderr, flush=True)

    details = output_format(args) == "json" or bool(args.report)
    document = check_document(
        read_document(path),
        time_limit_s=args.time_limit,
        progress=progress,
        profile=profile,
        loss=loss,
        details=details,
    )
    results = list(document.claims)
    skipped = [(s.id, s.reason) for s in document.skipped]
    fmt = output_format(args)
    if fmt == "json":
        emit(json.dumps(document.to_json(), indent=2, sort_keys=True, ensure_ascii=False) + "\n", args)
    elif fmt == "gradescope":
        emit(results_json(results, skipped), args)
    else:
        emit("\n".join(document_lines(path, document)) + "\n", args)
    if args.report:
        title, where = f"Check of {path.name}", path.as_posix()
        write_report(
            args.report, title, results, None, Instance(), document.skipped, ReportKind.DOCUMENT, where
        )
    if fmt == "gradescope":
        return _GRADESCOPE_WRITTEN
    if not results:
        print(
            "no equation of the form ∂J/∂x = … was found "
            f"(exit code {NOTHING_FOUND}; the skipped displays above say why each was not read)",
            file=sys.stderr,
        )
        return NOTHING_FOUND
    return exit_code(results)


def _run_batch(args: argparse.Namespace) -> int:
    if args.target:
        raise SymW2VError("--batch reads its claims from the file; give no CLAIM")
    if args.jobs < 1:
        raise SymW2VError("--jobs must be at least 1")
    if args.profile:
        raise SymW2VError(
            "--profile is for a claim or a document; a batch line gives its own U, y and layout"
        )
    no_instance_options(args, "a batch line gives its own (fields V, d, K, o, negatives, m, window)")
    items = read_batch(args.batch)
    results: list[ClaimResult] = []
    lines = None if output_format(args) == "gradescope" else JsonLines(args.output)
    try:
        cache = ResultCache(args.cache, args.time_limit) if args.cache else None
        checked = check_batch(items, args.jobs, _progress, args.time_limit, cache=cache)
        record_all(items, checked, results, lines)
    finally:
        if lines is not None:
            lines.close()
        elif results:  # stopped or not, Gradescope gets the results there are, one per line
            emit(results_json(results), args)
    if args.report:
        title, where = f"Check of {Path(args.batch).name}", Path(args.batch).as_posix()
        write_report(args.report, title, results, None, Instance(), (), ReportKind.BATCH, where)
    if results and output_format(args) == "gradescope":
        return _GRADESCOPE_WRITTEN
    return exit_code(results) if results else 2


def _progress(done: int, total: int) -> None:
    if done == total or done % 10 == 0:
        print(f"  {done}/{total} checked", file=sys.stderr, flush=True)


def _a_document(target: str) -> None:
    """Refuse a target that is neither a document nor a file, saying how to check it as a claim."""
    path = Path(target)
    if path.suffix.lower() in DOCUMENT_SUFFIXES or path.exists():
        return
    shown = target if len(target) <= 60 else target[:57] + "..."
    raise SymW2VError(
        f"{shown!r} is not a document file; to check it as a claim, say what it is the gradient "
        f"of: symw2v check --loss softmax --wrt v_c -- {shlex.quote(shown)}"
    )


def run(args: argparse.Namespace) -> int:
    check_outputs(args)
    if args.batch:
        return _run_batch(args)
    if args.target is None:
        raise SymW2VError("give a CLAIM (with --loss and --wrt), a document FILE, or --batch FILE.jsonl")
    if args.wrt is None and (args.loss is None or Path(args.target).suffix.lower() in DOCUMENT_SUFFIXES):
        _a_document(args.target)
        return _run_document(args)
    return _run_claim(args)
