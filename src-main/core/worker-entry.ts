// The worker process: receives one training, prediction, speed-calibration or backend-probe
// request, runs it, streams its events back, and exits. Errors become a 'failed' event so the
// host always learns how the run ended.
import './training/tf-production-mode';
import {
  HostMessage,
  type CalibrationEvent,
  type PredictionEvent,
  type ProbeEvent,
  type SavedModelEvent,
  type TrainRequest,
  type WorkerEvent,
} from '../../src-shared/training/protocol';
import { runTraining, type TrainingControl } from './training/trainer';
import { adoptTorchCheckpoint } from './torch/adopt-torch-checkpoint';
import { resolve } from 'node:path';
import { runPrediction } from './inference/run-prediction';
import { runCalibration } from './training/speed-calibration';
import { probeBackend } from './backends/probe-backend';
import { runSuggestions } from './suggest/run-suggestions';
import { runSaveTorchModel } from './torch/torch-model';
import type { SuggestEvent } from '../../src-shared/training/suggest-protocol';
import { connectToHost } from './worker/worker-port';
import { checkMessage } from './worker/checked-message';

const port = connectToHost<
  unknown,
  WorkerEvent | PredictionEvent | CalibrationEvent | ProbeEvent | SuggestEvent | SavedModelEvent
>();
/** What every job gets: a way to stream its events, and whether a stop was asked. */
type JobIo = {
  emit: (event: WorkerEvent | PredictionEvent | CalibrationEvent | SuggestEvent | SavedModelEvent) => void;
  stopRequested: () => boolean;
};
/** The jobs a worker runs to the end, one per process. */
const jobs = {
  // A resume of the whole run starts from its newest checkpoint of either engine.
  train: async (request: TrainRequest, io: TrainingControl) => {
    if (request.resumeFrom && resolve(request.resumeFrom) === resolve(request.runDir))
      await adoptTorchCheckpoint(request.runDir);
    return runTraining(request, io);
  },
  calibrate: runCalibration,
  predict: runPrediction,
  suggest: runSuggestions,
  'save-torch-model': runSaveTorchModel,
} as const;
let stopRequested = false;
let busy = false;

port.onMessage((received) => {
  const checked = checkMessage(HostMessage, received, 'the host');
  if (!checked.ok) {
    // A request it cannot read fails the job it asked for; during a job, the job goes on.
    if (busy) return;
    busy = true;
    port.send({ type: 'failed', error: checked.error });
    // Not from inside the message's own dispatch: Node's IPC still touches the channel after it.
    return void setImmediate(finish);
  }
  const message = checked.message;
  if (message.type === 'stop') {
    stopRequested = true;
    if (!busy) finish();
    return;
  }
  if (message.type === 'probe') {
    // The host ends the process once it has the answer (a loaded GPU library keeps threads alive).
    if (busy) return port.send({ type: 'probed', result: { ok: false, reason: 'this worker is busy' } });
    busy = true;
    void probeBackend(message.backend).then((result) => port.send({ type: 'probed', result }));
    return;
  }
  const job = jobs[message.type];
  if (!job) return;
  if (busy) return port.send({ type: 'failed', error: 'this worker is already busy' });
  busy = true;
  (job as (request: typeof message, io: JobIo) => Promise<unknown>)(message, {
    emit: (event) => port.send(event),
    stopRequested: () => stopRequested,
  })
    .catch((error: unknown) =>
      port.send({ type: 'failed', error: error instanceof Error ? error.message : String(error) }),
    )
    .finally(finish);
});

/** Lets queued messages reach the host, then ends the process. */
function finish(): void {
  if (process.connected) process.disconnect();
  else setTimeout(() => process.exit(0), 200);
}
