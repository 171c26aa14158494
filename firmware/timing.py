"""Estimated static timing of a synthesized netlist: the logic depth and delay of every pipeline stage, from a stated
delay model (docs/timing.md) instead of an assumed clock period. An estimate, not vendor timing.

Timing starts at register outputs (FD*, SRL*, LUTRAM) and at the top's input ports, which are taken as driven by a
register of the same clock outside, and ends at register inputs (data, enable, set/reset) and at output ports, taken
as captured by such a register. Between them: LUT1-6, MUXF7/8/9 and the carry chain (CARRY4/CARRY8, bit by bit).
IBUF/OBUF/BUFG and INV are wires: Vivado absorbs an inverter into the logic downstream or pushes it into its driver
(UG904, "Retargeting"), so Yosys's INV cells add no level. A register's stage is the number of registers on the
longest register path from the inputs to it, so a path belongs to the stage of its end register and a path to an
output port to the stage after the last register.
"""

from __future__ import annotations

import math
import re
from collections import deque
from dataclasses import asdict, dataclass, field

from adtrigger.firmware.design import FirmwareError
from adtrigger.firmware.netlist import CARRY, FF, LUTRAM, SRL, Bit, Netlist

NEG = -math.inf


@dataclass(frozen=True)
class DelayModel:
    """Delays (ns) of one family and speed grade; ``source`` says where every number comes from."""

    name: str
    family: str
    part: str
    speed_grade: str
    lut_ns: float  # one LUT, input to output, slowest pin seen
    net_ns: float  # one routed net between slices (the weakest number: placement decides it)
    net_high_fanout_ns: float  # a routed net with more than ``high_fanout`` loads
    high_fanout: int
    local_net_ns: float  # a net inside the slice: LUT -> its carry S/DI, its MUXF7 or its FF; carry -> its FF
    carry_entry_ns: float  # S/DI/CYINIT -> CO/O of the element a path enters the chain at
    carry_ns: float  # CI -> CO of one carry element, with the dedicated CO -> CI net to the next
    carry_sum_ns: float  # CI -> O, the sum output of the element a path leaves the chain at
    muxf_ns: float  # MUXF7/F8/F9, any input to O
    clk_to_out_ns: float  # FF C -> Q
    setup_ns: float  # FF D/CE/SR setup
    srl_clk_to_out_ns: float  # SRL / LUTRAM CLK -> O
    srl_setup_ns: float  # SRL / LUTRAM D, WE, write address setup
    clock_uncertainty_ns: float  # jitter Vivado subtracts from every setup path
    clock_fmax_mhz: float  # the global clock tree's limit
    source: str

    @property
    def lut_level_ns(self) -> float:
        """One LUT level with its routed input net: the unit a path's depth is counted in."""
        return self.lut_ns + self.net_ns


