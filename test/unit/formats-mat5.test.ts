import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { readMat } from '../../src-main/core/formats/mat5';
import { fixturesDir } from '../support/paths';

// A minimal little-endian MAT v5 writer, enough to build the cases the fixtures do not cover.
function tag(type: number, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32LE(type, 0);
  head.writeUInt32LE(data.length, 4);
  const pad = Buffer.alloc((8 - (data.length % 8)) % 8);
  return Buffer.concat([head, data, pad]);
}
function matrix(name: string, classCode: number, dims: number[], values: Buffer, valueType: number): Buffer {
  const flags = Buffer.alloc(8);
  flags.writeUInt32LE(classCode, 0);
  const dimData = Buffer.alloc(4 * dims.length);
  dims.forEach((d, i) => dimData.writeInt32LE(d, 4 * i));
  return tag(14, Buffer.concat([tag(6, flags), tag(5, dimData), tag(1, Buffer.from(name)), tag(valueType, values)]));
}
function matFile(...elements: Buffer[]): Buffer {
  const header = Buffer.alloc(128, 0x20);
  header.write('MATLAB 5.0 MAT-file, test writer', 0, 'latin1');
  header.writeUInt16LE(0x0100, 124);
  header.write('IM', 126, 'latin1');
  return Buffer.concat([header, ...elements]);
}
const compressed = (element: Buffer) => {
  const body = deflateSync(element);
  const head = Buffer.alloc(8);
  head.writeUInt32LE(15, 0);
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body]);
};

test('reads the uncompressed and zlib-compressed LSP fixtures with their dimensions', () => {
  const plain = readMat(readFileSync(join(fixturesDir, 'lsp', 'joints.mat')), 'lsp/joints.mat');
  const packed = readMat(readFileSync(join(fixturesDir, 'lsp-compressed', 'joints.mat')), 'lsp-compressed/joints.mat');
  assert.deepEqual(plain.find((v) => v.name === 'joints')?.dims, [3, 14, 12]);
  assert.deepEqual(packed.find((v) => v.name === 'joints')?.dims, [3, 14, 7]);
  assert.equal(plain.find((v) => v.name === 'joints')?.className, 'double');
});

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
  assert.throws(() => readMat(readFileSync(join(fixturesDir, 'bad', 'garbage.mat')), 'garbage.mat'), /garbage\.mat: not a MATLAB 5 MAT-file/);
  const badZlib = Buffer.concat([Buffer.from([15, 0, 0, 0, 4, 0, 0, 0]), Buffer.from([1, 2, 3, 4])]);
  assert.throws(() => readMat(matFile(badZlib), 'z.mat'), /z\.mat: compressed element at byte 128 does not inflate/);
});
