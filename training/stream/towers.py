"""Calorimeter-tower L1 emulation for bunch crossings with pileup: jets, e/gamma and MET from an eta-phi tower grid.

Each interaction is reduced once (``deposits_from_batch``) to a sparse list of ECAL and HCAL tower deposits plus its
generator muons; a crossing is the sum of its members' deposits, quantised to the L1 LSB, and ``emulate`` builds the
L1 objects from those towers, vectorised over all crossings of a call:

- grid: uniform towers of dEta = 2 eta_max / n_eta (0.087 for 115 rings in |eta| < 5) and dPhi = 2 pi / 72;
- jets: 9x9 sliding window around seeds (local maxima with CMS's tie mask), "chunky donut" pileup subtraction;
- e/gamma: 3x3 local maxima of ECAL, 2-tower clusters, H/E and 5x5 isolation with a rho pileup correction;
- MET: minus the vector sum of tower ET (muons excluded, as L1 ETM does);
- muons: the members' generator muons in acceptance, not isolated.

The choices and why are in docs/events.md, "Calorimeter towers and pileup".
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

import numpy as np

from adtrigger.bundle.layout import EGAMMA_ROWS, JET_ROWS, MUON_ROWS, N_OBJECTS
from adtrigger.training.stream.emulation import ParticleTable, _kinematics, _round_l1, flat_particles

CHUNK = 64  # crossings per dense tower grid: 64 x 2 x 8280 float64 is 8.5 MB, cache-friendly enough
_EM_IDS = (11, 22)


@dataclass(frozen=True)
class TowerParams:
    """Every tower-emulation setting (GeV, units of eta); recorded in the manifest via ``as_dict``."""

    eta_max: float = 5.0
    tower_deta: float = 0.087  # nominal; the rings are 2 eta_max / n_eta wide (n_eta = 115 -> 0.08696)
    n_phi: int = 72
    lsb: float = 0.5  # tower ET quantum; a crossing's tower ET is floored to it
    jet_seed: float = 4.0
    jet_pus: str = "donut"  # "donut" | "none"
    jet_ptmin: float = 15.0
    jet_eta: float = 4.0
    jet_res: float = 0.1
    met_eta: float = 5.0
    met_stoch: float = 0.0  # optional Gaussian smearing of each MET component: met_stoch * sqrt(sum ET)
    eg_seed: float = 2.0
    eg_ptmin: float = 3.0
    eg_eta: float = 2.5
    eg_hoe: float = 0.5  # H/E below this (H: HCAL behind the two cluster towers)
    eg_iso_half: int = 2  # isolation window (2 h + 1)^2 towers around the seed, cluster towers excluded
    eg_reliso: float = 0.5
    eg_pu: str = "rho"  # "rho" | "none": subtract rho x window area from the isolation sum
    rho_eta: float = 2.5
    rho_patch: int = 9  # rho = median over patches of rho_patch x rho_patch towers in |eta| < rho_eta
    mu_ptmin: float = 3.0
    mu_eta: float = 2.4
    mu_res: float = 0.0  # Gaussian relative pT resolution of L1 muons

    def __post_init__(self) -> None:
        if self.jet_pus not in ("donut", "none"):
            raise ValueError(f"jet_pus must be 'donut' or 'none', got {self.jet_pus!r}")
        if self.eg_pu not in ("rho", "none"):
            raise ValueError(f"eg_pu must be 'rho' or 'none', got {self.eg_pu!r}")

    @property
    def n_eta(self) -> int:
        return round(2 * self.eta_max / self.tower_deta)

    @property
    def n_towers(self) -> int:
        """Towers per layer (ECAL or HCAL)."""
        return self.n_eta * self.n_phi

    def as_dict(self) -> dict:
        return {**asdict(self), "n_eta": self.n_eta}


def tower_index(eta: np.ndarray, phi: np.ndarray, params: TowerParams) -> tuple[np.ndarray, np.ndarray]:
    """Flat tower index (ieta * n_phi + iphi, int32) of each (eta, phi), and whether it lies inside |eta| < eta_max."""
    ie = np.floor((np.asarray(eta, np.float64) + params.eta_max) * (params.n_eta / (2 * params.eta_max)))
    ip = np.floor((np.asarray(phi, np.float64) + np.pi) * (params.n_phi / (2 * np.pi))).astype(np.int64)
    inside = (ie >= 0) & (ie < params.n_eta)
    ie = np.where(inside, ie, 0).astype(np.int64)
    return (ie * params.n_phi + ip % params.n_phi).astype(np.int32), inside


def tower_centres(params: TowerParams) -> tuple[np.ndarray, np.ndarray]:
    """Centres of the eta rings (n_eta,) and phi columns (n_phi,)."""
    deta, dphi = 2 * params.eta_max / params.n_eta, 2 * np.pi / params.n_phi
    return -params.eta_max + (np.arange(params.n_eta) + 0.5) * deta, -np.pi + (np.arange(params.n_phi) + 0.5) * dphi


def _ranges(starts: np.ndarray, lens: np.ndarray) -> np.ndarray:
    """Concatenated aranges [starts[i], starts[i] + lens[i]) as one int64 array."""
    total = int(lens.sum())
    if total == 0:
        return np.zeros(0, np.int64)
    return np.repeat(starts - np.cumsum(lens) + lens, lens) + np.arange(total)


@dataclass
class Deposits:
    """Tower deposits and generator muons of a set of interactions, flat and CSR-like.

    ``tower``: ECAL towers 0..n_towers-1, HCAL n_towers..2 n_towers-1; ``et`` (GeV, float32) is unquantised (the
    LSB applies to a crossing's sum); ``mu``: (k, 3) float32 (pt, eta, phi).
    """

    offsets: np.ndarray
    tower: np.ndarray
    et: np.ndarray
    mu_offsets: np.ndarray
    mu: np.ndarray

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def take(self, idx: np.ndarray) -> Deposits:
        """The interactions ``idx``, in that order (repeats allowed)."""
        idx = np.asarray(idx, np.int64)
        n_dep, n_mu = np.diff(self.offsets)[idx], np.diff(self.mu_offsets)[idx]
        return Deposits(
            offsets=np.concatenate([[0], np.cumsum(n_dep)]).astype(np.int64),
            tower=self.tower[_ranges(self.offsets[idx], n_dep)],
            et=self.et[_ranges(self.offsets[idx], n_dep)],
            mu_offsets=np.concatenate([[0], np.cumsum(n_mu)]).astype(np.int64),
            mu=self.mu[_ranges(self.mu_offsets[idx], n_mu)].reshape(-1, 3),
        )

    @staticmethod
    def concat(parts: list[Deposits]) -> Deposits:
        if not parts:
            return Deposits.empty(0)

        def offs(arrays: list[np.ndarray]) -> np.ndarray:
            counts = np.concatenate([np.diff(a) for a in arrays])
            return np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)

        return Deposits(
            offsets=offs([p.offsets for p in parts]),
            tower=np.concatenate([p.tower for p in parts]).astype(np.int32),
            et=np.concatenate([p.et for p in parts]).astype(np.float32),
            mu_offsets=offs([p.mu_offsets for p in parts]),
            mu=np.concatenate([p.mu.reshape(-1, 3) for p in parts]).astype(np.float32),
        )

    @staticmethod
    def empty(n: int) -> Deposits:
        """``n`` interactions that deposit nothing."""
        z = np.zeros(n + 1, np.int64)
        return Deposits(z, np.zeros(0, np.int32), np.zeros(0, np.float32), z.copy(), np.zeros((0, 3), np.float32))


def deposits_from_particles(
    event: np.ndarray, n_events: int, pid: np.ndarray, px: np.ndarray, py: np.ndarray, pz: np.ndarray,
    params: TowerParams,
) -> Deposits:  # fmt: skip
    """Deposits of ``n_events`` interactions from their visible final-state particles (flat arrays, ``event`` sorted).

    e and gamma go to ECAL, muons to the muon list (pT > mu_ptmin, |eta| < mu_eta), everything else to HCAL;
    deposits of one interaction in the same tower are summed.
    """
    pt, eta, phi = _kinematics(px, py, pz)
    apid = np.abs(pid)
    is_mu = apid == 13
    tower, inside = tower_index(eta, phi, params)
    calo = inside & ~is_mu & (pt > 0)
    key = event[calo].astype(np.int64) * (2 * params.n_towers) + tower[calo]
    key += np.where(np.isin(apid[calo], _EM_IDS), 0, params.n_towers)
    ukey, inverse = np.unique(key, return_inverse=True)
    et = np.bincount(inverse, weights=pt[calo], minlength=len(ukey))
    counts = np.bincount(ukey // (2 * params.n_towers), minlength=n_events)
    mu_sel = is_mu & (pt > params.mu_ptmin) & (np.abs(eta) < params.mu_eta)
    mu_counts = np.bincount(event[mu_sel], minlength=n_events)
    return Deposits(
        offsets=np.concatenate([[0], np.cumsum(counts)]).astype(np.int64),
        tower=(ukey % (2 * params.n_towers)).astype(np.int32),
        et=et.astype(np.float32),
        mu_offsets=np.concatenate([[0], np.cumsum(mu_counts)]).astype(np.int64),
        mu=np.stack([pt[mu_sel], eta[mu_sel], phi[mu_sel]], axis=1).astype(np.float32).reshape(-1, 3),
    )


def deposits_from_batch(batch, table: ParticleTable, params: TowerParams) -> Deposits:
    """One Deposits entry per event of a Pythia ``nextBatch`` result (visible final-state particles only)."""
    counts, pid, status, px, py, pz = flat_particles(batch)
    _, visible, _ = table.lookup(pid)
    final = (status > 0) & visible
    event = np.repeat(np.arange(len(counts)), counts)[final]
    return deposits_from_particles(event, len(counts), pid[final], px[final], py[final], pz[final], params)


# ---------------------------------------------------------------------------------------------------------------
# emulation


def _tie_mask(half: int) -> np.ndarray:
    """(2 half + 1)^2 bool, flat: True where the seed must be strictly greater (offsets before it in (eta, phi) order).

    Antisymmetric, so of two equal towers within each other's window exactly one is a seed.
    """
    de, dp = np.meshgrid(np.arange(-half, half + 1), np.arange(-half, half + 1), indexing="ij")
    return ((de < 0) | ((de == 0) & (dp < 0))).ravel()


def _windows(grid: np.ndarray, c: np.ndarray, ie: np.ndarray, ip: np.ndarray, half: int) -> np.ndarray:
    """(n, 2 half + 1, 2 half + 1) neighbourhoods of towers (c, ie, ip) of ``grid`` (n_c, n_eta, n_phi).

    phi wraps; eta beyond the grid reads zeros.
    """
    n_c, n_eta, n_phi = grid.shape
    padded = np.zeros((n_c, n_eta + 2 * half, n_phi), grid.dtype)
    padded[:, half : half + n_eta] = grid
    off = np.arange(-half, half + 1)
    rows = (c[:, None] * (n_eta + 2 * half) + ie[:, None] + half + off[None, :])[:, :, None] * n_phi
    cols = (ip[:, None] + off[None, :]) % n_phi
    return padded.ravel()[rows + cols[:, None, :]]


def _is_local_max(win: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Seed test on (n, w, w) windows centred on the seed: > where ``mask``, >= elsewhere."""
    flat = win.reshape(len(win), win.shape[1] * win.shape[2])
    centre = flat[:, flat.shape[1] // 2][:, None]
    return np.all(np.where(mask[None, :], centre > flat, centre >= flat), axis=1)


def _sum_quantize(
    dep: Deposits, member_offsets: np.ndarray, members: np.ndarray, c0: int, c1: int, params: TowerParams
) -> tuple[np.ndarray, np.ndarray]:
    """Quantised (c1 - c0, 2, n_eta, n_phi) float32 tower ET of crossings c0..c1; muons (k, 4): c, pt, eta, phi."""
    m0, m1 = member_offsets[c0], member_offsets[c1]
    mem = np.asarray(members[m0:m1], np.int64)
    mem_c = np.repeat(np.arange(c1 - c0), np.diff(member_offsets[c0 : c1 + 1]))
    lens = dep.offsets[mem + 1] - dep.offsets[mem]
    d = _ranges(dep.offsets[mem], lens)
    n2 = 2 * params.n_towers
    key = np.repeat(mem_c * n2, lens) + dep.tower[d]
    summed = np.bincount(key, weights=dep.et[d], minlength=(c1 - c0) * n2)
    # floor to the LSB (ET >= 0, so truncation is floor); below one LSB becomes 0
    towers = (summed * (1.0 / params.lsb)).astype(np.int32).astype(np.float32)
    towers *= params.lsb
    mlens = dep.mu_offsets[mem + 1] - dep.mu_offsets[mem]
    mu = dep.mu[_ranges(dep.mu_offsets[mem], mlens)]
    mu = np.column_stack([np.repeat(mem_c, mlens), mu]) if len(mu) else np.zeros((0, 4))
    return towers.reshape(c1 - c0, 2, params.n_eta, params.n_phi), mu


def _jets(tot: np.ndarray, rng: np.random.Generator, params: TowerParams) -> np.ndarray:
    """(k, 4) jets (c, et, eta, phi) from the (n_c, n_eta, n_phi) ECAL+HCAL tower ET."""
    eta_c, phi_c = tower_centres(params)
    c, ie, ip = np.nonzero(tot >= params.jet_seed)
    # 9x9 window plus the 3-tower-deep donut ring around it
    win = _windows(tot, c, ie, ip, 7)
    inner = win[:, 3:12, 3:12]
    seed = _is_local_max(inner, _tie_mask(4))
    win, inner, c, ie, ip = win[seed], inner[seed], c[seed], ie[seed], ip[seed]
    et = inner.sum(axis=(1, 2), dtype=np.float64)
    if params.jet_pus == "donut":
        strips = np.stack(
            [win[:, 0:3, 3:12].sum((1, 2)), win[:, 12:15, 3:12].sum((1, 2)),
             win[:, 3:12, 0:3].sum((1, 2)), win[:, 3:12, 12:15].sum((1, 2))],
            axis=1,
        )  # fmt: skip
        et = np.maximum(et - (strips.sum(1) - strips.max(1)), 0.0)
    et = et * np.maximum(0.0, 1.0 + params.jet_res * rng.standard_normal(len(et)))
    eta = eta_c[ie]
    good = (et > params.jet_ptmin) & (np.abs(eta) < params.jet_eta)
    return np.column_stack([c[good], et[good], eta[good], phi_c[ip[good]]])


def rho(tot: np.ndarray, params: TowerParams) -> np.ndarray:
    """(n_c,) pileup ET density per tower: median over rho_patch^2 patches of |eta| < rho_eta of their mean ET."""
    eta_c, _ = tower_centres(params)
    rows = np.flatnonzero(np.abs(eta_c) < params.rho_eta)
    p = params.rho_patch
    n_e, n_p = len(rows) // p, params.n_phi // p
    r0 = rows[0] + (len(rows) - n_e * p) // 2
    sub = tot[:, r0 : r0 + n_e * p, : n_p * p].reshape(len(tot), n_e, p, n_p, p)
    return np.median(sub.sum(axis=(2, 4), dtype=np.float64).reshape(len(tot), -1), axis=1) / (p * p)


def _egamma(ecal: np.ndarray, hcal: np.ndarray, tot: np.ndarray, params: TowerParams) -> np.ndarray:
    """(k, 4) isolated e/gamma (c, et, eta, phi) from the ECAL, HCAL and total tower ET (n_c, n_eta, n_phi)."""
    eta_c, phi_c = tower_centres(params)
    c, ie, ip = np.nonzero((ecal >= params.eg_seed) & (np.abs(eta_c) < params.eg_eta)[None, :, None])
    h = params.eg_iso_half
    we = _windows(ecal, c, ie, ip, h)
    seed = _is_local_max(we[:, h - 1 : h + 2, h - 1 : h + 2], _tie_mask(1))
    we, c, ie, ip = we[seed], c[seed], ie[seed], ip[seed]
    wh = _windows(hcal, c, ie, ip, h)
    # 2-tower cluster: the seed and its highest-ET ECAL neighbour (of the 8)
    near = we[:, h - 1 : h + 2, h - 1 : h + 2].reshape(len(we), 9).copy()
    near[:, 4] = -1.0
    k = np.argmax(near, axis=1)
    w = 2 * h + 1
    second = (h - 1 + k // 3) * w + (h - 1 + k % 3)
    rows = np.arange(len(we))
    fe, fh = we.reshape(len(we), w * w), wh.reshape(len(wh), w * w)
    centre = h * w + h
    e_clu = fe[:, centre].astype(np.float64) + fe[rows, second]
    h_clu = fh[:, centre].astype(np.float64) + fh[rows, second]
    iso = (fe.sum(1, dtype=np.float64) + fh.sum(1, dtype=np.float64)) - e_clu - h_clu
    if params.eg_pu == "rho":
        iso = iso - rho(tot, params)[c] * (w * w - 2)
    good = (e_clu >= params.eg_ptmin) & (h_clu < params.eg_hoe * e_clu) & (iso < params.eg_reliso * e_clu)
    return np.column_stack([c[good], e_clu[good], eta_c[ie[good]], phi_c[ip[good]]])


def _met(tot: np.ndarray, rng: np.random.Generator, params: TowerParams) -> np.ndarray:
    """(n_c, 3) MET rows (met, 0, phi) from the tower ET in |eta| < met_eta (muons are not in ETM)."""
    eta_c, phi_c = tower_centres(params)
    # towers of one phi column share their direction: sum the rings first
    per_phi = tot[:, np.abs(eta_c) < params.met_eta].sum(axis=1, dtype=np.float64)
    mex, mey = -(per_phi @ np.cos(phi_c)), -(per_phi @ np.sin(phi_c))
    if params.met_stoch > 0:
        sigma = params.met_stoch * np.sqrt(per_phi.sum(1))
        mex = mex + sigma * rng.standard_normal(len(per_phi))
        mey = mey + sigma * rng.standard_normal(len(per_phi))
    met = np.hypot(mex, mey)
    return np.column_stack([met, np.zeros_like(met), np.where(met > 0, np.arctan2(mey, mex), 0.0)])


def _pack(out: np.ndarray, rows: np.ndarray, sl: slice) -> None:
    """Write (k, 4) objects (c, pt, eta, phi) into out[:, sl], pT-ordered per crossing, the leading ones only."""
    if len(rows) == 0:
        return
    c = rows[:, 0].astype(np.int64)
    order = np.lexsort((-rows[:, 1], c))
    c, rows = c[order], rows[order]
    first = np.flatnonzero(np.r_[True, c[1:] != c[:-1]])
    rank = np.arange(len(c)) - np.repeat(first, np.diff(np.r_[first, len(c)]))
    keep = rank < sl.stop - sl.start
    out[c[keep], sl.start + rank[keep]] = rows[keep, 1:]


def emulate_timed(
    deposits: Deposits, member_offsets: np.ndarray, members: np.ndarray, rng: np.random.Generator,
    params: TowerParams, times: dict[str, float] | None = None,
) -> np.ndarray:  # fmt: skip
    """``emulate``, adding the CPU seconds spent in each step to ``times`` (keys: sum, jets, egamma, met, pack)."""
    member_offsets = np.asarray(member_offsets, np.int64)
    n_c = len(member_offsets) - 1
    out = np.zeros((n_c, N_OBJECTS, 3), np.float64)
    times = {} if times is None else times
    clock = time.process_time  # CPU time: what a core spends, whatever else the machine runs

    def lap(name: str, t0: float) -> float:
        t1 = clock()
        times[name] = times.get(name, 0.0) + t1 - t0
        return t1

    for c0 in range(0, n_c, CHUNK):
        c1 = min(n_c, c0 + CHUNK)
        t = clock()
        towers, mu = _sum_quantize(deposits, member_offsets, members, c0, c1, params)
        ecal, hcal = towers[:, 0], towers[:, 1]
        tot = ecal + hcal
        t = lap("sum", t)
        jets = _jets(tot, rng, params)
        t = lap("jets", t)
        eg = _egamma(ecal, hcal, tot, params)
        t = lap("egamma", t)
        met = _met(tot, rng, params)
        t = lap("met", t)
        block = out[c0:c1]
        block[:, 0] = met
        _pack(block, eg, EGAMMA_ROWS)
        if params.mu_res > 0 and len(mu):
            mu[:, 1] *= np.maximum(0.0, 1.0 + params.mu_res * rng.standard_normal(len(mu)))
        _pack(block, mu[mu[:, 1] > params.mu_ptmin], MUON_ROWS)
        _pack(block, jets, JET_ROWS)
        lap("pack", t)
    return _round_l1(out).astype(np.float32)


def emulate(
    deposits: Deposits, member_offsets: np.ndarray, members: np.ndarray, rng: np.random.Generator,
    params: TowerParams,
) -> np.ndarray:  # fmt: skip
    """(n_crossings, 19, 3) float32 L1 objects in the public layout (row 0 MET, 1-4 e/gamma, 5-8 muons, 9-18 jets;
    pT-ordered, zero-padded, rounded like ``emulation._round_l1``). Crossing c is the sum of the interactions
    ``members[member_offsets[c]:member_offsets[c + 1]]`` of ``deposits``."""
    return emulate_timed(deposits, member_offsets, members, rng, params)
