// Probe suite (issue 14), bad files: devices, FIFOs, symlinks to them, huge label files, a MAT
// zip bomb, absurd coordinates and an empty LSP file. Each is refused quickly with a line that
// names the file, and the catalog is left unchanged.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, copyFileSync, mkdirSync, openSync, symlinkSync, writeFileSync, ftruncateSync } from 'node:fs';
import { join } from 'node:path';
import { createDeflate } from 'node:zlib';
import { createProject } from '../../src-main/core/catalog/project-info';
import { importDataset } from '../../src-main/core/datasets/import-dataset';
import type { Catalog } from '../../src-main/core/catalog/open-catalog';
import { MAX_MAT_INFLATED_BYTES } from '../../src-main/core/formats/mat5';
import { MAX_LABEL_FILE_BYTES } from '../../src-main/core/files/read-regular-file';
import { LSP14 } from '../../src-shared/domain/skeleton';
import { fixturesDir, makeTempDir } from '../support/paths';

const temp = makeTempDir();
after(temp.cleanup);

let serial = 0;
function freshProject(): Catalog {
  return createProject(join(temp.dir, `project-${++serial}`), 'Probe', LSP14);
}
const imageCount = (catalog: Catalog) =>
  (catalog.db.prepare('SELECT COUNT(*) AS n FROM images').get() as { n: number }).n;

/** A reference list line for `path` with every joint at (x, y). */
function listLine(path: string, x = 10, y = 10): string {
  return [path, ...LSP14.joints.flatMap(() => [x, y, 1])].join(',');
}

test(
  'an image path naming /dev/zero, a .jpg symlink to it, or a FIFO is refused by name, without a hang',
  { timeout: 20_000 },
  async () => {
    const dir = join(temp.dir, 'devices');
    mkdirSync(dir);
    symlinkSync('/dev/zero', join(dir, 'zero.jpg'));
    execFileSync('mkfifo', [join(dir, 'pipe.jpg')]);
    copyFileSync(join(fixturesDir, 'lsp', 'images', 'im0001.jpg'), join(dir, 'good.jpg'));
    const list = join(dir, 'list.csv');
    writeFileSync(
      list,
      [listLine('/dev/zero'), listLine('zero.jpg'), listLine('pipe.jpg'), listLine('good.jpg')].join('\n') + '\n',
    );
    const catalog = freshProject();
    const started = process.memoryUsage().rss;
    await assert.rejects(importDataset(catalog, { format: 'csv', path: list }), (error: Error) => {
      assert.match(error.message, /line 1: \/dev\/zero: not a regular file \(a device\)/);
      assert.match(error.message, /line 2: .*zero\.jpg: not a regular file \(a device\)/);
      assert.match(error.message, /line 3: .*pipe\.jpg: not a regular file \(a FIFO\)/);
      return true;
    });
    assert.ok(process.memoryUsage().rss - started < 200 * 1024 * 1024, 'no memory growth');
    assert.equal(imageCount(catalog), 0);
    const skipped = await importDataset(catalog, { format: 'csv', path: list, skipBadRecords: true });
    assert.equal(skipped.imagesAdded, 1, 'the good image still comes in when bad records are skipped');

    // The dataset file itself: a FIFO, a device and a folder.
    execFileSync('mkfifo', [join(dir, 'labels.json')]);
    await assert.rejects(
      importDataset(freshProject(), { format: 'coco', path: join(dir, 'labels.json') }),
      /labels\.json: not a regular file \(a FIFO\); refused as COCO file/,
    );
    await assert.rejects(
      importDataset(freshProject(), { format: 'csv', path: '/dev/zero' }),
      /\/dev\/zero: not a regular file \(a device\)/,
    );
    await assert.rejects(
      importDataset(freshProject(), { format: 'lsp', path: join(dir, 'pipe.jpg') }),
      /pipe\.jpg: not a regular file \(a FIFO\)/,
    );
    catalog.close();
  },
);

test('a label file above the byte cap is refused before it is read', async () => {
  const huge = join(temp.dir, 'huge.csv');
  const fd = openSync(huge, 'w');
  ftruncateSync(fd, MAX_LABEL_FILE_BYTES + 1); // sparse: costs no disk
  closeSync(fd);
  await assert.rejects(
    importDataset(freshProject(), { format: 'csv', path: huge }),
    /huge\.csv: \d+ MB, above the 512 MB limit for a list; refused/,
  );
});

