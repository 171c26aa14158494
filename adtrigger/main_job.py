"""The main job end to end on the embedded default, as a physicist meets it (``adtrigger demo``).

generate a small SM stream and the four signals -> train the L1 VAE -> evaluate -> export ONNX -> calibrate to a
target rate -> firmware (C-sim and RTL, bit-exact checks) -> serve the bundle, stream the held-out events through
it, stop -> ``report.md``. Each stage is one call into its part (imported lazily, as the CLI does); the stages
share nothing but files in the run directory, above all the model bundle.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

# process names only (cards.py loads neither Pythia nor numpy); the demo names each file after its process
from adtrigger.training.stream.cards import SIGNALS as SIGNAL_FILES
from adtrigger.training.stream.cards import SM_PROCESSES as SM_FILES

if TYPE_CHECKING:
    from adtrigger.firmware.flow import FirmwareSettings

MODEL_NAME = "demo_l1_vae"
# Demo target: 5 kHz out of a 100 kHz input (FPR 5e-2), a rate the small demo stream resolves on its held-out half.
RATE, INPUT_RATE = "5kHz", "100kHz"
SPLIT = (0.6, 0.1, 0.3)  # train, validation, test of the demo's SM stream; the test part is streamed to the service


@dataclass
class MainJobSettings:
    """What the demo runs; defaults take about 3½ minutes and 5 minutes of CPU on a 2-core machine."""

    scale: float = 2.0  # times training.stream.demo.DEFAULT_EVENTS
    seed: int = 1
    workers: int | None = None
    epochs: int = 25
    firmware: bool = True
    rtl: bool = True
    firmware_events: int = 20_000
    service: bool = True
    rate: str = RATE  # target accept rate at INPUT_RATE
    timings: dict[str, float] = field(default_factory=dict)  # wall seconds per stage
    cpu: dict[str, float] = field(default_factory=dict)  # user + system CPU seconds per stage


class MissingToolError(ValueError):
    """An external tool a stage needs is not installed (a ValueError: the CLI prints it as its one-line error)."""


def _firmware_settings(events_dir: Path, s: MainJobSettings) -> FirmwareSettings:
    from adtrigger.firmware.flow import FirmwareSettings

    return FirmwareSettings(n_events=s.firmware_events, rtl=s.rtl, synth=s.rtl, jobs=2, data_dir=events_dir)


def preflight(out: Path, s: MainJobSettings) -> None:
    """Refuse in one line, before any stage, when a tool a stage runs is missing: not after minutes of generation."""
    if not s.firmware:
        return
    from adtrigger.firmware.flow import required_tools
    from adtrigger.firmware.tools import install_command, missing

    absent = missing(*required_tools(_firmware_settings(out / "events", s)))
    if absent:
        raise MissingToolError(f"adtrigger demo: the firmware stage needs {', '.join(absent)}: "
                               f"{install_command(absent)} (or run with --no-firmware)")  # fmt: skip


def _files(events_dir: Path, names: tuple[str, ...]) -> list[Path]:
    """The demo's event files of these processes (``adtrigger generate`` names a file after its process)."""
    return [events_dir / f"{name}.h5" for name in names]


def _config(events_dir: Path, s: MainJobSettings) -> dict[str, Any]:
    return {
        "name": MODEL_NAME,
        "seed": s.seed,
        "data": {
            "sm": [str(f) for f in _files(events_dir, SM_FILES)],
            "signals": [str(f) for f in _files(events_dir, SIGNAL_FILES)],
            "split": list(SPLIT),
        },
        "model": {
            "hidden": [32, 16],
            "latent": 8,
            "score": "mu2",
            "rare_fraction": 0.05,
            "bw_regularisation": 1e-3,  # the embedded config's LUT budget setting (docs/firmware.md)
            # the embedded config's kinematic group (configs/l1_vae_refstream.yaml, docs/training.md)
            "kinematic_hidden": [8, 4],
            "kinematic_latent": 4,
            "kinematic_targets": ["MET", "H_T", "sum e/gamma pT", "sum muon pT"],
            "kinematic_share": 0.75,
        },
        # one thread: as fast for this small model, and a second one spin-waits on a busy machine (10x the CPU)
        "train": {"epochs": s.epochs, "batch_size": 256, "patience": 5, "threads": 1},
    }


