// The model interface of CMSSW's hls4ml emulators (cms-hls4ml/hls4mlEmulatorExtras, namespace hls4mlEmulator):
// only what a model library implements, so an emulator builds without that package. CMSSW's ModelLoader opens
// "<model name>.so" with dlopen(RTLD_LAZY | RTLD_LOCAL), calls its C function create_model() and drives the model
// through the three virtual calls below; destroy_model(model) frees it. The include guard, the class and the order
// of its virtual functions are the upstream ones, so this header and the upstream one are interchangeable.
#ifndef HLS4ML_EMULATOR_H_
#define HLS4ML_EMULATOR_H_

#include <any>

namespace hls4mlEmulator {

class Model {
  public:
    virtual void prepare_input(std::any input) = 0;  // the inputs of one event (a pointer: no copy of the array)
    virtual void predict() = 0;                      // run the model on them
    virtual void read_result(std::any result) = 0;   // write the outputs through a pointer
    virtual ~Model() = default;
};

typedef Model *create_model_cls();       // extern "C" Model *create_model();
typedef void destroy_model_cls(Model *);  // extern "C" void destroy_model(Model *);

}  // namespace hls4mlEmulator

#endif
