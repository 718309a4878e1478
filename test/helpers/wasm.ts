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
