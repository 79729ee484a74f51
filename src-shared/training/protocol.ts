// The messages between the host (main process) and the training worker. Both fork and
// Electron's utilityProcess carry these as structured clones.
import type { BackendName, TrainingConfig } from './config';
import type { ConfidenceProxies } from '../domain/confidence';
import type { SuggestRequest } from './suggest-protocol';

/** One training instance: joints in image pixels, visibility 0 unlabeled / 1 occluded / 2 visible. */
export interface Example {
  imagePath: string;
  joints: [number, number, number][];
  /** [x, y, w, h] in image pixels; when set the crop is centred on it instead of the joints. */
  box?: [number, number, number, number] | null;
}

export interface TrainRequest {
  type: 'train';
  config: TrainingConfig;
  dataset: { train: Example[]; val: Example[] };
  /** Folder the run owns: checkpoints/ and model/ are written inside it. */
  runDir: string;
  /** A checkpoint folder, or a run folder (its newest valid checkpoint wins). */
  resumeFrom?: string;
}

/** One crop to predict: an image, with the person's box when the catalog has one (else the whole image). */
export interface PredictItem {
  imagePath: string;
  box?: [number, number, number, number] | null;
}

/**
 * How prediction reads the hidden dense layers' weights: as trained, or as 8-bit codes
 * (onnx-cpu only: about a third faster at batch 1 on the reference AlexNet, predictions
 * move by a fraction of a pixel; README's Performance has the measurement).
 */
export const DENSE_WEIGHTS = ['float32', 'int8'] as const;
export type DenseWeights = (typeof DENSE_WEIGHTS)[number];

export interface PredictRequest {
  type: 'predict';
  /** A TensorFlow.js layers model folder (model.json + weights). */
  modelDir: string;
  items: PredictItem[];
  backend: BackendName | 'auto';
  /** Crop side around a box as a multiple of its longer side (the model's training cropScale). */
  cropScale: number;
  /**
   * Predict each picture's mirror image too, for the flip disagreement (about twice the
   * inference time); flipPairs are the model's left/right joint pairs. Null: off.
   */
  flipCheck?: { flipPairs: [number, number][] } | null;
  /** Default float32. */
  denseWeights?: DenseWeights;
}

/** Load one backend for real (binding, adapter, a tiny kernel) and answer with a 'probed' event. */
export interface ProbeRequest {
  type: 'probe';
  backend: string;
}

export interface ProbeResult {
  ok: boolean;
  devices?: string[];
  reason?: string;
}

export type ProbeEvent = { type: 'probed'; result: ProbeResult };

/** Times a few optimizer steps of a run's network on its first training examples: the speed a run estimate needs. */
export interface CalibrateRequest {
  type: 'calibrate';
  config: TrainingConfig;
  /** Training examples to build the timed batches from (cycled when fewer than the batches need). */
  examples: Example[];
}

export type HostMessage = TrainRequest | PredictRequest | ProbeRequest | CalibrateRequest | SuggestRequest | { type: 'stop' };

export interface BackendAttempt {
  name: BackendName;
  ok: boolean;
  /** Why it was not used (missing package, failed to initialise, not chosen). */
  reason?: string;
}

/** A validation image with the model's joints, for the dashboard to draw. */
export interface ValidationSample {
  imagePath: string;
  /** Predicted joints in image pixels. */
  joints: [number, number][];
  /** Labeled joints in image pixels, visibility 0 unlabeled / 1 occluded / 2 visible. */
  truth: [number, number, number][];
}

export interface MetricPoint {
  epoch: number;
  iteration: number;
  split: 'train' | 'val';
  loss: number;
  pck: number | null;
  imagesPerSecond: number | null;
}

export type WorkerEvent =
  | {
      type: 'started';
      /** 'torch': the PyTorch engine trained it (stepEngine says on which device). */
      backend: BackendName | 'torch';
      backendNotes: BackendAttempt[];
      /** What runs each step: 'onnx-graph' (the whole step as one ONNX graph) or 'tfjs (why not the graph)'. */
      stepEngine?: string;
      model: string;
      trainSize: number;
      valSize: number;
      params: number;
      resumedFrom: string | null;
      /** Checkpoints that were skipped on resume, each with the reason. */
      skipped: string[];
    }
  | {
      type: 'progress';
      /** Counted across cascade stages, like iterations. */
      epoch: number;
      iteration: number;
      itersPerEpoch: number;
      /** Iterations of the whole run, every stage included. */
      totalIterations: number;
      loss: number;
      lr: number;
      imagesPerSecond: number;
      etaSeconds: number | null;
    }
  | { type: 'epoch'; epoch: number; iteration: number; loss: number; imagesPerSecond: number }
  | {
      type: 'validation';
      epoch: number;
      iteration: number;
      loss: number;
      pck: number | null;
      samples: ValidationSample[];
      /** Every val example's joints (image pixels) after each cascade stage so far, stage 1 first: the host scores the full report. */
      stageJoints?: [number, number][][][];
    }
  | { type: 'checkpoint'; path: string; epoch: number; iteration: number }
  | { type: 'finished'; epoch: number; iteration: number; modelDir: string; checkpoint: string; history: MetricPoint[] }
  | { type: 'failed'; error: string }
  | { type: 'stopped'; epoch: number; iteration: number; checkpoint: string | null };

/** What the worker reports while predicting; it fails with the same 'failed' event as training. */
export type PredictionEvent =
  /** Joints of items[index] in image pixels; width × height is the image as displayed. */
  | {
      type: 'prediction';
      index: number;
      width: number;
      height: number;
      joints: [number, number][];
      /** The joints after each cascade stage, stage 1 first (the last equals `joints`). */
      stageJoints: [number, number][][];
      /** The mirror image's prediction in this picture's frame, when the flip check ran. */
      mirrored: [number, number][] | null;
      /** The confidence proxies (flip disagreement, last correction) of this prediction. */
      confidence: ConfidenceProxies;
      /** Forward passes of the prediction itself; the flip check's are in flipMs. */
      ms: number;
      flipMs: number | null;
    }
  | { type: 'predict-skipped'; index: number; reason: string }
  | { type: 'predict-progress'; done: number; total: number; imagesPerSecond: number; backend: BackendName }
  | {
      type: 'predict-finished';
      backend: BackendName;
      backendNotes: BackendAttempt[];
      predicted: number;
      /** Forward pass per image (batch of one, after a warm-up pass), as the reference timed it. */
      msPerImage: { mean: number; std: number } | null;
      /** The flip check's forward passes per image, null when it was off. */
      flipMsPerImage: { mean: number; std: number } | null;
      /** How the dense weights were really read: int8 only where asked and the backend reads them so (onnx-cpu). */
      denseWeights: DenseWeights;
      /** True when the host asked to stop before every item was done. */
      stopped: boolean;
    }
  | Extract<WorkerEvent, { type: 'failed' }>;

export type WorkerEventType = WorkerEvent['type'];

/** What the worker reports while calibrating: seconds per step after a warm-up step, on the backend it picked. */
export type CalibrationEvent = { type: 'calibrated'; backend: BackendName; secondsPerStep: number; steps: number } | Extract<WorkerEvent, { type: 'failed' }>;
