"""Prover benchmark: symw2v against diff-then-simplify, a scaling table, and certificate times.

Usage: python benchmarks/bench_prover.py [--quick]

1. Whole process, the softmax ∂J/∂v_c claim at V = 20, d = 5: `symw2v check` against the
   obvious script (sympy.diff, then simplify(gradient - claim) == 0), as subprocesses, best of 3.
2. Scaling over V ∈ {5, 20, 50, 200, 1000} and d ∈ {3, 8, 50}: `check_claim` as it runs (the
   all-sizes certificate proves a large instance), and the instance decision procedure alone
   (components, exp atoms, cancel), each cell in a subprocess with a time limit.
3. The all-sizes certificate of every true claim of the reference derivation.
A measurement, not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

CLAIM = "U (yhat - y)"

SIMPLIFY_SCRIPT = """
import sympy
V, d, o = {V}, {d}, 1
U = sympy.Matrix(V, d, lambda w, i: sympy.Symbol(f"u{{w}}_{{i}}", real=True))
v = sympy.Matrix(d, 1, lambda i, _: sympy.Symbol(f"v{{i}}", real=True))
z = U * v
J = -sympy.log(sympy.exp(z[o]) / sum(sympy.exp(z[w]) for w in range(V)))
gradient = sympy.Matrix([sympy.diff(J, s) for s in v])
yhat = sympy.Matrix([sympy.exp(z[w]) / sum(sympy.exp(z[j]) for j in range(V)) for w in range(V)])
y = sympy.Matrix([1 if w == o else 0 for w in range(V)])
claim = U.T * (yhat - y)
assert all(sympy.simplify(e) == 0 for e in gradient - claim)
"""

CELL_SCRIPT = """
import time, symw2v.claim as check
from symw2v.world.instance import Instance
from symw2v.world.losses import named_loss
if {force}:
    check.LARGE = 10**9
started = time.perf_counter()
instance = Instance(V={V}, d={d}, K=1, o=1)
r = check.check_claim({claim!r}, named_loss("softmax"), "v_c", instance, with_hints=False)
print(r.verdict.value, round(time.perf_counter() - started, 3))
"""


def _run(code: str, timeout: float) -> tuple[float | None, str]:
    started = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, "timeout"
    return time.perf_counter() - started, done.stdout.strip() or done.stderr.strip()[-200:]


def _best(code: str, timeout: float, repeat: int) -> float | None:
    times = [_run(code, timeout)[0] for _ in range(repeat)]
    return None if None in times else min(times)


def versus_simplify(repeat: int) -> None:
    V, d = 20, 5
    ours = _best(
        f"from symw2v.cli import main; main(['check', '--loss', 'softmax', '--wrt', 'v_c', '--V', '{V}', "
        f"'--d', '{d}', '--sweep', 'none', {CLAIM!r}])",
        300,
        repeat,
    )
    theirs = _best(SIMPLIFY_SCRIPT.format(V=V, d=d), 600, 1)
    print(f"1. V = {V}, d = {d}, whole process: symw2v check {ours:.2f} s, diff-then-simplify ", end="")
    print(f"{theirs:.2f} s: ratio {theirs / ours:.1f}x" if theirs else "did not finish in 600 s")


def scaling(limit: float, sizes) -> None:
    print(f"2. scaling, softmax ∂J/∂v_c = {CLAIM}, seconds inside the process (limit {limit:g} s a cell)")
    print("   V     d   as it runs (certificate where large)   instance decision procedure alone")
    for V in sizes["V"]:
        for d in sizes["d"]:
            cells = []
            for force in (False, True):
                seconds, out = _run(CELL_SCRIPT.format(force=force, claim=CLAIM, V=V, d=d), limit)
                cells.append(out if seconds is not None else f"> {limit:g} s")
            print(f"   {V:<5} {d:<3} {cells[0]:<40} {cells[1]}")


def certificates() -> None:
    from symw2v.certify import certify
    from symw2v.derivation import load_derivation
    from symw2v.instantiate import resolve_sums
    from symw2v.parse import parse_claim
    from symw2v.shapes import infer_reading

    print("3. all-sizes certificates of the reference derivation's true claims")
    for name in ("softmax", "negative_sampling"):
        derivation = load_derivation(f"derivations/{name}.toml")
        for spec in derivation.claims:
            if spec.expect != "proved":
                continue
            node = resolve_sums(parse_claim(spec.claim), derivation.loss)
            reading = infer_reading(node, spec.conventions.U, spec.conventions.y).reading
            started = time.perf_counter()
            certificate = certify(node, derivation.loss, spec.wrt, reading)
            seconds = time.perf_counter() - started
            print(f"   {spec.id:<16} {seconds * 1000:6.0f} ms  {'holds' if certificate.holds else 'none'}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smaller table and one repetition")
    args = parser.parse_args()
    versus_simplify(1 if args.quick else 3)
    sizes = {"V": (5, 20, 50), "d": (3, 8)} if args.quick else {"V": (5, 20, 50, 200, 1000), "d": (3, 8, 50)}
    scaling(30 if args.quick else 60, sizes)
    certificates()
    return 0


if __name__ == "__main__":
    sys.exit(main())
