"""Time the exported NumPy gradients against hand-written NumPy, beside the memory-traffic floor.

A script, not a test: ``python benchmarks/bench_export.py [--batch B] [--dtype float32|float64]
[--loss negative-sampling|softmax] [--quick] [--sweep] [--clock wall|cpu]``.  At d = 300, K = 10,
V = 50 000 and a batch of 256, in float32 and float64 (both unless ``--dtype``):

1. every implementation is run once and checked to agree with the exported module
   (``np.allclose``); the script stops, naming the culprit, when one does not;
2. the implementations run interleaved (each repetition calls each once, in an order
   shuffled with a fixed seed) and the medians are printed with their ratio to the exported code
   and to the floor; best/floor is the fastest call's ratio, what a call costs when nothing
   else on the machine got in its way;
3. beside them, the memory-traffic floor: the bytes a gradient must move (read the gathered
   rows of U and v_c once, write ∂J/∂v_c, the loss and the rows of ∂J/∂U once) divided by
   the bandwidth that ``np.copyto`` reaches moving the same number of bytes, and again by
   the bandwidth of a copy as large as U (from main memory, as U's rows are).  The dense form
   writes all of ∂J/∂U (V×d), mostly zeros: its own floor adds those bytes at the bandwidth
   of that large copy, and the dense table's ratios are to that floor.

``--clock cpu`` times with the process's CPU time (``time.process_time``) instead of the wall
clock, the floor's copies included: on a machine shared with other work, a call of several
milliseconds is often descheduled part of the way, a copy of a fraction of one seldom, and
the wall clock then charges the longer call for time it did not run.

The hand-written negative-sampling baselines differ only in how they add the rows of ∂J/∂U
that fall on the same word, each with the best idiom NumPy offers for that approach:
``np.add.at``, sort + ``np.add.reduceat``, ``np.unique`` + ``np.bincount``, and sort + passes
over v_c's multiples (the idiom of the export before it built the rows in the gathered buffer,
written by hand).  A dense one-hot
matrix product is not among them: at this size it is gigaflops for a scatter.  PyTorch
autograd and ``jax.jit(jax.value_and_grad)`` are added where they are installed, and so is the
module exported for numba (``symw2v export --target numba``): each dtype's first call compiles
its loop, before the agreement check and the timing, and the compile time is printed apart.
Beside it, a lower bound for its loop (``gather_and_dot``): the same word runs, reads, order
and prefetching, and only the dot products, which any implementation computes.
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

from symw2v.exporter import export_module

D, K, V = 300, 10, 50_000
SWEEP = (1_000, 10_000, 100_000, 1_000_000)
CLOCKS = {"wall": time.perf_counter, "cpu": time.process_time}
clock = CLOCKS["wall"]  # set by --clock
TOLERANCE = {"float32": {"rtol": 1e-4, "atol": 1e-6}, "float64": {"rtol": 1e-10, "atol": 1e-12}}


def load_exported(loss: str, directory: Path, target: str = "numpy"):
    """Export ``loss`` for ``target`` into ``directory`` and import it as a plain module."""
    name = f"exported_{loss.replace('-', '_')}_{target}"
    path = directory / f"{name}.py"
    path.write_text(export_module(loss, target), encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- careful hand-written NumPy, as one would write it without symw2v


def _sigmoid(x):
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def _hand_scores(v_c, o, U, negatives):
    """Loss, ∂J/∂v_c, and the scale of v_c in each gathered row's gradient (o's, then the k's)."""
    u_o, u_k = U[o], U[negatives]  # (B, d), (B, K, d)
    z_o = np.einsum("bd,bd->b", u_o, v_c)
    z_k = np.matmul(u_k, v_c[:, :, None])[:, :, 0]
    loss = np.logaddexp(0, -z_o) + np.logaddexp(0, z_k).sum(axis=1)
    s_o, s_k = _sigmoid(z_o), _sigmoid(z_k)
    grad_v = (s_o - 1)[:, None] * u_o + np.matmul(s_k[:, None, :], u_k)[:, 0, :]
    return loss, grad_v, s_o - 1, s_k