def _cpu_seconds() -> float:
    """User + system CPU of this process and its reaped children (Dask workers, compilers, the server): what the
    stages cost whatever else shares the cores."""
    import resource

    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return sum(u.ru_utime + u.ru_stime for u in usage)


def _stage(s: MainJobSettings, name: str, fn: Callable[[], Any]) -> Any:
    from rich.console import Console

    console = Console()  # stdout, where Keras prints its epochs and the stages their progress: they stay in order
    console.rule(f"[bold]{name}")
    start, cpu = time.perf_counter(), _cpu_seconds()
    result = fn()
    s.timings[name], s.cpu[name] = time.perf_counter() - start, _cpu_seconds() - cpu
    console.print(f"[green]{name}: done in {s.timings[name]:.1f} s ({s.cpu[name]:.0f} s of CPU)")
    return result


def run_main_job(out: Path, settings: MainJobSettings | None = None, *, force: bool = False) -> Path:
    """Run every stage into ``out`` (``runs/demo``); returns the path of ``report.md``."""
    import yaml

    s = settings or MainJobSettings()
    out = Path(out)
    if (out / "report.md").exists() and not force:
        raise FileExistsError(f"{out} holds a finished run; use --force to replace it")
    preflight(out, s)
    events_dir = out / "events"

    def generate() -> Path:
        from adtrigger.training.stream.demo import run_demo

        return run_demo(out, scale=s.scale, seed=s.seed, workers=s.workers, force=True)

    _stage(s, "generate", generate)
    config = out / "config.yaml"
    config.write_text(yaml.safe_dump(_config(events_dir.resolve(), s), sort_keys=False))
    models = out / "models"

    def train() -> Path:
        from adtrigger.training.pipeline import train as run_train

        return run_train(config, models, force=True)

    bundle = _stage(s, "train", train)

    def evaluate() -> Path:
        from adtrigger.training.pipeline import evaluate as run_evaluate

        return run_evaluate(bundle)

    _stage(s, "evaluate", evaluate)

    def export() -> Path:
        from adtrigger.training.export_onnx import export as run_export

        return run_export(bundle)

    _stage(s, "export", export)

    def calibrate() -> dict:
        from adtrigger.bundle.rates import make_target, parse_rate
        from adtrigger.training.calibration import calibrate as run_calibrate

        target = make_target(rate_hz=parse_rate(s.rate), input_rate_hz=parse_rate(INPUT_RATE))
        return run_calibrate(bundle, _files(events_dir, SM_FILES), _files(events_dir, SIGNAL_FILES), target, workers=0)

    threshold = _stage(s, "calibrate", calibrate)

    firmware = None
    if s.firmware:

        def build() -> dict:
            from adtrigger.firmware.flow import build_firmware

            return build_firmware(bundle, _firmware_settings(events_dir, s))

        firmware = _stage(s, "firmware", build)

    service = _stage(s, "service", lambda: _serve_and_stream(bundle, events_dir, out, s.seed)) if s.service else None
    report = out / "report.md"
    report.write_text(_report(out, bundle, threshold, firmware, service, s))
    (out / "timings.json").write_text(json.dumps(s.timings, indent=1))
    return report


def _held_out(events_dir: Path, seed: int):
    """SM events the model never saw (its test split) with their weights, and those followed by every signal event,
    as (N, 57) float32."""
    import numpy as np

    from adtrigger.training.data import load_sm, split_masks
    from adtrigger.training.stream.io import read_events

    sm = load_sm(_files(events_dir, SM_FILES))
    test = sm.select(split_masks(sm, SPLIT, seed)["test"])
    signals = [read_events(f).flat for f in _files(events_dir, SIGNAL_FILES)]
    return test.flat, test.weight, np.concatenate([test.flat, *signals])


