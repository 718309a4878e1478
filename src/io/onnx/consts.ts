// Constant folding of the small integer and float tensors of an ONNX graph: initializers, Constant
// nodes and the shape subgraphs torch.onnx.export writes (Shape -> Gather -> Unsqueeze -> Concat
// -> Reshape, F.pad's pads arithmetic). Row-major n-d arrays, numpy broadcasting.

import { ModelFormatError } from '../errors.ts';

/** A constant: dims and values (floats for float tensors, numbers for integer ones). */
export interface Const {
  kind: 'const';
  dims: number[];
  data: number[] | Float32Array;
  int: boolean;
}

/** Stand-ins in shape tensors for the batch size and a variable length: Shape of an activation
 *  yields them, Reshape reads them; arithmetic on them is refused. */
export const BATCH = -1_000_001;
export const LENGTH = -1_000_002;
/** Most elements a folded constant may have (shape tensors have a handful). */
export const MAX_FOLDED = 1 << 20;

export const constOf = (dims: number[], data: number[] | Float32Array, int: boolean): Const => ({ kind: 'const', dims, data, int });
export const scalarOf = (c: Const): number[] => Array.from(c.data);

const count = (dims: number[]) => dims.reduce((a, b) => a * b, 1);
const strides = (dims: number[]) => {
  const s = dims.map(() => 1);
  for (let i = dims.length - 2; i >= 0; i--) s[i] = s[i + 1] * dims[i + 1];
  return s;
};

function checkSize(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0 || n > MAX_FOLDED) throw new ModelFormatError(`onnx: ${what}: a folded constant of ${n} elements (at most ${MAX_FOLDED})`);
}

/** out[i] = a[idx(i)] for an index map over the output's multi-index. */
function gatherBy(a: Const, dims: number[], at: (ix: number[]) => number, what: string): Const {
  const n = count(dims);
  checkSize(n, what);
  const out: number[] = new Array(n);
  const ix = dims.map(() => 0);
  for (let i = 0; i < n; i++) {
    out[i] = a.data[at(ix)];
    for (let d = dims.length - 1; d >= 0; d--) {
      if (++ix[d] < dims[d]) break;
      ix[d] = 0;
    }
  }
  return constOf(dims, a.int ? out : Float32Array.from(out), a.int);
}

export function broadcast(a: Const, b: Const, f: (x: number, y: number) => number, what: string): Const {
  const rank = Math.max(a.dims.length, b.dims.length);
  const pa = [...Array(rank - a.dims.length).fill(1), ...a.dims];
  const pb = [...Array(rank - b.dims.length).fill(1), ...b.dims];
  const dims = pa.map((d, i) => {
    if (d !== pb[i] && d !== 1 && pb[i] !== 1) throw new ModelFormatError(`onnx: ${what}: shapes [${a.dims}] and [${b.dims}] do not broadcast`);
    return Math.max(d, pb[i]);
  });
  const sa = strides(pa).map((s, i) => (pa[i] === 1 ? 0 : s));
  const sb = strides(pb).map((s, i) => (pb[i] === 1 ? 0 : s));
  const n = count(dims);
  checkSize(n, what);
  const out: number[] = new Array(n);
  const ix = dims.map(() => 0);
  for (let i = 0; i < n; i++) {
    let ia = 0;
    let ib = 0;
    for (let d = 0; d < rank; d++) (ia += ix[d] * sa[d]), (ib += ix[d] * sb[d]);
    out[i] = f(a.data[ia], b.data[ib]);
    for (let d = rank - 1; d >= 0; d--) {
      if (++ix[d] < dims[d]) break;
      ix[d] = 0;
    }
  }
  const int = a.int && b.int;
  return constOf(dims, int ? out.map(Math.trunc) : Float32Array.from(out), int);
}

export function transpose(a: Const, perm: number[], what: string): Const {
  const dims = perm.map((p) => a.dims[p]);
  const s = strides(a.dims);
  return gatherBy(a, dims, (ix) => ix.reduce((o, v, d) => o + v * s[perm[d]], 0), what);
}

