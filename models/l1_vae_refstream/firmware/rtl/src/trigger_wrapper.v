`timescale 1 ns / 1 ps

module trigger_wrapper (
   input clk,
    // verilator lint_off UNUSEDSIGNAL
    input [911:0] model_inp,
    // verilator lint_on UNUSEDSIGNAL
    output [74:0] model_out
);
    wire [911:0] packed_inp;
    wire [26:0] packed_out;

    assign packed_inp[911:0] = model_inp[911:0];

    trigger op (
        .clk(clk),
        .model_inp(packed_inp),
        .model_out(packed_out)
    );

    assign model_out[25:0] = packed_out[25:0];
    assign model_out[50:50] = packed_out[26:26];
    assign model_out[49:26] = 24'b0;
    assign model_out[74:51] = 24'b0;

endmodule
