`timescale 1 ns / 1 ps

module trigger_stage6 (
    input [122:0] model_inp,
    output [70:0] model_out
);

    // verilator lint_off UNUSEDSIGNAL
    // Explicit quantization operation will drop bits if exists

    wire [0:0] v0; assign v0[0:0] = model_inp[0:0]; // 30.0
    wire [0:0] v1; assign v1[0:0] = model_inp[1:1]; // 30.0
    wire [0:0] v2; binop #(1, 1, 0, 0, 1, 0, 1) op_2 (v0, v1, v2[0:0]); // 31.0
    wire [10:0] v3; assign v3[10:0] = model_inp[12:2]; // 30.0
    wire [18:0] v4; multiplier #(11, 11, 1, 1, 19) op_4 (v3[10:0], v3[10:0], v4[18:0]); // 31.0
    wire [10:0] v5; assign v5[10:0] = model_inp[23:13]; // 30.0
    wire [18:0] v6; multiplier #(11, 11, 1, 1, 19) op_6 (v5[10:0], v5[10:0], v6[18:0]); // 31.0
    wire [10:0] v7; assign v7[10:0] = model_inp[34:24]; // 30.0
    wire [18:0] v8; multiplier #(11, 11, 1, 1, 19) op_8 (v7[10:0], v7[10:0], v8[18:0]); // 31.0
    wire [0:0] v9; assign v9[0:0] = model_inp[35:35]; // 30.0
    wire [0:0] v10; binop #(1, 1, 0, 0, 1, 0, 1) op_10 (v2, v9, v10[0:0]); // 32.0
    wire [11:0] v11; assign v11[11:0] = model_inp[47:36]; // 30.0
    wire [21:0] v12; multiplier #(12, 12, 1, 1, 22) op_12 (v11[11:0], v11[11:0], v12[21:0]); // 32.0
    wire [11:0] v13; assign v13[11:0] = model_inp[59:48]; // 30.0
    wire [21:0] v14; multiplier #(12, 12, 1, 1, 22) op_14 (v13[11:0], v13[11:0], v14[21:0]); // 32.0
    wire [20:0] v15; shift_adder #(19, 19, 0, 0, 21, 2, 0) op_15 (v6[18:0], v8[18:0], v15[20:0]); // 32.0
    wire [0:0] v16; assign v16[0:0] = model_inp[60:60]; // 30.0
    wire [0:0] v17; binop #(1, 1, 0, 0, 1, 0, 1) op_17 (v10, v16, v17[0:0]); // 33.0
    wire [22:0] v18; shift_adder #(19, 22, 0, 0, 23, -4, 0) op_18 (v4[18:0], v12[21:0], v18[22:0]); // 33.0
    wire [23:0] v19; shift_adder #(22, 21, 0, 0, 24, 2, 0) op_19 (v14[21:0], v15[20:0], v19[23:0]); // 33.0
    wire [11:0] v20; assign v20[11:0] = model_inp[72:61]; // 30.0
    wire [21:0] v21; multiplier #(12, 12, 1, 1, 22) op_21 (v20[11:0], v20[11:0], v21[21:0]); // 33.0
    wire [12:0] v22; assign v22[12:0] = model_inp[85:73]; // 30.0
    wire [22:0] v23; multiplier #(13, 13, 1, 1, 23) op_23 (v22[12:0], v22[12:0], v23[22:0]); // 33.0
    wire [0:0] v24; assign v24[0:0] = model_inp[86:86]; // 30.0
    wire [0:0] v25; binop #(1, 1, 0, 0, 1, 0, 1) op_25 (v17, v24, v25[0:0]); // 34.0
    wire [23:0] v26; shift_adder #(23, 24, 0, 0, 24, 0, 0) op_26 (v18[22:0], v19[23:0], v26[23:0]); // 34.0
    wire [12:0] v27; assign v27[12:0] = model_inp[99:87]; // 30.0
    wire [22:0] v28; multiplier #(13, 13, 1, 1, 23) op_28 (v27[12:0], v27[12:0], v28[22:0]); // 34.0
    wire [22:0] v29; shift_adder #(22, 23, 0, 0, 23, 0, 0) op_29 (v21[21:0], v23[22:0], v29[22:0]); // 34.0
    wire [0:0] v30; assign v30[0:0] = model_inp[100:100]; // 30.0
    wire [0:0] v31; binop #(1, 1, 0, 0, 1, 0, 1) op_31 (v25, v30, v31[0:0]); // 35.0
    wire [23:0] v32; shift_adder #(23, 23, 0, 0, 24, 0, 0) op_32 (v28[22:0], v29[22:0], v32[23:0]); // 35.0
    wire [0:0] v33; assign v33[0:0] = model_inp[101:101]; // 30.0
    wire [0:0] v34; assign v34[0:0] = model_inp[102:102]; // 30.0
    wire [0:0] v35; assign v35[0:0] = model_inp[103:103]; // 30.0
    wire [0:0] v36; assign v36[0:0] = model_inp[104:104]; // 30.0
    wire [0:0] v37; assign v37[0:0] = model_inp[105:105]; // 30.0
    wire [0:0] v38; assign v38[0:0] = model_inp[106:106]; // 30.0
    wire [0:0] v39; assign v39[0:0] = model_inp[107:107]; // 30.0
    wire [0:0] v40; assign v40[0:0] = model_inp[108:108]; // 30.0
    wire [0:0] v41; assign v41[0:0] = model_inp[109:109]; // 30.0
    wire [0:0] v42; assign v42[0:0] = model_inp[110:110]; // 30.0
    wire [0:0] v43; assign v43[0:0] = model_inp[111:111]; // 30.0
    wire [0:0] v44; assign v44[0:0] = model_inp[112:112]; // 30.0
    wire [0:0] v45; assign v45[0:0] = model_inp[113:113]; // 30.0
    wire [0:0] v46; assign v46[0:0] = model_inp[114:114]; // 30.0
    wire [0:0] v47; assign v47[0:0] = model_inp[115:115]; // 30.0
    wire [0:0] v48; assign v48[0:0] = model_inp[116:116]; // 30.0
    wire [0:0] v49; assign v49[0:0] = model_inp[117:117]; // 30.0
    wire [0:0] v50; assign v50[0:0] = model_inp[118:118]; // 30.0
    wire [0:0] v51; assign v51[0:0] = model_inp[119:119]; // 30.0
    wire [0:0] v52; assign v52[0:0] = model_inp[120:120]; // 30.0
    wire [0:0] v53; assign v53[0:0] = model_inp[121:121]; // 30.0
    wire [0:0] v54; assign v54[0:0] = model_inp[122:122]; // 30.0

    // verilator lint_on UNUSEDSIGNAL

    assign model_out[0:0] = v31[0:0];
    assign model_out[1:1] = v33[0:0];
    assign model_out[25:2] = v26[23:0];
    assign model_out[49:26] = v32[23:0];
    assign model_out[50:50] = v34[0:0];
    assign model_out[51:51] = v35[0:0];
    assign model_out[52:52] = v36[0:0];
    assign model_out[53:53] = v37[0:0];
    assign model_out[54:54] = v38[0:0];
    assign model_out[55:55] = v39[0:0];
    assign model_out[56:56] = v40[0:0];
    assign model_out[57:57] = v41[0:0];
    assign model_out[58:58] = v42[0:0];
    assign model_out[59:59] = v43[0:0];
    assign model_out[60:60] = v44[0:0];
    assign model_out[61:61] = v45[0:0];
    assign model_out[62:62] = v46[0:0];
    assign model_out[63:63] = v47[0:0];
    assign model_out[64:64] = v48[0:0];
    assign model_out[65:65] = v49[0:0];
    assign model_out[66:66] = v50[0:0];
    assign model_out[67:67] = v51[0:0];
    assign model_out[68:68] = v52[0:0];
    assign model_out[69:69] = v53[0:0];
    assign model_out[70:70] = v54[0:0];

endmodule
