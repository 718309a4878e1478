// Batchnorm kernels vs src/reference/batchnorm.ts over rows x channels hitting every SIMD tail,
// guard floats on both sides of every output, accumulation of dx/dgamma/dbeta, and the accuracy
// of the statistics over 32*8000 rows and with |mean| >> std.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { withScratch, assertClose, Random, guardedBuffer, CHANNELS } from '../helpers/wasm.ts';
import * as ref from '../../src/reference/batchnorm.ts';
import { bnScratchFloats } from '../../src/layers/batchnorm.ts';

const ROWS = [1, 2, 3, 5, 16, 33, 64, 100, 256, 257, 600]; // blocks of 32 rows, two rows at a time; chunks of 256

test('reference: hand-computed batchnorm', () => {
  const y = new Float64Array(2);
  const [mean, rstd, mm, mv] = [new Float64Array(1), new Float64Array(1), new Float64Array(1), new Float64Array(1)];
  ref.batchnormForwardTrain(Float64Array.of(1, 3), Float64Array.of(2), Float64Array.of(0.5), y, mean, rstd, mm, mv, 2, 1, 0.9, 0);
  assert.deepEqual([mean[0], rstd[0], ...y], [2, 1, -1.5, 2.5], 'biased variance 1: y = 2*(x-2) + 0.5');
  assert.ok(Math.abs(mm[0] - 0.2) < 1e-15 && Math.abs(mv[0] - 0.1) < 1e-15, 'moving = 0.9*0 + 0.1*batch');
  ref.batchnormForwardInfer(Float64Array.of(5), Float64Array.of(2), Float64Array.of(1), Float64Array.of(1), Float64Array.of(4), y, 1, 1, 0);
  assert.equal(y[0], 2 * (5 - 1) / 2 + 1);
});

test('reference: batchnorm backward agrees with central differences of the forward', () => {
  const rng = new Random(12);
  const [R, C, eps] = [6, 3, 1e-3];
  const x = Float64Array.from(rng.uniformArray(R * C, -2, 2));
  const gamma = Float64Array.from(rng.uniformArray(C, 0.5, 1.5));
  const beta = Float64Array.from(rng.uniformArray(C));
  const w = Float64Array.from(rng.uniformArray(R * C)); // loss = sum(w * y), so dy = w
  const loss = (xx: Float64Array, gg: Float64Array, bb: Float64Array) => {
    const y = new Float64Array(R * C);
    const z = () => new Float64Array(C);
    ref.batchnormForwardTrain(xx, gg, bb, y, z(), z(), z(), z(), R, C, 0.9, eps);
    return y.reduce((a, v, i) => a + v * w[i], 0);
  };
  const [mean, rstd, y] = [new Float64Array(C), new Float64Array(C), new Float64Array(R * C)];
  ref.batchnormForwardTrain(x, gamma, beta, y, mean, rstd, new Float64Array(C), new Float64Array(C), R, C, 0.9, eps);
  const [dx, dg, db] = [new Float64Array(R * C), new Float64Array(C), new Float64Array(C)];
  ref.batchnormBackward(x, gamma, mean, rstd, w, dx, dg, db, null, R, C);
  const h = 1e-6;
  const fd = (a: Float64Array, i: number) => {
    const up = Float64Array.from(a);
    const dn = Float64Array.from(a);
    up[i] += h;
    dn[i] -= h;
    const args = (v: Float64Array): [Float64Array, Float64Array, Float64Array] => (a === x ? [v, gamma, beta] : a === gamma ? [x, v, beta] : [x, gamma, v]);
    return (loss(...args(up)) - loss(...args(dn))) / (2 * h);
  };
  for (let i = 0; i < R * C; i++) assert.ok(Math.abs(fd(x, i) - dx[i]) < 1e-6, `dx[${i}] ${dx[i]} vs ${fd(x, i)}`);
  for (let c = 0; c < C; c++) {
    assert.ok(Math.abs(fd(gamma, c) - dg[c]) < 1e-6, `dgamma[${c}]`);
    assert.ok(Math.abs(fd(beta, c) - db[c]) < 1e-6, `dbeta[${c}]`);
  }
});

