// Loads hls4ml emulator models as CMSSW's hls4mlEmulator::ModelLoader does (dlopen of "<name>.so" with
// RTLD_LAZY | RTLD_LOCAL, found on LD_LIBRARY_PATH; create_model, destroy_model) and runs all of them, loaded at the
// same time, on the same events: the check that two models, two versions of one model included, stay apart.
//
//   load_models EVENTS N_INPUTS NAME [NAME ...]
//
// EVENTS holds N_INPUTS int16 hardware counts per line. Prints one line per event and model,
// "NAME EVENT v0 v1 v2 v3 SCORE" (the four uint64 values of read_result(uint64_t *), the score of
// read_result(double *)), then per model "NAME refuses: WHY" with the message of the std::invalid_argument that
// prepare_input(float *) raised. Exit status 1 on a load failure.
#include <dlfcn.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "hls4ml/emulator.h"

namespace {

struct Loaded {
    std::string name;
    void *lib;
    hls4mlEmulator::Model *model;
    hls4mlEmulator::destroy_model_cls *destroy;
};

Loaded load(const std::string &name) {
    void *lib = dlopen((name + ".so").c_str(), RTLD_LAZY | RTLD_LOCAL);
    if (!lib) throw std::runtime_error(std::string("cannot load ") + name + ".so: " + dlerror());
    auto create = reinterpret_cast<hls4mlEmulator::create_model_cls *>(dlsym(lib, "create_model"));
    auto destroy = reinterpret_cast<hls4mlEmulator::destroy_model_cls *>(dlsym(lib, "destroy_model"));
    if (!create || !destroy) throw std::runtime_error(name + ".so has no create_model or destroy_model");
    return {name, lib, create(), destroy};
}

std::vector<std::vector<int16_t>> read_events(const char *path, size_t n_inputs) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error(std::string("cannot open ") + path);
    std::vector<std::vector<int16_t>> events;
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream ss(line);
        std::vector<int16_t> hw(n_inputs);
        for (auto &v : hw) {
            int x;
            if (!(ss >> x)) throw std::runtime_error("an event with fewer than N_INPUTS counts");
            v = int16_t(x);
        }
        events.push_back(hw);
    }
    return events;
}

}  // namespace

int main(int argc, char **argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: %s EVENTS N_INPUTS NAME [NAME ...]\n", argv[0]);
        return 2;
    }
    std::vector<Loaded> models;
    try {
        auto events = read_events(argv[1], std::stoul(argv[2]));
        for (int i = 3; i < argc; i++) models.push_back(load(argv[i]));
        for (size_t k = 0; k < events.size(); k++) {
            for (auto &m : models) {  // interleaved: every model is alive while the others run
                uint64_t out[4];
                double score;
                m.model->prepare_input(static_cast<const int16_t *>(events[k].data()));
                m.model->predict();
                m.model->read_result(static_cast<uint64_t *>(out));
                m.model->read_result(&score);
                std::printf("%s %zu %llu %llu %llu %llu %.17g\n", m.name.c_str(), k, (unsigned long long)out[0],
                            (unsigned long long)out[1], (unsigned long long)out[2], (unsigned long long)out[3], score);
            }
        }
        for (auto &m : models) {
            float wrong[1] = {0};
            try {
                m.model->prepare_input(static_cast<float *>(wrong));
                std::printf("%s accepts float *\n", m.name.c_str());
            } catch (const std::invalid_argument &err) {
                std::printf("%s refuses: %s\n", m.name.c_str(), err.what());
            }
        }
    } catch (const std::exception &err) {
        std::fprintf(stderr, "load_models: %s\n", err.what());
        return 1;
    }
    for (auto &m : models) {
        m.destroy(m.model);
        dlclose(m.lib);
    }
    return 0;
}
