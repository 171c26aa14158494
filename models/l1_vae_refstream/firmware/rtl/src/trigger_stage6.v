`timescale 1 ns / 1 ps

module trigger_stage6 (
    input [197:0] model_inp,
    output [192:0] model_out
);

    // verilator lint_off UNUSEDSIGNAL
    // Explicit quantization operation will drop bits if exists

    wire [0:0] v0; assign v0[0:0] = model_inp[0:0]; // 30.0
    wire [0:0] v1; assign v1[0:0] = model_inp[1:1]; // 30.0
    wire [0:0] v2; binop #(1, 1, 0, 0, 1, 0, 1) op_2 (v0, v1, v2[0:0]); // 31.0
    wire [0:0] v3; assign v3[0:0] = model_inp[2:2]; // 30.0
    wire [0:0] v4; binop #(1, 1, 0, 0, 1, 0, 1) op_4 (v2, v3, v4[0:0]); // 32.0
    wire [0:0] v5; assign v5[0:0] = model_inp[3:3]; // 30.0
    wire [0:0] v6; binop #(1, 1, 0, 0, 1, 0, 1) op_6 (v4, v5, v6[0:0]); // 33.0
    wire [0:0] v7; assign v7[0:0] = model_inp[4:4]; // 30.0
    wire [0:0] v8; binop #(1, 1, 0, 0, 1, 0, 1) op_8 (v6, v7, v8[0:0]); // 34.0
    wire [0:0] v9; assign v9[0:0] = model_inp[5:5]; // 30.0
    wire [0:0] v10; binop #(1, 1, 0, 0, 1, 0, 1) op_10 (v8, v9, v10[0:0]); // 35.0
    wire [0:0] v11; assign v11[0:0] = model_inp[6:6]; // 30.0
    wire [0:0] v12; assign v12[0:0] = model_inp[7:7]; // 30.0
    wire [0:0] v13; assign v13[0:0] = model_inp[8:8]; // 30.0
    wire [0:0] v14; assign v14[0:0] = model_inp[9:9]; // 30.0
    wire [0:0] v15; assign v15[0:0] = model_inp[10:10]; // 30.0
    wire [0:0] v16; assign v16[0:0] = model_inp[11:11]; // 30.0
    wire [0:0] v17; assign v17[0:0] = model_inp[12:12]; // 30.0
    wire [0:0] v18; assign v18[0:0] = model_inp[13:13]; // 30.0
    wire [0:0] v19; assign v19[0:0] = model_inp[14:14]; // 30.0
    wire [0:0] v20; assign v20[0:0] = model_inp[15:15]; // 30.0
    wire [0:0] v21; assign v21[0:0] = model_inp[16:16]; // 30.0
    wire [20:0] v22; assign v22[20:0] = model_inp[37:17]; // 30.0
    wire [20:0] v23; assign v23[20:0] = model_inp[58:38]; // 30.0
    wire [20:0] v24; assign v24[20:0] = model_inp[79:59]; // 30.0
    wire [20:0] v25; assign v25[20:0] = model_inp[100:80]; // 30.0
    wire [0:0] v26; assign v26[0:0] = model_inp[101:101]; // 30.0
    wire [21:0] v27; assign v27[21:0] = model_inp[123:102]; // 30.0
    wire [20:0] v28; assign v28[20:0] = model_inp[144:124]; // 30.0
    wire [21:0] v29; assign v29[21:0] = model_inp[166:145]; // 30.0
    wire [20:0] v30; assign v30[20:0] = model_inp[187:167]; // 30.0
    wire [0:0] v31; assign v31[0:0] = model_inp[188:188]; // 30.0
    wire [0:0] v32; assign v32[0:0] = model_inp[189:189]; // 30.0
    wire [0:0] v33; assign v33[0:0] = model_inp[190:190]; // 30.0
    wire [0:0] v34; assign v34[0:0] = model_inp[191:191]; // 30.0
    wire [0:0] v35; assign v35[0:0] = model_inp[192:192]; // 30.0
    wire [0:0] v36; assign v36[0:0] = model_inp[193:193]; // 30.0
    wire [0:0] v37; assign v37[0:0] = model_inp[194:194]; // 30.0
    wire [0:0] v38; assign v38[0:0] = model_inp[195:195]; // 30.0
    wire [0:0] v39; assign v39[0:0] = model_inp[196:196]; // 30.0
    wire [0:0] v40; assign v40[0:0] = model_inp[197:197]; // 30.0

    // verilator lint_on UNUSEDSIGNAL

    assign model_out[0:0] = v10[0:0];
    assign model_out[1:1] = v11[0:0];
    assign model_out[2:2] = v12[0:0];
    assign model_out[3:3] = v13[0:0];
    assign model_out[4:4] = v14[0:0];
    assign model_out[5:5] = v15[0:0];
    assign model_out[6:6] = v16[0:0];
    assign model_out[7:7] = v17[0:0];
    assign model_out[8:8] = v18[0:0];
    assign model_out[9:9] = v19[0:0];
    assign model_out[10:10] = v20[0:0];
    assign model_out[11:11] = v21[0:0];
    assign model_out[32:12] = v22[20:0];
    assign model_out[53:33] = v23[20:0];
    assign model_out[74:54] = v24[20:0];
    assign model_out[95:75] = v25[20:0];
    assign model_out[96:96] = v26[0:0];
    assign model_out[118:97] = v27[21:0];
    assign model_out[139:119] = v28[20:0];
    assign model_out[161:140] = v29[21:0];
    assign model_out[182:162] = v30[20:0];
    assign model_out[183:183] = v31[0:0];
    assign model_out[184:184] = v32[0:0];
    assign model_out[185:185] = v33[0:0];
    assign model_out[186:186] = v34[0:0];
    assign model_out[187:187] = v35[0:0];
    assign model_out[188:188] = v36[0:0];
    assign model_out[189:189] = v37[0:0];
    assign model_out[190:190] = v38[0:0];
    assign model_out[191:191] = v39[0:0];
    assign model_out[192:192] = v40[0:0];

endmodule