# Virtex UltraScale+ VU9P, -2L at VCCINT 0.85 V, which shares the -2 column of DS923. Every number and its source is
# in docs/timing.md; in short: "-2" = Vivado 2020.1 routed path reports of xcvu3p-ffvc1517-2 (RapidWright docs),
# "-1" = Vivado 2021.2 routed reports of xczu3eg-sbva484-1 (gussmith23/lakeroad-evaluation), used where no -2
# number was found (they are slower, so conservative), "RW" = RapidWright's UltraScale+ intra-site delay model.
ULTRASCALE_PLUS_2L = DelayModel(
    name="xcup-2L-v1",
    family="Virtex UltraScale+",
    part="xcvu9p-flga2104-2L-e",
    speed_grade="-2L (VCCINT 0.85 V)",
    lut_ns=0.125,  # -2: 10 LUTs on two routed paths 0.037-0.124; -1: 94 LUTs mean 0.120, p90 0.178; RW A1->O6 0.150
    net_ns=0.25,  # assumption: -2 routed nets (fo<=19) 0.050-0.300, mean 0.161; -1 (81, fo<=16) mean 0.211
    net_high_fanout_ns=0.50,  # -2: fo=21 0.523, fo=324 0.472; -1 (35 nets, fo>16): mean 0.470, median 0.380
    high_fanout=16,
    local_net_ns=0.06,  # -2: LUT->FF 0.051, LUT->S 0.010/0.025; -1: LUT->FF 0.058, LUT->F7 0.009
    carry_entry_ns=0.20,  # -2: S[2]->CO[7] 0.155, S[3]->CO[7] 0.163, x1.19 for an entry at bit 0/1 (-1 ratio)
    carry_ns=0.07,  # -2: CI->CO[1] 0.042 + COUT->CIN net 0.026; -1: CI->CO[7] 0.023-0.030 + 0.028
    carry_sum_ns=0.13,  # -1: CI->O[0] 0.072, O[4] 0.109, O[6] 0.129 (no -2 number found)
    muxf_ns=0.082,  # -1: MUXF7 I1->O 0.082; RW F7MUX 0.070-0.077; F8/F9 taken equal (assumption)
    clk_to_out_ns=0.081,  # -2: Prop_DFF2_SLICEL_C_Q 0.081, Prop_DFF_SLICEM_C_Q 0.078
    setup_ns=0.025,  # -2: Setup_HFF_SLICEL_C_D 0.025 (CE: -0.061); -1: 0.027
    srl_clk_to_out_ns=0.312,  # RW: LUT as memory CLK->O6 312 ps
    srl_setup_ns=0.18,  # RW: LUT as memory CLK->WE 180 ps, DI 69-81 ps, WA 86-117 ps (worst taken)
    clock_uncertainty_ns=0.035,  # Vivado's default on all these reports: ((TSJ^2+TIJ^2)^1/2+DJ)/2 with TSJ 0.071
    clock_fmax_mhz=775.0,  # global clock tree (BUFG) FMAX at -2, 0.85 V (UltraScale+ data sheets, DS922/DS925)
    source=(
        "docs/timing.md: Vivado routed timing reports of Virtex UltraScale+ xcvu3p -2 (RapidWright docs, "
        "ReportTimingExample and RWRoute timing-driven routing pages) and Zynq UltraScale+ xczu3eg -1 "
        "(github.com/gussmith23/lakeroad-evaluation @4efb342); RapidWright timing/ultrascaleplus/"
        "intrasite_delay_terms.txt; DS923 (speed-grade columns), DS922/DS925 (clock tree FMAX); UG904 (inverters)"
    ),
)

FF_TYPE, SRL_TYPE, LUTRAM_TYPE, CARRY_TYPE = FF, SRL, LUTRAM, CARRY  # the cell classes of firmware.netlist
LUT_TYPE = re.compile(r"^LUT[1-6]$")  # single-output LUTs: the pass times pin O
MUXF_TYPE = re.compile(r"^MUXF[789]$")
WIRE_TYPES = {"IBUF", "IBUFG", "OBUF", "BUF", "BUFG", "BUFGCE", "BUFH", "INV"}
CONST_TYPES = {"GND", "VCC"}
CLOCK_PINS = {"C", "CLK", "WCLK", "G"}
LUTRAM_READ = re.compile(r"^(A\d*|ADDR[A-H]|DPRA\d*|RADR\d*)$")  # address pins whose value is read combinationally
LUTRAM_READ_ONLY = re.compile(r"^(ADDR[A-G]|DPRA\d*|RADR\d*)$")  # read addresses that no write uses


@dataclass(frozen=True)
class EndpointTiming:
    """The worst path into one register input or output port."""

    stage: int
    delay_ns: float  # launch clock-to-out + logic + nets + setup + clock uncertainty
    lut_levels: int
    carry_elements: int
    muxes: int
    start: str
    end: str


@dataclass(frozen=True)
class StageTiming:
    """The worst path of one pipeline stage."""

    stage: int
    delay_ns: float
    lut_levels: int
    carry_elements: int
    muxes: int
    start: str
    end: str
    endpoints: int  # how many register inputs / output ports the stage ends at
    path: str = ""  # the cell types along the worst path, repeats counted ("FDRE LUT2 CARRY4x6 ...")

    @property
    def fmax_mhz(self) -> float:
        return 1000.0 / self.delay_ns


