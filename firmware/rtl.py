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
and the binder needs ``-I$VERILATOR_ROOT/include`` (asked of ``verilator --getenv VERILATOR_ROOT``). The Verilated
model is driven through the binder's C function ``inference`` directly (clocks and pipeline fill are the binder's).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from adtrigger.bundle.ladder import pack_bits
from adtrigger.firmware.convert import PART
from adtrigger.firmware.design import FirmwareError, TriggerDesign
from adtrigger.firmware.tools import require, run_tool

MODULE = "trigger"
WORD_BITS = 30  # score bits per simulation output word
UNSIZED_BINARY = re.compile(r"(?<![\w'])'b([01]+)\b")


@dataclass
class RTLBuild:
    """The written RTL project and what da4ml says about it."""

    path: Path
    stages: int  # da4ml's pipeline stages (its metadata "latency"): registers port to port
    clock_period: float
    da4ml_cost: float  # da4ml's own LUT-equivalent estimate
    reg_bits: int
    latency_cutoff: float  # da4ml delay units per stage that cut this pipeline


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
    ovf = _tree(lambda a, b: a | b, [out_of_range[k] for k in range(n)])  # a running OR would chain n gates
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
    outputs = [*(w[0] for w in words), *(b[0] for b in bits), ovf[0]]
    return comb_trace(hw, FixedVariableArray(np.array(outputs), hw.solver_options))


def _tree(op, terms: list):
    """``op`` (sum, max, or) over da4ml variables as a balanced tree of two-input operations, depth log2 n: da4ml
    counts a running reduction as a chain of n operations and pipelines it that way (measured: the overflow OR over
    57 inputs set the whole pipeline's depth, 57 of its 58 delay units)."""
    while len(terms) > 1:
        terms = [op(terms[k], terms[k + 1]) if k + 1 < len(terms) else terms[k] for k in range(0, len(terms), 2)]
    return terms[0]


def _tree_sum(terms: list):
    return _tree(lambda a, b: a + b, terms)


def square(v):
    """``v**2`` of one da4ml variable, exactly, as shift-and-add rows the pipeline can cut between.

    da4ml maps ``v * v`` to one multiplier, an operation no pipeline stage can split (measured: 8.5 ns through a
    12-bit square, half the design's slowest stage). Here, with ``a = |v|`` and its bits ``a_j`` of weight ``w_j``,
    ``a**2 = sum_j a_j w_j (w_j + 2 * above_j)``, ``above_j`` the bits of ``a`` above ``j``: per bit a free
    bit-slice, a free shift and a constant, one multiplexer (da4ml ``msb_mux``), and a balanced sum of the rows; half
    the partial products of a multiplier, as the symmetric square needs. ``|v|`` is da4ml's own (a negation and a
    multiplexer); a variable that is never negative is squared as ``(-v)**2``, the form tested exact."""
    if v.low == v.high:
        return v * v  # a constant: folded
    if v.low >= 0:
        v = -v
    a = abs(v)
    _, i, f = a.kif
    rows = []
    for j in range(i + f):
        e = j - f  # bit j of a weighs 2**e
        w = 2.0**e
        if a.high < w:
            continue
        bit = a.quantize(1, e, -e, overflow_mode="WRAP", round_mode="TRN")  # the sign bit of this slice is bit j
        above = a.quantize(0, i, -(e + 1), overflow_mode="WRAP", round_mode="TRN")  # the bits above j
        rows.append(bit.msb_mux(above * (2 * w) + w * w, 0.0))
    return _tree_sum(rows)


def relu_square(c):
    """``relu(c)**2``: the square of the signed ``c``, zero where ``c`` is negative (one multiplexer on its sign)."""
    if c.high <= 0:
        return c * 0.0
    return square(c) if c.low >= 0 else c.msb_mux(0.0, square(c))


def grouped_mu2(mu, design: TriggerDesign):
    """The traced score (one da4ml variable): max over groups of scale sum q(m(mu_d))^2, with m = relu for one-sided
    groups and q the group's saturating cast where it has one; every square and sum is exact (:func:`square`, a
    balanced adder tree), a power of two is a free shift and the 8-bit mantissa of a scale a few shifted adds.

    A one-sided group's unsigned cast (floor, saturate at [0, 2**i - step]) is relu of the signed cast (saturate at
    [-2**i, 2**i - step]): both floor, and relu takes the negative side to 0, so the signed cast is squared with a
    multiplexer on its sign."""
    scores = []
    for g in design.score_groups:
        terms = []
        for d in range(g.start, g.stop):
            m = mu[d]
            if g.clipped:  # latent_score.cast_mu: floor onto 2^-frac_bits and saturate, as ap_fixed's AP_TRN, AP_SAT
                m = m.quantize(1, g.int_bits, g.frac_bits, overflow_mode="SAT", round_mode="TRN")
            terms.append(relu_square(m) if g.one_sided else square(m))
        t = _tree_sum(terms)
        scores.append(t * g.scale if g.scale != 1.0 else t)
    return _tree(lambda a, b: a.max_of(b), scores)


