"""The functions of the claim language, defined once: σ, softmax, log-sum-exp, exp and log.

Each is written with SymPy's ``exp`` and ``log`` and rational operations, so every stage
that evaluates a claim — at an instance, or formally for every size — computes the same thing.
A vector function is given its sum: the instantiator adds every entry, the all-sizes
certificate adds the entries it knows and a symbol for the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import sympy


def sigma(x: sympy.Expr) -> sympy.Expr:
    """The logistic function σ(x) = 1/(1 + e^{−x})."""
    return 1 / (1 + sympy.exp(-x))


def softmax(entries: Mapping, total: Callable[[Mapping], sympy.Expr]) -> dict:
    """softmax(x)_w = e^{x_w} / Σ_j e^{x_j}, entry by entry; ``total`` sums a mapping of entries."""
    exps = {key: sympy.exp(value) for key, value in entries.items()}
    denominator = total(exps)
    return {key: value / denominator for key, value in exps.items()}


def log_sum_exp(entries: Mapping, total: Callable[[Mapping], sympy.Expr]) -> sympy.Expr:
    """log Σ_j e^{x_j}."""
    return sympy.log(total({key: sympy.exp(value) for key, value in entries.items()}))


ENTRYWISE: dict[str, Callable[[sympy.Expr], sympy.Expr]] = {
    "sigma": sigma,
    "exp": sympy.exp,
    "log": sympy.log,
}
VECTOR = ("softmax",)  # functions of a length-V vector, not entry by entry
FUNCTIONS = (*ENTRYWISE, *VECTOR)
# how the printers write them
TEXT = {"sigma": "sigma", "exp": "exp", "log": "log", "softmax": "softmax"}
LATEX = {"sigma": r"\sigma", "exp": r"\exp", "log": r"\log", "softmax": r"\operatorname{softmax}"}