@dataclass
class TimingEstimate:
    """Per-stage worst paths, the fmax of the slowest stage and the port-to-port latency of one netlist."""

    model: str
    part: str
    stages: list[StageTiming]
    critical_stage: int
    fmax_mhz: float  # 1000 / the slowest stage's delay
    latency_cycles: int | None  # registers from the input to the output ports, the longest path
    latency_min_cycles: int | None  # the shortest; equal to latency_cycles when every input->output path agrees
    clock_period_ns: float | None = None
    clock_fmax_mhz: float = math.inf  # the clock tree's limit, from the model
    feedback: bool = False  # registers in a loop: their stage is counted from where the loop was cut
    cells: int = 0
    endpoints: list[EndpointTiming] = field(default_factory=list, repr=False)

    @property
    def min_period_ns(self) -> float:
        return 1000.0 / self.fmax_mhz

    @property
    def latency_uniform(self) -> bool:
        return self.latency_cycles == self.latency_min_cycles

    def latency_ns(self, period: float | None = None) -> float | None:
        """Port-to-port latency at ``period`` (default: the clock the estimate was made for, else its own minimum)."""
        if self.latency_cycles is None:
            return None
        return self.latency_cycles * (period or self.clock_period_ns or self.min_period_ns)

    def meets(self, period_ns: float) -> bool:
        """Every stage fits in ``period_ns``, and the clock tree runs that fast."""
        return self.min_period_ns <= period_ns and 1000.0 / period_ns <= self.clock_fmax_mhz

    def to_json(self, *, endpoints: bool = False) -> dict:
        out = {
            "kind": "estimate, not vendor timing",
            "model": self.model,
            "part": self.part,
            "fmax_mhz": round(self.fmax_mhz, 1),
            "min_period_ns": round(self.min_period_ns, 3),
            "clock_fmax_mhz": self.clock_fmax_mhz,
            "critical_stage": self.critical_stage,
            "latency_cycles": self.latency_cycles,
            "latency_min_cycles": self.latency_min_cycles,
            "clock_period_ns": self.clock_period_ns,
            "latency_ns": None if self.latency_ns() is None else round(self.latency_ns(), 3),
            "meets_clock": None if self.clock_period_ns is None else self.meets(self.clock_period_ns),
            "feedback": self.feedback,
            "cells": self.cells,
            "stages": [asdict(s) | {"delay_ns": round(s.delay_ns, 3)} for s in self.stages],
        }
        if endpoints:
            out["endpoints"] = [asdict(e) for e in self.endpoints]
        return out

    def describe(self) -> str:
        """One line for a report: the slowest stage, fmax and latency, marked as an estimate with its model."""
        s = next(st for st in self.stages if st.stage == self.critical_stage)
        cap = f" (clock tree limit {self.clock_fmax_mhz:.0f} MHz)" if self.fmax_mhz > self.clock_fmax_mhz else ""
        if self.latency_cycles is None:
            lat = "no path from the input to the output ports"
        else:
            span = "" if self.latency_uniform else f" (shortest path {self.latency_min_cycles})"
            at = self.clock_period_ns or self.min_period_ns
            lat = f"latency {self.latency_cycles} cycles port to port{span} = {self.latency_ns(at):.1f} ns at {at:g} ns"
            if self.clock_period_ns is not None and not self.meets(self.clock_period_ns):
                own = max(self.min_period_ns, 1000.0 / self.clock_fmax_mhz)
                lat += f", a clock it does not meet ({self.latency_ns(own):.1f} ns at {own:.3g} ns)"
        return (
            f"Timing (estimate, not vendor timing; delay model {self.model}, {self.part}): slowest stage "
            f"{s.stage} of {len(self.stages)}: {s.delay_ns:.3f} ns ({s.lut_levels} LUT levels, {s.carry_elements} "
            f"carry elements, {s.muxes} muxes), fmax {self.fmax_mhz:.0f} MHz{cap}; {lat}."
        )


