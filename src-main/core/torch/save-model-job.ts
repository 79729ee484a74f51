// The host's side of converting a PyTorch run's weights into the studio's model folder: the
// conversion builds the network in TensorFlow.js, so it runs as a worker job (the host process
// never loads TensorFlow.js; test/integration/build-output.test.ts holds it to that).
import { SavedModelEvent, type SaveTorchModelRequest } from '../../../src-shared/training/protocol';
import type { WorkerLauncher } from '../worker/worker-launcher';
import { startWorkerJob } from '../worker/worker-job';

/** A function writing a model folder from a PyTorch weights folder; rejects with the worker's reason. */
export type SaveTorchModel = (request: Omit<SaveTorchModelRequest, 'type'>) => Promise<void>;

export function saveTorchModelWith(launcher: WorkerLauncher): SaveTorchModel {
  return async (request) => {
    const isEnd = (event: SavedModelEvent): event is SavedModelEvent =>
      event.type === 'model-saved' || event.type === 'failed';
    const { done } = startWorkerJob(
      launcher,
      { type: 'save-torch-model', ...request },
      SavedModelEvent,
      isEnd,
      () => undefined,
      'model conversion',
    );
    const end = await done;
    if (end.type === 'failed')
      throw new Error(`${request.weightsFolder}: the weights could not be written as a model folder (${end.error})`);
  };
}
