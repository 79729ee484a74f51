// See step-engine.h. Formulas are the whole-step graph's (step-graph.ts, optimizer-nodes.ts),
// which are tfjs': each product and sum rounded to float32 (built with -ffp-contract=off so
// the compiler does not fuse them), so the state written back to tfjs and into checkpoints
// is the state tfjs would have, to the rounding of the convolutions' summation order.
#include "step-engine.h"

#include <algorithm>
#include <cmath>
#include <oneapi/dnnl/dnnl.hpp>
#include <stdexcept>

namespace deeppose {

using namespace dnnl;
using tag = memory::format_tag;
using dt = memory::data_type;

namespace {

struct Context {
  engine eng{engine::kind::cpu, 0};
  stream strm{eng};
  OptimizerKind optimizer;
  float momentum;
  int slots;
  const StepInputs *in = nullptr;
  /** A block of columns of Adam's dense-kernel gradient (momentum folds the gradient into one Gemm). */
  std::vector<float> denseGradient;
};

/** `m` as `want`, through `cache` (a buffer kept between steps) when the layouts differ. */
memory as(Context &c, const memory &m, const memory::desc &want, memory &cache) {
  if (m.get_desc() == want) return m;
  if (!cache || cache.get_desc() != want) cache = memory(want, c.eng);
  reorder(m, cache).execute(c.strm, const_cast<memory &>(m), cache);
  return cache;
}

float *data(const memory &m) { return static_cast<float *>(m.get_data_handle()); }

/** Adam's update of one element of a variable, with tfjs' formulas and roundings. */
struct Adam {
  float *w, *m, *v;
  float b1, omb1, b2, omb2, lr, c1, c2, eps;
  Adam(Context &c, int variable)
      : w(c.in->weights[variable]), m(c.in->slots[variable * c.slots]), v(c.in->slots[variable * c.slots + 1]),
        b1(c.in->hyper[0]), omb1(c.in->hyper[1]), b2(c.in->hyper[2]), omb2(c.in->hyper[3]), lr(c.in->hyper[4]), c1(c.in->hyper[5]), c2(c.in->hyper[6]), eps(c.in->hyper[7]) {}
  void apply(int64_t i, float g) const {
    const float mi = b1 * m[i] + omb1 * g;
    const float vi = b2 * v[i] + omb2 * (g * g);
    m[i] = mi;
    v[i] = vi;
    const float stepSize = lr * (mi / c1);
    const float denominator = std::sqrt(vi / c2) + eps;
    w[i] = w[i] - stepSize / denominator;
  }
};

/** One pass over a variable: the optimizer's update with its gradient `g`. */
void update(Context &c, int variable, const float *g, int64_t n) {
  float *w = c.in->weights[variable];
  const std::vector<float> &h = c.in->hyper;
  if (c.optimizer == OptimizerKind::Momentum) {
    float *v = c.in->slots[variable * c.slots];
    const float mom = h[0], negLr = h[1];
#pragma omp parallel for simd schedule(static)
    for (int64_t i = 0; i < n; i++) {
      const float next = mom * v[i] + g[i];
      v[i] = next;
      w[i] = w[i] + negLr * next;
    }
    return;
  }
  const Adam a(c, variable);
#pragma omp parallel for simd schedule(static)
  for (int64_t i = 0; i < n; i++) a.apply(i, g[i]);
}

/**
 * Adam on a dense [in, units] kernel: its gradient xᵀ·g made and applied a block of columns
 * at a time, so the whole gradient (151 MB for fc6 at batch 32) never exists.
 */
void adamDense(Context &c, int variable, const float *x, const float *g, int batch, int in, int units) {
  constexpr int BLOCK = 256;
  const int block = std::min(units, BLOCK);
  c.denseGradient.resize(size_t(in) * block);
  float *buffer = c.denseGradient.data();
  const Adam a(c, variable);
  for (int j0 = 0; j0 < units; j0 += block) {
    const int cols = std::min(block, units - j0);
    dnnl_sgemm('T', 'N', in, cols, batch, 1.f, x, in, g + j0, units, 0.f, buffer, cols);
#pragma omp parallel for schedule(static)
    for (int i = 0; i < in; i++) {
      for (int j = 0; j < cols; j++) a.apply(int64_t(i) * units + j0 + j, buffer[int64_t(i) * cols + j]);
    }
  }
}

/** Momentum's second half where v was already updated in place (the folded dense Gemm). */
void applyMomentum(Context &c, int variable, int64_t n) {
  float *w = c.in->weights[variable];
  const float *v = c.in->slots[variable * c.slots];
  const float negLr = c.in->hyper[1];
#pragma omp parallel for simd schedule(static)
  for (int64_t i = 0; i < n; i++) w[i] = w[i] + negLr * v[i];
}

struct Layer {
  virtual ~Layer() = default;
  /** Runs forward from `input`; the result is `output`. */
  virtual void forward(Context &c, const memory &input) = 0;
  /** From the gradient at the output, updates this layer's variables and answers the gradient at its input (when `needInput`). */
  virtual memory backward(Context &c, const memory &gradient, bool needInput) = 0;
  memory output;
  memory input;
};

memory::dims nchw(int n, int c, int h, int w) { return {n, c, h, w}; }

struct ConvLayer : Layer {
  LayerSpec s;
  int variable;
  convolution_forward::primitive_desc fwd;
  convolution_backward_weights::primitive_desc bwdWeights;
  convolution_backward_data::primitive_desc bwdData;
  bool hasBwdData;
  memory::desc userWeights, userBias;
  memory srcCache, weightsCache, bwdWeightsSrcCache, bwdDiffDstCache, dataDiffDstCache, dataWeightsCache, reluGradCache;
  memory diffWeights, diffWeightsUser, diffBias, diffSrc;
  eltwise_backward::primitive_desc reluBwd;

