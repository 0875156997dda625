"""The losses, written in the closed-form language: a new loss is data, not code."""

from __future__ import annotations

from dataclasses import dataclass

from symw2v.errors import SymW2VError


@dataclass(frozen=True)
class Loss:
    """A scalar loss ``J``; ``k_over`` says what ``sum_k`` and a free ``k`` range over:
    the K negatives ("K") or the vocabulary ("V", as in the seed's softmax part)."""

    name: str
    expression: str
    k_over: str
    description: str


BUILTIN = {
    "softmax": Loss(
        "softmax",
        "-log(softmax(z)_o)",
        "V",
        "naive-softmax skip-gram: ŷ = softmax(z), z_w = u_wᵀv_c, J = −log ŷ_o",
    ),
    "negative-sampling": Loss(
        "negative-sampling",
        "-log(sigma(u_o^T v_c)) - sum_k log(sigma(-u_k^T v_c))",
        "K",
        "negative sampling: J = −log σ(u_oᵀv_c) − Σ_{k=1..K} log σ(−u_kᵀv_c)",
    ),
}


def named_loss(name: str) -> Loss:
    """The built-in loss called ``name``."""
    try:
        return BUILTIN[name]
    except KeyError:
        known = ", ".join(sorted(BUILTIN))
        raise SymW2VError(f"unknown loss {name!r}; the built-in losses are {known}") from None
