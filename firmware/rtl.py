"""Step 3, RTL with open tools: da4ml Verilog of the whole trigger, Verilator simulation, Yosys resources.

da4ml traces the HGQ2 encoder (its ``keras`` plugin) from symbolic fixed-point inputs; the flow traces the
preprocessing, the grouped sum mu^2, score quantization and one comparator per seed of the threshold ladder around
it the same way, so the Verilog computes exactly what :mod:`firmware.design` describes, inputs in int16 hardware
counts. Outputs, in order: the raw score in ``WORD_BITS``-bit words (least significant first), one bit per seed
(bit k = seed k) and the overflow bit. ``latency_cutoff``
(da4ml's delay units per stage) sets the pipelining; the latency is the number of stages at the target clock.

Debian's Verilator 5.006 needs four fixes (FACTS.md and here): its lint has no WIDTHTRUNC/WIDTHEXPAND codes (mapped
to WIDTH); it refuses da4ml's unsized binary constants wider than 32 bits (sized here); ``--build`` leaves the
runtime uncompiled (``verilated.o``/``verilated_threads.o`` are built and archived into ``libverilated.a`` here);
and the binder needs ``-I<verilator>/include``.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from functools import reduce
from pathlib import Path

import numpy as np

from adtrigger.bundle.ladder import pack_bits
from adtrigger.firmware.convert import PART
from adtrigger.firmware.design import FirmwareError, TriggerDesign
from adtrigger.firmware.tools import require, run_tool

MODULE = "trigger"
WORD_BITS = 30  # score bits per simulation output word
# da4ml writes each square mu^2 as a general multiplier of one wire by itself; firmware/verilog/squarer.v computes
# it with half the partial products (Yosys -nodsp, 14-bit signed: 168 LUT + 45 CARRY4 against 465 LUT), and
# tests/test_rtl_squarer.py proves the two equal with Yosys's SAT solver
SQUARE_MUL = re.compile(r"multiplier #\((\d+), \1, ([01]), \2, (\d+)\) (\w+) \(([\w\[\]:]+), \5, ")
SQUARER_V = Path(__file__).parent / "verilog" / "squarer.v"
UNSIZED_BINARY = re.compile(r"(?<![\w'])'b([01]+)\b")
VERILATOR_INCLUDE = Path("/usr/share/verilator/include")
# LUTs as the L1 budget counts them: logic LUTs, shift-register LUTs (SRL) and distributed RAM (LUTRAM; not RAMB)
LUT_CELL = re.compile(r"^\s*(LUT[1-6]|SRLC?\d+E|RAM(?!B)\w+)\s+(\d+)\s*$", re.M)
FF_CELL = re.compile(r"^\s*(FD[A-Z]*)\s+(\d+)\s*$", re.M)
DSP_CELL = re.compile(r"^\s*(DSP48E\d?)\s+(\d+)\s*$", re.M)
CARRY_CELL = re.compile(r"^\s*(CARRY\d)\s+(\d+)\s*$", re.M)


@dataclass
class RTLBuild:
    """The written RTL project and what da4ml says about it."""

    path: Path
    model: object  # da4ml RTLModel
    stages: int
    clock_period: float
    da4ml_cost: float  # da4ml's own LUT-equivalent estimate
    reg_bits: int

    @property
    def latency_ns(self) -> float:
        return self.stages * self.clock_period


def trace(design: TriggerDesign):
    """da4ml ``CombLogic`` of the trigger: (n,) int16 counts -> [raw score in 30-bit words, seed bits, overflow]."""
    from da4ml.converter import trace_model
    from da4ml.trace import FixedVariableArray, HWConfig, comb_trace

    n = design.n_inputs
    hw = FixedVariableArray.from_kif(
        np.ones(n, int), np.full(n, 15), np.zeros(n, int), HWConfig(1, -1, -1), solver_options={"hard_dc": 2}
    )
    x = (hw - design.offset_hw.astype(float)) * np.ldexp(1.0, -design.shift_total)
    try:
        _, mu = trace_model(design.encoder, inputs=x)
    except Exception as err:  # the tracer raises plain exceptions for layers it cannot map
        raise FirmwareError(f"da4ml cannot trace the encoder of {design.bundle}: {err}") from None
    st = design.score_type
    s = FixedVariableArray(np.array([grouped_mu2(mu, design)]), hw.solver_options)
    s = s.quantize(k=0, i=int(st["integer"]), f=int(st["fraction"]), overflow_mode="SAT", round_mode="TRN")
    out_of_range = (hw > design.hw_hi.astype(float)) | (hw < design.hw_lo.astype(float))
    ovf = reduce(lambda a, b: a | b, list(out_of_range))
    ovf = FixedVariableArray(np.array([ovf]), hw.solver_options)
    top = np.ldexp(float(design.score_max_raw), -int(st["fraction"]))
    score = np.where(ovf, top, s)
    # one comparator per seed, loosest first (bit k = seed k): da4ml's >= is a subtraction and its sign bit
    bits = [score >= np.ldexp(float(seed["raw"]), -int(st["fraction"])) for seed in design.seeds]
    raw = score * np.ldexp(1.0, int(st["fraction"]))  # the raw integer, a free shift
    words = [  # WORD_BITS-bit slices, least significant first: da4ml's simulation binder moves int32 per output
        (raw * np.ldexp(1.0, -WORD_BITS * j)).quantize(k=0, i=WORD_BITS, f=0, overflow_mode="WRAP", round_mode="TRN")
        for j in range(n_words(design))
    ]
    parts = [w._vars for w in words] + [b._vars for b in bits] + [ovf._vars]
    return comb_trace(hw, FixedVariableArray(np.concatenate(parts), hw.solver_options))


def grouped_mu2(mu, design: TriggerDesign):
    """The traced score (one da4ml ``FixedVariable``): max over groups of scale sum q(m(mu_d))^2, with m = relu for
    one-sided groups and q the group's saturating cast where it has one; da4ml keeps every product and sum exact, a
    power of two is a free shift and the 8-bit mantissa of a scale a few shifted adds."""
    scores = []
    for g in design.score_groups:
        m = mu[g.start : g.stop]
        if g.one_sided:
            m = m.relu()
        if g.clipped:  # latent_score.cast_mu: floor onto 2^-frac_bits and saturate, as ap_fixed's AP_TRN, AP_SAT
            m = m.quantize(int(not g.one_sided), g.int_bits, g.frac_bits, overflow_mode="SAT", round_mode="TRN")
        t = np.sum(m**2)
        scores.append(t * g.scale if g.scale != 1.0 else t)
    return reduce(lambda a, b: a.max_of(b), scores)


def n_words(design: TriggerDesign) -> int:
    """How many WORD_BITS-bit outputs carry the score."""
    return -(-int(design.score_type["width"]) // WORD_BITS)


def use_squarers(verilog: str) -> str:
    """``verilog`` with each ``multiplier`` whose two operands are one and the same wire replaced by ``squarer``."""
    return SQUARE_MUL.sub(lambda m: f"squarer #({m[1]}, {m[2]}, {m[3]}) {m[4]} ({m[5]}, ", verilog)


def write_rtl(design: TriggerDesign, out: Path, *, clock_period: float = 5.0, latency_cutoff: float = 2.0) -> RTLBuild:
    """Trace and write the pipelined Verilog project into ``out``."""
    from da4ml.codegen import RTLModel

    comb = trace(design)
    model = RTLModel(
        comb, MODULE, out, flavor="verilog", latency_cutoff=latency_cutoff, clock_period=clock_period, part_name=PART
    )
    model.write({"bundle": design.name, "namespace": design.namespace, "threshold_raw": design.threshold["raw"],
                 "seeds": [{"bit": k, "name": s["name"], "raw": s["raw"]} for k, s in enumerate(design.seeds)]})
    for v in (out / "src").rglob("*.v"):
        text = v.read_text()
        # Verilator 5.006 knows WIDTH, not its later WIDTHTRUNC/WIDTHEXPAND split, and refuses unsized binary
        # constants wider than 32 bits (da4ml writes 'b... for wide constants): size them by their digit count
        fixed = text.replace("WIDTHTRUNC", "WIDTH").replace("WIDTHEXPAND", "WIDTH")
        fixed = UNSIZED_BINARY.sub(lambda m: f"{len(m.group(1))}'b{m.group(1)}", fixed)
        fixed = use_squarers(fixed)
        if fixed != text:
            v.write_text(fixed)
    shutil.copy(SQUARER_V, out / "src" / "static" / SQUARER_V.name)
    meta = json.loads((out / "metadata.json").read_text())
    return RTLBuild(
        path=out, model=model, stages=int(meta["latency"]), clock_period=clock_period,
        da4ml_cost=float(meta["cost"]), reg_bits=int(meta.get("reg_bits", 0)),
    )  # fmt: skip


def build_simulation(rtl: RTLBuild, *, jobs: int = 1) -> Path:
    """Verilate the wrapper and link the binder into ``sim/lib<module>_wrapper_sim.so``; returns its path."""
    require("verilator", "make", "g++")
    sim, prefix = rtl.path / "sim", f"{MODULE}_wrapper"
    obj = sim / "obj_dir"
    flags = "-std=c++17 -fPIC -O1"
    run_tool(
        ["verilator", "--cc", "-j", str(jobs), "--build", f"../src/{prefix}.v", "--prefix", f"V{prefix}",
         "-I../src", "-I../src/static", "-Wno-fatal", "-CFLAGS", flags],
        cwd=sim, what="Verilator",
    )  # fmt: skip
    run_tool(["make", "-C", str(obj), "-f", f"V{prefix}.mk", "verilated.o", "verilated_threads.o"], cwd=sim,
             what="Verilator runtime build")  # fmt: skip
    run_tool(["ar", "rcs", "libverilated.a", "verilated.o", "verilated_threads.o"], cwd=obj, what="ar")
    lib = sim / f"lib{prefix}_sim.so"
    run_tool(
        ["g++", *flags.split(), "-I./obj_dir", f"-I{VERILATOR_INCLUDE}", f"-I{VERILATOR_INCLUDE / 'vltstd'}",
         "-I../src", "-pthread", "-shared", "-o", lib.name, f"{prefix}_binder.cc", f"obj_dir/V{prefix}__ALL.a",
         "obj_dir/libverilated.a"],
        cwd=sim, what="Verilator binder link",
    )  # fmt: skip
    shutil.rmtree(obj, ignore_errors=True)
    return lib


class RTLSimulation:
    """The Verilated trigger: ``predict(hw)`` -> (score_raw, seed_mask, overflow), like the emulator."""

    def __init__(self, rtl: RTLBuild, lib: Path, words: int, n_seeds: int = 1) -> None:
        import ctypes

        self.rtl, self.words, self.n_seeds = rtl, words, n_seeds
        model = rtl.model
        model._lib = ctypes.CDLL(str(lib))  # da4ml's own predict() drives the binder (clocks, pipeline)
        model._uuid = "sim"

    def predict(self, hw: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        y = np.asarray(self.rtl.model.predict(np.asarray(hw, dtype=np.float64), n_threads=1), dtype=np.float64)
        w = np.round(y[:, : self.words]).astype(np.int64)
        raw = sum(w[:, j] << (WORD_BITS * j) for j in range(self.words))
        bits = y[:, self.words : self.words + self.n_seeds] > 0
        return raw, pack_bits(bits), y[:, self.words + self.n_seeds] > 0


def synthesize(rtl: RTLBuild, *, timeout: float = 3600, nodsp: bool = True) -> dict:
    """Yosys ``synth_xilinx`` (UltraScale+, flattened) of the pipelined top; cell counts parsed from ``stat``.
    ``nodsp=False`` lets Yosys map multipliers to DSPs, the check that the design needs none."""
    own = [p for p in sorted((rtl.path / "src").glob("*.v")) if "wrapper" not in p.name]
    text = "".join(p.read_text() for p in own)
    # only the library modules the design instantiates (an unused ROM template would need its memory file)
    lib = [p for p in sorted((rtl.path / "src" / "static").glob("*.v")) if re.search(rf"\b{p.stem}\b", text)]
    srcs = [str(p.relative_to(rtl.path)) for p in own + lib]
    tool = "yosys synth_xilinx -family xcup -flatten" + (" -nodsp" if nodsp else "")
    log_name = "yosys.log" if nodsp else "yosys_dsp.log"
    script = f"read_verilog -sv {' '.join(srcs)}; {tool.removeprefix('yosys ')} -top {MODULE}; stat"
    log = run_tool(["yosys", "-q", "-p", script, "-l", log_name], cwd=rtl.path, what="Yosys synthesis",
                   timeout=timeout)  # fmt: skip
    text = (rtl.path / log_name).read_text() if (rtl.path / log_name).is_file() else log
    stat = text[text.rfind("Number of cells") :]
    if not stat:
        raise FirmwareError(f"Yosys wrote no cell statistics (see {rtl.path / 'yosys.log'})")

    def total(rx: re.Pattern) -> int:
        return sum(int(n) for _, n in rx.findall(stat))

    return {
        "tool": tool,
        "lut": total(LUT_CELL), "ff": total(FF_CELL), "dsp": total(DSP_CELL), "carry": total(CARRY_CELL),
        "cells": {name: int(n) for name, n in re.findall(r"^\s*(\$?\w+)\s+(\d+)\s*$", stat, re.M)},
    }  # fmt: skip
