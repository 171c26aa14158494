"""The stream's frame format and the live rate monitor, without a server."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adtrigger.service.frames import (
    HEADER,
    HEADER_BYTES,
    KIND_EVENTS,
    MAGIC,
    FrameError,
    decode_decisions,
    decode_events,
    encode_decisions,
    encode_events,
)
from adtrigger.service.monitor import RateMonitor


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


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (b"", "shorter than the 24-byte header"),
        (b"XXXX" + bytes(20), "bad magic"),
        (HEADER.pack(MAGIC, 2, KIND_EVENTS, 0, 1, 57) + bytes(228), "version 2 is not supported"),
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
