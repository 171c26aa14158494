#include "l1_vae_refstream_emulator.h"
#include "l1_vae_refstream_trigger.h"

namespace l1_vae_refstream {
void Emulator::prepare_input(const int16_t *hw) {
    for (int i = 0; i < n_inputs; i++) hw_[i] = hw[i];
}
void Emulator::predict() {
    hw_t in[N_INPUTS];
    for (unsigned i = 0; i < N_INPUTS; i++) in[i] = hw_[i];
    score_t score; ap_uint<1> trigger, overflow;
    l1_vae_refstream_trigger(in, score, trigger, overflow);
    score_raw_ = score.range().to_uint64();
    trigger_ = trigger == 1;
    overflow_ = overflow == 1;
}
void Emulator::read_result(uint64_t *score_raw, bool *trigger, bool *overflow) const {
    *score_raw = score_raw_; *trigger = trigger_; *overflow = overflow_;
}
double Emulator::score() const { return double(score_raw_) / double(1ULL << 12); }
}  // namespace l1_vae_refstream

int l1_vae_refstream_n_inputs() { return 57; }
const char *l1_vae_refstream_info() { return "{\"name\": \"l1_vae_refstream\", \"namespace\": \"l1_vae_refstream\", \"n_inputs\": 57, \"score_type\": {\"signed\": false, \"width\": 25, \"integer\": 13, \"fraction\": 12}, \"threshold_raw\": 214932, \"input\": \"int16 hardware counts (docs/firmware.md)\"}"; }
void l1_vae_refstream_predict_batch(const int16_t *hw, int64_t n, uint64_t *score_raw, uint8_t *trigger, uint8_t *ovf) {
    l1_vae_refstream::Emulator e;
    for (int64_t k = 0; k < n; k++) {
        bool t, o;
        e.prepare_input(hw + k * 57);
        e.predict();
        e.read_result(score_raw + k, &t, &o);
        trigger[k] = t; ovf[k] = o;
    }
}
