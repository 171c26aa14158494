"""The one intermediate representation of the flow: what the trigger computes, read once from a bundle.

A :class:`TriggerDesign` holds the quantized encoder (without its preprocessing layer), the preprocessing in
hardware counts, the overflow limits, the score's fixed-point type and the seeds (the threshold ladder) on its grid.
Every later step (convert, rtl, emulator, verify, report) reads only this object.

The trigger, per event of 57 int16 hardware counts ``hw`` (see :mod:`firmware.hwunits`):

    overflow = any(hw < lo or hw > hi)                      # the L1 full scale, = training.vae.input_overflow
    x'       = (hw - offset_hw) * 2**-(lsb_bits + shift)    # exact, the model's preprocessing
    mu       = encoder(x')                                  # hls4ml / da4ml, bit-exact with HGQ2
    s        = max_g scale_g sum_{d in g} m_g(mu_d)^2       # card score.groups (adtrigger.bundle.latent_score)
    score    = overflow ? max : TRN_SAT(s)                  # on the card's fixed_point.score grid
    seeds[k] = score >= seeds[k].raw                        # one comparator per seed (adtrigger.bundle.ladder)
    trigger  = seeds[active]                                # the active threshold's bit (a wire, no comparator)
with m_g = relu for a one-sided group, else the identity, and scale_g = scale_mantissa * 2**scale_log2; without
groups, one plain group (sum mu^2). The seeds are ``adtrigger.bundle.ladder.seeds(card)`` in bit order (the
ladder's, or the active threshold alone), or the ``--threshold`` override as one seed named "threshold".
Truncation keeps the decision exact: floor(s * 2**f) >= raw  <=>  s >= raw * 2**-f for an integer raw.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from adtrigger.bundle import ladder, latent_score
from adtrigger.bundle.latent_score import LatentGroup
from adtrigger.firmware import hwunits

# The score type when the card has none yet (docs/bundle.md's example; `adtrigger export` writes the real one).
DEFAULT_SCORE_TYPE = {"signed": False, "width": 24, "integer": 8, "fraction": 16}
SUPPORTED_ACTIVATIONS = ("relu", "linear")


class FirmwareError(Exception):
    """A bundle or setting the flow cannot turn into firmware; the message says what to do."""


MAX_LEFT_SHIFT = 12  # the preprocessed input keeps HW_IN_INT + this many integer bits at most


@dataclass
class TriggerDesign:
    """Everything the firmware computes; see the module docstring for the formula."""

    name: str  # bundle name
    namespace: str  # C++ namespace, symbol prefix and CMSSW model name: <identifier of the name>_<content hash>
    bundle: Path
    encoder: Any  # keras.Model: preprocessed inputs -> mu (shares the bundle model's layers)
    offset_hw: np.ndarray  # (n,) int
    shift_total: np.ndarray  # (n,) int: lsb_bits + preprocessing shift
    hw_lo: np.ndarray  # (n,) int
    hw_hi: np.ndarray  # (n,) int
    score_type: dict  # {signed, width, integer, fraction}
    seeds: list[dict]  # per output bit, loosest first: {name, raw, value, score}
    active_seed: int  # the index of the seed whose bit is the single trigger (the card's active threshold)
    threshold_source: str  # "card" or "command line"
    card: dict | None = None
    layers: list[dict] = field(default_factory=list)  # per quantized layer: name, units, activation
    groups: list[LatentGroup] = field(default_factory=list)  # the score's latent groups (empty: one plain group)
    content_hash: str = ""  # content_hash() of what the firmware computes: part of the namespace

    @property
    def n_inputs(self) -> int:
        return len(self.offset_hw)

    @property
    def n_latent(self) -> int:
        return int(self.encoder.output_shape[-1])

    @property
    def score_groups(self) -> list[LatentGroup]:
        """The latent groups of the score, one plain group over every dimension when none were given."""
        return list(self.groups) or latent_score.single_group(self.n_latent)

    @property
    def score_definition(self) -> str:
        return latent_score.describe(self.score_groups)

    @property
    def n_seeds(self) -> int:
        return len(self.seeds)

    @property
    def threshold(self) -> dict:
        """The active seed (the single trigger bit) as {name, raw, value, score, source}."""
        return {**self.seeds[self.active_seed], "source": self.threshold_source}

    def seed_list(self) -> list[ladder.Seed]:
        """The seeds as :class:`adtrigger.bundle.ladder.Seed` for ``ladder.seed_bits``, in bit order."""
        return [ladder.Seed(s["name"], float(s["score"]), int(s["raw"])) for s in self.seeds]

    def seed_mask(self, score_raw: np.ndarray) -> np.ndarray:
        """(N,) uint8 seed masks of raw firmware scores: bit k = ``raw >= seeds[k].raw`` (``ladder.pack_bits``)."""
        raw = np.asarray(score_raw, dtype=np.int64).reshape(-1, 1)
        return ladder.pack_bits(raw >= np.array([s["raw"] for s in self.seeds], dtype=np.int64).reshape(1, -1))

    @property
    def score_max_raw(self) -> int:
        return 2 ** int(self.score_type["width"]) - 1

    def fixed_score(self, score: np.ndarray) -> np.ndarray:
        """(N,) int64 raw firmware score of float scores: truncated onto the grid, saturated (AP_TRN, AP_SAT)."""
        raw = np.floor(np.ldexp(np.asarray(score, dtype=np.float64), int(self.score_type["fraction"])))
        return np.clip(raw, 0, self.score_max_raw).astype(np.int64)


HASH_CHARS = 10  # hex digits of the content hash in the namespace: 40 bits, no collision among a site's models


def namespace_of(name: str, content_hash: str = "") -> str:
    """A C++ identifier for a bundle name (other characters become '_', a leading digit gets 'm_'), followed by
    ``_<content_hash>``: two builds of one name with other weights or thresholds never share a symbol."""
    ns = re.sub(r"\W", "_", name, flags=re.ASCII)
    ns = f"m_{ns}" if not ns or ns[0].isdigit() else ns
    return f"{ns}_{content_hash}" if content_hash else ns


def content_hash(encoder: Any, arrays: dict[str, np.ndarray], settings: dict) -> str:
    """The first HASH_CHARS hex digits of a SHA-256 over everything the firmware computes with: per encoder layer
    (by name) its weights and quantizer parameters (training-only ``beta``/``ebops`` left out; variable paths carry
    per-process counters, so the order within the layer names them), the preprocessing and full-scale ``arrays``
    and the score and seed ``settings``."""
    h = hashlib.sha256()
    for layer in encoder.layers:
        h.update(f"layer {layer.name} {type(layer).__name__}\n".encode())
        for w in layer.weights:
            if w.path.rsplit("/", 1)[-1] in ("beta", "ebops"):
                continue
            a = np.ascontiguousarray(np.asarray(w))
            h.update(f"{a.dtype.str} {a.shape}\n".encode())
            h.update(a.tobytes())
    for key in sorted(arrays):
        a = np.ascontiguousarray(np.asarray(arrays[key], dtype=np.int64))
        h.update(f"{key} {a.shape}\n".encode())
        h.update(a.tobytes())
    h.update(json.dumps(settings, sort_keys=True, default=str).encode())
    return h.hexdigest()[:HASH_CHARS]


def _read_card(bundle: Path) -> dict | None:
    path = bundle / "bundle.json"
    if not path.is_file():
        return None
    try:
        from adtrigger.bundle import load_bundle

        return load_bundle(bundle).card
    except ImportError:  # pragma: no cover - the bundle package predates load_bundle
        return json.loads(path.read_text())


def _on_grid(name: str, raw: int, score_type: dict, bundle: Path) -> dict:
    """A seed's {raw, value}; FirmwareError when no event could ever reach it."""
    f = int(score_type["fraction"])
    max_raw = 2 ** int(score_type["width"]) - 1
    if raw > max_raw:
        raise FirmwareError(
            f"threshold {name!r} ({math.ldexp(raw, -f):g}) of {bundle} is above the largest firmware score "
            f"{math.ldexp(max_raw, -f):g} of the score type {score_type}: no event could ever trigger"
        )
    return {"raw": int(raw), "value": math.ldexp(raw, -f)}


