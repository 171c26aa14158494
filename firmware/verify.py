"""Step 2, verify: the firmware against the software, event by event, on the same digitised events.

Each event is digitised once (``hwunits.to_hardware``); the software sees ``from_hardware(hw)`` (exact), the
firmware ``hw``. References: the quantized Keras model (``training.vae.l1_score`` with the card's latent groups and
its overflow guard) and, when the bundle has ``model.onnx``, the bundle's ONNX graph through
``adtrigger.bundle.scoring.Scorer``. Expected
firmware score = the reference score truncated and saturated onto ``fixed_point.score``; expected seed mask =
``adtrigger.bundle.ladder.seed_bits(score, seeds)`` of the float score (bit k: ``score >= seeds[k].score``, the
bundle's own decision). A firmware result (C simulation, emulator library, RTL simulation) is (score_raw, seed_mask,
overflow) per event and passes when every score, every seed bit and every overflow bit is identical.

The events exercise the comparators where they can fail: :func:`add_threshold_events` puts at the front events
whose score is exactly each seed's raw threshold and the largest score any event can have below it (raw - 1 where
the score's grid lets an event reach it, :func:`score_below`), found by perturbing events near the threshold.
"""

from __future__ import annotations

import json
import math
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from adtrigger.bundle import ladder, latent_score
from adtrigger.firmware import hwunits
from adtrigger.firmware.design import FirmwareError, TriggerDesign

N_OVERFLOW = 200  # events pushed beyond the L1 full scale to exercise the overflow bit
N_EXTREME = 200  # events with one object or MET far above the SM tail but inside the full scale: mu's saturation
N_AT_THRESHOLD = 8  # events per seed with a score at its raw threshold, and as many just below it


