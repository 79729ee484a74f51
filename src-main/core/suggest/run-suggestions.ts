// The worker's suggest job: loads the pretrained model on the fastest backend that starts
// (wasm, else cpu), suggests image by image, and stops between images when asked.
import * as tf from '@tensorflow/tfjs';
import type { SuggestBackend, SuggestEvent, SuggestRequest } from '../../../src-shared/training/suggest-protocol';
import { loadWasmBackend } from '../backends/wasm';
import { poseModelsDir } from './pose-model-package';
import { createBuiltInSuggester } from './suggester';

async function startBackend(wanted: SuggestBackend | 'auto'): Promise<SuggestBackend> {
  if (wanted !== 'cpu') {
    try {
      await loadWasmBackend();
      return 'wasm';
    } catch (error) {
      if (wanted === 'wasm') throw error;
    }
  }
  if (!(await tf.setBackend('cpu'))) throw new Error('the cpu backend did not initialise');
  return 'cpu';
}

export async function runSuggestions(
  request: SuggestRequest,
  io: { emit: (event: SuggestEvent) => void; stopRequested: () => boolean },
): Promise<void> {
  const modelsDir = poseModelsDir(request.modelsDir);
  const backend = await startBackend(request.backend);
  const loadStart = performance.now();
  const suggester = await createBuiltInSuggester({
    modelsDir,
    threshold: request.threshold,
    personThreshold: request.personThreshold,
  });
  io.emit({ type: 'suggest-started', backend, loadMs: performance.now() - loadStart });
  const times: number[] = [];
  let done = 0;
  let suggested = 0;
  try {
    for (const [index, imagePath] of request.imagePaths.entries()) {
      if (io.stopRequested()) break;
      const start = performance.now();
      try {
        const found = await suggester.suggest(imagePath);
        const ms = performance.now() - start;
        // The first image also compiles the kernels: leave it out of the timing, as predict does.
        if (index > 0 || request.imagePaths.length === 1) times.push(ms);
        suggested++;
        io.emit({ type: 'suggestion', index, ...found, ms });
      } catch (error) {
        io.emit({ type: 'suggest-skipped', index, reason: error instanceof Error ? error.message : String(error) });
      }
      io.emit({ type: 'suggest-progress', done: ++done, total: request.imagePaths.length });
    }
  } finally {
    suggester.dispose();
  }
  const mean = times.reduce((a, b) => a + b, 0) / Math.max(1, times.length);
  const std = Math.sqrt(times.reduce((a, t) => a + (t - mean) ** 2, 0) / Math.max(1, times.length));
  io.emit({
    type: 'suggest-finished',
    backend,
    suggested,
    msPerImage: times.length ? { mean, std } : null,
    stopped: done < request.imagePaths.length,
  });
}
