// Node-API binding of the oneDNN training step (step-engine.h), loaded by
// src-main/core/engines/onednn/onednn-step.ts. Node-API is ABI-stable, so the same
// build loads in Node and in Electron. Arrays are read and written where JavaScript keeps
// them (no copies): the weights and slots are tfjs' variable storage, updated in place.
//
//   create(spec: Int32Array, batch, inputSize, outputs, optimizer (0 momentum, 1 adam), momentum, threads) → engine
//   step(engine, pixels, targets, mask, dropouts[], hyper: Float32Array, weights[], slots[]) → loss
//   dispose(engine)   frees its buffers now (else when the handle is collected)
//
// spec: LAYER_FIELDS int32 per layer, at layer_plan_fields.h's indices (generated from
// src-main/core/engines/onednn/plan-fields.ts, the table the TypeScript encoder uses).
#include <node_api.h>
#include <omp.h>

#include <algorithm>
#include <exception>
#include <string>
#include <vector>

#include "step-engine.h"

namespace {

using deeppose::LayerKind;
using deeppose::LayerSpec;
using deeppose::OptimizerKind;
using deeppose::StepEngine;
using deeppose::StepInputs;
using deeppose::LAYER_FIELDS;
namespace field = deeppose::plan_field;

struct Failure {
  std::string message;
};

void check(napi_env env, napi_status status, const char *what) {
  if (status == napi_ok) return;
  const napi_extended_error_info *info = nullptr;
  napi_get_last_error_info(env, &info);
  throw Failure{std::string(what) + (info && info->error_message ? std::string(": ") + info->error_message : "")};
}

template <typename T>
T *typedArray(napi_env env, napi_value value, napi_typedarray_type want, size_t *length, const char *what) {
  bool is = false;
  check(env, napi_is_typedarray(env, value, &is), what);
  if (!is) throw Failure{std::string(what) + " is not a typed array"};
  napi_typedarray_type type;
  void *data = nullptr;
  size_t n = 0;
  check(env, napi_get_typedarray_info(env, value, &type, &n, &data, nullptr, nullptr), what);
  if (type != want) throw Failure{std::string(what) + " has the wrong element type"};
  if (length) *length = n;
  return static_cast<T *>(data);
}

float *floats(napi_env env, napi_value value, size_t expected, const char *what) {
  size_t n = 0;
  float *data = typedArray<float>(env, value, napi_float32_array, &n, what);
  if (expected && n != expected) throw Failure{std::string(what) + ": " + std::to_string(n) + " values, expected " + std::to_string(expected)};
  return data;
}

std::vector<napi_value> arrayItems(napi_env env, napi_value array, const char *what) {
  uint32_t n = 0;
  check(env, napi_get_array_length(env, array, &n), what);
  std::vector<napi_value> items(n);
  for (uint32_t i = 0; i < n; i++) check(env, napi_get_element(env, array, i, &items[i]), what);
  return items;
}

double number(napi_env env, napi_value value, const char *what) {
  double n = 0;
  check(env, napi_get_value_double(env, value, &n), what);
  return n;
}

/** The call's first `n` arguments; fewer is an error naming `what`. */
std::vector<napi_value> arguments(napi_env env, napi_callback_info info, size_t n, const char *what) {
  size_t argc = n;
  std::vector<napi_value> argv(n);
  check(env, napi_get_cb_info(env, info, &argc, argv.data(), nullptr, nullptr), what);
  if (argc < n) throw Failure{std::string(what) + ": " + std::to_string(n) + " arguments expected"};
  return argv;
}

struct Handle {
  StepEngine *engine;
  int batch, inputSize, outputs, dropouts;
};

Handle &handleOf(napi_env env, napi_value value) {
  void *raw = nullptr;
  check(env, napi_get_value_external(env, value, &raw), "engine");
  return *static_cast<Handle *>(raw);
}

void finalize(napi_env, void *data, void *) {
  auto *h = static_cast<Handle *>(data);
  delete h->engine;
  delete h;
}

template <typename F>
napi_value guarded(napi_env env, F &&body) {
  try {
    return body();
  } catch (const Failure &f) {
    napi_throw_error(env, nullptr, f.message.c_str());
  } catch (const std::exception &e) {
    napi_throw_error(env, nullptr, e.what());
  }
  return nullptr;
}

napi_value create(napi_env env, napi_callback_info info) {
  return guarded(env, [&]() -> napi_value {
    const std::vector<napi_value> argv = arguments(env, info, 7, "create");
    // oneDNN's parallel regions take this thread's OpenMP team size: the studio's thread count.
    const int threads = int(number(env, argv[6], "threads"));
    if (threads > 0) omp_set_num_threads(threads);
    size_t n = 0;
    const int32_t *spec = typedArray<int32_t>(env, argv[0], napi_int32_array, &n, "spec");
    if (n % LAYER_FIELDS) throw Failure{"spec: not a whole number of layers"};
    std::vector<LayerSpec> layers;
    int dropouts = 0;
    for (size_t at = 0; at < n; at += LAYER_FIELDS) {
      const int32_t *f = spec + at;
      LayerSpec l;
      l.kind = static_cast<LayerKind>(f[field::kind]);
      l.inC = f[field::inC], l.outC = f[field::outC], l.inH = f[field::inH], l.inW = f[field::inW];
      l.outH = f[field::outH], l.outW = f[field::outW];
      l.kh = f[field::kh], l.kw = f[field::kw], l.sh = f[field::sh], l.sw = f[field::sw];
      l.pt = f[field::pt], l.pl = f[field::pl], l.pb = f[field::pb], l.pr = f[field::pr];
      l.inUnits = f[field::inUnits], l.units = f[field::units], l.relu = f[field::relu] != 0, l.index = f[field::index];
      if (l.kind == LayerKind::Dropout) dropouts = std::max(dropouts, l.index + 1);
      layers.push_back(l);
    }
    auto *h = new Handle{nullptr, int(number(env, argv[1], "batch")), int(number(env, argv[2], "inputSize")), int(number(env, argv[3], "outputs")), dropouts};
    try {
      h->engine = new StepEngine(h->batch, h->inputSize, h->outputs, layers, number(env, argv[4], "optimizer") == 1 ? OptimizerKind::Adam : OptimizerKind::Momentum, float(number(env, argv[5], "momentum")));
    } catch (...) {
      delete h;
      throw;
    }
    napi_value external;
    check(env, napi_create_external(env, h, finalize, nullptr, &external), "create");
    return external;
  });
}

napi_value step(napi_env env, napi_callback_info info) {
  return guarded(env, [&]() -> napi_value {
    const std::vector<napi_value> argv = arguments(env, info, 8, "step");
    const Handle &h = handleOf(env, argv[0]);
    if (!h.engine) throw Failure{"step: the engine was disposed"};
    const size_t B = h.batch, S = h.inputSize;
    StepInputs in;
    in.pixels = floats(env, argv[1], B * S * S * 3, "pixels");
    in.targets = floats(env, argv[2], B * h.outputs, "targets");
    in.mask = floats(env, argv[3], B * h.outputs / 2, "mask");
    for (napi_value d : arrayItems(env, argv[4], "dropouts")) in.dropouts.push_back(floats(env, d, 0, "dropout multipliers"));
    if (int(in.dropouts.size()) < h.dropouts) throw Failure{"dropouts: too few multiplier arrays"};
    size_t hyperCount = 0;
    const float *hyper = typedArray<float>(env, argv[5], napi_float32_array, &hyperCount, "hyper");
    in.hyper.assign(hyper, hyper + hyperCount);
    const std::vector<int64_t> sizes = h.engine->variableSizes();
    const std::vector<napi_value> weights = arrayItems(env, argv[6], "weights");
    const std::vector<napi_value> slots = arrayItems(env, argv[7], "slots");
    const size_t slotCount = h.engine->slotCount();
    if (weights.size() != sizes.size() || slots.size() != sizes.size() * slotCount) throw Failure{"weights or slots: wrong count"};
    if (in.hyper.size() < (slotCount == 1 ? 2u : 8u)) throw Failure{"hyper: too few values"};
    for (size_t i = 0; i < sizes.size(); i++) {
      in.weights.push_back(floats(env, weights[i], sizes[i], "weight"));
      for (size_t s = 0; s < slotCount; s++) in.slots.push_back(floats(env, slots[i * slotCount + s], sizes[i], "optimizer slot"));
    }
    napi_value result;
    check(env, napi_create_double(env, h.engine->step(in), &result), "step");
    return result;
  });
}

napi_value dispose(napi_env env, napi_callback_info info) {
  return guarded(env, [&]() -> napi_value {
    Handle &h = handleOf(env, arguments(env, info, 1, "dispose")[0]);
    delete h.engine;
    h.engine = nullptr;
    return nullptr;
  });
}

napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"create", nullptr, create, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"step", nullptr, step, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"dispose", nullptr, dispose, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, 3, props);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
