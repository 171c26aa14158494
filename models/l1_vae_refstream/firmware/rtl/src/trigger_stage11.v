`timescale 1 ns / 1 ps

module trigger_stage11 (
    input [45:0] model_inp,
    output [44:0] model_out
);

    // verilator lint_off UNUSEDSIGNAL
    // Explicit quantization operation will drop bits if exists

    wire [0:0] v0; assign v0[0:0] = model_inp[0:0]; // 55.0
    wire [0:0] v1; assign v1[0:0] = model_inp[1:1]; // 55.0
    wire [0:0] v2; binop #(1, 1, 0, 0, 1, 0, 1) op_2 (v0, v1, v2[0:0]); // 56.0
    wire [0:0] v3; assign v3[0:0] = model_inp[2:2]; // 55.0
    wire [0:0] v4; binop #(1, 1, 0, 0, 1, 0, 1) op_4 (v2, v3, v4[0:0]); // 57.0
    wire [42:0] v5; assign v5[42:0] = 43'b1111111111111111111111111111111111111111111; // 58.0
    wire [42:0] v6; assign v6[42:0] = model_inp[45:3]; // 55.0
    wire [42:0] v7; mux #(43, 43, 0, 0, 43, 0, 0) op_7 (v4[0], v5[42:0], v6[42:0], v7[42:0]); // 58.0
    wire [29:0] v8; assign v8[29:0] = v7[29:0]; // 58.0
    wire [12:0] v9; assign v9[12:0] = v7[42:30]; // 58.0
    wire [43:0] v10; shift_adder #(43, 34, 0, 0, 44, 0, 1) op_10 (v7[42:0], 34'b1000100100111000011101111010000000, v10[43:0]); // 58.0
    wire [0:0] v11; assign v11[0:0] = v10[43:43]; // 58.0
    wire [0:0] v12; assign v12[0:0] = ~v11; // 58.0

    // verilator lint_on UNUSEDSIGNAL

    assign model_out[29:0] = v8[29:0];
    assign model_out[42:30] = v9[12:0];
    assign model_out[43:43] = v12[0:0];
    assign model_out[44:44] = v4[0:0];

endmodule
