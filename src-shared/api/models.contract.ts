import { z } from 'zod';
import { call } from './define';
import { ModelChoice } from './predictions.contract';

export const modelCalls = {
  'models.exportOnnx': call(
    z.object({ project: z.string().min(1), model: ModelChoice, path: z.string().min(1), overwrite: z.boolean().optional() }),
    z.object({ path: z.string(), bytes: z.number().int(), params: z.number().int() }),
    "Write a trained network as one ONNX graph (opset 13; NHWC input in [0, 1], joints / input size out) for other tools; an existing file is replaced only with overwrite.",
  ),
};
