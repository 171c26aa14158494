`timescale 1 ns / 1 ps

module trigger_stage8 (
    input [187:0] model_inp,
    output [182:0] model_out
);

    // verilator lint_off UNUSEDSIGNAL
    // Explicit quantization operation will drop bits if exists

    wire [0:0] v0; assign v0[0:0] = model_inp[0:0]; // 40.0
    wire [0:0] v1; assign v1[0:0] = model_inp[1:1]; // 40.0
    wire [0:0] v2; binop #(1, 1, 0, 0, 1, 0, 1) op_2 (v0, v1, v2[0:0]); // 41.0
    wire [0:0] v3; assign v3[0:0] = model_inp[2:2]; // 40.0
    wire [0:0] v4; binop #(1, 1, 0, 0, 1, 0, 1) op_4 (v2, v3, v4[0:0]); // 42.0
    wire [0:0] v5; assign v5[0:0] = model_inp[3:3]; // 40.0
    wire [0:0] v6; binop #(1, 1, 0, 0, 1, 0, 1) op_6 (v4, v5, v6[0:0]); // 43.0
    wire [0:0] v7; assign v7[0:0] = model_inp[4:4]; // 40.0
    wire [0:0] v8; binop #(1, 1, 0, 0, 1, 0, 1) op_8 (v6, v7, v8[0:0]); // 44.0
    wire [0:0] v9; assign v9[0:0] = model_inp[5:5]; // 40.0
    wire [0:0] v10; binop #(1, 1, 0, 0, 1, 0, 1) op_10 (v8, v9, v10[0:0]); // 45.0
    wire [0:0] v11; assign v11[0:0] = model_inp[6:6]; // 40.0
    wire [20:0] v12; assign v12[20:0] = model_inp[27:7]; // 40.0
    wire [20:0] v13; assign v13[20:0] = model_inp[48:28]; // 40.0
    wire [20:0] v14; assign v14[20:0] = model_inp[69:49]; // 40.0
    wire [20:0] v15; assign v15[20:0] = model_inp[90:70]; // 40.0
    wire [0:0] v16; assign v16[0:0] = model_inp[91:91]; // 40.0
    wire [21:0] v17; assign v17[21:0] = model_inp[113:92]; // 40.0
    wire [20:0] v18; assign v18[20:0] = model_inp[134:114]; // 40.0
    wire [21:0] v19; assign v19[21:0] = model_inp[156:135]; // 40.0
    wire [20:0] v20; assign v20[20:0] = model_inp[177:157]; // 40.0
    wire [0:0] v21; assign v21[0:0] = model_inp[178:178]; // 40.0
    wire [0:0] v22; assign v22[0:0] = model_inp[179:179]; // 40.0
    wire [0:0] v23; assign v23[0:0] = model_inp[180:180]; // 40.0
    wire [0:0] v24; assign v24[0:0] = model_inp[181:181]; // 40.0
    wire [0:0] v25; assign v25[0:0] = model_inp[182:182]; // 40.0
    wire [0:0] v26; assign v26[0:0] = model_inp[183:183]; // 40.0
    wire [0:0] v27; assign v27[0:0] = model_inp[184:184]; // 40.0
    wire [0:0] v28; assign v28[0:0] = model_inp[185:185]; // 40.0
    wire [0:0] v29; assign v29[0:0] = model_inp[186:186]; // 40.0
    wire [0:0] v30; assign v30[0:0] = model_inp[187:187]; // 40.0

    // verilator lint_on UNUSEDSIGNAL

    assign model_out[0:0] = v10[0:0];
    assign model_out[1:1] = v11[0:0];
    assign model_out[22:2] = v12[20:0];
    assign model_out[43:23] = v13[20:0];
    assign model_out[64:44] = v14[20:0];
    assign model_out[85:65] = v15[20:0];
    assign model_out[86:86] = v16[0:0];
    assign model_out[108:87] = v17[21:0];
    assign model_out[129:109] = v18[20:0];
    assign model_out[151:130] = v19[21:0];
    assign model_out[172:152] = v20[20:0];
    assign model_out[173:173] = v21[0:0];
    assign model_out[174:174] = v22[0:0];
    assign model_out[175:175] = v23[0:0];
    assign model_out[176:176] = v24[0:0];
    assign model_out[177:177] = v25[0:0];
    assign model_out[178:178] = v26[0:0];
    assign model_out[179:179] = v27[0:0];
    assign model_out[180:180] = v28[0:0];
    assign model_out[181:181] = v29[0:0];
    assign model_out[182:182] = v30[0:0];

endmodule
