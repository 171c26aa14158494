"""A reference L1 menu of standard seeds (single/double/cross lepton, MET, HT, multi-jet) on the 19 L1 objects, with
prescales and per-seed raw, prescaled and pure rates; the AD trigger is calibrated to a pure rate against it.

Every cut is inclusive: an object passes a leg at ``pT >= threshold`` and ``|eta| <= eta`` (empty slots, pT = 0,
never pass), as the Global Trigger's thresholds and eta windows are. A seed is the AND of its conditions; within one
leg group the objects are distinct, across groups they need not be (the GT's separate conditions). See docs/menu.md.

Prescales are a hash, not a counter: seed ``s`` with prescale N keeps a passing event iff
``u(event id, s) < 1/N``, so an event's decision does not depend on which shard, chunk or worker it is evaluated in,
nor on the order of events (a hardware counter keeps every N-th passing event, which no shard can know).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from adtrigger.bundle.layout import EGAMMA_ROWS, JET_ROWS, MUON_ROWS, N_EGAMMA, N_JET, N_MUON, N_OBJECTS
from adtrigger.bundle.rates import CL_1SIGMA, weighted_fraction
from adtrigger.training.data import _unit_hash

MENUS_DIR = Path(__file__).parent / "menus"
DEFAULT_MENU = "run3_like"

# Object classes of the layout: rows, slots, and the name of the emulation's eta acceptance in RecoParams.
_CLASSES = {
    "muon": (MUON_ROWS, N_MUON, "mu_eta"),
    "egamma": (EGAMMA_ROWS, N_EGAMMA, "eg_eta"),
    "jet": (JET_ROWS, N_JET, "jet_eta"),
}
DEFAULT_COVERAGE = {"muon": 2.4, "egamma": 2.5, "jet": 4.0}  # RecoParams' mu_eta, eg_eta, jet_eta
HT_JET_PT, HT_ETA = 30.0, 2.4  # CMS HTT "er": jets above 30 GeV within |eta| 2.4

# What CMS's GT has that the layout cannot evaluate, each with the reason (one-line errors).
_NOT_IN_STREAM = {
    "tau": "the 19-object layout has no taus",
    "ett": "the layout has no total transverse energy (ETT is a sum over all calorimeter towers)",
    "ettem": "the layout has no total transverse energy (ETTEM is a sum over all calorimeter towers)",
    "etmhf": "ETMHF is computed from all calorimeter towers; the layout has one MET (use met: on row 0)",
    "etm": "write met: (the layout's one MET, row 0)",
    "htm": "the layout has no missing HT (MHT) sum; only met and ht are evaluated",
    "htmhf": "the layout has no missing HT (MHT) sum; only met and ht are evaluated",
    "httHF": "HT with forward jets is not evaluated; give ht: {eta: ...} within the jets' coverage",
    "mbt": "the layout has no HF minimum-bias tower counts",
    "towercount": "the layout has no tower counts",
    "centrality": "the layout has no centrality bits",
    "asym": "the layout has no energy-asymmetry sums",
    "iso": "the layout has no isolation bits (its e/gamma and muons already pass the emulation's relative isolation)",
    "isolation": "the layout has no isolation bits (its e/gamma and muons already pass the emulation's isolation)",
    "quality": "the layout has no muon quality",
    "qual": "the layout has no muon quality",
    "charge": "the layout has no charge",
    "os": "the layout has no charge (opposite-sign)",
    "ss": "the layout has no charge (same-sign)",
    "upt": "the layout has no unconstrained (displaced) muon pT",
    "dxy": "the layout has no impact parameter",
    "mass": "correlation cuts (invariant mass) are not in this grammar",
    "mass_min": "correlation cuts (invariant mass) are not in this grammar",
    "mass_max": "correlation cuts (invariant mass) are not in this grammar",
    "dr": "correlation cuts (dR) are not in this grammar",
    "deta": "correlation cuts (dEta) are not in this grammar",
    "dphi": "correlation cuts (dPhi) are not in this grammar",
    "bx": "the stream holds one bunch crossing per event",
}
_SEED_KEYS = {"name", "prescale", "legs", "met", "ht", "comment"}
_LEG_KEYS = {"object", "pt", "eta"}
_HT_KEYS = {"pt", "jet_pt", "eta"}
_MENU_KEYS = {"name", "description", "source", "seeds"}


class MenuError(ValueError):
    """A menu that cannot be read or evaluated on this stream: one line naming the seed and the field."""


@dataclass(frozen=True)
class Leg:
    """Distinct objects of one class: the k-th highest-pT object within ``|eta| <= eta`` has ``pT >= pt[k]``.

    pt: thresholds in GeV, descending; eta: the |eta| window, None for the stream's whole coverage.
    """

    object: str
    pt: tuple[float, ...]
    eta: float | None = None

    def passes(self, particles: np.ndarray) -> np.ndarray:
        """(N,) bool on particles (N, 19, 3)."""
        rows = _CLASSES[self.object][0]
        pt, eta = particles[:, rows, 0], particles[:, rows, 1]
        ok = pt > 0
        if self.eta is not None:
            ok &= np.abs(eta) <= self.eta
        ranked = -np.sort(-np.where(ok, pt, -np.inf), axis=1)  # eligible pT, descending
        return np.all(ranked[:, : len(self.pt)] >= np.asarray(self.pt, dtype=np.float32), axis=1)


@dataclass(frozen=True)
class Seed:
    """One L1 seed: the AND of its leg groups, ``MET >= met`` and ``HT >= ht``; ``prescale`` N >= 1 keeps 1/N of
    the passing events (0: disabled). HT sums the jets with ``pT >= ht_jet_pt`` and ``|eta| <= ht_eta``."""

    name: str
    prescale: int = 1
    legs: tuple[Leg, ...] = ()
    met: float | None = None
    ht: float | None = None
    ht_jet_pt: float = HT_JET_PT
    ht_eta: float = HT_ETA
    comment: str = ""

    def passes(self, particles: np.ndarray) -> np.ndarray:
        """(N,) bool: the seed's cuts on particles (N, 19, 3), before its prescale."""
        ok = np.ones(len(particles), dtype=bool)
        for leg in self.legs:
            ok &= leg.passes(particles)
        if self.met is not None:
            ok &= particles[:, 0, 0] >= np.float32(self.met)
        if self.ht is not None:
            ok &= ht(particles, self.ht_jet_pt, self.ht_eta) >= self.ht
        return ok

    def prescaled(self, event_id: np.ndarray) -> np.ndarray:
        """(N,) bool: whether the prescale keeps each event (by a hash of event id and seed name)."""
        if self.prescale == 0:
            return np.zeros(len(event_id), dtype=bool)
        if self.prescale == 1:
            return np.ones(len(event_id), dtype=bool)
        return prescale_hash(event_id, self.name) * self.prescale < 1.0

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "prescale": self.prescale}
        if self.legs:
            out["legs"] = [{"object": g.object, "pt": list(g.pt), **({"eta": g.eta} if g.eta is not None else {})}
                           for g in self.legs]  # fmt: skip
        if self.met is not None:
            out["met"] = self.met
        if self.ht is not None:
            out["ht"] = {"pt": self.ht, "jet_pt": self.ht_jet_pt, "eta": self.ht_eta}
        return out