def _hand_rows(v_c, o, negatives, scale_o, scale_k):
    """The words gathered and the gradient row of each occurrence, stored."""
    words = np.concatenate([o, negatives.ravel()])
    rows = np.concatenate([scale_o[:, None] * v_c, (scale_k[:, :, None] * v_c[:, None]).reshape(-1, D)])
    return words, rows


def _add_at(words, rows):
    distinct, inverse = np.unique(words, return_inverse=True)
    summed = np.zeros((len(distinct), rows.shape[1]), rows.dtype)
    np.add.at(summed, inverse, rows)
    return distinct, summed


def _reduceat(words, rows):
    order = np.argsort(words, kind="stable")
    ordered = words[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    return ordered[starts], np.add.reduceat(rows[order], starts, axis=0)


def _bincount(words, rows):
    distinct, inverse = np.unique(words, return_inverse=True)
    flat = (inverse[:, None] * rows.shape[1] + np.arange(rows.shape[1])).ravel()
    summed = np.bincount(flat, weights=rows.ravel(), minlength=len(distinct) * rows.shape[1])
    return distinct, summed.reshape(len(distinct), -1).astype(rows.dtype, copy=False)


def _passes_on_scales(v_c, o, negatives, scale_o, scale_k):
    """Sort the words; build each distinct word's row from v_c where it is stored, then add
    the repeats in passes (each pass at most one occurrence per word)."""
    B = len(o)
    words = np.concatenate([o, negatives.ravel()])
    scales = np.concatenate([scale_o, scale_k.ravel()])
    examples = np.concatenate([np.arange(B), np.arange(B).repeat(negatives.shape[1])])
    order = np.argsort(words, kind="stable")
    ordered = words[order]
    first = np.r_[True, ordered[1:] != ordered[:-1]]
    starts = np.flatnonzero(first)
    run = np.cumsum(first) - 1
    rank = np.arange(len(words)) - starts[run]
    summed = v_c[examples[order[starts]]]
    summed *= scales[order[starts], None]
    for r in range(1, rank.max() + 1):
        again = order[rank == r]
        summed[run[rank == r]] += scales[again, None] * v_c[examples[again]]
    return ordered[starts], summed


def hand_negative_sampling(idiom: str):
    """Hand-written negative sampling returning (loss, ∂J/∂v_c, rows, row_grads)."""

    def call(v_c, o, U, negatives):
        loss, grad_v, scale_o, scale_k = _hand_scores(v_c, o, U, negatives)
        if idiom == "passes on scales":
            return (loss, grad_v, *_passes_on_scales(v_c, o, negatives, scale_o, scale_k))
        scatter = {"np.add.at": _add_at, "sort + reduceat": _reduceat, "unique + bincount": _bincount}
        return (loss, grad_v, *scatter[idiom](*_hand_rows(v_c, o, negatives, scale_o, scale_k)))

    return call


def dense(sparse):
    """A sparse-form implementation with ∂J/∂U written out as a (V, d) array."""

    def call(v_c, o, U, negatives):
        loss, grad_v, rows, row_grads = sparse(v_c, o, U, negatives)
        grad_U = np.zeros(U.shape, U.dtype)
        grad_U[rows] = row_grads
        return loss, grad_v, grad_U

    return call


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


# -- autodiff baselines and the numba export, where installed


def numba_module(directory: Path):
    """The negative-sampling module exported for numba, or None where numba is not installed.
    (Its softmax is the NumPy export's code: nothing to time apart.)"""
    if importlib.util.find_spec("numba") is None:
        print("numba is not installed: skipping the numba export (pip install 'symw2v[numba]')")
        return None
    import numba

    print(f"numba {numba.__version__}: the numba export's negative sampling is timed too")
    return load_exported("negative-sampling", directory, "numba")


def gather_and_dot(module):
    """A lower bound for the numba export's sparse gradient, compiled by numba: its word
    runs (``module._word_runs``) and its loop's reads in its order, the rows of U
    prefetched as it does, each occurrence's score u_w v_c[b] and nothing else (no
    scalar function, no ∂J/∂v_c, no row of ∂J/∂U written)."""
    import numba

    word_runs, prefetch, ahead = module._word_runs, module._prefetch, module._AHEAD

    @numba.njit(cache=False, fastmath={"reassoc"})
    def scores(v_c, o, U, negatives):
        distinct, order, starts = word_runs(o, negatives)
        width, d, line = 1 + negatives.shape[1], U.shape[1], max(1, 64 // U.itemsize)
        z = np.zeros(len(order), U.dtype)
        for r in range(len(distinct)):
            if r + ahead < len(distinct):
                for i in range(0, d, line):
                    prefetch(U, distinct[r + ahead], i)
            w = distinct[r]
            for p in range(starts[r], starts[r + 1]):
                b, total = order[p] // width, z[p]
                for i in range(d):
                    total += U[w, i] * v_c[b, i]
                z[p] = total
        return z

    return scores


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
            return loss.detach().numpy(), v.grad.numpy(), u.grad.numpy()

        return call

    def ns(v, o, u, negatives):
        z_o = (u[o] * v).sum(1)
        z_k = torch.einsum("bkd,bd->bk", u[negatives], v)
        return -functional.logsigmoid(z_o) - functional.logsigmoid(-z_k).sum(1)

    def sm(v, o, u, negatives):
        return functional.cross_entropy(v @ u.T, o, reduction="none")

    return {"negative-sampling": run(ns), "softmax": run(sm)}


def jax_functions(dtype: str):
    try:
        import jax
        import jax.numpy as jnp
    except ImportError:
        print("JAX is not installed: skipping its jax.jit(jax.value_and_grad) baseline")
        return {}
    jax.config.update("jax_enable_x64", dtype == "float64")

    def ns(v, u, o, negatives):
        z_o = jnp.einsum("bd,bd->b", u[o], v)
        z_k = jnp.einsum("bkd,bd->bk", u[negatives], v)
        losses = -jax.nn.log_sigmoid(z_o) - jax.nn.log_sigmoid(-z_k).sum(1)
        return losses.sum(), losses

    def sm(v, u, o, negatives):
        z = v @ u.T
        losses = jax.nn.logsumexp(z, axis=1) - jnp.take_along_axis(z, o[:, None], axis=1)[:, 0]
        return losses.sum(), losses

    def run(loss_fn):
        step = jax.jit(jax.value_and_grad(loss_fn, argnums=(0, 1), has_aux=True))

        def call(v_c, o, U, negatives=None):
            words = None if negatives is None else jnp.asarray(negatives)
            (_, losses), (grad_v, grad_U) = step(jnp.asarray(v_c), jnp.asarray(U), jnp.asarray(o), words)
            return tuple(np.asarray(x) for x in jax.block_until_ready((losses, grad_v, grad_U)))

        return call

    return {"negative-sampling": run(ns), "softmax": run(sm)}


# -- checking, timing, the floor


def check_agreement(functions: dict, args: tuple, reference: str, dtype: str) -> None:
    """Stop with the name of any implementation whose results differ from ``reference``'s."""
    expected = functions[reference](*args)
    for name, function in functions.items():
        actual = function(*args)
        if len(actual) != len(expected):
            sys.exit(f"{name} returns {len(actual)} values, {reference} {len(expected)}")
        for index, (a, e) in enumerate(zip(actual, expected, strict=True)):
            if np.shape(a) != np.shape(e) or not np.allclose(a, e, **TOLERANCE[dtype]):
                sys.exit(f"{name} disagrees with {reference} in result {index}: not benchmarking")
    print(f"  all {len(functions)} implementations agree ({TOLERANCE[dtype]})")


def interleaved(functions: dict, args: tuple, repetitions: int) -> dict[str, float]:
    """Median seconds per call of each function (see ``interleaved_times``)."""
    return {
        name: statistics.median(values)
        for name, values in interleaved_times(functions, args, repetitions).items()
    }


def interleaved_times(functions: dict, args: tuple, repetitions: int) -> dict[str, list[float]]:
    """Seconds of each call of each function, the functions called in turn each repetition.

    The order is shuffled (with a fixed seed) from one repetition to the next, so that each
    function follows each other one about as often: what a call leaves behind (the allocator's
    state, PyTorch's and XLA's worker threads still spinning) is shared out evenly.  A rotation
    would not do: in it a function nearly always follows the same one.
    """
    names = list(functions)
    times = {name: [] for name in names}
    order = np.random.default_rng(0)
    for _ in range(repetitions):
        for index in order.permutation(len(names)):
            start = clock()
            functions[names[index]](*args)
            times[names[index]].append(clock() - start)
    return times


def copy_bandwidth(nbytes: int, repetitions: int = 15) -> float:
    """Bytes per second of an ``np.copyto`` that moves ``nbytes`` in all (half read, half written)."""
    source = np.ones(max(nbytes // 2, 8) // 8)
    target = np.empty_like(source)
    np.copyto(target, source)  # map the pages before timing
    times = []
    for _ in range(repetitions):
        start = clock()
        np.copyto(target, source)
        times.append(clock() - start)
    return 2 * source.nbytes / statistics.median(times)


def floor_seconds(from_memory: int, rest: int, large: int) -> float:
    """The memory-traffic floor, printed with how it is made: ``from_memory`` bytes (rows of a
    matrix larger than the caches, read in no order) at the bandwidth of a copy of ``large``
    bytes, the ``rest`` at the bandwidth of a copy moving the same number of bytes."""
    memory, near = copy_bandwidth(large, repetitions=5), copy_bandwidth(rest)
    seconds = from_memory / memory + rest / near
    print(
        f"  floor {seconds * 1e3:.3f} ms: {from_memory / 1e6:.1f} MB from memory at {memory / 1e9:.1f} GB/s"
        f" + {rest / 1e6:.1f} MB at {near / 1e9:.1f} GB/s (np.copyto bandwidths at those sizes)"
    )
    # The same bytes all at the bandwidth of one copy of their size, as if U were in cache
    total = from_memory + rest
    cached = total / copy_bandwidth(total)
    print(f"  (all {total / 1e6:.1f} MB at the bandwidth of a copy of that size: {cached * 1e3:.3f} ms)")
    return seconds


def report(title: str, times: dict[str, list[float]], reference: str, floor: float) -> None:
    """Each function's median, its ratio to the reference's and to the floor; and its fastest
    call's ratio to the floor (what it costs when nothing else on the machine interferes)."""
    medians = {name: statistics.median(values) for name, values in times.items()}
    print(f"  {title:44s} {'ms':>8s} {'exported/this':>14s} {'this/floor':>11s} {'best/floor':>11s}")
    for name, seconds in medians.items():
        ratio, best = medians[reference] / seconds, min(times[name]) / floor
        print(f"    {name:42s} {seconds * 1e3:8.3f} {ratio:14.2f} {seconds / floor:11.2f} {best:11.2f}")


def negative_sampling_bytes(v_c, o, negatives, itemsize: int) -> tuple[int, int]:
    """What any implementation reads and writes at least: the rows of U at the distinct words
    (from memory: a word gathered twice is read from memory once, at best) and v_c and the
    words read once; the loss, ∂J/∂v_c and the distinct rows of ∂J/∂U (with their indices)
    written once."""
    B, d = v_c.shape
    distinct = len(np.unique(np.concatenate([o, negatives.ravel()])))
    rows = distinct * d * itemsize
    rest = (B * d + B + B * d + distinct * d) * itemsize + (o.size + negatives.size + distinct) * 8
    return rows, rest


def softmax_bytes(v_c, U) -> tuple[int, int]:
    """U read once (from memory); v_c read, the scores (B, V) written and read once, ∂J/∂U and
    ∂J/∂v_c written."""
    (B, d), words = v_c.shape, U.shape[0]
    return words * d * U.itemsize, (words * d + 2 * B * words + 2 * B * d + B) * U.itemsize


def bench_dtype(
    dtype: str,
    batch: int,
    repetitions: int,
    exported: dict,
    baselines: dict,
    losses: tuple[str, ...],
    compiled=None,
) -> None:
    rng = np.random.default_rng(0)
    U = (0.1 * rng.standard_normal((V, D))).astype(dtype)
    v_c = (0.1 * rng.standard_normal((batch, D))).astype(dtype)
    o, negatives = rng.integers(0, V, batch), rng.integers(0, V, (batch, K))
    print(f"\n{dtype}: d = {D}, K = {K}, V = {V}, batch = {batch}")

    if "negative-sampling" in losses:
        args = (v_c, o, U, negatives)
        bench_negative_sampling(exported["negative-sampling"], args, repetitions, baselines, compiled)
    if "softmax" in losses:
        bench_softmax(exported["softmax"], (v_c, o, U), repetitions, baselines)


def compile_numba(module, args: tuple) -> None:
    """Call the numba export once on ``args`` (both forms), so that numba.njit compiles its loop
    for this dtype before anything is timed; print how long that took."""
    start = time.perf_counter()
    module.negative_sampling_loss_and_gradients_sparse(*args)
    module.negative_sampling_loss_and_gradients(*args)
    seconds = time.perf_counter() - start
    print(f"  numba: compiled for {args[2].dtype} in {seconds:.1f} s (wall clock), not in the times below")


def bench_negative_sampling(ns, args: tuple, repetitions: int, baselines: dict, compiled=None) -> None:
    v_c, o, U, negatives = args
    dtype = str(U.dtype)
    sparse_name, dense_name = "exported, sparse dJ/dU", "exported, dense dJ/dU"
    sparse = {sparse_name: ns.negative_sampling_loss_and_gradients_sparse}
    if compiled is not None:
        compile_numba(compiled, args)
        sparse["exported numba, sparse dJ/dU"] = compiled.negative_sampling_loss_and_gradients_sparse
    for idiom in ("passes on scales", "sort + reduceat", "unique + bincount", "np.add.at"):
        sparse[f"hand-written, {idiom}"] = hand_negative_sampling(idiom)
    dense_ones = {
        dense_name: ns.negative_sampling_loss_and_gradients,
        "hand-written, passes on scales": dense(hand_negative_sampling("passes on scales")),
        "hand-written, sort + reduceat": dense(hand_negative_sampling("sort + reduceat")),
    }
    if compiled is not None:
        dense_ones["exported numba, dense dJ/dU"] = compiled.negative_sampling_loss_and_gradients
    for name, table in baselines.items():
        if "negative-sampling" in table:
            dense_ones[name] = table["negative-sampling"]
    check_agreement(sparse, args, sparse_name, dtype)
    if compiled is not None:  # computes only the scores: timed beside them, not compared
        sparse["lower bound: numba rows read + dots only"] = gather_and_dot(compiled)
        sparse["lower bound: numba rows read + dots only"](*args)  # compiled, not timed
    check_agreement(dense_ones, args, dense_name, dtype)
    floor = floor_seconds(*negative_sampling_bytes(v_c, o, negatives, U.itemsize), 2 * U.nbytes)
    dense_floor = floor + U.nbytes / copy_bandwidth(2 * U.nbytes, repetitions=5)
    print(f"  dense floor {dense_floor * 1e3:.3f} ms: + all of dJ/dU, {U.nbytes / 1e6:.1f} MB, written")
    report(
        "negative sampling, sparse dJ/dU", interleaved_times(sparse, args, repetitions), sparse_name, floor
    )
    dense_times = interleaved_times(dense_ones, args, repetitions)
    report("negative sampling, dense dJ/dU", dense_times, dense_name, dense_floor)


def bench_softmax(module, args: tuple, repetitions: int, baselines: dict) -> None:
    v_c, o, U = args
    dtype = str(U.dtype)
    softmax = {"exported": module.softmax_loss_and_gradients, "hand-written": hand_softmax}
    for name, table in baselines.items():
        if "softmax" in table:
            softmax[name] = table["softmax"]
    check_agreement(softmax, args, "exported", dtype)
    print("  naive softmax is bound by its three matrix products, not by memory traffic")
    floor = floor_seconds(*softmax_bytes(v_c, U), 2 * U.nbytes)
    report("naive softmax", interleaved_times(softmax, args, max(3, repetitions // 4)), "exported", floor)


def sweep(exported: dict, batch: int, repetitions: int) -> None:
    """The sparse form's cost over V, against the dense form's."""
    ns = exported["negative-sampling"]
    rng = np.random.default_rng(1)
    v_c = (0.1 * rng.standard_normal((batch, D))).astype(np.float32)
    print(f"\nnegative sampling over V (float32, batch {batch}, K = {K}, d = {D}): median ms per call")
    print(f"  {'V':>9s} {'sparse':>9s} {'dense':>9s}")
    for size in SWEEP:
        U = rng.random((size, D), dtype=np.float32)
        o, negatives = rng.integers(0, size, batch), rng.integers(0, size, (batch, K))
        functions = {
            "sparse": ns.negative_sampling_loss_and_gradients_sparse,
            "dense": ns.negative_sampling_loss_and_gradients,
        }
        medians = interleaved(functions, (v_c, o, U, negatives), repetitions)
        print(f"  {size:9d} {medians['sparse'] * 1e3:9.3f} {medians['dense'] * 1e3:9.3f}")
        del U
    print("  (dense: np.zeros maps zero pages lazily, so the untouched rows of dJ/dU cost little here;")
    print("   they are paid for when the caller reads or updates the whole of it)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dtype", choices=("float32", "float64"), help="only this dtype (default: both)")
    parser.add_argument("--batch", type=int, default=256, help="examples per call (default: 256)")
    parser.add_argument(
        "--loss", choices=("negative-sampling", "softmax"), help="only this loss (default: both)"
    )
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--sweep", action="store_true", help="also time the sparse form over V")
    parser.add_argument(
        "--clock", choices=tuple(CLOCKS), default="wall", help="wall clock (default) or process CPU time"
    )
    args = parser.parse_args()
    global clock
    clock = CLOCKS[args.clock]
    repetitions = 7 if args.quick else 25
    print(f"NumPy {np.__version__}; medians of {repetitions} interleaved repetitions, {args.clock} clock")
    with tempfile.TemporaryDirectory() as directory:
        exported = {loss: load_exported(loss, Path(directory)) for loss in ("negative-sampling", "softmax")}
        compiled = numba_module(Path(directory))
    torch_fns = torch_functions()
    for dtype in (args.dtype,) if args.dtype else ("float32", "float64"):
        baselines = {"PyTorch autograd, CPU": torch_fns, "jax.jit(jax.value_and_grad)": jax_functions(dtype)}
        losses = (args.loss,) if args.loss else ("negative-sampling", "softmax")
        bench_dtype(dtype, args.batch, repetitions, exported, baselines, losses, compiled)
    if args.sweep:
        sweep(exported, args.batch, repetitions)
    return 0


if __name__ == "__main__":
    sys.exit(main())
