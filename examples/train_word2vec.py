"""Train skip-gram word2vec with negative sampling, using the gradients symw2v exported.

    python examples/train_word2vec.py                  # a few seconds on one core
    python examples/train_word2vec.py --steps 300 --no-plot
    python examples/train_word2vec.py --module w2v_ns.py   # a module from `symw2v export`

Without ``--module`` the script exports the negative-sampling module itself (the closed forms
are proved first, which takes a few seconds).  It reads ``examples/corpus.txt`` (a few hundred
simple sentences), trains centre vectors V_centre and outside vectors U with
``negative_sampling_loss_and_gradients_sparse`` and ``sgd_step``, prints the mean loss every
``--every`` steps, says whether the loss went down, prints the nearest neighbours of a few
words and plots the loss curve (matplotlib, ``pip install -e '.[examples]'``; skipped with a
note where it is missing, or with ``--no-plot``).  The seed is fixed: the same run prints the
same numbers.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

CORPUS = Path(__file__).with_name("corpus.txt")
PROBES = ("king", "cat", "monday", "red", "apple")


@dataclass(frozen=True)
class Corpus:
    """The corpus as word indices: the vocabulary (most frequent first) and the pairs."""

    words: tuple[str, ...]
    counts: np.ndarray
    centres: np.ndarray
    outsides: np.ndarray


@dataclass(frozen=True)
class Trained:
    """What training left: the loss of each step (mean over the batch) and the vectors."""

    losses: np.ndarray
    V_centre: np.ndarray
    U: np.ndarray


def read_corpus(text: str, window: int = 2) -> Corpus:
    """Skip-gram pairs (centre, outside) within ``window`` words, inside each sentence."""
    sentences = [re.findall(r"[a-z]+", line.lower()) for line in text.split(".")]
    sentences = [s for s in sentences if len(s) > 1]
    frequency = Counter(word for sentence in sentences for word in sentence)
    words = tuple(sorted(frequency, key=lambda w: (-frequency[w], w)))  # ties: alphabetical
    index = {word: i for i, word in enumerate(words)}
    pairs = [
        (index[sentence[i]], index[sentence[j]])
        for sentence in sentences
        for i in range(len(sentence))
        for j in range(max(0, i - window), min(len(sentence), i + window + 1))
        if i != j
    ]
    centres, outsides = np.array(pairs).T
    return Corpus(words, np.array([frequency[w] for w in words]), centres, outsides)


def train(
    module,
    corpus: Corpus,
    steps: int,
    dim: int = 24,
    batch: int = 64,
    negatives: int = 5,
    lr: float = 0.1,
    seed: int = 0,
) -> Trained:
    """SGD on the skip-gram negative-sampling loss with the exported gradients.

    Negatives are drawn from the unigram distribution to the power 3/4, as in word2vec.
    """
    rng = np.random.default_rng(seed)
    vocabulary = len(corpus.words)
    V_centre = (rng.random((vocabulary, dim)) - 0.5) / dim
    U = np.zeros((vocabulary, dim))  # word2vec's start: every score 0, the loss (K + 1) log 2
    noise = corpus.counts**0.75 / (corpus.counts**0.75).sum()
    losses = np.empty(steps)
    for step in range(steps):
        pick = rng.integers(0, len(corpus.centres), batch)
        c, o = corpus.centres[pick], corpus.outsides[pick]
        sampled = rng.choice(vocabulary, size=(batch, negatives), p=noise)
        loss, dJ_dv_c, rows, row_grads = module.negative_sampling_loss_and_gradients_sparse(
            V_centre[c], o, U, sampled
        )
        module.sgd_step(V_centre, U, c, dJ_dv_c, row_grads, lr, rows=rows)
        losses[step] = loss.mean()
    return Trained(losses, V_centre, U)


def neighbours(vectors: np.ndarray, words: tuple[str, ...], word: str, count: int = 3) -> list[str]:
    """The ``count`` words whose vectors have the largest cosine with ``word``'s."""
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    similarity = unit @ unit[words.index(word)]
    order = [i for i in np.argsort(-similarity, kind="stable") if words[i] != word]
    return [words[i] for i in order[:count]]


def load_module(path: str | None):
    """The exported module at ``path``; or, without one, exported now by symw2v."""
    if path is None:
        from symw2v.exporter import export_module

        directory = Path(tempfile.mkdtemp(prefix="symw2v_example_"))
        target = directory / "w2v_negative_sampling.py"
        target.write_text(export_module("negative-sampling"), encoding="utf-8")
        path = str(target)
    spec = importlib.util.spec_from_file_location("w2v_negative_sampling", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def plot(losses: np.ndarray, every: int, path: str) -> None:
    """The loss curve (mean of each ``every`` steps) as an image, where matplotlib is installed."""
    try:
        import matplotlib

        matplotlib.use("Agg")  # a file, no window: works headless
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed (pip install -e '.[examples]'): no plot")
        return
    window = max(1, every // 10)
    means = losses[: len(losses) // window * window].reshape(-1, window).mean(axis=1)
    figure, axes = plt.subplots(figsize=(6, 4))
    axes.plot(np.arange(1, len(means) + 1) * window, means)
    axes.set_xlabel("step")
    axes.set_ylabel(f"loss (mean of {window} steps)")
    axes.set_title("skip-gram with negative sampling, gradients by symw2v")
    figure.tight_layout()
    figure.savefig(path)
    print(f"wrote {path}")


def main(argv: list[str] | None = None) -> int:
    """Train, report, plot; 0 when the loss went down, 1 when it did not."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=2000, help="SGD steps (default: 2000)")
    parser.add_argument("--every", type=int, default=250, help="print the mean loss every N steps")
    parser.add_argument("--module", metavar="FILE", help="an exported module (default: export one now)")
    parser.add_argument("--corpus", metavar="FILE", default=str(CORPUS), help="text, sentences ending in '.'")
    parser.add_argument("--plot", metavar="FILE", default="word2vec_loss.png", help="where the curve goes")
    parser.add_argument("--no-plot", action="store_true", help="do not plot the loss curve")
    args = parser.parse_args(argv)
    if args.steps < 2 * args.every:
        parser.error("--steps must be at least twice --every, to compare the first and last losses")

    corpus = read_corpus(Path(args.corpus).read_text(encoding="utf-8"))
    print(f"{len(corpus.words)} words, {len(corpus.centres)} skip-gram pairs")
    trained = train(load_module(args.module), corpus, args.steps)
    for end in range(args.every, args.steps + 1, args.every):
        print(f"step {end:6d}  loss {trained.losses[end - args.every : end].mean():.4f}")
    first, last = trained.losses[: args.every].mean(), trained.losses[-args.every :].mean()
    went_down = last < first
    print(f"loss {'went down' if went_down else 'did NOT go down'}: {first:.4f} -> {last:.4f}")
    for word in PROBES:
        if word in corpus.words:
            print(f"nearest to {word}: {', '.join(neighbours(trained.V_centre, corpus.words, word))}")
    if not args.no_plot:
        plot(trained.losses, args.every, args.plot)
    return 0 if went_down else 1


if __name__ == "__main__":
    sys.exit(main())
