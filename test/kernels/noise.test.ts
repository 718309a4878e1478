// Kernels of the random layers (assembly/kernels/noise.ts) vs src/reference/noise.ts: the same
// draws from the same seed over every SIMD tail, guard floats around every output; and the
// statistics of the draws (mean, variance, range) over many elements.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import * as ref from '../../src/reference/noise.ts';
import { dropoutBackward } from '../../src/reference/dropout.ts';
import { withScratch, assertClose, Random, guardedBuffer, SIMD_TAIL_SIZES, CHANNELS } from '../helpers/wasm.ts';

test('gaussian noise, gaussian dropout and rrelu match the reference draws over every tail', () => {
  const rng = new Random(41);
  for (const N of [...SIMD_TAIL_SIZES, 200]) {
    withScratch((s) => {
      const seed = rng.int(2 ** 32);
      const x = rng.uniformArray(N, -1, 1);
      const px = s.put(x);
      const y = guardedBuffer(s, new Float32Array(N));
      s.k.gaussian_noise_forward(px, y.ptr, N, 0.3, seed);
      const ry = new Float64Array(N);
      ref.gaussianNoiseForward(x, ry, N, Math.fround(0.3), seed);
      assertClose(y.read(), ry, `gaussian noise N=${N}`, 1e-6, 1e-6);
      y.check(`gaussian noise N=${N}`);

      const m = guardedBuffer(s, new Float32Array(N));
      s.k.gaussian_dropout_forward(px, y.ptr, m.ptr, N, 0.5, seed);
      const rm = new Float64Array(N);
      ref.gaussianDropoutForward(x, ry, rm, N, 0.5, seed);
      assertClose(m.read(), rm, `gaussian dropout mask N=${N}`, 1e-6, 1e-6);
      assertClose(y.read(), ry, `gaussian dropout y N=${N}`, 1e-6, 1e-6);
      m.check(`gaussian dropout mask N=${N}`);

      s.k.rrelu_forward(px, y.ptr, m.ptr, N, 0.1, 0.4, seed);
      ref.rreluForward(x, ry, rm, N, Math.fround(0.1), Math.fround(0.4), seed);
      assertClose(m.read(), rm, `rrelu slope N=${N}`, 1e-7, 1e-6);
      assertClose(y.read(), ry, `rrelu y N=${N}`, 1e-7, 1e-6);
      y.check(`rrelu N=${N}`);
      m.check(`rrelu slope N=${N}`);
    });
  }
});

test('spatial_dropout_forward/backward match the reference over channel tails', () => {
  const rng = new Random(42);
  for (const C of [...CHANNELS, 17]) {
    for (const [B, L] of [[1, 1], [2, 5], [3, 4]]) {
      withScratch((s) => {
        const at = `B=${B} L=${L} C=${C}`;
        const seed = rng.int(2 ** 32);
        const n = B * L * C;
        const x = rng.uniformArray(n);
        const y = guardedBuffer(s, new Float32Array(n));
        const m = guardedBuffer(s, new Float32Array(B * C));
        s.k.spatial_dropout_forward(s.put(x), y.ptr, m.ptr, B, L, C, 0.4, seed);
        const [ry, rm] = [new Float32Array(n), new Float32Array(B * C)];
        ref.spatialDropoutForward(x, ry, rm, B, L, C, 0.4, seed);
        assert.deepEqual([...m.read()], [...rm], `mask ${at}`);
        assertClose(y.read(), ry, `y ${at}`, 0, 1e-6);
        const dy = rng.uniformArray(n);
        const dx0 = rng.uniformArray(n);
        const dx = guardedBuffer(s, dx0);
        s.k.spatial_dropout_backward(s.put(dy), m.ptr, dx.ptr, B, L, C);
        const rdx = Float32Array.from(dx0);
        ref.spatialDropoutBackward(dy, rm, rdx, B, L, C);
        assertClose(dx.read(), rdx, `dx ${at}`, 1e-7, 1e-6);
        for (const g of [y, m, dx]) g.check(at);
      });
    }
  }
});

test('the draws have the stated distributions', () => {
  withScratch((s) => {
    const N = 100000;
    const px = s.put(new Float32Array(N).fill(1));
    const py = s.zeros(N);
    const pm = s.zeros(N);
    const stats = (v: Float32Array) => {
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      return { mean, variance: v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length };
    };
    s.k.gaussian_noise_forward(px, py, N, 0.5, 7);
    let st = stats(s.get(py, N));
    assert.ok(Math.abs(st.mean - 1) < 0.01 && Math.abs(st.variance - 0.25) < 0.01, `noise mean ${st.mean} variance ${st.variance}`);
    s.k.gaussian_dropout_forward(px, py, pm, N, Math.sqrt(0.2 / 0.8), 8);
    st = stats(s.get(pm, N));
    assert.ok(Math.abs(st.mean - 1) < 0.01 && Math.abs(st.variance - 0.25) < 0.01, `gaussian dropout mask mean ${st.mean} variance ${st.variance} (rate 0.2: 0.25)`);
    const neg = s.put(new Float32Array(N).fill(-1));
    s.k.rrelu_forward(neg, py, pm, N, 0.1, 0.3, 9);
    const slopes = s.get(pm, N);
    st = stats(slopes);
    assert.ok(slopes.every((a) => a >= 0.1 && a < 0.3), 'slopes in [lower, upper)');
    assert.ok(Math.abs(st.mean - 0.2) < 0.002 && Math.abs(st.variance - 0.04 / 12) < 2e-4, `slope mean ${st.mean} variance ${st.variance}`);
    s.k.spatial_dropout_forward(px, py, pm, 1000, 1, 100, 0.3, 10);
    const kept = s.get(pm, 1000 * 100).filter((v) => v !== 0);
    assert.ok(Math.abs(kept.length / 1e5 - 0.7) < 0.01 && kept.every((v) => Math.abs(v - 1 / 0.7) < 1e-6), `kept ${kept.length / 1e5}`);
  });
});

test('the multiplicative masks share dropout_backward: dx += dy * mask', () => {
  withScratch((s) => {
    const rng = new Random(43);
    const N = 17;
    const [dy, m, dx0] = [rng.uniformArray(N), rng.uniformArray(N), rng.uniformArray(N)];
    const pdx = s.put(dx0);
    s.k.dropout_backward(s.put(dy), s.put(m), pdx, N);
    const rdx = Float32Array.from(dx0);
    dropoutBackward(dy, m, rdx, N);
    assertClose(s.get(pdx, N), rdx, 'dx', 1e-7, 1e-6);
  });
});
