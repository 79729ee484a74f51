// A reader for MATLAB level 5 MAT-files, enough for datasets: it walks the top-level
// elements (inflating zlib-compressed ones), and returns every variable with its class and
// dimensions; double and single real arrays also carry their values (column-major, as
// float64). Anything else is named, not decoded, so callers can refuse it clearly.
import { constants as zlibConstants, inflateSync } from 'node:zlib';
import { StudioError } from '../../../src-shared/api/define';

export interface MatVariable {
  name: string;
  className: string;
  dims: number[];
  /** Column-major values; present for real double and single arrays only. */
  data: Float64Array | null;
}

/** Inflated bytes one file may produce in all (LSPET's joints are 3.4 MB): a zip bomb stops here. */
export const MAX_MAT_INFLATED_BYTES = 256 * 1024 * 1024;

const MI = {
  INT8: 1,
  UINT8: 2,
  INT16: 3,
  UINT16: 4,
  INT32: 5,
  UINT32: 6,
  SINGLE: 7,
  DOUBLE: 9,
  INT64: 12,
  UINT64: 13,
  MATRIX: 14,
  COMPRESSED: 15,
};
const CLASS_NAMES: Record<number, string> = {
  1: 'cell',
  2: 'struct',
  3: 'object',
  4: 'char',
  5: 'sparse',
  6: 'double',
  7: 'single',
  8: 'int8',
  9: 'uint8',
  10: 'int16',
  11: 'uint16',
  12: 'int32',
  13: 'uint32',
  14: 'int64',
  15: 'uint64',
};
const BYTES_PER: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 2, 5: 4, 6: 4, 7: 4, 9: 8, 12: 8, 13: 8 };

interface Element {
  type: number;
  data: Uint8Array;
  /** Offset just past the element (including padding). */
  next: number;
}

class MatReader {
  private inflatedBytes = 0;

  constructor(
    private readonly file: string,
    private readonly littleEndian: boolean,
  ) {}

  fail(message: string): never {
    throw new StudioError('bad-input', `${this.file}: ${message}`);
  }

  element(bytes: Uint8Array, offset: number, where: string): Element {
    if (offset + 8 > bytes.length) this.fail(`truncated ${where}: element tag at byte ${offset} runs past the end`);
    const view = new DataView(bytes.buffer, bytes.byteOffset + offset, 8);
    const first = view.getUint32(0, this.littleEndian);
    const small = first >>> 16;
    if (small !== 0) {
      // Small data element: type and size packed in the first four bytes, data in the next four.
      if (small > 4) this.fail(`corrupt ${where}: small element at byte ${offset} claims ${small} bytes`);
      return { type: first & 0xffff, data: bytes.subarray(offset + 4, offset + 4 + small), next: offset + 8 };
    }
    const size = view.getUint32(4, this.littleEndian);
    const end = offset + 8 + size;
    if (end > bytes.length)
      this.fail(
        `truncated ${where}: element at byte ${offset} claims ${size} bytes, only ${bytes.length - offset - 8} remain`,
      );
    const padded = first === MI.COMPRESSED ? end : offset + 8 + Math.ceil(size / 8) * 8;
    return { type: first, data: bytes.subarray(offset + 8, end), next: Math.min(padded, bytes.length) };
  }

