// Reading named entries of a zip archive (the .keras format) without trusting its headers: the
// central directory is read here (no ZIP64: a model archive over 4 GB is refused), at most
// MAX_ZIP_ENTRIES entries, each entry inflated by fflate's streaming Inflate (loaded only when a zip
// is opened) in 64 KB pieces and stopped as soon as it outgrows its declared size or `maxBytes`,
// so a zip bomb costs at most one piece beyond the limit.

import { ModelFormatError } from './errors.ts';

export const MAX_ZIP_ENTRIES = 1000;
const PIECE = 64 * 1024;

interface Entry {
  name: string;
  method: number;
  compressed: number;
  size: number;
  localOffset: number;
}

function directory(b: Uint8Array, file: string): Entry[] {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const bad = (why: string): never => {
    throw new ModelFormatError(`${file}: a zip archive (.keras), but ${why}; the file may be truncated or corrupt`);
  };
  let e = b.length - 22;
  const stop = Math.max(0, b.length - 22 - 65535);
  while (e >= stop && !(e >= 0 && v.getUint32(e, true) === 0x06054b50)) e--;
  if (e < stop) bad('its end-of-archive record is missing');
  const count = v.getUint16(e + 10, true);
  let o = v.getUint32(e + 16, true);
  if (count === 0xffff || o === 0xffffffff) bad('it is a ZIP64 archive (over 4 GB or 65,535 entries), which cnn1d does not read');
  if (count > MAX_ZIP_ENTRIES) bad(`it has ${count} entries, more than the ${MAX_ZIP_ENTRIES} a model archive may have`);
  const entries: Entry[] = [];
  for (let i = 0; i < count; i++) {
    if (o + 46 > b.length || v.getUint32(o, true) !== 0x02014b50) bad(`central directory entry ${i} is damaged`);
    const n = v.getUint16(o + 28, true);
    if (o + 46 + n > b.length) bad(`central directory entry ${i} runs past the end`);
    const name = new TextDecoder().decode(b.subarray(o + 46, o + 46 + n));
    entries.push({ name, method: v.getUint16(o + 10, true), compressed: v.getUint32(o + 20, true), size: v.getUint32(o + 24, true), localOffset: v.getUint32(o + 42, true) });
    o += 46 + n + v.getUint16(o + 30, true) + v.getUint16(o + 32, true);
  }
  return entries;
}

export interface ZipReader {
  names: string[];
  /** The inflated bytes of entry `name`, refused past `maxBytes`; undefined when absent. */
  read(name: string, maxBytes: number): Promise<Uint8Array | undefined>;
}

export function openZip(b: Uint8Array, file: string): ZipReader {
  const entries = directory(b, file);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return {
    names: entries.map((e) => e.name),
    async read(name, maxBytes) {
      const e = entries.find((x) => x.name === name);
      if (!e) return undefined;
      const at = `${file}: zip entry "${name}"`;
      const h = e.localOffset;
      if (h + 30 > b.length || v.getUint32(h, true) !== 0x04034b50) throw new ModelFormatError(`${at} has no local header at offset ${h}; the file may be truncated or corrupt`);
      const start = h + 30 + v.getUint16(h + 26, true) + v.getUint16(h + 28, true);
      if (start + e.compressed > b.length) throw new ModelFormatError(`${at} runs past the end of the file (${start + e.compressed} > ${b.length} bytes); the file may be truncated`);
      if (e.size > maxBytes) throw new ModelFormatError(`${at} inflates to ${e.size} bytes, more than the ${maxBytes} it may have`);
      const data = b.subarray(start, start + e.compressed);
      if (e.method === 0) {
        if (e.compressed !== e.size) throw new ModelFormatError(`${at} is stored with ${e.compressed} bytes but declares ${e.size}`);
        return data.slice();
      }
      if (e.method !== 8) throw new ModelFormatError(`${at} uses compression method ${e.method}; .keras archives use stored (0) or deflate (8)`);
      const { Inflate } = await import('fflate');
      const out = new Uint8Array(e.size);
      let n = 0;
      let ended = false;
      const inflater = new Inflate((chunk, final) => {
        if (n + chunk.length > e.size) throw new ModelFormatError(`${at} inflates past the ${e.size} bytes it declares (a zip bomb or a corrupt archive)`);
        out.set(chunk, n);
        n += chunk.length;
        if (final) ended = true;
      });
      try {
        for (let o = 0; o < data.length && !ended; o += PIECE) inflater.push(data.subarray(o, Math.min(o + PIECE, data.length)), o + PIECE >= data.length);
      } catch (err) {
        if (err instanceof ModelFormatError) throw err;
        throw new ModelFormatError(`${at} cannot be inflated (${(err as Error).message}); the file may be truncated or corrupt`);
      }
      if (!ended || n !== e.size) throw new ModelFormatError(`${at} inflated to ${n} bytes, its header declares ${e.size}; the file may be truncated or corrupt`);
      return out;
    },
  };
}
