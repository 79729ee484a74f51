// The messages between the host (main process) and the training worker. Both fork and
// Electron's utilityProcess carry these as structured clones. Each message is a zod schema,
// checked where it arrives (src-main/core/worker/checked-message.ts); the types derive from them.
import { z } from 'zod';
import { backendNames, trainingConfigSchema } from './config';
import { ConfidenceProxies } from '../domain/confidence';
import { SuggestRequest } from './suggest-protocol';
import { anyNumber, FailedEvent } from './message-parts';

const point = z.tuple([anyNumber, anyNumber]);
/** x, y and visibility 0 unlabeled / 1 occluded / 2 visible. */
const labeledPoint = z.tuple([anyNumber, anyNumber, anyNumber]);
/** [x, y, w, h] in image pixels. */
const box = z.tuple([anyNumber, anyNumber, anyNumber, anyNumber]);
const backendName = z.enum(backendNames);
const meanStd = z.object({ mean: anyNumber, std: anyNumber });

/** One training instance: joints in image pixels, visibility 0 unlabeled / 1 occluded / 2 visible. */
export const Example = z.object({
  imagePath: z.string(),
  joints: z.array(labeledPoint),
  /** When set the crop is centred on it instead of the joints. */
  box: box.nullable().optional(),
});
export type Example = z.infer<typeof Example>;

export const TrainRequest = z.object({
  type: z.literal('train'),
  config: trainingConfigSchema,
  dataset: z.object({ train: z.array(Example), val: z.array(Example) }),
  /** Folder the run owns: checkpoints/ and model/ are written inside it. */
  runDir: z.string(),
  /** A checkpoint folder, or a run folder (its newest valid checkpoint wins). */
  resumeFrom: z.string().optional(),
});
export type TrainRequest = z.infer<typeof TrainRequest>;

/** One crop to predict: an image, with the person's box when the catalog has one (else the whole image). */
export const PredictItem = z.object({ imagePath: z.string(), box: box.nullable().optional() });
export type PredictItem = z.infer<typeof PredictItem>;

/**
 * How prediction reads the hidden dense layers' weights: as trained, or as 8-bit codes
 * (onnx-cpu only: about a third faster at batch 1 on the reference AlexNet, predictions
 * move by a fraction of a pixel; README's Performance has the measurement).
 */
export const DENSE_WEIGHTS = ['float32', 'int8'] as const;
export type DenseWeights = (typeof DENSE_WEIGHTS)[number];

export const PredictRequest = z.object({
  type: z.literal('predict'),
  /** A TensorFlow.js layers model folder (model.json + weights). */
  modelDir: z.string(),
  items: z.array(PredictItem),
  backend: z.enum(['auto', ...backendNames]),
  /** Crop side around a box as a multiple of its longer side (the model's training cropScale). */
  cropScale: anyNumber,
  /**
   * Predict each picture's mirror image too, for the flip disagreement (about twice the
   * inference time); flipPairs are the model's left/right joint pairs. Null: off.
   */
  flipCheck: z
    .object({ flipPairs: z.array(point) })
    .nullable()
    .optional(),
  /** Default float32. */
  denseWeights: z.enum(DENSE_WEIGHTS).optional(),
});
export type PredictRequest = z.infer<typeof PredictRequest>;

/** Load one backend for real (binding, adapter, a tiny kernel) and answer with a 'probed' event. */
export const ProbeRequest = z.object({ type: z.literal('probe'), backend: z.string() });
export type ProbeRequest = z.infer<typeof ProbeRequest>;

export const ProbeResult = z.object({
  ok: z.boolean(),
  devices: z.array(z.string()).optional(),
  reason: z.string().optional(),
});
export type ProbeResult = z.infer<typeof ProbeResult>;

export const ProbeEvent = z.object({ type: z.literal('probed'), result: ProbeResult });
export type ProbeEvent = z.infer<typeof ProbeEvent>;

/** Times a few optimizer steps of a run's network on its first training examples: the speed a run estimate needs. */
export const CalibrateRequest = z.object({
  type: z.literal('calibrate'),
  config: trainingConfigSchema,
  /** Training examples to build the timed batches from (cycled when fewer than the batches need). */
  examples: z.array(Example),
});
export type CalibrateRequest = z.infer<typeof CalibrateRequest>;

/** A PyTorch run's final weights written as the studio's model folder: TensorFlow.js builds it, so it runs in a worker, never in the host. */
export const SaveTorchModelRequest = z.object({
  type: z.literal('save-torch-model'),
  weightsFolder: z.string(),
  modelDir: z.string(),
  config: trainingConfigSchema,
});
export type SaveTorchModelRequest = z.infer<typeof SaveTorchModelRequest>;

export const HostMessage = z.discriminatedUnion('type', [
  TrainRequest,
  PredictRequest,
  ProbeRequest,
  CalibrateRequest,
  SuggestRequest,
  SaveTorchModelRequest,
  z.object({ type: z.literal('stop') }),
]);
export type HostMessage = z.infer<typeof HostMessage>;

export const BackendAttempt = z.object({
  name: backendName,
  ok: z.boolean(),
  /** Why it was not used (missing package, failed to initialise, not chosen). */
  reason: z.string().optional(),
});
export type BackendAttempt = z.infer<typeof BackendAttempt>;

/** A validation image with the model's joints, for the dashboard to draw. */
export const ValidationSample = z.object({
  imagePath: z.string(),
  /** Predicted joints in image pixels. */
  joints: z.array(point),
  /** Labeled joints in image pixels, visibility 0 unlabeled / 1 occluded / 2 visible. */
  truth: z.array(labeledPoint),
});
export type ValidationSample = z.infer<typeof ValidationSample>;

