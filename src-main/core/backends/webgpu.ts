// The portable GPU backend: tfjs' WebGPU backend on Dawn for Node (the `webgpu` package ships
// dawn.node for linux-x64, darwin and win32 in its npm tarball: Vulkan, Metal, D3D12).
// Available only when Dawn finds an adapter and a tiny kernel runs on it.
import * as tf from '@tensorflow/tfjs';
import { checkTinyKernel } from './tiny-kernel';
import { findSharedLibrary, linuxGpuDeviceNodes } from './system-gpu';
import { architectures, type Architecture } from '../pose/architectures';

/** Set to 1 to let a software adapter (llvmpipe, SwiftShader) count: tests and checks do. */
export const WEBGPU_SOFTWARE_ENV = 'DEEPPOSE_WEBGPU_SOFTWARE';

export interface WebgpuAdapter {
  vendor: string;
  architecture: string;
  description: string;
  /** A CPU rasteriser posing as a GPU: slower than the CPU backends for training. */
  software: boolean;
  /** The largest buffer a shader may bind: every weight tensor must fit in one. */
  maxBindingBytes: number;
}

/** The largest weight tensor of a model (fc6: the last pool's output times fc6's units), in float32 bytes. */
export function largestWeightBytes(arch: Architecture): number {
  const pool = (x: number) => Math.floor((x - 3) / 2) + 1;
  const side = pool(pool(pool(Math.floor((arch.inputSize - 11) / 4) + 1))); // conv1 11/4 valid, three 3/2 pools, 'same' convs between
  return side * side * arch.conv[4] * arch.fc[0] * 4;
}

const MiB = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;

export function describeAdapter(a: WebgpuAdapter): string {
  const name = a.description || a.vendor || 'unnamed adapter';
  return `${name} (${[a.vendor, a.architecture].filter(Boolean).join(' ') || 'unknown vendor'}${a.software && a.architecture !== 'software' ? ', software' : ''})`;
}

type Dawn = { gpu: GPU; adapter: GPUAdapter | null };
let dawn: Promise<Dawn> | null = null;

/** One Dawn instance per process, exposed as navigator.gpu and the GPU* globals tfjs expects. */
function openDawn(): Promise<Dawn> {
  dawn ??= (async () => {
    let webgpu: typeof import('webgpu');
    try {
      webgpu = await import('webgpu');
    } catch (error) {
      throw new Error(
        `the webgpu package (Dawn for Node) cannot load here: ${(error as Error).message.split('\n')[0]}`,
        { cause: error },
      );
    }
    for (const [name, value] of Object.entries(webgpu.globals as Record<string, unknown>))
      if (!(name in globalThis)) Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
    const gpu = webgpu.create([]);
    const host = globalThis as { navigator?: object };
    if (!host.navigator)
      Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true, writable: true });
    Object.defineProperty(host.navigator, 'gpu', { value: gpu, configurable: true });
    return { gpu, adapter: await gpu.requestAdapter({ powerPreference: 'high-performance' }) };
  })();
  return dawn;
}

function noAdapterReason(hasVulkanLoader = findSharedLibrary('libvulkan.so.1') !== null): string {
  if (process.platform === 'linux' && !hasVulkanLoader) {
    return 'no WebGPU adapter: the Vulkan loader libvulkan.so.1 is not installed (Debian: libvulkan1), and Dawn drives GPUs through Vulkan on Linux';
  }
  const api = process.platform === 'darwin' ? 'Metal' : process.platform === 'win32' ? 'D3D12' : 'Vulkan';
  return `no WebGPU adapter: Dawn found no ${api} GPU it supports (no GPU driver with ${api}, or only a software one too old for Dawn, such as Debian 12's lavapipe)`;
}

function adapterOf(adapter: GPUAdapter): WebgpuAdapter {
  const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  const text = `${info.vendor} ${info.architecture} ${info.device} ${info.description}`;
  return {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    description: info.description || info.device || '',
    software:
      info.isFallbackAdapter === true ||
      info.architecture === 'software' ||
      /llvmpipe|lavapipe|swiftshader/i.test(text),
    maxBindingBytes: adapter.limits.maxStorageBufferBindingSize,
  };
}

/**
 * Why Dawn cannot offer a usable adapter before it is even created, or null where it might.
 * Creating Dawn's instance on a Linux machine with a Vulkan loader but no GPU still loads the
 * software drivers, which print their own warnings ("XDG_RUNTIME_DIR is invalid", "lavapipe is
 * not a conformant vulkan implementation") into the user's terminal, for an adapter the studio
 * would refuse anyway: so it is not created there.
 */
export function webgpuCannotStart(
  platform: NodeJS.Platform,
  allowSoftware: boolean,
  hasVulkanLoader: () => boolean = () => findSharedLibrary('libvulkan.so.1') !== null,
  gpuNodes: () => string[] = linuxGpuDeviceNodes,
): string | null {
  if (platform !== 'linux') return null;
  // Dawn on Linux knows only Vulkan: without its loader there is no adapter to find.
  if (!hasVulkanLoader()) return noAdapterReason(false);
  if (!allowSoftware && gpuNodes().length === 0) {
    return `no WebGPU adapter: this machine shows no GPU device (/dev/dri/renderD*, /dev/nvidia*), so only a software Vulkan driver could answer, slower than the CPU backends (${WEBGPU_SOFTWARE_ENV}=1 tries it anyway)`;
  }
  return null;
}

/** The adapter Dawn offers this process, or why there is none. Loads no tfjs backend. */
export async function findWebgpuAdapter(
  allowSoftware = process.env[WEBGPU_SOFTWARE_ENV] === '1',
): Promise<{ ok: true; adapter: WebgpuAdapter } | { ok: false; reason: string }> {
  const cannot = webgpuCannotStart(process.platform, allowSoftware);
  if (cannot) return { ok: false, reason: cannot };
  try {
    const { adapter } = await openDawn();
    return adapter ? { ok: true, adapter: adapterOf(adapter) } : { ok: false, reason: noAdapterReason() };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}

export interface WebgpuOptions {
  allowSoftware?: boolean;
  /** The model it must hold: an adapter that cannot bind its largest weight would train on garbage. */
  model?: Architecture;
}

/** Makes tfjs' webgpu backend the active one on Dawn's adapter, after a tiny kernel ran right. */
export async function useWebgpuBackend(options: WebgpuOptions = {}): Promise<{ devices: string[] }> {
  const { allowSoftware = process.env[WEBGPU_SOFTWARE_ENV] === '1', model = architectures.alexnet } = options;
  const found = await findWebgpuAdapter(allowSoftware);
  if (!found.ok) throw new Error(found.reason);
  if (found.adapter.software && !allowSoftware) {
    throw new Error(
      `only a software WebGPU adapter, ${describeAdapter(found.adapter)}: slower than the CPU backends (${WEBGPU_SOFTWARE_ENV}=1 uses it anyway)`,
    );
  }
  const needed = largestWeightBytes(model);
  if (found.adapter.maxBindingBytes < needed) {
    throw new Error(
      `${describeAdapter(found.adapter)} binds at most ${MiB(found.adapter.maxBindingBytes)} per buffer, and ${model.name}'s largest weight takes ${MiB(needed)}`,
    );
  }
  await import('@tensorflow/tfjs-backend-webgpu'); // registers 'webgpu', which asks navigator.gpu for its adapter
  if (!(await tf.setBackend('webgpu')))
    throw new Error(`tfjs' webgpu backend did not initialise on ${describeAdapter(found.adapter)}`);
  await checkTinyKernel();
  return { devices: [describeAdapter(found.adapter)] };
}
