"""L1 VAE (HGQ2) training throughput on 2 CPU threads, and TPR at FPR 1e-4 per signal on the full refstream-v1.

    python bench/train_throughput.py                 # throughput only (~1 min)
    python bench/train_throughput.py --full          # + one config trained on the full SM (60/20/20 split)

Reference (FACTS.md, same data and split): ADC2021 AE TPR at FPR 1e-4: A->4l 0.006, LQ->btau 0.0035, h0 ~0,
h+- ~0; a plain-PyTorch 57-input AE trains at ~0.5 M events/s on 2 threads.
"""

from __future__ import annotations

import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import argparse
import json
import time
from pathlib import Path

import keras
import numpy as np
import torch

from adtrigger.refdata import refstream_dir
from adtrigger.training import vae
from adtrigger.training.data import Dataset
from adtrigger.training.metrics import auc, operating_point, roc_curve
from adtrigger.training.preprocess import fit_preprocessing

DATA = refstream_dir()
SM = ("W_lnu", "QCD", "Z_ll", "ttbar")
SIGNALS = ("A_4l_m50", "LQ_btau_m80", "h0_tautau_m60", "hplus_taunu_m60")


class _EpochTimer(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.times: list[float] = []

    def on_epoch_begin(self, epoch, logs=None):
        self._t0 = time.perf_counter()

    def on_train_batch_end(self, batch, logs=None):
        self._t1 = time.perf_counter()  # end of the last training batch: excludes validation

    def on_epoch_end(self, epoch, logs=None):
        self.times.append(self._t1 - self._t0)


def throughput(ds: Dataset, n_events: int, epochs: int, batch_size: int) -> dict:
    tr = ds.sm["train"]
    x, w = tr.flat[:n_events], tr.weight[:n_events]
    model = vae.build_l1_vae(preprocessing=fit_preprocessing(x, w), seed=1)
    timer = _EpochTimer()
    model.fit(x, x, sample_weight=w, epochs=epochs, batch_size=batch_size, callbacks=[timer], verbose=0)
    per_epoch = timer.times[1:] or timer.times  # the first epoch pays the warm-up
    rate = len(x) / float(np.median(per_epoch))
    return {"events": len(x), "batch_size": batch_size, "epoch_s": per_epoch, "events_per_s": rate}


def full(ds: Dataset, cfg: vae.VAEConfig, out: Path | None) -> dict:
    tr, va, te = ds.sm["train"], ds.sm["val"], ds.sm["test"]
    t0 = time.perf_counter()
    model, history = vae.train_l1_vae(tr.flat, tr.weight, va.flat, va.weight, cfg)
    train_s = time.perf_counter() - t0
    if out is not None:
        vae.save_model(model, out)
    mu, _ = vae.latent(model, te.flat)
    result = {
        "train_s": train_s,
        "epochs_run": len(history["loss"]),
        "best_val_loss": min(history["val_loss"]),
        "ebops": vae.model_ebops(model),
        "active_latent_dims": vae.active_latent_dims(mu, weight=te.weight),
        "sm_test_overflow_fraction": float(np.average(vae.input_overflow(te.flat), weights=te.weight)),
        "signals": {},
    }
    for kind in vae.SCORE_KINDS:
        s_sm = vae.l1_score(model, te.flat, kind)
        for name, sig in ds.signals.items():
            s_sig = vae.l1_score(model, sig.flat, kind)
            op = operating_point(s_sm, te.weight, s_sig, None, 1e-4)
            fpr, tpr, _ = roc_curve(s_sm, te.weight, s_sig)
            result["signals"].setdefault(name, {})[kind] = {
                "tpr_at_fpr_1e-4": op.tpr, "tpr_err": op.tpr_err, "resolved": op.resolved, "auc": auc(fpr, tpr),
            }  # fmt: skip
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--full", action="store_true", help="train on the full SM and report TPRs")
    ap.add_argument("--events", type=int, default=100_000, help="events for the throughput measurement")
    ap.add_argument("--epochs", type=int, default=40)
    ap.add_argument("--beta", type=float, default=1.0)
    ap.add_argument("--bw", type=float, default=1e-6, help="bw_regularisation (HGQ2 EBOPs beta)")
    ap.add_argument("--save", type=Path, default=None, help="save the fully trained model here")
    ap.add_argument("--json", type=Path, default=None, help="write the results here")
    args = ap.parse_args()

    torch.set_num_threads(2)
    ds = Dataset.load([DATA / f"{p}.h5" for p in SM], [DATA / f"{s}.h5" for s in SIGNALS], split=(0.6, 0.2, 0.2))
    results = {"throughput": throughput(ds, args.events, epochs=3, batch_size=1024)}
    print(json.dumps(results["throughput"], indent=1))
    if args.full:
        cfg = vae.VAEConfig(epochs=args.epochs, beta=args.beta, bw_regularisation=args.bw, verbose=2)
        results["full"] = {"config": cfg.__dict__, **full(ds, cfg, args.save)}
        print(json.dumps(results["full"], indent=1, default=str))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str))


if __name__ == "__main__":
    main()
