"""L1-like object emulation and the 21 HLT features, computed from Pythia's final-state particles.

The choices follow refstream-v1 (``../shared/data/refstream-v1/README.md``) so that generated streams and the
reference stream are the same physics:

- muons: |eta| < 2.4, pT > 3 GeV, relative isolation (other visible pT within dR < 0.3) below 0.5;
- e/gamma: greedy electromagnetic clusters (dR < 0.1) seeded by any photon or electron with pT >= 3 GeV,
  |eta| < 2.5, isolated like muons. Any photon may seed, so isolated pi0 -> gamma gamma clusters in jets fake
  e/gamma -- this is how QCD passes a single-lepton trigger, as it does in a real L1;
- preselection: an isolated e/gamma or muon with pT > 23 GeV (the public dataset's);
- jets: anti-kT R = 0.4 (fastjet) on the visible particles not used by isolated leptons, |eta| < 4.4, pT smeared
  by a 10 % Gaussian, kept above 15 GeV and |eta| < 4 (the public dataset drops |eta| > 4);
- MET: minus the vector sum of visible pT within |eta| < 5, each component smeared by 0.5 sqrt(sum pT) GeV;
- rounding to L1 granularity: pT 0.25 GeV, eta and phi 0.01.

The work per event is numpy over that event's particles; jets are clustered for a whole batch at once.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import awkward as ak
import fastjet
import numpy as np

from adtrigger.bundle.layout import EGAMMA_ROWS, JET_ROWS, MUON_ROWS, N_HLT_FEATURES, N_OBJECTS


def _silence_fastjet_banner() -> None:
    """FastJet prints its banner to stdout once per process; print it into /dev/null instead.

    (FastJet: Cacciari, Salam, Soyez, EPJC 72 (2012) 1896, cited in docs/events.md.)
    """
    import os
    import sys

    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            fastjet._swig.ClusterSequence.print_banner()
    finally:
        os.dup2(saved, 1)
        os.close(saved)


_silence_fastjet_banner()


@dataclass(frozen=True)
class RecoParams:
    """Every reconstruction parameter, recorded in each file's manifest."""

    mu_eta: float = 2.4
    mu_ptmin: float = 3.0
    eg_eta: float = 2.5
    eg_ptmin: float = 3.0
    eg_member_ptmin: float = 0.5
    eg_cone: float = 0.1
    iso_cone: float = 0.3
    reliso: float = 0.5
    lep_presel: float = 23.0
    jet_r: float = 0.4
    jet_input_eta: float = 4.4
    jet_cluster_ptmin: float = 12.0
    jet_ptmin: float = 15.0
    jet_eta: float = 4.0
    jet_res: float = 0.1
    met_eta: float = 5.0
    met_stoch: float = 0.5
    # HLT (seed-004) feature definitions
    hlt_obj_ptmin: float = 30.0
    hlt_st_eta: float = 2.6
    hlt_jet_eta: float = 2.4
    btag_eff: float = 0.7
    btag_mistag: float = 0.01
    bhadron_ptmin: float = 5.0
    charged_had_ptmin: float = 0.5
    neutral_had_ptmin: float = 1.0

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


@dataclass
class _Particles:
    """Final-state visible particles of one event, as flat numpy arrays."""

    pid: np.ndarray
    px: np.ndarray
    py: np.ndarray
    pz: np.ndarray
    e: np.ndarray
    pt: np.ndarray
    eta: np.ndarray
    phi: np.ndarray
    charge: np.ndarray
    hadron: np.ndarray


