`timescale 1 ns / 1 ps

module trigger_stage11 (
    input [27:0] model_inp,
    output [26:0] model_out
);

    // verilator lint_off UNUSEDSIGNAL
    // Explicit quantization operation will drop bits if exists

    wire [0:0] v0; assign v0[0:0] = model_inp[0:0]; // 55.0
    wire [0:0] v1; assign v1[0:0] = model_inp[1:1]; // 55.0
    wire [0:0] v2; binop #(1, 1, 0, 0, 1, 0, 1) op_2 (v0, v1, v2[0:0]); // 56.0
    wire [0:0] v3; assign v3[0:0] = model_inp[2:2]; // 55.0
    wire [0:0] v4; binop #(1, 1, 0, 0, 1, 0, 1) op_4 (v2, v3, v4[0:0]); // 57.0
    wire [24:0] v5; assign v5[24:0] = 25'b1111111111111111111111111; // 58.0
    wire [24:0] v6; assign v6[24:0] = model_inp[27:3]; // 55.0
    wire [24:0] v7; mux #(25, 25, 0, 0, 25, 0, 0) op_7 (v4[0], v5[24:0], v6[24:0], v7[24:0]); // 58.0
    wire [25:0] v8; shift_adder #(25, 18, 0, 0, 26, 0, 1) op_8 (v7[24:0], 18'b110100011110010100, v8[25:0]); // 58.0
    wire [0:0] v9; assign v9[0:0] = v8[25:25]; // 58.0
    wire [0:0] v10; assign v10[0:0] = ~v9; // 58.0

    // verilator lint_on UNUSEDSIGNAL

    assign model_out[24:0] = v7[24:0];
    assign model_out[25:25] = v10[0:0];
    assign model_out[26:26] = v4[0:0];

endmodule
