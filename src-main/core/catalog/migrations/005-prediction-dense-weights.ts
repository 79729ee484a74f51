import type { Migration } from './index';

/** How a prediction set read its network's hidden dense layers (PredictRequest.denseWeights); sets from before read them as trained. */
export const predictionDenseWeights: Migration = {
  version: 5,
  name: 'prediction-dense-weights',
  sql: `
    ALTER TABLE prediction_sets ADD COLUMN dense_weights TEXT NOT NULL DEFAULT 'float32' CHECK (dense_weights IN ('float32', 'int8'));
  `,
};
