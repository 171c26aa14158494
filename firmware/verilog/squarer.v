`timescale 1ns / 1ps
// squarer: out = in * in of one operand, signed (two's complement) or unsigned, exact.
// With a = |in| (unsigned, BW_IN bits), a^2 = sum_i a_i 4^i + sum_{i<j} a_i a_j 2^(i+j+1): half the partial
// products of a general multiplier. Row i, divided by 4^i, is a_i ? {a >> (i+1), 1'b0, 1'b1} : 0, so summing
// from the top row down, t_i = {t_(i+1) + (a_i ? a >> (i+1) : 0), 1'b0, a_i} needs one adder of the width of the
// remaining rows per bit.
module squarer #(
    parameter BW_IN = 16,
    parameter SIGNED = 0,
    parameter BW_OUT = 32
) (
    input [BW_IN-1:0] in,
    output [BW_OUT-1:0] out
);
  localparam BW_BUF = 2 * BW_IN;
  wire [BW_IN-1:0] a = (SIGNED == 1 && in[BW_IN-1]) ? (~in + 1'b1) : in;  // |in|; -2^(BW_IN-1) reads as 2^(BW_IN-1)
  // verilator lint_off UNUSEDSIGNAL
  wire [BW_BUF-1:0] t[0:BW_IN];
  // verilator lint_on UNUSEDSIGNAL
  assign t[BW_IN] = {BW_BUF{1'b0}};
  genvar i;
  generate
    for (i = BW_IN - 1; i >= 0; i = i - 1) begin : rows
      wire [BW_IN-1:0] part = a[i] ? (a >> (i + 1)) : {BW_IN{1'b0}};
      wire [BW_BUF-1:0] upper = t[i+1] + {{BW_IN{1'b0}}, part};
      assign t[i] = {upper[BW_BUF-3:0], 1'b0, a[i]};
    end
  endgenerate
  assign out[BW_OUT-1:0] = t[0][BW_OUT-1:0];
endmodule
