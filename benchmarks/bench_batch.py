"""Time a class's batch against its distinct forms: `symw2v check --batch`, whole process.

Usage: python benchmarks/bench_batch.py [--jobs 2] [--copies 15]
A class hands in the 20 forms below, each ``--copies`` times with small notational variations
that read as the same claim (spacing, outer parentheses).  The batch of all of them is timed
against the batch of the 20 forms alone, in one run, and the ratio printed; the results of the
copies are checked to be the results of their forms.  A measurement, not a test.
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


def variant(claim: str, copy: int) -> str:
    """The claim as the ``copy``-th student writes it: the same tree, other spacing and brackets."""
    wrapped = f"({claim})" if copy % 2 else claim
    return " " * (copy % 3) + wrapped.replace(" ", " " * (1 + copy // 6)) + " " * (copy % 5)


def run(lines: list[dict], folder: Path, name: str, jobs: int) -> tuple[float, list[dict]]:
    batch = folder / f"{name}.jsonl"
    batch.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    command = [sys.executable, "-m", "symw2v", "check", "--batch", str(batch), "--jobs", str(jobs)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    return seconds, [json.loads(line) for line in done.stdout.splitlines()]


def _evidence(result: dict) -> dict:
    return {k: v for k, v in result.items() if k not in ("id", "claim", "seconds")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--copies", type=int, default=15)
    args = parser.parse_args()
    forms = [
        {"id": f"form-{i:02d}", "loss": loss, "wrt": wrt, "claim": claim}
        for i, (loss, wrt, claim) in enumerate(CLAIMS)
    ]
    handed_in = [
        {**form, "id": f"student-{copy:02d}-{form['id']}", "claim": variant(form["claim"], copy)}
        for copy in range(args.copies)
        for form in forms
    ]
    with tempfile.TemporaryDirectory() as folder:
        alone, by_form = run(forms, Path(folder), "forms", args.jobs)
        whole, results = run(handed_in, Path(folder), "class", args.jobs)
    expected = {r["id"]: _evidence(r) for r in by_form}
    wrong = [
        r["id"]
        for r, line in zip(results, handed_in, strict=True)
        if _evidence(r) != expected[line["id"].split("-", 2)[2]]
    ]
    counts = collections.Counter(r["verdict"] for r in results)
    print(f"{len(forms)} distinct forms: {alone:.1f} s; the class's {len(results)} lines: {whole:.1f} s")
    print(f"ratio: {whole / alone:.2f}x (--jobs {args.jobs})")
    print("verdicts:", ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    print(
        "every copy has its form's result"
        if not wrong
        else f"{len(wrong)} copies differ from their form: {wrong[:5]}"
    )
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
