// Two rewrites of the kernel module's binary (WebAssembly core spec, "Binary Format"; sections are
// id byte, u32 LEB size, content). asc builds it with `--sharedMemory --maximumMemory`, so it
// imports env.memory as `shared` (limits flag 0x03: min, max, shared).
//  - unshare: flag 0x03 -> 0x01 (min, max), the single-thread fallback where SharedArrayBuffer is
//    unavailable; same length, patched in place.
//  - passiveData: every active data segment (flag 0: i32.const offset expr, bytes) becomes passive
//    (flag 1: bytes), so an instance made in a worker writes nothing to the memory it joins. The
//    segments (the constant tables of AssemblyScript's math) were written once by the first
//    instance; passive segments need no DataCount section unless memory.init/data.drop are used,
//    which the kernels never do.

const IMPORT = 2;
const DATA = 11;

/** Reads a u32 LEB at `p`: [value, next position]. */
function leb(b: Uint8Array, p: number): [number, number] {
  let v = 0;
  let shift = 0;
  for (;;) {
    const byte = b[p++];
    v += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return [v, p];
    shift += 7;
  }
}

function encodeLeb(v: number): number[] {
  const out: number[] = [];
  do {
    let byte = v & 0x7f;
    v = Math.floor(v / 128);
    if (v > 0) byte |= 0x80;
    out.push(byte);
  } while (v > 0);
  return out;
}

interface Section {
  id: number;
  at: number; // the id byte
  start: number; // first content byte
  end: number;
}

function sections(b: Uint8Array): Section[] {
  const out: Section[] = [];
  let p = 8; // magic + version
  while (p < b.length) {
    const id = b[p];
    const [size, q] = leb(b, p + 1);
    out.push({ id, at: p, start: q, end: q + size });
    p = q + size;
  }
  return out;
}

/** Position of the limits flag byte of the memory import env.memory, or -1. */
function memoryLimits(b: Uint8Array, s: Section): number {
  let [n, p] = leb(b, s.start);
  const skipName = (q: number) => {
    const [len, r] = leb(b, q);
    return r + len;
  };
  for (; n > 0; n--) {
    p = skipName(skipName(p));
    const kind = b[p++];
    if (kind === 0x02) return p; // memory: limits follow
    if (kind === 0x00) p = leb(b, p)[1]; // func: type index
    else if (kind === 0x01) p = skipLimits(b, p + 1); // table: reftype, limits
    else if (kind === 0x03) p += 2; // global: valtype, mut
    else throw new Error(`cnn1d: unexpected import kind ${kind} in the kernel module`);
  }
  return -1;
}

function skipLimits(b: Uint8Array, p: number): number {
  const flag = b[p];
  p = leb(b, p + 1)[1];
  return flag & 1 ? leb(b, p)[1] : p;
}

/** Whether the module imports a shared memory. */
export function importsSharedMemory(bytes: Uint8Array): boolean {
  const imp = sections(bytes).find((s) => s.id === IMPORT);
  const at = imp ? memoryLimits(bytes, imp) : -1;
  return at >= 0 && (bytes[at] & 2) !== 0;
}

/** A copy of the module importing an unshared memory (same min and max). */
export function unshareMemory(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(bytes);
  const imp = sections(out).find((s) => s.id === IMPORT);
  const at = imp ? memoryLimits(out, imp) : -1;
  if (at >= 0) out[at] &= ~2;
  return out;
}

/** A copy of the module whose active data segments are passive (nothing written at instantiation). */
export function passiveData(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const data = sections(bytes).find((s) => s.id === DATA);
  if (!data) return new Uint8Array(bytes);
  let [n, p] = leb(bytes, data.start);
  const content: number[] = encodeLeb(n);
  for (; n > 0; n--) {
    const [flag, q] = leb(bytes, p);
    let body = q;
    if (flag === 0) {
      while (bytes[body] !== 0x0b) body++; // the offset expression: i32.const LEB, end
      body++;
    } else if (flag === 2) throw new Error('cnn1d: data segment with a memory index in the kernel module');
    const [len, r] = leb(bytes, body);
    content.push(...encodeLeb(1), ...encodeLeb(len));
    for (let i = 0; i < len; i++) content.push(bytes[r + i]);
    p = r + len;
  }
  // everything up to the section id, the new size and content, the sections after it
  return new Uint8Array([...bytes.subarray(0, data.at + 1), ...encodeLeb(content.length), ...content, ...bytes.subarray(data.end)]);
}
