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
from symw2v import exporter as export
from symw2v.errors import SymW2VError
from symw2v.export_printers import ArrayPrinter, normalize
from symw2v.exporter import ClosedForm, content_hash, export_module
from symw2v.instantiate import resolve_sums
from symw2v.parse import parse_claim
from symw2v.world.losses import named_loss

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
    _assert_close((loss, dJ_dv_c, dJ_dU), _reference("negative-sampling", v_c, o, U, negatives))
    assert not np.delete(dJ_dU, rows, axis=0).any()
    _assert_close((s_loss, s_dJ_dv_c), (loss, dJ_dv_c), rtol=0, atol=0)
    single = module.negative_sampling_loss_and_gradients_sparse(v_c[0], int(o[0]), U, negatives[0])
    dense = module.negative_sampling_loss_and_gradients(v_c[0], int(o[0]), U, negatives[0])
    np.testing.assert_allclose(single[3], dense[2][single[2]], rtol=1e-12)


def test_sparse_row_grads_are_built_in_the_gathered_rows_buffer(modules):
    v_c, o, U, negatives = _point(seed=8)
    *_, row_grads = modules["negative-sampling"].negative_sampling_loss_and_gradients_sparse(
        v_c, o, U, negatives
    )
    # one (B, K+1, d) array per call: the rows of U gathered, then overwritten with ∂J/∂U's rows
    assert row_grads.base is not None and row_grads.base.shape == (B, K + 1, D)


def test_words_sort_stably_packed_with_their_positions_or_not(modules):
    runs = modules["negative-sampling"]._runs
    words = np.array([5, 3, 5, 0, 3, 5, 5])
    for large in (0, 2**62):  # 2**62: too large to pack word * n + position in an int64
        ordered, order, first = runs(words + large)
        np.testing.assert_array_equal(order, np.argsort(words, kind="stable"))
        np.testing.assert_array_equal(ordered, np.sort(words) + large)
        np.testing.assert_array_equal(first, np.r_[True, np.diff(np.sort(words)) != 0])


# -- the arguments, checked with messages naming them


_BAD_CALLS = {
    "shared negatives with a batch": (
        lambda v, o, U, n: (v, o, U, n[0]),
        ValueError,
        r"negatives has shape \(K,\) = \(5,\) but v_c is a batch of 7: pass negatives of shape \(7, 5\)",
    ),
    "U as d×V": (lambda v, o, U, n: (v, o, U.T, n), ValueError, r"U has shape \(8, 50\).*pass U\.T"),
    "U of another d": (
        lambda v, o, U, n: (v, o, U[:, :3], n),
        ValueError,
        r"U has shape \(50, 3\) but v_c has d = 8",
    ),
    "o = -1": (
        lambda v, o, U, n: (v[0], -1, U, n[0]),
        ValueError,
        r"o holds the word index -1, outside 0\.\.49",
    ),
    "o = V": (
        lambda v, o, U, n: (v, o * 0 + V, U, n),
        ValueError,
        r"o holds the word index 50, outside 0\.\.49",
    ),
    "a negative = V": (
        lambda v, o, U, n: (v, o, U, n + V),
        ValueError,
        r"negatives holds the word index \d+",
    ),
    "o of another batch": (
        lambda v, o, U, n: (v, o[:3], U, n),
        ValueError,
        r"o has shape \(3,\) but v_c is a batch of 7",
    ),
    "negatives (B, K) for one example": (
        lambda v, o, U, n: (v[0], 1, U, n),
        ValueError,
        r"negatives has shape \(7, 5\) but v_c is one example: pass shape \(5,\)",
    ),
    "float indices": (
        lambda v, o, U, n: (v, o, U, n * 1.0),
        TypeError,
        "negatives must hold integer word indices",
    ),
    "a bool o": (
        lambda v, o, U, n: (v[0], True, U, n[0]),
        TypeError,
        "o must hold integer word indices, not bool",
    ),
    "integer v_c": (
        lambda v, o, U, n: (v.astype(int), o, U, n),
        TypeError,
        "v_c must be a float32 or float64 array",
    ),
    "mixed dtypes": (
        lambda v, o, U, n: (v.astype(np.float32), o, U, n),
        TypeError,
        "v_c is float32, U float64",
    ),
    "v_c of three axes": (
        lambda v, o, U, n: (v[None], o, U, n),
        ValueError,
        r"v_c has shape \(1, 7, 8\): expected",
    ),
}

_ABOUT_NEGATIVES = {
    "shared negatives with a batch",
    "a negative = V",
    "negatives (B, K) for one example",
    "float indices",
}


