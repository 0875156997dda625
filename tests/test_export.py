"""Tests of export.py: the exported modules against an independent NumPy implementation,
finite differences and the derivation itself; stability, repeated negatives, the sparse form;
refusal of unproved claims; deterministic, formatted output; the JAX and PyTorch targets."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import numpy as np
import pytest
import sympy

import symw2v
from symw2v import export
from symw2v.errors import SymW2VError
from symw2v.export import ClosedForm, content_hash, export_module
from symw2v.export_printers import ArrayPrinter
from symw2v.parse import parse_claim

LOSSES = ("negative-sampling", "softmax")
V, D, K, B = 50, 8, 5, 7


@cache
def _source(loss: str, target: str = "numpy") -> str:
    return export_module(loss, target)


def _load(source: str, directory: Path, name: str):
    path = directory / f"{name}.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def modules(tmp_path_factory):
    directory = tmp_path_factory.mktemp("exported")
    return {loss: _load(_source(loss), directory, loss.replace("-", "_")) for loss in LOSSES}


# -- an independent implementation: one example at a time, the textbook formulas


def _reference_softmax(v_c, o, U):
    z = U @ v_c
    yhat = np.exp(z - z.max())
    yhat /= yhat.sum()
    loss = np.log(np.exp(z - z.max()).sum()) + z.max() - z[o]
    error = yhat.copy()
    error[o] -= 1
    return loss, U.T @ error, np.outer(error, v_c)


def _reference_negative_sampling(v_c, o, U, negatives):
    def sig(x):
        return 0.5 * (1 + np.tanh(x / 2))

    loss = np.logaddexp(0, -U[o] @ v_c)
    grad_v = -sig(-U[o] @ v_c) * U[o]
    grad_U = np.zeros_like(U)
    grad_U[o] += (sig(U[o] @ v_c) - 1) * v_c
    for k in negatives:  # once per occurrence
        loss += np.logaddexp(0, U[k] @ v_c)
        grad_v += sig(U[k] @ v_c) * U[k]
        grad_U[k] += sig(U[k] @ v_c) * v_c
    return loss, grad_v, grad_U


def _call(module, loss, v_c, o, U, negatives):
    if loss == "softmax":
        return module.softmax_loss_and_gradients(v_c, o, U)
    return module.negative_sampling_loss_and_gradients(v_c, o, U, negatives)


def _reference(loss, v_c, o, U, negatives):
    """Per-example losses and ∂J/∂v_c, and ∂J/∂U summed over the batch."""
    single = v_c.ndim == 1
    v_c, o = np.atleast_2d(v_c), np.atleast_1d(o)
    negatives = np.atleast_2d(negatives)
    results = [
        _reference_softmax(v, w, U) if loss == "softmax" else _reference_negative_sampling(v, w, U, n)
        for v, w, n in zip(v_c, o, negatives, strict=True)
    ]
    losses = np.array([r[0] for r in results])
    grads_v = np.array([r[1] for r in results])
    grad_U = sum(r[2] for r in results)
    return (losses[0], grads_v[0], grad_U) if single else (losses, grads_v, grad_U)


def _point(seed=0, dtype=np.float64, scale=0.5, batch=B):
    rng = np.random.default_rng(seed)
    U = (scale * rng.standard_normal((V, D))).astype(dtype)
    v_c = (scale * rng.standard_normal((batch, D))).astype(dtype)
    o = rng.integers(0, V, batch)
    negatives = rng.integers(0, V, (batch, K))
    return v_c, o, U, negatives


def _assert_close(actual, expected, rtol=1e-10, atol=1e-12):
    for a, e in zip(actual, expected, strict=True):
        np.testing.assert_allclose(a, e, rtol=rtol, atol=atol)


# -- the header


@pytest.mark.parametrize("loss", LOSSES)
def test_header_names_each_proved_claim_the_versions_and_the_hash(loss):
    source = _source(loss)
    header = source[: source.index('\n"""\n')]
    for form in export.closed_forms()[loss]:
        assert f"∂J/∂{form.wrt} = {form.text}" in header
    assert header.count("proved") == len(export.closed_forms()[loss])
    assert "NOT PROVED" not in header
    assert f"symw2v {symw2v.__version__}" in header and f"SymPy {sympy.__version__}" in header
    stated, actual = content_hash(source)
    assert stated == actual == hashlib.sha256(source.partition('\n"""\n')[2].encode()).hexdigest()


# -- numbers


@pytest.mark.parametrize("loss", LOSSES)
def test_batched_and_single_match_an_independent_implementation(modules, loss):
    v_c, o, U, negatives = _point()
    _assert_close(_call(modules[loss], loss, v_c, o, U, negatives), _reference(loss, v_c, o, U, negatives))
    single = _call(modules[loss], loss, v_c[3], int(o[3]), U, negatives[3])
    assert np.ndim(single[0]) == 0 and single[1].shape == (D,) and single[2].shape == (V, D)
    _assert_close(single, _reference(loss, v_c[3], o[3], U, negatives[3]))


