"""The plain L1 triggers on hand-made events in the public layout."""

from __future__ import annotations

import numpy as np
import pytest

from adtrigger.training.plain_triggers import (
    PLAIN_TRIGGERS,
    leading_lepton_pt,
    met,
    plain_trigger_scores,
    scalar_sum_pt,
)


def _event(met_pt=0.0, egamma=(), muons=(), jets=()) -> np.ndarray:
    """One (19, 3) event: pTs in their rows, eta and phi made up (they must not matter)."""
    ev = np.zeros((19, 3), np.float32)
    ev[0] = (met_pt, 0.0, 1.0)
    for rows, pts in ((range(1, 5), egamma), (range(5, 9), muons), (range(9, 19), jets)):
        for row, pt in zip(rows, pts, strict=False):
            ev[row] = (pt, 0.3 * row - 2.0, -0.2 * row + 1.5)
    return ev


def test_met_is_input_zero():
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 100, (50, 57)).astype(np.float32)
    assert np.array_equal(met(x), x[:, 0].astype(np.float64))
    assert np.array_equal(met(x.reshape(50, 19, 3)), met(x))  # either layout


def test_scalar_sum_and_leading_lepton_of_hand_made_events():
    events = np.stack([
        _event(40.0, egamma=[30.0, 12.0], muons=[25.0], jets=[100.0, 50.0, 20.0]),
        _event(5.0, muons=[60.0, 8.0], jets=[35.0]),
        _event(120.0, jets=[300.0, 200.0]),  # no lepton
    ]).reshape(3, 57)  # fmt: skip
    assert scalar_sum_pt(events) == pytest.approx([40 + 30 + 12 + 25 + 100 + 50 + 20, 5 + 60 + 8 + 35, 620])
    assert leading_lepton_pt(events) == pytest.approx([30.0, 60.0, 0.0])
    scores = plain_trigger_scores(events)
    assert list(scores) == ["MET", "S_T", "leading lepton pT"] == list(PLAIN_TRIGGERS)
    assert scores["MET"] == pytest.approx([40.0, 5.0, 120.0])


def test_leading_lepton_does_not_rely_on_the_order():
    ev = _event(egamma=[10.0, 45.0], muons=[3.0, 20.0]).reshape(1, 57)
    assert leading_lepton_pt(ev) == pytest.approx([45.0])


def test_wrong_shape_is_refused():
    with pytest.raises(ValueError, match="57"):
        met(np.zeros((4, 56)))
