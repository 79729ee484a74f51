// A run trained by the PyTorch engine, as the run service sees any run: the same TrainingHandle
// and the same WorkerEvents. It writes the run's bundle into the run folder, starts python (or
// torchrun for several processes) on it, turns each checked JSON line into the event the CPU
// engines send, and on finishing converts the weights into the run's model folder. Stop writes
// the engine's stop file: every rank ends at the next step and rank 0 writes a checkpoint.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { trainingConfigSchema } from '../../../src-shared/training/config';
import type { MetricPoint, TrainRequest, WorkerEvent } from '../../../src-shared/training/protocol';
import type { EndEvent, TrainingHandle } from '../runs/training-host';
import { BUNDLE_MANIFEST, writeRunBundle } from './run-bundle';
import { findResumePoint, readProgress } from '../pose/checkpoint-folder';
import { parseTorchLine, type TorchEvent } from './torch-events';
import { checkTorch, engineEnv, localCommand, trainArgs, type TorchOptions } from './torch-launch';
import type { SaveTorchModel } from './save-model-job';

const STDERR_LINES_KEPT = 20;

/** The newest of the engine's checkpoint folders in a run folder (torch-checkpoints/iteration-N), or null. */
export function newestTorchCheckpoint(runDir: string): string | null {
  const dir = join(runDir, 'torch-checkpoints');
  if (!existsSync(dir)) return null;
  const names = readdirSync(dir)
    .filter((n) => /^iteration-\d+$/.test(n) && existsSync(join(dir, n, 'progress.json')))
    .sort();
  return names.length ? join(dir, names[names.length - 1]) : null;
}

/** The run's newest intact checkpoint of a CPU engine, or null. */
export function newestStudioCheckpoint(runDir: string): { dir: string; iteration: number } | null {
  try {
    const point = findResumePoint(runDir);
    return { dir: point.dir, iteration: readProgress(point.dir).iteration };
  } catch {
    return null;
  }
}

/**
 * Where a resume starts: a checkpoint folder named by the caller, else the run's newest resume
 * point of either engine — the engine's own (torch-checkpoints/) or a CPU engine's (checkpoints/),
 * which share a layout the engine reads (deeppose_torch/studio_files.py): a run goes on across engines.
 */
export function torchResumePoint(runDir: string, resumeFrom: string): string | null {
  if (existsSync(join(resumeFrom, 'progress.json'))) return resumeFrom;
  const own = newestTorchCheckpoint(runDir);
  const ownIteration = own ? Number(/iteration-(\d+)$/.exec(own)?.[1] ?? -1) : -1;
  const studio = newestStudioCheckpoint(runDir);
  return studio && studio.iteration > ownIteration ? studio.dir : own;
}

