// LayerNormalization kernels vs src/reference/layernorm.ts over rows x channels hitting every
// SIMD tail, guard floats around every output, and accumulation into dx/dgamma/dbeta.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { withScratch, assertClose, Random, guardedBuffer, CHANNELS } from '../helpers/wasm.ts';
import * as ref from '../../src/reference/layernorm.ts';

test('reference: hand-computed layer norm of one row', () => {
  const [y, mean, rstd] = [new Float64Array(2), new Float64Array(1), new Float64Array(1)];
  ref.layernormForward(Float64Array.of(1, 3), Float64Array.of(2, 1), Float64Array.of(0.5, 0), y, mean, rstd, 1, 2, 0);
  assert.deepEqual([mean[0], rstd[0], ...y], [2, 1, -1.5, 1], 'mean 2, biased variance 1: y = gamma*(x-2) + beta');
});

test('layernorm_forward/backward match the reference over every channel tail', () => {
  const rng = new Random(31);
  for (const C of [...CHANNELS, 16, 17, 33]) {
    for (const R of [1, 2, 5]) {
      withScratch((s) => {
        const at = `R=${R} C=${C}`;
        const x = rng.uniformArray(R * C, -2, 3);
        const gamma = rng.uniformArray(C, 0.5, 1.5);
        const beta = rng.uniformArray(C);
        const dy = rng.uniformArray(R * C);
        const [px, pg, pb] = [s.put(x), s.put(gamma), s.put(beta)];
        const y = guardedBuffer(s, new Float32Array(R * C));
        const mean = guardedBuffer(s, new Float32Array(R));
        const rstd = guardedBuffer(s, new Float32Array(R));
        s.k.layernorm_forward(px, pg, pb, y.ptr, mean.ptr, rstd.ptr, R, C, 1e-3);
        const [ry, rm, rr] = [new Float64Array(R * C), new Float64Array(R), new Float64Array(R)];
        ref.layernormForward(x, gamma, beta, ry, rm, rr, R, C, 1e-3);
        assertClose(y.read(), ry, `y ${at}`, 1e-5, 1e-5);
        assertClose(mean.read(), rm, `mean ${at}`, 1e-6, 1e-5);
        assertClose(rstd.read(), rr, `rstd ${at}`, 1e-6, 1e-5);
        for (const g of [y, mean, rstd]) g.check(at);
        // backward accumulates onto non-zero buffers
        const [dx0, dg0, db0] = [rng.uniformArray(R * C), rng.uniformArray(C), rng.uniformArray(C)];
        const dx = guardedBuffer(s, dx0);
        const dg = guardedBuffer(s, dg0);
        const db = guardedBuffer(s, db0);
        s.k.layernorm_backward(px, pg, mean.ptr, rstd.ptr, s.put(dy), dx.ptr, dg.ptr, db.ptr, R, C);
        const [rdx, rdg, rdb] = [Float64Array.from(dx0), Float64Array.from(dg0), Float64Array.from(db0)];
        ref.layernormBackward(x, gamma, rm, rr, dy, rdx, rdg, rdb, R, C);
        assertClose(dx.read(), rdx, `dx ${at}`, 1e-5, 1e-4);
        assertClose(dg.read(), rdg, `dgamma ${at}`, 1e-5, 1e-4);
        assertClose(db.read(), rdb, `dbeta ${at}`, 1e-5, 1e-4);
        for (const g of [dx, dg, db]) g.check(at);
      });
    }
  }
});
