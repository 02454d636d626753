"""Shared fixtures: small deterministic test images."""
import numpy as np
import pytest


@pytest.fixture
def rng():
    return np.random.default_rng(0)


@pytest.fixture
def gray_uint8(rng):
    return rng.integers(0, 256, size=(23, 31), dtype=np.uint8)


@pytest.fixture
def color_uint8(rng):
    return rng.integers(0, 256, size=(17, 20, 3), dtype=np.uint8)
