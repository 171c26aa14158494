`timescale 1 ns / 1 ps

module trigger_stage10 (
    input [32:0] model_inp,
    output [27:0] model_out
);

    // verilator lint_off UNUSEDSIGNAL
    // Explicit quantization operation will drop bits if exists

    wire [0:0] v0; assign v0[0:0] = model_inp[0:0]; // 50.0
    wire [0:0] v1; assign v1[0:0] = model_inp[1:1]; // 50.0
    wire [0:0] v2; binop #(1, 1, 0, 0, 1, 0, 1) op_2 (v0, v1, v2[0:0]); // 51.0
    wire [0:0] v3; assign v3[0:0] = model_inp[2:2]; // 50.0
    wire [0:0] v4; binop #(1, 1, 0, 0, 1, 0, 1) op_4 (v2, v3, v4[0:0]); // 52.0
    wire [0:0] v5; assign v5[0:0] = model_inp[3:3]; // 50.0
    wire [0:0] v6; binop #(1, 1, 0, 0, 1, 0, 1) op_6 (v4, v5, v6[0:0]); // 53.0
    wire [0:0] v7; assign v7[0:0] = model_inp[4:4]; // 50.0
    wire [0:0] v8; binop #(1, 1, 0, 0, 1, 0, 1) op_8 (v6, v7, v8[0:0]); // 54.0
    wire [0:0] v9; assign v9[0:0] = model_inp[5:5]; // 50.0
    wire [0:0] v10; binop #(1, 1, 0, 0, 1, 0, 1) op_10 (v8, v9, v10[0:0]); // 55.0
    wire [0:0] v11; assign v11[0:0] = model_inp[6:6]; // 50.0
    wire [0:0] v12; assign v12[0:0] = model_inp[7:7]; // 50.0
    wire [24:0] v13; assign v13[24:0] = model_inp[32:8]; // 50.0

    // verilator lint_on UNUSEDSIGNAL

    assign model_out[0:0] = v10[0:0];
    assign model_out[1:1] = v11[0:0];
    assign model_out[2:2] = v12[0:0];
    assign model_out[27:3] = v13[24:0];

endmodule
