#!/usr/bin/env bash
# Builds the oneDNN training step (native/onednn-step) into native/build/onednn_step.node with
# node-gyp (npm ships it; binding.gyp finds oneDNN through find-onednn.cjs): a Node-API addon, so
# one build serves Node and Electron. Where oneDNN or a C++ toolchain is missing it says so and
# stops without failing: training then runs the ONNX graph engine.
set -euo pipefail
cd "$(dirname "$0")/.."
out=native/build/onednn_step.node
if ! problem=$(cd native/onednn-step && node find-onednn.cjs include 2>&1 >/dev/null); then
  echo "[build-native] skipped: $problem; training uses the ONNX graph engine" >&2
  exit 0
fi
# `npm run` puts npm's own node-gyp on PATH; called directly, use npm's copy.
gyp=(node-gyp)
command -v node-gyp >/dev/null 2>&1 || gyp=(node "$(npm root -g)/npm/node_modules/node-gyp/bin/node-gyp.js")
# Offline or without a header cache, node-gyp cannot fetch Node's headers: Debian's nodejs-dev has them.
nodedir=()
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node_api.h ] && [ "$(npm config get nodedir 2>/dev/null)" != /usr ]; then
  nodedir=(--nodedir=/usr)
fi
if ! (cd native/onednn-step && "${gyp[@]}" rebuild "${nodedir[@]}" --loglevel=warn >/tmp/deeppose-build-native.log 2>&1); then
  echo "[build-native] skipped: node-gyp could not build the oneDNN step (see /tmp/deeppose-build-native.log); training uses the ONNX graph engine" >&2
  exit 0
fi
mkdir -p native/build
cp native/onednn-step/build/Release/onednn_step.node "$out.tmp"
mv "$out.tmp" "$out"
echo "[build-native] built $out" >&2
