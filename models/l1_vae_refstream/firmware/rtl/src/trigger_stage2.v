`timescale 1 ns / 1 ps

module trigger_stage2 (
    input [437:0] model_inp,
    output [101:0] model_out
);

    // verilator lint_off UNUSEDSIGNAL
    // Explicit quantization operation will drop bits if exists

    wire [0:0] v0; assign v0[0:0] = model_inp[0:0]; // 10.0
    wire [0:0] v1; assign v1[0:0] = model_inp[1:1]; // 10.0
    wire [0:0] v2; binop #(1, 1, 0, 0, 1, 0, 1) op_2 (v0, v1, v2[0:0]); // 11.0
    wire [3:0] v3; assign v3[3:0] = model_inp[5:2]; // 10.0
    wire [3:0] v4; assign v4[3:0] = model_inp[9:6]; // 10.0
    wire [6:0] v5; shift_adder #(4, 4, 0, 1, 7, -2, 1) op_5 (v3[3:0], v4[3:0], v5[6:0]); // 11.0
    wire [0:0] v6; assign v6[0:0] = model_inp[10:10]; // 10.0
    wire [2:0] v7; assign v7[2:0] = model_inp[13:11]; // 10.0
    wire [3:0] v8; shift_adder #(1, 3, 0, 1, 4, 1, 0) op_8 (v6[0:0], v7[2:0], v8[3:0]); // 11.0
    wire [3:0] v9; assign v9[3:0] = model_inp[17:14]; // 10.0
    wire [3:0] v10; assign v10[3:0] = model_inp[21:18]; // 10.0
    wire [5:0] v11; shift_adder #(4, 4, 1, 1, 6, 1, 0) op_11 (v9[3:0], v10[3:0], v11[5:0]); // 11.0
    wire [4:0] v12; assign v12[4:0] = model_inp[26:22]; // 10.0
    wire [6:0] v13; assign v13[6:0] = model_inp[33:27]; // 10.0
    wire [6:0] v14; shift_adder #(5, 7, 1, 1, 7, -1, 0) op_14 (v12[4:0], v13[6:0], v14[6:0]); // 11.0
    wire [5:0] v15; assign v15[5:0] = model_inp[39:34]; // 10.0
    wire [4:0] v16; assign v16[4:0] = model_inp[44:40]; // 10.0
    wire [6:0] v17; shift_adder #(6, 5, 1, 0, 7, -1, 0) op_17 (v15[5:0], v16[4:0], v17[6:0]); // 11.0
    wire [4:0] v18; assign v18[4:0] = model_inp[49:45]; // 10.0
    wire [2:0] v19; assign v19[2:0] = model_inp[52:50]; // 10.0
    wire [5:0] v20; shift_adder #(5, 3, 1, 0, 6, 1, 0) op_20 (v18[4:0], v19[2:0], v20[5:0]); // 11.0
    wire [3:0] v21; assign v21[3:0] = model_inp[56:53]; // 10.0
    wire [5:0] v22; assign v22[5:0] = model_inp[62:57]; // 10.0
    wire [6:0] v23; shift_adder #(4, 6, 1, 1, 7, -2, 0) op_23 (v21[3:0], v22[5:0], v23[6:0]); // 11.0
    wire [4:0] v24; assign v24[4:0] = model_inp[67:63]; // 10.0
    wire [5:0] v25; assign v25[5:0] = model_inp[73:68]; // 10.0
    wire [6:0] v26; shift_adder #(5, 6, 1, 1, 7, -1, 0) op_26 (v24[4:0], v25[5:0], v26[6:0]); // 11.0
    wire [4:0] v27; assign v27[4:0] = model_inp[78:74]; // 10.0
    wire [3:0] v28; assign v28[3:0] = model_inp[82:79]; // 10.0
    wire [5:0] v29; shift_adder #(5, 4, 1, 1, 6, 0, 0) op_29 (v27[4:0], v28[3:0], v29[5:0]); // 11.0
    wire [2:0] v30; assign v30[2:0] = model_inp[85:83]; // 10.0
    wire [1:0] v31; assign v31[1:0] = model_inp[87:86]; // 10.0
    wire [2:0] v32; shift_adder #(3, 2, 1, 0, 3, 0, 1) op_32 (v30[2:0], v31[1:0], v32[2:0]); // 11.0
    wire [0:0] v33; assign v33[0:0] = model_inp[88:88]; // 10.0
    wire [4:0] v34; assign v34[4:0] = model_inp[93:89]; // 10.0
    wire [4:0] v35; shift_adder #(1, 5, 0, 1, 5, 0, 1) op_35 (v33[0:0], v34[4:0], v35[4:0]); // 11.0
    wire [1:0] v36; assign v36[1:0] = model_inp[95:94]; // 10.0
    wire [3:0] v37; assign v37[3:0] = model_inp[99:96]; // 10.0
    wire [3:0] v38; shift_adder #(2, 4, 0, 0, 4, -1, 0) op_38 (v36[1:0], v37[3:0], v38[3:0]); // 11.0
    wire [2:0] v39; assign v39[2:0] = model_inp[102:100]; // 10.0
    wire [5:0] v40; assign v40[5:0] = model_inp[108:103]; // 10.0
    wire [5:0] v41; shift_adder #(3, 6, 0, 1, 6, 0, 0) op_41 (v39[2:0], v40[5:0], v41[5:0]); // 11.0
    wire [3:0] v42; assign v42[3:0] = model_inp[112:109]; // 10.0
    wire [3:0] v43; assign v43[3:0] = model_inp[116:113]; // 10.0
    wire [6:0] v44; shift_adder #(4, 4, 0, 0, 7, -2, 1) op_44 (v42[3:0], v43[3:0], v44[6:0]); // 11.0
    wire [0:0] v45; assign v45[0:0] = model_inp[117:117]; // 10.0
    wire [5:0] v46; assign v46[5:0] = model_inp[123:118]; // 10.0
    wire [6:0] v47; shift_adder #(1, 6, 0, 0, 7, -2, 1) op_47 (v45[0:0], v46[5:0], v47[6:0]); // 11.0
    wire [4:0] v48; assign v48[4:0] = model_inp[128:124]; // 10.0
    wire [3:0] v49; assign v49[3:0] = model_inp[132:129]; // 10.0
    wire [5:0] v50; shift_adder #(5, 4, 1, 0, 6, 1, 0) op_50 (v48[4:0], v49[3:0], v50[5:0]); // 11.0
    wire [2:0] v51; assign v51[2:0] = model_inp[135:133]; // 10.0
    wire [5:0] v52; shift_adder #(4, 3, 1, 1, 6, 3, 1) op_52 (v9[3:0], v51[2:0], v52[5:0]); // 11.0
    wire [5:0] v53; assign v53[5:0] = model_inp[141:136]; // 10.0
    wire [4:0] v54; assign v54[4:0] = model_inp[146:142]; // 10.0
    wire [6:0] v55; shift_adder #(6, 5, 1, 0, 7, 0, 0) op_55 (v53[5:0], v54[4:0], v55[6:0]); // 11.0
    wire [4:0] v56; assign v56[4:0] = model_inp[151:147]; // 10.0
    wire [4:0] v57; assign v57[4:0] = model_inp[156:152]; // 10.0
    wire [5:0] v58; shift_adder #(5, 5, 1, 0, 6, -1, 1) op_58 (v56[4:0], v57[4:0], v58[5:0]); // 11.0
    wire [3:0] v59; assign v59[3:0] = model_inp[160:157]; // 10.0
    wire [6:0] v60; shift_adder #(4, 4, 0, 1, 7, -2, 1) op_60 (v42[3:0], v59[3:0], v60[6:0]); // 11.0
    wire [4:0] v61; assign v61[4:0] = model_inp[165:161]; // 10.0
    wire [4:0] v62; assign v62[4:0] = model_inp[170:166]; // 10.0
    wire [5:0] v63; shift_adder #(5, 5, 1, 1, 6, 0, 0) op_63 (v61[4:0], v62[4:0], v63[5:0]); // 11.0
    wire [6:0] v64; assign v64[6:0] = model_inp[177:171]; // 10.0
    wire [3:0] v65; assign v65[3:0] = model_inp[181:178]; // 10.0
    wire [7:0] v66; shift_adder #(7, 4, 1, 0, 8, 2, 0) op_66 (v64[6:0], v65[3:0], v66[7:0]); // 11.0
    wire [1:0] v67; assign v67[1:0] = model_inp[183:182]; // 10.0
    wire [4:0] v68; assign v68[4:0] = model_inp[188:184]; // 10.0
    wire [4:0] v69; shift_adder #(2, 5, 0, 1, 5, 0, 1) op_69 (v67[1:0], v68[4:0], v69[4:0]); // 11.0
    wire [4:0] v70; assign v70[4:0] = model_inp[193:189]; // 10.0
    wire [3:0] v71; assign v71[3:0] = model_inp[197:194]; // 10.0
    wire [6:0] v72; shift_adder #(5, 4, 1, 0, 7, -1, 0) op_72 (v70[4:0], v71[3:0], v72[6:0]); // 11.0
    wire [3:0] v73; assign v73[3:0] = model_inp[201:198]; // 10.0
    wire [3:0] v74; assign v74[3:0] = model_inp[205:202]; // 10.0
    wire [5:0] v75; shift_adder #(4, 4, 1, 0, 6, 0, 1) op_75 (v73[3:0], v74[3:0], v75[5:0]); // 11.0
    wire [6:0] v76; assign v76[6:0] = model_inp[212:206]; // 10.0
    wire [6:0] v77; shift_adder #(7, 4, 1, 0, 7, 2, 0) op_77 (v76[6:0], v43[3:0], v77[6:0]); // 11.0
    wire [1:0] v78; assign v78[1:0] = model_inp[214:213]; // 10.0
    wire [6:0] v79; shift_adder #(2, 6, 0, 1, 7, -2, 1) op_79 (v78[1:0], v15[5:0], v79[6:0]); // 11.0
    wire [3:0] v80; assign v80[3:0] = model_inp[218:215]; // 10.0
    wire [5:0] v81; shift_adder #(4, 4, 1, 1, 6, 1, 0) op_81 (v59[3:0], v80[3:0], v81[5:0]); // 11.0
    wire [2:0] v82; assign v82[2:0] = model_inp[221:219]; // 10.0
    wire [3:0] v83; assign v83[3:0] = model_inp[225:222]; // 10.0
    wire [5:0] v84; shift_adder #(3, 4, 0, 1, 6, -1, 1) op_84 (v82[2:0], v83[3:0], v84[5:0]); // 11.0
    wire [5:0] v85; assign v85[5:0] = model_inp[231:226]; // 10.0
    wire [4:0] v86; assign v86[4:0] = model_inp[236:232]; // 10.0
    wire [6:0] v87; shift_adder #(6, 5, 1, 1, 7, 1, 0) op_87 (v85[5:0], v86[4:0], v87[6:0]); // 11.0
    wire [1:0] v88; assign v88[1:0] = model_inp[238:237]; // 10.0
    wire [5:0] v89; shift_adder #(2, 6, 0, 1, 6, -3, 1) op_89 (v88[1:0], v22[5:0], v89[5:0]); // 11.0
    wire [1:0] v90; assign v90[1:0] = model_inp[240:239]; // 10.0
    wire [0:0] v91; assign v91[0:0] = model_inp[241:241]; // 10.0
    wire [3:0] v92; shift_adder #(2, 1, 1, 0, 4, 2, 1) op_92 (v90[1:0], v91[0:0], v92[3:0]); // 11.0
    wire [3:0] v93; assign v93[3:0] = model_inp[245:242]; // 10.0
    wire [2:0] v94; assign v94[2:0] = model_inp[248:246]; // 10.0
    wire [6:0] v95; shift_adder #(4, 3, 0, 1, 7, 3, 0) op_95 (v93[3:0], v94[2:0], v95[6:0]); // 11.0
    wire [4:0] v96; assign v96[4:0] = model_inp[253:249]; // 10.0
    wire [5:0] v97; shift_adder #(2, 5, 0, 1, 6, -2, 1) op_97 (v78[1:0], v96[4:0], v97[5:0]); // 11.0
    wire [6:0] v98; assign v98[6:0] = model_inp[260:254]; // 10.0
    wire [2:0] v99; assign v99[2:0] = model_inp[263:261]; // 10.0
    wire [7:0] v100; shift_adder #(7, 3, 1, 0, 8, -1, 1) op_100 (v98[6:0], v99[2:0], v100[7:0]); // 11.0
    wire [5:0] v101; assign v101[5:0] = model_inp[269:264]; // 10.0
    wire [4:0] v102; assign v102[4:0] = model_inp[274:270]; // 10.0
    wire [6:0] v103; shift_adder #(6, 5, 1, 0, 7, 0, 0) op_103 (v101[5:0], v102[4:0], v103[6:0]); // 11.0
    wire [8:0] v104; assign v104[8:0] = model_inp[283:275]; // 10.0
    wire [3:0] v105; assign v105[3:0] = model_inp[287:284]; // 10.0
    wire [8:0] v106; shift_adder #(9, 4, 1, 0, 9, 0, 1) op_106 (v104[8:0], v105[3:0], v106[8:0]); // 11.0
    wire [4:0] v107; assign v107[4:0] = model_inp[292:288]; // 10.0
    wire [6:0] v108; shift_adder #(5, 5, 1, 1, 7, 2, 0) op_108 (v107[4:0], v96[4:0], v108[6:0]); // 11.0
    wire [4:0] v109; assign v109[4:0] = model_inp[297:293]; // 10.0
    wire [3:0] v110; assign v110[3:0] = model_inp[301:298]; // 10.0
    wire [4:0] v111; shift_adder #(5, 4, 1, 1, 5, 0, 0) op_111 (v109[4:0], v110[3:0], v111[4:0]); // 11.0
    wire [3:0] v112; assign v112[3:0] = model_inp[305:302]; // 10.0
    wire [2:0] v113; assign v113[2:0] = model_inp[308:306]; // 10.0
    wire [4:0] v114; shift_adder #(4, 3, 1, 0, 5, 0, 0) op_114 (v112[3:0], v113[2:0], v114[4:0]); // 11.0
    wire [2:0] v115; assign v115[2:0] = model_inp[311:309]; // 10.0
    wire [4:0] v116; shift_adder #(3, 4, 0, 1, 5, 0, 0) op_116 (v115[2:0], v4[3:0], v116[4:0]); // 11.0
    wire [5:0] v117; assign v117[5:0] = model_inp[317:312]; // 10.0
    wire [5:0] v118; shift_adder #(1, 6, 0, 1, 6, 0, 0) op_118 (v33[0:0], v117[5:0], v118[5:0]); // 11.0
    wire [2:0] v119; assign v119[2:0] = model_inp[320:318]; // 10.0
    wire [7:0] v120; assign v120[7:0] = model_inp[328:321]; // 10.0
    wire [7:0] v121; shift_adder #(3, 8, 0, 1, 8, -2, 0) op_121 (v119[2:0], v120[7:0], v121[7:0]); // 11.0
    wire [3:0] v122; assign v122[3:0] = model_inp[332:329]; // 10.0
    wire [3:0] v123; assign v123[3:0] = model_inp[336:333]; // 10.0
    wire [5:0] v124; shift_adder #(4, 4, 1, 0, 6, 0, 0) op_124 (v122[3:0], v123[3:0], v124[5:0]); // 11.0
    wire [2:0] v125; assign v125[2:0] = model_inp[339:337]; // 10.0
    wire [5:0] v126; shift_adder #(3, 5, 0, 1, 6, 0, 0) op_126 (v125[2:0], v27[4:0], v126[5:0]); // 11.0
    wire [0:0] v127; assign v127[0:0] = model_inp[340:340]; // 10.0
    wire [4:0] v128; assign v128[4:0] = model_inp[345:341]; // 10.0
    wire [4:0] v129; shift_adder #(1, 5, 0, 1, 5, -1, 1) op_129 (v127[0:0], v128[4:0], v129[4:0]); // 11.0
    wire [4:0] v130; assign v130[4:0] = model_inp[350:346]; // 10.0
    wire [5:0] v131; shift_adder #(5, 3, 1, 0, 6, 1, 1) op_131 (v130[4:0], v113[2:0], v131[5:0]); // 11.0
    wire [4:0] v132; assign v132[4:0] = model_inp[355:351]; // 10.0
    wire [4:0] v133; shift_adder #(5, 5, 1, 1, 5, 0, 0) op_133 (v132[4:0], v61[4:0], v133[4:0]); // 11.0
    wire [7:0] v134; assign v134[7:0] = model_inp[363:356]; // 10.0
    wire [7:0] v135; shift_adder #(8, 3, 1, 1, 8, 2, 1) op_135 (v134[7:0], v30[2:0], v135[7:0]); // 11.0
    wire [4:0] v136; assign v136[4:0] = model_inp[368:364]; // 10.0
    wire [3:0] v137; assign v137[3:0] = model_inp[372:369]; // 10.0
    wire [6:0] v138; shift_adder #(5, 4, 1, 0, 7, 2, 1) op_138 (v136[4:0], v137[3:0], v138[6:0]); // 11.0
    wire [0:0] v139; assign v139[0:0] = model_inp[373:373]; // 10.0
    wire [0:0] v140; binop #(1, 1, 0, 0, 1, 0, 1) op_140 (v2, v139, v140[0:0]); // 12.0
    wire [6:0] v141; shift_adder #(7, 4, 1, 1, 7, 0, 1) op_141 (v5[6:0], v8[3:0], v141[6:0]); // 12.0
    wire [6:0] v142; shift_adder #(6, 7, 1, 1, 7, 0, 0) op_142 (v11[5:0], v14[6:0], v142[6:0]); // 12.0
    wire [4:0] v143; assign v143[4:0] = model_inp[378:374]; // 10.0
    wire [5:0] v144; shift_adder #(6, 5, 1, 0, 6, 0, 1) op_144 (v20[5:0], v143[4:0], v144[5:0]); // 12.0
    wire [8:0] v145; shift_adder #(7, 7, 1, 1, 9, 1, 0) op_145 (v23[6:0], v26[6:0], v145[8:0]); // 12.0
    wire [5:0] v146; shift_adder #(1, 6, 0, 1, 6, -2, 1) op_146 (v91[0:0], v29[5:0], v146[5:0]); // 12.0
    wire [4:0] v147; assign v147[4:0] = model_inp[383:379]; // 10.0
    wire [5:0] v148; shift_adder #(3, 5, 1, 1, 6, 0, 1) op_148 (v32[2:0], v147[4:0], v148[5:0]); // 12.0
    wire [4:0] v149; shift_adder #(1, 5, 0, 1, 5, 0, 1) op_149 (v6[0:0], v35[4:0], v149[4:0]); // 12.0
    wire [6:0] v150; shift_adder #(6, 7, 1, 1, 7, 0, 0) op_150 (v41[5:0], v44[6:0], v150[6:0]); // 12.0
    wire [5:0] v151; shift_adder #(6, 4, 1, 1, 6, 0, 1) op_151 (v50[5:0], v21[3:0], v151[5:0]); // 12.0
    wire [7:0] v152; shift_adder #(6, 7, 1, 1, 8, 1, 0) op_152 (v52[5:0], v55[6:0], v152[7:0]); // 12.0
    wire [7:0] v153; shift_adder #(6, 7, 1, 1, 8, 0, 0) op_153 (v58[5:0], v60[6:0], v153[7:0]); // 12.0
    wire [7:0] v154; shift_adder #(8, 5, 1, 1, 8, 2, 1) op_154 (v66[7:0], v69[4:0], v154[7:0]); // 12.0
    wire [7:0] v155; shift_adder #(6, 7, 1, 1, 8, 0, 0) op_155 (v75[5:0], v77[6:0], v155[7:0]); // 12.0
    wire [0:0] v156; assign v156[0:0] = model_inp[384:384]; // 10.0
    wire [6:0] v157; shift_adder #(1, 7, 0, 1, 7, -2, 0) op_157 (v156[0:0], v79[6:0], v157[6:0]); // 12.0
    wire [6:0] v158; shift_adder #(6, 6, 1, 1, 7, 1, 0) op_158 (v81[5:0], v84[5:0], v158[6:0]); // 12.0
    wire [2:0] v159; assign v159[2:0] = model_inp[387:385]; // 10.0
    wire [6:0] v160; shift_adder #(3, 6, 0, 1, 7, -2, 1) op_160 (v159[2:0], v89[5:0], v160[6:0]); // 12.0
    wire [6:0] v161; shift_adder #(4, 7, 1, 1, 7, -3, 0) op_161 (v92[3:0], v95[6:0], v161[6:0]); // 12.0
    wire [7:0] v162; shift_adder #(6, 8, 1, 1, 8, -1, 0) op_162 (v97[5:0], v100[7:0], v162[7:0]); // 12.0
    wire [9:0] v163; shift_adder #(7, 9, 1, 1, 10, -2, 0) op_163 (v103[6:0], v106[8:0], v163[9:0]); // 12.0
    wire [7:0] v164; shift_adder #(7, 3, 1, 0, 8, 3, 1) op_164 (v108[6:0], v115[2:0], v164[7:0]); // 12.0
    wire [6:0] v165; shift_adder #(5, 6, 1, 1, 7, -1, 0) op_165 (v114[4:0], v89[5:0], v165[6:0]); // 12.0
    wire [8:0] v166; shift_adder #(6, 8, 1, 1, 9, -1, 0) op_166 (v118[5:0], v121[7:0], v166[8:0]); // 12.0
    wire [3:0] v167; assign v167[3:0] = model_inp[391:388]; // 10.0
    wire [5:0] v168; shift_adder #(6, 4, 1, 0, 6, 0, 1) op_168 (v124[5:0], v167[3:0], v168[5:0]); // 12.0
    wire [6:0] v169; shift_adder #(5, 5, 1, 1, 7, -1, 0) op_169 (v69[4:0], v129[4:0], v169[6:0]); // 12.0
    wire [5:0] v170; shift_adder #(6, 4, 1, 0, 6, 0, 1) op_170 (v118[5:0], v38[3:0], v170[5:0]); // 12.0
    wire [6:0] v171; shift_adder #(6, 5, 1, 1, 7, 0, 0) op_171 (v131[5:0], v133[4:0], v171[6:0]); // 12.0
    wire [5:0] v172; shift_adder #(4, 5, 1, 1, 6, 1, 1) op_172 (v8[3:0], v109[4:0], v172[5:0]); // 12.0
    wire [7:0] v173; shift_adder #(8, 7, 1, 1, 8, 1, 0) op_173 (v135[7:0], v138[6:0], v173[7:0]); // 12.0
    wire [6:0] v174; shift_adder #(7, 5, 1, 1, 7, 0, 0) op_174 (v47[6:0], v129[4:0], v174[6:0]); // 12.0
    wire [0:0] v175; assign v175[0:0] = model_inp[392:392]; // 10.0
    wire [0:0] v176; binop #(1, 1, 0, 0, 1, 0, 1) op_176 (v140, v175, v176[0:0]); // 13.0
    wire [8:0] v177; shift_adder #(7, 7, 1, 1, 9, -1, 1) op_177 (v142[6:0], v17[6:0], v177[8:0]); // 13.0
    wire [9:0] v178; shift_adder #(6, 9, 1, 1, 10, 1, 0) op_178 (v144[5:0], v145[8:0], v178[9:0]); // 13.0
    wire [0:0] v179; assign v179[0:0] = model_inp[393:393]; // 10.0
    wire [5:0] v180; shift_adder #(1, 6, 0, 1, 6, -3, 0) op_180 (v179[0:0], v146[5:0], v180[5:0]); // 13.0
    wire [6:0] v181; shift_adder #(6, 5, 1, 1, 7, 1, 1) op_181 (v148[5:0], v149[4:0], v181[6:0]); // 13.0
    wire [7:0] v182; shift_adder #(4, 7, 0, 1, 8, -1, 0) op_182 (v38[3:0], v150[6:0], v182[7:0]); // 13.0
    wire [6:0] v183; shift_adder #(5, 7, 1, 1, 7, -1, 1) op_183 (v149[4:0], v47[6:0], v183[6:0]); // 13.0
    wire [8:0] v184; shift_adder #(6, 8, 1, 1, 9, 0, 0) op_184 (v151[5:0], v152[7:0], v184[8:0]); // 13.0
    wire [7:0] v185; shift_adder #(8, 6, 1, 1, 8, 1, 1) op_185 (v153[7:0], v63[5:0], v185[7:0]); // 13.0
    wire [6:0] v186; assign v186[6:0] = v185[6:0] & {7{~v185[7]}}; // 13.0
    wire [6:0] v187; shift_adder #(7, 4, 0, 0, 7, 0, 0) op_187 (v186[6:0], 4'b1000, v187[6:0]); // 13.0
    wire [2:0] v188; assign v188[2:0] = v187[6:4]; // 13.0
    wire [3:0] v189; shift_adder #(3, 1, 0, 0, 4, 0, 1) op_189 (v188[2:0], 1'b1, v189[3:0]); // 13.0
    wire [7:0] v190; shift_adder #(8, 7, 1, 1, 8, 0, 1) op_190 (v154[7:0], v72[6:0], v190[7:0]); // 13.0
    wire [8:0] v191; shift_adder #(8, 7, 1, 1, 9, 1, 0) op_191 (v155[7:0], v157[6:0], v191[8:0]); // 13.0
    wire [8:0] v192; shift_adder #(7, 7, 1, 1, 9, -2, 0) op_192 (v87[6:0], v160[6:0], v192[8:0]); // 13.0
    wire [9:0] v193; shift_adder #(7, 8, 1, 1, 10, 1, 0) op_193 (v161[6:0], v162[7:0], v193[9:0]); // 13.0
    wire [7:0] v194; shift_adder #(8, 5, 1, 1, 8, 2, 1) op_194 (v164[7:0], v111[4:0], v194[7:0]); // 13.0
    wire [7:0] v195; shift_adder #(7, 5, 1, 1, 8, 2, 1) op_195 (v165[6:0], v116[4:0], v195[7:0]); // 13.0
    wire [9:0] v196; shift_adder #(7, 9, 1, 1, 10, 1, 0) op_196 (v157[6:0], v166[8:0], v196[9:0]); // 13.0
    wire [6:0] v197; shift_adder #(6, 6, 1, 1, 7, 1, 1) op_197 (v168[5:0], v126[5:0], v197[6:0]); // 13.0
    wire [8:0] v198; shift_adder #(7, 7, 1, 1, 9, 2, 0) op_198 (v160[6:0], v171[6:0], v198[8:0]); // 13.0
    wire [8:0] v199; shift_adder #(6, 8, 1, 1, 9, -1, 0) op_199 (v172[5:0], v173[7:0], v199[8:0]); // 13.0
    wire [0:0] v200; assign v200[0:0] = model_inp[394:394]; // 10.0
    wire [0:0] v201; binop #(1, 1, 0, 0, 1, 0, 1) op_201 (v176, v200, v201[0:0]); // 14.0
    wire [9:0] v202; shift_adder #(7, 9, 1, 1, 10, -1, 0) op_202 (v141[6:0], v177[8:0], v202[9:0]); // 14.0
    wire [9:0] v203; shift_adder #(10, 2, 1, 0, 10, 0, 0) op_203 (v202[9:0], 2'b11, v203[9:0]); // 14.0
    wire [8:0] v204; assign v204[8:0] = v203[8:0] & {9{~v203[9]}}; // 14.0
    wire [8:0] v205; shift_adder #(9, 4, 0, 0, 9, 0, 0) op_205 (v204[8:0], 4'b1000, v205[8:0]); // 14.0
    wire [4:0] v206; assign v206[4:0] = v205[8:4]; // 14.0
    wire [4:0] v207; shift_adder #(5, 3, 0, 0, 5, 0, 1) op_207 (v206[4:0], 3'b111, v207[4:0]); // 14.0
    wire [9:0] v208; shift_adder #(10, 6, 1, 1, 10, 1, 1) op_208 (v178[9:0], v180[5:0], v208[9:0]); // 14.0
    wire [9:0] v209; shift_adder #(10, 2, 1, 0, 10, 0, 1) op_209 (v208[9:0], 2'b10, v209[9:0]); // 14.0
    wire [8:0] v210; assign v210[8:0] = v209[8:0] & {9{~v209[9]}}; // 14.0
    wire [8:0] v211; shift_adder #(9, 4, 0, 0, 9, 0, 0) op_211 (v210[8:0], 4'b1000, v211[8:0]); // 14.0
    wire [4:0] v212; assign v212[4:0] = v211[8:4]; // 14.0
    wire [4:0] v213; shift_adder #(5, 4, 0, 0, 5, 0, 1) op_213 (v212[4:0], 4'b1111, v213[4:0]); // 14.0
    wire [8:0] v214; shift_adder #(7, 8, 1, 1, 9, -1, 0) op_214 (v181[6:0], v182[7:0], v214[8:0]); // 14.0
    wire [8:0] v215; shift_adder #(9, 2, 1, 0, 9, 0, 1) op_215 (v214[8:0], 2'b10, v215[8:0]); // 14.0
    wire [7:0] v216; assign v216[7:0] = v215[7:0] & {8{~v215[8]}}; // 14.0
    wire [7:0] v217; shift_adder #(8, 3, 0, 0, 8, 0, 0) op_217 (v216[7:0], 3'b100, v217[7:0]); // 14.0
    wire [4:0] v218; assign v218[4:0] = v217[7:3]; // 14.0
    wire [4:0] v219; shift_adder #(5, 3, 0, 0, 5, 0, 1) op_219 (v218[4:0], 3'b111, v219[4:0]); // 14.0
    wire [9:0] v220; shift_adder #(7, 9, 1, 1, 10, 1, 0) op_220 (v183[6:0], v184[8:0], v220[9:0]); // 14.0
    wire [0:0] v221; assign v221[0:0] = 1'b1; // 14.0
    wire [0:0] v222; mux #(3, 1, 0, 0, 1, 0, 0) op_222 (v189[3], v188[2:0], v221[0:0], v222[0:0]); // 14.0
    wire [9:0] v223; shift_adder #(8, 9, 1, 1, 10, 1, 0) op_223 (v190[7:0], v191[8:0], v223[9:0]); // 14.0
    wire [8:0] v224; assign v224[8:0] = v223[8:0] & {9{~v223[9]}}; // 14.0
    wire [8:0] v225; shift_adder #(9, 3, 0, 0, 9, 0, 0) op_225 (v224[8:0], 3'b100, v225[8:0]); // 14.0
    wire [5:0] v226; assign v226[5:0] = v225[8:3]; // 14.0
    wire [5:0] v227; shift_adder #(6, 5, 0, 0, 6, 0, 1) op_227 (v226[5:0], 5'b11111, v227[5:0]); // 14.0
    wire [9:0] v228; shift_adder #(7, 9, 1, 1, 10, -1, 0) op_228 (v158[6:0], v192[8:0], v228[9:0]); // 14.0
    wire [8:0] v229; assign v229[8:0] = v228[8:0] & {9{~v228[9]}}; // 14.0
    wire [8:0] v230; shift_adder #(9, 4, 0, 0, 9, 0, 0) op_230 (v229[8:0], 4'b1000, v230[8:0]); // 14.0
    wire [4:0] v231; assign v231[4:0] = v230[8:4]; // 14.0
    wire [5:0] v232; shift_adder #(5, 2, 0, 0, 6, 0, 1) op_232 (v231[4:0], 2'b11, v232[5:0]); // 14.0
    wire [9:0] v233; shift_adder #(6, 10, 1, 1, 10, -1, 0) op_233 (v180[5:0], v193[9:0], v233[9:0]); // 14.0
    wire [9:0] v234; shift_adder #(10, 8, 1, 1, 10, 0, 0) op_234 (v163[9:0], v194[7:0], v234[9:0]); // 14.0
    wire [9:0] v235; shift_adder #(10, 3, 1, 0, 10, 0, 0) op_235 (v234[9:0], 3'b100, v235[9:0]); // 14.0
    wire [8:0] v236; assign v236[8:0] = v235[8:0] & {9{~v235[9]}}; // 14.0
    wire [8:0] v237; shift_adder #(9, 3, 0, 0, 9, 0, 0) op_237 (v236[8:0], 3'b100, v237[8:0]); // 14.0
    wire [5:0] v238; assign v238[5:0] = v237[8:3]; // 14.0
    wire [5:0] v239; shift_adder #(6, 5, 0, 0, 6, 0, 1) op_239 (v238[5:0], 5'b11111, v239[5:0]); // 14.0
    wire [9:0] v240; shift_adder #(8, 10, 1, 1, 10, 0, 0) op_240 (v195[7:0], v196[9:0], v240[9:0]); // 14.0
    wire [8:0] v241; assign v241[8:0] = v240[8:0] & {9{~v240[9]}}; // 14.0
    wire [8:0] v242; shift_adder #(9, 3, 0, 0, 9, 0, 0) op_242 (v241[8:0], 3'b100, v242[8:0]); // 14.0
    wire [5:0] v243; assign v243[5:0] = v242[8:3]; // 14.0
    wire [5:0] v244; shift_adder #(6, 5, 0, 0, 6, 0, 1) op_244 (v243[5:0], 5'b11111, v244[5:0]); // 14.0
    wire [7:0] v245; shift_adder #(7, 7, 1, 1, 8, 0, 1) op_245 (v197[6:0], v169[6:0], v245[7:0]); // 14.0
    wire [7:0] v246; shift_adder #(8, 2, 1, 0, 8, 0, 1) op_246 (v245[7:0], 2'b10, v246[7:0]); // 14.0
    wire [5:0] v247; assign v247[5:0] = v246[5:0] & {6{~v246[7]}}; // 14.0
    wire [5:0] v248; shift_adder #(6, 2, 0, 0, 6, 0, 0) op_248 (v247[5:0], 2'b10, v248[5:0]); // 14.0
    wire [3:0] v249; assign v249[3:0] = v248[5:2]; // 14.0
    wire [4:0] v250; shift_adder #(4, 3, 0, 0, 5, 0, 1) op_250 (v249[3:0], 3'b111, v250[4:0]); // 14.0
    wire [9:0] v251; shift_adder #(6, 9, 1, 1, 10, -2, 0) op_251 (v170[5:0], v198[8:0], v251[9:0]); // 14.0
    wire [9:0] v252; shift_adder #(10, 1, 1, 0, 10, 0, 0) op_252 (v251[9:0], 1'b1, v252[9:0]); // 14.0
    wire [7:0] v253; assign v253[7:0] = v252[7:0] & {8{~v252[9]}}; // 14.0
    wire [7:0] v254; shift_adder #(8, 4, 0, 0, 8, 0, 0) op_254 (v253[7:0], 4'b1000, v254[7:0]); // 14.0
    wire [3:0] v255; assign v255[3:0] = v254[7:4]; // 14.0
    wire [4:0] v256; shift_adder #(4, 2, 0, 0, 5, 0, 1) op_256 (v255[3:0], 2'b11, v256[4:0]); // 14.0
    wire [9:0] v257; shift_adder #(9, 7, 1, 1, 10, 2, 1) op_257 (v199[8:0], v174[6:0], v257[9:0]); // 14.0
    wire [9:0] v258; shift_adder #(10, 3, 1, 0, 10, 0, 1) op_258 (v257[9:0], 3'b100, v258[9:0]); // 14.0
    wire [8:0] v259; assign v259[8:0] = v258[8:0] & {9{~v258[9]}}; // 14.0
    wire [8:0] v260; shift_adder #(9, 4, 0, 0, 9, 0, 0) op_260 (v259[8:0], 4'b1000, v260[8:0]); // 14.0
    wire [4:0] v261; assign v261[4:0] = v260[8:4]; // 14.0
    wire [4:0] v262; shift_adder #(5, 3, 0, 0, 5, 0, 1) op_262 (v261[4:0], 3'b111, v262[4:0]); // 14.0
    wire [0:0] v263; assign v263[0:0] = model_inp[395:395]; // 10.0
    wire [0:0] v264; binop #(1, 1, 0, 0, 1, 0, 1) op_264 (v201, v263, v264[0:0]); // 15.0
    wire [2:0] v265; assign v265[2:0] = 3'b111; // 15.0
    wire [2:0] v266; mux #(5, 3, 0, 0, 3, 0, 0) op_266 (v207[4], v206[4:0], v265[2:0], v266[2:0]); // 15.0
    wire [3:0] v267; assign v267[3:0] = 4'b1111; // 15.0
    wire [3:0] v268; mux #(5, 4, 0, 0, 4, 0, 0) op_268 (v213[4], v212[4:0], v267[3:0], v268[3:0]); // 15.0
    wire [2:0] v269; assign v269[2:0] = 3'b111; // 15.0
    wire [2:0] v270; mux #(5, 3, 0, 0, 3, 0, 0) op_270 (v219[4], v218[4:0], v269[2:0], v270[2:0]); // 15.0
    wire [9:0] v271; shift_adder #(10, 9, 1, 1, 10, 1, 1) op_271 (v220[9:0], v214[8:0], v271[9:0]); // 15.0
    wire [9:0] v272; shift_adder #(10, 2, 1, 0, 10, 0, 0) op_272 (v271[9:0], 2'b10, v272[9:0]); // 15.0
    wire [8:0] v273; assign v273[8:0] = v272[8:0] & {9{~v272[9]}}; // 15.0
    wire [8:0] v274; shift_adder #(9, 3, 0, 0, 9, 0, 0) op_274 (v273[8:0], 3'b100, v274[8:0]); // 15.0
    wire [5:0] v275; assign v275[5:0] = v274[8:3]; // 15.0
    wire [6:0] v276; shift_adder #(6, 4, 0, 0, 7, 0, 1) op_276 (v275[5:0], 4'b1111, v276[6:0]); // 15.0
    wire [4:0] v277; assign v277[4:0] = 5'b11111; // 15.0
    wire [4:0] v278; mux #(6, 5, 0, 0, 5, 0, 0) op_278 (v227[5], v226[5:0], v277[4:0], v278[4:0]); // 15.0
    wire [1:0] v279; assign v279[1:0] = 2'b11; // 15.0
    wire [1:0] v280; mux #(5, 2, 0, 0, 2, 0, 0) op_280 (v232[5], v231[4:0], v279[1:0], v280[1:0]); // 15.0
    wire [9:0] v281; shift_adder #(8, 10, 1, 1, 10, -1, 0) op_281 (v185[7:0], v233[9:0], v281[9:0]); // 15.0
    wire [9:0] v282; shift_adder #(10, 4, 1, 0, 10, 0, 1) op_282 (v281[9:0], 4'b1000, v282[9:0]); // 15.0
    wire [8:0] v283; assign v283[8:0] = v282[8:0] & {9{~v282[9]}}; // 15.0
    wire [8:0] v284; shift_adder #(9, 4, 0, 0, 9, 0, 0) op_284 (v283[8:0], 4'b1000, v284[8:0]); // 15.0
    wire [4:0] v285; assign v285[4:0] = v284[8:4]; // 15.0
    wire [4:0] v286; shift_adder #(5, 4, 0, 0, 5, 0, 1) op_286 (v285[4:0], 4'b1111, v286[4:0]); // 15.0
    wire [4:0] v287; assign v287[4:0] = 5'b11111; // 15.0
    wire [4:0] v288; mux #(6, 5, 0, 0, 5, 0, 0) op_288 (v239[5], v238[5:0], v287[4:0], v288[4:0]); // 15.0
    wire [4:0] v289; assign v289[4:0] = 5'b11111; // 15.0
    wire [4:0] v290; mux #(6, 5, 0, 0, 5, 0, 0) op_290 (v244[5], v243[5:0], v289[4:0], v290[4:0]); // 15.0
    wire [2:0] v291; assign v291[2:0] = 3'b111; // 15.0
    wire [2:0] v292; mux #(4, 3, 0, 0, 3, 0, 0) op_292 (v250[4], v249[3:0], v291[2:0], v292[2:0]); // 15.0
    wire [1:0] v293; assign v293[1:0] = 2'b11; // 15.0
    wire [1:0] v294; mux #(4, 2, 0, 0, 2, 0, 0) op_294 (v256[4], v255[3:0], v293[1:0], v294[1:0]); // 15.0
    wire [2:0] v295; assign v295[2:0] = 3'b111; // 15.0
    wire [2:0] v296; mux #(5, 3, 0, 0, 3, 0, 0) op_296 (v262[4], v261[4:0], v295[2:0], v296[2:0]); // 15.0
    wire [0:0] v297; assign v297[0:0] = model_inp[396:396]; // 10.0
    wire [0:0] v298; assign v298[0:0] = model_inp[397:397]; // 10.0
    wire [0:0] v299; assign v299[0:0] = model_inp[398:398]; // 10.0
    wire [0:0] v300; assign v300[0:0] = model_inp[399:399]; // 10.0
    wire [0:0] v301; assign v301[0:0] = model_inp[400:400]; // 10.0
    wire [0:0] v302; assign v302[0:0] = model_inp[401:401]; // 10.0
    wire [0:0] v303; assign v303[0:0] = model_inp[402:402]; // 10.0
    wire [0:0] v304; assign v304[0:0] = model_inp[403:403]; // 10.0
    wire [0:0] v305; assign v305[0:0] = model_inp[404:404]; // 10.0
    wire [0:0] v306; assign v306[0:0] = model_inp[405:405]; // 10.0
    wire [0:0] v307; assign v307[0:0] = model_inp[406:406]; // 10.0
    wire [0:0] v308; assign v308[0:0] = model_inp[407:407]; // 10.0
    wire [0:0] v309; assign v309[0:0] = model_inp[408:408]; // 10.0
    wire [0:0] v310; assign v310[0:0] = model_inp[409:409]; // 10.0
    wire [0:0] v311; assign v311[0:0] = model_inp[410:410]; // 10.0
    wire [0:0] v312; assign v312[0:0] = model_inp[411:411]; // 10.0
    wire [0:0] v313; assign v313[0:0] = model_inp[412:412]; // 10.0
    wire [0:0] v314; assign v314[0:0] = model_inp[413:413]; // 10.0
    wire [0:0] v315; assign v315[0:0] = model_inp[414:414]; // 10.0
    wire [0:0] v316; assign v316[0:0] = model_inp[415:415]; // 10.0
    wire [0:0] v317; assign v317[0:0] = model_inp[416:416]; // 10.0
    wire [0:0] v318; assign v318[0:0] = model_inp[417:417]; // 10.0
    wire [0:0] v319; assign v319[0:0] = model_inp[418:418]; // 10.0
    wire [0:0] v320; assign v320[0:0] = model_inp[419:419]; // 10.0
    wire [0:0] v321; assign v321[0:0] = model_inp[420:420]; // 10.0
    wire [0:0] v322; assign v322[0:0] = model_inp[421:421]; // 10.0
    wire [0:0] v323; assign v323[0:0] = model_inp[422:422]; // 10.0
    wire [0:0] v324; assign v324[0:0] = model_inp[423:423]; // 10.0
    wire [0:0] v325; assign v325[0:0] = model_inp[424:424]; // 10.0
    wire [0:0] v326; assign v326[0:0] = model_inp[425:425]; // 10.0
    wire [0:0] v327; assign v327[0:0] = model_inp[426:426]; // 10.0
    wire [0:0] v328; assign v328[0:0] = model_inp[427:427]; // 10.0
    wire [0:0] v329; assign v329[0:0] = model_inp[428:428]; // 10.0
    wire [0:0] v330; assign v330[0:0] = model_inp[429:429]; // 10.0
    wire [0:0] v331; assign v331[0:0] = model_inp[430:430]; // 10.0
    wire [0:0] v332; assign v332[0:0] = model_inp[431:431]; // 10.0
    wire [0:0] v333; assign v333[0:0] = model_inp[432:432]; // 10.0
    wire [0:0] v334; assign v334[0:0] = model_inp[433:433]; // 10.0
    wire [0:0] v335; assign v335[0:0] = model_inp[434:434]; // 10.0
    wire [0:0] v336; assign v336[0:0] = model_inp[435:435]; // 10.0
    wire [0:0] v337; assign v337[0:0] = model_inp[436:436]; // 10.0
    wire [0:0] v338; assign v338[0:0] = model_inp[437:437]; // 10.0

    // verilator lint_on UNUSEDSIGNAL

    assign model_out[0:0] = v264[0:0];
    assign model_out[1:1] = v297[0:0];
    assign model_out[5:2] = v268[3:0];
    assign model_out[8:6] = v270[2:0];
    assign model_out[14:9] = v275[5:0];
    assign model_out[21:15] = v276[6:0];
    assign model_out[22:22] = v222[0:0];
    assign model_out[27:23] = v278[4:0];
    assign model_out[32:28] = v285[4:0];
    assign model_out[37:33] = v286[4:0];
    assign model_out[42:38] = v290[4:0];
    assign model_out[45:43] = v292[2:0];
    assign model_out[47:46] = v294[1:0];
    assign model_out[50:48] = v266[2:0];
    assign model_out[55:51] = v288[4:0];
    assign model_out[58:56] = v296[2:0];
    assign model_out[60:59] = v280[1:0];
    assign model_out[61:61] = v298[0:0];
    assign model_out[62:62] = v299[0:0];
    assign model_out[63:63] = v300[0:0];
    assign model_out[64:64] = v301[0:0];
    assign model_out[65:65] = v302[0:0];
    assign model_out[66:66] = v303[0:0];
    assign model_out[67:67] = v304[0:0];
    assign model_out[68:68] = v305[0:0];
    assign model_out[69:69] = v306[0:0];
    assign model_out[70:70] = v307[0:0];
    assign model_out[71:71] = v308[0:0];
    assign model_out[72:72] = v309[0:0];
    assign model_out[73:73] = v310[0:0];
    assign model_out[74:74] = v311[0:0];
    assign model_out[75:75] = v312[0:0];
    assign model_out[76:76] = v313[0:0];
    assign model_out[77:77] = v314[0:0];
    assign model_out[78:78] = v315[0:0];
    assign model_out[79:79] = v316[0:0];
    assign model_out[80:80] = v317[0:0];
    assign model_out[81:81] = v318[0:0];
    assign model_out[82:82] = v319[0:0];
    assign model_out[83:83] = v320[0:0];
    assign model_out[84:84] = v321[0:0];
    assign model_out[85:85] = v322[0:0];
    assign model_out[86:86] = v323[0:0];
    assign model_out[87:87] = v324[0:0];
    assign model_out[88:88] = v325[0:0];
    assign model_out[89:89] = v326[0:0];
    assign model_out[90:90] = v327[0:0];
    assign model_out[91:91] = v328[0:0];
    assign model_out[92:92] = v329[0:0];
    assign model_out[93:93] = v330[0:0];
    assign model_out[94:94] = v331[0:0];
    assign model_out[95:95] = v332[0:0];
    assign model_out[96:96] = v333[0:0];
    assign model_out[97:97] = v334[0:0];
    assign model_out[98:98] = v335[0:0];
    assign model_out[99:99] = v336[0:0];
    assign model_out[100:100] = v337[0:0];
    assign model_out[101:101] = v338[0:0];

endmodule
