"""The ladder in the evaluation: per seed, on the SM test split and each signal, what the reference menu takes,
what the AD seed adds (menu-OR-AD and the gain: events the seed accepts and no menu seed does), and the seed's
total and pure rate, so the model is judged as CMS runs AXOL1TL: beside the menu, not alone."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from adtrigger.bundle import read_card
from adtrigger.bundle.ladder import seed_bits, seeds
from adtrigger.bundle.rates import fraction_above
from adtrigger.training.calibration.tune import selected_fraction
from adtrigger.training.stream.sample import EventSample


def _eff(sel: np.ndarray) -> dict:
    value, lo, hi = selected_fraction(sel)
    return {"value": value, "lo": lo, "hi": hi}


def _weighted(sel: np.ndarray, weight: np.ndarray) -> dict:
    """The weighted SM fraction of the events ``sel`` (bool) with its interval (adtrigger.bundle.rates)."""
    f = fraction_above(sel.astype(float), weight, np.array([1.0]))
    return {"value": f["fpr"][0], "lo": f["fpr_lo"][0], "hi": f["fpr_hi"][0]}


def ladder_metrics(
    model_dir: Path, sm: EventSample, sm_scores: np.ndarray, signals: dict[str, tuple[EventSample, np.ndarray]]
) -> dict | None:
    """``{"menu", "input_rate_hz", "seeds": {name: {"score", "total", "pure", "signals": {sig: {ad, menu,
    menu_or_ad, gain}}}}}`` for a card with a ladder and a reference menu; None otherwise. Rates are weighted SM
    fractions of the test split (times the stream's crossing rate for zero-bias data)."""
    card = read_card(model_dir)
    ladder = card.get("ladder") or {}
    if not ladder.get("menu"):
        return None
    from adtrigger.training.menu import load_menu

    menu = load_menu(Path(model_dir) / ladder["menu"]["file"])
    seed_list = seeds(card)
    rate = (sm.manifest or {}).get("input_rate_hz")
    sm_menu = menu.accept(sm.particles, sm.event_id)
    sm_bits = seed_bits(sm_scores, seed_list)
    sig_menu = {n: menu.accept(s.particles, s.event_id) for n, (s, _) in signals.items()}
    sig_bits = {n: seed_bits(sc, seed_list) for n, (_, sc) in signals.items()}
    out: dict = {"menu": ladder["menu"]["name"], "input_rate_hz": rate, "seeds": {}}
    out["menu_fpr"] = _weighted(sm_menu, sm.weight)
    for k, s in enumerate(seed_list):
        entry = {
            "score": s.score,
            "total_fpr": _weighted(sm_bits[:, k], sm.weight),
            "pure_fpr": _weighted(sm_bits[:, k] & ~sm_menu, sm.weight),
            "signals": {},
        }
        for name in signals:
            ad, m = sig_bits[name][:, k], sig_menu[name]
            entry["signals"][name] = {"ad": _eff(ad), "menu": _eff(m), "menu_or_ad": _eff(ad | m),
                                      "gain": _eff(ad & ~m)}  # fmt: skip
        out["seeds"][s.name] = entry
    return out


def ladder_table(metrics: dict) -> str:
    """Markdown: per seed its rates, and per signal menu, menu-OR-AD and the gain."""
    rate = metrics.get("input_rate_hz")
    scale, unit = (rate / 1e3, " kHz") if rate else (1.0, "")

    def r(d: dict) -> str:
        return f"{d['value'] * scale:.4g} [{d['lo'] * scale:.3g}, {d['hi'] * scale:.3g}]{unit}"

    names = list(next(iter(metrics["seeds"].values()))["signals"]) if metrics["seeds"] else []
    lines = [
        f"## The ladder beside the reference menu `{metrics['menu']}` (SM test split)",
        "",
        f"The menu alone: {r(metrics['menu_fpr'])}{' of collisions' if rate else ' (SM fraction)'}. Per signal: "
        "menu / menu OR AD / gain (events only the AD seed takes).",
        "",
        "| seed | threshold | total rate | pure rate | " + " | ".join(names) + " |",
        "| --- " * (4 + len(names)) + "|",
    ]
    for name, e in metrics["seeds"].items():
        cells = [
            f"{e['signals'][n]['menu']['value']:.3g} / {e['signals'][n]['menu_or_ad']['value']:.3g} / "
            f"+{e['signals'][n]['gain']['value']:.3g}"
            for n in names
        ]
        lines.append(f"| {name} | {e['score']:.6g} | {r(e['total_fpr'])} | {r(e['pure_fpr'])} | " + " | ".join(cells)
                     + " |")  # fmt: skip
    return "\n".join(lines) + "\n"
