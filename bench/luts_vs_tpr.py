"""Yosys LUTs against physics: train L1 VAEs at several bit-width regularisations (HGQ2's beta0, the training
config's ``model.bw_regularisation``), and for each the firmware's LUT/FF count and latency (da4ml Verilog, Yosys
``synth_xilinx``) beside the TPR at FPR 1e-3 and 1e-4 of the four signals; table, JSON and a plot.

The full scan (long training on refstream-v1) is for a free machine:
    OMP_NUM_THREADS=2 python bench/luts_vs_tpr.py --betas 1e-6 1e-5 3e-5 1e-4 3e-4 --epochs 40
Runs made separately combine into one table and plot:
    python bench/luts_vs_tpr.py --merge runs/a/results.json runs/b/results.json --out docs/luts_vs_tpr
A tiny run proves the script works (minutes):
    OMP_NUM_THREADS=1 python bench/luts_vs_tpr.py --betas 1e-5 1e-3 --max-events 6000 --epochs 2 --out runs/lut_tiny
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import yaml

os.environ.setdefault("KERAS_BACKEND", "torch")
ROOT = Path(__file__).resolve().parents[1]
BASE_CONFIG = ROOT / "configs" / "l1_vae_refstream.yaml"
FPRS = ("0.001", "0.0001")


def config_for(beta: float, args: argparse.Namespace) -> dict:
    """The base config with this beta, absolute data paths and the run's size."""
    cfg = yaml.safe_load(BASE_CONFIG.read_text())
    for key in ("sm", "signals"):
        cfg["data"][key] = [str((BASE_CONFIG.parent / p).resolve()) for p in cfg["data"][key]]
    cfg["name"] = f"l1_bw{beta:.0e}".replace("-", "m").replace("+", "")
    cfg["model"]["bw_regularisation"] = float(beta)
    cfg["data"]["max_events"] = args.max_events
    cfg["train"]["epochs"] = args.epochs
    cfg["seed"] = args.seed
    return cfg


def run_one(beta: float, args: argparse.Namespace) -> dict:
    """Train, evaluate (no baselines), build the RTL and synthesise it; one row of the table."""
    from adtrigger.firmware import rtl
    from adtrigger.firmware.design import load_design
    from adtrigger.training.pipeline import evaluate, read_record, train

    cfg = config_for(beta, args)
    path = args.out / f"{cfg['name']}.yaml"
    path.write_text(yaml.safe_dump(cfg))
    t0 = time.perf_counter()
    bundle = train(path, args.out / "models", force=True)
    metrics = json.loads((evaluate(bundle, baselines=False) / "metrics.json").read_text())
    t1 = time.perf_counter()
    design = load_design(bundle, threshold=1.0)  # the comparator's constant barely changes the LUT count
    build = rtl.write_rtl(design, args.out / "rtl" / cfg["name"], clock_period=args.clock_period,
                          latency_cutoff=args.latency_cutoff)  # fmt: skip
    syn = rtl.synthesize(build)
    vae_scores = metrics["scores"]["VAE mu2"]
    return {
        "bw_regularisation": beta, "name": cfg["name"], "ebops": read_record(bundle)["ebops"],
        "lut": syn["lut"], "ff": syn["ff"], "dsp": syn["dsp"], "stages": build.stages,
        "latency_ns": build.latency_ns, "da4ml_cost": build.da4ml_cost,
        "tpr": {sig: {f: v["tpr_at_fpr"][f]["tpr"] for f in FPRS} for sig, v in vae_scores.items()},
        "auc": {sig: v["auc"] for sig, v in vae_scores.items()},
        "train_eval_s": round(t1 - t0, 1), "firmware_s": round(time.perf_counter() - t1, 1),
    }  # fmt: skip


def plot(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(FPRS), figsize=(5.5 * len(FPRS), 4), sharex=True)
    rows = sorted(rows, key=lambda r: r["lut"])
    for ax, f in zip(axes, FPRS, strict=True):
        for sig in rows[0]["tpr"]:
            ax.plot([r["lut"] for r in rows], [r["tpr"][sig][f] for r in rows], "o-", label=sig)
        ax.axvline(11_800, color="grey", ls="--", lw=1, label="1 % of VU9P")
        ax.set_xlabel("LUTs (Yosys synth_xilinx)")
        ax.set_ylabel(f"TPR at FPR {float(f):g}")
        ax.set_xscale("log")
        ax.legend(fontsize=7)
    for r in rows:
        axes[0].annotate(f"{r['bw_regularisation']:.0e}", (r["lut"], 0), fontsize=6, rotation=90, va="bottom")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--betas", type=float, nargs="+", default=[1e-6, 1e-5, 3e-5, 1e-4, 3e-4])
    p.add_argument("--max-events", type=int, default=None, help="events per SM file (default: all)")
    p.add_argument("--epochs", type=int, default=40)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--clock-period", type=float, default=5.0)
    p.add_argument("--latency-cutoff", type=float, default=5.0)
    p.add_argument("--out", type=Path, default=Path("runs/luts_vs_tpr"))
    p.add_argument("--merge", type=Path, nargs="+", help="only combine earlier results.json files into one table/plot")
    args = p.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    if args.merge:
        rows = [r for f in args.merge for r in json.loads(f.read_text())]
        rows.sort(key=lambda r: r["bw_regularisation"])
    else:
        rows = [run_one(b, args) for b in args.betas]
    (args.out / "results.json").write_text(json.dumps(rows, indent=1))
    plot(rows, args.out / "luts_vs_tpr.png")
    sigs = list(rows[0]["tpr"])
    head = ["bw_reg", "EBOPs", "LUT", "FF", "DSP", "ns"] + [f"{s[:6]}@{f}" for s in sigs for f in FPRS]
    print(" | ".join(head))
    for r in rows:
        vals = [f"{r['bw_regularisation']:.0e}", r["ebops"], r["lut"], r["ff"], r["dsp"], r["latency_ns"]]
        print(" | ".join(map(str, vals + [f"{r['tpr'][s][f]:.4f}" for s in sigs for f in FPRS])))
    print(f"wrote {args.out}/results.json, luts_vs_tpr.png")


if __name__ == "__main__":
    main()
