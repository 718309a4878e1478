// Each augmenter's defining property on random batches, identity at zero strength, seeded
// reproducibility, and bad options named by augmenter, option, value and expectation.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { augment, tensor, ConfigError, type Augmenter, type Tensor } from '../../src/index.ts';
import { Random } from '../../src/runtime/random.ts';
import { beta, gamma } from '../../src/augment/augmenter.ts';
import { spline } from '../../src/augment/curves.ts';

const N = 6;
const L = 37;
const C = 3;

function batch(seed = 1, n = N, length = L, channels = C): Tensor {
  const r = new Random(seed);
  return tensor(Float32Array.from({ length: n * length * channels }, () => r.normal()), [n, length, channels]);
}
const run = (a: Augmenter, x: Tensor, seed = 7) => augment.apply([a], x, { seed }).x;
const row = (x: Tensor, i: number, c: number) => Array.from({ length: x.shape[1] }, (_, t) => x.data[(i * x.shape[1] + t) * x.shape[2] + c]);
const sorted = (a: ArrayLike<number>) => Array.from(a).sort((p, q) => p - q);
const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;

test('identity at zero strength: sigma 0, ratio 1, maxShift 0, gain [0, 0], alpha 0, speed factor 1', () => {
  const x = batch();
  const identities = [
    augment.jitter({ sigma: 0 }),
    augment.scaling({ sigma: 0 }),
    augment.magnitudeWarp({ sigma: 0 }),
    augment.timeWarp({ sigma: 0 }),
    augment.timeShift({ maxShift: 0 }),
    augment.windowSlice({ ratio: 1 }),
    augment.randomGain({ gainDb: [0, 0] }),
    augment.speedPerturb({ factors: [1] }),
  ];
  for (const a of identities) assert.deepEqual(run(a, x).data, x.data, a.name);
  const y = tensor(Float32Array.from({ length: N * 4 }, (_, i) => (i % 4 === i % 3 ? 1 : 0)), [N, 4]);
  const mixed = augment.apply([augment.mixup({ alpha: 0 })], x, { y, seed: 1 });
  assert.deepEqual(mixed.x.data, x.data);
  assert.deepEqual(mixed.y!.data, y.data);
});

test('seeded: the same seed gives the same batch, another seed another one; the input is not modified', () => {
  const x = batch();
  const before = Float32Array.from(x.data);
  const all = [augment.jitter(), augment.scaling(), augment.magnitudeWarp(), augment.timeWarp(), augment.timeShift({ maxShift: 5 }), augment.windowSlice(), augment.randomGain(), augment.addNoise(), augment.speedPerturb()];
  const a = augment.apply(all, x, { seed: 3 }).x.data;
  assert.deepEqual(augment.apply(all, x, { seed: 3 }).x.data, a);
  assert.notDeepEqual(augment.apply(all, x, { seed: 4 }).x.data, a);
  assert.deepEqual(x.data, before);
});

test('jitter adds zero-mean noise of standard deviation sigma', () => {
  const x = batch(1, 40, 250, 2);
  const out = run(augment.jitter({ sigma: 0.5 }), x);
  const d = Array.from(out.data, (v, i) => v - x.data[i]);
  assert.ok(Math.abs(mean(d)) < 0.01, `mean ${mean(d)}`);
  const sd = Math.sqrt(mean(d.map((v) => v * v)));
  assert.ok(Math.abs(sd - 0.5) < 0.01, `std ${sd}`);
});

test('scaling multiplies each (sample, channel) series by one factor ~ N(1, sigma)', () => {
  const x = batch(2, 200, 20, 2);
  const out = run(augment.scaling({ sigma: 0.2 }), x);
  const factors: number[] = [];
  for (let i = 0; i < 200; i++) {
    for (let c = 0; c < 2; c++) {
      const a = row(x, i, c);
      const b = row(out, i, c);
      const f = b[0] / a[0];
      b.forEach((v, t) => assert.ok(Math.abs(v - f * a[t]) < 1e-4 * (1 + Math.abs(v)), `sample ${i} channel ${c} step ${t}`));
      factors.push(f);
    }
  }
  assert.ok(Math.abs(mean(factors) - 1) < 0.04);
  assert.ok(Math.abs(Math.sqrt(mean(factors.map((f) => (f - 1) ** 2))) - 0.2) < 0.03);
});

