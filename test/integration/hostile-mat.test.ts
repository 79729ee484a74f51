// Probe suite (issue 14), MAT inflation: a compressed element whose own tag declares a small
// array but whose stream inflates far beyond it is refused at the declared size, long before
// the global cap; an honest compressed file still reads.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { readMat } from '../../src-main/core/formats/mat5';
import { makeTempDir } from '../support/paths';

const temp = makeTempDir();
after(temp.cleanup);

const tag = (type: number, size: number) => {
  const head = Buffer.alloc(8);
  head.writeUInt32LE(type, 0);
  head.writeUInt32LE(size, 4);
  return head;
};

/** A 1×n double array named 'joints' as a miMATRIX element (tag included). */
function matrix(values: number[]): Buffer {
  const flags = Buffer.concat([tag(6, 8), Buffer.from([6, 0, 0, 0, 0, 0, 0, 0])]);
  const dims = Buffer.concat([tag(5, 8), Buffer.alloc(8)]);
  dims.writeInt32LE(1, 8);
  dims.writeInt32LE(values.length, 12);
  const name = Buffer.concat([tag(1, 6), Buffer.from('joints\0\0')]);
  const data = Buffer.alloc(values.length * 8);
  values.forEach((v, i) => data.writeDoubleLE(v, i * 8));
  const body = Buffer.concat([flags, dims, name, tag(9, data.length), data]);
  return Buffer.concat([tag(14, body.length), body]);
}

function matFile(stream: Buffer): Buffer {
  const header = Buffer.alloc(128, 0x20);
  header.write('MATLAB 5.0 MAT-file, probe', 0, 'latin1');
  header.writeUInt16LE(0x0100, 124);
  header.write('IM', 126, 'latin1');
  const compressed = deflateSync(stream, { level: 9 });
  return Buffer.concat([header, tag(15, compressed.length), compressed]);
}

test('a compressed MAT element inflating past the size its own tag declares is refused at that size', () => {
  // 96 declared bytes followed by 64 MB of zeros: under the global cap, far over the tag.
  const bomb = matFile(Buffer.concat([matrix([1, 2, 3]), Buffer.alloc(64 * 1024 * 1024)]));
  assert.ok(bomb.length < 200_000);
  const before = process.memoryUsage().arrayBuffers;
  assert.throws(
    () => readMat(bomb, '/probe/joints.mat'),
    (error: Error) => {
      assert.match(
        error.message,
        /^\/probe\/joints\.mat: compressed element at byte 128 inflates past the \d+ bytes its tag declares; refused$/,
      );
      return true;
    },
  );
  assert.ok(process.memoryUsage().arrayBuffers - before < 32 * 1024 * 1024, 'the excess was never inflated');
});

test('an honest compressed MAT element still reads', () => {
  const [variable] = readMat(matFile(matrix([1, 2, 3])), '/probe/ok.mat');
  assert.equal(variable.name, 'joints');
  assert.deepEqual(Array.from(variable.data!), [1, 2, 3]);
});
