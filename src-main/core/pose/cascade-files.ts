// A trained model folder is a cascade: stage 1's layers model at its root, each refinement
// stage's in stage-N/, and cascade.json with the crop rule that places every stage's crops.
// A checkpoint taken inside a refinement stage holds only that stage's network: its earlier
// stages are the run's frozen ones in stages/stage-N/.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stageKinds, trainingConfigSchema, type TrainingConfig } from '../../../src-shared/training/config';
import { LSP_TORSO_PAIRS } from './pose-joints';
import type { CascadeRule } from '../inference/cascade';
import { writeAndSync } from '../files/durable-write';

export const CASCADE_FILE = 'cascade.json';

export interface CascadeManifest extends CascadeRule {
  format: 'deeppose-cascade-v1';
  /** Model folders, stage 1 first, relative to the folder holding cascade.json ('.' is that folder). */
  stages: string[];
}

export interface Cascade {
  /** Absolute model folders, stage 1 first. */
  dirs: string[];
  rule: CascadeRule;
}

/** Where a run keeps a finished stage while later stages train. */
export function frozenStageDir(runDir: string, stage: number): string {
  return join(runDir, 'stages', `stage-${stage}`);
}

export function stageFolderName(stage: number): string {
  return stage === 1 ? '.' : `stage-${stage}`;
}

/** A run's crop rule, from its training config. */
export function cascadeRule(config: TrainingConfig): CascadeRule {
  return {
    cropScale: config.cropScale,
    sigma: config.cascadeSigma,
    torsoPairs: config.torsoPairs ?? LSP_TORSO_PAIRS,
    kinds: stageKinds(config),
  };
}

export function writeCascadeManifest(modelDir: string, rule: CascadeRule): void {
  const manifest: CascadeManifest = {
    format: 'deeppose-cascade-v1',
    ...rule,
    stages: rule.kinds.map((_, i) => stageFolderName(i + 1)),
  };
  writeAndSync(join(modelDir, CASCADE_FILE), JSON.stringify(manifest, null, 1));
}

/**
 * The stages of a model folder: its cascade.json; else, for a checkpoint of a refinement stage,
 * the run's frozen earlier stages and this one; else one stage with the fallback crop rule.
 */
export function readCascade(modelDir: string, fallback: { cropScale: number }): Cascade {
  const manifestPath = join(modelDir, CASCADE_FILE);
  if (existsSync(manifestPath)) {
    let manifest: CascadeManifest;
    try {
      manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as CascadeManifest;
    } catch (error) {
      throw new Error(`${manifestPath}: unreadable (${(error as Error).message})`, { cause: error });
    }
    if (manifest.format !== 'deeppose-cascade-v1' || !Array.isArray(manifest.stages) || manifest.stages.length === 0)
      throw new Error(`${manifestPath}: not a DeepPose cascade description`);
    const kinds = manifest.kinds ?? manifest.stages.map((_, i) => (i === 0 ? 'whole' : 'joints'));
    return {
      dirs: manifest.stages.map((s) => join(modelDir, s)),
      rule: { cropScale: manifest.cropScale, sigma: manifest.sigma, torsoPairs: manifest.torsoPairs, kinds },
    };
  }
  const checkpoint = dirname(modelDir);
  const progressPath = join(checkpoint, 'progress.json');
  if (existsSync(progressPath)) {
    const progress = JSON.parse(readFileSync(progressPath, 'utf8')) as { stage?: number; config: unknown };
    const config = trainingConfigSchema.parse(progress.config);
    const stage = progress.stage ?? 1;
    const full = cascadeRule(config);
    const rule: CascadeRule = { ...full, kinds: full.kinds.slice(0, stage) };
    const runDir = dirname(dirname(checkpoint));
    const earlier = Array.from({ length: stage - 1 }, (_, i) => frozenStageDir(runDir, i + 1));
    for (const dir of earlier)
      if (!existsSync(join(dir, 'model.json')))
        throw new Error(
          `${modelDir} is a stage-${stage} checkpoint, but its run has no stage ${earlier.indexOf(dir) + 1} in ${dir}`,
        );
    return { dirs: [...earlier, modelDir], rule };
  }
  return {
    dirs: [modelDir],
    rule: { cropScale: fallback.cropScale, sigma: 2, torsoPairs: LSP_TORSO_PAIRS, kinds: ['whole'] },
  };
}