test('magnitude warp multiplies by a smooth curve: on a constant series the output is the curve, with small second differences', () => {
  const x = tensor(new Float32Array(4 * 200).fill(1), [4, 200, 1]);
  const out = run(augment.magnitudeWarp({ sigma: 0.3, knots: 4 }), x);
  for (let i = 0; i < 4; i++) {
    const w = row(out, i, 0);
    assert.ok(w.some((v) => Math.abs(v - 1) > 0.01), 'not the identity');
    const d2 = Math.max(...w.slice(2).map((v, t) => Math.abs(v - 2 * w[t + 1] + w[t])));
    assert.ok(d2 < 1e-2, `second difference ${d2}`);
  }
});

test('natural cubic spline: interpolates its knots, reproduces a straight line', () => {
  const xs = [0, 3, 6, 9];
  const out = new Float64Array(10);
  spline(xs, [1, 2, 0, 5], 10, out);
  assert.deepEqual([out[0], out[3], out[6], out[9]].map((v) => Math.round(v * 1e9) / 1e9), [1, 2, 0, 5]);
  spline(xs, xs.map((v) => 2 * v + 1), 10, out);
  out.forEach((v, t) => assert.ok(Math.abs(v - (2 * t + 1)) < 1e-9));
});

test('time warp keeps the end points and reorders nothing: a ramp stays increasing from 0 to L-1', () => {
  const ramp = tensor(Float32Array.from({ length: 5 * 100 }, (_, i) => i % 100), [5, 100, 1]);
  const out = run(augment.timeWarp({ sigma: 0.5 }), ramp);
  for (let i = 0; i < 5; i++) {
    const r = row(out, i, 0);
    assert.ok(Math.abs(r[0]) < 1e-4 && Math.abs(r[99] - 99) < 1e-3, `ends ${r[0]}, ${r[99]}`);
    r.slice(1).forEach((v, t) => assert.ok(v >= r[t] - 1e-4, `monotone at ${t}`));
    assert.ok(r.some((v, t) => Math.abs(v - t) > 0.5), 'warped');
  }
});

test('circular time shift preserves the multiset of every (sample, channel) series and is a rotation', () => {
  const x = batch(3);
  const out = run(augment.timeShift({ maxShift: 10, mode: 'circular' }), x);
  let shifted = 0;
  for (let i = 0; i < N; i++) {
    for (let c = 0; c < C; c++) {
      const a = row(x, i, c);
      const b = row(out, i, c);
      assert.deepEqual(sorted(b), sorted(a));
      const k = [...Array(21).keys()].map((j) => j - 10).find((s) => b.every((v, t) => v === a[(((t - s) % L) + L) % L]));
      assert.ok(k !== undefined, `sample ${i} is a rotation by at most 10`);
      if (k !== 0) shifted++;
    }
  }
  assert.ok(shifted > 0);
});

test('zero-filled time shift moves the series and fills with |k| zeros', () => {
  const x = tensor(Float32Array.from({ length: 8 * 30 }, (_, i) => 1 + (i % 30)), [8, 30, 1]);
  const out = run(augment.timeShift({ maxShift: 6, mode: 'zeros' }), x, 11);
  for (let i = 0; i < 8; i++) {
    const b = row(out, i, 0);
    const zeros = b.filter((v) => v === 0).length;
    assert.ok(zeros <= 6);
    const k = b[0] === 0 ? zeros : -zeros;
    b.forEach((v, t) => assert.equal(v, t - k >= 0 && t - k < 30 ? 1 + t - k : 0));
  }
});

test('window slicing: a ramp becomes a stretched window of ceil(ratio L) steps inside the original range', () => {
  const ramp = tensor(Float32Array.from({ length: 6 * 101 }, (_, i) => i % 101), [6, 101, 1]);
  const out = run(augment.windowSlice({ ratio: 0.5 }), ramp);
  for (let i = 0; i < 6; i++) {
    const r = row(out, i, 0);
    const start = r[0];
    assert.ok(Number.isInteger(Math.round(start * 1e4) / 1e4) && start >= 0 && start <= 50);
    r.forEach((v, t) => assert.ok(Math.abs(v - (start + (t * 50) / 100)) < 1e-3, `step ${t}`));
  }
});

