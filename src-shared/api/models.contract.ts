import { z } from 'zod';
import { call } from './define';
import { outputPath, projectPath } from './paths';
import { ModelChoice } from './predictions.contract';

export const modelCalls = {
  'models.exportOnnx': call(
    z.object({
      /** Needed to name a model by run; a model folder stands on its own. */
      project: projectPath().optional(),
      model: ModelChoice,
      path: outputPath('ONNX file'),
      overwrite: z.boolean().optional(),
    }),
    z.object({
      path: z.string(),
      bytes: z.number().int(),
      params: z.number().int(),
      files: z.array(z.string()),
      /** The model folder the files came from (a run's final model, or its newest checkpoint). */
      modelDir: z.string(),
    }),
    'Write a trained network as ONNX (opset 13; NHWC input in [0, 1], joints / input size out) for other tools: one graph per cascade stage (FILE.onnx, FILE.stage-N.onnx) and FILE.cascade.json with the crop rule; existing files are replaced only with overwrite.',
  ),
};
