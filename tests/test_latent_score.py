"""The grouped L1 score (adtrigger.bundle.latent_score): groups tile the latent vector, each scores its weight times
its sum of (relu'd) squares, the event the max; one plain group is sum mu^2; the card's score.groups is checked."""

from __future__ import annotations

import numpy as np
import pytest

from adtrigger.bundle import SCHEMA_VERSION, BundleError, validate_card
from adtrigger.bundle.latent_score import (
    LatentGroup,
    cast_mu,
    check_groups,
    describe,
    group_scores,
    grouped_mu2,
    groups_from_json,
    groups_to_json,
    saturated,
    single_group,
)

TWO = [LatentGroup(0, 3), LatentGroup(3, 4, scale_log2=-2, one_sided=True)]


@pytest.fixture
def mu() -> np.ndarray:
    """Latent means on a fixed-point grid (2^-6), as the quantized encoder gives them, both signs."""
    rng = np.random.default_rng(3)
    return np.round(rng.normal(0, 2, (5000, 4)) * 64) / 64


def test_one_plain_group_is_sum_mu2(mu):
    plain = np.sum(mu**2, axis=1)
    np.testing.assert_array_equal(grouped_mu2(mu, single_group(4)), plain)
    np.testing.assert_array_equal(grouped_mu2(mu), plain)
    assert describe(single_group(4)) == "sum mu^2"


def test_groups_must_tile_the_latent_vector():
    assert check_groups(TWO, 4) == TWO
    for bad, match in (
        ([], "at least one"),
        ([LatentGroup(0, 2), LatentGroup(3, 4)], "starts at 3, not 2"),  # gap
        ([LatentGroup(0, 3), LatentGroup(2, 4)], "starts at 2, not 3"),  # overlap
        ([LatentGroup(3, 4), LatentGroup(0, 3)], "starts at 3, not 0"),  # out of order
        ([LatentGroup(0, 3)], r"cover \[0, 3\) but the encoder has 4"),
    ):
        with pytest.raises(ValueError, match=match):
            check_groups(bad, 4)
    with pytest.raises(ValueError, match="starts at"):
        grouped_mu2(np.zeros((2, 4)), [LatentGroup(1, 4)])
    for kwargs in ({"stop": 0}, {"start": -1}, {"scale_log2": 25}, {"scale_log2": 0.5}, {"scale_mantissa": 256}):
        with pytest.raises(ValueError):
            LatentGroup(**{"start": 0, "stop": 2, **kwargs})


def test_one_sided_scale_and_max(mu):
    scores = group_scores(mu, TWO)
    np.testing.assert_array_equal(scores[:, 0], np.sum(mu[:, :3] ** 2, axis=1))
    np.testing.assert_array_equal(scores[:, 1], np.maximum(mu[:, 3], 0) ** 2 / 4)  # relu, then 2^-2
    assert (scores[mu[:, 3] <= 0, 1] == 0).all() and (scores[mu[:, 3] > 0, 1] > 0).all()
    total = grouped_mu2(mu, TWO)
    np.testing.assert_array_equal(total, scores.max(axis=1))
    t = float(np.quantile(total, 0.9))  # one threshold on the max is the OR of the groups at that threshold
    np.testing.assert_array_equal(total >= t, (scores[:, 0] >= t) | (scores[:, 1] >= t))
    assert (scores.argmax(axis=1) == 1).any() and (scores.argmax(axis=1) == 0).any()  # both groups decide events
    three = [LatentGroup(0, 1, scale_log2=3), LatentGroup(1, 2, scale_mantissa=5, scale_log2=-1), LatentGroup(2, 4)]
    want = np.max([8 * mu[:, 0] ** 2, 2.5 * mu[:, 1] ** 2, np.sum(mu[:, 2:] ** 2, axis=1)], axis=0)
    np.testing.assert_array_equal(grouped_mu2(mu, three), want)  # exact: the weights are powers of two times 5


def test_json_round_trip_and_errors():
    raw = groups_to_json(TWO)
    assert raw[1] == {"start": 3, "stop": 4, "scale_log2": -2, "one_sided": True, "scale_mantissa": 1}
    assert groups_from_json(raw, 4) == TWO
    assert groups_from_json(None, 4) == single_group(4)
    assert groups_from_json([{"start": 0, "stop": 4}], 4) == single_group(4)  # defaults: scale 1, two-sided
    with pytest.raises(ValueError, match="lacks 'stop'"):
        groups_from_json([{"start": 0}], 4)
    with pytest.raises(ValueError, match="must be an object"):
        groups_from_json([[0, 4]], 4)
    with pytest.raises(ValueError, match="encoder has 5"):
        groups_from_json(raw, 5)
    assert describe(TWO) == "max(sum_{0..2} mu^2, 0.25 sum_{3..3} relu(mu)^2)"