def n_words(design: TriggerDesign) -> int:
    """How many WORD_BITS-bit outputs carry the score."""
    return -(-int(design.score_type["width"]) // WORD_BITS)


def write_rtl(
    design: TriggerDesign, out: Path, *, clock_period: float = 5.0, latency_cutoff: float = 2.0, comb=None
) -> RTLBuild:
    """Write the pipelined Verilog project into ``out``, cut every ``latency_cutoff`` da4ml delay units; ``comb``:
    the design's :func:`trace` when the caller has it (a pipeline search writes one trace several times)."""
    from da4ml.codegen import RTLModel

    comb = trace(design) if comb is None else comb
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
        if fixed != text:
            v.write_text(fixed)
    meta = json.loads((out / "metadata.json").read_text())
    return RTLBuild(
        path=out, stages=int(meta["latency"]), clock_period=clock_period, da4ml_cost=float(meta["cost"]),
        reg_bits=int(meta.get("reg_bits", 0)), latency_cutoff=float(latency_cutoff),
    )  # fmt: skip


def verilator_include() -> Path:
    """Verilator's runtime headers: ``$VERILATOR_ROOT/include`` as the installed Verilator reports it."""
    require("verilator")
    root = run_tool(["verilator", "--getenv", "VERILATOR_ROOT"], cwd=Path.cwd(), what="verilator --getenv").strip()
    inc = Path(root.splitlines()[-1] if root else "") / "include"
    if not (inc / "verilated.h").is_file():
        raise FirmwareError(f"Verilator's headers are not in {inc} (verilator --getenv VERILATOR_ROOT): reinstall it")
    return inc


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
    inc = verilator_include()
    run_tool(
        ["g++", *flags.split(), "-I./obj_dir", f"-I{inc}", f"-I{inc / 'vltstd'}",
         "-I../src", "-pthread", "-shared", "-o", lib.name, f"{prefix}_binder.cc", f"obj_dir/V{prefix}__ALL.a",
         "obj_dir/libverilated.a"],
        cwd=sim, what="Verilator binder link",
    )  # fmt: skip
    shutil.rmtree(obj, ignore_errors=True)
    return lib


class RTLSimulation:
    """The Verilated trigger: ``predict(hw)`` -> (score_raw, seed_mask, overflow), like the emulator.

    The binder's ``inference(int32 *in, int32 *out, size_t n, size_t threads)`` clocks the pipeline: inputs are the
    int16 counts as int32 (each packed into its 16-bit slot), outputs the words and bits, each in an int32."""

    def __init__(self, rtl: RTLBuild, lib: Path, words: int, n_seeds: int = 1) -> None:
        import ctypes

        self.rtl, self.words, self.n_seeds = rtl, words, n_seeds
        try:
            self._lib = ctypes.CDLL(str(Path(lib).resolve()))
            self._inference = self._lib.inference
        except (OSError, AttributeError) as err:
            raise FirmwareError(f"cannot load the Verilated simulation {lib}: {err}") from None
        self._inference.restype = None
        self._inference.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_size_t]
        self.n_outputs = words + n_seeds + 1

    def predict(self, hw: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        inp = np.ascontiguousarray(np.asarray(hw, dtype=np.int16), dtype=np.int32)
        n = len(inp)
        out = np.zeros((n, self.n_outputs), dtype=np.int32)
        memfiles = self.rtl.path / "src" / "memfiles"  # ROM contents, read relative to the working folder
        cwd = Path.cwd()
        try:
            if memfiles.is_dir():
                os.chdir(memfiles)
            self._inference(inp.ctypes.data, out.ctypes.data, n, 1)
        finally:
            os.chdir(cwd)
        y = out.astype(np.int64) & ((1 << WORD_BITS) - 1)
        raw = sum(y[:, j] << (WORD_BITS * j) for j in range(self.words))
        bits = y[:, self.words : self.words + self.n_seeds] > 0
        return raw, pack_bits(bits), y[:, self.words + self.n_seeds] > 0


def synthesis_sources(rtl: RTLBuild) -> list[str]:
    """The Verilog files of the pipelined top, relative to the RTL folder: the design's own (not the simulation
    wrapper) and the library modules it instantiates (an unused ROM template would need its memory file)."""
    own = [p for p in sorted((rtl.path / "src").glob("*.v")) if "wrapper" not in p.name]
    text = "".join(p.read_text() for p in own)
    lib = [p for p in sorted((rtl.path / "src" / "static").glob("*.v")) if re.search(rf"\b{p.stem}\b", text)]
    return [str(p.relative_to(rtl.path)) for p in own + lib]


def synthesize(rtl: RTLBuild, *, timeout: float = 3600, nodsp: bool = True) -> dict:
    """Yosys ``synth_xilinx`` (UltraScale+, flattened) of the pipelined top, written as a JSON netlist
    (``netlist.json``; ``netlist_dsp.json`` without ``-nodsp``); the cell counts are read from that netlist
    (:func:`firmware.netlist.resources`), which fails loudly when Yosys wrote none. ``nodsp=False`` lets Yosys map
    multipliers to DSPs: the check that the design needs none by construction, not by the flag."""
    from adtrigger.firmware import netlist

    srcs = synthesis_sources(rtl)
    tool = "yosys synth_xilinx -family xcup -flatten" + (" -nodsp" if nodsp else "")
    suffix = "" if nodsp else "_dsp"
    log_name, json_name = f"yosys{suffix}.log", f"netlist{suffix}.json"
    (rtl.path / json_name).unlink(missing_ok=True)
    synth = f"{tool.removeprefix('yosys ')} -top {MODULE}"
    script = f"read_verilog -sv {' '.join(srcs)}; {synth}; stat; write_json {json_name}"
    run_tool(["yosys", "-q", "-p", script, "-l", log_name], cwd=rtl.path, what="Yosys synthesis", timeout=timeout)
    found = netlist.resources(netlist.load_netlist(rtl.path / json_name, MODULE))
    return {"tool": tool, "netlist": json_name, **found}


