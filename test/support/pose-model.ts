// Whether the optional pretrained pose model (@vladmandic/human) is installed: false when it
// is, else the studio's own one-line reason, for `test(..., { skip })`.
import { poseModelsDir } from '../../src-main/core/suggest/pose-model-package';

export const poseModelSkip: string | false = (() => {
  try {
    poseModelsDir();
    return false;
  } catch (error) {
    return (error as Error).message;
  }
})();
