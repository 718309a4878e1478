// Test helpers: put arrays into the kernel memory, read them back, compare with a reference.
import assert from 'node:assert/strict';
import { runtime, type Runtime } from '../../src/runtime/runtime.ts';
import { Random } from '../../src/runtime/random.ts';

export { Random };

/** Allocations for one test, released together. */
export class Scratch {
  readonly rt: Runtime = runtime();
  private readonly ptrs: number[] = [];

  get k() {
    return this.rt.kernels;
  }

  /** Copies data into fresh memory; returns its address. */
  put(data: ArrayLike<number>): number {
    const ptr = this.rt.upload(data);
    this.ptrs.push(ptr);
    return ptr;
  }

  /** n zeroed floats (or int32s). */
  zeros(n: number): number {
    const ptr = this.rt.allocF32(Math.max(n, 1));
    this.ptrs.push(ptr);
    return ptr;
  }

  /** Copies n floats out. */
  get(ptr: number, n: number): Float32Array {
    return this.rt.download(ptr, n);
  }

  /** Copies n int32s out. */
  getI32(ptr: number, n: number): Int32Array {
    return this.rt.i32(ptr, n).slice();
  }

  dispose(): void {
    for (const p of this.ptrs) this.rt.release(p);
    this.ptrs.length = 0;
  }
}

/** Runs fn with a Scratch and releases it afterwards. */
export function withScratch<T>(fn: (s: Scratch) => T): T {
  const s = new Scratch();
  try {
    return fn(s);
  } finally {
    s.dispose();
  }
}

/** Asserts |a-b| <= atol + rtol*|b| elementwise; names the first offending index. */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, label: string, atol = 1e-5, rtol = 1e-4): void {
  assert.equal(actual.length, expected.length, `${label}: length ${actual.length} != expected ${expected.length}`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const b = expected[i];
    if (!(Math.abs(a - b) <= atol + rtol * Math.abs(b))) {
      assert.fail(`${label}: element ${i} is ${a}, expected ${b} (|diff| ${Math.abs(a - b)} > ${atol} + ${rtol}*|expected|)`);
    }
  }
}

// ---- Size grids shared by the kernel tests -------------------------------------------------
// The kernels work in f32x4 vectors, often unrolled to 8 or 16 floats, then finish with a scalar
// tail; these grids put a size on each side of every such edge.

/** Element counts for the elementwise kernels (activations, losses, optimizers, pool lengths):
 *  below, at and past 4, 8 and 16 floats, and 33 for two full 16-float blocks plus a tail. */
export const SIMD_TAIL_SIZES: readonly number[] = [1, 3, 4, 5, 7, 8, 15, 16, 17, 33];

/** Row and column counts for the tiled matrix kernels (gemm, dense, bias): 4-row tiles,
 *  8- and 4-column vector tiles and scalar columns, each hit below, at and past its edge. */
export const TILE_SIZES: readonly number[] = [1, 3, 4, 5, 7, 8, 9, 15, 16, 17];

/** Inner (reduction) dimensions for the tiled matrix kernels. */
export const TILE_DEPTHS: readonly number[] = [1, 3, 4, 5, 8, 17];

/** Channel counts for the channels-last kernels (batchnorm, pooling, PReLU): one and two
 *  f32x4 vectors with and without a tail. */
export const CHANNELS: readonly number[] = [1, 3, 4, 5, 8, 9];

// ---- Guarded output buffers ----------------------------------------------------------------
// A kernel that writes one float too far (a SIMD tail stored as a full vector, an off-by-one
// stride) corrupts its neighbour silently. The tests therefore place every output buffer between
// two guard regions of GUARD floats filled with SENTINEL and assert afterwards that both regions
// are unchanged.

/** Floats of guard on each side of a guarded buffer (32 bytes: two f32x4 vectors). */
export const GUARD = 8;
/** The guard value: exactly representable in f32 and far from anything a kernel computes here. */
export const SENTINEL = -777.25;

/** Uploads data between two guard regions of SENTINEL; returns the address of data[0]. */
export function putGuarded(s: Scratch, data: ArrayLike<number>): number {
  const buf = new Float32Array(data.length + 2 * GUARD).fill(SENTINEL);
  buf.set(data, GUARD);
  return s.put(buf) + GUARD * 4;
}

/** Asserts that both guard regions around the n floats at ptr (from putGuarded) are untouched.
 *  The failure names how many floats were written outside the buffer on each side, and where. */
export function checkGuards(s: Scratch, ptr: number, n: number, label: string): void {
  const before = s.get(ptr - GUARD * 4, GUARD);
  const after = s.get(ptr + n * 4, GUARD);
  // Offsets relative to the first float of the buffer: -GUARD..-1 before, n..n+GUARD-1 after.
  const hitsBefore = [...before.keys()].filter((i) => !Object.is(before[i], SENTINEL)).map((i) => i - GUARD);
  const hitsAfter = [...after.keys()].filter((i) => !Object.is(after[i], SENTINEL)).map((i) => n + i);
  if (hitsBefore.length + hitsAfter.length === 0) return;
  const side = (hits: number[], where: string) => `${hits.length} of the ${GUARD} floats ${where}${hits.length ? ` (offsets ${hits.join(', ')})` : ''}`;
  assert.fail(
    `${label}: wrote ${hitsBefore.length + hitsAfter.length} floats outside the ${n}-float output: ` +
      `${side(hitsBefore, 'before it')}, ${side(hitsAfter, 'past it')}`,
  );
}

/** Reads the n floats at ptr (from putGuarded) after checking both guard regions. */
export function getGuarded(s: Scratch, ptr: number, n: number, label: string): Float32Array {
  checkGuards(s, ptr, n, label);
  return s.get(ptr, n);
}

/** A guarded buffer holding a copy of init: pass `ptr` to a kernel, then `read()` the floats
 *  (or `readI32()` them as int32s) and `check(label)` that nothing was written outside. */
export interface Guarded {
  readonly ptr: number;
  readonly n: number;
  read(): Float32Array;
  readI32(): Int32Array;
  check(label: string): void;
}

/** Uploads init between two guard regions (see putGuarded) and wraps the result. */
export function guardedBuffer(s: Scratch, init: ArrayLike<number>): Guarded {
  const ptr = putGuarded(s, init);
  const n = init.length;
  return {
    ptr,
    n,
    read: () => s.get(ptr, n),
    readI32: () => s.getI32(ptr, n),
    check: (label: string) => checkGuards(s, ptr, n, label),
  };
}