def _serve_and_stream(bundle: Path, events_dir: Path, out: Path, seed: int) -> dict:
    """Start ``adtrigger serve`` on a free loopback port, stream the held-out events, check every score and decision
    against the in-process scorer, stop the server."""
    import numpy as np

    from adtrigger.bundle import load_bundle
    from adtrigger.bundle.scoring import Scorer
    from adtrigger.service.client import replay_sync
    from adtrigger.service.server import free_port, spawn

    sm, sm_weight, everything = _held_out(events_dir, seed)
    port = free_port()
    proc = spawn(bundle, port, out / "serve.log", {"OMP_NUM_THREADS": "1"})
    try:
        url = f"ws://127.0.0.1:{port}/v1/stream"
        rep = replay_sync(url, everything, batch=1024, keep=True)
        bench = replay_sync(url, sm, batch=4096, total=max(200_000, len(sm)))
    finally:
        proc.terminate()
        proc.wait(10)
    scorer = Scorer(load_bundle(bundle))
    local = scorer.score(everything)
    accepted_sm = rep.accept[: len(sm)].astype(bool)
    return {
        "events": rep.events,
        "identical_to_in_process": bool(
            np.array_equal(rep.scores, local) and np.array_equal(rep.accept.astype(bool), scorer.accept(local))
        ),
        "accepted": int(rep.accept.sum()),
        "sm_accept_fraction": float(np.sum(sm_weight * accepted_sm) / np.sum(sm_weight)),
        "throughput_summary": bench.summary(),
    }


def _report(out: Path, bundle: Path, threshold: dict, firmware: dict | None, service: dict | None,
            s: MainJobSettings) -> str:  # fmt: skip
    from adtrigger.bundle import read_card

    card = read_card(bundle)
    a = threshold["achieved"]
    rel = bundle.relative_to(out)
    lines = [
        "# The main job on the embedded default",
        "",
        f"A small generated SM stream (W, Z/γ*, tt̄, QCD mixed to seed-004's fractions) and the four benchmark "
        f"signals → the L1 VAE `{card['name']}` ({card['score']['kind']} score) → ONNX → a threshold for "
        f"{s.rate} out of {INPUT_RATE} → firmware → the scoring service. Seed {s.seed}, event scale {s.scale}.",
        "",
        "## The threshold and what it selects",
        "",
        f"Threshold: score ≥ {threshold['score']:.6g} (L1 fixed point: raw {threshold['fixed']['raw']}). "
        f"Achieved on the independent SM half: {a.get('rate_hz', float('nan')):.4g} Hz "
        f"[{a.get('rate_hz_lo', float('nan')):.4g}, {a.get('rate_hz_hi', float('nan')):.4g}] "
        f"(FPR {a['fpr']:.4g}, {a['n_effective']:.0f} effective SM events).",
        "",
        "| signal | efficiency at the threshold |",
        "| --- | --- |",
        *(f"| {k} | {v:.4g} |" for k, v in threshold["signal_efficiency"].items()),
        "",
        *([f"**Warning:** {threshold['warning']}", ""] if threshold.get("warning") else []),
        f"![rate vs threshold]({rel}/{threshold['report']['plot']})",
        "",
        f"ROC curves against the AE baseline and a supervised classifier per signal: "
        f"[{rel}/evaluation/table.md]({rel}/evaluation/table.md)",
        "",
        f"![ROC]({rel}/evaluation/roc.png)",
        "",
    ]
    if firmware:
        v, r, y = firmware["verification"], firmware.get("rtl") or {}, firmware.get("yosys") or {}
        lines += [
            "## Firmware",
            "",
            f"{', '.join(v['mismatches'])} against {', '.join(v['references'])} on {v['n_events']} events: "
            f"{sum(sum(m.values()) for m in v['mismatches'].values())} score mismatches "
            f"({'passed' if v['passed'] else 'FAILED'}). Latency {r.get('stages', 'n/a')} pipeline stages = "
            f"{r.get('latency_ns', 'n/a')} ns; Yosys LUT {y.get('lut', 'n/a')}, FF {y.get('ff', 'n/a')}, "
            f"DSP {y.get('dsp', 'n/a')}. Full report: [{rel}/firmware/report.md]({rel}/firmware/report.md).",
            "",
        ]
    if service:
        lines += [
            "## The scoring service",
            "",
            f"{service['events']} held-out events (SM test split and every signal event) streamed over WebSocket: "
            f"decisions identical to the in-process scorer: {service['identical_to_in_process']}; "
            f"{service['accepted']} accepted; SM accept fraction {service['sm_accept_fraction']:.4g}.",
            f"Throughput at batch 4096: {service['throughput_summary']}",
            "",
        ]
    lines += [
        "## Stages",
        "",
        "| stage | seconds | CPU seconds |",
        "| --- | --- | --- |",
        *(f"| {k} | {v:.1f} | {s.cpu[k]:.1f} |" for k, v in s.timings.items()),
        "",
        "Events: [events.md](events.md) ![events](events.png)",
        "",
    ]
    return "\n".join(lines)
