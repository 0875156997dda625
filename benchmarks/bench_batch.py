"""Time a class's batch: 200 claims through `symw2v check --batch --jobs N`, whole process.

Usage: python benchmarks/bench_batch.py [--jobs 2] [--claims 200]
Prints the wall time of the whole command (start-up, derivations, every claim) and the
verdict counts. A measurement, not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import collections
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# (loss, wrt, claim): true forms, classic mistakes and shape errors, as a class would hand in
CLAIMS = [
    ("negative-sampling", "v_c", "-(1 - sigma(u_o^T v_c)) u_o + sum_k (1 - sigma(-u_k^T v_c)) u_k"),
    (
        "negative-sampling",
        "v_c",
        r"-\sigma(-\mathbf{u}_o^\top \mathbf{v}_c)\mathbf{u}_o"
        r" + \sum_{k=1}^{K} \sigma(\mathbf{u}_k^\top \mathbf{v}_c) \mathbf{u}_k",
    ),
    ("negative-sampling", "v_c", "-u_o^T (1 - sigma(u_o^T v_c)) - sum_k u_k^T (1 - sigma(u_k^T v_c))"),
    ("negative-sampling", "v_c", "-(1 - sigma(u_o^T v_c)) u_o - sum_k sigma(u_k^T v_c) u_k"),
    ("negative-sampling", "u_o", "(sigma(u_o^T v_c) - 1) v_c"),
    ("negative-sampling", "u_o", r"(\sigma(u_o^T v_c) - 1) v_c^T"),
    ("negative-sampling", "u_o", "(1 - sigma(u_o^T v_c)) v_c"),
    ("negative-sampling", "u_o", "(sigma(u_o v_c) - 1) v_c"),
    ("negative-sampling", "u_k", "(1 - sigma(-u_k^T v_c)) v_c"),
    ("negative-sampling", "u_k", r"\sigma(-u_k^T v_c) \, v_c"),
    ("softmax", "v_c", "U (yhat - y)"),
    ("softmax", "v_c", r"\sum_{w=1}^{V} \hat{y}_w u_w - u_o"),
    ("softmax", "v_c", "U (y - yhat)"),
    ("softmax", "z", "yhat - y"),
    ("softmax", "z", "y - yhat"),
    ("softmax", "u_w", "(yhat_w - y_w) v_c"),
    ("softmax", "u_w", "yhat_w v_c"),
    ("softmax", "U", "v_c (yhat - y)^T"),
    ("softmax", "U", "(yhat - y) v_c"),
    ("softmax", "u_k", r"(\hat{y} - y)_k \boldsymbol{v}_c"),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--claims", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        batch = Path(folder) / "class.jsonl"
        lines = []
        for i in range(args.claims):
            loss, wrt, claim = CLAIMS[i % len(CLAIMS)]
            lines.append(json.dumps({"id": f"student-{i:03d}", "loss": loss, "wrt": wrt, "claim": claim}))
        batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
        command = [sys.executable, "-m", "symw2v", "check", "--batch", str(batch), "--jobs", str(args.jobs)]
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True)
        seconds = time.perf_counter() - started
    results = [json.loads(line) for line in done.stdout.splitlines()]
    counts = collections.Counter(r["verdict"] for r in results)
    each = seconds / len(results) * 1000
    print(f"{len(results)} claims, --jobs {args.jobs}: {seconds:.1f} s wall ({each:.0f} ms a claim)")
    print("verdicts:", ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
