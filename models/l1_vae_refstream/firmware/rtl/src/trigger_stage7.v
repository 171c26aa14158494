`timescale 1 ns / 1 ps

module trigger_stage7 (
    input [192:0] model_inp,
    output [187:0] model_out
);

    // verilator lint_off UNUSEDSIGNAL
    // Explicit quantization operation will drop bits if exists

    wire [0:0] v0; assign v0[0:0] = model_inp[0:0]; // 35.0
    wire [0:0] v1; assign v1[0:0] = model_inp[1:1]; // 35.0
    wire [0:0] v2; binop #(1, 1, 0, 0, 1, 0, 1) op_2 (v0, v1, v2[0:0]); // 36.0
    wire [0:0] v3; assign v3[0:0] = model_inp[2:2]; // 35.0
    wire [0:0] v4; binop #(1, 1, 0, 0, 1, 0, 1) op_4 (v2, v3, v4[0:0]); // 37.0
    wire [0:0] v5; assign v5[0:0] = model_inp[3:3]; // 35.0
    wire [0:0] v6; binop #(1, 1, 0, 0, 1, 0, 1) op_6 (v4, v5, v6[0:0]); // 38.0
    wire [0:0] v7; assign v7[0:0] = model_inp[4:4]; // 35.0
    wire [0:0] v8; binop #(1, 1, 0, 0, 1, 0, 1) op_8 (v6, v7, v8[0:0]); // 39.0
    wire [0:0] v9; assign v9[0:0] = model_inp[5:5]; // 35.0
    wire [0:0] v10; binop #(1, 1, 0, 0, 1, 0, 1) op_10 (v8, v9, v10[0:0]); // 40.0
    wire [0:0] v11; assign v11[0:0] = model_inp[6:6]; // 35.0
    wire [0:0] v12; assign v12[0:0] = model_inp[7:7]; // 35.0
    wire [0:0] v13; assign v13[0:0] = model_inp[8:8]; // 35.0
    wire [0:0] v14; assign v14[0:0] = model_inp[9:9]; // 35.0
    wire [0:0] v15; assign v15[0:0] = model_inp[10:10]; // 35.0
    wire [0:0] v16; assign v16[0:0] = model_inp[11:11]; // 35.0
    wire [20:0] v17; assign v17[20:0] = model_inp[32:12]; // 35.0
    wire [20:0] v18; assign v18[20:0] = model_inp[53:33]; // 35.0
    wire [20:0] v19; assign v19[20:0] = model_inp[74:54]; // 35.0
    wire [20:0] v20; assign v20[20:0] = model_inp[95:75]; // 35.0
    wire [0:0] v21; assign v21[0:0] = model_inp[96:96]; // 35.0
    wire [21:0] v22; assign v22[21:0] = model_inp[118:97]; // 35.0
    wire [20:0] v23; assign v23[20:0] = model_inp[139:119]; // 35.0
    wire [21:0] v24; assign v24[21:0] = model_inp[161:140]; // 35.0
    wire [20:0] v25; assign v25[20:0] = model_inp[182:162]; // 35.0
    wire [0:0] v26; assign v26[0:0] = model_inp[183:183]; // 35.0
    wire [0:0] v27; assign v27[0:0] = model_inp[184:184]; // 35.0
    wire [0:0] v28; assign v28[0:0] = model_inp[185:185]; // 35.0
    wire [0:0] v29; assign v29[0:0] = model_inp[186:186]; // 35.0
    wire [0:0] v30; assign v30[0:0] = model_inp[187:187]; // 35.0
    wire [0:0] v31; assign v31[0:0] = model_inp[188:188]; // 35.0
    wire [0:0] v32; assign v32[0:0] = model_inp[189:189]; // 35.0
    wire [0:0] v33; assign v33[0:0] = model_inp[190:190]; // 35.0
    wire [0:0] v34; assign v34[0:0] = model_inp[191:191]; // 35.0
    wire [0:0] v35; assign v35[0:0] = model_inp[192:192]; // 35.0

    // verilator lint_on UNUSEDSIGNAL

    assign model_out[0:0] = v10[0:0];
    assign model_out[1:1] = v11[0:0];
    assign model_out[2:2] = v12[0:0];
    assign model_out[3:3] = v13[0:0];
    assign model_out[4:4] = v14[0:0];
    assign model_out[5:5] = v15[0:0];
    assign model_out[6:6] = v16[0:0];
    assign model_out[27:7] = v17[20:0];
    assign model_out[48:28] = v18[20:0];
    assign model_out[69:49] = v19[20:0];
    assign model_out[90:70] = v20[20:0];
    assign model_out[91:91] = v21[0:0];
    assign model_out[113:92] = v22[21:0];
    assign model_out[134:114] = v23[20:0];
    assign model_out[156:135] = v24[21:0];
    assign model_out[177:157] = v25[20:0];
    assign model_out[178:178] = v26[0:0];
    assign model_out[179:179] = v27[0:0];
    assign model_out[180:180] = v28[0:0];
    assign model_out[181:181] = v29[0:0];
    assign model_out[182:182] = v30[0:0];
    assign model_out[183:183] = v31[0:0];
    assign model_out[184:184] = v32[0:0];
    assign model_out[185:185] = v33[0:0];
    assign model_out[186:186] = v34[0:0];
    assign model_out[187:187] = v35[0:0];

endmodule
