// A run's last validation PCK is what its final model (the last epoch's) scored; the model
// picker shows it, not the best epoch's.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createProject } from '../../src-main/core/catalog/project-info';
import { addMetrics, createRun, getRun, listRuns } from '../../src-main/core/catalog/runs';
import { LSP14 } from '../../src-shared/domain/skeleton';
import { makeTempDir } from '../support/paths';

const temp = makeTempDir();
after(temp.cleanup);

test('lastValPck is the PCK of the latest validation, null before any', () => {
  const catalog = createProject(join(temp.dir, 'p'), 'p', LSP14);
  const run = createRun(catalog, { name: 'r', config: {} });
  assert.equal(run.lastValPck, null);
  const point = (iteration: number, split: 'train' | 'val', pck: number | null) => ({
    epoch: iteration,
    iteration,
    split,
    loss: 1,
    pck,
    imagesPerSecond: null,
    at: iteration,
  });
  addMetrics(catalog, run.id, [point(1, 'val', 0.6), point(2, 'val', 0.3), point(3, 'train', null)]);
  assert.equal(getRun(catalog, run.id).lastValPck, 0.3);
  assert.equal(listRuns(catalog)[0].lastValPck, 0.3);
  catalog.close();
});
