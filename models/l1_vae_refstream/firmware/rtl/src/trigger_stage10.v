`timescale 1 ns / 1 ps

module trigger_stage10 (
    input [95:0] model_inp,
    output [45:0] model_out
);

    // verilator lint_off UNUSEDSIGNAL
    // Explicit quantization operation will drop bits if exists

    wire [0:0] v0; assign v0[0:0] = model_inp[0:0]; // 50.0
    wire [0:0] v1; assign v1[0:0] = model_inp[1:1]; // 50.0
    wire [0:0] v2; binop #(1, 1, 0, 0, 1, 0, 1) op_2 (v0, v1, v2[0:0]); // 51.0
    wire [42:0] v3; assign v3[42:0] = 43'b1111111111111111111111111111111111111111111; // 51.0
    wire [43:0] v4; assign v4[43:0] = model_inp[45:2]; // 50.0
    wire [43:0] v5; assign v5[43:0] = model_inp[89:46]; // 50.0
    wire [42:0] v6; mux #(44, 43, 0, 0, 43, 0, 0) op_6 (v5[43], v4[43:0], v3[42:0], v6[42:0]); // 51.0
    wire [0:0] v7; assign v7[0:0] = model_inp[90:90]; // 50.0
    wire [0:0] v8; binop #(1, 1, 0, 0, 1, 0, 1) op_8 (v2, v7, v8[0:0]); // 52.0
    wire [0:0] v9; assign v9[0:0] = model_inp[91:91]; // 50.0
    wire [0:0] v10; binop #(1, 1, 0, 0, 1, 0, 1) op_10 (v8, v9, v10[0:0]); // 53.0
    wire [0:0] v11; assign v11[0:0] = model_inp[92:92]; // 50.0
    wire [0:0] v12; binop #(1, 1, 0, 0, 1, 0, 1) op_12 (v10, v11, v12[0:0]); // 54.0
    wire [0:0] v13; assign v13[0:0] = model_inp[93:93]; // 50.0
    wire [0:0] v14; binop #(1, 1, 0, 0, 1, 0, 1) op_14 (v12, v13, v14[0:0]); // 55.0
    wire [0:0] v15; assign v15[0:0] = model_inp[94:94]; // 50.0
    wire [0:0] v16; assign v16[0:0] = model_inp[95:95]; // 50.0

    // verilator lint_on UNUSEDSIGNAL

    assign model_out[0:0] = v14[0:0];
    assign model_out[1:1] = v15[0:0];
    assign model_out[2:2] = v16[0:0];
    assign model_out[45:3] = v6[42:0];

endmodule