class _Graph:
    """The netlist as a timing graph over net bits, with wires (buffers, inverters) merged into their input net."""

    def __init__(self, netlist: Netlist, model: DelayModel) -> None:
        self.netlist, self.model = netlist, model
        cells = netlist.cells
        unknown = sorted({c.type for c in cells if _kind(c.type) is None})
        if unknown:
            raise FirmwareError(
                f"no delay model for cell types {unknown} in {netlist.path}: the estimate covers LUT, carry, MUXF, "
                "FF, SRL and LUTRAM logic (synthesize with -nodsp and without block RAM, or read Vivado's timing)"
            )
        nbits = 2 + max(
            [b for c in cells for bits in c.pins.values() for b in bits if isinstance(b, int)]
            + [b for _, bits in netlist.ports.values() for b in bits if isinstance(b, int)],
            default=0,
        )
        self.nbits = nbits
        alias: list[Bit] = list(range(nbits))
        for c in cells:
            if c.type in WIRE_TYPES:
                for i, o in zip(c.pins["I"], c.pins["O"], strict=True):
                    if isinstance(o, int):
                        alias[o] = i
        self.alias = alias
        # driver kind per canonical bit, fanout (load pins, clock pins apart) and the cells as kinds
        self.driver: list[str | None] = [None] * nbits
        self.fanout = [0] * nbits
        self.kinds = [_kind(c.type) for c in cells]
        for c, kind in zip(cells, self.kinds, strict=True):
            if kind in ("wire", "const"):
                continue
            for pin, d in c.directions.items():
                for b in c.pins[pin]:
                    if not isinstance(b, int):
                        continue
                    if d == "output":
                        self.driver[b] = kind
                    elif pin not in CLOCK_PINS and isinstance(cb := self.canon(b), int):
                        self.fanout[cb] += 1
        for direction, bits in netlist.ports.values():
            for b in bits:
                if isinstance(b, int) and isinstance(cb := self.canon(b), int):
                    if direction == "input":
                        self.driver[cb] = self.driver[cb] or "port"
                    else:
                        self.fanout[cb] += 1

    def canon(self, b: Bit) -> Bit:
        """The net a bit stands for once wires are merged (a constant stays a constant)."""
        while isinstance(b, int) and self.alias[b] != b:
            b = self.alias[b]
        return b

    def net(self, src: int, sink_kind: str, pin: str) -> tuple[float, int]:
        """(delay, LUT levels) of the net from ``src`` into one load pin: dedicated, inside the slice, or routed."""
        m, drv, fo = self.model, self.driver[src], self.fanout[src]
        base = pin.rstrip("0123456789")
        if sink_kind == "carry" and base in ("CI", "CI_TOP") and drv == "carry":
            return 0.0, 0  # the dedicated COUT -> CIN wire: in carry_ns
        if fo == 1 and (
            (sink_kind == "ff" and pin == "D" and drv in ("lut", "muxf", "carry"))
            or (sink_kind == "carry" and base in ("S", "DI") and drv == "lut")
            or (sink_kind == "muxf" and base == "I" and drv in ("lut", "muxf"))
        ):
            return m.local_net_ns, 0
        routed = m.net_ns if fo <= m.high_fanout else m.net_high_fanout_ns
        if sink_kind == "carry" and base == "S" and drv not in ("lut", "muxf"):
            return routed + m.lut_ns, 1  # S is fed by the slice's LUT only: a route-through LUT
        return routed, 0


def _is_data_pin(kind: str, pin: str) -> bool:
    """The pins whose value a register stores: a flip-flop's D and its synchronous controls (Yosys maps logic onto
    R/S/CE too, so the register holds what arrives there; its stage counts them), an SRL's or LUTRAM's data in."""
    if kind == "ff":
        return pin not in CLOCK_PINS
    return pin == "D" or pin.startswith("DI")


def _kind(cell_type: str) -> str | None:
    if cell_type in WIRE_TYPES:
        return "wire"
    if cell_type in CONST_TYPES:
        return "const"
    for kind, rx in (
        ("ff", FF_TYPE), ("srl", SRL_TYPE), ("lutram", LUTRAM_TYPE), ("lut", LUT_TYPE), ("muxf", MUXF_TYPE),
        ("carry", CARRY_TYPE),
    ):  # fmt: skip
        if rx.match(cell_type):
            return kind
    return None


def _srl_depth(pins: dict[str, list[Bit]], out: str) -> tuple[int, int]:
    """(shortest, longest) number of clocks from D to this SRL output: the constant address + 1."""
    if out in ("Q15", "Q31"):
        n = int(out[1:]) + 1
        return n, n
    addr = pins["A"] if "A" in pins else [pins[f"A{k}"][0] for k in range(4) if f"A{k}" in pins]
    if all(b in ("0", "1", "x") for b in addr):
        n = 1 + sum(1 << k for k, b in enumerate(addr) if b == "1")
        return n, n
    return 1, 1 << len(addr)  # a variable tap


