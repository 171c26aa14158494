`timescale 1 ns / 1 ps

module trigger_stage9 (
    input [182:0] model_inp,
    output [95:0] model_out
);

    // verilator lint_off UNUSEDSIGNAL
    // Explicit quantization operation will drop bits if exists

    wire [0:0] v0; assign v0[0:0] = model_inp[0:0]; // 45.0
    wire [0:0] v1; assign v1[0:0] = model_inp[1:1]; // 45.0
    wire [0:0] v2; binop #(1, 1, 0, 0, 1, 0, 1) op_2 (v0, v1, v2[0:0]); // 46.0
    wire [20:0] v3; assign v3[20:0] = model_inp[22:2]; // 45.0
    wire [39:0] v4; multiplier #(21, 21, 1, 1, 40) op_4 (v3[20:0], v3[20:0], v4[39:0]); // 46.0
    wire [20:0] v5; assign v5[20:0] = model_inp[43:23]; // 45.0
    wire [39:0] v6; multiplier #(21, 21, 1, 1, 40) op_6 (v5[20:0], v5[20:0], v6[39:0]); // 46.0
    wire [20:0] v7; assign v7[20:0] = model_inp[64:44]; // 45.0
    wire [39:0] v8; multiplier #(21, 21, 1, 1, 40) op_8 (v7[20:0], v7[20:0], v8[39:0]); // 46.0
    wire [20:0] v9; assign v9[20:0] = model_inp[85:65]; // 45.0
    wire [39:0] v10; multiplier #(21, 21, 1, 1, 40) op_10 (v9[20:0], v9[20:0], v10[39:0]); // 46.0
    wire [0:0] v11; assign v11[0:0] = model_inp[86:86]; // 45.0
    wire [0:0] v12; binop #(1, 1, 0, 0, 1, 0, 1) op_12 (v2, v11, v12[0:0]); // 47.0
    wire [21:0] v13; assign v13[21:0] = model_inp[108:87]; // 45.0
    wire [40:0] v14; multiplier #(22, 22, 1, 1, 41) op_14 (v13[21:0], v13[21:0], v14[40:0]); // 47.0
    wire [20:0] v15; assign v15[20:0] = model_inp[129:109]; // 45.0
    wire [38:0] v16; multiplier #(21, 21, 1, 1, 39) op_16 (v15[20:0], v15[20:0], v16[38:0]); // 47.0
    wire [21:0] v17; assign v17[21:0] = model_inp[151:130]; // 45.0
    wire [40:0] v18; multiplier #(22, 22, 1, 1, 41) op_18 (v17[21:0], v17[21:0], v18[40:0]); // 47.0
    wire [40:0] v19; shift_adder #(40, 40, 0, 0, 41, 0, 0) op_19 (v4[39:0], v6[39:0], v19[40:0]); // 47.0
    wire [20:0] v20; assign v20[20:0] = model_inp[172:152]; // 45.0
    wire [38:0] v21; multiplier #(21, 21, 1, 1, 39) op_21 (v20[20:0], v20[20:0], v21[38:0]); // 47.0
    wire [40:0] v22; shift_adder #(40, 40, 0, 0, 41, 0, 0) op_22 (v8[39:0], v10[39:0], v22[40:0]); // 47.0
    wire [0:0] v23; assign v23[0:0] = model_inp[173:173]; // 45.0
    wire [0:0] v24; binop #(1, 1, 0, 0, 1, 0, 1) op_24 (v12, v23, v24[0:0]); // 48.0
    wire [41:0] v25; shift_adder #(41, 39, 0, 0, 42, 2, 0) op_25 (v14[40:0], v16[38:0], v25[41:0]); // 48.0
    wire [41:0] v26; shift_adder #(41, 41, 0, 0, 42, 0, 0) op_26 (v18[40:0], v19[40:0], v26[41:0]); // 48.0
    wire [41:0] v27; shift_adder #(39, 41, 0, 0, 42, 0, 0) op_27 (v21[38:0], v22[40:0], v27[41:0]); // 48.0
    wire [0:0] v28; assign v28[0:0] = model_inp[174:174]; // 45.0
    wire [0:0] v29; binop #(1, 1, 0, 0, 1, 0, 1) op_29 (v24, v28, v29[0:0]); // 49.0
    wire [42:0] v30; shift_adder #(42, 42, 0, 0, 43, 0, 0) op_30 (v26[41:0], v27[41:0], v30[42:0]); // 49.0
    wire [0:0] v31; assign v31[0:0] = model_inp[175:175]; // 45.0
    wire [0:0] v32; binop #(1, 1, 0, 0, 1, 0, 1) op_32 (v29, v31, v32[0:0]); // 50.0
    wire [43:0] v33; shift_adder #(42, 43, 0, 0, 44, 0, 0) op_33 (v25[41:0], v30[42:0], v33[43:0]); // 50.0
    wire [43:0] v34; shift_adder #(44, 43, 0, 0, 44, 0, 1) op_34 (v33[43:0], 43'b1111111111111111111111111111111111111111111, v34[43:0]); // 50.0
    wire [0:0] v35; assign v35[0:0] = model_inp[176:176]; // 45.0
    wire [0:0] v36; assign v36[0:0] = model_inp[177:177]; // 45.0
    wire [0:0] v37; assign v37[0:0] = model_inp[178:178]; // 45.0
    wire [0:0] v38; assign v38[0:0] = model_inp[179:179]; // 45.0
    wire [0:0] v39; assign v39[0:0] = model_inp[180:180]; // 45.0
    wire [0:0] v40; assign v40[0:0] = model_inp[181:181]; // 45.0
    wire [0:0] v41; assign v41[0:0] = model_inp[182:182]; // 45.0

    // verilator lint_on UNUSEDSIGNAL

    assign model_out[0:0] = v32[0:0];
    assign model_out[1:1] = v35[0:0];
    assign model_out[45:2] = v33[43:0];
    assign model_out[89:46] = v34[43:0];
    assign model_out[90:90] = v36[0:0];
    assign model_out[91:91] = v37[0:0];
    assign model_out[92:92] = v38[0:0];
    assign model_out[93:93] = v39[0:0];
    assign model_out[94:94] = v40[0:0];
    assign model_out[95:95] = v41[0:0];

endmodule