test('batchnorm forward (train, infer) and backward match the reference', () => {
  const rng = new Random(13);
  withScratch((s) => {
    for (const R of ROWS)
      for (const C of CHANNELS) {
        const label = `R${R} C${C}`;
        const [momentum, eps] = [0.99, 1e-3];
        const x = rng.uniformArray(R * C, -2, 3);
        const gamma = rng.uniformArray(C, 0.5, 1.5);
        const beta = rng.uniformArray(C);
        const mm0 = rng.uniformArray(C);
        const mv0 = rng.uniformArray(C, 0.5, 1.5);
        const dy = rng.uniformArray(R * C);
        const dx0 = rng.uniformArray(R * C);
        const dg0 = rng.uniformArray(C);
        const db0 = rng.uniformArray(C);
        const [xp, gp, bp] = [s.put(x), s.put(gamma), s.put(beta)];

        const y = guardedBuffer(s, new Float32Array(R * C).fill(777));
        const mean = guardedBuffer(s, new Float32Array(C).fill(777));
        const rstd = guardedBuffer(s, new Float32Array(C).fill(777));
        const mm = guardedBuffer(s, mm0);
        const mv = guardedBuffer(s, mv0);
        const fscratch = guardedBuffer(s, new Float32Array(bnScratchFloats(R, C)));
        s.k.batchnorm_forward_train(xp, gp, bp, y.ptr, mean.ptr, rstd.ptr, mm.ptr, mv.ptr, fscratch.ptr, R, C, momentum, eps);
        const ry = new Float64Array(R * C);
        const [rmean, rrstd, rmm, rmv] = [new Float64Array(C), new Float64Array(C), Float64Array.from(mm0), Float64Array.from(mv0)];
        ref.batchnormForwardTrain(x, gamma, beta, ry, rmean, rrstd, rmm, rmv, R, C, Math.fround(momentum), Math.fround(eps));
        assertClose(y.read(), ry, `train y ${label}`, 1e-5, 1e-5);
        assertClose(mean.read(), rmean, `mean ${label}`, 1e-6, 1e-6);
        assertClose(rstd.read(), rrstd, `rstd ${label}`, 1e-6, 1e-5);
        assertClose(mm.read(), rmm, `movMean ${label}`, 1e-6, 1e-6);
        assertClose(mv.read(), rmv, `movVar ${label}`, 1e-6, 1e-6);

        const dx = guardedBuffer(s, dx0);
        const dg = guardedBuffer(s, dg0);
        const db = guardedBuffer(s, db0);
        const scratch = guardedBuffer(s, new Float32Array(bnScratchFloats(R, C)));
        const [meanK, rstdK] = [mean.read(), rstd.read()];
        s.k.batchnorm_backward(xp, gp, mean.ptr, rstd.ptr, s.put(dy), dx.ptr, dg.ptr, db.ptr, scratch.ptr, R, C);
        const [rdx, rdg, rdb] = [Float64Array.from(dx0), Float64Array.from(dg0), Float64Array.from(db0)];
        ref.batchnormBackward(x, gamma, meanK, rstdK, dy, rdx, rdg, rdb, null, R, C);
        assertClose(dx.read(), rdx, `dx ${label}`, 2e-5, 1e-4);
        assertClose(dg.read(), rdg, `dgamma ${label}`, 1e-5, 1e-5);
        assertClose(db.read(), rdb, `dbeta ${label}`, 1e-5, 1e-5);

        const yi = guardedBuffer(s, new Float32Array(R * C).fill(777));
        s.k.batchnorm_forward_infer(xp, gp, bp, s.put(mm0), s.put(mv0), yi.ptr, R, C, eps);
        const ryi = new Float64Array(R * C);
        ref.batchnormForwardInfer(x, gamma, beta, mm0, mv0, ryi, R, C, Math.fround(eps));
        assertClose(yi.read(), ryi, `infer y ${label}`, 1e-6, 1e-5);
        for (const b of [y, mean, rstd, mm, mv, fscratch, dx, dg, db, scratch, yi]) b.check(label);
      }
  });
});

test('batch statistics over 32*8000 rows are accurate to ~1e-6', () => {
  const rng = new Random(14);
  const [R, C] = [32 * 8000, 5];
  const x = new Float32Array(R * C);
  for (let i = 0; i < x.length; i++) x[i] = 3 + (i % C) + rng.normal() * (1 + (i % C));
  withScratch((s) => {
    const ones = s.put(new Float32Array(C).fill(1));
    const [mean, rstd, mm, mv] = [s.zeros(C), s.zeros(C), s.zeros(C), s.zeros(C)];
    s.k.batchnorm_forward_train(s.put(x), ones, s.zeros(C), s.zeros(R * C), mean, rstd, mm, mv, s.zeros(bnScratchFloats(R, C)), R, C, 0, 0);
    const [rmean, rrstd] = [new Float64Array(C), new Float64Array(C)];
    ref.batchnormForwardTrain(x, new Float64Array(C).fill(1), new Float64Array(C), new Float64Array(R * C), rmean, rrstd, new Float64Array(C), new Float64Array(C), R, C, 0, 0);
    assertClose(s.get(mean, C), rmean, 'mean', 0, 1e-6);
    assertClose(s.get(rstd, C), rrstd, 'rstd', 0, 1e-6);
  });
});

test('batch statistics stay accurate when |mean| >> std (the variance is summed shifted)', () => {
  const rng = new Random(15);
  const [R, C] = [4000, 6];
  const x = new Float32Array(R * C);
  for (let i = 0; i < x.length; i++) x[i] = 1000 * (1 + (i % C)) + rng.normal() * 0.01;
  withScratch((s) => {
    const ones = s.put(new Float32Array(C).fill(1));
    const [mean, rstd, mm, mv] = [s.zeros(C), s.zeros(C), s.zeros(C), s.zeros(C)];
    s.k.batchnorm_forward_train(s.put(x), ones, s.zeros(C), s.zeros(R * C), mean, rstd, mm, mv, s.zeros(bnScratchFloats(R, C)), R, C, 0, 0);
    const [rmean, rrstd] = [new Float64Array(C), new Float64Array(C)];
    ref.batchnormForwardTrain(x, new Float64Array(C).fill(1), new Float64Array(C), new Float64Array(R * C), rmean, rrstd, new Float64Array(C), new Float64Array(C), R, C, 0, 0);
    assertClose(s.get(mean, C), rmean, 'mean', 0, 1e-7);
    assertClose(s.get(rstd, C), rrstd, 'rstd (std 0.01 around 1000-6000)', 0, 1e-3);
  });
});

test("the layer's scratch size is the kernels' (batchnorm_scratch_floats)", () => {
  withScratch((s) => {
    for (const R of [1, 255, 256, 257, 16000, 85312]) for (const C of [1, 3, 64]) assert.equal(bnScratchFloats(R, C), s.k.batchnorm_scratch_floats(R, C), `R${R} C${C}`);
  });
});
