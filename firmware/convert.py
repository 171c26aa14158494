"""Step 1, convert: the hls4ml project (Vitis, io_parallel) of the encoder, plus the trigger top around it.

hls4ml 1.3 converts the HGQ2 encoder bit-exactly with no precision tuning (FACTS.md). Around it this step writes
``firmware/<ns>_trigger.cpp``, the synthesis top: overflow comparators, the preprocessing as integer subtraction and
binary-point shift, the encoder, the grouped sum mu^2 (per latent group an exact sum of squares, relu first where
one-sided, times its integer mantissa and shifted by its power of two; the max over groups) cast to the score type
(AP_TRN, AP_SAT), and one comparator per seed of the threshold ladder (``design.seeds``, bit k = seed k, as
``adtrigger.bundle.ladder.pack_bits``), the active seed's bit also as the single ``trigger``. Everything generated
lives in the C++ namespace named after the bundle (hls4ml's ``namespace`` writer option) and the weights are
compiled in (no weight text files to find at run time). ``build_trigger.tcl`` runs C simulation, C synthesis,
co-simulation, IP export and Vivado synthesis of that top (each switchable, as hls4ml's ``build_prj.tcl``); ``tb/`` is
its test bench, which checks the top against the software's outputs (:func:`write_testbench_data`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from adtrigger.firmware.design import FirmwareError, TriggerDesign

STRATEGIES = {"latency": "Latency", "da": "distributed_arithmetic"}
PART = "xcvu9p-flga2104-2L-e"  # VU9P, the device of the L1 resource goals
ENCODER = "encoder"
TESTBENCH_EVENTS = 1000  # events in tb/hw_inputs.dat and tb/expected.dat (the edge events first)
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
    _write_testbench(design, out, top)


def _write_testbench(design: TriggerDesign, out: Path, top: str) -> None:
    """``tb/<top>_tb.cpp``: with no arguments (Vitis csim_design, cosim_design) it checks the top against the
    software's outputs in ``tb/expected.dat`` and fails on any difference; with files it only writes the top's
    outputs (the flow's C simulation, :func:`firmware.verify.run_csim`)."""
    tb = out / "tb"
    tb.mkdir(exist_ok=True)
    code = (TESTBENCH.replace("@TOP@", top).replace("@NS@", design.namespace).replace("@NAME@", repr(design.name))
            .replace("@N@", str(design.n_inputs)))  # fmt: skip
    (tb / f"{top}_tb.cpp").write_text(code)


TESTBENCH = r"""// Test bench of @TOP@, the L1 anomaly trigger of bundle @NAME@ (generated by adtrigger firmware).
//   no arguments (Vitis csim_design and cosim_design): runs the top on every event of hw_inputs.dat and compares its
//     outputs with expected.dat, the software's (both read from the working directory, where Vitis copies the test
//     bench files, else from tb/); prints the first mismatches and a summary and exits 0 only when every event of
//     both files matches, 1 on any mismatch or a missing, short or long expected.dat.
//   IN [OUT]: writes the top's outputs for the events of IN to OUT (default stdout) and compares nothing (the flow's
//     C simulation, firmware/verify.py).
// hw_inputs.dat and IN: @N@ int16 hardware counts per event and line. expected.dat and OUT: per event and line
// "score_raw seed_mask trigger overflow" (seed_mask: bit k = seed k).
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "../firmware/@TOP@.h"

namespace {
using namespace @NS@;

const long MAX_REPORTED = 10;  // mismatches printed in full; all are counted
const char COLUMNS[] = "score_raw seed_mask trigger overflow";

struct Outputs {
    unsigned long long score_raw = 0;
    unsigned seed_mask = 0, trigger = 0, overflow = 0;
    bool operator==(const Outputs &o) const {
        return score_raw == o.score_raw && seed_mask == o.seed_mask && trigger == o.trigger && overflow == o.overflow;
    }
};

// The next line of in as one event's counts; false at the end of the file, with short set on a line that has fewer.
bool read_event(std::istream &in, hw_t hw[N_INPUTS], bool &short_line) {
    std::string line;
    if (!std::getline(in, line)) return false;
    std::istringstream ss(line);
    for (unsigned i = 0; i < N_INPUTS; i++) {
        int v;
        if (!(ss >> v)) {
            short_line = true;
            return false;
        }
        hw[i] = v;
    }
    return true;
}

bool read_outputs(std::istream &in, Outputs &o) {
    std::string line;
    if (!std::getline(in, line)) return false;
    std::istringstream ss(line);
    return bool(ss >> o.score_raw >> o.seed_mask >> o.trigger >> o.overflow);
}

Outputs run(const hw_t hw[N_INPUTS]) {
    score_t score;
    seeds_t seeds;
    ap_uint<1> trigger, overflow;
    @TOP@(hw, score, seeds, trigger, overflow);
    Outputs o;
    o.score_raw = score.range().to_uint64();
    o.seed_mask = seeds.to_uint();
    o.trigger = trigger.to_uint();
    o.overflow = overflow.to_uint();
    return o;
}

void print(std::FILE *f, const Outputs &o) {
    std::fprintf(f, "%llu %u %u %u", o.score_raw, o.seed_mask, o.trigger, o.overflow);
}

// Opens name in the working directory, else in tb/; the path it opened, "" when neither exists.
std::string open_data(std::ifstream &f, const std::string &name) {
    for (const std::string &path : {name, "tb/" + name}) {
        f.open(path);
        if (f) return path;
        f.clear();
    }
    return "";
}

int write_outputs(const char *in_path, const char *out_path) {
    std::ifstream in(in_path);
    std::FILE *out = out_path ? std::fopen(out_path, "w") : stdout;
    if (!in || !out) {
        std::fprintf(stderr, "ERROR: cannot open %s or %s\n", in_path, out_path ? out_path : "stdout");
        return 2;
    }
    hw_t hw[N_INPUTS];
    bool short_line = false;
    long n = 0;
    for (; read_event(in, hw, short_line); n++) {
        print(out, run(hw));
        std::fputc('\n', out);
    }
    if (out != stdout) std::fclose(out);
    if (short_line) std::fprintf(stderr, "ERROR: %s line %ld has fewer than %u counts\n", in_path, n + 1, N_INPUTS);
    return short_line ? 2 : 0;
}

int check() {
    std::ifstream in, want;
    const std::string in_path = open_data(in, "hw_inputs.dat"), want_path = open_data(want, "expected.dat");
    if (in_path.empty() || want_path.empty()) {
        std::fprintf(stderr, "ERROR: %s is neither in the working directory nor in tb/\n",
                     in_path.empty() ? "hw_inputs.dat" : "expected.dat");
        return 1;
    }
    hw_t hw[N_INPUTS];
    bool short_line = false;
    long n = 0, mismatches = 0;
    for (; read_event(in, hw, short_line); n++) {
        Outputs expected, got = run(hw);
        if (!read_outputs(want, expected)) {
            std::fprintf(stderr, "ERROR: %s has no \"%s\" for event %ld (line %ld): short or malformed\n",
                         want_path.c_str(), COLUMNS, n, n + 1);
            return 1;
        }
        if (got == expected || ++mismatches > MAX_REPORTED) continue;
        std::fprintf(stderr, "MISMATCH event %ld (line %ld): got ", n, n + 1);
        print(stderr, got);
        std::fprintf(stderr, ", expected ");
        print(stderr, expected);
        std::fprintf(stderr, " (%s)\n", COLUMNS);
    }
    Outputs extra;
    if (short_line) {
        std::fprintf(stderr, "ERROR: %s line %ld has fewer than %u counts\n", in_path.c_str(), n + 1, N_INPUTS);
        return 1;
    }
    if (n == 0 || read_outputs(want, extra)) {
        std::fprintf(stderr, "ERROR: %s\n", n == 0 ? "no events" : "expected.dat has more lines than hw_inputs.dat");
        return 1;
    }
    if (mismatches) {
        std::printf("FAILED: %ld of %ld events differ from %s\n", mismatches, n, want_path.c_str());
        return 1;
    }
    std::printf("PASSED: all %ld events of %s match %s (%s)\n", n, in_path.c_str(), want_path.c_str(), COLUMNS);
    return 0;
}
}  // namespace

int main(int argc, char **argv) { return argc > 1 ? write_outputs(argv[1], argc > 2 ? argv[2] : nullptr) : check(); }
"""


def testbench_expected(design: TriggerDesign, score: np.ndarray) -> tuple[np.ndarray, ...]:
    """The columns of ``tb/expected.dat`` from reference float scores (N,): score_raw (truncated and saturated onto
    the grid), seed_mask (bit k = ``score >= seeds[k].score``), trigger (the active seed's bit) and overflow."""
    from adtrigger.training.vae import OVERFLOW_SCORE

    raw = design.fixed_score(score)
    mask = design.seed_mask(raw)  # = pack_bits(seed_bits(score)): the truncation keeps the decision exact
    return raw, mask, (mask >> design.active_seed) & 1, (np.asarray(score) == OVERFLOW_SCORE).astype(np.int64)


def write_testbench_data(project: HLSProject, hw: np.ndarray, expected: tuple[np.ndarray, ...]) -> None:
    """The test bench's events: ``tb/hw_inputs.dat`` (``hw`` (N, n_inputs) int16 counts, one event per line) and
    ``tb/expected.dat`` (``expected``: score_raw, seed_mask, trigger, overflow, each (N,); one event per line, see
    :func:`testbench_expected`), which Vitis's C simulation and co-simulation check the top against."""
    hw = np.asarray(hw, dtype=np.int64)
    columns = np.stack([np.asarray(c, dtype=np.int64).reshape(-1) for c in expected], axis=1)
    if hw.ndim != 2 or columns.shape != (len(hw), 4):
        raise FirmwareError(f"test bench data: {hw.shape} events need 4 expected columns each, got {columns.shape}")
    tb = project.path / "tb"
    np.savetxt(tb / "hw_inputs.dat", hw, fmt="%d")
    np.savetxt(tb / "expected.dat", columns, fmt="%d")


def _write_tcl(design: TriggerDesign, out: Path, top: str, clock_period: float) -> None:
    """``build_trigger.tcl``, the Vitis HLS project of the top with the steps and switches of hls4ml's own
    ``build_prj.tcl`` (C simulation, C synthesis, co-simulation, IP export, Vivado synthesis), and
    ``vivado_synth_trigger.tcl`` for the last one."""
    for name, text in (("build_trigger.tcl", BUILD_TCL), ("vivado_synth_trigger.tcl", VIVADO_SYNTH_TCL)):
        for key, value in {"@TOP@": top, "@NAME@": repr(design.name), "@ENCODER@": ENCODER, "@PART@": PART,
                           "@CLOCK@": f"{clock_period:g}"}.items():  # fmt: skip
            text = text.replace(key, value)
        (out / name).write_text(text)


BUILD_TCL = r"""# Vitis HLS project of @TOP@, the L1 anomaly trigger of bundle @NAME@ (generated by adtrigger firmware),
# with the steps and switches of hls4ml's build_prj.tcl. Run in this folder:
#   vitis_hls -f build_trigger.tcl                              the defaults below
#   vitis_hls -f build_trigger.tcl -tclargs "cosim=0 export=0"  any step on (1) or off (0); vivado_hls: no -tclargs
#   vitis-run --mode hls --tcl build_trigger.tcl                takes no arguments: put them into
#                                                               build_trigger_opt.tcl, e.g. "array set opt {cosim 0}"
# C simulation and co-simulation run tb/@TOP@_tb.cpp, which compares every event of tb/hw_inputs.dat with the
# software's outputs in tb/expected.dat and fails the step on any mismatch: C and RTL are both checked against the
# same expected outputs (what hls4ml's "validation" step compares). Reports are copied to reports/, the IP to ip/.
array set opt {
    reset  0
    csim   1
    synth  1
    cosim  1
    export 1
    vsynth 0
}

set tcldir [file dirname [file normalize [info script]]]
cd $tcldir
if {[file exists build_trigger_opt.tcl]} {
    source build_trigger_opt.tcl
}
if {[info exists ::argv]} {
    foreach arg $::argv {
        foreach token [split $arg] {
            if {$token eq ""} continue
            if {![regexp {^(\w+)=(\w+)$} $token -> name value] || ![info exists opt($name)]
                    || ![string is boolean -strict $value]} {
                puts "ERROR: option '$token' unknown: give name=0 or name=1 with a name of [lsort [array names opt]]"
                exit 1
            }
            set opt($name) $value
        }
    }
}

set top @TOP@
set prj ${top}_prj
set part {@PART@}
set clock_period @CLOCK@
set clock_uncertainty 12.5%
set version 1.0.0

proc report_time {op_name time_start time_end} {
    set time_taken [expr {$time_end - $time_start}]
    set time_s [expr {($time_taken / 1000) % 60}]
    set time_m [expr {($time_taken / (1000 * 60)) % 60}]
    set time_h [expr {($time_taken / (1000 * 60 * 60)) % 24}]
    puts "***** ${op_name} COMPLETED IN ${time_h}h${time_m}m${time_s}s *****"
}

# Copies the files matching the patterns into dest: the reports and the IP out of the project tree.
proc copy_out {dest args} {
    file mkdir $dest
    foreach pattern $args {
        foreach f [glob -nocomplain $pattern] {
            file copy -force $f $dest
        }
    }
}

if {$opt(reset)} {
    open_project -reset $prj
} else {
    open_project $prj
}
set_top $top
add_files firmware/@ENCODER@.cpp -cflags "-std=c++14"
add_files firmware/${top}.cpp -cflags "-std=c++14"
add_files -tb tb/${top}_tb.cpp -cflags "-std=c++14"
add_files -tb tb/hw_inputs.dat
add_files -tb tb/expected.dat
if {$opt(reset)} {
    open_solution -reset solution1
} else {
    open_solution solution1
}
set_part $part
create_clock -period $clock_period -name default
set_clock_uncertainty $clock_uncertainty default
config_compile -name_max_length 80
config_schedule -enable_dsp_full_reg=false

if {$opt(csim)} {
    puts "***** C SIMULATION *****"
    set time_start [clock clicks -milliseconds]
    csim_design
    report_time "C SIMULATION" $time_start [clock clicks -milliseconds]
}

if {$opt(synth)} {
    puts "***** C/RTL SYNTHESIS *****"
    set time_start [clock clicks -milliseconds]
    csynth_design
    copy_out reports $prj/solution1/syn/report/${top}_csynth.rpt $prj/solution1/syn/report/${top}_csynth.xml
    report_time "C/RTL SYNTHESIS" $time_start [clock clicks -milliseconds]
}

if {$opt(cosim)} {
    puts "***** C/RTL SIMULATION *****"
    set time_start [clock clicks -milliseconds]
    cosim_design -rtl verilog
    copy_out reports $prj/solution1/sim/report/${top}_cosim.rpt
    report_time "C/RTL SIMULATION" $time_start [clock clicks -milliseconds]
}

if {$opt(export)} {
    puts "***** EXPORT IP *****"
    set time_start [clock clicks -milliseconds]
    export_design -format ip_catalog -version $version
    copy_out ip $prj/solution1/impl/export.zip $prj/solution1/impl/ip/*.zip
    report_time "EXPORT IP" $time_start [clock clicks -milliseconds]
}

if {$opt(vsynth)} {
    puts "***** VIVADO SYNTHESIS *****"
    if {![file exists $prj/solution1/syn/verilog]} {
        puts "ERROR: no Verilog in $prj/solution1/syn/verilog: run C synthesis first (synth=1)"
        exit 1
    }
    set time_start [clock clicks -milliseconds]
    exec vivado -mode batch -source vivado_synth_trigger.tcl >@ stdout
    report_time "VIVADO SYNTHESIS" $time_start [clock clicks -milliseconds]
}

exit
"""

VIVADO_SYNTH_TCL = r"""# Vivado synthesis of the Verilog that C synthesis wrote for @TOP@: build_trigger.tcl runs it
# with vsynth=1, as hls4ml's build_prj.tcl runs vivado_synth.tcl. Out of context: the trigger is one block of the
# Global Trigger's design, not a chip of its own.
add_files @TOP@_prj/solution1/syn/verilog
synth_design -top @TOP@ -part {@PART@} -mode out_of_context
create_clock -name ap_clk -period @CLOCK@ [get_ports ap_clk]
opt_design -retarget -propconst -sweep -bram_power_opt -shift_register_opt
file mkdir reports
report_utilization -file reports/@TOP@_vivado_synth.rpt
report_timing_summary -file reports/@TOP@_vivado_timing.rpt
"""


# -ffile-prefix-map (in build_csim and the emulator build) maps the build folders out of __FILE__ (ap_types'
# assertions) and any debug information: the objects, and the emulator library linked from them, carry no build path
CXXFLAGS = ("-O2", "-std=c++17", "-fPIC", "-fvisibility=hidden", "-fvisibility-inlines-hidden")


def build_csim(project: HLSProject) -> tuple[Path, list[Path]]:
    """Compile the encoder and trigger top once (position independent, hidden symbols, relative paths only) and link
    the test bench into the C simulation Vitis would run. Returns the executable and the two objects (the emulator
    links them)."""
    from adtrigger.firmware.tools import run_tool

    flags = [*CXXFLAGS, f"-ffile-prefix-map={project.path.resolve()}=.", "-Ifirmware", "-Ifirmware/ap_types"]
    objs = []
    for src in (f"firmware/{ENCODER}.cpp", f"firmware/{project.top}.cpp"):
        obj = project.path / (Path(src).stem + ".o")
        run_tool(["g++", *flags, "-c", src, "-o", obj.name], cwd=project.path, what=f"g++ {src}")
        objs.append(obj)
    exe = project.path / "tb" / f"{project.top}_csim"
    run_tool(
        ["g++", *flags, f"tb/{project.top}_tb.cpp", *(o.name for o in objs), "-o", f"tb/{exe.name}"],
        cwd=project.path, what="C simulation build",
    )  # fmt: skip
    return exe, objs
