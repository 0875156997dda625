"""The same input gives the same bytes in every report format, whatever the hash seed: nothing
in the output may depend on the iteration order of a set or a dict of strings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SEEDS = (1, 2)
WRONG = "-u_o^T (1 - sigma(u_o^T v_c)) - sum_k u_k^T (1 - sigma(u_k^T v_c))"


def _run(args: list[str], seed: int, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    return subprocess.run(
        [sys.executable, "-m", "symw2v", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        timeout=300,
    )


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _without_seconds(value):
    """JSON with every ``seconds`` field removed (the one thing that may vary)."""
    if isinstance(value, dict):
        return {k: _without_seconds(v) for k, v in value.items() if k != "seconds"}
    if isinstance(value, list):
        return [_without_seconds(v) for v in value]
    return value


def test_prove_writes_the_same_bytes_under_every_hash_seed(tmp_path, root):
    runs = []
    for seed in SEEDS:
        out = tmp_path / f"seed-{seed}"
        done = _run(["prove", "--out", str(out)], seed, root)
        assert done.returncode == 0, done.stderr.decode()
        runs.append(_files(out))
    first, second = runs
    assert sorted(first) == sorted(second) and {Path(name).suffix for name in first} == {
        ".md",
        ".html",
        ".json",
    }
    different = [name for name in first if first[name] != second[name]]
    assert not different, f"differ between PYTHONHASHSEED=1 and 2: {different}"


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_check_of_a_refuted_claim_is_the_same_under_every_hash_seed(fmt, root):
    args = ["check", "--loss", "negative-sampling", "--wrt", "v_c", "--format", fmt, "--", WRONG]
    outputs = []
    for seed in SEEDS:
        done = _run(args, seed, root)
        assert done.returncode == 1, done.stderr.decode()
        outputs.append(done.stdout)
    if fmt == "json":
        outputs = [_without_seconds(json.loads(output)) for output in outputs]
        assert outputs[0]["verdict"] == "refuted"
    assert outputs[0] == outputs[1]


def test_check_of_a_document_and_its_report_are_the_same_under_every_hash_seed(tmp_path, root):
    outputs, reports = [], []
    for seed in SEEDS:
        report = tmp_path / f"seed-{seed}.html"
        args = ["check", "examples/reference_derivation.md", "--json", "--report", str(report)]
        done = _run(args, seed, root)
        assert done.returncode == 1, done.stderr.decode()
        outputs.append(_without_seconds(json.loads(done.stdout)))
        reports.append(report.read_bytes())
    assert outputs[0] == outputs[1]
    assert reports[0] == reports[1]
