"""Weighted ROC and operating points against analytic answers."""

from __future__ import annotations

import math

import numpy as np
import pytest

from adtrigger.training.metrics import (
    auc,
    bootstrap_thresholds,
    bootstrap_tprs,
    effective_count,
    fpr_for_events_per_day,
    min_resolved_fpr,
    operating_point,
    poisson_multiplicities,
    roc_curve,
    sigma_for_events,
    threshold_at_fpr,
    tpr_bands,
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


FPRS = [1e-5, 1e-4, 1e-3]


def test_bootstrap_resample_is_the_weighted_point_estimate_of_the_resampled_events():
    rng = np.random.default_rng(4)
    sm, w, sig = rng.normal(0, 1, 30_000), rng.uniform(0.5, 1.5, 30_000), rng.normal(2, 1, 3000)
    ones = np.ones((2, len(sm)), np.uint8)
    t = bootstrap_thresholds(sm, w, FPRS, ones)
    assert t[0].tolist() == [threshold_at_fpr(sm, w, f) for f in FPRS]
    tpr = bootstrap_tprs(sig, None, t, np.ones((2, len(sig)), np.uint8))
    assert tpr[0].tolist() == [operating_point(sm, w, sig, None, f).tpr for f in FPRS]
    # a Poisson resample (zeros included) is the same as repeating each event that many times
    m_sm, m_sig = poisson_multiplicities(len(sm), 1, 7), poisson_multiplicities(len(sig), 1, 8)
    rep_sm, rep_w, rep_sig = np.repeat(sm, m_sm[0]), np.repeat(w, m_sm[0]), np.repeat(sig, m_sig[0])
    t = bootstrap_thresholds(sm, w, FPRS, m_sm)
    assert t[0].tolist() == [threshold_at_fpr(rep_sm, rep_w, f) for f in FPRS]
    got = bootstrap_tprs(sig, None, t, m_sig)[0]
    want = [operating_point(rep_sm, rep_w, rep_sig, None, f).tpr for f in FPRS]
    assert got == pytest.approx(want, rel=1e-12)


def test_bootstrap_band_contains_the_point_shrinks_with_events_and_is_seeded():
    rng = np.random.default_rng(5)

    def sample(n_sm: int, n_sig: int):
        return rng.normal(0, 1, n_sm), rng.uniform(0.5, 1.5, n_sm), rng.normal(2.5, 1, n_sig)

    small, large = sample(20_000, 2000), sample(200_000, 20_000)
    widths = []
    for sm, w, sig in (small, large):
        bands = tpr_bands(sm, w, sig, None, [1e-3, 1e-4], seed=3)
        assert bands.shape == (2, 2)
        for f, (lo, hi) in zip([1e-3, 1e-4], bands, strict=True):
            assert lo <= operating_point(sm, w, sig, None, f).tpr <= hi
        widths.append(bands[:, 1] - bands[:, 0])
    assert (widths[1] < 0.6 * widths[0]).all()  # 10x the events: ~1/sqrt(10) the width
    sm, w, sig = small
    assert np.array_equal(tpr_bands(sm, w, sig, None, 1e-4, seed=3), tpr_bands(sm, w, sig, None, 1e-4, seed=3))
    assert not np.array_equal(tpr_bands(sm, w, sig, None, 1e-4, seed=3), tpr_bands(sm, w, sig, None, 1e-4, seed=4))


def test_bootstrap_band_is_wider_than_the_binomial_error_where_the_threshold_is_poorly_known():
    """At FPR 1e-4 on 20k SM events the threshold rests on two events: its spread dominates the TPR's."""
    rng = np.random.default_rng(6)
    sm, sig = rng.normal(0, 1, 20_000), rng.normal(2.5, 1, 50_000)
    op = operating_point(sm, None, sig, None, 1e-4)
    lo, hi = tpr_bands(sm, None, sig, None, 1e-4)[0]
    assert hi - lo > 4 * op.tpr_err


def test_bootstrap_of_100k_sm_events_takes_seconds():
    import time

    rng = np.random.default_rng(7)
    sm, w, sig = rng.normal(0, 1, 100_000), rng.uniform(0.5, 1.5, 100_000), rng.normal(2, 1, 20_000)
    start = time.perf_counter()
    tpr_bands(sm, w, sig, None, [1e-5, 1e-4], n_resamples=200)
    assert time.perf_counter() - start < 10
