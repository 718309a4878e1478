// Optimizer kernels vs src/reference/optimizers.ts over region sizes hitting every SIMD tail,
// several consecutive steps, with guard floats on both sides of every updated buffer.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { withScratch, assertClose, Random, guardedBuffer, SIMD_TAIL_SIZES } from '../helpers/wasm.ts';
import * as ref from '../../src/reference/optimizers.ts';

test('reference: hand-computed optimizer steps', () => {
  const p = Float64Array.of(1);
  const vel = Float64Array.of(0.5);
  ref.sgdUpdate(p, Float64Array.of(2), vel, 1, 0.1, 0.9, 0);
  assert.ok(Math.abs(vel[0] - 0.25) < 1e-15 && Math.abs(p[0] - 1.25) < 1e-15, 'vel = 0.9*0.5 - 0.1*2; p += vel');
  const pn = Float64Array.of(1);
  ref.sgdUpdate(pn, Float64Array.of(2), Float64Array.of(0.5), 1, 0.1, 0.9, 1);
  assert.ok(Math.abs(pn[0] - (1 + 0.9 * 0.25 - 0.2)) < 1e-15, 'nesterov: p += momentum*vel - lr*g');
  // First Adam step from m = v = 0 moves every parameter by about lr, against the gradient sign.
  const pa = Float64Array.of(1, 1);
  ref.adamUpdate(pa, Float64Array.of(3, -0.01), new Float64Array(2), new Float64Array(2), 2, 1e-3, 0.9, 0.999, 1e-7, 0.1, 0.001);
  assert.ok(Math.abs(pa[0] - (1 - 1e-3)) < 1e-9 && Math.abs(pa[1] - (1 + 1e-3)) < 1e-7, `adam first step ${pa}`);
});

test('sgd_update matches the reference (momentum 0 and 0.9, nesterov off and on)', () => {
  const rng = new Random(10);
  withScratch((s) => {
    for (const N of SIMD_TAIL_SIZES)
      for (const [momentum, nesterov] of [[0, 0], [0.9, 0], [0.9, 1]]) {
        const label = `N${N} momentum ${momentum} nesterov ${nesterov}`;
        const p0 = rng.uniformArray(N);
        const v0 = rng.uniformArray(N, -0.1, 0.1);
        const p = guardedBuffer(s, p0);
        const vel = guardedBuffer(s, v0);
        const rp = Float64Array.from(p0);
        const rv = Float64Array.from(v0);
        for (let step = 0; step < 3; step++) {
          const g = rng.uniformArray(N);
          s.k.sgd_update(p.ptr, s.put(g), vel.ptr, N, 0.1, momentum, nesterov);
          ref.sgdUpdate(rp, g, rv, N, Math.fround(0.1), Math.fround(momentum), nesterov);
        }
        assertClose(p.read(), rp, `p ${label}`, 1e-6, 1e-6);
        assertClose(vel.read(), rv, `vel ${label}`, 1e-6, 1e-6);
        p.check(`p ${label}`);
        vel.check(`vel ${label}`);
      }
  });
});

test('adam_update matches the reference over consecutive steps', () => {
  const rng = new Random(11);
  withScratch((s) => {
    for (const N of SIMD_TAIL_SIZES) {
      const label = `N${N}`;
      const [lr, b1, b2, eps] = [1e-3, 0.9, 0.999, 1e-7].map(Math.fround);
      const p0 = rng.uniformArray(N);
      const p = guardedBuffer(s, p0);
      const m = guardedBuffer(s, new Float32Array(N));
      const v = guardedBuffer(s, new Float32Array(N));
      const rp = Float64Array.from(p0);
      const rm = new Float64Array(N);
      const rv = new Float64Array(N);
      for (let t = 1; t <= 4; t++) {
        const g = rng.uniformArray(N, -2, 2);
        const bc1 = Math.fround(1 - b1 ** t);
        const bc2 = Math.fround(1 - b2 ** t);
        s.k.adam_update(p.ptr, s.put(g), m.ptr, v.ptr, N, lr, b1, b2, eps, bc1, bc2);
        ref.adamUpdate(rp, g, rm, rv, N, lr, b1, b2, eps, bc1, bc2);
      }
      assertClose(p.read(), rp, `p ${label}`, 1e-6, 1e-6);
      assertClose(m.read(), rm, `m ${label}`, 1e-6, 1e-5);
      assertClose(v.read(), rv, `v ${label}`, 1e-7, 1e-5);
      for (const b of [p, m, v]) b.check(label);
    }
  });
});