/** `saveModel` writes the final weights as the run's model folder (a worker job: see save-model-job.ts). */
export function startTorchTraining(
  request: Omit<TrainRequest, 'type'>,
  options: TorchOptions,
  saveModel: SaveTorchModel,
  onEvent: (event: WorkerEvent) => void,
): TrainingHandle {
  const stopFile = join(request.runDir, 'STOP');
  let child: ChildProcess | null = null;
  let stopAsked = false;
  const config = trainingConfigSchema.parse(request.config);
  const history: MetricPoint[] = [];
  const stderrTail: string[] = [];

  const translate = async (event: TorchEvent): Promise<WorkerEvent | EndEvent> => {
    switch (event.type) {
      case 'started':
        return {
          type: 'started',
          backend: 'torch',
          backendNotes: [],
          stepEngine: `PyTorch ${event.torch} on ${event.device}${event.worldSize > 1 ? ' (DistributedDataParallel)' : ''}`,
          model: event.model,
          trainSize: event.trainSize,
          valSize: event.valSize,
          params: event.params,
          resumedFrom: null,
          skipped: event.resumedFrom ? [`resumed from the checkpoint ${event.resumedFrom}`] : [],
        };
      case 'progress': {
        const { device: _device, ...rest } = event;
        return rest;
      }
      case 'epoch':
        history.push({
          epoch: event.epoch,
          iteration: event.iteration,
          split: 'train',
          loss: event.loss,
          pck: null,
          imagesPerSecond: event.imagesPerSecond,
        });
        return event;
      case 'validation': {
        history.push({
          epoch: event.epoch,
          iteration: event.iteration,
          split: 'val',
          loss: event.loss,
          pck: event.pck,
          imagesPerSecond: null,
        });
        const samples = event.samples
          .filter((s) => s.index < request.dataset.val.length)
          .map((s) => ({
            imagePath: request.dataset.val[s.index].imagePath,
            joints: s.joints,
            truth: request.dataset.val[s.index].joints,
          }));
        return { ...event, samples };
      }
      case 'checkpoint':
        return event;
      case 'finished': {
        const modelDir = join(request.runDir, 'model');
        await saveModel({ weightsFolder: event.weights, modelDir, config });
        return {
          type: 'finished',
          epoch: event.epoch,
          iteration: event.iteration,
          modelDir,
          checkpoint: event.checkpoint ?? '',
          history,
        };
      }
      case 'stopped':
      case 'failed':
        return event;
    }
  };

  const done = (async (): Promise<EndEvent> => {
    let end: EndEvent | null = null;
    const finish = (event: EndEvent) => {
      end ??= event;
      onEvent(event);
      return end;
    };
    try {
      rmSync(stopFile, { force: true });
      const python = options.python ?? 'python3';
      await checkTorch(python);
      const bundleDir = join(request.runDir, 'bundle');
      if (!existsSync(join(bundleDir, BUNDLE_MANIFEST))) {
        rmSync(bundleDir, { recursive: true, force: true });
        await writeRunBundle(bundleDir, config, request.dataset);
      }
      if (stopAsked) return finish({ type: 'stopped', epoch: 0, iteration: 0, checkpoint: null });
      const resume = request.resumeFrom ? torchResumePoint(request.runDir, request.resumeFrom) : null;
      const { command, args } = localCommand(
        python,
        options.nproc ?? 1,
        trainArgs(bundleDir, request.runDir, [
          ...(resume ? ['--resume', resume] : []),
          ...(options.stopAt ? ['--stop-at', String(options.stopAt)] : []),
        ]),
      );
      const proc = spawn(command, args, { env: engineEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
      child = proc;
      if (stopAsked) writeFileSync(stopFile, '');
      createInterface({ input: proc.stderr! }).on('line', (line) => {
        stderrTail.push(line);
        if (stderrTail.length > STDERR_LINES_KEPT) stderrTail.shift();
      });
      // Events are handled one after the other (the finished one converts the model first).
      let chain = Promise.resolve();
      createInterface({ input: proc.stdout! }).on('line', (line) => {
        const event = parseTorchLine(line);
        if (!event) return;
        chain = chain.then(async () => {
          if (end) return;
          // A failure here (the model folder cannot be written) ends the run, never the process.
          const translated = await translate(event).catch((error: unknown): EndEvent => ({
            type: 'failed',
            error: (error as Error).message,
          }));
          if (translated.type === 'finished' || translated.type === 'stopped' || translated.type === 'failed')
            finish(translated);
          else onEvent(translated);
        });
      });
      const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
        proc.on('error', reject);
        proc.on('close', (code, signal) => resolve({ code, signal }));
      });
      await chain;
      if (end) return end;
      const why = stderrTail
        .filter((l) => l.trim())
        .slice(-3)
        .join(' | ');
      return finish({
        type: 'failed',
        error: `the PyTorch engine exited without finishing (${exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`})${why ? `: ${why}` : ''}`,
      });
    } catch (error) {
      return finish({ type: 'failed', error: (error as Error).message });
    } finally {
      rmSync(stopFile, { force: true });
    }
  })();

  return {
    stop() {
      stopAsked = true;
      if (child) writeFileSync(stopFile, '');
    },
    kill(signal) {
      child?.kill(signal);
    },
    get pid() {
      return child?.pid;
    },
    done,
  };
}
