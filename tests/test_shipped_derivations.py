"""The shipped derivations, proved once for the whole suite (``conftest.shipped_run``, in this
process): the verdicts the seed calls for, their certificates, the reports written, committed
and current, and the same bytes under every hash seed.  Every test that reads those proofs is
here, so that the suite's processes (a test file each at a time) make them once."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest


@pytest.mark.parametrize(
    ("claim_id", "verdict"),
    [
        ("eq5", "proved"),
        ("eq7", "proved"),
        ("eq7-columns", "ill-typed"),
        ("eq11", "proved"),
        ("eq13-first-line", "refuted"),
        ("eq13", "refuted"),
        ("eq13-corrected", "proved"),
        ("eq14", "proved"),
        ("eq15", "proved"),
    ],
)
def test_seed_verdicts(shipped_by_id, claim_id, verdict):
    result = shipped_by_id[claim_id]
    assert result.verdict.value == verdict
    assert result.as_expected


def test_eq13_residual_is_minus_the_sum_of_the_negatives(shipped_by_id):
    for claim_id in ("eq13", "eq13-first-line"):
        result = shipped_by_id[claim_id]
        assert result.residual == "(-Σ_k u_k)ᵀ"
        assert result.counterexample is not None
        assert "transcendental" in result.counterexample.certificate


def test_eq7_reports_its_reading(shipped_by_id):
    assert (shipped_by_id["eq7"].U, shipped_by_id["eq7"].y, shipped_by_id["eq7"].layout) == (
        "rows",
        "row",
        "numerator",
    )
    assert "U rows" in shipped_by_id["eq7-columns"].message


def test_every_true_seed_claim_gets_the_all_sizes_certificate(shipped_by_id):
    for claim in shipped_by_id.values():
        if claim.expected == "proved":
            assert claim.certificate_argument, claim.id
            assert claim.certificate.startswith("holds for every d ≥ 1")


@pytest.fixture(scope="module")
def regenerated(shipped):
    return shipped[0]


def test_committed_reports_are_current(root, regenerated):
    committed = sorted(p.name for p in (root / "reports").iterdir())
    fresh = sorted(p.name for p in regenerated.iterdir())
    assert committed == fresh
    for name in fresh:
        assert (root / "reports" / name).read_bytes() == (regenerated / name).read_bytes(), (
            f"reports/{name} is stale: run `symw2v prove`"
        )


def test_html_math_is_mathml_and_no_latex_is_left(regenerated):
    for path in regenerated.glob("*.html"):
        html = path.read_text(encoding="utf-8")
        assert "<math" in html
        assert "<script" not in html and "http" not in html.replace("http://www.w3.org/1998/Math/MathML", "")
        outside_math = re.sub(r"<math.*?</math>", "", html, flags=re.S)
        assert not re.search(r"\\[a-zA-Z]+", outside_math), "raw LaTeX outside MathML"


def test_json_report_lists_every_claim(regenerated):
    data = json.loads((regenerated / "negative_sampling.json").read_text(encoding="utf-8"))
    ids = [c["id"] for c in data["claims"]]
    assert ids == ["eq13-first-line", "eq13", "eq13-corrected", "eq14", "eq15"]
    assert all(c["seconds"] is None for c in data["claims"])  # no wall-clock time by default
    assert data["as_expected"] is True


def test_prove_writes_reports_and_exits_0(root, shipped_run):
    assert shipped_run["code"] == 0, shipped_run["stderr"][-4000:]
    shipped = sorted(p.stem for p in (root / "derivations").glob("*.toml"))
    assert sorted(p.name for p in shipped_run["out"].iterdir()) == sorted(
        f"{name}.{suffix}" for name in shipped for suffix in ("html", "json", "md")
    )
    assert {"negative_sampling", "softmax"} <= set(shipped)
    assert "eq13" in shipped_run["stderr"] and "refuted" in shipped_run["stderr"]  # progress per claim


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_prove_writes_the_same_bytes_under_every_hash_seed(root, shipped, request):
    # this process's run, under its own hash seed, against the committed reports: `symw2v prove`
    # wrote them in another process, under another seed (each process draws its own unless
    # PYTHONHASHSEED fixes it), so a second whole run of every derivation is not needed.  Where
    # the environment fixes the seed, the committed reports may share it: then the run is compared
    # with one in a process of its own under another seed (conftest.shipped_in_a_process).
    if os.environ.get("PYTHONHASHSEED", "random") != "random":
        done, folder = request.getfixturevalue("shipped_in_a_process")
        assert done.returncode == 0, done.stderr
        other, where = folder, "a run in a process with another hash seed"
    else:
        other, where = root / "reports", "the committed reports (written under another hash seed)"
    first, second = _files(shipped[0]), _files(other)
    assert sorted(first) == sorted(second) and {Path(name).suffix for name in first} == {
        ".md",
        ".html",
        ".json",
    }
    different = [name for name in first if first[name] != second[name]]
    assert not different, (
        f"differ from {where}: {different} (if they still differ after `symw2v prove` rewrote "
        "reports/, the output depends on the hash seed)"
    )
