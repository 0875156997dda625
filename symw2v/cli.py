"""The command line: it only assembles commands; the library does the work."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from symw2v import __version__
from symw2v.check import LAYOUTS, Conventions, check_claim
from symw2v.derivation import ClaimSpec, Derivation, DerivationResult, load_derivation, prove_derivation
from symw2v.derive import WRT
from symw2v.errors import SymW2VError
from symw2v.instance import Instance
from symw2v.losses import BUILTIN, named_loss
from symw2v.render import FORMATS, RENDERERS, render_html, render_markdown
from symw2v.results import ClaimResult, Verdict

# exit codes of check (DESIGN.md)
EXIT_OK, EXIT_WRONG, EXIT_USAGE, EXIT_UNDECIDED = 0, 1, 2, 3

_PROVE_HELP = """\
Prove or refute every claim of the derivation files and write the proof reports.

Each derivation file (TOML, see derivations/) names a loss, an instance and the hand-written
gradients to check. With no PATH, every *.toml in ./derivations is proved and the reports go
to ./reports. The exit code is 0 when every verdict is the one the file expects (a claim with
no `expect` is expected to be proved), 1 otherwise, 2 when a file cannot be read.
"""

_CHECK_HELP = """\
Check one claimed gradient, written in symw2v's plain-text syntax, against the gradient that
SymPy derives from the loss. Example:

  symw2v check --loss negative-sampling --wrt v_c -- \\
      "-(1 - sigma(u_o^T v_c)) u_o + sum_k (1 - sigma(-u_k^T v_c)) u_k"

Syntax: u_o u_k u_w v_c U y yhat z K V, components yhat_w (yhat - y)_k, ^T, * or a space for
products, / by a scalar, integer powers, sigma() exp() e^() log() softmax(), sum_k (negatives
for negative sampling, the vocabulary for softmax), sum_w (vocabulary).

