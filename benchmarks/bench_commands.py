"""Whole commands against `symw2v --version`, and a wrong claim against a true one at a large size.

Usage: python benchmarks/bench_commands.py [--repeat 3] [--only NAME ...]
Each command runs as a process; the figure is its CPU time (user + system, the process and its
workers), the best of ``--repeat`` runs, with the wall time beside it.  CPU time is what the
time limits count, and on a shared machine it is the figure that stays put.  The runs are
interleaved (one of each command per round), so that a change in the machine's load falls on
every command alike; ratios are taken in one run.  ``--only`` measures the commands named (a
ratio is printed when both of its commands are measured).  A measurement, not a test: nothing
here asserts a time.
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


def measure(arguments: list[str]) -> tuple[float, float, str]:
    """CPU seconds and wall seconds of one run of the command, and its first line of output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([*SYMW2V, *arguments], capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    output = done.stdout or done.stderr
    return cpu, wall, output.splitlines()[0] if output else ""


RATIOS = (
    ("one true claim", "version", 2),
    ("reference document", "version", 3),
    ("wrong, V=200 d=20", "true, V=200 d=20", 3),
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", action="append", choices=list(COMMANDS), metavar="NAME")
    args = parser.parse_args()
    names = [name for name in COMMANDS if not args.only or name in args.only]
    best = {name: (float("inf"), float("inf"), "") for name in names}
    for _ in range(args.repeat):
        for name in names:
            cpu, wall, first = measure(COMMANDS[name])
            best[name] = (min(best[name][0], cpu), min(best[name][1], wall), first)
    for name in names:
        cpu, wall, first = best[name]
        print(f"{name:<20} {cpu:6.2f} s CPU {wall:6.2f} s wall   {first[:70]}")
    for name, against, target in RATIOS:
        if name in best and against in best:
            ratio = best[name][0] / best[against][0]
            shown = "--version" if against == "version" else against
            print(f"{name} / {shown}: {ratio:.2f}x (target ≤ {target})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
