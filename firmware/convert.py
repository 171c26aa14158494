"""Step 1, convert: the hls4ml project (Vitis, io_parallel) of the encoder, plus the trigger top around it.

hls4ml 1.3 converts the HGQ2 encoder bit-exactly with no precision tuning (FACTS.md). Around it this step writes
``firmware/<ns>_trigger.cpp``, the synthesis top: overflow comparators, the preprocessing as integer subtraction and
binary-point shift, the encoder, the grouped sum mu^2 (per latent group an exact sum of squares, relu first where
one-sided, times its integer mantissa and shifted by its power of two; the max over groups) cast to the score type
(AP_TRN, AP_SAT), and one comparator per seed of the threshold ladder (``design.seeds``, bit k = seed k, as
``adtrigger.bundle.ladder.pack_bits``), the active seed's bit also as the single ``trigger``. Everything generated
lives in the C++ namespace named after the bundle (hls4ml's ``namespace`` writer option) and the weights are
compiled in (no weight text files to find at run time). ``build_trigger.tcl`` runs C simulation and synthesis of that
top in Vitis HLS; ``tb/`` is its test bench.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from adtrigger.firmware.design import FirmwareError, TriggerDesign

STRATEGIES = {"latency": "Latency", "da": "distributed_arithmetic"}
PART = "xcvu9p-flga2104-2L-e"  # VU9P, the device of the L1 resource goals
ENCODER = "encoder"
HW_IN_INT = 18  # integer bits of (hw - offset_hw): int16 counts minus an offset below 2**16


@dataclass
class HLSProject:
    """The written project: its folder, the hls4ml model (for layer types) and the trigger top's C++ names."""

    path: Path
    hls_model: object
    top: str
    input_type: str


def input_type(design: TriggerDesign) -> str:
    """The exact fixed-point type of the preprocessed inputs fed to the encoder."""
    f = max(0, int(design.shift_total.max()))
    g = max(0, -int(design.shift_total.min()))  # left shifts (a gain on seldom-filled inputs) need integer bits
    return f"ap_fixed<{HW_IN_INT + g + f},{HW_IN_INT + g}>"


def _score_ctype(st: dict) -> str:
    return f"ap_ufixed<{st['width']},{st['integer']},AP_TRN,AP_SAT>"


def _carray(values: np.ndarray) -> str:
    return "{" + ", ".join(str(int(v)) for v in values) + "}"


def _cmax(exprs: list[str]) -> str:
    """A C++ constant expression: the largest of ``exprs`` (template arguments of the max's type)."""
    out = exprs[0]
    for e in exprs[1:]:
        out = f"(({out}) > ({e}) ? ({out}) : ({e}))"
    return out


