`timescale 1 ns / 1 ps

module trigger_stage3 (
    input [101:0] model_inp,
    output [148:0] model_out
);

    // verilator lint_off UNUSEDSIGNAL
    // Explicit quantization operation will drop bits if exists

    wire [0:0] v0; assign v0[0:0] = model_inp[0:0]; // 15.0
    wire [0:0] v1; assign v1[0:0] = model_inp[1:1]; // 15.0
    wire [0:0] v2; binop #(1, 1, 0, 0, 1, 0, 1) op_2 (v0, v1, v2[0:0]); // 16.0
    wire [3:0] v3; assign v3[3:0] = model_inp[5:2]; // 15.0
    wire [2:0] v4; assign v4[2:0] = model_inp[8:6]; // 15.0
    wire [5:0] v5; shift_adder #(4, 3, 0, 0, 6, -1, 0) op_5 (v3[3:0], v4[2:0], v5[5:0]); // 16.0
    wire [3:0] v6; assign v6[3:0] = 4'b1111; // 16.0
    wire [5:0] v7; assign v7[5:0] = model_inp[14:9]; // 15.0
    wire [6:0] v8; assign v8[6:0] = model_inp[21:15]; // 15.0
    wire [3:0] v9; mux #(6, 4, 0, 0, 4, 0, 0) op_9 (v8[6], v7[5:0], v6[3:0], v9[3:0]); // 16.0
    wire [0:0] v10; assign v10[0:0] = model_inp[22:22]; // 15.0
    wire [4:0] v11; assign v11[4:0] = model_inp[27:23]; // 15.0
    wire [5:0] v12; shift_adder #(1, 5, 0, 0, 6, 0, 1) op_12 (v10[0:0], v11[4:0], v12[5:0]); // 16.0
    wire [3:0] v13; assign v13[3:0] = 4'b1111; // 16.0
    wire [4:0] v14; assign v14[4:0] = model_inp[32:28]; // 15.0
    wire [4:0] v15; assign v15[4:0] = model_inp[37:33]; // 15.0
    wire [3:0] v16; mux #(5, 4, 0, 0, 4, 0, 0) op_16 (v15[4], v14[4:0], v13[3:0], v16[3:0]); // 16.0
    wire [4:0] v17; assign v17[4:0] = model_inp[42:38]; // 15.0
    wire [5:0] v18; shift_adder #(5, 5, 0, 0, 6, 0, 1) op_18 (v17[4:0], v11[4:0], v18[5:0]); // 16.0
    wire [2:0] v19; assign v19[2:0] = model_inp[45:43]; // 15.0
    wire [5:0] v20; shift_adder #(3, 3, 0, 0, 6, 2, 1) op_20 (v19[2:0], v4[2:0], v20[5:0]); // 16.0
    wire [1:0] v21; assign v21[1:0] = model_inp[47:46]; // 15.0
    wire [2:0] v22; shift_adder #(2, 1, 0, 0, 3, 0, 1) op_22 (v21[1:0], v10[0:0], v22[2:0]); // 16.0
    wire [2:0] v23; assign v23[2:0] = model_inp[50:48]; // 15.0
    wire [7:0] v24; shift_adder #(3, 3, 0, 0, 8, -4, 1) op_24 (v19[2:0], v23[2:0], v24[7:0]); // 16.0
    wire [4:0] v25; assign v25[4:0] = model_inp[55:51]; // 15.0
    wire [6:0] v26; shift_adder #(5, 5, 0, 0, 7, 1, 0) op_26 (v17[4:0], v25[4:0], v26[6:0]); // 16.0
    wire [2:0] v27; assign v27[2:0] = model_inp[58:56]; // 15.0
    wire [5:0] v28; shift_adder #(3, 4, 0, 0, 6, -2, 0) op_28 (v27[2:0], v3[3:0], v28[5:0]); // 16.0
    wire [7:0] v29; shift_adder #(5, 3, 0, 0, 8, 4, 0) op_29 (v25[4:0], v19[2:0], v29[7:0]); // 16.0
    wire [6:0] v30; shift_adder #(3, 5, 0, 0, 7, -3, 0) op_30 (v27[2:0], v17[4:0], v30[6:0]); // 16.0
    wire [1:0] v31; assign v31[1:0] = model_inp[60:59]; // 15.0
    wire [5:0] v32; shift_adder #(5, 2, 0, 0, 6, 1, 0) op_32 (v17[4:0], v31[1:0], v32[5:0]); // 16.0
    wire [5:0] v33; shift_adder #(5, 3, 0, 0, 6, 1, 1) op_33 (v25[4:0], v23[2:0], v33[5:0]); // 16.0
    wire [4:0] v34; shift_adder #(3, 3, 0, 0, 5, 1, 0) op_34 (v23[2:0], v27[2:0], v34[4:0]); // 16.0
    wire [4:0] v35; shift_adder #(2, 1, 0, 0, 5, -2, 1) op_35 (v21[1:0], v10[0:0], v35[4:0]); // 16.0
    wire [4:0] v36; shift_adder #(4, 3, 0, 0, 5, 0, 1) op_36 (v3[3:0], v4[2:0], v36[4:0]); // 16.0
    wire [6:0] v37; shift_adder #(2, 5, 0, 0, 7, 1, 1) op_37 (v31[1:0], v11[4:0], v37[6:0]); // 16.0
    wire [5:0] v38; shift_adder #(3, 5, 0, 0, 6, -1, 0) op_38 (v19[2:0], v11[4:0], v38[5:0]); // 16.0
    wire [4:0] v39; shift_adder #(2, 4, 0, 0, 5, 0, 1) op_39 (v31[1:0], v3[3:0], v39[4:0]); // 16.0
    wire [2:0] v40; shift_adder #(2, 1, 0, 0, 3, 1, 1) op_40 (v21[1:0], v10[0:0], v40[2:0]); // 16.0
    wire [5:0] v41; shift_adder #(2, 5, 0, 0, 6, 0, 0) op_41 (v21[1:0], v25[4:0], v41[5:0]); // 16.0
    wire [5:0] v42; shift_adder #(3, 3, 0, 0, 6, -3, 0) op_42 (v4[2:0], v27[2:0], v42[5:0]); // 16.0
    wire [0:0] v43; assign v43[0:0] = model_inp[61:61]; // 15.0
    wire [0:0] v44; binop #(1, 1, 0, 0, 1, 0, 1) op_44 (v2, v43, v44[0:0]); // 17.0
    wire [6:0] v45; shift_adder #(3, 6, 0, 0, 7, -2, 1) op_45 (v23[2:0], v5[5:0], v45[6:0]); // 17.0
    wire [7:0] v46; shift_adder #(4, 6, 0, 1, 8, 2, 0) op_46 (v9[3:0], v12[5:0], v46[7:0]); // 17.0
    wire [4:0] v47; shift_adder #(3, 4, 0, 0, 5, -1, 1) op_47 (v23[2:0], v16[3:0], v47[4:0]); // 17.0
    wire [5:0] v48; shift_adder #(4, 5, 0, 0, 6, -1, 1) op_48 (v9[3:0], v25[4:0], v48[5:0]); // 17.0
    wire [7:0] v49; shift_adder #(6, 6, 1, 1, 8, 1, 0) op_49 (v18[5:0], v20[5:0], v49[7:0]); // 17.0
    wire [5:0] v50; shift_adder #(2, 4, 0, 0, 6, 1, 1) op_50 (v21[1:0], v16[3:0], v50[5:0]); // 17.0
    wire [8:0] v51; shift_adder #(3, 8, 1, 1, 9, -3, 0) op_51 (v22[2:0], v24[7:0], v51[8:0]); // 17.0
    wire [7:0] v52; shift_adder #(4, 6, 0, 1, 8, -2, 1) op_52 (v3[3:0], v20[5:0], v52[7:0]); // 17.0
    wire [7:0] v53; shift_adder #(7, 6, 0, 0, 8, 0, 1) op_53 (v26[6:0], v28[5:0], v53[7:0]); // 17.0
    wire [6:0] v54; shift_adder #(4, 3, 0, 0, 7, 3, 1) op_54 (v9[3:0], v4[2:0], v54[6:0]); // 17.0
    wire [9:0] v55; shift_adder #(8, 5, 0, 0, 10, 4, 1) op_55 (v29[7:0], v25[4:0], v55[9:0]); // 17.0
    wire [8:0] v56; shift_adder #(7, 6, 0, 0, 9, 2, 1) op_56 (v30[6:0], v32[5:0], v56[8:0]); // 17.0
    wire [9:0] v57; shift_adder #(6, 5, 1, 0, 10, 3, 1) op_57 (v33[5:0], v25[4:0], v57[9:0]); // 17.0
    wire [8:0] v58; shift_adder #(5, 6, 0, 1, 9, -2, 0) op_58 (v17[4:0], v18[5:0], v58[8:0]); // 17.0
    wire [7:0] v59; shift_adder #(7, 5, 0, 0, 8, 2, 0) op_59 (v26[6:0], v34[4:0], v59[7:0]); // 17.0
    wire [6:0] v60; shift_adder #(4, 4, 0, 0, 7, -2, 1) op_60 (v9[3:0], v9[3:0], v60[6:0]); // 17.0
    wire [6:0] v61; shift_adder #(5, 5, 1, 1, 7, 1, 0) op_61 (v35[4:0], v36[4:0], v61[6:0]); // 17.0
    wire [7:0] v62; shift_adder #(6, 5, 0, 1, 8, 1, 1) op_62 (v38[5:0], v39[4:0], v62[7:0]); // 17.0
    wire [6:0] v63; shift_adder #(5, 5, 1, 0, 7, -1, 1) op_63 (v39[4:0], v25[4:0], v63[6:0]); // 17.0
    wire [6:0] v64; shift_adder #(4, 6, 0, 0, 7, -2, 0) op_64 (v16[3:0], v5[5:0], v64[6:0]); // 17.0
    wire [7:0] v65; shift_adder #(5, 7, 0, 1, 8, 1, 0) op_65 (v34[4:0], v37[6:0], v65[7:0]); // 17.0
    wire [6:0] v66; shift_adder #(3, 5, 1, 0, 7, 1, 1) op_66 (v40[2:0], v17[4:0], v66[6:0]); // 17.0
    wire [7:0] v67; shift_adder #(6, 6, 0, 0, 8, -1, 1) op_67 (v41[5:0], v42[5:0], v67[7:0]); // 17.0
    wire [0:0] v68; assign v68[0:0] = model_inp[62:62]; // 15.0
    wire [0:0] v69; binop #(1, 1, 0, 0, 1, 0, 1) op_69 (v44, v68, v69[0:0]); // 18.0
    wire [8:0] v70; shift_adder #(7, 8, 1, 1, 9, -1, 0) op_70 (v45[6:0], v46[7:0], v70[8:0]); // 18.0
    wire [5:0] v71; shift_adder #(2, 5, 0, 1, 6, -1, 0) op_71 (v31[1:0], v47[4:0], v71[5:0]); // 18.0
    wire [8:0] v72; shift_adder #(4, 6, 0, 1, 9, -3, 0) op_72 (v16[3:0], v48[5:0], v72[8:0]); // 18.0
    wire [8:0] v73; shift_adder #(8, 6, 1, 1, 9, 1, 0) op_73 (v49[7:0], v50[5:0], v73[8:0]); // 18.0
    wire [8:0] v74; shift_adder #(6, 9, 1, 1, 9, -1, 0) op_74 (v48[5:0], v51[8:0], v74[8:0]); // 18.0
    wire [10:0] v75; shift_adder #(8, 7, 1, 1, 11, -3, 1) op_75 (v53[7:0], v54[6:0], v75[10:0]); // 18.0
    wire [6:0] v76; shift_adder #(3, 5, 0, 1, 7, 1, 1) op_76 (v23[2:0], v47[4:0], v76[6:0]); // 18.0
    wire [7:0] v77; shift_adder #(6, 7, 1, 1, 8, 1, 0) op_77 (v48[5:0], v45[6:0], v77[7:0]); // 18.0
    wire [11:0] v78; shift_adder #(10, 9, 1, 1, 12, 2, 0) op_78 (v55[9:0], v56[8:0], v78[11:0]); // 18.0
    wire [9:0] v79; shift_adder #(6, 10, 0, 1, 10, -1, 0) op_79 (v5[5:0], v57[9:0], v79[9:0]); // 18.0
    wire [8:0] v80; shift_adder #(3, 9, 0, 1, 9, -2, 1) op_80 (v27[2:0], v58[8:0], v80[8:0]); // 18.0
    wire [8:0] v81; shift_adder #(8, 6, 0, 1, 9, 1, 1) op_81 (v59[7:0], v50[5:0], v81[8:0]); // 18.0
    wire [6:0] v82; shift_adder #(3, 7, 0, 1, 7, -2, 1) op_82 (v19[2:0], v60[6:0], v82[6:0]); // 18.0
    wire [7:0] v83; shift_adder #(7, 7, 1, 1, 8, 0, 1) op_83 (v61[6:0], v37[6:0], v83[7:0]); // 18.0
    wire [8:0] v84; shift_adder #(8, 6, 1, 1, 9, 2, 1) op_84 (v62[7:0], v18[5:0], v84[8:0]); // 18.0
    wire [9:0] v85; shift_adder #(7, 7, 1, 1, 10, -3, 1) op_85 (v63[6:0], v54[6:0], v85[9:0]); // 18.0
    wire [8:0] v86; shift_adder #(8, 7, 0, 0, 9, 0, 1) op_86 (v59[7:0], v64[6:0], v86[8:0]); // 18.0
    wire [10:0] v87; shift_adder #(7, 6, 1, 1, 11, -3, 1) op_87 (v66[6:0], v18[5:0], v87[10:0]); // 18.0
    wire [8:0] v88; shift_adder #(8, 5, 1, 0, 9, 2, 1) op_88 (v67[7:0], v34[4:0], v88[8:0]); // 18.0
    wire [9:0] v89; shift_adder #(7, 9, 0, 1, 10, -1, 0) op_89 (v64[6:0], v58[8:0], v89[9:0]); // 18.0
    wire [0:0] v90; assign v90[0:0] = model_inp[63:63]; // 15.0
    wire [0:0] v91; binop #(1, 1, 0, 0, 1, 0, 1) op_91 (v69, v90, v91[0:0]); // 19.0
    wire [8:0] v92; shift_adder #(9, 6, 1, 1, 9, 0, 1) op_92 (v70[8:0], v71[5:0], v92[8:0]); // 19.0
    wire [9:0] v93; shift_adder #(9, 9, 1, 1, 10, -1, 0) op_93 (v72[8:0], v73[8:0], v93[9:0]); // 19.0
    wire [9:0] v94; shift_adder #(9, 8, 1, 1, 10, 2, 1) op_94 (v74[8:0], v52[7:0], v94[9:0]); // 19.0
    wire [11:0] v95; shift_adder #(11, 7, 1, 1, 12, 3, 1) op_95 (v75[10:0], v76[6:0], v95[11:0]); // 19.0
    wire [7:0] v96; shift_adder #(6, 6, 1, 1, 8, 1, 1) op_96 (v71[5:0], v50[5:0], v96[7:0]); // 19.0
    wire [11:0] v97; shift_adder #(8, 12, 1, 1, 12, -2, 0) op_97 (v77[7:0], v78[11:0], v97[11:0]); // 19.0
    wire [10:0] v98; shift_adder #(10, 8, 1, 1, 11, 2, 1) op_98 (v79[9:0], v52[7:0], v98[10:0]); // 19.0
    wire [8:0] v99; shift_adder #(7, 8, 1, 1, 9, 0, 0) op_99 (v82[6:0], v83[7:0], v99[8:0]); // 19.0
    wire [10:0] v100; shift_adder #(9, 10, 1, 1, 11, -1, 0) op_100 (v84[8:0], v85[9:0], v100[10:0]); // 19.0
    wire [9:0] v101; shift_adder #(7, 9, 1, 1, 10, -2, 0) op_101 (v76[6:0], v80[8:0], v101[9:0]); // 19.0
    wire [11:0] v102; shift_adder #(8, 11, 1, 1, 12, -2, 0) op_102 (v65[7:0], v87[10:0], v102[11:0]); // 19.0
    wire [10:0] v103; shift_adder #(9, 9, 1, 1, 11, -2, 1) op_103 (v88[8:0], v72[8:0], v103[10:0]); // 19.0
    wire [0:0] v104; assign v104[0:0] = model_inp[64:64]; // 15.0
    wire [0:0] v105; binop #(1, 1, 0, 0, 1, 0, 1) op_105 (v91, v104, v105[0:0]); // 20.0
    wire [10:0] v106; shift_adder #(9, 10, 1, 1, 11, 0, 1) op_106 (v92[8:0], v93[9:0], v106[10:0]); // 20.0
    wire [10:0] v107; shift_adder #(11, 3, 1, 0, 11, 0, 0) op_107 (v106[10:0], 3'b101, v107[10:0]); // 20.0
    wire [11:0] v108; shift_adder #(10, 12, 1, 1, 12, -1, 0) op_108 (v94[9:0], v95[11:0], v108[11:0]); // 20.0
    wire [11:0] v109; shift_adder #(12, 5, 1, 0, 12, 0, 1) op_109 (v108[11:0], 5'b11000, v109[11:0]); // 20.0
    wire [11:0] v110; shift_adder #(8, 12, 1, 1, 12, -1, 0) op_110 (v96[7:0], v97[11:0], v110[11:0]); // 20.0
    wire [11:0] v111; shift_adder #(12, 3, 1, 0, 12, 0, 1) op_111 (v110[11:0], 3'b100, v111[11:0]); // 20.0
    wire [10:0] v112; shift_adder #(11, 9, 1, 1, 11, 1, 1) op_112 (v98[10:0], v80[8:0], v112[10:0]); // 20.0
    wire [10:0] v113; shift_adder #(11, 4, 1, 0, 11, 0, 0) op_113 (v112[10:0], 4'b1000, v113[10:0]); // 20.0
    wire [10:0] v114; shift_adder #(9, 9, 1, 1, 11, 1, 0) op_114 (v81[8:0], v99[8:0], v114[10:0]); // 20.0
    wire [10:0] v115; shift_adder #(11, 2, 1, 0, 11, 0, 1) op_115 (v114[10:0], 2'b10, v115[10:0]); // 20.0
    wire [11:0] v116; shift_adder #(11, 9, 1, 1, 12, 1, 1) op_116 (v100[10:0], v72[8:0], v116[11:0]); // 20.0
    wire [11:0] v117; shift_adder #(9, 12, 1, 1, 12, -2, 0) op_117 (v86[8:0], v102[11:0], v117[11:0]); // 20.0
    wire [12:0] v118; shift_adder #(11, 10, 1, 1, 13, 2, 1) op_118 (v103[10:0], v89[9:0], v118[12:0]); // 20.0
    wire [12:0] v119; shift_adder #(13, 6, 1, 0, 13, 0, 0) op_119 (v118[12:0], 6'b100000, v119[12:0]); // 20.0
    wire [0:0] v120; assign v120[0:0] = model_inp[65:65]; // 15.0
    wire [0:0] v121; assign v121[0:0] = model_inp[66:66]; // 15.0
    wire [0:0] v122; assign v122[0:0] = model_inp[67:67]; // 15.0
    wire [0:0] v123; assign v123[0:0] = model_inp[68:68]; // 15.0
    wire [0:0] v124; assign v124[0:0] = model_inp[69:69]; // 15.0
    wire [0:0] v125; assign v125[0:0] = model_inp[70:70]; // 15.0
    wire [0:0] v126; assign v126[0:0] = model_inp[71:71]; // 15.0
    wire [0:0] v127; assign v127[0:0] = model_inp[72:72]; // 15.0
    wire [0:0] v128; assign v128[0:0] = model_inp[73:73]; // 15.0
    wire [0:0] v129; assign v129[0:0] = model_inp[74:74]; // 15.0
    wire [0:0] v130; assign v130[0:0] = model_inp[75:75]; // 15.0
    wire [0:0] v131; assign v131[0:0] = model_inp[76:76]; // 15.0
    wire [0:0] v132; assign v132[0:0] = model_inp[77:77]; // 15.0
    wire [0:0] v133; assign v133[0:0] = model_inp[78:78]; // 15.0
    wire [0:0] v134; assign v134[0:0] = model_inp[79:79]; // 15.0
    wire [0:0] v135; assign v135[0:0] = model_inp[80:80]; // 15.0
    wire [0:0] v136; assign v136[0:0] = model_inp[81:81]; // 15.0
    wire [0:0] v137; assign v137[0:0] = model_inp[82:82]; // 15.0
    wire [0:0] v138; assign v138[0:0] = model_inp[83:83]; // 15.0
    wire [0:0] v139; assign v139[0:0] = model_inp[84:84]; // 15.0
    wire [0:0] v140; assign v140[0:0] = model_inp[85:85]; // 15.0
    wire [0:0] v141; assign v141[0:0] = model_inp[86:86]; // 15.0
    wire [0:0] v142; assign v142[0:0] = model_inp[87:87]; // 15.0
    wire [0:0] v143; assign v143[0:0] = model_inp[88:88]; // 15.0
    wire [0:0] v144; assign v144[0:0] = model_inp[89:89]; // 15.0
    wire [0:0] v145; assign v145[0:0] = model_inp[90:90]; // 15.0
    wire [0:0] v146; assign v146[0:0] = model_inp[91:91]; // 15.0
    wire [0:0] v147; assign v147[0:0] = model_inp[92:92]; // 15.0
    wire [0:0] v148; assign v148[0:0] = model_inp[93:93]; // 15.0
    wire [0:0] v149; assign v149[0:0] = model_inp[94:94]; // 15.0
    wire [0:0] v150; assign v150[0:0] = model_inp[95:95]; // 15.0
    wire [0:0] v151; assign v151[0:0] = model_inp[96:96]; // 15.0
    wire [0:0] v152; assign v152[0:0] = model_inp[97:97]; // 15.0
    wire [0:0] v153; assign v153[0:0] = model_inp[98:98]; // 15.0
    wire [0:0] v154; assign v154[0:0] = model_inp[99:99]; // 15.0
    wire [0:0] v155; assign v155[0:0] = model_inp[100:100]; // 15.0
    wire [0:0] v156; assign v156[0:0] = model_inp[101:101]; // 15.0

    // verilator lint_on UNUSEDSIGNAL

    assign model_out[0:0] = v105[0:0];
    assign model_out[1:1] = v120[0:0];
    assign model_out[13:2] = v116[11:0];
    assign model_out[23:14] = v101[9:0];
    assign model_out[35:24] = v117[11:0];
    assign model_out[42:36] = v82[6:0];
    assign model_out[43:43] = v121[0:0];
    assign model_out[44:44] = v122[0:0];
    assign model_out[45:45] = v123[0:0];
    assign model_out[46:46] = v124[0:0];
    assign model_out[47:47] = v125[0:0];
    assign model_out[48:48] = v126[0:0];
    assign model_out[49:49] = v127[0:0];
    assign model_out[50:50] = v128[0:0];
    assign model_out[51:51] = v129[0:0];
    assign model_out[52:52] = v130[0:0];
    assign model_out[63:53] = v107[10:0];
    assign model_out[74:64] = v113[10:0];
    assign model_out[85:75] = v115[10:0];
    assign model_out[86:86] = v131[0:0];
    assign model_out[98:87] = v109[11:0];
    assign model_out[110:99] = v111[11:0];
    assign model_out[111:111] = v132[0:0];
    assign model_out[124:112] = v119[12:0];
    assign model_out[125:125] = v133[0:0];
    assign model_out[126:126] = v134[0:0];
    assign model_out[127:127] = v135[0:0];
    assign model_out[128:128] = v136[0:0];
    assign model_out[129:129] = v137[0:0];
    assign model_out[130:130] = v138[0:0];
    assign model_out[131:131] = v139[0:0];
    assign model_out[132:132] = v140[0:0];
    assign model_out[133:133] = v141[0:0];
    assign model_out[134:134] = v142[0:0];
    assign model_out[135:135] = v143[0:0];
    assign model_out[136:136] = v144[0:0];
    assign model_out[137:137] = v145[0:0];
    assign model_out[138:138] = v146[0:0];
    assign model_out[139:139] = v147[0:0];
    assign model_out[140:140] = v148[0:0];
    assign model_out[141:141] = v149[0:0];
    assign model_out[142:142] = v150[0:0];
    assign model_out[143:143] = v151[0:0];
    assign model_out[144:144] = v152[0:0];
    assign model_out[145:145] = v153[0:0];
    assign model_out[146:146] = v154[0:0];
    assign model_out[147:147] = v155[0:0];
    assign model_out[148:148] = v156[0:0];

endmodule
