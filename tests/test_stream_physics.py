"""Physics sanity of generated events: these fail if the generator or the object emulation is wrong."""

from __future__ import annotations

import numpy as np

from adtrigger.bundle.layout import N_HLT_FEATURES, ROW_CLASS
from adtrigger.training.stream import physics
from adtrigger.training.stream.sample import EventSample
from adtrigger.training.stream.summary import dilepton_peak, distribution_hists, plot_distributions, summary_table


def test_z_dilepton_mass_peaks_at_91_gev(small_events):
    mll = physics.dilepton_mass(small_events["Z_ll"].particles)
    window = mll[(mll > 60) & (mll < 120)]
    assert len(window) > 80
    peak = physics.histogram_peak(window, 60, 120, 2)
    assert abs(peak - 91.0) <= 3.0, peak
    assert abs(np.median(window) - 91.0) <= 3.0


def test_w_transverse_mass_has_its_edge_near_80_gev(small_events):
    p = small_events["W_lnu"].particles
    mt = physics.transverse_mass(p[physics.n_leptons(p) == 1])
    assert len(mt) > 100
    # Jacobian edge: many events just below m_W, few above
    below = np.count_nonzero((mt > 60) & (mt < 85))
    above = np.count_nonzero((mt > 95) & (mt < 120))
    assert below > 4 * above, (below, above)
    assert 60 < np.percentile(mt, 75) < 90


def test_ttbar_has_more_jets_than_w(small_events):
    n_tt = physics.n_jets(small_events["ttbar"].particles).mean()
    n_w = physics.n_jets(small_events["W_lnu"].particles).mean()
    assert n_tt > 3.0 and n_w < 1.5, (n_tt, n_w)


def test_a_to_4l_has_three_leptons_more_often_than_sm(small_events):
    def frac3(name):
        return np.mean(physics.n_leptons(small_events[name].particles) >= 3)

    sm = max(frac3("W_lnu"), frac3("Z_ll"), frac3("ttbar"))
    assert frac3("A_4l_m50") > 3 * sm + 0.05, (frac3("A_4l_m50"), sm)


def test_layout_and_preselection_hold(small_events):
    for sample in small_events.values():
        p = sample.particles
        assert p.dtype == np.float32 and p.shape[1:] == (19, 3)
        assert np.isfinite(p).all()
        assert (p[:, 0, 1] == 0).all(), "MET eta must be 0"
        for cls in (2, 3, 4):
            rows = np.flatnonzero(np.array(ROW_CLASS) == cls)
            pt = p[:, rows, 0]
            assert (np.diff(pt, axis=1) <= 0).all(), "pT-ordered within a class"
            assert (p[:, rows][pt == 0] == 0).all(), "empty slots are all zeros"
        assert (np.abs(p[:, 9:, 1]) <= 4.0).all(), "jets with |eta| > 4 dropped"
        assert (physics.leading_lepton(p)[:, 0] >= 23.0).all(), "leading e or mu pT > 23 GeV"
        assert np.allclose(p[:, :, 0] * 4, np.round(p[:, :, 0] * 4)), "pT on the 0.25 GeV grid"


def test_hlt_features_are_physical(small_events):
    z, w = small_events["Z_ll"], small_events["W_lnu"]
    for s in (z, w):
        assert s.hlt.shape == (len(s), N_HLT_FEATURES) and np.isfinite(s.hlt).all()
        assert (s.hlt[:, 0] >= 23.0).all()  # trigger lepton pT
        assert set(np.unique(s.hlt[:, 5])) <= {0.0, 1.0}  # is-electron flag
        assert set(np.unique(s.hlt[:, 4])) <= {-1.0, 0.0, 1.0}  # charge
    # W has real MET along... M_T(W) larger than M_T(Z); Z has more second leptons
    assert np.median(w.hlt[:, 12]) > np.median(z.hlt[:, 12]) + 20
    n_lep_z = z.hlt[:, 13] + z.hlt[:, 16]
    n_lep_w = w.hlt[:, 13] + w.hlt[:, 16]
    assert n_lep_z.mean() > n_lep_w.mean() + 0.4
    # ttbar: b-tagged jets and more hadrons
    tt = small_events["ttbar"]
    assert tt.hlt[:, 9].mean() > 0.5 > w.hlt[:, 9].mean()
    assert tt.hlt[:, 19].mean() > 2 * w.hlt[:, 19].mean()