  ConvLayer(Context &c, const LayerSpec &spec, int variable, int batch, const memory::desc &inDesc, bool first) : s(spec), variable(variable), hasBwdData(!first) {
    const memory::dims strides{s.sh, s.sw}, padL{s.pt, s.pl}, padR{s.pb, s.pr};
    // `any` even for the pixels: oneDNN has no fast kernel for an NHWC RGB input, so they are reordered.
    const memory::desc src(nchw(batch, s.inC, s.inH, s.inW), dt::f32, tag::any);
    const memory::desc weights(memory::dims{s.outC, s.inC, s.kh, s.kw}, dt::f32, tag::any);
    userWeights = memory::desc(memory::dims{s.outC, s.inC, s.kh, s.kw}, dt::f32, tag::hwio);
    userBias = memory::desc(memory::dims{s.outC}, dt::f32, tag::a);
    const memory::desc dst(nchw(batch, s.outC, s.outH, s.outW), dt::f32, tag::any);
    primitive_attr attr;
    if (s.relu) {
      post_ops ops;
      ops.append_eltwise(1.f, algorithm::eltwise_relu, 0.f, 0.f);
      attr.set_post_ops(ops);
    }
    fwd = convolution_forward::primitive_desc(
        convolution_forward::desc(prop_kind::forward_training, algorithm::convolution_direct, src, weights, userBias, dst, strides, padL, padR), attr, c.eng);
    output = memory(fwd.dst_desc(), c.eng);
    bwdWeights = convolution_backward_weights::primitive_desc(
        convolution_backward_weights::desc(algorithm::convolution_direct, src, weights, userBias, dst, strides, padL, padR), c.eng, fwd);
    diffWeights = memory(bwdWeights.diff_weights_desc(), c.eng);
    diffWeightsUser = memory(userWeights, c.eng);
    diffBias = memory(userBias, c.eng);
    if (hasBwdData) {
      bwdData = convolution_backward_data::primitive_desc(
          convolution_backward_data::desc(algorithm::convolution_direct, src, weights, dst, strides, padL, padR), c.eng, fwd);
      diffSrc = memory(bwdData.diff_src_desc(), c.eng);
    }
    if (s.relu) {
      const auto hint = eltwise_forward::primitive_desc(eltwise_forward::desc(prop_kind::forward_training, algorithm::eltwise_relu_use_dst_for_bwd, fwd.dst_desc(), 0.f), c.eng);
      reluBwd = eltwise_backward::primitive_desc(eltwise_backward::desc(algorithm::eltwise_relu_use_dst_for_bwd, fwd.dst_desc(), fwd.dst_desc(), 0.f), c.eng, hint);
    }
  }

