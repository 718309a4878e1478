// Optimizer kernels vs src/reference/optimizers.ts over region sizes hitting every SIMD tail,
// several consecutive steps, without and with clipping (a clipnorm scale, a clipvalue clamp),
// with guard floats on both sides of every buffer and the gradient block checked unchanged.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { withScratch, assertClose, Random, guardedBuffer, SIMD_TAIL_SIZES, type Guarded, type Scratch } from '../helpers/wasm.ts';
import * as ref from '../../src/reference/optimizers.ts';

const f = Math.fround;

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
  ref.adamUpdate(pa, Float64Array.of(3, -0.01), new Float64Array(2), new Float64Array(2), 2, 1e-3 / 0.1, 0.9, 0.999, 1e-7, 1 / Math.sqrt(0.001), 1);
  assert.ok(Math.abs(pa[0] - (1 - 1e-3)) < 1e-9 && Math.abs(pa[1] - (1 + 1e-3)) < 1e-7, `adam first step ${pa}`);
  // AdamW decays first: p = 2*(1 - 0.1*0.5) - step; a zero gradient leaves only the decay.
  const pw = Float64Array.of(2);
  ref.adamUpdate(pw, Float64Array.of(0), new Float64Array(1), new Float64Array(1), 1, 1, 0.9, 0.999, 1e-7, 1, 1 - 0.1 * 0.5);
  assert.equal(pw[0], 1.9);
  // RMSprop, first step from v = 0: v = 0.1*g^2, p -= lr*g/sqrt(0.1 g^2) = lr/sqrt(0.1) * sign(g).
  const pr = Float64Array.of(0);
  ref.rmspropUpdate(pr, Float64Array.of(-4), new Float64Array(1), new Float64Array(1), new Float64Array(1), 1, 0.01, 0.9, 0, 0, 0);
  assert.ok(Math.abs(pr[0] - 0.01 / Math.sqrt(0.1)) < 1e-15, `rmsprop ${pr}`);
  // centered: mg = 0.1*g, v - mg^2 = 0.1 g^2 - 0.01 g^2 = 0.09 g^2.
  const pc = Float64Array.of(0);
  ref.rmspropUpdate(pc, Float64Array.of(2), new Float64Array(1), new Float64Array(1), new Float64Array(1), 1, 0.03, 0.9, 0, 0, 1);
  assert.ok(Math.abs(pc[0] + 0.03 / 0.3) < 1e-15, `rmsprop centered ${pc}`);
  // Adagrad from acc = 0: acc = g^2, p -= lr*g/|g|; Adamax: u = |g| + eps, m = 0.1 g.
  const pg = Float64Array.of(0);
  ref.adagradUpdate(pg, Float64Array.of(3), new Float64Array(1), 1, 0.5, 0);
  assert.equal(pg[0], -0.5);
  const px = Float64Array.of(0);
  const u = new Float64Array(1);
  ref.adamaxUpdate(px, Float64Array.of(-2), new Float64Array(1), u, 1, 1, 0.9, 0.999, 0.5);
  assert.ok(u[0] === 2.5 && Math.abs(px[0] - 0.2 / 2.5) < 1e-15, `adamax ${px} ${u}`);
  // Clipping: scale first, then clamp.
  const pk = Float64Array.of(0, 0);
  ref.sgdUpdate(pk, Float64Array.of(3, -0.2), new Float64Array(2), 2, 1, 0, 0, 0.5, 1);
  assert.deepEqual([...pk], [-1, 0.1]);
  assert.equal(ref.gradSumsq(Float64Array.of(3, -4), 2), 25);
});

test('grad_sumsq matches the reference (float64 accumulation)', () => {
  const rng = new Random(9);
  withScratch((s) => {
    for (const N of [0, ...SIMD_TAIL_SIZES, 1000]) {
      const g = rng.uniformArray(N, -3, 3);
      const got = s.k.grad_sumsq(s.put(g.length ? g : [0]), N);
      const want = ref.gradSumsq(g, N);
      assert.ok(Math.abs(got - want) <= 1e-12 * Math.max(1, want), `N${N}: ${got} vs ${want}`);
    }
  });
});

/** One kernel under test: its state buffers and both implementations of step t (1-based). */
interface KernelCase {
  name: string;
  /** Initial value of every state buffer (a function of the element count). */
  states: ((N: number, rng: Random) => Float32Array)[];
  kernel: (s: Scratch, p: number, g: number, st: number[], N: number, t: number, scale: number, clip: number) => void;
  ref: (p: Float64Array, g: Float32Array, st: Float64Array[], N: number, t: number, scale: number, clip: number) => void;
}

const zeros = (N: number) => new Float32Array(N);
const bc = (b: number, t: number) => 1 - Math.pow(b, t);

