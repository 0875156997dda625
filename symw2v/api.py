"""The Python interface: check a claim or a homework document, export verified code.

    import symw2v
    result = symw2v.check(r"U(\\hat{y} - y)", loss="softmax", wrt="v_c", profile="cs224n")
    result.verdict            # Verdict.PROVED; in Jupyter the result shows its report
    symw2v.check_document("homework.md")
    source = symw2v.export("negative-sampling")   # a NumPy module, as text

Checks run in this process (the command line runs them in bounded worker processes): the time
limit holds in the main thread; for untrusted text at scale, use ``symw2v check --batch``.
"""

from __future__ import annotations

from pathlib import Path

from symw2v.claim import Conventions, check_claim
from symw2v.document import DocumentResult, read_document
from symw2v.document import check_document as _check_document
from symw2v.results import ClaimResult
from symw2v.sizes import instance_for
from symw2v.sweep import DEFAULT
from symw2v.world import profile as profiles
from symw2v.world.losses import named_loss


def check(
    claim: str,
    loss: str = "softmax",
    wrt: str = "v_c",
    *,
    profile: str | None = None,
    U: str | None = None,
    y: str | None = None,
    layout: str | None = None,
    V: int | None = None,
    d: int | None = None,
    K: int | None = None,
    o: int | None = None,
    negatives: list[int] | tuple[int, ...] | None = None,
    m: int | None = None,
    window: list[int] | tuple[int, ...] | None = None,
    case: str = "",
    sweep: bool = True,
    time_limit: float | None = 60.0,
) -> ClaimResult:
    """The verdict on ``∂J/∂wrt = claim`` (plain text or LaTeX) for the built-in ``loss``.

    ``profile``: a course's conventions ("cs224n" or a profile file); ``U`` ("rows" or
    "columns"), ``y`` ("column" or "row") and ``layout`` override them.  ``V``, ``d``, ``K``,
    ``o`` and the ``negatives`` (1-based words) give the instance (by default 5, 3, 3, 2 and
    the first K words other than o); a loss over a window (``window-softmax``, ``cbow``, …) also
    takes ``m``, the window's half-width (default 2), and its 2m ``window`` words.  Each is
    checked as the command line's option is (``InputError`` names a bad one).  ``sweep`` also
    checks a proved claim over the default grid.
    """
    lost = named_loss(loss)
    chosen = profiles.load(profile) if profile else None
    conventions = Conventions.under(chosen, U, y, layout)
    given = {"V": V, "d": d, "K": K, "o": o, "negatives": negatives, "m": m, "window": window}
    instance = instance_for(lost, given)
    grid = DEFAULT if sweep else None
    return check_claim(claim, lost, wrt, instance, conventions, time_limit_s=time_limit, grid=grid, case=case)


def check_document(
    path: str | Path | None = None,
    *,
    text: str | None = None,
    profile: str | None = None,
    loss: str | None = None,
    time_limit: float | None = 60.0,
) -> DocumentResult:
    """Every equation ``∂J/∂x = …`` of a homework document (a .md, .tex or .ipynb file at
    ``path``, or its ``text``), each checked against the loss it is about."""
    if (path is None) == (text is None):
        raise TypeError("give a document's path or its text (one of them)")
    source = read_document(path) if path is not None else text
    return _check_document(
        source,
        time_limit_s=time_limit,
        profile=profiles.load(profile) if profile else None,
        loss=named_loss(loss) if loss else None,
    )


def export(loss: str = "softmax", target: str = "numpy") -> str:
    """The source of a module with ``loss``'s verified loss-and-gradient function for
    ``target`` (numpy, jax or torch)."""
    # imported here: the checker page imports symw2v in a browser that has no Jinja
    from symw2v.exporter import export_module

    return export_module(loss, target)
