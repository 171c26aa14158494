"""Cut the pipeline from a target clock: the stage cuts are placed by a nanosecond delay per operation, and the cut
is checked and tightened until the estimated timing of the synthesized netlist meets the clock.

da4ml pipelines by the latency it gives each operation, one unit per adder whatever its width and none for its
multiplexers and comparisons' sign logic; stages cut that way at 4.2 units varied from 0.8 to 9.7 ns on the embedded
model (measured). :func:`retime` replaces those latencies by the arrival time of each operation in the delay model
of :mod:`firmware.timing` (an adder: a LUT level, the carry chain of its width and its sum output; a multiplexer or
a bit operation: a LUT level; a bit slice: nothing), so da4ml's ``latency_cutoff`` is nanoseconds of logic per
stage. Each try writes the Verilog at one cutoff (seconds), synthesizes it with Yosys (the slow part) and estimates
the worst stage from the netlist; the first cutoff is the clock period less the register overhead, and the next one
scales the last so that the worst stage would just fill the period: a try that meets the clock is followed by a
looser one (fewer stages), one that misses by a tighter one; a try that meets the clock with its worst stage within
``MARGIN`` of it ends the search. A cut whose stage count was already synthesized is not synthesized again. The
result is the try that meets the clock with the fewest stages (then the fastest); when none does, the fastest one,
reported as missing the clock.
"""

from __future__ import annotations

import math
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path

from adtrigger.firmware import rtl, timing
from adtrigger.firmware.design import FirmwareError, TriggerDesign
from adtrigger.firmware.netlist import load_netlist

MAX_TRIES = 4  # syntheses per search: the proportional step lands within a stage after two or three
MARGIN = 0.92  # aim each new cut at 92 % of a stage's logic budget; a try that meets the clock within it is final


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


def op_delay_ns(op, model: timing.DelayModel) -> float:
    """The modelled delay of one da4ml operation (``da4ml.types.Op``) from its latest input to its output."""
    q = op.qint
    width = 1
    if q.step > 0 and q.max > q.min:
        span = max(abs(q.min), abs(q.max)) / q.step
        width = max(1, math.ceil(math.log2(span + 1)) + (q.min < 0))
    level = model.lut_level_ns
    code = abs(op.opcode)
    if op.opcode == -1 or code in (3, 5):  # an input, a bit slice (wrap/truncate), a constant: wires
        return 0.0
    if code in (0, 1, 4):  # addition, subtraction, constant addition: a LUT, the carry chain, the sum out
        return level + model.carry_entry_ns + (math.ceil(width / 4) - 1) * model.carry_ns + model.carry_sum_ns
    if code == 7:  # a multiplication: an array of width adders (the flow writes none: rtl.square)
        return width * (level + model.carry_entry_ns + model.carry_sum_ns)
    if code == 8:  # a lookup table: LUT6 levels for its input bits
        return level * max(1, math.ceil(math.log(max(width, 2), 6)))
    return level  # relu, multiplexer, bit operations: one LUT level


def retime(comb, model: timing.DelayModel = timing.ULTRASCALE_PLUS_2L):
    """``comb`` (a da4ml ``CombLogic``) with every operation's latency replaced by its modelled arrival time in ns
    (the latest of its operands' plus :func:`op_delay_ns`), so that da4ml's pipeline cut is a cut in nanoseconds."""
    ops, arrival = list(comb.ops), []
    for op in ops:
        srcs = [s for s in (op.id0, op.id1) if s >= 0] if op.opcode != -1 else []
        if abs(op.opcode) == 6:  # a multiplexer's key is an operand too
            srcs.append(op.data & 0xFFFFFFFF)
        arrival.append(max((arrival[s] for s in srcs), default=0.0) + op_delay_ns(op, model))
    return comb._replace(ops=[op._replace(latency=a) for op, a in zip(ops, arrival, strict=True)])


def stage_budget_ns(period_ns: float, model: timing.DelayModel) -> float:
    """The logic a stage may hold at ``period_ns``: the period less clock-to-out, setup and clock uncertainty."""
    return max(0.25, period_ns - model.clk_to_out_ns - model.setup_ns - model.clock_uncertainty_ns)


def next_cutoff(cutoff: float, worst_ns: float, period_ns: float, model: timing.DelayModel) -> float:
    """The cutoff whose stage logic would fill ``MARGIN`` of the period, from one try's worst stage: the logic
    delay (worst minus clock-to-out and setup) scales with the cutoff."""
    overhead = period_ns - stage_budget_ns(period_ns, model)
    logic = max(worst_ns - overhead, 1e-3)
    return max(0.1, cutoff * MARGIN * stage_budget_ns(period_ns, model) / logic)


def cut_for_clock(
    design: TriggerDesign, out: Path, period_ns: float, *, model: timing.DelayModel = timing.ULTRASCALE_PLUS_2L,
    latency_cutoff: float | None = None, max_tries: int = MAX_TRIES, nodsp: bool = True,
) -> PipelineChoice:  # fmt: skip
    """Write, synthesize and time the pipelined Verilog of ``design`` into ``out`` for a clock of ``period_ns``.

    ``latency_cutoff`` fixes the cutoff (ns of modelled logic per stage; one try, no search); else the search starts
    at :func:`stage_budget_ns` and runs at most ``max_tries`` syntheses."""
    comb = retime(rtl.trace(design), model)
    work = out.parent / f".{out.name}.tries"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    done: dict[int, tuple[PipelineTry, Path, rtl.RTLBuild, dict, timing.TimingEstimate]] = {}
    tries: list[PipelineTry] = []
    cutoff = float(latency_cutoff) if latency_cutoff is not None else stage_budget_ns(period_ns, model)
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
        if t.meets_clock and worst - (period_ns - stage_budget_ns(period_ns, model)) >= MARGIN * stage_budget_ns(
            period_ns, model
        ):
            break  # it meets the clock and fills it: a looser cut would miss it
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
