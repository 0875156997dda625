"""The sweep's grid: its instances, and how it is written on the command line and in files."""

from __future__ import annotations

import pytest

from symw2v.errors import SymW2VError
from symw2v.sweep import DEFAULT, Grid, instances, parse_grid
from symw2v.world import NEGATIVES, VOCABULARY, WINDOW


def test_default_grid_instances_are_valid_and_smallest_first():
    found = instances(DEFAULT, (VOCABULARY, NEGATIVES))
    assert len(found) == 18  # K ≤ V − 1 leaves 18 of the 27 (V, d, K)
    assert [(i.V, i.d, i.K) for i in found] == sorted((i.V, i.d, i.K) for i in found)
    assert all(i.distinct_negatives for i in found)
    assert len({i.o for i in found}) > 1 and len({i.negatives for i in found}) > 10


def test_softmax_grid_ignores_K():
    assert [(i.V, i.d) for i in instances(DEFAULT, (VOCABULARY,))] == [
        (V, d) for V in (2, 3, 5) for d in (1, 2, 3)
    ]


def test_a_window_grid_varies_m_and_only_a_window_loss_gets_it():
    found = instances(DEFAULT, (VOCABULARY, WINDOW))
    assert sorted({i.m for i in found}) == [1, 2]
    assert all(len(i.window) == 2 * i.m for i in found)
    assert len(found) == 2 * len(instances(DEFAULT, (VOCABULARY,)))
    assert {i.m for i in instances(DEFAULT, (VOCABULARY,))} == {2}  # the default, never swept
    assert {i.m for i in instances(parse_grid("m=3"), (VOCABULARY, WINDOW))} == {3}


def test_a_window_claim_with_2m_written_as_a_number_fails_the_sweep_at_another_m():
    from symw2v.claim import check_claim
    from symw2v.world.instance import Instance
    from symw2v.world.losses import named_loss

    # Σ_j U(ŷ − e_j) = 2m Uŷ − Σ_j U e_j: with 4 for 2m it is right at m = 2 only
    result = check_claim(
        "4 U yhat - sum_j U e_j", named_loss("window-softmax"), "v_c", Instance(), grid=DEFAULT
    )
    assert result.verdict.value == "refuted"
    assert "m = 1" in result.message


def test_parse_grid():
    assert parse_grid("none") is None
    assert parse_grid("default") == DEFAULT
    assert parse_grid("d=1,2;V=3") == Grid(d=(1, 2), V=(3,), K=(1, 2, 3))
    assert parse_grid("m=1") == Grid(m=(1,))
    with pytest.raises(SymW2VError):
        parse_grid("x=1")


def test_derivation_file_sweep_table(tmp_path):
    from symw2v.derivation import load_derivation

    path = tmp_path / "d.toml"
    claim = '[[claims]]\nid = "a"\nwrt = "u_o"\nclaim = "(sigma(u_o^T v_c) - 1) v_c"\n'
    path.write_text("loss = 'negative-sampling'\n[sweep]\nd = [1]\nV = [3]\n" + claim, encoding="utf-8")
    assert load_derivation(path).grid == Grid(d=(1,), V=(3,), K=(1, 2, 3))
    path.write_text("loss = 'negative-sampling'\nsweep = false\n" + claim, encoding="utf-8")
    assert load_derivation(path).grid is None


def test_a_certified_claim_is_swept_by_its_certificate_and_proved_once_at_the_smallest(monkeypatch):
    from symw2v import sweep as sweep_module
    from symw2v.claim import Conventions, check_claim
    from symw2v.sweep import smallest_generic
    from symw2v.world.instance import Instance
    from symw2v.world.losses import named_loss

    proved_at = []
    real = sweep_module.holds

    def counting(node, question, instance=None):
        proved_at.append(instance)
        return real(node, question, instance)

    monkeypatch.setattr(sweep_module, "holds", counting)
    loss = named_loss("negative-sampling")
    result = check_claim(
        "(sigma(u_o^T v_c) - 1) v_c", loss, "u_o", Instance(), Conventions(), grid=DEFAULT, with_hints=False
    )
    assert result.verdict.value == "proved" and result.certificate_argument
    assert result.sweep_by == "certificate"
    assert len(result.sweep) == len(instances(DEFAULT, loss.index_sets))
    assert proved_at == [smallest_generic(DEFAULT, loss.index_sets)]


def test_a_claim_without_a_certificate_is_proved_at_every_instance_of_the_sweep(monkeypatch):
    from symw2v.claim import Conventions, check_claim
    from symw2v.world.instance import Instance
    from symw2v.world.losses import named_loss

    grid = Grid(d=(1, 2), V=(2, 3), K=(1,))
    # J itself: the all-sizes argument covers gradients only
    claim, conventions = "-sum_w y_w log(yhat_w)", Conventions(U="columns")
    result = check_claim(claim, named_loss("softmax"), "J", Instance(), conventions, grid=grid)
    assert result.verdict.value == "proved"
    assert result.sweep_by == "" and len(result.sweep) == 4


def test_the_scope_names_only_the_degenerate_negatives_where_the_claim_fails():
    from symw2v.question import Conventions, Question, read
    from symw2v.sweep import scope
    from symw2v.world.instance import Instance
    from symw2v.world.losses import named_loss

    instance = Instance(V=6, d=2, K=2, o=1, negatives=(5, 6), m=2, window=(1, 3, 3, 5))
    loss = named_loss("window-negative-sampling")
    question = Question(loss, "u_k", instance, Conventions(U="columns", y="column"))
    # a negative's two roles: its window positions and its 2m terms; with a negative equal to o
    # (not in the window's sum) it still holds, with a repeated one it does not
    claim = read(
        "(sum_{-m <= j <= m, j != 0} (sigma(u_k^T v_c) - 1) (e_j)_k + 2m sigma(u_k^T v_c)) v_c", "text"
    )
    said = scope(claim, question)
    assert "with a repeated negative (negatives (5, 5)) it fails" in said
    assert "equal to o" not in said
