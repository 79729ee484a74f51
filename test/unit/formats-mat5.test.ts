import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readMat } from '../../src-main/core/formats/mat5';
import { compressed, matFile, matrix } from '../support/mat5-writer';
import { fixtureSources, fixturesDir } from '../support/paths';

for (const source of fixtureSources) {
  test(
    `reads the uncompressed and zlib-compressed LSP fixtures (${source.label}) with their dimensions`,
    { skip: source.skip },
    () => {
      const plain = readMat(readFileSync(join(source.dir, 'lsp', 'joints.mat')), 'lsp/joints.mat');
      const packed = readMat(
        readFileSync(join(source.dir, 'lsp-compressed', 'joints.mat')),
        'lsp-compressed/joints.mat',
      );
      assert.deepEqual(plain.find((v) => v.name === 'joints')?.dims, [3, 14, 12]);
      assert.deepEqual(packed.find((v) => v.name === 'joints')?.dims, [3, 14, 7]);
      assert.equal(plain.find((v) => v.name === 'joints')?.className, 'double');
    },
  );
}

test('reads single-precision values inside a compressed element, column-major', () => {
  const values = Buffer.alloc(4 * 6);
  [1.5, 2.5, 3.5, 4.5, 5.5, 6.5].forEach((v, i) => values.writeFloatLE(v, 4 * i));
  const [variable] = readMat(matFile(compressed(matrix('joints', 7, [2, 3], values, 7))), 'single.mat');
  assert.equal(variable.className, 'single');
  assert.deepEqual(variable.dims, [2, 3]);
  assert.deepEqual(Array.from(variable.data!), [1.5, 2.5, 3.5, 4.5, 5.5, 6.5]);
});

test('converts doubles stored in a smaller integer type (as MATLAB saves them)', () => {
  const [variable] = readMat(matFile(matrix('joints', 6, [1, 3], Buffer.from([7, 8, 9]), 2)), 'uint8.mat');
  assert.deepEqual(Array.from(variable.data!), [7, 8, 9]);
});

test('names but does not decode other classes, so callers can refuse them', () => {
  const [variable] = readMat(matFile(matrix('joints', 4, [1, 2], Buffer.from([65, 0, 66, 0]), 4)), 'char.mat');
  assert.equal(variable.className, 'char');
  assert.equal(variable.data, null);
});

test('refuses truncated files, v7.3 files and files that are not MAT-files, naming the file', () => {
  const whole = matFile(matrix('joints', 6, [1, 2], Buffer.alloc(16), 9));
  assert.throws(() => readMat(whole.subarray(0, whole.length - 12), 'cut.mat'), /cut\.mat: truncated/);
  const v73 = Buffer.alloc(128);
  v73.write('MATLAB 7.3 MAT-file', 0, 'latin1');
  assert.throws(() => readMat(v73, 'new.mat'), /new\.mat: MAT v7\.3 \(HDF5\) files are not supported/);
  assert.throws(
    () => readMat(readFileSync(join(fixturesDir, 'bad', 'garbage.mat')), 'garbage.mat'),
    /garbage\.mat: not a MATLAB 5 MAT-file/,
  );
  const badZlib = Buffer.concat([Buffer.from([15, 0, 0, 0, 4, 0, 0, 0]), Buffer.from([1, 2, 3, 4])]);
  assert.throws(() => readMat(matFile(badZlib), 'z.mat'), /z\.mat: compressed element at byte 128 does not inflate/);
});
