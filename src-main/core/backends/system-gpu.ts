// What the machine offers a GPU backend before any of them loads: NVIDIA GPUs the driver
// lists, and shared libraries the dynamic loader would find (CUDA, cuDNN, the Vulkan loader).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const STANDARD_LIBRARY_DIRS = [
  '/lib',
  '/usr/lib',
  '/lib64',
  '/usr/lib64',
  '/usr/lib/x86_64-linux-gnu',
  '/lib/x86_64-linux-gnu',
  '/usr/local/lib',
  '/usr/local/cuda/lib64',
];

let ldconfigCache: string | null = null;

function ldconfigListing(): string {
  if (ldconfigCache === null) {
    const run = (cmd: string) => spawnSync(cmd, ['-p'], { encoding: 'utf8', timeout: 5000 });
    const result = [run('ldconfig'), run('/sbin/ldconfig')].find((r) => r.status === 0);
    ldconfigCache = result?.stdout ?? '';
  }
  return ldconfigCache;
}

/** Where the dynamic loader would find `name` (LD_LIBRARY_PATH, its cache, standard folders), or null. */
export function findSharedLibrary(name: string): string | null {
  const fromEnv = (process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean);
  for (const dir of fromEnv) if (existsSync(join(dir, name))) return join(dir, name);
  const cached = ldconfigListing()
    .split('\n')
    .find((line) => line.trim().startsWith(`${name} `));
  if (cached) return cached.split('=>').pop()!.trim();
  for (const dir of STANDARD_LIBRARY_DIRS) if (existsSync(join(dir, name))) return join(dir, name);
  return null;
}

/** The NVIDIA GPUs the driver lists, by name ('NVIDIA H200'); empty without a driver. */
export function nvidiaGpus(): string[] {
  const smi = spawnSync('nvidia-smi', ['-L'], { encoding: 'utf8', timeout: 10_000 });
  if (smi.status === 0) {
    const names = smi.stdout.split('\n').flatMap((line) => /^GPU \d+: (.+?)(?: \(UUID|$)/.exec(line.trim())?.[1] ?? []);
    if (names.length) return names;
  }
  const dir = '/proc/driver/nvidia/gpus';
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((bus) => {
    try {
      return /^Model:\s*(.+)$/m.exec(readFileSync(join(dir, bus, 'information'), 'utf8'))?.[1].trim() ?? [];
    } catch {
      return [];
    }
  });
}

/**
 * The device nodes a Linux process reaches a GPU through: DRM render nodes (Mesa, AMD, Intel,
 * NVIDIA's open driver), NVIDIA's own nodes, WSL's /dev/dxg. Without any, a Vulkan driver can
 * only be a software one (lavapipe, SwiftShader).
 */
export function linuxGpuDeviceNodes(list: (dir: string) => string[] = listOrEmpty): string[] {
  return [
    ...list('/dev/dri').flatMap((name) => (/^renderD\d+$/.test(name) ? [`/dev/dri/${name}`] : [])),
    ...list('/dev').flatMap((name) => (/^nvidia\d+$|^dxg$/.test(name) ? [`/dev/${name}`] : [])),
  ];
}

function listOrEmpty(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