def _carry_arcs(pins: dict[str, list[Bit]], ctype: str):
    """(input pin, position, output pin, position) for every arc of a carry cell, bit by bit."""
    width = len(pins.get("CO", [])) or len(pins.get("O", []))
    for j in range(width):
        for i in range(j + 1):
            for src in ("S", "DI"):
                if i < len(pins.get(src, [])):
                    yield src, i, "CO", j
                    if src == "S" or i < j:
                        yield src, i, "O", j
        for cin in ("CI", "CYINIT") + (("CI_TOP",) if ctype == "CARRY8" and j >= 4 else ()):
            if cin in pins:
                yield cin, 0, "CO", j
                yield cin, 0, "O", j


def _build(g: _Graph):
    """The arcs of the timing graph: combinational ``succ[bit]`` = (dst, ns, LUT levels, carry elements, muxes),
    register ``reg_succ[bit]`` = (dst, depth lo, depth hi) from a data input to the output, the ``sinks`` =
    (bit, ns into the pin + setup + uncertainty, LUT levels, cell index or -1 for a port, pin or port name), the
    ``launches`` = (bit, clock-to-out), and the input and output port bits."""
    m, cells, n = g.model, g.netlist.cells, g.nbits
    succ: list[list[tuple[int, float, int, int, int]]] = [[] for _ in range(n)]
    reg_succ: list[list[tuple[int, int, int]]] = [[] for _ in range(n)]
    sinks: list[tuple[int, float, int, int, str]] = []
    launches: list[tuple[int, float]] = []
    for ci, (c, kind) in enumerate(zip(cells, g.kinds, strict=True)):
        if kind in ("wire", "const"):
            continue
        pins = c.pins
        inputs = {p: [g.canon(b) for b in bits] for p, bits in pins.items() if c.directions[p] == "input"}
        if kind in ("lut", "muxf"):
            (o,) = pins["O"]
            if not isinstance(o, int):
                continue
            cell_ns = m.lut_ns if kind == "lut" else m.muxf_ns
            for p, bits in inputs.items():
                for b in bits:
                    if isinstance(b, int):
                        ns, lv = g.net(b, kind, p)
                        succ[b].append((o, ns + cell_ns, lv + (kind == "lut"), 0, int(kind == "muxf")))
        elif kind == "carry":
            for p, i, q, j in _carry_arcs(pins, c.type):
                b, o = inputs[p][i], pins[q][j]
                if not (isinstance(b, int) and isinstance(o, int)):
                    continue
                ns, lv = g.net(b, "carry", p)
                if p in ("CI", "CI_TOP") and g.driver[b] == "carry":
                    ns += m.carry_ns if q == "CO" else m.carry_sum_ns
                else:
                    ns += m.carry_entry_ns
                succ[b].append((o, ns, lv, 1, 0))
        else:  # ff, srl, lutram: sequential
            data = [b for p in inputs if _is_data_pin(kind, p) for b in inputs[p] if isinstance(b, int)]
            setup = m.setup_ns if kind == "ff" else m.srl_setup_ns
            for p, bits in inputs.items():
                if p in CLOCK_PINS or (kind == "lutram" and LUTRAM_READ_ONLY.match(p)):
                    continue
                for b in bits:
                    if isinstance(b, int):
                        ns, lv = g.net(b, kind, p)
                        sinks.append((b, ns + setup + m.clock_uncertainty_ns, lv, ci, p))
            for q in c.outputs():
                lo, hi = _srl_depth(pins, q) if kind == "srl" else (1, 1)
                for o in pins[q]:
                    if not isinstance(o, int):
                        continue
                    launches.append((o, m.clk_to_out_ns if kind == "ff" else m.srl_clk_to_out_ns))
                    for b in data:
                        reg_succ[b].append((o, lo, hi))
                    if kind == "lutram":  # the asynchronous read
                        for p, bits in inputs.items():
                            for b in bits if LUTRAM_READ.match(p) else ():
                                if isinstance(b, int):
                                    ns, lv = g.net(b, "lut", p)
                                    succ[b].append((o, ns + m.lut_ns, lv + 1, 0, 0))
    port_in: list[int] = []
    port_out: list[int] = []
    for name, (direction, bits) in g.netlist.ports.items():
        for k, b in enumerate(bits):
            cb = g.canon(b)
            if not isinstance(cb, int):
                continue
            if direction == "input":
                port_in.append(cb)
                launches.append((cb, m.clk_to_out_ns))  # a register of the same clock outside drives it
            else:
                ns = (m.net_ns if g.fanout[cb] <= m.high_fanout else m.net_high_fanout_ns) + m.setup_ns
                sinks.append((cb, ns + m.clock_uncertainty_ns, 0, -1, name if len(bits) == 1 else f"{name}[{k}]"))
                port_out.append(cb)
    return succ, reg_succ, sinks, launches, port_in, port_out


