// Dawn is not created where only a software Vulkan driver could answer: creating it there
// printed the drivers' warnings ("XDG_RUNTIME_DIR is invalid", lavapipe's) into the demo's output.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { webgpuCannotStart } from '../../src-main/core/backends/webgpu';
import { linuxGpuDeviceNodes } from '../../src-main/core/backends/system-gpu';

const loader = () => true;

test('Linux with a Vulkan loader but no GPU device: refused before Dawn starts, with the reason', () => {
  const reason = webgpuCannotStart('linux', false, loader, () => []);
  assert.match(reason ?? '', /no GPU device .*software Vulkan driver/);
  assert.match(
    webgpuCannotStart(
      'linux',
      false,
      () => false,
      () => ['/dev/dri/renderD128'],
    ) ?? '',
    /libvulkan\.so\.1 is not installed/,
  );
});

test('a GPU device node, another platform or software allowed: Dawn may be asked', () => {
  assert.equal(
    webgpuCannotStart('linux', false, loader, () => ['/dev/dri/renderD128']),
    null,
  );
  assert.equal(
    webgpuCannotStart('linux', true, loader, () => []),
    null,
  );
  assert.equal(
    webgpuCannotStart(
      'darwin',
      false,
      () => false,
      () => [],
    ),
    null,
  );
});

test('render nodes, NVIDIA and WSL nodes count as GPU devices; card nodes and controls do not', () => {
  const dirs: Record<string, string[]> = {
    '/dev/dri': ['card0', 'renderD128', 'by-path'],
    '/dev': ['null', 'nvidia0', 'nvidiactl', 'nvidia-uvm', 'dxg', 'tty1'],
  };
  assert.deepEqual(
    linuxGpuDeviceNodes((dir) => dirs[dir] ?? []),
    ['/dev/dri/renderD128', '/dev/nvidia0', '/dev/dxg'],
  );
  assert.deepEqual(
    linuxGpuDeviceNodes(() => []),
    [],
  );
});
