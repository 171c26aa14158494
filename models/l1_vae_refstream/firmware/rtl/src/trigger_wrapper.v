`timescale 1 ns / 1 ps

module trigger_wrapper (
   input clk,
    // verilator lint_off UNUSEDSIGNAL
    input [911:0] model_inp,
    // verilator lint_on UNUSEDSIGNAL
    output [119:0] model_out
);
    wire [911:0] packed_inp;
    wire [44:0] packed_out;

    assign packed_inp[911:0] = model_inp[911:0];

    trigger op (
        .clk(clk),
        .model_inp(packed_inp),
        .model_out(packed_out)
    );

    assign model_out[42:0] = packed_out[42:0];
    assign model_out[60:60] = packed_out[43:43];
    assign model_out[90:90] = packed_out[44:44];
    assign model_out[59:43] = 17'b0;
    assign model_out[89:61] = 29'b0;
    assign model_out[119:91] = 29'b0;

endmodule