def estimate(
    netlist: Netlist, model: DelayModel = ULTRASCALE_PLUS_2L, clock_period_ns: float | None = None
) -> TimingEstimate:
    """Static timing of the flattened netlist under ``model``: worst path per endpoint, grouped by pipeline stage.

    Returns a :class:`TimingEstimate`; FirmwareError for a cell type the model has no delays for, or a
    combinational loop."""
    g = _Graph(netlist, model)
    cells, n = netlist.cells, g.nbits
    succ, reg_succ, sinks, launches, port_in, port_out = _build(g)
    arr, start = [NEG] * n, [-1] * n
    for b, t in launches:
        arr[b], start[b] = max(arr[b], t), b
    lut, car, mux, pred = [0] * n, [0] * n, [0] * n, [-1] * n
    order = _topological(succ, n)
    for u in order:
        if arr[u] == NEG:
            continue
        au, lu, cu, mu, su = arr[u], lut[u], car[u], mux[u], start[u]
        for v, d, dl, dc, dm in succ[u]:
            if au + d > arr[v]:
                arr[v], lut[v], car[v], mux[v], start[v], pred[v] = au + d, lu + dl, cu + dc, mu + dm, su, u

    stage_of, lat_lo, lat_hi, feedback = _stages(succ, reg_succ, n, port_in, [b for b, _ in launches])

    def reg_stage(ci: int) -> int:
        c = cells[ci]
        kind = g.kinds[ci]
        data = [g.canon(b) for p, bits in c.pins.items() if c.directions[p] == "input" and _is_data_pin(kind, p)
                for b in bits]  # fmt: skip
        return 1 + max([stage_of[b] for b in data if isinstance(b, int)], default=0)

    cell_stage: dict[int, int] = {}
    raw = []
    for b, ns, lv, ci, pin in sinks:
        if arr[b] == NEG:
            continue  # a constant-driven or undriven input
        if ci >= 0 and ci not in cell_stage:
            cell_stage[ci] = reg_stage(ci)
        st = stage_of[b] + 1 if ci < 0 else cell_stage[ci]
        raw.append((st, arr[b] + ns, lut[b] + lv, car[b], mux[b], start[b], ci, pin, b))
    if not raw:
        raise FirmwareError(f"no timing path in {netlist.path}: no register input or output port is driven")

    names = _names(netlist, g, {r[5] for r in raw}, [cells[ci] for ci in {r[6] for r in raw if r[6] >= 0}])
    endpoints = [
        EndpointTiming(st, d, lv, cc, mx, names.get(s, f"bit {s}"), _end_name(cells, ci, pin, names))
        for st, d, lv, cc, mx, s, ci, pin, _ in raw
    ]
    worst: dict[int, int] = {}
    counts: dict[int, int] = {}
    for k, e in enumerate(endpoints):
        counts[e.stage] = counts.get(e.stage, 0) + 1
        if e.stage not in worst or e.delay_ns > endpoints[worst[e.stage]].delay_ns:
            worst[e.stage] = k
    drivers = netlist.drivers
    ordered = [
        StageTiming(
            **asdict(endpoints[k]),
            endpoints=counts[st],
            path=_path(raw[k][8], pred, drivers, cells, endpoints[k].lut_levels),
        )
        for st, k in sorted(worst.items())
    ]
    slowest = max(ordered, key=lambda s: s.delay_ns)
    reach_out = [b for b in port_out if lat_hi[b] >= 0]
    return TimingEstimate(
        model=model.name, part=model.part, stages=ordered, critical_stage=slowest.stage,
        fmax_mhz=1000.0 / slowest.delay_ns,
        latency_cycles=max((lat_hi[b] for b in reach_out), default=None),
        latency_min_cycles=min((lat_lo[b] for b in reach_out), default=None),
        clock_period_ns=clock_period_ns, clock_fmax_mhz=model.clock_fmax_mhz, feedback=feedback, cells=len(cells),
        endpoints=endpoints,
    )  # fmt: skip