@dataclass(frozen=True)
class Menu:
    """Seeds in order (bit k = seed k); pure numpy and picklable, so Dask workers evaluate shards of it."""

    name: str
    seeds: tuple[Seed, ...]
    description: str = ""
    source: str = ""
    path: str | None = field(default=None, compare=False)  # the YAML it was read from, to copy into a bundle

    @property
    def seed_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.seeds)

    def raw_decisions(self, particles: np.ndarray) -> np.ndarray:
        """(N, n_seeds) bool: each seed's cuts on particles (N, 19, 3) float32, before prescales."""
        p = _check_particles(particles)
        return np.stack([s.passes(p) for s in self.seeds], axis=1).reshape(len(p), len(self.seeds))

    def prescale_mask(self, event_id: np.ndarray) -> np.ndarray:
        """(N, n_seeds) bool: whether each seed's prescale keeps each event, event_id (N,) int64."""
        ids = np.asarray(event_id).astype(np.int64, copy=False)
        if ids.ndim != 1:
            raise MenuError(f"event_id must be (N,), got {ids.shape}")
        return np.stack([s.prescaled(ids) for s in self.seeds], axis=1).reshape(len(ids), len(self.seeds))

    def decisions(self, particles: np.ndarray, event_id: np.ndarray) -> np.ndarray:
        """(N, n_seeds) bool after prescales; event_id (N,) int64 (the same event gets the same decision in any
        shard or order)."""
        raw = self.raw_decisions(particles)
        if np.shape(event_id) != (len(raw),):
            raise MenuError(f"event_id must be ({len(raw)},), got {np.shape(event_id)}")
        return raw & self.prescale_mask(event_id)

    def accept(self, particles: np.ndarray, event_id: np.ndarray) -> np.ndarray:
        """(N,) bool: the menu's decision, the OR of its seeds after prescales."""
        return self.decisions(particles, event_id).any(axis=1)

    def as_dict(self) -> dict[str, Any]:
        """The menu as evaluated (defaults filled in): what :attr:`canonical` and :attr:`sha256` are made of."""
        return {"name": self.name, "seeds": [s.as_dict() for s in self.seeds]}

    @property
    def canonical(self) -> str:
        """Canonical JSON of the seeds and cuts (comments, description and file layout left out)."""
        return json.dumps(self.as_dict(), sort_keys=True, separators=(",", ":"))

    @property
    def sha256(self) -> str:
        """sha256 of :attr:`canonical`: the same cuts and prescales give the same hash whatever the YAML looks like."""
        return hashlib.sha256(self.canonical.encode()).hexdigest()


