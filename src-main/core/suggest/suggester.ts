// One interface for whatever proposes joints on an image (the built-in pretrained pose model
// today; a trained DeepPose run could sit behind it too), and the built-in one.
import type { SuggestedPerson } from '../../../src-shared/domain/suggestion';
import { cocoToLsp } from './coco-to-lsp';
import { PretrainedPoseModel } from './pretrained-pose';

/** Detections with fewer placed joints are not suggested (measured on the real photographs: README). */
export const MIN_PLACED_JOINTS = 4;

export interface ImageSuggestions {
  width: number;
  height: number;
  persons: SuggestedPerson[];
}

export interface Suggester {
  /** Every person found on the image, on the project's skeleton (LSP-14). */
  suggest(imagePath: string): Promise<ImageSuggestions>;
  dispose(): void;
}

export interface BuiltInSuggesterOptions {
  /** The models folder (see poseModelsDir). */
  modelsDir: string;
  threshold: number;
  personThreshold: number;
}

/** The pretrained model's people, their COCO keypoints mapped onto LSP-14. */
export async function createBuiltInSuggester(options: BuiltInSuggesterOptions): Promise<Suggester> {
  const model = await PretrainedPoseModel.load(options.modelsDir);
  return {
    async suggest(imagePath) {
      const { width, height, people } = await model.run(imagePath, options.personThreshold);
      const persons = people.map((p) => ({
        box: p.box,
        score: p.score,
        joints: cocoToLsp(p.keypoints, options.threshold),
      }));
      // A "person" the pose model cannot place a few joints on is a rock, a sign or a cone.
      return { width, height, persons: persons.filter((p) => p.joints.filter(Boolean).length >= MIN_PLACED_JOINTS) };
    },
    dispose: () => model.dispose(),
  };
}