/** A MAT file whose one compressed element inflates to `bytes` of a double array. */
async function matBomb(bytes: number): Promise<Buffer> {
  const tag = (type: number, size: number) => {
    const head = Buffer.alloc(8);
    head.writeUInt32LE(type, 0);
    head.writeUInt32LE(size, 4);
    return head;
  };
  const flags = Buffer.concat([tag(6, 8), Buffer.from([6, 0, 0, 0, 0, 0, 0, 0])]);
  const dims = Buffer.concat([tag(5, 8), Buffer.alloc(8)]);
  dims.writeInt32LE(bytes / 8, 8);
  dims.writeInt32LE(1, 12);
  const name = Buffer.concat([tag(1, 6), Buffer.from('joints\0\0')]);
  const body = [flags, dims, name, tag(9, bytes)];
  const deflate = createDeflate({ level: 9 });
  const out: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => out.push(chunk));
  const done = new Promise((resolve) => deflate.on('end', resolve));
  deflate.write(tag(14, body.reduce((n, b) => n + b.length, 0) + bytes));
  for (const part of body) deflate.write(part);
  const zeros = Buffer.alloc(1 << 20);
  for (let written = 0; written < bytes; written += zeros.length)
    deflate.write(zeros.subarray(0, Math.min(zeros.length, bytes - written)));
  deflate.end();
  await done;
  const compressed = Buffer.concat(out);
  const header = Buffer.alloc(128, 0x20);
  header.write('MATLAB 5.0 MAT-file, probe', 0, 'latin1');
  header.writeUInt16LE(0x0100, 124);
  header.write('IM', 126, 'latin1');
  return Buffer.concat([header, tag(15, compressed.length), compressed]);
}

test('a MAT file that inflates past the cap is refused with one line', { timeout: 60_000 }, async () => {
  const file = join(temp.dir, 'bomb.mat');
  const bomb = await matBomb(MAX_MAT_INFLATED_BYTES + 16 * 1024 * 1024);
  assert.ok(bomb.length < 2 * 1024 * 1024, `the bomb is small on disk (${bomb.length} bytes)`);
  writeFileSync(file, bomb);
  await assert.rejects(importDataset(freshProject(), { format: 'lsp', path: file }), (error: Error) => {
    assert.match(error.message, /bomb\.mat: compressed element at byte 128 inflates past the \d+ MB limit; refused/);
    assert.ok(!error.message.includes('\n'));
    return true;
  });
});

test('coordinates that are absurdly far from the image are refused per record', async () => {
  const dir = join(temp.dir, 'far');
  mkdirSync(dir);
  copyFileSync(join(fixturesDir, 'lsp', 'images', 'im0001.jpg'), join(dir, 'a.jpg'));
  copyFileSync(join(fixturesDir, 'lsp', 'images', 'im0002.jpg'), join(dir, 'b.jpg'));
  const list = join(dir, 'list.csv');
  writeFileSync(list, [listLine('a.jpg', 1e300, 5), listLine('b.jpg', 20, -2e6)].join('\n') + '\n');
  const catalog = freshProject();
  await assert.rejects(importDataset(catalog, { format: 'csv', path: list }), (error: Error) => {
    assert.match(error.message, /list\.csv line 1: joint 0 lies at \(1e\+300, 5\), more than 10× the image size/);
    assert.match(error.message, /list\.csv line 2: joint 0 lies at \(20, -2000000\)/);
    return true;
  });
  assert.equal(imageCount(catalog), 0);
  catalog.close();
});

test('an LSP file with no examples is an error, not an empty success', async () => {
  const tag = (type: number, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32LE(type, 0);
    head.writeUInt32LE(data.length, 4);
    return Buffer.concat([head, data, Buffer.alloc((8 - (data.length % 8)) % 8)]);
  };
  const dims = Buffer.alloc(12);
  [3, 14, 0].forEach((d, i) => dims.writeInt32LE(d, 4 * i));
  const flags = Buffer.alloc(8);
  flags.writeUInt32LE(6, 0);
  const element = tag(
    14,
    Buffer.concat([tag(6, flags), tag(5, dims), tag(1, Buffer.from('joints')), tag(9, Buffer.alloc(0))]),
  );
  const header = Buffer.alloc(128, 0x20);
  header.write('MATLAB 5.0 MAT-file, probe', 0, 'latin1');
  header.writeUInt16LE(0x0100, 124);
  header.write('IM', 126, 'latin1');
  const file = join(temp.dir, 'empty-joints.mat');
  writeFileSync(file, Buffer.concat([header, element]));
  await assert.rejects(
    importDataset(freshProject(), { format: 'lsp', path: file }),
    /empty-joints\.mat: variable 'joints' holds no examples \(3×14×0\)/,
  );
});
