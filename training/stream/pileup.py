"""Bunch crossings with pileup: a reused pool of soft minimum-bias interactions plus a fresh hard tail.

The L1 rates that matter are 1e-5 to 1e-3 of crossings; at mu = 60 a crossing passes a seed because one of its
interactions is hard, which a reused pool of ~10^5 interactions cannot carry. Minimum bias (Pythia
``SoftQCD:nonDiffractive``, MPI on) is therefore split at the hardest interaction's scale ``pthat_cut``:

- the *soft pool*: nonDiffractive events with pTHat < cut (Pythia's pTHat is the hardest MPI's pT for
  nonDiffractive events) and no visible particle above the cut (rare fragmentation outliers, ``make_pool_chunk``),
  generated once per run and reused -- each crossing draws a fresh random combination;
- the *hard tail*: ``HardQCD:all`` with ``PhaseSpace:pTHatMin = cut`` and MPI on, generated fresh for every
  crossing, never reused.

A crossing holds N_soft ~ Poisson(mu (1 - f)) pool interactions and N_hard ~ Poisson(mu f) fresh hard ones, with
f = sigma_hard(pTHat > cut) / sigma_nonDiffractive (Pythia's sigmaGen of both; cross-checked against the fraction of
nonDiffractive events at or above the cut met while filling the pool). Every crossing is an unweighted, unbiased
sample; the statistics of the tail are the crossings' own. A signal crossing is the signal event plus Poisson(mu)
interactions of the same mixture. The L1 objects come from ``towers.emulate``.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field, fields

import numpy as np

from adtrigger.bundle.layout import EGAMMA_ROWS, JET_ROWS, MUON_ROWS
from adtrigger.training.stream.cards import Card, CardError, builtin_card
from adtrigger.training.stream.emulation import ParticleTable
from adtrigger.training.stream.towers import Deposits, TowerParams, deposits_from_batch, emulate_timed

ZERO_BIAS = "MinBias"  # the built-in zero-bias process: crossings of pileup interactions only
HARD_TAIL = "MinBias_hard"
PB_PER_MB = 1e9
MAX_PYTHIA_SEED = 900_000_000
# independent random streams of a run, besides the shards' own Pythia seeds (seed * 1000 + index + 1)
_POOL, HARD_STREAM, _SIGMA, _MIX = 1, 2, 3, 4


def derived_seed(run_seed: int, stream: int, index: int) -> int:
    """A Pythia seed in [1, 9e8) for item ``index`` of random stream ``stream`` of a run (SeedSequence-hashed, so it
    does not depend on the number of workers and is unrelated to the shards' ``seed * 1000 + index + 1``)."""
    state = np.random.SeedSequence([run_seed, stream, index]).generate_state(1, np.uint64)[0]
    return 1 + int(state % np.uint64(MAX_PYTHIA_SEED - 1))


def mixing_rng(run_seed: int, index: int) -> np.random.Generator:
    """The numpy generator of shard ``index``: pileup counts, pool draws and the emulation's smearing."""
    return np.random.default_rng(np.random.SeedSequence([run_seed, _MIX, index]))


@dataclass(frozen=True)
class PileupParams:
    """How pileup is made: mean interactions per crossing, the soft pool and the hard-tail split."""

    mu: float
    pool_size: int = 20_000  # soft interactions in the reused pool
    pthat_cut: float = 25.0  # GeV: pool below, fresh hard tail at and above
    # GeV: a pool interaction's hardest visible particle must stay below this too (None: the pTHat cut; inf: off)
    pool_max_pt: float | None = None
    pool_chunk: int = 5_000  # pool interactions per Pythia seed (pool chunks run in parallel)
    sigma_events: int = 100_000  # process-level hard events for sigma_hard (0.2 % statistical error)
    batch_size: int = 500  # crossings per emulation call

    def __post_init__(self) -> None:
        object.__setattr__(self, "mu", float(self.mu))
        if not self.mu >= 0:
            raise ValueError(f"--pileup must be >= 0, got {self.mu}")
        if self.pool_size <= 0 or self.pool_chunk <= 0:
            raise ValueError(f"--pool-size must be positive, got {self.pool_size}")
        if not self.pthat_cut > 0:
            raise ValueError(f"the pTHat cut must be positive, got {self.pthat_cut}")

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Mixture:
    """The soft pool and the split that defines the hard tail; built once per run, shared by its shards."""

    pool: Deposits
    pthat_cut: float
    sigma_nd_mb: float
    sigma_nd_err_mb: float
    sigma_hard_mb: float
    sigma_hard_err_mb: float
    n_nd_generated: int  # nonDiffractive events generated to fill the pool (those above the cut included)
    n_nd_above: int  # of which pTHat >= cut (discarded from the pool)
    n_nd_vetoed: int  # of which pTHat < cut but a visible particle above the veto (discarded, see make_pool_chunk)
    pool_seeds: list[int]
    sigma_seed: int
    seconds: float
    chunk_seconds: list[float] = field(default_factory=list)
    pool_lead_jets: list[float] = field(default_factory=list)  # GeV, the pool's hardest jets, each interaction alone

    @property
    def f_sigma(self) -> float:
        """f from Pythia's cross sections: sigma_hard(pTHat > cut) / sigma_nonDiffractive."""
        return self.sigma_hard_mb / self.sigma_nd_mb

    @property
    def f_sigma_err(self) -> float:
        return self.f_sigma * float(np.hypot(self.sigma_hard_err_mb / self.sigma_hard_mb,
                                             self.sigma_nd_err_mb / self.sigma_nd_mb))  # fmt: skip

    @property
    def f_pool(self) -> float:
        """f counted: the fraction of nonDiffractive events with pTHat >= cut."""
        return self.n_nd_above / self.n_nd_generated

    @property
    def f_pool_err(self) -> float:
        return float(np.sqrt(max(self.n_nd_above, 1) * (1 - self.f_pool))) / self.n_nd_generated

    def summary(self) -> dict:
        """The manifest's record of the mixture."""
        return {
            "pool_size": len(self.pool),
            "pool_seeds": self.pool_seeds,
            "pool_n_generated": self.n_nd_generated,
            "pool_n_above_cut": self.n_nd_above,
            "pool_n_vetoed": self.n_nd_vetoed,
            "pool_vetoed_fraction": self.n_nd_vetoed / self.n_nd_generated,
            "hard_fraction": self.f_sigma,
            "hard_fraction_err": self.f_sigma_err,
            "hard_fraction_source": "Pythia sigmaGen: HardQCD:all (pTHatMin = cut, process level) / nonDiffractive",
            "hard_fraction_pool_count": self.f_pool,
            "hard_fraction_pool_count_err": self.f_pool_err,
            "sigma_nondiffractive_mb": self.sigma_nd_mb,
            "sigma_hard_mb": self.sigma_hard_mb,
            "sigma_hard_err_mb": self.sigma_hard_err_mb,
            "sigma_seed": self.sigma_seed,
            "pool_seconds": round(self.seconds, 3),
            # a pool interaction with a hard object would be repeated in ~reuse-factor crossings: watch these
            "pool_hardest_jets_gev": self.pool_lead_jets,
        }


def open_pythia(card: Card, seed: int, extra: tuple[str, ...] = ()):
    """An initialised Pythia for ``card`` (common settings first, then the card, then ``extra``) with ``seed``."""
    import pythia8mc

    pythia = pythia8mc.Pythia("", False)
    for line in [*card.pythia_lines(), *extra, "Random:setSeed = on", f"Random:seed = {seed}"]:
        if not pythia.readString(line):
            raise CardError(f"card {card.name} ({card.source}): Pythia rejects the line {line!r}")
    if not pythia.init():
        raise CardError(f"card {card.name} ({card.source}): Pythia failed to initialise")
    return pythia


def hard_tail_card(pthat_cut: float) -> tuple[Card, tuple[str, ...]]:
    """The hard-tail card and the line that sets its cut."""
    return builtin_card(HARD_TAIL), (f"PhaseSpace:pTHatMin = {pthat_cut!r}",)


@dataclass
class PoolChunk:
    """One seed's part of the pool."""

    deposits: Deposits
    n_generated: int
    n_above: int
    n_vetoed: int
    sigma_mb: float
    sigma_err_mb: float
    seed: int
    seconds: float


def make_pool_chunk(
    n: int, seed: int, pthat_cut: float, towers: TowerParams, max_pt: float | None = None, batch_size: int = 500
) -> PoolChunk:
    """``n`` nonDiffractive interactions with pTHat < cut as tower deposits (runs in a worker).

    Interactions whose hardest visible particle has pT >= ``max_pt`` (default: the cut) are left out too: Pythia's
    string fragmentation now and then makes a hadron of 40-80 GeV in an interaction of pTHat ~5 GeV (seen at a
    rate of ~1e-4), and one such interaction in the pool would be repeated in thousands of crossings. They are
    counted (``n_vetoed``) and recorded in the manifest; the crossings miss them, at that rate per interaction.
    """
    import awkward as ak

    max_pt = pthat_cut if max_pt is None else max_pt
    start = time.perf_counter()
    pythia = open_pythia(builtin_card(ZERO_BIAS), seed)
    table = ParticleTable(pythia.particleData)
    parts, n_kept, n_gen, n_above, n_vetoed = [], 0, 0, 0, 0
    while n_kept < n:
        batch = pythia.nextBatch(batch_size)
        if len(batch) == 0:
            raise RuntimeError(f"Pythia returned no minimum-bias events (seed {seed})")
        pthat = np.sqrt(np.asarray(batch.info.pT2Hat, dtype=np.float64))
        final = batch.prt[batch.prt.status > 0]
        lead = ak.to_numpy(ak.fill_none(ak.max(np.hypot(final.p.px, final.p.py), axis=1), 0.0))
        below = pthat < pthat_cut
        soft = np.flatnonzero(below & (lead < max_pt))[: n - n_kept]
        # count generated events up to the last one kept, so the fraction above the cut is exact
        n_used = len(batch) if n_kept + len(soft) < n else int(soft[-1]) + 1
        n_above += int(np.count_nonzero(~below[:n_used]))
        n_vetoed += int(np.count_nonzero(below[:n_used] & (lead[:n_used] >= max_pt)))
        n_gen += n_used
        parts.append(deposits_from_batch(batch, table, towers).take(soft))
        n_kept += len(soft)
    info = pythia.infoPython()
    return PoolChunk(Deposits.concat(parts), n_gen, n_above, n_vetoed, float(info.sigmaGen()),
                     float(info.sigmaErr()), seed, time.perf_counter() - start)  # fmt: skip


def sigma_hard(pthat_cut: float, n_events: int, seed: int) -> tuple[float, float]:
    """Pythia's sigmaGen (mb) of the hard tail, from process-level events only (~80k/s; the cross section of the
    hard process does not depend on showers, MPI or hadronisation)."""
    card, extra = hard_tail_card(pthat_cut)
    pythia = open_pythia(card, seed, (*extra, "PartonLevel:all = off", "HadronLevel:all = off"))
    left = n_events
    while left > 0:
        left -= max(len(pythia.nextBatch(min(left, 20_000))), 1)
    info = pythia.infoPython()
    return float(info.sigmaGen()), float(info.sigmaErr())


def pool_plan(params: PileupParams, seed: int) -> list[tuple[int, int]]:
    """(events, Pythia seed) of each pool chunk: fixed by the pool size and the run seed, not by the workers."""
    sizes = [params.pool_chunk] * (params.pool_size // params.pool_chunk)
    if params.pool_size % params.pool_chunk:
        sizes.append(params.pool_size % params.pool_chunk)
    return [(n, derived_seed(seed, _POOL, j)) for j, n in enumerate(sizes)]


def build_mixture(
    params: PileupParams, seed: int, chunks: list[PoolChunk], seconds: float, towers: TowerParams
) -> Mixture:
    """The run's mixture from its pool chunks (in plan order) and the hard-tail cross section."""
    sigma_seed = derived_seed(seed, _SIGMA, 0)
    t0 = time.perf_counter()
    s_hard, s_hard_err = sigma_hard(params.pthat_cut, params.sigma_events, sigma_seed)
    n_gen = sum(c.n_generated for c in chunks)
    pool = Deposits.concat([c.deposits for c in chunks])
    alone = emulate_timed(pool, np.arange(len(pool) + 1), np.arange(len(pool)), np.random.default_rng(seed), towers)
    return Mixture(
        pool=pool,
        pthat_cut=params.pthat_cut,
        sigma_nd_mb=sum(c.sigma_mb * c.n_generated for c in chunks) / n_gen,
        sigma_nd_err_mb=float(np.sqrt(sum((c.sigma_err_mb * c.n_generated) ** 2 for c in chunks))) / n_gen,
        sigma_hard_mb=s_hard,
        sigma_hard_err_mb=s_hard_err,
        n_nd_generated=n_gen,
        n_nd_above=sum(c.n_above for c in chunks),
        n_nd_vetoed=sum(c.n_vetoed for c in chunks),
        pool_seeds=[c.seed for c in chunks],
        sigma_seed=sigma_seed,
        seconds=seconds + time.perf_counter() - t0,
        chunk_seconds=[round(c.seconds, 3) for c in chunks],
        pool_lead_jets=np.sort(alone[:, JET_ROWS.start, 0])[::-1][:5].tolist(),
    )


def save_mixture(mixture: Mixture, path) -> None:
    """Write the mixture atomically as one .npz (deposits arrays plus the scalars)."""
    import json
    import os

    scalars = {f.name: getattr(mixture, f.name) for f in fields(mixture) if f.name != "pool"}
    arrays = {f"pool_{f.name}": getattr(mixture.pool, f.name) for f in fields(mixture.pool)}
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as fh:
        np.savez(fh, scalars=np.array(json.dumps(scalars)), **arrays)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def load_mixture(path) -> Mixture | None:
    """A saved mixture, or None when missing or damaged (it is then regenerated)."""
    import json

    try:
        with np.load(path) as z:
            pool = Deposits(**{f.name: z[f"pool_{f.name}"] for f in fields(Deposits)})
            return Mixture(pool=pool, **json.loads(str(z["scalars"])))
    except (OSError, ValueError, KeyError, TypeError):
        return None


@dataclass
class CrossingsResult:
    """One shard's crossings: L1 objects, the pileup count and what the generation cost."""

    particles: np.ndarray  # (n, 19, 3) float32
    weight: np.ndarray  # (n,) float64
    event_id: np.ndarray  # (n,) int64
    n_pileup: np.ndarray  # (n,) int16
    n_generated: int  # crossings built (primary events generated), preselected or not
    sum_weight_generated: float  # primary event weights of those (= n_generated for zero bias)
    n_soft_drawn: int
    n_hard_generated: int
    sigma_gen_mb: float  # the primary's Pythia cross section (0 for zero bias)
    sigma_err_mb: float
    times: dict[str, float]  # seconds: init, primary, hard (of which hard_pythia), mix, emulate (+ its steps)


def draw_distinct(rng: np.random.Generator, n_pool: int, counts: np.ndarray) -> np.ndarray:
    """Pool indices for crossings of ``counts`` soft interactions each (concatenated in crossing order), distinct
    within every crossing: drawn with replacement, a repeat inside a crossing is drawn again until none is left.
    Without this a crossing holds the same interaction twice with probability ~n^2 / (2 n_pool) (3.5 % at mu = 60
    from 50,000), and a repeated interaction doubles its towers and duplicates its muons (two identical muons)."""
    counts = np.asarray(counts, dtype=np.int64)
    if counts.size and counts.max() > n_pool:
        raise ValueError(f"a crossing draws {counts.max()} soft interactions from a pool of {n_pool}: raise the pool")
    crossing = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
    idx = rng.integers(0, n_pool, len(crossing)) if len(crossing) else np.zeros(0, np.int64)
    while len(idx):
        key = crossing * n_pool + idx
        order = np.argsort(key, kind="stable")
        repeat = np.zeros(len(key), dtype=bool)
        repeat[order[1:]] = key[order[1:]] == key[order[:-1]]
        if not repeat.any():
            break
        idx[repeat] = rng.integers(0, n_pool, int(repeat.sum()))
    return idx


def run_crossings(
    primary: Card | None,
    n_keep: int,
    primary_seed: int,
    event_id_base: int,
    mu: float,
    mixture: Mixture | None,
    hard_seed: int,
    rng: np.random.Generator,
    towers: TowerParams,
    *,
    lepton_ptmin: float | None,
    batch_size: int = 500,
    progress=None,
) -> CrossingsResult:
    """Build crossings until ``n_keep`` pass the preselection (``lepton_ptmin`` None: every crossing passes).

    A crossing is the ``primary`` event (none for zero bias) plus Poisson(mu (1 - f)) pool interactions and
    Poisson(mu f) fresh hard-tail interactions. Returns in generation order.
    """
    import awkward as ak

    clock = time.perf_counter
    times = {"init": 0.0, "primary": 0.0, "hard": 0.0, "hard_pythia": 0.0, "mix": 0.0, "emulate": 0.0}
    steps: dict[str, float] = {}
    t = clock()
    prim_py = open_pythia(primary, primary_seed) if primary is not None else None
    f = mixture.f_sigma if mixture is not None else 0.0
    if mu > 0 and mixture is None:
        raise ValueError("pileup needs a mixture (pool and hard tail)")
    hard_py = None
    if mu * f > 0:
        card, extra = hard_tail_card(mixture.pthat_cut)
        hard_py = open_pythia(card, hard_seed, extra)
    table = ParticleTable((prim_py or hard_py).particleData) if (prim_py or hard_py) else None
    pool = mixture.pool if mixture is not None else Deposits.empty(0)
    n_pool = len(pool)
    times["init"] += clock() - t
    parts, weights, ids, npu = [], [], [], []
    n_kept = n_built = n_soft_total = n_hard_total = 0
    sum_w = 0.0
    while n_kept < n_keep:
        t = clock()
        b = min(batch_size, n_keep - n_kept) if lepton_ptmin is None else batch_size  # no preselection: no waste
        if prim_py is not None:
            batch = prim_py.nextBatch(b)
            b = len(batch)
            if b == 0:
                raise RuntimeError(f"Pythia returned no events for {primary.name} (seed {primary_seed})")
            w = ak.to_numpy(batch.info.weights[:, 0]).astype(np.float64)
            prim = deposits_from_batch(batch, table, towers)
        else:
            w = np.ones(b)
            prim = Deposits.empty(0)
        times["primary"] += clock() - t
        t = clock()
        n_soft = rng.poisson(mu * (1.0 - f), b) if mu > 0 else np.zeros(b, np.int64)
        n_hard = rng.poisson(mu * f, b) if hard_py is not None else np.zeros(b, np.int64)
        hard = Deposits.empty(0)
        if n_hard.sum():
            hbatch = hard_py.nextBatch(int(n_hard.sum()))
            times["hard_pythia"] += clock() - t
            if len(hbatch) != n_hard.sum():
                raise RuntimeError(f"Pythia gave {len(hbatch)} of {n_hard.sum()} hard-tail events (seed {hard_seed})")
            hard = deposits_from_batch(hbatch, table, towers)
        times["hard"] += clock() - t
        t = clock()
        n_s, n_h = int(n_soft.sum()), int(n_hard.sum())
        soft_idx = draw_distinct(rng, n_pool, n_soft)
        # copy the drawn interactions or the whole pool, whichever is smaller (same sums either way)
        soft, soft_idx = (pool.take(soft_idx), np.arange(n_s)) if n_s < n_pool else (pool, soft_idx)
        crossing = np.concatenate([np.repeat(np.arange(b), n_soft), np.repeat(np.arange(b), n_hard),
                                   np.arange(b) if prim_py is not None else np.zeros(0, np.int64)])  # fmt: skip
        n_src = len(soft)
        member = np.concatenate([soft_idx, n_src + np.arange(n_h), n_src + n_h + np.arange(len(prim))])
        order = np.argsort(crossing, kind="stable")
        offsets = np.concatenate([[0], np.cumsum(np.bincount(crossing, minlength=b))])
        dep = Deposits.concat([soft, hard, prim])
        times["mix"] += clock() - t
        t = clock()
        objects = emulate_timed(dep, offsets, member[order], rng, towers, steps)
        times["emulate"] += clock() - t
        lead_lepton = objects[:, EGAMMA_ROWS.start : MUON_ROWS.stop, 0].max(axis=1)
        passed = np.arange(b) if lepton_ptmin is None else np.flatnonzero(lead_lepton > lepton_ptmin)
        take = passed[: n_keep - n_kept]
        n_used = b if len(take) == len(passed) else int(take[-1]) + 1
        parts.append(objects[take])
        weights.append(w[take])
        ids.append(event_id_base + n_built + take)
        npu.append((n_soft + n_hard)[take])
        n_built += n_used
        sum_w += float(w[:n_used].sum())
        n_soft_total += n_s
        n_hard_total += n_h
        n_kept += len(take)
        if progress is not None and len(take):
            progress(len(take))
    sigma = (0.0, 0.0)
    if prim_py is not None:
        info = prim_py.infoPython()
        sigma = (float(info.sigmaGen()), float(info.sigmaErr()))
    return CrossingsResult(
        particles=np.concatenate(parts),
        weight=np.concatenate(weights),
        event_id=np.concatenate(ids).astype(np.int64),
        n_pileup=np.concatenate(npu).astype(np.int16),
        n_generated=n_built,
        sum_weight_generated=sum_w,
        n_soft_drawn=n_soft_total,
        n_hard_generated=n_hard_total,
        sigma_gen_mb=sigma[0],
        sigma_err_mb=sigma[1],
        times={**times, **{f"emulate_{k}": v for k, v in steps.items()}},
    )