@pytest.mark.parametrize("loss", LOSSES)
def test_gradients_pass_central_finite_differences(modules, loss):
    v_c, o, U, negatives = _point(seed=1, batch=3)
    _, dJ_dv_c, dJ_dU = _call(modules[loss], loss, v_c, o, U, negatives)
    h = 1e-6

    def total(v, u):
        return _call(modules[loss], loss, v, o, u, negatives)[0].sum()

    numeric_U = np.zeros_like(U)
    for index in np.ndindex(U.shape):
        step = np.zeros_like(U)
        step[index] = h
        numeric_U[index] = (total(v_c, U + step) - total(v_c, U - step)) / (2 * h)
    numeric_v = np.zeros_like(v_c)
    for index in np.ndindex(v_c.shape):
        step = np.zeros_like(v_c)
        step[index] = h
        numeric_v[index] = (total(v_c + step, U) - total(v_c - step, U)) / (2 * h)
    np.testing.assert_allclose(dJ_dU, numeric_U, atol=1e-7)
    np.testing.assert_allclose(dJ_dv_c, numeric_v, atol=1e-7)


@pytest.mark.parametrize("loss", LOSSES)
def test_vectorised_code_matches_the_derivation_at_the_instance(modules, loss):
    rng = np.random.default_rng(2)
    U, v_c = rng.standard_normal((5, 3)), rng.standard_normal(3)
    derived = modules[loss].instance_gradients(U, v_c)
    # symw2v's instance o = 2, negatives (1, 3, 4) are 0-based o = 1, negatives [0, 2, 3]
    vectorised = _call(modules[loss], loss, v_c, 1, U, [0, 2, 3])
    _assert_close(vectorised, (derived["loss"], derived["dJ_dv_c"], derived["dJ_dU"]), atol=1e-14)


@pytest.mark.parametrize("loss", LOSSES)
def test_float32_stays_float32_and_agrees_with_float64(modules, loss):
    v_c, o, U, negatives = _point(seed=3)
    wide = _call(modules[loss], loss, v_c, o, U, negatives)
    narrow = _call(modules[loss], loss, v_c.astype(np.float32), o, U.astype(np.float32), negatives)
    for a, e in zip(narrow, wide, strict=True):
        assert a.dtype == np.float32
        np.testing.assert_allclose(a, e, rtol=1e-4, atol=1e-5)  # float32: ~1e-7 per operation


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("loss", LOSSES)
def test_no_overflow_at_scores_near_a_thousand(modules, loss, dtype):
    v_c, o, U, negatives = _point(seed=4)
    v_c = v_c / np.abs(U @ v_c.T).max() * 1000  # the largest |u_w^T v_c| is 1000
    results = _call(modules[loss], loss, v_c.astype(dtype), o, U.astype(dtype), negatives)
    assert all(np.all(np.isfinite(r)) and r.dtype == dtype for r in results)
    expected = _reference(loss, v_c, o, U, negatives)
    _assert_close(results, expected, rtol=1e-4 if dtype == np.float32 else 1e-9, atol=1e-2)


def test_repeated_negatives_count_once_per_occurrence(modules):
    v_c, o, U, _ = _point(seed=5, batch=1)
    v_c, o = v_c[0], int(o[0])
    once = modules["negative-sampling"].negative_sampling_loss_and_gradients(v_c, o, U, [7, 9])
    twice = modules["negative-sampling"].negative_sampling_loss_and_gradients(v_c, o, U, [7, 9, 9])
    sig = 1 / (1 + np.exp(-U[9] @ v_c))
    np.testing.assert_allclose(twice[2][9] - once[2][9], sig * v_c, rtol=1e-12)
    np.testing.assert_allclose(twice[0] - once[0], np.logaddexp(0, U[9] @ v_c), rtol=1e-12)
    with_o = modules["negative-sampling"].negative_sampling_loss_and_gradients(v_c, o, U, [o, o, 9])
    _assert_close(with_o, _reference("negative-sampling", v_c, o, U, [o, o, 9]))


@pytest.mark.parametrize("vocabulary", [3, V])  # 3: every word repeated many times
def test_sparse_form_equals_dense_form(modules, vocabulary):
    module = modules["negative-sampling"]
    v_c, o, U, negatives = _point(seed=6, batch=40)
    o, negatives = o % vocabulary, negatives % vocabulary
    loss, dJ_dv_c, dJ_dU = module.negative_sampling_loss_and_gradients(v_c, o, U, negatives)
    s_loss, s_dJ_dv_c, rows, row_grads = module.negative_sampling_loss_and_gradients_sparse(
        v_c, o, U, negatives
    )
    np.testing.assert_array_equal(rows, np.unique(np.concatenate([o, negatives.ravel()])))
    np.testing.assert_allclose(row_grads, dJ_dU[rows], rtol=1e-12, atol=1e-15)
    assert not np.delete(dJ_dU, rows, axis=0).any()
    _assert_close((s_loss, s_dJ_dv_c), (loss, dJ_dv_c), rtol=0, atol=0)
    single = module.negative_sampling_loss_and_gradients_sparse(v_c[0], int(o[0]), U, negatives[0])
    dense = module.negative_sampling_loss_and_gradients(v_c[0], int(o[0]), U, negatives[0])
    np.testing.assert_allclose(single[3], dense[2][single[2]], rtol=1e-12)


