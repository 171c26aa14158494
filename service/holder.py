"""The live model: a loaded, warmed bundle with its threshold, swapped atomically on reload or retarget.

A request takes ``holder.live`` once and uses that object to the end, so a swap never changes the model under a
batch: the old model keeps serving until the new one is loaded, checked and warm, and is dropped when its last
batch is done. Only the bundle package is used (``load_bundle``, ``Scorer``, ``rates.retarget``, ``ladder``): the
one scoring path shared with the calibration tool and the firmware.

Every decision also carries one accept bit per seed of the threshold ladder (``adtrigger.bundle.ladder.seeds``:
the ladder's seeds, or the active threshold alone without a ladder), packed into one ``uint8`` mask per event. The
seed list and its rate windows belong to the live model, so they are swapped with it in the same reference.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from adtrigger.bundle import BundleError, load_bundle
from adtrigger.bundle import ladder as ladder_
from adtrigger.bundle.scoring import Scorer
from adtrigger.service.monitor import SeedKey, SeedWindows

WARM_EVENTS = 256


class InputError(ValueError):
    """Events that do not fit the model's input; the message says what is wrong and what to do."""


class TooManyEventsError(InputError):
    """A batch over the ``max_batch`` limit."""


def _expected_fpr(achieved: dict | None, target: dict | None) -> float:
    """The SM accept fraction to expect online: the achieved (total) FPR on held-out SM, else the target's."""
    if achieved is not None and "fpr" in achieved:
        return float(achieved["fpr"])
    if target is not None and "fpr" in target:
        return float(target["fpr"])
    raise BundleError("a seed has neither an achieved nor a target FPR: the rate monitor cannot judge it")


@dataclass(frozen=True)
class LiveSeed:
    """One accept bit of the live model: bit ``bit`` of the seed mask is ``score >= self.score``."""

    name: str
    bit: int
    score: float
    raw: int | None  # the firmware comparator's threshold on the L1 grid; None without a fixed-point score
    target: dict | None
    achieved: dict | None

    @property
    def expected_fpr(self) -> float:
        """What the seed's rate window expects: its achieved held-out FPR (the total one: the window counts every
        event the seed accepts, not only those the menu rejects), the target's FPR without a measurement."""
        return _expected_fpr(self.achieved, self.target)

    def describe(self) -> dict:
        achieved = self.achieved or {}
        return {"bit": self.bit, "name": self.name, "score": self.score, "raw": self.raw, "target": self.target,
                "achieved": self.achieved, "rate_hz": achieved.get("rate_hz"),
                "pure_rate_hz": achieved.get("pure_rate_hz"), "expected_fpr": self.expected_fpr}  # fmt: skip


