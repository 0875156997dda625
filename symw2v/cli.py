"""The command line: it only assembles the commands (one module each in ``commands/``)."""

from __future__ import annotations

import argparse
import sys

from symw2v import __version__
from symw2v.commands import autograder, check, export, prove, site
from symw2v.errors import SymW2VError
from symw2v.interrupt import exit_status, signal_name, terminate_like_interrupt

COMMANDS = (prove, check, export, autograder, site)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="symw2v",
        description="Symbolic derivation verifier for word2vec gradients: proves hand-written "
        "gradients equal to SymPy's, or refutes them with an exact counterexample.",
    )
    parser.add_argument("--version", action="version", version=f"symw2v {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS:
        command.add_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code (2 for usage errors, with no traceback).

    Ctrl-C (SIGINT) and SIGTERM stop it cleanly, with exit codes 130 and 143.
    """
    args = _parser().parse_args(argv)
    try:
        with terminate_like_interrupt():
            return args.run(args)
    except SymW2VError as error:
        print(f"symw2v: error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. piped into head
        sys.stderr.close()
        return 0
    except KeyboardInterrupt as interruption:
        print(f"symw2v: interrupted ({signal_name(interruption)})", file=sys.stderr)
        return exit_status(interruption)
