"""``symw2v export``: write a Python module computing a loss and its proved gradients."""

from __future__ import annotations

import argparse
import sys

from symw2v.exporter import TARGETS, closed_forms, export_module
from symw2v.files import check_writable, write_text
from symw2v.world.losses import named_loss

HELP = """\
Write a readable, self-contained Python module that computes the loss and its gradients,
vectorised for NumPy (default), JAX or PyTorch, or for numba (NumPy, with the negative-
sampling gradient as one compiled loop: pip install 'symw2v[numba]'). Its code is printed
from closed forms that symw2v proves first; it also carries the derivation itself
(instance_gradients) to compare with. A closed form that is not proved stops the export
(exit 2) unless --allow-unproved, and the module's header then says so. The output is the
same, byte for byte, on every run.

The module checks its arguments (shapes, dtypes, 0-based word indices in range) and has
sgd_step(V_centre, U, c, dJ_dv_c, dJ_dU, lr, rows=None) to apply the gradients to both
embedding matrices in place; examples/train_word2vec.py trains word2vec with it.
"""


def add_parser(commands) -> None:
    parser = commands.add_parser(
        "export",
        help="write a NumPy, JAX, PyTorch or numba module of a loss and its proved gradients",
        description=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    losses = sorted(closed_forms())
    described = "; ".join(f"{name} ({named_loss(name).description})" for name in losses)
    parser.add_argument(
        "--loss",
        required=True,
        choices=losses,
        metavar="LOSS",
        help=f"the loss whose gradients the module computes (required): {described}",
    )
    parser.add_argument(
        "--target", default="numpy", choices=tuple(TARGETS), help="array library (default: numpy)"
    )
    parser.add_argument(
        "-o", "--output", metavar="FILE", help="write the module to FILE (default: standard output)"
    )
    parser.add_argument(
        "--allow-unproved",
        action="store_true",
        help="export closed forms that are not proved (the header marks them)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.output:
        check_writable(args.output, "-o")  # before the proofs, not after
    source = export_module(args.loss, args.target, allow_unproved=args.allow_unproved)
    if args.output:
        write_text(args.output, source)  # bytes, whole: no newline translation, no half file
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(source)
    return 0
