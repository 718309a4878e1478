// Reading the few HDF5 structures Keras writes (groups, string and string-list attributes, float
// datasets), through jsfive (pure JavaScript, read-only; loaded only when an HDF5 file is opened).
// Every failure of the parser becomes a ModelFormatError naming the file and the object; a dataset's
// element count is checked against the loader's limit and against the file size before its values
// are read, so a hostile header cannot make it allocate without bound.

import { ModelFormatError } from './errors.ts';

export interface FloatDataset {
  shape: number[];
  data: Float32Array;
}

/** An opened HDF5 file: paths are "/"-separated names from the root. */
export interface Hdf5 {
  /** Whether a group or dataset exists at `path`. */
  has(path: string): boolean;
  /** The names directly under the group at `path`. */
  keys(path: string): string[];
  /** An attribute of the group or dataset at `path` (strings without their NUL padding), or undefined. */
  attr(path: string, name: string): unknown;
  /** A float dataset's shape and values (float32, float64 or float16 on disk). */
  floats(path: string, maxElements: number): FloatDataset;
}

const cleanString = (v: unknown): unknown => (typeof v === 'string' ? v.replace(/\0+$/, '') : Array.isArray(v) ? v.map(cleanString) : v);

/** Opens `bytes` as HDF5 (the caller checked the signature). */
export async function openHdf5(bytes: Uint8Array, file: string): Promise<Hdf5> {
  const jsfive = await import('jsfive');
  const buffer = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? (bytes.buffer as ArrayBuffer) : (bytes.slice().buffer as ArrayBuffer);
  const guard = <T>(what: string, f: () => T): T => {
    try {
      return f();
    } catch (e) {
      if (e instanceof ModelFormatError) throw e;
      const msg = e instanceof Error ? e.message : String(e);
      throw new ModelFormatError(`${file}: HDF5 ${what} cannot be read (${msg || 'corrupt structure'}); the file may be truncated or corrupt`);
    }
  };
  const root = guard('superblock', () => new jsfive.File(buffer, file));
  const get = (path: string) => (path === '' || path === '/' ? root : guard(`object "${path}"`, () => root.get(path)));
  const exists = (path: string) => {
    try {
      return get(path) != null;
    } catch (e) {
      // jsfive throws (or returns undefined) for a missing name; a corrupt link is reported where it is read
      return false;
    }
  };
  return {
    has: exists,
    keys(path) {
      const g = get(path);
      if (!(g instanceof jsfive.Group)) throw new ModelFormatError(`${file}: HDF5 "${path}" is not a group`);
      return guard(`group "${path}"`, () => g.keys.slice());
    },
    attr(path, name) {
      const o = get(path);
      if (o == null) return undefined;
      const attrs = guard(`attributes of "${path || '/'}"`, () => o.attrs);
      return Object.prototype.hasOwnProperty.call(attrs, name) ? cleanString(attrs[name]) : undefined;
    },
    floats(path, maxElements) {
      const d = get(path);
      if (!(d instanceof jsfive.Dataset)) throw new ModelFormatError(`${file}: HDF5 "${path}" is not a dataset`);
      const shape = guard(`dataset "${path}"`, () => d.shape.slice());
      if (!shape.every((n) => Number.isSafeInteger(n) && n >= 0)) throw new ModelFormatError(`${file}: HDF5 dataset "${path}" has shape [${shape}]`);
      const count = shape.reduce((a, b) => a * b, 1);
      const dtype = guard(`dataset "${path}"`, () => d.dtype);
      const width = typeof dtype === 'string' ? /^[<>]?f([248])$/.exec(dtype) : null;
      if (!width) throw new ModelFormatError(`${file}: HDF5 dataset "${path}" has type ${JSON.stringify(dtype)}; weights must be floats (f2, f4, f8)`);
      if (count > maxElements) throw new ModelFormatError(`${file}: HDF5 dataset "${path}" has shape [${shape}] (${count} values), more than the ${maxElements} weights loadModel accepts (raise the limit with {maxParams})`);
      if (count * Number(width[1]) > bytes.byteLength) throw new ModelFormatError(`${file}: HDF5 dataset "${path}" has shape [${shape}], more data than the ${bytes.byteLength}-byte file holds`);
      const values = guard(`dataset "${path}"`, () => d.value);
      if (!values || values.length !== count) throw new ModelFormatError(`${file}: HDF5 dataset "${path}" holds ${values?.length ?? 0} values, its shape [${shape}] needs ${count}`);
      return { shape, data: Float32Array.from(values) };
    },
  };
}
