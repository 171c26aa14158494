"""SM events with one hard object added: the probe of how an L1 score responds to what it was not trained for.

Used by the monotonic-response test (tests/test_response.py) and the hard-object acceptance of
bench/rate_split_probe.py, so both add objects the same way.
"""

from __future__ import annotations

import numpy as np

from adtrigger.bundle.layout import JET_ROWS, MET_ROWS, MUON_ROWS

ROWS = {"MET": MET_ROWS, "muon": MUON_ROWS, "jet": JET_ROWS}


def add_object(x: np.ndarray, kind: str, pt: float, eta: float = 0.4, phi: float = 1.1) -> np.ndarray:
    """(N, 57) events with an object of ``pt`` GeV added: MET raised by ``pt``, or a muon/jet inserted in pT order
    (the softest of a full class falls out). Every slot's pT can only rise, as in a real event with one more hard
    object."""
    if kind not in ROWS:
        raise ValueError(f"kind must be one of {sorted(ROWS)}, got {kind!r}")
    ev = np.asarray(x, np.float32).reshape(len(x), 19, 3).copy()
    lo, hi = ROWS[kind].start, ROWS[kind].stop
    if kind == "MET":
        ev[:, lo, 0] += pt
        return ev.reshape(len(x), -1)
    objs = np.concatenate([ev[:, lo:hi], np.tile(np.float32([pt, eta, phi]), (len(x), 1, 1))], axis=1)
    order = np.argsort(-objs[:, :, 0], axis=1, kind="stable")[:, : hi - lo]
    ev[:, lo:hi] = np.take_along_axis(objs, order[:, :, None], axis=1)
    return ev.reshape(len(x), -1)
