"""``adtrigger firmware``: convert -> build -> verify -> rtl -> report, into ``<bundle>/firmware/``.

The build happens in a temporary folder next to the bundle's ``firmware/`` and replaces it only when every step
passed, bit-exact verification included; a failed build is left in ``firmware.failed/`` for inspection and the good
build (if any) stays as it was.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from adtrigger.firmware import convert, emulator, manifest, pipeline, report, rtl, timing, verify, vivado
from adtrigger.firmware.design import FirmwareError, load_design
from adtrigger.firmware.tools import require

FIRMWARE_DIR = "firmware"
# 240 MHz, six times the LHC's 40 MHz bunch clock: 12 clock cycles are the 50 ns (2 bunch crossings) of the goal
DEFAULT_CLOCK_NS = 1e3 / 240.0


@dataclass
class FirmwareSettings:
    """Options of the flow; defaults are the L1 target (VU9P, 240 MHz)."""

    threshold: float | None = None  # None: the card's active calibrated threshold
    strategy: str = "latency"  # hls4ml strategy: latency | da (distributed arithmetic)
    clock_period: float = DEFAULT_CLOCK_NS  # ns: the target clock; the pipeline is cut to meet it
    latency_cutoff: float | None = None  # ns of modelled logic per stage; None: searched from the clock (pipeline.py)
    pipeline_tries: int = pipeline.MAX_TRIES  # syntheses the search may run
    n_events: int = 100_000  # verification events
    rtl: bool = True  # da4ml Verilog, Verilator simulation
    synth: bool = True  # Yosys synthesis and the timing estimate (needs rtl)
    dsp_check: bool = True  # a second synthesis without -nodsp: does Yosys find any multiplier for a DSP?
    vivado: bool | None = None  # Vivado out-of-context place and route of the chosen cut; None: where installed
    jobs: int = 1
    data_dir: Path | None = None  # verification events: a folder with the 4 SM and 4 signal files (refstream-v1)
    timings: dict = field(default_factory=dict)


def required_tools(s: FirmwareSettings) -> tuple[str, ...]:
    """The external tools these settings run: the C-sim needs g++, the RTL Verilator (with make and ar), synthesis
    Yosys."""
    return ("g++", *(("make", "ar", "verilator") if s.rtl else ()), *(("yosys",) if s.rtl and s.synth else ()))


def build_firmware(bundle: str | os.PathLike[str], settings: FirmwareSettings | None = None) -> dict:
    """Build, verify and report the firmware of a bundle; returns the summary written to report.json and the card."""
    s = settings or FirmwareSettings()
    bundle = Path(bundle).resolve()  # the tools run in sub-folders: every path they get must be absolute
    design = load_design(bundle, s.threshold)
    require(*required_tools(s))
    files = verify.verification_files(design, s.data_dir)  # before the minutes of building: refused early
    final, failed = bundle / FIRMWARE_DIR, bundle / f"{FIRMWARE_DIR}.failed"
    tmp = bundle / f".{FIRMWARE_DIR}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        summary = _build(design, s, tmp, files)
    except BaseException:
        shutil.rmtree(failed, ignore_errors=True)
        os.replace(tmp, failed)
        raise
    old = bundle / f".{FIRMWARE_DIR}.old-{os.getpid()}"
    if final.exists():
        os.replace(final, old)
    os.replace(tmp, final)
    shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(failed, ignore_errors=True)
    _update_card(bundle, design.namespace, summary)
    return summary


@contextmanager
def _step(s: FirmwareSettings, key: str, what: str) -> Iterator[None]:
    """Time one step into ``s.timings[key]`` and say when it starts and ends: the whole flow takes minutes."""
    start = time.perf_counter()
    print(f"firmware: {what} ...", flush=True)
    yield
    s.timings[key] = round(time.perf_counter() - start, 2)
    print(f"firmware: {what}: done in {s.timings[key]:.1f} s", flush=True)


def _build(design, s: FirmwareSettings, out: Path, files: list[Path]) -> dict:
    with _step(s, "convert", "hls4ml convert"):
        project = convert.convert(design, out / "hls", strategy=s.strategy, clock_period=s.clock_period)
    with _step(s, "compile", "C-sim and emulator compile (g++)"):
        exe, objects = convert.build_csim(project)
        lib = emulator.build_library(design, project, objects, out / "emulator")
        for o in objects:
            o.unlink()
    emu = emulator.Emulator(lib, design.namespace)
    impls = {"csim": lambda hw: verify.run_csim(exe, hw), "emulator": emu.predict}
    rtl_info = yosys = None
    if s.rtl:
        with _step(s, "rtl", "da4ml Verilog" + (", Yosys synthesis and timing estimate" if s.synth else "")):
            if s.synth:
                cut = pipeline.cut_for_clock(design, out / "rtl", s.clock_period, latency_cutoff=s.latency_cutoff,
                                             max_tries=s.pipeline_tries)  # fmt: skip
                build, yosys = cut.build, cut.yosys
            else:
                model = timing.ULTRASCALE_PLUS_2L
                cutoff = s.latency_cutoff
                if cutoff is None:
                    cutoff = pipeline.stage_budget_ns(s.clock_period, model)
                build = rtl.write_rtl(design, out / "rtl", clock_period=s.clock_period, latency_cutoff=cutoff,
                                      comb=pipeline.retime(rtl.trace(design), model))  # fmt: skip
        with _step(s, "verilator", "Verilator build"):
            sim = rtl.RTLSimulation(build, rtl.build_simulation(build, jobs=s.jobs), rtl.n_words(design),
                                    design.n_seeds)  # fmt: skip
        impls["rtl"] = sim.predict
        rtl_info = {"stages": build.stages, "clock_period_ns": build.clock_period,
                    "latency_cutoff": build.latency_cutoff, "latency_ns": build.stages * build.clock_period,
                    "da4ml_cost": build.da4ml_cost, "reg_bits": build.reg_bits}  # fmt: skip
        if s.synth:
            rtl_info["timing"] = {**cut.timing.to_json(), "tries": cut.tries_json()}
            rtl_info["latency_ns"] = cut.timing.latency_cycles * build.clock_period
            if s.vivado if s.vivado is not None else vivado.available():
                with _step(s, "vivado", "Vivado out-of-context synthesis, place and route"):
                    rtl_info["vivado"] = vivado.run_ooc(build.path, rtl.synthesis_sources(build), rtl.MODULE,
                                                        convert.PART, s.clock_period)  # fmt: skip
            if s.dsp_check:
                with _step(s, "yosys_dsp", "Yosys synthesis without -nodsp"):
                    free = rtl.synthesize(build, nodsp=False)
                yosys["without_nodsp"] = {k: free[k] for k in ("tool", "lut", "ff", "dsp", "carry")}
    hw = verify.verification_events(s.n_events, files)
    with _step(s, "threshold_events", "events at each seed's threshold and just below it"):
        hw = verify.add_threshold_events(design, hw)  # first in the file: the test bench's 1000 events have them
    tb_hw = hw[: convert.TESTBENCH_EVENTS]  # the test bench checks these against the software's expected outputs
    expected = convert.testbench_expected(design, verify.reference(design, tb_hw)[0]["keras"])
    convert.write_testbench_data(project, tb_hw, expected)
    with _step(s, "verify", f"bit-exact verification of {', '.join(impls)} on {len(hw)} events"):
        result = verify.verify(design, hw, impls)
    settings = {"strategy": s.strategy, "clock_period_ns": s.clock_period, "latency_cutoff": s.latency_cutoff,
                "n_events": s.n_events, "timings_s": s.timings, "delay_model": timing.ULTRASCALE_PLUS_2L.name,
                "verification_files": [str(f) for f in files]}  # fmt: skip
    summary = report.summary_of(design, settings, rtl_info, yosys, result)
    report.write_report(out, design, summary, result, report.layer_types(project.hls_model), yosys)
    identity = {"name": design.name, "namespace": design.namespace, "content_hash": design.content_hash,
                "bundle_files": {k: v.get("sha256") for k, v in ((design.card or {}).get("files") or {}).items()
                                 if not k.startswith(f"{FIRMWARE_DIR}/")}}  # fmt: skip
    manifest.write_manifest(out, identity, settings)
    if not result["passed"]:
        raise FirmwareError(f"firmware is not bit-exact with the software (see {out.parent / 'firmware.failed'}/"
                            "report.md); the previous build was kept")  # fmt: skip
    return summary


def _update_card(bundle: Path, namespace: str, summary: dict) -> None:
    """Record the summary and the firmware files in the card, when the bundle has one."""
    if not (bundle / "bundle.json").is_file():
        return
    from adtrigger.bundle import file_entry, update_card

    # the reports only: the rest of firmware/ (hls4ml project, Verilog, the emulator library) are build outputs that a
    # committed bundle does not carry; a card vouching for them made a fresh clone's bundle unloadable
    files = [f"{FIRMWARE_DIR}/{name}" for name in manifest.KEPT]
    lib = bundle / FIRMWARE_DIR / "emulator" / emulator.library_name(namespace)
    card_summary = {k: summary[k] for k in ("namespace", "threshold", "seeds", "score_type", "rtl", "yosys", "goals")}
    card_summary["emulator"] = {"library": str(lib.relative_to(bundle)), **file_entry(lib)} if lib.is_file() else None
    card_summary["verification"] = {
        k: summary["verification"][k] for k in ("n_events", "passed", "references", "seed_mismatches")
    }
    update_card(bundle, {"firmware": card_summary}, files=files, replace=("firmware",), owns=f"{FIRMWARE_DIR}/")