/** numpy-style slice along the given axes (negative indices, steps, clamping as ONNX Slice). */
export function slice(a: Const, starts: number[], ends: number[], axes: number[], steps: number[], what: string): Const {
  const rank = a.dims.length;
  const st = a.dims.map(() => 0);
  const sp = a.dims.map(() => 1);
  const dims = a.dims.slice();
  axes.forEach((ax0, i) => {
    const ax = ax0 < 0 ? ax0 + rank : ax0;
    const D = a.dims[ax];
    const step = steps[i] ?? 1;
    if (step === 0) throw new ModelFormatError(`onnx: ${what}: a slice step of 0`);
    const norm = (v: number, lo: number, hi: number) => Math.min(Math.max(v < 0 ? v + D : v, lo), hi);
    const s = step > 0 ? norm(starts[i], 0, D) : norm(starts[i], -1, D - 1);
    const e = step > 0 ? norm(ends[i], 0, D) : norm(ends[i], -1, D - 1);
    st[ax] = s;
    sp[ax] = step;
    dims[ax] = Math.max(0, Math.ceil((e - s) / step));
  });
  const s = strides(a.dims);
  return gatherBy(a, dims, (ix) => ix.reduce((o, v, d) => o + (st[d] + v * sp[d]) * s[d], 0), what);
}

export function gather(a: Const, idx: Const, axis0: number, what: string): Const {
  const axis = axis0 < 0 ? axis0 + a.dims.length : axis0;
  const D = a.dims[axis];
  const dims = [...a.dims.slice(0, axis), ...idx.dims, ...a.dims.slice(axis + 1)];
  const s = strides(a.dims);
  return gatherBy(a, dims, (ix) => {
    const k = idx.dims.length;
    let flat = 0;
    const is = strides(idx.dims);
    for (let d = 0; d < k; d++) flat += ix[axis + d] * is[d];
    let j = idx.data[flat];
    if (j < 0) j += D;
    if (!(j >= 0 && j < D)) throw new ModelFormatError(`onnx: ${what}: index ${idx.data[flat]} is out of range for a dimension of ${D}`);
    let o = j * s[axis];
    for (let d = 0; d < axis; d++) o += ix[d] * s[d];
    for (let d = axis + 1; d < a.dims.length; d++) o += ix[d + k - 1] * s[d];
    return o;
  }, what);
}

export function concat(list: Const[], axis0: number, what: string): Const {
  const rank = list[0].dims.length;
  const axis = axis0 < 0 ? axis0 + rank : axis0;
  if (list.some((c) => c.dims.length !== rank || c.dims.some((d, i) => i !== axis && d !== list[0].dims[i]))) throw new ModelFormatError(`onnx: ${what}: constants of shapes ${list.map((c) => `[${c.dims}]`).join(', ')} do not concatenate on axis ${axis0}`);
  const dims = list[0].dims.slice();
  dims[axis] = list.reduce((n, c) => n + c.dims[axis], 0);
  checkSize(count(dims), what);
  const outer = count(dims.slice(0, axis));
  const out: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (const c of list) {
      const inner = count(c.dims.slice(axis));
      for (let i = 0; i < inner; i++) out.push(c.data[o * inner + i]);
    }
  }
  const int = list.every((c) => c.int);
  return constOf(dims, int ? out : Float32Array.from(out), int);
}

/** ONNX Reshape of a constant: 0 copies the input dim, -1 is inferred. */
export function reshape(a: Const, target: number[], what: string): Const {
  const dims = target.map((d, i) => (d === 0 ? a.dims[i] : d));
  const known = dims.filter((d) => d !== -1).reduce((x, y) => x * y, 1);
  const n = count(a.dims);
  const filled = dims.map((d) => (d === -1 ? n / known : d));
  if (count(filled) !== n || filled.some((d) => !Number.isInteger(d) || d < 0)) throw new ModelFormatError(`onnx: ${what}: cannot reshape a constant of shape [${a.dims}] to [${target}]`);
  return constOf(filled, a.data, a.int);
}
