"""The L1 VAE on real refstream-v1 events: short HGQ2 training, collapse, save/load, scores, saturation."""

from __future__ import annotations

import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import json

import numpy as np
import pytest

from adtrigger.refdata import refstream_dir
from adtrigger.training.preprocess import Preprocessing, fit_preprocessing
from adtrigger.training.stream.cocktail import mix
from adtrigger.training.stream.io import read_events

DATA = refstream_dir()
SM_FILES = ("W_lnu", "QCD", "Z_ll", "ttbar")
PER_PROCESS = 5000  # 20k SM events
# pT inputs of the leading MET, e/gamma, muon and jet (rows 0, 1, 5, 9)
LEADING_PT = (0, 3, 15, 27)

pytestmark = pytest.mark.skipif(not (DATA / "W_lnu.h5").is_file(), reason="refstream-v1 not available")


@pytest.fixture(scope="module")
def events():
    sm = mix([read_events(DATA / f"{p}.h5", max_events=PER_PROCESS) for p in SM_FILES])
    sig = read_events(DATA / "A_4l_m50.h5", max_events=2000)
    order = np.random.default_rng(3).permutation(len(sm))
    n_train = int(0.8 * len(order))
    tr, va = order[:n_train], order[n_train:]
    x, w = sm.flat, sm.weight.astype(np.float32)
    return {"x_train": x[tr], "w_train": w[tr], "x_val": x[va], "w_val": w[va], "x_sig": sig.flat}


@pytest.fixture(scope="module")
def trained(events):
    import torch

    from adtrigger.training import vae

    torch.set_num_threads(2)
    cfg = vae.VAEConfig(epochs=4, kl_warmup_epochs=1, patience=3, verbose=0, seed=7)
    model, history = vae.train_l1_vae(events["x_train"], events["w_train"], events["x_val"], events["w_val"], cfg)
    return model, history, cfg


def test_preprocessing_roundtrip(events):
    x, w = events["x_train"], events["w_train"]
    pre = fit_preprocessing(x, w)
    d = json.loads(json.dumps(pre.to_dict()))
    back = Preprocessing.from_dict(d)
    np.testing.assert_array_equal(back.offset, pre.offset)
    np.testing.assert_array_equal(back.shift, pre.shift)
    np.testing.assert_array_equal(back.apply(x), pre.apply(x))
    assert all(type(v) is float for v in d["offset"]) and all(type(v) is int for v in d["shift"])
    # offsets on the L1 grid (pT 0.25 GeV), eta/phi not offset, MET eta (constant 0) unscaled
    assert np.allclose(pre.offset[0::3] / 0.25, np.round(pre.offset[0::3] / 0.25))
    assert (pre.offset[1::3] == 0).all() and (pre.offset[2::3] == 0).all()
    assert pre.shift[1] == 0
    # scaled inputs of present objects have a std within ~2x of 1 for well-populated inputs
    xs = pre.apply(x)
    std = xs[x[:, 0] > 0, 0].std()
    assert 0.4 < std < 2.5
    np.testing.assert_allclose(pre.inverse(xs), x, atol=1e-3)
    # constant and all-zero inputs get shift 0
    const = np.zeros((100, 6), np.float32)
    const[:, 0] = 5.0
    p0 = fit_preprocessing(const, None)
    assert (p0.shift == 0).all() and p0.offset[0] == 5.0


def test_rare_slot_gain_is_bounded(events):
    """rare_gain_bits amplifies seldom-filled slots (the 3rd muon) by at most 2**k and leaves common ones alone."""
    x, w = events["x_train"], events["w_train"]
    base = fit_preprocessing(x, w)
    for k in (0, 2, 3):
        pre = fit_preprocessing(x, w, rare_gain_bits=k)
        np.testing.assert_array_equal(pre.offset, base.offset)
        assert (pre.shift <= base.shift).all() and (pre.shift >= base.shift - k).all()
        assert pre.shift[0] == base.shift[0]  # MET: always filled
    muon2_pt = 3 * 7
    assert fit_preprocessing(x, w, rare_gain_bits=3).shift[muon2_pt] < base.shift[muon2_pt]
    assert (fit_preprocessing(x, w, rare_gain_bits=0).shift == base.shift).all()


def test_rare_slots_take_all_event_statistics(events):
    """rare_fraction: seldom-filled objects get the all-events offset and shift (empty near 0), common ones not."""
    x, w = events["x_train"], events["w_train"]
    base, every = fit_preprocessing(x, w), fit_preprocessing(x, w, filled_only=False)
    pre = fit_preprocessing(x, w, rare_fraction=0.05)
    filled = (w[:, None] * (x[:, 0::3] > 0)).sum(axis=0) / w.sum()
    rare = np.repeat(filled < 0.05, 3)
    assert rare.any() and (~rare).any()
    np.testing.assert_array_equal(pre.shift[rare], every.shift[rare])
    np.testing.assert_array_equal(pre.offset[~rare], base.offset[~rare])
    assert (np.abs(pre.apply(np.zeros((1, 57)))[0, rare]) < 1).all()  # empty: near 0, not -offset/scale


