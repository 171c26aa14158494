"""Shared fixtures: one small set of real Pythia events per test session."""

from __future__ import annotations

import pytest

from training.stream.cards import builtin_card
from training.stream.generator import generate_many

SMALL_COUNTS = {"Z_ll": 300, "W_lnu": 300, "ttbar": 150, "A_4l_m50": 150}


@pytest.fixture(scope="session")
def small_events():
    """Real Pythia events, few per process, generated once (in-process, one shard each)."""
    names = list(SMALL_COUNTS)
    samples = generate_many(
        [(builtin_card(n), SMALL_COUNTS[n]) for n in names], seed=11, shard_events=1000, workers=1,
        show_progress=False,
    )  # fmt: skip
    return dict(zip(names, samples, strict=True))
