`timescale 1 ns / 1 ps

module trigger_stage5 (
    input [127:0] model_inp,
    output [122:0] model_out
);

    // verilator lint_off UNUSEDSIGNAL
    // Explicit quantization operation will drop bits if exists

    wire [0:0] v0; assign v0[0:0] = model_inp[0:0]; // 25.0
    wire [0:0] v1; assign v1[0:0] = model_inp[1:1]; // 25.0
    wire [0:0] v2; binop #(1, 1, 0, 0, 1, 0, 1) op_2 (v0, v1, v2[0:0]); // 26.0
    wire [0:0] v3; assign v3[0:0] = model_inp[2:2]; // 25.0
    wire [0:0] v4; binop #(1, 1, 0, 0, 1, 0, 1) op_4 (v2, v3, v4[0:0]); // 27.0
    wire [0:0] v5; assign v5[0:0] = model_inp[3:3]; // 25.0
    wire [0:0] v6; binop #(1, 1, 0, 0, 1, 0, 1) op_6 (v4, v5, v6[0:0]); // 28.0
    wire [0:0] v7; assign v7[0:0] = model_inp[4:4]; // 25.0
    wire [0:0] v8; binop #(1, 1, 0, 0, 1, 0, 1) op_8 (v6, v7, v8[0:0]); // 29.0
    wire [0:0] v9; assign v9[0:0] = model_inp[5:5]; // 25.0
    wire [0:0] v10; binop #(1, 1, 0, 0, 1, 0, 1) op_10 (v8, v9, v10[0:0]); // 30.0
    wire [0:0] v11; assign v11[0:0] = model_inp[6:6]; // 25.0
    wire [10:0] v12; assign v12[10:0] = model_inp[17:7]; // 25.0
    wire [10:0] v13; assign v13[10:0] = model_inp[28:18]; // 25.0
    wire [10:0] v14; assign v14[10:0] = model_inp[39:29]; // 25.0
    wire [0:0] v15; assign v15[0:0] = model_inp[40:40]; // 25.0
    wire [11:0] v16; assign v16[11:0] = model_inp[52:41]; // 25.0
    wire [11:0] v17; assign v17[11:0] = model_inp[64:53]; // 25.0
    wire [0:0] v18; assign v18[0:0] = model_inp[65:65]; // 25.0
    wire [11:0] v19; assign v19[11:0] = model_inp[77:66]; // 25.0
    wire [12:0] v20; assign v20[12:0] = model_inp[90:78]; // 25.0
    wire [0:0] v21; assign v21[0:0] = model_inp[91:91]; // 25.0
    wire [12:0] v22; assign v22[12:0] = model_inp[104:92]; // 25.0
    wire [0:0] v23; assign v23[0:0] = model_inp[105:105]; // 25.0
    wire [0:0] v24; assign v24[0:0] = model_inp[106:106]; // 25.0
    wire [0:0] v25; assign v25[0:0] = model_inp[107:107]; // 25.0
    wire [0:0] v26; assign v26[0:0] = model_inp[108:108]; // 25.0
    wire [0:0] v27; assign v27[0:0] = model_inp[109:109]; // 25.0
    wire [0:0] v28; assign v28[0:0] = model_inp[110:110]; // 25.0
    wire [0:0] v29; assign v29[0:0] = model_inp[111:111]; // 25.0
    wire [0:0] v30; assign v30[0:0] = model_inp[112:112]; // 25.0
    wire [0:0] v31; assign v31[0:0] = model_inp[113:113]; // 25.0
    wire [0:0] v32; assign v32[0:0] = model_inp[114:114]; // 25.0
    wire [0:0] v33; assign v33[0:0] = model_inp[115:115]; // 25.0
    wire [0:0] v34; assign v34[0:0] = model_inp[116:116]; // 25.0
    wire [0:0] v35; assign v35[0:0] = model_inp[117:117]; // 25.0
    wire [0:0] v36; assign v36[0:0] = model_inp[118:118]; // 25.0
    wire [0:0] v37; assign v37[0:0] = model_inp[119:119]; // 25.0
    wire [0:0] v38; assign v38[0:0] = model_inp[120:120]; // 25.0
    wire [0:0] v39; assign v39[0:0] = model_inp[121:121]; // 25.0
    wire [0:0] v40; assign v40[0:0] = model_inp[122:122]; // 25.0
    wire [0:0] v41; assign v41[0:0] = model_inp[123:123]; // 25.0
    wire [0:0] v42; assign v42[0:0] = model_inp[124:124]; // 25.0
    wire [0:0] v43; assign v43[0:0] = model_inp[125:125]; // 25.0
    wire [0:0] v44; assign v44[0:0] = model_inp[126:126]; // 25.0
    wire [0:0] v45; assign v45[0:0] = model_inp[127:127]; // 25.0

    // verilator lint_on UNUSEDSIGNAL

    assign model_out[0:0] = v10[0:0];
    assign model_out[1:1] = v11[0:0];
    assign model_out[12:2] = v12[10:0];
    assign model_out[23:13] = v13[10:0];
    assign model_out[34:24] = v14[10:0];
    assign model_out[35:35] = v15[0:0];
    assign model_out[47:36] = v16[11:0];
    assign model_out[59:48] = v17[11:0];
    assign model_out[60:60] = v18[0:0];
    assign model_out[72:61] = v19[11:0];
    assign model_out[85:73] = v20[12:0];
    assign model_out[86:86] = v21[0:0];
    assign model_out[99:87] = v22[12:0];
    assign model_out[100:100] = v23[0:0];
    assign model_out[101:101] = v24[0:0];
    assign model_out[102:102] = v25[0:0];
    assign model_out[103:103] = v26[0:0];
    assign model_out[104:104] = v27[0:0];
    assign model_out[105:105] = v28[0:0];
    assign model_out[106:106] = v29[0:0];
    assign model_out[107:107] = v30[0:0];
    assign model_out[108:108] = v31[0:0];
    assign model_out[109:109] = v32[0:0];
    assign model_out[110:110] = v33[0:0];
    assign model_out[111:111] = v34[0:0];
    assign model_out[112:112] = v35[0:0];
    assign model_out[113:113] = v36[0:0];
    assign model_out[114:114] = v37[0:0];
    assign model_out[115:115] = v38[0:0];
    assign model_out[116:116] = v39[0:0];
    assign model_out[117:117] = v40[0:0];
    assign model_out[118:118] = v41[0:0];
    assign model_out[119:119] = v42[0:0];
    assign model_out[120:120] = v43[0:0];
    assign model_out[121:121] = v44[0:0];
    assign model_out[122:122] = v45[0:0];

endmodule
