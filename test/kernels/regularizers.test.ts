// Penalty and constraint kernels (assembly/kernels/regularizers.ts) vs src/reference/regularizers.ts
// over sizes hitting every SIMD tail, in the [O, R, I] layouts of norms over leading, middle and
// trailing axes; zeros in w check sign(0) = 0.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import * as ref from '../../src/reference/regularizers.ts';
import { withScratch, assertClose, Random, guardedBuffer, SIMD_TAIL_SIZES } from '../helpers/wasm.ts';

test('l1l2_penalty: value and accumulated gradient match the reference', () => {
  const rng = new Random(61);
  for (const N of [...SIMD_TAIL_SIZES, 100]) {
    for (const [l1, l2] of [[0.01, 0], [0, 0.02], [0.03, 0.5]]) {
      withScratch((s) => {
        const w = rng.uniformArray(N, -1, 1);
        w[N >> 1] = 0;
        const dw0 = rng.uniformArray(N);
        const pw = s.put(w);
        const dw = guardedBuffer(s, dw0);
        const p = s.k.l1l2_penalty(pw, dw.ptr, N, l1, l2);
        const rdw = Float64Array.from(dw0);
        const rp = ref.l1l2Penalty(w, rdw, N, Math.fround(l1), Math.fround(l2));
        assert.ok(Math.abs(p - rp) <= 1e-6 * (1 + rp), `penalty N=${N}: ${p} vs ${rp}`);
        assertClose(dw.read(), rdw, `dw N=${N} l1=${l1} l2=${l2}`, 1e-6, 1e-5);
        dw.check(`dw N=${N}`);
        assert.equal(s.k.l1l2_penalty(pw, 0, N, l1, l2), p, 'without a gradient address the value is the same');
      });
    }
  }
});

test('norm_constraint (maxNorm, unitNorm) and non_neg_constraint match the reference', () => {
  const rng = new Random(62);
  const layouts = [[1, 3, 1], [1, 5, 7], [2, 3, 4], [3, 4, 9], [4, 17, 1], [1, 2, 33]];
  for (const [O, R, I] of layouts) {
    for (const mode of [0, 1] as const) {
      withScratch((s) => {
        const at = `O=${O} R=${R} I=${I} mode=${mode}`;
        const w = rng.uniformArray(O * R * I, -1.5, 1.5);
        const g = guardedBuffer(s, w);
        s.k.norm_constraint(g.ptr, O, R, I, 0.8, 1e-7, mode);
        const rw = Float64Array.from(w);
        ref.normConstraint(rw, O, R, I, Math.fround(0.8), Math.fround(1e-7), mode);
        assertClose(g.read(), rw, at, 1e-6, 1e-5);
        g.check(at);
      });
    }
  }
  for (const N of SIMD_TAIL_SIZES) {
    withScratch((s) => {
      const w = rng.uniformArray(N);
      const g = guardedBuffer(s, w);
      s.k.non_neg_constraint(g.ptr, N);
      const rw = Float32Array.from(w);
      ref.nonNegConstraint(rw, N);
      assert.deepEqual([...g.read()], [...rw], `nonNeg N=${N}`);
      g.check(`nonNeg N=${N}`);
    });
  }
});

test('reference constraints: norms after maxNorm are at most maxValue, after unitNorm 1', () => {
  const w = Float64Array.of(3, 0.1, 4, 0.1); // [R=2, I=2]: column norms 5 and 0.141
  ref.normConstraint(w, 1, 2, 2, 2, 1e-7, 0);
  assert.ok(Math.abs(Math.hypot(w[0], w[2]) - 2) < 1e-6 && Math.abs(w[1] - 0.1) < 1e-6, `maxNorm ${[...w]}`);
  ref.normConstraint(w, 1, 2, 2, 0, 1e-7, 1);
  assert.ok(Math.abs(Math.hypot(w[0], w[2]) - 1) < 1e-6 && Math.abs(Math.hypot(w[1], w[3]) - 1) < 1e-6, `unitNorm ${[...w]}`);
});
