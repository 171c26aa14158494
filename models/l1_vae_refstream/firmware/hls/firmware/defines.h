#ifndef DEFINES_H_
#define DEFINES_H_

#include "ap_fixed.h"
#include "ap_int.h"
#include "nnet_utils/nnet_types.h"
#include <array>
#include <cstddef>
#include <cstdio>
#include <tuple>
#include <tuple>

namespace l1_vae_refstream {

// hls-fpga-machine-learning insert numbers

// hls-fpga-machine-learning insert layer-precision
typedef ap_fixed<17,17,AP_TRN,AP_SAT,0> preprocessed_inputs_t;
typedef ap_fixed<16,17> enc_0_iq_t;
typedef ap_fixed<21,18> enc_0_accum_t;
typedef ap_fixed<19,18> enc_0_t;
typedef ap_fixed<6,2> enc_0_weight_t;
typedef ap_fixed<3,1> enc_0_bias_t;
typedef ap_uint<1> layer3_index;
typedef ap_ufixed<18,17> enc_0_relu_t;
typedef ap_fixed<18,8> enc_0_relu_table_t;
typedef ap_ufixed<4,4> enc_1_iq_t;
typedef ap_fixed<10,6> enc_1_accum_t;
typedef ap_fixed<8,6> enc_1_t;
typedef ap_fixed<6,1> enc_1_weight_t;
typedef ap_fixed<5,1> enc_1_bias_t;
typedef ap_uint<1> layer6_index;
typedef ap_ufixed<7,5> enc_1_relu_t;
typedef ap_fixed<18,8> enc_1_relu_table_t;
typedef ap_ufixed<5,4> mu_iq_t;
typedef ap_fixed<13,7> mu_accum_t;
typedef ap_fixed<13,7> result_t;
typedef ap_fixed<6,1> mu_weight_t;
typedef ap_fixed<5,1> mu_bias_t;
typedef ap_uint<1> layer9_index;

// hls-fpga-machine-learning insert emulator-defines

}

#endif
