"""The live model: a loaded, warmed bundle with its threshold, swapped atomically on reload or retarget.

A request takes ``holder.live`` once and uses that object to the end, so a swap never changes the model under a
batch: the old model keeps serving until the new one is loaded, checked and warm, and is dropped when its last
batch is done. Only the bundle package is used (``load_bundle``, ``Scorer``, ``rates.retarget``): the one scoring
path shared with the calibration tool.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from adtrigger.bundle import BundleError, load_bundle
from adtrigger.bundle.scoring import Scorer

WARM_EVENTS = 256


class InputError(ValueError):
    """Events that do not fit the model's input; the message says what is wrong and what to do."""


class TooManyEventsError(InputError):
    """A batch over the ``max_batch`` limit."""


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

    @property
    def n_features(self) -> int:
        return int(self.card["input"]["n_features"])

    @property
    def expected_fpr(self) -> float:
        """The SM accept fraction to expect online, the rate monitor's reference: the achieved FPR on held-out SM,
        not the target. The threshold lands off its target by the threshold-setting half's fluctuation and by the
        step up onto the L1 grid; the held-out half never saw the choice, so its fraction is the unbiased estimate
        of what this threshold accepts. Only a threshold with no measurement falls back to its target."""
        if self.achieved is not None and "fpr" in self.achieved:
            return float(self.achieved["fpr"])
        return float(self.target["fpr"])

    def decide(self, x: np.ndarray, max_batch: int) -> tuple[np.ndarray, np.ndarray]:
        """Scores ``(N,) float64`` and accept bits ``(N,) bool`` of a batch ``x: (N, *shape)``. The bundle's
        ``Scorer`` checks the input (shape, dtype, finite, non-empty); its refusal becomes an ``InputError``."""
        if x.ndim >= 1 and len(x) > max_batch:
            raise TooManyEventsError(f"batch of {len(x)} events is over the limit of {max_batch}; split it")
        try:
            scores = self.scorer.score(x)
        except BundleError as err:
            raise InputError(str(err)) from None
        if self.threshold_name is not None:
            return scores, self.scorer.accept(scores, self.threshold_name)
        return scores, scores >= self.threshold  # a retargeted threshold: the card's rule, score >= threshold

    def describe(self) -> dict:
        """The bundle card with what this instance serves (for ``GET /v1/model``)."""
        return {
            "path": str(self.path),
            "generation": self.generation,
            "loaded": self.loaded,
            "threshold": {"name": self.threshold_name or "retargeted", "score": self.threshold, "target": self.target,
                          "achieved": self.achieved, "expected_fpr": self.expected_fpr},
            "card": self.card,
        }  # fmt: skip


def _target_of(threshold: dict) -> dict:
    """The card's target, with its SM ``fpr`` worked out from kind and value where the card does not store it."""
    from adtrigger.bundle.rates import target_from_dict

    target = dict(threshold["target"])
    return target if "fpr" in target else target | {"fpr": target_from_dict(target).fpr}


def load_live(path: Path, threads: int, generation: int) -> LiveModel:
    """Load, check and warm a bundle; raises ``BundleError`` and leaves nothing behind if any step fails."""
    bundle = load_bundle(path)
    th = bundle.threshold()
    scorer = Scorer(bundle, threads=threads)
    name = bundle.card["active_threshold"]
    live = LiveModel(bundle.path, bundle.card, scorer, float(th["score"]), name, _target_of(th), th.get("achieved"),
                     generation)  # fmt: skip
    warm = np.zeros((WARM_EVENTS, live.n_features), np.float32)
    scores = np.asarray(scorer.score(warm))  # the first run allocates; no request should pay for it
    if scores.shape != (WARM_EVENTS,) or scores.dtype != np.float64 or not np.isfinite(scores).all():
        raise BundleError(f"the model scored a warm-up batch as {scores.dtype}{scores.shape}: not a usable scorer")
    return live


class ModelHolder:
    """Holds the live model; ``reload`` and ``retarget`` build a new one aside and swap a reference."""

    def __init__(self, live: LiveModel, threads: int) -> None:
        self._live = live
        self._threads = threads
        self._swap = threading.Lock()  # one reload or retarget at a time

    @property
    def live(self) -> LiveModel:
        return self._live

    def reload(self, path: Path | None = None) -> LiveModel:
        """Load ``path`` (default: the current bundle again) and swap it in once warm; on error the old one stays."""
        with self._swap:
            new = load_live(Path(path) if path is not None else self._live.path, self._threads,
                            self._live.generation + 1)  # fmt: skip
            self._live = new
            return new

    def retarget(self, target: dict) -> LiveModel:
        """Set the threshold for a new SM target (``{"kind", "value", "input_rate_hz"}``) from the bundle's stored
        SM score distribution, on the L1 score grid when the bundle has one; the model itself stays."""
        from adtrigger.bundle.rates import retarget, target_from_dict

        with self._swap:
            old = self._live
            if "sm_distribution.json" not in old.card["files"]:
                raise BundleError("the bundle has no sm_distribution.json: run `adtrigger calibrate` to store one")
            distribution = json.loads(old.scorer.bundle.read_checked("sm_distribution.json"))
            fixed_point = old.card.get("fixed_point") or {}
            r = retarget(distribution, target_from_dict(target), fixed_point.get("score"))
            new = LiveModel(old.path, old.card, old.scorer, r.threshold, None, r.target.as_dict(), r.achieved,
                            old.generation + 1)  # fmt: skip
            self._live = new
            return new