export const MetricPoint = z.object({
  epoch: anyNumber,
  iteration: anyNumber,
  split: z.enum(['train', 'val']),
  loss: anyNumber,
  pck: anyNumber.nullable(),
  imagesPerSecond: anyNumber.nullable(),
});
export type MetricPoint = z.infer<typeof MetricPoint>;

// The training worker's events, one schema each: the public run event (training.contract.ts) is built from them.
export { FailedEvent };
export const StartedEvent = z.object({
  type: z.literal('started'),
  /** 'torch': the PyTorch engine trained it (stepEngine says on which device). */
  backend: z.enum([...backendNames, 'torch']),
  backendNotes: z.array(BackendAttempt),
  /** What runs each step: 'onnx-graph' (the whole step as one ONNX graph) or 'tfjs (why not the graph)'. */
  stepEngine: z.string().optional(),
  model: z.string(),
  trainSize: anyNumber,
  valSize: anyNumber,
  params: anyNumber,
  resumedFrom: z.string().nullable(),
  /** Checkpoints that were skipped on resume, each with the reason. */
  skipped: z.array(z.string()),
});

export const ProgressEvent = z.object({
  type: z.literal('progress'),
  /** Counted across cascade stages, like iterations. */
  epoch: anyNumber,
  iteration: anyNumber,
  itersPerEpoch: anyNumber,
  /** Iterations of the whole run, every stage included. */
  totalIterations: anyNumber,
  loss: anyNumber,
  lr: anyNumber,
  imagesPerSecond: anyNumber,
  etaSeconds: anyNumber.nullable(),
});

export const EpochEvent = z.object({
  type: z.literal('epoch'),
  epoch: anyNumber,
  iteration: anyNumber,
  loss: anyNumber,
  imagesPerSecond: anyNumber,
});

export const ValidationEvent = z.object({
  type: z.literal('validation'),
  epoch: anyNumber,
  iteration: anyNumber,
  loss: anyNumber,
  pck: anyNumber.nullable(),
  samples: z.array(ValidationSample),
  /** Every val example's joints (image pixels) after each cascade stage so far, stage 1 first: the host scores the full report. */
  stageJoints: z.array(z.array(z.array(point))).optional(),
});

export const CheckpointEvent = z.object({
  type: z.literal('checkpoint'),
  path: z.string(),
  epoch: anyNumber,
  iteration: anyNumber,
});

export const FinishedEvent = z.object({
  type: z.literal('finished'),
  epoch: anyNumber,
  iteration: anyNumber,
  modelDir: z.string(),
  checkpoint: z.string(),
  history: z.array(MetricPoint),
});

export const StoppedEvent = z.object({
  type: z.literal('stopped'),
  epoch: anyNumber,
  iteration: anyNumber,
  checkpoint: z.string().nullable(),
});

export const WorkerEvent = z.discriminatedUnion('type', [
  StartedEvent,
  ProgressEvent,
  EpochEvent,
  ValidationEvent,
  CheckpointEvent,
  FinishedEvent,
  FailedEvent,
  StoppedEvent,
]);
export type WorkerEvent = z.infer<typeof WorkerEvent>;

/** What the worker reports while predicting; it fails with the same 'failed' event as training. */
export const PredictionEvent = z.discriminatedUnion('type', [
  /** Joints of items[index] in image pixels; width × height is the image as displayed. */
  z.object({
    type: z.literal('prediction'),
    index: anyNumber,
    width: anyNumber,
    height: anyNumber,
    joints: z.array(point),
    /** The joints after each cascade stage, stage 1 first (the last equals `joints`). */
    stageJoints: z.array(z.array(point)),
    /** The mirror image's prediction in this picture's frame, when the flip check ran. */
    mirrored: z.array(point).nullable(),
    /** The confidence proxies (flip disagreement, last correction) of this prediction. */
    confidence: ConfidenceProxies,
    /** Forward passes of the prediction itself; the flip check's are in flipMs. */
    ms: anyNumber,
    flipMs: anyNumber.nullable(),
  }),
  z.object({ type: z.literal('predict-skipped'), index: anyNumber, reason: z.string() }),
  z.object({
    type: z.literal('predict-progress'),
    done: anyNumber,
    total: anyNumber,
    imagesPerSecond: anyNumber,
    backend: backendName,
  }),
  z.object({
    type: z.literal('predict-finished'),
    backend: backendName,
    backendNotes: z.array(BackendAttempt),
    predicted: anyNumber,
    /** Forward pass per image (batch of one, after a warm-up pass), as the reference timed it. */
    msPerImage: meanStd.nullable(),
    /** The flip check's forward passes per image, null when it was off. */
    flipMsPerImage: meanStd.nullable(),
    /** How the dense weights were really read: int8 only where asked and the backend reads them so (onnx-cpu). */
    denseWeights: z.enum(DENSE_WEIGHTS),
    /** True when the host asked to stop before every item was done. */
    stopped: z.boolean(),
  }),
  FailedEvent,
]);
export type PredictionEvent = z.infer<typeof PredictionEvent>;

export type WorkerEventType = WorkerEvent['type'];

/** What the worker reports while calibrating: seconds per step after a warm-up step, on the backend it picked. */
export const CalibrationEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('calibrated'), backend: backendName, secondsPerStep: anyNumber, steps: anyNumber }),
  FailedEvent,
]);
export type CalibrationEvent = z.infer<typeof CalibrationEvent>;

/** What the worker reports after a 'save-torch-model' request. */
export const SavedModelEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('model-saved'), modelDir: z.string() }),
  FailedEvent,
]);
export type SavedModelEvent = z.infer<typeof SavedModelEvent>;
