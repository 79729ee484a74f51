#!/usr/bin/env bash
# One command from a fresh clone to a built studio: system packages the tests need
# (Debian chromium for the browser tests; python3-onnx and python3-opencv to check exported
# models with the onnx checker and OpenCV's dnn; libdnnl-dev for the oneDNN training step),
# npm dependencies without Electron's binary download where it cannot be fetched, then the
# build, native step included (skipped, with the reason, where oneDNN cannot be had).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
/usr/bin/python3 -c 'import onnx' >/dev/null 2>&1 || missing+=(python3-onnx)
/usr/bin/python3 -c 'import cv2' >/dev/null 2>&1 || missing+=(python3-opencv)
[ -f /usr/include/oneapi/dnnl/dnnl.hpp ] || missing+=(libdnnl-dev)
# The PyTorch engine's tests (the studio never needs torch to run; users bring their own).
/usr/bin/python3 -c 'import torch' >/dev/null 2>&1 || missing+=(python3-torch)
/usr/bin/python3 -c 'import pytest' >/dev/null 2>&1 || missing+=(python3-pytest)
/usr/bin/python3 -c 'import numpy' >/dev/null 2>&1 || missing+=(python3-numpy)
/usr/bin/python3 -c 'import PIL' >/dev/null 2>&1 || missing+=(python3-pil)
if [ ${#missing[@]} -gt 0 ] && command -v apt-get >/dev/null 2>&1; then
  SUDO=$([ "$(id -u)" = 0 ] && echo "" || echo sudo)
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi

# Electron's binary and tfjs-node's libtensorflow cannot be downloaded on every machine;
# set ELECTRON_SKIP_BINARY_DOWNLOAD=0 where they can (desktop machines).
export ELECTRON_SKIP_BINARY_DOWNLOAD="${ELECTRON_SKIP_BINARY_DOWNLOAD:-1}"
[ "$ELECTRON_SKIP_BINARY_DOWNLOAD" = 0 ] && unset ELECTRON_SKIP_BINARY_DOWNLOAD
export ONNXRUNTIME_NODE_INSTALL="${ONNXRUNTIME_NODE_INSTALL:-skip}"
npm ci
npm run build:native
npm run build
