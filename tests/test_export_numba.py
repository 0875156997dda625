"""Tests of the numba export target (exporter.py with export_loops.py): the fused loop agrees
with the NumPy target, finite differences and the derivation itself, in float32 and float64,
with repeated negatives and a negative equal to o; it is printed from the proved closed forms.

numba is optional: most tests run the generated source with a stand-in ``numba`` whose ``njit``
returns the function unchanged (the loop then runs as plain Python, on tiny sizes), so the code
is exercised where numba is not installed; one test compiles it with numba where it is.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import types
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from symw2v import exporter as export
from symw2v.errors import SymW2VError
from symw2v.export_loops import LoopPrinter, word_parts
from symw2v.export_printers import normalize
from symw2v.exporter import ClosedForm, export_module
from symw2v.instantiate import resolve_sums
from symw2v.parse import parse_claim
from symw2v.world.losses import named_loss

V, D, K, B = 12, 5, 4, 3
SAMPLED = frozenset("k")
TOLERANCE = {np.float64: {"rtol": 1e-12, "atol": 1e-14}, np.float32: {"rtol": 2e-5, "atol": 1e-6}}


@cache
def _source(loss: str, target: str) -> str:
    return export_module(loss, target)


def _stand_in_numba() -> types.ModuleType:
    """A ``numba`` whose ``njit(...)`` is the identity: the generated loops run as Python;
    its ``extending.intrinsic`` gives a function that does nothing (the prefetch hint)."""
    module = types.ModuleType("numba")
    module.njit = lambda *args, **kwargs: lambda function: function
    module.extending = types.ModuleType("numba.extending")
    module.extending.intrinsic = lambda typing: lambda *args: None
    return module


def _load(source: str, directory: Path, name: str, numba=None):
    path = directory / f"{name}.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    names = ("numba", "numba.extending")
    saved = {key: sys.modules.get(key) for key in names}
    if numba is not None:
        sys.modules.update(zip(names, (numba, numba.extending), strict=True))
    try:
        spec.loader.exec_module(module)
    finally:
        for key in names if numba is not None else ():
            sys.modules.pop(key)
            if saved[key] is not None:
                sys.modules[key] = saved[key]
    return module


@pytest.fixture(scope="module")
def modules(tmp_path_factory):
    """The NumPy export, and the numba export run through the stand-in."""
    directory = tmp_path_factory.mktemp("exported_numba")
    ns = "negative-sampling"
    return {
        "numpy": _load(_source(ns, "numpy"), directory, "ns_numpy"),
        "loops": _load(_source(ns, "numba"), directory, "ns_loops", numba=_stand_in_numba()),
    }


def _point(seed: int, dtype, batch: int = B):
    rng = np.random.default_rng(seed)
    U = rng.standard_normal((V, D)).astype(dtype)
    v_c = rng.standard_normal((batch, D)).astype(dtype)
    o = rng.integers(0, V, batch)
    negatives = rng.integers(0, V, (batch, K))
    negatives[0, :2] = o[0]  # a negative equal to o, twice
    negatives[-1, 1:] = 7  # a negative repeated in an example, and across examples
    negatives[0, 3] = 7
    return v_c, o, U, negatives


def _assert_close(actual, expected, dtype):
    for a, e in zip(actual, expected, strict=True):
        assert np.asarray(a).dtype == np.asarray(e).dtype
        np.testing.assert_allclose(a, e, **TOLERANCE[dtype])


# -- the loop against the NumPy export, finite differences and the derivation


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_loop_agrees_with_the_numpy_export_dense_and_sparse(modules, dtype):
    loops, numpy = modules["loops"], modules["numpy"]
    args = _point(seed=1, dtype=dtype)
    _assert_close(
        loops.negative_sampling_loss_and_gradients(*args),
        numpy.negative_sampling_loss_and_gradients(*args),
        dtype,
    )
    sparse = loops.negative_sampling_loss_and_gradients_sparse(*args)
    expected = numpy.negative_sampling_loss_and_gradients_sparse(*args)
    np.testing.assert_array_equal(sparse[2], expected[2])
    _assert_close(sparse[:2] + sparse[3:], expected[:2] + expected[3:], dtype)
    one = (args[0][0], int(args[1][0]), args[2], args[3][0])
    _assert_close(
        loops.negative_sampling_loss_and_gradients(*one),
        numpy.negative_sampling_loss_and_gradients(*one),
        dtype,
    )


def test_a_negative_equal_to_o_and_repeats_count_once_per_occurrence(modules):
    loops = modules["loops"]
    v_c, o, U, _ = _point(seed=2, dtype=np.float64, batch=1)
    v_c, o = v_c[0], int(o[0])
    once = loops.negative_sampling_loss_and_gradients(v_c, o, U, [7, 9])
    again = loops.negative_sampling_loss_and_gradients(v_c, o, U, [7, 9, 9, o])
    sig = 1 / (1 + np.exp(-U @ v_c))
    np.testing.assert_allclose(again[2][9] - once[2][9], sig[9] * v_c, rtol=1e-12)
    np.testing.assert_allclose(again[2][o] - once[2][o], sig[o] * v_c, rtol=1e-12)  # o as a negative
    np.testing.assert_allclose(again[0] - once[0], np.logaddexp(0, U[9] @ v_c) + np.logaddexp(0, U[o] @ v_c))


def test_loop_gradients_pass_central_finite_differences(modules):
    loops = modules["loops"]
    v_c, o, U, negatives = _point(seed=3, dtype=np.float64)
    _, dJ_dv_c, dJ_dU = loops.negative_sampling_loss_and_gradients(v_c, o, U, negatives)

    def total(v, W):
        return loops.negative_sampling_loss_and_gradients(v, o, W, negatives)[0].sum()

    h = 1e-6
    for index in [(0, 0), (o[0], 1), (7, 2), (int(negatives[1, 0]), 4)]:
        step = np.zeros_like(U)
        step[index] = h
        numeric = (total(v_c, U + step) - total(v_c, U - step)) / (2 * h)
        np.testing.assert_allclose(dJ_dU[index], numeric, atol=1e-7)
    step = np.zeros_like(v_c)
    step[1, 3] = h
    np.testing.assert_allclose(
        dJ_dv_c[1, 3], (total(v_c + step, U) - total(v_c - step, U)) / (2 * h), atol=1e-7
    )


def test_loop_matches_the_derivation_at_the_instance(modules):
    loops = modules["loops"]
    rng = np.random.default_rng(4)
    U, v_c = rng.standard_normal((5, 3)), rng.standard_normal(3)
    derived = loops.instance_gradients(U, v_c)  # sympy.diff's gradient, printed by SymPy
    # symw2v's instance o = 2, negatives (1, 3, 4) are 0-based o = 1, negatives [0, 2, 3]
    looped = loops.negative_sampling_loss_and_gradients(v_c, 1, U, [0, 2, 3])
    expected = (derived["loss"], derived["dJ_dv_c"], derived["dJ_dU"])
    for a, e in zip(looped, expected, strict=True):
        np.testing.assert_allclose(a, e, rtol=1e-12, atol=1e-14)


def test_sgd_step_of_the_numba_module_applies_the_sparse_gradients(modules):
    v_c, o, U, negatives = _point(seed=5, dtype=np.float64)
    centres = np.array([2, 2, 9])
    V_centre = np.random.default_rng(5).standard_normal((V, D))
    steps = []
    for module in (modules["loops"], modules["numpy"]):
        _, dJ_dv_c, rows, row_grads = module.negative_sampling_loss_and_gradients_sparse(v_c, o, U, negatives)
        step = module.sgd_step(V_centre.copy(), U.copy(), centres, dJ_dv_c, row_grads, 0.5, rows=rows)
        steps.append(step)
    for a, e in zip(*steps, strict=True):
        np.testing.assert_allclose(a, e, rtol=1e-12, atol=1e-14)


def test_word_runs_sort_the_gathered_positions_by_word_each_word_in_order(modules):
    o, negatives = np.array([3, 1]), np.array([[1, 3], [3, 0]])  # gathered: 3 1 3 | 1 3 0
    distinct, order, starts = modules["loops"]._word_runs(o, negatives)
    np.testing.assert_array_equal(distinct, [0, 1, 3])
    np.testing.assert_array_equal(order, [5, 1, 3, 0, 2, 4])  # position b * (1 + K) + j
    np.testing.assert_array_equal(starts, [0, 1, 3, 6])


def test_gradients_write_the_dense_rows_in_place_and_build_the_sparse_ones(modules):
    v_c, o, U, negatives = _point(seed=7, dtype=np.float64)
    gradients = modules["loops"]._gradients
    dense = np.zeros_like(U)
    J, dJ_dv_c, rows, grads = gradients(v_c, U, o, negatives, dense)
    assert grads is dense
    J_sparse, dJ_dv_c_sparse, rows_sparse, row_grads = gradients(v_c, U, o, negatives, U[:0])
    np.testing.assert_array_equal(rows, rows_sparse)
    np.testing.assert_array_equal(dense[rows], row_grads)
    np.testing.assert_array_equal(np.delete(dense, rows, axis=0), 0)
    np.testing.assert_array_equal(J, J_sparse)
    np.testing.assert_array_equal(dJ_dv_c, dJ_dv_c_sparse)


# -- printed from the proved closed forms


def _node(text: str):
    return normalize(resolve_sums(parse_claim(text), named_loss("negative-sampling")))


def test_word_parts_split_each_closed_form_by_the_row_it_is_computed_from():
    loss = named_loss("negative-sampling")
    coefs = word_parts(_node("-sigma(-u_o^T v_c) u_o + sum_k sigma(u_k^T v_c) u_k"), SAMPLED, factor="row")
    assert {letter: LoopPrinter(letter).code(part) for letter, part in coefs.items()} == {
        "o": "-_sigmoid(-z)",
        "k": "_sigmoid(z)",
    }
    terms = word_parts(_node(loss.expression), SAMPLED)
    assert {letter: LoopPrinter(letter).code(part) for letter, part in terms.items()} == {
        "o": "-_log_sigmoid(z)",
        "k": "-_log_sigmoid(-z)",
    }
    scale = word_parts(_node("(sigma(u_o^T v_c) - 1) v_c"), SAMPLED, factor="v_c")
    assert LoopPrinter("o").code(scale["o"]) == "_sigmoid(z) - 1"


@pytest.mark.parametrize(
    ("claim", "factor"),
    [
        ("sigma(u_o^T v_c) u_k", "row"),  # o's score in a negative's row
        ("sum_k sigma(u_o^T v_c) u_k", "row"),
        ("1 + log(sigma(u_o^T v_c))", ""),  # a constant is no row's
        ("sigma(u_o^T v_c) v_c", "row"),  # not a multiple of the row
    ],
)
def test_what_a_row_cannot_compute_is_refused(claim, factor):
    with pytest.raises(SymW2VError, match="export cannot print"):
        parts = word_parts(_node(claim), SAMPLED, factor=factor)
        for letter, part in parts.items():
            LoopPrinter(letter).code(part)


def test_the_loop_is_printed_from_the_closed_form_even_an_unproved_one(monkeypatch):
    wrong = ClosedForm("u_k", "2 sigma(u_k^T v_c) v_c")
    forms = export.closed_forms()
    patched = {**forms, "negative-sampling": (*forms["negative-sampling"][:2], wrong)}
    monkeypatch.setattr(export, "closed_forms", lambda: patched)
    with pytest.raises(SymW2VError, match="not proved"):
        export_module("negative-sampling", "numba")
    source = export_module("negative-sampling", "numba", allow_unproved=True)
    assert "# ∂J/∂u_k = 2 sigma(u_k^T v_c) v_c\n                scalars[1] = 2 * _sigmoid(z)\n" in source
    assert "scalars[1] = _sigmoid(z)\n" not in source


def test_numba_source_is_deterministic_compiled_strictly_and_ruff_clean(tmp_path):
    source = _source("negative-sampling", "numba")
    assert export_module("negative-sampling", "numba") == source
    # every compiled function is IEEE (fastmath=False) but _dot, which may reorder its additions
    decorators = [line for line in source.splitlines() if line.startswith("@numba.njit")]
    assert decorators.count('@numba.njit(cache=False, fastmath={"reassoc"})') == 1
    assert decorators.count("@numba.njit(cache=False, fastmath=False)") == len(decorators) - 1
    assert "prange" not in source and "parallel" not in source
    softmax = _source("softmax", "numba")
    assert "import numba" not in softmax  # naive softmax stays NumPy: three BLAS products
    ruff = shutil.which("ruff") or shutil.which("ruff", path=str(Path(sys.executable).parent))
    if ruff is None:
        pytest.skip("ruff is not installed")
    for name, text in (("ns.py", source), ("softmax.py", softmax)):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        for command in (["format", "--check"], ["check", "--select", "E,F,W,I,B,UP"]):
            result = subprocess.run([ruff, *command, "--isolated", str(path)], capture_output=True, text=True)
            assert result.returncode == 0, result.stdout + result.stderr


def test_export_command_writes_the_numba_target(tmp_path):
    from symw2v.cli import main

    path = tmp_path / "ns_numba.py"
    assert main(["export", "--loss", "negative-sampling", "--target", "numba", "-o", str(path)]) == 0
    assert path.read_text(encoding="utf-8") == _source("negative-sampling", "numba")


# -- compiled, where numba is installed


def test_compiled_loop_agrees_with_the_numpy_export(modules, tmp_path):
    pytest.importorskip("numba")
    compiled = _load(_source("negative-sampling", "numba"), tmp_path, "ns_compiled")
    dtype = np.float32  # one dtype: each compiles the loop anew (seconds)
    args = _point(seed=6, dtype=dtype, batch=6)
    for name in ("negative_sampling_loss_and_gradients", "negative_sampling_loss_and_gradients_sparse"):
        actual, expected = getattr(compiled, name)(*args), getattr(modules["numpy"], name)(*args)
        _assert_close(actual, expected, dtype)
        _assert_close(actual, getattr(modules["loops"], name)(*args), dtype)  # compiled or not


def test_compiled_prefetch_is_llvm_prefetch_and_changes_no_value(tmp_path):
    numba = pytest.importorskip("numba")
    compiled = _load(_source("negative-sampling", "numba"), tmp_path, "ns_prefetch")
    prefetch = compiled._prefetch

    @numba.njit
    def hinted(A):
        for a in range(A.shape[0]):
            prefetch(A, a, 0)
        return A.sum()

    A = np.arange(12.0).reshape(3, 4)
    assert hinted(A) == A.sum()
    assert "@llvm.prefetch" in hinted.inspect_llvm(hinted.signatures[0])