@pytest.mark.parametrize("case", sorted(_BAD_CALLS))
def test_bad_arguments_are_named_with_what_was_expected(modules, case):
    rewrite, error, message = _BAD_CALLS[case]
    args = rewrite(*_point())
    with pytest.raises(error, match=message):
        modules["negative-sampling"].negative_sampling_loss_and_gradients(*args)
    if case not in _ABOUT_NEGATIVES:  # the same checks, and words, in the softmax module
        with pytest.raises(error, match=message):
            modules["softmax"].softmax_loss_and_gradients(*args[:3])


def test_lists_and_python_ints_are_accepted_as_arrays(modules):
    v_c, o, U, negatives = _point(batch=1)
    as_lists = modules["negative-sampling"].negative_sampling_loss_and_gradients(
        v_c[0].tolist(), int(o[0]), U, negatives[0].tolist()
    )
    _assert_close(as_lists, _reference("negative-sampling", v_c[0], o[0], U, negatives[0]))


# -- sgd_step


def test_sgd_step_applies_the_sparse_gradients_to_both_matrices_in_place(modules):
    module = modules["negative-sampling"]
    v_c, o, U, negatives = _point(seed=9, batch=6)
    centres = np.array([3, 3, 8, 3, 11, 8])  # repeated centres: each occurrence counts
    V_centre = np.random.default_rng(9).standard_normal((V, D))
    V_centre[centres] = v_c
    _, dJ_dv_c, rows, row_grads = module.negative_sampling_loss_and_gradients_sparse(
        V_centre[centres], o, U, negatives
    )
    _, _, dJ_dU = module.negative_sampling_loss_and_gradients(V_centre[centres], o, U, negatives)
    expected_centre, expected_U = V_centre.copy(), U - 0.5 * dJ_dU
    for c, grad in zip(centres, dJ_dv_c, strict=True):
        expected_centre[c] -= 0.5 * grad
    dense_centre, dense_U = V_centre.copy(), U.copy()
    returned = module.sgd_step(V_centre, U, centres, dJ_dv_c, row_grads, 0.5, rows=rows)
    assert returned[0] is V_centre and returned[1] is U
    np.testing.assert_allclose(V_centre, expected_centre, rtol=1e-12)
    np.testing.assert_allclose(U, expected_U, rtol=1e-12, atol=1e-15)
    module.sgd_step(dense_centre, dense_U, centres, dJ_dv_c, dJ_dU, 0.5)  # the dense form
    np.testing.assert_allclose(dense_U, expected_U, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(dense_centre, expected_centre, rtol=1e-12)


def test_sgd_step_takes_one_example_and_checks_its_arguments(modules):
    module = modules["softmax"]
    v_c, o, U, _ = _point(seed=10, batch=1)
    V_centre = np.zeros((V, D))
    V_centre[4] = v_c[0]
    _, dJ_dv_c, dJ_dU = module.softmax_loss_and_gradients(V_centre[4], int(o[0]), U)
    before = U.copy()
    module.sgd_step(V_centre, U, 4, dJ_dv_c, dJ_dU, 0.1)
    np.testing.assert_allclose(V_centre[4], v_c[0] - 0.1 * dJ_dv_c, rtol=1e-12)
    np.testing.assert_allclose(U, before - 0.1 * dJ_dU, rtol=1e-12)
    with pytest.raises(ValueError, match="c holds the word index 50"):
        module.sgd_step(V_centre, U, V, dJ_dv_c, dJ_dU, 0.1)
    with pytest.raises(ValueError, match=r"dJ_dU has shape \(3, 8\)"):
        module.sgd_step(V_centre, U, 4, dJ_dv_c, dJ_dU[:3], 0.1)
    with pytest.raises(ValueError, match=r"rows has shape \(2,\) but dJ_dU has shape \(3, 8\)"):
        module.sgd_step(V_centre, U, 4, dJ_dv_c, dJ_dU[:3], 0.1, rows=[1, 2])


# -- the training example


def test_training_example_lowers_the_loss(root, tmp_path, capsys, monkeypatch):
    path = tmp_path / "w2v_ns.py"
    path.write_text(_source("negative-sampling"), encoding="utf-8")
    spec = importlib.util.spec_from_file_location("train_word2vec", root / "examples" / "train_word2vec.py")
    example = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "train_word2vec", example)  # its dataclasses look it up
    spec.loader.exec_module(example)
    argv = ["--steps", "400", "--every", "100", "--no-plot", "--module", str(path)]
    assert example.main(argv) == 0
    out = capsys.readouterr().out
    losses = [float(line.split()[-1]) for line in out.splitlines() if line.startswith("step")]
    assert len(losses) == 4 and losses[-1] < losses[0]
    assert "loss went down" in out and "nearest to king:" in out