test('random gain scales each sample by 10^(g/20) with g inside the dB range', () => {
  const x = batch(4, 300, 5, 2);
  const out = run(augment.randomGain({ gainDb: [-6, 3] }), x);
  const gains: number[] = [];
  for (let i = 0; i < 300; i++) {
    const g = out.data[i * 10] / x.data[i * 10];
    for (let j = 0; j < 10; j++) assert.ok(Math.abs(out.data[i * 10 + j] - g * x.data[i * 10 + j]) < 1e-5);
    gains.push(20 * Math.log10(g));
  }
  assert.ok(Math.min(...gains) >= -6 - 1e-4 && Math.max(...gains) <= 3 + 1e-4);
  assert.ok(Math.min(...gains) < -5 && Math.max(...gains) > 2, 'covers the range');
});

test('additive noise: the measured SNR of each sample matches the drawn one within 0.2 dB (5 std of the estimate)', () => {
  const x = batch(5, 20, 20000, 1);
  const out = run(augment.addNoise({ snrDb: [12, 12] }), x);
  for (let i = 0; i < 20; i++) {
    let ps = 0;
    let pn = 0;
    for (let j = i * 20000; j < (i + 1) * 20000; j++) {
      ps += x.data[j] ** 2;
      pn += (out.data[j] - x.data[j]) ** 2;
    }
    const snr = 10 * Math.log10(ps / pn);
    assert.ok(Math.abs(snr - 12) < 0.2, `sample ${i}: SNR ${snr.toFixed(2)} dB`);
  }
  const silent = tensor(new Float32Array(2 * 50), [2, 50, 1]);
  assert.deepEqual(run(augment.addNoise(), silent).data, silent.data, 'a silent sample stays silent');
});

test('speed perturbation: factor f reads x(a + f (t - a)); a ramp gets slope f, zeros outside', () => {
  const ramp = tensor(Float32Array.from({ length: 101 }, (_, t) => t), [1, 101, 1]);
  for (const [f, align] of [[1.25, 'start'], [0.8, 'center'], [1.1, 'center']] as const) {
    const out = run(augment.speedPerturb({ factors: [f], align }), ramp);
    const a = align === 'center' ? 50 : 0;
    out.data.forEach((v, t) => {
      const p = a + f * (t - a);
      assert.ok(Math.abs(v - (p >= 0 && p <= 100 ? p : 0)) < 1e-4, `f ${f} step ${t}: ${v}`);
    });
  }
  const x = batch(6, 400, 10, 1);
  const out = run(augment.speedPerturb({ range: [0.9, 1.1] }), x);
  assert.notDeepEqual(out.data, x.data);
});

test('mixup: targets are convex mixtures (each one-hot row -> a row summing to 1), inputs mixed with the same lambda and partner', () => {
  const n = 16;
  const x = batch(8, n, 9, 2);
  const y = tensor(Float32Array.from({ length: n * 5 }, (_, i) => (i % 5 === Math.floor(i / 5) % 5 ? 1 : 0)), [n, 5]);
  const m = augment.mixup({ alpha: 0.4 });
  const out = augment.apply([m], x, { y, seed: 2 });
  const lambda = m.lastLambda;
  assert.ok(lambda > 0 && lambda < 1 && lambda !== 0.5);
  for (let i = 0; i < n; i++) {
    const yr = Array.from(out.y!.data.subarray(i * 5, i * 5 + 5));
    assert.ok(Math.abs(yr.reduce((s, v) => s + v, 0) - 1) < 1e-6, `row ${i} sums to 1`);
    // the partner j: the sample whose inputs give out = lambda x_i + (1 - lambda) x_j
    const per = 18;
    const j = [...Array(n).keys()].find((k) => out.x.data.subarray(i * per, (i + 1) * per).every((v, e) => Math.abs(v - (lambda * x.data[i * per + e] + (1 - lambda) * x.data[k * per + e])) < 1e-5));
    assert.ok(j !== undefined, `sample ${i} is a mixture with one partner`);
    yr.forEach((v, c) => assert.ok(Math.abs(v - (lambda * y.data[i * 5 + c] + (1 - lambda) * y.data[j * 5 + c])) < 1e-6));
  }
});

test('Gamma and Beta samplers have the right means (a < 1 and a >= 1)', () => {
  const r = new Random(9);
  for (const a of [0.3, 2.5]) {
    const g = Array.from({ length: 20000 }, () => gamma(r, a));
    assert.ok(Math.abs(mean(g) - a) < 0.05 * Math.max(1, a), `gamma(${a}) mean ${mean(g)}`);
  }
  const b = Array.from({ length: 20000 }, () => beta(r, 0.2, 0.6));
  assert.ok(Math.abs(mean(b) - 0.25) < 0.01, `beta mean ${mean(b)}`);
});