def test_manifest_records_generation(small_events):
    m = small_events["Z_ll"].manifest
    assert m["process"] == "Z_ll" and m["n_events"] == 300
    assert m["n_generated"] >= 300 and 0.3 < m["pass_fraction"] < 0.7
    assert 3000 < m["sigma_gen_pb"] < 6000  # Pythia's Z/gamma* (mHat > 50) at 13 TeV ~ 4.6 nb
    assert m["pythia_seeds"] == [11 * 1000 + 1]
    assert any("ffbar2gmZ" in line for line in m["pythia_card"])
    assert "pythia8mc" in m["versions"]


def _dimuons(mass: float, n: int, name: str, met: float = 10.0, seed: int = 0) -> EventSample:
    """Back-to-back muon pairs of ``mass`` with 3 % pT smearing (a narrow dimuon resonance)."""
    rng = np.random.default_rng(seed)
    p = np.zeros((n, 19, 3), np.float32)
    p[:, 0, 0] = met
    p[:, 5, 0] = mass / 2 * rng.normal(1, 0.03, n)
    p[:, 6, 0] = mass / 2 * rng.normal(1, 0.03, n)
    p[:, 6, 2] = np.pi
    return EventSample(p, np.zeros(n), (name,), np.ones(n), np.arange(n))


def test_only_resonant_samples_get_a_dilepton_peak(small_events):
    assert abs(dilepton_peak(physics.dilepton_mass(small_events["Z_ll"].particles)) - 91.0) <= 3.0
    for name in ("W_lnu", "ttbar", "A_4l_m50"):
        assert dilepton_peak(physics.dilepton_mass(small_events[name].particles)) is None, name
    assert abs(dilepton_peak(physics.dilepton_mass(_dimuons(500.0, 300, "zprime").particles)) - 500.0) < 10.0
    flat = np.random.default_rng(1).uniform(20, 300, 2000)  # a continuum has no peak, however many events
    assert dilepton_peak(flat) is None
    table = summary_table(list(small_events.values()))
    rows = {r.split(" | ")[0].lstrip("| "): r.split(" | ") for r in table.splitlines()}
    assert rows["process"][8] == "m_ℓℓ resonance GeV"
    assert abs(float(rows["Z_ll"][8]) - 91.0) <= 3.0
    assert rows["W_lnu"][8] == rows["ttbar"][8] == rows["A_4l_m50"][8] == "–"


def test_distribution_ranges_follow_the_data_and_keep_overflow(small_events, tmp_path):
    zprime = _dimuons(500.0, 300, "zprime")
    zprime.particles[0, 0, 0] = 10_000.0  # one event far beyond any quantile
    hists = distribution_hists([small_events["Z_ll"], zprime])
    mll, met = hists["mll"], hists["met"]
    assert mll["edges"][-1] > 500.0 > mll["edges"][0]  # the Z' peak is in range, not cut at 150 GeV
    z_counts = mll["counts"]["Z_ll"]
    assert mll["edges"][np.argmax(z_counts)] < 91.0 < mll["edges"][np.argmax(z_counts) + 1] + 1e-9
    for h in hists.values():
        for counts in h["counts"].values():
            assert np.isclose(counts.sum(), 1.0)  # nothing falls off either end
    assert met["edges"][-1] < 10_000.0 and met["counts"]["zprime"][-1] >= 1 / 300  # overflow in the last bin
    assert plot_distributions([small_events["Z_ll"], small_events["W_lnu"], zprime], tmp_path / "e.png").exists()
