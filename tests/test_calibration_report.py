"""The calibration's report on a synthetic SM sample: the rate plot shows only what the data resolve, on a range
taken from the data, with the target and the achieved interval readable; a missed target is a warning."""

from __future__ import annotations

import numpy as np
import pytest

from adtrigger.bundle import BundleError
from adtrigger.bundle.rates import CL_1SIGMA, fraction_above, make_target, resolved, sm_distribution, threshold_at_fpr
from adtrigger.training.calibration.report import plot_rate, rate_figure
from adtrigger.training.calibration.tune import report_files, target_warning

INPUT_RATE = 1e5


def _half(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(scores, weights) of a falling SM spectrum; the weights make the effective count smaller than n."""
    return rng.exponential(3.0, n) ** 2, rng.choice([0.5, 1.0, 4.0], n, p=[0.5, 0.45, 0.05])


@pytest.fixture(scope="module")
def calibration() -> tuple[dict, dict]:
    """(distribution, entry) as ``adtrigger calibrate`` writes them, for 1 kHz at 100 kHz on 2 x 20,000 events."""
    rng = np.random.default_rng(7)
    a, b = _half(rng, 20_000), _half(rng, 20_000)
    a = (np.r_[a[0], 1e4], np.r_[a[1], 1.0])  # an outlier: the held-out half has nothing above it, a zero rate
    target = make_target(rate_hz=1000.0, input_rate_hz=INPUT_RATE)
    threshold = threshold_at_fpr(*a, target.fpr)
    f = {k: v[0] for k, v in fraction_above(*b, np.array([threshold])).items()}
    achieved = f | {f"rate_hz{s}": f[f"fpr{s}"] * INPUT_RATE for s in ("", "_lo", "_hi")} | {"cl": CL_1SIGMA}
    entry = {"target": target.as_dict(), "score": threshold, "achieved": achieved,
             "warning": target_warning(target, achieved)}  # fmt: skip
    return sm_distribution(*a, "mu2", heldout=b), entry


EFFS = {"A_4l_m50": {"efficiency": 0.3, "lo": 0.28, "hi": 0.32, "events": 1000}}


def test_resolved_drops_zero_and_thinly_populated_points():
    assert resolved(20_000, np.array([0.5, 1e-3, 4e-4, 0.0])).tolist() == [True, True, False, False]


def test_rate_plot_spans_the_resolved_data_only(calibration, tmp_path):
    distribution, entry = calibration
    held = distribution["heldout"]
    assert min(held["fpr"]) == 0 and min(held["fpr_lo"]) == 0  # the top scores: nothing above on the held-out half
    fig = rate_figure(distribution, entry, EFFS)
    ax, zoom, _ = fig.axes
    floor = {"threshold-setting half": distribution["n_effective"], "held-out half": held["n_effective"]}
    steps = [ln for ln in ax.lines if ln.get_label() in floor]
    assert len(steps) == 2
    for ln in steps:  # every plotted point has >= 10 effective events above it
        assert ln.get_ydata().min() >= 10 / floor[ln.get_label()] * INPUT_RATE * (1 - 1e-9), ln.get_label()
    lo, hi = ax.get_ylim()
    assert 1e-4 * INPUT_RATE < lo < 1e-3 * INPUT_RATE and INPUT_RATE <= hi <= 2 * INPUT_RATE  # ~3 decades, not 300
    assert ax.get_xscale() == "log" and ax.get_xlim()[0] > 0
    labels = ax.get_legend_handles_labels()[1]
    assert "target 1000 Hz" in labels and "achieved interval" in labels
    # the close-up: the target line and the whole achieved interval inside, within a factor of a few
    a = entry["achieved"]
    zlo, zhi = zoom.get_ylim()
    assert zlo < min(1000.0, a["rate_hz_lo"]) and max(1000.0, a["rate_hz_hi"]) < zhi < 10 * zlo
    assert zoom.get_xlim()[0] < entry["score"] < zoom.get_xlim()[1]
    assert plot_rate(distribution, entry, EFFS, tmp_path / "rate.png").stat().st_size > 10_000


def test_rate_plot_flags_a_missed_target(calibration):
    distribution, entry = calibration
    missed = entry | {"warning": "target 1000 Hz is outside the achieved interval"}
    zoom = rate_figure(distribution, missed, {}).axes[1]
    assert "outside" in zoom.get_title() and zoom.title.get_color() == "C3"
    assert "outside" not in rate_figure(distribution, entry | {"warning": None}, {}).axes[1].get_title()


def test_a_target_outside_the_achieved_interval_is_a_warning():
    target = make_target(rate_hz=100.0, input_rate_hz=INPUT_RATE)
    a = {"fpr": 7.5e-4, "fpr_lo": 5.96e-4, "fpr_hi": 9.09e-4, "cl": CL_1SIGMA}
    a |= {f"rate_hz{s}": a[f"fpr{s}"] * INPUT_RATE for s in ("", "_lo", "_hi")}
    warning = target_warning(target, a)
    assert warning is not None and "target 100 Hz is outside the achieved 68% interval" in warning
    assert "75 Hz [59.6, 90.9]" in warning and "-1.1 sigma" in warning
    assert target_warning(make_target(rate_hz=80.0, input_rate_hz=INPUT_RATE), a) is None
    no_rate = {k: v for k, v in a.items() if not k.startswith("rate")}
    assert "target FPR 0.001 is outside" in target_warning(make_target(fpr=1e-3), no_rate)


def test_each_threshold_name_has_its_own_report_folder():
    assert report_files("tight") == {"markdown": "calibration/tight/calibration.md",
                                     "plot": "calibration/tight/rate.png"}  # fmt: skip
    for bad in ("", "../x", "a/b", ".hidden", "a.b"):
        with pytest.raises(BundleError, match="threshold name"):
            report_files(bad)
