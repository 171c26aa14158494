`timescale 1 ns / 1 ps

module trigger_stage5 (
    input [218:0] model_inp,
    output [197:0] model_out
);

    // verilator lint_off UNUSEDSIGNAL
    // Explicit quantization operation will drop bits if exists

    wire [0:0] v0; assign v0[0:0] = model_inp[0:0]; // 25.0
    wire [0:0] v1; assign v1[0:0] = model_inp[1:1]; // 25.0
    wire [0:0] v2; binop #(1, 1, 0, 0, 1, 0, 1) op_2 (v0, v1, v2[0:0]); // 26.0
    wire [19:0] v3; assign v3[19:0] = model_inp[21:2]; // 25.0
    wire [17:0] v4; assign v4[17:0] = model_inp[39:22]; // 25.0
    wire [20:0] v5; shift_adder #(20, 18, 1, 1, 21, 1, 1) op_5 (v3[19:0], v4[17:0], v5[20:0]); // 26.0
    wire [20:0] v6; shift_adder #(21, 13, 1, 0, 21, 0, 0) op_6 (v5[20:0], 13'b1000100000000, v6[20:0]); // 26.0
    wire [19:0] v7; assign v7[19:0] = model_inp[59:40]; // 25.0
    wire [20:0] v8; shift_adder #(20, 18, 1, 1, 21, 2, 0) op_8 (v7[19:0], v4[17:0], v8[20:0]); // 26.0
    wire [20:0] v9; shift_adder #(21, 11, 1, 0, 21, 0, 1) op_9 (v8[20:0], 11'b10100000000, v9[20:0]); // 26.0
    wire [0:0] v10; assign v10[0:0] = model_inp[60:60]; // 25.0
    wire [0:0] v11; binop #(1, 1, 0, 0, 1, 0, 1) op_11 (v2, v10, v11[0:0]); // 27.0
    wire [0:0] v12; assign v12[0:0] = model_inp[61:61]; // 25.0
    wire [0:0] v13; binop #(1, 1, 0, 0, 1, 0, 1) op_13 (v11, v12, v13[0:0]); // 28.0
    wire [0:0] v14; assign v14[0:0] = model_inp[62:62]; // 25.0
    wire [0:0] v15; binop #(1, 1, 0, 0, 1, 0, 1) op_15 (v13, v14, v15[0:0]); // 29.0
    wire [0:0] v16; assign v16[0:0] = model_inp[63:63]; // 25.0
    wire [0:0] v17; binop #(1, 1, 0, 0, 1, 0, 1) op_17 (v15, v16, v17[0:0]); // 30.0
    wire [0:0] v18; assign v18[0:0] = model_inp[64:64]; // 25.0
    wire [0:0] v19; assign v19[0:0] = model_inp[65:65]; // 25.0
    wire [0:0] v20; assign v20[0:0] = model_inp[66:66]; // 25.0
    wire [0:0] v21; assign v21[0:0] = model_inp[67:67]; // 25.0
    wire [0:0] v22; assign v22[0:0] = model_inp[68:68]; // 25.0
    wire [0:0] v23; assign v23[0:0] = model_inp[69:69]; // 25.0
    wire [0:0] v24; assign v24[0:0] = model_inp[70:70]; // 25.0
    wire [0:0] v25; assign v25[0:0] = model_inp[71:71]; // 25.0
    wire [0:0] v26; assign v26[0:0] = model_inp[72:72]; // 25.0
    wire [0:0] v27; assign v27[0:0] = model_inp[73:73]; // 25.0
    wire [0:0] v28; assign v28[0:0] = model_inp[74:74]; // 25.0
    wire [0:0] v29; assign v29[0:0] = model_inp[75:75]; // 25.0
    wire [0:0] v30; assign v30[0:0] = model_inp[76:76]; // 25.0
    wire [0:0] v31; assign v31[0:0] = model_inp[77:77]; // 25.0
    wire [0:0] v32; assign v32[0:0] = model_inp[78:78]; // 25.0
    wire [0:0] v33; assign v33[0:0] = model_inp[79:79]; // 25.0
    wire [20:0] v34; assign v34[20:0] = model_inp[100:80]; // 25.0
    wire [20:0] v35; assign v35[20:0] = model_inp[121:101]; // 25.0
    wire [20:0] v36; assign v36[20:0] = model_inp[142:122]; // 25.0
    wire [20:0] v37; assign v37[20:0] = model_inp[163:143]; // 25.0
    wire [0:0] v38; assign v38[0:0] = model_inp[164:164]; // 25.0
    wire [21:0] v39; assign v39[21:0] = model_inp[186:165]; // 25.0
    wire [21:0] v40; assign v40[21:0] = model_inp[208:187]; // 25.0
    wire [0:0] v41; assign v41[0:0] = model_inp[209:209]; // 25.0
    wire [0:0] v42; assign v42[0:0] = model_inp[210:210]; // 25.0
    wire [0:0] v43; assign v43[0:0] = model_inp[211:211]; // 25.0
    wire [0:0] v44; assign v44[0:0] = model_inp[212:212]; // 25.0
    wire [0:0] v45; assign v45[0:0] = model_inp[213:213]; // 25.0
    wire [0:0] v46; assign v46[0:0] = model_inp[214:214]; // 25.0
    wire [0:0] v47; assign v47[0:0] = model_inp[215:215]; // 25.0
    wire [0:0] v48; assign v48[0:0] = model_inp[216:216]; // 25.0
    wire [0:0] v49; assign v49[0:0] = model_inp[217:217]; // 25.0
    wire [0:0] v50; assign v50[0:0] = model_inp[218:218]; // 25.0

    // verilator lint_on UNUSEDSIGNAL

    assign model_out[0:0] = v17[0:0];
    assign model_out[1:1] = v18[0:0];
    assign model_out[2:2] = v19[0:0];
    assign model_out[3:3] = v20[0:0];
    assign model_out[4:4] = v21[0:0];
    assign model_out[5:5] = v22[0:0];
    assign model_out[6:6] = v23[0:0];
    assign model_out[7:7] = v24[0:0];
    assign model_out[8:8] = v25[0:0];
    assign model_out[9:9] = v26[0:0];
    assign model_out[10:10] = v27[0:0];
    assign model_out[11:11] = v28[0:0];
    assign model_out[12:12] = v29[0:0];
    assign model_out[13:13] = v30[0:0];
    assign model_out[14:14] = v31[0:0];
    assign model_out[15:15] = v32[0:0];
    assign model_out[16:16] = v33[0:0];
    assign model_out[37:17] = v34[20:0];
    assign model_out[58:38] = v35[20:0];
    assign model_out[79:59] = v36[20:0];
    assign model_out[100:80] = v37[20:0];
    assign model_out[101:101] = v38[0:0];
    assign model_out[123:102] = v39[21:0];
    assign model_out[144:124] = v6[20:0];
    assign model_out[166:145] = v40[21:0];
    assign model_out[187:167] = v9[20:0];
    assign model_out[188:188] = v41[0:0];
    assign model_out[189:189] = v42[0:0];
    assign model_out[190:190] = v43[0:0];
    assign model_out[191:191] = v44[0:0];
    assign model_out[192:192] = v45[0:0];
    assign model_out[193:193] = v46[0:0];
    assign model_out[194:194] = v47[0:0];
    assign model_out[195:195] = v48[0:0];
    assign model_out[196:196] = v49[0:0];
    assign model_out[197:197] = v50[0:0];

endmodule
