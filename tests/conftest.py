"""Shared fixtures: the built-in losses and the default instance."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from symw2v.world.instance import Instance
from symw2v.world.losses import named_loss

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def softmax():
    return named_loss("softmax")


@pytest.fixture(scope="session")
def negative_sampling():
    return named_loss("negative-sampling")


@pytest.fixture(scope="session")
def instance():
    return Instance()


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def shipped_run(tmp_path_factory) -> dict:
    """``symw2v prove`` on the shipped derivations, run once for the whole session (once per
    pytest-xdist process that asks for it), in this process: its reports folder (``out``), its
    results (``results``, {derivation name: DerivationResult}), its exit code (``code``) and
    what it wrote to standard error (``stderr``, the progress per claim)."""
    from symw2v.cli import main
    from symw2v.commands import prove

    out = tmp_path_factory.mktemp("reports")
    results = {}
    original = prove.prove_derivation

    def recording(derivation, **options):
        results[derivation.name] = original(derivation, **options)
        return results[derivation.name]

    stderr = io.StringIO()
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stderr(stderr):
        patch.chdir(ROOT)
        patch.setattr(prove, "prove_derivation", recording)
        code = main(["prove", "--out", str(out)])
    return {"out": out, "results": results, "code": code, "stderr": stderr.getvalue()}


@pytest.fixture(scope="session")
def shipped(shipped_run):
    """``(reports folder, {derivation name: DerivationResult})`` of the session's one
    ``symw2v prove`` run (``shipped_run``); it exited 0."""
    assert shipped_run["code"] == 0, shipped_run["stderr"][-4000:]
    return shipped_run["out"], shipped_run["results"]


@pytest.fixture(scope="session")
def shipped_by_id(shipped) -> dict:
    """Every claim of the shipped softmax and negative-sampling derivations, by its id."""
    _, results = shipped
    return {r.id: r for name in ("softmax", "negative_sampling") for r in results[name].results}


@pytest.fixture(scope="session")
def shipped_in_a_process(tmp_path_factory):
    """``python -m symw2v prove`` in a process of its own, with another hash seed than this
    one's: ``(CompletedProcess, reports folder)``.  A second whole run of every derivation
    (tens of seconds): only for when the environment fixes the hash seed (see
    test_shipped_derivations.py's hash-seed test)."""
    out = tmp_path_factory.mktemp("reports-process")
    env = {**os.environ, "PYTHONHASHSEED": "1" if os.environ.get("PYTHONHASHSEED") != "1" else "2"}
    done = subprocess.run(
        [sys.executable, "-m", "symw2v", "prove", "--out", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return done, out
