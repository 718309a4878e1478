// NODE ONLY. Reading .zip archives (PKWARE APPNOTE 6.3: end of central directory, central
// directory, local headers) with entries stored (method 0) or deflated (method 8), which is what
// the GitHub archives and timeseriesclassification.com's zips hold. Inflation is node:zlib's
// inflateRawSync, asked of process.getBuiltinModule at call time, so this module imports nothing
// and needs no dependency. Zip64 and encrypted entries are refused by name.

import { DataError } from './errors.ts';

export interface ZipEntry {
  /** The path inside the archive, '/'-separated; folders end in '/'. */
  name: string;
  method: number;
  crc32: number;
  compressedSize: number;
  size: number;
  /** Offset of the entry's local header. */
  localOffset: number;
  flags: number;
}

interface Zlib {
  inflateRawSync(buf: Uint8Array): Uint8Array;
  crc32?: (data: Uint8Array) => number;
}

function zlib(source: string): Zlib {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const z = proc?.getBuiltinModule?.('node:zlib') as Zlib | undefined;
  if (!z) throw new DataError(`${source}: unzipping needs Node >= 20.16 (process.getBuiltinModule)`);
  return z;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** The entries of a zip archive, from its central directory. */
export function zipEntries(bytes: Uint8Array, source: string): ZipEntry[] {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = -1;
  // the end record is 22 bytes plus a comment of at most 65535
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (v.getUint32(i, true) === EOCD) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new DataError(`${source}: not a zip archive (no end of central directory record)`);
  const count = v.getUint16(end + 10, true);
  let at = v.getUint32(end + 16, true);
  if (count === 0xffff || at === 0xffffffff) throw new DataError(`${source}: a zip64 archive, which cnn1d does not read`);
  const out: ZipEntry[] = [];
  for (let k = 0; k < count; k++) {
    if (at + 46 > bytes.length || v.getUint32(at, true) !== CENTRAL) throw new DataError(`${source}: central directory entry ${k} is damaged`);
    const nameLength = v.getUint16(at + 28, true);
    const entry: ZipEntry = {
      flags: v.getUint16(at + 8, true),
      method: v.getUint16(at + 10, true),
      crc32: v.getUint32(at + 16, true),
      compressedSize: v.getUint32(at + 20, true),
      size: v.getUint32(at + 24, true),
      localOffset: v.getUint32(at + 42, true),
      name: new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength)),
    };
    if (entry.size === 0xffffffff || entry.compressedSize === 0xffffffff || entry.localOffset === 0xffffffff) {
      throw new DataError(`${source}: ${entry.name} is a zip64 entry, which cnn1d does not read`);
    }
    out.push(entry);
    at += 46 + nameLength + v.getUint16(at + 30, true) + v.getUint16(at + 32, true);
  }
  return out;
}

/** The bytes of one entry, inflated and checked against its size and CRC-32. */
export function unzipEntry(bytes: Uint8Array, entry: ZipEntry, source: string): Uint8Array {
  const where = `${source}: ${entry.name}`;
  if (entry.flags & 1) throw new DataError(`${where} is encrypted`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = entry.localOffset;
  if (at + 30 > bytes.length || v.getUint32(at, true) !== LOCAL) throw new DataError(`${where}: local header damaged`);
  const start = at + 30 + v.getUint16(at + 26, true) + v.getUint16(at + 28, true);
  const raw = bytes.subarray(start, start + entry.compressedSize);
  if (raw.length !== entry.compressedSize) throw new DataError(`${where}: truncated (the archive ends inside it)`);
  const z = zlib(source);
  let data: Uint8Array;
  if (entry.method === 0) data = raw;
  else if (entry.method === 8) {
    try {
      data = z.inflateRawSync(raw);
    } catch (e) {
      throw new DataError(`${where}: corrupt deflate data (${(e as Error).message})`);
    }
  } else throw new DataError(`${where}: compression method ${entry.method}, expected 0 (stored) or 8 (deflate)`);
  if (data.length !== entry.size) throw new DataError(`${where}: ${data.length} bytes, the directory says ${entry.size}`);
  if (z.crc32 && z.crc32(data) >>> 0 !== entry.crc32) throw new DataError(`${where}: CRC-32 mismatch, the archive is corrupt`);
  return data;
}
