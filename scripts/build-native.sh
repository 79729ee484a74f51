#!/usr/bin/env bash
# Builds the oneDNN training step (native/onednn-step) into native/build/onednn_step.node: a
# Node-API addon, so one build serves Node and Electron. Where oneDNN's headers (Debian:
# libdnnl-dev) or a C++ compiler are missing it says so and stops without failing: training
# then runs the ONNX graph engine.
set -euo pipefail
cd "$(dirname "$0")/.."
out=native/build/onednn_step.node
headers="${NODE_HEADERS:-$(node -p "require('path').resolve(process.execPath, '../../include/node')")}"
[ -f "$headers/node_api.h" ] || headers="$HOME/.cache/node-gyp/$(node -p 'process.versions.node')/include/node"
for need in "$headers/node_api.h" /usr/include/oneapi/dnnl/dnnl.hpp; do
  if [ ! -f "$need" ]; then
    echo "[build-native] skipped: $need is missing (install libdnnl-dev and Node's headers); training uses the ONNX graph engine" >&2
    exit 0
  fi
done
if ! command -v "${CXX:-g++}" >/dev/null 2>&1; then
  echo "[build-native] skipped: no C++ compiler (${CXX:-g++}); training uses the ONNX graph engine" >&2
  exit 0
fi
mkdir -p native/build
# -ffp-contract=off: the optimizer's products and sums are rounded one by one, as tfjs rounds them.
"${CXX:-g++}" -O3 -std=c++17 -fPIC -shared -fopenmp -ffp-contract=off -fvisibility=hidden \
  -DNODE_GYP_MODULE_NAME=onednn_step -I"$headers" \
  native/onednn-step/step-engine.cc native/onednn-step/addon.cc -o "$out.tmp" -ldnnl
mv "$out.tmp" "$out"
echo "[build-native] built $out" >&2