test('bad options name the augmenter, the option, the value and what is expected', () => {
  const cases: [() => unknown, RegExp][] = [
    [() => augment.jitter({ sigma: -0.1 }), /augment\.jitter: sigma must be a finite number >= 0, got -0\.1/],
    [() => augment.scaling({ sigma: NaN }), /augment\.scaling: sigma must be a finite number >= 0, got NaN/],
    [() => augment.magnitudeWarp({ knots: 0 }), /augment\.magnitudeWarp: knots must be an integer >= 1, got 0/],
    [() => augment.timeShift({ maxShift: -2 }), /augment\.timeShift: maxShift must be an integer >= 0, got -2/],
    [() => augment.timeShift({ maxShift: 2, mode: 'wrap' as never }), /augment\.timeShift: mode must be one of "circular", "zeros", got "wrap"/],
    [() => augment.windowSlice({ ratio: 1.5 }), /augment\.windowSlice: ratio must be a finite number in \(0, 1\], got 1\.5/],
    [() => augment.windowSlice({ ratio: 0 }), /augment\.windowSlice: ratio must be a finite number in \(0, 1\], got 0/],
    [() => augment.addNoise({ snrDb: [30, 10] }), /augment\.addNoise: snrDb is inverted: \[30, 10\] has low > high; give \[10, 30\]/],
    [() => augment.randomGain({ gainDb: [3] as never }), /augment\.randomGain: gainDb must be \[low, high\], two finite numbers, got \[3\]/],
    [() => augment.speedPerturb({ factors: [0.9, -1] }), /augment\.speedPerturb: factors must be a non-empty list of speed factors > 0/],
    [() => augment.mixup({ alpha: -1 }), /augment\.mixup: alpha must be a finite number >= 0, got -1/],
    [() => augment.randomCrop({ length: 2.5 }), /augment\.randomCrop: length must be a positive integer \(the model's input length\), got 2\.5/],
    [() => augment.jitter({ sigmaa: 1 } as never), /augment\.jitter: unknown option "sigmaa" \(did you mean "sigma"\?\)/],
    [() => run(augment.timeShift({ maxShift: L }), batch()), /augment\.timeShift: maxShift 37 must be < the series length 37/],
    [() => run(augment.windowSlice({ ratio: 0.01 }), batch()), /augment\.windowSlice: ratio 0\.01 of length 37 keeps 1 step/],
    [() => run(augment.timeWarp(), batch(1, 2, 1, 1)), /augment\.timeWarp: needs series of length >= 2/],
  ];
  for (const [f, re] of cases) assert.throws(f, (e: unknown) => e instanceof ConfigError && re.test(e.message), String(re));
});

test('getConfig gives back the resolved options (defaults filled in)', () => {
  assert.deepEqual(augment.jitter().getConfig(), { sigma: 0.03 });
  assert.deepEqual(augment.magnitudeWarp({ knots: 6 }).getConfig(), { sigma: 0.2, knots: 6 });
  assert.deepEqual(augment.timeShift({ maxShift: 3 }).getConfig(), { maxShift: 3, mode: 'circular' });
  assert.deepEqual(augment.randomGain().getConfig(), { gainDb: [-6, 6] });
  assert.deepEqual(augment.addNoise({ snrDb: [5, 9] }).getConfig(), { snrDb: [5, 9] });
  assert.deepEqual(augment.speedPerturb().getConfig(), { factors: [0.9, 1, 1.1], align: 'center' });
  assert.deepEqual(augment.speedPerturb({ range: [0.95, 1.05], align: 'start' }).getConfig(), { range: [0.95, 1.05], align: 'start' });
  assert.deepEqual(augment.mixup().getConfig(), { alpha: 0.2 });
  assert.deepEqual(augment.randomCrop({ length: 5 }).getConfig(), { length: 5 });
});

test('augment.apply refuses what it cannot run: a non-tensor, randomCrop, mixup without targets', () => {
  const x = batch();
  assert.throws(() => augment.apply([augment.jitter()], [1, 2, 3] as never), /augment\.apply: x must be a Tensor \[n, L, C\] or \[n, L\]/);
  assert.throws(() => augment.apply([augment.randomCrop({ length: 4 })], x), /augment\.apply: randomCrop runs inside fit only/);
  assert.throws(() => augment.apply([augment.mixup()], x), /augment\.apply: augment\.mixup mixes targets: pass y/);
  assert.throws(() => augment.speedPerturb({ factors: [1], range: [0.9, 1.1] }), /augment\.speedPerturb: give factors or range, not both/);
});
