// f32_count_nonfinite vs src/reference/check.ts over sizes hitting every SIMD tail, with NaN and
// ±Infinity placed at every position, and NaN guards around the region that must not be counted.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { countNonFinite } from '../../src/reference/check.ts';
import { Random, withScratch, SIMD_TAIL_SIZES, GUARD, type Scratch } from '../helpers/wasm.ts';

const SIZES = [...SIMD_TAIL_SIZES, 0, 2, 9, 23, 24, 25, 31, 32, 1000];
const BAD = [NaN, Infinity, -Infinity];
// finite extremes: largest float32, smallest normal and subnormal, negative zero
const EDGE = [3.4028234663852886e38, -3.4028234663852886e38, 1.1754943508222875e-38, 1.401298464324817e-45, -0];

/** Counts over x by the kernel, with NaN-filled guards before and after the region. */
function kernelCount(s: Scratch, x: Float32Array): number {
  const buf = new Float32Array(x.length + 2 * GUARD).fill(NaN);
  buf.set(x, GUARD);
  return s.k.f32_count_nonfinite(s.put(buf) + GUARD * 4, x.length);
}

test('reference: counts NaN and ±Infinity only', () => {
  assert.equal(countNonFinite(Float32Array.from([1, NaN, -Infinity, 0, Infinity, ...EDGE]), 10), 3);
  assert.equal(countNonFinite(Float32Array.from([NaN, NaN]), 1), 1, 'only the first N values');
});

test('f32_count_nonfinite finds one NaN/±Infinity at every position of every size', () => {
  const rng = new Random(11);
  withScratch((s) => {
    for (const N of SIZES) {
      const base = rng.uniformArray(N).map((v) => v * 1e30);
      assert.equal(kernelCount(s, base), 0, `N=${N}: finite values only (guards are NaN and must not count)`);
      for (let pos = 0; pos < N; pos++) {
        for (const bad of BAD) {
          const x = Float32Array.from(base);
          x[pos] = bad;
          assert.equal(kernelCount(s, x), countNonFinite(x, N), `N=${N}: ${bad} at ${pos}`);
          assert.equal(kernelCount(s, x), 1, `N=${N}: ${bad} at ${pos}`);
        }
      }
    }
  });
});

test('f32_count_nonfinite counts many bad values and ignores finite extremes', () => {
  const rng = new Random(12);
  withScratch((s) => {
    for (const N of SIZES) {
      const x = new Float32Array(N);
      for (let i = 0; i < N; i++) x[i] = rng.uniform(0, 1) < 0.3 ? BAD[rng.int(3)] : EDGE[rng.int(EDGE.length)];
      assert.equal(kernelCount(s, x), countNonFinite(x, N), `N=${N}`);
      assert.equal(kernelCount(s, new Float32Array(N).fill(NaN)), N, `N=${N} all NaN`);
    }
  });
});
