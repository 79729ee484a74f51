// Picks the backend a run uses and records why the better ones were not.
import type { BackendName } from '../../../src-shared/training/config';
import type { BackendAttempt } from '../../../src-shared/training/protocol';
import { backendCandidates } from './candidates';

export interface BackendChoice {
  name: BackendName;
  attempts: BackendAttempt[];
  /** The devices it runs on, where the backend says (GPUs). */
  devices: string[];
}

/** 'auto' takes the first candidate that loads; a name forces that one (and fails if it cannot load). */
export async function selectBackend(wanted: BackendName | 'auto'): Promise<BackendChoice> {
  if (wanted !== 'auto' && !backendCandidates.some((c) => c.name === wanted)) {
    throw new Error(
      `backend '${wanted}' is not available in this build (known: ${backendCandidates.map((c) => c.name).join(', ')})`,
    );
  }
  const attempts: BackendAttempt[] = [];
  for (const candidate of backendCandidates) {
    if (wanted !== 'auto' && candidate.name !== wanted) {
      attempts.push({ name: candidate.name, ok: false, reason: `not chosen (backend '${wanted}' was forced)` });
      continue;
    }
    try {
      const loaded = await candidate.load();
      attempts.push({ name: candidate.name, ok: true });
      return { name: candidate.name, attempts, devices: loaded?.devices ?? [] };
    } catch (error) {
      attempts.push({ name: candidate.name, ok: false, reason: firstLine(error) });
    }
  }
  const tried = attempts.filter((a) => !a.reason?.startsWith('not chosen')).map((a) => `${a.name}: ${a.reason}`);
  throw new Error(
    wanted === 'auto'
      ? `no backend could start (${tried.join('; ')})`
      : `backend '${wanted}' is not available (${tried.join('; ')})`,
  );
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0];
}
