"""The SM cocktail: imposed fractions, cross-section weights, and refstream-v1's published weights."""

from __future__ import annotations

import numpy as np
import pytest

from adtrigger.refdata import refstream_dir
from adtrigger.training.stream.cocktail import SEED004_FRACTIONS, mix, shares, sigma_pass_pb
from adtrigger.training.stream.io import read_events
from adtrigger.training.stream.summary import shares_table

REFSTREAM = refstream_dir()


def test_fractions_are_imposed_and_renormalised(small_events):
    parts = [small_events[n] for n in ("W_lnu", "Z_ll", "ttbar")]
    mixed = mix(parts)
    got = {r.process: r.share for r in shares(mixed)}
    total = sum(SEED004_FRACTIONS[n] for n in got)
    for name, share in got.items():
        assert share == pytest.approx(SEED004_FRACTIONS[name] / total, rel=1e-9)
    # a process keeps its own events and labels
    assert sorted(mixed.process_names) == sorted(["W_lnu", "Z_ll", "ttbar"])
    assert len(mixed) == sum(len(p) for p in parts)


def test_xsec_weights_sum_to_sigma_times_pass(small_events):
    parts = [small_events[n] for n in ("W_lnu", "Z_ll")]
    mixed = mix(parts, by="xsec")
    for i, name in enumerate(mixed.process_names):
        w = mixed.weight[mixed.process == i]
        assert w.sum() == pytest.approx(sigma_pass_pb(small_events[name]), rel=1e-9)
    # W's sigma x pass is several times Z's (FACTS.md: 86:13)
    sp = {n: sigma_pass_pb(small_events[n]) for n in ("W_lnu", "Z_ll")}
    assert 3 < sp["W_lnu"] / sp["Z_ll"] < 15


def test_bad_mixes_are_refused(small_events):
    with pytest.raises(ValueError, match="twice"):
        mix([small_events["Z_ll"], small_events["Z_ll"]])
    with pytest.raises(ValueError, match="no cocktail fraction"):
        mix([small_events["A_4l_m50"]])
    with pytest.raises(ValueError, match="fractions' or 'xsec"):
        mix([small_events["Z_ll"]], by="lumi")


@pytest.mark.skipif(not REFSTREAM.is_dir(), reason="refstream-v1 not beside the checkout")
def test_refstream_cocktail_reproduces_its_published_weights():
    names = ("W_lnu", "QCD", "Z_ll", "ttbar")
    parts = [read_events(REFSTREAM / f"{n}.h5") for n in names]
    mixed = mix(parts)
    assert len(mixed) == 419_639
    assert mixed.weight.mean() == pytest.approx(1.0, rel=1e-9)
    published = {"W_lnu": 0.82557, "QCD": 3.70324, "Z_ll": 0.46592, "ttbar": 0.06270}  # its README
    for i, name in enumerate(mixed.process_names):
        w = mixed.weight[mixed.process == i]
        assert np.allclose(w, published[name], rtol=1e-4)
    table = shares_table(mixed, {p.process_names[0]: sigma_pass_pb(p) for p in parts})
    assert "59.20 %" in table and "33.80 %" in table and "98.6" in table  # Pythia's QCD share