# -- the command line


def test_export_help_describes_every_option(capsys):
    from symw2v.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["export", "--help"])
    assert exit_info.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    for option in ("--loss LOSS the loss whose gradients", "--target", "--output FILE", "--allow-unproved"):
        assert option in text
    for loss in LOSSES:
        assert f"{loss} (" in text


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


def test_gathered_words_scores_are_one_product_and_batched_products_a_matmul():
    claim = "-sigma(-u_o^T v_c) u_o + sum_k sigma(u_k^T v_c) u_k"
    node = normalize(resolve_sums(parse_claim(claim), named_loss("negative-sampling")))
    gathered, separate = ArrayPrinter((node,), gathered="rows"), ArrayPrinter((node,))
    code = "-sigmoid(-z_o)[:, None] * u_o + (sigmoid(z_k)[:, None, :] @ u_k)[:, 0]"
    assert gathered.result(node, "v_c") == separate.result(node, "v_c") == code
    assert gathered.statements == ["z = (rows @ v_c[:, :, None])[:, :, 0]", "z_o = z[:, 0]", "z_k = z[:, 1:]"]
    assert separate.statements == [
        'z_o = np.einsum("bd,bd->b", u_o, v_c)',
        "z_k = (u_k @ v_c[:, :, None])[:, :, 0]",
    ]


# -- the module as text


def test_output_is_deterministic_across_processes():
    here = {(loss, target): _source(loss, target) for loss in LOSSES for target in export.TARGETS}
    script = (
        "import hashlib, symw2v.exporter as e\n"
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


def _numpy_step(module, V_centre, U, centres):
    """One sgd_step by the NumPy module from the sparse gradients: the expected matrices."""
    v_c, o, _, negatives = _point(seed=11, batch=len(centres))
    _, dJ_dv_c, rows, row_grads = module.negative_sampling_loss_and_gradients_sparse(
        V_centre[centres], o, U, negatives
    )
    return (
        module.sgd_step(V_centre.copy(), U.copy(), centres, dJ_dv_c, row_grads, 0.5, rows=rows),
        o,
        negatives,
    )


@pytest.mark.parametrize("target", ["torch", "jax"])
def test_torch_and_jax_targets_check_arguments_and_step_alike(modules, tmp_path, target):
    library = pytest.importorskip(target if target == "torch" else "jax.numpy")
    module = _load(_source("negative-sampling", target), tmp_path, f"ns_{target}")
    v_c, o, U, negatives = _point(seed=11, batch=4)
    args = [library.asarray(x) for x in (v_c, o, U, negatives)]
    with pytest.raises(ValueError, match=r"negatives has shape \(K,\) = \(5,\) but v_c is a batch of 4"):
        module.negative_sampling_loss_and_gradients(args[0], args[1], args[2], args[3][0])
    with pytest.raises(ValueError, match=r"U has shape \(8, 50\).*pass U\.T"):
        module.negative_sampling_loss_and_gradients(args[0], args[1], args[2].T, args[3])
    with pytest.raises(TypeError, match="negatives must hold integer word indices"):
        module.negative_sampling_loss_and_gradients(args[0], args[1], args[2], args[3] * 1.0)
    if target == "torch":  # JAX checks shapes and dtypes only: under jit the values are unknown
        with pytest.raises(ValueError, match="o holds the word index -1"):
            module.negative_sampling_loss_and_gradients(args[0][0], -1, args[2], args[3][0])
    centres = np.array([2, 2, 9, 30])
    V_centre = np.random.default_rng(11).standard_normal((V, D))
    (expected_centre, expected_U), _, _ = _numpy_step(modules["negative-sampling"], V_centre, U, centres)
    centre_t, U_t = library.asarray(V_centre), library.asarray(U)
    _, dJ_dv_c, rows, row_grads = module.negative_sampling_loss_and_gradients_sparse(
        centre_t[library.asarray(centres)], args[1], U_t, args[3]
    )
    new_centre, new_U = module.sgd_step(
        centre_t, U_t, library.asarray(centres), dJ_dv_c, row_grads, 0.5, rows=rows
    )
    tolerance = (
        {"rtol": 1e-12, "atol": 1e-15} if target == "torch" else {"rtol": 1e-5, "atol": 1e-6}
    )  # float32
    np.testing.assert_allclose(np.asarray(new_centre), expected_centre, **tolerance)
    np.testing.assert_allclose(np.asarray(new_U), expected_U, **tolerance)
    if target == "torch":  # in place, as NumPy
        assert new_centre is centre_t and new_U is U_t
