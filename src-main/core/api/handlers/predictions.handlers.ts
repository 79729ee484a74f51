import type { StudioContext } from '../../studio-context';
import type { Handlers } from '../dispatch';
import { predictionServiceFor } from '../../predictions/prediction-service';

type PredictionCalls =
  | 'predict.start'
  | 'predictions.sets'
  | 'predictions.list'
  | 'predictions.accept'
  | 'predictions.metrics'
  | 'predictions.export';

export function predictionHandlers(ctx: StudioContext): Pick<Handlers, PredictionCalls> {
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
