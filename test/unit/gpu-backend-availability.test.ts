// The backend list before a run: GPU backends judged by a real probe in a worker process,
// the optional native packages' state in the user's words, the WebGPU size rule.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { backendAvailability } from '../../src-main/core/runs/backend-availability';
import { nativePackageProblem, nativeReasons } from '../../src-main/core/backends/native-packages';
import { probeInChild } from '../../src-main/core/worker/probe-in-child';
import { forkLauncher, type WorkerLauncher } from '../../src-main/core/worker/worker-launcher';
import { createStudio } from '../../src-main/core/studio';
import { largestWeightBytes } from '../../src-main/core/backends/webgpu';
import { architectures } from '../../src-main/core/pose/architectures';

test('a GPU backend whose probe ran is preferred and names its device; a failed probe shows its reason', async () => {
  const gpu = await backendAvailability(['webgpu', 'onnx-cpu', 'cpu'], async () => ({
    ok: true,
    devices: ['NVIDIA H200 (nvidia hopper)'],
  }));
  assert.deepEqual(gpu[0], {
    name: 'webgpu',
    available: true,
    preferred: true,
    reason: 'WebGPU (Dawn) on NVIDIA H200 (nvidia hopper)',
    devices: ['NVIDIA H200 (nvidia hopper)'],
  });
  assert.equal(gpu.filter((b) => b.preferred).length, 1);
  const none = await backendAvailability(['webgpu', 'onnx-cpu', 'cpu'], async () => ({
    ok: false,
    reason: 'no WebGPU adapter: …',
  }));
  assert.deepEqual(none[0], { name: 'webgpu', available: false, preferred: false, reason: 'no WebGPU adapter: …' });
  assert.equal(none.find((b) => b.preferred)?.name, 'onnx-cpu');
});

test('an optional native package: absent, or left without its binding by a failed download', () => {
  const dir = mkdtempSync(join(tmpdir(), 'native-pkg-'));
  try {
    const from = pathToFileURL(join(dir, 'here.js')).href;
    assert.equal(
      nativePackageProblem('@tensorflow/tfjs-node-gpu', from),
      nativeReasons.notInstalled('@tensorflow/tfjs-node-gpu'),
    );
    const pkg = join(dir, 'node_modules', '@tensorflow', 'tfjs-node-gpu');
    mkdirSync(join(pkg, 'lib'), { recursive: true });
    writeFileSync(join(pkg, 'package.json'), '{"name":"@tensorflow/tfjs-node-gpu","version":"4.22.0"}');
    assert.equal(
      nativePackageProblem('@tensorflow/tfjs-node-gpu', from),
      nativeReasons.bindingMissing('@tensorflow/tfjs-node-gpu'),
    );
    mkdirSync(join(pkg, 'lib', 'napi-v8'));
    writeFileSync(join(pkg, 'lib', 'napi-v8', 'tfjs_binding.node'), '');
    assert.equal(nativePackageProblem('@tensorflow/tfjs-node-gpu', from), null);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.match(nativeReasons.notInstalled('@tensorflow/tfjs-node'), /needs internet access/);
  assert.match(nativeReasons.needsCuda(['libcudnn.so.8']), /CUDA 11\.2 and cuDNN 8\.1: libcudnn\.so\.8 not found/);
});

test('the probe child loads a backend for real and answers; an unknown one is a reason, not a crash', async () => {
  assert.deepEqual(await probeInChild('cpu'), { ok: true, devices: [] });
  const unknown = await probeInChild('nonsense' as 'cpu');
  assert.equal(unknown.ok, false);
  assert.match(unknown.reason ?? '', /unknown backend 'nonsense'/);
});

// A packaged desktop app has the RunAsNode fuse off: forking Node from it starts another
// Electron instead. So the probe goes through the launcher the studio starts its workers with
// (on the desktop, main's utilityProcess), never child_process.fork of its own. Emulated here
// with a launcher that records each start and refuses a second kind of process.
test("the backend list probes GPU backends through the studio's own worker launcher", async () => {
  const started: string[] = [];
  const recording: WorkerLauncher = (entry) => {
    started.push(entry.path);
    return forkLauncher(entry);
  };
  const home = mkdtempSync(join(tmpdir(), 'deeppose-probe-'));
  const studio = createStudio({ home, door: 'desktop', launchWorker: recording });
  try {
    const reply = await studio.dispatch('training.backends', {});
    assert.ok(reply.ok, JSON.stringify(reply));
    const webgpu = (reply.value as Array<{ name: string; available: boolean; reason: string }>).find(
      (b) => b.name === 'webgpu',
    )!;
    assert.ok(started.length >= 1, 'the webgpu probe ran through the launcher');
    assert.ok(
      started.every((path) => /worker(-entry)?\.(js|ts)$/.test(path)),
      `only the worker entry is started: ${started.join(', ')}`,
    );
    // Whatever this machine has, the probe answered (no "ended without an answer").
    assert.doesNotMatch(webgpu.reason, /without an answer|did not finish/);
  } finally {
    await studio.close?.();
    rmSync(home, { recursive: true, force: true });
  }
});

test("WebGPU must bind the model's largest weight: the reference AlexNet's fc6 is 144 MiB", () => {
  assert.equal(largestWeightBytes(architectures.alexnet), 9216 * 4096 * 4);
  assert.ok(largestWeightBytes(architectures['alexnet-tiny']) < 2 ** 20);
});
