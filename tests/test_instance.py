"""Instances: defaults, validation, and the component symbols."""

from __future__ import annotations

import pytest

from symw2v.errors import SymW2VError
from symw2v.world.instance import Instance


def test_default_negatives_are_distinct_and_not_o():
    instance = Instance(V=5, K=3, o=2)
    assert instance.negatives == (1, 3, 4)
    assert instance.distinct_negatives


def test_repeated_or_outside_negatives_are_allowed_but_flagged():
    assert not Instance(V=4, K=2, o=1, negatives=(2, 2)).distinct_negatives
    assert not Instance(V=4, K=2, o=2, negatives=(2, 3)).distinct_negatives


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"V": 1}, "V must be"),
        ({"d": 0}, "d must be"),
        ({"K": 0}, "K must be"),
        ({"V": 100000}, "V must be"),
        ({"o": 6}, "o = 6"),
        ({"V": 3, "K": 3}, "do not fit"),
        ({"negatives": (1, 3)}, "2 negatives given"),
        ({"negatives": (1, 3, 9)}, "negative 9"),
        ({"d": True}, "d must be"),
    ],
)
def test_invalid_instances(kwargs, words):
    with pytest.raises(SymW2VError) as caught:
        Instance(**kwargs)
    assert words in str(caught.value)


def test_symbols():
    instance = Instance(V=3, d=2, K=1, o=1)
    assert instance.U_rows().shape == (3, 2)
    assert list(instance.u(2)) == list(instance.U_rows().row(1))
    assert len(instance.symbols()) == 3 * 2 + 2
    assert all(s.is_real for s in instance.symbols())


def test_an_instance_for_a_loss_without_negatives_keeps_K_inside_V():
    assert Instance.for_loss(False, V=3, K=3).K == 2  # the softmax: K has no meaning, V − 1 at most
    assert Instance.for_loss(True, V=5, K=3).K == 3
    with pytest.raises(SymW2VError):
        Instance.for_loss(True, V=3, K=3)  # negative sampling: K distinct negatives must fit


def test_conventions_under_a_profile_are_overridden_where_given():
    from symw2v.question import Conventions
    from symw2v.world import profile as profiles

    cs224n = profiles.load("cs224n")
    assert Conventions.under(cs224n) == Conventions(U="columns", y="column", layout="auto")
    assert Conventions.under(cs224n, U="rows").U == "rows"
    assert Conventions.under(None) == Conventions()
