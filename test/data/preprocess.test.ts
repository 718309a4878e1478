import { test } from 'vitest';
import assert from 'node:assert/strict';
import { tensor } from '../../src/tensor.ts';
import { padOrCrop, shuffleIndices, stratifiedSplit, toCategorical, zNormalize } from '../../src/data/index.ts';
import { Random } from '../../src/runtime/random.ts';

const close = (a: number, b: number, tol = 1e-5) => Math.abs(a - b) <= tol;

test('zNormalize: each series and channel to mean 0, std 1; constant series to zeros', () => {
  const rng = new Random(1);
  const n = 4, L = 50, C = 2;
  const x = tensor(Float32Array.from({ length: n * L * C }, (_, i) => 3 + 10 * rng.normal() + (i % C) * 100), [n, L, C]);
  const z = zNormalize(x);
  assert.deepEqual(z.shape, [n, L, C]);
  for (let s = 0; s < n; s++) {
    for (let c = 0; c < C; c++) {
      const v = Array.from({ length: L }, (_, t) => z.data[(s * L + t) * C + c]);
      const mean = v.reduce((a, b) => a + b) / L;
      const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / L);
      assert.ok(close(mean, 0) && close(std, 1), `series ${s} channel ${c}: mean ${mean}, std ${std}`);
    }
  }
  const flat = zNormalize(tensor([[5, 5, 5, 5], [0, 0, 0, 0], [1, 2, 3, 4], [0.1, 0.1, 0.1, 0.1]]));
  assert.deepEqual([...flat.data.subarray(0, 8)], [0, 0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual([...flat.data.subarray(12)], [0, 0, 0, 0], 'float32 0.1 repeated is constant, not noise');
  assert.ok(flat.data.every(Number.isFinite));
  const s = Math.sqrt(1.25);
  assert.ok([-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s].every((v, i) => close(v, flat.data[8 + i])));
  assert.notEqual(z.data, x.data, 'a new tensor; the input is not modified');
});

test('padOrCrop: zero padding and cropping at start, center and end', () => {
  const s = [1, 2, 3, 4, 5];
  assert.deepEqual([...padOrCrop(s, 8)], [1, 2, 3, 4, 5, 0, 0, 0]);
  assert.deepEqual([...padOrCrop(s, 8, { align: 'end' })], [0, 0, 0, 1, 2, 3, 4, 5]);
  assert.deepEqual([...padOrCrop(s, 8, { align: 'center' })], [0, 1, 2, 3, 4, 5, 0, 0]);
  assert.deepEqual([...padOrCrop(s, 3)], [1, 2, 3]);
  assert.deepEqual([...padOrCrop(s, 3, { align: 'end' })], [3, 4, 5]);
  assert.deepEqual([...padOrCrop(s, 3, { align: 'center' })], [2, 3, 4]);
  assert.deepEqual([...padOrCrop(s, 2, { align: 'center' })], [2, 3]);
  assert.deepEqual([...padOrCrop(s, 5, { align: 'center' })], s);
  assert.deepEqual([...padOrCrop([], 2)], [0, 0]);
  assert.throws(() => padOrCrop(s, 3, { align: 'middle' as never }), /align must be one of "start", "center", "end", got "middle"/);
  assert.throws(() => padOrCrop(s, 2.5), /length must be a non-negative integer, got 2.5/);
});

test('toCategorical: one-hot rows; out-of-range and non-integer labels rejected', () => {
  const t = toCategorical([2, 0, 1]);
  assert.deepEqual(t.shape, [3, 3]);
  assert.deepEqual(t.toArray(), [[0, 0, 1], [1, 0, 0], [0, 1, 0]]);
  assert.deepEqual(toCategorical(Int32Array.of(1), 4).toArray(), [[0, 1, 0, 0]]);
  assert.throws(() => toCategorical([0, 3], 3), /label at index 1 is 3, out of range for numClasses = 3 \(allowed 0..2\)/);
  assert.throws(() => toCategorical([0, 1.5]), /label at index 1 must be a non-negative integer, got 1.5/);
  assert.throws(() => toCategorical([-1]), /label at index 0 must be a non-negative integer, got -1/);
  assert.throws(() => toCategorical([]), /cannot infer numClasses/);
});

test('stratifiedSplit: class proportions kept, disjoint, covers all, deterministic per seed', () => {
  const y = Int32Array.from({ length: 100 }, (_, i) => (i < 50 ? 0 : i < 80 ? 1 : 2)); // 50 / 30 / 20
  new Random(9).shuffle(y);
  const s = stratifiedSplit(y, { validationFraction: 0.2, seed: 4 });
  const count = (idx: Int32Array, c: number) => [...idx].filter((i) => y[i] === c).length;
  assert.deepEqual([0, 1, 2].map((c) => count(s.validation, c)), [10, 6, 4]);
  assert.deepEqual([0, 1, 2].map((c) => count(s.train, c)), [40, 24, 16]);
  const all = [...s.train, ...s.validation].sort((a, b) => a - b);
  assert.deepEqual(all, Array.from({ length: 100 }, (_, i) => i), 'disjoint and union = all');
  assert.deepEqual(stratifiedSplit(y, { validationFraction: 0.2, seed: 4 }), s);
  assert.notDeepEqual(stratifiedSplit(y, { validationFraction: 0.2, seed: 5 }).validation, s.validation);
  // Small classes: 2 samples -> one each side; 1 sample -> train.
  const tiny = stratifiedSplit([0, 0, 1, 2, 2, 2], { validationFraction: 0.1, seed: 0 });
  assert.deepEqual([...tiny.validation].map((i) => [0, 0, 1, 2, 2, 2][i]), [0, 2]);
  assert.equal(tiny.train.length, 4);
  // Unlabelled: a plain split of 0..n-1.
  const plain = stratifiedSplit(10, { validationFraction: 0.3, seed: 1 });
  assert.equal(plain.validation.length, 3);
  assert.deepEqual([...plain.train, ...plain.validation].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.throws(() => stratifiedSplit(y, { validationFraction: 1 }), /validationFraction must be in \(0, 1\), got 1/);
  assert.throws(() => stratifiedSplit(y, {} as never), /validationFraction is required/);
});

test('shuffleIndices: a permutation, deterministic per seed', () => {
  const p = shuffleIndices(50, 7);
  assert.deepEqual([...p].sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i));
  assert.deepEqual(shuffleIndices(50, 7), p);
  assert.notDeepEqual(shuffleIndices(50, 8), p);
  assert.throws(() => shuffleIndices(-1), /n must be a non-negative integer/);
});
