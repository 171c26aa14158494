"""Step 2, verify: the firmware against the software, event by event, on the same digitised events.

Each event is digitised once (``hwunits.to_hardware``); the software sees ``from_hardware(hw)`` (exact), the
firmware ``hw``. References: the quantized Keras model (``training.vae.l1_score`` with the card's latent groups and
its overflow guard) and, when the bundle has ``model.onnx``, the bundle's ONNX graph through
``adtrigger.bundle.scoring.Scorer``. Expected
firmware score = the reference score truncated and saturated onto ``fixed_point.score``; expected trigger =
``score >= threshold.value`` of the float score. A firmware result (C simulation, emulator library, RTL simulation)
passes when every score and every trigger bit is identical.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

from adtrigger.bundle import latent_score
from adtrigger.firmware import hwunits
from adtrigger.firmware.design import FirmwareError, TriggerDesign
from adtrigger.training.stream.cards import SIGNALS, SM_PROCESSES

N_OVERFLOW = 200  # events pushed beyond the L1 full scale to exercise the overflow bit
N_EXTREME = 200  # events with one object or MET far above the SM tail but inside the full scale: mu's saturation


def edge_counts(n_events: int) -> tuple[int, int]:
    """How many of ``n_events`` verification events are pushed above the SM tail and beyond the full scale."""
    return min(N_EXTREME, n_events // 10), min(N_OVERFLOW, n_events // 10)


def verification_events(n_events: int = 100_000, data_dir: Path | None = None, seed: int = 7) -> np.ndarray:
    """(n_events, 57) int16 counts: SM and signal events (refstream-v1's files unless ``data_dir``) in equal shares
    per file, in random order; before the last ``N_OVERFLOW`` (one pT far beyond 2048 GeV) come ``N_EXTREME`` with one
    pT set between 500 and 2048 GeV, inside the full scale and beyond the SM tail, so a score group's saturating cast
    of mu is exercised too."""
    from adtrigger.refdata import refstream_dir
    from adtrigger.training.stream.io import read_events

    data_dir = Path(data_dir) if data_dir is not None else refstream_dir()
    files = [data_dir / f"{p}.h5" for p in SM_PROCESSES + SIGNALS]
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise FirmwareError(f"verification data missing: {', '.join(missing)}")
    rng = np.random.default_rng(seed)
    per_file = -(-n_events // len(files))
    parts = []
    for f in files:
        flat = read_events(f).flat
        parts.append(flat[rng.choice(len(flat), size=min(per_file, len(flat)), replace=False)])
    x = np.concatenate(parts)
    x = x[rng.permutation(len(x))[:n_events]].astype(np.float64)
    e, k = edge_counts(len(x))
    if e:
        rows = np.arange(len(x) - k - e, len(x) - k)
        x[rows, 3 * rng.integers(0, 19, size=e)] = rng.uniform(500.0, 2048.0, size=e)
    if k:
        rows = np.arange(len(x) - k, len(x))
        x[rows, 3 * rng.integers(0, 19, size=k)] = rng.uniform(2100.0, 8000.0, size=k)
    return hwunits.to_hardware(x)


def reference(design: TriggerDesign, hw: np.ndarray) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """The software's scores of the events, Keras (always) and ONNX (when the bundle has model.onnx), and which
    events inside the full scale saturate a group's cast of mu (latent_score.saturated)."""
    from adtrigger.training import vae

    x = hwunits.from_hardware(hw)
    model = vae.load_model(design.bundle)
    out = {"keras": vae.l1_score(model, x, "mu2", groups=design.score_groups)}
    # a second encoder pass (~1 s on 100k events) keeps l1_score the one Keras reference of the score
    sat = latent_score.saturated(vae.latent(model, x)[0], design.score_groups) & ~vae.input_overflow(x)
    if design.card is not None and "model.onnx" in design.card.get("files", {}):
        from adtrigger.bundle.scoring import Scorer

        out["onnx"] = Scorer(design.bundle).score(x)
    return out, sat


def compare(design: TriggerDesign, score: np.ndarray, result: tuple[np.ndarray, np.ndarray, np.ndarray]) -> dict:
    """Counts of identical scores, trigger bits and overflow bits of one firmware result against a float score."""
    raw, trig, ovf = result
    want_raw = design.fixed_score(score)
    want_trig = score >= design.threshold["value"]
    from adtrigger.training.vae import OVERFLOW_SCORE

    want_ovf = score == OVERFLOW_SCORE
    return {
        "n_events": len(score),
        "score_mismatches": int(np.count_nonzero(raw != want_raw)),
        "trigger_mismatches": int(np.count_nonzero(trig != want_trig)),
        "overflow_mismatches": int(np.count_nonzero(ovf != want_ovf)),
        "n_triggered": int(np.count_nonzero(trig)),
        "n_overflow": int(np.count_nonzero(ovf)),
    }


def run_csim(exe: Path, hw: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Run the compiled test bench on ``hw`` (N, n) through text files; (score_raw, trigger, overflow)."""
    with tempfile.TemporaryDirectory() as tmp:
        inp, outp = Path(tmp) / "in.dat", Path(tmp) / "out.dat"
        np.savetxt(inp, hw, fmt="%d")
        r = subprocess.run([str(exe), str(inp), str(outp)], capture_output=True, text=True, timeout=3600)
        if r.returncode != 0:
            raise FirmwareError(f"C simulation {exe} failed (exit {r.returncode}): {r.stderr.strip()[-500:]}")
        res = np.loadtxt(outp, dtype=np.int64, ndmin=2)
    if len(res) != len(hw):
        raise FirmwareError(f"C simulation returned {len(res)} results for {len(hw)} events")
    return res[:, 0], res[:, 1] > 0, res[:, 2] > 0


def verify(
    design: TriggerDesign, hw: np.ndarray, implementations: dict[str, Callable[[np.ndarray], tuple]]
) -> dict:
    """Every implementation against every reference; also Keras against ONNX (float scores, exactly)."""
    refs, saturated = reference(design, hw)
    out: dict = {"n_events": len(hw), "references": sorted(refs), "results": {}, "n_saturated": int(saturated.sum())}
    if "onnx" in refs:
        out["keras_vs_onnx_score_mismatches"] = int(np.count_nonzero(refs["keras"] != refs["onnx"]))
    for name, fn in implementations.items():
        result = fn(hw)
        out["results"][name] = {ref: compare(design, s, result) for ref, s in refs.items()}
    out["passed"] = all(
        c["score_mismatches"] == 0 and c["trigger_mismatches"] == 0 and c["overflow_mismatches"] == 0
        for per_ref in out["results"].values() for c in per_ref.values()
    ) and out.get("keras_vs_onnx_score_mismatches", 0) == 0  # fmt: skip
    return out