  memory user(Context &c, const memory::desc &d, int v) { return memory(d, c.eng, c.in->weights[v]); }

  void forward(Context &c, const memory &in) override {
    input = as(c, in, fwd.src_desc(), srcCache);
    const memory w = as(c, user(c, userWeights, variable), fwd.weights_desc(), weightsCache);
    convolution_forward(fwd).execute(c.strm, {{DNNL_ARG_SRC, input}, {DNNL_ARG_WEIGHTS, w}, {DNNL_ARG_BIAS, user(c, userBias, variable + 1)}, {DNNL_ARG_DST, output}});
  }

  memory backward(Context &c, const memory &gradient, bool needInput) override {
    memory g = as(c, gradient, fwd.dst_desc(), reluGradCache);
    if (s.relu) eltwise_backward(reluBwd).execute(c.strm, {{DNNL_ARG_DST, output}, {DNNL_ARG_DIFF_DST, g}, {DNNL_ARG_DIFF_SRC, g}});
    const memory src = as(c, input, bwdWeights.src_desc(), bwdWeightsSrcCache);
    const memory gw = as(c, g, bwdWeights.diff_dst_desc(), bwdDiffDstCache);
    convolution_backward_weights(bwdWeights).execute(c.strm, {{DNNL_ARG_SRC, src}, {DNNL_ARG_DIFF_DST, gw}, {DNNL_ARG_DIFF_WEIGHTS, diffWeights}, {DNNL_ARG_DIFF_BIAS, diffBias}});
    memory result;
    if (needInput && hasBwdData) {
      // The input gradient reads the weights before this layer's update writes them.
      const memory w = as(c, user(c, userWeights, variable), bwdData.weights_desc(), dataWeightsCache);
      const memory gd = as(c, g, bwdData.diff_dst_desc(), dataDiffDstCache);
      convolution_backward_data(bwdData).execute(c.strm, {{DNNL_ARG_DIFF_DST, gd}, {DNNL_ARG_WEIGHTS, w}, {DNNL_ARG_DIFF_SRC, diffSrc}});
      result = diffSrc;
    }
    const memory gradW = as(c, diffWeights, userWeights, diffWeightsUser);
    c.strm.wait();
    update(c, variable, data(gradW), int64_t(s.kh) * s.kw * s.inC * s.outC);
    update(c, variable + 1, data(diffBias), s.outC);
    return result;
  }
};

struct PoolLayer : Layer {
  pooling_forward::primitive_desc fwd;
  pooling_backward::primitive_desc bwd;
  memory workspace, diffSrc, diffDstCache;

  PoolLayer(Context &c, const LayerSpec &s, int batch, const memory::desc &inDesc) {
    const memory::dims strides{s.sh, s.sw}, kernel{s.kh, s.kw}, padL{s.pt, s.pl}, padR{s.pb, s.pr};
    const memory::desc dst(nchw(batch, s.inC, s.outH, s.outW), dt::f32, tag::any);
    fwd = pooling_forward::primitive_desc(pooling_forward::desc(prop_kind::forward_training, algorithm::pooling_max, inDesc, dst, strides, kernel, padL, padR), c.eng);
    bwd = pooling_backward::primitive_desc(pooling_backward::desc(algorithm::pooling_max, inDesc, fwd.dst_desc(), strides, kernel, padL, padR), c.eng, fwd);
    output = memory(fwd.dst_desc(), c.eng);
    workspace = memory(fwd.workspace_desc(), c.eng);
    diffSrc = memory(bwd.diff_src_desc(), c.eng);
  }

  void forward(Context &c, const memory &in) override {
    input = in;
    pooling_forward(fwd).execute(c.strm, {{DNNL_ARG_SRC, in}, {DNNL_ARG_DST, output}, {DNNL_ARG_WORKSPACE, workspace}});
  }

  memory backward(Context &c, const memory &gradient, bool) override {
    const memory g = as(c, gradient, bwd.diff_dst_desc(), diffDstCache);
    pooling_backward(bwd).execute(c.strm, {{DNNL_ARG_DIFF_DST, g}, {DNNL_ARG_WORKSPACE, workspace}, {DNNL_ARG_DIFF_SRC, diffSrc}});
    return diffSrc;
  }
};

/** To tfjs' flattening order (NHWC) as a plain [B, H·W·C] matrix, and back. */
struct FlattenLayer : Layer {
  memory::desc inDesc;
  memory diffSrc;

