`timescale 1 ns / 1 ps

module trigger_stage9 (
    input [37:0] model_inp,
    output [32:0] model_out
);

    // verilator lint_off UNUSEDSIGNAL
    // Explicit quantization operation will drop bits if exists

    wire [0:0] v0; assign v0[0:0] = model_inp[0:0]; // 45.0
    wire [0:0] v1; assign v1[0:0] = model_inp[1:1]; // 45.0
    wire [0:0] v2; binop #(1, 1, 0, 0, 1, 0, 1) op_2 (v0, v1, v2[0:0]); // 46.0
    wire [0:0] v3; assign v3[0:0] = model_inp[2:2]; // 45.0
    wire [0:0] v4; binop #(1, 1, 0, 0, 1, 0, 1) op_4 (v2, v3, v4[0:0]); // 47.0
    wire [0:0] v5; assign v5[0:0] = model_inp[3:3]; // 45.0
    wire [0:0] v6; binop #(1, 1, 0, 0, 1, 0, 1) op_6 (v4, v5, v6[0:0]); // 48.0
    wire [0:0] v7; assign v7[0:0] = model_inp[4:4]; // 45.0
    wire [0:0] v8; binop #(1, 1, 0, 0, 1, 0, 1) op_8 (v6, v7, v8[0:0]); // 49.0
    wire [0:0] v9; assign v9[0:0] = model_inp[5:5]; // 45.0
    wire [0:0] v10; binop #(1, 1, 0, 0, 1, 0, 1) op_10 (v8, v9, v10[0:0]); // 50.0
    wire [0:0] v11; assign v11[0:0] = model_inp[6:6]; // 45.0
    wire [0:0] v12; assign v12[0:0] = model_inp[7:7]; // 45.0
    wire [0:0] v13; assign v13[0:0] = model_inp[8:8]; // 45.0
    wire [0:0] v14; assign v14[0:0] = model_inp[9:9]; // 45.0
    wire [0:0] v15; assign v15[0:0] = model_inp[10:10]; // 45.0
    wire [0:0] v16; assign v16[0:0] = model_inp[11:11]; // 45.0
    wire [0:0] v17; assign v17[0:0] = model_inp[12:12]; // 45.0
    wire [24:0] v18; assign v18[24:0] = model_inp[37:13]; // 45.0

    // verilator lint_on UNUSEDSIGNAL

    assign model_out[0:0] = v10[0:0];
    assign model_out[1:1] = v11[0:0];
    assign model_out[2:2] = v12[0:0];
    assign model_out[3:3] = v13[0:0];
    assign model_out[4:4] = v14[0:0];
    assign model_out[5:5] = v15[0:0];
    assign model_out[6:6] = v16[0:0];
    assign model_out[7:7] = v17[0:0];
    assign model_out[32:8] = v18[24:0];

endmodule