def edge_counts(n_events: int) -> tuple[int, int]:
    """How many of ``n_events`` verification events are pushed above the SM tail and beyond the full scale."""
    return min(N_EXTREME, n_events // 10), min(N_OVERFLOW, n_events // 10)


def event_files(folder: Path) -> list[Path]:
    """The event files (HDF5, parquet) of a folder, sorted by name."""
    from adtrigger.training.stream.io import H5_SUFFIXES, PARQUET_SUFFIXES

    return sorted(p for p in Path(folder).iterdir() if p.suffix.lower() in H5_SUFFIXES + PARQUET_SUFFIXES)


def verification_files(design: TriggerDesign, data_dir: Path | None = None) -> list[Path]:
    """The files to draw verification events from: every event file of ``data_dir`` when given, else the SM and
    signal files the bundle was trained with (its record's config), else, for a bundle moved away from them (a copy,
    whose record's relative paths point nowhere), the reference stream refstream-v1, said in one line: the events are
    stimuli for bit-exactness, any in the L1 layout serve. FirmwareError when none are there."""
    if data_dir is not None:
        files = event_files(Path(data_dir)) if Path(data_dir).is_dir() else []
        if not files:
            raise FirmwareError(f"--data-dir {data_dir} holds no event files (.h5, .parquet) to verify on")
        return files
    named, why = _record_files(design)
    if not why:
        return named
    from adtrigger.refdata import refstream_dir, refstream_missing

    if refstream_missing() is None:
        print(f"firmware: {why}; verifying on refstream-v1 ({refstream_dir()}) instead (--data-dir to choose)",
              flush=True)  # fmt: skip
        return event_files(refstream_dir())
    raise FirmwareError(f"{why}, nor is refstream-v1: pass --data-dir with L1 event files to verify on")


def _record_files(design: TriggerDesign) -> tuple[list[Path], str]:
    """The SM and signal files of the bundle's record, and why they cannot be used ("" when they can)."""
    record_path = design.bundle / "record.json"
    if not record_path.is_file():
        return [], f"{design.bundle} has no record.json naming its data"
    from adtrigger.training.config import ConfigError, from_dict

    record = json.loads(record_path.read_text())
    try:
        cfg = from_dict(record["config"], base_dir=design.bundle / record.get("base_dir", "."))
    except (KeyError, ConfigError) as err:
        return [], f"the training data named by {record_path} is not here ({err})"
    files = [*cfg.sm_paths(), *cfg.signal_paths()]
    missing = [str(f) for f in files if not f.is_file()]
    if missing or not files:
        return [], f"the training data of {design.bundle} is not here ({', '.join(missing) or 'none named'})"
    return files, ""


def verification_events(n_events: int = 100_000, files: Sequence[Path] | None = None, seed: int = 7) -> np.ndarray:
    """(n_events, n) int16 counts: events of ``files`` (default: every file of refstream-v1, SM and signals) in
    equal shares per file, in random order; before the last ``N_OVERFLOW`` (one pT far beyond the full scale) come
    ``N_EXTREME`` with one pT set between 500 GeV and the full scale, beyond the SM tail, so a score group's
    saturating cast of mu is exercised too."""
    from adtrigger.training.stream.io import read_events

    if files is None:
        from adtrigger.refdata import refstream_dir

        files = event_files(refstream_dir())
    missing = [str(f) for f in files if not Path(f).is_file()]
    if missing or not files:
        raise FirmwareError(f"verification data missing: {', '.join(missing) or 'no files given'}")
    rng = np.random.default_rng(seed)
    per_file = -(-n_events // len(files))
    parts = []
    for f in files:
        flat = read_events(f).flat
        parts.append(flat[rng.choice(len(flat), size=min(per_file, len(flat)), replace=False)])
    x = np.concatenate(parts)
    x = x[rng.permutation(len(x))[:n_events]].astype(np.float64)
    n_objects = x.shape[1] // 3  # (pT, eta, phi) per object: pT is every third input
    pt_max = hwunits.FULL_SCALE["pt"][1]
    e, k = edge_counts(len(x))
    if e:
        rows = np.arange(len(x) - k - e, len(x) - k)
        x[rows, 3 * rng.integers(0, n_objects, size=e)] = rng.uniform(500.0, pt_max, size=e)
    if k:
        rows = np.arange(len(x) - k, len(x))
        x[rows, 3 * rng.integers(0, n_objects, size=k)] = rng.uniform(1.05 * pt_max, 4 * pt_max, size=k)
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
    """Counts of identical scores, seed bits and overflow bits of one firmware result against a float score.

    ``trigger_mismatches``: events whose seed mask differs anywhere (a bit beyond the seeds included);
    ``seed_mismatches``/``seed_accepted``: per seed name; ``n_triggered``: events the active seed accepts."""
    raw, mask, ovf = result
    mask = np.asarray(mask, dtype=np.uint8)
    want_raw = design.fixed_score(score)
    want_bits = ladder.seed_bits(score, design.seed_list())
    bits = ladder.unpack_bits(mask, design.n_seeds)
    from adtrigger.training.vae import OVERFLOW_SCORE

    want_ovf = score == OVERFLOW_SCORE
    names = [seed["name"] for seed in design.seeds]
    return {
        "n_events": len(score),
        "score_mismatches": int(np.count_nonzero(raw != want_raw)),
        "trigger_mismatches": int(np.count_nonzero(mask != ladder.pack_bits(want_bits))),
        "overflow_mismatches": int(np.count_nonzero(ovf != want_ovf)),
        "seed_mismatches": dict(zip(names, map(int, np.count_nonzero(bits != want_bits, axis=0)), strict=True)),
        "seed_accepted": dict(zip(names, map(int, np.count_nonzero(bits, axis=0)), strict=True)),
        "n_triggered": int(np.count_nonzero(bits[:, design.active_seed])),
        "n_overflow": int(np.count_nonzero(ovf)),
    }


def _sum_of_squares(n: int, terms: int) -> bool:
    """Whether the integer ``n >= 0`` is a sum of ``terms`` squares (Lagrange, Legendre, Fermat)."""
    if terms >= 4 or n == 0 or n > 2**40:  # beyond 2**40: not worth factoring, call it reachable
        return True
    if terms == 1:
        return math.isqrt(n) ** 2 == n
    if terms == 3:
        while n % 4 == 0:
            n //= 4
        return n % 8 != 7
    p, m = 2, n  # two squares: every prime 3 mod 4 divides n to an even power
    while p * p <= m:
        e = 0
        while m % p == 0:
            m //= p
            e += 1
        if p % 4 == 3 and e % 2:
            return False
        p += 1
    return m % 4 != 3


def _group_step(design: TriggerDesign, g: latent_score.LatentGroup) -> int | None:
    """The raw step of a group's values on the score grid, ``mantissa * 2**(F + scale_log2 - 2 frac_bits)``
    (None: any raw, for a group whose mu has no grid of its own or whose values the score type truncates)."""
    if not g.clipped:
        return None
    e = int(design.score_type["fraction"]) + g.scale_log2 - 2 * g.frac_bits
    return None if e < 0 else g.scale_mantissa << e


def _group_reaches(design: TriggerDesign, g: latent_score.LatentGroup, raw: int) -> bool:
    step = _group_step(design, g)
    return step is None or (raw % step == 0 and _sum_of_squares(raw // step, g.stop - g.start))


def reachable(design: TriggerDesign, raw: int) -> bool:
    """Whether the score's grid lets an event have the raw score ``raw``: some group's raw values are its step
    (:func:`_group_step`) times a sum of n squares of integers for its n dimensions. The encoder may reach fewer;
    the cap at the type's maximum is ignored (thresholds lie below it)."""
    return any(_group_reaches(design, g, raw) for g in design.score_groups)


def score_below(design: TriggerDesign, raw: int) -> int | None:
    """The largest raw score below ``raw`` that an event can have (:func:`reachable`): raw - 1 where the grid allows
    it. Events there and at ``raw`` tell ``>=`` from ``>`` and from a threshold one step off. None for raw 0."""
    for r in range(raw - 1, max(-1, raw - 1 - 4096), -1):
        if reachable(design, r):
            return r
    return None


def add_threshold_events(
    design: TriggerDesign, hw: np.ndarray, group_fn: Callable[[np.ndarray], np.ndarray] | None = None, *,
    per_target: int = N_AT_THRESHOLD, rounds: int = 60, seed: int = 11,
) -> np.ndarray:  # fmt: skip
    """``hw`` with its first events replaced by events scoring exactly each seed's raw threshold and
    :func:`score_below` it (``per_target`` each where found). Search: per target, the events nearest it in a group
    that can reach it on the grid (and with no other group above it) are perturbed in one or two inputs by a few
    counts, inside the full scale, and scored by ``group_fn`` ((N, groups) float scores; default: the Keras model's
    ``latent_score.group_scores``), for up to ``rounds`` rounds. A target no perturbation reached is simply not in
    the events; :func:`verify` counts what is (``threshold_events``)."""
    hw = np.asarray(hw, dtype=np.int16)
    if group_fn is None:
        group_fn = _keras_group_fn(design)
    targets = sorted({t for s in design.seeds for t in (s["raw"], score_below(design, s["raw"])) if t is not None})
    lo, hi = design.hw_lo.astype(np.int64), design.hw_hi.astype(np.int64)
    pool = hw[((hw >= lo) & (hw <= hi)).all(axis=1)]
    if not len(pool) or not targets:
        return hw
    ok = {t: np.array([_group_reaches(design, g, t) for g in design.score_groups]) for t in targets}
    rng = np.random.default_rng(seed)

    def distance(g_raw: np.ndarray, t: int) -> np.ndarray:
        """How far each event is from scoring t: in a group that can, plus how far the other groups exceed t."""
        over = np.where(g_raw > t, g_raw - t, 0)  # a group above t lifts the max past it
        dist = np.where(ok[t], np.abs(g_raw - t), np.iinfo(np.int64).max // 4)
        return (dist + over.sum(axis=1, keepdims=True) - over).min(axis=1)

    seen_g = np.stack([design.fixed_score(c) for c in np.asarray(group_fn(pool), dtype=np.float64).T], axis=1)
    keep = np.unique(np.concatenate([np.argsort(distance(seen_g, t), kind="stable")[:512] for t in targets]))
    seen_hw, seen_g = pool[keep], seen_g[keep]  # the events near a target: each round's cost stays small
    steps = np.array([1, 2, 3, 4, 8, 16, 32])
    for _ in range(rounds):
        seen_raw = seen_g.max(axis=1)
        short = [t for t in targets if np.count_nonzero(seen_raw == t) < per_target]
        if not short:
            break
        children = []
        for t in short:
            dist = distance(seen_g, t)
            top = np.argpartition(dist, min(256, len(dist) - 1))[:256]
            order = top[np.argsort(dist[top], kind="stable")]  # the 8 nearest and 24 of the next 248: keep exploring
            near = np.concatenate([order[:8], rng.choice(order[8:256], size=min(24, len(order[8:256])), replace=False)])
            kids = np.repeat(seen_hw[near].astype(np.int64), 64, axis=0)
            rows = np.arange(len(kids))
            for _ in range(2):
                col = rng.integers(0, hw.shape[1], size=len(kids))
                delta = rng.choice(steps, size=len(kids)) * rng.choice([-1, 1], size=len(kids))
                delta[rng.random(len(kids)) < 0.5] = 0  # one input changed or two
                kids[rows, col] = np.clip(kids[rows, col] + delta, lo[col], hi[col])
            children.append(kids.astype(np.int16))
        kids = np.concatenate(children)
        seen_hw = np.concatenate([seen_hw, kids])
        new = np.asarray(group_fn(kids), dtype=np.float64)
        seen_g = np.concatenate([seen_g, np.stack([design.fixed_score(c) for c in new.T], axis=1)])
    seen_raw = seen_g.max(axis=1)
    for s in design.seeds:  # where no event reached score_below, the nearest one below the threshold found
        below = seen_raw[seen_raw < s["raw"]]
        if len(below) and np.count_nonzero(seen_raw == score_below(design, s["raw"])) == 0:
            targets.append(int(below.max()))
    picked = [seen_hw[np.flatnonzero(seen_raw == t)[:per_target]] for t in targets]
    edge = np.unique(np.concatenate(picked), axis=0)
    out = hw.copy()
    room = len(out) - sum(edge_counts(len(out)))  # the extreme and out-of-range events at the end stay
    out[: min(len(edge), room)] = edge[:room]
    return out


def _keras_group_fn(design: TriggerDesign) -> Callable[[np.ndarray], np.ndarray]:
    """(N, groups) float: each latent group's score of int16 events (Keras encoder; inside the full scale)."""
    from adtrigger.training import vae

    model = vae.load_model(design.bundle)
    return lambda hw: latent_score.group_scores(vae.latent(model, hwunits.from_hardware(hw))[0], design.score_groups)


def threshold_coverage(design: TriggerDesign, score: np.ndarray) -> list[dict]:
    """Per seed: its raw threshold, :func:`score_below` it and the highest event score below it, and how many
    events score exactly each (an event at ``raw`` and one at ``raw - 1`` pin the comparator down)."""
    raw = design.fixed_score(score)
    out = []
    for s in design.seeds:
        below = score_below(design, s["raw"])
        under = raw[raw < s["raw"]]
        nearest = int(under.max()) if len(under) else None
        out.append({
            "name": s["name"], "raw": s["raw"], "n_at": int(np.count_nonzero(raw == s["raw"])),
            "below": below, "n_below": 0 if below is None else int(np.count_nonzero(raw == below)),
            "nearest_below": nearest,
            "n_nearest_below": 0 if nearest is None else int(np.count_nonzero(raw == nearest)),
        })  # fmt: skip
    return out


def run_csim(exe: Path, hw: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Run the compiled test bench on ``hw`` (N, n) through text files; (score_raw, seed_mask, overflow). The test
    bench also prints the active seed's trigger bit, checked here against the mask."""
    with tempfile.TemporaryDirectory() as tmp:
        inp, outp = Path(tmp) / "in.dat", Path(tmp) / "out.dat"
        np.savetxt(inp, hw, fmt="%d")
        r = subprocess.run([str(exe), str(inp), str(outp)], capture_output=True, text=True, timeout=3600)
        if r.returncode != 0:
            raise FirmwareError(f"C simulation {exe} failed (exit {r.returncode}): {r.stderr.strip()[-500:]}")
        res = np.loadtxt(outp, dtype=np.int64, ndmin=2)
    if len(res) != len(hw) or res.shape[1] != 4:
        raise FirmwareError(f"C simulation returned {res.shape} results for {len(hw)} events (4 columns each)")
    return res[:, 0], res[:, 1].astype(np.uint8), res[:, 3] > 0


def csim_trigger(exe: Path, hw: np.ndarray) -> np.ndarray:
    """(N,) bool: the C simulation's single ``trigger`` output (the active seed's bit)."""
    with tempfile.TemporaryDirectory() as tmp:
        inp, outp = Path(tmp) / "in.dat", Path(tmp) / "out.dat"
        np.savetxt(inp, hw, fmt="%d")
        subprocess.run([str(exe), str(inp), str(outp)], check=True, capture_output=True, timeout=3600)
        return np.loadtxt(outp, dtype=np.int64, ndmin=2)[:, 2] > 0


def verify(
    design: TriggerDesign, hw: np.ndarray, implementations: dict[str, Callable[[np.ndarray], tuple]]
) -> dict:
    """Every implementation against every reference; also Keras against ONNX (float scores, exactly)."""
    refs, saturated = reference(design, hw)
    out: dict = {"n_events": len(hw), "references": sorted(refs), "results": {}, "n_saturated": int(saturated.sum()),
                 "seeds": [{"bit": k, **s} for k, s in enumerate(design.seeds)],
                 "threshold_events": threshold_coverage(design, refs["keras"])}  # fmt: skip
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
