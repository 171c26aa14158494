// Test bench of l1_vae_refstream_trigger (Vitis csim_design and the g++ C simulation of adtrigger firmware):
// reads int16 counts, 57 per line, from argv[1] (default tb/hw_inputs.dat), writes "score_raw trigger overflow".
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include "../firmware/l1_vae_refstream_trigger.h"

int main(int argc, char **argv) {
    std::ifstream in(argc > 1 ? argv[1] : "tb/hw_inputs.dat");
    FILE *out = argc > 2 ? std::fopen(argv[2], "w") : stdout;
    if (!in || !out) { std::fprintf(stderr, "cannot open input or output file\n"); return 2; }
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream ss(line);
        l1_vae_refstream::hw_t hw[l1_vae_refstream::N_INPUTS];
        int v;
        for (unsigned i = 0; i < l1_vae_refstream::N_INPUTS; i++) { ss >> v; hw[i] = v; }
        l1_vae_refstream::score_t score; ap_uint<1> trigger, overflow;
        l1_vae_refstream::l1_vae_refstream_trigger(hw, score, trigger, overflow);
        std::fprintf(out, "%llu %d %d\n", (unsigned long long)score.range().to_uint64(), (int)trigger, (int)overflow);
    }
    if (out != stdout) std::fclose(out);
    return 0;
}
