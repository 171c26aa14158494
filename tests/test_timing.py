"""The estimated static timing (firmware/timing.py) on netlists Yosys synthesizes here, the netlist reader
(firmware/netlist.py) and the readers of Vivado's reports (firmware/vivado.py) on real report text."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from adtrigger.firmware import vivado
from adtrigger.firmware.design import FirmwareError
from adtrigger.firmware.netlist import load_netlist, resources
from adtrigger.firmware.timing import ULTRASCALE_PLUS_2L, estimate

VIVADO_DATA = Path(__file__).parent / "data" / "vivado"

DESIGNS = """
module parity #(parameter W = 6) (input clk, input [W-1:0] a, output reg y);
  reg [W-1:0] r;
  always @(posedge clk) begin r <= a; y <= ^r; end
endmodule
module parity6 (input clk, input [5:0] a, output y); parity #(6) p (clk, a, y); endmodule
module parity216 (input clk, input [215:0] a, output y); parity #(216) p (clk, a, y); endmodule

module adder #(parameter W = 8) (input clk, input [W-1:0] a, b, output reg [W-1:0] y);
  reg [W-1:0] ra, rb;
  always @(posedge clk) begin ra <= a; rb <= b; y <= ra + rb; end
endmodule
module add8 (input clk, input [7:0] a, b, output [7:0] y); adder #(8) s (clk, a, b, y); endmodule
module add64 (input clk, input [63:0] a, b, output [63:0] y); adder #(64) s (clk, a, b, y); endmodule

module pipe3 (input clk, input [7:0] a, b, output [7:0] y);
  reg [7:0] r1, r2, r3;
  always @(posedge clk) begin
    r1 <= a + b;
    r2 <= r1 ^ {r1[3:0], r1[7:4]};
    r3 <= r2 + 8'd3;
  end
  assign y = r3;
endmodule

// a 12-deep shift register (an SRL) and a 16 x 4 distributed RAM read asynchronously (LUTRAM), written by a counter
module memories (input clk, input d, input [3:0] x, output q, output [3:0] o);
  reg [11:0] s;
  always @(posedge clk) s <= {s[10:0], d};
  assign q = s[11];
  reg [3:0] mem [0:15];
  reg [3:0] wa;
  always @(posedge clk) begin mem[wa] <= x; wa <= wa + 1; end
  assign o = mem[x];
endmodule

module mul (input clk, input [15:0] a, b, output reg [31:0] y);
  reg [15:0] ra, rb;
  always @(posedge clk) begin ra <= a; rb <= b; y <= ra * rb; end
endmodule

