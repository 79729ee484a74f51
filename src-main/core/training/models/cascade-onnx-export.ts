// A trained cascade as ONNX files another program can run: one graph per stage (FILE.onnx is
// stage 1, FILE.stage-N.onnx the refinement stages), FILE.cascade.json with the crop rule that
// places each stage's input, and FILE.cascade.py, a runner implementing it. README's "Running an
// exported model" states the rule.
import { basename, dirname, join } from 'node:path';
import { StudioError } from '../../../../src-shared/api/define';
import type { StageKind } from '../../../../src-shared/training/config';
import { writeFileAtomic } from '../../files/durable-write';
import { checkWriteTarget, type WriteTargetOptions } from '../../files/path-policy';
import { baseSize } from '../../pose/architectures';
import { readCascade } from '../../pose/cascade-files';
import { writeOnnxExport } from '../../onnx/regressor-export';
import { CASCADE_RUNNER_PY } from './cascade-runner-py';

export interface CascadeOnnxDescription {
  /** v2: squares are not rounded and the crop is one affine warp (README); v1 rounded them and resized with libvips. */
  format: 'deeppose-cascade-onnx-v2';
  /** The ONNX files, stage 1 first, relative to this file. */
  stages: { file: string; input: number; base: number }[];
  /** What each stage looks at: 'whole' (stage 1), 'person' (the estimate's extent), 'joints' (a close-up per joint). */
  kinds: StageKind[];
  /** 'whole' with a person box, and 'person': a square of cropScale × the longer side around the box or the estimate's extent. */
  cropScale: number;
  /** 'joints': a square of sigma × the estimate's torso diameter around each joint's estimate. */
  sigma: number;
  /** Joint pairs whose mean distance is the torso diameter. */
  torsoPairs: [number, number][];
}

function stageFile(path: string, stage: number): string {
  return stage === 1 ? path : path.replace(/(\.onnx)?$/i, `.stage-${stage}.onnx`);
}

export function cascadeDescriptionPath(path: string): string {
  return path.replace(/(\.onnx)?$/i, '.cascade.json');
}

/** The Python runner written beside the description. */
export function cascadeRunnerPath(path: string): string {
  return path.replace(/(\.onnx)?$/i, '.cascade.py');
}

/** Writes every stage of a model folder's cascade; each file is written whole or not at all. */
export async function writeCascadeOnnx(
  modelDir: string,
  path: string,
  options: WriteTargetOptions = {},
): Promise<{ path: string; bytes: number; params: number; files: string[] }> {
  let cascade;
  try {
    cascade = readCascade(modelDir, { cropScale: 1.5 });
  } catch (error) {
    throw new StudioError('bad-input', `${modelDir}: ${(error as Error).message}`);
  }
  const stages = cascade.dirs.length;
  const files = Array.from({ length: stages }, (_, i) => stageFile(path, i + 1));
  // Every export carries its crop rule and a runner implementing it (a single stage too).
  files.push(cascadeDescriptionPath(path), cascadeRunnerPath(path));
  // The first file was checked by the caller; the others must be as safe to write.
  for (const file of files.slice(1)) await checkWriteTarget(file, options);
  let bytes = 0;
  let params = 0;
  const described: CascadeOnnxDescription['stages'] = [];
  for (let s = 0; s < stages; s++) {
    const written = await writeOnnxExport(cascade.dirs[s], files[s]);
    bytes += written.bytes;
    params += written.params;
    described.push({ file: basename(files[s]), input: written.input, base: baseSize({ inputSize: written.input }) });
  }
  const description: CascadeOnnxDescription = {
    format: 'deeppose-cascade-onnx-v2',
    stages: described,
    ...cascade.rule,
  };
  await writeFileAtomic(cascadeDescriptionPath(path), JSON.stringify(description, null, 1));
  await writeFileAtomic(cascadeRunnerPath(path), CASCADE_RUNNER_PY);
  return { path: files[0], bytes, params, files: files.map((f) => join(dirname(f), basename(f))) };
}
