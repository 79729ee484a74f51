// A minimal little-endian level-5 MAT-file writer (the studio only reads MAT-files): enough to
// write the fixtures' `joints` arrays as MATLAB saves them and the odd cases the unit tests build.
import { deflateSync } from 'node:zlib';

export const miINT8 = 1;
export const miUINT8 = 2;
export const miUINT16 = 4;
export const miINT32 = 5;
export const miUINT32 = 6;
export const miSINGLE = 7;
export const miDOUBLE = 9;
export const miMATRIX = 14;
export const miCOMPRESSED = 15;
export const mxCHAR_CLASS = 4;
export const mxDOUBLE_CLASS = 6;
export const mxSINGLE_CLASS = 7;

/** One data element: type, byte count, data, padded to 8 bytes. */
export function tag(type: number, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32LE(type, 0);
  head.writeUInt32LE(data.length, 4);
  const pad = Buffer.alloc((8 - (data.length % 8)) % 8);
  return Buffer.concat([head, data, pad]);
}

/** An miMATRIX element: array flags, dimensions, name, real part stored as `valueType`. */
export function matrix(name: string, classCode: number, dims: number[], values: Buffer, valueType: number): Buffer {
  const flags = Buffer.alloc(8);
  flags.writeUInt32LE(classCode, 0);
  const dimData = Buffer.alloc(4 * dims.length);
  dims.forEach((d, i) => dimData.writeInt32LE(d, 4 * i));
  return tag(
    miMATRIX,
    Buffer.concat([
      tag(miUINT32, flags),
      tag(miINT32, dimData),
      tag(miINT8, Buffer.from(name, 'latin1')),
      tag(valueType, values),
    ]),
  );
}

/** A double array; `values` in column-major order, as MATLAB stores them. */
export function doubleMatrix(name: string, dims: number[], values: ArrayLike<number>): Buffer {
  const count = dims.reduce((a, b) => a * b, 1);
  if (values.length !== count) throw new Error(`${name}: ${values.length} values for ${dims.join('×')}`);
  const data = Buffer.alloc(8 * count);
  for (let i = 0; i < count; i++) data.writeDoubleLE(values[i], 8 * i);
  return matrix(name, mxDOUBLE_CLASS, dims, data, miDOUBLE);
}

/** The 128-byte header (text, no subsystem offset, version 0x0100, 'IM' = little-endian) and the elements. */
export function matFile(...elements: Buffer[]): Buffer {
  const header = Buffer.alloc(128, 0x20);
  header.write('MATLAB 5.0 MAT-file, written by DeepPose Studio tests', 0, 'latin1');
  header.fill(0, 116, 124);
  header.writeUInt16LE(0x0100, 124);
  header.write('IM', 126, 'latin1');
  return Buffer.concat([header, ...elements]);
}

/** The element as an miCOMPRESSED element (zlib), as MATLAB's default -v7 saves. */
export function compressed(element: Buffer): Buffer {
  const body = deflateSync(element, { level: 9 });
  const head = Buffer.alloc(8);
  head.writeUInt32LE(miCOMPRESSED, 0);
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body]);
}