@dataclass(frozen=True)
class LiveModel:
    """One servable model: the bundle's scorer and the threshold in force (accept iff score >= threshold)."""

    path: Path
    card: dict
    scorer: Scorer
    threshold: float
    threshold_name: str | None  # the card's threshold in force; None for a retargeted one
    target: dict  # what the threshold was set for: kind, value (input_rate_hz), and its SM "fpr"
    achieved: dict | None  # what it accepts of held-out SM (fpr, fpr_lo, fpr_hi, cl, ...); None if never measured
    generation: int
    loaded: str = field(default_factory=lambda: datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    seeds: tuple[LiveSeed, ...] = ()  # bit order; ladder.seeds(card), the retargeted threshold alone without a ladder
    windows: SeedWindows | None = None  # one rate window per seed, set by the ModelHolder

    @property
    def seed_names(self) -> list[str]:
        return [s.name for s in self.seeds]

    @property
    def n_features(self) -> int:
        return int(self.card["input"]["n_features"])

    @property
    def expected_fpr(self) -> float:
        """The SM accept fraction to expect online, the rate monitor's reference: the achieved FPR on held-out SM,
        not the target. The threshold lands off its target by the threshold-setting half's fluctuation and by the
        step up onto the L1 grid; the held-out half never saw the choice, so its fraction is the unbiased estimate
        of what this threshold accepts. Only a threshold with no measurement falls back to its target."""
        return _expected_fpr(self.achieved, self.target)

    def decide(self, x: np.ndarray, max_batch: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Scores ``(N,) float64``, accept bits ``(N,) bool`` (the active threshold) and seed masks ``(N,) uint8``
        (bit k = ``score >= seeds[k].score``) of a batch ``x: (N, *shape)``. The bundle's ``Scorer`` checks the
        input (shape, dtype, finite, non-empty); its refusal becomes an ``InputError``."""
        if x.ndim >= 1 and len(x) > max_batch:
            raise TooManyEventsError(f"batch of {len(x)} events is over the limit of {max_batch}; split it")
        try:
            scores = self.scorer.score(x)
        except BundleError as err:
            raise InputError(str(err)) from None
        masks = ladder_.seed_mask(scores, self.seeds)
        if self.threshold_name is not None:
            return scores, self.scorer.accept(scores, self.threshold_name), masks
        return scores, scores >= self.threshold, masks  # a retargeted threshold: the card's rule, score >= threshold

    def describe(self) -> dict:
        """The bundle card with what this instance serves (for ``GET /v1/model``)."""
        return {
            "path": str(self.path),
            "generation": self.generation,
            "loaded": self.loaded,
            "threshold": {"name": self.threshold_name or "retargeted", "score": self.threshold, "target": self.target,
                          "achieved": self.achieved, "expected_fpr": self.expected_fpr},
            "seeds": [s.describe() for s in self.seeds],
            "ladder": self.card.get("ladder"),
            "card": self.card,
        }  # fmt: skip


def _target_of(threshold: dict) -> dict:
    """The card's target, with its SM ``fpr`` worked out from kind and value where the card does not store it."""
    from adtrigger.bundle.rates import target_from_dict

    target = dict(threshold["target"])
    return target if "fpr" in target else target | {"fpr": target_from_dict(target).fpr}


def card_seeds(card: dict) -> tuple[LiveSeed, ...]:
    """The card's seeds in bit order (``ladder.seeds``) with their targets and achieved rates."""
    out = []
    for k, s in enumerate(ladder_.seeds(card)):
        th = card["thresholds"][s.name]
        out.append(LiveSeed(s.name, k, s.score, s.raw, _target_of(th), th.get("achieved")))
    if len(out) > ladder_.MAX_SEEDS:
        raise BundleError(f"{len(out)} seeds do not fit one uint8 mask (at most {ladder_.MAX_SEEDS})")
    for s in out:  # refuse a seed the rate monitor could not judge at load, not mid-stream
        _expected_fpr(s.achieved, s.target)
    return tuple(out)


def load_live(path: Path, threads: int, generation: int) -> LiveModel:
    """Load, check and warm a bundle; raises ``BundleError`` and leaves nothing behind if any step fails."""
    bundle = load_bundle(path)
    th = bundle.threshold()
    scorer = Scorer(bundle, threads=threads)
    name = bundle.card["active_threshold"]
    live = LiveModel(bundle.path, bundle.card, scorer, float(th["score"]), name, _target_of(th), th.get("achieved"),
                     generation, seeds=card_seeds(bundle.card))  # fmt: skip
    warm = np.zeros((WARM_EVENTS, live.n_features), np.float32)
    scores = np.asarray(scorer.score(warm))  # the first run allocates; no request should pay for it
    if scores.shape != (WARM_EVENTS,) or scores.dtype != np.float64 or not np.isfinite(scores).all():
        raise BundleError(f"the model scored a warm-up batch as {scores.dtype}{scores.shape}: not a usable scorer")
    return live


class ModelHolder:
    """Holds the live model; ``reload`` and ``retarget`` build a new one aside, with its seed list and one rate
    window per seed (``window`` events, alarm beyond ``sigma``), and swap a reference."""

    def __init__(self, live: LiveModel, threads: int, window: int = 1_000_000, sigma: float = 5.0) -> None:
        self._threads = threads
        self._window, self._sigma = window, sigma
        self._live = self._windowed(live, None)
        self._swap = threading.Lock()  # one reload or retarget at a time

    def _windowed(self, live: LiveModel, old: LiveModel | None) -> LiveModel:
        """``live`` with its seed windows; a seed unchanged from ``old`` (name, threshold, expected) keeps its
        window, the others start empty."""
        keys = [SeedKey(s.name, s.score, s.expected_fpr) for s in live.seeds]
        return replace(live, windows=SeedWindows(keys, self._window, self._sigma, old.windows if old else None))

    @property
    def live(self) -> LiveModel:
        return self._live

    def reload(self, path: Path | None = None) -> LiveModel:
        """Load ``path`` (default: the current bundle again) and swap it in once warm; on error the old one stays."""
        with self._swap:
            old = self._live
            new = load_live(Path(path) if path is not None else old.path, self._threads, old.generation + 1)
            self._live = new = self._windowed(new, old)
            return new

    def retarget(self, target: dict) -> LiveModel:
        """Set the threshold for a new SM target (``{"kind", "value", "input_rate_hz"}``) from the bundle's stored
        SM score distribution, on the L1 score grid when the bundle has one; the model itself stays. A ladder's
        seeds stay the card's (the firmware's comparators); without a ladder the one seed is the new threshold."""
        from adtrigger.bundle.rates import retarget, target_from_dict

        if target.get("kind") == "pure_rate_hz":
            raise BundleError(
                "a pure-rate target needs the reference menu's decisions on SM events, which the stored SM "
                "distribution does not keep: run `adtrigger calibrate --menu MENU --pure-rate RATE` and reload"
            )
        with self._swap:
            old = self._live
            if "sm_distribution.json" not in old.card["files"]:
                raise BundleError("the bundle has no sm_distribution.json: run `adtrigger calibrate` to store one")
            distribution = json.loads(old.scorer.bundle.read_checked("sm_distribution.json"))
            fixed_point = old.card.get("fixed_point") or {}
            r = retarget(distribution, target_from_dict(target), fixed_point.get("score"))
            seeds = old.seeds
            if not old.card.get("ladder"):
                raw = None if r.fixed is None else int(r.fixed["raw"])
                seeds = (LiveSeed("retargeted", 0, r.threshold, raw, r.target.as_dict(), r.achieved),)
            new = LiveModel(old.path, old.card, old.scorer, r.threshold, None, r.target.as_dict(), r.achieved,
                            old.generation + 1, seeds=seeds)  # fmt: skip
            self._live = new = self._windowed(new, old)
            return new