module empty; endmodule
"""
TOPS = {"parity6": "-nodsp", "parity216": "-nodsp", "add8": "-nodsp", "add64": "-nodsp", "pipe3": "-nodsp",
        "memories": "-nodsp", "mul": "", "empty": "-nodsp"}  # fmt: skip


@pytest.fixture(scope="module")
def nets(tmp_path_factory) -> dict[str, Path]:
    """One Yosys run that synthesizes every top above for UltraScale+, as the flow does, into <top>.json."""
    if shutil.which("yosys") is None:
        pytest.skip("needs yosys (apt-get install yosys)")
    d = tmp_path_factory.mktemp("yosys")
    (d / "designs.v").write_text(DESIGNS)
    script = "; ".join(
        f"design -reset; read_verilog -noblackbox designs.v; synth_xilinx -family xcup -flatten {opts} -top {top}; "
        f"write_json {top}.json"
        for top, opts in TOPS.items()
    )
    subprocess.run(["yosys", "-q", "-p", script], cwd=d, check=True, capture_output=True, timeout=600)
    return {top: d / f"{top}.json" for top in TOPS}


def timed(nets: dict[str, Path], top: str):
    return estimate(load_netlist(nets[top], top=top))


def test_a_stage_with_more_lut_levels_gets_a_lower_fmax(nets):
    shallow, deep = timed(nets, "parity6"), timed(nets, "parity216")
    s, d = shallow.stages[1], deep.stages[1]  # the register-to-register stage (stage 2 of in -> r -> y -> out)
    assert (s.stage, d.stage) == (2, 2)
    assert s.lut_levels == 1 and d.lut_levels >= 3  # parity of 6 bits: one LUT6; of 216: a tree of LUT6 (+ MUXF)
    assert d.delay_ns > s.delay_ns + 2 * ULTRASCALE_PLUS_2L.lut_level_ns - 1e-9
    assert deep.fmax_mhz < shallow.fmax_mhz
    assert deep.critical_stage == 2 and deep.fmax_mhz == pytest.approx(1000 / d.delay_ns)
    assert deep.meets(deep.min_period_ns) and not deep.meets(0.9 * deep.min_period_ns)
    assert shallow.fmax_mhz > 775 and not shallow.meets(shallow.min_period_ns)  # faster than the clock tree


def test_a_wider_adder_has_more_carry_elements_and_a_longer_delay(nets):
    narrow, wide = timed(nets, "add8").stages[1], timed(nets, "add64").stages[1]
    assert narrow.carry_elements == 2 and wide.carry_elements == 16  # Yosys 0.23 maps to CARRY4: 4 bits each
    m = ULTRASCALE_PLUS_2L
    assert wide.delay_ns - narrow.delay_ns == pytest.approx(14 * m.carry_ns)  # the chain, element by element
    assert "CARRY4x16" in wide.path


def test_a_three_stage_pipeline_reads_three_cycles_and_its_stages(nets):
    est = timed(nets, "pipe3")
    assert (est.latency_cycles, est.latency_min_cycles) == (3, 3) and est.latency_uniform
    assert [s.stage for s in est.stages] == [1, 2, 3, 4]
    expected = {"r1": 1, "r2": 2, "r3": 3, "y": 3}  # r3 carries the name of the port it drives
    for e in est.endpoints:
        reg = e.end.split("[")[0]
        assert e.stage == (expected[reg] if "/" in e.end else 4), e  # output ports: the stage after the last
    assert est.stages[0].carry_elements == 2 and est.stages[1].carry_elements == 0  # a + b, then an XOR
    assert est.latency_ns(5.0) == 15.0 and est.latency_ns() == pytest.approx(3 * est.min_period_ns)


def test_shift_registers_and_distributed_ram_count_as_luts_and_in_the_latency(nets):
    net = load_netlist(nets["memories"], top="memories")
    res = resources(net)
    cells = res["cells"]
    assert cells.get("SRL16E") == 1 and res["srl"] == 1
    lutram = {t: n for t, n in cells.items() if re.match(r"RAM(?!B)", t)}
    assert lutram and res["lutram"] >= sum(lutram.values())  # a RAM32M16 is 8 LUTs
    logic = sum(n for t, n in cells.items() if re.fullmatch(r"LUT[1-6]", t))
    assert res["lut"] == logic + res["srl"] + res["lutram"]
    assert res["ff"] == sum(n for t, n in cells.items() if t.startswith("FD")) and res["bram"] == 0
    est = estimate(net)
    assert est.latency_cycles == 12  # d -> q through the SRL, 12 deep (its constant address + 1)
    assert est.latency_min_cycles == 0 and not est.latency_uniform  # x -> o: the asynchronous read
    assert est.feedback  # the write-address counter feeds itself


def test_cells_without_a_delay_model_are_refused(nets):
    net = load_netlist(nets["mul"], top="mul")
    assert resources(net)["dsp"] >= 1
    with pytest.raises(FirmwareError, match=r"no delay model for cell types.*DSP48E2"):
        estimate(net)


def test_a_netlist_without_the_module_or_cells_is_an_error(nets, tmp_path):
    with pytest.raises(FirmwareError, match="has no cells"):
        load_netlist(nets["empty"], top="empty")  # Yosys's own output for an empty top
    with pytest.raises(FirmwareError, match=r"no netlist/statistics for module 'trigger'.*'add8'"):
        load_netlist(nets["add8"])  # the top is add8
    bad = tmp_path / "netlist.json"
    bad.write_text("Number of cells: 12")
    with pytest.raises(FirmwareError, match="not JSON"):
        load_netlist(bad)
    with pytest.raises(FirmwareError, match="does not exist"):
        load_netlist(tmp_path / "absent.json")


def test_a_combinational_loop_is_an_error(tmp_path):
    lut = {"type": "LUT2", "port_directions": {"I0": "input", "I1": "input", "O": "output"}}
    net = {"modules": {"trigger": {
        "ports": {"a": {"direction": "input", "bits": [2]}, "y": {"direction": "output", "bits": [3]}},
        "cells": {"u": lut | {"connections": {"I0": [2], "I1": [4], "O": [3]}},
                  "v": lut | {"connections": {"I0": [3], "I1": [2], "O": [4]}}},
        "netnames": {},
    }}}  # fmt: skip
    (tmp_path / "loop.json").write_text(json.dumps(net))
    with pytest.raises(FirmwareError, match="combinational loop"):
        estimate(load_netlist(tmp_path / "loop.json"))


def test_the_report_says_estimate_and_names_the_model(nets):
    est = timed(nets, "add64")
    text = est.describe()
    assert "estimate, not vendor timing" in text and ULTRASCALE_PLUS_2L.name in text
    out = est.to_json()
    assert out["kind"] == "estimate, not vendor timing" and out["model"] == ULTRASCALE_PLUS_2L.name
    assert out["latency_cycles"] == 2 and len(out["stages"]) == 3 and "endpoints" not in out
    json.dumps(est.to_json(endpoints=True))


def test_vivado_timing_summaries_are_read():
    met = vivado.parse_timing_summary((VIVADO_DATA / "timing_summary_met.rpt").read_text())
    assert met["wns_ns"] == 2.221 and met["failing_endpoints"] == 0 and met["clock_period_ns"] == 5.0
    assert met["fmax_mhz"] == pytest.approx(1000 / (5.0 - 2.221))
    bad = vivado.parse_timing_summary((VIVADO_DATA / "timing_summary_violated.rpt").read_text())
    assert (bad["wns_ns"], bad["tns_ns"], bad["failing_endpoints"], bad["total_endpoints"]) == (-0.089, -0.762, 20, 973)
    assert bad["fmax_mhz"] == pytest.approx(1000 / 5.089) and bad["fmax_mhz"] < 200


def test_vivado_utilization_is_read():
    util = vivado.parse_utilization((VIVADO_DATA / "utilization_routed.rpt").read_text())
    assert util == {"lut": 429, "ff": 299, "dsp": 3, "carry": 18, "bram": 0.0, "srl": 0, "lutram": 0}


def test_vivado_readers_refuse_other_text():
    summary = (VIVADO_DATA / "timing_summary_met.rpt").read_text()
    util = (VIVADO_DATA / "utilization_routed.rpt").read_text()
    with pytest.raises(FirmwareError, match="Design Timing Summary"):
        vivado.parse_timing_summary(util)
    with pytest.raises(FirmwareError, match="LUTs"):
        vivado.parse_utilization(summary)
    na_row = "        NA           NA                     NA                   NA"  # Vivado's row without clocks
    unclocked = re.sub(r"^\s+2\.221\s.*$", na_row, summary, flags=re.M)
    with pytest.raises(FirmwareError, match="no constrained clock"):
        vivado.parse_timing_summary(unclocked)


@pytest.mark.skipif(vivado.available(), reason="Vivado is installed: the flow runs it instead")
def test_without_vivado_the_hook_says_so(tmp_path):
    assert vivado.OOC_TCL.is_file()
    with pytest.raises(FirmwareError, match="vivado not found"):
        vivado.run_ooc(tmp_path, ["src/trigger.v"], "trigger", ULTRASCALE_PLUS_2L.part, 5.0)