def _score_code(design: TriggerDesign) -> str:
    """C++ of the grouped sum mu^2 into ``best`` (type ``max_t``), every step exact in ap_fixed arithmetic.

    Each group squares either hls4ml's signed ``result_t`` (ap_fixed<W, I>) or, where it has its own grid, mu cast
    onto ``m<j>_t`` = ap_[u]fixed<W, I, AP_TRN, AP_SAT> (:func:`latent_score.cast_mu`: floor and saturate, unsigned
    for a one-sided group). Its n squares sum in ap_fixed<2W + c, 2I + c> with c = bit_length(n) + 1 guard bits,
    widened for the group's weight ``scale_mantissa * 2**scale_log2``: the mantissa's bits more integer bits for its
    product, and s more integer bits for a left shift by s or s more fraction bits for a right one, so no step drops
    a bit. ``max_t`` holds the integer and fraction bits of every group, so the max over groups is exact too."""
    lines, ints, fracs = [], [], []
    for j, g in enumerate(design.score_groups):
        s, mant = g.scale_log2, g.scale_mantissa
        mb = mant.bit_length() if mant > 1 else 0
        c = (g.stop - g.start).bit_length() + 1 + mb
        weight = f"{mant} * 2^{s}" if mant > 1 else f"2^{s}"
        sq = "relu(mu)^2" if g.one_sided else "mu^2"
        lines.append(f"    // group {j}: {weight} * sum of {sq} over mu[{g.start}..{g.stop - 1}]")
        if g.clipped:
            kind = "ap_ufixed" if g.one_sided else "ap_fixed"
            integer = g.int_bits + (not g.one_sided)
            lines.append(f"    typedef {kind}<{g.width}, {integer}, AP_TRN, AP_SAT> m{j}_t;  // floor, saturate")
            w_e, i_e = str(g.width), str(integer)
            m_t = f"m{j}_t"
        else:
            w_e, i_e, m_t = "result_t::width", "result_t::iwidth", "result_t"
        gi, gf = f"2 * {i_e} + {c + max(s, 0)}", f"2 * ({w_e} - {i_e}) + {max(-s, 0)}"
        ints.append(gi)
        fracs.append(gf)
        lines += [
            f"    typedef ap_fixed<{gi} + {gf}, {gi}> g{j}_t;",
            f"    g{j}_t s{j} = 0;",
            f"    for (unsigned d = {g.start}; d < {g.stop}; d++) {{",
            "        #pragma HLS UNROLL",
        ]
        if g.one_sided and not g.clipped:  # result_t is signed: relu before squaring
            lines.append("        result_t m = mu[d] > 0 ? mu[d] : result_t(0);")
        else:  # an unsigned cast saturates a negative mu at 0, which is relu
            lines.append(f"        {m_t} m = mu[d];")
        lines += [f"        s{j} += m * m;", "    }"]
        if mb:
            lines.append(f"    s{j} = s{j} * ap_uint<{mb}>({mant});  // exact: {mb} more integer bits")
        if s:
            lines.append(f"    s{j} {'<<=' if s > 0 else '>>='} {abs(s)};  // exact: the type has room for the shift")
    ci, cf = _cmax(ints), _cmax(fracs)
    lines.append(f"    typedef ap_fixed<{ci} + {cf}, {ci}> max_t;")
    lines.append("    max_t best = s0;")
    lines += [f"    if (s{j} > best) best = s{j};" for j in range(1, len(design.score_groups))]
    return "\n".join(lines)


def convert(design: TriggerDesign, out: Path, *, strategy: str = "latency", clock_period: float = 5.0) -> HLSProject:
    """Write the hls4ml project of ``design`` into ``out`` (created) and return it; nothing is compiled here."""
    import hls4ml

    if strategy not in STRATEGIES:
        raise FirmwareError(f"strategy {strategy!r} unknown: choose one of {', '.join(STRATEGIES)}")
    ns = design.namespace
    cfg = hls4ml.utils.config_from_keras_model(design.encoder, granularity="name", backend="Vitis")
    cfg["Model"]["Strategy"] = STRATEGIES[strategy]
    in_t = input_type(design)
    try:
        hls_model = hls4ml.converters.convert_from_keras_model(
            design.encoder, hls_config=cfg, output_dir=str(out), project_name=ENCODER, backend="Vitis",
            io_type="io_parallel", part=PART, clock_period=clock_period, namespace=ns, write_weights_txt=False,
        )  # fmt: skip
    except Exception as err:  # hls4ml raises bare exceptions for layers it cannot map
        raise FirmwareError(f"hls4ml cannot convert the encoder of {design.bundle}: {err}") from None
    hls_model.write()
    _qualify_code_gen(out / "firmware" / "nnet_utils" / "nnet_code_gen.h", ns)
    top = f"{ns}_trigger"
    _write_top(design, out, top, in_t, f"{design.encoder.layers[0].name}_t")
    _write_tcl(design, out, top, clock_period)
    return HLSProject(path=out, hls_model=hls_model, top=top, input_type=in_t)


def _qualify_code_gen(path: Path, ns: str) -> None:
    """hls4ml 1.3 puts the distributed-arithmetic kernels in the writer namespace but calls ``nnet::bit_shift``
    unqualified from there; make nnet's helpers visible inside the namespace."""
    opening = f"namespace {ns} {{\n"
    text = path.read_text()
    if opening in text and "bit_shift<" in text:
        path.write_text(text.replace(opening, opening + "using namespace nnet;\n", 1))


