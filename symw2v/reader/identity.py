"""An identity about the loss itself, with no ∂ in it: ``-\\sum_w y_w \\log \\hat{y}_w = -\\log \\hat{y}_o``.

Only an equation one of whose sides is recognised as the loss counts: the cross-entropy form,
a negated expression in the true distribution y and the log of the prediction ŷ
(``-\\sum_{w} y_w \\log \\hat{y}_w``, ``-y^\\top \\log \\hat{y}``).  Its sides are checked as claims
about J itself (``--wrt J``), the first against the loss, each later one against the one before.
Definitions (``\\hat{y} = softmax(z)``, ``z = U^\\top v_c``, ``J = …`` alone) are no identity.
"""

from __future__ import annotations

import re

from symw2v import closed_form as cf
from symw2v.reader import losses
from symw2v.reader.derivative import plain, subscript_of_J
from symw2v.world.losses import Loss

WRT = "J"
_WORD = re.compile(r"\{?[A-Za-z]{2,}\}?")  # \text{LHS}, \text{RHS}: a name, not an expression
_PROBABILITY = re.compile(r"(?<![A-Za-z\\])(?:P|p|\\Pr)\s*\{?\s*\(")


def cross_entropy(latex: str) -> bool:
    """Whether ``latex`` is the loss in its cross-entropy form: negated, with y and log ŷ."""
    node = losses.parsed(latex)
    if node is None or not isinstance(node, cf.Neg | cf.Mul) or not _negated(node):
        return False
    names = {n.name for n in cf.walk(node) if isinstance(n, cf.Name)}
    logs = [n for n in cf.walk(node) if isinstance(n, cf.Call) and n.function == "log"]
    of_prediction = any(isinstance(m, cf.Name) and m.name == "yhat" for log in logs for m in cf.walk(log))
    return "y" in names and of_prediction


def _negated(node: cf.Node) -> bool:
    """Whether ``node`` begins with a minus sign (``-Σ …``, ``-y^T log ŷ``)."""
    while isinstance(node, cf.Mul):
        node = node.left
    return isinstance(node, cf.Neg)


def is_loss(side: str) -> bool:
    """Whether a side is J itself (``J``, ``J_{naive-softmax}(v_c, o, U)``)."""
    return subscript_of_J(plain(side)) is not None


def identity(parts: list[str]) -> tuple[Loss, list[str]] | None:
    """The loss an identity's sides are about and its sides (J itself left out), or None when
    ``parts`` (the sides of one row) are no identity about the loss."""
    if len(parts) < 2:
        return None
    form = next((p for p in parts if p and not is_loss(p) and cross_entropy(p)), None)
    if form is None:
        return None
    loss = losses.marked(losses.used_by(form))
    if loss is None:
        return None
    return loss, [p for p in parts if p and not is_loss(p)]


def step_skip(latex: str) -> str:
    """Why a side of an identity is not checked ("" when it is)."""
    text = plain(latex)
    if _WORD.fullmatch(text):
        return "a name (such as LHS), not an expression"
    if losses.called(latex) is not None:
        return "the loss by its name (CE(y, ŷ)), not an expression"
    if _PROBABILITY.search(text):
        return "a probability P(O = o | C = c): not in the claim language"
    return ""
