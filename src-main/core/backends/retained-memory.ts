// Large tensors are allocated and freed on every training step. glibc hands allocations
// above 32 MB straight back to the kernel (munmap) and trims the heap top, so each step
// re-faults hundreds of MB of fresh pages; in this VM first-touch faults run at ~100 MB/s
// and dominated a training step (1.3 s to allocate-and-fill one 150 MB weight gradient,
// 0.1 s with memory retained). These glibc tunables keep freed memory in the process.
// They only take effect at process start, so whoever spawns the training process passes
// this environment (see `withRetainedMemory`).
export const RETAINED_MEMORY_TUNABLES = 'glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=1099511627776';

/** True when this process was started with the tunables above. */
export function memoryIsRetained(env: NodeJS.ProcessEnv = process.env): boolean {
  return (env.GLIBC_TUNABLES ?? '').includes('glibc.malloc.mmap_max=0');
}

/** `env` plus the tunables, for spawning a training or benchmark process. */
export function withRetainedMemory(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  if (memoryIsRetained(env)) return env;
  const existing = env.GLIBC_TUNABLES ? `${env.GLIBC_TUNABLES}:` : '';
  return { ...env, GLIBC_TUNABLES: `${existing}${RETAINED_MEMORY_TUNABLES}` };
}
