"""The rate of each ladder seed (and of the reference menu) as a function of pileup, from zero-bias streams generated
at several mu: how a model calibrated at one pileup holds at another (issue 13).

Each stream is scored through the bundle's ONNX graph (the service's code path); each seed's total rate (every
crossing it accepts) and pure rate (crossings no seed of the bundle's reference menu accepts) are counted in Hz of
the stream's crossing rate (its manifest's ``input_rate_hz``), with 68 % Clopper-Pearson intervals. Use streams
that the model was not trained on (another seed), else the rates at the training pileup are biased low.

    python bench/rate_vs_pileup.py models/l1_vae_zerobias \\
        --stream 20=runs/zb/scan_pu20.h5 --stream 40=runs/zb/scan_pu40.h5 \\
        --stream 60=runs/zb/scan_pu60.h5 --stream 80=runs/zb/scan_pu80.h5 --out docs/pileup

writes ``rate_vs_pileup.md`` (the table, with the command) and ``rate_vs_pileup.png``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

from adtrigger.bundle import load_bundle
from adtrigger.bundle.ladder import seed_bits, seeds
from adtrigger.bundle.rates import clopper_pearson
from adtrigger.bundle.scoring import Scorer
from adtrigger.training.menu import load_menu
from adtrigger.training.stream.io import read_events

CHUNK = 200_000


def _rate(k: float, n: float, rate_hz: float) -> dict:
    lo, hi = clopper_pearson(np.array([k]), np.array([n]))
    return {"hz": k / n * rate_hz, "lo": float(lo[0]) * rate_hz, "hi": float(hi[0]) * rate_hz, "k": int(k)}


def measure(scorer: Scorer, menu, path: Path) -> dict:
    """Per seed: total and pure rate; the menu's rate; the stream's mean pileup and crossing rate."""
    sample = read_events(path)
    rate_hz = sample.manifest.get("input_rate_hz")
    if rate_hz is None:
        raise SystemExit(f"{path}: not a zero-bias stream (its manifest has no input_rate_hz)")
    seed_list = seeds(scorer.bundle.card)
    n = len(sample)
    total = np.zeros(len(seed_list))
    pure = np.zeros(len(seed_list))
    menu_k = 0
    for a in range(0, n, CHUNK):
        x = sample.particles[a : a + CHUNK].astype(np.float32)
        bits = seed_bits(scorer.score(x), seed_list)
        m = menu.accept(x, sample.event_id[a : a + CHUNK])
        total += bits.sum(axis=0)
        pure += (bits & ~m[:, None]).sum(axis=0)
        menu_k += int(m.sum())
    npu = getattr(sample, "n_pileup", None)
    return {
        "file": str(path),
        "crossings": n,
        "input_rate_hz": float(rate_hz),
        "mean_pileup": float(np.mean(npu)) if npu is not None else sample.manifest.get("pileup"),
        "menu": _rate(menu_k, n, rate_hz),
        "seeds": {
            s.name: {"total": _rate(total[i], n, rate_hz), "pure": _rate(pure[i], n, rate_hz)}
            for i, s in enumerate(seed_list)
        },
    }


def _fmt(r: dict) -> str:
    return f"{r['hz'] / 1e3:.3g} [{r['lo'] / 1e3:.3g}, {r['hi'] / 1e3:.3g}]"


def table(results: dict[float, dict], trained_mu, command: str) -> str:
    names = list(next(iter(results.values()))["seeds"])
    lines = [
        "# Ladder rates against pileup",
        "",
        f"Made by `{command}`. Rates in kHz of LHC collisions (68 % Clopper-Pearson intervals); pure = crossings no",
        f"seed of the reference menu takes. The model was trained and calibrated at mu = {trained_mu}.",
        "",
        "| mu | crossings | menu | " + " | ".join(f"{n} total | {n} pure" for n in names) + " |",
        "| --- " * (3 + 2 * len(names)) + "|",
    ]
    for mu, r in sorted(results.items()):
        cells = [_fmt(r["seeds"][n][k]) for n in names for k in ("total", "pure")]
        lines.append(f"| {mu:g} | {r['crossings']} | {_fmt(r['menu'])} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def plot(results: dict[float, dict], path: Path, trained_mu) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    mus = sorted(results)
    names = list(results[mus[0]]["seeds"])
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(12, 4.5), sharey=False)
    for i, name in enumerate(names):
        for axis, kind in ((ax, "total"), (bx, "pure")):
            r = [results[m]["seeds"][name][kind] for m in mus]
            y = np.array([v["hz"] for v in r]) / 1e3
            err = np.array([[v["hz"] - v["lo"], v["hi"] - v["hz"]] for v in r]).T / 1e3
            axis.errorbar(mus, np.maximum(y, 1e-3), yerr=err, marker="o", color=f"C{i}", label=name, capsize=3)
    menu = [results[m]["menu"]["hz"] / 1e3 for m in mus]
    ax.plot(mus, menu, "k--", label="reference menu")
    for axis, title in ((ax, "total rate of each seed"), (bx, "pure rate (not taken by the menu)")):
        axis.set_yscale("log")
        axis.set_xlabel("pileup mu (mean interactions per crossing)")
        axis.set_ylabel("rate [kHz of collisions]")
        if trained_mu is not None:
            axis.axvline(float(trained_mu), color="grey", lw=1, ls=":", label=f"trained at mu = {trained_mu}")
        axis.set_title(title, fontsize=10)
        axis.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("bundle", type=Path)
    ap.add_argument("--stream", action="append", required=True, metavar="MU=FILE", help="a zero-bias stream at mu")
    ap.add_argument("--out", type=Path, default=Path("docs/pileup"))
    args = ap.parse_args()
    bundle = load_bundle(args.bundle)
    ladder = bundle.card.get("ladder") or {}
    if not ladder.get("menu"):
        raise SystemExit(f"{args.bundle}: no ladder with a reference menu: run adtrigger calibrate --ladder --menu")
    menu = load_menu(bundle.file(ladder["menu"]["file"]))
    scorer = Scorer(bundle)
    trained = (bundle.card.get("data", {}).get("sm_sources") or {}).get("pileup_mu")
    results = {}
    for spec in args.stream:
        mu, _, file = spec.partition("=")
        results[float(mu)] = measure(scorer, menu, Path(file))
        print(f"mu {mu}: {json.dumps(results[float(mu)]['seeds'])}", flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    command = "python bench/rate_vs_pileup.py " + " ".join(sys.argv[1:])
    (args.out / "rate_vs_pileup.md").write_text(table(results, trained, command) + "\n![](rate_vs_pileup.png)\n")
    (args.out / "rate_vs_pileup.json").write_text(json.dumps(results, indent=1))
    plot(results, args.out / "rate_vs_pileup.png", trained)
    print((args.out / "rate_vs_pileup.md").read_text())


if __name__ == "__main__":
    main()
