"""The stream's frame format (versions 1 and 2: seed masks), the live rate monitor and its per-seed windows,
without a server."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adtrigger.bundle import ladder
from adtrigger.service.frames import (
    HEADER,
    HEADER_BYTES,
    KIND_DECISIONS,
    KIND_EVENTS,
    MAGIC,
    MAX_SEEDS,
    SEEDS_PREAMBLE,
    FrameError,
    decode_decisions,
    decode_events,
    decode_events_frame,
    encode_decisions,
    encode_events,
)
from adtrigger.service.monitor import RateMonitor, SeedKey, SeedWindows


def test_events_round_trip_bit_exact():
    x = np.random.default_rng(1).normal(size=(37, 57)).astype(np.float32)
    x[3, 4] = -0.0
    frame = encode_events(2**40 + 7, x)
    assert len(frame) == HEADER_BYTES + x.nbytes
    seq, y = decode_events(frame, 57)
    assert seq == 2**40 + 7
    assert y.dtype == np.float32 and y.tobytes() == x.tobytes()


def test_decisions_round_trip_bit_exact():
    s = np.array([0.0, 1e-300, 3.4028234663852886e38, 12.5, np.nextafter(12.5, 0)])
    a = s >= 12.5
    d = decode_decisions(encode_decisions(9, s, a, generation=3))
    assert d.seq == 9 and d.generation == 3 and d.scores.tobytes() == s.tobytes() and d.accept.tolist() == a.tolist()
    assert d.version == 2 and d.n_seeds == 0 and d.seed_masks.tolist() == [0] * 5


def test_decisions_carry_one_seed_mask_per_event():
    """Version 2: a preamble with the seed count, then scores, accept bits and uint8 masks (bit k = seed k), the
    masks exactly ``adtrigger.bundle.ladder.pack_bits``; version 1 is the old layout, byte for byte."""
    assert MAX_SEEDS == ladder.MAX_SEEDS
    rng = np.random.default_rng(2)
    s = rng.exponential(10.0, 1001)
    ladder_seeds = [ladder.Seed(f"s{k}", t, None) for k, t in enumerate((1.0, 5.0, 9.5, 20.0, 30.0, 40.0, 50.0, 60.0))]
    for n_seeds in (1, 3, 8):
        bits = ladder.seed_bits(s, ladder_seeds[:n_seeds])
        masks = ladder.pack_bits(bits)
        frame = encode_decisions(4, s, bits[:, 0], 7, masks, n_seeds)
        assert len(frame) == HEADER_BYTES + 8 + len(s) * 10 and SEEDS_PREAMBLE.unpack_from(frame, 24) == (n_seeds, 0)
        d = decode_decisions(frame)
        assert (d.seq, d.generation, d.n_seeds, d.version) == (4, 7, n_seeds, 2)
        assert d.scores.tobytes() == s.tobytes() and d.seed_masks.tobytes() == masks.tobytes()
        assert np.array_equal(d.seed_bits(), bits) and np.array_equal(d.seed_bits(), ladder.unpack_bits(masks, n_seeds))
        assert d.seed_counts() == bits.sum(axis=0).tolist()
    old = encode_decisions(4, s, s >= 5.0, 7, version=1)
    header = HEADER.pack(MAGIC, 1, KIND_DECISIONS, 4, len(s), 7)
    assert old == header + s.tobytes() + (s >= 5.0).astype(np.uint8).tobytes()
    d = decode_decisions(old)
    assert d.version == 1 and d.seed_masks is None and d.accept.tolist() == (s >= 5.0).tolist()
    with pytest.raises(FrameError, match="no seed masks"):
        d.seed_bits()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(-1e3, 1e3, allow_nan=False), max_size=40),
       st.lists(st.floats(-1e3, 1e3, allow_nan=False), max_size=8))  # fmt: skip
def test_service_seed_masks_are_the_ladder_pack_bits(values, thresholds):
    """The fast mask path the service uses equals ``pack_bits(seed_bits(...))`` bit for bit, ties at a threshold
    included."""
    s = np.array(values + thresholds[:3], dtype=np.float64)  # some scores exactly on a threshold
    seed_list = [ladder.Seed(f"s{k}", t, None) for k, t in enumerate(sorted(thresholds))]
    want = ladder.pack_bits(ladder.seed_bits(s, seed_list))
    got = ladder.seed_mask(s, seed_list)
    assert got.dtype == np.uint8 and got.tobytes() == want.tobytes()
    assert ladder.bit_counts(got, len(seed_list)) == ladder.unpack_bits(want, len(seed_list)).sum(axis=0).tolist()


def test_events_frames_of_both_versions_and_bad_seed_preambles():
    x = np.ones((3, 57), np.float32)
    for version in (1, 2):
        got_version, seq, y = decode_events_frame(encode_events(5, x, version), 57)
        assert (got_version, seq) == (version, 5) and y.tobytes() == x.tobytes()
    s = np.arange(4.0)
    good = bytearray(encode_decisions(0, s, s > 1, 0, np.array([0, 1, 3, 3], np.uint8), 2))
    too_many = good[:24] + SEEDS_PREAMBLE.pack(9, 0) + good[32:]
    with pytest.raises(FrameError, match="at most 8"):
        decode_decisions(bytes(too_many))
    beyond = good[:24] + SEEDS_PREAMBLE.pack(1, 0) + good[32:]
    with pytest.raises(FrameError, match="beyond the frame's 1 seeds"):
        decode_decisions(bytes(beyond))
    with pytest.raises(FrameError, match="needs"):
        decode_decisions(bytes(good[:-1]))
    with pytest.raises(FrameError, match="do not fit"):
        encode_decisions(0, s, s > 1, 0, None, 9)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300), st.integers(0, 12), st.integers(1, 2))
def test_any_decision_bytes_decode_or_raise_frame_error(body, n, version):
    for frame in (body, HEADER.pack(MAGIC, version, KIND_DECISIONS, 1, n, 0) + body):
        try:
            d = decode_decisions(frame)
        except FrameError:
            continue
        assert len(d.scores) == len(d.accept) == n and (d.seed_masks is None) == (version == 1)


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (b"", "shorter than the 24-byte header"),
        (b"XXXX" + bytes(20), "bad magic"),
        (HEADER.pack(MAGIC, 3, KIND_EVENTS, 0, 1, 57) + bytes(228), "version 3 is not supported"),
        (HEADER.pack(MAGIC, 1, 2, 0, 1, 57) + bytes(228), "frame kind 2"),
        (HEADER.pack(MAGIC, 1, KIND_EVENTS, 0, 1, 56) + bytes(224), "56 features; the model takes 57"),
        (HEADER.pack(MAGIC, 1, KIND_EVENTS, 0, 2, 57) + bytes(228), "n=2 events of width 57 need 480"),
    ],
)
def test_malformed_frames_say_what_is_wrong(frame, message):
    with pytest.raises(FrameError, match=message):
        decode_events(frame, 57)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_decode_or_raise_frame_error(data):
    """The server parses untrusted bytes: anything is either a valid frame or a FrameError, never another error."""
    for frame in (data, HEADER.pack(MAGIC, 1, KIND_EVENTS, 3, len(data) // 228, 57) + data):
        try:
            _, x = decode_events(frame, 57)
        except FrameError:
            continue
        assert x.shape == (len(frame[HEADER_BYTES:]) // 228, 57)


def test_monitor_quiet_at_target_and_alarms_when_rate_doubles():
    rng = np.random.default_rng(3)
    p, window = 0.01, 200_000
    mon = RateMonitor(p, window, sigma=5.0)
    for _ in range(100):  # 400k SM-like events at the target rate
        state = mon.record(4096, int(rng.binomial(4096, p)))
        assert not state.alarm
    assert window <= state.n < window + 4096
    assert abs(state.observed - p) < 5 * np.sqrt(p * (1 - p) / state.n)
    for _ in range(60):  # the accept rate doubles (e.g. a hot channel); the window fills with it
        state = mon.record(4096, int(rng.binomial(4096, 2 * p)))
    assert state.alarm and state.pull > 5


def test_monitor_no_alarm_before_the_window_is_full():
    mon = RateMonitor(0.01, 10_000)
    assert not mon.record(1000, 1000).alarm  # wildly off, but only 1000 events
    mon.restart(0.5)
    assert mon.state().n == 0 and mon.state().expected == 0.5


def test_seed_windows_alarm_per_seed_and_carry_over_only_unchanged_seeds():
    """Three seeds, one pushed to twice its rate: only that one alarms. A rebuild keeps a seed's window only when
    its name, threshold and expected fraction are all unchanged."""
    rng = np.random.default_rng(4)
    expected = {"VLoose": 0.03, "default": 0.01, "Tight": 0.003}
    keys = [SeedKey(name, float(k), p) for k, (name, p) in enumerate(expected.items())]
    win = SeedWindows(keys, 100_000, sigma=5.0)
    assert win.names == ("VLoose", "default", "Tight")
    for _ in range(40):
        states = win.record(4096, [rng.binomial(4096, expected["VLoose"]), rng.binomial(4096, expected["default"]),
                                   rng.binomial(4096, 2 * expected["Tight"])])  # fmt: skip
    assert [s.alarm for s in states] == [False, False, True] and states[2].pull > 5
    assert [s.expected for s in states] == list(expected.values())
    moved = [keys[0], SeedKey("default", 1.5, 0.008), keys[2], SeedKey("VTight", 9.0, 1e-3)]
    again = SeedWindows(moved, 100_000, 5.0, previous=win)
    assert again.monitors[0] is win.monitors[0] and again.monitors[2] is win.monitors[2]
    assert [s.n for s in again.states()] == [states[0].n, 0, states[2].n, 0]
    assert again.states()[1].expected == 0.008
    with pytest.raises(ValueError, match="2 seed counts for 4 seeds"):
        again.record(10, [1, 2])
