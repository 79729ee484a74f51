// Follows one training run in a terminal: progress bar, validation lines, Ctrl-C stops the
// run cleanly (it writes a checkpoint first). Shared by `train` and `demo`. Everything comes
// through the contract: 'training.event' and 'task.updated' events, 'runs.get', 'training.stop'.
import type { StudioClient } from './studio-client';
import { ProgressDisplay } from './progress-display';
import type { RunEvent, RunSummary } from '../../src-shared/api/training.contract';
import { epochLabel, trainingConfigSchema, type TrainingConfig } from '../../src-shared/training/config';

/** `brief` (the demo) leaves out the backends not taken and each checkpoint's path: a first look needs neither. */
export async function followRun(
  studio: StudioClient,
  project: string,
  started: { runId: string; taskId: string },
  { brief = false } = {},
): Promise<RunSummary> {
  const display = new ProgressDisplay('train');
  const { run } = await studio.call('runs.get', { project, runId: started.runId });
  const config = trainingConfigSchema.parse(run.config);
  const unsubscribe = studio.on('training.event', ({ runId, event }) => {
    if (runId === started.runId) show(display, event, config, brief);
  });
  const onInterrupt = () => {
    display.log('stopping: finishing the step and writing a checkpoint (Ctrl-C again to abort)…');
    void studio.call('training.stop', { project, runId: started.runId }).catch(() => {});
    process.once('SIGINT', () => process.exit(130));
  };
  process.once('SIGINT', onInterrupt);
  try {
    await studio.settled(started.taskId);
  } finally {
    process.off('SIGINT', onInterrupt);
    unsubscribe();
    display.end();
  }
  return (await studio.call('runs.get', { project, runId: started.runId })).run;
}

function show(display: ProgressDisplay, event: RunEvent, config: TrainingConfig, brief: boolean): void {
  switch (event.type) {
    case 'started':
      display.log(
        `backend ${event.backend} · model ${event.model} (${event.params.toLocaleString('en')} parameters) · ${event.trainSize} train / ${event.valSize} val instances${event.resumedFrom ? ` · resumed from ${event.resumedFrom}` : ''}`,
      );
      for (const skipped of event.skipped) display.log(`skipped checkpoint: ${skipped}`);
      if (event.stepEngine) display.log(`  (training step: ${event.stepEngine})`);
      if (!brief)
        for (const note of event.backendNotes.filter((n) => !n.ok)) display.log(`  (${note.name}: ${note.reason})`);
      break;
    case 'progress':
      display.update(
        event.iteration,
        event.totalIterations,
        `${epochLabel(config, event.epoch)} · iter ${event.iteration} · loss ${event.loss.toFixed(5)} · ${event.imagesPerSecond.toFixed(1)} img/s`,
        event.etaSeconds,
      );
      break;
    case 'validation':
      display.log(
        `validation after ${epochLabel(config, event.epoch)}: loss ${event.loss.toFixed(5)}${event.pck !== null ? ` · PCK@0.2 ${(100 * event.pck).toFixed(1)}%` : ''}`,
      );
      break;
    case 'checkpoint':
      if (!brief) display.log(`checkpoint ${event.path}`);
      break;
    case 'failed':
      display.log(`failed: ${event.error}`);
      break;
    case 'stopped':
      display.log(`stopped after epoch ${event.epoch}${event.checkpoint ? `; checkpoint ${event.checkpoint}` : ''}`);
      break;
    default:
      break;
  }
}
