// Issue 23, item 6: prediction admits images by the same rule as import (file size, megapixels,
// format by content, decoded bytes): a 256-megapixel PNG, a PNG named .jpg, a 16-bit RGBA PNG of
// 9999×9999 (800 MB decoded) and a damaged JPEG are skipped with their reason and never reach
// the worker's decoder; thumbnails refuse them alike.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { createStudio } from '../../src-main/core/studio';
import type { WorkerLauncher } from '../../src-main/core/worker/worker-launcher';
import { thumbnailFor } from '../../src-main/core/media/thumbnails';
import type { Task } from '../../src-shared/api/tasks.contract';
import { fixturesDir, makeTempDir, repoRoot } from '../support/paths';
import { refusedProbe, reportHostile } from '../support/hostile-count';

const temp = makeTempDir();
after(() => {
  temp.cleanup();
  reportHostile('hostile-predict-images');
});

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A PNG whose header claims `width`×`height` (its pixel data is a few bytes: only the header is ever read). */
function pngHeader(width: number, height: number, bitDepth: number, colorType: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.writeUInt8(bitDepth, 8);
  ihdr.writeUInt8(colorType, 9);
  return Buffer.concat([
    Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(64))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const images = join(temp.dir, 'new');
mkdirSync(images);
const good = join(images, 'good.jpg');
copyFileSync(join(fixturesDir, 'lsp', 'images', 'im0001.jpg'), good);
const hostile: Record<string, RegExp> = {
  [join(images, 'huge.png')]: /256 megapixels\), above the limit of 100 megapixels; refused without decoding/,
  [join(images, 'png-named.jpg')]: /not a JPEG: it is a PNG image/,
  [join(images, 'deep.png')]: /4 channels of 16 bits would take \d+ MB decoded, above the limit/,
  [join(images, 'damaged.jpg')]: /not a readable image|damaged|premature|corrupt/i,
};
writeFileSync(join(images, 'huge.png'), pngHeader(16000, 16000, 8, 2));
writeFileSync(join(images, 'png-named.jpg'), pngHeader(10, 10, 8, 2));
writeFileSync(join(images, 'deep.png'), pngHeader(9999, 9999, 16, 6));
const jpeg = readFileSync(good);
writeFileSync(join(images, 'damaged.jpg'), Buffer.concat([jpeg.subarray(0, 3), Buffer.alloc(40, 0x41)]));
const model = join(temp.dir, 'model');
mkdirSync(model);
writeFileSync(join(model, 'model.json'), '{}');

test('predict.start skips inadmissible images with their reason; the worker gets only the admitted one', async () => {
  const received: string[][] = [];
  // A worker that records what it was asked to decode and finishes at once.
  const launcher: WorkerLauncher = () => {
    let onMessage: (message: unknown) => void = () => {};
    let onExit: (code: number | null, signal: string | null) => void = () => {};
    return {
      pid: undefined,
      send(message) {
        const request = message as { type: string; items?: { imagePath: string }[] };
        if (request.type !== 'predict') return;
        received.push((request.items ?? []).map((item) => item.imagePath));
        setImmediate(() => {
          onMessage({
            type: 'predict-finished',
            backend: 'cpu',
            backendNotes: [],
            predicted: 0,
            msPerImage: null,
            flipMsPerImage: null,
            denseWeights: 'float32',
            stopped: false,
          });
          onExit(0, null);
        });
      },
      onMessage: (listener) => (onMessage = listener),
      onExit: (listener) => (onExit = listener),
      kill: () => onExit(null, 'SIGTERM'),
    };
  };
  const studio = createStudio({
    home: join(temp.dir, 'home'),
    door: 'serve',
    allow: [temp.dir],
    launchWorker: launcher,
  });
  try {
    const project = join(temp.dir, 'project');
    assert.ok(
      (await studio.dispatch('projects.create', { folder: project, name: 'P', skeleton: { preset: 'lsp14' } })).ok,
    );
    const started = await studio.dispatch('predict.start', {
      project,
      model: { modelFolder: model },
      source: { folder: images },
    });
    assert.ok(started.ok, JSON.stringify(started));
    let task: Task;
    do {
      await new Promise((r) => setTimeout(r, 20));
      const reply = await studio.dispatch('tasks.get', { id: (started.value as { taskId: string }).taskId });
      assert.ok(reply.ok);
      task = reply.value as Task;
    } while (task.state === 'running');
    assert.equal(task.state, 'succeeded', task.error ?? '');
    assert.deepEqual(received, [[good]], 'only the admissible image reaches the worker');
    const skipped = (task.result as { skipped: { imagePath: string; reason: string }[] }).skipped;
    assert.equal(skipped.length, Object.keys(hostile).length, JSON.stringify(skipped));
    for (const [file, reason] of Object.entries(hostile)) {
      const entry = skipped.find((s) => s.imagePath === file);
      assert.ok(entry, `${file} skipped`);
      assert.match(entry.reason, reason, file);
      assert.ok(!entry.reason.includes('\n'), `${file}: one line`);
      refusedProbe();
    }
  } finally {
    await studio.close();
  }
});

test('thumbnails refuse the same images before decoding them', async () => {
  for (const [file, reason] of Object.entries(hostile)) {
    await assert.rejects(
      thumbnailFor(file, join(temp.dir, 'thumbs')),
      (error: Error) => reason.test(error.message) && !error.message.includes('\n'),
      file,
    );
    refusedProbe();
  }
});

test('deeppose predict skips them too, each in one line, before its worker starts', () => {
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      join(repoRoot, 'src-main', 'cli', 'index.ts'),
      'predict',
      '--model',
      model,
      '--input',
      images,
      '--out',
      join(temp.dir, 'p.csv'),
    ],
    {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 120_000,
    },
  );
  for (const [file, reason] of Object.entries(hostile)) {
    const line = result.stderr.split('\n').find((l) => l.startsWith(`deeppose predict: skipped ${file}: `));
    assert.ok(line, `${file} skipped in: ${result.stderr}`);
    assert.match(line, reason);
    refusedProbe();
  }
});
