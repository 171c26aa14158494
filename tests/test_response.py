"""The L1 score must respond to what it was not trained for: harder objects and larger MET raise it, monotonically.

A short-trained L1 VAE with a kinematic latent group and a MET chain (training/kinematic.py) on refstream-v1 SM. To
SM events we add a hard jet, a hard muon (inserted in pT order into their slots) or extra MET, on a ladder of pT up
to the L1 full scale (2048 GeV), and check that the kinematic group and the chain never fall as the added pT rises
(and the score only where the topology group decides), that the group that sees the object is higher at the full
scale, that the chain is a MET cut, and that beyond the full scale the overflow guard takes over.
"""

from __future__ import annotations

import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import numpy as np
import pytest

from adtrigger.bundle.latent_score import group_scores
from adtrigger.refdata import refstream_dir
from adtrigger.training.hard_objects import add_object
from adtrigger.training.stream.cocktail import mix
from adtrigger.training.stream.io import read_events

DATA = refstream_dir()
pytestmark = pytest.mark.skipif(not (DATA / "W_lnu.h5").is_file(), reason="refstream-v1 not available")
LADDER = np.array([0.0, 5, 10, 20, 30, 50, 75, 100, 150, 200, 300, 400, 600, 800, 1000, 1300, 1600, 2000, 2048])


@pytest.fixture(scope="module")
def model_and_events():
    import torch

    from adtrigger.training import vae

    torch.set_num_threads(2)
    sm = mix([read_events(DATA / f"{p}.h5", max_events=4000) for p in ("W_lnu", "QCD", "Z_ll", "ttbar")])
    order = np.random.default_rng(5).permutation(len(sm))
    tr, va = order[: int(0.8 * len(order))], order[int(0.8 * len(order)) :]
    x, w = sm.flat, sm.weight.astype(np.float32)
    cfg = vae.VAEConfig(hidden=(16, 8), latent=4, kinematic_hidden=(8, 4), kinematic_latent=4, epochs=10,
                        kinematic_targets=("MET", "H_T", "sum e/gamma pT", "sum muon pT"), kinematic_share=0.3,
                        kinematic_chains=("MET",), chain_shares=(0.55,),
                        kl_warmup_epochs=1, patience=6, verbose=0, seed=3, rare_fraction=0.05)  # fmt: skip
    model, _ = vae.train_l1_vae(x[tr], w[tr], x[va], w[va], cfg)
    groups = vae.select_score_groups(model, x[tr], w[tr], cfg)
    return model, groups, x[va], w[va]


@pytest.mark.parametrize("kind", ["MET", "muon", "jet"])
def test_score_rises_with_added_pt_up_to_the_overflow_guard(model_and_events, kind):
    from adtrigger.training import vae
    model, groups, x, _ = model_and_events
    events = x[:400]
    ladder = [add_object(events, kind, pt) for pt in LADDER]
    mu = [vae.latent(model, e)[0] for e in ladder]
    # (ladder, events, 2): the kinematic group and the MET chain, monotonic by construction
    both = np.stack([group_scores(m, groups)[:, 1:] for m in mu])
    kin = both.max(axis=2)
    score = np.stack([vae.l1_score(model, e, groups=groups) for e in ladder])
    # neither ever falls; the kinematic group is strictly higher at the full scale for any object, the MET chain
    # for MET and unchanged otherwise (it reads MET alone)
    assert (np.diff(both, axis=0) >= 0).all()
    assert (both[-1, :, 0] > both[0, :, 0]).all()
    assert (both[-1, :, 1] > both[0, :, 1]).all() if kind == "MET" else (both[-1, :, 1] == both[0, :, 1]).all()
    # the score is the max over the groups: only the topology group (a plain ReLU network, not monotonic) can lower
    # it, on steps where it dominates (2-7 % of the steps for this short training; the committed bundle's
    # numbers are in docs/training.md); where the kinematic group decides, the score cannot fall
    drops = np.diff(score, axis=0) < 0
    assert drops.mean() < 0.15, f"{drops.mean():.1%} of ladder steps lower the score"
    kin_decides = kin[:-1] >= score[:-1]
    assert not (drops & kin_decides).any()
    # the MET chain takes 55 % of the rate, the kinematic group 30 %: after this short training a full-scale muon
    # or jet is not reliably above the kinematic group's SM FPR 1e-2 point (so this test no longer asserts an
    # acceptance); the committed bundle's acceptance of hard objects at the working point is measured in
    # docs/training.md. Beyond the full scale the overflow guard accepts them at any threshold
    beyond = vae.l1_score(model, add_object(events, kind, 2049.0 if kind != "MET" else 2100.0), groups=groups)
    assert (beyond == vae.OVERFLOW_SCORE).all()


def test_kinematic_path_reads_only_pt_through_non_negative_weights(model_and_events):
    from keras import ops

    model, _, _, _ = model_and_events
    k0 = ops.convert_to_numpy(model.get_layer("enc_0").qkernel)
    pt = np.arange(57) % 3 == 0
    kin = k0[:, 16:24]  # hidden (16, 8): the next 8 units of the first layer are kinematic, the last the MET chain
    assert (kin >= 0).all() and (kin[~pt] == 0).all() and (kin > 0).any()
    assert k0[0, 24] > 0 and (k0[1:, 24] == 0).all()  # the MET chain reads MET alone
    k1 = ops.convert_to_numpy(model.get_layer("enc_1").qkernel)  # (25, 8 + 4 + 1)
    assert (k1[:16, 8:] == 0).all() and (k1[16:24, 8:12] >= 0).all() and (k1[24, 8:12] == 0).all()
    assert k1[24, 12] > 0 and (k1[:24, 12] == 0).all()  # the chain reads only its own unit of the layer before


def test_met_chain_is_a_met_cut(model_and_events):
    """The chain's latent mean is a non-decreasing function of MET alone: swapping every other object between
    events leaves it unchanged, and its group accepts exactly the events above a MET value."""
    from adtrigger.training import vae

    model, groups, x, _ = model_and_events
    chain = groups[2]
    assert (chain.start, chain.stop, chain.one_sided) == (8, 9, True) and len(groups) == 3  # latent 4, kinematic 4
    mixed = x[np.random.default_rng(1).permutation(len(x))].copy()
    mixed[:, 0] = x[:, 0]  # same MET pT, everything else from another event
    mu, mu_mixed = vae.latent(model, x)[0][:, 8], vae.latent(model, mixed)[0][:, 8]
    np.testing.assert_array_equal(mu, mu_mixed)
    order = np.argsort(x[:, 0], kind="stable")
    assert (np.diff(mu[order]) >= 0).all() and np.corrcoef(mu, x[:, 0])[0, 1] > 0.99
    g = group_scores(vae.latent(model, x)[0], groups)[:, 2]
    cut = np.quantile(g, 0.99)
    assert x[g >= cut, 0].min() >= x[g < cut, 0].max()
