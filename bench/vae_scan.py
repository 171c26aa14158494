"""Scan L1 VAE settings on refstream-v1: TPR at FPR 1e-3 / 1e-4 and AUC per signal, the AE baseline beside them.

Each variant is a JSON object of overrides: VAEConfig fields (``beta``, ``latent``, ``hidden``,
``bw_regularisation``, ``free_bits``, ``epochs`` ...) plus the preprocessing choices ``filled_only`` and
``rare_gain_bits`` and the score ``score`` (mu2 | kl | rz | all). The data are loaded once; variants run one after
the other (never two torch jobs at once on a 2-core machine). Results go to stdout as a markdown table and, with
``--out``, to JSON.

    python bench/vae_scan.py '{"beta": 0.8}' '{"beta": 0.8, "filled_only": false}' --epochs 20
"""

from __future__ import annotations

import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import argparse
import json
import time
from pathlib import Path

from adtrigger.refdata import refstream_dir
from adtrigger.training.metrics import auc_and_tprs

DATA = refstream_dir()
SM = ("W_lnu", "QCD", "Z_ll", "ttbar")
SIGNALS = ("A_4l_m50", "LQ_btau_m80", "h0_tautau_m60", "hplus_taunu_m60")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("variants", nargs="+", help="JSON overrides, one per variant")
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--split", default="0.5,0.1,0.4", help="train,val,test fractions of the SM stream")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--ae", action="store_true", help="also train the ADC2021 AE baseline on each preprocessing")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()

    import torch

    from adtrigger.training import vae
    from adtrigger.training.data import Dataset
    from adtrigger.training.preprocess import fit_preprocessing

    torch.set_num_threads(args.threads)
    split = tuple(float(v) for v in args.split.split(","))
    data = Dataset.load([DATA / f"{p}.h5" for p in SM], [DATA / f"{s}.h5" for s in SIGNALS], split=split, seed=1)
    tr, va, te = data.sm["train"], data.sm["val"], data.sm["test"]
    print(f"train {len(tr)}  val {len(va)}  test {len(te)} SM events", flush=True)
    results = []
    for text in args.variants:
        v = json.loads(text)
        filled_only = v.pop("filled_only", True)
        rare = v.pop("rare_gain_bits", None)
        rare_fraction = v.pop("rare_fraction", None)
        kind = v.pop("score", "mu2")
        cfg = vae.VAEConfig(**{"epochs": args.epochs, "verbose": 0, **v})
        pre = fit_preprocessing(tr.flat, tr.weight, filled_only=filled_only, rare_gain_bits=rare,
                                rare_fraction=rare_fraction)
        start = time.perf_counter()
        model, hist = vae.train_l1_vae(tr.flat, tr.weight, va.flat, va.weight, cfg, preprocessing=pre)
        seconds = time.perf_counter() - start
        mu, _ = vae.latent(model, te.flat)
        row = {
            "variant": text, "seconds": round(seconds, 1), "epochs": len(hist["loss"]),
            "ebops": vae.model_ebops(model), "active": vae.active_latent_dims(mu, weight=te.weight), "signals": {},
        }  # fmt: skip
        kinds = vae.SCORE_KINDS if kind == "all" else (kind,)
        for k in kinds:
            sm_score = vae.l1_score(model, te.flat, k)
            sig = {s: vae.l1_score(model, data.signals[s].flat, k) for s in SIGNALS}
            row["signals" if k == kinds[0] else f"signals_{k}"] = {
                s: auc_and_tprs(sm_score, te.weight, sig[s]) for s in SIGNALS
            }
        if args.ae:
            from adtrigger.training import baselines as bl

            ae = bl.train_dense_ae(pre.apply(tr.flat), tr.weight, pre.apply(va.flat), va.weight, seed=1)
            ae_sm = bl.ae_score(ae, pre.apply(te.flat))
            sig = {s: bl.ae_score(ae, pre.apply(data.signals[s].flat)) for s in SIGNALS}
            row["ae"] = {s: auc_and_tprs(ae_sm, te.weight, sig[s]) for s in SIGNALS}
        results.append(row)
        info = f"{row['epochs']} ep {row['seconds']} s ebops {row['ebops']} active {row['active']}"
        for k in kinds:
            res = row["signals" if k == kinds[0] else f"signals_{k}"]
            cells = " | ".join(f"{res[s]['0.0001']:.4f} {res[s]['0.001']:.3f} {res[s]['auc']:.3f}" for s in SIGNALS)
            print(f"| {text} {k} | {info} | {cells} |", flush=True)
        if "ae" in row:
            cells = " | ".join(f"{row['ae'][s]['0.0001']:.4f} {row['ae'][s]['0.001']:.3f} {row['ae'][s]['auc']:.3f}"
                               for s in SIGNALS)  # fmt: skip
            print(f"| AE on the same preprocessing | | {cells} |", flush=True)
        if args.out:
            args.out.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
