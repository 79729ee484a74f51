import type { StudioContext } from '../../studio-context';
import type { HandlersOf } from '../dispatch';
import type { predictionCalls } from '../../../../src-shared/api/predictions.contract';
import { predictionServiceFor } from '../../predictions/prediction-service';

export function predictionHandlers(ctx: StudioContext): HandlersOf<typeof predictionCalls> {
  const predictions = predictionServiceFor(ctx);
  return {
    'predict.start': ({ project, model, source, flipCheck, denseWeights }) =>
      predictions.start(project, model, source, { flipCheck, denseWeights }),
    'predictions.sets': ({ project }) => predictions.sets(project),
    'predictions.list': ({ project, setId, sort, offset, limit }) =>
      predictions.list(project, setId, sort, offset, limit),
    'predictions.accept': ({ project, predictionId }) => predictions.accept(project, predictionId),
    'predictions.metrics': ({ project, setId }) => predictions.metrics(project, setId),
    'predictions.export': ({ project, setId, format, path, overwrite }) =>
      predictions.export(project, setId, format, path, overwrite),
  };
}