def ht(particles: np.ndarray, jet_pt: float = HT_JET_PT, eta: float = HT_ETA) -> np.ndarray:
    """(N,) float64: scalar sum of jet pT with ``pT >= jet_pt`` and ``|eta| <= eta``."""
    pt, jeta = particles[:, JET_ROWS, 0], particles[:, JET_ROWS, 1]
    sel = (pt > 0) & (pt >= np.float32(jet_pt)) & (np.abs(jeta) <= eta)
    return np.where(sel, pt, 0).sum(axis=1, dtype=np.float64)


def prescale_hash(event_id: np.ndarray, seed_name: str) -> np.ndarray:
    """(N,) uniform in [0, 1) from splitmix64 of (event id, seed name): independent across seeds."""
    salt = int.from_bytes(hashlib.blake2b(seed_name.encode(), digest_size=8).digest(), "little")
    return _unit_hash(np.asarray(event_id, dtype=np.int64), 0, salt)


def _check_particles(particles: np.ndarray) -> np.ndarray:
    p = np.asarray(particles)
    if p.ndim == 3 and p.shape[1:] == (N_OBJECTS, 4):
        p = p[:, :, :3]
    if p.ndim != 3 or p.shape[1:] != (N_OBJECTS, 3):
        raise MenuError(f"particles must be (N, {N_OBJECTS}, 3), got {p.shape}")
    return p.astype(np.float32, copy=False)


# --- reading menus -------------------------------------------------------------------------------------------------


def builtin_menus() -> list[str]:
    """Names of the menus shipped in training/menus/."""
    return sorted(p.stem for p in MENUS_DIR.glob("*.yaml"))


def stream_coverage(manifest: Mapping | Sequence[Mapping] | None) -> tuple[dict[str, float], str]:
    """(|eta| coverage per class, where it came from): the manifest's ``reco`` (generated files) or ``RecoParams``
    (refstream-v1 attributes) when present, else the emulation's defaults; of several manifests, the narrowest."""
    if isinstance(manifest, Sequence):
        each = [stream_coverage(m) for m in manifest] or [stream_coverage(None)]
        return {c: min(cov[c] for cov, _ in each) for c in _CLASSES}, each[0][1]
    reco: Any = (manifest or {}).get("reco") or (manifest or {}).get("RecoParams")
    if isinstance(reco, str):
        try:
            reco = json.loads(reco)
        except json.JSONDecodeError:
            reco = None
    if isinstance(reco, Mapping) and all(isinstance(reco.get(k), int | float) for _, _, k in _CLASSES.values()):
        return {c: float(reco[k]) for c, (_, _, k) in _CLASSES.items()}, "the stream's manifest reco"
    return dict(DEFAULT_COVERAGE), "the default emulation (RecoParams; the stream's manifest has no reco)"


