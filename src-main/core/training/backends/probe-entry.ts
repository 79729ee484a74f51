// A short-lived process that loads one backend for real (binding, adapter, tiny kernel) and
// reports to its parent: the main process lists backends without loading libtensorflow or Dawn.
import '../tf-production-mode';
import { backendCandidates } from './candidates';
import type { ProbeResult } from './probe-in-child';

const candidate = backendCandidates.find((c) => c.name === process.argv[2]);
let reply: ProbeResult;
try {
  if (!candidate) throw new Error(`unknown backend '${process.argv[2]}'`);
  const loaded = await candidate.load();
  reply = { ok: true, devices: loaded?.devices ?? [] };
} catch (error) {
  reply = { ok: false, reason: (error instanceof Error ? error.message : String(error)).split('\n')[0] };
}
// Dawn and libtensorflow keep threads alive: leave once the parent has the answer.
process.send!(reply, undefined, undefined, () => process.exit(0));