  FlattenLayer(Context &c, const LayerSpec &s, int batch, const memory::desc &in) : inDesc(in) {
    output = memory(memory::desc(nchw(batch, s.outC, s.outH, s.outW), dt::f32, tag::nhwc), c.eng);
    diffSrc = memory(in, c.eng);
  }

  void forward(Context &c, const memory &in) override {
    input = in;
    reorder(in, output).execute(c.strm, const_cast<memory &>(in), output);
  }

  memory backward(Context &c, const memory &gradient, bool) override {
    const memory g(output.get_desc(), c.eng, gradient.get_data_handle());
    reorder(g, diffSrc).execute(c.strm, const_cast<memory &>(g), diffSrc);
    return diffSrc;
  }
};

struct DenseLayer : Layer {
  int batch, in, units, variable;
  bool relu;
  memory diffSrc;

  DenseLayer(Context &c, const LayerSpec &s, int variable, int batch) : batch(batch), in(s.inUnits), units(s.units), variable(variable), relu(s.relu) {
    output = memory(memory::desc({batch, units}, dt::f32, tag::ab), c.eng);
    diffSrc = memory(memory::desc({batch, in}, dt::f32, tag::ab), c.eng);
  }

  void forward(Context &c, const memory &x) override {
    input = x;
    c.strm.wait();
    float *y = data(output);
    const float *w = c.in->weights[variable];
    const float *bias = c.in->weights[variable + 1];
    dnnl_sgemm('N', 'N', batch, units, in, 1.f, data(x), in, w, units, 0.f, y, units);
    const int64_t n = int64_t(batch) * units;
    const bool r = relu;
    const int u = units;
#pragma omp parallel for simd schedule(static)
    for (int64_t i = 0; i < n; i++) {
      const float v = y[i] + bias[i % u];
      y[i] = r && !(v > 0.f) ? 0.f : v;
    }
  }

  memory backward(Context &c, const memory &gradient, bool needInput) override {
    c.strm.wait();
    float *g = data(gradient);
    const float *a = data(output);
    const int64_t n = int64_t(batch) * units;
    if (relu) {
#pragma omp parallel for simd schedule(static)
      for (int64_t i = 0; i < n; i++) g[i] = a[i] > 0.f ? g[i] : 0.f;
    }
    std::vector<float> biasGradient(units, 0.f);
#pragma omp parallel for schedule(static)
    for (int j = 0; j < units; j++) {
      float sum = 0.f;
      for (int b = 0; b < batch; b++) sum += g[int64_t(b) * units + j];
      biasGradient[j] = sum;
    }
    float *w = c.in->weights[variable];
    // dx = g · Wᵀ before the update writes W.
    if (needInput) dnnl_sgemm('N', 'T', batch, in, units, 1.f, g, units, w, units, 0.f, data(diffSrc), in);
    const int64_t size = int64_t(in) * units;
    if (c.optimizer == OptimizerKind::Momentum) {
      // v ← m·v + xᵀ·g as one Gemm: the gradient (151 MB for fc6 at batch 32) never exists.
      dnnl_sgemm('T', 'N', in, units, batch, 1.f, data(input), in, g, units, c.momentum, c.in->slots[variable * c.slots], units);
      applyMomentum(c, variable, size);
    } else {
      adamDense(c, variable, data(input), g, batch, in, units);
    }
    update(c, variable + 1, biasGradient.data(), units);
    return diffSrc;
  }
};

struct DropoutLayer : Layer {
  int index;
  int64_t n;

  DropoutLayer(Context &c, const LayerSpec &s, int batch) : index(s.index), n(int64_t(batch) * s.units) {
    output = memory(memory::desc({batch, s.units}, dt::f32, tag::ab), c.eng);
  }

  void forward(Context &c, const memory &x) override {
    input = x;
    c.strm.wait();
    const float *k = c.in->dropouts[index];
    const float *a = data(x);
    float *y = data(output);
#pragma omp parallel for simd schedule(static)
    for (int64_t i = 0; i < n; i++) y[i] = a[i] * k[i];
  }

