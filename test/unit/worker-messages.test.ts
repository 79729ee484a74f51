// A worker message is checked where it arrives: a malformed one fails its job with one line naming
// the message type and the field; the public run event drops only what the host alone needs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkMessage } from '../../src-main/core/worker/checked-message';
import { startWorkerJob } from '../../src-main/core/worker/worker-job';
import { toRunEvent } from '../../src-main/core/runs/run-service';
import type { WorkerChannel, WorkerLauncher } from '../../src-main/core/worker/worker-launcher';
import { HostMessage, PredictionEvent, WorkerEvent } from '../../src-shared/training/protocol';
import { SuggestEvent } from '../../src-shared/training/suggest-protocol';
import { RunEvent } from '../../src-shared/api/training.contract';

const progress = {
  type: 'progress',
  epoch: 1,
  iteration: 3,
  itersPerEpoch: 2,
  totalIterations: 8,
  loss: 0.5,
  lr: 0.01,
  imagesPerSecond: 40,
  etaSeconds: null,
};

test('a message with a field of the wrong type is refused with one line naming the type and the field', () => {
  const checked = checkMessage(WorkerEvent, { ...progress, loss: '0.5' }, 'the training worker');
  assert.deepEqual(checked, {
    ok: false,
    error: "the training worker sent an invalid 'progress' message: loss: expected number, received string",
  });
  const nested = checkMessage(
    PredictionEvent,
    {
      type: 'predict-finished',
      backend: 'cpu',
      backendNotes: [{ name: 'cpu', ok: 'yes' }],
      predicted: 1,
      msPerImage: null,
      flipMsPerImage: null,
      denseWeights: 'float32',
      stopped: false,
    },
    'the prediction worker',
  );
  assert.deepEqual(nested, {
    ok: false,
    error:
      "the prediction worker sent an invalid 'predict-finished' message: backendNotes[0].ok: expected boolean, received string",
  });
});

test('a message of an unknown type, or with no type, is refused with one line', () => {
  assert.deepEqual(checkMessage(SuggestEvent, { type: 'progress', done: 1 }, 'the suggest worker'), {
    ok: false,
    error: "the suggest worker sent a message of unknown type 'progress'",
  });
  const untyped = checkMessage(WorkerEvent, 'hello', 'the training worker');
  assert.ok(
    !untyped.ok && untyped.error.startsWith('the training worker sent a message without a type'),
    JSON.stringify(untyped),
  );
  assert.ok(!checkMessage(HostMessage, { type: 'train', config: {}, runDir: 'x' }, 'the host').ok);
});

test('numbers a worker may honestly send (NaN, Infinity) pass, and the message is kept as sent', () => {
  const odd = { ...progress, loss: Number.NaN, imagesPerSecond: Number.POSITIVE_INFINITY };
  assert.deepEqual(checkMessage(WorkerEvent, odd, 'the training worker'), { ok: true, message: odd });
});

/** A worker channel the test speaks for: `say` delivers a message as the worker would. */
function fakeWorker() {
  const listeners: {
    message: ((m: unknown) => void)[];
    exit: ((code: number | null, signal: string | null) => void)[];
  } = { message: [], exit: [] };
  const sent: unknown[] = [];
  const kills: (string | undefined)[] = [];
  const channel: WorkerChannel = {
    pid: 1,
    send: (m) => void sent.push(m),
    onMessage: (l) => void listeners.message.push(l),
    onExit: (l) => void listeners.exit.push(l),
    kill: (signal) => {
      kills.push(signal);
      for (const l of listeners.exit) l(null, signal ?? 'SIGTERM');
    },
  };
  const launcher: WorkerLauncher = () => channel;
  return { launcher, sent, kills, say: (m: unknown) => listeners.message.forEach((l) => l(m)) };
}

test('a job whose worker sends a malformed message fails with that line, once, and its worker is ended', async () => {
  const worker = fakeWorker();
  const seen: unknown[] = [];
  const isEnd = (e: WorkerEvent): e is Extract<WorkerEvent, { type: 'finished' | 'failed' }> =>
    e.type === 'finished' || e.type === 'failed';
  const { done } = startWorkerJob(
    worker.launcher,
    { type: 'stop' },
    WorkerEvent,
    isEnd,
    (e) => seen.push(e),
    'training',
  );
  worker.say(progress);
  worker.say({ ...progress, iteration: 'four' });
  worker.say(progress);
  const end = await done;
  const line = "the training worker sent an invalid 'progress' message: iteration: expected number, received string";
  assert.deepEqual(end, { type: 'failed', error: line });
  assert.deepEqual(seen, [progress, { type: 'failed', error: line }], 'nothing after the refusal is forwarded');
  assert.equal(worker.kills.length, 1);
});

test("the public run event leaves a validation's stageJoints with the host and passes its schema", () => {
  const validation: WorkerEvent = {
    type: 'validation',
    epoch: 1,
    iteration: 2,
    loss: 0.1,
    pck: 0.5,
    samples: [{ imagePath: 'a.png', joints: [[1, 2]], truth: [[1, 2, 2]] }],
    stageJoints: [[[[1, 2]]]],
  };
  const shown = toRunEvent(validation);
  assert.ok(!('stageJoints' in shown));
  assert.deepEqual(RunEvent.parse(shown), { ...shown });
  assert.equal(toRunEvent(progress as WorkerEvent), progress);
});
