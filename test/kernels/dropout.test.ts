import { test } from 'vitest';
import assert from 'node:assert/strict';
import { dropoutBackward, dropoutForward } from '../../src/reference/dropout.ts';
import { Random, assertClose, withScratch, guardedBuffer, SIMD_TAIL_SIZES } from '../helpers/wasm.ts';

test('dropout_forward/backward match the reference mask bit for bit over every SIMD tail', () => {
  const rng = new Random(9);
  for (const N of [...SIMD_TAIL_SIZES, 1000]) {
    for (const rate of [0, 0.1, 0.5, 0.9]) {
      withScratch((s) => {
        const seed = rng.int(2 ** 32);
        const x = rng.uniformArray(N);
        const dy = rng.uniformArray(N);
        const dx0 = rng.uniformArray(N);
        const px = s.put(x);
        const y = guardedBuffer(s, new Float32Array(N));
        const pm = s.zeros(N);
        s.k.dropout_forward(px, y.ptr, pm, N, rate, seed);
        const ry = new Float32Array(N);
        const m = new Float32Array(N);
        dropoutForward(x, ry, m, N, rate, seed);
        assert.deepEqual([...s.get(pm, N)], [...m], `mask N=${N} rate=${rate}`);
        assertClose(y.read(), ry, `y N=${N} rate=${rate}`, 0, 1e-6);
        y.check(`y N=${N} rate=${rate}`);
        const pdx = s.put(dx0);
        s.k.dropout_backward(s.put(dy), pm, pdx, N);
        const dx = Float32Array.from(dx0);
        dropoutBackward(dy, m, dx, N);
        assertClose(s.get(pdx, N), dx, `dx N=${N}`, 1e-7, 1e-6);
      });
    }
  }
});

test('dropout keeps about 1-rate of the elements, scaled by 1/(1-rate); rate 0 is the identity', () => {
  withScratch((s) => {
    const N = 100000;
    const pm = s.zeros(N);
    const px = s.put(new Float32Array(N).fill(1));
    const py = s.zeros(N);
    s.k.dropout_forward(px, py, pm, N, 0.3, 12345);
    const m = s.get(pm, N);
    const kept = m.filter((v) => v !== 0);
    assert.ok(Math.abs(kept.length / N - 0.7) < 0.01, `kept fraction ${kept.length / N}`);
    assert.ok(kept.every((v) => Math.abs(v - 1 / 0.7) < 1e-6));
    s.k.dropout_forward(px, py, pm, N, 0, 1);
    assert.ok(s.get(py, N).every((v) => v === 1));
  });
});
