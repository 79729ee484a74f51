import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, readdirSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { probeImage } from '../../src-main/core/media/ingest';
import { thumbnailFor } from '../../src-main/core/media/thumbnails';
import { createProject } from '../../src-main/core/catalog/project-info';
import { importDataset } from '../../src-main/core/datasets/import-dataset';
import { listImages } from '../../src-main/core/catalog/images';
import { LSP14 } from '../../src-shared/domain/skeleton';
import { fixturesDir, makeTempDir } from '../support/paths';

const temp = makeTempDir();
after(temp.cleanup);

test('EXIF orientation is honoured: a 60×40 JPEG tagged "rotate 90" is 40×60 in the catalog and its thumbnail', async () => {
  const file = join(temp.dir, 'rotated.jpg');
  writeFileSync(
    file,
    await sharp({ create: { width: 60, height: 40, channels: 3, background: '#808080' } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer(),
  );
  const probed = await probeImage(file);
  assert.deepEqual([probed.width, probed.height], [40, 60]);
  const thumb = await thumbnailFor(file, join(temp.dir, 'thumbs'));
  const meta = await sharp(thumb).metadata();
  assert.deepEqual([meta.width, meta.height], [40, 60]);
  assert.equal(await thumbnailFor(file, join(temp.dir, 'thumbs')), thumb, 'cached');
  utimesSync(file, new Date(), new Date(Date.now() + 5000));
  assert.notEqual(await thumbnailFor(file, join(temp.dir, 'thumbs')), thumb, 'a changed file gets a new thumbnail');
});

test('thumbnails have a long side of 256', async () => {
  const file = join(temp.dir, 'wide.png');
  writeFileSync(
    file,
    await sharp({ create: { width: 800, height: 300, channels: 3, background: '#102030' } })
      .png()
      .toBuffer(),
  );
  const meta = await sharp(await thumbnailFor(file, join(temp.dir, 'thumbs'))).metadata();
  assert.deepEqual([meta.width, meta.height], [256, 96]);
});

test('a folder import finds images recursively, dedupes identical files by sha256, and re-import changes nothing', async () => {
  const catalog = createProject(join(temp.dir, 'folder'), 'folder', LSP14);
  const first = await importDataset(catalog, { format: 'folder', path: fixturesDir, skipBadRecords: true });
  // Identical files (in any folder) are one image; bad/ images are left out and reported.
  const imageFolders = [
    ...['lsp', 'lsp-compressed', 'lspet', 'coco'].map((d) => join(fixturesDir, d, 'images')),
    join(fixturesDir, 'real-photos'),
  ];
  const distinct = new Set(
    imageFolders.flatMap((dir) =>
      readdirSync(dir)
        .filter((f) => /\.(jpe?g|png)$/i.test(f))
        .map((f) =>
          createHash('sha256')
            .update(readFileSync(join(dir, f)))
            .digest('hex'),
        ),
    ),
  );
  assert.equal(first.imagesAdded, distinct.size);
  assert.equal(first.skippedBadRecords, 4);
  assert.ok(first.problems.every((p) => p.file.includes(join('fixtures', 'bad'))));
  const again = await importDataset(catalog, { format: 'folder', path: fixturesDir, skipBadRecords: true });
  assert.equal(again.imagesAdded, 0);
  assert.equal(listImages(catalog).total, first.imagesAdded);
  assert.ok(listImages(catalog).items.every((i) => i.status === 'unlabeled' && i.instanceCount === 0));
  catalog.close();
});