const CASES: KernelCase[] = [];
for (const [momentum, nesterov] of [[0, 0], [0.9, 0], [0.9, 1]]) {
  CASES.push({
    name: `sgd momentum ${momentum} nesterov ${nesterov}`,
    states: [(N, rng) => rng.uniformArray(N, -0.1, 0.1)],
    kernel: (s, p, g, [vel], N, _t, sc, cl) => s.k.sgd_update(p, g, vel, N, 0.1, momentum, nesterov, sc, cl),
    ref: (p, g, [vel], N, _t, sc, cl) => ref.sgdUpdate(p, g, vel, N, f(0.1), f(momentum), nesterov, sc, cl),
  });
}
for (const wd of [0, 0.05]) {
  const [lr, b1, b2, eps] = [1e-2, 0.9, 0.999, 1e-7].map(f);
  const args = (t: number) => [f(lr / bc(b1, t)), b1, b2, eps, f(1 / Math.sqrt(bc(b2, t))), f(1 - lr * wd)] as const;
  CASES.push({
    name: `adam weightDecay ${wd}`,
    states: [zeros, zeros],
    kernel: (s, p, g, [m, v], N, t, sc, cl) => s.k.adam_update(p, g, m, v, N, ...args(t), sc, cl),
    ref: (p, g, [m, v], N, t, sc, cl) => ref.adamUpdate(p, g, m, v, N, ...args(t), sc, cl),
  });
}
for (const [momentum, centered] of [[0, 0], [0, 1], [0.8, 0], [0.8, 1]]) {
  const [lr, rho, eps, mo] = [0.01, 0.9, 1e-7, momentum].map(f);
  CASES.push({
    name: `rmsprop momentum ${momentum} centered ${centered}`,
    states: [zeros, zeros, zeros],
    kernel: (s, p, g, [v, mg, buf], N, _t, sc, cl) => s.k.rmsprop_update(p, g, v, centered ? mg : 0, momentum ? buf : 0, N, lr, rho, eps, mo, centered, sc, cl),
    ref: (p, g, [v, mg, buf], N, _t, sc, cl) => ref.rmspropUpdate(p, g, v, mg, buf, N, lr, rho, eps, mo, centered, sc, cl),
  });
}
CASES.push({
  name: 'adagrad',
  states: [(N) => new Float32Array(N).fill(0.1)],
  kernel: (s, p, g, [acc], N, _t, sc, cl) => s.k.adagrad_update(p, g, acc, N, 0.05, 1e-7, sc, cl),
  ref: (p, g, [acc], N, _t, sc, cl) => ref.adagradUpdate(p, g, acc, N, f(0.05), f(1e-7), sc, cl),
});
{
  const [b1, b2, eps] = [0.9, 0.999, 1e-7].map(f);
  const step = (t: number) => f(0.002 / bc(b1, t));
  CASES.push({
    name: 'adamax',
    states: [zeros, zeros],
    kernel: (s, p, g, [m, u], N, t, sc, cl) => s.k.adamax_update(p, g, m, u, N, step(t), b1, b2, eps, sc, cl),
    ref: (p, g, [m, u], N, t, sc, cl) => ref.adamaxUpdate(p, g, m, u, N, step(t), b1, b2, eps, sc, cl),
  });
}
{
  const [b1, b2, eps] = [0.9, 0.999, 1e-7].map(f);
  // arbitrary positive per-step coefficients: the kernel takes them as given
  const args = (t: number) => [f(0.01 / t), f(0.05 / t), b1, b2, eps, f(1 / Math.sqrt(bc(b2, t)))] as const;
  CASES.push({
    name: 'nadam',
    states: [zeros, zeros],
    kernel: (s, p, g, [m, v], N, t, sc, cl) => s.k.nadam_update(p, g, m, v, N, ...args(t), sc, cl),
    ref: (p, g, [m, v], N, t, sc, cl) => ref.nadamUpdate(p, g, m, v, N, ...args(t), sc, cl),
  });
}

// [scale, clip]: none, a clipnorm scale, a clipvalue clamp that cuts about half of g in [-2, 2]
const CLIPS: [number, number][] = [[1, Infinity], [f(0.37), Infinity], [1, f(0.9)]];

for (const c of CASES) {
  test(`${c.name}: kernel matches the reference over 4 steps, every tail size, with and without clipping`, () => {
    const rng = new Random(11);
    withScratch((s) => {
      for (const N of SIMD_TAIL_SIZES)
        for (const [scale, clip] of CLIPS) {
          const label = `${c.name} N${N} scale ${scale} clip ${clip}`;
          const p0 = rng.uniformArray(N);
          const p = guardedBuffer(s, p0);
          const inits = c.states.map((init) => init(N, rng));
          const st: Guarded[] = inits.map((x) => guardedBuffer(s, x));
          const rp = Float64Array.from(p0);
          const rst = inits.map((x) => Float64Array.from(x));
          for (let t = 1; t <= 4; t++) {
            const g = rng.uniformArray(N, -2, 2);
            const gb = guardedBuffer(s, g);
            c.kernel(s, p.ptr, gb.ptr, st.map((b) => b.ptr), N, t, scale, clip);
            c.ref(rp, g, rst, N, t, scale, clip);
            assert.deepEqual(gb.read(), g, `${label}: the gradient block is read only`);
            gb.check(`g ${label}`);
          }
          assertClose(p.read(), rp, `p ${label}`, 1e-6, 1e-5);
          st.forEach((b, i) => assertClose(b.read(), rst[i], `state ${i} ${label}`, 1e-6, 1e-5));
          for (const b of [p, ...st]) b.check(label);
        }
    });
  });
}
