"""The same input gives the same bytes in every report format, whatever the hash seed: nothing
in the output may depend on the iteration order of a set or a dict of strings."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from symw2v.cli import main

SEEDS = (1,)  # and this process's own, random unless PYTHONHASHSEED is set
WRONG = "-u_o^T (1 - sigma(u_o^T v_c)) - sum_k u_k^T (1 - sigma(u_k^T v_c))"


# one process, under another hash seed, runs every command the tests compare (one start of the
# interpreter, not one each): it prints each command's exit code and standard output
DRIVER = """
import base64, io, json, sys
from symw2v.cli import main
results = []
for args in json.loads(sys.argv[1]):
    sys.stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    code = main(args)
    sys.stdout.flush()
    results.append((code, base64.b64encode(sys.stdout.buffer.getvalue()).decode()))
sys.stdout = sys.__stdout__
print(json.dumps(results))
"""
WRONG_CLAIM = ["check", "--loss", "negative-sampling", "--wrt", "v_c", "--", WRONG]
COMMANDS = {
    "text": WRONG_CLAIM[:5] + ["--format", "text"] + WRONG_CLAIM[5:],
    "json": WRONG_CLAIM[:5] + ["--format", "json"] + WRONG_CLAIM[5:],
    "document": ["check", "examples/reference_derivation.md", "--json", "--report", "{report}"],
}


@pytest.fixture(scope="module")
def in_a_process(root, tmp_path_factory) -> dict[str, tuple[int, bytes, Path]]:
    """Every command of ``COMMANDS`` run in one process with hash seed ``SEEDS[0]``:
    ``{name: (exit code, standard output, the --report path)}``."""
    folder = tmp_path_factory.mktemp("process")
    reports = {name: folder / f"{name}.html" for name in COMMANDS}
    commands = [[arg.format(report=reports[name]) for arg in args] for name, args in COMMANDS.items()]
    env = {**os.environ, "PYTHONHASHSEED": str(SEEDS[0])}
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, json.dumps(commands)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    results = json.loads(done.stdout)
    return {
        name: (code, base64.b64decode(out), reports[name])
        for name, (code, out) in zip(COMMANDS, results, strict=True)
    }


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
def test_check_of_a_refuted_claim_is_the_same_under_every_hash_seed(fmt, in_a_process, capsys):
    code, stdout, _ = in_a_process[fmt]
    assert code == 1
    outputs = [stdout, _here(COMMANDS[fmt], capsys)[1]]
    if fmt == "json":
        outputs = [_without_seconds(json.loads(output)) for output in outputs]
        assert outputs[0]["verdict"] == "refuted"
    assert outputs[0] == outputs[1]


def test_check_of_a_document_and_its_report_are_the_same_under_every_hash_seed(
    tmp_path, root, in_a_process, capsys
):
    code, stdout, report = in_a_process["document"]
    assert code == 1
    outputs, reports = [_without_seconds(json.loads(stdout))], [report.read_bytes()]
    here = tmp_path / "here.html"
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        code, stdout = _here([arg.format(report=here) for arg in COMMANDS["document"]], capsys)
    assert code == 1
    outputs.append(_without_seconds(json.loads(stdout)))
    reports.append(here.read_bytes())
    assert outputs[0] == outputs[1]
    assert reports[0] == reports[1]
