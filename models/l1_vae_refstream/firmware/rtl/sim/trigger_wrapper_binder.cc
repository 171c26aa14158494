#include <cstddef>
#include "binder_util.hh"
#include "Vtrigger_wrapper.h"

struct trigger_wrapper_config {
    static const size_t N_inp = 57;
    static const size_t N_out = 3;
    static const size_t max_inp_bw = 16;
    static const size_t max_out_bw = 25;
    static const size_t II = 1;
    static const size_t latency = 12;
    typedef Vtrigger_wrapper dut_t;
};

extern "C" {
bool openmp_enabled() {
    return _openmp;
}

void inference(int32_t *c_inp, int32_t *c_out, size_t n_samples, size_t n_threads) {
    batch_inference<trigger_wrapper_config>(c_inp, c_out, n_samples, n_threads);
}
}
