`timescale 1 ns / 1 ps

module trigger_stage4 (
    input [148:0] model_inp,
    output [127:0] model_out
);

    // verilator lint_off UNUSEDSIGNAL
    // Explicit quantization operation will drop bits if exists

    wire [0:0] v0; assign v0[0:0] = model_inp[0:0]; // 20.0
    wire [0:0] v1; assign v1[0:0] = model_inp[1:1]; // 20.0
    wire [0:0] v2; binop #(1, 1, 0, 0, 1, 0, 1) op_2 (v0, v1, v2[0:0]); // 21.0
    wire [11:0] v3; assign v3[11:0] = model_inp[13:2]; // 20.0
    wire [9:0] v4; assign v4[9:0] = model_inp[23:14]; // 20.0
    wire [12:0] v5; shift_adder #(12, 10, 1, 1, 13, -1, 1) op_5 (v3[11:0], v4[9:0], v5[12:0]); // 21.0
    wire [12:0] v6; shift_adder #(13, 4, 1, 0, 13, 0, 0) op_6 (v5[12:0], 4'b1000, v6[12:0]); // 21.0
    wire [11:0] v7; assign v7[11:0] = model_inp[35:24]; // 20.0
    wire [6:0] v8; assign v8[6:0] = model_inp[42:36]; // 20.0
    wire [11:0] v9; shift_adder #(12, 7, 1, 1, 12, 2, 1) op_9 (v7[11:0], v8[6:0], v9[11:0]); // 21.0
    wire [11:0] v10; shift_adder #(12, 4, 1, 0, 12, 0, 1) op_10 (v9[11:0], 4'b1100, v10[11:0]); // 21.0
    wire [0:0] v11; assign v11[0:0] = model_inp[43:43]; // 20.0
    wire [0:0] v12; binop #(1, 1, 0, 0, 1, 0, 1) op_12 (v2, v11, v12[0:0]); // 22.0
    wire [0:0] v13; assign v13[0:0] = model_inp[44:44]; // 20.0
    wire [0:0] v14; binop #(1, 1, 0, 0, 1, 0, 1) op_14 (v12, v13, v14[0:0]); // 23.0
    wire [0:0] v15; assign v15[0:0] = model_inp[45:45]; // 20.0
    wire [0:0] v16; binop #(1, 1, 0, 0, 1, 0, 1) op_16 (v14, v15, v16[0:0]); // 24.0
    wire [0:0] v17; assign v17[0:0] = model_inp[46:46]; // 20.0
    wire [0:0] v18; binop #(1, 1, 0, 0, 1, 0, 1) op_18 (v16, v17, v18[0:0]); // 25.0
    wire [0:0] v19; assign v19[0:0] = model_inp[47:47]; // 20.0
    wire [0:0] v20; assign v20[0:0] = model_inp[48:48]; // 20.0
    wire [0:0] v21; assign v21[0:0] = model_inp[49:49]; // 20.0
    wire [0:0] v22; assign v22[0:0] = model_inp[50:50]; // 20.0
    wire [0:0] v23; assign v23[0:0] = model_inp[51:51]; // 20.0
    wire [0:0] v24; assign v24[0:0] = model_inp[52:52]; // 20.0
    wire [10:0] v25; assign v25[10:0] = model_inp[63:53]; // 20.0
    wire [10:0] v26; assign v26[10:0] = model_inp[74:64]; // 20.0
    wire [10:0] v27; assign v27[10:0] = model_inp[85:75]; // 20.0
    wire [0:0] v28; assign v28[0:0] = model_inp[86:86]; // 20.0
    wire [11:0] v29; assign v29[11:0] = model_inp[98:87]; // 20.0
    wire [11:0] v30; assign v30[11:0] = model_inp[110:99]; // 20.0
    wire [0:0] v31; assign v31[0:0] = model_inp[111:111]; // 20.0
    wire [12:0] v32; assign v32[12:0] = model_inp[124:112]; // 20.0
    wire [0:0] v33; assign v33[0:0] = model_inp[125:125]; // 20.0
    wire [0:0] v34; assign v34[0:0] = model_inp[126:126]; // 20.0
    wire [0:0] v35; assign v35[0:0] = model_inp[127:127]; // 20.0
    wire [0:0] v36; assign v36[0:0] = model_inp[128:128]; // 20.0
    wire [0:0] v37; assign v37[0:0] = model_inp[129:129]; // 20.0
    wire [0:0] v38; assign v38[0:0] = model_inp[130:130]; // 20.0
    wire [0:0] v39; assign v39[0:0] = model_inp[131:131]; // 20.0
    wire [0:0] v40; assign v40[0:0] = model_inp[132:132]; // 20.0
    wire [0:0] v41; assign v41[0:0] = model_inp[133:133]; // 20.0
    wire [0:0] v42; assign v42[0:0] = model_inp[134:134]; // 20.0
    wire [0:0] v43; assign v43[0:0] = model_inp[135:135]; // 20.0
    wire [0:0] v44; assign v44[0:0] = model_inp[136:136]; // 20.0
    wire [0:0] v45; assign v45[0:0] = model_inp[137:137]; // 20.0
    wire [0:0] v46; assign v46[0:0] = model_inp[138:138]; // 20.0
    wire [0:0] v47; assign v47[0:0] = model_inp[139:139]; // 20.0
    wire [0:0] v48; assign v48[0:0] = model_inp[140:140]; // 20.0
    wire [0:0] v49; assign v49[0:0] = model_inp[141:141]; // 20.0
    wire [0:0] v50; assign v50[0:0] = model_inp[142:142]; // 20.0
    wire [0:0] v51; assign v51[0:0] = model_inp[143:143]; // 20.0
    wire [0:0] v52; assign v52[0:0] = model_inp[144:144]; // 20.0
    wire [0:0] v53; assign v53[0:0] = model_inp[145:145]; // 20.0
    wire [0:0] v54; assign v54[0:0] = model_inp[146:146]; // 20.0
    wire [0:0] v55; assign v55[0:0] = model_inp[147:147]; // 20.0
    wire [0:0] v56; assign v56[0:0] = model_inp[148:148]; // 20.0

    // verilator lint_on UNUSEDSIGNAL

    assign model_out[0:0] = v18[0:0];
    assign model_out[1:1] = v19[0:0];
    assign model_out[2:2] = v20[0:0];
    assign model_out[3:3] = v21[0:0];
    assign model_out[4:4] = v22[0:0];
    assign model_out[5:5] = v23[0:0];
    assign model_out[6:6] = v24[0:0];
    assign model_out[17:7] = v25[10:0];
    assign model_out[28:18] = v26[10:0];
    assign model_out[39:29] = v27[10:0];
    assign model_out[40:40] = v28[0:0];
    assign model_out[52:41] = v29[11:0];
    assign model_out[64:53] = v30[11:0];
    assign model_out[65:65] = v31[0:0];
    assign model_out[77:66] = v10[11:0];
    assign model_out[90:78] = v32[12:0];
    assign model_out[91:91] = v33[0:0];
    assign model_out[104:92] = v6[12:0];
    assign model_out[105:105] = v34[0:0];
    assign model_out[106:106] = v35[0:0];
    assign model_out[107:107] = v36[0:0];
    assign model_out[108:108] = v37[0:0];
    assign model_out[109:109] = v38[0:0];
    assign model_out[110:110] = v39[0:0];
    assign model_out[111:111] = v40[0:0];
    assign model_out[112:112] = v41[0:0];
    assign model_out[113:113] = v42[0:0];
    assign model_out[114:114] = v43[0:0];
    assign model_out[115:115] = v44[0:0];
    assign model_out[116:116] = v45[0:0];
    assign model_out[117:117] = v46[0:0];
    assign model_out[118:118] = v47[0:0];
    assign model_out[119:119] = v48[0:0];
    assign model_out[120:120] = v49[0:0];
    assign model_out[121:121] = v50[0:0];
    assign model_out[122:122] = v51[0:0];
    assign model_out[123:123] = v52[0:0];
    assign model_out[124:124] = v53[0:0];
    assign model_out[125:125] = v54[0:0];
    assign model_out[126:126] = v55[0:0];
    assign model_out[127:127] = v56[0:0];

endmodule
