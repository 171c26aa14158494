"""Cut the pipeline from a target clock: da4ml's latency cutoff is searched until the estimated timing of the
synthesized netlist meets the clock, with the fewest pipeline stages that do.

da4ml pipelines in its own delay units (``latency_cutoff`` per stage), not in nanoseconds. Each try writes the
Verilog at one cutoff (seconds), synthesizes it with Yosys (the slow part) and estimates the worst stage delay with
:mod:`firmware.timing`. The next cutoff scales the last one so that its stage logic would just fill the clock period
(the stage's logic delay is close to proportional to the cutoff): a try that meets the clock is followed by a
looser one (fewer stages), one that misses by a tighter one. A cutoff whose stage count was already synthesized is
not synthesized again. The result is the try that meets the clock with the fewest stages (then the fastest); when
none does, the fastest one, reported as missing the clock.
"""

from __future__ import annotations

import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path

from adtrigger.firmware import rtl, timing
from adtrigger.firmware.design import FirmwareError, TriggerDesign
from adtrigger.firmware.netlist import load_netlist

MAX_TRIES = 4  # syntheses per search: the proportional step lands within a stage after two or three
MARGIN = 0.97  # aim each new cutoff at 97 % of the period's logic budget: a little slack for the estimate's scatter


@dataclass
class PipelineTry:
    """One synthesized cut: its cutoff, stages and estimated timing."""

    latency_cutoff: float
    stages: int  # da4ml's pipeline stages
    cycles: int | None  # registers port to port in the netlist (the timing estimate's latency_cycles)
    worst_stage_ns: float
    fmax_mhz: float
    meets_clock: bool
    lut: int


@dataclass
class PipelineChoice:
    """The chosen cut (its RTL in place at the flow's ``rtl/``), its synthesis and timing, and every try."""

    build: rtl.RTLBuild
    yosys: dict
    timing: timing.TimingEstimate
    tries: list[PipelineTry] = field(default_factory=list)

    def tries_json(self) -> list[dict]:
        return [asdict(t) for t in self.tries]


def parse_clock(text: str | float) -> float:
    """A clock as a period in ns: ``240MHz``, ``0.24GHz``, ``4.2ns`` or a bare number of ns."""
    if isinstance(text, int | float):
        period = float(text)
    else:
        s = text.strip().lower().replace(" ", "")
        try:
            if s.endswith("ghz"):
                period = 1.0 / float(s[:-3])
            elif s.endswith("mhz"):
                period = 1e3 / float(s[:-3])
            elif s.endswith("ns"):
                period = float(s[:-2])
            else:
                period = float(s)
        except (ValueError, ZeroDivisionError):
            raise FirmwareError(f"clock {text!r} is not a frequency (240MHz) or a period (4.2ns)") from None
    if not 0.5 <= period <= 100.0:
        raise FirmwareError(f"clock period {period:g} ns is outside 0.5-100 ns (2 GHz - 10 MHz)")
    return period


def next_cutoff(cutoff: float, worst_ns: float, period_ns: float, model: timing.DelayModel) -> float:
    """The cutoff whose stage logic would fill ``MARGIN`` of the period, from one try's worst stage: the logic
    delay (worst minus clock-to-out and setup) scales with the cutoff."""
    overhead = model.clk_to_out_ns + model.setup_ns + model.clock_uncertainty_ns
    logic = max(worst_ns - overhead, 1e-3)
    return max(0.25, cutoff * MARGIN * (period_ns - overhead) / logic)


def cut_for_clock(
    design: TriggerDesign, out: Path, period_ns: float, *, model: timing.DelayModel = timing.ULTRASCALE_PLUS_2L,
    latency_cutoff: float | None = None, max_tries: int = MAX_TRIES, nodsp: bool = True,
) -> PipelineChoice:  # fmt: skip
    """Write, synthesize and time the pipelined Verilog of ``design`` into ``out`` for a clock of ``period_ns``.

    ``latency_cutoff`` fixes da4ml's cutoff (one try, no search); else the search starts at one delay unit per
    nanosecond of the period (da4ml's own scale) and runs at most ``max_tries`` syntheses."""
    comb = rtl.trace(design)
    work = out.parent / f".{out.name}.tries"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    done: dict[int, tuple[PipelineTry, Path, rtl.RTLBuild, dict, timing.TimingEstimate]] = {}
    tries: list[PipelineTry] = []
    cutoff = float(latency_cutoff) if latency_cutoff is not None else period_ns
    for k in range(1 if latency_cutoff is not None else max_tries):
        path = work / f"try{k}"
        build = rtl.write_rtl(design, path, clock_period=period_ns, latency_cutoff=cutoff, comb=comb)
        if build.stages in done:  # this cut's stage count is timed already: the search has converged
            shutil.rmtree(path)
            break
        print(f"firmware: pipeline try {k + 1}: latency cutoff {cutoff:.3g} -> {build.stages} stages; Yosys ...",
              flush=True)  # fmt: skip
        syn = rtl.synthesize(build, nodsp=nodsp)
        est = timing.estimate(load_netlist(path / syn["netlist"], rtl.MODULE), model, clock_period_ns=period_ns)
        worst = est.min_period_ns
        t = PipelineTry(cutoff, build.stages, est.latency_cycles, round(worst, 4), round(est.fmax_mhz, 2),
                        est.meets(period_ns), syn["lut"])  # fmt: skip
        print(f"firmware: pipeline try {k + 1}: worst stage {worst:.3f} ns (fmax {est.fmax_mhz:.0f} MHz), "
              f"{'meets' if t.meets_clock else 'misses'} {period_ns:.3f} ns", flush=True)  # fmt: skip
        tries.append(t)
        done[build.stages] = (t, path, build, syn, est)
        cutoff = next_cutoff(cutoff, worst, period_ns, model)
    meeting = [v for v in done.values() if v[0].meets_clock]
    best = (min(meeting, key=lambda v: (v[0].stages, v[0].worst_stage_ns)) if meeting
            else min(done.values(), key=lambda v: v[0].worst_stage_ns))  # fmt: skip
    _, path, build, syn, est = best
    shutil.rmtree(out, ignore_errors=True)
    path.rename(out)
    shutil.rmtree(work, ignore_errors=True)
    build.path = out
    return PipelineChoice(build=build, yosys=syn, timing=est, tries=tries)