def test_short_training_lowers_validation_loss(events, trained):
    from adtrigger.training import vae

    model, history, cfg = trained
    assert len(history["val_loss"]) >= 2
    assert history["val_recon"][-1] < history["val_recon"][0]
    fresh = vae.build_l1_vae(preprocessing=vae.preprocessing_of(model), beta=cfg.beta, seed=cfg.seed)
    args = (events["x_val"], events["x_val"])
    kw = {"sample_weight": events["w_val"], "verbose": 0, "return_dict": True, "batch_size": 4096}
    before = fresh.evaluate(*args, **kw)["loss"]
    after = model.evaluate(*args, **kw)["loss"]
    assert np.isfinite(after) and after < before


def test_no_posterior_collapse(events, trained):
    from adtrigger.training import vae

    model, _, cfg = trained
    mu, _ = vae.latent(model, events["x_val"])
    assert mu.shape == (len(events["x_val"]), cfg.latent)
    assert vae.active_latent_dims(mu, weight=events["w_val"]) >= cfg.latent // 2


def test_scores_finite_and_signal_above_sm(events, trained):
    from adtrigger.training import vae

    model, _, _ = trained
    mu, lv = vae.latent(model, events["x_val"])
    mu_s, lv_s = vae.latent(model, events["x_sig"])
    for kind in vae.SCORE_KINDS:
        s_sm, s_sig = vae.score_from_latent(mu, lv, kind), vae.score_from_latent(mu_s, lv_s, kind)
        assert np.isfinite(s_sm).all() and np.isfinite(s_sig).all() and (s_sm >= 0).all()
        assert s_sig.mean() > np.average(s_sm, weights=events["w_val"]), kind
    np.testing.assert_allclose(vae.l1_score(model, events["x_val"][:100]), (mu[:100].astype(np.float64) ** 2).sum(1))
    with pytest.raises(ValueError):
        vae.score_from_latent(mu, lv, "mse")
    with pytest.raises(ValueError):
        vae.score_from_latent(mu, None, "kl")


def test_save_load_identical_scores(tmp_path, events, trained):
    from adtrigger.training import vae

    model, _, _ = trained
    vae.save_model(model, tmp_path / "l1_vae")
    loaded = vae.load_model(tmp_path / "l1_vae")
    x = events["x_val"][:2000]
    mu0, lv0 = vae.latent(model, x)
    mu1, lv1 = vae.latent(loaded, x)
    np.testing.assert_array_equal(mu0, mu1)
    np.testing.assert_array_equal(lv0, lv1)
    for kind in vae.SCORE_KINDS:
        np.testing.assert_array_equal(vae.score_from_latent(mu0, lv0, kind), vae.score_from_latent(mu1, lv1, kind))
    pre = vae.load_preprocessing(tmp_path / "l1_vae")
    np.testing.assert_array_equal(pre.shift, vae.preprocessing_of(model).shift)
    # the encoder on preprocessed inputs gives the same mu
    enc = vae.encoder_model(loaded, include_preprocessing=False)
    np.testing.assert_array_equal(np.asarray(enc.predict(pre.apply(x), verbose=0)), mu1)


def test_out_of_range_event_saturates(events, trained):
    from keras import ops

    from adtrigger.training import vae

    model, _, _ = trained
    x = events["x_val"][:500]
    big = x.copy()
    big[:, LEADING_PT] *= 1000.0
    # the input quantizer clips at its maximum, it does not wrap
    iq = model.get_layer("enc_0").iq
    pre = vae.preprocessing_of(model)
    q_big = ops.convert_to_numpy(iq(ops.convert_to_tensor(pre.apply(big)), training=False))
    qmax = ops.convert_to_numpy(iq.quantizer.max)
    qmax = np.broadcast_to(qmax.reshape(1, -1) if qmax.size > 1 else qmax, q_big.shape)
    hit = (big[:, LEADING_PT] > 0) & (pre.apply(big)[:, LEADING_PT] > qmax[:, LEADING_PT]) & (qmax[:, LEADING_PT] > 0)
    assert hit.any()
    np.testing.assert_array_equal(q_big[:, LEADING_PT][hit], qmax[:, LEADING_PT][hit])
    # the input range covers the L1 full scale: in-range events never trip the overflow guard
    assert not vae.input_overflow(x).any()
    assert not vae.input_overflow(events["x_train"]).any()
    over = vae.input_overflow(big)
    assert over.sum() >= hit.any(axis=1).sum() > 0
    s, s_big = vae.l1_score(model, x), vae.l1_score(model, big)
    assert (s_big >= s).all(), f"{np.sum(s_big < s)} exaggerated events score below the original"
    assert (s_big[over] == vae.OVERFLOW_SCORE).all()
    # without the guard the saturated score is still finite (no wrap to garbage or NaN)
    assert np.isfinite(vae.l1_score(model, big, overflow_guard=False)).all()
