"""The L1 physics study (docs/training.md): L1 VAE variants against the plain triggers and their own float twin.

Each variant is a JSON object of VAEConfig overrides (``kinematic_hidden``, ``kinematic_share``, ``pt_step_gev``,
``bw_regularisation`` ...), trained on the refstream-v1 SM train split of the committed config (60/20/20, seed 1) and
scored on its test split and the signals' evaluation halves, exactly as ``adtrigger evaluate`` splits them. Per
signal: TPR at FPR 1e-3 and 1e-4 of the quantized model's grouped score (the firmware's, bit-exact), of its float
twin (``--twin``), of MET, S_T and the leading-lepton pT, and (``--ae``) of the ADC2021 AE; the bar (best plain
trigger or AE) and the model's ratio to it. Variants run one after the other on the given threads.

    python bench/l1_physics_study.py '{}' '{"kinematic_hidden": [8, 4]}' --epochs 20 --twin --out runs/study.json
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
from adtrigger.training.stream.cards import SIGNALS, SM_PROCESSES

BASE = {"hidden": [32, 16], "latent": 8, "beta": 0.8, "bw_regularisation": 1e-3, "free_bits": 0.05,
        "rare_fraction": 0.05, "epochs": 20, "patience": 6, "verbose": 0}  # fmt: skip


def _table(rows: dict[str, dict[str, dict[str, float]]], bar: dict[str, dict[str, float]]) -> str:
    head = "| score | " + " | ".join(SIGNALS) + " |"
    lines = [head, "|" + " --- |" * (len(SIGNALS) + 1)]
    for name, by_signal in rows.items():
        cells = []
        for s in SIGNALS:
            m = by_signal[s]
            ratio = m['0.001'] / bar[s]['0.001'] if bar[s]['0.001'] > 0 else float("nan")
            cells.append(f"{m['0.001']:.3g} / {m['0.0001']:.2g} ({ratio:.2f})")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("variants", nargs="+", help="JSON VAEConfig overrides, one per variant")
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--twin", action="store_true", help="also train each variant's float twin")
    ap.add_argument("--ae", action="store_true", help="also train the ADC2021 AE (part of the bar)")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()

    import torch

    from adtrigger.training import plain_triggers, vae
    from adtrigger.training.data import Dataset, split_masks

    torch.set_num_threads(args.threads)
    data_dir = refstream_dir()
    data = Dataset.load([data_dir / f"{p}.h5" for p in SM_PROCESSES], [data_dir / f"{s}.h5" for s in SIGNALS],
                        split=(0.6, 0.2, 0.2), seed=1)  # fmt: skip
    tr, va, te = data.sm["train"], data.sm["val"], data.sm["test"]
    sig = {s: data.signals[s].select(split_masks(data.signals[s], (0.5, 0.0, 0.5), 1)["test"]).flat for s in SIGNALS}
    print(f"train {len(tr)}  val {len(va)}  test {len(te)} SM events; signals {[len(v) for v in sig.values()]}")
    rows: dict[str, dict[str, dict[str, float]]] = {}
    for name, fn in plain_triggers.PLAIN_TRIGGERS.items():
        rows[name] = {s: auc_and_tprs(fn(te.flat), te.weight, fn(x)) for s, x in sig.items()}
    if args.ae:
        from adtrigger.training import baselines as bl
        from adtrigger.training.preprocess import fit_preprocessing

        pre = fit_preprocessing(tr.flat, tr.weight, rare_fraction=BASE["rare_fraction"])
        ae = bl.train_dense_ae(pre.apply(tr.flat), tr.weight, pre.apply(va.flat), va.weight, seed=1)
        ae_sm = bl.ae_score(ae, pre.apply(te.flat))
        rows["AE (ADC2021)"] = {s: auc_and_tprs(ae_sm, te.weight, bl.ae_score(ae, pre.apply(x)))
                                for s, x in sig.items()}
    baseline_names = list(rows)
    bar = {s: {p: max(rows[n][s][p] for n in baseline_names) for p in ("0.001", "0.0001")} for s in SIGNALS}
    results = {"bar": bar, "baselines": {n: rows[n] for n in baseline_names}, "variants": []}
    for text in args.variants:
        over = json.loads(text)
        cfg = vae.VAEConfig(**{**BASE, "epochs": args.epochs, **over})
        start = time.perf_counter()
        model, hist = vae.train_l1_vae(tr.flat, tr.weight, va.flat, va.weight, cfg)
        groups = vae.select_score_groups(model, tr.flat, tr.weight, cfg)
        seconds = time.perf_counter() - start
        label = f"VAE {text}"
        s_te = vae.l1_score(model, te.flat, groups=groups)
        rows[label] = {s: auc_and_tprs(s_te, te.weight, vae.l1_score(model, x, groups=groups)) for s, x in sig.items()}
        entry = {"variant": over, "seconds": round(seconds, 1), "epochs": len(hist["loss"]),
                 "ebops": vae.model_ebops(model), "groups": [g.as_dict() for g in groups],
                 "quantized": rows[label]}  # fmt: skip
        if args.twin:
            twin = vae.float_twin_scorer(tr.flat, tr.weight, va.flat, va.weight, cfg, vae.preprocessing_of(model))
            t_te = twin(te.flat)
            rows[f"float twin {text}"] = {s: auc_and_tprs(t_te, te.weight, twin(x)) for s, x in sig.items()}
            entry["float_twin"] = rows[f"float twin {text}"]
        results["variants"].append(entry)
        print(f"\n{label}: {seconds:.0f} s, {entry['epochs']} epochs, EBOPs {entry['ebops']}, groups {groups}")
        print(_table(rows, bar), flush=True)
        if args.out:
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
