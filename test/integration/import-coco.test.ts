import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createProject, readProject } from '../../src-main/core/catalog/project-info';
import { importDataset } from '../../src-main/core/datasets/import-dataset';
import { exportDataset } from '../../src-main/core/datasets/export-dataset';
import type { Catalog } from '../../src-main/core/catalog/open-catalog';
import { COCO17, LSP14 } from '../../src-shared/domain/skeleton';
import { fixtureSources, fixturesDir, makeTempDir } from '../support/paths';

const temp = makeTempDir();
after(temp.cleanup);
const cocoFile = join(fixturesDir, 'coco', 'person_keypoints.json');

interface CocoDoc {
  images: Array<{ id: number; file_name: string; width: number; height: number }>;
  annotations: Array<{ id: number; image_id: number; iscrowd: number; keypoints: number[]; bbox: number[] }>;
  categories: Array<{ keypoints: string[] }>;
}

/** The catalog's labels keyed by image content, independent of row ids and paths. */
function snapshot(catalog: Catalog) {
  return catalog.db
    .prepare(
      `SELECT i.sha256, i.width, i.height, n.box_x, n.box_y, n.box_w, n.box_h,
              group_concat(k.x || ',' || k.y || ',' || k.visibility, ';') AS joints
       FROM images i LEFT JOIN instances n ON n.image_id = i.id LEFT JOIN keypoints k ON k.instance_id = n.id
       GROUP BY i.id, n.id ORDER BY i.sha256, joints`,
    )
    .all();
}

// The project's own fixture, and the independent tools' one as a cross-check where present.
for (const source of fixtureSources) {
  test(
    `COCO (${source.label} fixture): persons become instances, crowd and empty annotations are skipped and counted`,
    { skip: source.skip },
    async () => {
      const cocoFile = join(source.dir, 'coco', 'person_keypoints.json');
      const dir = join(temp.dir, source.label);
      mkdirSync(dir);
      const original = JSON.parse(readFileSync(cocoFile, 'utf8')) as CocoDoc;
      const kept = original.annotations.filter((a) => !a.iscrowd && a.keypoints.some((v, i) => i % 3 === 2 && v > 0));
      const catalog = createProject(join(dir, 'coco'), 'coco', COCO17);
      const report = await importDataset(catalog, { format: 'coco', path: cocoFile });
      assert.equal(report.imagesAdded, original.images.length);
      assert.equal(report.instancesAdded, kept.length);
      assert.equal(report.skippedCrowd, 1);
      assert.equal(report.skippedNoKeypoints, 1);
      const labeled = kept.reduce((sum, a) => sum + a.keypoints.filter((v, i) => i % 3 === 2 && v > 0).length, 0);
      assert.equal(report.keypointsAdded, labeled);
      const visibilities = catalog.db
        .prepare('SELECT visibility, COUNT(*) AS n FROM keypoints GROUP BY visibility ORDER BY visibility')
        .all() as Array<{ visibility: number; n: number }>;
      const expected = [0, 1, 2].map((v) => ({
        visibility: v,
        n: kept.reduce((s, a) => s + a.keypoints.filter((x, i) => i % 3 === 2 && x === v).length, 0),
      }));
      assert.deepEqual(visibilities, expected);

      // Export, then import the export into a fresh project: the same catalog.
      const exported = join(dir, 'out', 'export.json');
      mkdirSync(join(dir, 'out'));
      const exportReport = await exportDataset(catalog, { format: 'coco', path: exported });
      assert.equal(exportReport.instances, kept.length);
      const doc = JSON.parse(readFileSync(exported, 'utf8')) as CocoDoc;
      assert.deepEqual(doc.categories[0].keypoints, COCO17.joints);
      // Same numbers, byte for byte: the JSON text of each keypoints array and the float64 bits.
      assert.equal(doc.annotations.length, kept.length);
      doc.annotations.forEach((annotation, i) => {
        assert.equal(JSON.stringify(annotation.keypoints), JSON.stringify(kept[i].keypoints));
        assert.ok(
          Buffer.from(new Float64Array(annotation.keypoints).buffer).equals(
            Buffer.from(new Float64Array(kept[i].keypoints).buffer),
          ),
        );
        assert.deepEqual(annotation.bbox, kept[i].bbox);
      });

      const copy = createProject(join(dir, 'coco-again'), 'again', COCO17);
      const reimport = await importDataset(copy, { format: 'coco', path: exported });
      assert.equal(reimport.problems.length, 0);
      assert.deepEqual(snapshot(copy), snapshot(catalog));
      // And into the original: nothing changes.
      const same = await importDataset(catalog, { format: 'coco', path: exported });
      assert.equal(same.imagesAdded + same.instancesAdded, 0);
      catalog.close();
      copy.close();
    },
  );
}

test("an empty project takes the category's skeleton; a labeled one with another skeleton refuses", async () => {
  const empty = createProject(join(temp.dir, 'adopt'), 'adopt', LSP14);
  await importDataset(empty, { format: 'coco', path: cocoFile });
  assert.deepEqual(readProject(empty).skeleton, COCO17);
  empty.close();

  const labeled = createProject(join(temp.dir, 'refuse'), 'refuse', LSP14);
  await importDataset(labeled, { format: 'lsp', path: join(fixturesDir, 'lsp-compressed') });
  await assert.rejects(
    importDataset(labeled, { format: 'coco', path: cocoFile }),
    /has 17 joints per person, the project's skeleton 'LSP-14' has 14/,
  );
  labeled.close();
});