def test_cast_floors_and_saturates_as_ap_fixed():
    """q<i>.<f>: floor onto 2^-f, saturate at [-2^i, 2^i - 2^-f] (unsigned [0, 2^i - 2^-f] for a one-sided group),
    which is ap_fixed<1 + i + f, 1 + i, AP_TRN, AP_SAT>; non-decreasing, so the score keeps its monotonic response."""
    two, one = LatentGroup(0, 1, int_bits=3, frac_bits=2), LatentGroup(0, 1, one_sided=True, int_bits=3, frac_bits=2)
    m = np.array([[-100.0], [-8.0], [-7.9], [-0.1], [0.0], [0.3], [1.26], [7.75], [7.99], [1e6]])
    np.testing.assert_array_equal(cast_mu(m, two)[:, 0], [-8, -8, -8, -0.25, 0, 0.25, 1.25, 7.75, 7.75, 7.75])
    np.testing.assert_array_equal(cast_mu(m, one)[:, 0], [0, 0, 0, 0, 0, 0.25, 1.25, 7.75, 7.75, 7.75])
    assert two.width == 6 and one.width == 5 and not LatentGroup(0, 1).clipped and LatentGroup(0, 1).width is None
    np.testing.assert_array_equal(grouped_mu2(m, [two]), cast_mu(m, two)[:, 0] ** 2)
    ramp = np.linspace(-20, 20, 4001)[:, None]
    assert (np.diff(cast_mu(ramp, one)[:, 0]) >= 0).all() and (np.diff(cast_mu(ramp, two)[:, 0]) >= 0).all()
    fine = np.round(ramp * 4) / 4  # values already on the grid and inside the range pass unchanged
    inside = np.abs(fine[:, 0]) < 7.75
    np.testing.assert_array_equal(cast_mu(fine, two)[inside], fine[inside])
    bad = [({"int_bits": 3}, "both"), ({"int_bits": -1, "frac_bits": 2}, ">= 0"),
           ({"int_bits": 20, "frac_bits": 7}, "sum in"), ({"int_bits": 0, "frac_bits": 0}, "sum in")]  # fmt: skip
    for kwargs, match in bad:
        with pytest.raises(ValueError, match=match):
            LatentGroup(0, 1, **kwargs)
    raw = groups_to_json([one, LatentGroup(1, 2)])
    assert raw[0]["int_bits"] == 3 and raw[0]["frac_bits"] == 2 and "int_bits" not in raw[1]
    assert groups_from_json(raw, 2) == [one, LatentGroup(1, 2)]
    assert describe([two, LatentGroup(1, 2, one_sided=True, int_bits=5, frac_bits=0)]) == (
        "max(sum_{0..0} q3.2(mu)^2, sum_{1..1} q5.0(relu(mu))^2)"
    )
    assert describe([two]) != "sum mu^2"  # a cast single group is not the plain score
    # saturation is beyond the range only (>= 2^3, or < -2^3 two-sided), not flooring inside it
    np.testing.assert_array_equal(saturated(m, [two]), [1, 0, 0, 0, 0, 0, 0, 0, 0, 1])
    np.testing.assert_array_equal(saturated(m, [one]), [0, 0, 0, 0, 0, 0, 0, 0, 0, 1])
    assert not saturated(m, [LatentGroup(0, 1)]).any()  # no cast, nothing saturates


def _card(groups) -> dict:
    score = {"kind": "mu2", "output": "score", "dtype": "float64", "accept": "score >= threshold"}
    if groups is not ...:
        score["groups"] = groups
    return {
        "schema_version": SCHEMA_VERSION, "name": "t", "kind": "l1_vae", "created": "2026-01-01T00:00:00Z",
        "input": {"name": "l1_inputs", "n_features": 57, "shapes": [[57]], "dtype": "float32"},
        "preprocessing": {}, "score": score, "fixed_point": None, "files": {}, "thresholds": {},
        "active_threshold": None, "data": {}, "code": {}, "settings": {}, "metrics": {},
    }  # fmt: skip


def test_card_score_groups_are_checked():
    for ok in (..., None, groups_to_json(TWO), groups_to_json(single_group(8))):
        validate_card(_card(ok))
    for bad, match in (
        ({"start": 0, "stop": 4}, "must be a list"),
        ([], "at least one"),
        (["0:4"], "list of objects"),
        ([{"start": 0, "stop": 2}, {"start": 3, "stop": 4}], "starts at 3, not 2"),
        ([{"start": 0}], "lacks 'stop'"),
        ([{"start": 0, "stop": 4, "scale_log2": 99}], "scale_log2"),
    ):
        with pytest.raises(BundleError, match=rf"score\.groups.*{match}"):
            validate_card(_card(bad))
    kl = _card(groups_to_json(TWO))
    kl["score"]["kind"] = "kl"
    with pytest.raises(BundleError, match="only 'mu2'"):
        validate_card(kl)
