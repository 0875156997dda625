"""Shared fixtures: the built-in losses and the default instance."""

from __future__ import annotations

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
def shipped(tmp_path_factory):
    """``symw2v prove`` on the shipped derivations, run once for the whole session, in this
    process: ``(reports folder, {derivation name: DerivationResult})``."""
    from symw2v.cli import main
    from symw2v.commands import prove

    out = tmp_path_factory.mktemp("reports")
    results = {}
    original = prove.prove_derivation

    def recording(derivation, **options):
        results[derivation.name] = original(derivation, **options)
        return results[derivation.name]

    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        patch.setattr(prove, "prove_derivation", recording)
        assert main(["prove", "--out", str(out)]) == 0
    return out, results


@pytest.fixture(scope="session")
def shipped_by_id(shipped) -> dict:
    """Every claim of the shipped softmax and negative-sampling derivations, by its id."""
    _, results = shipped
    return {r.id: r for name in ("softmax", "negative_sampling") for r in results[name].results}


@pytest.fixture(scope="session")
def shipped_in_a_process(tmp_path_factory):
    """``python -m symw2v prove`` in a process of its own, with another hash seed than this
    one's: ``(CompletedProcess, reports folder)``."""
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