Exit codes: 0 proved; 1 refuted or ill-typed; 2 usage or parse error; 3 undecided.
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="symw2v",
        description="Symbolic derivation verifier for word2vec gradients: proves hand-written "
        "gradients equal to SymPy's, or refutes them with an exact counterexample.",
    )
    parser.add_argument("--version", action="version", version=f"symw2v {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    prove = commands.add_parser(
        "prove",
        help="prove the claims of derivation files and write reports",
        description=_PROVE_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    prove.add_argument(
        "paths", nargs="*", metavar="PATH", help="derivation files or folders (default: derivations/)"
    )
    prove.add_argument(
        "--out", default="reports", metavar="DIR", help="folder for the reports (default: reports)"
    )
    prove.add_argument(
        "--format",
        default="md,html,json",
        metavar="LIST",
        help="comma-separated of md, html, json (default: all)",
    )
    prove.add_argument(
        "--timings",
        action="store_true",
        help="put wall-clock times in the reports (off by default so reports are reproducible byte for byte)",
    )
    prove.add_argument(
        "--time-limit", type=float, default=120.0, metavar="S", help="seconds per claim (default 120)"
    )

    check = commands.add_parser(
        "check",
        help="check one claimed gradient",
        description=_CHECK_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check.add_argument(
        "claim", metavar="CLAIM", help="the claimed gradient (put -- before a claim starting with -)"
    )
    check.add_argument("--loss", required=True, choices=sorted(BUILTIN), help="the loss J")
    check.add_argument("--wrt", required=True, choices=WRT, help="the variable J is differentiated by")
    check.add_argument(
        "--U", choices=("rows", "columns"), help="U as V×d rows or d×V columns (default: inferred)"
    )
    check.add_argument(
        "--y", choices=("row", "column"), help="y and ŷ as 1×V rows or V×1 columns (default: inferred)"
    )
    check.add_argument("--layout", choices=LAYOUTS, default="auto", help="gradient layout (default: auto)")
    check.add_argument("--V", type=int, default=5, help="vocabulary size of the instance (default 5)")
    check.add_argument("--d", type=int, default=3, help="vector dimension of the instance (default 3)")
    check.add_argument("--K", type=int, default=3, help="number of negatives (default 3)")
    check.add_argument("--o", type=int, default=2, help="the outside word, 1-based (default 2)")
    check.add_argument("--json", action="store_true", help="print the result as JSON")
    check.add_argument("--report", metavar="FILE", help="also write a report, FILE.md or FILE.html")
    check.add_argument("--time-limit", type=float, default=60.0, metavar="S", help="seconds (default 60)")
    return parser


def _derivation_files(paths: list[str]) -> list[Path]:
    if not paths:
        default = Path("derivations")
        if not default.is_dir():
            raise SymW2VError(
                "no PATH given and no derivations/ folder here; pass a derivation file or folder"
            )
        paths = [str(default)]
    files: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found = sorted(path.glob("*.toml"))
            if not found:
                raise SymW2VError(f"{path}: no *.toml derivation files in this folder")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise SymW2VError(f"{path}: no such file or folder")
    return files


def _formats(text: str) -> list[str]:
    formats = [f.strip() for f in text.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise SymW2VError(f"--format takes a comma-separated list of {', '.join(FORMATS)}")
    return formats


def _source_name(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _progress(result: ClaimResult) -> None:
    flag = "" if result.as_expected else f"  (expected {result.expected})"
    print(
        f"  {result.id:<18} {result.verdict.value:<11} {result.seconds:6.2f} s{flag}",
        file=sys.stderr,
        flush=True,
    )


def run_prove(args: argparse.Namespace) -> int:
    files = _derivation_files(args.paths)
    formats = _formats(args.format)
    derivations = [load_derivation(path) for path in files]  # read them all before any work
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    all_expected = True
    for path, derivation in zip(files, derivations, strict=True):
        print(f"{_source_name(path)}: {len(derivation.claims)} claims", file=sys.stderr, flush=True)
        result = prove_derivation(derivation, progress=_progress, time_limit_s=args.time_limit)
        all_expected &= result.as_expected
        for fmt in formats:
            target = out / f"{derivation.name}.{fmt}"
            text = RENDERERS[fmt](result, _source_name(path), timings=args.timings)
            target.write_text(text, encoding="utf-8")
            print(f"  wrote {target.as_posix()}", file=sys.stderr)
    print("every verdict is the expected one" if all_expected else "some verdicts are not the expected ones")
    return EXIT_OK if all_expected else EXIT_WRONG


def _check_exit(result: ClaimResult) -> int:
    return {
        Verdict.PROVED: EXIT_OK,
        Verdict.REFUTED: EXIT_WRONG,
        Verdict.ILL_TYPED: EXIT_WRONG,
        Verdict.PARSE_ERROR: EXIT_USAGE,
        Verdict.UNDECIDED: EXIT_UNDECIDED,
    }[result.verdict]


def _print_result(result: ClaimResult) -> None:
    print(f"{result.verdict.value}: ∂J/∂{result.wrt} = {result.claim}")
    for label, value in (
        ("method", result.method),
        ("layout", result.layout),
        ("reading", result.reading),
        ("residual (claimed − derived)", result.residual),
        ("message", result.message),
    ):
        if value:
            print(f"  {label}: {value}")
    cx = result.counterexample
    if cx is not None:
        where = f" ({cx.target})" if cx.target else ""
        print(f"  counterexample{where}: residual ≈ ({', '.join(cx.approximate)})")
        vectors = [f"{name} = ({', '.join(values)})" for name, values in cx.point.items()]
        print(f"    at {'; '.join(vectors)}")
        print(f"    non-zero because {cx.certificate}")


def _write_check_report(result: ClaimResult, args: argparse.Namespace, loss, instance: Instance) -> None:
    target = Path(args.report)
    renderers = {".md": render_markdown, ".html": render_html}
    if target.suffix not in renderers:
        raise SymW2VError("--report takes a file name ending in .md or .html")
    spec = ClaimSpec(result.id, result.wrt, result.claim, "", "proved", "", Conventions())
    derivation = Derivation("check", f"Check of ∂J/∂{result.wrt}", "", loss, instance, Conventions(), (spec,))
    text = renderers[target.suffix](DerivationResult(derivation, (result,)), "command line")
    target.write_text(text, encoding="utf-8")


def run_check(args: argparse.Namespace) -> int:
    loss = named_loss(args.loss)
    # the softmax has no negatives; keep the default K from clashing with a small V
    K = args.K if loss.k_over == "K" else max(1, min(args.K, args.V - 1))
    instance = Instance(V=args.V, d=args.d, K=K, o=args.o)
    conventions = Conventions(U=args.U, y=args.y, layout=args.layout)
    result = check_claim(args.claim, loss, args.wrt, instance, conventions, time_limit_s=args.time_limit)
    if args.json:
        print(json.dumps(result.to_json(), indent=2, sort_keys=True, ensure_ascii=False))
    else:
        _print_result(result)
    if args.report:
        _write_check_report(result, args, loss, instance)
    return _check_exit(result)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    commands = {"prove": run_prove, "check": run_check}
    try:
        return commands[args.command](args)
    except SymW2VError as error:
        print(f"symw2v: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # e.g. piped into head
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        print("symw2v: interrupted", file=sys.stderr)
        return 130
