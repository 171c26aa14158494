"""Weighted ROC and operating points against analytic answers."""

from __future__ import annotations

import math

import numpy as np
import pytest

from adtrigger.training.metrics import (
    auc,
    effective_count,
    fpr_for_events_per_day,
    min_resolved_fpr,
    operating_point,
    roc_curve,
    sigma_for_events,
    threshold_at_fpr,
)


def _phi(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def test_auc_and_tpr_match_gaussians():
    rng = np.random.default_rng(0)
    sm, sig = rng.normal(0, 1, 400_000), rng.normal(1.5, 1, 100_000)
    fpr, tpr, _ = roc_curve(sm, None, sig)
    assert auc(fpr, tpr) == pytest.approx(_phi(1.5 / math.sqrt(2)), abs=3e-3)
    op = operating_point(sm, None, sig, None, 1e-3)
    # threshold at the 1e-3 upper quantile of N(0,1) = 3.090; TPR = 1 - Phi(3.090 - 1.5)
    assert op.threshold == pytest.approx(3.090, abs=0.05)
    assert op.tpr == pytest.approx(1 - _phi(3.090 - 1.5), abs=0.01)
    assert op.fpr <= 1e-3 and op.resolved


def test_weights_count_like_repeated_events():
    rng = np.random.default_rng(1)
    sm = rng.normal(0, 1, 5000)
    w = rng.integers(1, 4, 5000).astype(float)
    repeated = np.repeat(sm, w.astype(int))
    assert threshold_at_fpr(sm, w, 0.01) == threshold_at_fpr(repeated, None, 0.01)
    assert effective_count(np.ones(10)) == 10 and effective_count(np.r_[1.0, 0, 0]) == 1


def test_unresolved_working_point_is_flagged():
    rng = np.random.default_rng(2)
    sm, sig = rng.normal(0, 1, 20_000), rng.normal(2, 1, 1000)
    assert not operating_point(sm, None, sig, None, 1e-4).resolved  # 2 expected events
    assert operating_point(sm, None, sig, None, 1e-3).resolved  # 20 expected events
    with pytest.raises(ValueError):
        threshold_at_fpr(sm, None, 0.0)


def test_resolved_boundary_is_five_effective_events():
    rng = np.random.default_rng(3)
    sm, sig = rng.normal(0, 1, 10_000), rng.normal(2, 1, 1000)
    w = np.r_[np.ones(5000), 3 * np.ones(5000)]  # 8000 effective events
    assert min_resolved_fpr(w) == pytest.approx(5 / 8000)
    assert operating_point(sm, w, sig, None, 7e-4).resolved
    assert not operating_point(sm, w, sig, None, 6e-4).resolved


def test_seed004_conversions():
    # seed-004's table: A->4l efficiency 2.8e-3 at ~30 SM events/day needs 7.1 pb for 100 events a month
    assert sigma_for_events(2.8e-3) == pytest.approx(7.1, abs=0.1)
    assert fpr_for_events_per_day(30) == pytest.approx(4.8e-6, rel=0.02)
