"""The HLT VAE with its per-feature likelihood decoder, on real generated HLT features."""

from __future__ import annotations

import numpy as np

from adtrigger.bundle.layout import HLT_FEATURE_NAMES
from adtrigger.training.hlt_vae import N_PARAMS, feature_kinds, train_hlt_vae
from adtrigger.training.stream.cocktail import mix


def test_each_feature_has_a_suitable_pdf():
    kinds = dict(zip(HLT_FEATURE_NAMES, feature_kinds(), strict=True))
    assert kinds["n_jets"] == "poisson" and kinds["lep_is_ele"] == "bernoulli"
    assert kinds["lep_charge"] == "categorical3" and kinds["met_par"] == "gaussian" and kinds["m_mu"] == "hurdle"
    assert sum(N_PARAMS[k] for k in kinds.values()) == 6 + 1 + 3 + 2 * 2 + 11 * 3


def test_training_lowers_the_loss_and_a4l_scores_higher(small_events):
    sm = mix([small_events[n] for n in ("W_lnu", "Z_ll", "ttbar")])
    rng = np.random.default_rng(0)
    val = rng.random(len(sm)) < 0.25
    model, history = train_hlt_vae(
        sm.hlt[~val], sm.weight[~val], sm.hlt[val], sm.weight[val], epochs=25, batch_size=64, patience=25, seed=3
    )
    assert history["val_loss"][-1] < 0.8 * history["val_loss"][0]
    s_sm = model.score(sm.hlt[val])
    s_sig = model.score(small_events["A_4l_m50"].hlt)
    assert np.isfinite(s_sm).all() and np.isfinite(s_sig).all()
    # A->4l carries 3-4 leptons: unlikely under an SM-trained likelihood
    assert np.median(s_sig) > np.average(s_sm, weights=sm.weight[val])
    assert np.isfinite(model.score(sm.hlt[val], "kl")).all()
