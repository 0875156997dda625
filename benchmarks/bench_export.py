"""Time the exported NumPy code against hand-written NumPy, PyTorch autograd and JAX.

A script, not a test: ``python benchmarks/bench_export.py [--dtype float32|float64] [--quick]``.
In one process, the implementations run interleaved (each repetition calls each once, in
turn) at d = 300, K = 10, V = 20 000 and a batch of 256; the medians and their ratios are
printed.  Then the sparse form of the negative-sampling gradient is timed over a sweep of V,
to show that its cost does not depend on V.  PyTorch and JAX are skipped, with a message,
where they are not installed.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from symw2v.export import export_module

D, K, V, B = 300, 10, 20_000, 256
SWEEP = (1_000, 10_000, 100_000, 1_000_000)


def load_exported(loss: str, directory: Path):
    """Export ``loss`` for NumPy into ``directory`` and import it as a plain module."""
    name = f"exported_{loss.replace('-', '_')}"
    path = directory / f"{name}.py"
    path.write_text(export_module(loss, "numpy"), encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- careful hand-written NumPy, as one would write it without symw2v


def _sigmoid(x):
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def hand_negative_sampling(v_c, o, U, negatives, sorted_scatter=False):
    u_o, u_k = U[o], U[negatives]  # (B, d), (B, K, d)
    z_o = np.einsum("bd,bd->b", u_o, v_c)
    z_k = np.matmul(u_k, v_c[:, :, None])[:, :, 0]
    loss = np.logaddexp(0, -z_o) + np.logaddexp(0, z_k).sum(axis=1)
    s_o, s_k = _sigmoid(z_o), _sigmoid(z_k)
    grad_v = (s_o - 1)[:, None] * u_o + np.matmul(s_k[:, None, :], u_k)[:, 0, :]
    words = np.concatenate([o, negatives.ravel()])
    rows_k = (s_k[:, :, None] * v_c[:, None, :]).reshape(-1, U.shape[1])
    rows = np.concatenate([(s_o - 1)[:, None] * v_c, rows_k])
    grad_U = np.zeros(U.shape, dtype=U.dtype)
    if sorted_scatter:  # the fast idiom: sort the words, add each run of equal words
        order = np.argsort(words, kind="stable")
        sorted_words = words[order]
        starts = np.flatnonzero(np.r_[True, sorted_words[1:] != sorted_words[:-1]])
        grad_U[sorted_words[starts]] = np.add.reduceat(rows[order], starts, axis=0)
    else:  # the textbook idiom
        np.add.at(grad_U, words, rows)
    return loss, grad_v, grad_U


def hand_softmax(v_c, o, U):
    z = v_c @ U.T
    batch = np.arange(len(o))
    z_o = z[batch, o]
    z_max = z.max(axis=1, keepdims=True)
    z -= z_max
    np.exp(z, out=z)
    total = z.sum(axis=1, keepdims=True)
    z /= total
    loss = np.log(total[:, 0]) + z_max[:, 0] - z_o
    z[batch, o] -= 1  # yhat - y, in place
    return loss, z @ U, z.T @ v_c


# -- autodiff baselines


def torch_functions():
    try:
        import torch
    except ImportError:
        print("PyTorch is not installed: skipping its autograd baseline")
        return {}
    functional = torch.nn.functional

    def run(loss_fn):
        def call(v_c, o, U, negatives=None):
            v = torch.from_numpy(v_c).requires_grad_()
            u = torch.from_numpy(U).requires_grad_()
            words = None if negatives is None else torch.from_numpy(negatives)
            loss = loss_fn(v, torch.from_numpy(o), u, words)
            loss.sum().backward()
            return loss.detach(), v.grad, u.grad

        return call

    def ns(v, o, u, negatives):
        z_o = (u[o] * v).sum(1)
        z_k = torch.einsum("bkd,bd->bk", u[negatives], v)
        return -functional.logsigmoid(z_o) - functional.logsigmoid(-z_k).sum(1)

    def sm(v, o, u, negatives):
        return functional.cross_entropy(v @ u.T, o, reduction="none")

    return {"negative-sampling": run(ns), "softmax": run(sm)}


def jax_functions(dtype):
    try:
        import jax
        import jax.numpy as jnp
    except ImportError:
        print("JAX is not installed: skipping its jax.jit(jax.grad) baseline")
        return {}
    if dtype == "float64":
        jax.config.update("jax_enable_x64", True)

    def ns(v, u, o, negatives):
        z_o = jnp.einsum("bd,bd->b", u[o], v)
        z_k = jnp.einsum("bkd,bd->bk", u[negatives], v)
        return (-jax.nn.log_sigmoid(z_o) - jax.nn.log_sigmoid(-z_k).sum(1)).sum()

    def sm(v, u, o, negatives):
        z = v @ u.T
        return (jax.nn.logsumexp(z, axis=1) - jnp.take_along_axis(z, o[:, None], axis=1)[:, 0]).sum()

    def run(loss_fn):
        step = jax.jit(jax.value_and_grad(loss_fn, argnums=(0, 1)))

        def call(v_c, o, U, negatives=None):
            words = None if negatives is None else jnp.asarray(negatives)
            return jax.block_until_ready(step(jnp.asarray(v_c), jnp.asarray(U), jnp.asarray(o), words))

        return call

    return {"negative-sampling": run(ns), "softmax": run(sm)}


# -- timing


def interleaved(functions: dict, args: tuple, repetitions: int) -> dict[str, float]:
    """Median seconds per call of each function, the functions called in turn each repetition.

    The order rotates from one repetition to the next, so that no function always follows the
    same one (PyTorch's and XLA's worker threads keep spinning for a while after a call).
    """
    for function in functions.values():
        function(*args)  # warm up (and JIT-compile)
    names = list(functions)
    times = {name: [] for name in names}
    for repetition in range(repetitions):
        shift = repetition % len(names)
        for name in names[shift:] + names[:shift]:
            start = time.perf_counter()
            functions[name](*args)
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def report(title: str, medians: dict[str, float], reference: str) -> None:
    print(f"\n{title}")
    for name, seconds in medians.items():
        ratio = medians[reference] / seconds
        print(f"  {name:34s} {seconds * 1e3:9.3f} ms   exported / this = {ratio:5.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dtype", choices=("float32", "float64"), default="float32")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, V up to 1e5")
    args = parser.parse_args()
    repetitions = 7 if args.quick else 25
    rng = np.random.default_rng(0)
    dtype = np.dtype(args.dtype)
    print(f"d = {D}, K = {K}, V = {V}, batch = {B}, {args.dtype}; NumPy {np.__version__}")

    with tempfile.TemporaryDirectory() as directory:
        exported = {loss: load_exported(loss, Path(directory)) for loss in ("negative-sampling", "softmax")}
    torch_fns, jax_fns = torch_functions(), jax_functions(args.dtype)

    U = (0.1 * rng.standard_normal((V, D))).astype(dtype)
    v_c = (0.1 * rng.standard_normal((B, D))).astype(dtype)
    o = rng.integers(0, V, B)
    negatives = rng.integers(0, V, (B, K))

    ns = exported["negative-sampling"]
    functions = {
        "exported (dense dJ/dU)": ns.negative_sampling_loss_and_gradients,
        "exported (sparse dJ/dU)": ns.negative_sampling_loss_and_gradients_sparse,
        "hand-written (np.add.at)": hand_negative_sampling,
        "hand-written (sort + reduceat)": lambda *a: hand_negative_sampling(*a, sorted_scatter=True),
    }
    for name, table in (("PyTorch autograd, CPU", torch_fns), ("jax.jit(jax.value_and_grad)", jax_fns)):
        if table:
            functions[name] = table["negative-sampling"]
    medians = interleaved(functions, (v_c, o, U, negatives), repetitions)
    report("negative sampling: loss, dJ/dv_c, dJ/dU", medians, "exported (dense dJ/dU)")

    functions = {"exported": exported["softmax"].softmax_loss_and_gradients, "hand-written": hand_softmax}
    for name, table in (("PyTorch autograd, CPU", torch_fns), ("jax.jit(jax.value_and_grad)", jax_fns)):
        if table:
            functions[name] = table["softmax"]
    medians = interleaved(functions, (v_c, o, U), repetitions)
    report("naive softmax: loss, dJ/dv_c, dJ/dU", medians, "exported")

    print("\nnegative sampling over V (batch 256, K = 10, d = 300): median ms per call")
    print(f"  {'V':>9s} {'sparse':>9s} {'dense':>9s}")
    for size in SWEEP[:-1] if args.quick else SWEEP:
        U = rng.random((size, D), dtype=np.float32).astype(dtype, copy=False)
        o, negatives = rng.integers(0, size, B), rng.integers(0, size, (B, K))
        functions = {
            "sparse": ns.negative_sampling_loss_and_gradients_sparse,
            "dense": ns.negative_sampling_loss_and_gradients,
        }
        medians = interleaved(functions, (v_c, o, U, negatives), repetitions)
        print(f"  {size:9d} {medians['sparse'] * 1e3:9.3f} {medians['dense'] * 1e3:9.3f}")
        del U
    print("  (dense: np.zeros maps zero pages lazily, so the untouched rows of dJ/dU cost little here;")
    print("   they are paid for when the caller reads or updates the whole of it)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
