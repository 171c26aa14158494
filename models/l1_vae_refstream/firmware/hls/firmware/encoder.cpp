#include <iostream>

#include "encoder.h"
#include "parameters.h"

namespace l1_vae_refstream {

void encoder(
    preprocessed_inputs_t preprocessed_inputs[57],
    result_t layer9_out[8]
) {

    // hls-fpga-machine-learning insert IO
    #pragma HLS ARRAY_RESHAPE variable=preprocessed_inputs complete dim=0
    #pragma HLS ARRAY_PARTITION variable=layer9_out complete dim=0
    #pragma HLS INTERFACE ap_vld port=preprocessed_inputs,layer9_out 
    #pragma HLS PIPELINE

    // hls-fpga-machine-learning insert load weights

    // ****************************************
    // NETWORK INSTANTIATION
    // ****************************************

    // hls-fpga-machine-learning insert layers

    enc_0_iq_t layer2_out[57];
    #pragma HLS ARRAY_PARTITION variable=layer2_out complete dim=0

    enc_0_t layer3_out[32];
    #pragma HLS ARRAY_PARTITION variable=layer3_out complete dim=0

    enc_0_relu_t layer4_out[32];
    #pragma HLS ARRAY_PARTITION variable=layer4_out complete dim=0

    enc_1_iq_t layer5_out[32];
    #pragma HLS ARRAY_PARTITION variable=layer5_out complete dim=0

    enc_1_t layer6_out[16];
    #pragma HLS ARRAY_PARTITION variable=layer6_out complete dim=0

    enc_1_relu_t layer7_out[16];
    #pragma HLS ARRAY_PARTITION variable=layer7_out complete dim=0

    mu_iq_t layer8_out[16];
    #pragma HLS ARRAY_PARTITION variable=layer8_out complete dim=0

    l1_vae_refstream::enc_0_iq<preprocessed_inputs_t, enc_0_iq_t>(preprocessed_inputs, layer2_out); // enc_0_iq

    nnet::dense<enc_0_iq_t, enc_0_t, config3>(layer2_out, layer3_out, w3, b3); // enc_0

    nnet::relu<enc_0_t, enc_0_relu_t, relu_config4>(layer3_out, layer4_out); // enc_0_relu

    l1_vae_refstream::enc_1_iq<enc_0_relu_t, enc_1_iq_t>(layer4_out, layer5_out); // enc_1_iq

    nnet::dense<enc_1_iq_t, enc_1_t, config6>(layer5_out, layer6_out, w6, b6); // enc_1

    nnet::relu<enc_1_t, enc_1_relu_t, relu_config7>(layer6_out, layer7_out); // enc_1_relu

    l1_vae_refstream::mu_iq<enc_1_relu_t, mu_iq_t>(layer7_out, layer8_out); // mu_iq

    nnet::dense<mu_iq_t, result_t, config9>(layer8_out, layer9_out, w9, b9); // mu

}

}