  memory backward(Context &c, const memory &gradient, bool) override {
    c.strm.wait();
    const float *k = c.in->dropouts[index];
    float *g = data(gradient);
#pragma omp parallel for simd schedule(static)
    for (int64_t i = 0; i < n; i++) g[i] = g[i] * k[i];
    return gradient;
  }
};

}  // namespace

struct StepEngine::Impl {
  Context c;
  int batch, inputSize, outputs;
  std::vector<std::unique_ptr<Layer>> layers;
  std::vector<int64_t> sizes;
  memory::desc pixelsDesc;
  memory loss;
};

StepEngine::StepEngine(int batch, int inputSize, int outputs, const std::vector<LayerSpec> &specs, OptimizerKind optimizer, float momentum) : impl_(new Impl) {
  Impl &m = *impl_;
  m.c.optimizer = optimizer;
  m.c.momentum = momentum;
  m.c.slots = optimizer == OptimizerKind::Momentum ? 1 : 2;
  m.batch = batch;
  m.inputSize = inputSize;
  m.outputs = outputs;
  m.pixelsDesc = memory::desc(nchw(batch, 3, inputSize, inputSize), dt::f32, tag::nhwc);
  if (specs.empty() || specs[0].kind != LayerKind::Conv) throw std::invalid_argument("the oneDNN step expects a convolution first");
  memory::desc current = m.pixelsDesc;
  int variable = 0;
  for (size_t i = 0; i < specs.size(); i++) {
    const LayerSpec &s = specs[i];
    switch (s.kind) {
      case LayerKind::Conv:
        m.layers.emplace_back(new ConvLayer(m.c, s, variable, batch, current, i == 0));
        m.sizes.push_back(int64_t(s.kh) * s.kw * s.inC * s.outC);
        m.sizes.push_back(s.outC);
        variable += 2;
        break;
      case LayerKind::Pool:
        m.layers.emplace_back(new PoolLayer(m.c, s, batch, current));
        break;
      case LayerKind::Flatten:
        m.layers.emplace_back(new FlattenLayer(m.c, s, batch, current));
        break;
      case LayerKind::Dense:
        m.layers.emplace_back(new DenseLayer(m.c, s, variable, batch));
        m.sizes.push_back(int64_t(s.inUnits) * s.units);
        m.sizes.push_back(s.units);
        variable += 2;
        break;
      case LayerKind::Dropout:
        m.layers.emplace_back(new DropoutLayer(m.c, s, batch));
        break;
    }
    current = m.layers.back()->output.get_desc();
  }
}

StepEngine::~StepEngine() = default;

int StepEngine::variableCount() const { return int(impl_->sizes.size()); }
int StepEngine::slotCount() const { return impl_->c.slots; }
std::vector<int64_t> StepEngine::variableSizes() const { return impl_->sizes; }

float StepEngine::step(const StepInputs &in) {
  Impl &m = *impl_;
  Context &c = m.c;
  c.in = &in;
  memory h(m.pixelsDesc, c.eng, const_cast<float *>(in.pixels));
  for (auto &layer : m.layers) {
    layer->forward(c, h);
    h = layer->output;
  }
  c.strm.wait();
  // Loss: Σ mask · ((dx)² + (dy)²) / max(1, Σ mask); its gradient 2 · (y − t) · mask / count.
  const float *y = data(h);
  const int joints = m.outputs / 2;
  float count = 0.f;
  for (int i = 0; i < m.batch * joints; i++) count += in.mask[i];
  count = std::max(count, 1.f);
  const float scale = 2.f / count;
  memory gradient(h.get_desc(), c.eng);
  float *g = data(gradient);
  float total = 0.f;
  for (int b = 0; b < m.batch; b++) {
    for (int j = 0; j < joints; j++) {
      const int k = b * m.outputs + 2 * j;
      const float mask = in.mask[b * joints + j];
      const float dx = y[k] - in.targets[k], dy = y[k + 1] - in.targets[k + 1];
      total += (dx * dx + dy * dy) * mask;
      g[k] = dx * mask * scale;
      g[k + 1] = dy * mask * scale;
    }
  }
  const float loss = total / count;
  for (size_t i = m.layers.size(); i-- > 0;) gradient = m.layers[i]->backward(c, gradient, i > 0);
  c.strm.wait();
  c.in = nullptr;
  return loss;
}

}  // namespace deeppose