def _seed_table(design: TriggerDesign) -> str:
    """The C++ table of the seeds' raw thresholds, one commented line per seed."""
    rows = [
        f"    {s['raw']}ULL,  // bit {k}: {s['name']!r}, score >= {s['value']!r}"
        for k, s in enumerate(design.seeds)
    ]
    return "static const unsigned long long SEED_RAW[N_SEEDS] = {\n" + "\n".join(rows) + "\n};"


def _write_top(design: TriggerDesign, out: Path, top: str, in_t: str, enc_in_t: str) -> None:
    ns, n, nl = design.namespace, design.n_inputs, design.n_latent
    header = f"""// {top}: the L1 anomaly trigger of bundle {design.name!r} (generated by adtrigger firmware).
#ifndef {top.upper()}_H_
#define {top.upper()}_H_
#include "ap_fixed.h"
#include "ap_int.h"

namespace {ns} {{
static const unsigned N_INPUTS = {n};
typedef ap_int<16> hw_t;                  // one L1 input in hardware counts (firmware/hwunits.py)
typedef {in_t} pre_t;       // (hw - offset) * 2**-shift, exact
typedef {_score_ctype(design.score_type)} score_t;
static const unsigned N_SEEDS = {design.n_seeds};  // one comparator and one output bit per seed
typedef ap_uint<N_SEEDS> seeds_t;         // bit k = score >= SEED_RAW[k] (adtrigger.bundle.ladder bit order)
static const unsigned ACTIVE_SEED = {design.active_seed};  // trigger = seeds[ACTIVE_SEED], {design.threshold['name']!r}
{_seed_table(design)}

void {top}(const hw_t hw[N_INPUTS], score_t &score, seeds_t &seeds, ap_uint<1> &trigger, ap_uint<1> &overflow);
}}  // namespace {ns}
#endif
"""
    source = f"""// {top}: overflow bit, preprocessing, encoder (hls4ml), score, one threshold comparator per seed.
#include "{top}.h"
#include "{ENCODER}.h"

namespace {ns} {{
static const ap_int<{HW_IN_INT}> OFFSET_HW[N_INPUTS] = {_carray(design.offset_hw)};
static const int SHIFT[N_INPUTS] = {_carray(design.shift_total)};  // < 0: a left shift
static const ap_int<{HW_IN_INT}> HW_LO[N_INPUTS] = {_carray(design.hw_lo)};
static const ap_int<{HW_IN_INT}> HW_HI[N_INPUTS] = {_carray(design.hw_hi)};

void {top}(const hw_t hw[N_INPUTS], score_t &score, seeds_t &seeds, ap_uint<1> &trigger, ap_uint<1> &overflow) {{
    #pragma HLS ARRAY_PARTITION variable=hw complete dim=0
    #pragma HLS PIPELINE II=1
    // hls4ml's input type keeps one fraction bit more than the input quantizer's RND needs: exact
    {enc_in_t} x[N_INPUTS];
    #pragma HLS ARRAY_PARTITION variable=x complete dim=0
    bool ovf = false;
    for (unsigned i = 0; i < N_INPUTS; i++) {{
        #pragma HLS UNROLL
        ovf = ovf || hw[i] < HW_LO[i] || hw[i] > HW_HI[i];
        pre_t d = ap_int<{HW_IN_INT}>(hw[i]) - OFFSET_HW[i];
        x[i] = SHIFT[i] >= 0 ? pre_t(d >> SHIFT[i]) : pre_t(d << -SHIFT[i]);
    }}
    result_t mu[{nl}];
    #pragma HLS ARRAY_PARTITION variable=mu complete dim=0
    {ENCODER}(x, mu);
    // {design.score_definition}: mu * mu is exact in ap_fixed arithmetic, each sum has room for its squares
{_score_code(design)}
    score_t sc = best;  // AP_TRN, AP_SAT onto the score grid
    ap_uint<score_t::width> raw = sc.range();
    if (ovf) raw = ~ap_uint<score_t::width>(0);  // an out-of-range event scores the maximum
    sc.range() = raw;
    score = sc;
    overflow = ovf;
    seeds_t bits = 0;
    for (unsigned k = 0; k < N_SEEDS; k++) {{
        #pragma HLS UNROLL
        bits[k] = raw >= ap_uint<score_t::width>(SEED_RAW[k]);  // the maximum (overflow) passes every seed
    }}
    seeds = bits;
    trigger = bits[ACTIVE_SEED];
}}
}}  // namespace {ns}
"""
    (out / "firmware" / f"{top}.h").write_text(header)
    (out / "firmware" / f"{top}.cpp").write_text(source)
    tb = out / "tb"
    tb.mkdir(exist_ok=True)
    (tb / f"{top}_tb.cpp").write_text(
        f"""// Test bench of {top} (Vitis csim_design and the g++ C simulation of adtrigger firmware):
// reads int16 counts, {n} per line, from argv[1] (default tb/hw_inputs.dat), writes per event
// "score_raw seed_mask trigger overflow" (seed_mask: bit k = seed k).
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include "../firmware/{top}.h"

int main(int argc, char **argv) {{
    std::ifstream in(argc > 1 ? argv[1] : "tb/hw_inputs.dat");
    FILE *out = argc > 2 ? std::fopen(argv[2], "w") : stdout;
    if (!in || !out) {{ std::fprintf(stderr, "cannot open input or output file\\n"); return 2; }}
    std::string line;
    while (std::getline(in, line)) {{
        std::istringstream ss(line);
        {ns}::hw_t hw[{ns}::N_INPUTS];
        int v;
        for (unsigned i = 0; i < {ns}::N_INPUTS; i++) {{ ss >> v; hw[i] = v; }}
        {ns}::score_t score; {ns}::seeds_t seeds; ap_uint<1> trigger, overflow;
        {ns}::{top}(hw, score, seeds, trigger, overflow);
        std::fprintf(out, "%llu %u %d %d\\n", (unsigned long long)score.range().to_uint64(),
                     (unsigned)seeds.to_uint(), (int)trigger, (int)overflow);
    }}
    if (out != stdout) std::fclose(out);
    return 0;
}}
"""
    )