class ParticleTable:
    """Cached per-PDG-id properties from Pythia's particle data (charge, visibility, hadron)."""

    def __init__(self, particle_data) -> None:
        self._pd = particle_data
        self._cache: dict[int, tuple[float, bool, bool]] = {}

    def lookup(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        uniq, inverse = np.unique(ids, return_inverse=True)
        props = np.array([self._get(int(i)) for i in uniq], dtype=np.float64).reshape(-1, 3)
        return props[inverse, 0], props[inverse, 1].astype(bool), props[inverse, 2].astype(bool)

    def _get(self, pid: int) -> tuple[float, bool, bool]:
        if pid not in self._cache:
            pd = self._pd
            self._cache[pid] = (float(pd.charge(pid)), bool(pd.isVisible(pid)), bool(pd.isHadron(pid)))
        return self._cache[pid]


def _delta_r2(eta1, phi1, eta2, phi2) -> np.ndarray:
    dphi = np.mod(phi1 - phi2 + np.pi, 2 * np.pi) - np.pi
    return (eta1 - eta2) ** 2 + dphi**2


def _kinematics(px, py, pz) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    pt = np.hypot(px, py)
    with np.errstate(divide="ignore", invalid="ignore"):
        eta = np.arcsinh(np.where(pt > 0, pz / np.where(pt > 0, pt, 1.0), np.sign(pz) * 20.0))
    return pt, eta, np.arctan2(py, px)


def _massless_mass(pt: np.ndarray, eta: np.ndarray, phi: np.ndarray) -> float:
    """Invariant mass of a set of massless objects (0 for fewer than two)."""
    if len(pt) < 2:
        return 0.0
    px, py, pz = pt * np.cos(phi), pt * np.sin(phi), pt * np.sinh(eta)
    e = pt * np.cosh(eta)
    m2 = e.sum() ** 2 - px.sum() ** 2 - py.sum() ** 2 - pz.sum() ** 2
    return float(np.sqrt(max(m2, 0.0)))


@dataclass
class _Leptons:
    """Isolated leptons of one event: (pt, eta, phi) rows, plus what the HLT features need."""

    mu: np.ndarray  # (k, 3)
    mu_charge: np.ndarray
    eg: np.ndarray  # (k, 3)
    eg_charge: np.ndarray
    eg_is_ele: np.ndarray
    used: np.ndarray  # bool over the event's particles: consumed by an isolated lepton
    members: list[np.ndarray]  # particle indices per lepton, muons first then e/gamma


def _isolation_sum(p: _Particles, eta: float, phi: float, exclude: np.ndarray, cone: float) -> float:
    near = _delta_r2(p.eta, p.phi, eta, phi) < cone * cone
    near[exclude] = False
    return float(p.pt[near].sum())


def _find_leptons(p: _Particles, cfg: RecoParams) -> _Leptons:
    n = len(p.pt)
    used = np.zeros(n, dtype=bool)
    members: list[np.ndarray] = []
    apid = np.abs(p.pid)

    mu_rows, mu_q = [], []
    for i in np.flatnonzero((apid == 13) & (p.pt > cfg.mu_ptmin) & (np.abs(p.eta) < cfg.mu_eta)):
        iso = _isolation_sum(p, p.eta[i], p.phi[i], np.array([i]), cfg.iso_cone)
        if iso < cfg.reliso * p.pt[i]:
            mu_rows.append((p.pt[i], p.eta[i], p.phi[i]))
            mu_q.append(p.charge[i])
            used[i] = True
            members.append(np.array([i]))

    eg_rows, eg_q, eg_ele = [], [], []
    em = np.flatnonzero(((apid == 11) | (apid == 22)) & (p.pt > cfg.eg_member_ptmin) & ~used)
    em = em[np.argsort(-p.pt[em], kind="stable")]
    free = np.ones(len(em), dtype=bool)
    eligible = (p.pt[em] >= cfg.eg_ptmin) & (np.abs(p.eta[em]) < cfg.eg_eta)
    for k in range(len(em)):
        if not (free[k] and eligible[k]):
            continue
        seed = em[k]
        close = free & (_delta_r2(p.eta[em], p.phi[em], p.eta[seed], p.phi[seed]) < cfg.eg_cone**2)
        idx = em[close]
        free &= ~close
        cpx, cpy, cpz = p.px[idx].sum(), p.py[idx].sum(), p.pz[idx].sum()
        cpt, ceta, cphi = (float(v[0]) for v in _kinematics(np.array([cpx]), np.array([cpy]), np.array([cpz])))
        if cpt < cfg.eg_ptmin:
            continue
        if _isolation_sum(p, ceta, cphi, idx, cfg.iso_cone) >= cfg.reliso * cpt:
            continue
        electrons = idx[np.abs(p.pid[idx]) == 11]
        lead_e = electrons[np.argmax(p.pt[electrons])] if len(electrons) else -1
        eg_rows.append((cpt, ceta, cphi))
        eg_q.append(p.charge[lead_e] if lead_e >= 0 else 0.0)
        eg_ele.append(lead_e >= 0 and p.pt[lead_e] > 0.5 * cpt)
        used[idx] = True
        members.append(idx)

    return _Leptons(
        mu=np.array(mu_rows, dtype=np.float64).reshape(-1, 3),
        mu_charge=np.array(mu_q, dtype=np.float64),
        eg=np.array(eg_rows, dtype=np.float64).reshape(-1, 3),
        eg_charge=np.array(eg_q, dtype=np.float64),
        eg_is_ele=np.array(eg_ele, dtype=bool),
        used=used,
        members=members,
    )


def _cannot_pass(p: _Particles, cfg: RecoParams) -> bool:
    """A necessary condition for the preselection, cheap enough to run before the reconstruction.

    An e/gamma cluster's pT is at most the scalar pT sum of the e/gamma particles near the central region;
    a muon's is its own pT. If neither can reach the threshold, no isolated lepton can.
    """
    apid = np.abs(p.pid)
    mu = (apid == 13) & (np.abs(p.eta) < cfg.mu_eta)
    if mu.any() and p.pt[mu].max() > cfg.lep_presel:
        return False
    em = ((apid == 11) | (apid == 22)) & (np.abs(p.eta) < cfg.eg_eta + cfg.eg_cone) & (p.pt > cfg.eg_member_ptmin)
    return bool(p.pt[em].sum() <= cfg.lep_presel)


@dataclass
class BatchResult:
    """Reconstructed events of one Pythia batch that passed the preselection."""

    passed: np.ndarray  # (n_batch,) bool
    particles: np.ndarray  # (n_pass, 19, 3) float32
    hlt: np.ndarray  # (n_pass, 21) float32


def _top(rows: np.ndarray, n: int) -> np.ndarray:
    out = np.zeros((n, 3))
    if len(rows):
        rows = rows[np.argsort(-rows[:, 0], kind="stable")][:n]
        out[: len(rows)] = rows
    return out


def _round_l1(x: np.ndarray) -> np.ndarray:
    """L1 granularity: pT to 0.25 GeV, eta and phi to 0.01 (on (..., 3) rows)."""
    out = x.copy()
    out[..., 0] = np.round(out[..., 0] * 4.0) / 4.0
    out[..., 1:] = np.round(out[..., 1:] * 100.0) / 100.0
    return out


def flat_particles(batch: ak.Array) -> tuple[np.ndarray, ...]:
    """(particles per event, pid int64, status, px, py, pz) of a ``Pythia.nextBatch`` result as flat numpy arrays:
    the one conversion from awkward that the particle and the tower emulation share."""
    prt = batch.prt
    counts = ak.to_numpy(ak.num(prt))
    pid = ak.to_numpy(ak.flatten(prt.id)).astype(np.int64)
    status = ak.to_numpy(ak.flatten(prt.status))
    px, py, pz = (ak.to_numpy(ak.flatten(prt.p[c])) for c in ("px", "py", "pz"))
    return counts, pid, status, px, py, pz


def reconstruct_batch(batch: ak.Array, table: ParticleTable, rng: np.random.Generator, cfg: RecoParams) -> BatchResult:
    """Emulate L1 objects and HLT features for one ``Pythia.nextBatch`` result; keep preselected events."""
    counts, pid, status, px, py, pz = flat_particles(batch)
    offsets = np.concatenate([[0], np.cumsum(counts)])
    en = ak.to_numpy(ak.flatten(batch.prt.p.e))
    charge, visible, hadron = table.lookup(pid)
    pt, eta, phi = _kinematics(px, py, pz)
    final = (status > 0) & visible
    apid = np.abs(pid)
    bhad = ((apid // 100) % 10 == 5) | ((apid // 1000) % 10 == 5)
    bhad &= (apid > 100) & (pt > cfg.bhadron_ptmin)

    passed = np.zeros(len(counts), dtype=bool)
    kept: list[tuple[_Particles, _Leptons, np.ndarray]] = []
    jet_inputs: list[np.ndarray] = []  # (k, 4) px, py, pz, E per kept event
    for ev in range(len(counts)):
        sl = slice(offsets[ev], offsets[ev + 1])
        sel = final[sl]
        p = _Particles(
            pid=pid[sl][sel], px=px[sl][sel], py=py[sl][sel], pz=pz[sl][sel], e=en[sl][sel],
            pt=pt[sl][sel], eta=eta[sl][sel], phi=phi[sl][sel], charge=charge[sl][sel], hadron=hadron[sl][sel],
        )  # fmt: skip
        if _cannot_pass(p, cfg):
            continue
        lep = _find_leptons(p, cfg)
        lead = max(lep.mu[:, 0].max(initial=0.0), lep.eg[:, 0].max(initial=0.0))
        if lead <= cfg.lep_presel:
            continue
        passed[ev] = True
        bh = bhad[sl]
        kept.append((p, lep, np.stack([pt[sl][bh], eta[sl][bh], phi[sl][bh]], axis=1)))
        jm = ~lep.used & (np.abs(p.eta) < cfg.jet_input_eta)
        jet_inputs.append(np.stack([p.px[jm], p.py[jm], p.pz[jm], p.e[jm]], axis=1))

    n_pass = len(kept)
    particles = np.zeros((n_pass, N_OBJECTS, 3), dtype=np.float32)
    hlt = np.zeros((n_pass, N_HLT_FEATURES), dtype=np.float32)
    if n_pass == 0:
        return BatchResult(passed, particles, hlt)

    jetdef = fastjet.JetDefinition(fastjet.antikt_algorithm, cfg.jet_r)
    flat = np.concatenate(jet_inputs)
    inputs = ak.unflatten(
        ak.zip({"px": flat[:, 0], "py": flat[:, 1], "pz": flat[:, 2], "E": flat[:, 3]}),
        [len(x) for x in jet_inputs],
    )
    jets = fastjet.ClusterSequence(inputs, jetdef).inclusive_jets(min_pt=cfg.jet_cluster_ptmin)
    for k, (p, lep, bhads) in enumerate(kept):
        j = jets[k]
        jpt, jeta, jphi = _kinematics(ak.to_numpy(j.px), ak.to_numpy(j.py), ak.to_numpy(j.pz))
        jpt = jpt * np.maximum(0.0, 1.0 + cfg.jet_res * rng.standard_normal(len(jpt)))
        good = (jpt > cfg.jet_ptmin) & (np.abs(jeta) < cfg.jet_eta)
        jet_rows = np.stack([jpt[good], jeta[good], jphi[good]], axis=1)

        central = np.abs(p.eta) < cfg.met_eta
        sigma = cfg.met_stoch * np.sqrt(p.pt[central].sum())
        mex = -p.px[central].sum() + sigma * rng.standard_normal()
        mey = -p.py[central].sum() + sigma * rng.standard_normal()
        met = np.array([[np.hypot(mex, mey), 0.0, np.arctan2(mey, mex)]])

        ev_rows = np.zeros((N_OBJECTS, 3))
        ev_rows[0] = met[0]
        ev_rows[EGAMMA_ROWS] = _top(lep.eg, EGAMMA_ROWS.stop - EGAMMA_ROWS.start)
        ev_rows[MUON_ROWS] = _top(lep.mu, MUON_ROWS.stop - MUON_ROWS.start)
        ev_rows[JET_ROWS] = _top(jet_rows, JET_ROWS.stop - JET_ROWS.start)
        particles[k] = _round_l1(ev_rows)
        hlt[k] = _hlt_features(p, lep, jet_rows, bhads, (mex, mey), rng, cfg)
    return BatchResult(passed, particles, hlt)


def _hlt_features(
    p: _Particles,
    lep: _Leptons,
    jets: np.ndarray,
    bhads: np.ndarray,
    met_xy: tuple[float, float],
    rng: np.random.Generator,
    cfg: RecoParams,
) -> np.ndarray:
    """The 21 l+X features of seed-004 (order: ``layout.HLT_FEATURE_NAMES``)."""
    n_mu = len(lep.mu)
    # the trigger lepton: the leading isolated lepton (muons and e/gamma together)
    cand_pt = np.concatenate([lep.mu[:, 0], lep.eg[:, 0]])
    t = int(np.argmax(cand_pt))
    is_ele = t >= n_mu
    row = lep.eg[t - n_mu] if is_ele else lep.mu[t]
    charge = lep.eg_charge[t - n_mu] if is_ele else lep.mu_charge[t]
    lpt, leta, lphi = row
    near = _delta_r2(p.eta, p.phi, leta, lphi) < cfg.iso_cone**2
    near[lep.members[t]] = False
    apid = np.abs(p.pid)
    iso_ch = p.pt[near & p.hadron & (p.charge != 0)].sum() / lpt
    iso_neu = p.pt[near & p.hadron & (p.charge == 0)].sum() / lpt
    iso_gam = p.pt[near & (apid == 22)].sum() / lpt

    hard_jets = jets[(jets[:, 0] > cfg.hlt_obj_ptmin) & (np.abs(jets[:, 1]) < cfg.hlt_jet_eta)]
    st_objs = np.concatenate([jets, lep.mu, lep.eg])
    st = st_objs[(st_objs[:, 0] > cfg.hlt_obj_ptmin) & (np.abs(st_objs[:, 1]) < cfg.hlt_st_eta), 0].sum()
    n_b = 0
    for jrow in hard_jets:
        has_b = len(bhads) and (_delta_r2(bhads[:, 1], bhads[:, 2], jrow[1], jrow[2]) < cfg.jet_r**2).any()
        n_b += int(rng.random() < (cfg.btag_eff if has_b else cfg.btag_mistag))

    mex, mey = met_xy
    met = np.hypot(mex, mey)
    dphi = np.arctan2(mey, mex) - lphi
    mt = np.sqrt(max(2.0 * lpt * met * (1.0 - np.cos(dphi)), 0.0))
    ele = lep.eg[lep.eg_is_ele]

    def pt_tot(rows: np.ndarray) -> float:
        return float(np.hypot((rows[:, 0] * np.cos(rows[:, 2])).sum(), (rows[:, 0] * np.sin(rows[:, 2])).sum()))

    central = np.abs(p.eta) < cfg.eg_eta
    n_ch = np.count_nonzero(p.hadron & (p.charge != 0) & central & (p.pt > cfg.charged_had_ptmin))
    n_neu = np.count_nonzero(p.hadron & (p.charge == 0) & (np.abs(p.eta) < 3.0) & (p.pt > cfg.neutral_had_ptmin))
    return np.array(
        [
            lpt, iso_ch, iso_neu, iso_gam, charge, float(is_ele),
            st, len(hard_jets), _massless_mass(*hard_jets.T), n_b,
            met * np.cos(dphi), met * np.sin(dphi), mt,
            n_mu, _massless_mass(*lep.mu.T), pt_tot(lep.mu),
            len(ele), _massless_mass(*ele.T), pt_tot(ele),
            n_ch, n_neu,
        ],
        dtype=np.float32,
    )  # fmt: skip
