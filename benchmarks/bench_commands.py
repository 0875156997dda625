"""Whole commands against `symw2v --version`, and a wrong claim against a true one at a large size.

Usage: python benchmarks/bench_commands.py [--repeat 3]
Each command runs as a process; the figure is its CPU time (user + system, the process and its
workers), the best of ``--repeat`` runs, with the wall time beside it.  CPU time is what the
time limits count, and on a shared machine it is the figure that stays put.  Ratios are taken
in one run.  A measurement, not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time

SYMW2V = [sys.executable, "-m", "symw2v"]
LARGE = ["--U", "rows", "--V", "200", "--d", "20"]
COMMANDS = {
    "version": ["--version"],
    "one true claim": ["check", "--loss", "softmax", "--wrt", "v_c", "--", "U (yhat - y)"],
    "reference document": ["check", "examples/reference_derivation.md"],
    "true, V=200 d=20": ["check", "--loss", "softmax", "--wrt", "v_c", *LARGE, "--", r"U^T(\hat{y} - y)"],
    "wrong, V=200 d=20": ["check", "--loss", "softmax", "--wrt", "v_c", *LARGE, "--", r"U^T(y - \hat{y})"],
}


def measure(arguments: list[str], repeat: int) -> tuple[float, float, str]:
    """Best CPU seconds and best wall seconds of the command, and its first line of output."""
    best_cpu = best_wall = float("inf")
    first = ""
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run([*SYMW2V, *arguments], capture_output=True, text=True)
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        best_cpu, best_wall = min(best_cpu, cpu), min(best_wall, wall)
        first = (done.stdout or done.stderr).splitlines()[0] if (done.stdout or done.stderr) else ""
    return best_cpu, best_wall, first


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    figures = {}
    for name, arguments in COMMANDS.items():
        figures[name] = measure(arguments, args.repeat)
        cpu, wall, first = figures[name]
        print(f"{name:<20} {cpu:6.2f} s CPU {wall:6.2f} s wall   {first[:70]}")
    version = figures["version"][0]
    print(f"one true claim / --version: {figures['one true claim'][0] / version:.2f}x (target ≤ 2)")
    print(f"reference document / --version: {figures['reference document'][0] / version:.2f}x (target ≤ 3)")
    wrong, true = figures["wrong, V=200 d=20"][0], figures["true, V=200 d=20"][0]
    print(f"wrong / true at V=200, d=20: {wrong / true:.2f}x (target ≤ 3)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
