"""Shared fixtures: the built-in losses and the default instance."""

from __future__ import annotations

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
