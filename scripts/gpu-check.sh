#!/usr/bin/env bash
# The GPU check, for a Linux x86-64 machine with an NVIDIA GPU and no internet. What it needs
# travels with the working tree: .gpu-kit/ (made here by scripts/gpu-kit.sh: node_modules,
# Debian's Vulkan loader, node). In under 5 minutes it lists the GPUs and WebGPU adapters,
# runs the GPU parity test against the cpu backend and prints `deeppose bench --backend <gpu>`
# JSON for each GPU backend that runs; then the PyTorch engine (python3 with torch, no Node
# needed for that part): the reference AlexNet trained for a fixed number of steps from a
# synthetic bundle, on CUDA and on this machine's CPU, with images/s. Status: not yet run on a
# GPU (see README).
set -uo pipefail
cd "$(dirname "$0")/.."
KIT=.gpu-kit
TMP=${TMPDIR:-/tmp}/deeppose-gpu-check
mkdir -p "$TMP"
step() { echo; echo "== $* ($((SECONDS))s)"; }

step "setup"
if [ ! -d node_modules/webgpu ]; then
  [ -f "$KIT/node_modules.tar.xz" ] || { echo "no node_modules and no $KIT: run scripts/gpu-kit.sh where npm works" >&2; exit 1; }
  tar -xJf "$KIT/node_modules.tar.xz"
fi
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' 2>/dev/null; then
  xz -dc "$KIT/node.xz" >"$TMP/node" && chmod +x "$TMP/node" && export PATH="$TMP:$PATH"
fi
echo "node $(node --version)"
# Dawn reaches the driver through the Vulkan loader; bring Debian's if the machine has none.
if ! ldconfig -p 2>/dev/null | grep -q 'libvulkan.so.1 '; then
  for deb in "$KIT"/debs/*.deb; do dpkg -x "$deb" "$TMP/vulkan"; done
  export LD_LIBRARY_PATH="$TMP/vulkan/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
# The NVIDIA driver's Vulkan ICD, where containers mount it.
if [ -z "${VK_DRIVER_FILES:-}${VK_ICD_FILENAMES:-}" ]; then
  for icd in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json; do
    if [ -f "$icd" ]; then export VK_DRIVER_FILES="$icd" VK_ICD_FILENAMES="$icd"; echo "Vulkan ICD: $icd"; break; fi
  done
fi

step "GPUs and WebGPU adapters"
nvidia-smi -L 2>&1 || echo "nvidia-smi: not available"
timeout 60 node --input-type=module -e '
  const { create, globals } = await import("webgpu");
  const gpu = create([]);
  for (const powerPreference of ["high-performance", "low-power"]) {
    const a = await gpu.requestAdapter({ powerPreference });
    const i = a?.info;
    console.log(powerPreference + ":", a ? JSON.stringify({ vendor: i.vendor, architecture: i.architecture, device: i.device, description: i.description, maxStorageBufferBindingSize: a.limits.maxStorageBufferBindingSize }) : "no adapter");
  }
  process.exit(0);
'
CLI=(node --import tsx src-main/cli/index.ts) # the same CLI as bin/deeppose.js, from source: no build needed
timeout 200 "${CLI[@]}" bench --help | sed -n '/^Backends on this machine/,$p'

step "parity test (GPU backends against the cpu backend)"
timeout 240 node --import tsx --test test/integration/gpu-parity.test.ts 2>&1 | grep -v '^#  - \|artificially reduced'
parity=${PIPESTATUS[0]}

for backend in tfjs-node-gpu webgpu; do
  step "deeppose bench --backend $backend"
  timeout 240 "${CLI[@]}" bench --backend "$backend" --runs 1 --iterations 5 --pipeline-iterations 4 --samples 15
done

step "PyTorch engine: reference AlexNet, batch 32, from a bundle (python3 -m deeppose_torch)"
PY=${DEEPPOSE_PYTHON:-python3}
if "$PY" -c 'import torch' 2>/dev/null; then
  export PYTHONPATH="$PWD/engines/torch${PYTHONPATH:+:$PYTHONPATH}"
  export GLIBC_TUNABLES=${GLIBC_TUNABLES:-glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=1099511627776}
  "$PY" -c 'import torch; print("torch", torch.__version__, "cuda", torch.cuda.is_available(), torch.cuda.device_count())'
  rm -rf "$TMP/torch-bundle"
  "$PY" -m deeppose_torch.synthetic "$TMP/torch-bundle" --plan-from engines/torch/tests/fixtures/studio-step.json --model alexnet --train 320 --batch-size 32 >/dev/null
  if "$PY" -c 'import sys, torch; sys.exit(0 if torch.cuda.is_available() else 1)'; then
    timeout 240 "$PY" -m deeppose_torch.train "$TMP/torch-bundle" --out "$TMP/torch-out" --device cuda --timing --max-steps 40 --no-verify | grep '"timing"'
    gpus=$("$PY" -c 'import torch; print(torch.cuda.device_count())')
    if [ "$gpus" -gt 1 ]; then
      timeout 240 "$PY" -m torch.distributed.run --standalone --nproc_per_node "$gpus" --redirects 2 --tee 2 \
        -m deeppose_torch.train "$TMP/torch-bundle" --out "$TMP/torch-out" --device cuda --timing --max-steps 40 --no-verify | grep '"timing"'
    fi
  else
    echo "torch sees no CUDA device"
  fi
  timeout 240 "$PY" -m deeppose_torch.train "$TMP/torch-bundle" --out "$TMP/torch-out" --device cpu --timing --max-steps 6 --no-verify | grep '"timing"'
else
  echo "$PY has no torch: the PyTorch engine's timing is skipped"
fi

step "done: parity test exit code $parity"
exit "$parity"
