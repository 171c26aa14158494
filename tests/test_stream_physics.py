"""Physics sanity of generated events: these fail if the generator or the object emulation is wrong."""

from __future__ import annotations

import numpy as np

from adtrigger.bundle.layout import N_HLT_FEATURES, ROW_CLASS
from adtrigger.training.stream import physics


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
