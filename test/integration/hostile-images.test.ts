// Probe suite (issue 14), images that are not what their names say: PNGs whose chunks fail
// their CRC (libvips may decode them anyway) and SVG, HTML or text inside files named .png or
// .jpg. Each is refused at import with one line naming the file; the catalog is unchanged.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { createProject } from '../../src-main/core/catalog/project-info';
import { importDataset } from '../../src-main/core/datasets/import-dataset';
import { probeImage } from '../../src-main/core/media/ingest';
import { crc32 } from '../../src-main/core/media/crc32';
import { LSP14 } from '../../src-shared/domain/skeleton';
import { fixturesDir, makeTempDir } from '../support/paths';

const temp = makeTempDir();
after(temp.cleanup);
const dir = join(temp.dir, 'images');
mkdirSync(dir);

async function png(): Promise<Buffer> {
  return sharp({ create: { width: 32, height: 24, channels: 3, background: { r: 200, g: 10, b: 10 } } })
    .png()
    .toBuffer();
}

/** Offset of the CRC of the first chunk of `type`. */
function crcOffset(bytes: Buffer, type: string): number {
  for (let at = 8; at + 8 <= bytes.length;) {
    const length = bytes.readUInt32BE(at);
    if (bytes.toString('latin1', at + 4, at + 8) === type) return at + 8 + length;
    at += 12 + length;
  }
  throw new Error(`no ${type} chunk`);
}

function breakCrc(bytes: Buffer, type: string): Buffer {
  const copy = Buffer.from(bytes);
  copy[crcOffset(copy, type) + 3] ^= 0xff;
  return copy;
}

const svg =
  '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="4000" height="4000"><image href="file:///etc/passwd"/></svg>\n';

test('crc32 is the PNG (ISO-HDLC) CRC', () => {
  assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
  assert.equal(crc32(Buffer.alloc(0)), 0);
});

test('PNG chunks failing their CRC and non-images under image names are refused by name, in one line', async () => {
  const good = await png();
  const jpeg = readFileSync(join(fixturesDir, 'lsp', 'images', 'im0001.jpg'));
  const cases: Array<[string, Buffer | string, RegExp]> = [
    ['bad-ihdr.png', breakCrc(good, 'IHDR'), /bad-ihdr\.png: PNG chunk IHDR fails its CRC$/],
    ['bad-idat.png', breakCrc(good, 'IDAT'), /bad-idat\.png: PNG chunk IDAT fails its CRC$/],
    ['svg.png', svg, /svg\.png: not a PNG: it is SVG text$/],
    ['svg.jpg', svg, /svg\.jpg: not a JPEG: it is SVG text$/],
    ['page.jpg', '<!DOCTYPE html><html><body>hi</body></html>', /page\.jpg: not a JPEG: it is HTML text$/],
    ['photo.png', jpeg, /photo\.png: not a PNG: it is a JPEG image$/],
    ['notes.jpeg', 'just some words\n', /notes\.jpeg: not a JPEG: it is plain text$/],
  ];
  for (const [name, bytes] of cases) writeFileSync(join(dir, name), bytes);
  for (const [name, , message] of cases) {
    await assert.rejects(
      probeImage(join(dir, name)),
      (error: Error & { kind?: string }) => {
        assert.equal(error.kind, 'bad-input');
        assert.match(error.message, message);
        assert.ok(!error.message.includes('\n') && !error.message.includes('passwd'), error.message);
        return true;
      },
      name,
    );
  }
  // Honest files under their own names still pass.
  writeFileSync(join(dir, 'ok.png'), good);
  assert.equal((await probeImage(join(dir, 'ok.png'))).format, 'png');

  const catalog = createProject(join(temp.dir, 'project'), 'Probe', LSP14);
  await assert.rejects(
    importDataset(catalog, { format: 'folder', path: join(dir, 'svg.png') }),
    /svg\.png: not a PNG: it is SVG text/,
  );
  assert.equal((catalog.db.prepare('SELECT COUNT(*) AS n FROM images').get() as { n: number }).n, 0);
});
