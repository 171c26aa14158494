"""The weighted SM cocktail: processes mixed to seed-004's fractions (default) or by cross section.

Pythia's own sigma x pass gives W:Z:ttbar ~ 86:13:1 and lets QCD's fake e/gamma dominate (FACTS.md), so by default
the fractions of seed-004's single-lepton stream are imposed: W 59.2 %, QCD 33.8 %, Z 6.7 %, ttbar 0.3 %.
Within a process, a generator-biased sample keeps its Pythia weights' shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from adtrigger.training.stream.sample import EventSample, concatenate

# Seed 004 (VAE in the trigger, l+X at HLT): the stream after a single-lepton L1 trigger (pT > 23 GeV).
SEED004_FRACTIONS = {"W_lnu": 0.592, "QCD": 0.338, "Z_ll": 0.067, "ttbar": 0.003}


def _generation(manifest: dict[str, Any], n: int) -> tuple[float | None, float]:
    """(sigma_gen in pb or None, sum of generator weights over generated events) from a file's manifest."""
    sigma = manifest.get("sigma_gen_pb", manifest.get("SigmaGen_pb"))
    sum_w = manifest.get("sum_weight_generated", manifest.get("NGenerated", n))
    return (None if sigma is None else float(sigma)), float(sum_w)


def mix(
    samples: list[EventSample],
    *,
    by: str = "fractions",
    fractions: dict[str, float] | None = None,
) -> EventSample:
    """One sample of several single-process samples with cocktail weights.

    ``by="fractions"``: weight w_i = f_p * N_tot * g_i / sum_p(g), mean weight 1, weighted shares f_p.
    ``by="xsec"``: weight w_i = sigma_p * g_i / G_p in pb per event (G_p: generator weights of all generated
    events), so that sum(w) over a selection is its cross section. g_i is the Pythia event weight.
    """
    if by not in ("fractions", "xsec"):
        raise ValueError(f"cocktail weighting must be 'fractions' or 'xsec', got {by!r}")
    fractions = dict(SEED004_FRACTIONS if fractions is None else fractions)
    names = [s.process_names[0] for s in samples]
    for s in samples:
        if len(s.process_names) != 1:
            raise ValueError("mix takes single-process samples")
    if len(set(names)) != len(names):
        raise ValueError(f"a process appears twice: {names}")
    n_tot = sum(len(s) for s in samples)
    parts = []
    for s, name in zip(samples, names, strict=True):
        g = s.weight
        if by == "fractions":
            if name not in fractions:
                raise ValueError(f"no cocktail fraction for {name!r}; known: {sorted(fractions)}")
            w = fractions[name] * n_tot * g / g.sum()
        else:
            sigma, sum_w = _generation(s.manifest, len(s))
            if sigma is None:
                raise ValueError(f"{name}: no generator cross section in the file; use fraction weights")
            w = sigma * g / sum_w
        parts.append(EventSample(s.particles, s.process, s.process_names, w, s.event_id, s.hlt, s.manifest))
    if by == "fractions":
        total = sum(fractions[n] for n in names)
        if not np.isclose(total, 1.0, atol=1e-6):
            # renormalise to the processes present, and say so in the manifest
            for p in parts:
                p.weight = p.weight / total
    manifest = {
        "kind": "cocktail",
        "weighting": by,
        "fractions": {n: fractions.get(n) for n in names} if by == "fractions" else None,
        "parts": {n: s.manifest for n, s in zip(names, samples, strict=True)},
    }
    return concatenate(parts, manifest=manifest)


@dataclass
class ProcessShare:
    """One row of the cocktail table."""

    process: str
    n_events: int
    share: float  # weighted fraction of the cocktail
    target: float | None  # seed-004's fraction
    pythia_share: float | None  # share from Pythia's sigma x pass fraction
    effective_events: float  # (sum w)^2 / sum w^2: what the weights leave of the statistics


def shares(sample: EventSample, pythia_sigma_pass: dict[str, float] | None = None) -> list[ProcessShare]:
    """Per-process weighted shares of a cocktail, next to seed-004's fractions."""
    total = sample.weight.sum()
    rows = []
    sp_total = sum(pythia_sigma_pass.values()) if pythia_sigma_pass else 0.0
    for i, name in enumerate(sample.process_names):
        w = sample.weight[sample.process == i]
        rows.append(
            ProcessShare(
                process=name,
                n_events=len(w),
                share=float(w.sum() / total) if total else 0.0,
                target=SEED004_FRACTIONS.get(name),
                pythia_share=(pythia_sigma_pass[name] / sp_total) if pythia_sigma_pass and sp_total else None,
                effective_events=float(w.sum() ** 2 / (w**2).sum()) if len(w) else 0.0,
            )
        )
    return rows


def sigma_pass_pb(sample: EventSample) -> float | None:
    """Pythia's sigma x (weighted) pass fraction of a single-process generated sample, in pb."""
    sigma, sum_w = _generation(sample.manifest, len(sample))
    return None if sigma is None else sigma * float(sample.weight.sum()) / sum_w