  numbers(element: Element, where: string): Float64Array {
    const size = BYTES_PER[element.type];
    if (!size) this.fail(`${where}: unsupported data type ${element.type}`);
    if (element.data.length % size !== 0)
      this.fail(`${where}: ${element.data.length} bytes is not a whole number of values`);
    const count = element.data.length / size;
    const view = new DataView(element.data.buffer, element.data.byteOffset, element.data.length);
    const le = this.littleEndian;
    const out = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const at = i * size;
      switch (element.type) {
        case MI.INT8:
          out[i] = view.getInt8(at);
          break;
        case MI.UINT8:
          out[i] = view.getUint8(at);
          break;
        case MI.INT16:
          out[i] = view.getInt16(at, le);
          break;
        case MI.UINT16:
          out[i] = view.getUint16(at, le);
          break;
        case MI.INT32:
          out[i] = view.getInt32(at, le);
          break;
        case MI.UINT32:
          out[i] = view.getUint32(at, le);
          break;
        case MI.SINGLE:
          out[i] = view.getFloat32(at, le);
          break;
        case MI.DOUBLE:
          out[i] = view.getFloat64(at, le);
          break;
        case MI.INT64:
          out[i] = Number(view.getBigInt64(at, le));
          break;
        case MI.UINT64:
          out[i] = Number(view.getBigUint64(at, le));
          break;
      }
    }
    return out;
  }

  matrix(element: Element): MatVariable {
    const body = element.data;
    const flags = this.element(body, 0, 'array flags');
    if (flags.type !== MI.UINT32 || flags.data.length < 4) this.fail('corrupt array: missing array flags');
    const flagWord = new DataView(flags.data.buffer, flags.data.byteOffset, 4).getUint32(0, this.littleEndian);
    const classCode = flagWord & 0xff;
    const complex = (flagWord & 0x0800) !== 0;
    const dimsElement = this.element(body, flags.next, 'array dimensions');
    const dims = Array.from(this.numbers(dimsElement, 'array dimensions'));
    const nameElement = this.element(body, dimsElement.next, 'array name');
    const name = new TextDecoder().decode(nameElement.data);
    const className = CLASS_NAMES[classCode] ?? `class ${classCode}`;
    if ((classCode !== 6 && classCode !== 7) || complex)
      return { name, className: complex ? `complex ${className}` : className, dims, data: null };
    const real = this.element(body, nameElement.next, `values of '${name}'`);
    const data = this.numbers(real, `values of '${name}'`);
    const expected = dims.reduce((a, b) => a * b, 1);
    if (data.length !== expected)
      this.fail(`variable '${name}' has ${data.length} values for dimensions ${dims.join('×')} (${expected})`);
    return { name, className, dims, data };
  }

  /**
   * A compressed element holds one element whose tag states its size; inflation stops there
   * (and at the file's global cap), so a small file cannot claim a small array and yield gigabytes.
   */
  inflate(data: Uint8Array, offset: number): Buffer {
    const remaining = MAX_MAT_INFLATED_BYTES - this.inflatedBytes;
    const declared = this.declaredInflatedSize(data, offset, remaining);
    const limit = Math.min(declared, remaining);
    try {
      return inflateSync(data, { maxOutputLength: limit });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ERR_BUFFER_TOO_LARGE')
        this.fail(`compressed element at byte ${offset} does not inflate (${(error as Error).message})`);
      if (declared <= remaining)
        this.fail(`compressed element at byte ${offset} inflates past the ${declared} bytes its tag declares; refused`);
      this.fail(
        `compressed element at byte ${offset} inflates past the ${MAX_MAT_INFLATED_BYTES / (1024 * 1024)} MB limit; refused`,
      );
    }
  }

  /** Bytes the inflated element's own tag declares (tag and padding included), read from a prefix of the stream. */
  declaredInflatedSize(data: Uint8Array, offset: number, remaining: number): number {
    // A prefix of n compressed bytes inflates to at most ~1032·n bytes, so peeking is cheap.
    for (let prefix = 4096; ; prefix *= 16) {
      const part = data.subarray(0, Math.min(prefix, data.length));
      let head: Buffer;
      try {
        head = inflateSync(part, { finishFlush: zlibConstants.Z_SYNC_FLUSH, maxOutputLength: Math.max(8, remaining) });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
          this.fail(
            `compressed element at byte ${offset} inflates past the ${MAX_MAT_INFLATED_BYTES / (1024 * 1024)} MB limit; refused`,
          );
        }
        this.fail(`compressed element at byte ${offset} does not inflate (${(error as Error).message})`);
      }
      if (head.length >= 8) {
        const first = head.readUInt32LE(0);
        const word = this.littleEndian ? first : head.readUInt32BE(0);
        if (word >>> 16 !== 0) return 8; // a small data element: tag and data in eight bytes
        const size = this.littleEndian ? head.readUInt32LE(4) : head.readUInt32BE(4);
        return 8 + Math.ceil(size / 8) * 8;
      }
      if (part.length === data.length)
        this.fail(`compressed element at byte ${offset} inflates to less than one element tag`);
    }
  }

  variables(bytes: Uint8Array, start: number, into: MatVariable[]): void {
    let offset = start;
    while (offset < bytes.length) {
      if (bytes.length - offset < 8) break; // trailing padding
      const element = this.element(bytes, offset, 'variable');
      if (element.type === MI.COMPRESSED) {
        const inflated = this.inflate(element.data, offset);
        this.inflatedBytes += inflated.length;
        this.variables(new Uint8Array(inflated.buffer, inflated.byteOffset, inflated.length), 0, into);
      } else if (element.type === MI.MATRIX) {
        if (element.data.length > 0) into.push(this.matrix(element));
      } else {
        this.fail(`unexpected top-level element of type ${element.type} at byte ${offset}`);
      }
      offset = element.next;
    }
  }
}

export function readMat(bytes: Uint8Array, file: string): MatVariable[] {
  const header = new TextDecoder('latin1').decode(bytes.subarray(0, 116));
  if (header.startsWith('MATLAB 7.3 MAT-file')) {
    throw new StudioError('bad-input', `${file}: MAT v7.3 (HDF5) files are not supported; save with -v7 or -v6`);
  }
  if (bytes.length < 128 || !header.startsWith('MATLAB 5.0 MAT-file')) {
    throw new StudioError(
      'bad-input',
      `${file}: not a MATLAB 5 MAT-file (header does not start with 'MATLAB 5.0 MAT-file')`,
    );
  }
  const endian = String.fromCharCode(bytes[126], bytes[127]);
  if (endian !== 'IM' && endian !== 'MI')
    throw new StudioError('bad-input', `${file}: bad endian indicator '${endian}' in the MAT header`);
  const variables: MatVariable[] = [];
  new MatReader(file, endian === 'IM').variables(bytes, 128, variables);
  return variables;
}