def _seeds(card: dict | None, threshold: float | None, score_type: dict, bundle: Path) -> tuple[list[dict], int, str]:
    """The output bits: (seeds in bit order as {name, raw, value, score}, index of the active one, source).

    ``threshold`` (the command line) gives one seed named "threshold" at the smallest grid value >= it (its score
    is that grid value, so ``ladder.seed_bits`` of it is the firmware's decision); else ``ladder.seeds(card)``, each
    checked: it has a fixed value, that value is its score put on this score type's grid (a card exported with
    another score type after calibration is refused), and it is below the largest firmware score."""
    f = int(score_type["fraction"])
    if threshold is not None:
        raw = max(0, math.ceil(math.ldexp(float(threshold), f)))  # smallest grid value >= threshold
        grid = _on_grid("threshold", raw, score_type, bundle)
        return [{"name": "threshold", **grid, "score": grid["value"]}], 0, "command line"
    active = (card or {}).get("active_threshold")
    if card is None or active is None or active not in card.get("thresholds", {}):
        raise FirmwareError(
            f"bundle {bundle} has no calibrated threshold (card active_threshold): run `adtrigger calibrate` "
            "first, or pass --threshold SCORE"
        )
    out = []
    for seed in ladder.seeds(card):
        if seed.raw is None:
            raise FirmwareError(f"threshold {seed.name!r} of {bundle} has no fixed value: re-run adtrigger calibrate")
        want = max(0, math.ceil(math.ldexp(seed.score, f)))
        if seed.raw != want:
            raise FirmwareError(
                f"threshold {seed.name!r} of {bundle}: fixed raw {seed.raw} is not its score {seed.score!r} on the "
                f"grid of fixed_point.score {score_type} (raw {want}): re-run adtrigger calibrate after the export"
            )
        out.append({"name": seed.name, **_on_grid(seed.name, seed.raw, score_type, bundle), "score": seed.score})
    if len(out) > ladder.MAX_SEEDS:
        raise FirmwareError(f"{len(out)} seeds in the ladder of {bundle}: the seed mask has {ladder.MAX_SEEDS} bits")
    names = [x["name"] for x in out]
    if active not in names:
        raise FirmwareError(
            f"the active threshold {active!r} of {bundle} is not a seed of its ladder {names}: the firmware's single "
            "trigger bit is the active seed's; add it to ladder.seeds or activate one of them"
        )
    return out, names.index(active), "card"


