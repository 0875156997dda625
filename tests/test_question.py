"""The exact decisions every check of a question shares: made once for the same pairs, only
for them, and never remembered past a time limit."""

from __future__ import annotations

from collections import OrderedDict

import pytest

from symw2v import question
from symw2v.claim import check_claim
from symw2v.errors import ProofTimeout


@pytest.fixture
def fresh(monkeypatch):
    """No decision remembered from other tests."""
    monkeypatch.setattr(question, "_decided", OrderedDict())


def test_a_decision_is_made_once_for_the_same_pairs(softmax, instance, monkeypatch, fresh):
    made = []
    real = question.decide
    monkeypatch.setattr(question, "decide", lambda found, tick=None: made.append(found) or real(found, tick))
    first = check_claim("yhat - y", softmax, "z", instance)
    again = check_claim(r"\hat{y} - y", softmax, "z", instance)  # written otherwise: the same matrices
    assert len(made) == 1
    assert (
        (again.verdict.value, again.method)
        == (first.verdict.value, first.method)
        == (
            "proved",
            first.method,
        )
    )
    wrong = check_claim("y - yhat", softmax, "z", instance)
    assert len(made) == 2 and wrong.verdict.value == "refuted"


def test_remembered_decisions_are_bounded(fresh):
    for n in range(question.DECISIONS + 10):
        question._remembered("test", (n,), lambda n=n: n)
    assert len(question._decided) == question.DECISIONS
    assert question._remembered("test", (question.DECISIONS + 9,), lambda: "again") == question.DECISIONS + 9
    assert question._remembered("test", (0,), lambda: "again") == "again"  # the oldest went first


def test_a_decision_past_its_time_limit_is_not_remembered(fresh):
    def late():
        raise ProofTimeout("the check ran past its time limit")

    with pytest.raises(ProofTimeout):
        question._remembered("test", ("key",), late)
    assert question._remembered("test", ("key",), lambda: True) is True
