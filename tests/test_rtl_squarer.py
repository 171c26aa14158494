"""The squarer the RTL uses for mu^2 (firmware/verilog/squarer.v) equals da4ml's general multiplier of a wire by
itself, proved for every input by Yosys's SAT solver, and the Verilog rewrite touches only true squares."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from adtrigger.firmware.rtl import SQUARER_V, use_squarers

MULTIPLIER_V = """
module multiplier #(parameter BW_INPUT0 = 32, parameter BW_INPUT1 = 32, parameter SIGNED0 = 0,
                    parameter SIGNED1 = 0, parameter BW_OUT = 32)
                   (input [BW_INPUT0-1:0] in0, input [BW_INPUT1-1:0] in1, output [BW_OUT-1:0] out);
  wire [BW_INPUT0 + BW_INPUT1 - 1:0] buffer;
  generate
    if (SIGNED0 == 1 && SIGNED1 == 1) begin : ss
      assign buffer = $signed(in0) * $signed(in1);
    end else begin : uu
      assign buffer = in0 * in1;
    end
  endgenerate
  assign out = buffer[BW_OUT-1:0];
endmodule
"""  # da4ml's static/multiplier.v, as it computes a square (both operands alike)


@pytest.mark.skipif(shutil.which("yosys") is None, reason="needs yosys (apt-get install yosys)")
@pytest.mark.parametrize(("bits", "signed", "out"), [(14, 1, 26), (13, 0, 26), (5, 1, 10), (6, 0, 9), (1, 0, 1)])
def test_squarer_equals_the_multiplier_for_every_input(tmp_path: Path, bits: int, signed: int, out: int):
    (tmp_path / "multiplier.v").write_text(MULTIPLIER_V)
    (tmp_path / "pair.v").write_text(
        f"module gold(input [{bits - 1}:0] x, output [{out - 1}:0] y); "
        f"multiplier #({bits}, {bits}, {signed}, {signed}, {out}) m (x, x, y); endmodule\n"
        f"module gate(input [{bits - 1}:0] x, output [{out - 1}:0] y); squarer #({bits}, {signed}, {out}) m (x, y); "
        "endmodule\n"
    )
    script = (f"read_verilog -sv multiplier.v {SQUARER_V} pair.v; proc; flatten; opt; "
              "miter -equiv -flatten -make_assert gold gate miter; sat -verify -prove-asserts miter")  # fmt: skip
    r = subprocess.run(["yosys", "-q", "-p", script], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    # the proof can fail: a squarer that drops the top row differs
    (tmp_path / "broken.v").write_text(SQUARER_V.read_text().replace("a[i] ? (a >> (i + 1))", "a[i] ? (a >> (i + 2))"))
    broken = script.replace(str(SQUARER_V), "broken.v")
    if bits > 2:
        r = subprocess.run(["yosys", "-q", "-p", broken], cwd=tmp_path, capture_output=True, text=True, timeout=600)
        assert r.returncode != 0


def test_only_true_squares_are_rewritten():
    text = (
        "wire [25:0] v16; multiplier #(13, 13, 0, 0, 26) op_16 (v15[12:0], v15[12:0], v16[25:0]);\n"
        "wire [5:0] v1; multiplier #(3, 4, 0, 0, 6) op_1 (v7[2:0], v8[3:0], v1[5:0]);\n"
        "wire [25:0] v8; multiplier #(14, 14, 1, 1, 26) op_8 (v7[13:0], v9[13:0], v8[25:0]);\n"
        "wire [9:0] v2; multiplier #(5, 5, 1, 0, 10) op_2 (v3[4:0], v3[4:0], v2[9:0]);\n"
    )
    lines = use_squarers(text).splitlines()
    assert lines[0] == "wire [25:0] v16; squarer #(13, 0, 26) op_16 (v15[12:0], v16[25:0]);"
    assert lines[1:] == text.splitlines()[1:]  # two different operands, or mixed signedness: left as they are