def _write_tcl(design: TriggerDesign, out: Path, top: str, clock_period: float) -> None:
    (out / "build_trigger.tcl").write_text(
        f"""# Vitis HLS: C simulation and synthesis of the trigger top {top} (bundle {design.name!r}).
# Run from this folder:  vitis_hls -f build_trigger.tcl   (reports in {top}_prj/solution1/syn/report/)
open_project -reset {top}_prj
set_top {top}
add_files firmware/{ENCODER}.cpp -cflags "-std=c++14 -Ifirmware -Ifirmware/ap_types"
add_files firmware/{top}.cpp -cflags "-std=c++14 -Ifirmware -Ifirmware/ap_types"
add_files -tb tb/{top}_tb.cpp -cflags "-std=c++14 -Ifirmware -Ifirmware/ap_types"
add_files -tb tb/hw_inputs.dat
open_solution -reset solution1 -flow_target vivado
set_part {{{PART}}}
create_clock -period {clock_period} -name default
csim_design -argv "tb/hw_inputs.dat"
csynth_design
exit
"""
    )


CXXFLAGS = ("-O2", "-std=c++17", "-fPIC", "-fvisibility=hidden", "-fvisibility-inlines-hidden")


def build_csim(project: HLSProject) -> tuple[Path, list[Path]]:
    """Compile the encoder and trigger top once (position independent, hidden symbols) and link the test bench
    into the C simulation Vitis would run. Returns the executable and the two objects (the emulator links them)."""
    from adtrigger.firmware.tools import run_tool

    inc = ["-Ifirmware", "-Ifirmware/ap_types"]
    objs = []
    for src in (f"firmware/{ENCODER}.cpp", f"firmware/{project.top}.cpp"):
        obj = project.path / (Path(src).stem + ".o")
        run_tool(["g++", *CXXFLAGS, *inc, "-c", src, "-o", obj.name], cwd=project.path, what=f"g++ {src}")
        objs.append(obj)
    exe = project.path / "tb" / f"{project.top}_csim"
    run_tool(
        ["g++", *CXXFLAGS, *inc, f"tb/{project.top}_tb.cpp", *(o.name for o in objs), "-o", f"tb/{exe.name}"],
        cwd=project.path, what="C simulation build",
    )  # fmt: skip
    return exe, objs
