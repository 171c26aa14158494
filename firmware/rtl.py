"""Step 3, RTL with open tools: da4ml Verilog of the whole trigger, Verilator simulation, Yosys resources.

da4ml traces the HGQ2 encoder (its ``keras`` plugin) from symbolic fixed-point inputs; the flow traces the
preprocessing, sum mu^2, score quantization and comparator around it the same way, so the Verilog computes exactly
what :mod:`firmware.design` describes, inputs in int16 hardware counts. ``latency_cutoff`` (da4ml's delay units
per stage) sets the pipelining; the latency is the number of stages at the target clock.

Debian's Verilator 5.006 needs three fixes (FACTS.md): its lint has no WIDTHTRUNC/WIDTHEXPAND codes (mapped to
WIDTH), ``--build`` leaves the runtime uncompiled (``verilated.o``/``verilated_threads.o`` built and archived into
``libverilated.a`` here) and the binder needs ``-I<verilator>/include``.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from functools import reduce
from pathlib import Path

import numpy as np

from firmware.convert import PART
from firmware.design import FirmwareError, TriggerDesign
from firmware.tools import require, run_tool

MODULE = "trigger"
VERILATOR_INCLUDE = Path("/usr/share/verilator/include")
LUT_CELL = re.compile(r"^\s*(LUT[1-6])\s+(\d+)\s*$", re.M)
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
    """da4ml ``CombLogic`` of the trigger: (n,) int16 counts -> [score, trigger, overflow]."""
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
    s = FixedVariableArray(np.array([np.sum(mu**2)]), hw.solver_options)
    s = s.quantize(k=0, i=int(st["integer"]), f=int(st["fraction"]), overflow_mode="SAT", round_mode="TRN")
    out_of_range = (hw > design.hw_hi.astype(float)) | (hw < design.hw_lo.astype(float))
    ovf = reduce(lambda a, b: a | b, list(out_of_range))
    ovf = FixedVariableArray(np.array([ovf]), hw.solver_options)
    top = np.ldexp(float(design.score_max_raw), -int(st["fraction"]))
    score = np.where(ovf, top, s)
    trigger = score >= np.ldexp(float(design.threshold["raw"]), -int(st["fraction"]))
    out = FixedVariableArray(np.concatenate([score._vars, trigger._vars, ovf._vars]), hw.solver_options)
    return comb_trace(hw, out)


def write_rtl(design: TriggerDesign, out: Path, *, clock_period: float = 5.0, latency_cutoff: float = 2.0) -> RTLBuild:
    """Trace and write the pipelined Verilog project into ``out``."""
    from da4ml.codegen import RTLModel

    comb = trace(design)
    model = RTLModel(
        comb, MODULE, out, flavor="verilog", latency_cutoff=latency_cutoff, clock_period=clock_period, part_name=PART
    )
    model.write({"bundle": design.name, "namespace": design.namespace, "threshold_raw": design.threshold["raw"]})
    for v in (out / "src").rglob("*.v"):  # Verilator 5.006 knows WIDTH, not its later WIDTHTRUNC/WIDTHEXPAND split
        text = v.read_text()
        if "WIDTHTRUNC" in text or "WIDTHEXPAND" in text:
            v.write_text(text.replace("WIDTHTRUNC", "WIDTH").replace("WIDTHEXPAND", "WIDTH"))
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
    """The Verilated trigger: ``predict(hw)`` -> (score_raw, trigger, overflow), like the emulator."""

    def __init__(self, rtl: RTLBuild, lib: Path, score_fraction: int) -> None:
        import ctypes

        self.rtl, self.f = rtl, score_fraction
        model = rtl.model
        model._lib = ctypes.CDLL(str(lib))  # da4ml's own predict() drives the binder (clocks, pipeline)
        model._uuid = "sim"

    def predict(self, hw: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        y = np.asarray(self.rtl.model.predict(np.asarray(hw, dtype=np.float64), n_threads=1), dtype=np.float64)
        return np.round(np.ldexp(y[:, 0], self.f)).astype(np.int64), y[:, 1] > 0, y[:, 2] > 0


def synthesize(rtl: RTLBuild, *, timeout: float = 3600) -> dict:
    """Yosys ``synth_xilinx`` (UltraScale+, flattened) of the pipelined top; cell counts parsed from ``stat``."""
    own = [p for p in sorted((rtl.path / "src").glob("*.v")) if "wrapper" not in p.name]
    text = "".join(p.read_text() for p in own)
    # only the library modules the design instantiates (an unused ROM template would need its memory file)
    lib = [p for p in sorted((rtl.path / "src" / "static").glob("*.v")) if re.search(rf"\b{p.stem}\b", text)]
    srcs = [str(p.relative_to(rtl.path)) for p in own + lib]
    script = f"read_verilog -sv {' '.join(srcs)}; synth_xilinx -family xcup -flatten -nodsp -top {MODULE}; stat"
    log = run_tool(["yosys", "-q", "-p", script, "-l", "yosys.log"], cwd=rtl.path, what="Yosys synthesis",
                   timeout=timeout)  # fmt: skip
    text = (rtl.path / "yosys.log").read_text() if (rtl.path / "yosys.log").is_file() else log
    stat = text[text.rfind("Number of cells") :]
    if not stat:
        raise FirmwareError(f"Yosys wrote no cell statistics (see {rtl.path / 'yosys.log'})")

    def total(rx: re.Pattern) -> int:
        return sum(int(n) for _, n in rx.findall(stat))

    return {
        "tool": "yosys synth_xilinx -family xcup -flatten -nodsp",
        "lut": total(LUT_CELL), "ff": total(FF_CELL), "dsp": total(DSP_CELL), "carry": total(CARRY_CELL),
        "cells": {name: int(n) for name, n in re.findall(r"^\s*(\$?\w+)\s+(\d+)\s*$", stat, re.M)},
    }  # fmt: skip