def load_menu(path_or_name: str | Path = DEFAULT_MENU, coverage: Mapping[str, float] | None = None,
              coverage_source: str | None = None) -> Menu:  # fmt: skip
    """A menu from a YAML file or a built-in name (``run3_like``), checked against the stream's |eta| coverage
    (:func:`stream_coverage`; the defaults when None)."""
    path = Path(path_or_name)
    if not path.is_file():
        if str(path_or_name) in builtin_menus():
            path = MENUS_DIR / f"{path_or_name}.yaml"
        else:
            raise MenuError(f"no menu file {str(path_or_name)!r} and no built-in menu of that name "
                            f"(built-in: {', '.join(builtin_menus())})")  # fmt: skip
    try:
        data = yaml.safe_load(path.read_text())
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise MenuError(f"{path}: not a readable YAML menu: {' '.join(str(err).split())}") from None
    menu = parse_menu(data, str(path), coverage, coverage_source, default_name=path.stem)
    return Menu(menu.name, menu.seeds, menu.description, menu.source, path=str(path))


def parse_menu(data: Any, where: str = "menu", coverage: Mapping[str, float] | None = None,
               coverage_source: str | None = None, default_name: str = "menu") -> Menu:  # fmt: skip
    """Check a menu as plain data (a YAML document) and build it; every problem is one MenuError line."""
    if coverage is None:
        coverage, coverage_source = dict(DEFAULT_COVERAGE), "the default emulation (RecoParams)"
    cov_text = coverage_source or "the given coverage"
    if not isinstance(data, Mapping):
        raise MenuError(f"{where}: a menu is a mapping with 'seeds' (a list), got {type(data).__name__}")
    if unknown := sorted(set(map(str, data)) - _MENU_KEYS):
        raise MenuError(f"{where}: unknown menu key {unknown[0]!r} (keys: {', '.join(sorted(_MENU_KEYS))})")
    raw_seeds = data.get("seeds")
    if not isinstance(raw_seeds, list) or not raw_seeds:
        raise MenuError(f"{where}: empty menu: 'seeds' must be a non-empty list")
    seeds: list[Seed] = []
    for i, raw in enumerate(raw_seeds):
        seed = _parse_seed(raw, i, where, coverage, cov_text)
        if seed.name in {s.name for s in seeds}:
            raise MenuError(f"{where}: seed {seed.name!r}, name: duplicate seed name")
        seeds.append(seed)
    return Menu(str(data.get("name") or default_name), tuple(seeds), str(data.get("description") or "").strip(),
                str(data.get("source") or "").strip())  # fmt: skip


