"""The same input gives the same bytes in every report format, whatever the hash seed: nothing
in the output may depend on the iteration order of a set or a dict of strings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from symw2v.cli import main

SEEDS = (1,)  # and this process's own, random unless PYTHONHASHSEED is set
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


def _without_seconds(value):
    """JSON with every ``seconds`` field removed (the one thing that may vary)."""
    if isinstance(value, dict):
        return {k: _without_seconds(v) for k, v in value.items() if k != "seconds"}
    if isinstance(value, list):
        return [_without_seconds(v) for v in value]
    return value


def _here(args: list[str], capsys) -> tuple[int, bytes]:
    """The command run in this process (its own random hash seed): exit code and stdout."""
    code = main(args)
    return code, capsys.readouterr().out.encode()


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_check_of_a_refuted_claim_is_the_same_under_every_hash_seed(fmt, root, capsys):
    args = ["check", "--loss", "negative-sampling", "--wrt", "v_c", "--format", fmt, "--", WRONG]
    done = _run(args, SEEDS[0], root)
    assert done.returncode == 1, done.stderr.decode()
    outputs = [done.stdout, _here(args, capsys)[1]]
    if fmt == "json":
        outputs = [_without_seconds(json.loads(output)) for output in outputs]
        assert outputs[0]["verdict"] == "refuted"
    assert outputs[0] == outputs[1]


def test_check_of_a_document_and_its_report_are_the_same_under_every_hash_seed(tmp_path, root, capsys):
    outputs, reports = [], []
    for where in ("process", "here"):
        report = tmp_path / f"{where}.html"
        args = ["check", "examples/reference_derivation.md", "--json", "--report", str(report)]
        if where == "process":
            done = _run(args, SEEDS[0], root)
            code, stdout = done.returncode, done.stdout
        else:
            with pytest.MonkeyPatch.context() as patch:
                patch.chdir(root)
                code, stdout = _here(args, capsys)
        assert code == 1
        outputs.append(_without_seconds(json.loads(stdout)))
        reports.append(report.read_bytes())
    assert outputs[0] == outputs[1]
    assert reports[0] == reports[1]