# -- refusing what is not proved


_WRONG = ClosedForm("v_c", "-sigma(-u_o^T v_c) u_o + sum_k sigma(-u_k^T v_c) u_k")


def test_export_refuses_a_claim_that_is_not_proved(monkeypatch):
    forms = {
        **export.closed_forms(),
        "negative-sampling": (_WRONG, *export.closed_forms()["negative-sampling"][1:]),
    }
    monkeypatch.setattr(export, "closed_forms", lambda: forms)
    with pytest.raises(SymW2VError, match="not proved.*refuted"):
        export_module("negative-sampling")
    source = export_module("negative-sampling", allow_unproved=True)
    header = source[: source.index('\n"""\n')]
    assert "WARNING: 1 of the closed forms below NOT PROVED" in header
    assert f"∂J/∂v_c = {_WRONG.text}  NOT PROVED: refuted" in header
    compile(source, "unproved.py", "exec")


def test_unknown_loss_or_target_is_an_error():
    with pytest.raises(SymW2VError, match="unknown export target"):
        export_module("softmax", "tensorflow")
    with pytest.raises(SymW2VError, match="unknown loss"):
        export_module("hinge")


@pytest.mark.parametrize("claim", ["softmax(z)", "u_w v_c^T", "sum_w u_w", "y", "U^T yhat"])
def test_the_printer_names_what_it_cannot_print(claim):
    with pytest.raises(SymW2VError, match="export cannot print"):
        ArrayPrinter((parse_claim(claim),)).result(parse_claim(claim), "v_c")


# -- the module as text


def test_output_is_deterministic_across_processes():
    here = {(loss, target): _source(loss, target) for loss in LOSSES for target in export.TARGETS}
    script = (
        "import hashlib, symw2v.export as e\n"
        "for loss in ('negative-sampling', 'softmax'):\n"
        "    for target in e.TARGETS:\n"
        "        print(hashlib.sha256(e.export_module(loss, target).encode()).hexdigest())\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    run = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert run.stdout.split() == [hashlib.sha256(s.encode()).hexdigest() for s in here.values()]


@pytest.mark.parametrize("target", ["numpy", "jax", "torch"])
@pytest.mark.parametrize("loss", LOSSES)
def test_every_target_compiles_and_is_ruff_clean(loss, target, tmp_path):
    source = _source(loss, target)
    compile(source, f"{loss}_{target}.py", "exec")
    ruff = shutil.which("ruff") or shutil.which("ruff", path=str(Path(sys.executable).parent))
    if ruff is None:
        pytest.skip("ruff is not installed")
    path = tmp_path / "exported.py"
    path.write_text(source, encoding="utf-8")
    for command in (["format", "--check"], ["check", "--select", "E,F,W,I,B,UP"]):
        result = subprocess.run([ruff, *command, "--isolated", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


# -- JAX and PyTorch, where installed


def test_torch_target_agrees_with_numpy(modules, tmp_path):
    torch = pytest.importorskip("torch")
    for loss in LOSSES:
        module = _load(_source(loss, "torch"), tmp_path, f"{loss.replace('-', '_')}_torch")
        v_c, o, U, negatives = _point(seed=7)
        expected = _call(modules[loss], loss, v_c, o, U, negatives)
        args = (torch.tensor(v_c), torch.tensor(o), torch.tensor(U), torch.tensor(negatives))
        _assert_close([r.numpy() for r in _call(module, loss, *args)], expected)
        single = _call(module, loss, args[0][0], int(o[0]), args[2], args[3][0])
        _assert_close([r.numpy() for r in single], _call(modules[loss], loss, v_c[0], o[0], U, negatives[0]))
        derived = module.instance_gradients(args[2][:5, :3], args[0][0, :3])
        assert derived["dJ_dU"].dtype == torch.float64
        if loss == "negative-sampling":
            rows, row_grads = module.negative_sampling_loss_and_gradients_sparse(*args)[2:]
            np.testing.assert_allclose(row_grads.numpy(), expected[2][rows.numpy()], rtol=1e-12)


def test_jax_target_agrees_with_numpy(modules, tmp_path):
    jnp = pytest.importorskip("jax.numpy")
    for loss in LOSSES:
        module = _load(_source(loss, "jax"), tmp_path, f"{loss.replace('-', '_')}_jax")
        v_c, o, U, negatives = _point(seed=8, dtype=np.float32)
        expected = _call(modules[loss], loss, v_c, o, U, negatives)
        args = (jnp.asarray(v_c), jnp.asarray(o), jnp.asarray(U), jnp.asarray(negatives))
        _assert_close([np.asarray(r) for r in _call(module, loss, *args)], expected, rtol=1e-4, atol=1e-5)
        if loss == "negative-sampling":
            rows, row_grads = module.negative_sampling_loss_and_gradients_sparse(*args)[2:]
            expected_rows = expected[2][np.asarray(rows)]
            np.testing.assert_allclose(np.asarray(row_grads), expected_rows, rtol=1e-4, atol=1e-5)