def _topological(succ: list[list[tuple]], n: int) -> list[int]:
    """Kahn's order of the combinational graph; FirmwareError on a combinational loop."""
    indeg = [0] * n
    for arcs in succ:
        for a in arcs:
            indeg[a[0]] += 1
    queue = deque(u for u in range(n) if indeg[u] == 0)
    order: list[int] = []
    while queue:
        u = queue.popleft()
        order.append(u)
        for a in succ[u]:
            v = a[0]
            indeg[v] -= 1
            if indeg[v] == 0:
                queue.append(v)
    if len(order) < n:
        raise FirmwareError(f"combinational loop through {n - len(order)} net bits: no static timing")
    return order


def _stages(succ, reg_succ, n: int, port_in: list[int], sources: list[int]):
    """Register counts per net bit: the longest from any start (the stage), and the longest and shortest from the
    input ports (the latency; -1 where no input reaches). A register loop is cut at its first waiting register."""
    indeg = [0] * n
    for arcs in (succ, reg_succ):
        for lst in arcs:
            for a in lst:
                indeg[a[0]] += 1
    stage, hi, lo = [0] * n, [-1] * n, [1 << 30] * n
    for b in port_in:
        hi[b] = lo[b] = 0
    queue = deque(u for u in range(n) if indeg[u] == 0)
    done = [False] * n
    cut, feedback = 0, False
    remaining = n
    while remaining:
        if not queue:
            while cut < len(sources) and done[sources[cut]]:
                cut += 1
            if cut == len(sources):
                break
            queue.append(sources[cut])
            feedback = True
        u = queue.popleft()
        if done[u]:
            continue
        done[u] = True
        remaining -= 1
        su, hu, lu = stage[u], hi[u], lo[u]
        for arcs, reg in ((succ[u], False), (reg_succ[u], True)):
            for a in arcs:
                v, wlo, whi = (a[0], a[1], a[2]) if reg else (a[0], 0, 0)
                stage[v] = max(stage[v], su + whi)
                if hu >= 0:
                    hi[v] = max(hi[v], hu + whi)
                    lo[v] = min(lo[v], lu + wlo)
                indeg[v] -= 1
                if indeg[v] == 0 and not done[v]:
                    queue.append(v)
    return stage, lo, hi, feedback


def _names(netlist: Netlist, g: _Graph, bits: set[int], end_cells: list) -> dict[int, str]:
    """Readable names for the start bits and the output bits of the end cells, looked up on every net merged into
    them (a register's Q is often named by the port its OBUF drives)."""
    want = set(bits)
    for c in end_cells:
        want.update(b for q in c.outputs() for b in c.pins[q] if isinstance(b, int))
    merged = {b: cb for b in range(g.nbits) if (cb := g.canon(b)) in want}
    labels = netlist.bit_names(set(merged))
    for name, (_, pbits) in netlist.ports.items():
        for k, b in enumerate(pbits):
            if b in merged:
                labels[b] = name if len(pbits) == 1 else f"{name}[{k}]"
    names: dict[int, str] = {}
    for b, label in labels.items():
        cb = merged[b]
        if cb not in names or _rank(label) < _rank(names[cb]):
            names[cb] = label
    return names


def _rank(label: str) -> tuple[bool, int, int]:
    return label.startswith("$"), label.count("."), len(label)


def _path(b: int, pred: list[int], drivers: dict, cells, lut_levels: int) -> str:
    """The cell types driving the worst path into ``b``, from its start, repeats counted, with the route-through LUTs
    the estimate added where a carry S pin is fed by something other than a LUT."""
    types = []
    while b >= 0:
        types.append(cells[drivers[b][0]].type if b in drivers else "port")
        b = pred[b]
    runs: list[list] = []
    for t in reversed(types):
        if runs and runs[-1][0] == t:
            runs[-1][1] += 1
        else:
            runs.append([t, 1])
    text = " ".join(t if k == 1 else f"{t}x{k}" for t, k in runs)
    through = lut_levels - sum(1 for t in types if LUT_TYPE.match(t))
    return text + (f" (+{through} route-through LUTs into carry S)" if through else "")


def _end_name(cells, ci: int, pin: str, names: dict[int, str]) -> str:
    if ci < 0:
        return pin  # the output port's name
    c = cells[ci]
    q = next((b for p in c.outputs() for b in c.pins[p] if isinstance(b, int)), None)
    kind = "" if FF_TYPE.match(c.type) else f" ({c.type})"
    return f"{names.get(q, c.name) if q is not None else c.name}/{pin}{kind}"
