import { test } from 'vitest';
import assert from 'node:assert/strict';
import { builtin, data } from '../../src/data/index.ts';

const series = (x: Float32Array, i: number, L: number) => x.subarray(i * L, (i + 1) * L);

test('cbf: shapes, determinism per seed, balanced classes', () => {
  const a = builtin.cbf({ n: 100, seed: 3 });
  assert.deepEqual(a.x.shape, [100, 128, 1]);
  assert.deepEqual(a.classes, ['cylinder', 'bell', 'funnel']);
  assert.deepEqual([0, 1, 2].map((c) => a.y.filter((v) => v === c).length), [34, 33, 33]);
  const b = builtin.cbf({ n: 100, seed: 3 });
  assert.deepEqual(b.x.data, a.x.data);
  assert.deepEqual(b.y, a.y);
  assert.notDeepEqual(builtin.cbf({ n: 100, seed: 4 }).x.data, a.x.data);
  assert.notDeepEqual([...a.y.subarray(0, 12)], [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2], 'labels are shuffled, not cyclic');
  assert.deepEqual(builtin.cbf({ n: 5, length: 300 }).x.shape, [5, 300, 1]);
  assert.ok(a.x.data.every(Number.isFinite));
});

// The event [a, b] is found as the run where a moving average exceeds 2 (noise is N(0, 1),
// the plateau 6 + eta); its halves tell the shapes apart: a bell ramps up, a funnel down,
// a cylinder is flat.
function halves(s: Float32Array): [number, number] {
  const w = 9;
  const avg = Array.from(s, (_, t) => {
    let sum = 0, k = 0;
    for (let j = Math.max(0, t - 4); j < Math.min(s.length, t - 4 + w); j++, k++) sum += s[j];
    return sum / k;
  });
  const active = avg.map((v, t) => (v > 2 ? t : -1)).filter((t) => t >= 0);
  const lo = active[0] ?? 0, hi = active[active.length - 1] ?? s.length - 1;
  const mid = (lo + hi) / 2;
  let first = 0, second = 0, n1 = 0, n2 = 0;
  for (let t = lo; t <= hi; t++) if (t < mid) (first += s[t]), n1++; else (second += s[t]), n2++;
  return [first / Math.max(1, n1), second / Math.max(1, n2)];
}

test("cbf: classes are distinguishable; a bell's mass comes later than a funnel's", () => {
  for (const length of [128, 256]) {
    const d = builtin.cbf({ n: 300, length, seed: 11 });
    let right = 0, pairs = 0;
    const ratio: number[][] = [[], [], []];
    for (let i = 0; i < 300; i++) {
      const [f, s] = halves(series(d.x.data, i, length));
      ratio[d.y[i]].push(s / f);
      if (d.y[i] === 0) continue;
      pairs++;
      if ((s > f) === (d.y[i] === 1)) right++;
    }
    const med = (v: number[]) => v.sort((p, q) => p - q)[v.length >> 1];
    assert.ok(right / pairs > 0.9, `length ${length}: bell vs funnel by later mass: ${right}/${pairs}`);
    const [cyl, bell, fun] = ratio.map(med);
    console.log(`cbf length ${length}: bell/funnel by later mass ${right}/${pairs}; median second/first-half ratio cylinder ${cyl.toFixed(2)}, bell ${bell.toFixed(2)}, funnel ${fun.toFixed(2)}`);
    assert.ok(bell > 1.3 && fun < 1 / 1.3 && cyl > 0.9 && cyl < 1.1, `median second/first half ratios: cylinder ${cyl}, bell ${bell}, funnel ${fun}`);
  }
});

test('sines: 2 vs 5 cycles, told apart by the DFT magnitude at those frequencies', () => {
  const L = 64;
  const d = builtin.sines({ n: 200, length: L, seed: 2 });
  assert.deepEqual(d.x.shape, [200, L, 1]);
  assert.deepEqual([0, 1].map((c) => d.y.filter((v) => v === c).length), [100, 100]);
  const mag = (s: Float32Array, f: number) => {
    let re = 0, im = 0;
    s.forEach((v, t) => ((re += v * Math.cos((2 * Math.PI * f * t) / L)), (im += v * Math.sin((2 * Math.PI * f * t) / L))));
    return Math.hypot(re, im);
  };
  let right = 0;
  for (let i = 0; i < 200; i++) {
    const s = series(d.x.data, i, L);
    if ((mag(s, 5) > mag(s, 2)) === (d.y[i] === 1)) right++;
  }
  assert.equal(right, 200);
  assert.deepEqual(builtin.sines({ n: 200, length: L, seed: 2 }).x.data, d.x.data);
});

test('builtin.load by name; clear errors for unknown names and bad options', () => {
  assert.deepEqual(builtin.load('cbf', { n: 6, seed: 1 }).x.data, builtin.cbf({ n: 6, seed: 1 }).x.data);
  assert.deepEqual(data.builtin.load('sines', { n: 4, length: 16 }).x.shape, [4, 16, 1]);
  assert.throws(() => builtin.load('cfb' as never, { n: 3 }), /unknown dataset "cfb"; known datasets are "cbf", "sines"/);
  assert.throws(() => builtin.cbf({ n: 0 }), /builtin.cbf: n must be a positive integer, got 0/);
  assert.throws(() => builtin.cbf({ n: 3, seed: 0.5 }), /seed must be an integer, got 0.5/);
  assert.throws(() => builtin.sines({ n: 3, lenght: 8 } as never), /unknown option "lenght" \(did you mean "length"\?\)/);
});
