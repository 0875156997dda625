"""``symw2v prove``: prove the derivation files and write their reports."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from symw2v.derivation import load_derivation, prove_derivation
from symw2v.errors import SymW2VError
from symw2v.files import write_text
from symw2v.render import FORMATS, RENDERERS
from symw2v.results import ClaimResult
from symw2v.schema import TIME_LIMIT, option
from symw2v.sweep import GRID_HELP, parse_grid

HELP = """\
Prove or refute every claim of the derivation files and write the proof reports.

Each derivation file (TOML, see derivations/) names a loss, an instance and the hand-written
gradients to check. With no PATH, every *.toml in ./derivations is proved and the reports go
to ./reports. The exit code is 0 when every verdict is the one the file expects (a claim with
no `expect` is expected to be proved), 1 otherwise, 2 when a file cannot be read.
"""


SWEEP_HELP = GRID_HELP + " (default: each file's own [sweep], else the default grid)"


def add_parser(commands) -> None:
    parser = commands.add_parser(
        "prove",
        help="prove the claims of derivation files and write reports",
        description=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "paths", nargs="*", metavar="PATH", help="derivation files or folders (default: derivations/)"
    )
    parser.add_argument(
        "--out", default="reports", metavar="DIR", help="folder for the reports (default: reports)"
    )
    parser.add_argument(
        "--format",
        default="md,html,json",
        metavar="LIST",
        help="comma-separated of md, html, json (default: all)",
    )
    parser.add_argument(
        "--timings",
        action="store_true",
        help="put wall-clock times in the reports (off by default so reports are reproducible byte for byte)",
    )
    parser.add_argument(
        "--time-limit",
        type=option(TIME_LIMIT),
        default=120.0,
        metavar="S",
        help=f"{TIME_LIMIT.help} (default 120)",
    )
    parser.add_argument(
        "--sweep",
        metavar="GRID",
        help=SWEEP_HELP,
    )
    parser.set_defaults(run=run)


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
        elif path.exists():
            raise SymW2VError(f"{path}: not a regular file or a folder")
        else:
            raise SymW2VError(f"{path}: no such file or folder")
    return files


def _formats(text: str) -> list[str]:
    formats = [f.strip() for f in text.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise SymW2VError(f"--format takes a comma-separated list of {', '.join(FORMATS)}")
    return formats


def source_name(path: Path) -> str:
    """``path`` relative to the working folder where possible: reports name it the same everywhere."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def progress(result: ClaimResult) -> None:
    flag = "" if result.as_expected else f"  (expected {result.expected})"
    print(
        f"  {result.id:<18} {result.verdict.value:<11} {result.seconds:6.2f} s{flag}",
        file=sys.stderr,
        flush=True,
    )


def run(args: argparse.Namespace) -> int:
    files = _derivation_files(args.paths)
    formats = _formats(args.format)
    derivations = [load_derivation(path) for path in files]  # read them all before any work
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise SymW2VError(f"--out {out}: cannot make the folder ({error.strerror})") from None
    all_expected = True
    for path, derivation in zip(files, derivations, strict=True):
        print(f"{source_name(path)}: {len(derivation.claims)} claims", file=sys.stderr, flush=True)
        grid = "file" if args.sweep is None else parse_grid(args.sweep)
        result = prove_derivation(derivation, progress=progress, time_limit_s=args.time_limit, grid=grid)
        all_expected &= result.as_expected
        for fmt in formats:
            target = out / f"{derivation.name}.{fmt}"
            write_text(target, RENDERERS[fmt](result.report(source_name(path)), timings=args.timings))
            print(f"  wrote {target.as_posix()}", file=sys.stderr)
    print("every verdict is the expected one" if all_expected else "some verdicts are not the expected ones")
    return 0 if all_expected else 1
