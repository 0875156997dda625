"""The instance options of ``symw2v check``: ``--V --d --K --o --negatives --m --window``, for a
single claim only, each checked by the one schema (``schema.py``, ``sizes.py``)."""

from __future__ import annotations

import argparse

from symw2v import schema
from symw2v.errors import SymW2VError
from symw2v.sizes import DEFAULTS, instance_for, window_losses, word_list
from symw2v.world.instance import Instance
from symw2v.world.losses import Loss

_SIZES = tuple(field.name for field in schema.INSTANCE.fields)  # V, d, K, o, negatives, m, window


def add_instance_options(parser: argparse.ArgumentParser) -> None:
    """The instance of a single claim: its sizes, words, negatives and window."""
    sizes = parser.add_argument_group(
        "the instance a single claim is checked at (a batch line gives its own: the same names)"
    )
    for field in (schema.V, schema.D, schema.K, schema.OUTSIDE):
        sizes.add_argument(
            f"--{field.name}",
            type=schema.option(field),
            help=f"{field.help} (default {DEFAULTS[field.name]})",
        )
    windowed = ", ".join(window_losses())
    sizes.add_argument(
        "--negatives",
        type=word_list,
        metavar="W,W,…",
        help=f"{schema.NEGATIVES.help}, e.g. 1,3,3 for a repeated one "
        "(default: the first K words other than o; K is their number unless --K says)",
    )
    sizes.add_argument(
        "--m",
        type=schema.option(schema.HALF_WIDTH),
        metavar="M",
        help=f"the window's half-width m: J sums over the 2m positions −m ≤ j ≤ m, j ≠ 0 "
        f"(from {schema.HALF_WIDTH.low} to {schema.HALF_WIDTH.high}; default {DEFAULTS['m']}; "
        f"only for a loss over a window: {windowed})",
    )
    sizes.add_argument(
        "--window",
        type=word_list,
        metavar="W,W,…",
        help=f"{schema.WINDOW.help}, 2m of them, e.g. 1,3,4,1 for m = 2 (default: the words other "
        "than o in turn after the negatives; m is half their number unless --m says)",
    )


def instance_of(args: argparse.Namespace, loss: Loss) -> Instance:
    """The instance of a single claim, from the options, through the one schema."""
    given = {name: getattr(args, name) for name in _SIZES}
    options = {name: f"--{name}" for name in given}
    try:
        return instance_for(loss, given)
    except SymW2VError as error:
        key = getattr(error, "key", "").split(" #")[0]  # "window #2": an item of --window
        said = str(error)
        raise SymW2VError(f"{options[key]}: {said}" if key in options else said) from None


def no_instance_options(args: argparse.Namespace, form: str) -> None:
    """Refuse an instance's option where it would be ignored: a document's or a batch's claims."""
    given = [f"--{name}" for name in _SIZES if getattr(args, name) is not None]
    if given:
        raise SymW2VError(f"{', '.join(given)}: for a single claim; {form}")