def _layers(encoder: Any) -> list[dict]:
    """The encoder's layers as the flow maps them; FirmwareError naming a layer it cannot map."""
    from hgq.layers import QDense

    out = []
    for layer in encoder.layers[1:]:
        act = getattr(getattr(layer, "activation", None), "__name__", None)
        if not isinstance(layer, QDense) or act not in SUPPORTED_ACTIVATIONS:
            raise FirmwareError(
                f"layer {layer.name!r} ({type(layer).__name__}, activation {act}) cannot be mapped to firmware: "
                f"the L1 flow maps HGQ2 QDense layers with {' or '.join(SUPPORTED_ACTIVATIONS)} activation only"
            )
        out.append({"name": layer.name, "units": int(layer.units), "activation": act})
    return out


def load_design(bundle: str | Path, threshold: float | None = None) -> TriggerDesign:
    """Read a trained (and, unless ``threshold`` is given, calibrated) L1 VAE bundle into a :class:`TriggerDesign`."""
    bundle = Path(bundle)
    if not (bundle / "model.keras").is_file():
        raise FirmwareError(f"{bundle} holds no model.keras: give a bundle made by `adtrigger train`")
    from adtrigger.training import vae

    card = _read_card(bundle)
    kind = ((card or {}).get("score") or {}).get("kind", "mu2")
    if kind != "mu2":
        raise FirmwareError(f"score kind {kind!r} cannot be mapped to firmware (needs exp); the L1 flow maps 'mu2'")
    model = vae.load_model(bundle)
    encoder = vae.encoder_model(model, include_preprocessing=False)
    pre = vae.preprocessing_of(model)
    try:
        off = hwunits.offsets_hw(pre.offset)
    except ValueError as err:
        raise FirmwareError(str(err)) from None
    # lsb_bits + shift: >= 0 moves the binary point left (a right shift), < 0 is a left shift (rare-slot gain)
    shift_total = hwunits.lsb_bits(pre.n_inputs) + pre.shift
    if (shift_total < -MAX_LEFT_SHIFT).any():
        raise FirmwareError(
            f"input {int(np.argmin(shift_total))} needs a left shift by more than {MAX_LEFT_SHIFT} bits "
            f"(preprocessing shift {int(pre.shift[np.argmin(shift_total)])})"
        )
    score_type = dict(((card or {}).get("fixed_point") or {}).get("score") or DEFAULT_SCORE_TYPE)
    if score_type["signed"] or not 0 < int(score_type["width"]) <= 53:
        raise FirmwareError(
            f"fixed_point.score {score_type} must be unsigned and at most 53 bits wide (float64 scores are exact "
            "up to 53 bits); re-export the bundle"
        )
    seeds, active, source = _seeds(card, threshold, score_type, bundle)
    lo, hi = hwunits.full_scale_hw(pre.n_inputs)
    name = (card or {}).get("name") or bundle.resolve().name
    groups = _groups(card, int(encoder.output_shape[-1]), bundle)
    shift_total = shift_total.astype(np.int64)
    digest = content_hash(
        encoder, {"offset_hw": off, "shift_total": shift_total, "hw_lo": lo, "hw_hi": hi},
        {"score_type": score_type, "groups": latent_score.groups_to_json(groups), "active_seed": active,
         "seeds": [(s["name"], s["raw"]) for s in seeds]},
    )  # fmt: skip
    return TriggerDesign(
        name=name, namespace=namespace_of(name, digest), bundle=bundle, encoder=encoder, offset_hw=off,
        shift_total=shift_total, hw_lo=lo, hw_hi=hi, score_type=score_type, seeds=seeds, active_seed=active,
        threshold_source=source, card=card, layers=_layers(encoder), groups=groups, content_hash=digest,
    )  # fmt: skip


def _groups(card: dict | None, latent: int, bundle: Path) -> list[LatentGroup]:
    """The card's ``score.groups`` over the encoder's ``latent`` dimensions (none: one plain group)."""
    try:
        return latent_score.groups_from_json(((card or {}).get("score") or {}).get("groups"), latent)
    except (TypeError, ValueError) as err:
        raise FirmwareError(f"score.groups of {bundle} cannot be mapped to firmware: {err}; re-export it") from None
