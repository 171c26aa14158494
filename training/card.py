"""The bundle card at train and evaluate time: ``adtrigger train`` writes ``bundle.json`` (docs/bundle.md) into the
model directory before it is renamed into place; ``adtrigger evaluate`` merges the headline metrics into it."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import Any

from adtrigger.bundle import CARD_FILE, SCHEMA_VERSION, file_entry, update_card, write_card
from adtrigger.bundle.layout import HLT_FEATURE_NAMES, L1_INPUT_NAMES, N_FEATURES_PER_OBJECT, N_OBJECTS
from adtrigger.training.config import Config

SCORE_DEFINITIONS = {
    ("l1_vae", "mu2"): "sum over latent d of mu_d^2, mu from the quantized encoder",
    ("l1_vae", "kl"): "sum over latent d of 0.5 (mu_d^2 + sigma_d^2 - 1 - log sigma_d^2), from the quantized encoder",
    ("l1_vae", "rz"): "sum over latent d of mu_d^2 / sigma_d^2, from the quantized encoder",
    ("hlt_vae", "loss"): "negative log-likelihood of the per-feature decoder plus the KL term",
    ("hlt_vae", "kl"): "sum over latent d of 0.5 (mu_d^2 + sigma_d^2 - 1 - log sigma_d^2)",
}


def utc_now() -> str:
    """The time now, UTC, ISO 8601 with a Z."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _input_section(kind: str) -> dict[str, Any]:
    if kind == "hlt_vae":
        n = len(HLT_FEATURE_NAMES)
        units = "the 21 l+X HLT features (GeV, counts, flags)"
        return {"name": "hlt_inputs", "n_features": n, "shapes": [[n]], "dtype": "float32",
                "feature_names": list(HLT_FEATURE_NAMES), "units": units}  # fmt: skip
    from adtrigger.training.vae import L1_FULL_SCALE

    return {
        "name": "l1_inputs",
        "n_features": len(L1_INPUT_NAMES),
        "shapes": [[N_OBJECTS, N_FEATURES_PER_OBJECT], [len(L1_INPUT_NAMES)]],
        "dtype": "float32",
        "feature_names": list(L1_INPUT_NAMES),
        "units": "pT in GeV, eta, phi in rad; zero-padded empty slots",
        "full_scale": {k: [float(v) for v in r] for k, r in L1_FULL_SCALE.items()},
    }


def _preprocessing(model_dir: Path) -> dict[str, Any]:
    """The input transformation the graph applies: the L1 offset and shift, or the HLT standardiser."""
    l1, hlt = model_dir / "preprocessing.json", model_dir / "hlt_vae.json"
    if l1.is_file():
        return json.loads(l1.read_text())
    if hlt.is_file():
        std = json.loads(hlt.read_text()).get("standardizer", {})
        return {"formula": "x' = (x - mean) / std", **std}
    return {}


def _data_manifest(cfg: Config, manifest: dict[str, Any]) -> dict[str, Any]:
    """The data the model saw: files with sha256 and size, event counts, split and seed."""
    files = {str(p): file_entry(p) for p in [*cfg.sm_paths(), *cfg.signal_paths()] if Path(p).is_file()}
    return {**manifest, "files": files, "split": list(cfg.data.split), "seed": cfg.seed,
            "max_events": cfg.data.max_events}  # fmt: skip


def write_train_card(model_dir: Path, cfg: Config, record: dict[str, Any]) -> dict:
    """Write ``bundle.json`` for a freshly trained model directory, vouching for every file already in it."""
    model_dir = Path(model_dir)
    kind = cfg.model.kind
    preprocessing = _preprocessing(model_dir)
    score: dict[str, Any] = {
        "kind": cfg.model.score,
        "definition": SCORE_DEFINITIONS.get((kind, cfg.model.score), cfg.model.score),
        "output": "score",
        "dtype": "float64",
        "overflow_score": None,
        "accept": "score >= threshold",
    }
    if kind == "l1_vae":
        from adtrigger.training.vae import OVERFLOW_SCORE

        score["overflow_score"] = OVERFLOW_SCORE
    card = {
        "schema_version": SCHEMA_VERSION,
        "name": cfg.name,
        "kind": kind,
        "created": utc_now(),
        "input": _input_section(kind),
        "preprocessing": preprocessing,
        "score": score,
        "fixed_point": None,
        "files": {p.name: file_entry(p) for p in sorted(model_dir.iterdir()) if p.is_file() and p.name[0] != "."},
        "thresholds": {},
        "active_threshold": None,
        "data": _data_manifest(cfg, record.get("data", {})),
        "code": record.get("code", {}),
        "settings": cfg.as_dict(),
        "metrics": {},
    }
    write_card(model_dir, card)
    return card


def _finite(v: float | None) -> float | None:
    """The card is strict JSON: an infinite ratio (over a zero TPR) is null there; the bar's TPR says which."""
    return v if v is not None and math.isfinite(v) else None


def headline_metrics(metrics: dict[str, Any], score_name: str) -> dict[str, Any]:
    """AUC, TPR at FPR 1e-5/1e-4/1e-3 and at 50 SM events a day per signal, of the model's own score; and where the
    evaluation has them, the bar at each FPR (best plain L1 trigger or AE, and which), the model's ratio to it and
    to its float twin (``report.compare_to_bar``): whether the model earns its place beside the plain triggers."""
    out: dict[str, Any] = {k: metrics.get(k) for k in ("sm_events", "sm_effective_events")}
    for signal, m in metrics.get("scores", {}).get(score_name, {}).items():
        out[signal] = {
            "auc": m["auc"],
            "tpr_at_fpr": {k: p["tpr"] for k, p in m["tpr_at_fpr"].items()},
            "tpr_at_events_per_day": m["at_events_per_day"]["tpr"],
        }
        if signal in metrics.get("bar", {}):
            out[signal]["bar"] = {k: {"tpr": b["tpr"], "by": b["by"]} for k, b in metrics["bar"][signal].items()}
        for key in ("ratio_to_bar", "ratio_to_float_twin"):
            if signal in metrics.get(key, {}):
                out[signal][key] = {k: _finite(r) for k, r in metrics[key][signal].items()}
    return out


def merge_evaluation(model_dir: Path, cfg: Config, record: dict[str, Any], metrics: dict[str, Any]) -> dict:
    """Merge the evaluation's headline metrics into the card (replacing older ones) and register its files; a model
    directory trained before cards existed gets its card first."""
    model_dir = Path(model_dir)
    if not (model_dir / CARD_FILE).is_file():
        write_train_card(model_dir, cfg, record)
    score_name = f"VAE {cfg.model.score}"
    files = [f"evaluation/{p.name}" for p in sorted((model_dir / "evaluation").iterdir()) if p.is_file()]
    changes = {"metrics": {"evaluated": utc_now(), "score": score_name, **headline_metrics(metrics, score_name)}}
    return update_card(model_dir, changes, files=files, replace=["metrics"])
