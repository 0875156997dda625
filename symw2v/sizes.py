"""The instance a single question is asked at, from the sizes a user gives: the command line's
``--V --d --K --o --negatives --m --window``, a batch line's fields, ``symw2v.check``'s
arguments and the checker page's form all come here, through the one schema (``schema.py``).

A size that means nothing for the loss is refused rather than ignored: the window (``m``,
``window``) is for a loss over a window (skip-gram over a window, CBOW), the negatives for a
loss that samples them.  K of a loss with no negatives (the softmax), unless given, is kept from
clashing with a small V.
"""

from __future__ import annotations

from symw2v import schema
from symw2v.errors import InputError, SymW2VError
from symw2v.world import NEGATIVES
from symw2v.world.instance import Instance
from symw2v.world.losses import BUILTIN, Loss

DEFAULTS = {"V": 5, "d": 3, "K": 3, "o": 2, "m": 2}  # what a question is checked at unless told
_WINDOW_FIELDS = ("m", "window")


def window_losses() -> tuple[str, ...]:
    """The built-in losses over a window, by name: those ``m`` and ``window`` are for."""
    return tuple(sorted(name for name, loss in BUILTIN.items() if loss.windowed))


def instance_for(loss: Loss, given: dict, where: str = "") -> Instance:
    """The instance ``loss`` is checked at: ``given`` (a table of V, d, K, o, negatives, m,
    window; None or absent for a default) validated by the schema, the rest defaulted.

    ``where`` starts every message (``"line 3: "``).  Raises ``InputError`` for a bad or
    meaningless size, ``SymW2VError`` for sizes that do not fit together (o > V, 2m words).
    """
    # a tuple is a list of words here (the schema takes a list, as JSON and TOML give one)
    given = {k: list(v) if type(v) is tuple else v for k, v in given.items() if v is not None}
    sizes = schema.validate(schema.INSTANCE, given, where)
    windowed = loss.windowed
    for name in _WINDOW_FIELDS if not windowed else ():
        if name in sizes:
            losses = ", ".join(window_losses())
            message = f"{where}{name} is the window's; the {loss.name} loss has none (give it for {losses})"
            raise InputError(where, name, message)
    if "negatives" in sizes and NEGATIVES not in loss.index_sets:
        message = f"{where}negatives are negative sampling's; the {loss.name} loss has none"
        raise InputError(where, "negatives", message)
    if "negatives" in sizes:  # K is how many there are, unless said (then they must agree)
        sizes.setdefault("K", len(sizes["negatives"]))
    if "window" in sizes:
        sizes.setdefault("m", max(1, len(sizes["window"]) // 2))
    if loss.sampled is None and "K" not in sizes:  # K means nothing here: kept within the vocabulary
        sizes["K"] = max(1, min(DEFAULTS["K"], sizes.get("V", DEFAULTS["V"]) - 1))
    try:
        return Instance(**{**_defaults(windowed), **sizes})
    except InputError:
        raise
    except SymW2VError as error:  # sizes that do not fit together: said where they were given
        raise InputError(where, "", f"{where}{error}") from None


def _defaults(windowed: bool) -> dict:
    return {k: v for k, v in DEFAULTS.items() if windowed or k not in _WINDOW_FIELDS}


def word_list(text: str) -> list[int | str]:
    """``"1,3,3"`` as ``[1, 3, 3]`` for the schema to check (an item that is not a whole number
    stays text, so the schema's message quotes it)."""
    items = [item.strip() for item in text.split(",")] if text.strip() else []
    return [int(item) if item.isdigit() and len(item) <= 18 else item for item in items]
