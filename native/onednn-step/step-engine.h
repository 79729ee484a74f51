// One training step of a DeepPose regressor (the layer plan of
// src-main/core/engines/layer-plan.ts) on oneDNN's CPU primitives: the same
// forward, visibility-masked loss, backward pass and MomentumSGD/Adam update as the
// whole-step ONNX graph (step-graph.ts, optimizer-nodes.ts), with activations kept in the
// blocked layouts oneDNN's kernels want between layers, and the weights and optimizer slots
// updated in place in the caller's arrays (tfjs' own variable storage, in tfjs' layouts).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "layer_plan_fields.h"  // LayerKind and the plan row's fields, generated

namespace deeppose {

enum class OptimizerKind : int32_t { Momentum = 0, Adam = 1 };

/** A layer as the JavaScript side describes it: one row of layer_plan_fields.h's fields (addon.cc decodes it). */
struct LayerSpec {
  LayerKind kind;
  // Conv and pool: channels in and out, spatial sizes, kernel, strides, pads (top, left,
  // bottom, right). Dense: units in and out. Dropout: units.
  int inC = 0, outC = 0, inH = 0, inW = 0, outH = 0, outW = 0;
  int kh = 0, kw = 0, sh = 1, sw = 1, pt = 0, pl = 0, pb = 0, pr = 0;
  int inUnits = 0, units = 0;
  int index = 0;  // dropout: which of the step's dropout multipliers
  bool relu = false;
};

struct StepInputs {
  const float *pixels;   // [B, S, S, 3] NHWC
  const float *targets;  // [B, 2J]
  const float *mask;     // [B, J]
  std::vector<const float *> dropouts;  // per dropout layer, [B, units]: tf.dropout's multipliers
  // Momentum: momentum, -lr. Adam: beta1, 1-beta1, beta2, 1-beta2, lr, 1-beta1^t, 1-beta2^t, epsilon.
  std::vector<float> hyper;
  std::vector<float *> weights;  // per variable, tfjs layout (HWIO, [in, out], [out])
  std::vector<float *> slots;    // per variable, per slot: [variable * slotCount + slot]
};

class StepEngine {
 public:
  StepEngine(int batch, int inputSize, int outputs, const std::vector<LayerSpec> &layers, OptimizerKind optimizer, float momentum);
  ~StepEngine();
  /** One step; answers the loss computed before the update. */
  float step(const StepInputs &in);
  int variableCount() const;
  int slotCount() const;
  /** Element counts of each variable, in order. */
  std::vector<int64_t> variableSizes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace deeppose