def _number(value: Any, at: str, *, allow_zero: bool = True) -> float:
    """A finite non-negative number, or a MenuError naming ``at``."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise MenuError(f"{at}: not a number: {value!r}")
    if value < 0 or (not allow_zero and value == 0):
        raise MenuError(f"{at}: negative threshold {value!r}" if value < 0 else f"{at}: must be positive")
    return float(value)


def _check_keys(raw: Mapping, allowed: set[str], at: str) -> None:
    """Refuse keys outside ``allowed``; ``at`` ends with the path of ``raw`` (``"...seed 'X', "`` for a seed)."""
    for key in map(str, raw):
        if key in allowed:
            continue
        field_at = f"{at}{key}" if at.endswith(", ") else f"{at}.{key}"
        why = _NOT_IN_STREAM.get(key) or _NOT_IN_STREAM.get(key.lower())
        if why:
            raise MenuError(f"{field_at}: the stream cannot evaluate it: {why}")
        raise MenuError(f"{field_at}: unknown key (allowed here: {', '.join(sorted(allowed))})")


def _eta(value: Any, cls: str, at: str, coverage: Mapping[str, float], cov_text: str) -> float:
    eta = _number(value, at, allow_zero=False)
    if eta > coverage[cls] + 1e-9:
        raise MenuError(f"{at}: |eta| {eta:g} is beyond the {cls} coverage {coverage[cls]:g} of {cov_text}; "
                        "the stream has no objects there")  # fmt: skip
    return eta


def _parse_seed(raw: Any, index: int, where: str, coverage: Mapping[str, float], cov_text: str) -> Seed:
    if not isinstance(raw, Mapping):
        raise MenuError(f"{where}: seeds[{index}]: a seed is a mapping with name, prescale and cuts")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise MenuError(f"{where}: seeds[{index}], name: every seed needs a name (a non-empty string)")
    at = f"{where}: seed {name!r}, "
    _check_keys(raw, _SEED_KEYS, at)
    prescale = raw.get("prescale", 1)
    if isinstance(prescale, bool) or not isinstance(prescale, int) or prescale < 0:
        raise MenuError(f"{at}prescale: must be an integer >= 1 (0 = disabled), got {prescale!r}")
    legs = []
    raw_legs = raw.get("legs", [])
    if not isinstance(raw_legs, list):
        raise MenuError(f"{at}legs: must be a list of leg groups {{object, pt: [...], eta}}")
    for j, leg in enumerate(raw_legs):
        legs.append(_parse_leg(leg, f"{at}legs[{j}]", coverage, cov_text))
    met = None if raw.get("met") is None else _number(raw["met"], f"{at}met")
    ht_pt, jet_pt, ht_eta = None, HT_JET_PT, HT_ETA
    if (h := raw.get("ht")) is not None:
        if isinstance(h, Mapping):
            _check_keys(h, _HT_KEYS, f"{at}ht")
            if "pt" not in h:
                raise MenuError(f"{at}ht.pt: missing (the HT threshold in GeV)")
            ht_pt = _number(h["pt"], f"{at}ht.pt")
            jet_pt = _number(h.get("jet_pt", HT_JET_PT), f"{at}ht.jet_pt")
            ht_eta = _eta(h.get("eta", HT_ETA), "jet", f"{at}ht.eta", coverage, cov_text)
        else:
            ht_pt = _number(h, f"{at}ht")
    if not legs and met is None and ht_pt is None:
        raise MenuError(f"{at}legs: a seed needs at least one condition (legs, met or ht)")
    comment = " ".join(str(raw.get("comment") or "").split())
    return Seed(name, prescale, tuple(legs), met, ht_pt, jet_pt, ht_eta, comment)


def _parse_leg(raw: Any, at: str, coverage: Mapping[str, float], cov_text: str) -> Leg:
    if not isinstance(raw, Mapping):
        raise MenuError(f"{at}: a leg group is a mapping {{object, pt: [...], eta}}, got {raw!r}")
    _check_keys(raw, _LEG_KEYS, at)
    cls = raw.get("object")
    if cls not in _CLASSES:
        why = _NOT_IN_STREAM.get(str(cls).lower())
        if why:
            raise MenuError(f"{at}.object: the stream cannot evaluate {cls!r}: {why}")
        raise MenuError(f"{at}.object: unknown object class {cls!r} (one of {', '.join(_CLASSES)})")
    pts = raw.get("pt")
    pts = [pts] if isinstance(pts, int | float) and not isinstance(pts, bool) else pts
    if not isinstance(pts, list) or not pts:
        raise MenuError(f"{at}.pt: must be a list of thresholds in GeV, one per object, e.g. [15, 7]")
    values = tuple(sorted((_number(v, f"{at}.pt[{k}]") for k, v in enumerate(pts)), reverse=True))
    slots = _CLASSES[cls][1]
    if len(values) > slots:
        raise MenuError(f"{at}.pt: {len(values)} {cls} objects asked, the layout has {slots} {cls} slots")
    eta = None if raw.get("eta") is None else _eta(raw["eta"], cls, f"{at}.eta", coverage, cov_text)
    return Leg(cls, values, eta)


# --- rates ---------------------------------------------------------------------------------------------------------


@dataclass
class MenuCounts:
    """Weight sums that make the menu's rates, additive over chunks, files and workers (``a + b``).

    Per seed (arrays of n_seeds): raw (cuts only), rate (after prescale), pure (this seed and no other after
    prescales); ``total``: the OR after prescales; ``all``: every event.
    """

    n_seeds: int
    n_events: int = 0
    sum_w: float = 0.0
    sum_w2: float = 0.0
    sums: dict[str, np.ndarray] = field(default_factory=dict)  # raw / rate / pure, each (2, n_seeds): w and w^2
    total: np.ndarray = field(default_factory=lambda: np.zeros(2))  # (sum w, sum w^2) of the accepted

    def __post_init__(self) -> None:
        for k in ("raw", "rate", "pure"):
            self.sums.setdefault(k, np.zeros((2, self.n_seeds)))

    def add(self, menu: Menu, particles: np.ndarray, event_id: np.ndarray, weight: np.ndarray | None = None) -> None:
        """Count one chunk: particles (N, 19, 3), event_id (N,), weight (N,) (None: unit weights)."""
        raw = menu.raw_decisions(particles)
        n = len(raw)
        w = np.ones(n) if weight is None else np.asarray(weight, dtype=np.float64)
        if w.shape != (n,) or np.shape(event_id) != (n,):
            raise MenuError(f"weight and event_id must be ({n},), got {w.shape} and {np.shape(event_id)}")
        kept = raw & menu.prescale_mask(event_id)
        fired = kept.sum(axis=1)
        ww = np.stack([w, w * w])  # (2, N)
        for key, bits in (("raw", raw), ("rate", kept), ("pure", kept & (fired == 1)[:, None])):
            self.sums[key] += ww @ bits
        self.total += ww @ (fired > 0)
        self.n_events += n
        self.sum_w += float(w.sum())
        self.sum_w2 += float((w * w).sum())

    def __add__(self, other: MenuCounts) -> MenuCounts:
        if other.n_seeds != self.n_seeds:
            raise MenuError(f"cannot add counts of {other.n_seeds} seeds to counts of {self.n_seeds}")
        return MenuCounts(self.n_seeds, self.n_events + other.n_events, self.sum_w + other.sum_w,
                          self.sum_w2 + other.sum_w2, {k: self.sums[k] + other.sums[k] for k in self.sums},
                          self.total + other.total)  # fmt: skip

    def rates(self, menu: Menu, input_rate_hz: float, cl: float = CL_1SIGMA) -> dict[str, Any]:
        """Per seed raw_rate_hz, rate_hz, pure_rate_hz and the menu's total, each with ``_lo``/``_hi`` (central
        Clopper-Pearson at ``cl`` on Kish counts, adtrigger.bundle.rates), plus the fractions behind them."""
        if not self.n_events or self.sum_w <= 0:
            raise MenuError("no events (or zero total weight) to measure the menu's rates on")
        n_eff = self.sum_w**2 / self.sum_w2

        def rate(sw: np.ndarray, sw2: np.ndarray, key: str) -> dict[str, np.ndarray]:
            p, lo, hi = weighted_fraction(sw, sw2, self.sum_w, n_eff, cl)
            return {key: p * input_rate_hz, f"{key}_lo": lo * input_rate_hz, f"{key}_hi": hi * input_rate_hz}

        per = {}
        for key, out in (("raw", "raw_rate_hz"), ("rate", "rate_hz"), ("pure", "pure_rate_hz")):
            per |= rate(self.sums[key][0], self.sums[key][1], out)
        seeds = [{"name": s.name, "prescale": s.prescale, **{k: float(v[i]) for k, v in per.items()}}
                 for i, s in enumerate(menu.seeds)]  # fmt: skip
        for s in seeds:
            if s["prescale"] == 0:  # disabled: exactly nothing passes, whatever the sample size
                s |= {f"{k}{e}": 0.0 for k in ("rate_hz", "pure_rate_hz") for e in ("", "_lo", "_hi")}
        total = {k: float(v) for k, v in rate(self.total[0], self.total[1], "rate_hz").items()}
        return {"menu": menu.name, "sha256": menu.sha256, "input_rate_hz": float(input_rate_hz),
                "n_events": self.n_events, "n_effective": n_eff, "cl": cl, "seeds": seeds,
                "total": total}  # fmt: skip


def count_menu(menu: Menu, particles: np.ndarray, event_id: np.ndarray,
               weight: np.ndarray | None = None) -> MenuCounts:  # fmt: skip
    """The additive counts of one chunk (sum chunks with ``+``, then :meth:`MenuCounts.rates`)."""
    counts = MenuCounts(len(menu.seeds))
    counts.add(menu, particles, event_id, weight)
    return counts


def menu_rates(menu: Menu, particles: np.ndarray, event_id: np.ndarray, weight: np.ndarray | None,
               input_rate_hz: float, cl: float = CL_1SIGMA) -> dict[str, Any]:  # fmt: skip
    """Per-seed raw, prescaled and pure rates and the menu's total in Hz with intervals, on one set of events
    (weight None: a zero-bias stream, unit weights)."""
    return count_menu(menu, particles, event_id, weight).rates(menu, input_rate_hz, cl)


def rates_table(result: Mapping[str, Any]) -> str:
    """The rates of :func:`menu_rates` as a text table: seed, prescale, raw rate, rate, pure rate, total."""

    def cell(d: Mapping, key: str) -> str:
        v, lo, hi = d[key], d[key + "_lo"], d[key + "_hi"]
        unit, scale = next((u, s) for u, s in (("MHz", 1e6), ("kHz", 1e3), ("Hz", 1.0)) if max(v, hi) >= s or s == 1)
        return f"{v / scale:.4g} [{lo / scale:.4g}, {hi / scale:.4g}] {unit}"

    rows = [(s["name"], str(s["prescale"]), cell(s, "raw_rate_hz"), cell(s, "rate_hz"), cell(s, "pure_rate_hz"))
            for s in result["seeds"]]  # fmt: skip
    rows.append(("total (OR)", "", "", cell(result["total"], "rate_hz"), ""))
    head = ("seed", "prescale", "raw rate", "rate", "pure rate")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    fmt = "  ".join(f"{{:{'<' if i == 0 else '>'}{w}}}" for i, w in enumerate(widths))
    lines = [fmt.format(*head), "  ".join("-" * w for w in widths)]
    lines += [fmt.format(*r) for r in rows[:-1]] + ["  ".join("-" * w for w in widths), fmt.format(*rows[-1])]
    cl = result["cl"]
    lines.append(f"menu {result['menu']} (sha256 {result['sha256'][:12]}) on {result['n_events']} events "
                 f"({result['n_effective']:.6g} effective) at {_hz(result['input_rate_hz'])} input; "
                 f"intervals: {cl:.0%} Clopper-Pearson")  # fmt: skip
    return "\n".join(lines)


def _hz(value: float) -> str:
    for unit, scale in (("MHz", 1e6), ("kHz", 1e3)):
        if abs(value) >= scale:
            return f"{value / scale:.4g} {unit}"
    return f"{value:.4g} Hz"


def iter_chunks(paths: Sequence[str | Path], chunk_events: int = 200_000):
    """(particles (n, 19, 3) float32, event_id (n,) int64, weight (n,) float64) chunks of the files in turn:
    HDF5 row ranges read without loading the file, parquet whole (as training.calibration.sources reads shards)."""
    from adtrigger.training.calibration.sources import Shard, read_shard
    from adtrigger.training.stream.io import event_format, file_summary

    for path in paths:
        n = file_summary(path)["n_events"]
        step = n if event_format(path) != "h5" else chunk_events
        for a in range(0, n, max(step, 1)):
            x, w, ids, _ = read_shard(Shard(str(path), a, min(a + step, n), "menu", ("menu",)), "l1")
            yield x.reshape(len(x), N_OBJECTS, 3), ids, w
