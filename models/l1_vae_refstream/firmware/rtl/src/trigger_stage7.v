`timescale 1 ns / 1 ps

module trigger_stage7 (
    input [70:0] model_inp,
    output [42:0] model_out
);

    // verilator lint_off UNUSEDSIGNAL
    // Explicit quantization operation will drop bits if exists

    wire [0:0] v0; assign v0[0:0] = model_inp[0:0]; // 35.0
    wire [0:0] v1; assign v1[0:0] = model_inp[1:1]; // 35.0
    wire [0:0] v2; binop #(1, 1, 0, 0, 1, 0, 1) op_2 (v0, v1, v2[0:0]); // 36.0
    wire [23:0] v3; assign v3[23:0] = model_inp[25:2]; // 35.0
    wire [23:0] v4; assign v4[23:0] = model_inp[49:26]; // 35.0
    wire [24:0] v5; shift_adder #(24, 24, 0, 0, 25, 0, 0) op_5 (v3[23:0], v4[23:0], v5[24:0]); // 36.0
    wire [0:0] v6; assign v6[0:0] = model_inp[50:50]; // 35.0
    wire [0:0] v7; binop #(1, 1, 0, 0, 1, 0, 1) op_7 (v2, v6, v7[0:0]); // 37.0
    wire [0:0] v8; assign v8[0:0] = model_inp[51:51]; // 35.0
    wire [0:0] v9; binop #(1, 1, 0, 0, 1, 0, 1) op_9 (v7, v8, v9[0:0]); // 38.0
    wire [0:0] v10; assign v10[0:0] = model_inp[52:52]; // 35.0
    wire [0:0] v11; binop #(1, 1, 0, 0, 1, 0, 1) op_11 (v9, v10, v11[0:0]); // 39.0
    wire [0:0] v12; assign v12[0:0] = model_inp[53:53]; // 35.0
    wire [0:0] v13; binop #(1, 1, 0, 0, 1, 0, 1) op_13 (v11, v12, v13[0:0]); // 40.0
    wire [0:0] v14; assign v14[0:0] = model_inp[54:54]; // 35.0
    wire [0:0] v15; assign v15[0:0] = model_inp[55:55]; // 35.0
    wire [0:0] v16; assign v16[0:0] = model_inp[56:56]; // 35.0
    wire [0:0] v17; assign v17[0:0] = model_inp[57:57]; // 35.0
    wire [0:0] v18; assign v18[0:0] = model_inp[58:58]; // 35.0
    wire [0:0] v19; assign v19[0:0] = model_inp[59:59]; // 35.0
    wire [0:0] v20; assign v20[0:0] = model_inp[60:60]; // 35.0
    wire [0:0] v21; assign v21[0:0] = model_inp[61:61]; // 35.0
    wire [0:0] v22; assign v22[0:0] = model_inp[62:62]; // 35.0
    wire [0:0] v23; assign v23[0:0] = model_inp[63:63]; // 35.0
    wire [0:0] v24; assign v24[0:0] = model_inp[64:64]; // 35.0
    wire [0:0] v25; assign v25[0:0] = model_inp[65:65]; // 35.0
    wire [0:0] v26; assign v26[0:0] = model_inp[66:66]; // 35.0
    wire [0:0] v27; assign v27[0:0] = model_inp[67:67]; // 35.0
    wire [0:0] v28; assign v28[0:0] = model_inp[68:68]; // 35.0
    wire [0:0] v29; assign v29[0:0] = model_inp[69:69]; // 35.0
    wire [0:0] v30; assign v30[0:0] = model_inp[70:70]; // 35.0

    // verilator lint_on UNUSEDSIGNAL

    assign model_out[0:0] = v13[0:0];
    assign model_out[1:1] = v14[0:0];
    assign model_out[2:2] = v15[0:0];
    assign model_out[3:3] = v16[0:0];
    assign model_out[4:4] = v17[0:0];
    assign model_out[5:5] = v18[0:0];
    assign model_out[6:6] = v19[0:0];
    assign model_out[7:7] = v20[0:0];
    assign model_out[8:8] = v21[0:0];
    assign model_out[9:9] = v22[0:0];
    assign model_out[10:10] = v23[0:0];
    assign model_out[11:11] = v24[0:0];
    assign model_out[12:12] = v25[0:0];
    assign model_out[13:13] = v26[0:0];
    assign model_out[14:14] = v27[0:0];
    assign model_out[15:15] = v28[0:0];
    assign model_out[16:16] = v29[0:0];
    assign model_out[17:17] = v30[0:0];
    assign model_out[42:18] = v5[24:0];

endmodule
