#ifndef ENCODER_H_
#define ENCODER_H_

#include "ap_fixed.h"
#include "ap_int.h"
#include "hls_stream.h"

#include "defines.h"

namespace l1_vae_refstream {

// Prototype of top level function for C-synthesis
void encoder(
    preprocessed_inputs_t preprocessed_inputs[57],
    result_t layer9_out[8]
);

// hls-fpga-machine-learning insert emulator-defines

}

#endif
