// `deeppose export-model`: a trained network as one ONNX file for other tools ('models.exportOnnx').
import type { Command } from '../command';
import { requireString, UsageError } from '../command';
import { resolve } from 'node:path';
import { withStudio } from '../studio-client';

export const exportModelCommand: Command = {
  usage: [
    'deeppose export-model --model PATH [--overwrite] FILE.onnx',
    '',
    '  --model PATH  a model folder (model.json), a checkpoint folder, or a run folder (its final model, else its newest checkpoint)',
    '  FILE.onnx     where to write it; written whole or not at all',
    '  --overwrite   replace FILE.onnx if it exists (otherwise an existing file is refused)',
    '',
    'Each graph takes image: float32 [batch, side, side, 3], RGB in [0, 1], as cropped for training,',
    'and gives joints: float32 [batch, 2 × joints], x0, y0, x1, y1, … divided by the side.',
    'A cascade also writes FILE.stage-N.onnx per refinement stage; every export writes FILE.cascade.json, its crop',
    'rule, and FILE.cascade.py, a Python runner implementing it (numpy + OpenCV dnn or onnxruntime; README,',
    '"Running an exported model").',
  ].join('\n'),
  options: { model: { type: 'string' }, overwrite: { type: 'boolean' }, home: { type: 'string' } },
  async run(values, positionals) {
    if (positionals.length !== 1) throw new UsageError(`expected one FILE.onnx to write, got ${positionals.length}`);
    const model = resolve(requireString(values, 'model'));
    const written = await withStudio(values.home as string | undefined, (studio) =>
      studio.call('models.exportOnnx', {
        model: { modelFolder: model },
        path: resolve(positionals[0]),
        overwrite: values.overwrite === true,
      }),
    );
    console.log(
      `wrote ${written.files.join(', ')}: ${written.params.toLocaleString('en-US')} parameters, ${(written.bytes / 1e6).toFixed(1)} MB, from ${written.modelDir}`,
    );
    return 0;
  },
};
