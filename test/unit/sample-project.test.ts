import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createSampleProject } from '../../src-main/core/sample/create-sample-project';
import { projectSummary } from '../../src-main/core/catalog/project-info';
import { listExamples } from '../../src-main/core/catalog/examples';
import { generateSample } from '../../src-main/core/sample/generate-sample';
import { LSP14 } from '../../src-shared/domain/skeleton';
import { StudioError } from '../../src-shared/api/define';
import { makeTempDir } from '../support/paths';

const temp = makeTempDir('deeppose-sample-project-');
after(temp.cleanup);

test('a sample project is created in one call: LSP-14, every picture labelled, seeded splits', async () => {
  const folder = join(temp.dir, 'project');
  const catalog = await createSampleProject({ folder, count: 30, seed: 4 });
  try {
    const summary = projectSummary(catalog);
    assert.equal(summary.imageCount, 30);
    assert.equal(summary.instanceCount, 30);
    assert.deepEqual(summary.skeleton, LSP14);
    assert.deepEqual(summary.perSplit, { train: 24, val: 3, test: 3 });
    assert.equal(summary.labeledKeypoints, 30 * 14);

    // The catalog holds exactly the generator's labels (same seed, same pictures).
    const reference = await generateSample({ outDir: join(temp.dir, 'reference'), count: 30, seed: 4 });
    const byName = new Map(reference.examples.map((e) => [e.imagePath.split('/').at(-1), e]));
    const examples = ['train', 'val', 'test'].flatMap((split) => listExamples(catalog, split as 'train'));
    assert.equal(examples.length, 30);
    for (const example of examples) {
      const expected = byName.get(example.imagePath.split('/').at(-1));
      assert.ok(expected, example.imagePath);
      assert.ok(example.imagePath.startsWith(join(folder, 'sample-images')));
      assert.deepEqual([example.width, example.height], [expected.width, expected.height]);
      example.joints.forEach(([x, y, v], j) => {
        assert.ok(Math.abs(x - expected.joints[j][0]) <= 0.005 && Math.abs(y - expected.joints[j][1]) <= 0.005);
        assert.equal(v, expected.joints[j][2]);
      });
    }
  } finally {
    catalog.close();
  }
  await assert.rejects(
    createSampleProject({ folder, count: 2 }),
    (e: unknown) => e instanceof StudioError && e.kind === 'conflict',
  );
});
