// Loads one backend for real (binding or adapter, then a tiny kernel) and says what it found:
// run in a worker process, so the studio's own processes never load libtensorflow or Dawn.
import type { ProbeResult } from '../../../src-shared/training/protocol';
import { backendCandidates } from './candidates';

export async function probeBackend(name: string): Promise<ProbeResult> {
  const candidate = backendCandidates.find((c) => c.name === name);
  try {
    if (!candidate) throw new Error(`unknown backend '${name}'`);
    const loaded = await candidate.load();
    return { ok: true, devices: loaded?.devices ?? [] };
  } catch (error) {
    return { ok: false, reason: (error instanceof Error ? error.message : String(error)).split('\n')[0] };
  }
}
