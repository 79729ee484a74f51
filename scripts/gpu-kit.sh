#!/usr/bin/env bash
# Packs what scripts/gpu-check.sh needs on a Linux x86-64 machine with an NVIDIA GPU and no
# internet into .gpu-kit/ (git-ignored; it travels with the working tree, at most 64 MiB):
# the runtime node_modules (linux-x64 binaries only, no source maps or typings), Debian's
# Vulkan loader (apt-get download) and this machine's node binary. Run it here, after
# `npm install`, where the npm registry and Debian's packages can be reached.
set -euo pipefail
cd "$(dirname "$0")/.."
KIT=.gpu-kit
LIMIT_MIB=60 # the working tree's own files need the rest of the 64 MiB
rm -rf "$KIT" && mkdir -p "$KIT/debs"

# Production dependencies and tsx (the check runs the TypeScript sources: no build needed).
{ npm ls --omit=dev --all --parseable 2>/dev/null; for p in tsx esbuild @esbuild/linux-x64; do echo "$PWD/node_modules/$p"; done; } |
  sed "s#^$PWD/##" | grep '^node_modules/' | grep -v '^node_modules/@tensorflow/tfjs-node' | sort -u >"$KIT/packages.txt"
tar -cf - --exclude='*.map' --exclude='*.d.ts' --exclude='*.md' --exclude='*.html' --exclude='*.tsbuildinfo' \
  --exclude='node_modules/@tensorflow/*/src' --exclude='node_modules/@tensorflow/*/dist/miniprogram' \
  --exclude='node_modules/@tensorflow/*/dist/*.min.js' --exclude='node_modules/@tensorflow/*/dist/*.es2017.js' \
  --exclude='node_modules/@tensorflow/*/dist/*.fesm.js' --exclude='node_modules/@tensorflow/tfjs/dist/tf.js' \
  --exclude='node_modules/onnxruntime-node/bin/napi-v*/darwin' --exclude='node_modules/onnxruntime-node/bin/napi-v*/win32' \
  --exclude='node_modules/onnxruntime-node/bin/napi-v*/linux/arm64' \
  --exclude='node_modules/webgpu/dist/darwin-*' --exclude='node_modules/webgpu/dist/win32-*' --exclude='node_modules/webgpu/dist/linux-arm64' \
  --exclude='node_modules/better-sqlite3/deps' --exclude='node_modules/better-sqlite3/src' --exclude='node_modules/better-sqlite3/build/Release/obj*' \
  --exclude='node_modules/core-js' \
  -T "$KIT/packages.txt" | xz -6 -T1 >"$KIT/node_modules.tar.xz"

# Debian's Vulkan loader: Dawn reaches the NVIDIA driver's Vulkan ICD through it.
(cd "$KIT/debs" && apt-get download libvulkan1 >/dev/null)

# Node, for machines without one (the node-linux-x64 build links only glibc).
xz -6 -T1 -c "$(command -v node)" >"$KIT/node.xz"
node --version >"$KIT/node-version.txt"

size=$(du -sm "$KIT" | cut -f1)
echo "gpu-kit: $KIT is ${size} MiB (limit ${LIMIT_MIB}):"
du -sh "$KIT"/* | sed 's/^/  /'
[ "$size" -le "$LIMIT_MIB" ] || { echo "gpu-kit: too large to travel" >&2; exit 1; }
