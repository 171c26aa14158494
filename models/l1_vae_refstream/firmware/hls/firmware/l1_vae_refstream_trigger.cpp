// l1_vae_refstream_trigger: overflow bits, preprocessing, encoder (hls4ml), sum mu^2, threshold comparator.
#include "l1_vae_refstream_trigger.h"
#include "encoder.h"

namespace l1_vae_refstream {
static const ap_int<18> OFFSET_HW[N_INPUTS] = {98, 0, 0, 144, 0, 0, 77, 0, 0, 0, 0, 0, 0, 0, 0, 152, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 163, 0, 0, 113, 0, 0, 98, 0, 0, 3, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
static const int SHIFT[N_INPUTS] = {6, 7, 8, 6, 8, 8, 6, 7, 8, 1, 3, 4, -2, 0, 1, 6, 7, 8, 4, 4, 5, -2, 0, 1, 2, 7, 7, 7, 8, 8, 6, 8, 8, 6, 8, 8, 4, 5, 5, 3, 5, 5, 3, 4, 4, 2, 3, 3, 1, 2, 2, 0, 2, 2, -1, 1, 1};  // < 0: a left shift
static const ap_int<18> HW_LO[N_INPUTS] = {0, -640, -402, 0, -640, -402, 0, -640, -402, 0, -640, -402, 0, -640, -402, 0, -640, -402, 0, -640, -402, 0, -640, -402, 0, -640, -402, 0, -640, -402, 0, -640, -402, 0, -640, -402, 0, -640, -402, 0, -640, -402, 0, -640, -402, 0, -640, -402, 0, -640, -402, 0, -640, -402, 0, -640, -402};
static const ap_int<18> HW_HI[N_INPUTS] = {8192, 640, 402, 8192, 640, 402, 8192, 640, 402, 8192, 640, 402, 8192, 640, 402, 8192, 640, 402, 8192, 640, 402, 8192, 640, 402, 8192, 640, 402, 8192, 640, 402, 8192, 640, 402, 8192, 640, 402, 8192, 640, 402, 8192, 640, 402, 8192, 640, 402, 8192, 640, 402, 8192, 640, 402, 8192, 640, 402, 8192, 640, 402};

void l1_vae_refstream_trigger(const hw_t hw[N_INPUTS], score_t &score, ap_uint<1> &trigger, ap_uint<1> &overflow) {
    #pragma HLS ARRAY_PARTITION variable=hw complete dim=0
    #pragma HLS PIPELINE II=1
    // hls4ml's input type keeps one fraction bit more than the input quantizer's RND needs: exact
    preprocessed_inputs_t x[N_INPUTS];
    #pragma HLS ARRAY_PARTITION variable=x complete dim=0
    bool ovf = false;
    for (unsigned i = 0; i < N_INPUTS; i++) {
        #pragma HLS UNROLL
        ovf = ovf || hw[i] < HW_LO[i] || hw[i] > HW_HI[i];
        pre_t d = ap_int<18>(hw[i]) - OFFSET_HW[i];
        x[i] = SHIFT[i] >= 0 ? pre_t(d >> SHIFT[i]) : pre_t(d << -SHIFT[i]);
    }
    result_t mu[8];
    #pragma HLS ARRAY_PARTITION variable=mu complete dim=0
    encoder(x, mu);
    // mu * mu is exact in ap_fixed arithmetic; the accumulator has room for the sum of 8 squares
    typedef ap_fixed<2 * result_t::width + 4, 2 * result_t::iwidth + 4> sum_t;
    sum_t s = 0;
    for (unsigned d = 0; d < 8; d++) {
        #pragma HLS UNROLL
        s += mu[d] * mu[d];
    }
    score_t sc = s;  // AP_TRN, AP_SAT onto the score grid
    ap_uint<score_t::width> raw = sc.range();
    if (ovf) raw = ~ap_uint<score_t::width>(0);  // an out-of-range event scores the maximum
    sc.range() = raw;
    score = sc;
    overflow = ovf;
    trigger = ovf || raw >= ap_uint<score_t::width>(THRESHOLD_RAW);
}
}  // namespace l1_vae_refstream
