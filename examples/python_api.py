"""symw2v from Python, as a notebook would use it (each result also shows its report there).

Run it: python examples/python_api.py
"""

from __future__ import annotations

from pathlib import Path

import symw2v

HERE = Path(__file__).resolve().parent


def main() -> int:
    # one claim, under the conventions of a course (U is d×V with columns u_w there)
    result = symw2v.check(r"U(\hat{y} - y)", loss="softmax", wrt="v_c", profile="cs224n")
    print(f"∂J/∂v_c = U(ŷ − y): {result.verdict.value} ({result.method})")

    # a wrong one: the verdict comes with a counterexample and a hint
    wrong = symw2v.check("(1 - sigma(u_o^T v_c)) v_c", loss="negative-sampling", wrt="u_o", sweep=False)
    print(f"∂J/∂u_o = (1 − σ(u_oᵀv_c)) v_c: {wrong.verdict.value}; hint: {wrong.hint}")

    # a whole homework document
    document = symw2v.check_document(HERE / "homework_cs224n.md", profile="cs224n")
    for claim in document.claims:
        print(f"  {claim.id:<12} ∂J/∂{claim.wrt:<4} {claim.verdict.value}")

    # verified gradients as a NumPy module
    source = symw2v.export("negative-sampling")
    print(f"exported {len(source.splitlines())} lines of NumPy for negative sampling")

    # in Jupyter, `result` alone in a cell shows this report (and _repr_html_ the HTML one)
    print(result._repr_markdown_().splitlines()[0])
    return 0 if result.verdict is symw2v.Verdict.PROVED and wrong.verdict is symw2v.Verdict.REFUTED else 1


if __name__ == "__main__":
    raise SystemExit(main())
